#include "app/serve.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <optional>
#include <thread>

#include "app/audit_command.h"
#include "app/master_key.h"
#include "app/models_setup.h"
#include "app/store_setup.h"
#include "http/api.h"
#include "service/api_keys.h"
#include "service/audited_memory_service.h"
#include "service/llm_summarizer.h"
#include "service/memory_service_impl.h"
#include "service/preferences/llm_extractor.h"
#include "service/retention_purger.h"
#include "service/work_runner.h"
#include "text/analyzer.h"

namespace loci::app {
namespace {

// Blocks SIGINT and SIGTERM in this thread and every thread it starts afterwards, so that
// WaitForStopSignal alone receives them.
sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

int WaitForStopSignal(const sigset_t& signals) {
  int signal = 0;
  sigwait(&signals, &signal);
  return signal;
}

// "::1" -> "[::1]": an IPv6 address in a URL or host:port needs brackets.
std::string BracketedHost(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

int Serve(const Config& config, Sealing sealing) {
  const sigset_t stop_signals = BlockStopSignals();
  if (Status prepared = PrepareDataDir(config.data_dir); !prepared.ok()) {
    spdlog::error("start failed: {}", prepared.ToString());
    return 1;
  }
  auto lock = DataDirLock::Acquire(config.data_dir);
  if (!lock.ok()) {
    spdlog::error("start failed: {}", lock.status().ToString());
    return 1;
  }
  const int workers = config.threads > 0
                          ? config.threads
                          : static_cast<int>(std::max(4u, 2 * std::thread::hardware_concurrency()));

  auto store = OpenStore(config, workers, sealing);
  if (!store.ok()) {
    spdlog::error("start failed: {}", store.status().ToString());
    return 1;
  }

  if (!config.encryption_key) {
    spdlog::warn(
        "no ENCRYPTION_KEY: the master key is the file {}, beside the data it protects; in "
        "production set ENCRYPTION_KEY (32 random bytes, base64) and keep it elsewhere",
        KeyFilePath(config.data_dir));
  }
  text::Analyzer analyzer;
  service::Limits limits;
  limits.default_context_messages = config.max_context_messages;
  limits.summary_lag_messages = config.summary_lag_messages;
  limits.fold_delay_ms = config.fold_delay_ms;
  limits.privacy.redact_pii = config.redact_pii;
  limits.privacy.retention_days = config.retention_days;
  limits.search.fusion.method = config.search_fusion;
  Models models = SetUpModels(config);
  spdlog::info("{}", models.embedder_status);
  spdlog::info("{}", models.chat_status);
  // With LLM_URL the model writes summaries, and the built-in summarizer stands in when it fails.
  service::ExtractiveSummarizer extractive;
  std::optional<service::LlmSummarizer> llm_summarizer;
  if (models.chat) llm_summarizer.emplace(*models.chat, extractive);
  // It also reads user turns for preferences, beside the built-in rules (preference_engine.h).
  std::optional<service::LlmPreferenceExtractor> llm_preferences;
  if (models.chat) llm_preferences.emplace(*models.chat);
  // The built-in embedder is cheap enough to embed on the store path.
  service::MemoryServiceImpl memory_impl(*store->store, analyzer, SystemClock(), limits,
                                         {.embedder = models.embedder.get(),
                                          .sif = models.sif,
                                          .embed_on_store = models.sif != nullptr,
                                          .missing_reason = models.embedder_status},
                                         llm_summarizer ? &*llm_summarizer : nullptr,
                                         llm_preferences ? &*llm_preferences : nullptr);
  // Every access to personal data and every admin action is audited (service/audit_log.h).
  auto audit = OpenAuditLog(*store, SystemClock());
  if (!audit.ok()) {
    spdlog::error("start failed: cannot open the audit log: {}", audit.status().ToString());
    return 1;
  }
  service::AuditedMemoryService memory(memory_impl, **audit);
  // Deferred work (summaries, preferences, embeddings) runs off the request path.
  service::WorkRunner work(*store->store, SystemClock(), {.threads = 2});
  memory_impl.AttachWork(work);
  work.Start();
  // Vectors of another model (the model changed) or missing: re-embedded in the background.
  if (Result<int> swept = memory_impl.SweepEmbeddings(); !swept.ok()) {
    spdlog::error("embedding sweep failed: {}", swept.status().ToString());
  } else if (*swept > 0) {
    spdlog::info("embedding sweep: {} users have messages to embed with the current model", *swept);
  }

  // Keys made with `loci keys create`. A store that has ever held one (revoked ones count: an
  // operator who revoked every key wants nobody in, not an open server) ends development
  // mode, as LOCI_API_KEYS does. Decided once, at start.
  service::ApiKeyService api_keys(*store->store, SystemClock());
  Result<bool> stored_keys = api_keys.AnyKeys();
  if (!stored_keys.ok()) {
    spdlog::error("start failed: cannot read the API keys: {}", stored_keys.status().ToString());
    return 1;
  }
  http::AuthConfig auth = config.auth;
  if (!auth.keys.empty() || *stored_keys) auth.stored = &api_keys;
  if (auth.keys.empty() && auth.stored == nullptr && !IsLoopback(config.listen_host)) {
    spdlog::error(
        "start failed: LOCI_LISTEN: with no API key (neither LOCI_API_KEYS nor a key made with "
        "`loci keys create`) the server runs in development mode and listens on loopback only; "
        "add a key to listen on {}",
        config.listen_host);
    return 1;
  }

  http::ServerOptions server_options;
  server_options.listen =
      BracketedHost(config.listen_host) + ":" + std::to_string(config.listen_port);
  server_options.worker_threads = workers;
  // One I/O thread per core: parsing and writing for many keep-alive connections saturates a
  // single one long before the workers are busy.
  server_options.io_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  server_options.max_body_bytes = config.max_body_bytes;
  auto server = http::MakeApiServer(server_options, auth, memory);
  if (Status started = server->Start(); !started.ok()) {
    spdlog::error("start failed: {}", started.ToString());
    return 1;
  }
  // Retention: every LOCI_PURGE_INTERVAL_SECONDS, the first one interval after start. Logs counts
  // only, never whose messages went.
  service::RetentionPurger purger(
      [&memory_impl, &audit](const std::function<bool()>& stop) {
        Result<service::PurgeReport> report = memory_impl.Purge(stop);
        if (report.ok()) (*audit)->RecordPurge(*report);
        return report;
      },
      std::chrono::seconds(config.purge_interval_seconds),
      [](const Result<service::PurgeReport>& report) {
        if (!report.ok()) {
          spdlog::error("retention purge failed: {}", report.status().ToString());
        } else if (report->messages > 0) {
          spdlog::info("retention purge: {} messages and {} sessions of {} users erased",
                       report->messages, report->sessions, report->users.size());
        }
      });
  spdlog::info("serving data_dir={} workers={}", config.data_dir, workers);
  // The one line on stdout: tests and scripts read the bound port from it.
  std::printf("listening on http://%s:%u\n", BracketedHost(config.listen_host).c_str(),
              static_cast<unsigned>(server->port()));
  std::fflush(stdout);

  const int signal = WaitForStopSignal(stop_signals);
  spdlog::info("signal {} received: shutting down", signal);
  purger.Stop();
  server->Stop();
  work.Stop();
  (*audit)->Flush();
  store->engine->Close();
  spdlog::info("shutdown complete");
  return 0;
}

}  // namespace loci::app
