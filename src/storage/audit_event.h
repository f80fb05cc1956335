// The audit log's values as the store keeps them (store.h): one event per access to personal
// data or admin action, chained by a MAC (audit_chain.h). Nothing here is personal data: the
// user appears only as a keyed pseudonym, and no content is ever recorded.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "util/time.h"

namespace loci::storage {

struct AuditEvent {
  std::int64_t seq = 0;  // position in the chain, 1, 2, ...; assigned by the store
  UnixMillis at = 0;     // when it happened
  std::string tenant;    // the caller's tenant
  std::string key_id;    // the API key's id; "" in development mode
  std::string action;    // a stable snake_case name ("store", "context", ...)
  std::string subject;   // the user's pseudonym (hex); "" when no user is concerned
  std::string request_id;
  std::string outcome;     // "ok" or the error code ("not_found", ...)
  std::int64_t count = 0;  // how many items the action touched (messages, results, events)
  std::string mac;         // MAC over the previous event's mac and this one; set by the store
};

// The end of the chain, kept apart from the events so that removing the newest events
// (truncation) is seen: `tag` is a MAC over (seq, mac) that only the chain key can make.
struct AuditHead {
  std::int64_t seq = 0;
  std::string mac;
  std::string tag;
};

// Which events AuditEvents returns: one tenant's, in seq order, after `after_seq`.
struct AuditQuery {
  std::string tenant;
  std::optional<std::string> subject;
  std::optional<std::string> action;
  std::optional<UnixMillis> since;  // at >= since
  std::int64_t after_seq = 0;
  int limit = 100;
};

}  // namespace loci::storage
