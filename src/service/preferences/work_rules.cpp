// Rules for occupation and expertise.
#include <array>
#include <string>
#include <utility>

#include "service/preferences/rules.h"

namespace loci::service::preferences {
namespace {

// The last word of an occupation as people state it ("high school teacher").
const std::initializer_list<std::string_view> kOccupations = {
    "nurse",         "teacher",      "engineer",     "developer",
    "programmer",    "doctor",       "physician",    "surgeon",
    "architect",     "accountant",   "photographer", "pharmacist",
    "librarian",     "lawyer",       "attorney",     "designer",
    "writer",        "author",       "journalist",   "student",
    "analyst",       "manager",      "pilot",        "chef",
    "cook",          "scientist",    "researcher",   "consultant",
    "dentist",       "therapist",    "electrician",  "plumber",
    "carpenter",     "mechanic",     "farmer",       "artist",
    "musician",      "professor",    "lecturer",     "nanny",
    "cashier",       "waiter",       "waitress",     "bartender",
    "barista",       "paramedic",    "firefighter",  "translator",
    "editor",        "economist",    "veterinarian", "vet",
    "psychologist",  "entrepreneur", "freelancer",   "intern",
    "administrator", "secretary",    "receptionist", "tutor",
    "coach",         "actor",        "actress",      "dancer",
    "salesperson",   "driver",       "banker",       "trader",
    "biologist",     "chemist",      "physicist",    "technician",
    "mathematician", "statistician", "officer",      "clerk",
    "caregiver",     "midwife",      "radiologist",  "surveyor",
    "welder",        "janitor",      "baker",        "butcher",
    "illustrator",   "animator",     "producer",     "director",
    "sysadmin",      "practitioner", "solicitor",    "barrister",
    "paralegal",     "worker",       "assistant",    "specialist",
    "instructor",    "trainer",      "cleaner",      "courier",
    "builder",       "gardener",     "optometrist",  "pediatrician",
    "paediatrician", "hairdresser",  "barber",       "stylist",
    "copywriter",    "marketer",     "recruiter",    "founder",
    "executive",     "realtor",      "broker",       "auditor",
    "bookkeeper",    "soldier",      "detective",    "judge",
    "priest",        "pastor",       "coder",        "postdoc",
    "carer",         "homemaker",    "housewife",    "strategist",
    "controller",    "nutritionist", "dietitian",    "physiotherapist",
    "machinist",     "operator",     "inspector",    "geologist",
    "archaeologist", "historian",    "curator",      "planner",
    "underwriter",   "actuary",      "investigator", "ranger",
    "firefighter",   "dev"};

std::string_view LevelOf(std::string_view word) {
  if (In(word, {"beginner", "novice", "newbie", "new", "noob", "newcomer"})) return "beginner";
  if (word == "intermediate") return "intermediate";
  if (In(word, {"expert", "advanced", "pro", "experienced", "seasoned", "veteran"})) {
    return "expert";
  }
  return {};
}

const std::initializer_list<std::string_view> kDomainStops = {
    "so",  "and",   "but",    "skip", "for",  "professionally", "please", "now",
    "yet", "since", "though", "i",    "at",   "because",        "which",  "to",
    "as",  "when",  "really", "very", "well", "right",          "lately"};
// Who practises a domain: "an intermediate Spanish learner", "a seasoned Java developer".
const std::initializer_list<std::string_view> kPractitioners = {
    "learner", "user",  "programmer", "developer",    "player", "speaker",  "student",
    "cook",    "coder", "engineer",   "photographer", "writer", "designer", "analyst"};
// What people say to mark an early stage: "I'm still learning JavaScript", "I just started
// learning the guitar", "I'm trying to learn Python".
const std::initializer_list<std::initializer_list<std::string_view>> kEarlyLearning = {
    {"still", "learning"}, {"started", "learning"}, {"trying", "to", "learn"},
    {"just", "learning"},  {"began", "learning"},   {"started", "to", "learn"}};

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

// "I got laid off", "I left my job", "I'm retired": the user has no occupation now.
bool LeftWork(const Clause& clause) {
  for (std::initializer_list<std::string_view> phrase :
       {std::initializer_list<std::string_view>{"quit", "my", "job"},
        {"left", "my", "job"},
        {"lost", "my", "job"},
        {"laid", "off"},
        {"i", "retired"},
        {"between", "jobs"},
        {"out", "of", "work"}}) {
    if (clause.Has(phrase)) return true;
  }
  // "I'm retired", "I'm currently unemployed"
  std::size_t am = clause.Find({"i", "am"});
  if (am == Clause::npos) return false;
  std::size_t state = am + 2;
  while (clause.IsAny(state, {"currently", "now", "still", "officially", "just"})) ++state;
  return clause.IsAny(state, {"retired", "unemployed", "jobless"});
}

// Where a stated occupation may begin. After "I am" it needs an article ("I am tired" states
// none); after "my job is" or "I work as" it does not.
struct OccupationStart {
  std::size_t at;
  bool needs_article;
};

// "I'm a nurse", "I'm Rosa, a vet", "My job title is …", "I work from home in Bristol as …".
std::vector<OccupationStart> OccupationStarts(const Clause& clause) {
  std::vector<OccupationStart> starts;
  for (std::size_t at = clause.Find({"i", "am"}); at != Clause::npos;
       at = clause.Find({"i", "am"}, at + 1)) {
    std::size_t i = at + 2;
    if (i < clause.size() && clause.words[i].capitalized && clause.words[i].comma_after) ++i;
    starts.push_back({i, true});
  }
  for (std::initializer_list<std::string_view> anchor :
       {std::initializer_list<std::string_view>{"my", "job", "is"},
        {"my", "job", "title", "is"},
        {"my", "role", "is"}}) {
    if (std::size_t at = clause.Find(anchor); at != Clause::npos) {
      starts.push_back({at + anchor.size(), false});
    }
  }
  for (std::size_t as = clause.Find({"as"}); as != Clause::npos; as = clause.Find({"as"}, as + 1)) {
    for (std::size_t k = as > 6 ? as - 6 : 0; k < as; ++k) {
      // "I work as", "I've worked as" (and still do), "I'm working as", "I'm employed as".
      bool works =
          clause.Is(k, "i") &&
          (clause.Is(k + 1, "work") || (clause.Is(k + 1, "have") && clause.Is(k + 2, "worked")) ||
           (clause.Is(k + 1, "am") && clause.IsAny(k + 2, {"working", "employed"})));
      if (works) {
        starts.push_back({as + 1, false});
        break;
      }
    }
  }
  return starts;
}

void ReadOccupation(const Clause& clause, Findings& found) {
  bool over = SaysNoLonger(clause);
  if (LeftWork(clause)) {
    found.Retract("occupation");
    return;
  }
  for (auto [i, needs_article] : OccupationStarts(clause)) {
    bool negated = clause.IsAny(i, {"not", "no"});
    if (negated) i += clause.Is(i, "no") && clause.Is(i + 1, "longer") ? 2 : 1;
    bool article = clause.IsAny(i, {"a", "an"});
    if (article) ++i;
    if (needs_article && !article) continue;
    for (std::size_t k = i; k < clause.size() && k < i + 4; ++k) {
      if (In(clause.at(k), kValueStops) || In(clause.at(k), {"of", "in", "to"})) break;
      if (In(clause.at(k), kOccupations)) {
        while (k + 1 < clause.size() && In(clause.at(k + 1), kOccupations) &&
               !clause.words[k].comma_after) {
          ++k;  // "nurse practitioner"
        }
        // "a seasoned Java developer" is a Java developer (and an expert, read below).
        while (i < k && In(clause.at(i), {"seasoned", "experienced", "veteran"})) ++i;
        if (clause.Find({"retired"}, i) < k) {
          found.Retract("occupation");  // "I'm a retired engineer"
        } else if (negated && over) {
          found.Retract("occupation", std::string(clause.Span(i, k)));
        } else if (!negated) {
          found.Set("occupation", LowerAscii(clause.Span(i, k)));
        }
        return;
      }
      if (clause.words[k].comma_after) break;
    }
  }
}

// The domain of the level word at `level`: "beginner at chess", "beginner when it comes to
// cooking", "intermediate Spanish learner"; empty when none is named.
std::string LevelDomain(const Clause& clause, std::size_t level) {
  if (clause.IsAny(level + 1, {"at", "in", "with", "on", "to"})) {
    return DomainAt(clause, level + 2);
  }
  if (clause.Is(level + 1, "when") && clause.Is(level + 2, "it") && clause.Is(level + 4, "to")) {
    return DomainAt(clause, level + 5);
  }
  for (std::size_t k = level + 2; k <= level + 3 && k < clause.size(); ++k) {
    if (In(clause.at(k), kPractitioners)) {
      return LowerAscii(clause.Span(level + 1, k - 1));
    }
  }
  return {};
}

// The number of years stated just before word `years`, or 0: "15 years", "ten years"
// ("many years" counts as ten).
int YearsBefore(const Clause& clause, std::size_t years) {
  if (years == 0 || !clause.IsAny(years, {"years", "yrs"})) return 0;
  const std::string& n = clause.at(years - 1);
  static constexpr std::array<std::pair<std::string_view, int>, 11> kNumbers = {{{"two", 2},
                                                                                 {"three", 3},
                                                                                 {"four", 4},
                                                                                 {"five", 5},
                                                                                 {"six", 6},
                                                                                 {"seven", 7},
                                                                                 {"eight", 8},
                                                                                 {"nine", 9},
                                                                                 {"ten", 10},
                                                                                 {"many", 10},
                                                                                 {"twenty", 20}}};
  for (const auto& [word, number] : kNumbers) {
    if (n == word) return number;
  }
  if (!n.empty() && n.size() < 3 && n.find_first_not_of("0123456789") == std::string::npos) {
    return std::stoi(n);
  }
  return 0;
}

// "… for 15 years", "… for ten years": at least five years.
bool ManyYears(const Clause& clause, std::size_t from) {
  for (std::size_t i = clause.Find({"for"}, from); i != Clause::npos;
       i = clause.Find({"for"}, i + 1)) {
    if (YearsBefore(clause, i + 2) >= 5) return true;
  }
  return false;
}

// "I know Python really well", "I'm still learning JavaScript", "20 years of experience in
// accounting".
void ReadKnowledge(const Clause& clause, Findings& found) {
  if (std::size_t at = clause.Find({"i", "know"}); at != Clause::npos) {
    for (std::size_t k = at + 3; k < clause.size() && k <= at + 5; ++k) {
      if (!clause.Is(k, "well") && !(clause.Is(k, "inside") && clause.Is(k + 1, "out"))) continue;
      std::string domain = DomainAt(clause, at + 2);
      if (!domain.empty() && !In(domain, {"it", "that", "this", "you", "him", "her", "them"})) {
        found.Set("expertise", "expert:" + domain);
      }
      return;
    }
  }
  for (std::initializer_list<std::string_view> phrase : kEarlyLearning) {
    std::size_t at = clause.Find(phrase);
    if (at == Clause::npos || !clause.Has({"i"})) continue;
    std::size_t first = at + phrase.size();
    if (clause.Is(first, "the")) ++first;  // "learning the guitar"
    if (clause.IsAny(first, {"to", "how", "about", "a", "more"})) return;
    std::string domain = DomainAt(clause, first);
    if (!domain.empty()) found.Set("expertise", "beginner:" + domain);
    return;
  }
  for (std::size_t of = clause.Find({"experience"}); of != Clause::npos;
       of = clause.Find({"experience"}, of + 1)) {
    std::size_t years = of >= 2 && clause.Is(of - 1, "of") ? of - 2 : of - 1;
    if (of == 0 || YearsBefore(clause, years) < 5 || !clause.Has({"i"})) continue;
    if (clause.IsAny(of + 1, {"in", "with", "of"})) {
      std::string domain = DomainAt(clause, of + 2);
      if (!domain.empty()) found.Set("expertise", "expert:" + domain, kImplied);
    }
    return;
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
    std::string domain = LevelDomain(clause, i);
    // "I'm an experienced nurse" says nothing of a domain to pitch answers at.
    if (domain.empty() && In(clause.at(i), {"experienced", "seasoned", "veteran"})) continue;
    found.Set("expertise", domain.empty() ? std::string(level) : std::string(level) + ":" + domain);
    return;
  }
  ReadKnowledge(clause, found);
  if (found.Any("expertise")) return;
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
