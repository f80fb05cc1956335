#include "service/audit_log.h"

#include <utility>

namespace loci::service {
namespace {

constexpr std::size_t kPseudonymBytes = 16;
constexpr int kMaxListLimit = 1000;

AuditEntry ToEntry(storage::AuditEvent event) {
  return {.seq = event.seq,
          .at = event.at,
          .tenant = std::move(event.tenant),
          .key_id = std::move(event.key_id),
          .action = std::move(event.action),
          .user = std::move(event.subject),
          .request_id = std::move(event.request_id),
          .outcome = std::move(event.outcome),
          .count = event.count};
}

}  // namespace

AuditLog::AuditLog(storage::Store& store, const crypto::SecretKey& chain_key,
                   const crypto::SecretKey& pseudonym_key, const Clock& clock)
    : store_(store),
      chain_(std::make_shared<const storage::AuditChain>(chain_key)),
      pseudonym_key_(pseudonym_key),
      clock_(clock) {}

AuditLog::~AuditLog() { Flush(); }

std::string AuditLog::Pseudonym(std::string_view tenant, std::string_view user_id) const {
  std::string input(tenant);
  input += '\0';
  input += user_id;
  return crypto::ToHex(crypto::KeyedHash(pseudonym_key_, input, kPseudonymBytes));
}

void AuditLog::Record(const Caller& caller, std::string_view action,
                      const std::optional<std::string>& user_id, const Status& outcome,
                      std::int64_t count, std::function<void(Result<std::int64_t>)> appended) {
  storage::AuditEvent event;
  event.at = clock_.NowMillis();
  event.tenant = caller.tenant;
  event.key_id = caller.key_id;
  event.action = action;
  if (user_id) event.subject = Pseudonym(caller.tenant, *user_id);
  event.request_id = caller.request_id;
  event.outcome = StatusCodeName(outcome.code());
  event.count = count;
  std::vector<Pending> batch;
  {
    std::lock_guard lock(mutex_);
    ++submitted_;
    pending_.push_back({std::move(event), std::move(appended)});
    if (in_flight_) return;  // the batch in flight sends this one when it is done
    in_flight_ = true;
    batch.swap(pending_);
  }
  Append(std::move(batch));
}

void AuditLog::Append(std::vector<Pending> batch) {
  std::vector<storage::AuditEvent> events;
  std::vector<std::function<void(Result<std::int64_t>)>> appended;
  events.reserve(batch.size());
  appended.reserve(batch.size());
  for (Pending& pending : batch) {
    events.push_back(std::move(pending.event));
    appended.push_back(std::move(pending.appended));
  }
  store_.AppendAudit(
      chain_, std::move(events),
      [this, appended = std::move(appended)](Result<std::int64_t> first) {
        // Each callback runs before its event counts as finished: Flush waits for them.
        for (std::size_t i = 0; i < appended.size(); ++i) {
          if (!appended[i]) continue;
          appended[i](first.ok() ? Result<std::int64_t>(*first + static_cast<std::int64_t>(i))
                                 : Result<std::int64_t>(first.status()));
        }
        std::vector<Pending> next;
        {
          std::lock_guard lock(mutex_);
          finished_ += appended.size();
          if (!first.ok()) failed_ += static_cast<std::int64_t>(appended.size());
          settled_.notify_all();
          if (pending_.empty()) {
            in_flight_ = false;
            return;
          }
          next.swap(pending_);
        }
        Append(std::move(next));
      });
}

void AuditLog::Flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = submitted_;
  settled_.wait(lock, [&] { return finished_ >= target; });
}

std::int64_t AuditLog::failed_appends() const {
  std::lock_guard lock(mutex_);
  return failed_;
}

void AuditLog::RecordPurge(const PurgeReport& report) {
  for (const PurgedUserCounts& purged : report.users) {
    Caller retention{.tenant = purged.user.tenant, .key_id = "retention", .request_id = ""};
    Record(retention, audit_action::kRetentionPurge, purged.user.user_id, Status::Ok(),
           purged.messages);
  }
}

Result<AuditPage> AuditLog::Events(const Caller& caller, const AuditListQuery& query) {
  if (query.limit < 1 || query.limit > kMaxListLimit) {
    return InvalidArgument("limit must be between 1 and " + std::to_string(kMaxListLimit), "limit");
  }
  if (query.after < 0) return InvalidArgument("after must be an event's seq", "after");
  Flush();
  storage::AuditQuery stored;
  stored.tenant = caller.tenant;
  if (query.user_id) stored.subject = Pseudonym(caller.tenant, *query.user_id);
  stored.action = query.action;
  stored.since = query.since;
  stored.after_seq = query.after;
  stored.limit = query.limit;
  ASSIGN_OR_RETURN(std::vector<storage::AuditEvent> events, store_.AuditEvents(stored));
  AuditPage page;
  if (static_cast<int>(events.size()) >= query.limit) page.next_after = events.back().seq;
  page.events.reserve(events.size());
  for (storage::AuditEvent& event : events) page.events.push_back(ToEntry(std::move(event)));
  return page;
}

Result<AuditVerifyResult> AuditLog::Verify() {
  Flush();
  ASSIGN_OR_RETURN(storage::AuditVerification verdict, storage::VerifyAuditChain(store_, *chain_));
  return AuditVerifyResult{.ok = verdict.ok,
                           .events = verdict.events,
                           .first_bad_seq = verdict.first_bad_seq,
                           .problem = std::move(verdict.problem)};
}

}  // namespace loci::service
