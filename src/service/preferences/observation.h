// PreferenceObservation: one thing a user turn says about the user's preferences, as the
// extractor (extractor.h) finds it and the engine merges it. Plain data.
#pragma once

#include <string>

namespace loci::service {

struct PreferenceObservation {
  std::string key;       // API.md's key, e.g. "diet", "likes:jazz"
  std::string value;     // empty for a retraction that names no value
  std::string category;  // model::DefaultPreferenceCategory(key)
  double confidence = 0;
  bool retract = false;     // true: the user says the preference no longer holds
  std::string evidence_id;  // the message it was read from
};

}  // namespace loci::service
