// Throughput checks for the SQLite engine, not unit tests (DISABLED_, so `make test` skips
// them). Run with
//   loci_storage_tests --gtest_also_run_disabled_tests --gtest_filter='SqliteThroughput*'
// DurableSingleMessageStores: 64 concurrent callers, each storing one message of 20 distinct
// terms per request and waiting until it is durable; prints messages/s, commits/s, and per
// message the process's CPU time and the bytes it wrote (both steadier than messages/s on a
// busy machine). LOCI_BENCH_USERS (default 1000) sets how many users the messages spread over
// (few users means heavy ones, whose index merges then run), LOCI_BENCH_MERGE the merge
// threshold.
// PostingsLatency: what the merge threshold costs a search, for a user with 2,000 messages
// and for a heavy one (LOCI_BENCH_HEAVY messages, default 20,000, whose terms follow a skewed
// distribution like words do), with and without filters.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <random>
#include <string>
#include <thread>

#include "storage/sqlite/sqlite_store.h"
#include "temp_dir.h"
#include "unit/storage/store_contract.h"

namespace loci::storage::testing {
namespace {

constexpr int kCallers = 64;
constexpr int kPerCaller = 500;
constexpr int kTermsPerMessage = 20;
constexpr int kVocabulary = 20000;
constexpr int kDefaultUsers = 1000;

// The process's CPU time (user + system) so far, in seconds.
double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// The calling thread's CPU time so far, in seconds.
double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// Bytes the process has caused to be written to storage so far (/proc/self/io), or 0.
double BytesWritten() {
  std::ifstream io("/proc/self/io");
  std::string name;
  double value = 0;
  while (io >> name >> value) {
    if (name == "write_bytes:") return value;
  }
  return 0;
}

// A word number: uniform, or skewed (log-uniform, so a few words are in many messages and
// most in few, roughly as in text).
int Word(std::mt19937& random, bool skewed) {
  if (!skewed) return std::uniform_int_distribution<int>(0, kVocabulary - 1)(random);
  double exponent = std::uniform_real_distribution<double>(0, 1)(random);
  return static_cast<int>(std::pow(static_cast<double>(kVocabulary), exponent)) - 1;
}

NewMessage RandomMessage(std::mt19937& random, bool skewed = false) {
  NewMessage message;
  message.role = model::Role::kUser;
  message.created_at = 1'700'000'000'000;
  while (static_cast<int>(message.terms.size()) < kTermsPerMessage) {
    std::string term = Numbered("w", Word(random, skewed));
    bool seen = false;
    for (const auto& existing : message.terms) seen = seen || existing.term == term;
    if (seen) continue;
    message.content += term + " ";
    message.terms.push_back({term, 1});
  }
  message.term_count = kTermsPerMessage;
  message.token_count = kTermsPerMessage;
  message.attributes = {model::MetadataAttribute("source", "\"bench\"")};
  return message;
}

TEST(SqliteThroughputTest, DISABLED_DurableSingleMessageStores) {
  loci::testing::TempDir dir;
  sqlite::SqliteOptions options{.path = dir.Path("bench.db")};
  // LOCI_BENCH_MERGE sets the index merge threshold (SqliteOptions::merge_threshold).
  if (const char* merge = std::getenv("LOCI_BENCH_MERGE"))
    options.merge_threshold = std::atoi(merge);
  auto opened = sqlite::SqliteStore::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  sqlite::SqliteStore& store = **opened;

  // LOCI_BENCH_USERS=64 makes every user heavy enough for index merges to happen.
  const char* users_env = std::getenv("LOCI_BENCH_USERS");
  const int users = users_env != nullptr ? std::atoi(users_env) : kDefaultUsers;
  std::atomic<int> failures{0};
  double cpu_start = CpuSeconds();
  double written_start = BytesWritten();
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&, c] {
      std::mt19937 random(c);
      std::uniform_int_distribution<int> pick_user(0, users - 1);
      for (int i = 0; i < kPerCaller; ++i) {
        int user = pick_user(random);
        std::vector<NewMessage> messages;
        messages.push_back(RandomMessage(random));
        AppendRequest request = Request({"bench", Numbered("user", user)},
                                        Numbered("session", user % 7), std::move(messages));
        request.now = 1'700'000'000'000 + i;
        if (!store.AppendAndWait(std::move(request)).ok()) ++failures;
      }
    });
  }
  for (auto& caller : callers) caller.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double cpu = CpuSeconds() - cpu_start;
  double written = BytesWritten() - written_start;
  sqlite::WriteCounters counters = store.write_counters();
  EXPECT_EQ(failures.load(), 0);
  double messages = static_cast<double>(kCallers) * kPerCaller;
  std::printf(
      "%d callers, %.0f messages of %d terms in %.2f s: %.0f messages/s, %.0f commits/s,"
      " %.1f messages per commit\n",
      kCallers, messages, kTermsPerMessage, seconds, messages / seconds,
      static_cast<double>(counters.transactions) / seconds,
      static_cast<double>(counters.jobs) / static_cast<double>(counters.transactions));
  std::printf("per message: %.0f us of CPU, %.0f bytes written\n", cpu * 1e6 / messages,
              written / messages);
}

// Microseconds per Postings() call over the user's messages for `queries` random 5-term
// queries drawn like the messages' terms; prints them with the postings found.
void MeasurePostings(Store& store, const model::UserRef& user, const MessageFilter& filter,
                     bool skewed, const char* label) {
  constexpr int kQueries = 300;
  std::mt19937 random(7);
  std::size_t found = 0;
  auto start = std::chrono::steady_clock::now();
  double cpu_start = ThreadCpuSeconds();
  for (int q = 0; q < kQueries; ++q) {
    std::vector<std::string> terms;
    for (int t = 0; t < 5; ++t) terms.push_back(Numbered("w", Word(random, skewed)));
    auto postings = store.Postings(user, terms, filter);
    ASSERT_TRUE(postings.ok());
    for (const auto& term : *postings) found += term.postings.size();
  }
  double micros =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() /
      kQueries;
  double cpu_micros = (ThreadCpuSeconds() - cpu_start) * 1e6 / kQueries;
  std::printf("  %-12s %6.0f us (%6.0f us of CPU) per 5-term Postings() (%zu postings found)\n",
              label, micros, cpu_micros, found);
}

// What the merge threshold costs searches: Postings() for 5 terms over one user's messages,
// with everything merged, or with up to the threshold's worth left unmerged.
TEST(SqliteThroughputTest, DISABLED_PostingsLatency) {
  const char* heavy_env = std::getenv("LOCI_BENCH_HEAVY");
  const int heavy = heavy_env != nullptr ? std::atoi(heavy_env) : 20000;
  for (auto [messages, skewed] : {std::pair{2000, false}, std::pair{heavy, true}}) {
    for (int threshold : {1, 4096, 16384}) {
      loci::testing::TempDir dir;
      auto opened =
          sqlite::SqliteStore::Open({.path = dir.Path("bench.db"), .merge_threshold = threshold});
      ASSERT_TRUE(opened.ok());
      sqlite::SqliteStore& store = **opened;
      std::mt19937 random(1);
      const model::UserRef user{"bench", "heavy"};
      for (int batch = 0; batch < messages / 20; ++batch) {
        std::vector<NewMessage> batch_messages;
        for (int i = 0; i < 20; ++i) {
          batch_messages.push_back(RandomMessage(random, skewed));
          batch_messages.back().role = i % 2 == 0 ? model::Role::kUser : model::Role::kAssistant;
        }
        ASSERT_TRUE(
            store.AppendAndWait(Request(user, Numbered("s", batch % 10), std::move(batch_messages)))
                .ok());
      }
      std::printf("%d messages (%s terms), merge_threshold %d:\n", messages,
                  skewed ? "skewed" : "uniform", threshold);
      MeasurePostings(store, user, Filter(), skewed, "no filter");
      MeasurePostings(store, user, Filter().Session("s3").Roles({model::Role::kUser}), skewed,
                      "session+role");
      MeasurePostings(store, user,
                      Filter().Attributes({model::MetadataAttribute("source", "\"bench\"")}),
                      skewed, "attribute");
    }
  }
}

}  // namespace
}  // namespace loci::storage::testing
