// The operator's privacy policy, from the configuration: what applies to every user on top of
// their own settings (model::PrivacySettings). Plain data.
#pragma once

#include <optional>

namespace loci::service {

struct PrivacyPolicy {
  bool redact_pii = false;  // LOCI_REDACT_PII: redact every user's messages
  // CONTEXT_RETENTION_DAYS: messages older than this are purged, for every user (a user's
  // own shorter retention_days still applies). nullopt: no limit of the operator's.
  std::optional<int> retention_days;
  int purge_batch_messages = 500;  // messages erased per write transaction of a purge
};

}  // namespace loci::service
