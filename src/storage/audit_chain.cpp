#include "storage/audit_chain.h"

#include "storage/store.h"

namespace loci::storage {
namespace {

void PutInt(std::string& out, std::int64_t value) {
  const auto bits = static_cast<std::uint64_t>(value);
  for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((bits >> shift) & 0xff);
}

// Length-prefixed, so no two different events encode alike.
void PutString(std::string& out, std::string_view value) {
  PutInt(out, static_cast<std::int64_t>(value.size()));
  out += value;
}

std::string Encode(std::string_view previous_mac, const AuditEvent& event) {
  std::string out = "loci-audit-event-v1";
  PutString(out, previous_mac);
  PutInt(out, event.seq);
  PutInt(out, event.at);
  PutString(out, event.tenant);
  PutString(out, event.key_id);
  PutString(out, event.action);
  PutString(out, event.subject);
  PutString(out, event.request_id);
  PutString(out, event.outcome);
  PutInt(out, event.count);
  return out;
}

AuditVerification Broken(std::int64_t checked, std::int64_t seq, std::string problem) {
  return {.ok = false, .events = checked, .first_bad_seq = seq, .problem = std::move(problem)};
}

}  // namespace

std::string AuditChain::Mac(std::string_view previous_mac, const AuditEvent& event) const {
  return crypto::KeyedHash(key_, Encode(previous_mac, event), kMacBytes);
}

std::string AuditChain::HeadTag(std::int64_t seq, std::string_view mac) const {
  std::string out = "loci-audit-head-v1";
  PutInt(out, seq);
  PutString(out, mac);
  return crypto::KeyedHash(key_, out, kMacBytes);
}

Result<AuditVerification> VerifyAuditChain(Store& store, const AuditChain& chain, int page) {
  ASSIGN_OR_RETURN(std::optional<AuditHead> head, store.AuditChainHead());
  const std::int64_t head_seq = head ? head->seq : 0;
  if (head && chain.HeadTag(head->seq, head->mac) != head->tag) {
    return Broken(0, head->seq, "the chain's head record was edited (its tag does not match)");
  }
  std::string previous_mac;
  std::int64_t expected = 1;  // the seq the next event must have
  bool more = head_seq > 0;
  while (more) {
    ASSIGN_OR_RETURN(std::vector<AuditEvent> events,
                     store.AuditChainPage(expected - 1, page < 1 ? 1 : page));
    more = !events.empty();
    for (const AuditEvent& event : events) {
      if (event.seq > head_seq) {
        more = false;  // past the head: checked below
        break;
      }
      if (event.seq != expected) {
        std::string missing = std::to_string(expected);
        if (event.seq - 1 > expected) missing += " to " + std::to_string(event.seq - 1);
        return Broken(expected - 1, expected, "event " + missing + " missing (removed)");
      }
      if (chain.Mac(previous_mac, event) != event.mac) {
        return Broken(expected - 1, event.seq,
                      "event " + std::to_string(event.seq) +
                          " does not match its mac: it was edited, inserted or moved");
      }
      previous_mac = event.mac;
      ++expected;
    }
  }
  const std::int64_t checked = expected - 1;
  if (checked < head_seq) {
    return Broken(checked, expected,
                  "the chain ends at event " + std::to_string(checked) + " but its head says " +
                      std::to_string(head_seq) + ": the newest events were removed (truncated)");
  }
  if (head && previous_mac != head->mac) {
    return Broken(checked, head_seq, "the chain's head does not match its last event");
  }
  // What lies past the head must continue the chain: an event appended since the head was
  // read does; one added by hand does not (nor does any event when the head is missing, since
  // the head is written with the very first event).
  ASSIGN_OR_RETURN(std::vector<AuditEvent> after, store.AuditChainPage(head_seq, 1));
  if (!after.empty()) {
    const AuditEvent& next = after.front();
    if (!head) return Broken(0, next.seq, "the chain's head record is missing");
    if (next.seq != head_seq + 1 || chain.Mac(previous_mac, next) != next.mac) {
      return Broken(checked, next.seq,
                    "event " + std::to_string(next.seq) +
                        " lies past the chain's head and does not continue it (inserted)");
    }
  }
  return AuditVerification{.events = checked};
}

}  // namespace loci::storage
