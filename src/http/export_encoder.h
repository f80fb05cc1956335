// ExportEncoder: writes a user's export (MemoryService::Export) as JSON text, piece by piece, in
// either form the API offers. Shared by GET /memory/export/{user_id} and `loci export`, so both
// write the same bytes.
//
// kJson, one document:
//   {"user_id": …, "exported_at": …, "sessions": [session…], "messages": [message…],
//    "summaries": [summary…], "preferences": [preference…], "privacy": {settings},
//    "audit_events": [event…]}
// kNdjson, one object per line, each with "type" first, followed by the fields of the object
// the JSON document holds in that place:
//   {"type":"user","user_id":…,"exported_at":…}
//   {"type":"session","session_id":…,"message_count":…,"first_at":…,"last_at":…}   (each)
//   {"type":"message","id":…,…}                                                    (each)
//   {"type":"summary","session_id":…,"text":…,"covers_until":…,"message_count":…,
//    "updated_at":…}                                                               (each)
//   {"type":"preference","key":…,"value":…,…,"evidence":[…],…}                    (each)
//   {"type":"privacy","store_messages":…,"learn_preferences":…,…}
//   {"type":"audit_event","seq":…,"at":…,…}                                        (each)
//   {"type":"end","message_count":N,"audit_event_count":M}  (last: a stream without it was cut)
// A summary is a session's rolling summary (the context pack's "summary" with its session
// and time). Sessions, messages, preferences, privacy settings and audit events have the
// shapes of GET /memory/sessions, of every message route, of GET /memory/preferences, of GET
// /memory/privacy and of GET /audit. Later sections go after the messages, as new members of
// the document and new line types before "end".
//
// Thread-safety: an encoder is a plain value; use it from one thread at a time.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "http/json_writer.h"
#include "model/message.h"
#include "model/privacy.h"
#include "service/commands.h"
#include "util/status.h"

namespace loci::http {

enum class ExportFormat { kJson, kNdjson };

// "application/json" or "application/x-ndjson".
std::string_view ExportContentType(ExportFormat format);

class ExportEncoder {
 public:
  explicit ExportEncoder(ExportFormat format);

  // Each call replaces the content of `out` with the next piece. Call Begin once, Messages for
  // every page (in order), AuditEvents for every page of events (in order, after the last
  // Messages), then End once. The privacy settings (from the header) are written after the
  // messages, by the first AuditEvents or by End.
  void Begin(const service::ExportHeader& header, std::string& out);
  // Internal when a stored message is damaged (its metadata is not a JSON object); the
  // export is then unusable.
  Status Messages(std::span<const model::Message> messages, std::string& out);
  void AuditEvents(std::span<const service::AuditEntry> events, std::string& out);
  void End(std::string& out);

  std::int64_t messages_written() const { return messages_written_; }
  std::int64_t audit_events_written() const { return audit_events_written_; }

 private:
  // Closes the messages, writes the privacy settings and opens the audit events, once.
  void EndMessages(std::string& out);

  ExportFormat format_;
  JsonWriter document_;  // kJson: the one document, handed out piece by piece
  model::PrivacySettings privacy_;
  std::vector<service::SessionSummaryEntry> summaries_;
  std::vector<model::Preference> preferences_;
  bool messages_ended_ = false;
  std::int64_t messages_written_ = 0;
  std::int64_t audit_events_written_ = 0;
};

}  // namespace loci::http
