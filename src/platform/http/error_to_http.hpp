// The one table from ErrorCode to HTTP status (STYLE.md habit 4). SuccessEnvelope and
// ErrorResponse, declared in router.hpp, build the bodies around it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/base/clock.hpp"
#include "platform/base/error.hpp"

namespace omc::http {

int HttpStatus(ErrorCode code);

// The success envelope for a paginated list: metadata carries "pagination":{"next_cursor":...},
// with null on the last page.
std::string PaginatedEnvelope(const nlohmann::json& data, const std::string& request_id,
                              TimestampUs now, const std::optional<std::string>& next_cursor);

// SuccessEnvelope and PaginatedEnvelope around data already written as JSON text
// (Reply::data_text), copied in as it is.
std::string SuccessEnvelopeText(std::string_view data_json, const std::string& request_id,
                                TimestampUs now);
std::string PaginatedEnvelopeText(std::string_view data_json, const std::string& request_id,
                                  TimestampUs now, const std::optional<std::string>& next_cursor);

// An error envelope with a status outside the ErrorCode table (405 method_not_allowed). Everything
// else goes through ErrorResponse in router.hpp.
struct Response;
Response ErrorEnvelope(int status, std::string_view code, std::string_view message,
                       const std::vector<FieldError>& details, const std::string& request_id,
                       TimestampUs now);

}  // namespace omc::http
