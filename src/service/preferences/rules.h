// The preference rules: each reads one clause (clause.h) and adds what it states about the
// user to `found`. A rule looks only at clauses that may be about the user (not kOther), and
// anchors on first-person or instruction wording, so that statements about other people
// ("my sister is vegan") and tasks ("write a short poem") state nothing.
// Thread-safety: pure functions.
#pragma once

#include "service/preferences/clause.h"
#include "service/preferences/rule_support.h"

namespace loci::service::preferences {

void ReadName(const Clause& clause, Findings& found);          // name, pronouns
void ReadWork(const Clause& clause, Findings& found);          // occupation, expertise
void ReadPlace(const Clause& clause, Findings& found);         // location, timezone
void ReadLanguage(const Clause& clause, Findings& found);      // language
void ReadStyle(const Clause& clause, Findings& found);         // response_length, formality, tone
void ReadPresentation(const Clause& clause, Findings& found);  // format, emoji
void ReadFood(const Clause& clause, Findings& found);          // diet, allergy
// likes:<thing>, dislikes:<thing>; reads a clause in which no style or format was found ("I
// like tables" is a format, not a taste).
void ReadTastes(const Clause& clause, Findings& found);

}  // namespace loci::service::preferences
