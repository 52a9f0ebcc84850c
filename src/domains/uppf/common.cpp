#include "domains/uppf/common.hpp"

#include <cctype>
#include <utility>

#include "platform/base/assert.hpp"
#include "platform/base/money.hpp"
#include "platform/events/record_change.hpp"
#include "platform/http/params.hpp"

namespace omc::uppf {

using nlohmann::json;

std::string FormatQuantity(int64_t milli) { return FormatScaled(milli, kQuantityScale); }
std::string FormatMoney(int64_t pesewas) { return FormatScaled(pesewas, kMoneyScale); }
std::string FormatDistance(int64_t km_e1) { return FormatScaled(km_e1, kDistanceScale); }

std::string FormatRate(int64_t rate_e4) {
    std::string text = FormatScaled(rate_e4, kRateScale);
    const size_t dot = text.find('.');
    while (text.size() > dot + 3 && text.back() == '0') text.pop_back();
    return text;
}

json OptionalText(const std::optional<std::string>& text) {
    return text ? json(*text) : json(nullptr);
}

json OptionalDistance(const std::optional<int64_t>& km_e1) {
    return km_e1 ? json(FormatDistance(*km_e1)) : json(nullptr);
}

std::string DepotKey(std::string_view depot) {
    while (!depot.empty() && std::isspace(static_cast<unsigned char>(depot.front())) != 0) {
        depot.remove_prefix(1);
    }
    while (!depot.empty() && std::isspace(static_cast<unsigned char>(depot.back())) != 0) {
        depot.remove_suffix(1);
    }
    std::string key(depot);
    for (char& c : key) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return key;
}

const http::Principal& CallerOf(const http::RequestContext& ctx) {
    ERP_ASSERT(ctx.principal().has_value(), "uppf routes are authenticated");
    return *ctx.principal();
}

http::Route ReadRoute(std::string pattern, std::string name, const UppfDeps& deps,
                      Handler handler) {
    return http::TenantRoute(
        http::Method::kGet, std::move(pattern), std::move(name), "uppf.read",
        [deps, handler](http::RequestContext& ctx) { return handler(deps, ctx); });
}

http::Route WriteRoute(http::Method method, std::string pattern, std::string name,
                       const UppfDeps& deps, Handler handler) {
    return http::TenantRoute(
        method, std::move(pattern), std::move(name), "uppf.write",
        [deps, handler](http::RequestContext& ctx) { return handler(deps, ctx); },
        /*idempotent=*/method == http::Method::kPost);
}

Result<void> RecordChange(const UppfDeps& deps, http::RequestContext& ctx, db::Transaction& tx,
                          std::string type, std::string aggregate_type, const Uuid& id,
                          const json& state) {
    return events::RecordChange(ctx, tx, *deps.ids, *deps.clock, std::move(type),
                                std::move(aggregate_type), id, state);
}

std::string Today(const UppfDeps& deps) { return FormatDate(deps.clock->NowUs()); }

}  // namespace omc::uppf
