#include "service/validation.h"

#include <string>

#include "util/strings.h"

namespace loci::service {
namespace {

std::string MessageField(std::size_t index, std::string_view name) {
  return "messages[" + std::to_string(index) + "]." + std::string(name);
}

Status ValidateText(std::string_view value, std::string_view field, std::size_t max_bytes) {
  if (value.size() > max_bytes) {
    return InvalidArgument(
        std::string(field) + " is longer than " + std::to_string(max_bytes) + " bytes",
        std::string(field));
  }
  if (!IsValidUtf8(value)) {
    return InvalidArgument(std::string(field) + " is not valid UTF-8", std::string(field));
  }
  return Status::Ok();
}

}  // namespace

Status ValidateIdentifier(std::string_view value, std::string_view field, std::size_t max_bytes) {
  if (value.empty()) {
    return InvalidArgument(std::string(field) + " must not be empty", std::string(field));
  }
  RETURN_IF_ERROR(ValidateText(value, field, max_bytes));
  if (HasControlCharacters(value)) {
    return InvalidArgument(std::string(field) + " must not contain control characters",
                           std::string(field));
  }
  return Status::Ok();
}

Status ValidateStoreCommand(const StoreCommand& command, const Limits& limits) {
  RETURN_IF_ERROR(ValidateIdentifier(command.user_id, "user_id", limits.max_id_bytes));
  if (command.session_id) {
    RETURN_IF_ERROR(ValidateIdentifier(*command.session_id, "session_id", limits.max_id_bytes));
  }
  if (command.request_key) {
    RETURN_IF_ERROR(
        ValidateIdentifier(*command.request_key, "Idempotency-Key", limits.max_id_bytes));
  }
  if (command.messages.empty()) {
    return InvalidArgument("messages must hold at least one message", "messages");
  }
  if (command.messages.size() > static_cast<std::size_t>(limits.max_messages_per_store)) {
    return InvalidArgument(
        "messages holds more than " + std::to_string(limits.max_messages_per_store) + " messages",
        "messages");
  }
  for (std::size_t i = 0; i < command.messages.size(); ++i) {
    const IncomingMessage& message = command.messages[i];
    RETURN_IF_ERROR(
        ValidateText(message.content, MessageField(i, "content"), limits.max_content_bytes));
    if (message.metadata_json.size() > limits.max_metadata_bytes) {
      return InvalidArgument(MessageField(i, "metadata") + " is larger than " +
                                 std::to_string(limits.max_metadata_bytes) + " bytes serialized",
                             MessageField(i, "metadata"));
    }
    if (message.name) {
      RETURN_IF_ERROR(
          ValidateIdentifier(*message.name, MessageField(i, "name"), limits.max_id_bytes));
    }
    if (message.idempotency_key) {
      RETURN_IF_ERROR(ValidateIdentifier(*message.idempotency_key,
                                         MessageField(i, "idempotency_key"), limits.max_id_bytes));
    }
  }
  return Status::Ok();
}

Status ValidateSearchQuery(const SearchQuery& query, const Limits& limits) {
  RETURN_IF_ERROR(ValidateIdentifier(query.user_id, "user_id", limits.max_id_bytes));
  if (query.session_id) {
    RETURN_IF_ERROR(ValidateIdentifier(*query.session_id, "session_id", limits.max_id_bytes));
  }
  RETURN_IF_ERROR(ValidateText(query.query, "query", limits.max_content_bytes));
  if (query.limit < 1 || query.limit > limits.max_search_limit) {
    return InvalidArgument("limit must be between 1 and " + std::to_string(limits.max_search_limit),
                           "limit");
  }
  if (query.offset < 0) return InvalidArgument("offset must not be negative", "offset");
  if (query.since && query.until && *query.since >= *query.until) {
    return InvalidArgument("since must be before until", "since");
  }
  return Status::Ok();
}

Status ValidateContextQuery(const ContextQuery& query, const Limits& limits) {
  RETURN_IF_ERROR(ValidateIdentifier(query.user_id, "user_id", limits.max_id_bytes));
  if (query.session_id) {
    RETURN_IF_ERROR(ValidateIdentifier(*query.session_id, "session_id", limits.max_id_bytes));
  }
  if (query.max_messages && *query.max_messages < 1) {
    return InvalidArgument("max_messages must be at least 1", "max_messages");
  }
  if (query.max_tokens && *query.max_tokens < 1) {
    return InvalidArgument("max_tokens must be at least 1", "max_tokens");
  }
  if (query.query) RETURN_IF_ERROR(ValidateText(*query.query, "query", limits.max_content_bytes));
  return Status::Ok();
}

Status ValidatePreferenceKey(std::string_view key) {
  if (!model::IsValidPreferenceKey(key)) {
    return InvalidArgument(
        "key must be lower-case snake_case (optionally likes:<thing> or dislikes:<thing>), at "
        "most " +
            std::to_string(model::kMaxPreferenceKeyBytes) + " bytes",
        "key");
  }
  return Status::Ok();
}

Status ValidatePreferenceUpdate(const PreferenceUpdate& update) {
  RETURN_IF_ERROR(ValidatePreferenceKey(update.key));
  if (update.value.empty()) return InvalidArgument("value is empty", "value");
  RETURN_IF_ERROR(ValidateText(update.value, "value", model::kMaxPreferenceValueBytes));
  if (HasControlCharacters(update.value)) {
    return InvalidArgument("value holds control characters", "value");
  }
  if (update.category) {
    constexpr std::size_t kMaxCategoryBytes = 64;
    bool snake = !update.category->empty() && update.category->size() <= kMaxCategoryBytes &&
                 model::IsValidPreferenceKey(*update.category) &&
                 update.category->find(':') == std::string::npos;
    if (!snake) {
      return InvalidArgument("category must be lower-case snake_case, at most 64 bytes",
                             "category");
    }
  }
  return Status::Ok();
}

Status ValidateFeedback(const FeedbackCommand& command, const Limits& limits) {
  RETURN_IF_ERROR(ValidateIdentifier(command.user_id, "user_id", limits.max_id_bytes));
  RETURN_IF_ERROR(ValidateIdentifier(command.session_id, "session_id", limits.max_id_bytes));
  RETURN_IF_ERROR(ValidateIdentifier(command.message_id, "message_id", limits.max_id_bytes));
  const std::string& signal = command.signal;
  if (signal != "too_long" && signal != "too_short" && signal != "good" && signal != "bad") {
    return InvalidArgument("signal must be too_long, too_short, good or bad", "signal");
  }
  if (command.note) RETURN_IF_ERROR(ValidateText(*command.note, "note", limits.max_content_bytes));
  return Status::Ok();
}

}  // namespace loci::service
