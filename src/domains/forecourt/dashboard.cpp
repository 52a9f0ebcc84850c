#include "domains/forecourt/dashboard.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "domains/forecourt/alerts.hpp"
#include "domains/forecourt/catalog.hpp"
#include "domains/forecourt/common.hpp"
#include "domains/forecourt/equipment.hpp"
#include "domains/forecourt/reconciliation.hpp"
#include "domains/forecourt/sales.hpp"
#include "domains/forecourt/shifts.hpp"
#include "domains/forecourt/wetstock_routes.hpp"
#include "domains/pricing/windows.hpp"
#include "platform/base/assert.hpp"
#include "platform/base/money.hpp"
#include "platform/base/rounding.hpp"

namespace omc::forecourt {
namespace {

using nlohmann::json;

constexpr int64_t kComparisonDays = 7;  // "previous" = the same days one week earlier
constexpr int64_t kLatestAlerts = 10;
constexpr int64_t kRecentSales = 20;
constexpr int64_t kRecentDeliveries = 10;
constexpr int64_t kRecentDips = 10;
constexpr int64_t kVarianceDays = 30;
constexpr int64_t kCoverDays = 7;  // days of cover average the last 7 full days
constexpr int kPercentDecimals = 2;
constexpr int kTenthDecimals = 1;
constexpr int kDegreeDecimals = 6;

// The four periods of the overview, in the order of kPeriodTotals' sums.
enum Period : size_t { kToday = 0, kTodayBefore = 1, kWindow = 2, kWindowBefore = 3 };
constexpr size_t kPeriods = 4;

// One pass over the sales_daily rollup (never the raw sales): per station and product, count,
// quantity and amount in each of the four periods [$2,$3], [$4,$5], [$6,$7], [$8,$9] (business
// dates, both ends included) within [$10,$11]; $12 the caller's stations (NULL: the tenant).
// The rollup's count holds original sales only; its quantity and amount are net of voids and
// refunds (their rows are negative).
constexpr db::Query kPeriodTotals{"forecourt.dashboard_period_totals", R"sql(
    SELECT d.station_id, d.product_id, p.code, p.name, p.kind, p.unit,
           SUM(CASE WHEN d.business_date BETWEEN $2 AND $3 THEN d.sales_count ELSE 0 END),
           SUM(CASE WHEN d.business_date BETWEEN $2 AND $3 THEN d.quantity_milli ELSE 0 END),
           SUM(CASE WHEN d.business_date BETWEEN $2 AND $3 THEN d.amount ELSE 0 END),
           SUM(CASE WHEN d.business_date BETWEEN $4 AND $5 THEN d.sales_count ELSE 0 END),
           SUM(CASE WHEN d.business_date BETWEEN $4 AND $5 THEN d.quantity_milli ELSE 0 END),
           SUM(CASE WHEN d.business_date BETWEEN $4 AND $5 THEN d.amount ELSE 0 END),
           SUM(CASE WHEN d.business_date BETWEEN $6 AND $7 THEN d.sales_count ELSE 0 END),
           SUM(CASE WHEN d.business_date BETWEEN $6 AND $7 THEN d.quantity_milli ELSE 0 END),
           SUM(CASE WHEN d.business_date BETWEEN $6 AND $7 THEN d.amount ELSE 0 END),
           SUM(CASE WHEN d.business_date BETWEEN $8 AND $9 THEN d.sales_count ELSE 0 END),
           SUM(CASE WHEN d.business_date BETWEEN $8 AND $9 THEN d.quantity_milli ELSE 0 END),
           SUM(CASE WHEN d.business_date BETWEEN $8 AND $9 THEN d.amount ELSE 0 END)
    FROM sales_daily d JOIN products p ON p.tenant_id = d.tenant_id AND p.id = d.product_id
    WHERE d.tenant_id = $1 AND d.business_date BETWEEN $10 AND $11
      AND (CAST($12 AS TEXT) IS NULL
           OR (',' || CAST($12 AS TEXT) || ',') LIKE ('%,' || d.station_id || ',%'))
    GROUP BY d.station_id, d.product_id, p.code, p.name, p.kind, p.unit)sql"};

// Each station's latest sale, void or refund: one probe of sales_station_time per station that
// ever sold (a station has a receipt counter from its first sale on).
constexpr db::Query kLastSales{"forecourt.dashboard_last_sales", R"sql(
    SELECT r.station_id,
           (SELECT MAX(s.sold_at_us) FROM sales s
            WHERE s.tenant_id = r.tenant_id AND s.station_id = r.station_id)
    FROM station_receipts r WHERE r.tenant_id = $1)sql"};
constexpr db::Query kRecentStationSales{"forecourt.dashboard_recent_sales",
                                        "SELECT " OMC_SALE_COLUMNS R"sql(
    FROM sales WHERE tenant_id = $1 AND station_id = $2
    ORDER BY sold_at_us DESC, id DESC LIMIT $3)sql"};

std::string DateOf(int64_t days) { return FormatDate(days * kUsPerDay); }

json Degrees(const std::optional<int64_t>& e6) {
    return e6 ? json(FormatScaled(*e6, kDegreeDecimals)) : json(nullptr);
}

// ---- overview: totals ----

struct Figures {
    int64_t sales = 0;
    int64_t quantity_milli = 0;
    int64_t amount = 0;
    bool empty() const { return sales == 0 && quantity_milli == 0 && amount == 0; }
    Figures& operator+=(const Figures& o) {
        sales += o.sales;
        quantity_milli += o.quantity_milli;
        amount += o.amount;
        return *this;
    }
};

struct RollupLine {
    Uuid station_id;
    Uuid product_id;
    std::string code;
    std::string name;
    std::string kind;
    std::string unit;
    std::array<Figures, kPeriods> periods;
    // Litres: fuels sold by the litre only (LPG is sold by the kg, shop goods by the item).
    bool litres() const { return kind == "fuel" && unit == "L"; }
};

struct PeriodRange {
    int64_t from = 0;  // days since 1970-01-01, both included
    int64_t to = 0;
};

// One entry of by_product or by_station.
struct Entry {
    std::string id;
    std::string code;
    std::string name;
    std::string unit;  // by_product only
    std::string kind;  // by_product only
    Figures figures;
    int64_t litres_milli = 0;
};

json EntriesJson(std::map<std::string, Entry> entries, const char* id_field, bool product) {
    std::vector<Entry> sorted;
    for (auto& [id, e] : entries) {
        if (!e.figures.empty()) sorted.push_back(std::move(e));
    }
    std::sort(sorted.begin(), sorted.end(), [](const Entry& a, const Entry& b) {
        if (a.figures.amount != b.figures.amount) return a.figures.amount > b.figures.amount;
        return a.code < b.code;
    });
    json out = json::array();
    for (const Entry& e : sorted) {
        json row{{id_field, e.id},
                 {"code", e.code},
                 {"name", e.name},
                 // A product's quantity in its own unit; a station's litres of fuel.
                 {"litres", FormatQuantity(product ? e.figures.quantity_milli : e.litres_milli)},
                 {"revenue", FormatMoney(e.figures.amount)},
                 {"sales", e.figures.sales}};
        if (product) {
            row["unit"] = e.unit;
            row["kind"] = e.kind;
        }
        out.push_back(std::move(row));
    }
    return out;
}

json TotalsJson(const std::vector<RollupLine>& lines, size_t period,
                const std::map<Uuid, const identity::StationRef*>& stations) {
    Figures total;
    int64_t litres = 0;
    std::map<std::string, Entry> by_product;
    std::map<std::string, Entry> by_station;
    for (const RollupLine& line : lines) {
        const Figures& f = line.periods[period];
        if (f.empty()) continue;
        const int64_t line_litres = line.litres() ? f.quantity_milli : 0;
        total += f;
        litres += line_litres;
        Entry& p = by_product[line.product_id.ToString()];
        p.id = line.product_id.ToString();
        p.code = line.code;
        p.name = line.name;
        p.unit = line.unit;
        p.kind = line.kind;
        p.figures += f;
        Entry& s = by_station[line.station_id.ToString()];
        s.id = line.station_id.ToString();
        if (const auto it = stations.find(line.station_id); it != stations.end()) {
            s.code = it->second->code;
            s.name = it->second->name;
        }
        s.figures += f;
        s.litres_milli += line_litres;
    }
    return json{{"litres", FormatQuantity(litres)},
                {"revenue", FormatMoney(total.amount)},
                {"sales", total.sales},
                {"by_product", EntriesJson(std::move(by_product), "product_id", true)},
                {"by_station", EntriesJson(std::move(by_station), "station_id", false)}};
}

Result<std::vector<RollupLine>> LoadRollup(db::Transaction& tx, const TenantId& tenant,
                                           const std::array<PeriodRange, kPeriods>& ranges,
                                           const std::optional<std::string>& scope_list) {
    db::Params params;
    // Reserved up front: GCC 12 sees a maybe-uninitialized variant in the reallocation otherwise.
    params.reserve(2 * kPeriods + 8);
    params.emplace_back(tenant);
    int64_t lowest = ranges[0].from;
    int64_t highest = ranges[0].to;
    for (const PeriodRange& r : ranges) {
        params.emplace_back(DateOf(r.from));
        params.emplace_back(DateOf(r.to));
        lowest = std::min(lowest, r.from);
        highest = std::max(highest, r.to);
    }
    params.push_back(DateOf(lowest));
    params.push_back(DateOf(highest));
    params.push_back(scope_list);
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kPeriodTotals, params));
    std::vector<RollupLine> lines;
    lines.reserve(rows.size());
    for (const db::Row& row : rows) {
        RollupLine line{.station_id = row.Id(0),
                        .product_id = row.Id(1),
                        .code = row.Text(2),
                        .name = row.Text(3),
                        .kind = row.Text(4),
                        .unit = row.Text(5)};
        for (size_t p = 0; p < kPeriods; ++p) {
            const int column = 6 + static_cast<int>(p) * 3;
            line.periods[p] = Figures{.sales = row.Int(column),
                                      .quantity_milli = row.Int(column + 1),
                                      .amount = row.Int(column + 2)};
        }
        lines.push_back(std::move(line));
    }
    return lines;
}

json PeriodJson(const std::vector<RollupLine>& lines, const PeriodRange& range, size_t current,
                size_t previous, const std::map<Uuid, const identity::StationRef*>& stations) {
    return json{{"from", DateOf(range.from)},
                {"to", DateOf(range.to)},
                {"current", TotalsJson(lines, current, stations)},
                {"previous", TotalsJson(lines, previous, stations)}};
}

// ---- overview: stations ----

struct StationAlerts {
    int64_t live = 0;
    bool low_stock = false;
    bool variance = false;
};

struct AlertSummary {
    std::map<Uuid, StationAlerts> by_station;
    int64_t live = 0;
    int64_t acknowledged = 0;
};

Result<AlertSummary> SummariseAlerts(db::Transaction& tx, const TenantId& tenant,
                                     const std::map<Uuid, const identity::StationRef*>& visible) {
    OMC_ASSIGN_OR_RETURN(const std::vector<LiveAlertCount> counts, LiveAlertCounts(tx, tenant));
    AlertSummary summary;
    for (const LiveAlertCount& c : counts) {
        if (!visible.contains(c.station_id)) continue;
        StationAlerts& s = summary.by_station[c.station_id];
        s.live += c.count;
        s.low_stock = s.low_stock || c.kind == "low_stock";
        s.variance = s.variance || c.kind == "variance";
        summary.live += c.count;
        if (c.status == "acknowledged") summary.acknowledged += c.count;
    }
    return summary;
}

struct StationContext {
    bool today = false;
    TimestampUs now = 0;
    int64_t offline_after_minutes = 0;
};

Result<std::map<Uuid, TimestampUs>> LastSales(db::Transaction& tx, const TenantId& tenant) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kLastSales, {tenant}));
    std::map<Uuid, TimestampUs> last;
    for (const db::Row& row : rows) {
        if (!row.IsNull(1)) last.emplace(row.Id(0), row.Int(1));
    }
    return last;
}

json StationJson(const identity::StationRef& station, const StationAlerts& alerts,
                 std::optional<TimestampUs> last_sale, const StationContext& c) {
    // Worst first: offline > variance > stock_low.
    json flags = json::array();
    const int64_t silence_us = c.offline_after_minutes * 60 * kUsPerSecond;
    if (c.today && station.active && (!last_sale || c.now - *last_sale > silence_us)) {
        flags.push_back("offline");
    }
    if (alerts.variance) flags.push_back("variance");
    if (alerts.low_stock) flags.push_back("stock_low");
    return json{{"id", station.id.ToString()},
                {"code", station.code},
                {"name", station.name},
                {"region_id", station.region_id.ToString()},
                {"active", station.active},
                {"latitude", Degrees(station.latitude_e6)},
                {"longitude", Degrees(station.longitude_e6)},
                {"status", flags.empty() ? json("ok") : flags[0]},
                {"flags", flags},
                {"last_sale_at", last_sale ? json(FormatTimestamp(*last_sale)) : json(nullptr)},
                {"open_alerts", alerts.live}};
}

Result<http::Reply> Overview(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const std::optional<std::string> asked, http::QueryDate(ctx, "date"));
    const TimestampUs now = deps.clock->NowUs();
    const std::string date = asked.value_or(FormatDate(now));
    const int64_t day = *ParseDateDays(date);
    const pricing::PriceWindow window = pricing::WindowContaining(static_cast<int32_t>(day));
    const std::array<PeriodRange, kPeriods> ranges = {
        PeriodRange{day, day}, PeriodRange{day - kComparisonDays, day - kComparisonDays},
        PeriodRange{window.first_day, day},
        PeriodRange{window.first_day - kComparisonDays, day - kComparisonDays}};

    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    bool whole_tenant = false;
    OMC_ASSIGN_OR_RETURN(const std::vector<identity::StationRef> stations,
                         identity::VisibleStations(*tx, CallerOf(ctx), &whole_tenant));
    std::map<Uuid, const identity::StationRef*> visible;
    std::vector<Uuid> ids;
    for (const identity::StationRef& s : stations) {
        visible.emplace(s.id, &s);
        ids.push_back(s.id);
    }
    const std::optional<std::string> scope =
        whole_tenant ? std::nullopt : std::optional<std::string>(ScopeList(ids));
    OMC_ASSIGN_OR_RETURN(const std::vector<RollupLine> lines,
                         LoadRollup(*tx, ctx.tenant(), ranges, scope));
    OMC_ASSIGN_OR_RETURN(const ForecourtSettings settings, LoadSettings(*tx, ctx.tenant()));
    OMC_ASSIGN_OR_RETURN(const AlertSummary alerts, SummariseAlerts(*tx, ctx.tenant(), visible));
    const StationContext c{.today = date == FormatDate(now),
                           .now = now,
                           .offline_after_minutes = settings.offline_after_minutes};
    OMC_ASSIGN_OR_RETURN(const auto last_sales, LastSales(*tx, ctx.tenant()));
    json station_rows = json::array();
    for (const identity::StationRef& s : stations) {
        const auto a = alerts.by_station.find(s.id);
        const auto sold = last_sales.find(s.id);
        station_rows.push_back(StationJson(
            s, a == alerts.by_station.end() ? StationAlerts{} : a->second,
            sold == last_sales.end() ? std::nullopt : std::optional<TimestampUs>(sold->second), c));
    }
    OMC_ASSIGN_OR_RETURN(json latest, LatestLiveAlerts(*tx, ctx.tenant(), scope, kLatestAlerts));
    return Answer(
        json{{"date", date},
             {"generated_at", FormatTimestamp(now)},
             {"offline_after_minutes", settings.offline_after_minutes},
             {"window",
              {{"name", pricing::WindowId(window)},
               {"starts_on", DateOf(window.first_day)},
               {"ends_on", DateOf(window.last_day)}}},
             {"periods",
              {{"today", PeriodJson(lines, ranges[kToday], kToday, kTodayBefore, visible)},
               {"window", PeriodJson(lines, ranges[kWindow], kWindow, kWindowBefore, visible)}}},
             {"stations", std::move(station_rows)},
             {"alerts",
              {{"open", alerts.live},
               {"acknowledged", alerts.acknowledged},
               {"latest", std::move(latest)}}}});
}

// ---- station summary ----

// The tank's gauge: levels, average daily sales over the last 7 full days, days of cover, the
// latest dip and whether its water is above the tank's limit.
Result<json> TankSummaryJson(db::Transaction& tx, const TenantId& tenant, const Tank& tank,
                             const std::string& product_code, TimestampUs today_start,
                             const std::vector<StoredDip>& dips) {
    OMC_ASSIGN_OR_RETURN(
        const std::vector<Volume> daily,
        TankDailySales(tx, tenant, tank.id, today_start - kCoverDays * kUsPerDay, kCoverDays));
    int64_t sold = 0;
    for (const Volume& v : daily) sold += v.raw();
    const int64_t avg_milli = *DivideRounded(sold, kCoverDays, RoundingMode::kHalfEven);
    const Volume stock(std::max<int64_t>(tank.book_stock_milli, 0));
    Result<std::optional<int64_t>> cover = DaysOfCoverE1(stock, daily, kCoverDays);
    const std::optional<int64_t> cover_e1 = cover.ok() ? *cover : std::nullopt;
    // Written before the object below: GCC 12 sees the optional as maybe-uninitialized inside it.
    json days_of_cover;
    if (cover_e1.has_value()) days_of_cover = FormatScaled(cover_e1.value(), kTenthDecimals);
    const int64_t fill_e1 = *DivideRounded(static_cast<__int128>(tank.book_stock_milli) * 1000,
                                           tank.capacity_milli, RoundingMode::kHalfEven);
    json latest = nullptr;
    bool water = false;
    if (!dips.empty()) {
        latest = DipJson(dips.front());
        const StockAlertLimits limits{.low_stock = Volume(tank.low_level_milli),
                                      .water_limit = LevelMm(tank.water_limit_mm)};
        water = FlagStock(stock, dips.front().reading.water_height, limits).water_above_limit;
    }
    return json{{"id", tank.id.ToString()},
                {"code", tank.code},
                {"product_id", tank.product_id.ToString()},
                {"product_code", product_code},
                {"active", tank.active},
                {"capacity", FormatQuantity(tank.capacity_milli)},
                {"safe_fill", FormatQuantity(tank.safe_fill_milli)},
                {"book_stock", FormatQuantity(tank.book_stock_milli)},
                {"ullage", FormatQuantity(tank.capacity_milli - tank.book_stock_milli)},
                {"low_level", FormatQuantity(tank.low_level_milli)},
                {"low_stock", tank.book_stock_milli <= tank.low_level_milli},
                {"fill_percent", FormatScaled(fill_e1, kTenthDecimals)},
                {"avg_daily_litres", FormatQuantity(avg_milli)},
                {"days_of_cover", std::move(days_of_cover)},
                {"latest_dip", std::move(latest)},
                {"water_alert", water}};
}

// A day of the station's wet-stock reconciliation, summed over its tanks that have one (both
// dips): book change (deliveries − sales at the reference temperature), dip change (closing −
// opening) and the variance book − dip (positive: a loss, as GET /api/v1/tanks/{id}/reconciliation
// shows it), in percent of the day's sales. Figures are null when no tank could be reconciled.
json VarianceDayJson(const std::string& date, const std::vector<TankPeriod>& periods) {
    int64_t book = 0;
    int64_t dip = 0;
    int64_t variance = 0;
    int64_t sales = 0;
    int64_t judged = 0;
    for (const TankPeriod& p : periods) {
        if (!p.variance) continue;
        ++judged;
        book += p.variance->book_closing.raw() - p.opening->reading.net_standard.raw();
        dip += p.closing->reading.net_standard.raw() - p.opening->reading.net_standard.raw();
        variance += p.variance->variance.raw();
        sales += p.sales_standard_milli;
    }
    const auto quantity = [judged](int64_t milli) {
        return judged == 0 ? json(nullptr) : json(FormatQuantity(milli));
    };
    json percent = nullptr;
    if (judged > 0 && sales > 0) {
        percent = FormatScaled(*DivideRounded(static_cast<__int128>(variance) * 10'000, sales,
                                              RoundingMode::kHalfEven),
                               kPercentDecimals);
    }
    return json{{"date", date},
                {"book_change", quantity(book)},
                {"dip_change", quantity(dip)},
                {"variance", quantity(variance)},
                {"variance_percent", percent},
                {"sales", quantity(sales)},
                {"tanks_reconciled", judged}};
}

Result<json> Variance30d(db::Transaction& tx, const TenantId& tenant,
                         const identity::StationRef& station, const std::vector<Tank>& tanks,
                         TimestampUs today_start) {
    OMC_ASSIGN_OR_RETURN(const ForecourtSettings settings, LoadSettings(tx, tenant));
    json days = json::array();
    for (int64_t back = kVarianceDays - 1; back >= 0; --back) {
        const TimestampUs start = today_start - back * kUsPerDay;
        std::vector<TankPeriod> periods;
        for (const Tank& tank : tanks) {
            OMC_ASSIGN_OR_RETURN(TankPeriod p, ReconcileTankDay(tx, tenant, tank, settings, start));
            periods.push_back(std::move(p));
        }
        days.push_back(
            VarianceDayJson(BusinessDate(start, station.business_day_start_min), periods));
    }
    return days;
}

json StationHeadJson(const identity::StationRef& s) {
    return json{{"id", s.id.ToString()},
                {"code", s.code},
                {"name", s.name},
                {"region_id", s.region_id.ToString()},
                {"operating_model", s.operating_model},
                {"latitude", Degrees(s.latitude_e6)},
                {"longitude", Degrees(s.longitude_e6)},
                {"active", s.active}};
}

// The tanks' gauges, and the station's newest dips over all its tanks.
Result<std::pair<json, json>> TanksAndDips(db::Transaction& tx, const TenantId& tenant,
                                           const std::vector<Tank>& tanks,
                                           TimestampUs today_start) {
    json gauges = json::array();
    std::vector<StoredDip> all;
    std::map<Uuid, std::string> product_codes;
    for (const Tank& tank : tanks) {
        if (!product_codes.contains(tank.product_id)) {
            OMC_ASSIGN_OR_RETURN(const std::optional<Product> product,
                                 FindProduct(tx, tenant, tank.product_id));
            product_codes[tank.product_id] = product ? product->code : std::string();
        }
        OMC_ASSIGN_OR_RETURN(std::vector<StoredDip> dips,
                             RecentDips(tx, tenant, tank.id, kRecentDips));
        OMC_ASSIGN_OR_RETURN(
            json gauge,
            TankSummaryJson(tx, tenant, tank, product_codes[tank.product_id], today_start, dips));
        gauges.push_back(std::move(gauge));
        all.insert(all.end(), std::make_move_iterator(dips.begin()),
                   std::make_move_iterator(dips.end()));
    }
    std::sort(all.begin(), all.end(), [](const StoredDip& a, const StoredDip& b) {
        if (a.taken_at_us != b.taken_at_us) return a.taken_at_us > b.taken_at_us;
        return b.id < a.id;
    });
    json recent = json::array();
    for (size_t i = 0; i < all.size() && i < static_cast<size_t>(kRecentDips); ++i) {
        recent.push_back(DipJson(all[i]));
    }
    return std::make_pair(std::move(gauges), std::move(recent));
}

Result<http::Reply> StationSummary(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const identity::StationRef station, VisibleStation(*tx, ctx, id));
    const TenantId& tenant = ctx.tenant();
    const TimestampUs now = deps.clock->NowUs();
    const int64_t start_min = station.business_day_start_min;
    const TimestampUs today_start = *BusinessDayStart(BusinessDate(now, start_min), start_min);

    OMC_ASSIGN_OR_RETURN(const std::vector<Tank> tanks, StationTanks(*tx, tenant, id));
    OMC_ASSIGN_OR_RETURN(auto tanks_and_dips, TanksAndDips(*tx, tenant, tanks, today_start));
    OMC_ASSIGN_OR_RETURN(json pumps, StationPumpsJson(*tx, tenant, id));
    OMC_ASSIGN_OR_RETURN(const std::optional<Shift> shift, OpenShiftOf(*tx, tenant, id));
    json current_shift = nullptr;
    if (shift) {
        OMC_ASSIGN_OR_RETURN(current_shift, ShiftWithReportJson(*tx, tenant, *shift, now));
    }
    OMC_ASSIGN_OR_RETURN(json variance, Variance30d(*tx, tenant, station, tanks, today_start));
    OMC_ASSIGN_OR_RETURN(const db::Rows sale_rows,
                         tx->Query(kRecentStationSales, {tenant, id, kRecentSales}));
    json sales = json::array();
    for (const db::Row& row : sale_rows) sales.push_back(SaleJson(SaleFromRow(row)));
    OMC_ASSIGN_OR_RETURN(json deliveries, RecentDeliveries(*tx, tenant, id, kRecentDeliveries));
    return Answer(json{{"station", StationHeadJson(station)},
                       {"tanks", std::move(tanks_and_dips.first)},
                       {"pumps", std::move(pumps)},
                       {"current_shift", std::move(current_shift)},
                       {"variance_30d", std::move(variance)},
                       {"recent_sales", std::move(sales)},
                       {"recent_deliveries", std::move(deliveries)},
                       {"recent_dips", std::move(tanks_and_dips.second)}});
}

// The people of a station (its attendants and manager), for a manager who may not list users.
Result<http::Reply> StationStaff(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const auto station, identity::FindVisibleStation(*tx, CallerOf(ctx), id));
    if (!station) return NotFoundError("station");
    OMC_ASSIGN_OR_RETURN(const std::vector<identity::StaffMember> staff,
                         identity::StationStaff(*tx, ctx.tenant(), id));
    json people = json::array();
    for (const identity::StaffMember& m : staff) {
        people.push_back(json{{"id", m.id.ToString()},
                              {"username", m.username},
                              {"display_name", m.display_name},
                              {"role", m.role},
                              {"active", m.active}});
    }
    return Answer(std::move(people));
}

}  // namespace

void RegisterDashboardRoutes(http::Router& router, const ForecourtDeps& deps) {
    router.Add(
        ReadRoute("/api/v1/dashboard/overview", "forecourt.dashboard.overview", deps, Overview));
    router.Add(ReadRoute("/api/v1/stations/{id}/summary", "forecourt.stations.summary", deps,
                         StationSummary));
    router.Add(
        ReadRoute("/api/v1/stations/{id}/staff", "forecourt.stations.staff", deps, StationStaff));
}

}  // namespace omc::forecourt
