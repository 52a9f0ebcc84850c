// Wet-stock reconciliation through the API: per tank per business day, and per tank for a closed
// shift with the shift's four-way check. The figures come from reconciliation_model.hpp
// (ComputeStockVariance, CompareFourWays, CumulativeVariance); this file chooses the dips and
// sums the movements between them. README.md ("Reconciliation") states the rules.
#pragma once

#include <optional>
#include <string>

#include "domains/forecourt/equipment.hpp"
#include "domains/forecourt/reconciliation_model.hpp"
#include "domains/forecourt/wetstock_routes.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace omc::forecourt {

struct ForecourtDeps;

// Days one reconciliation request may cover: a quarter.
inline constexpr int64_t kMaxReconciliationDays = 92;
inline constexpr int64_t kUsPerDay = 86'400LL * kUsPerSecond;

// Where the business day `date` ("YYYY-MM-DD") starts at a station whose day starts
// `business_day_start_min` minutes after midnight (the inverse of BusinessDate in sales.hpp);
// nullopt when `date` is not a date.
std::optional<TimestampUs> BusinessDayStart(const std::string& date,
                                            int64_t business_day_start_min);

// The sum of a tank's movements over the period between two dips, on each one's basis.
struct PeriodMovements {
    int64_t deliveries_milli = 0;   // received standard quantity (stock_movements 'delivery')
    int64_t adjustments_milli = 0;  // book corrections (signed); shown, not reconciled
    int64_t sales_milli = 0;        // ambient: fuel sales net of voids; refunds give no fuel back
};

// One tank over one period between an opening and a closing dip. When either dip is missing
// `variance` is nullopt and `reason` says why.
struct TankPeriod {
    std::optional<StoredDip> opening;
    std::optional<StoredDip> closing;
    PeriodMovements movements;
    int64_t sales_standard_milli = 0;  // sales at the reference temperature (mean of the dips' VCF)
    std::optional<StockVariance> variance;
    std::optional<std::string> reason;
};

// The tank's reconciliation for one business day [start, start + 1 day):
//   opening: the last dip taken at or before the day's start, else the day's first dip;
//   closing: the last dip taken after the opening one and at or before the day's end (a dip at
//            exactly the end closes this day and opens the next);
//   deliveries and sales: those after the opening dip and at or before the closing dip.
Result<TankPeriod> ReconcileTankDay(db::Transaction& tx, const TenantId& tenant, const Tank& tank,
                                    const ForecourtSettings& settings, TimestampUs day_start_us);

// GET /api/v1/tanks/{id}/reconciliation?from=&to=, GET /api/v1/shifts/{id}/reconciliation.
void RegisterReconciliationRoutes(http::Router& router, const ForecourtDeps& deps);

}  // namespace omc::forecourt
