// context_bench: what a context request costs with the rolling summary and with `query`, as a
// ratio to the plain recent-window request measured in the same run, for one user holding
// 10,000 turns (the real stack: SQLite engine, sealing, the service; no HTTP).
//
//   context_bench [--turns N] [--sessions N] [--rounds N]
//
// The user's turns are spread over sessions (default 20 of 500 turns; the last one is asked
// for). Requests bypass the context cache (it is off), so every one is built from storage.
// Runs:
//   window   the plain recent-window request: the newest 20 turns read and rendered
//   context  GET /memory/context as served: window, summary (already folded), budget, prompt
//   query    the same with `query` (relevant turns recalled from every session): a selective
//            query (a topic a tenth of the turns mention) and one that every turn matches
// and the fold itself: folding a whole session into its summary, per turn.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <string>
#include <vector>

#include "app/config.h"
#include "app/store_setup.h"
#include "crypto/primitives.h"
#include "service/memory_service_impl.h"
#include "service/pack_budget.h"
#include "text/analyzer.h"
#include "util/time.h"

namespace {

using Clock = std::chrono::steady_clock;

const char* const kTopics[] = {"garden",   "Lisbon",    "piano", "marathon", "recipe",
                               "vacation", "interview", "puppy", "budget",   "wedding"};

std::string TurnText(int i) {
  const char* topic = kTopics[(i * 7) % 10];
  return "Turn " + std::to_string(i) + ": we talked about the " + topic + " again on day " +
         std::to_string(i % 365) + ", and " + (i % 3 ? "Ana" : "Bruno") +
         " said it would take about " + std::to_string(i % 40 + 2) + " weeks to sort out.";
}

// Median microseconds of `rounds` calls of `run`.
template <typename F>
double MedianMicros(int rounds, F&& run) {
  std::vector<double> times;
  for (int i = 0; i < rounds; ++i) {
    const auto start = Clock::now();
    run(i);
    times.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

int Fail(const std::string& what) {
  std::fprintf(stderr, "context_bench: %s\n", what.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  int turns = 10'000;
  int sessions = 20;
  int rounds = 400;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const int value = std::max(1, std::atoi(argv[i + 1]));
    if (flag == "--turns") turns = value;
    if (flag == "--sessions") sessions = value;
    if (flag == "--rounds") rounds = value;
  }
  if (!loci::crypto::Initialize().ok()) return Fail("libsodium does not start");
  char pattern[] = "/tmp/loci-context-bench-XXXXXX";
  if (mkdtemp(pattern) == nullptr) return Fail("cannot make a temporary folder");
  const std::string dir = pattern;
  loci::app::Config config;
  config.data_dir = dir;
  auto opened = loci::app::OpenStore(config, 4);
  if (!opened.ok()) return Fail(opened.status().ToString());
  loci::text::Analyzer analyzer;
  loci::service::Limits limits;
  limits.context_cache_bytes = 0;           // every request is built
  limits.summary_lag_messages = 1'000'000;  // folds are timed on their own, below
  loci::service::MemoryServiceImpl service(*opened->store, analyzer, loci::SystemClock(), limits);
  const loci::service::Caller caller{"bench", "", "bench"};
  const loci::model::UserRef user{"bench", "u1"};

  const int per_session = std::max(1, turns / sessions);
  for (int s = 0; s < sessions; ++s) {
    for (int first = 0; first < per_session; first += 1000) {
      loci::service::StoreCommand command;
      command.user_id = "u1";
      command.session_id = "s" + std::to_string(s);
      for (int i = first; i < std::min(per_session, first + 1000); ++i) {
        const int n = s * per_session + i;
        command.messages.push_back(
            {.role = n % 2 ? loci::model::Role::kAssistant : loci::model::Role::kUser,
             .content = TurnText(n),
             .created_at = 1'700'000'000'000 + n * 60'000LL});
      }
      std::promise<loci::Result<loci::service::StoreResult>> stored;
      service.Store(caller, std::move(command),
                    [&](loci::Result<loci::service::StoreResult> r) { stored.set_value(r); });
      auto result = stored.get_future().get();
      if (!result.ok()) return Fail(result.status().ToString());
    }
  }
  const std::string last = "s" + std::to_string(sessions - 1);

  // The fold: every session folded whole, as after an import.
  const auto fold_start = Clock::now();
  std::int64_t folded = 0;
  for (int s = 0; s < sessions; ++s) {
    auto count = service.folder().Fold(user, "s" + std::to_string(s));
    if (!count.ok()) return Fail(count.status().ToString());
    folded += *count;
  }
  const double fold_seconds = std::chrono::duration<double>(Clock::now() - fold_start).count();

  const double window = MedianMicros(rounds, [&](int) {
    auto messages = opened->store->RecentMessages(user, last, limits.default_context_messages);
    loci::service::PackParts parts;
    parts.window = std::move(*messages);
    loci::service::ContextPack pack;
    loci::service::FitToBudget(std::move(parts), limits.default_context_tokens, pack);
  });
  const double context = MedianMicros(rounds, [&](int) {
    auto pack = service.Context(caller, {.user_id = "u1", .session_id = last});
    if (!pack.ok() || !(*pack)->summary) std::abort();
  });
  auto with_query = [&](auto text_of) {
    return MedianMicros(rounds, [&](int i) {
      auto pack =
          service.Context(caller, {.user_id = "u1", .session_id = last, .query = text_of(i)});
      if (!pack.ok() || (*pack)->relevant.empty()) std::abort();
    });
  };
  // A topic: a tenth of the turns match. A word every turn holds: all of them match.
  const double query = with_query([](int i) { return std::string(kTopics[i % 10]); });
  const double common = with_query([](int i) { return std::string(kTopics[i % 10]) + " weeks"; });
  std::printf("context_bench: %d turns in %d sessions, median of %d requests each\n",
              sessions * per_session, sessions, rounds);
  std::printf("  window only       %8.1f us   1.00x\n", window);
  std::printf("  context           %8.1f us   %.2fx\n", context, context / window);
  std::printf("  context + query   %8.1f us   %.2fx  (a topic: 1 turn in 10 matches)\n", query,
              query / window);
  std::printf("  context + query   %8.1f us   %.2fx  (a word of every turn: all match)\n", common,
              common / window);
  std::printf("  fold              %8.1f us per turn (%lld turns folded in %.2f s)\n",
              1e6 * fold_seconds / static_cast<double>(std::max<std::int64_t>(folded, 1)),
              static_cast<long long>(folded), fold_seconds);
  opened->engine->Close();
  std::filesystem::remove_all(dir);
  return 0;
}
