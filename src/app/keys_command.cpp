#include "app/keys_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "app/audit_command.h"
#include "app/store_setup.h"
#include "service/api_keys.h"
#include "service/audit_log.h"

namespace loci::app {
namespace {

std::string_view ScopeName(storage::ApiKeyScope scope) {
  return scope == storage::ApiKeyScope::kAdmin ? "admin" : "app";
}

std::string RateLimitText(const std::optional<int>& rate_limit) {
  if (!rate_limit) return "default";
  if (*rate_limit == 0) return "unlimited";
  return std::to_string(*rate_limit) + "/s";
}

int Fail(const Status& status) {
  std::fprintf(stderr, "loci keys: %s\n", status.message().c_str());
  return status.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

// Who the audit log names for what an operator does from the command line.
service::Caller Operator(std::string tenant) {
  return {.tenant = std::move(tenant), .key_id = "cli", .request_id = ""};
}

int Create(service::ApiKeyService& keys, service::AuditLog& audit, const KeysOptions& options) {
  service::NewKeyCommand command{.tenant = options.tenant,
                                 .admin = options.scope == "admin",
                                 .name = options.name,
                                 .rate_limit = options.rate_limit};
  Result<service::CreatedKey> created = keys.Create(command);
  audit.Record(Operator(options.tenant), service::audit_action::kKeyCreate, std::nullopt,
               created.status(), created.ok() ? 1 : 0);
  if (!created.ok()) return Fail(created.status());
  const storage::ApiKeyInfo& info = created->info;
  std::printf("id: %s\ntenant: %s\nscope: %s\nname: %s\nrate_limit: %s\nsecret: %s\n",
              info.id.c_str(), info.tenant.c_str(), std::string(ScopeName(info.scope)).c_str(),
              info.name.c_str(), RateLimitText(info.rate_limit).c_str(), created->secret.c_str());
  std::fflush(stdout);
  std::fprintf(stderr,
               "loci keys: keep the secret now: only its hash is stored and it cannot be shown "
               "again. Use it as Authorization: Bearer <secret>.\n");
  return 0;
}

int List(service::ApiKeyService& keys, service::AuditLog& audit, const KeysOptions& options) {
  std::optional<std::string> tenant;
  if (!options.tenant.empty()) tenant = options.tenant;
  Result<std::vector<storage::ApiKeyInfo>> listed = keys.List(tenant);
  audit.Record(Operator(options.tenant), service::audit_action::kKeyList, std::nullopt,
               listed.status(), listed.ok() ? static_cast<std::int64_t>(listed->size()) : 0);
  if (!listed.ok()) return Fail(listed.status());
  std::printf("%-28s  %-16s  %-5s  %-24s  %-10s  %-24s  %s\n", "ID", "TENANT", "SCOPE", "NAME",
              "RATE_LIMIT", "CREATED", "REVOKED");
  for (const storage::ApiKeyInfo& key : *listed) {
    std::printf("%-28s  %-16s  %-5s  %-24s  %-10s  %-24s  %s\n", key.id.c_str(), key.tenant.c_str(),
                std::string(ScopeName(key.scope)).c_str(),
                key.name.empty() ? "-" : key.name.c_str(), RateLimitText(key.rate_limit).c_str(),
                FormatRfc3339(key.created_at).c_str(),
                key.revoked_at ? FormatRfc3339(*key.revoked_at).c_str() : "-");
  }
  return 0;
}

int Revoke(service::ApiKeyService& keys, service::AuditLog& audit, const KeysOptions& options) {
  std::string tenant;  // the revoked key's, for the audit log
  if (auto all = keys.List(std::nullopt); all.ok()) {
    for (const storage::ApiKeyInfo& key : *all) {
      if (key.id == options.id) tenant = key.tenant;
    }
  }
  Result<UnixMillis> revoked = keys.Revoke(options.id);
  audit.Record(Operator(tenant), service::audit_action::kKeyRevoke, std::nullopt, revoked.status(),
               revoked.ok() ? 1 : 0);
  if (!revoked.ok()) return Fail(revoked.status());
  std::printf("revoked %s at %s\n", options.id.c_str(), FormatRfc3339(*revoked).c_str());
  return 0;
}

}  // namespace

void AddKeysCommand(CLI::App& app, KeysCommand& command) {
  KeysOptions& options = command.options;
  command.keys = app.add_subcommand("keys", "Manage the API keys kept in the database");
  command.keys->require_subcommand(1);

  command.create = command.keys->add_subcommand(
      "create", "Make a key and print its secret (once: only a hash is stored)");
  command.create->add_option("--tenant", options.tenant, "Tenant the key belongs to")->required();
  command.create->add_option("--scope", options.scope, "app (memory routes) or admin (all)")
      ->check(CLI::IsMember({"app", "admin"}));
  command.create->add_option("--name", options.name, "A label for people");
  command.create->add_option("--rate-limit", options.rate_limit,
                             "Requests per second for this key (0: unlimited; default: "
                             "LOCI_RATE_LIMIT)");

  command.list = command.keys->add_subcommand("list", "List keys (never their secrets)");
  command.list->add_option("--tenant", options.tenant, "Only this tenant's keys");

  command.revoke = command.keys->add_subcommand("revoke", "Revoke a key by its id");
  command.revoke->add_option("id", options.id, "The key's id (k_...)")->required();

  command.rotate_master = command.keys->add_subcommand(
      "rotate-master",
      "Re-wrap every data key under a new master key (NEW_ENCRYPTION_KEY, or a random one)");
}

int RunKeysCommand(const KeysCommand& command, const Config& config) {
  auto store = OpenStore(config, 1);
  if (!store.ok()) {
    std::fprintf(stderr, "loci keys: cannot open the database %s: %s\n",
                 DatabasePath(config.data_dir).c_str(), store.status().message().c_str());
    return 1;
  }
  auto audit = OpenAuditLog(*store, SystemClock());
  if (!audit.ok()) return Fail(audit.status());
  service::ApiKeyService keys(*store->store, SystemClock());
  int code = 0;
  if (command.create->parsed()) {
    code = Create(keys, **audit, command.options);
  } else if (command.list->parsed()) {
    code = List(keys, **audit, command.options);
  } else {
    code = Revoke(keys, **audit, command.options);
  }
  (*audit)->Flush();
  store->engine->Close();
  return code;
}

}  // namespace loci::app
