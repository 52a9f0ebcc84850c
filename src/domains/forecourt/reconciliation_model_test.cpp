#include "domains/forecourt/reconciliation_model.hpp"

#include <gtest/gtest.h>

namespace omc::forecourt {
namespace {

std::string FieldOf(const Error& e) { return e.fields().empty() ? "" : e.fields()[0].field; }

// 20 000 L open, 9 830 L received, 12 000 L sold: the books say 17 830 L.
StockPeriod Day(int64_t closing_ml) {
    return StockPeriod{.opening = Volume(20'000'000),
                       .deliveries = Volume(9'830'000),
                       .metered_sales = Volume(12'000'000),
                       .closing = Volume(closing_ml)};
}

constexpr VarianceTolerance kHalfPercent{.tolerance_bp = 50, .absolute_floor = Volume(0)};

TEST(StockVariance, ALossAtTheToleranceIsWithinIt) {
    auto r = ComputeStockVariance(Day(17'770'000), kHalfPercent);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->book_closing, Volume(17'830'000));
    EXPECT_EQ(r->variance, Volume(60'000));  // positive: a loss
    EXPECT_EQ(r->variance_bp, 50);
    EXPECT_EQ(r->allowed, Volume(60'000));
    EXPECT_TRUE(r->within_tolerance);
}

TEST(StockVariance, OneMillilitreBeyondIsNot) {
    auto r = ComputeStockVariance(Day(17'769'999), kHalfPercent);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->variance, Volume(60'001));
    EXPECT_EQ(r->variance_bp, 50);  // 50.0008 bp
    EXPECT_FALSE(r->within_tolerance);
}

TEST(StockVariance, AGainIsNegativeAndJudgedTheSameWay) {
    auto r = ComputeStockVariance(Day(17'900'000), kHalfPercent);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->variance, Volume(-70'000));
    EXPECT_EQ(r->variance_bp, -58);  // -58.33
    EXPECT_FALSE(r->within_tolerance);
    EXPECT_TRUE(ComputeStockVariance(Day(17'890'000), kHalfPercent)->within_tolerance);
}

TEST(StockVariance, ShareOfThroughputRoundsHalfEven) {
    // 20 L sold: 1 ml is 0.5 bp -> 0, 3 ml is 1.5 bp -> 2, -1 ml is -0.5 bp -> 0.
    const auto bp = [](int64_t closing_ml) {
        const StockPeriod p{.opening = Volume(100'000),
                            .deliveries = Volume(0),
                            .metered_sales = Volume(20'000),
                            .closing = Volume(closing_ml)};
        return ComputeStockVariance(p, kHalfPercent)->variance_bp;
    };
    EXPECT_EQ(bp(79'999), 0);
    EXPECT_EQ(bp(79'997), 2);
    EXPECT_EQ(bp(80'001), 0);
    EXPECT_EQ(bp(79'995), 2);  // 2.5 bp -> 2
    EXPECT_EQ(bp(79'993), 4);  // 3.5 bp -> 4
}

TEST(StockVariance, ZeroThroughputHasNoShareAndTheFloorJudges) {
    const StockPeriod idle{.opening = Volume(10'000'000),
                           .deliveries = Volume(0),
                           .metered_sales = Volume(0),
                           .closing = Volume(9'995'000)};
    auto strict = ComputeStockVariance(idle, kHalfPercent);
    ASSERT_TRUE(strict.ok());
    EXPECT_EQ(strict->variance, Volume(5'000));
    EXPECT_FALSE(strict->variance_bp.has_value());
    EXPECT_FALSE(strict->within_tolerance);
    auto floored =
        ComputeStockVariance(idle, {.tolerance_bp = 50, .absolute_floor = Volume(10'000)});
    EXPECT_EQ(floored->allowed, Volume(10'000));
    EXPECT_TRUE(floored->within_tolerance);
}

TEST(StockVariance, TheLargerOfShareAndFloorApplies) {
    auto r = ComputeStockVariance(Day(17'700'000),
                                  {.tolerance_bp = 50, .absolute_floor = Volume(200'000)});
    EXPECT_EQ(r->allowed, Volume(200'000));
    EXPECT_TRUE(r->within_tolerance);
}

TEST(StockVariance, ErrorsNameTheField) {
    StockPeriod p = Day(1);
    p.opening = Volume(-1);
    EXPECT_EQ(FieldOf(ComputeStockVariance(p, kHalfPercent).error()), "opening_ml");
    p = Day(1);
    p.deliveries = Volume(-1);
    EXPECT_EQ(FieldOf(ComputeStockVariance(p, kHalfPercent).error()), "deliveries_ml");
    p = Day(1);
    p.metered_sales = Volume(100'000'000'000'001);
    EXPECT_EQ(FieldOf(ComputeStockVariance(p, kHalfPercent).error()), "metered_sales_ml");
    EXPECT_EQ(FieldOf(ComputeStockVariance(Day(-1), kHalfPercent).error()), "closing_ml");
    EXPECT_EQ(FieldOf(ComputeStockVariance(Day(1), {.tolerance_bp = 10'001}).error()),
              "tolerance_bp");
    EXPECT_EQ(
        FieldOf(ComputeStockVariance(Day(1), {.tolerance_bp = 50, .absolute_floor = Volume(-1)})
                    .error()),
        "absolute_floor_ml");
}

TEST(StockVariance, LargestFiguresDoNotOverflow) {
    const int64_t max = 100'000'000'000'000;
    const StockPeriod p{.opening = Volume(max),
                        .deliveries = Volume(max),
                        .metered_sales = Volume(1),
                        .closing = Volume(0)};
    auto r = ComputeStockVariance(p, kHalfPercent);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->variance, Volume(2 * max - 1));
    EXPECT_EQ(r->variance_bp, (2 * max - 1) * 10'000);
}

TEST(FourWay, ReportsEachDifference) {
    const FourWayInput in{.totalizer_sales = Volume(12'000'000),
                          .recorded_sales = Volume(11'950'000),
                          .tank_movement = Volume(12'060'000),
                          .expected_money = Money(17'400'000),
                          .collected_money = Money(17'327'500)};
    auto r = CompareFourWays(in);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->recorded_minus_totalizer, Volume(-50'000));
    EXPECT_EQ(r->tank_minus_totalizer, Volume(60'000));
    EXPECT_EQ(r->tank_minus_recorded, Volume(110'000));
    EXPECT_EQ(r->collected_minus_expected, Money(-72'500));
}

TEST(FourWay, ATankGainIsAllowedBadFiguresAreNot) {
    FourWayInput in{.totalizer_sales = Volume(0),
                    .recorded_sales = Volume(0),
                    .tank_movement = Volume(-3'000),
                    .expected_money = Money(0),
                    .collected_money = Money(0)};
    EXPECT_EQ(CompareFourWays(in)->tank_minus_totalizer, Volume(-3'000));
    in.recorded_sales = Volume(-1);
    EXPECT_EQ(FieldOf(CompareFourWays(in).error()), "recorded_sales_ml");
    in.recorded_sales = Volume(0);
    in.collected_money = Money(-1);
    EXPECT_EQ(FieldOf(CompareFourWays(in).error()), "collected_money_pesewas");
    in.collected_money = Money(0);
    in.tank_movement = Volume(-100'000'000'000'001);
    EXPECT_EQ(FieldOf(CompareFourWays(in).error()), "tank_movement_ml");
}

TEST(CumulativeVariance, RunningSumOldestFirst) {
    const std::vector<Volume> days{Volume(100), Volume(-50), Volume(200), Volume(0)};
    auto r = CumulativeVariance(days);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, (std::vector<Volume>{Volume(100), Volume(50), Volume(250), Volume(250)}));
    EXPECT_TRUE(CumulativeVariance({})->empty());
}

TEST(CumulativeVariance, Limits) {
    const std::vector<Volume> bad{Volume(1), Volume(100'000'000'000'001)};
    EXPECT_EQ(FieldOf(CumulativeVariance(bad).error()), "daily_variance_ml[1]");
    const std::vector<Volume> too_long(3'661, Volume(1));
    EXPECT_EQ(FieldOf(CumulativeVariance(too_long).error()), "daily_variance_ml");
    const std::vector<Volume> largest(3'660, Volume(100'000'000'000'000));
    EXPECT_EQ(CumulativeVariance(largest)->back(), Volume(366'000'000'000'000'000));
}

TEST(DaysOfCover, StockOverAverageDailySalesInTenthsRoundedDown) {
    const std::vector<Volume> sales{Volume(5'000'000), Volume(10'000'000), Volume(20'000'000)};
    // Last 2 days: 30 000 L, 15 000 L a day: 30 000 L lasts 2.0 days.
    EXPECT_EQ(*DaysOfCoverE1(Volume(30'000'000), sales, 2), 20);
    EXPECT_EQ(*DaysOfCoverE1(Volume(29'999'999), sales, 2), 19);  // 1.99999 -> 1.9
    // A window longer than the history averages what there is: 35 000 L over 3 days.
    EXPECT_EQ(*DaysOfCoverE1(Volume(35'000'000), sales, 7), 30);
    EXPECT_EQ(*DaysOfCoverE1(Volume(0), sales, 7), 0);
}

TEST(DaysOfCover, NoSalesMeansNoFigure) {
    const std::vector<Volume> idle{Volume(5'000'000), Volume(0), Volume(0)};
    EXPECT_FALSE(DaysOfCoverE1(Volume(30'000'000), idle, 2)->has_value());
    EXPECT_FALSE(DaysOfCoverE1(Volume(30'000'000), {}, 7)->has_value());
    EXPECT_EQ(*DaysOfCoverE1(Volume(30'000'000), idle, 3), 180);
}

TEST(DaysOfCover, ErrorsNameTheField) {
    const std::vector<Volume> sales{Volume(-1), Volume(10)};
    EXPECT_EQ(FieldOf(DaysOfCoverE1(Volume(1), sales, 2).error()), "daily_sales_ml[0]");
    // Days outside the window are not read.
    EXPECT_TRUE(DaysOfCoverE1(Volume(1), sales, 1).ok());
    EXPECT_EQ(FieldOf(DaysOfCoverE1(Volume(-1), sales, 1).error()), "stock_ml");
    EXPECT_EQ(FieldOf(DaysOfCoverE1(Volume(1), sales, 0).error()), "window_days");
    EXPECT_EQ(FieldOf(DaysOfCoverE1(Volume(1), sales, 3'661).error()), "window_days");
}

TEST(StockFlags, LowStockAtOrBelowWaterStrictlyAbove) {
    const StockAlertLimits limits{.low_stock = Volume(5'000'000), .water_limit = LevelMm(50)};
    EXPECT_TRUE(FlagStock(Volume(5'000'000), LevelMm(0), limits).low_stock);
    EXPECT_FALSE(FlagStock(Volume(5'000'001), LevelMm(0), limits).low_stock);
    EXPECT_FALSE(FlagStock(Volume(5'000'001), LevelMm(50), limits).water_above_limit);
    EXPECT_TRUE(FlagStock(Volume(5'000'001), LevelMm(51), limits).water_above_limit);
}

}  // namespace
}  // namespace omc::forecourt
