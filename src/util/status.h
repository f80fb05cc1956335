// Status and Result<T>: how every layer reports failure without exceptions.
//
// A Status is a code plus a message; the OK status allocates nothing. Result<T> holds either a
// value or a non-OK Status. Codes are domain words; they are mapped to HTTP in exactly one
// place (http/error_mapping). Thread-safety: plain values, safe to copy between threads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace loci {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,
  kUnauthenticated,
  kPermissionDenied,
  kNotFound,
  kConflict,
  kPayloadTooLarge,
  kUnsupportedMediaType,
  kResourceExhausted,
  kCorruption,
  kUnavailable,
  kInternal,
};

// Name of a code as written in logs ("invalid_argument", ...).
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message, std::string field = {});

  static Status Ok() { return {}; }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  // Empty for OK.
  const std::string& message() const;
  // The request field the error is about ("messages[0].role"), or empty.
  const std::string& field() const;
  std::string ToString() const;

 private:
  struct Rep {
    StatusCode code;
    std::string message;
    std::string field;
  };
  std::shared_ptr<const Rep> rep_;  // null means OK; shared so copies are cheap
};

inline Status InvalidArgument(std::string message, std::string field = {}) {
  return {StatusCode::kInvalidArgument, std::move(message), std::move(field)};
}
inline Status NotFound(std::string message) { return {StatusCode::kNotFound, std::move(message)}; }
inline Status Conflict(std::string message) { return {StatusCode::kConflict, std::move(message)}; }
inline Status Unavailable(std::string message) {
  return {StatusCode::kUnavailable, std::move(message)};
}
inline Status Internal(std::string message) { return {StatusCode::kInternal, std::move(message)}; }
inline Status Corruption(std::string message) {
  return {StatusCode::kCorruption, std::move(message)};
}
inline Status PermissionDenied(std::string message) {
  return {StatusCode::kPermissionDenied, std::move(message)};
}
inline Status Unauthenticated(std::string message) {
  return {StatusCode::kUnauthenticated, std::move(message)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  // REQUIRES: !status.ok()
  Result(Status status) : value_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(value_); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(value_); }

  // REQUIRES: ok()
  T& value() & { return std::get<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace loci

#define LOCI_CONCAT_INNER(a, b) a##b
#define LOCI_CONCAT(a, b) LOCI_CONCAT_INNER(a, b)

// Returns the status from the enclosing function when `expr` is not OK.
#define RETURN_IF_ERROR(expr)                    \
  do {                                           \
    ::loci::Status loci_status_ = (expr);        \
    if (!loci_status_.ok()) return loci_status_; \
  } while (false)

// `ASSIGN_OR_RETURN(auto x, MakeX());` declares x from a Result or returns its error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(LOCI_CONCAT(loci_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()
