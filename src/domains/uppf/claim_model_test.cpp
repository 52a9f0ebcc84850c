// The UPPF freight rules with figures to the pesewa.
#include "domains/uppf/claim_model.hpp"

#include <gtest/gtest.h>

namespace omc::uppf {
namespace {

// 0.17 pesewa per litre per km (GH¢ 0.0017): about what a 530 km trip on a ~90 GHp/L margin
// would pay. An example figure, not NPA's (the official rate is unconfirmed).
constexpr int64_t kRate = 1'700;

TEST(UppfFreight, LoadedQuantityTimesDistanceTimesRate) {
    // 10 000 L × 123.4 km × 0.17 p = 209 780 p exactly.
    auto f = ComputeTripFreight(
        {.loaded_milli = 10'000'000, .received_milli = 9'718'830, .distance_km_e1 = 1'234},
        {.rate_per_litre_km_e4 = kRate});
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f->claimed_milli, 10'000'000);
    EXPECT_EQ(f->paid_distance_km_e1, 1'234);
    EXPECT_EQ(f->amount_pesewas, 209'780);
    EXPECT_EQ(f->claimable_pesewas, 209'780);
    EXPECT_EQ(f->exclusion, Exclusion::kNone);
}

TEST(UppfFreight, ReceivedBasisRoundsHalfUpOnce) {
    // 9 718.830 L × 123.4 km × 0.17 p = 203 881.61574 p -> 203 882 (half up, once).
    auto f = ComputeTripFreight(
        {.loaded_milli = 10'000'000, .received_milli = 9'718'830, .distance_km_e1 = 1'234},
        {.rate_per_litre_km_e4 = kRate, .basis = QuantityBasis::kReceived});
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f->claimed_milli, 9'718'830);
    EXPECT_EQ(f->amount_pesewas, 203'882);
    // Exactly half a pesewa goes up: 1 L × 0.5 km × 1 p... 1 000 mL × 5 × 10 000 / 10^8 = 0.5.
    auto half = ComputeTripFreight({.loaded_milli = 1'000, .distance_km_e1 = 5},
                                   {.rate_per_litre_km_e4 = 10'000});
    ASSERT_TRUE(half.ok());
    EXPECT_EQ(half->amount_pesewas, 1);
}

TEST(UppfFreight, DistanceCapAndMinimum) {
    // Capped at 100.0 km: 10 000 L × 100 km × 0.17 p = 170 000 p.
    auto capped = ComputeTripFreight({.loaded_milli = 10'000'000, .distance_km_e1 = 1'234},
                                     {.rate_per_litre_km_e4 = kRate, .max_distance_km_e1 = 1'000});
    ASSERT_TRUE(capped.ok());
    EXPECT_EQ(capped->paid_distance_km_e1, 1'000);
    EXPECT_EQ(capped->amount_pesewas, 170'000);
    auto short_trip =
        ComputeTripFreight({.loaded_milli = 10'000'000, .distance_km_e1 = 99},
                           {.rate_per_litre_km_e4 = kRate, .min_distance_km_e1 = 100});
    ASSERT_TRUE(short_trip.ok());
    EXPECT_EQ(short_trip->amount_pesewas, 16'830);  // 10 000 × 9.9 × 0.17
    EXPECT_EQ(short_trip->claimable_pesewas, 0);
    EXPECT_EQ(short_trip->exclusion, Exclusion::kBelowMinDistance);
}

TEST(UppfFreight, DiversionIsKeptButNotClaimable) {
    auto f =
        ComputeTripFreight({.loaded_milli = 10'000'000, .distance_km_e1 = 1'234, .diverted = true},
                           {.rate_per_litre_km_e4 = kRate});
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f->amount_pesewas, 209'780);
    EXPECT_EQ(f->claimable_pesewas, 0);
    EXPECT_EQ(ExclusionName(f->exclusion), "diversion");
}

TEST(UppfFreight, RefusesBadInputAndOverflow) {
    EXPECT_FALSE(ComputeTripFreight({.loaded_milli = 0}, {.rate_per_litre_km_e4 = kRate}).ok());
    EXPECT_FALSE(ComputeTripFreight({.loaded_milli = 1, .distance_km_e1 = -1},
                                    {.rate_per_litre_km_e4 = kRate})
                     .ok());
    EXPECT_FALSE(ComputeTripFreight({.loaded_milli = 1}, {.rate_per_litre_km_e4 = 0}).ok());
    auto huge = ComputeTripFreight({.loaded_milli = INT64_MAX, .distance_km_e1 = INT64_MAX / 2},
                                   {.rate_per_litre_km_e4 = INT64_MAX / 4});
    EXPECT_FALSE(huge.ok());
}

TEST(UppfPeriod, MonthsAndTheirLastDays) {
    auto feb = ParseClaimPeriod("2024-02");
    ASSERT_TRUE(feb.has_value());
    EXPECT_EQ(feb->first_day, "2024-02-01");
    EXPECT_EQ(feb->last_day, "2024-02-29");
    EXPECT_EQ(ParseClaimPeriod("2023-02")->last_day, "2023-02-28");
    EXPECT_EQ(ParseClaimPeriod("2023-11")->last_day, "2023-11-30");
    EXPECT_FALSE(ParseClaimPeriod("2023-13").has_value());
    EXPECT_FALSE(ParseClaimPeriod("2023-1").has_value());
    EXPECT_FALSE(ParseClaimPeriod("23-11-01").has_value());
    EXPECT_FALSE(ParseClaimPeriod("1999-12").has_value());
}

TEST(UppfSettlement, StatusFollowsThePayments) {
    using enum ClaimStatus;
    EXPECT_EQ(*SettleClaim(kSubmitted, 10'000, 0, 4'000, false), kPartlySettled);
    EXPECT_EQ(*SettleClaim(kPartlySettled, 10'000, 4'000, 6'000, false), kSettled);
    EXPECT_EQ(*SettleClaim(kPartlySettled, 10'000, 4'000, 5'000, true), kSettled);
    EXPECT_EQ(*SettleClaim(kSubmitted, 0, 0, 0, true), kSettled);
    auto over = SettleClaim(kPartlySettled, 10'000, 4'000, 6'001, false);
    ASSERT_FALSE(over.ok());
    EXPECT_EQ(over.error().code(), ErrorCode::kUnprocessable);
    EXPECT_EQ(over.error().fields()[0].field, "amount");
    EXPECT_EQ(SettleClaim(kSubmitted, 10'000, 0, 0, false).error().code(),
              ErrorCode::kUnprocessable);
    EXPECT_EQ(SettleClaim(kDraft, 10'000, 0, 1, false).error().code(), ErrorCode::kConflict);
    EXPECT_EQ(SettleClaim(kSettled, 10'000, 10'000, 1, false).error().code(), ErrorCode::kConflict);
}

}  // namespace
}  // namespace omc::uppf
