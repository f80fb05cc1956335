#include "service/privacy_controller.h"

#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "text/pii.h"

namespace loci::service {
namespace {

// Users whose settings are cached: ~150 bytes each (the key, the entry, the index).
constexpr std::size_t kCachedSettings = 100'000;

}  // namespace

PrivacyController::PrivacyController(storage::Store& store, const Clock& clock,
                                     PrivacyPolicy policy, ContextCache& cache)
    : store_(store),
      clock_(clock),
      policy_(policy),
      cache_(cache),
      settings_cache_(kCachedSettings) {}

Result<model::PrivacySettings> PrivacyController::Settings(const model::UserRef& user) {
  if (std::optional<model::PrivacySettings> cached = settings_cache_.Find(user)) return *cached;
  const std::uint64_t generation = settings_cache_.Generation();  // before the read
  ASSIGN_OR_RETURN(std::optional<model::PrivacySettings> stored, store_.Privacy(user));
  const model::PrivacySettings settings = stored.value_or(model::PrivacySettings{});
  settings_cache_.Put(user, settings, generation);
  return settings;
}

Result<model::PrivacySettings> PrivacyController::Update(const model::UserRef& user,
                                                         const model::PrivacyChange& change) {
  if (change.empty()) return Settings(user);
  if (change.retention_days && *change.retention_days &&
      (**change.retention_days < model::kMinRetentionDays ||
       **change.retention_days > model::kMaxRetentionDays)) {
    return InvalidArgument("retention_days must be null or an integer between " +
                               std::to_string(model::kMinRetentionDays) + " and " +
                               std::to_string(model::kMaxRetentionDays),
                           "retention_days");
  }
  Result<model::PrivacySettings> updated = store_.UpdatePrivacy(user, change, clock_.NowMillis());
  settings_cache_.Invalidate(user);  // even after a failure: the change may have been made
  return updated;
}

Result<StorePolicy> PrivacyController::PolicyFor(const model::UserRef& user) {
  ASSIGN_OR_RETURN(model::PrivacySettings settings, Settings(user));
  return StorePolicy{.store_messages = settings.store_messages,
                     .redact_pii = settings.redact_pii || policy_.redact_pii};
}

void PrivacyController::Redact(IncomingMessage& message) {
  text::Redaction content = text::RedactPii(message.content);
  if (content.replaced > 0) message.content = std::move(content.text);
  if (message.name) {
    text::Redaction name = text::RedactPii(*message.name);
    if (name.replaced > 0) message.name = std::move(name.text);
  }
}

Result<PurgeReport> PrivacyController::Purge(const std::function<bool()>& stop) {
  PurgeReport report;
  // Per user, in a stable order: (tenant, user_id) -> counts.
  std::map<std::pair<std::string, std::string>, PurgedUserCounts> users;
  storage::PurgeRequest request;
  request.retention_days = policy_.retention_days;
  request.max_messages = policy_.purge_batch_messages;
  for (;;) {
    if (stop && stop()) {
      report.complete = false;
      break;
    }
    request.now = clock_.NowMillis();
    Result<storage::PurgeOutcome> batch = store_.PurgeExpired(request);
    if (!batch.ok()) return batch.status();
    ++report.batches;
    for (const storage::PurgedUser& purged : batch->users) {
      cache_.Invalidate(purged.user);  // durable now: packs built before hold expired messages
      PurgedUserCounts& counts = users[{purged.user.tenant, purged.user.user_id}];
      counts.user = purged.user;
      counts.messages += purged.messages;
      counts.sessions += purged.sessions;
      report.messages += purged.messages;
      report.sessions += purged.sessions;
    }
    if (!batch->more) break;
  }
  report.users.reserve(users.size());
  for (auto& [key, counts] : users) report.users.push_back(std::move(counts));
  return report;
}

}  // namespace loci::service
