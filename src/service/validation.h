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

// A preference key of API.md (model::IsValidPreferenceKey); InvalidArgument field "key".
Status ValidatePreferenceKey(std::string_view key);

// PUT /memory/preferences: the key; a value of 1..model::kMaxPreferenceValueBytes of UTF-8 with
// no control characters; a category (when given) of lower-case snake_case, at most 64 bytes.
Status ValidatePreferenceUpdate(const PreferenceUpdate& update);

// POST /memory/feedback: user, session and message ids; the signal; a note of at most
// max_content_bytes.
Status ValidateFeedback(const FeedbackCommand& command, const Limits& limits);

}  // namespace loci::service
