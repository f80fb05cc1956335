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
  if (clause.Is(at + 1, "free")) {
    if (clause.Is(at, "gluten")) return "gluten_free";
    if (clause.Is(at, "dairy")) return "dairy_free";
    if (clause.Is(at, "lactose")) return "lactose_free";
  }
  if (clause.Is(at, "plant") && clause.Is(at + 1, "based")) return "plant_based";
  for (const auto& [word, diet] : kOneWord) {
    if (clause.at(at) == word) return diet;
  }
  return {};
}

// Words that may stand between the user and their diet: "I am a strict vegan", "I've been a
// vegetarian", "I went vegan", "I only eat halal", "I keep kosher".
const std::initializer_list<std::string_view> kDietVerbs = {
    "am",   "are", "been", "went",   "became", "become", "turned",
    "gone", "eat", "keep", "follow", "stay",   "be",     "was"};
const std::initializer_list<std::string_view> kDietFillers = {
    "a",    "an", "strict", "strictly", "fully", "mostly", "only",   "100",  "completely",
    "have", "no", "longer", "not",      "used",  "to",     "really", "still"};

void ReadDiet(const Clause& clause, Findings& found) {
  if (clause.Has({"i", "do", "not", "eat", "meat"})) {
    found.Set("diet", "vegetarian", kImplied);
    return;
  }
  if (clause.Has({"i", "eat", "meat"}) && SaysNoLonger(clause)) {
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
    "severe", "mild", "bad",         "serious", "slight", "terrible",
    "strong", "life", "threatening", "food",    "an",     "a"};

std::string AllergenAt(const Clause& clause, std::size_t first) {
  std::size_t last = ValueEnd(clause, first, kValueStops, 4);
  if (last == Clause::npos) return {};
  return LowerAscii(clause.Span(first, last));
}

void ReadAllergy(const Clause& clause, Findings& found) {
  std::size_t allergic = clause.Find({"allergic"});
  if (allergic != Clause::npos) {
    std::size_t me = clause.Find({"i", "am"});
    if (me == Clause::npos || me > allergic) return;
    if (SaysNoLonger(clause) || NegatedBefore(clause, allergic, allergic - me)) {
      if (SaysNoLonger(clause)) found.Retract("allergy");
      return;
    }
    std::string allergen;
    if (clause.Is(allergic + 1, "to")) {
      allergen = AllergenAt(clause, allergic + 2);
    } else if (std::size_t have = clause.Find({"i", "can", "not"});
               have != Clause::npos && clause.IsAny(have + 3, {"have", "eat", "drink", "take"})) {
      allergen = AllergenAt(clause, have + 4);  // "I can't have dairy, I'm allergic."
    }
    if (!allergen.empty()) found.Set("allergy", std::move(allergen));
    return;
  }
  // "I have a severe nut allergy"
  for (std::string_view noun : {"allergy", "allergies"}) {
    std::size_t at = clause.Find({noun});
    if (at == Clause::npos || !clause.Has({"i", "have"})) continue;
    std::size_t first = clause.Find({"i", "have"}) + 2;
    while (first < at && In(clause.at(first), kSeverity)) ++first;
    if (first >= at || at - first > 3) continue;
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
