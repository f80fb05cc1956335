// Rules for likes:<thing> and dislikes:<thing>.
#include <string>

#include "service/preferences/rules.h"

namespace loci::service::preferences {
namespace {

const std::initializer_list<std::string_view> kLikeVerbs = {"love", "like", "enjoy", "adore",
                                                            "prefer"};
const std::initializer_list<std::string_view> kDislikeVerbs = {"hate", "dislike", "detest",
                                                               "loathe", "despise"};
// Words between "I" and the verb that keep it a statement of taste ("I really enjoy").
const std::initializer_list<std::string_view> kAdverbs = {
    "really", "absolutely", "totally", "truly",    "just",  "also",    "genuinely",
    "so",     "do",         "still",   "honestly", "kinda", "actually"};
// A thing that starts with one of these is not a lasting taste: "I like this answer",
// "I'd like to…", "I love you", "I hate it when…".
// Answers are a style (style_rules.cpp), not a taste: "I prefer answers in Italian".
const std::initializer_list<std::string_view> kNotThings = {
    "this",  "that", "these", "those", "it",       "you",      "your",       "them",
    "him",   "her",  "me",    "to",    "when",     "how",      "what",       "being",
    "doing", "the",  "a",     "an",    "my",       "our",      "his",        "their",
    "us",    "here", "there", "if",    "whatever", "anything", "everything", "nothing",
    "on",    "with", "about", "for",   "of",       "answers",  "responses",  "replies"};
const std::initializer_list<std::string_view> kThingStops = {
    "but",      "because", "so",  "when", "since", "too",      "anymore", "again", "now",
    "though",   "lately",  "a",   "very", "more",  "and",      "i",       "as",    "than",
    "any",      "is",      "are", "on",   "at",    "every",    "during",  "in",    "these",
    "nowadays", "tbh",     "lol", "btw",  "haha",  "honestly", "over",    "to"};

// The thing that starts at word `first`, or npos-ended (empty) when there is none worth keeping.
std::string ThingAt(const Clause& clause, std::size_t first, std::size_t* last) {
  if (first >= clause.size() || clause.IsAny(first, kNotThings)) return {};
  *last = ValueEnd(clause, first, kThingStops, 4);
  if (*last == Clause::npos) return {};
  return std::string(clause.Span(first, *last));
}

void Add(Findings& found, std::string_view prefix, const std::string& thing, bool retract) {
  std::string key = std::string(prefix) + SnakeCase(thing);
  if (key.size() == prefix.size()) return;
  if (retract) {
    found.Retract(std::move(key), thing);
  } else {
    found.Set(std::move(key), thing);
  }
}

// "I (really) love X", "I don't like X", "I've stopped liking X", "I used to love X".
void ReadVerbs(const Clause& clause, Findings& found) {
  for (std::size_t i = clause.Find({"i"}); i != Clause::npos; i = clause.Find({"i"}, i + 1)) {
    std::size_t v = i + 1;
    while (clause.IsAny(v, kAdverbs) && !clause.Is(v, "do")) ++v;  // "I really can't stand"
    bool negated = false;
    if (clause.Is(v, "do") && clause.Is(v + 1, "not")) {
      negated = true;
      v += 2;
    } else if (clause.Is(v, "no") && clause.Is(v + 1, "longer")) {
      negated = true;
      v += 2;
    } else if (clause.Is(v, "can") && clause.Is(v + 1, "not") &&
               clause.IsAny(v + 2, {"stand", "bear"})) {
      std::size_t last = 0;
      std::string thing = ThingAt(clause, v + 3, &last);
      if (!thing.empty()) Add(found, "dislikes:", thing, false);
      continue;
    }
    bool stopped = false;
    if (clause.Is(v, "have") && clause.Is(v + 1, "stopped")) v += 1;
    if (clause.Is(v, "stopped") && clause.IsAny(v + 1, {"liking", "loving", "enjoying"})) {
      stopped = true;
      v += 1;
    }
    bool used_to = clause.Is(v, "used") && clause.Is(v + 1, "to");
    if (used_to) v += 2;
    while (clause.IsAny(v, kAdverbs)) ++v;
    if (v >= clause.size()) continue;
    bool likes = In(clause.at(v), kLikeVerbs) || stopped;
    bool dislikes = In(clause.at(v), kDislikeVerbs);
    if (!likes && !dislikes) continue;
    std::size_t last = 0;
    std::string thing;
    if (clause.Is(v + 1, "it") && clause.Is(v + 2, "when") && clause.Is(v + 3, "you") &&
        clause.IsAny(v + 4, {"use", "give", "include", "add", "show"})) {
      thing = ThingAt(clause, v + 5, &last);  // "I love it when you use examples"
    } else {
      thing = ThingAt(clause, v + 1, &last);
    }
    if (thing.empty()) continue;
    bool over = stopped || used_to || clause.Has({"anymore"}) || clause.Has({"no", "longer"});
    if (over) {
      Add(found, likes ? "likes:" : "dislikes:", thing, true);
    } else if (negated) {
      if (likes) Add(found, "dislikes:", thing, false);  // "I don't like horror movies"
    } else {
      Add(found, likes ? "likes:" : "dislikes:", thing, false);
    }
  }
}

// What people say after "I'm" to mean they like a thing: "a fan of", "into", "crazy about".
const std::initializer_list<std::initializer_list<std::string_view>> kFondOf = {
    {"fan", "of"},        {"into"},          {"crazy", "about"},
    {"mad", "about"},     {"nuts", "about"}, {"passionate", "about"},
    {"obsessed", "with"}, {"keen", "on"},    {"big", "on"},
    {"fond", "of"},       {"sucker", "for"}, {"hooked", "on"}};

// "I'm a huge fan of X", "I'm not a fan of X", "I'm really into X", "I'm a big football fan".
void ReadFandom(const Clause& clause, Findings& found) {
  std::size_t me = clause.Find({"i", "am"});
  if (me == Clause::npos) return;
  std::size_t i = me + 2;
  while (clause.IsAny(i, kAdverbs)) ++i;                         // "I'm really not a fan of"
  if (clause.Is(i, "no") && clause.Is(i + 1, "longer")) i += 2;  // read by SaysNoLonger
  bool negated = clause.Is(i, "not");
  if (negated) ++i;
  while (clause.IsAny(i, {"a", "an", "huge", "great", "really", "so", "very", "totally", "massive",
                          "real", "complete", "total", "absolute", "such"}) ||
         (clause.Is(i, "big") && !clause.Is(i + 1, "on"))) {
    ++i;
  }
  std::size_t first = Clause::npos;
  for (std::initializer_list<std::string_view> phrase : kFondOf) {
    if (clause.Find(phrase, i) == i) first = i + phrase.size();
  }
  std::size_t last = 0;
  std::string thing;
  if (first != Clause::npos) {
    thing = ThingAt(clause, first, &last);
  } else if (std::size_t fan = clause.Find({"fan"}, i);
             fan != Clause::npos && fan > i && fan <= i + 2 && !clause.IsAny(i, kNotThings)) {
    thing = std::string(clause.Span(i, fan - 1));  // "a big football fan"
  }
  if (thing.empty()) return;
  if (!negated && SaysNoLonger(clause)) {
    Add(found, "likes:", thing, true);  // "I'm no longer into anime"
  } else {
    Add(found, negated ? "dislikes:" : "likes:", thing, false);
  }
}

// "I've fallen out of love with running", "I've gone off sushi", "I gave up coffee".
void ReadFallingOut(const Clause& clause, Findings& found) {
  for (std::initializer_list<std::string_view> phrase :
       {std::initializer_list<std::string_view>{"out", "of", "love", "with"},
        {"gone", "off"},
        {"gave", "up"},
        {"given", "up"},
        {"gone", "off", "of"},
        {"i", "am", "over"}}) {
    std::size_t at = clause.Find(phrase);
    if (at == Clause::npos || !clause.Has({"i"})) continue;
    std::size_t last = 0;
    std::string thing = ThingAt(clause, at + phrase.size(), &last);
    if (!thing.empty()) Add(found, "likes:", thing, true);
    return;
  }
}

// "My favorite food is sushi", "Coffee is my favorite drink", "Mushrooms are gross".
void ReadFavorites(const Clause& clause, Findings& found) {
  for (std::string_view favorite : {"favorite", "favourite"}) {
    std::size_t at = clause.Find({"my", favorite});
    if (at == Clause::npos) continue;
    std::size_t last = 0;
    if (at == 0 && clause.Is(at + 3, "is")) {
      std::string thing = ThingAt(clause, at + 4, &last);
      if (!thing.empty()) Add(found, "likes:", thing, false);
    } else if (at >= 2 && clause.IsAny(at - 1, {"is", "are"})) {
      std::string thing = ThingAt(clause, 0, &last);
      if (!thing.empty() && last + 2 == at) Add(found, "likes:", thing, false);
    }
    return;
  }
  // "Podcasts are my jam", "Jazz is my thing".
  for (std::size_t at = 1; at + 2 < clause.size() && at <= 3; ++at) {
    if (!clause.IsAny(at, {"is", "are"}) || !clause.Is(at + 1, "my")) continue;
    if (!clause.IsAny(at + 2, {"jam", "thing", "passion", "weakness", "obsession", "go"})) continue;
    std::size_t last = 0;
    std::string thing = ThingAt(clause, 0, &last);
    if (!thing.empty() && last + 1 == at) Add(found, "likes:", thing, false);
    return;
  }
  // "Reality TV drives me crazy", "Small talk bores me".
  for (std::size_t at = 1; at + 1 < clause.size() && at <= 3; ++at) {
    bool drives = clause.IsAny(at, {"drives", "drive"}) && clause.Is(at + 1, "me") &&
                  clause.IsAny(at + 2, {"crazy", "nuts", "mad", "insane", "up"});
    bool bores = clause.IsAny(at, {"bores", "bore", "annoys", "annoy", "irritates"}) &&
                 clause.Is(at + 1, "me");
    if (!drives && !bores) continue;
    if (!clause.IsAny(0, kNotThings) && !clause.IsAny(0, {"he", "she", "they", "i", "we"})) {
      Add(found, "dislikes:", std::string(clause.Span(0, at - 1)), false);
    }
    return;
  }
  for (std::size_t at = 1; at + 1 < clause.size() && at <= 3; ++at) {
    if (!clause.IsAny(at, {"is", "are"})) continue;
    if (!clause.IsAny(at + 1, {"gross", "disgusting", "awful", "terrible", "revolting"})) continue;
    std::size_t last = 0;
    std::string thing = ThingAt(clause, 0, &last);
    if (!thing.empty() && last + 1 == at) Add(found, "dislikes:", thing, false);
    return;
  }
}

}  // namespace

void ReadTastes(const Clause& clause, Findings& found) {
  if (clause.subject == Subject::kOther) return;
  ReadVerbs(clause, found);
  ReadFandom(clause, found);
  ReadFavorites(clause, found);
  if (!found.Any("diet")) ReadFallingOut(clause, found);  // "I gave up meat" is a diet
}

}  // namespace loci::service::preferences
