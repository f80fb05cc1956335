#include "app/audit_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "storage/audit_chain.h"
#include "storage/sealed_store.h"

namespace loci::app {

Result<std::unique_ptr<service::AuditLog>> OpenAuditLog(const OpenedStore& opened,
                                                        const Clock& clock) {
  const crypto::MasterKey master(opened.master_key);
  ASSIGN_OR_RETURN(crypto::SecretKey chain_key,
                   storage::LoadSystemKey(*opened.store, master, service::AuditLog::kChainKeyName));
  ASSIGN_OR_RETURN(
      crypto::SecretKey pseudonym_key,
      storage::LoadSystemKey(*opened.store, master, service::AuditLog::kPseudonymKeyName));
  return std::make_unique<service::AuditLog>(*opened.store, chain_key, pseudonym_key, clock);
}

CLI::App* AddAuditCommand(CLI::App& app) {
  CLI::App* audit = app.add_subcommand("audit", "Inspect the audit log");
  audit->require_subcommand(1);
  return audit->add_subcommand(
      "verify", "Check the audit log's MAC chain: every edit, insertion, removal or reordering");
}

int RunAuditVerify(const Config& config) {
  auto opened = OpenStore(config, /*readers=*/1);
  if (!opened.ok()) {
    std::fprintf(stderr, "loci: cannot open the database: %s\n",
                 opened.status().ToString().c_str());
    return 1;
  }
  auto chain_key = storage::LoadSystemKey(*opened->store, crypto::MasterKey(opened->master_key),
                                          service::AuditLog::kChainKeyName);
  if (!chain_key.ok()) {
    std::fprintf(stderr, "loci: %s\n", chain_key.status().ToString().c_str());
    return 1;
  }
  const storage::AuditChain chain(*chain_key);
  auto verdict = storage::VerifyAuditChain(*opened->store, chain);
  opened->engine->Close();
  if (!verdict.ok()) {
    std::fprintf(stderr, "loci: cannot read the audit log: %s\n",
                 verdict.status().ToString().c_str());
    return 1;
  }
  if (!verdict->ok) {
    std::printf("broken at event %lld: %s (%lld events before it are intact)\n",
                static_cast<long long>(verdict->first_bad_seq), verdict->problem.c_str(),
                static_cast<long long>(verdict->events));
    return 1;
  }
  std::printf("ok: %lld events\n", static_cast<long long>(verdict->events));
  return 0;
}

}  // namespace loci::app
