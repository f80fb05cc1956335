#include "http/export_encoder.h"

#include "http/json_response.h"
#include "util/time.h"

namespace loci::http {
namespace {

// One NDJSON line: `type`, then what `fields` writes, then a newline, appended to `out`.
template <typename F>
void AppendLine(std::string& out, std::string_view type, std::size_t reserve, F&& fields) {
  JsonWriter line(reserve);
  line.BeginObject();
  line.Key("type");
  line.String(type);
  std::forward<F>(fields)(line);
  line.EndObject();
  out.append(line.str());
  out.push_back('\n');
}

void WriteUserFields(JsonWriter& writer, const service::ExportHeader& header) {
  writer.Key("user_id");
  writer.String(header.user_id);
  writer.Key("exported_at");
  writer.String(FormatRfc3339(header.exported_at));
}

void WriteSummaryFields(JsonWriter& writer, const service::SessionSummaryEntry& entry) {
  writer.Key("session_id");
  writer.String(entry.session_id);
  writer.Key("text");
  writer.String(entry.summary.text);
  writer.Key("covers_until");
  writer.String(entry.summary.covers_until);
  writer.Key("message_count");
  writer.Int(entry.summary.message_count);
  writer.Key("updated_at");
  writer.String(FormatRfc3339(entry.updated_at));
}

std::size_t EstimateSummaryBytes(const service::SessionSummaryEntry& entry) {
  return 160 + entry.session_id.size() + entry.summary.text.size() * 11 / 10 +
         entry.summary.covers_until.size();
}

}  // namespace

std::string_view ExportContentType(ExportFormat format) {
  return format == ExportFormat::kNdjson ? "application/x-ndjson" : "application/json";
}

ExportEncoder::ExportEncoder(ExportFormat format) : format_(format), document_(64 * 1024) {}

void ExportEncoder::Begin(const service::ExportHeader& header, std::string& out) {
  privacy_ = header.privacy;
  summaries_ = header.summaries;
  preferences_ = header.preferences;
  if (format_ == ExportFormat::kJson) {
    document_.BeginObject();
    WriteUserFields(document_, header);
    document_.Key("sessions");
    document_.BeginArray();
    for (const model::SessionInfo& session : header.sessions) WriteSession(document_, session);
    document_.EndArray();
    document_.Key("messages");
    document_.BeginArray();
    document_.MoveOutputTo(out);
    return;
  }
  out.clear();
  AppendLine(out, "user", 256, [&](JsonWriter& line) { WriteUserFields(line, header); });
  for (const model::SessionInfo& session : header.sessions) {
    AppendLine(out, "session", 256, [&](JsonWriter& line) { WriteSessionFields(line, session); });
  }
}

Status ExportEncoder::Messages(std::span<const model::Message> messages, std::string& out) {
  if (format_ == ExportFormat::kJson) {
    for (const model::Message& message : messages)
      RETURN_IF_ERROR(WriteMessage(document_, message));
    messages_written_ += static_cast<std::int64_t>(messages.size());
    document_.MoveOutputTo(out);
    return Status::Ok();
  }
  out.clear();
  for (const model::Message& message : messages) {
    Status written;
    AppendLine(out, "message", EstimateMessageBytes(message),
               [&](JsonWriter& line) { written = WriteMessageFields(line, message); });
    RETURN_IF_ERROR(written);
  }
  messages_written_ += static_cast<std::int64_t>(messages.size());
  return Status::Ok();
}

void ExportEncoder::EndMessages(std::string& out) {
  if (messages_ended_) return;
  messages_ended_ = true;
  if (format_ == ExportFormat::kJson) {
    document_.EndArray();
    document_.Key("summaries");
    document_.BeginArray();
    for (const service::SessionSummaryEntry& entry : summaries_) {
      document_.BeginObject();
      WriteSummaryFields(document_, entry);
      document_.EndObject();
    }
    document_.EndArray();
    document_.Key("preferences");
    document_.BeginArray();
    for (const model::Preference& preference : preferences_) WritePreference(document_, preference);
    document_.EndArray();
    document_.Key("privacy");
    WritePrivacySettings(document_, privacy_);
    document_.Key("audit_events");
    document_.BeginArray();
    return;  // the caller moves the document's output to `out`
  }
  for (const service::SessionSummaryEntry& entry : summaries_) {
    AppendLine(out, "summary", EstimateSummaryBytes(entry),
               [&](JsonWriter& line) { WriteSummaryFields(line, entry); });
  }
  for (const model::Preference& preference : preferences_) {
    AppendLine(out, "preference", 256,
               [&](JsonWriter& line) { WritePreferenceFields(line, preference); });
  }
  AppendLine(out, "privacy", 128, [&](JsonWriter& line) { WritePrivacyFields(line, privacy_); });
}

void ExportEncoder::AuditEvents(std::span<const service::AuditEntry> events, std::string& out) {
  out.clear();
  EndMessages(out);
  if (format_ == ExportFormat::kJson) {
    for (const service::AuditEntry& event : events) WriteAuditEvent(document_, event);
    document_.MoveOutputTo(out);
  } else {
    for (const service::AuditEntry& event : events) {
      AppendLine(out, "audit_event", 320,
                 [&](JsonWriter& line) { WriteAuditEventFields(line, event); });
    }
  }
  audit_events_written_ += static_cast<std::int64_t>(events.size());
}

void ExportEncoder::End(std::string& out) {
  out.clear();
  EndMessages(out);
  if (format_ == ExportFormat::kJson) {
    document_.EndArray();
    document_.EndObject();
    document_.MoveOutputTo(out);
    return;
  }
  AppendLine(out, "end", 96, [&](JsonWriter& line) {
    line.Key("message_count");
    line.Int(messages_written_);
    line.Key("audit_event_count");
    line.Int(audit_events_written_);
  });
}

}  // namespace loci::http
