#include "domains/tax/tax_model.hpp"

#include <gtest/gtest.h>

namespace omc::tax {
namespace {

std::vector<TaxRate> On(const std::string& date) { return RatesOn(DefaultRates(), date); }

// {taxable value, VAT, NHIL, GETFund, COVID} in pesewas, COVID -1 when absent.
struct Parts {
    int64_t value, vat, nhil, getfund, covid;
};

Parts PartsOf(const LineTaxes& line) {
    Parts p{line.taxable_value_pesewas, 0, 0, 0, -1};
    for (const TaxAmount& t : line.taxes) {
        if (t.code == "VAT") p.vat = t.amount_pesewas;
        if (t.code == "NHIL") p.nhil = t.amount_pesewas;
        if (t.code == "GETFUND") p.getfund = t.amount_pesewas;
        if (t.code == "COVID") p.covid = t.amount_pesewas;
    }
    return p;
}

void ExpectParts(int64_t amount, const std::string& date, Parts want) {
    const Result<LineTaxes> line = ComputeLine(amount, TaxCategory::kStandard, On(date));
    ASSERT_TRUE(line.ok()) << line.error().message();
    const Parts got = PartsOf(*line);
    EXPECT_EQ(got.value, want.value) << amount << " on " << date;
    EXPECT_EQ(got.vat, want.vat) << amount << " on " << date;
    EXPECT_EQ(got.nhil, want.nhil) << amount << " on " << date;
    EXPECT_EQ(got.getfund, want.getfund) << amount << " on " << date;
    EXPECT_EQ(got.covid, want.covid) << amount << " on " << date;
    // The parts add up to the amount exactly.
    EXPECT_EQ(line->taxable_value_pesewas + line->TotalTax(), amount);
}

TEST(TaxModel, RegimeUntil2025IsLeviesThenVatOnTop) {
    // The reference's example: net 100.00 -> levies 6.00 -> VAT 15.90 -> 121.90.
    ExpectParts(12190, "2025-12-31", {10000, 1590, 250, 250, 100});
    EXPECT_EQ(On("2025-12-31").size(), 4U);
}

TEST(TaxModel, RegimeFrom2026IsTwentyPercentWithoutCovid) {
    // net 100.00 -> 120.00: VAT 15.00, NHIL 2.50, GETFund 2.50; no COVID levy.
    ExpectParts(12000, "2026-01-01", {10000, 1500, 250, 250, -1});
    EXPECT_EQ(On("2026-01-01").size(), 3U);
}

TEST(TaxModel, RoundingPerLineHalfUp) {
    // 10.00 in 2025: VAT 1000x1500/11500 = 130.43 -> 130; NHIL and GETFund
    // 1000x250x10^4/(10600x11500) = 20.51 -> 21; COVID 8.20 -> 8; value 820.
    ExpectParts(1000, "2025-06-30", {820, 130, 21, 21, 8});
    // 10.00 in 2026: VAT 125; NHIL and GETFund 1000/48 = 20.83 -> 21; value 833.
    ExpectParts(1000, "2026-03-01", {833, 125, 21, 21, -1});
    // 0.24 in 2026: NHIL = 24/48 = 0.5 pesewa exactly -> 1 (half up, not half-even's 0).
    ExpectParts(24, "2026-03-01", {19, 3, 1, 1, -1});
    // One pesewa: every tax rounds to zero, the value keeps it.
    ExpectParts(1, "2026-03-01", {1, 0, 0, 0, -1});
    ExpectParts(1, "2025-03-01", {1, 0, 0, 0, 0});
}

TEST(TaxModel, NegativeLinesMirrorPositiveOnes) {
    ExpectParts(-24, "2026-03-01", {-19, -3, -1, -1, -1});
    ExpectParts(-1000, "2025-06-30", {-820, -130, -21, -21, -8});
    // A sale and its full refund net out to the pesewa.
    for (int64_t amount : {1, 7, 24, 999, 12190, 123457}) {
        for (const char* date : {"2025-07-01", "2026-07-01"}) {
            const auto sale = ComputeLine(amount, TaxCategory::kStandard, On(date));
            const auto refund = ComputeLine(-amount, TaxCategory::kStandard, On(date));
            ASSERT_TRUE(sale.ok() && refund.ok());
            EXPECT_EQ(sale->TotalTax() + refund->TotalTax(), 0);
            EXPECT_EQ(sale->taxable_value_pesewas + refund->taxable_value_pesewas, 0);
        }
    }
}

TEST(TaxModel, ExemptLinesCarryNoTax) {
    const auto line = ComputeLine(50000, TaxCategory::kExempt, On("2026-01-01"));
    ASSERT_TRUE(line.ok());
    EXPECT_TRUE(line->taxes.empty());
    EXPECT_EQ(line->taxable_value_pesewas, 50000);
}

TEST(TaxModel, NoRateInForceIsUnprocessable) {
    const auto line = ComputeLine(100, TaxCategory::kStandard, On("2020-01-01"));
    ASSERT_FALSE(line.ok());
    EXPECT_EQ(line.error().code(), ErrorCode::kUnprocessable);
}

TEST(TaxModel, OverlapsIsInclusive) {
    TaxRate a{.valid_from = "2025-01-01", .valid_to = std::string("2025-12-31")};
    TaxRate b{.valid_from = "2025-12-31", .valid_to = std::nullopt};
    TaxRate c{.valid_from = "2026-01-01", .valid_to = std::nullopt};
    EXPECT_TRUE(Overlaps(a, b));
    EXPECT_FALSE(Overlaps(a, c));
    EXPECT_TRUE(Overlaps(b, c));
}

}  // namespace
}  // namespace omc::tax
