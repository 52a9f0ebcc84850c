#include "domains/forecourt/dip.hpp"

#include <gtest/gtest.h>

namespace omc::forecourt {
namespace {

StrappingChart Tank() {
    auto chart = StrappingChart::Create({{LevelMm(0), Volume(0)},
                                         {LevelMm(1'000), Volume(10'000'000)},
                                         {LevelMm(2'000), Volume(25'000'000)},
                                         {LevelMm(2'500), Volume(33'000'000)}});
    EXPECT_TRUE(chart.ok());
    return std::move(chart).value();
}

// Diesel (ρ15 820.0) at 30 °C, 1 500 mm of liquid on 20 mm of water.
DipInput Diesel() {
    return DipInput{.height = LevelMm(1'500),
                    .water_height = LevelMm(20),
                    .temperature = Temperature(3'000),
                    .product_density15 = Density(8'200),
                    .density15 = std::nullopt,
                    .reference = ReferenceTemperature::k15Celsius};
}

std::string ErrorField(const DipInput& input) {
    auto r = ComputeDip(input, Tank(), kTable54B);
    if (r.ok()) return "ok";
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    return r.error().fields().at(0).field;
}

TEST(Dip, KeepsEveryIntermediateFigure) {
    auto r = ComputeDip(Diesel(), Tank(), kTable54B);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->height, LevelMm(1'500));
    EXPECT_EQ(r->water_height, LevelMm(20));
    EXPECT_EQ(r->temperature, Temperature(3'000));
    EXPECT_EQ(r->density15, Density(8'200));
    EXPECT_FALSE(r->density15_given);
    EXPECT_EQ(r->reference, ReferenceTemperature::k15Celsius);
    EXPECT_EQ(r->gross_observed, Volume(17'500'000));
    EXPECT_EQ(r->water, Volume(200'000));
    EXPECT_EQ(r->net_observed, Volume(17'300'000));
    EXPECT_EQ(r->vcf_e4, 9867);  // 820 @ 30 °C, GHANA_REFERENCE §9
    EXPECT_EQ(r->net_standard, Volume(17'069'910));
}

TEST(Dip, To20Celsius) {
    DipInput input = Diesel();
    input.reference = ReferenceTemperature::k20Celsius;
    auto r = ComputeDip(input, Tank(), kTable54B);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->vcf_e4, 9911);
    EXPECT_EQ(r->net_standard, Volume(17'146'030));
    EXPECT_EQ(r->reference, ReferenceTemperature::k20Celsius);
}

TEST(Dip, AGivenDensityReplacesTheProducts) {
    DipInput input = Diesel();
    input.density15 = Density(8'400);
    auto r = ComputeDip(input, Tank(), kTable54B);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->density15_given);
    EXPECT_EQ(r->density15, Density(8'400));
    EXPECT_EQ(r->vcf_e4, 9873);
}

TEST(Dip, NoWaterAndOnlyWater) {
    DipInput dry = Diesel();
    dry.water_height = LevelMm(0);
    EXPECT_EQ(ComputeDip(dry, Tank(), kTable54B)->net_observed, Volume(17'500'000));

    DipInput flooded = Diesel();
    flooded.water_height = flooded.height;
    auto r = ComputeDip(flooded, Tank(), kTable54B);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->net_observed, Volume(0));
    EXPECT_EQ(r->net_standard, Volume(0));
}

TEST(Dip, AFullTankReadsItsCapacity) {
    DipInput full = Diesel();
    full.height = LevelMm(2'500);
    full.water_height = LevelMm(0);
    full.temperature = Temperature(1'500);
    auto r = ComputeDip(full, Tank(), kTable54B);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->net_standard, Volume(33'000'000));
}

TEST(Dip, ErrorsNameTheField) {
    DipInput input = Diesel();
    input.height = LevelMm(-1);
    EXPECT_EQ(ErrorField(input), "height_mm");
    input = Diesel();
    input.height = LevelMm(2'501);
    EXPECT_EQ(ErrorField(input), "height_mm");
    input = Diesel();
    input.water_height = LevelMm(-1);
    EXPECT_EQ(ErrorField(input), "water_height_mm");
    input = Diesel();
    input.water_height = LevelMm(1'501);
    EXPECT_EQ(ErrorField(input), "water_height_mm");
    input = Diesel();
    input.temperature = Temperature(7'001);
    EXPECT_EQ(ErrorField(input), "temperature_celsius_e2");
    input = Diesel();
    input.product_density15 = Density(1'000);
    EXPECT_EQ(ErrorField(input), "product_density15_kg_m3_e1");
    input = Diesel();
    input.density15 = Density(11'000);
    EXPECT_EQ(ErrorField(input), "density15_kg_m3_e1");
    // A bad product density does not matter when a density is given.
    input = Diesel();
    input.product_density15 = Density(1'000);
    input.density15 = Density(8'200);
    EXPECT_EQ(ErrorField(input), "ok");
}

}  // namespace
}  // namespace omc::forecourt
