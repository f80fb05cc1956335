// Rules for occupation and expertise.
#include <string>

#include "service/preferences/rules.h"

namespace loci::service::preferences {
namespace {

// The last word of an occupation as people state it ("high school teacher").
const std::initializer_list<std::string_view> kOccupations = {
    "nurse",        "teacher",       "engineer",      "developer",    "programmer",
    "doctor",       "physician",     "surgeon",       "architect",    "accountant",
    "photographer", "pharmacist",    "librarian",     "lawyer",       "attorney",
    "designer",     "writer",        "author",        "journalist",   "student",
    "analyst",      "manager",       "pilot",         "chef",         "cook",
    "scientist",    "researcher",    "consultant",    "dentist",      "therapist",
    "electrician",  "plumber",       "carpenter",     "mechanic",     "farmer",
    "artist",       "musician",      "professor",     "lecturer",     "nanny",
    "cashier",      "waiter",        "waitress",      "bartender",    "barista",
    "paramedic",    "firefighter",   "translator",    "editor",       "economist",
    "veterinarian", "vet",           "psychologist",  "entrepreneur", "freelancer",
    "intern",       "administrator", "secretary",     "receptionist", "tutor",
    "coach",        "actor",         "actress",       "dancer",       "salesperson",
    "driver",       "banker",        "trader",        "biologist",    "chemist",
    "physicist",    "technician",    "mathematician", "statistician", "officer",
    "clerk",        "caregiver",     "midwife",       "radiologist",  "surveyor",
    "welder",       "janitor",       "baker",         "butcher",      "illustrator",
    "animator",     "producer",      "director",      "sysadmin",     "administrator"};

std::string_view LevelOf(std::string_view word) {
  if (In(word, {"beginner", "novice", "newbie", "new"})) return "beginner";
  if (word == "intermediate") return "intermediate";
  if (In(word, {"expert", "advanced", "pro"})) return "expert";
  return {};
}

const std::initializer_list<std::string_view> kDomainStops = {
    "so",  "and",   "but",    "skip", "for", "professionally", "please", "now",
    "yet", "since", "though", "i",    "at",  "because",        "which"};

// The domain that starts at word `at` ("Python", "machine learning", "C++"), lower-cased, with
// a trailing "+" or "#" the tokenizer leaves out; empty when none.
std::string DomainAt(const Clause& clause, std::size_t at) {
  std::size_t last = ValueEnd(clause, at, kDomainStops, 3);
  if (last == Clause::npos) return {};
  std::size_t end = clause.words[last].end;
  while (end < clause.sentence.size() &&
         (clause.sentence[end] == '+' || clause.sentence[end] == '#')) {
    ++end;
  }
  std::size_t begin = clause.words[at].begin;
  return LowerAscii(clause.sentence.substr(begin, end - begin));
}

// "… for 15 years", "… for ten years": at least five years.
bool ManyYears(const Clause& clause, std::size_t from) {
  for (std::size_t i = clause.Find({"for"}, from); i != Clause::npos;
       i = clause.Find({"for"}, i + 1)) {
    if (!clause.Is(i + 2, "years")) continue;
    const std::string& n = clause.at(i + 1);
    if (In(n, {"five", "six", "seven", "eight", "nine", "ten", "many", "decades", "twenty"})) {
      return true;
    }
    if (!n.empty() && n.find_first_not_of("0123456789") == std::string::npos && n.size() < 4 &&
        std::stoi(n) >= 5) {
      return true;
    }
  }
  return false;
}

void ReadOccupation(const Clause& clause, Findings& found) {
  bool over = SaysNoLonger(clause);
  if (clause.Has({"quit", "my", "job"}) || clause.Has({"i", "retired"})) {
    found.Retract("occupation");
    return;
  }
  for (std::initializer_list<std::string_view> anchor :
       {std::initializer_list<std::string_view>{"i", "work", "as"},
        {"i", "am"},
        {"my", "job", "is"},
        {"i", "am", "working", "as"}}) {
    for (std::size_t at = clause.Find(anchor); at != Clause::npos;
         at = clause.Find(anchor, at + 1)) {
      std::size_t i = at + anchor.size();
      bool negated = clause.IsAny(i, {"not", "no"});
      if (negated) i += clause.Is(i, "no") && clause.Is(i + 1, "longer") ? 2 : 1;
      bool article = clause.IsAny(i, {"a", "an"});
      if (article) ++i;
      if (!article && anchor.size() == 2) continue;  // "I am tired", not "I am a nurse"
      for (std::size_t k = i; k < clause.size() && k < i + 4; ++k) {
        if (In(clause.at(k), kValueStops) || In(clause.at(k), {"of", "in", "to"})) break;
        if (In(clause.at(k), kOccupations)) {
          if (negated && over) {
            found.Retract("occupation", std::string(clause.Span(i, k)));
          } else if (!negated) {
            found.Set("occupation", LowerAscii(clause.Span(i, k)));
          }
          break;
        }
        if (clause.words[k].comma_after) break;
      }
    }
  }
}

void ReadExpertise(const Clause& clause, Findings& found) {
  for (std::size_t at = clause.Find({"i", "am"}); at != Clause::npos;
       at = clause.Find({"i", "am"}, at + 1)) {
    std::size_t i = at + 2;
    while (clause.IsAny(i, {"a", "an", "complete", "total", "absolute", "fairly", "pretty", "quite",
                            "very", "relatively", "still", "just", "really", "only"})) {
      ++i;
    }
    std::string_view level = LevelOf(i < clause.size() ? clause.at(i) : "");
    if (level.empty()) continue;
    if (clause.Is(i, "new") && !clause.Is(i + 1, "to")) continue;
    std::string value(level);
    if (clause.IsAny(i + 1, {"at", "in", "with", "on", "to"})) {
      std::string domain = DomainAt(clause, i + 2);
      if (!domain.empty()) value += ":" + domain;
    }
    found.Set("expertise", std::move(value));
    return;
  }
  if (std::size_t at = clause.Find({"assume", "i", "am"}); at != Clause::npos) {
    std::size_t i = at + 3 + (clause.IsAny(at + 3, {"a", "an"}) ? 1 : 0);
    std::string_view level = LevelOf(i < clause.size() ? clause.at(i) : "");
    if (!level.empty()) found.Set("expertise", std::string(level));
    return;
  }
  // "I have intermediate knowledge of statistics"
  if (std::size_t at = clause.Find({"knowledge", "of"});
      at != Clause::npos && at >= 1 && clause.Has({"i", "have"})) {
    std::string_view level = LevelOf(clause.at(at - 1));
    if (level == "intermediate" || (level.empty() && clause.Is(at - 1, "basic"))) {
      std::string domain = DomainAt(clause, at + 2);
      std::string value(level.empty() ? "beginner" : level);
      if (!domain.empty()) value += ":" + domain;
      found.Set("expertise", std::move(value));
      return;
    }
  }
  // "I've been writing C++ professionally for 15 years"
  if (std::size_t at = clause.Find({"i", "have", "been"});
      at != Clause::npos &&
      clause.IsAny(at + 3, {"writing", "using", "programming", "coding", "doing", "teaching",
                            "practicing", "practising"})) {
    std::size_t d = at + 4 + (clause.Is(at + 4, "in") ? 1 : 0);
    std::string domain = DomainAt(clause, d);
    if (!domain.empty() && ManyYears(clause, d)) {
      found.Set("expertise", "expert:" + domain, kImplied);
    }
  }
}

}  // namespace

void ReadWork(const Clause& clause, Findings& found) {
  if (clause.subject == Subject::kOther) return;
  ReadOccupation(clause, found);
  ReadExpertise(clause, found);
}

}  // namespace loci::service::preferences
