// Rules for diet and allergy.
#include <array>
#include <string>
#include <utility>

#include "service/preferences/rules.h"

namespace loci::service::preferences {
namespace {

// The diet named at word `at` ("vegan", "gluten-free" as two words), or empty.
std::string_view DietAt(const Clause& clause, std::size_t at) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kOneWord = {{
      {"vegetarian", "vegetarian"},
      {"veggie", "vegetarian"},
      {"vegan", "vegan"},
      {"pescatarian", "pescatarian"},
      {"pescetarian", "pescatarian"},
      {"halal", "halal"},
      {"kosher", "kosher"},
      {"keto", "keto"},
      {"paleo", "paleo"},
  }};
  if (at >= clause.size()) return {};
  if (clause.IsAny(at + 1, {"free", "intolerant"})) {
    if (clause.Is(at, "gluten")) return "gluten_free";
    if (clause.Is(at, "dairy")) return "dairy_free";
    if (clause.Is(at, "lactose")) return "lactose_free";
  }
  // Coeliac disease rules out gluten.
  if (clause.IsAny(at, {"coeliac", "celiac"}) && !clause.Is(at + 1, "disease")) {
    return "gluten_free";
  }
  if (clause.Is(at, "plant") && clause.Is(at + 1, "based")) return "plant_based";
  for (const auto& [word, diet] : kOneWord) {
    if (NearlyIs(clause.at(at), word)) return diet;
  }
  return {};
}

// "I don't eat meat", "I stopped eating meat", "I gave up meat": vegetarian, implied.
bool GaveUpMeat(const Clause& clause) {
  for (std::initializer_list<std::string_view> phrase :
       {std::initializer_list<std::string_view>{"i", "do", "not", "eat", "meat"},
        {"i", "stopped", "eating", "meat"},
        {"i", "have", "stopped", "eating", "meat"},
        {"i", "gave", "up", "meat"},
        {"i", "have", "given", "up", "meat"},
        {"i", "quit", "eating", "meat"},
        {"i", "never", "eat", "meat"}}) {
    if (clause.Has(phrase)) return true;
  }
  return false;
}

// Words that may stand between the user and their diet: "I am a strict vegan", "I've been a
// vegetarian", "I went vegan", "I only eat halal", "I keep kosher".
const std::initializer_list<std::string_view> kDietVerbs = {
    "am",   "are",    "been", "went", "became", "become", "turned", "gone",  "eat",
    "keep", "follow", "stay", "be",   "was",    "being",  "doing",  "trying"};
const std::initializer_list<std::string_view> kDietFillers = {
    "a",    "an",      "strict", "strictly", "fully",  "mostly",  "only",     "100",   "completely",
    "have", "no",      "longer", "not",      "used",   "to",      "really",   "still", "both",
    "quit", "stopped", "on",     "also",     "pretty", "totally", "basically"};

void ReadDiet(const Clause& clause, Findings& found) {
  if (GaveUpMeat(clause)) {
    found.Set("diet", "vegetarian", kImplied);
    return;
  }
  // "I eat meat again now", "I've started eating meat again".
  if (clause.Has({"i"}) && clause.Has({"meat"}) &&
      (SaysNoLonger(clause) || clause.Has({"again"}))) {
    found.Retract("diet");
    return;
  }
  for (std::size_t at = 0; at < clause.size(); ++at) {
    std::string_view diet = DietAt(clause, at);
    if (diet.empty()) continue;
    // "As a vegan, …"
    if (at >= 2 && clause.Is(at - 2, "as") && clause.Is(at - 1, "a") && at == 2) {
      found.Set("diet", std::string(diet));
      return;
    }
    // Walk back over fillers to a diet verb, then to "I" / "we".
    std::size_t i = at;
    bool verb = false;
    while (i > 0 && (In(clause.at(i - 1), kDietFillers) || In(clause.at(i - 1), kDietVerbs))) {
      verb = verb || In(clause.at(i - 1), kDietVerbs);
      --i;
    }
    if (!verb || i == 0 || !clause.IsAny(i - 1, {"i", "we"})) continue;
    if (SaysNoLonger(clause)) {
      found.Retract("diet", std::string(diet));
    } else if (!NegatedBefore(clause, at, at - i + 1)) {
      found.Set("diet", std::string(diet));
    }
    return;
  }
}

const std::initializer_list<std::string_view> kSeverity = {
    "severe",      "mild", "bad", "serious", "slight", "terrible", "strong", "life",
    "threatening", "food", "an",  "a",       "got",    "really",   "pretty"};
// Words after "and" that start a new statement rather than another allergen.
const std::initializer_list<std::string_view> kNotAllergens = {
    "i",   "my",   "we",   "it",   "so",   "can",  "have", "has",  "am",   "is",
    "get", "need", "want", "also", "then", "they", "you",  "will", "would"};

// The allergens named from word `first`: "peanuts", "tree nuts", "pollen and dust"; words such
// as "both" before them are left out.
std::string AllergenAt(const Clause& clause, std::size_t first) {
  if (clause.IsAny(first, {"both", "all"})) ++first;
  std::size_t last = Clause::npos;
  for (std::size_t i = first; i < clause.size() && i < first + 5; ++i) {
    bool joins = clause.Is(i, "and") && i + 1 < clause.size() &&
                 !clause.IsAny(i + 1, kNotAllergens) && !In(clause.at(i + 1), kValueStops);
    if (In(clause.at(i), kValueStops) && !joins) break;
    last = i;
    if (clause.words[i].comma_after) break;
  }
  if (last == Clause::npos || clause.IsAny(first, {"it", "them", "that", "this"})) return {};
  return LowerAscii(clause.Span(first, last));
}

// The allergen of "I'm allergic" stated in the clause before: "I can't have dairy, I'm
// allergic", "Shellfish makes me swell up, I'm allergic".
std::string AllergenBefore(const Clause& clause) {
  Clause before{.sentence = clause.sentence, .words = clause.before};
  if (std::size_t at = before.Find({"i", "can", "not"});
      at != Clause::npos && before.IsAny(at + 3, {"have", "eat", "drink", "take"})) {
    return AllergenAt(before, at + 4);
  }
  for (std::size_t verb = 1; verb < before.size() && verb <= 3; ++verb) {
    if (before.IsAny(verb, {"makes", "make", "gives", "give"}) && before.Is(verb + 1, "me")) {
      return LowerAscii(before.Span(0, verb - 1));
    }
  }
  return {};
}

std::size_t FindAllergic(const Clause& clause) {
  for (std::size_t i = 0; i < clause.size(); ++i) {
    if (NearlyIs(clause.at(i), "allergic")) return i;
  }
  return Clause::npos;
}

void ReadAllergy(const Clause& clause, Findings& found) {
  std::size_t allergic = FindAllergic(clause);
  if (allergic != Clause::npos) {
    std::size_t me = clause.Find({"i", "am"});
    if (me == Clause::npos || me > allergic) return;
    if (SaysNoLonger(clause) || NegatedBefore(clause, allergic, allergic - me)) {
      if (SaysNoLonger(clause)) found.Retract("allergy");
      return;
    }
    std::string allergen;
    if (clause.Is(allergic + 1, "to")) allergen = AllergenAt(clause, allergic + 2);
    if (allergen.empty()) allergen = AllergenBefore(clause);
    if (!allergen.empty()) found.Set("allergy", std::move(allergen));
    return;
  }
  // "I have a severe nut allergy", "I've got a peanut allergy", "I have allergies to pollen".
  std::size_t have = clause.Find({"i", "have"});
  if (have == Clause::npos) return;
  for (std::size_t at = have + 2; at < clause.size(); ++at) {
    if (!clause.IsAny(at, {"allergy", "allergies"})) continue;
    if (clause.Is(at + 1, "to")) {
      std::string allergen = AllergenAt(clause, at + 2);
      if (!allergen.empty()) found.Set("allergy", std::move(allergen));
      return;
    }
    std::size_t first = have + 2;
    while (first < at && In(clause.at(first), kSeverity)) ++first;
    if (first >= at || at - first > 3) return;
    found.Set("allergy", LowerAscii(clause.Span(first, at - 1)));
    return;
  }
}

}  // namespace

void ReadFood(const Clause& clause, Findings& found) {
  if (clause.subject == Subject::kOther) return;
  ReadDiet(clause, found);
  ReadAllergy(clause, found);
}

}  // namespace loci::service::preferences
