#include "service/preferences/merge.h"

#include <algorithm>
#include <cmath>

namespace loci::service {
namespace {

bool Learned(const model::Preference& preference) {
  return preference.source == model::PreferenceSource::kInferred ||
         preference.source == model::PreferenceSource::kFeedback;
}

bool SameValue(const std::string& a, const std::string& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    return lower(x) == lower(y);
  });
}

bool Same(const model::Preference& a, const model::Preference& b) {
  return a.value == b.value && a.category == b.category && a.source == b.source &&
         std::abs(a.confidence - b.confidence) < 0.005 && a.evidence == b.evidence;
}

}  // namespace

PreferenceMerge::PreferenceMerge(const std::vector<model::Preference>& current) {
  for (const model::Preference& preference : current) original_[preference.key] = preference;
  current_ = original_;
}

void PreferenceMerge::Observe(const PreferenceObservation& observation, UnixMillis at) {
  auto found = current_.find(observation.key);
  if (observation.retract) {
    bool matches = found != current_.end() && (observation.value.empty() ||
                                               SameValue(found->second.value, observation.value) ||
                                               observation.key.find(':') != std::string::npos);
    if (matches) current_.erase(found);
    return;
  }
  if (found != current_.end() && SameValue(found->second.value, observation.value) &&
      !Learned(found->second)) {
    model::Preference& preference = found->second;
    // Repeated evidence: each statement removes half of the remaining doubt it could.
    preference.confidence += (1 - preference.confidence) * 0.5 * observation.confidence;
    if (std::find(preference.evidence.begin(), preference.evidence.end(),
                  observation.evidence_id) == preference.evidence.end()) {
      preference.evidence.push_back(observation.evidence_id);
    }
    if (preference.evidence.size() > kMaxEvidence)
      preference.evidence.erase(preference.evidence.begin());
    preference.updated_at = at;
    return;
  }
  current_[observation.key] = model::Preference{.key = observation.key,
                                                .value = observation.value,
                                                .category = observation.category,
                                                .confidence = observation.confidence,
                                                .source = model::PreferenceSource::kExplicit,
                                                .evidence = {observation.evidence_id},
                                                .updated_at = at};
}

void PreferenceMerge::Infer(const std::vector<InferredStyle>& inferred,
                            const std::vector<std::string>& evidence, UnixMillis now) {
  for (auto it = current_.begin(); it != current_.end();) {
    it = Learned(it->second) ? current_.erase(it) : std::next(it);
  }
  for (const InferredStyle& style : inferred) {
    if (current_.contains(style.key)) continue;  // explicit or manual: the user's own word
    model::Preference preference{
        .key = style.key,
        .value = style.value,
        .category = std::string(model::DefaultPreferenceCategory(style.key)),
        .confidence = style.confidence,
        .source = style.source,
        .evidence = evidence,
        .updated_at = now};
    // An unchanged inference keeps its row (and time) rather than being rewritten.
    auto before = original_.find(style.key);
    if (before != original_.end() && Learned(before->second) &&
        before->second.value == style.value &&
        std::abs(before->second.confidence - style.confidence) < 0.005) {
      preference = before->second;
    }
    current_[style.key] = std::move(preference);
  }
}

std::vector<model::Preference> PreferenceMerge::Changed() const {
  std::vector<model::Preference> changed;
  for (const auto& [key, preference] : current_) {
    auto before = original_.find(key);
    if (before == original_.end() || !Same(before->second, preference))
      changed.push_back(preference);
  }
  return changed;
}

std::vector<std::string> PreferenceMerge::Removed() const {
  std::vector<std::string> removed;
  for (const auto& [key, preference] : original_) {
    if (!current_.contains(key)) removed.push_back(key);
  }
  return removed;
}

}  // namespace loci::service
