// StyleState: what the user's turns and feedback have shown about the style they want, as
// running averages that decay with time (a half-life of kStyleHalfLife: old habits fade), and
// the preferences they imply. Kept by the store as one opaque, sealed string per user.
//
// What is inferred (each only once enough recent evidence carries it):
// - response_length: from feedback (too_long → concise, too_short → detailed, source
//   feedback), else from the length of the user's own turns (source inferred);
// - emoji: welcome when the user often writes emoji;
// - formality: from formal or casual markers in the user's turns;
// - format: code_first when the user often writes code;
// - language: the language the user mostly writes in.
// Thread-safety: a value type; use from one thread at a time.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/preference.h"
#include "service/preferences/writing_style.h"
#include "util/time.h"

namespace loci::service {

inline constexpr UnixMillis kStyleHalfLife = 30LL * 24 * 60 * 60 * 1000;

struct InferredStyle {
  std::string key;
  std::string value;
  double confidence = 0;
  model::PreferenceSource source = model::PreferenceSource::kInferred;
};

class StyleState {
 public:
  // The state `serialized` holds; an empty state for an empty or unreadable one.
  static StyleState Parse(std::string_view serialized);
  std::string Serialize() const;

  void AddTurn(const WritingSignals& signals, UnixMillis at);
  // `signal` is too_long, too_short, good or bad; anything else is ignored.
  void AddFeedback(std::string_view signal, UnixMillis at);

  // The style preferences the state implies at `now`, decay applied.
  std::vector<InferredStyle> Infer(UnixMillis now) const;

 private:
  struct Signal {
    double mean = 0;    // decayed weighted mean of the observations
    double weight = 0;  // decayed count of observations
    UnixMillis at = 0;  // when last updated
  };
  void Add(const std::string& name, double value, UnixMillis at);
  Signal At(const std::string& name, UnixMillis now) const;

  std::map<std::string, Signal> signals_;
};

}  // namespace loci::service
