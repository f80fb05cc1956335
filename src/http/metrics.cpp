#include "http/metrics.h"

#include <array>
#include <cstdio>

namespace loci::http {
namespace {

constexpr std::array<double, 12> kBucketBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                  0.1,   0.25,   0.5,   1,    2.5,   10};
constexpr std::array<const char*, 5> kClasses = {"1xx", "2xx", "3xx", "4xx", "5xx"};

std::string EscapeLabel(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string FormatDouble(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.6g", value);
  return text;
}

}  // namespace

struct Metrics::Series {
  std::string labels;  // method="GET",route="/healthz"
  std::array<std::atomic<std::uint64_t>, kClasses.size()> by_class{};
  std::array<std::atomic<std::uint64_t>, kBucketBounds.size() + 1> buckets{};  // last: +Inf
  std::atomic<std::uint64_t> count{0};
  std::atomic<std::uint64_t> sum_micros{0};
};

Metrics::Metrics() {
  series_.push_back(std::make_unique<Series>());
  series_.back()->labels = R"x(method="*",route="(unmatched)")x";
}

Metrics::~Metrics() = default;

void Metrics::Track(const Router& router) {
  std::unique_ptr<Series> unmatched = std::move(series_.back());
  series_.clear();
  for (const auto& route : router.routes()) {
    auto series = std::make_unique<Series>();
    series->labels = "method=\"" + EscapeLabel(route->method) + "\",route=\"" +
                     EscapeLabel(route->pattern) + "\"";
    series_.push_back(std::move(series));
  }
  series_.push_back(std::move(unmatched));
}

Metrics::Series& Metrics::SeriesFor(std::size_t route_index) {
  return route_index < series_.size() - 1 ? *series_[route_index] : *series_.back();
}

void Metrics::Record(std::size_t route_index, int status, double seconds) {
  in_flight_.fetch_sub(1, std::memory_order_relaxed);
  Series& series = SeriesFor(route_index);
  const int status_class = status / 100;
  if (status_class >= 1 && status_class <= 5) {
    series.by_class[status_class - 1].fetch_add(1, std::memory_order_relaxed);
  }
  size_t bucket = 0;
  while (bucket < kBucketBounds.size() && seconds > kBucketBounds[bucket]) ++bucket;
  series.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  series.count.fetch_add(1, std::memory_order_relaxed);
  const double micros = seconds > 0 ? seconds * 1e6 : 0;
  series.sum_micros.fetch_add(static_cast<std::uint64_t>(micros), std::memory_order_relaxed);
}

std::string Metrics::RenderPrometheus() const {
  std::string out;
  out += "# HELP loci_http_requests_in_flight HTTP requests being handled.\n";
  out += "# TYPE loci_http_requests_in_flight gauge\n";
  out += "loci_http_requests_in_flight " +
         std::to_string(in_flight_.load(std::memory_order_relaxed)) + "\n";
  out += "# HELP loci_http_requests_total HTTP requests by route pattern and status class.\n";
  out += "# TYPE loci_http_requests_total counter\n";
  for (const auto& series : series_) {
    for (size_t i = 0; i < kClasses.size(); ++i) {
      const std::uint64_t count = series->by_class[i].load(std::memory_order_relaxed);
      if (count == 0) continue;
      out += "loci_http_requests_total{" + series->labels + ",status=\"" + kClasses[i] + "\"} " +
             std::to_string(count) + "\n";
    }
  }
  out += "# HELP loci_http_request_duration_seconds HTTP request latency by route pattern.\n";
  out += "# TYPE loci_http_request_duration_seconds histogram\n";
  for (const auto& series : series_) {
    std::uint64_t cumulative = 0;
    for (size_t i = 0; i <= kBucketBounds.size(); ++i) {
      cumulative += series->buckets[i].load(std::memory_order_relaxed);
      const std::string le = i < kBucketBounds.size() ? FormatDouble(kBucketBounds[i]) : "+Inf";
      out += "loci_http_request_duration_seconds_bucket{" + series->labels + ",le=\"" + le +
             "\"} " + std::to_string(cumulative) + "\n";
    }
    const double sum =
        static_cast<double>(series->sum_micros.load(std::memory_order_relaxed)) / 1e6;
    out += "loci_http_request_duration_seconds_sum{" + series->labels + "} " + FormatDouble(sum) +
           "\n";
    out += "loci_http_request_duration_seconds_count{" + series->labels + "} " +
           std::to_string(series->count.load(std::memory_order_relaxed)) + "\n";
  }
  return out;
}

}  // namespace loci::http
