#include "service/preferences/llm_extractor.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "embed/json_records.h"
#include "model/preference.h"
#include "service/preferences/rule_support.h"
#include "service/prompt.h"

namespace loci::service {
namespace {

constexpr char kSystemPrompt[] =
    R"(You read a user's messages to an assistant and list the lasting preferences and facts the user states about themselves.

Answer with JSON only, no other text:
{"observations": [{"turn": <the message's number>, "key": "<key>", "value": "<value>"}]}
When the user says a preference no longer holds, add "retract": true (the value may then be left out).
When nothing qualifies, answer {"observations": []}.

Use only these keys, with these values:
- name: what the user wants to be called
- pronouns: as the user states them
- language: BCP 47 tag of the language the user wants answers in (en, es, pt-BR)
- response_length: concise or detailed
- formality: formal or casual
- tone: one word such as direct, warm, humorous
- format: bullet_points, prose, step_by_step, code_first or tables
- emoji: avoid or welcome
- expertise: beginner, intermediate or expert, optionally with a domain (expert:python)
- diet: vegetarian, vegan, pescatarian, gluten_free, halal, kosher or another diet in snake_case
- allergy: what the user is allergic to
- location: where the user lives, as stated
- occupation: as stated
- timezone: IANA name or UTC offset
- likes:<thing>: the thing, as stated (likes:jazz with value jazz)
- dislikes:<thing>: the thing, as stated

Rules:
- Only what the user states about themselves and that lasts. Nothing about other people ("my sister is vegan"), nothing from questions ("is it healthy to be vegetarian?"), hypotheticals ("if I were vegan"), quoted words ("she said 'I love jazz'") or one-off tasks ("write a short poem").
- Requests about how to be answered count ("please reply in German", "keep it short").
- A change sets the new value ("I moved to Berlin"); "I'm no longer vegetarian" or "I've stopped liking coffee" retracts.
- Copy names, places, occupations, allergies and things liked exactly as the user wrote them.)";

constexpr std::string_view kLikes = "likes:";
constexpr std::string_view kDislikes = "dislikes:";

enum class ValueKind { kText, kChoice, kDiet, kWord, kLanguageTag, kTimezone, kExpertise };

struct KeyRule {
  std::string_view key;
  ValueKind kind;
  std::string_view choices = {};  // kChoice: the values, separated by spaces
};

// API.md's keys (likes:<thing> and dislikes:<thing> apart).
constexpr KeyRule kKeys[] = {
    {"name", ValueKind::kText},
    {"pronouns", ValueKind::kText},
    {"language", ValueKind::kLanguageTag},
    {"response_length", ValueKind::kChoice, "concise detailed"},
    {"formality", ValueKind::kChoice, "formal casual"},
    {"tone", ValueKind::kWord},
    {"format", ValueKind::kChoice, "bullet_points prose step_by_step code_first tables"},
    {"emoji", ValueKind::kChoice, "avoid welcome"},
    {"expertise", ValueKind::kExpertise},
    {"diet", ValueKind::kDiet},
    {"allergy", ValueKind::kText},
    {"location", ValueKind::kText},
    {"occupation", ValueKind::kText},
    {"timezone", ValueKind::kTimezone},
};
constexpr KeyRule kThing = {"", ValueKind::kText};  // what likes:/dislikes: name
constexpr std::size_t kMaxWordBytes = 32;

std::string_view Trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

bool HasControl(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

bool IsChoice(std::string_view value, std::string_view choices) {
  while (!choices.empty()) {
    const auto space = choices.find(' ');
    if (choices.substr(0, space) == value) return true;
    if (space == std::string_view::npos) break;
    choices.remove_prefix(space + 1);
  }
  return false;
}

// "pt-br" → "pt-BR": a language, then at most two subtags of 2 to 8 letters or digits.
std::optional<std::string> LanguageTag(std::string_view value) {
  std::string tag;
  int part = 0;
  while (true) {
    const auto dash = value.find('-');
    const std::string_view subtag = value.substr(0, dash);
    const bool letters = std::all_of(subtag.begin(), subtag.end(), IsAsciiLetter);
    const bool alphanumeric = std::all_of(
        subtag.begin(), subtag.end(), [](char c) { return IsAsciiLetter(c) || IsAsciiDigit(c); });
    if (part == 0 && (!letters || subtag.size() < 2 || subtag.size() > 3)) return std::nullopt;
    if (part > 0 && (!alphanumeric || subtag.size() < 2 || subtag.size() > 8)) return std::nullopt;
    if (part > 2) return std::nullopt;
    std::string normal = preferences::LowerAscii(subtag);
    if (part > 0 && letters && normal.size() == 2) {  // a region: upper case
      for (char& c : normal) c = static_cast<char>(c - 'a' + 'A');
    }
    if (part > 0) tag += '-';
    tag += normal;
    if (dash == std::string_view::npos) return tag;
    value.remove_prefix(dash + 1);
    ++part;
  }
}

bool IsTimezone(std::string_view value) {
  if (value.size() > 40) return false;
  const bool charset = std::all_of(value.begin(), value.end(), [](char c) {
    return IsAsciiLetter(c) || IsAsciiDigit(c) || c == '_' || c == '+' || c == '-' || c == '/' ||
           c == ':';
  });
  return charset && (value.find('/') != std::string_view::npos || value.starts_with("UTC") ||
                     value.starts_with("GMT") || value.starts_with('+') || value.starts_with('-'));
}

// "Expert: Python" → "expert:python".
std::optional<std::string> Expertise(std::string_view value) {
  const auto colon = value.find(':');
  const std::string level = preferences::LowerAscii(Trimmed(value.substr(0, colon)));
  if (!IsChoice(level, "beginner intermediate expert")) return std::nullopt;
  if (colon == std::string_view::npos) return level;
  const std::string domain = preferences::SnakeCase(value.substr(colon + 1));
  if (domain.empty() || domain.size() > kMaxWordBytes) return std::nullopt;
  return level + ":" + domain;
}

// `value` as kept for `rule`, or nullopt when it is not one of the rule's values. Free text
// must be found in `turn` (ASCII letters compared without case): the model copies, never
// makes up, a name or a place.
std::optional<std::string> CheckedValue(const KeyRule& rule, std::string_view value,
                                        std::string_view turn, std::size_t max_bytes) {
  value = Trimmed(value);
  if (value.empty() || value.size() > max_bytes || HasControl(value)) return std::nullopt;
  const std::string lower = preferences::LowerAscii(value);
  switch (rule.kind) {
    case ValueKind::kText:
      if (preferences::LowerAscii(turn).find(lower) == std::string::npos) return std::nullopt;
      return std::string(value);
    case ValueKind::kChoice:
      if (!IsChoice(lower, rule.choices)) return std::nullopt;
      return lower;
    case ValueKind::kDiet: {
      std::string diet = preferences::SnakeCase(value);
      if (diet.empty() || diet.size() > kMaxWordBytes) return std::nullopt;
      return diet;
    }
    case ValueKind::kWord:
      if (lower.size() < 2 || lower.size() > kMaxWordBytes ||
          !std::all_of(lower.begin(), lower.end(), IsAsciiLetter)) {
        return std::nullopt;
      }
      return lower;
    case ValueKind::kLanguageTag:
      return LanguageTag(value);
    case ValueKind::kTimezone:
      if (!IsTimezone(value)) return std::nullopt;
      return std::string(value);
    case ValueKind::kExpertise:
      return Expertise(value);
  }
  return std::nullopt;
}

const KeyRule* RuleOf(std::string_view key) {
  for (const KeyRule& rule : kKeys) {
    if (rule.key == key) return &rule;
  }
  return nullptr;
}

template <typename T>
const T* FieldOf(const embed::JsonRecord& record, std::string_view name, bool& wrong_type) {
  auto found = record.find(name);
  if (found == record.end() || std::holds_alternative<std::nullptr_t>(found->second)) {
    return nullptr;
  }
  const T* value = std::get_if<T>(&found->second);
  if (value == nullptr) wrong_type = true;
  return value;
}

// The observation `record` states about one of `turns`, or nullopt when it breaks a rule.
std::optional<std::pair<std::size_t, PreferenceObservation>> Checked(
    const embed::JsonRecord& record, std::span<const model::Message* const> turns,
    const LlmExtractorOptions& options) {
  for (const auto& [field, value] : record) {
    if (field != "turn" && field != "key" && field != "value" && field != "retract") {
      return std::nullopt;
    }
  }
  bool wrong_type = false;
  const double* turn_number = FieldOf<double>(record, "turn", wrong_type);
  const std::string* key = FieldOf<std::string>(record, "key", wrong_type);
  const std::string* value = FieldOf<std::string>(record, "value", wrong_type);
  const bool* retract = FieldOf<bool>(record, "retract", wrong_type);
  if (wrong_type || turn_number == nullptr || key == nullptr) return std::nullopt;
  if (*turn_number < 1 || *turn_number > static_cast<double>(turns.size()) ||
      *turn_number != static_cast<double>(static_cast<std::size_t>(*turn_number))) {
    return std::nullopt;
  }
  const auto index = static_cast<std::size_t>(*turn_number) - 1;
  const model::Message& turn = *turns[index];
  PreferenceObservation observation;
  observation.retract = retract != nullptr && *retract;
  observation.confidence = options.confidence;
  observation.evidence_id = turn.id;
  const std::string_view stated = value != nullptr ? std::string_view(*value) : "";
  if (Trimmed(stated).empty() && !observation.retract) return std::nullopt;

  const std::string_view prefix = key->starts_with(kLikes)      ? kLikes
                                  : key->starts_with(kDislikes) ? kDislikes
                                                                : std::string_view();
  const KeyRule* rule = prefix.empty() ? RuleOf(*key) : &kThing;
  if (rule == nullptr) return std::nullopt;
  if (!Trimmed(stated).empty()) {
    std::optional<std::string> checked =
        CheckedValue(*rule, stated, turn.content, options.max_value_bytes);
    if (!checked) return std::nullopt;
    observation.value = std::move(*checked);
  }
  // A thing's key is made from the thing, as the built-in rules make it, so both name a
  // thing alike; a retraction may name the thing by its key alone.
  observation.key = prefix.empty() ? *key
                    : observation.value.empty()
                        ? *key
                        : std::string(prefix) + preferences::SnakeCase(observation.value);
  if (!model::IsValidPreferenceKey(observation.key) || observation.key == prefix) {
    return std::nullopt;
  }
  observation.category = std::string(model::DefaultPreferenceCategory(observation.key));
  return std::make_pair(index, std::move(observation));
}

// `text` on one line, for the numbered list of the request.
std::string OneLine(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return text;
}

}  // namespace

void LlmPreferenceExtractor::Ask(std::span<const model::Message* const> turns,
                                 ModelExtraction& extraction) const {
  ++extraction.requests;
  std::string request = "Messages:\n";
  for (std::size_t i = 0; i < turns.size(); ++i) {
    request += "[" + std::to_string(i + 1) + "] " +
               OneLine(TruncateToTokens(turns[i]->content, options_.max_turn_tokens)) + "\n";
  }
  Result<std::string> answer = model_.Complete(kSystemPrompt, request, options_.max_answer_tokens);
  Result<embed::JsonRecords> records = answer.ok()
                                           ? embed::ParseJsonRecords(*answer, "observations")
                                           : Result<embed::JsonRecords>(answer.status());
  if (!records.ok()) {
    ++extraction.failed;
    extraction.last_failure = records.status().code();
    return;
  }
  extraction.rejected += records->skipped;
  std::vector<std::pair<std::size_t, PreferenceObservation>> kept;
  std::set<std::pair<std::size_t, std::string>> seen;  // one observation per turn and key
  for (const embed::JsonRecord& record : records->records) {
    auto checked = Checked(record, turns, options_);
    if (!checked || !seen.emplace(checked->first, checked->second.key).second) {
      ++extraction.rejected;
      continue;
    }
    kept.push_back(std::move(*checked));
  }
  std::stable_sort(kept.begin(), kept.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [index, observation] : kept) extraction.observations.push_back(std::move(observation));
}

ModelExtraction LlmPreferenceExtractor::Extract(std::span<const model::Message> turns) const {
  constexpr int kPerTurn = 4;  // the turn's number
  std::vector<const model::Message*> user_turns;
  std::vector<std::string_view> contents;
  for (const model::Message& turn : turns) {
    if (turn.role != model::Role::kUser) continue;
    user_turns.push_back(&turn);
    contents.push_back(turn.content);
  }
  ModelExtraction extraction;
  const std::span<const model::Message* const> all(user_turns);
  std::size_t first = 0;
  while (first < all.size()) {
    const std::size_t end = RequestBatchEnd(contents, first, options_.max_input_tokens,
                                            options_.max_turn_tokens, kPerTurn);
    Ask(all.subspan(first, end - first), extraction);
    first = end;
  }
  return extraction;
}

}  // namespace loci::service
