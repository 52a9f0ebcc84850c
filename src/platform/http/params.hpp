// Reading ids, flags, times and page positions from a request's path and query, the same way
// for every module (a malformed value is kInvalidArgument naming the parameter), and the
// common answers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

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
// A calendar date "YYYY-MM-DD", returned as given.
Result<std::optional<std::string>> QueryDate(const RequestContext& ctx, std::string_view name);

// ---- answers ----

// 200 with `data`.
Reply Answer(nlohmann::json data);
// 201 with `data` and a Location of collection + "/" + id.
Reply Created(nlohmann::json data, std::string_view collection, const Uuid& id);

// One page of rows fetched with limit + 1 (a further row says there is a next page); the
// cursor is the last row's id.
template <typename Row, typename ToJson>
Reply PageReply(std::vector<Row> rows, int limit, ToJson to_json) {
    std::optional<std::string> next_cursor;
    if (rows.size() > static_cast<size_t>(limit)) {
        rows.resize(static_cast<size_t>(limit));
        next_cursor = rows.back().id.ToString();
    }
    nlohmann::json items = nlohmann::json::array();
    for (const Row& row : rows) items.push_back(to_json(row));
    return Reply::PageOf(std::move(items), std::move(next_cursor));
}

// ---- routes ----

// A route on tenant data for an authenticated caller holding `permission`: reads (GET) in the
// read rate class, writes in the write class; Idempotency-Key honoured on writes when
// `idempotent`. For modules whose handlers need nothing but the request context.
Route TenantRoute(Method method, std::string pattern, std::string name, std::string permission,
                  Handler handler, bool idempotent = false);

}  // namespace omc::http
