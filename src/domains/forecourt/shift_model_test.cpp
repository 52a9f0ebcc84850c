#include "domains/forecourt/shift_model.hpp"

#include <gtest/gtest.h>

namespace omc::forecourt {
namespace {

constexpr auto kHalfEven = RoundingMode::kHalfEven;
constexpr TotalizerPolicy kNoRollover{};
constexpr UnitPrice kPetrol(14'500'000);  // GH₵ 14.50 per litre
constexpr UnitPrice kDiesel(15'200'000);  // GH₵ 15.20 per litre

std::string FieldOf(const Error& e) { return e.fields().empty() ? "" : e.fields()[0].field; }

NozzleShift Nozzle(int64_t opening_ml, int64_t closing_ml, UnitPrice price) {
    return {.opening_totalizer = Volume(opening_ml),
            .closing_totalizer = Volume(closing_ml),
            .price_per_litre = price};
}

TEST(NozzleSales, ClosingMinusOpeningAtThePrice) {
    auto r =
        ComputeNozzleSales(Nozzle(1'234'567'890, 1'235'067'890, kPetrol), kNoRollover, kHalfEven);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->meter_sales, Volume(500'000));
    EXPECT_EQ(r->expected, Money(725'000));
    EXPECT_FALSE(r->rolled_over);
    EXPECT_EQ(ComputeNozzleSales(Nozzle(7, 7, kPetrol), kNoRollover, kHalfEven)->meter_sales,
              Volume(0));
}

TEST(NozzleSales, ExpectedMoneyRoundsByTheNamedMode) {
    // 100 ml at GH₵ 14.45 is 144.5 pesewas; 333 ml is 481.185.
    const UnitPrice price(14'450'000);
    EXPECT_EQ(ComputeNozzleSales(Nozzle(0, 100, price), kNoRollover, kHalfEven)->expected,
              Money(144));
    EXPECT_EQ(
        ComputeNozzleSales(Nozzle(0, 100, price), kNoRollover, RoundingMode::kHalfUp)->expected,
        Money(145));
    EXPECT_EQ(ComputeNozzleSales(Nozzle(0, 333, price), kNoRollover, kHalfEven)->expected,
              Money(481));
}

TEST(NozzleSales, AClosingBelowTheOpeningIsRefusedWithoutRollover) {
    auto r = ComputeNozzleSales(Nozzle(1'000, 999, kPetrol), kNoRollover, kHalfEven);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(FieldOf(r.error()), "closing_totalizer_ml");
}

TEST(NozzleSales, AConfiguredRolloverWrapsOnce) {
    const TotalizerPolicy eight_digits{.rollover = Volume(100'000'000'000)};
    auto r = ComputeNozzleSales(Nozzle(99'999'900'000, 400'000, kPetrol), eight_digits, kHalfEven);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->meter_sales, Volume(500'000));
    EXPECT_TRUE(r->rolled_over);
    EXPECT_EQ(r->expected, Money(725'000));
    // Exactly to the wrap point: shows 0.
    EXPECT_EQ(ComputeNozzleSales(Nozzle(99'999'900'000, 0, kPetrol), eight_digits, kHalfEven)
                  ->meter_sales,
              Volume(100'000));
    // A reading the register cannot show is refused.
    auto shown = ComputeNozzleSales(Nozzle(0, 100'000'000'000, kPetrol), eight_digits, kHalfEven);
    EXPECT_EQ(FieldOf(shown.error()), "closing_totalizer_ml");
}

TEST(NozzleSales, ErrorsNameTheField) {
    EXPECT_EQ(FieldOf(ComputeNozzleSales(Nozzle(-1, 0, kPetrol), kNoRollover, kHalfEven).error()),
              "opening_totalizer_ml");
    EXPECT_EQ(
        FieldOf(ComputeNozzleSales(Nozzle(0, 100'000'000'000'001, kPetrol), kNoRollover, kHalfEven)
                    .error()),
        "closing_totalizer_ml");
    EXPECT_EQ(
        FieldOf(ComputeNozzleSales(Nozzle(0, 1, UnitPrice(0)), kNoRollover, kHalfEven).error()),
        "price_per_litre_pesewas_e4");
    // 1e11 L at GH₵ 1 000 000 per litre does not fit the money limit.
    EXPECT_EQ(
        FieldOf(ComputeNozzleSales(Nozzle(0, 100'000'000'000'000, UnitPrice(1'000'000'000'000)),
                                   kNoRollover, kHalfEven)
                    .error()),
        "price_per_litre_pesewas_e4");
    EXPECT_EQ(
        FieldOf(
            ComputeNozzleSales(Nozzle(0, 1, kPetrol), {.rollover = Volume(0)}, kHalfEven).error()),
        "rollover_ml");
}

AttendantShiftInput Shift() {
    return AttendantShiftInput{
        .nozzles = {Nozzle(1'000'000, 1'500'000, kPetrol), Nozzle(2'000'000, 2'200'000, kDiesel)},
        .recorded_sales = Volume(695'000),
        .collected = {
            .cash = Money(600'000), .mobile_money = Money(300'000), .card = Money(120'000)}};
}

TEST(AttendantVariance, MoneyAndLitresAgainstTheMeters) {
    auto r = ComputeAttendantVariance(Shift(), kNoRollover, kHalfEven);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->nozzles.size(), 2U);
    EXPECT_EQ(r->nozzles[0].expected, Money(725'000));
    EXPECT_EQ(r->nozzles[1].expected, Money(304'000));
    EXPECT_EQ(r->meter_sales, Volume(700'000));
    EXPECT_EQ(r->expected, Money(1'029'000));
    EXPECT_EQ(r->collected, Money(1'020'000));
    EXPECT_EQ(r->money_variance, Money(-9'000));   // GH₵ 90 short
    EXPECT_EQ(r->volume_variance, Volume(5'000));  // 5 L pumped without a record
}

TEST(AttendantVariance, ExpectedMoneyIsRoundedPerNozzleThenSummed) {
    // Two segments of 100 ml at GH₵ 14.45: 144.5 -> 144 each, 288 in all (the total rounded
    // once would be 289).
    AttendantShiftInput input = Shift();
    input.nozzles = {Nozzle(0, 100, UnitPrice(14'450'000)), Nozzle(0, 100, UnitPrice(14'450'000))};
    EXPECT_EQ(ComputeAttendantVariance(input, kNoRollover, kHalfEven)->expected, Money(288));
}

TEST(AttendantVariance, ErrorsNameTheField) {
    AttendantShiftInput input = Shift();
    input.nozzles[1].closing_totalizer = Volume(1'999'999);
    EXPECT_EQ(FieldOf(ComputeAttendantVariance(input, kNoRollover, kHalfEven).error()),
              "nozzles[1].closing_totalizer_ml");
    input = Shift();
    input.nozzles.clear();
    EXPECT_EQ(FieldOf(ComputeAttendantVariance(input, kNoRollover, kHalfEven).error()), "nozzles");
    input.nozzles.assign(65, Nozzle(0, 1, kPetrol));
    EXPECT_EQ(FieldOf(ComputeAttendantVariance(input, kNoRollover, kHalfEven).error()), "nozzles");
    input = Shift();
    input.collected.mobile_money = Money(-1);
    EXPECT_EQ(FieldOf(ComputeAttendantVariance(input, kNoRollover, kHalfEven).error()),
              "collected.mobile_money_pesewas");
    input = Shift();
    input.recorded_sales = Volume(-1);
    EXPECT_EQ(FieldOf(ComputeAttendantVariance(input, kNoRollover, kHalfEven).error()),
              "recorded_sales_ml");
}

}  // namespace
}  // namespace omc::forecourt
