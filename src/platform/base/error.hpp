// The closed set of errors every layer speaks. One table (platform/http/error_to_http.cpp) maps
// them to HTTP; nothing else decides a status code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace omc {

enum class ErrorCode {
    kInvalidArgument,   // 400: the request is malformed or a field is wrong
    kUnauthenticated,   // 401: no valid credentials
    kPermissionDenied,  // 403: authenticated, not allowed
    kNotFound,          // 404: absent, or belongs to someone else
    kConflict,          // 409: duplicate, concurrent duplicate, stale state
    kPayloadTooLarge,   // 413
    kUnprocessable,     // 422: well-formed but refused by a business rule or idempotency
    kRateLimited,       // 429
    kUnavailable,       // 503: database down, draining, pool exhausted
    kInternal,          // 500: a bug; the client learns nothing more
};

std::string_view ErrorCodeName(ErrorCode code);

// One field-level complaint, e.g. {"amount_pesewas", "must be a positive integer"}.
struct FieldError {
    std::string field;
    std::string message;
};

// An expected failure. `message` is safe to show a client; `detail` is for the log only.
class Error {
  public:
    Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
    Error(ErrorCode code, std::string message, std::vector<FieldError> fields)
        : code_(code), message_(std::move(message)), fields_(std::move(fields)) {}

    ErrorCode code() const { return code_; }
    const std::string& message() const { return message_; }
    const std::string& detail() const { return detail_; }
    const std::vector<FieldError>& fields() const { return fields_; }

    Error&& WithDetail(std::string detail) && {
        detail_ = std::move(detail);
        return std::move(*this);
    }
    Error&& WithField(std::string field, std::string message) && {
        fields_.push_back({std::move(field), std::move(message)});
        return std::move(*this);
    }
    // For kRateLimited and kUnavailable: when to try again (the Retry-After header).
    Error&& WithRetryAfter(int64_t seconds) && {
        retry_after_seconds_ = seconds;
        return std::move(*this);
    }
    std::optional<int64_t> retry_after_seconds() const { return retry_after_seconds_; }

  private:
    ErrorCode code_;
    std::string message_;
    std::string detail_;
    std::vector<FieldError> fields_;
    std::optional<int64_t> retry_after_seconds_;
};

inline Error InvalidArgument(std::string field, std::string message) {
    return Error(ErrorCode::kInvalidArgument, "invalid request",
                 {{std::move(field), std::move(message)}});
}
inline Error NotFound(std::string what) {
    return Error(ErrorCode::kNotFound, std::move(what) + " not found");
}
inline Error Internal(std::string detail) {
    return Error(ErrorCode::kInternal, "internal error").WithDetail(std::move(detail));
}

}  // namespace omc
