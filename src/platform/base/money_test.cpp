#include "platform/base/money.hpp"

#include <limits>

#include <gtest/gtest.h>

namespace omc {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

TEST(DivideRounded, HalfEvenAndHalfUpDifferOnlyAtExactHalves) {
    // 2.5 -> 2 (even) vs 3 (up); 3.5 -> 4 both; 2.4 -> 2 both; 2.6 -> 3 both.
    EXPECT_EQ(*DivideRounded(25, 10, RoundingMode::kHalfEven), 2);
    EXPECT_EQ(*DivideRounded(25, 10, RoundingMode::kHalfUp), 3);
    EXPECT_EQ(*DivideRounded(35, 10, RoundingMode::kHalfEven), 4);
    EXPECT_EQ(*DivideRounded(35, 10, RoundingMode::kHalfUp), 4);
    EXPECT_EQ(*DivideRounded(24, 10, RoundingMode::kHalfUp), 2);
    EXPECT_EQ(*DivideRounded(26, 10, RoundingMode::kHalfEven), 3);
}

TEST(DivideRounded, NegativeValuesRoundSymmetricallyForHalfModes) {
    EXPECT_EQ(*DivideRounded(-25, 10, RoundingMode::kHalfEven), -2);
    EXPECT_EQ(*DivideRounded(-25, 10, RoundingMode::kHalfUp), -3);
    EXPECT_EQ(*DivideRounded(-15, 10, RoundingMode::kHalfEven), -2);
    EXPECT_EQ(*DivideRounded(25, -10, RoundingMode::kHalfUp), -3);
}

TEST(DivideRounded, DirectedModes) {
    EXPECT_EQ(*DivideRounded(21, 10, RoundingMode::kTowardZero), 2);
    EXPECT_EQ(*DivideRounded(-21, 10, RoundingMode::kTowardZero), -2);
    EXPECT_EQ(*DivideRounded(21, 10, RoundingMode::kAwayFromZero), 3);
    EXPECT_EQ(*DivideRounded(-21, 10, RoundingMode::kAwayFromZero), -3);
    EXPECT_EQ(*DivideRounded(-21, 10, RoundingMode::kFloor), -3);
    EXPECT_EQ(*DivideRounded(21, 10, RoundingMode::kFloor), 2);
    EXPECT_EQ(*DivideRounded(-21, 10, RoundingMode::kCeiling), -2);
    EXPECT_EQ(*DivideRounded(21, 10, RoundingMode::kCeiling), 3);
    EXPECT_EQ(*DivideRounded(20, 10, RoundingMode::kCeiling), 2);  // exact: no rounding
}

TEST(DivideRounded, OverflowIsReportedNotWrapped) {
    const __int128 big = static_cast<__int128>(kMax) * 4;
    EXPECT_FALSE(DivideRounded(big, 2, RoundingMode::kHalfEven).has_value());
    EXPECT_EQ(*DivideRounded(static_cast<__int128>(kMax) * 2, 2, RoundingMode::kHalfEven), kMax);
    EXPECT_EQ(*DivideRounded(kMin, 1, RoundingMode::kHalfEven), kMin);
}

TEST(Checked, OverflowAtTheEdges) {
    EXPECT_FALSE(CheckedAdd(kMax, 1).has_value());
    EXPECT_FALSE(CheckedSub(kMin, 1).has_value());
    EXPECT_FALSE(CheckedMul(kMax / 2 + 1, 2).has_value());
    EXPECT_EQ(*CheckedAdd(kMax - 1, 1), kMax);
    Money a(kMax);
    EXPECT_FALSE(a.CheckedPlus(Money(1)).has_value());
    EXPECT_EQ(a.CheckedMinus(Money(kMax))->raw(), 0);
}

TEST(Amount, LitresTimesPricePerLitre) {
    // 12.345 L at GH¢ 14.9900/L = 185.05155 GH¢ -> 18505 pesewas (half-even and half-up agree).
    const UnitPrice price(1499'0000);  // 1499 pesewas per litre, at e4
    auto amount = AmountForVolume(price, Volume(12'345), RoundingMode::kHalfEven);
    ASSERT_TRUE(amount.ok());
    EXPECT_EQ(amount->raw(), 18505);
}

TEST(Amount, ExactHalfPesewaFollowsTheNamedMode) {
    // 1 L at 0.5 pesewa/L = 0.5 pesewa: half-even -> 0, half-up -> 1.
    const UnitPrice half_pesewa(5'000);
    EXPECT_EQ(AmountForVolume(half_pesewa, Volume(1'000), RoundingMode::kHalfEven)->raw(), 0);
    EXPECT_EQ(AmountForVolume(half_pesewa, Volume(1'000), RoundingMode::kHalfUp)->raw(), 1);
    // 3 L: 1.5 pesewa -> 2 either way.
    EXPECT_EQ(AmountForVolume(half_pesewa, Volume(3'000), RoundingMode::kHalfEven)->raw(), 2);
}

TEST(Amount, NegativeVolumeForRefunds) {
    const UnitPrice price(1499'0000);
    EXPECT_EQ(AmountForVolume(price, Volume(-1'000), RoundingMode::kHalfUp)->raw(), -1499);
}

TEST(Amount, OverflowIsAnError) {
    auto amount = AmountForVolume(UnitPrice(kMax), Volume(kMax), RoundingMode::kHalfEven);
    ASSERT_FALSE(amount.ok());
    EXPECT_EQ(amount.error().code(), ErrorCode::kInvalidArgument);
}

TEST(Amount, LpgByMass) {
    // 14.5 kg at GH¢ 16.50/kg = 239.25 GH¢.
    EXPECT_EQ(AmountForMass(UnitPrice(1650'0000), Mass(14'500), RoundingMode::kHalfUp)->raw(),
              23925);
}

TEST(Amount, VolumeForAnAmount) {
    // GH¢ 50 at 14.99/L = 3.335557... L -> 3336 mL half-up, 3335 toward zero.
    EXPECT_EQ(VolumeForAmount(UnitPrice(1499'0000), Money(5000), RoundingMode::kHalfUp)->raw(),
              3336);
    EXPECT_EQ(VolumeForAmount(UnitPrice(1499'0000), Money(5000), RoundingMode::kTowardZero)->raw(),
              3335);
    EXPECT_FALSE(VolumeForAmount(UnitPrice(0), Money(5000), RoundingMode::kHalfUp).ok());
}

TEST(Amount, UnitPriceToWholePesewas) {
    // NPA's premix ex-pump 479.50 pesewas/L -> 480 half-up, 480 half-even (479.5 -> even 480).
    EXPECT_EQ(UnitPriceToPesewas(UnitPrice(479'5000), RoundingMode::kHalfUp)->raw(), 480);
    EXPECT_EQ(UnitPriceToPesewas(UnitPrice(478'5000), RoundingMode::kHalfEven)->raw(), 478);
}

TEST(Amount, ScaleByPercentage) {
    // 15% VAT on GH¢ 10.03 = 150.45 pesewas.
    EXPECT_EQ(ScaleMoney(Money(1003), 1500, 10'000, RoundingMode::kHalfEven)->raw(), 150);
    EXPECT_EQ(ScaleMoney(Money(1003), 1500, 10'000, RoundingMode::kHalfUp)->raw(), 150);
    EXPECT_EQ(ScaleMoney(Money(1010), 1500, 10'000, RoundingMode::kHalfEven)->raw(), 152);  // 151.5
    EXPECT_EQ(ScaleMoney(Money(1030), 1500, 10'000, RoundingMode::kHalfEven)->raw(), 154);  // 154.5
    EXPECT_EQ(ScaleMoney(Money(1030), 1500, 10'000, RoundingMode::kHalfUp)->raw(), 155);
    EXPECT_FALSE(ScaleMoney(Money(1), 1, 0, RoundingMode::kHalfUp).ok());
}

TEST(ParseScaled, ExactDecimalsOnly) {
    EXPECT_EQ(*ParseScaled("4.79", 2), 479);
    EXPECT_EQ(*ParseScaled("4.7", 2), 470);
    EXPECT_EQ(*ParseScaled("4", 2), 400);
    EXPECT_EQ(*ParseScaled("-0.0001", 4), -1);
    EXPECT_EQ(*ParseScaled("4.7900", 2), 479);   // trailing zeros are exact
    EXPECT_FALSE(ParseScaled("4.795", 2).ok());  // would need rounding
    EXPECT_FALSE(ParseScaled("", 2).ok());
    EXPECT_FALSE(ParseScaled("1e5", 2).ok());
    EXPECT_FALSE(ParseScaled("1,000.00", 2).ok());
    EXPECT_FALSE(ParseScaled("1.2.3", 2).ok());
    EXPECT_FALSE(ParseScaled("-", 2).ok());
    EXPECT_FALSE(ParseScaled(".", 2).ok());
    EXPECT_FALSE(ParseScaled("12.", 2).ok());
    EXPECT_FALSE(ParseScaled("99999999999999999999", 0).ok());
    EXPECT_FALSE(ParseScaled("NaN", 2).ok());
}

TEST(FormatScaled, RoundTripsAndEdges) {
    EXPECT_EQ(FormatScaled(47950, 4), "4.7950");
    EXPECT_EQ(FormatScaled(5, 2), "0.05");
    EXPECT_EQ(FormatScaled(-5, 2), "-0.05");
    EXPECT_EQ(FormatScaled(0, 2), "0.00");
    EXPECT_EQ(FormatScaled(123, 0), "123");
    EXPECT_EQ(FormatScaled(kMin, 2), "-92233720368547758.08");
    EXPECT_EQ(FormatCedis(Money(123456)), "1234.56");
    EXPECT_EQ(*ParseScaled(FormatScaled(kMax, 4), 4), kMax);
}

TEST(RoundingModeNames, RoundTrip) {
    for (RoundingMode m :
         {RoundingMode::kHalfEven, RoundingMode::kHalfUp, RoundingMode::kTowardZero,
          RoundingMode::kAwayFromZero, RoundingMode::kFloor, RoundingMode::kCeiling}) {
        EXPECT_EQ(ParseRoundingMode(RoundingModeName(m)), m);
    }
    EXPECT_FALSE(ParseRoundingMode("bankers").has_value());
}

}  // namespace
}  // namespace omc
