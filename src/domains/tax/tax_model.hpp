// GRA taxes on a tax-inclusive sale line: the pure rules, no SQL, no HTTP.
//
// A rate applies to supply dates [valid_from, valid_to] and is charged on a base:
//   kValue            the VAT-exclusive (taxable) value V
//   kValuePlusLevies  V plus every tax in force on the date whose base is kValue
// With L the sum of kValue rates and C the sum of kValuePlusLevies rates (basis points), a
// tax-inclusive amount A is A = V × (1 + L) × (1 + C), so
//   a kValue tax of rate r           = A × r × 10^4 / ((10^4 + L) × (10^4 + C))
//   a kValuePlusLevies tax of rate r = A × r / (10^4 + C)
// Until 31 Dec 2025: NHIL 2.5 %, GETFund 2.5 %, COVID 1 % on V, VAT 15 % on V + levies
// (1.06 × 1.15 = 21.9 %: 121.90 = 100.00 + 6.00 + 15.90). From 1 Jan 2026: VAT 15 %, NHIL 2.5 %,
// GETFund 2.5 %, all on V (20 %: 120.00 = 100.00 + 20.00).
//
// Rounding, per line: each tax is its exact share rounded half up (half away from zero) to the
// pesewa; the taxable value is the amount less the taxes, so the parts add up to the amount
// exactly. A negative line (void, refund) gets the same figures negated, so a full reversal
// nets the sale out to the pesewa.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/base/result.hpp"

namespace omc::tax {

enum class TaxBase { kValue, kValuePlusLevies };
std::string_view TaxBaseName(TaxBase base);
std::optional<TaxBase> ParseTaxBase(std::string_view name);

inline constexpr int64_t kBasisPoints = 10'000;

struct TaxRate {
    std::string code;  // "VAT", "NHIL", "GETFUND", "COVID"
    std::string name;
    int64_t rate_bp = 0;
    TaxBase base = TaxBase::kValue;
    bool input_deductible = false;
    std::string valid_from;               // YYYY-MM-DD, inclusive
    std::optional<std::string> valid_to;  // inclusive; nullopt: open
    std::optional<std::string> note;
};

// The GRA rules of the domain reference (section 6), used until a tenant writes its own rows.
// The 2026 rows and the 31 Dec 2025 end are confirmed; the start of the pre-2026 rows
// (2021-05-01, when the COVID-19 levy began) is not in the reference and is a setting.
const std::vector<TaxRate>& DefaultRates();

// Whether two date ranges (inclusive, open-ended when valid_to is nullopt) share a day.
bool Overlaps(const TaxRate& a, const TaxRate& b);

// The rates in force on `date` (YYYY-MM-DD), in the order given.
std::vector<TaxRate> RatesOn(const std::vector<TaxRate>& rates, std::string_view date);

enum class TaxCategory { kStandard, kExempt };
std::string_view TaxCategoryName(TaxCategory category);

struct TaxAmount {
    std::string code;
    int64_t rate_bp = 0;
    TaxBase base = TaxBase::kValue;
    int64_t amount_pesewas = 0;
};

struct LineTaxes {
    TaxCategory category = TaxCategory::kStandard;
    int64_t amount_pesewas = 0;         // tax-inclusive, as sold
    int64_t taxable_value_pesewas = 0;  // amount - sum of taxes
    std::vector<TaxAmount> taxes;       // one per rate in force (none when exempt)
    int64_t TotalTax() const;
};

// The breakdown of one tax-inclusive line under `rates_in_force` (the rates on its supply
// date). Exempt lines carry no tax. kUnprocessable when a standard-rated line has no rate in
// force (no rule for that date); kInvalidArgument on an overflow.
Result<LineTaxes> ComputeLine(int64_t amount_pesewas, TaxCategory category,
                              const std::vector<TaxRate>& rates_in_force);

}  // namespace omc::tax
