// JsonClient: POSTs JSON to one URL of an outside model provider (embeddings, chat
// completions) over libcurl, with the timeouts, retries and error mapping every provider
// call shares:
// - connect and total timeouts per attempt;
// - a bearer API key when one is given;
// - retries on timeouts, connection failures, 408, 429 and 5xx, after an exponential
//   backoff with jitter (half to all of first_backoff * 2^n, capped at max_backoff), or
//   after the Retry-After the provider asks for when that is longer; a Retry-After longer
//   than max_retry_after ends the attempts at once (the caller retries later instead);
// - no retry on other 4xx answers: 400, 413 and 422 are InvalidArgument (the input was
//   refused), 401, 403, 404 and the rest Unavailable (a configuration to fix).
// Messages name the provider, the HTTP status and the provider's error type, never the
// request or response bodies, so they hold no personal data and no key.
// Thread-safety: Post may be called concurrently (each call has its own connection).
#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "util/status.h"

namespace loci::embed {

struct HttpPolicy {
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds total_timeout{30'000};
  int max_attempts = 4;  // first try included; >= 1
  std::chrono::milliseconds first_backoff{500};
  std::chrono::milliseconds max_backoff{10'000};
  std::chrono::milliseconds max_retry_after{30'000};
};

// Waits between attempts; tests pass one that records instead of sleeping.
using Sleeper = std::function<void(std::chrono::milliseconds)>;

class JsonClient {
 public:
  // `what` names the provider in messages ("embedding provider"). An empty api_key sends no
  // Authorization header (local servers such as Ollama need none).
  JsonClient(std::string what, std::string url, std::string api_key, HttpPolicy policy,
             Sleeper sleeper = {});

  // POSTs `body` and returns the parsed JSON answer of a 2xx response. Unavailable when the
  // provider cannot be reached, times out or keeps failing after the retries, or answers 2xx
  // with something that is not JSON; InvalidArgument or Unavailable for refusals as the
  // header says.
  Result<nlohmann::json> Post(const nlohmann::json& body) const;

  const std::string& url() const { return url_; }

 private:
  struct Attempt;
  Attempt Send(const std::string& body) const;

  std::string what_;
  std::string url_;
  std::string api_key_;
  HttpPolicy policy_;
  Sleeper sleeper_;
};

// The URL to POST to for `path` ("/v1/embeddings") given a configured base: a base that
// already ends with `path` is used as is; one ending with "/v1" gets the rest of the path;
// any other base gets all of it (a trailing '/' is ignored).
std::string EndpointUrl(std::string base, std::string_view path);

}  // namespace loci::embed
