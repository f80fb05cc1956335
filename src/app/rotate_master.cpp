#include "app/rotate_master.h"

#include <cstdio>

#include "app/audit_command.h"
#include "app/master_key.h"
#include "app/store_setup.h"
#include "storage/sealed_store.h"

namespace loci::app {
namespace {

Result<std::string> Rotate(const Config& config, const std::optional<std::string>& new_key_base64) {
  RETURN_IF_ERROR(PrepareDataDir(config.data_dir));
  ASSIGN_OR_RETURN(std::unique_ptr<DataDirLock> lock, DataDirLock::Acquire(config.data_dir));
  ASSIGN_OR_RETURN(OpenedStore opened, OpenStore(config, 1));
  crypto::SecretKey next = crypto::RandomKey();
  if (new_key_base64) {
    auto parsed = crypto::KeyFromBase64(*new_key_base64);
    if (!parsed.ok()) return InvalidArgument("NEW_ENCRYPTION_KEY: " + parsed.status().message());
    next = *parsed;
  }
  if (next == opened.master_key) return InvalidArgument("the new master key is the current one");

  const bool key_file = !config.encryption_key;
  if (key_file) RETURN_IF_ERROR(WriteKeyFile(NextKeyFilePath(config.data_dir), next));
  // The audit log's keys are unwrapped before the rotation; they stay the same after it.
  ASSIGN_OR_RETURN(std::unique_ptr<service::AuditLog> audit, OpenAuditLog(opened, SystemClock()));
  Result<int> rewrapped = storage::RotateMasterKey(
      *opened.engine, crypto::MasterKey(opened.master_key), crypto::MasterKey(next));
  audit->Record({.tenant = "", .key_id = "cli", .request_id = ""},
                service::audit_action::kMasterKeyRotate, std::nullopt, rewrapped.status(),
                rewrapped.ok() ? *rewrapped : 0);
  audit->Flush();
  opened.engine->Close();
  RETURN_IF_ERROR(rewrapped.status());
  std::string report =
      "re-wrapped " + std::to_string(*rewrapped) + " keys under the new master key";
  if (key_file) {
    RETURN_IF_ERROR(ReplaceFile(NextKeyFilePath(config.data_dir), KeyFilePath(config.data_dir)));
    report += " (now in " + KeyFilePath(config.data_dir) + ")";
  } else if (!new_key_base64) {
    report += "\nset ENCRYPTION_KEY=" + crypto::KeyToBase64(next) + " before the next start";
  } else {
    report += "; set ENCRYPTION_KEY to NEW_ENCRYPTION_KEY before the next start";
  }
  return report;
}

}  // namespace

int RotateMaster(const Config& config, const std::optional<std::string>& new_key_base64) {
  Result<std::string> report = Rotate(config, new_key_base64);
  if (!report.ok()) {
    std::fprintf(stderr, "loci: key rotation failed: %s\n", report.status().message().c_str());
    return 1;
  }
  std::printf("%s\n", report->c_str());
  return 0;
}

}  // namespace loci::app
