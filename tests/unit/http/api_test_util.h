// Drives the API handler directly (no sockets) and waits for its answer.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "http/api.h"

namespace loci::http::testing {

struct ApiResult {
  Response response;
  nlohmann::json body;  // null unless the body is JSON
  int deferred = 0;     // how many times the handler deferred work to a worker

  int status() const { return response.status; }
  std::string header(std::string_view name) const {
    return std::string(response.headers.Find(name).value_or(""));
  }
};

inline ApiResult CallApi(const RequestHandler& handler, std::string method, std::string target,
                         std::string body = "",
                         std::vector<std::pair<std::string, std::string>> headers = {}) {
  Request request;
  request.method = std::move(method);
  request.target = std::move(target);
  bool has_content_type = false;
  for (auto& [name, value] : headers) {
    has_content_type = has_content_type || EqualsIgnoreCase(name, "Content-Type");
    request.headers.Add(name, value);
  }
  if (!body.empty() && !has_content_type) request.headers.Add("Content-Type", "application/json");
  request.body = std::move(body);

  auto promise = std::make_shared<std::promise<Response>>();
  std::future<Response> future = promise->get_future();
  ApiResult result;
  // "The worker pool" runs deferred work at once, on this thread.
  const Defer defer = [&result](const std::function<void()>& work) {
    ++result.deferred;
    work();
  };
  handler(std::move(request),
          Responder([promise](Response response) { promise->set_value(std::move(response)); }),
          defer);
  if (future.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
    ADD_FAILURE() << "no answer within 5 s";
    return result;
  }
  result.response = future.get();
  if (result.response.shared_body) {  // as the server would send it
    result.response.body = *result.response.shared_body;
    result.response.shared_body.reset();
  }
  result.body = nlohmann::json::parse(result.response.body, nullptr, /*allow_exceptions=*/false);
  return result;
}

inline std::string ErrorPart(const ApiResult& result, const char* part) {
  const nlohmann::json& body = result.body;
  if (!body.is_object() || !body.contains("error") || !body["error"].is_object()) return "";
  return body["error"].value(part, "");
}
inline std::string ErrorCode(const ApiResult& result) { return ErrorPart(result, "code"); }
inline std::string ErrorField(const ApiResult& result) { return ErrorPart(result, "field"); }
inline std::string ErrorMessage(const ApiResult& result) { return ErrorPart(result, "message"); }

}  // namespace loci::http::testing
