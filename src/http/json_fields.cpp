#include "http/json_fields.h"

#include <nlohmann/json.hpp>

#include "model/message.h"

namespace loci::http {
namespace {

std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string FieldPath(std::string_view parent, std::string_view key) {
  std::string path(parent);
  if (!path.empty()) path.push_back('.');
  path.append(key);
  return path;
}

std::string IndexPath(std::string_view parent, std::size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

Status RequireObject(const nlohmann::json& value, const std::string& path) {
  if (value.is_object()) return Status::Ok();
  if (path.empty()) return InvalidArgument("request body must be a JSON object");
  return InvalidArgument(path + " must be an object", path);
}

ObjectReader::ObjectReader(const nlohmann::json& object, std::string path)
    : object_(object), path_(std::move(path)) {}

const nlohmann::json* ObjectReader::Find(std::string_view key) const {
  const auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

Result<std::string> ObjectReader::RequiredString(std::string_view key) const {
  const nlohmann::json* value = Find(key);
  if (value == nullptr) return InvalidArgument(PathOf(key) + " is required", PathOf(key));
  if (!value->is_string()) {
    return InvalidArgument(PathOf(key) + " must be a string", PathOf(key));
  }
  return value->get<std::string>();
}

Result<std::optional<std::string>> ObjectReader::OptionalString(std::string_view key) const {
  const nlohmann::json* value = Find(key);
  if (value == nullptr) return std::optional<std::string>();
  if (!value->is_string()) {
    return InvalidArgument(PathOf(key) + " must be a string", PathOf(key));
  }
  return std::optional<std::string>(value->get<std::string>());
}

Result<std::optional<std::int64_t>> ObjectReader::OptionalInteger(std::string_view key,
                                                                  std::int64_t min,
                                                                  std::int64_t max) const {
  const nlohmann::json* value = Find(key);
  if (value == nullptr) return std::optional<std::int64_t>();
  const Status out_of_range =
      InvalidArgument(PathOf(key) + " must be an integer from " + std::to_string(min) + " to " +
                          std::to_string(max),
                      PathOf(key));
  if (value->is_number_unsigned()) {
    const auto number = value->get<std::uint64_t>();
    if (number > static_cast<std::uint64_t>(max) ||
        (min > 0 && number < static_cast<std::uint64_t>(min))) {
      return out_of_range;
    }
    return std::optional<std::int64_t>(static_cast<std::int64_t>(number));
  }
  if (value->is_number_integer()) {
    const auto number = value->get<std::int64_t>();
    if (number < min || number > max) return out_of_range;
    return std::optional<std::int64_t>(number);
  }
  return out_of_range;
}

Result<std::optional<UnixMillis>> ObjectReader::OptionalTimestamp(std::string_view key) const {
  const nlohmann::json* value = Find(key);
  if (value == nullptr) return std::optional<UnixMillis>();
  const Status bad = InvalidArgument(
      PathOf(key) + " must be an RFC 3339 timestamp such as 2026-11-30T07:12:51.123Z", PathOf(key));
  if (!value->is_string()) return bad;
  const std::optional<UnixMillis> millis = ParseRfc3339(value->get_ref<const std::string&>());
  if (!millis) return bad;
  return std::optional<UnixMillis>(*millis);
}

Result<MetadataFields> ReadMetadata(const nlohmann::json& value, const std::string& path) {
  if (!value.is_object()) return InvalidArgument(path + " must be an object", path);
  MetadataFields fields;
  fields.json = Dump(value);
  fields.attributes.reserve(value.size());
  for (const auto& [key, entry] : value.items()) {
    fields.attributes.push_back(model::MetadataAttribute(key, Dump(entry)));
  }
  return fields;
}

}  // namespace loci::http
