// Wet-stock reconciliation per tank per period: book stock against dipped stock, the variance and
// its tolerance; the four-way check of meters, sales records, tank and money; a cumulative
// variance trend; days of cover; stock alerts. Volumes are at the reference temperature unless
// a comment says otherwise; mixing bases is the caller's mistake, not something this can detect.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "domains/forecourt/quantities.hpp"
#include "platform/base/money.hpp"
#include "platform/base/result.hpp"

namespace omc::forecourt {

// One tank over one period (a shift or a day), all at the reference temperature.
struct StockPeriod {
    Volume opening;        // "opening_ml": the dip that opened the period
    Volume deliveries;     // "deliveries_ml": received into the tank (not the tickets' figures)
    Volume metered_sales;  // "metered_sales_ml": totalizer sales of the tank's nozzles
    Volume closing;        // "closing_ml": the dip that closed the period
};

// When a variance needs explaining. Both figures are settings (per product or tank); no
// regulator's figure is confirmed. The larger of the two applies, so a quiet day's small
// throughput does not turn a dip's own reading error into an alarm.
struct VarianceTolerance {
    int64_t tolerance_bp = 0;  // "tolerance_bp": of the period's metered sales, 0 to 10 000
    Volume absolute_floor;     // "absolute_floor_ml": never less than this
};

struct StockVariance {
    Volume book_closing;  // opening + deliveries - metered_sales
    // book_closing - closing = opening + deliveries - metered_sales - closing. Positive: the tank
    // holds less than the books say (a loss); negative: more (a gain).
    Volume variance;
    // variance × 10 000 / metered_sales, half-even. nullopt when nothing was sold: a share of
    // zero throughput means nothing, and the absolute floor still judges the variance.
    std::optional<int64_t> variance_bp;
    Volume allowed;  // max(metered_sales × tolerance_bp / 10 000 half-even, absolute_floor)
    bool within_tolerance = false;  // |variance| <= allowed: gains are as suspect as losses
};

// kInvalidArgument naming the first negative or oversized figure ("opening_ml", ...,
// "tolerance_bp", "absolute_floor_ml").
Result<StockVariance> ComputeStockVariance(const StockPeriod& period,
                                           const VarianceTolerance& tolerance);

// The four-way check over one period: what the meters say was pumped, what the sales records
// say was sold, what left the tank, and whether the money matches. All three volumes must be on
// one basis (all at the reference temperature, or all ambient).
struct FourWayInput {
    Volume totalizer_sales;  // "totalizer_sales_ml": closing - opening totalizers
    Volume recorded_sales;   // "recorded_sales_ml": the sum of recorded sale transactions
    Volume tank_movement;    // "tank_movement_ml": opening + deliveries - closing; may be < 0
    Money expected_money;    // "expected_money_pesewas": what the meters' litres should bring
    Money collected_money;   // "collected_money_pesewas": cash + mobile money + card banked
};

struct FourWayDifferences {
    Volume recorded_minus_totalizer;  // < 0: fuel pumped without a sale record
    Volume tank_minus_totalizer;      // > 0: fuel left the tank but not through a meter
    Volume tank_minus_recorded;
    Money collected_minus_expected;  // < 0: money short
};

// kInvalidArgument naming the first negative or oversized figure (tank_movement_ml may be
// negative, within ±kMaxVolumeMl).
Result<FourWayDifferences> CompareFourWays(const FourWayInput& input);

// Running sums of daily variances, oldest first: the trend a slow leak shows before any single
// day breaches its tolerance. kInvalidArgument naming "daily_variance_ml" (more than
// kMaxSeriesDays) or "daily_variance_ml[i]" (beyond ±kMaxVolumeMl).
Result<std::vector<Volume>> CumulativeVariance(std::span<const Volume> daily_variance);

// How many tenths of a day `stock` lasts at the average daily sales of the last `window_days`
// entries of daily_sales (oldest first), rounded down (cover is never overstated):
//   stock × n × 10 / (sum of the last n days), n = min(window_days, days available).
// nullopt when those days sold nothing. kInvalidArgument naming "stock_ml", "window_days"
// (1 to kMaxSeriesDays) or "daily_sales_ml[i]" (negative or oversized).
Result<std::optional<int64_t>> DaysOfCoverE1(Volume stock, std::span<const Volume> daily_sales,
                                             int64_t window_days);

// Per-tank alert settings.
struct StockAlertLimits {
    Volume low_stock;     // flag at or below this stock
    LevelMm water_limit;  // flag water strictly above this height
};

struct StockFlags {
    bool low_stock = false;
    bool water_above_limit = false;
};

StockFlags FlagStock(Volume stock, LevelMm water_height, const StockAlertLimits& limits);

}  // namespace omc::forecourt
