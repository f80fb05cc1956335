#include "service/preferences/extractor.h"

#include <algorithm>

#include "model/preference.h"
#include "service/preferences/clause.h"
#include "service/preferences/rules.h"
#include "text/sentences.h"

namespace loci::service {
namespace {

using preferences::Clause;
using preferences::Finding;
using preferences::Findings;

// The sentences of `text`: text::SplitSentences, cut again where a chat turn ends a sentence
// with a full stop and goes on in lower case ("i'm Rosa, a vet. could you …"). A full stop
// after a word of one or two letters ("e.g. this", "p.m. tomorrow") or inside double quotes
// does not cut.
std::vector<std::string_view> ChatSentences(std::string_view text) {
  std::vector<std::string_view> out;
  for (const text::Sentence& sentence : text::SplitSentences(text)) {
    std::string_view rest = text.substr(sentence.begin, sentence.end - sentence.begin);
    bool quoted = false;
    std::size_t letters = 0;  // letters just before position i
    for (std::size_t i = 0; i + 2 < rest.size(); ++i) {
      char c = rest[i];
      if (c == '"') quoted = !quoted;
      bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      bool cut = c == '.' && !quoted && letters >= 3 && rest[i + 1] == ' ' && rest[i + 2] >= 'a' &&
                 rest[i + 2] <= 'z';
      letters = letter ? letters + 1 : 0;
      if (!cut) continue;
      out.push_back(rest.substr(0, i + 1));
      rest = rest.substr(i + 2);
      i = static_cast<std::size_t>(-1);
    }
    out.push_back(rest);
  }
  return out;
}

Findings ReadClause(const Clause& clause) {
  Findings found;
  preferences::ReadName(clause, found);
  preferences::ReadWork(clause, found);
  preferences::ReadPlace(clause, found);
  preferences::ReadLanguage(clause, found);
  preferences::ReadStyle(clause, found);
  preferences::ReadPresentation(clause, found);
  preferences::ReadFood(clause, found);
  // "I like tables", "I love emojis", "I prefer answers in Italian" state a style, not a taste.
  bool style = false;
  for (std::string_view key :
       {"response_length", "formality", "tone", "format", "emoji", "language"}) {
    style = style || found.Any(key);
  }
  if (!style) preferences::ReadTastes(clause, found);
  return found;
}

}  // namespace

std::vector<PreferenceObservation> ExtractPreferences(std::string_view text,
                                                      std::string_view message_id) {
  std::vector<Finding> findings;
  for (std::string_view sentence : ChatSentences(text)) {
    for (const Clause& clause : preferences::AnalyzeSentence(sentence)) {
      Findings found = ReadClause(clause);
      findings.insert(findings.end(), found.items().begin(), found.items().end());
    }
  }
  std::vector<PreferenceObservation> observations;
  for (const Finding& finding : findings) {
    auto same_key = [&](const Finding& other) { return other.key == finding.key; };
    auto set_too = [&](const Finding& other) { return same_key(other) && !other.retract; };
    if (finding.retract && std::any_of(findings.begin(), findings.end(), set_too)) continue;
    // A later clause corrects an earlier one: "My name is Ana, but call me Annie".
    std::erase_if(observations,
                  [&](const PreferenceObservation& o) { return o.key == finding.key; });
    observations.push_back(PreferenceObservation{
        .key = finding.key,
        .value = finding.value,
        .category = std::string(model::DefaultPreferenceCategory(finding.key)),
        .confidence = finding.confidence,
        .retract = finding.retract,
        .evidence_id = std::string(message_id)});
  }
  return observations;
}

}  // namespace loci::service
