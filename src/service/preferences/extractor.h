// The built-in preference extractor (DESIGN.md, "Preferences"): reads a user turn and returns
// the preferences it states explicitly, for every key API.md names. Rules over sentences and
// tokens (text/sentences.h, text/tokenizer.h): deterministic, no model, linear in the text.
//
// What states nothing: statements about other people ("my sister is vegan"), questions ("is it
// healthy to be vegetarian?"; requests such as "can you reply in German?" do state a wish),
// hypotheticals ("if I were vegan…"), quoted words ("she said 'I love jazz'") and one-off tasks
// ("write a short poem"). Changes set the new value ("I moved to Berlin"); retractions say a
// preference no longer holds ("I'm no longer vegetarian", "I've stopped liking coffee").
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "service/preferences/observation.h"

namespace loci::service {

// The observations `text` states, in the order stated, each with `message_id` as evidence. A
// key appears at most once: when a turn both retracts and sets a key ("I no longer live in
// Berlin, I moved to Munich"), only the setting is returned, as it replaces the old value;
// when it sets a key twice ("My name is Ana, but call me Annie"), the later statement wins.
std::vector<PreferenceObservation> ExtractPreferences(std::string_view text,
                                                      std::string_view message_id);

}  // namespace loci::service
