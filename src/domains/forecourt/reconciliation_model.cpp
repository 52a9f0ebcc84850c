#include "domains/forecourt/reconciliation_model.hpp"

#include <algorithm>

#include "domains/forecourt/limits.hpp"
#include "platform/base/assert.hpp"

namespace omc::forecourt {
namespace {

// A variance as a share of throughput, to the basis point; half-even like every derived figure.
constexpr RoundingMode kVarianceBpRounding = RoundingMode::kHalfEven;
// Days of cover are rounded down: a manager reordering on "2.9 days" is safer than on "3.0".
constexpr RoundingMode kCoverRounding = RoundingMode::kFloor;
constexpr int64_t kTenthsPerDay = 10;

}  // namespace

Result<StockVariance> ComputeStockVariance(const StockPeriod& period,
                                           const VarianceTolerance& tolerance) {
    OMC_TRY(CheckVolume("opening_ml", period.opening));
    OMC_TRY(CheckVolume("deliveries_ml", period.deliveries));
    OMC_TRY(CheckVolume("metered_sales_ml", period.metered_sales));
    OMC_TRY(CheckVolume("closing_ml", period.closing));
    OMC_TRY(CheckBasisPoints("tolerance_bp", tolerance.tolerance_bp));
    OMC_TRY(CheckVolume("absolute_floor_ml", tolerance.absolute_floor));

    // Each figure is within kMaxVolumeMl, so these sums fit (limits.hpp).
    StockVariance out;
    out.book_closing =
        Volume(period.opening.raw() + period.deliveries.raw() - period.metered_sales.raw());
    out.variance = Volume(out.book_closing.raw() - period.closing.raw());
    if (!period.metered_sales.IsZero()) {
        const auto bp =
            DivideRounded(static_cast<__int128>(out.variance.raw()) * kBasisPointsPerWhole,
                          period.metered_sales.raw(), kVarianceBpRounding);
        ERP_INVARIANT(bp.has_value(), "variance share overflow");
        out.variance_bp = *bp;
    }
    const Volume relative =
        ScaleVolume(period.metered_sales, tolerance.tolerance_bp, kBasisPointsPerWhole);
    out.allowed = std::max(relative, tolerance.absolute_floor);
    const int64_t magnitude = out.variance.raw() < 0 ? -out.variance.raw() : out.variance.raw();
    out.within_tolerance = magnitude <= out.allowed.raw();
    return out;
}

Result<FourWayDifferences> CompareFourWays(const FourWayInput& input) {
    OMC_TRY(CheckVolume("totalizer_sales_ml", input.totalizer_sales));
    OMC_TRY(CheckVolume("recorded_sales_ml", input.recorded_sales));
    OMC_TRY(CheckSignedVolume("tank_movement_ml", input.tank_movement));
    OMC_TRY(CheckMoney("expected_money_pesewas", input.expected_money));
    OMC_TRY(CheckMoney("collected_money_pesewas", input.collected_money));

    FourWayDifferences out;
    out.recorded_minus_totalizer = Volume(input.recorded_sales.raw() - input.totalizer_sales.raw());
    out.tank_minus_totalizer = Volume(input.tank_movement.raw() - input.totalizer_sales.raw());
    out.tank_minus_recorded = Volume(input.tank_movement.raw() - input.recorded_sales.raw());
    out.collected_minus_expected = Money(input.collected_money.raw() - input.expected_money.raw());
    return out;
}

Result<std::vector<Volume>> CumulativeVariance(std::span<const Volume> daily_variance) {
    if (daily_variance.size() > static_cast<size_t>(kMaxSeriesDays)) {
        return InvalidArgument("daily_variance_ml",
                               "at most " + std::to_string(kMaxSeriesDays) + " days");
    }
    std::vector<Volume> out;
    out.reserve(daily_variance.size());
    int64_t running = 0;
    for (size_t i = 0; i < daily_variance.size(); ++i) {
        OMC_TRY(CheckSignedVolume(IndexedField("daily_variance_ml", i), daily_variance[i]));
        running += daily_variance[i].raw();  // bounded by kMaxSeriesDays × kMaxVolumeMl
        out.emplace_back(running);
    }
    return out;
}

Result<std::optional<int64_t>> DaysOfCoverE1(Volume stock, std::span<const Volume> daily_sales,
                                             int64_t window_days) {
    OMC_TRY(CheckVolume("stock_ml", stock));
    if (window_days < 1 || window_days > kMaxSeriesDays) {
        return InvalidArgument("window_days", "must be 1 to " + std::to_string(kMaxSeriesDays));
    }
    const size_t n = std::min(daily_sales.size(), static_cast<size_t>(window_days));
    const size_t first = daily_sales.size() - n;
    int64_t sold = 0;
    for (size_t i = first; i < daily_sales.size(); ++i) {
        OMC_TRY(CheckVolume(IndexedField("daily_sales_ml", i), daily_sales[i]));
        sold += daily_sales[i].raw();  // n <= kMaxSeriesDays days of at most kMaxVolumeMl
    }
    if (sold == 0) return std::optional<int64_t>();
    const auto tenths =
        DivideRounded(static_cast<__int128>(stock.raw()) * static_cast<int64_t>(n) * kTenthsPerDay,
                      sold, kCoverRounding);
    ERP_INVARIANT(tenths.has_value(), "days of cover overflow");
    return std::optional<int64_t>(*tenths);
}

StockFlags FlagStock(Volume stock, LevelMm water_height, const StockAlertLimits& limits) {
    return StockFlags{.low_stock = stock <= limits.low_stock,
                      .water_above_limit = water_height > limits.water_limit};
}

}  // namespace omc::forecourt
