#include "domains/forecourt/delivery_model.hpp"

#include <gtest/gtest.h>

namespace omc::forecourt {
namespace {

DipReading Stock(int64_t net_standard_ml, ReferenceTemperature reference) {
    DipReading dip;
    dip.reference = reference;
    dip.net_standard = Volume(net_standard_ml);
    return dip;
}

// 10 000 L of diesel (ρ15 820.0) loaded at 30 °C: 9 867 000 ml at 15 °C (VCF 0.9867). The tank
// held 4 950 000 ml before and sold 40 000 ml during the drop.
DeliveryInput Delivery(int64_t after_ml) {
    const auto k15 = ReferenceTemperature::k15Celsius;
    return DeliveryInput{
        .ticket = {.loaded_volume = Volume(10'000'000),
                   .temperature = Temperature(3'000),
                   .density15 = Density(8'200)},
        .dip_before = Stock(4'950'000, k15),
        .dip_after = Stock(after_ml, k15),
        .sales_during_delivery = Volume(40'000),
        .claim_price_per_litre = UnitPrice(14'500'000),  // GH₵ 14.50 per litre
    };
}

constexpr TransitLossPolicy kHalfPercent{.allowance_bp = 50,
                                         .basis = ClaimBasis::kExcessOverAllowance,
                                         .claim_rounding = RoundingMode::kHalfEven};

DeliveryShortage Shortage(const DeliveryInput& input, const TransitLossPolicy& policy) {
    auto r = ComputeDeliveryShortage(input, policy, kTable54B);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().fields().at(0).field);
    return r.ok() ? *r : DeliveryShortage{};
}

std::string ErrorField(const DeliveryInput& input, const TransitLossPolicy& policy) {
    auto r = ComputeDeliveryShortage(input, policy, kTable54B);
    if (r.ok()) return "ok";
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    return r.error().fields().at(0).field;
}

TEST(DeliveryShortage, WithinTheAllowanceNothingIsClaimed) {
    // Received 14 740 000 - 4 950 000 + 40 000 = 9 830 000: 37 000 ml short, allowance 49 335.
    const DeliveryShortage s = Shortage(Delivery(14'740'000), kHalfPercent);
    EXPECT_EQ(s.reference, ReferenceTemperature::k15Celsius);
    EXPECT_EQ(s.loaded_vcf_e4, 9867);
    EXPECT_EQ(s.loaded_standard, Volume(9'867'000));
    EXPECT_EQ(s.received_standard, Volume(9'830'000));
    EXPECT_EQ(s.shortage, Volume(37'000));
    EXPECT_EQ(s.allowance, Volume(49'335));
    EXPECT_EQ(s.claimable, Volume(0));
    EXPECT_EQ(s.claim_amount, Money(0));
}

TEST(DeliveryShortage, BeyondTheAllowanceTheExcessIsClaimed) {
    // Received 9 767 000: 100 000 ml short; 100 000 - 49 335 = 50 665 ml claimable;
    // 50.665 L × GH₵ 14.50 = 73 464.25 pesewas -> 73 464.
    const DeliveryShortage s = Shortage(Delivery(14'677'000), kHalfPercent);
    EXPECT_EQ(s.shortage, Volume(100'000));
    EXPECT_EQ(s.claimable, Volume(50'665));
    EXPECT_EQ(s.claim_amount, Money(73'464));
}

TEST(DeliveryShortage, WholeShortageBasisClaimsEverythingOnceExceeded) {
    TransitLossPolicy whole = kHalfPercent;
    whole.basis = ClaimBasis::kWholeShortageWhenExceeded;
    EXPECT_EQ(Shortage(Delivery(14'677'000), whole).claimable, Volume(100'000));
    EXPECT_EQ(Shortage(Delivery(14'677'000), whole).claim_amount, Money(145'000));
    EXPECT_EQ(Shortage(Delivery(14'740'000), whole).claimable, Volume(0));
    // Exactly at the allowance: not exceeded.
    EXPECT_EQ(Shortage(Delivery(14'677'000 + 100'000 - 49'335), whole).shortage, Volume(49'335));
    EXPECT_EQ(Shortage(Delivery(14'677'000 + 100'000 - 49'335), whole).claimable, Volume(0));
}

TEST(DeliveryShortage, AGainIsReportedAndNeverClaimed) {
    const DeliveryShortage s = Shortage(Delivery(14'800'000), kHalfPercent);
    EXPECT_EQ(s.received_standard, Volume(9'890'000));
    EXPECT_EQ(s.shortage, Volume(-23'000));
    EXPECT_EQ(s.claimable, Volume(0));
    EXPECT_EQ(s.claim_amount, Money(0));
}

TEST(DeliveryShortage, ClaimAmountRoundsAsThePolicyNames) {
    // No allowance, 100 ml short at GH₵ 14.45: 144.5 pesewas.
    TransitLossPolicy none{.allowance_bp = 0,
                           .basis = ClaimBasis::kExcessOverAllowance,
                           .claim_rounding = RoundingMode::kHalfEven};
    DeliveryInput input = Delivery(14'777'000 - 100);
    input.claim_price_per_litre = UnitPrice(14'450'000);
    EXPECT_EQ(Shortage(input, none).claimable, Volume(100));
    EXPECT_EQ(Shortage(input, none).claim_amount, Money(144));
    none.claim_rounding = RoundingMode::kHalfUp;
    EXPECT_EQ(Shortage(input, none).claim_amount, Money(145));
}

TEST(DeliveryShortage, ATicketCompensatedTo20CelsiusKeepsItsVolume) {
    const auto k20 = ReferenceTemperature::k20Celsius;
    DeliveryInput input = Delivery(0);
    input.ticket.temperature = Temperature(2'000);
    input.dip_before = Stock(4'950'000, k20);
    input.dip_after = Stock(14'910'000, k20);
    const DeliveryShortage s = Shortage(input, kHalfPercent);
    EXPECT_EQ(s.reference, k20);
    EXPECT_EQ(s.loaded_vcf_e4, 10'000);
    EXPECT_EQ(s.loaded_standard, Volume(10'000'000));
    EXPECT_EQ(s.shortage, Volume(0));
}

TEST(DeliveryShortage, ErrorsNameTheField) {
    DeliveryInput input = Delivery(14'740'000);
    input.ticket.loaded_volume = Volume(0);
    EXPECT_EQ(ErrorField(input, kHalfPercent), "ticket.loaded_volume_ml");
    input = Delivery(14'740'000);
    input.ticket.loaded_volume = Volume(100'000'000'000'001);
    EXPECT_EQ(ErrorField(input, kHalfPercent), "ticket.loaded_volume_ml");
    input = Delivery(14'740'000);
    input.ticket.temperature = Temperature(-2'001);
    EXPECT_EQ(ErrorField(input, kHalfPercent), "ticket.temperature_celsius_e2");
    input = Delivery(14'740'000);
    input.ticket.density15 = Density(6'000);
    EXPECT_EQ(ErrorField(input, kHalfPercent), "ticket.density15_kg_m3_e1");
    input = Delivery(14'740'000);
    input.dip_after.reference = ReferenceTemperature::k20Celsius;
    EXPECT_EQ(ErrorField(input, kHalfPercent), "dip_after.reference");
    input = Delivery(14'740'000);
    input.sales_during_delivery = Volume(-1);
    EXPECT_EQ(ErrorField(input, kHalfPercent), "sales_during_delivery_ml");
    input = Delivery(14'740'000);
    input.claim_price_per_litre = UnitPrice(-1);
    EXPECT_EQ(ErrorField(input, kHalfPercent), "claim_price_per_litre_pesewas_e4");
    TransitLossPolicy bad = kHalfPercent;
    bad.allowance_bp = 10'001;
    EXPECT_EQ(ErrorField(Delivery(14'740'000), bad), "allowance_bp");
    bad.allowance_bp = -1;
    EXPECT_EQ(ErrorField(Delivery(14'740'000), bad), "allowance_bp");
}

StrappingChart Tank(int64_t capacity_ml) {
    auto chart =
        StrappingChart::Create({{LevelMm(0), Volume(0)}, {LevelMm(2'500), Volume(capacity_ml)}});
    EXPECT_TRUE(chart.ok());
    return std::move(chart).value();
}

TEST(SafeFill, IsAShareOfCapacityRoundedDown) {
    EXPECT_EQ(*SafeFillVolume(Tank(33'000'000), 9'500), Volume(31'350'000));
    EXPECT_EQ(*SafeFillVolume(Tank(33'000'001), 9'500), Volume(31'350'000));  // .95 ml down
    EXPECT_EQ(*SafeFillVolume(Tank(33'000'000), 10'000), Volume(33'000'000));
    EXPECT_EQ(SafeFillVolume(Tank(33'000'000), 10'001).error().fields()[0].field, "safe_fill_bp");
}

TEST(DeliveryFits, ReturnsTheRoomLeftOrRefusesAnOverfill) {
    const Volume safe(31'350'000);
    EXPECT_EQ(*CheckDeliveryFits(Volume(20'000'000), Volume(11'350'000), safe), Volume(0));
    EXPECT_EQ(*CheckDeliveryFits(Volume(20'000'000), Volume(10'000'000), safe), Volume(1'350'000));
    auto over = CheckDeliveryFits(Volume(20'000'000), Volume(11'350'001), safe);
    ASSERT_FALSE(over.ok());
    EXPECT_EQ(over.error().code(), ErrorCode::kUnprocessable);
    EXPECT_EQ(over.error().fields()[0].field, "planned_volume_ml");
    EXPECT_EQ(over.error().fields()[0].message,
              "would fill the tank to 31350001 ml, above its safe fill of 31350000 ml; at most "
              "11350000 ml fits");
    // A tank already above its safe fill takes nothing.
    auto full = CheckDeliveryFits(Volume(32'000'000), Volume(1), safe);
    ASSERT_FALSE(full.ok());
    EXPECT_NE(full.error().fields()[0].message.find("at most 0 ml fits"), std::string::npos);
}

TEST(DeliveryFits, BadFiguresNameTheField) {
    const Volume safe(31'350'000);
    EXPECT_EQ(CheckDeliveryFits(Volume(-1), Volume(1), safe).error().fields()[0].field,
              "current_volume_ml");
    EXPECT_EQ(CheckDeliveryFits(Volume(0), Volume(-1), safe).error().fields()[0].field,
              "planned_volume_ml");
    EXPECT_EQ(CheckDeliveryFits(Volume(0), Volume(1), Volume(-1)).error().fields()[0].field,
              "safe_fill_volume_ml");
    EXPECT_EQ(CheckDeliveryFits(Volume(0), Volume(-1), safe).error().code(),
              ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace omc::forecourt
