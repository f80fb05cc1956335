#include "embed/json_records.h"

#include <nlohmann/json.hpp>

namespace loci::embed {
namespace {

std::string_view Trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

// `text` without a Markdown code fence around it ("```json\n…\n```").
std::string_view Unfenced(std::string_view text) {
  text = Trimmed(text);
  constexpr std::string_view kFence = "```";
  if (text.size() < 2 * kFence.size() || !text.starts_with(kFence) || !text.ends_with(kFence)) {
    return text;
  }
  text = text.substr(kFence.size(), text.size() - 2 * kFence.size());
  const auto line_end = text.find('\n');  // the fence's language tag, if any
  if (line_end == std::string_view::npos) return Trimmed(text);
  return Trimmed(text.substr(line_end + 1));
}

bool ToRecord(const nlohmann::json& element, JsonRecord& record) {
  if (!element.is_object()) return false;
  for (const auto& [name, value] : element.items()) {
    if (value.is_null()) {
      record.emplace(name, nullptr);
    } else if (value.is_boolean()) {
      record.emplace(name, value.get<bool>());
    } else if (value.is_number()) {
      record.emplace(name, value.get<double>());
    } else if (value.is_string()) {
      record.emplace(name, value.get<std::string>());
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<JsonRecords> ParseJsonRecords(std::string_view answer, std::string_view field) {
  const std::string_view text = Unfenced(answer);
  // No exceptions: a parse error is a discarded value.
  const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return InvalidArgument("the answer is not one JSON value");
  const nlohmann::json* array = &parsed;
  if (parsed.is_object()) {
    auto found = parsed.find(std::string(field));
    if (found == parsed.end()) {
      return InvalidArgument("the answer has no \"" + std::string(field) + "\"");
    }
    array = &*found;
  }
  if (!array->is_array()) return InvalidArgument("the answer holds no array of records");
  JsonRecords records;
  for (const nlohmann::json& element : *array) {
    JsonRecord record;
    if (ToRecord(element, record)) {
      records.records.push_back(std::move(record));
    } else {
      ++records.skipped;
    }
  }
  return records;
}

}  // namespace loci::embed
