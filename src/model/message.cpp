#include "model/message.h"

namespace loci::model {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kUser:
      return "user";
    case Role::kAssistant:
      return "assistant";
    case Role::kSystem:
      return "system";
    case Role::kTool:
      return "tool";
  }
  return "user";
}

std::optional<Role> ParseRole(std::string_view name) {
  if (name == "user") return Role::kUser;
  if (name == "assistant") return Role::kAssistant;
  if (name == "system") return Role::kSystem;
  if (name == "tool") return Role::kTool;
  return std::nullopt;
}

std::string MetadataAttribute(std::string_view key, std::string_view canonical_value_json) {
  std::string attribute;
  attribute.reserve(key.size() + 1 + canonical_value_json.size());
  attribute.append(key);
  attribute.push_back('\x1f');
  attribute.append(canonical_value_json);
  return attribute;
}

}  // namespace loci::model
