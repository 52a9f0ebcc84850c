#include "domains/pricing/window_common.hpp"

#include <utility>

#include "platform/events/record_change.hpp"

namespace omc::pricing {

http::Route PricingRoute(http::Method method, std::string pattern, std::string name,
                         std::string permission, const WindowDeps& deps, WindowHandler handler) {
    const bool read = method == http::Method::kGet;
    return http::Route{
        .method = method,
        .pattern = std::move(pattern),
        .name = std::move(name),
        .auth = http::Auth::kAuthenticated,
        .rate = read ? http::RateClass::kRead : http::RateClass::kWrite,
        .idempotent = method == http::Method::kPost,
        .tenant_owned = true,
        .permission = std::move(permission),
        .handler = [deps, handler](http::RequestContext& ctx) { return handler(deps, ctx); }};
}

Result<void> RecordPricingChange(const WindowDeps& deps, http::RequestContext& ctx,
                                 db::Transaction& tx, std::string type, std::string aggregate_type,
                                 const Uuid& id, const nlohmann::json& state) {
    return events::RecordChange(ctx, tx, *deps.ids, *deps.clock, std::move(type),
                                std::move(aggregate_type), id, state);
}

Result<PriceWindow> PathWindow(const http::RequestContext& ctx) {
    const std::optional<std::string_view> text = ctx.PathParam("id");
    const std::optional<PriceWindow> window = text ? ParseWindowId(*text) : std::nullopt;
    if (!window) return InvalidArgument("id", std::string(kWindowFormat));
    return *window;
}

Error FieldConflict(std::string field, std::string message) {
    return Error(ErrorCode::kConflict, "conflict", {{std::move(field), std::move(message)}});
}

Error FieldUnprocessable(std::string field, std::string message) {
    return Error(ErrorCode::kUnprocessable, "refused", {{std::move(field), std::move(message)}});
}

int32_t GhanaDay(TimestampUs now) {
    const TimestampUs local = now + kGhanaUtcOffsetUs;
    const int64_t day = local >= 0 ? local / kUsPerDay : (local - kUsPerDay + 1) / kUsPerDay;
    return static_cast<int32_t>(day);
}

}  // namespace omc::pricing
