// SessionFolder: folds the turns of a session that have left the recent window into the
// session's rolling summary (storage: Store::PutSummary), incrementally: a fold reads the
// stored summary and only the turns after the last one it covers, a batch at a time, so a
// fold costs the new turns, never the whole session.
//
// The store keeps a summary only over the summary it extends and only while every turn it
// covers is still there (Store::PutSummary's Conflict); the folder then reads again and
// carries on, and rebuilds the summary from the session's first turn when extending it keeps
// failing (a turn older than the summary arrived after it was made). So a fold racing with
// another fold or with an erasure never keeps anything derived from erased turns.
// Thread-safety: all methods may be called concurrently (for the same session too).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "model/message.h"
#include "service/summarizer.h"
#include "storage/store.h"
#include "util/status.h"
#include "util/time.h"

namespace loci::service {

struct FoldOptions {
  int window = 20;   // the newest turns stay out of the summary (MAX_CONTEXT_MESSAGES)
  int batch = 256;   // turns read and folded per step
  int attempts = 4;  // conflicts tolerated before giving up with Conflict
};

class SessionFolder {
 public:
  // Called after each summary the folder keeps (say, to invalidate cached context packs).
  using ChangeListener = std::function<void(const model::UserRef&)>;

  // REQUIRES: store, summarizer and clock outlive the folder; options.window >= 0,
  // options.batch >= 1.
  SessionFolder(storage::Store& store, const Summarizer& summarizer, const Clock& clock,
                FoldOptions options, ChangeListener changed = {})
      : store_(store),
        summarizer_(summarizer),
        clock_(clock),
        options_(options),
        changed_(std::move(changed)) {}

  // The turns of the session older than the window that its summary does not cover yet
  // (0 when the session fits the window or does not exist). Unavailable / Internal when
  // storage fails.
  Result<std::int64_t> Lag(const model::UserRef& user, const std::string& session_id) const;

  // Folds every turn of the session older than the window into its summary; returns how many
  // turns it folded (0 when nothing was behind, or the session does not exist). Conflict when
  // concurrent changes kept it from finishing after options.attempts tries (the turns folded
  // so far stay folded); the summarizer's error when it fails; Unavailable / Internal when
  // storage fails.
  Result<std::int64_t> Fold(const model::UserRef& user, const std::string& session_id) const;

  const FoldOptions& options() const { return options_; }

  // Lag's count from the session and its summary (nullopt: none) as read.
  static std::int64_t LagOf(const model::SessionInfo& session,
                            const std::optional<storage::SessionSummary>& summary,
                            const FoldOptions& options);

 private:
  // One step: folds up to options.batch turns after the summary (from the first turn with
  // `rebuild`). Returns the turns folded; 0 when none was behind.
  Result<std::int64_t> Step(const model::UserRef& user, const std::string& session_id,
                            bool rebuild) const;

  storage::Store& store_;
  const Summarizer& summarizer_;
  const Clock& clock_;
  FoldOptions options_;
  ChangeListener changed_;
};

}  // namespace loci::service
