#include "domains/forecourt/reconciliation.hpp"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "domains/forecourt/common.hpp"
#include "domains/forecourt/limits.hpp"
#include "domains/forecourt/sales.hpp"
#include "domains/forecourt/shifts.hpp"
#include "platform/base/assert.hpp"
#include "platform/base/money.hpp"

namespace omc::forecourt {
namespace {

using nlohmann::json;

// A shift's dips are taken at the changeover: the dip nearest the shift's open (or close)
// within this much either side is the shift's opening (closing) dip.
constexpr TimestampUs kShiftDipWindowUs = 60LL * 60 * kUsPerSecond;
// Dips of one tank looked at within such a window: a gauge reading every minute fills it.
constexpr int64_t kMaxDipsInWindow = 2 * 60 + 1;
// Two VCFs are averaged (sum over 2 × 10 000) to correct the period's metered litres.
constexpr int64_t kVcfScale = 10'000;

constexpr db::Query kMovementsBetween{"forecourt.tank_movements_between", R"sql(
    SELECT kind, COALESCE(SUM(quantity_milli), 0) FROM stock_movements
    WHERE tenant_id = $1 AND tank_id = $2 AND occurred_at_us > $3 AND occurred_at_us <= $4
    GROUP BY kind)sql"};
// A void gives its fuel back to the tank (a negative row); a refund is money only. The tank's
// station picks the sales through sales_station_time (a station has a few tanks); sales carry
// no index of their own per tank, one index fewer for every sale to write (migration 0012).
constexpr db::Query kSalesBetween{"forecourt.tank_sales_between", R"sql(
    SELECT COALESCE(SUM(quantity_milli), 0) FROM sales
    WHERE tenant_id = $1
      AND station_id = (SELECT station_id FROM tanks WHERE tenant_id = $1 AND id = $2)
      AND tank_id = $2 AND kind <> 'refund' AND sold_at_us > $3 AND sold_at_us <= $4)sql"};

// The tank's movements in (after, until]; its sales too when `with_sales`.
Result<PeriodMovements> MovementsBetween(db::Transaction& tx, const TenantId& tenant,
                                         const Uuid& tank, TimestampUs after, TimestampUs until,
                                         bool with_sales) {
    PeriodMovements m;
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx.Query(kMovementsBetween, {tenant, tank, after, until}));
    for (const db::Row& row : rows) {
        if (row.Text(0) == "delivery") m.deliveries_milli += row.Int(1);
        if (row.Text(0) == "adjustment") m.adjustments_milli += row.Int(1);
    }
    if (with_sales) {
        OMC_ASSIGN_OR_RETURN(const db::Rows sold,
                             tx.Query(kSalesBetween, {tenant, tank, after, until}));
        m.sales_milli = sold[0].Int(0);
    }
    return m;
}

// Pumps meter ambient litres; the dips are at the reference temperature. The period's fuel left
// the tank at temperatures between the two readings, so it is corrected by the mean of the two
// dips' factors, rounded once (half-even).
Volume AtReference(int64_t ambient_milli, const StoredDip& opening, const StoredDip& closing) {
    return ScaleVolume(Volume(ambient_milli), opening.reading.vcf_e4 + closing.reading.vcf_e4,
                       2 * kVcfScale);
}

// Fills the period's variance from its dips and movements, or says why there is none.
void JudgePeriod(TankPeriod& p, const ForecourtSettings& settings) {
    if (!p.opening) {
        p.reason = "no opening dip";
        return;
    }
    if (!p.closing) {
        p.reason = "no closing dip after the opening dip";
        return;
    }
    if (p.movements.sales_milli < 0) {
        p.reason = "voids exceed sales in the period";
        return;
    }
    p.sales_standard_milli = AtReference(p.movements.sales_milli, *p.opening, *p.closing).raw();
    const StockPeriod period{.opening = p.opening->reading.net_standard,
                             .deliveries = Volume(p.movements.deliveries_milli),
                             .metered_sales = Volume(p.sales_standard_milli),
                             .closing = p.closing->reading.net_standard};
    const VarianceTolerance tolerance{.tolerance_bp = settings.variance_tolerance_bp,
                                      .absolute_floor = Volume(settings.variance_floor_milli)};
    Result<StockVariance> variance = ComputeStockVariance(period, tolerance);
    if (variance.ok()) {
        p.variance = *variance;
    } else {
        p.reason = "cannot compute: " + variance.error().message();
    }
}

void DipRef(const std::optional<StoredDip>& dip, json& out, std::string_view prefix) {
    const std::string p(prefix);
    out[p + "_dip_id"] = dip ? json(dip->id.ToString()) : json();
    out[p + "_dip_at"] = dip ? json(FormatTimestamp(dip->taken_at_us)) : json();
    out[p] = dip ? json(FormatQuantity(dip->reading.net_standard.raw())) : json();
}

json PeriodJson(const TankPeriod& p) {
    json out = json::object();
    DipRef(p.opening, out, "opening");
    DipRef(p.closing, out, "closing");
    out["deliveries"] = FormatQuantity(p.movements.deliveries_milli);
    out["adjustments"] = FormatQuantity(p.movements.adjustments_milli);
    out["metered_sales_ambient"] = FormatQuantity(p.movements.sales_milli);
    const std::optional<StockVariance>& v = p.variance;
    out["metered_sales"] = v ? json(FormatQuantity(p.sales_standard_milli)) : json();
    out["book_closing"] = v ? json(FormatQuantity(v->book_closing.raw())) : json();
    out["variance"] = v ? json(FormatQuantity(v->variance.raw())) : json();
    out["variance_bp"] = v && v->variance_bp ? json(*v->variance_bp) : json();
    out["allowed_variance"] = v ? json(FormatQuantity(v->allowed.raw())) : json();
    out["within_tolerance"] = v ? json(v->within_tolerance) : json();
    out["reason"] = OptionalText(p.reason);
    return out;
}

// A YYYY-MM-DD query parameter that must be there; kInvalidArgument naming it otherwise.
Result<std::string> RequiredDate(const http::RequestContext& ctx, std::string_view name) {
    OMC_ASSIGN_OR_RETURN(std::optional<std::string> date, http::QueryDate(ctx, name));
    if (!date) return InvalidArgument(std::string(name), "is required (YYYY-MM-DD)");
    return *std::move(date);
}

Result<http::Reply> TankReconciliation(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid tank_id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(const std::string from, RequiredDate(ctx, "from"));
    OMC_ASSIGN_OR_RETURN(const std::string to, RequiredDate(ctx, "to"));
    const TimestampUs from_us = *BusinessDayStart(from, 0);
    const TimestampUs to_us = *BusinessDayStart(to, 0);
    if (to_us < from_us) return InvalidArgument("to", "must not be before from");
    const int64_t days = (to_us - from_us) / kUsPerDay + 1;
    if (days > kMaxReconciliationDays) {
        return Error(ErrorCode::kUnprocessable, "range too long",
                     {{"to", "at most " + std::to_string(kMaxReconciliationDays) +
                                 " days from `from`, both included"}});
    }
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Tank tank, TankInScope(*tx, ctx, tank_id));
    OMC_ASSIGN_OR_RETURN(const identity::StationRef station,
                         VisibleStation(*tx, ctx, tank.station_id));
    OMC_ASSIGN_OR_RETURN(const ForecourtSettings settings, LoadSettings(*tx, ctx.tenant()));
    const TimestampUs offset_us = station.business_day_start_min * 60 * kUsPerSecond;

    std::vector<TankPeriod> periods;
    std::vector<Volume> daily_variance;
    for (int64_t day = 0; day < days; ++day) {
        OMC_ASSIGN_OR_RETURN(TankPeriod p, ReconcileTankDay(*tx, ctx.tenant(), tank, settings,
                                                            from_us + day * kUsPerDay + offset_us));
        if (p.variance) daily_variance.push_back(p.variance->variance);
        periods.push_back(std::move(p));
    }
    // The running sum over the days that have a variance (days without both dips are skipped).
    OMC_ASSIGN_OR_RETURN(const std::vector<Volume> cumulative, CumulativeVariance(daily_variance));
    json rows = json::array();
    size_t judged = 0;
    for (int64_t day = 0; day < days; ++day) {
        const TankPeriod& p = periods[static_cast<size_t>(day)];
        json row = PeriodJson(p);
        row["business_date"] =
            BusinessDate(from_us + day * kUsPerDay + offset_us, station.business_day_start_min);
        row["cumulative_variance"] =
            p.variance ? json(FormatQuantity(cumulative[judged++].raw())) : json();
        rows.push_back(std::move(row));
    }
    ERP_ASSERT(judged == cumulative.size(), "one running sum per judged day");
    return Answer(
        json{{"tank_id", tank.id.ToString()},
             {"station_id", tank.station_id.ToString()},
             {"product_id", tank.product_id.ToString()},
             {"from", from},
             {"to", to},
             {"reference_temperature", FormatScaled(settings.reference_temperature_c100, 2)},
             {"variance_tolerance_bp", settings.variance_tolerance_bp},
             {"variance_floor", FormatQuantity(settings.variance_floor_milli)},
             {"cumulative_variance",
              cumulative.empty() ? json() : json(FormatQuantity(cumulative.back().raw()))},
             {"days", std::move(rows)}});
}

// ---- shifts ----

// The tank's dip nearest `at` within kShiftDipWindowUs, taken after `after` (ties: the earlier).
Result<std::optional<StoredDip>> NearestDip(db::Transaction& tx, const TenantId& tenant,
                                            const Uuid& tank, TimestampUs at, TimestampUs after) {
    const TimestampUs lower = std::max(at - kShiftDipWindowUs - 1, after);
    OMC_ASSIGN_OR_RETURN(
        const std::vector<StoredDip> dips,
        DipsBetween(tx, tenant, tank, lower, at + kShiftDipWindowUs, kMaxDipsInWindow));
    std::optional<StoredDip> best;
    for (const StoredDip& d : dips) {
        const auto distance = [at](const StoredDip& x) {
            return x.taken_at_us > at ? x.taken_at_us - at : at - x.taken_at_us;
        };
        if (!best || distance(d) < distance(*best)) best = d;
    }
    return best;
}

// One tank's part of a shift: its dips, deliveries, meters and records, and the variance.
struct ShiftTank {
    Tank tank;
    TankPeriod period;
    int64_t recorded_milli = 0;           // ambient
    int64_t recorded_standard_milli = 0;  // at the reference temperature, as the meters
    bool sold = false;                    // metered or recorded anything in the shift
};

Result<ShiftTank> ReconcileShiftTank(db::Transaction& tx, const TenantId& tenant,
                                     const Shift& shift, const Tank& tank,
                                     const std::vector<Nozzle>& nozzles, const ShiftTotals& totals,
                                     const ForecourtSettings& settings) {
    ShiftTank t{.tank = tank};
    for (const Nozzle& n : nozzles) {
        if (n.tank_id != tank.id) continue;
        if (const auto m = totals.meter_by_nozzle.find(n.id); m != totals.meter_by_nozzle.end()) {
            t.period.movements.sales_milli += m->second;
            t.sold = t.sold || m->second != 0;
        }
        if (const auto r = totals.recorded_by_nozzle.find(n.id);
            r != totals.recorded_by_nozzle.end()) {
            t.recorded_milli += r->second;
            t.sold = t.sold || r->second != 0;
        }
    }
    const TimestampUs closed_at = *shift.closed_at_us;
    OMC_ASSIGN_OR_RETURN(t.period.opening, NearestDip(tx, tenant, tank.id, shift.opened_at_us,
                                                      shift.opened_at_us - kShiftDipWindowUs - 1));
    if (t.period.opening) {
        OMC_ASSIGN_OR_RETURN(t.period.closing, NearestDip(tx, tenant, tank.id, closed_at,
                                                          t.period.opening->taken_at_us));
    }
    OMC_ASSIGN_OR_RETURN(const PeriodMovements delivered,
                         MovementsBetween(tx, tenant, tank.id, shift.opened_at_us, closed_at,
                                          /*with_sales=*/false));
    t.period.movements.deliveries_milli = delivered.deliveries_milli;
    t.period.movements.adjustments_milli = delivered.adjustments_milli;
    JudgePeriod(t.period, settings);
    if (t.period.variance) {
        t.recorded_standard_milli =
            AtReference(t.recorded_milli, *t.period.opening, *t.period.closing).raw();
    }
    return t;
}

// The shift's four-way check over its tanks, at the reference temperature; only a `reason` when
// a tank that sold has no dip pair (or the figures are beyond the model's limits).
json FourWayJson(const std::vector<ShiftTank>& tanks, const ShiftTotals& totals) {
    int64_t totalizer = 0;
    int64_t recorded = 0;
    int64_t movement = 0;
    for (const ShiftTank& t : tanks) {
        if (!t.period.variance) {
            if (!t.sold) continue;
            return json{{"reason", "tank " + t.tank.code + ": " + *t.period.reason}};
        }
        const TankPeriod& p = t.period;
        totalizer += p.sales_standard_milli;
        recorded += t.recorded_standard_milli;
        movement += p.opening->reading.net_standard.raw() + p.movements.deliveries_milli -
                    p.closing->reading.net_standard.raw();
    }
    const FourWayInput input{.totalizer_sales = Volume(totalizer),
                             .recorded_sales = Volume(recorded),
                             .tank_movement = Volume(movement),
                             .expected_money = Money(totals.expected_money),
                             .collected_money = Money(totals.collected_money)};
    Result<FourWayDifferences> diff = CompareFourWays(input);
    if (!diff.ok()) return json{{"reason", "cannot compute: " + diff.error().message()}};
    return json{{"totalizer_sales", FormatQuantity(totalizer)},
                {"recorded_sales", FormatQuantity(recorded)},
                {"tank_movement", FormatQuantity(movement)},
                {"expected_money", FormatMoney(totals.expected_money)},
                {"collected_money", FormatMoney(totals.collected_money)},
                {"recorded_minus_totalizer", FormatQuantity(diff->recorded_minus_totalizer.raw())},
                {"tank_minus_totalizer", FormatQuantity(diff->tank_minus_totalizer.raw())},
                {"tank_minus_recorded", FormatQuantity(diff->tank_minus_recorded.raw())},
                {"collected_minus_expected", FormatMoney(diff->collected_minus_expected.raw())},
                {"reason", nullptr}};
}

Result<http::Reply> ShiftReconciliation(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Shift shift, VisibleShift(*tx, ctx, id, /*lock=*/false));
    if (shift.status != "closed") {
        return Error(ErrorCode::kConflict, "the shift is still open",
                     {{"id", "is open: a shift is reconciled once it is closed"}});
    }
    ERP_ASSERT(shift.closed_at_us.has_value(), "a closed shift has its closing time");
    OMC_ASSIGN_OR_RETURN(const ShiftReport report,
                         BuildShiftReport(*tx, ctx.tenant(), shift, deps.clock->NowUs()));
    OMC_ASSIGN_OR_RETURN(const std::vector<Tank> tanks,
                         StationTanks(*tx, ctx.tenant(), shift.station_id));
    OMC_ASSIGN_OR_RETURN(const std::vector<Nozzle> nozzles,
                         StationNozzles(*tx, ctx.tenant(), shift.station_id));
    OMC_ASSIGN_OR_RETURN(const ForecourtSettings settings, LoadSettings(*tx, ctx.tenant()));
    std::vector<ShiftTank> reconciled;
    json rows = json::array();
    for (const Tank& tank : tanks) {
        OMC_ASSIGN_OR_RETURN(ShiftTank t, ReconcileShiftTank(*tx, ctx.tenant(), shift, tank,
                                                             nozzles, report.totals, settings));
        if (!tank.active && !t.sold) continue;
        json row = PeriodJson(t.period);
        row["tank_id"] = tank.id.ToString();
        row["tank_code"] = tank.code;
        row["product_id"] = tank.product_id.ToString();
        row["recorded_sales_ambient"] = FormatQuantity(t.recorded_milli);
        row["recorded_sales"] =
            t.period.variance ? json(FormatQuantity(t.recorded_standard_milli)) : json();
        rows.push_back(std::move(row));
        reconciled.push_back(std::move(t));
    }
    return Answer(json{{"shift_id", shift.id.ToString()},
                       {"station_id", shift.station_id.ToString()},
                       {"opened_at", FormatTimestamp(shift.opened_at_us)},
                       {"closed_at", FormatTimestamp(*shift.closed_at_us)},
                       {"tanks", std::move(rows)},
                       {"four_way", FourWayJson(reconciled, report.totals)}});
}

}  // namespace

std::optional<TimestampUs> BusinessDayStart(const std::string& date,
                                            int64_t business_day_start_min) {
    const std::optional<int64_t> days = ParseDateDays(date);
    if (!days) return std::nullopt;
    return *days * kUsPerDay + business_day_start_min * 60 * kUsPerSecond;
}

Result<TankPeriod> ReconcileTankDay(db::Transaction& tx, const TenantId& tenant, const Tank& tank,
                                    const ForecourtSettings& settings, TimestampUs day_start_us) {
    const TimestampUs day_end_us = day_start_us + kUsPerDay;
    TankPeriod p;
    OMC_ASSIGN_OR_RETURN(p.opening, LastDipAtOrBefore(tx, tenant, tank.id, day_start_us));
    if (!p.opening) {
        OMC_ASSIGN_OR_RETURN(const std::vector<StoredDip> first,
                             DipsBetween(tx, tenant, tank.id, day_start_us, day_end_us, 1));
        if (!first.empty()) p.opening = first[0];
    }
    if (p.opening) {
        OMC_ASSIGN_OR_RETURN(std::optional<StoredDip> last,
                             LastDipAtOrBefore(tx, tenant, tank.id, day_end_us));
        if (last && last->taken_at_us > p.opening->taken_at_us) p.closing = std::move(last);
    }
    if (p.opening && p.closing) {
        OMC_ASSIGN_OR_RETURN(p.movements,
                             MovementsBetween(tx, tenant, tank.id, p.opening->taken_at_us,
                                              p.closing->taken_at_us, /*with_sales=*/true));
    }
    JudgePeriod(p, settings);
    return p;
}

void RegisterReconciliationRoutes(http::Router& router, const ForecourtDeps& deps) {
    router.Add(ReadRoute("/api/v1/tanks/{id}/reconciliation", "forecourt.tanks.reconciliation",
                         deps, TankReconciliation));
    router.Add(ReadRoute("/api/v1/shifts/{id}/reconciliation", "forecourt.shifts.reconciliation",
                         deps, ShiftReconciliation));
}

}  // namespace omc::forecourt
