// The commands MemoryService accepts and the results it returns: the domain side of every
// route. http/ maps JSON to these and back; nothing here knows about HTTP or JSON.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/message.h"
#include "model/preference.h"
#include "model/privacy.h"
#include "util/time.h"

namespace loci::service {

// Who is calling, for scoping and (later) audit.
struct Caller {
  std::string tenant;
  std::string key_id;  // "" in development mode
  std::string request_id;
};

struct IncomingMessage {
  model::Role role = model::Role::kUser;
  std::optional<std::string> name;
  std::string content;
  std::optional<UnixMillis> created_at;          // server time when absent
  std::string metadata_json = "{}";              // a serialized JSON object
  std::vector<std::string> metadata_attributes;  // model::MetadataAttribute per entry
  std::optional<std::string> idempotency_key;
};

struct StoreCommand {
  std::string user_id;
  std::optional<std::string> session_id;  // "default" when absent
  std::vector<IncomingMessage> messages;
  std::optional<std::string> request_key;  // Idempotency-Key header
};

struct StoreResult {
  std::string session_id;
  std::vector<std::string> message_ids;
  int stored = 0;
  int duplicates = 0;
  // Messages kept nowhere because of the user's privacy settings, and why (kDiscard*).
  int discarded = 0;
  std::optional<std::string> reason;
};

// StoreResult::reason when the user's store_messages setting is off.
inline constexpr char kDiscardStoreMessagesDisabled[] = "store_messages_disabled";

struct ContextQuery {
  std::string user_id;
  std::optional<std::string> session_id;  // the user's most recent session when absent
  std::optional<int> max_messages;        // MAX_CONTEXT_MESSAGES when absent
  std::optional<int> max_tokens;          // 2,000 when absent
  std::optional<std::string> query;
};

struct Summary {
  std::string text;
  std::string covers_until;  // id of the last message folded in
  std::int64_t message_count = 0;
};

// A session's summary as an export holds it.
struct SessionSummaryEntry {
  std::string session_id;
  Summary summary;
  UnixMillis updated_at = 0;
};

using Preference = model::Preference;

// PUT /memory/preferences/{user_id}/{key}: a preference set by hand.
struct PreferenceUpdate {
  std::string user_id;
  std::string key;
  std::string value;
  std::optional<std::string> category;  // model::DefaultPreferenceCategory(key) when absent
};

// POST /memory/feedback: what the user thought of an assistant message. The note is read by
// nobody and kept nowhere: only the signal is learned from.
struct FeedbackCommand {
  std::string user_id;
  std::string session_id;
  std::string message_id;
  std::string signal;  // too_long, too_short, good or bad
  std::optional<std::string> note;
};

struct ScoredMessage {
  model::Message message;
  double score = 0;
  std::vector<std::string> highlights;  // snippets with <mark>…</mark> around matches
};

struct ContextPack {
  std::string user_id;
  std::optional<std::string> session_id;  // null when the user has no session yet
  std::vector<model::Message> messages;   // oldest first
  std::optional<Summary> summary;
  std::vector<Preference> preferences;
  std::vector<ScoredMessage> relevant;
  int token_count = 0;
  bool truncated = false;
  std::string prompt;
};

enum class SearchMode { kHybrid, kFulltext, kSemantic };

struct SearchQuery {
  std::string user_id;
  std::string query;
  SearchMode mode = SearchMode::kHybrid;
  int limit = 10;
  int offset = 0;
  std::optional<std::string> session_id;
  std::vector<model::Role> roles;
  std::optional<UnixMillis> since;
  std::optional<UnixMillis> until;
  std::vector<std::string> metadata_attributes;  // all must match
};

struct SearchResult {
  std::vector<ScoredMessage> results;
  SearchMode mode = SearchMode::kHybrid;
  double took_ms = 0;
};

struct UserErasureResult {
  std::string user_id;
  std::int64_t messages = 0;
  std::int64_t sessions = 0;
  std::int64_t preferences = 0;
  bool key_destroyed = false;
};

// What an export holds besides the messages, known before the first message is read.
struct ExportHeader {
  std::string user_id;
  UnixMillis exported_at = 0;
  std::vector<model::SessionInfo> sessions;  // most recently active first
  // The messages the export will yield (the sessions' counts when it began); fewer when some
  // are erased while it runs.
  std::int64_t message_count = 0;
  model::PrivacySettings privacy;              // the user's settings when the export began
  std::vector<SessionSummaryEntry> summaries;  // the sessions' summaries, by session id
  std::vector<Preference> preferences;         // with their evidence, when the export began
};

struct SessionPageQuery {
  std::string user_id;
  std::string session_id;
  int limit = 50;
  std::optional<std::string> before;  // a message id
};

// GET /audit: the caller's tenant's events, oldest first, after `after` (a seq).
struct AuditListQuery {
  std::optional<std::string> user_id;  // matched through its pseudonym
  std::optional<std::string> action;
  std::optional<UnixMillis> since;
  std::int64_t after = 0;
  int limit = 100;
};

// One audit event as shown to an admin: no personal data (the user is a pseudonym).
struct AuditEntry {
  std::int64_t seq = 0;
  UnixMillis at = 0;
  std::string tenant;
  std::string key_id;
  std::string action;
  std::string user;  // the user's pseudonym (32 hex digits), or "" when none is concerned
  std::string request_id;
  std::string outcome;  // "ok" or an error code
  std::int64_t count = 0;
};

struct AuditPage {
  std::vector<AuditEntry> events;
  std::optional<std::int64_t> next_after;  // set when the page is full
};

// The verdict on the whole audit chain (all tenants).
struct AuditVerifyResult {
  bool ok = true;
  std::int64_t events = 0;         // events checked
  std::int64_t first_bad_seq = 0;  // 0 when ok
  std::string problem;             // "" when ok
};

// PUT /memory/privacy/{user_id}: the fields to change; absent ones keep their value.
struct PrivacyUpdate {
  std::string user_id;
  model::PrivacyChange change;
};

// What one user lost to a retention purge.
struct PurgedUserCounts {
  model::UserRef user;
  std::int64_t messages = 0;
  std::int64_t sessions = 0;  // sessions removed because their last message expired
};

// A whole retention purge (every batch until nothing expired remains).
struct PurgeReport {
  std::vector<PurgedUserCounts> users;  // one entry per user that lost something
  std::int64_t messages = 0;
  std::int64_t sessions = 0;
  int batches = 0;
  bool complete = true;  // false when stopped (shutdown) before everything expired was gone
};

}  // namespace loci::service
