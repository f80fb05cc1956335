#include "app/keys_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "app/store_setup.h"
#include "service/api_keys.h"
#include "storage/sqlite/sqlite_store.h"

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

int Create(service::ApiKeyService& keys, const KeysOptions& options) {
  service::NewKeyCommand command{.tenant = options.tenant,
                                 .admin = options.scope == "admin",
                                 .name = options.name,
                                 .rate_limit = options.rate_limit};
  Result<service::CreatedKey> created = keys.Create(command);
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

int List(service::ApiKeyService& keys, const KeysOptions& options) {
  std::optional<std::string> tenant;
  if (!options.tenant.empty()) tenant = options.tenant;
  Result<std::vector<storage::ApiKeyInfo>> listed = keys.List(tenant);
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

int Revoke(service::ApiKeyService& keys, const KeysOptions& options) {
  Result<UnixMillis> revoked = keys.Revoke(options.id);
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
  auto store = OpenEngine(config, 1);
  if (!store.ok()) {
    std::fprintf(stderr, "loci keys: cannot open the database %s: %s\n",
                 DatabasePath(config.data_dir).c_str(), store.status().message().c_str());
    return 1;
  }
  service::ApiKeyService keys(**store, SystemClock());
  if (command.create->parsed()) return Create(keys, command.options);
  if (command.list->parsed()) return List(keys, command.options);
  return Revoke(keys, command.options);
}

}  // namespace loci::app
