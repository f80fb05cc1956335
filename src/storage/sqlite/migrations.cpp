#include "storage/sqlite/migrations.h"

#include <span>
#include <string>

#include "storage/sqlite/index_writes.h"

namespace loci::storage::sqlite {
namespace {

// Version 1: users, sessions, messages, the inverted index, idempotency keys.
//
// The inverted index has two tiers (index_writes.h). A message carries its own index entries
// (index_terms: terms with frequencies; index_attributes: metadata attributes) in its row, so
// storing it writes no index page at all; those are the user's unmerged messages, the ones
// with seq > users.merged_seq. Once a user's unmerged entries reach a threshold they are
// merged, sorted, into `entries`, which is clustered by key for lookups. (Version 7 replaces
// `entries` with segments of posting lists.)
//
// Foreign keys are declared where the parent's delete can find the children through an index.
// `entries` has none: it is maintained by the code that writes and erases messages, and a
// foreign key from it would cost a lookup per entry.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  document_count INTEGER NOT NULL DEFAULT 0,    -- messages, for BM25
  total_length INTEGER NOT NULL DEFAULT 0,      -- sum of their term_count, for BM25
  merged_seq INTEGER NOT NULL DEFAULT 0,        -- messages up to here are in entries
  unmerged_entries INTEGER NOT NULL DEFAULT 0,  -- index entries of the newer ones
  UNIQUE (tenant, user_id)
);

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  user_ref INTEGER NOT NULL REFERENCES users (id),
  session_id TEXT NOT NULL,
  message_count INTEGER NOT NULL,
  first_at INTEGER NOT NULL,  -- min(created_at) of its messages
  last_at INTEGER NOT NULL,   -- max(created_at) of its messages
  last_seq INTEGER NOT NULL,  -- its newest message: orders sessions, finds unmerged messages
  UNIQUE (user_ref, session_id)
);

-- The small columns come first: the index reads them without walking a long content.
CREATE TABLE messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, so a stale seq cannot name a new row
  public_id TEXT NOT NULL UNIQUE,
  user_ref INTEGER NOT NULL,  -- always the session's user; kept here to scope lookups by seq
  session_ref INTEGER NOT NULL REFERENCES sessions (id),
  role INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  term_count INTEGER NOT NULL,
  token_count INTEGER NOT NULL,
  index_terms BLOB NOT NULL,       -- its terms and their frequencies (codec.h)
  index_attributes BLOB NOT NULL,  -- its metadata attributes (codec.h)
  name TEXT,
  content TEXT NOT NULL,
  metadata TEXT NOT NULL
);
CREATE INDEX messages_by_session ON messages (session_ref, created_at, seq);

CREATE TABLE entries (
  user_ref INTEGER NOT NULL,
  kind INTEGER NOT NULL,     -- 0: term, 1: metadata attribute
  key BLOB NOT NULL,
  seq INTEGER NOT NULL,
  tf INTEGER NOT NULL,       -- term frequency (0 for attributes)
  doc_len INTEGER NOT NULL,  -- the message's term_count, so term lookups need no join
  PRIMARY KEY (user_ref, kind, key, seq)
) WITHOUT ROWID;

-- kind 0: a message's idempotency key; outcome is the message's public id.
-- kind 1: a request's key; outcome is the public ids it answered, encoded with codec.h.
-- Keys outlive erasure of their messages (a retry must not bring erased content back) and go
-- with the user.
CREATE TABLE idempotency (
  user_ref INTEGER NOT NULL REFERENCES users (id),
  kind INTEGER NOT NULL,
  key BLOB NOT NULL,
  outcome BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_ref, kind, key)
) WITHOUT ROWID;
)sql";

// Version 2: envelope encryption (storage/sealed_store.h). A user's data key, wrapped by the
// master key, lives in the user's row and goes with it; the server's own keys (audit chain,
// pseudonyms) live in system_keys and survive every erasure.
constexpr std::string_view kVersion2 = R"sql(
ALTER TABLE users ADD COLUMN data_key BLOB;

CREATE TABLE system_keys (
  name TEXT PRIMARY KEY,
  wrapped BLOB NOT NULL
);
)sql";

// Version 3: a user's messages in seq order, for exports (Store::UserMessages). The index on
// user_ref alone keys (user_ref, seq), since seq is the rowid; a page is one range seek.
constexpr std::string_view kVersion3 = R"sql(
CREATE INDEX messages_by_user ON messages (user_ref);
)sql";

// Version 4: API keys managed with `loci keys` (besides the ones in LOCI_API_KEYS). Only the
// SHA-256 of a key's secret is kept: the secret is a 256-bit random token, so a plain hash
// is enough to make a stolen database useless for calling the API, and a lookup by the hash
// needs no per-key salt. Rows are never deleted: a revoked key keeps its row, so its id stays
// meaningful in the audit log and is never reused.
constexpr std::string_view kVersion4 = R"sql(
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,                   -- public: "k_" + ULID
  tenant TEXT NOT NULL,
  scope TEXT NOT NULL CHECK (scope IN ('app', 'admin')),
  name TEXT NOT NULL DEFAULT '',
  secret_hash BLOB NOT NULL UNIQUE,      -- SHA-256 of the secret
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,                    -- NULL while the key works
  rate_limit INTEGER CHECK (rate_limit >= 0)  -- requests/s; NULL: LOCI_RATE_LIMIT; 0: none
);
CREATE INDEX api_keys_by_tenant ON api_keys (tenant, created_at);
)sql";

// Version 5: the audit log (storage/audit_chain.h). Events hold no personal data (the user is
// a keyed pseudonym) and no foreign key to users: they outlive every erasure. The head row is
// written with every event, in the same transaction, so that removing the newest events shows.
constexpr std::string_view kVersion5 = R"sql(
CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY,      -- position in the chain: 1, 2, ...
  at INTEGER NOT NULL,          -- unix milliseconds
  tenant TEXT NOT NULL,
  key_id TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,        -- the user's pseudonym, or ''
  request_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  count INTEGER NOT NULL,
  mac BLOB NOT NULL             -- MAC(chain key, previous mac || this event)
);
CREATE INDEX audit_by_tenant ON audit_events (tenant, seq);
CREATE INDEX audit_by_subject ON audit_events (subject, seq);
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  mac BLOB NOT NULL,
  tag BLOB NOT NULL             -- MAC(chain key, seq || mac)
);
)sql";

// Version 6: privacy settings and retention. A user's settings (model::PrivacySettings) are
// one row keyed by the user, unsealed (they hold no personal content), and go with the user
// (ON DELETE CASCADE, found through the primary key). A user who never set any has no row and
// reads as the defaults. (Version 5 is the audit log's.)
//
// The retention purge finds expired messages through their sessions: sessions.first_at is the
// oldest created_at a session holds, so the sessions with first_at before a horizon are
// exactly those holding expired messages, and messages_by_session (session_ref, created_at,
// seq) reads those messages as one range. An index on sessions costs far less than one on
// messages (a session row is written once per store, not once per message). Users with a
// retention_days of their own are few and found through a partial index.
constexpr std::string_view kVersion6 = R"sql(
CREATE TABLE privacy (
  user_ref INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  store_messages INTEGER NOT NULL,
  learn_preferences INTEGER NOT NULL,
  retention_days INTEGER CHECK (retention_days BETWEEN 1 AND 36500),  -- NULL: no own limit
  redact_pii INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX privacy_with_retention ON privacy (retention_days)
  WHERE retention_days IS NOT NULL;
CREATE INDEX sessions_by_first_at ON sessions (first_at);
)sql";

// Version 7: the durable work queue (Store::MarkWork). One row per pending (user, kind, key);
// a lease (leased_until) keeps a claimed item from being handed out twice, and generation
// tells a finished run whether the item was marked again meanwhile.
constexpr std::string_view kVersion7 = R"sql(
CREATE TABLE work (
  user_ref INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  leased_until INTEGER NOT NULL DEFAULT 0,
  generation INTEGER NOT NULL DEFAULT 1,
  attempts INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (user_ref, kind, key)
) WITHOUT ROWID;
CREATE INDEX work_by_due ON work (due_at);
)sql";

// Version 8: rolling summaries, one per session (Store::PutSummary). The text is sealed by
// storage/sealed_store.h. A summary covers its session's messages up to the one whose seq is
// covers_until_seq; it goes with its session (ON DELETE CASCADE, found through the primary
// key), and the erasure of a message it covers drops it (erase.cpp: RefreshSession).
constexpr std::string_view kVersion8 = R"sql(
CREATE TABLE summaries (
  session_ref INTEGER PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
  text BLOB NOT NULL,
  covers_until_seq INTEGER NOT NULL,
  message_count INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql";

// Version 9: message vectors (Store::PutEmbeddings), at most one per message and embedding
// model, sealed like content. Clustered by (user, model, seq) so that a user's vectors for a
// search are one range read. They go with their message through the foreign key (found through
// embeddings_by_seq), so every erasure of messages (one, a session's, a user's, the purge)
// takes them along without code of its own. embeddings_by_user counts a user's vectors without
// reading them (Store::EmbeddingCount).
constexpr std::string_view kVersion9 = R"sql(
CREATE TABLE embeddings (
  user_ref INTEGER NOT NULL,
  model TEXT NOT NULL,  -- embed::Embedder::model_id
  seq INTEGER NOT NULL REFERENCES messages (seq) ON DELETE CASCADE,
  vector BLOB NOT NULL,
  PRIMARY KEY (user_ref, model, seq)
) WITHOUT ROWID;
CREATE INDEX embeddings_by_seq ON embeddings (seq);
CREATE INDEX embeddings_by_user ON embeddings (user_ref, model);  -- keys only: cheap counts
)sql";

// Version 10: preferences. One row per (user, key); the key and value are whatever the store
// above gives (SealedStore: a keyed hash of the key, and the key and value sealed together).
// Evidence rows point at the messages a preference was learned from, so erasing a message
// (by any path: one message, a session, the retention purge, the user) takes it out of the
// evidence through the foreign key, and the trigger then drops a preference left without
// evidence unless it was set by hand (source 3, model::PreferenceSource::kManual). Forgotten
// keys remember the user's newest message at the time, so the same old messages do not teach
// the key again. preference_state holds the learner's progress and its sealed style state.
// Everything goes with the user (ON DELETE CASCADE).
constexpr std::string_view kVersion10 = R"sql(
CREATE TABLE preferences (
  id INTEGER PRIMARY KEY,
  user_ref INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key BLOB NOT NULL,
  value BLOB NOT NULL,
  category TEXT NOT NULL,
  confidence INTEGER NOT NULL,  -- millionths
  source INTEGER NOT NULL,      -- 0 explicit, 1 inferred, 2 feedback, 3 manual
  updated_at INTEGER NOT NULL,
  UNIQUE (user_ref, key)
);
CREATE TABLE preference_evidence (
  preference_ref INTEGER NOT NULL REFERENCES preferences (id) ON DELETE CASCADE,
  message_seq INTEGER NOT NULL REFERENCES messages (seq) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  PRIMARY KEY (preference_ref, message_seq)
) WITHOUT ROWID;
CREATE INDEX preference_evidence_by_message ON preference_evidence (message_seq);
CREATE TRIGGER preference_left_without_evidence AFTER DELETE ON preference_evidence
WHEN NOT EXISTS (SELECT 1 FROM preference_evidence WHERE preference_ref = old.preference_ref)
BEGIN
  DELETE FROM preferences WHERE id = old.preference_ref AND source != 3;
END;
CREATE TABLE forgotten_preferences (
  user_ref INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key BLOB NOT NULL,
  through_seq INTEGER NOT NULL,
  PRIMARY KEY (user_ref, key)
) WITHOUT ROWID;
CREATE TABLE preference_state (
  user_ref INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  learned_seq INTEGER NOT NULL,
  style BLOB NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql";

// Version 11: the merged tier of the index becomes segments of posting lists (index_writes.h),
// kept in blocks of a few kilobytes (index_blocks.h), instead of one row per (key, message)
// in `entries`. A segment's rows are clustered by segment, so a merge appends a few pages
// instead of touching a page per key across the user's whole index. Attributes have lists
// too (seqs only). The converted index is built from the messages' own entries
// (RebuildIndex), which hold exactly what `entries` held; `entries` goes (secure_delete
// zeroes its pages).
constexpr std::string_view kVersion11 = R"sql(
CREATE TABLE segments (
  user_ref INTEGER NOT NULL,
  first_seq INTEGER NOT NULL,  -- covers seqs from here to the next segment's first_seq
  level INTEGER NOT NULL,      -- 0: made by a merge of unmerged messages; L + 1: of level-L ones
  PRIMARY KEY (user_ref, first_seq)
) WITHOUT ROWID;

-- Blocks of posting lists (index_blocks.h).
CREATE TABLE postings (
  user_ref INTEGER NOT NULL,
  first_seq INTEGER NOT NULL,  -- its segment
  kind INTEGER NOT NULL,       -- 0: terms, 1: metadata attributes
  first_key BLOB NOT NULL,     -- no key in the block is below it
  lists BLOB NOT NULL,         -- codec.h block: keys in order, each with its posting list
  PRIMARY KEY (user_ref, first_seq, kind, first_key)
) WITHOUT ROWID;

DROP TABLE entries;
UPDATE users SET merged_seq = 0, unmerged_entries = 0;
)sql";

// Version 12: how far the chat model's preference extraction has read (PreferenceState::
// model_seq), apart from the built-in learner's learned_seq.
constexpr std::string_view kVersion12 = R"sql(
ALTER TABLE preference_state ADD COLUMN model_seq INTEGER NOT NULL DEFAULT 0;
)sql";

constexpr Migration kMigrations[] = {
    {1, "users, sessions, messages, inverted index, idempotency keys", kVersion1},
    {2, "wrapped data keys", kVersion2},
    {3, "messages by user, for exports", kVersion3},
    {4, "API keys", kVersion4},
    {5, "audit log", kVersion5},
    {6, "privacy settings; sessions by their oldest message, for retention", kVersion6},
    {7, "work queue", kVersion7},
    {8, "session summaries", kVersion8},
    {9, "message vectors", kVersion9},
    {10, "preferences, their evidence, forgotten keys and the learner's state", kVersion10},
    {11, "index segments of posting lists", kVersion11, RebuildIndex},
    {12, "the preference model's progress", kVersion12},
};

}  // namespace

int LatestSchemaVersion() { return std::span(kMigrations).back().version; }

Status Migrate(Connection& db) {
  ASSIGN_OR_RETURN(std::int64_t application_id, db.QueryInt("PRAGMA application_id"));
  ASSIGN_OR_RETURN(std::int64_t tables, db.QueryInt("SELECT count(*) FROM sqlite_schema"));
  if (application_id != kApplicationId && (application_id != 0 || tables != 0)) {
    return Conflict("sqlite: the file is not a Loci database (application_id " +
                    std::to_string(application_id) + ")");
  }
  RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  // Read the version inside the transaction: another process may have migrated meanwhile.
  Result<std::int64_t> version = db.QueryInt("PRAGMA user_version");
  Status status = version.status();
  if (status.ok() && *version > LatestSchemaVersion()) {
    status = Conflict("sqlite: the database has schema version " + std::to_string(*version) +
                      ", newer than this build of Loci knows (" +
                      std::to_string(LatestSchemaVersion()) + "); run a newer Loci");
  }
  for (const Migration& migration : kMigrations) {
    if (!status.ok()) break;
    if (migration.version <= *version) continue;
    status = db.Exec(migration.sql);
    if (status.ok() && migration.then != nullptr) status = migration.then(db);
    if (status.ok()) {
      status = db.Exec("PRAGMA user_version = " + std::to_string(migration.version));
    }
  }
  if (status.ok() && *version < LatestSchemaVersion()) {
    status = db.Exec("PRAGMA application_id = " + std::to_string(kApplicationId));
  }
  if (status.ok()) status = db.Exec("COMMIT");
  if (!status.ok() && db.InTransaction()) (void)db.Exec("ROLLBACK");
  return status;
}

}  // namespace loci::storage::sqlite
