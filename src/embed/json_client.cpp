#include "embed/json_client.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <mutex>
#include <random>
#include <thread>

namespace loci::embed {
namespace {

constexpr std::size_t kMaxResponseBytes = std::size_t{64} << 20;

void InitializeCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  if (body->size() + size * count > kMaxResponseBytes) return 0;  // aborts the transfer
  body->append(data, size * count);
  return size * count;
}

// Keeps the Retry-After header's seconds (the HTTP-date form is not used by providers).
std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
  std::string_view line(data, size * count);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    std::string lower(line.substr(0, kName.size()));
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == kName) {
      std::string_view value = line.substr(kName.size());
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      long seconds = -1;
      auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
      if (error == std::errc() && seconds >= 0) *static_cast<long*>(user) = seconds;
    }
  }
  return size * count;
}

// The provider's error type ("rate_limit_exceeded"), when it is a short identifier: the
// message beside it may quote the input, so it is never used.
std::string ErrorType(const std::string& body) {
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object() || !parsed.contains("error") || !parsed["error"].is_object()) return "";
  for (const char* field : {"type", "code"}) {
    const nlohmann::json& value = parsed["error"].value(field, nlohmann::json());
    if (!value.is_string()) continue;
    const std::string text = value.get<std::string>();
    if (text.size() <= 64 && std::all_of(text.begin(), text.end(), [](unsigned char c) {
          return std::isalnum(c) || c == '_' || c == '-' || c == '.';
        })) {
      return " (" + text + ")";
    }
  }
  return "";
}

std::chrono::milliseconds Jittered(std::chrono::milliseconds delay) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::uniform_real_distribution<double> half_to_all(0.5, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(delay.count() * half_to_all(random)));
}

}  // namespace

struct JsonClient::Attempt {
  bool retry = false;
  Status status;          // OK when `body` is a 2xx answer
  std::string body;       // the answer
  long retry_after = -1;  // seconds, when the provider said
};

JsonClient::JsonClient(std::string what, std::string url, std::string api_key, HttpPolicy policy,
                       Sleeper sleeper)
    : what_(std::move(what)),
      url_(std::move(url)),
      api_key_(std::move(api_key)),
      policy_(policy),
      sleeper_(sleeper ? std::move(sleeper) : [](std::chrono::milliseconds delay) {
        std::this_thread::sleep_for(delay);
      }) {
  InitializeCurlOnce();
}

JsonClient::Attempt JsonClient::Send(const std::string& body) const {
  Attempt attempt;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    attempt.status = Unavailable(what_ + ": cannot start an HTTP request");
    return attempt;
  }
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Accept: application/json");
  const std::string authorization = "Authorization: Bearer " + api_key_;
  if (!api_key_.empty()) headers = curl_slist_append(headers, authorization.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, long(policy_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, long(policy_.total_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &attempt.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &attempt.retry_after);
  const CURLcode code = curl_easy_perform(curl);
  long http_status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &http_status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);

  if (code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL ||
      code == CURLE_WRITE_ERROR) {
    attempt.status = Unavailable(what_ + ": " + curl_easy_strerror(code));
  } else if (code == CURLE_OPERATION_TIMEDOUT) {
    attempt.retry = true;
    attempt.status = Unavailable(what_ + ": no answer within " +
                                 std::to_string(policy_.total_timeout.count()) + " ms");
  } else if (code != CURLE_OK) {
    attempt.retry = true;
    attempt.status = Unavailable(what_ + ": " + curl_easy_strerror(code));
  } else if (http_status >= 200 && http_status < 300) {
    return attempt;
  } else {
    const std::string why =
        what_ + " answered HTTP " + std::to_string(http_status) + ErrorType(attempt.body);
    attempt.retry = http_status == 408 || http_status == 429 || http_status >= 500;
    const bool refused_input = http_status == 400 || http_status == 413 || http_status == 422;
    attempt.status = refused_input ? InvalidArgument(why) : Unavailable(why);
  }
  attempt.body.clear();
  return attempt;
}

Result<nlohmann::json> JsonClient::Post(const nlohmann::json& body) const {
  const std::string request = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::chrono::milliseconds backoff = policy_.first_backoff;
  for (int number = 1;; ++number) {
    Attempt attempt = Send(request);
    if (attempt.status.ok()) {
      nlohmann::json answer =
          nlohmann::json::parse(attempt.body, nullptr, /*allow_exceptions=*/false);
      if (answer.is_discarded()) return Unavailable(what_ + " answered with malformed JSON");
      return answer;
    }
    if (!attempt.retry || number >= policy_.max_attempts) {
      if (number > 1) {
        return Status(attempt.status.code(), attempt.status.message() + " (after " +
                                                 std::to_string(number) + " attempts)");
      }
      return attempt.status;
    }
    std::chrono::milliseconds delay = Jittered(backoff);
    if (attempt.retry_after >= 0) {
      const std::chrono::milliseconds asked = std::chrono::seconds(attempt.retry_after);
      if (asked > policy_.max_retry_after) {
        return Unavailable(attempt.status.message() + "; it asks to retry after " +
                           std::to_string(attempt.retry_after) + " s");
      }
      delay = std::max(delay, asked);
    }
    spdlog::warn("{}; attempt {} of {}, next in {} ms", attempt.status.message(), number,
                 policy_.max_attempts, delay.count());
    sleeper_(delay);
    backoff = std::min(backoff * 2, policy_.max_backoff);
  }
}

std::string EndpointUrl(std::string base, std::string_view path) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.ends_with(path)) return base;
  constexpr std::string_view kVersion = "/v1";
  if (base.ends_with(kVersion) && path.starts_with(kVersion)) {
    return base + std::string(path.substr(kVersion.size()));
  }
  return base + std::string(path);
}

}  // namespace loci::embed
