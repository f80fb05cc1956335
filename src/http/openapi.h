// The OpenAPI 3.1 description of the routes this layer serves, as served at /openapi.json.
// Thread-safety: returns a constant.
#pragma once

#include <string_view>

namespace loci::http {

// A JSON document; kept beside the routes so the two change together.
std::string_view OpenApiDocument();

}  // namespace loci::http
