// How the preference engine folds what it learned into a user's preferences: explicit
// observations (later evidence wins, repeated evidence makes a preference surer) and inferred
// style (never over an explicit or manual preference).
// Thread-safety: a value type; use from one thread at a time.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/preference.h"
#include "service/preferences/observation.h"
#include "service/preferences/style_state.h"
#include "util/time.h"

namespace loci::service {

inline constexpr std::size_t kMaxEvidence = 10;  // the newest messages are kept

class PreferenceMerge {
 public:
  explicit PreferenceMerge(const std::vector<model::Preference>& current);

  void Observe(const PreferenceObservation& observation, UnixMillis at);
  // Replaces the inferred and feedback preferences by `inferred`, with `evidence`, except
  // where an explicit or manual preference holds the key.
  void Infer(const std::vector<InferredStyle>& inferred, const std::vector<std::string>& evidence,
             UnixMillis now);

  // Preferences to write and keys to remove, relative to the preferences given at the start.
  std::vector<model::Preference> Changed() const;
  std::vector<std::string> Removed() const;

 private:
  std::map<std::string, model::Preference> original_;
  std::map<std::string, model::Preference> current_;
};

}  // namespace loci::service
