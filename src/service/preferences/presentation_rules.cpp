// Rules for format and emoji.
#include <algorithm>
#include <string>

#include "service/preferences/rules.h"

namespace loci::service::preferences {
namespace {

// Verbs that make a clause a one-off task ("make a table of …", "list three bullet points").
const std::initializer_list<std::string_view> kTasks = {
    "make",      "list",      "create",   "draw",     "add",     "write",
    "format",    "put",       "turn",     "convert",  "rewrite", "reformat",
    "summarize", "summarise", "organize", "organise", "redo"};
// Words that show a wish about answers in general rather than one task.
const std::initializer_list<std::string_view> kWishes = {
    "use",    "prefer", "like",   "love",     "always",  "in",        "give",     "show",   "break",
    "want",   "please", "no",     "whenever", "need",    "explain",   "answers",  "answer", "find",
    "easier", "better", "rather", "help",     "through", "favourite", "favorite", "stick",  "fine",
    "again",  "first",  "after",  "best",     "works",   "work"};

bool OneOffTask(const Clause& clause) {
  // "… for the meeting summary", "… for my slide": the format of one thing.
  for (std::string_view owner : {"the", "my", "this", "a", "our"}) {
    if (clause.Has({"for", owner})) return true;
  }
  for (std::size_t i = 0; i < clause.size() && i < 3; ++i) {
    if (!clause.IsAny(i, kTasks) || clause.Is(i + 1, "in")) continue;  // "write in prose"
    return !clause.Has({"me"}) || clause.IsAny(i + 1, {"this", "that", "these", "it"});
  }
  return false;
}

bool ShowsWish(const Clause& clause) {
  for (std::string_view wish : kWishes) {
    if (clause.Has({wish})) return true;
  }
  return false;
}

bool ProseNamed(const Clause& clause) {
  return clause.Has({"prose"}) || clause.Has({"no", "lists"}) || clause.Has({"paragraphs"}) ||
         clause.Has({"plain", "text"}) || clause.Has({"full", "sentences"});
}

// The format the clause names, or empty.
std::string_view FormatNamed(const Clause& clause) {
  if (clause.Has({"bullet"}) || clause.Has({"bullets"}) || clause.Has({"bulleted"})) {
    return "bullet_points";
  }
  if (clause.Has({"step", "by", "step"}) || clause.Has({"numbered", "steps"}) ||
      clause.Has({"numbered", "list"}) || clause.Has({"numbered", "lists"})) {
    return "step_by_step";
  }
  if (clause.Has({"code", "first"}) || clause.Has({"code", "before"}) ||
      clause.Has({"with", "the", "code"})) {
    return "code_first";
  }
  // "Just give me the code, explanations after."
  std::size_t code = clause.Find({"code"});
  if (code != Clause::npos) {
    for (std::string_view later : {"after", "afterwards", "later", "then"}) {
      if (clause.Find({later}, code) != Clause::npos) return "code_first";
    }
  }
  if (clause.Has({"tables"})) return "tables";
  return ProseNamed(clause) ? "prose" : "";
}

// "No bullet points please", "don't use tables": the format named is turned away.
bool RefusedBefore(const Clause& clause, std::string_view format) {
  if (format == "prose") return false;  // "write in prose, no lists" asks for prose
  std::size_t named = Clause::npos;
  for (std::string_view word :
       {"bullet", "bullets", "bulleted", "tables", "numbered", "step", "code"}) {
    named = std::min(named, clause.Find({word}));
  }
  if (named == Clause::npos) return false;
  for (std::size_t i = named > 3 ? named - 3 : 0; i < named; ++i) {
    if (clause.IsAny(i, {"no", "not", "without", "avoid", "hate", "less", "fewer"})) return true;
  }
  return false;
}

void ReadFormat(const Clause& clause, Findings& found) {
  std::string_view format = FormatNamed(clause);
  if (format.empty() || OneOffTask(clause)) return;
  bool dropped = clause.Has({"no", "longer"}) || clause.Has({"stop", "using"}) ||
                 RefusedBefore(clause, format) ||
                 (clause.Has({"not"}) && clause.Has({"anymore"})) || clause.Has({"forget"}) ||
                 clause.Has({"no", "more"}) || clause.Has({"ditch"}) || clause.Has({"drop"});
  if (!dropped && !ShowsWish(clause)) return;
  if (!dropped) {
    found.Set("format", std::string(format));
  } else if (format != "prose" && ProseNamed(clause)) {
    found.Set("format", "prose");  // "Forget the bullet points, plain text is better."
  } else {
    found.Retract("format");
  }
}

// Words that turn emoji away wherever they stand: "emojis make me cringe, leave them out".
const std::initializer_list<std::string_view> kEmojiRefusals = {
    "not",  "no",   "stop",  "without",  "avoid",         "never",    "fewer",
    "less", "skip", "hate",  "dislike",  "cringe",        "annoying", "distracting",
    "out",  "drop", "ditch", "childish", "unprofessional"};
// Words that welcome them: "go wild with the emojis", "emojis are fine again".
const std::initializer_list<std::string_view> kEmojiWelcomes = {
    "love", "like",  "use",  "free",  "fine", "okay",   "ok",   "welcome",
    "more", "enjoy", "wild", "again", "lots", "plenty", "great"};

void ReadEmoji(const Clause& clause, Findings& found) {
  std::size_t at = Clause::npos;
  for (std::string_view word : {"emoji", "emojis", "emojies", "emoticons", "smileys"}) {
    at = std::min(at, clause.Find({word}));
  }
  if (at == Clause::npos) return;
  // "I don't mind emojis", "emoji-free".
  if (clause.Has({"not", "mind"})) {
    found.Set("emoji", "welcome");
    return;
  }
  bool refused = clause.Is(at + 1, "free");
  for (std::size_t i = 0; i < clause.size(); ++i) {
    if (clause.IsAny(i, kEmojiRefusals) && (i < at || !clause.IsAny(i, {"not", "no"}))) {
      refused = true;
    }
  }
  if (refused) {
    found.Set("emoji", "avoid");
    return;
  }
  for (std::string_view word : kEmojiWelcomes) {
    if (clause.Has({word})) {
      found.Set("emoji", "welcome");
      return;
    }
  }
}

}  // namespace

void ReadPresentation(const Clause& clause, Findings& found) {
  if (clause.subject == Subject::kOther) return;
  ReadFormat(clause, found);
  ReadEmoji(clause, found);
}

}  // namespace loci::service::preferences
