#include "service/preferences/style_state.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace loci::service {
namespace {

constexpr double kMinTurns = 4;       // decayed turns before writing implies anything
constexpr double kMinFeedback = 0.9;  // decayed feedback signals before they imply a length

double DecayFactor(UnixMillis from, UnixMillis to) {
  if (to <= from) return 1;
  return std::exp2(-static_cast<double>(to - from) / static_cast<double>(kStyleHalfLife));
}

// Confidence grows with evidence towards `ceiling`.
double Confidence(double weight, double ceiling) { return std::min(ceiling, 0.4 + 0.05 * weight); }

}  // namespace

StyleState StyleState::Parse(std::string_view serialized) {
  StyleState state;
  std::istringstream in{std::string(serialized)};
  std::string name;
  Signal signal;
  while (in >> name >> signal.mean >> signal.weight >> signal.at) {
    if (!std::isfinite(signal.mean) || !std::isfinite(signal.weight) || signal.weight < 0) {
      return StyleState();
    }
    state.signals_[name] = signal;
  }
  return state;
}

std::string StyleState::Serialize() const {
  std::string out;
  char line[160];
  for (const auto& [name, signal] : signals_) {
    std::snprintf(line, sizeof(line), " %.9g %.9g %lld\n", signal.mean, signal.weight,
                  static_cast<long long>(signal.at));
    out += name;
    out += line;
  }
  return out;
}

void StyleState::Add(const std::string& name, double value, UnixMillis at) {
  Signal& signal = signals_[name];
  double kept = signal.weight * DecayFactor(signal.at, at);
  signal.mean = (signal.mean * kept + value) / (kept + 1);
  signal.weight = kept + 1;
  signal.at = std::max(signal.at, at);
}

StyleState::Signal StyleState::At(const std::string& name, UnixMillis now) const {
  auto found = signals_.find(name);
  if (found == signals_.end()) return Signal{};
  Signal signal = found->second;
  signal.weight *= DecayFactor(signal.at, now);
  return signal;
}

void StyleState::AddTurn(const WritingSignals& signals, UnixMillis at) {
  Add("words", signals.words, at);
  Add("emoji", signals.emoji ? 1 : 0, at);
  Add("code", signals.code ? 1 : 0, at);
  Add("formality", std::clamp(signals.formality, -1, 1), at);
  if (!signals.language.empty()) Add("language:" + signals.language, 1, at);
}

void StyleState::AddFeedback(std::string_view signal, UnixMillis at) {
  if (signal == "too_long") Add("feedback_length", -1, at);
  if (signal == "too_short") Add("feedback_length", 1, at);
  if (signal == "good") Add("feedback_quality", 1, at);
  if (signal == "bad") Add("feedback_quality", -1, at);
}

std::vector<InferredStyle> StyleState::Infer(UnixMillis now) const {
  std::vector<InferredStyle> inferred;
  // "bad" feedback makes every inference less sure; "good" a little surer.
  Signal quality = At("feedback_quality", now);
  double trust = quality.weight > 0 ? 1 + 0.1 * quality.mean : 1;
  auto add = [&](std::string key, std::string value, double confidence,
                 model::PreferenceSource source = model::PreferenceSource::kInferred) {
    inferred.push_back(
        {std::move(key), std::move(value), std::min(0.95, confidence * trust), source});
  };
  Signal feedback = At("feedback_length", now);
  Signal words = At("words", now);
  if (feedback.weight >= kMinFeedback && std::abs(feedback.mean) >= 0.3) {
    add("response_length", feedback.mean < 0 ? "concise" : "detailed",
        std::min(0.85, 0.5 + 0.1 * feedback.weight), model::PreferenceSource::kFeedback);
  } else if (words.weight >= kMinTurns && (words.mean <= 8 || words.mean >= 80)) {
    add("response_length", words.mean <= 8 ? "concise" : "detailed", Confidence(words.weight, 0.6));
  }
  if (Signal emoji = At("emoji", now); emoji.weight >= kMinTurns && emoji.mean >= 0.3) {
    add("emoji", "welcome", Confidence(emoji.weight, 0.7));
  }
  if (Signal formality = At("formality", now);
      formality.weight >= kMinTurns && std::abs(formality.mean) >= 0.3) {
    add("formality", formality.mean > 0 ? "formal" : "casual", Confidence(formality.weight, 0.6));
  }
  if (Signal code = At("code", now); code.weight >= kMinTurns && code.mean >= 0.4) {
    add("format", "code_first", Confidence(code.weight, 0.5));
  }
  double total = 0;
  std::string best;
  double best_weight = 0;
  for (const auto& [name, signal] : signals_) {
    if (!name.starts_with("language:")) continue;
    double weight = At(name, now).weight;
    total += weight;
    if (weight > best_weight) {
      best_weight = weight;
      best = name.substr(9);
    }
  }
  if (best_weight >= kMinTurns - 1 && best_weight >= 0.6 * total) {
    add("language", best, Confidence(best_weight, 0.7));
  }
  return inferred;
}

}  // namespace loci::service
