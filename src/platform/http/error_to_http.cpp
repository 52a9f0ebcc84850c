#include "platform/http/error_to_http.hpp"

#include <algorithm>

#include "platform/http/json_text.hpp"
#include "platform/http/router.hpp"
#include "platform/log/log.hpp"

namespace omc::http {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kInternalMessage = "internal error";

Json Metadata(const std::string& request_id, TimestampUs now) {
    return Json{{"timestamp", FormatTimestamp(now)}, {"request_id", request_id}};
}

// Data that came from a client (a name with broken UTF-8 stored by an older version) is
// replaced rather than thrown on: an envelope must always be writable.
std::string Dump(const Json& envelope) { return DumpJson(envelope); }

// Room for the envelope around a small answer, so it is not regrown piece by piece.
constexpr size_t kEnvelopeReserveBytes = 512;

}  // namespace

int HttpStatus(ErrorCode code) {
    switch (code) {
        case ErrorCode::kInvalidArgument:
            return 400;
        case ErrorCode::kUnauthenticated:
            return 401;
        case ErrorCode::kPermissionDenied:
            return 403;
        case ErrorCode::kNotFound:
            return 404;
        case ErrorCode::kConflict:
            return 409;
        case ErrorCode::kPayloadTooLarge:
            return 413;
        case ErrorCode::kUnprocessable:
            return 422;
        case ErrorCode::kRateLimited:
            return 429;
        case ErrorCode::kUnavailable:
            return 503;
        case ErrorCode::kInternal:
            return 500;
    }
    return 500;
}

namespace {

// The success envelopes are written as text around the data (json_text.hpp): building a JSON
// object around `data` would deep-copy it, and this runs on every answer. The metadata members
// keep the order they always had (a paginated envelope's, nlohmann's sorted keys).
void AppendMetadata(std::string& out, const std::string& request_id, TimestampUs now) {
    out += R"(,"metadata":{"timestamp":")";
    out += FormatTimestamp(now);
    out += R"(","request_id":)";
    AppendJsonString(out, request_id);  // escaped: a client may send its own X-Request-Id
    out += "}}";
}

void AppendPaginatedMetadata(std::string& out, const std::string& request_id, TimestampUs now,
                             const std::optional<std::string>& next_cursor) {
    out += R"(,"metadata":{"pagination":{"next_cursor":)";
    if (next_cursor) {
        AppendJsonString(out, *next_cursor);
    } else {
        out += "null";
    }
    out += R"(},"request_id":)";
    AppendJsonString(out, request_id);
    out += R"(,"timestamp":")";
    out += FormatTimestamp(now);
    out += "\"}}";
}

constexpr std::string_view kSuccessPrefix = R"({"success":true,"data":)";

}  // namespace

std::string SuccessEnvelope(const nlohmann::json& data, const std::string& request_id,
                            TimestampUs now, const std::optional<std::string>& next_cursor) {
    if (next_cursor) return PaginatedEnvelope(data, request_id, now, next_cursor);
    std::string out;
    out.reserve(kEnvelopeReserveBytes);
    out += kSuccessPrefix;
    AppendJson(out, data);
    AppendMetadata(out, request_id, now);
    return out;
}

std::string PaginatedEnvelope(const nlohmann::json& data, const std::string& request_id,
                              TimestampUs now, const std::optional<std::string>& next_cursor) {
    std::string out;
    out.reserve(kEnvelopeReserveBytes);
    out += kSuccessPrefix;
    AppendJson(out, data);
    AppendPaginatedMetadata(out, request_id, now, next_cursor);
    return out;
}

std::string SuccessEnvelopeText(std::string_view data_json, const std::string& request_id,
                                TimestampUs now) {
    std::string out;
    out.reserve(kEnvelopeReserveBytes + data_json.size());
    out += kSuccessPrefix;
    out += data_json;
    AppendMetadata(out, request_id, now);
    return out;
}

std::string PaginatedEnvelopeText(std::string_view data_json, const std::string& request_id,
                                  TimestampUs now, const std::optional<std::string>& next_cursor) {
    std::string out;
    out.reserve(kEnvelopeReserveBytes + data_json.size());
    out += kSuccessPrefix;
    out += data_json;
    AppendPaginatedMetadata(out, request_id, now, next_cursor);
    return out;
}

Response ErrorEnvelope(int status, std::string_view code, std::string_view message,
                       const std::vector<FieldError>& details, const std::string& request_id,
                       TimestampUs now) {
    Json detail_list = Json::array();
    for (const FieldError& field : details) {
        detail_list.push_back(Json{{"field", field.field}, {"message", field.message}});
    }
    Json error{{"code", code}, {"message", message}, {"details", std::move(detail_list)}};
    Response response;
    response.status = status;
    response.body = Dump(Json{
        {"success", false}, {"error", std::move(error)}, {"metadata", Metadata(request_id, now)}});
    return response;
}

Response ErrorResponse(const Error& error, const std::string& request_id, TimestampUs now) {
    const int status = HttpStatus(error.code());
    const bool internal = error.code() == ErrorCode::kInternal;
    // The detail is for operators only: it goes to the log with the request id, never out.
    if (!error.detail().empty() || internal) {
        log::Write(internal ? log::Level::kError : log::Level::kWarn, "request failed",
                   {{"request_id", request_id},
                    {"status", status},
                    {"code", ErrorCodeName(error.code())},
                    {"message", error.message()},
                    {"detail", error.detail()}});
    }
    if (internal) {
        return ErrorEnvelope(status, ErrorCodeName(error.code()), kInternalMessage, {}, request_id,
                             now);
    }
    Response response = ErrorEnvelope(status, ErrorCodeName(error.code()), error.message(),
                                      error.fields(), request_id, now);
    if (auto seconds = error.retry_after_seconds()) {
        response.headers.emplace_back("Retry-After",
                                      std::to_string(std::max<int64_t>(1, *seconds)));
    }
    return response;
}

}  // namespace omc::http
