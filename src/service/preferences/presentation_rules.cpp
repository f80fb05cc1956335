// Rules for format and emoji.
#include <algorithm>
#include <string>

#include "service/preferences/rules.h"

namespace loci::service::preferences {
namespace {

// Verbs that make a clause a one-off task ("make a table of …", "list three bullet points").
const std::initializer_list<std::string_view> kTasks = {"make", "list",  "create", "draw",
                                                        "add",  "write", "format", "put"};
// Words that show a wish about answers in general rather than one task.
const std::initializer_list<std::string_view> kWishes = {
    "use",  "prefer", "like", "love",     "always", "in",      "give",    "show",  "break",
    "want", "please", "no",   "whenever", "need",   "explain", "answers", "answer"};

bool OneOffTask(const Clause& clause) {
  for (std::size_t i = 0; i < clause.size() && i < 3; ++i) {
    if (!clause.IsAny(i, kTasks) || clause.Is(i + 1, "in")) continue;  // "write in prose"
    return !clause.Has({"me"}) || clause.Has({"for", "my"});
  }
  return false;
}

bool ShowsWish(const Clause& clause) {
  for (std::string_view wish : kWishes) {
    if (clause.Has({wish})) return true;
  }
  return false;
}

// The format the clause names, or empty.
std::string_view FormatNamed(const Clause& clause) {
  if (clause.Has({"bullet"}) || clause.Has({"bullets"}) || clause.Has({"bulleted"})) {
    return "bullet_points";
  }
  if (clause.Has({"step", "by", "step"})) return "step_by_step";
  if (clause.Has({"code", "first"}) || clause.Has({"code", "before"})) return "code_first";
  if (clause.Has({"tables"})) return "tables";
  if (clause.Has({"prose"}) || clause.Has({"no", "lists"}) || clause.Has({"paragraphs"})) {
    return "prose";
  }
  return {};
}

void ReadFormat(const Clause& clause, Findings& found) {
  std::string_view format = FormatNamed(clause);
  if (format.empty() || OneOffTask(clause) || !ShowsWish(clause)) return;
  bool dropped = clause.Has({"no", "longer"}) || clause.Has({"stop", "using"}) ||
                 (clause.Has({"not"}) && clause.Has({"anymore"}));
  if (dropped) {
    found.Retract("format");
  } else {
    found.Set("format", std::string(format));
  }
}

void ReadEmoji(const Clause& clause, Findings& found) {
  std::size_t at = Clause::npos;
  for (std::string_view word : {"emoji", "emojis", "emojies", "emoticons", "smileys"}) {
    at = std::min(at, clause.Find({word}));
  }
  if (at == Clause::npos) return;
  bool refused = false;
  for (std::size_t i = 0; i < at; ++i) {
    if (clause.IsAny(i, {"not", "no", "stop", "without", "avoid", "never", "fewer", "less", "skip",
                         "hate", "dislike"})) {
      refused = true;
    }
  }
  if (refused) {
    found.Set("emoji", "avoid");
    return;
  }
  if (clause.Has({"love"}) || clause.Has({"like"}) || clause.Has({"use"}) || clause.Has({"free"}) ||
      clause.Has({"fine"}) || clause.Has({"okay"}) || clause.Has({"ok"}) ||
      clause.Has({"welcome"}) || clause.Has({"more"}) || clause.Has({"enjoy"})) {
    found.Set("emoji", "welcome");
  }
}

}  // namespace

void ReadPresentation(const Clause& clause, Findings& found) {
  if (clause.subject == Subject::kOther) return;
  ReadFormat(clause, found);
  ReadEmoji(clause, found);
}

}  // namespace loci::service::preferences
