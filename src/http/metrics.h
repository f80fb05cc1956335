// Request metrics in Prometheus text format: counts by route pattern and status class, and a
// latency histogram by route pattern. Labels are the route's method and pattern
// ("/memory/user/{user_id}"), never the raw path, so no identifier reaches a metric.
//
// Thread-safety: Track must finish before serving; Record, Begin/End and Render may then be
// called concurrently (relaxed atomics, no locks).
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "http/router.h"

namespace loci::http {

class Metrics {
 public:
  // The index that stands for requests no route matched.
  static constexpr std::size_t kUnmatched = std::numeric_limits<std::size_t>::max();

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One series per route of `router`, indexed by Route::index.
  void Track(const Router& router);

  void BeginRequest() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  // Counts a finished request of route `route_index` (or kUnmatched) with its status and
  // latency, and ends what BeginRequest began.
  void Record(std::size_t route_index, int status, double seconds);

  std::string RenderPrometheus() const;

 private:
  struct Series;
  Series& SeriesFor(std::size_t route_index);

  std::vector<std::unique_ptr<Series>> series_;  // by route index; the last is kUnmatched
  std::atomic<std::int64_t> in_flight_{0};
};

}  // namespace loci::http
