#include "domains/arap/common.hpp"

#include <utility>

#include "platform/base/assert.hpp"
#include "platform/base/money.hpp"
#include "platform/events/record_change.hpp"
#include "platform/http/params.hpp"

namespace omc::arap {

using nlohmann::json;

std::string FormatMoney(int64_t pesewas) { return FormatScaled(pesewas, kMoneyScale); }
std::string FormatQuantity(int64_t milli) { return FormatScaled(milli, kQuantityScale); }

std::string FormatUnitPrice(int64_t raw) {
    std::string text = FormatScaled(raw, kUnitPriceScale);
    const size_t dot = text.find('.');
    while (text.size() > dot + 3 && text.back() == '0') text.pop_back();
    return text;
}

json OptionalText(const std::optional<std::string>& text) {
    return text ? json(*text) : json(nullptr);
}
json OptionalId(const std::optional<Uuid>& id) { return id ? json(id->ToString()) : json(nullptr); }
json OptionalMoney(const std::optional<int64_t>& pesewas) {
    return pesewas ? json(FormatMoney(*pesewas)) : json(nullptr);
}

const http::Principal& CallerOf(const http::RequestContext& ctx) {
    ERP_ASSERT(ctx.principal().has_value(), "arap routes are authenticated");
    return *ctx.principal();
}

http::Route Route(http::Method method, std::string pattern, std::string name,
                  std::string permission, const ArapDeps& deps, Handler handler) {
    return http::TenantRoute(
        method, std::move(pattern), std::move(name), std::move(permission),
        [deps, handler](http::RequestContext& ctx) { return handler(deps, ctx); },
        /*idempotent=*/method == http::Method::kPost);
}

Result<void> RecordChange(const ArapDeps& deps, http::RequestContext& ctx, db::Transaction& tx,
                          std::string type, std::string aggregate_type, const Uuid& id,
                          const json& state) {
    return events::RecordChange(ctx, tx, *deps.ids, *deps.clock, std::move(type),
                                std::move(aggregate_type), id, state);
}

std::string Today(const ArapDeps& deps) { return FormatDate(deps.clock->NowUs()); }

std::string AddDays(const std::string& date, int64_t days) {
    const std::optional<int64_t> d = ParseDateDays(date);
    ERP_ASSERT(d.has_value(), "a date checked by its parser");
    return FormatDate((d.value_or(0) + days) * kUsPerDay);
}

int64_t DaysBetween(const std::string& from, const std::string& to) {
    const std::optional<int64_t> a = ParseDateDays(from);
    const std::optional<int64_t> b = ParseDateDays(to);
    ERP_ASSERT(a.has_value() && b.has_value(), "dates checked by their parser");
    return b.value_or(0) - a.value_or(0);
}

Result<std::string> DateParam(const http::RequestContext& ctx, std::string_view name,
                              const std::string& fallback) {
    OMC_ASSIGN_OR_RETURN(const std::optional<std::string> date, http::QueryDate(ctx, name));
    return date.value_or(fallback);
}

Result<void> InsertOrConflict(db::Transaction& tx, const db::Query& query, const db::Params& params,
                              std::string_view field, std::string_view message) {
    const Result<int64_t> n = tx.Execute(query, params);
    if (!n.ok()) {
        if (n.error().code() == ErrorCode::kConflict) {
            return Error(ErrorCode::kConflict, "conflict",
                         {{std::string(field), std::string(message)}});
        }
        return n.error();
    }
    return Ok();
}

}  // namespace omc::arap
