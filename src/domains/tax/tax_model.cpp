#include "domains/tax/tax_model.hpp"

#include "platform/base/error.hpp"
#include "platform/base/rounding.hpp"

namespace omc::tax {

std::string_view TaxBaseName(TaxBase base) {
    return base == TaxBase::kValue ? "value" : "value_plus_levies";
}

std::optional<TaxBase> ParseTaxBase(std::string_view name) {
    if (name == "value") return TaxBase::kValue;
    if (name == "value_plus_levies") return TaxBase::kValuePlusLevies;
    return std::nullopt;
}

std::string_view TaxCategoryName(TaxCategory category) {
    return category == TaxCategory::kStandard ? "standard" : "exempt";
}

const std::vector<TaxRate>& DefaultRates() {
    static const std::vector<TaxRate> kRates = {
        {"VAT", "Value added tax", 1500, TaxBase::kValuePlusLevies, true, "2021-05-01",
         "2025-12-31", "VAT Act 2013 (Act 870): charged on the value plus the levies"},
        {"NHIL", "National Health Insurance Levy", 250, TaxBase::kValue, false, "2021-05-01",
         "2025-12-31", "on the VAT-exclusive value, not input-deductible"},
        {"GETFUND", "Ghana Education Trust Fund levy", 250, TaxBase::kValue, false, "2021-05-01",
         "2025-12-31", "on the VAT-exclusive value, not input-deductible"},
        {"COVID", "COVID-19 Health Recovery Levy", 100, TaxBase::kValue, false, "2021-05-01",
         "2025-12-31", "abolished from 1 Jan 2026 (VAT Act 2025, Act 1151)"},
        {"VAT", "Value added tax", 1500, TaxBase::kValue, true, "2026-01-01", std::nullopt,
         "VAT Act 2025 (Act 1151): 20 % with NHIL and GETFund recoupled"},
        {"NHIL", "National Health Insurance Levy", 250, TaxBase::kValue, true, "2026-01-01",
         std::nullopt, "recoupled into VAT, input-deductible"},
        {"GETFUND", "Ghana Education Trust Fund levy", 250, TaxBase::kValue, true, "2026-01-01",
         std::nullopt, "recoupled into VAT, input-deductible"},
    };
    return kRates;
}

bool Overlaps(const TaxRate& a, const TaxRate& b) {
    // Dates as YYYY-MM-DD compare as text.
    const bool a_before_b = a.valid_to && *a.valid_to < b.valid_from;
    const bool b_before_a = b.valid_to && *b.valid_to < a.valid_from;
    return !a_before_b && !b_before_a;
}

std::vector<TaxRate> RatesOn(const std::vector<TaxRate>& rates, std::string_view date) {
    std::vector<TaxRate> out;
    for (const TaxRate& r : rates) {
        if (r.valid_from <= date && (!r.valid_to || date <= *r.valid_to)) out.push_back(r);
    }
    return out;
}

int64_t LineTaxes::TotalTax() const {
    int64_t total = 0;
    for (const TaxAmount& t : taxes) total += t.amount_pesewas;
    return total;
}

Result<LineTaxes> ComputeLine(int64_t amount_pesewas, TaxCategory category,
                              const std::vector<TaxRate>& rates_in_force) {
    LineTaxes line;
    line.category = category;
    line.amount_pesewas = amount_pesewas;
    line.taxable_value_pesewas = amount_pesewas;
    if (category == TaxCategory::kExempt) return line;
    if (rates_in_force.empty()) {
        return Error(ErrorCode::kUnprocessable, "no tax rule",
                     {{"date", "no tax rate is in force on the supply date"}});
    }
    int64_t levies_bp = 0;    // L
    int64_t compound_bp = 0;  // C
    for (const TaxRate& r : rates_in_force) {
        (r.base == TaxBase::kValue ? levies_bp : compound_bp) += r.rate_bp;
    }
    const __int128 a = amount_pesewas;
    for (const TaxRate& r : rates_in_force) {
        __int128 numerator = 0;
        __int128 denominator = 0;
        if (r.base == TaxBase::kValue) {
            numerator = a * r.rate_bp * kBasisPoints;
            denominator =
                static_cast<__int128>(kBasisPoints + levies_bp) * (kBasisPoints + compound_bp);
        } else {
            numerator = a * r.rate_bp;
            denominator = kBasisPoints + compound_bp;
        }
        const std::optional<int64_t> tax =
            DivideRounded(numerator, denominator, RoundingMode::kHalfUp);
        if (!tax) return InvalidArgument("amount", "too large");
        line.taxes.push_back(TaxAmount{
            .code = r.code, .rate_bp = r.rate_bp, .base = r.base, .amount_pesewas = *tax});
        line.taxable_value_pesewas -= *tax;
    }
    return line;
}

}  // namespace omc::tax
