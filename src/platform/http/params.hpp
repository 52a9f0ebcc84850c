// Reading ids, flags, times and page positions from a request's path and query, the same way
// for every module: a malformed value is kInvalidArgument naming the parameter.
#pragma once

#include <optional>
#include <string_view>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/http/router.hpp"

namespace omc::http {

// The {name} path parameter as a UUID.
Result<Uuid> PathUuid(const RequestContext& ctx, std::string_view name = "id");
// Where a page of an id-ordered list starts: after the id in ?cursor= (the previous page's
// next_cursor), or at the beginning (the nil UUID sorts before every id).
Result<Uuid> PageAfter(const Page& page);
// Optional query parameters: absent gives nullopt.
Result<std::optional<Uuid>> QueryUuid(const RequestContext& ctx, std::string_view name);
Result<std::optional<bool>> QueryBool(const RequestContext& ctx, std::string_view name);
Result<std::optional<TimestampUs>> QueryTime(const RequestContext& ctx, std::string_view name);

}  // namespace omc::http
