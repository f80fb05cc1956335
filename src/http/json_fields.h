// Typed reading of request JSON with errors that name the offending field by its path
// ("user_id", "messages[3].role"), as the error shape of API.md asks. Absent and null are the
// same for optional fields; unknown fields are ignored.
// Thread-safety: readers hold a reference to an immutable document; use from one thread.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"
#include "util/time.h"

namespace loci::http {

// FieldPath("messages[0]", "role") == "messages[0].role"; FieldPath("", "user_id") == "user_id".
std::string FieldPath(std::string_view parent, std::string_view key);
// IndexPath("messages", 2) == "messages[2]".
std::string IndexPath(std::string_view parent, std::size_t index);

// OK when `value` is an object; InvalidArgument naming `path` (or the body) otherwise.
Status RequireObject(const nlohmann::json& value, const std::string& path);

class ObjectReader {
 public:
  // REQUIRES: object.is_object(); `object` outlives the reader. `path` names the object in
  // errors: "" for the request body itself.
  ObjectReader(const nlohmann::json& object, std::string path);

  // The member `key`, or nullptr when it is absent or null.
  const nlohmann::json* Find(std::string_view key) const;
  std::string PathOf(std::string_view key) const { return FieldPath(path_, key); }

  // InvalidArgument "<path> is required" / "<path> must be a string".
  Result<std::string> RequiredString(std::string_view key) const;
  Result<std::optional<std::string>> OptionalString(std::string_view key) const;
  // InvalidArgument unless a JSON integer within [min, max].
  Result<std::optional<std::int64_t>> OptionalInteger(std::string_view key, std::int64_t min,
                                                      std::int64_t max) const;
  // InvalidArgument unless an RFC 3339 string.
  Result<std::optional<UnixMillis>> OptionalTimestamp(std::string_view key) const;

 private:
  const nlohmann::json& object_;
  std::string path_;
};

// A metadata object as the service takes it: its compact serialization and one
// model::MetadataAttribute per top-level entry. InvalidArgument naming `path` unless `value`
// is an object.
struct MetadataFields {
  std::string json = "{}";
  std::vector<std::string> attributes;
};
Result<MetadataFields> ReadMetadata(const nlohmann::json& value, const std::string& path);

}  // namespace loci::http
