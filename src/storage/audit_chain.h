// AuditChain: the MAC chain that makes the audit log tamper-evident, shared by every engine.
//
// Each event's mac = BLAKE2b-MAC(chain key, previous event's mac || canonical encoding of the
// event, its seq included); the first event's previous mac is empty. The head (AuditHead)
// repeats the last seq and mac under a tag of its own, written in the same transaction as the
// event. Whoever can edit the database but lacks the master key (which wraps the chain key)
// cannot make a valid mac or tag, so VerifyAuditChain finds:
// - an edited event (its mac does not match),
// - a removed event (a gap in seqs),
// - an inserted or moved event (its mac does not match its place),
// - removed newest events (the chain ends before the head),
// - an edited head (its tag does not match).
// It cannot find: the whole log and its head rolled back together to an earlier state (an old
// copy of the file, or a head row saved earlier and put back with the events after it
// removed); the whole log and head deleted (reads as an empty log). Those need a copy of the
// head kept outside the database.
// Thread-safety: an AuditChain is immutable; VerifyAuditChain may run beside appends.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/primitives.h"
#include "storage/audit_event.h"
#include "util/status.h"

namespace loci::storage {

class Store;

class AuditChain {
 public:
  static constexpr std::size_t kMacBytes = 32;

  explicit AuditChain(const crypto::SecretKey& key) : key_(key) {}

  // The mac `event` must carry after an event whose mac is `previous_mac` ("" for seq 1).
  std::string Mac(std::string_view previous_mac, const AuditEvent& event) const;
  // The tag of a head at (seq, mac).
  std::string HeadTag(std::int64_t seq, std::string_view mac) const;

 private:
  crypto::SecretKey key_;
};

struct AuditVerification {
  bool ok = true;
  std::int64_t events = 0;         // events checked (the chain's length when ok)
  std::int64_t first_bad_seq = 0;  // where the chain first breaks; 0 when ok
  std::string problem;             // what is wrong there; "" when ok
};

// Walks the whole chain in pages of `page` events (bounded memory) up to the head read at the
// start (events appended meanwhile are left for the next run). Returns the verdict; the
// store's error when it cannot be read.
Result<AuditVerification> VerifyAuditChain(Store& store, const AuditChain& chain, int page = 1000);

}  // namespace loci::storage
