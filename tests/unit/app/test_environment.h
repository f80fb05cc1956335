// An Environment (app/config.h) made from a map, for configuration tests.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "app/config.h"

namespace loci::app::testing {

inline Environment Env(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
    auto found = values.find(name);
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

}  // namespace loci::app::testing
