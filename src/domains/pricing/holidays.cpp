#include "domains/pricing/holidays.hpp"

#include <map>
#include <utility>

#include "domains/forecourt/common.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/params.hpp"

namespace omc::pricing {
namespace {

using nlohmann::json;

constexpr size_t kHolidayNameMaxLength = 120;
// A calendar read spans at most this many days (a year and a bit, for windows near January).
constexpr int64_t kMaxCalendarDays = 400;

constexpr db::Query kNationalBetween{"pricing.national_holidays_between", R"sql(
    SELECT holiday_date, name, tentative, source FROM pricing_national_holidays
    WHERE holiday_date >= $1 AND holiday_date <= $2 ORDER BY holiday_date)sql"};
constexpr db::Query kTenantBetween{"pricing.tenant_holidays_between", R"sql(
    SELECT holiday_date, name, removed FROM pricing_holidays
    WHERE tenant_id = $1 AND holiday_date >= $2 AND holiday_date <= $3
    ORDER BY holiday_date)sql"};
constexpr db::Query kDeleteTenantHoliday{"pricing.delete_tenant_holiday", R"sql(
    DELETE FROM pricing_holidays WHERE tenant_id = $1 AND holiday_date = $2)sql"};
constexpr db::Query kInsertTenantHoliday{"pricing.insert_tenant_holiday", R"sql(
    INSERT INTO pricing_holidays (tenant_id, holiday_date, name, removed, created_by,
                                  created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6))sql"};

json HolidayJson(const Holiday& h) {
    return json{{"date", h.date},
                {"name", h.name},
                {"tentative", h.tentative},
                {"source", h.source},
                {"reference", h.reference}};
}

// The calendar entry in force on one date, if any.
Result<std::optional<Holiday>> HolidayOn(db::Transaction& tx, const TenantId& tenant,
                                         const std::string& date) {
    OMC_ASSIGN_OR_RETURN(std::vector<Holiday> found, HolidaysBetween(tx, tenant, date, date));
    if (found.empty()) return std::optional<Holiday>();
    return std::optional<Holiday>(std::move(found.front()));
}

Result<bool> NationalOn(db::Transaction& tx, const std::string& date) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kNationalBetween, {date, date}));
    return !rows.empty();
}

// ?year=2026 (default: this year) or ?from=&to=.
Result<http::Reply> ListHolidays(const WindowDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const std::optional<std::string> from, http::QueryDate(ctx, "from"));
    OMC_ASSIGN_OR_RETURN(const std::optional<std::string> to, http::QueryDate(ctx, "to"));
    const std::optional<std::string> year = ctx.request().QueryParam("year");
    std::string first;
    std::string last;
    if (year) {
        if (year->size() != 4 || !ParseDateDays(*year + "-01-01")) {
            return InvalidArgument("year", "must be a year such as 2026");
        }
        first = *year + "-01-01";
        last = *year + "-12-31";
    } else if (from || to) {
        if (!from || !to)
            return InvalidArgument(from ? "to" : "from", "is required with the other");
        first = *from;
        last = *to;
        const int64_t span = *ParseDateDays(last) - *ParseDateDays(first);
        if (span < 0) return InvalidArgument("to", "must not be before from");
        if (span > kMaxCalendarDays) return InvalidArgument("to", "at most 400 days after from");
    } else {
        const std::string today = FormatDate(deps.clock->NowUs());
        first = today.substr(0, 4) + "-01-01";
        last = today.substr(0, 4) + "-12-31";
    }
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const std::vector<Holiday> holidays,
                         HolidaysBetween(*tx, ctx.tenant(), first, last));
    json items = json::array();
    for (const Holiday& h : holidays) items.push_back(HolidayJson(h));
    return http::Answer(std::move(items));
}

// Adds a holiday, or confirms / renames a national one (a tentative Eid date as announced).
Result<http::Reply> AddHoliday(const WindowDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"date", "name"});
    const std::string date = body.RequiredString("date", 10);
    const std::string name = body.RequiredString("name", kHolidayNameMaxLength);
    if (!body.HasErrors() && !ParseDateDays(date)) body.AddError("date", "must be YYYY-MM-DD");
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const std::optional<Holiday> existing, HolidayOn(*tx, ctx.tenant(), date));
    if (existing && existing->source == "tenant") {
        return FieldConflict("date", "is already a holiday: " + existing->name);
    }
    const std::string by = forecourt::CallerOf(ctx).subject;
    const TimestampUs now = deps.clock->NowUs();
    OMC_TRY(tx->Execute(kDeleteTenantHoliday, {ctx.tenant(), date}));
    OMC_TRY(tx->Execute(kInsertTenantHoliday, {ctx.tenant(), date, name, false, by, now}));
    const Holiday added{.date = date,
                        .name = name,
                        .tentative = false,
                        .source = "tenant",
                        .reference = existing ? "confirms " + existing->reference : ""};
    json state = HolidayJson(added);
    OMC_TRY(RecordPricingChange(deps, ctx, *tx, "pricing.holiday_added", "holiday",
                                deps.ids->NewV7(), state));
    http::Reply reply = http::Answer(std::move(state));
    reply.status = 201;
    return reply;
}

// Takes a day out of the calendar: a tenant's own day is deleted; a national one is masked.
Result<http::Reply> RemoveHoliday(const WindowDeps& deps, http::RequestContext& ctx) {
    const std::string date(ctx.PathParam("date").value_or(""));
    if (!ParseDateDays(date)) return InvalidArgument("date", "must be YYYY-MM-DD");
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const std::optional<Holiday> existing, HolidayOn(*tx, ctx.tenant(), date));
    if (!existing) return NotFound("holiday");
    OMC_ASSIGN_OR_RETURN(const bool national, NationalOn(*tx, date));
    OMC_TRY(tx->Execute(kDeleteTenantHoliday, {ctx.tenant(), date}));
    if (national) {
        OMC_TRY(tx->Execute(kInsertTenantHoliday,
                            {ctx.tenant(), date, existing->name, true,
                             forecourt::CallerOf(ctx).subject, deps.clock->NowUs()}));
    }
    json state{{"date", date}, {"name", existing->name}, {"removed", true}};
    OMC_TRY(RecordPricingChange(deps, ctx, *tx, "pricing.holiday_removed", "holiday",
                                deps.ids->NewV7(), state));
    return http::Answer(std::move(state));
}

}  // namespace

Result<std::vector<Holiday>> HolidaysBetween(db::Transaction& tx, const TenantId& tenant,
                                             const std::string& from_date,
                                             const std::string& to_date) {
    std::map<std::string, Holiday> calendar;
    OMC_ASSIGN_OR_RETURN(const db::Rows national, tx.Query(kNationalBetween, {from_date, to_date}));
    for (const db::Row& row : national) {
        calendar[row.Text(0)] = Holiday{.date = row.Text(0),
                                        .name = row.Text(1),
                                        .tentative = row.Bool(2),
                                        .source = "national",
                                        .reference = row.Text(3)};
    }
    OMC_ASSIGN_OR_RETURN(const db::Rows own,
                         tx.Query(kTenantBetween, {tenant, from_date, to_date}));
    for (const db::Row& row : own) {
        if (row.Bool(2)) {
            calendar.erase(row.Text(0));
            continue;
        }
        Holiday& h = calendar[row.Text(0)];
        if (h.source == "national") h.reference = "confirms " + h.reference;
        h.date = row.Text(0);
        h.name = row.Text(1);
        h.tentative = false;
        h.source = "tenant";
    }
    std::vector<Holiday> out;
    out.reserve(calendar.size());
    for (auto& [date, h] : calendar) out.push_back(std::move(h));
    return out;
}

Result<std::set<int32_t>> HolidayDays(db::Transaction& tx, const TenantId& tenant, int32_t from_day,
                                      int32_t to_day) {
    const std::string from = FormatDate(int64_t{from_day} * kUsPerDay);
    const std::string to = FormatDate(int64_t{to_day} * kUsPerDay);
    OMC_ASSIGN_OR_RETURN(const std::vector<Holiday> holidays,
                         HolidaysBetween(tx, tenant, from, to));
    std::set<int32_t> days;
    for (const Holiday& h : holidays) days.insert(static_cast<int32_t>(*ParseDateDays(h.date)));
    return days;
}

void RegisterHolidayRoutes(http::Router& router, const WindowDeps& deps) {
    using http::Method;
    router.Add(PricingRoute(Method::kGet, "/api/v1/pricing/holidays", "pricing.holidays.list",
                            "pricing.read", deps, ListHolidays));
    router.Add(PricingRoute(Method::kPost, "/api/v1/pricing/holidays", "pricing.holidays.add",
                            "pricing.write", deps, AddHoliday));
    router.Add(PricingRoute(Method::kDelete, "/api/v1/pricing/holidays/{date}",
                            "pricing.holidays.remove", "pricing.write", deps, RemoveHoliday));
}

}  // namespace omc::pricing
