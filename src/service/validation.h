// Domain rules for what clients send: identifiers, sizes, counts. Every check returns
// InvalidArgument naming the offending field, so the HTTP layer can report it as is.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "service/commands.h"
#include "service/memory_service.h"
#include "util/status.h"

namespace loci::service {

// A client-chosen identifier (user_id, session_id, message id, name): 1..max_bytes bytes of
// UTF-8 with no control characters.
Status ValidateIdentifier(std::string_view value, std::string_view field, std::size_t max_bytes);

// Every rule of API.md for a store request: message count, content and metadata sizes,
// identifiers and names. Fields are named as in the JSON ("messages[3].content").
Status ValidateStoreCommand(const StoreCommand& command, const Limits& limits);

Status ValidateSearchQuery(const SearchQuery& query, const Limits& limits);

Status ValidateContextQuery(const ContextQuery& query, const Limits& limits);

}  // namespace loci::service
