#include "model/preference.h"

#include <array>
#include <utility>

namespace loci::model {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kCategories = {{
    {"name", "personal"},
    {"pronouns", "personal"},
    {"language", "language"},
    {"response_length", "style"},
    {"formality", "style"},
    {"tone", "style"},
    {"format", "format"},
    {"emoji", "style"},
    {"expertise", "personal"},
    {"diet", "personal"},
    {"allergy", "personal"},
    {"location", "personal"},
    {"occupation", "personal"},
    {"timezone", "personal"},
}};

bool IsSnakeCase(std::string_view word) {
  if (word.empty() || word.front() == '_' || word.back() == '_') return false;
  for (char c : word) {
    bool letter = (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80;
    if (!(letter || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return word.find("__") == std::string_view::npos;
}

}  // namespace

std::string_view PreferenceSourceName(PreferenceSource source) {
  switch (source) {
    case PreferenceSource::kExplicit:
      return "explicit";
    case PreferenceSource::kInferred:
      return "inferred";
    case PreferenceSource::kFeedback:
      return "feedback";
    case PreferenceSource::kManual:
      return "manual";
  }
  return "explicit";
}

std::optional<PreferenceSource> ParsePreferenceSource(std::string_view name) {
  for (PreferenceSource source : {PreferenceSource::kExplicit, PreferenceSource::kInferred,
                                  PreferenceSource::kFeedback, PreferenceSource::kManual}) {
    if (PreferenceSourceName(source) == name) return source;
  }
  return std::nullopt;
}

std::string_view DefaultPreferenceCategory(std::string_view key) {
  if (key.starts_with("likes:")) return "likes";
  if (key.starts_with("dislikes:")) return "dislikes";
  for (const auto& [known, category] : kCategories) {
    if (known == key) return category;
  }
  return "personal";
}

bool IsValidPreferenceKey(std::string_view key) {
  if (key.size() > kMaxPreferenceKeyBytes) return false;
  for (std::string_view prefix : {"likes:", "dislikes:"}) {
    if (key.starts_with(prefix)) return IsSnakeCase(key.substr(prefix.size()));
  }
  return IsSnakeCase(key);
}

}  // namespace loci::model
