// Status and StatusOr<T>: the error currency that crosses layer boundaries.
// A Status is OK or carries a code, a human-readable message (never a secret)
// and optional structured detail that the API layer turns into a problem
// response (allowed transitions, field errors, the guard that failed).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/refusal.h"

namespace casus {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // 400/422: the input is wrong
  kNotFound,            // 404
  kPermissionDenied,    // 403: authenticated but refused
  kUnauthenticated,     // 401
  kFailedPrecondition,  // 409: not allowed in the current state
  kAborted,             // 409: stale version (optimistic concurrency)
  kResourceExhausted,   // 429 / 503 when a queue is full
  kUnavailable,         // 503
  kInternal,            // 500
};

const char* StatusCodeName(StatusCode code);

struct FieldError {
  std::string field;
  std::string message;
  bool operator==(const FieldError&) const = default;
};

// Why a domain command was refused, in machine-readable form.
struct StatusDetail {
  Refusal reason = Refusal::kNone;               // e.g. kNotAllowedInState; RefusalName() is its wire name
  std::vector<std::string> allowed_transitions;  // what the actor may do instead
  std::vector<FieldError> field_errors;          // missing or malformed fields
  std::string guard;                             // the guard that failed, if any
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message, std::optional<StatusDetail> detail = std::nullopt);

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return {StatusCode::kInvalidArgument, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) { return {StatusCode::kPermissionDenied, std::move(msg)}; }
  static Status Unauthenticated(std::string msg) { return {StatusCode::kUnauthenticated, std::move(msg)}; }
  static Status FailedPrecondition(std::string msg) { return {StatusCode::kFailedPrecondition, std::move(msg)}; }
  static Status Aborted(std::string msg) { return {StatusCode::kAborted, std::move(msg)}; }
  static Status ResourceExhausted(std::string msg) { return {StatusCode::kResourceExhausted, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // Null when the status carries no structured detail.
  const StatusDetail* detail() const { return detail_.get(); }
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::shared_ptr<const StatusDetail> detail_;
};

// Holds either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : v_(std::move(value)) {}                                   // NOLINT: implicit by design
  StatusOr(Status status) : v_(std::move(status)) {                             // NOLINT
    if (std::get<Status>(v_).ok()) v_ = Status::Internal("StatusOr built from OK status");
  }
  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace casus

#define CASUS_CONCAT_INNER(a, b) a##b
#define CASUS_CONCAT(a, b) CASUS_CONCAT_INNER(a, b)

#define RETURN_IF_ERROR(expr)                 \
  do {                                        \
    ::casus::Status _casus_st = (expr);       \
    if (!_casus_st.ok()) return _casus_st;    \
  } while (0)

#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()

#define ASSIGN_OR_RETURN(lhs, expr) ASSIGN_OR_RETURN_IMPL(CASUS_CONCAT(_casus_so_, __LINE__), lhs, expr)
