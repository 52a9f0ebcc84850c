#include "domains/forecourt/strapping.hpp"

#include <gtest/gtest.h>

namespace omc::forecourt {
namespace {

StrappingPoint P(int64_t height_mm, int64_t volume_ml) {
    return {LevelMm(height_mm), Volume(volume_ml)};
}

StrappingChart Chart(std::vector<StrappingPoint> points) {
    auto chart = StrappingChart::Create(std::move(points));
    EXPECT_TRUE(chart.ok());
    return std::move(chart).value();
}

std::string FieldOf(const Error& e) { return e.fields().empty() ? "" : e.fields()[0].field; }

std::string CreateError(std::vector<StrappingPoint> points) {
    auto chart = StrappingChart::Create(std::move(points));
    if (chart.ok()) return "ok";
    EXPECT_EQ(chart.error().code(), ErrorCode::kInvalidArgument);
    return FieldOf(chart.error());
}

// A 33 000 L tank, 2 500 mm tall, wider in the middle as a horizontal cylinder is.
StrappingChart Tank() {
    return Chart({P(0, 0), P(1'000, 10'000'000), P(2'000, 25'000'000), P(2'500, 33'000'000)});
}

TEST(StrappingChart, RowsReadExactly) {
    const StrappingChart tank = Tank();
    EXPECT_EQ(*tank.VolumeAtHeight(LevelMm(0)), Volume(0));
    EXPECT_EQ(*tank.VolumeAtHeight(LevelMm(1'000)), Volume(10'000'000));
    EXPECT_EQ(*tank.VolumeAtHeight(LevelMm(2'500)), Volume(33'000'000));
    EXPECT_EQ(tank.capacity(), Volume(33'000'000));
    EXPECT_EQ(tank.top_height(), LevelMm(2'500));
}

TEST(StrappingChart, InterpolatesLinearlyBetweenRows) {
    const StrappingChart tank = Tank();
    EXPECT_EQ(*tank.VolumeAtHeight(LevelMm(500)), Volume(5'000'000));
    EXPECT_EQ(*tank.VolumeAtHeight(LevelMm(1'001)), Volume(10'015'000));
    EXPECT_EQ(*tank.VolumeAtHeight(LevelMm(2'499)), Volume(32'984'000));
    // 1 mm into the top segment of a chart with an odd step: 8 000 001 / 500 = 16 000.002 ml.
    const StrappingChart odd = Chart({P(0, 0), P(2'000, 25'000'000), P(2'500, 33'000'001)});
    EXPECT_EQ(*odd.VolumeAtHeight(LevelMm(2'001)), Volume(25'016'000));
}

TEST(StrappingChart, InterpolationRoundsHalfEven) {
    // 1 mm of 2 mm holding 3 ml: 1.5 ml -> 2 (even); holding 5 ml: 2.5 ml -> 2 (even).
    EXPECT_EQ(*Chart({P(0, 0), P(2, 3)}).VolumeAtHeight(LevelMm(1)), Volume(2));
    EXPECT_EQ(*Chart({P(0, 0), P(2, 5)}).VolumeAtHeight(LevelMm(1)), Volume(2));
    EXPECT_EQ(*Chart({P(0, 0), P(2, 7)}).VolumeAtHeight(LevelMm(1)), Volume(4));
    // 1 mm of 3 mm holding 2 ml: 0.667 -> 1.
    EXPECT_EQ(*Chart({P(0, 0), P(3, 2)}).VolumeAtHeight(LevelMm(1)), Volume(1));
}

TEST(StrappingChart, BelowAFirstRowAboveZeroInterpolatesFromTheOrigin) {
    const StrappingChart chart = Chart({P(100, 1'000), P(200, 3'000)});
    EXPECT_EQ(*chart.VolumeAtHeight(LevelMm(0)), Volume(0));
    EXPECT_EQ(*chart.VolumeAtHeight(LevelMm(50)), Volume(500));
    EXPECT_EQ(*chart.VolumeAtHeight(LevelMm(150)), Volume(2'000));
    EXPECT_EQ(*chart.HeightForVolume(Volume(500)), LevelMm(50));
    EXPECT_EQ(*chart.HeightForVolume(Volume(0)), LevelMm(0));
}

TEST(StrappingChart, AFirstRowAtZeroMayHoldASumpVolume) {
    const StrappingChart chart = Chart({P(0, 500), P(100, 1'500)});
    EXPECT_EQ(*chart.VolumeAtHeight(LevelMm(0)), Volume(500));
    EXPECT_EQ(*chart.VolumeAtHeight(LevelMm(10)), Volume(600));
    EXPECT_EQ(*chart.HeightForVolume(Volume(200)), LevelMm(0));  // inside the sump
    EXPECT_EQ(*chart.HeightForVolume(Volume(600)), LevelMm(10));
}

TEST(StrappingChart, HeightAboveTheTopOrNegativeIsRefused) {
    const StrappingChart tank = Tank();
    for (int64_t height : {2'501, -1}) {
        auto r = tank.VolumeAtHeight(LevelMm(height));
        ASSERT_FALSE(r.ok()) << height;
        EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
        EXPECT_EQ(FieldOf(r.error()), "height_mm");
    }
    EXPECT_EQ(tank.VolumeAtHeight(LevelMm(2'501)).error().fields()[0].message,
              "is above the top of the tank's chart (2500 mm)");
}

TEST(StrappingChart, HeightForVolumeInvertsTheChart) {
    const StrappingChart tank = Tank();
    EXPECT_EQ(*tank.HeightForVolume(Volume(0)), LevelMm(0));
    EXPECT_EQ(*tank.HeightForVolume(Volume(5'000'000)), LevelMm(500));
    EXPECT_EQ(*tank.HeightForVolume(Volume(10'015'000)), LevelMm(1'001));
    EXPECT_EQ(*tank.HeightForVolume(Volume(33'000'000)), LevelMm(2'500));
    // 10 007 500 ml is 0.5 mm above the 1 000 mm row: half-even keeps 1 000.
    EXPECT_EQ(*tank.HeightForVolume(Volume(10'007'500)), LevelMm(1'000));
    // 10 022 500 ml is 1.5 mm above it: half-even goes to 1 002.
    EXPECT_EQ(*tank.HeightForVolume(Volume(10'022'500)), LevelMm(1'002));
    for (int64_t height = 0; height <= 2'500; height += 7) {
        EXPECT_EQ(*tank.HeightForVolume(*tank.VolumeAtHeight(LevelMm(height))), LevelMm(height));
    }
}

TEST(StrappingChart, VolumeOutsideTheChartIsRefused) {
    const StrappingChart tank = Tank();
    for (int64_t volume : {33'000'001, -1}) {
        auto r = tank.HeightForVolume(Volume(volume));
        ASSERT_FALSE(r.ok()) << volume;
        EXPECT_EQ(FieldOf(r.error()), "volume_ml");
    }
}

TEST(StrappingChart, ValidationNamesThePoint) {
    EXPECT_EQ(CreateError({}), "points");
    EXPECT_EQ(CreateError({P(0, 0)}), "points");
    EXPECT_EQ(CreateError({P(0, 0), P(10, 100), P(20, 200), P(30, 200)}), "points[3].volume_ml");
    EXPECT_EQ(CreateError({P(0, 0), P(10, 100), P(20, 200), P(30, 150)}), "points[3].volume_ml");
    EXPECT_EQ(CreateError({P(0, 0), P(10, 100), P(10, 200)}), "points[2].height_mm");
    EXPECT_EQ(CreateError({P(0, 0), P(10, 100), P(5, 200)}), "points[2].height_mm");
    EXPECT_EQ(CreateError({P(-1, 0), P(10, 100)}), "points[0].height_mm");
    EXPECT_EQ(CreateError({P(0, -1), P(10, 100)}), "points[0].volume_ml");
    // A first row above 0 mm must hold something: the chart rises from (0, 0).
    EXPECT_EQ(CreateError({P(50, 0), P(100, 100)}), "points[0].volume_ml");
    EXPECT_EQ(CreateError({P(0, 0), P(100'001, 100)}), "points[1].height_mm");
    EXPECT_EQ(CreateError({P(0, 0), P(100, 100'000'000'001)}), "points[1].volume_ml");
    EXPECT_EQ(CreateError({P(0, 0), P(100'000, 100'000'000'000)}), "ok");
}

TEST(StrappingChart, ValidationMessagesSayWhatIsWrong) {
    auto r = StrappingChart::Create({P(0, 0), P(10, 100), P(20, 200), P(30, 200)});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields()[0].message,
              "must be above points[2].volume_ml (volumes strictly increase)");
}

TEST(StrappingChart, TheLargestTankInterpolatesWithoutOverflow) {
    const StrappingChart chart = Chart({P(0, 0), P(100'000, 100'000'000'000)});
    EXPECT_EQ(*chart.VolumeAtHeight(LevelMm(99'999)), Volume(99'999'000'000));
    EXPECT_EQ(*chart.HeightForVolume(Volume(99'999'500'000)),
              LevelMm(100'000));  // 99 999.5 -> even
}

}  // namespace
}  // namespace omc::forecourt
