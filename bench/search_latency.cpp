// Search latency for one user with 1,000, 10,000 and 100,000 turns, in each mode, against a
// plain exact float scan of the same vectors measured in the same run (the ratio is the number
// to compare between machines). In-process: a sealed SQLite store in a temporary folder and the
// real MemoryServiceImpl, so a search pays what the server pays minus HTTP.
//
// The embedder is a stand-in with the built-in one's shape (100 dense dimensions, one unit
// vector per text, the sum of per-word vectors): the scan, the cache and the store cost the
// same whatever the words mean. Turns are generated conversation-like text (Zipf-distributed
// words, 8-30 per turn); queries are three words of middling frequency.
//
// Rows: fulltext and semantic with the user's vectors cached (the steady state); semantic/store
// right after a store of one turn (the cached matrix is brought up to date); semantic/cold with
// the matrix read anew from the sealed store (first search, or after an erasure).
//
// Usage: search_latency [max_turns]   (default 100000; e.g. 10000 for a quick run)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <random>
#include <string>
#include <vector>

#include "crypto/primitives.h"
#include "embed/embedder.h"
#include "service/int8_dot.h"
#include "service/memory_service_impl.h"
#include "service/vector_matrix.h"
#include "storage/sealed_store.h"
#include "storage/sqlite/sqlite_store.h"
#include "text/analyzer.h"

namespace loci::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kDimensions = 100;
constexpr int kQueries = 300;
constexpr int kColdQueries = 10;

class WordVectorEmbedder final : public embed::Embedder {
 public:
  const std::string& model_id() const override { return model_id_; }
  int dimensions() const override { return kDimensions; }
  Result<std::vector<std::vector<float>>> Embed(std::span<const std::string> texts) override {
    std::vector<std::vector<float>> vectors;
    vectors.reserve(texts.size());
    for (const std::string& text : texts) vectors.push_back(Vector(text));
    return vectors;
  }
  static std::vector<float> Vector(const std::string& text) {
    std::vector<float> sum(kDimensions, 0.0F);
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find(' ', start);
      if (end == std::string::npos) end = text.size();
      std::mt19937 word(static_cast<std::uint32_t>(
          std::hash<std::string_view>{}(std::string_view(text).substr(start, end - start))));
      std::normal_distribution<float> normal;
      for (float& x : sum) x += normal(word);
      start = end + 1;
    }
    float norm = 0;
    for (float x : sum) norm += x * x;
    if (norm > 0) {
      for (float& x : sum) x /= std::sqrt(norm);
    }
    return sum;
  }

 private:
  std::string model_id_ = "bench:word-vectors/1";
};

class Words {
 public:
  explicit Words(std::mt19937& random) : random_(random) {
    const char* syllables[] = {"ka", "lo", "mi",  "ren", "tu", "sa",  "ve", "dor", "pi",  "lun",
                               "ga", "te", "mor", "si",  "fa", "bel", "no", "ri",  "dan", "zu"};
    for (int i = 0; i < 5000; ++i) {
      std::string word;
      for (int n = i, parts = 0; parts < 3 || n > 0; ++parts, n /= 20) word += syllables[n % 20];
      vocabulary_.push_back(word);
    }
    double total = 0;
    for (std::size_t rank = 1; rank <= vocabulary_.size(); ++rank) {
      total += 1.0 / static_cast<double>(rank);
      cumulative_.push_back(total);
    }
  }
  const std::string& Zipf() {
    std::uniform_real_distribution<double> uniform(0, cumulative_.back());
    auto found = std::lower_bound(cumulative_.begin(), cumulative_.end(), uniform(random_));
    return vocabulary_[found - cumulative_.begin()];
  }
  std::string Turn() {
    std::string turn;
    for (int i = std::uniform_int_distribution<int>(8, 30)(random_); i > 0; --i) {
      if (!turn.empty()) turn += ' ';
      turn += Zipf();
    }
    return turn;
  }
  std::string Query() {  // ranks 50-2000: words that occur, but not in every turn
    std::string query;
    for (int i = 0; i < 3; ++i) {
      if (!query.empty()) query += ' ';
      query += vocabulary_[std::uniform_int_distribution<int>(50, 2000)(random_)];
    }
    return query;
  }

 private:
  std::mt19937& random_;
  std::vector<std::string> vocabulary_;
  std::vector<double> cumulative_;
};

struct Latency {
  double p50 = 0;
  double p99 = 0;
};

Latency Percentiles(std::vector<double> millis) {
  std::sort(millis.begin(), millis.end());
  auto at = [&](double q) {
    return millis[std::min(millis.size() - 1, static_cast<std::size_t>(q * millis.size()))];
  };
  return {at(0.50), at(0.99)};
}

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// The reference: every float vector dotted with the query, the best 10 kept.
std::size_t FloatScan(const std::vector<float>& matrix, const std::vector<float>& query) {
  const std::size_t rows = matrix.size() / kDimensions;
  std::vector<std::pair<float, std::size_t>> best;
  for (std::size_t row = 0; row < rows; ++row) {
    const float* values = matrix.data() + row * kDimensions;
    float dot = 0;
    for (int j = 0; j < kDimensions; ++j) dot += query[j] * values[j];
    if (best.size() < 10) {
      best.emplace_back(dot, row);
      std::push_heap(best.begin(), best.end(), std::greater<>());
    } else if (dot > best.front().first) {
      std::pop_heap(best.begin(), best.end(), std::greater<>());
      best.back() = {dot, row};
      std::push_heap(best.begin(), best.end(), std::greater<>());
    }
  }
  return best.empty() ? 0 : best.front().second;
}

void Die(const Status& status, const char* what) {
  std::fprintf(stderr, "search_latency: %s: %s\n", what, status.ToString().c_str());
  std::exit(1);
}

class Bench {
 public:
  Bench(storage::Store& store, storage::Store& sealed, service::MemoryServiceImpl& service)
      : store_(store), sealed_(sealed), service_(service) {}

  // Stores turns until the user holds `turns`, keeping their float vectors.
  void GrowTo(int turns, Words& words, bool quiet = false) {
    const auto start = Clock::now();
    while (stored_ < turns) {
      service::StoreCommand command;
      command.user_id = "bench";
      command.session_id = std::to_string(stored_ / 40);  // 40 turns a session
      for (int i = 0; i < 200 && stored_ < turns; ++i, ++stored_) {
        service::IncomingMessage message;
        message.role = stored_ % 2 == 0 ? model::Role::kUser : model::Role::kAssistant;
        message.content = words.Turn();
        message.created_at = 1'600'000'000'000 + stored_ * 60'000LL;
        std::vector<float> vector = WordVectorEmbedder::Vector(message.content);
        floats_.insert(floats_.end(), vector.begin(), vector.end());
        command.messages.push_back(std::move(message));
      }
      std::promise<Result<service::StoreResult>> done;
      service_.Store(caller_, std::move(command),
                     [&](Result<service::StoreResult> result) { done.set_value(result); });
      if (auto result = done.get_future().get(); !result.ok()) Die(result.status(), "store");
    }
    if (!quiet) std::printf("  stored %d turns in %.1f s\n", turns, MillisSince(start) / 1000);
  }

  // Each query after `before` (untimed): nothing, a store of one turn, or a full reread of the
  // user's vectors (an erasure, or a cold cache).
  enum class Before { kNothing, kStore, kReread };

  Latency Search(service::SearchMode mode, const std::vector<std::string>& queries, Before before,
                 Words& words) {
    std::vector<double> millis;
    for (const std::string& query : queries) {
      if (before == Before::kStore) GrowTo(stored_ + 1, words, /*quiet=*/true);
      if (before == Before::kReread) service_.ForgetVectors(user_);
      const auto start = Clock::now();
      auto found = service_.Search(caller_, {.user_id = "bench", .query = query, .mode = mode});
      millis.push_back(MillisSince(start));
      if (!found.ok()) Die(found.status(), "search");
    }
    return Percentiles(millis);
  }

  Latency ReferenceScan(const std::vector<std::string>& queries) {
    std::vector<double> millis;
    std::size_t sink = 0;
    for (const std::string& query : queries) {
      std::vector<float> vector = WordVectorEmbedder::Vector(query);  // as the service embeds
      const auto start = Clock::now();
      sink += FloatScan(floats_, vector);
      millis.push_back(MillisSince(start));
    }
    if (sink == 1) std::printf(" ");  // keeps the scan from being optimized away
    return Percentiles(millis);
  }

  // What building the matrix costs, part by part, and what it holds.
  void ReportMatrix() {
    auto start = Clock::now();
    auto plain = store_.Embeddings(user_, "bench:word-vectors/1", {}, 0);
    const double read = MillisSince(start);
    start = Clock::now();
    auto opened = sealed_.Embeddings(user_, "bench:word-vectors/1", {}, 0);
    const double read_open = MillisSince(start);
    if (!plain.ok() || !opened.ok()) Die(opened.status(), "read vectors");
    start = Clock::now();
    auto matrix = service::VectorMatrix::Build(*opened);
    const double build = MillisSince(start);
    if (!matrix.ok()) Die(matrix.status(), "build");
    std::vector<float> query = WordVectorEmbedder::Vector("ka lo mi");
    std::vector<double> scans;
    for (int i = 0; i < 50; ++i) {
      start = Clock::now();
      auto found = matrix->Search(query, {}, 10);
      scans.push_back(MillisSince(start));
    }
    std::printf(
        "  matrix: %zu rows, %.1f MB in memory; read %.1f ms (engine) / %.1f ms (opened), "
        "build %.1f ms, int8 scan p50 %.2f ms (%s)\n",
        matrix->rows(), static_cast<double>(matrix->bytes()) / 1e6, read, read_open, build,
        Percentiles(scans).p50, std::string(service::DotRowsKernel()).c_str());
  }

 private:
  storage::Store& store_;
  storage::Store& sealed_;
  service::MemoryServiceImpl& service_;
  service::Caller caller_{"bench-tenant", "", "bench"};
  model::UserRef user_{"bench-tenant", "bench"};
  int stored_ = 0;
  std::vector<float> floats_;
};

void PrintRow(const char* mode, Latency latency, Latency reference) {
  std::printf("  %-16s p50 %8.2f ms  p99 %8.2f ms   ratio p50 %7.1f  p99 %7.1f\n", mode,
              latency.p50, latency.p99, latency.p50 / reference.p50, latency.p99 / reference.p99);
}

int Run(int max_turns) {
  if (!crypto::Initialize().ok()) return 2;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("loci-search-latency-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  int status = 0;
  {
    auto opened = storage::sqlite::SqliteStore::Open({.path = (dir / "loci.db").string()});
    if (!opened.ok()) Die(opened.status(), "open");
    std::shared_ptr<storage::Store> engine(std::move(*opened));
    storage::SealedStore sealed(engine, crypto::MasterKey(crypto::RandomKey()));
    text::Analyzer analyzer;
    WordVectorEmbedder embedder;
    service::MemoryServiceImpl service(sealed, analyzer, SystemClock(), service::Limits{},
                                       {.embedder = &embedder, .embed_on_store = true});
    Bench bench(*engine, sealed, service);
    std::mt19937 random(2026);
    Words words(random);
    std::vector<std::string> queries;
    for (int i = 0; i < kQueries; ++i) queries.push_back(words.Query());
    const std::vector<std::string> cold(queries.begin(), queries.begin() + kColdQueries);

    std::printf("search latency, %d queries per mode, limit 10, sealed store, %d dimensions\n",
                kQueries, kDimensions);
    for (int turns : {1'000, 10'000, 100'000}) {
      if (turns > max_turns) break;
      std::printf("\n%d turns\n", turns);
      bench.GrowTo(turns, words);
      using Before = Bench::Before;
      bench.Search(service::SearchMode::kSemantic, cold, Before::kNothing, words);  // warm up
      const Latency reference = bench.ReferenceScan(queries);
      std::printf("  %-16s p50 %8.2f ms  p99 %8.2f ms   (the 1.0 of the ratios)\n", "float scan",
                  reference.p50, reference.p99);
      PrintRow("fulltext",
               bench.Search(service::SearchMode::kFulltext, queries, Before::kNothing, words),
               reference);
      PrintRow("semantic",
               bench.Search(service::SearchMode::kSemantic, queries, Before::kNothing, words),
               reference);
      PrintRow("semantic/store",
               bench.Search(service::SearchMode::kSemantic, cold, Before::kStore, words),
               reference);
      PrintRow("semantic/cold",
               bench.Search(service::SearchMode::kSemantic, cold, Before::kReread, words),
               reference);
      auto hybrid =
          service.Search({"bench-tenant", "", "bench"}, {.user_id = "bench", .query = queries[0]});
      if (hybrid.ok()) {
        PrintRow("hybrid",
                 bench.Search(service::SearchMode::kHybrid, queries, Before::kNothing, words),
                 reference);
      } else {
        std::printf("  %-16s not available in this build\n", "hybrid");
      }
      bench.ReportMatrix();
    }
  }
  std::filesystem::remove_all(dir);
  return status;
}

}  // namespace
}  // namespace loci::bench

int main(int argc, char** argv) {
  const int max_turns = argc > 1 ? std::atoi(argv[1]) : 100'000;
  return loci::bench::Run(max_turns);
}
