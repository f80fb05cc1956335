// JSON ↔ response mapping shared by the route handlers: the message object of API.md, JSON
// responses, and the one way handlers answer (JSON body or the shared error mapping).
// Included by the route files only (it pulls in nlohmann/json).
// Thread-safety: pure functions; Reply* may be called from any thread.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/json_writer.h"
#include "http/responder.h"
#include "model/message.h"
#include "model/privacy.h"
#include "service/commands.h"
#include "util/status.h"

namespace loci::http {

using Json = nlohmann::json;

// Serializes compactly; invalid UTF-8 from below is replaced rather than thrown on.
std::string DumpJson(const Json& value);

// Writes the message object of API.md, keys in its order: {id, user_id, session_id, role, name
// (null when absent), content, created_at (RFC 3339 ms), metadata (the stored object, embedded
// as stored), token_count}. Internal, with nothing useful written, when the stored metadata is
// not a JSON object (the caller then answers 500 and drops the writer).
Status WriteMessage(JsonWriter& writer, const model::Message& message);
// The members of that object only, into an object the caller has begun (an export line adds
// its "type" first). Fails as WriteMessage, before writing anything.
Status WriteMessageFields(JsonWriter& writer, const model::Message& message);
// Writes `messages` as an array of message objects; fails as WriteMessage.
Status WriteMessages(JsonWriter& writer, const std::vector<model::Message>& messages);

// Writes {"message": {...}, "score": s} plus "highlights" when `with_highlights`.
Status WriteScoredMessage(JsonWriter& writer, const service::ScoredMessage& scored,
                          bool with_highlights);

// Writes the session object of GET /memory/sessions: {session_id, message_count, first_at,
// last_at}; WriteSessionFields writes its members only.
void WriteSession(JsonWriter& writer, const model::SessionInfo& session);
void WriteSessionFields(JsonWriter& writer, const model::SessionInfo& session);

// Writes the settings object of GET /memory/privacy: {store_messages, learn_preferences,
// retention_days (null for no limit), redact_pii}; WritePrivacyFields writes its members only.
void WritePrivacySettings(JsonWriter& writer, const model::PrivacySettings& settings);
void WritePrivacyFields(JsonWriter& writer, const model::PrivacySettings& settings);

// Writes the preference object of API.md: {key, value, category, confidence, source, evidence
// (message ids), updated_at (RFC 3339 ms)}; WritePreferenceFields writes its members only.
void WritePreference(JsonWriter& writer, const model::Preference& preference);
void WritePreferenceFields(JsonWriter& writer, const model::Preference& preference);

// Writes the event object of GET /audit: {seq, at, tenant, key_id, action, user (null when no
// user is concerned), request_id, outcome, count}; WriteAuditEventFields writes its members only.
void WriteAuditEvent(JsonWriter& writer, const service::AuditEntry& event);
void WriteAuditEventFields(JsonWriter& writer, const service::AuditEntry& event);

// About how many bytes WriteMessage writes for `message`, for reserving the output.
std::size_t EstimateMessageBytes(const model::Message& message);

// A response with `status`, Content-Type application/json and `body` serialized.
Response JsonResponse(int status, const Json& body);

// The same for a body already serialized (by a JsonWriter).
Response JsonTextResponse(int status, std::string body);
// The same for a serialized body kept for reuse: sent without a copy. REQUIRES: body non-null.
Response SharedJsonResponse(int status, std::shared_ptr<const std::string> body);

// Answers with `body` and `status`, or with the mapped error when `body` failed.
void ReplyJson(const Responder& respond, std::string_view request_id, int status,
               const Result<Json>& body);
void ReplyJsonText(const Responder& respond, std::string_view request_id, int status,
                   Result<std::string> body);
// Answers with the mapped error.
// REQUIRES: !status.ok()
void ReplyError(const Responder& respond, std::string_view request_id, const Status& status);
// Answers 500; `why` goes to the log, never to the client.
void ReplyInternal(const Responder& respond, std::string_view request_id, std::string_view why);

// Runs `reply` (which answers through `respond`), answering 500 if it throws. For work that
// finishes outside the pipeline's own catch-all, such as a storage completion callback.
template <typename F>
void ReplyGuarded(const Responder& respond, std::string_view request_id, F&& reply) {
  try {
    std::forward<F>(reply)();
  } catch (const std::exception& e) {
    ReplyInternal(respond, request_id, e.what());
  } catch (...) {
    ReplyInternal(respond, request_id, "unknown exception");
  }
}

}  // namespace loci::http
