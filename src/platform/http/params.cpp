#include "platform/http/params.hpp"

#include <string>

namespace omc::http {
namespace {

constexpr std::string_view kUuidMessage = "must be a UUID (8-4-4-4-12 hex digits)";

}  // namespace

Result<Uuid> PathUuid(const RequestContext& ctx, std::string_view name) {
    const std::optional<Uuid> id = Uuid::Parse(ctx.PathParam(name).value_or(""));
    if (!id) return InvalidArgument(std::string(name), std::string(kUuidMessage));
    return *id;
}

Result<Uuid> PageAfter(const Page& page) {
    if (!page.cursor) return Uuid();
    const std::optional<Uuid> id = Uuid::Parse(*page.cursor);
    if (!id) return InvalidArgument("cursor", "must be a next_cursor from a previous page");
    return *id;
}

Result<std::optional<Uuid>> QueryUuid(const RequestContext& ctx, std::string_view name) {
    const std::optional<std::string> text = ctx.request().QueryParam(name);
    if (!text) return std::optional<Uuid>();
    const std::optional<Uuid> id = Uuid::Parse(*text);
    if (!id) return InvalidArgument(std::string(name), std::string(kUuidMessage));
    return id;
}

Result<std::optional<bool>> QueryBool(const RequestContext& ctx, std::string_view name) {
    const std::optional<std::string> text = ctx.request().QueryParam(name);
    if (!text) return std::optional<bool>();
    if (*text == "true") return std::optional<bool>(true);
    if (*text == "false") return std::optional<bool>(false);
    return InvalidArgument(std::string(name), "must be true or false");
}

Result<std::optional<TimestampUs>> QueryTime(const RequestContext& ctx, std::string_view name) {
    const std::optional<std::string> text = ctx.request().QueryParam(name);
    if (!text) return std::optional<TimestampUs>();
    const std::optional<TimestampUs> ts = ParseTimestamp(*text);
    if (!ts) {
        return InvalidArgument(std::string(name),
                               "must be an RFC 3339 time such as 2026-11-21T08:00:00Z");
    }
    return ts;
}

Result<std::optional<std::string>> QueryDate(const RequestContext& ctx, std::string_view name) {
    std::optional<std::string> text = ctx.request().QueryParam(name);
    if (!text) return std::optional<std::string>();
    if (!ParseDateDays(*text)) {
        return InvalidArgument(std::string(name), "must be a date YYYY-MM-DD such as 2026-11-21");
    }
    return text;
}

Reply Answer(nlohmann::json data) {
    Reply reply;
    reply.data = std::move(data);
    return reply;
}

Reply Created(nlohmann::json data, std::string_view collection, const Uuid& id) {
    Reply reply;
    reply.status = 201;
    reply.data = std::move(data);
    reply.headers.emplace_back("Location", std::string(collection) + "/" + id.ToString());
    return reply;
}

Route TenantRoute(Method method, std::string pattern, std::string name, std::string permission,
                  Handler handler, bool idempotent) {
    const bool write = method != Method::kGet;
    return Route{.method = method,
                 .pattern = std::move(pattern),
                 .name = std::move(name),
                 .auth = Auth::kAuthenticated,
                 .rate = write ? RateClass::kWrite : RateClass::kRead,
                 .idempotent = write && idempotent,
                 .tenant_owned = true,
                 .permission = std::move(permission),
                 .handler = std::move(handler)};
}

}  // namespace omc::http
