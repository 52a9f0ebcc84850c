#include "domains/forecourt/common.hpp"

#include <utility>

#include "platform/base/assert.hpp"
#include "platform/base/money.hpp"
#include "platform/events/record_change.hpp"

namespace omc::forecourt {

using nlohmann::json;

std::string FormatQuantity(int64_t milli) { return FormatScaled(milli, kQuantityScale); }

std::string FormatUnitPrice(int64_t raw) {
    std::string text = FormatScaled(raw, kUnitPriceScale);
    // Keep at least two decimals (GH₵ 14.95), drop the rest of the trailing zeros.
    const size_t dot = text.find('.');
    while (text.size() > dot + 3 && text.back() == '0') text.pop_back();
    return text;
}

std::string FormatMoney(int64_t pesewas) { return FormatScaled(pesewas, kMoneyScale); }

json OptionalText(const std::optional<std::string>& text) {
    return text ? json(*text) : json(nullptr);
}

json OptionalId(const std::optional<Uuid>& id) { return id ? json(id->ToString()) : json(nullptr); }

const http::Principal& CallerOf(const http::RequestContext& ctx) {
    ERP_ASSERT(ctx.principal().has_value(), "forecourt routes are authenticated");
    return *ctx.principal();
}

Result<identity::StationRef> VisibleStation(db::Transaction& tx, const http::RequestContext& ctx,
                                            const Uuid& station_id,
                                            std::optional<std::string_view> field) {
    OMC_ASSIGN_OR_RETURN(const std::optional<identity::StationRef> station,
                         identity::FindVisibleStation(tx, CallerOf(ctx), station_id));
    if (station) return *station;
    if (field) {
        return Error(ErrorCode::kUnprocessable, "unknown reference",
                     {{std::string(*field), "no such station"}});
    }
    return NotFoundError("station");
}

Result<StationFilter> ListFilter(db::Transaction& tx, const http::RequestContext& ctx) {
    StationFilter filter;
    OMC_ASSIGN_OR_RETURN(filter.station, QueryUuid(ctx, "station_id"));
    if (filter.station) {
        OMC_TRY(VisibleStation(tx, ctx, *filter.station));
        return filter;
    }
    OMC_ASSIGN_OR_RETURN(const std::optional<std::vector<Uuid>> visible,
                         identity::VisibleStationIds(tx, CallerOf(ctx)));
    if (visible) filter.scope_list = ScopeList(*visible);
    return filter;
}

std::string ScopeList(const std::vector<Uuid>& stations) {
    std::string list;
    for (const Uuid& id : stations) {
        if (!list.empty()) list += ',';
        list += id.ToString();
    }
    // No station at all: a value no id matches (an empty list would match nothing too, but say
    // it plainly).
    return list.empty() ? std::string("none") : list;
}

Error NotFoundError(std::string_view what) { return NotFound(std::string(what)); }

http::Route ReadRoute(std::string pattern, std::string name, const ForecourtDeps& deps,
                      Handler handler) {
    return http::Route{
        .method = http::Method::kGet,
        .pattern = std::move(pattern),
        .name = std::move(name),
        .auth = http::Auth::kAuthenticated,
        .rate = http::RateClass::kRead,
        .idempotent = false,
        .tenant_owned = true,
        .permission = "forecourt.read",
        .handler = [deps, handler](http::RequestContext& ctx) { return handler(deps, ctx); }};
}

http::Route WriteRoute(http::Method method, std::string pattern, std::string name,
                       std::string permission, const ForecourtDeps& deps, Handler handler) {
    return http::Route{
        .method = method,
        .pattern = std::move(pattern),
        .name = std::move(name),
        .auth = http::Auth::kAuthenticated,
        .rate = http::RateClass::kWrite,
        .idempotent = method == http::Method::kPost,
        .tenant_owned = true,
        .permission = std::move(permission),
        .handler = [deps, handler](http::RequestContext& ctx) { return handler(deps, ctx); }};
}

Result<void> RecordChange(const ForecourtDeps& deps, http::RequestContext& ctx, db::Transaction& tx,
                          std::string type, std::string aggregate_type, const Uuid& id,
                          const json& state) {
    return events::RecordChange(ctx, tx, *deps.ids, *deps.clock, std::move(type),
                                std::move(aggregate_type), id, state);
}

}  // namespace omc::forecourt
