#include "platform/base/money.hpp"

#include <cstdlib>
#include <limits>

namespace omc {
namespace {

Error Overflow(std::string_view what) {
    return Error(ErrorCode::kInvalidArgument, std::string(what) + " is out of range");
}

}  // namespace

Result<Money> AmountForVolume(UnitPrice price_per_litre, Volume volume, RoundingMode mode) {
    // price (pesewa·1e-4 / L) × volume (mL) = pesewa × 1e-4 × 1e-3.
    const __int128 product = static_cast<__int128>(price_per_litre.raw()) * volume.raw();
    auto v = DivideRounded(product, kUnitPriceScale * kMillilitresPerLitre, mode);
    if (!v) return Overflow("amount");
    return Money(*v);
}

Result<Money> AmountForMass(UnitPrice price_per_kg, Mass mass, RoundingMode mode) {
    const __int128 product = static_cast<__int128>(price_per_kg.raw()) * mass.raw();
    auto v = DivideRounded(product, kUnitPriceScale * kGramsPerKg, mode);
    if (!v) return Overflow("amount");
    return Money(*v);
}

Result<Volume> VolumeForAmount(UnitPrice price_per_litre, Money amount, RoundingMode mode) {
    if (price_per_litre.raw() <= 0) {
        return InvalidArgument("price_per_litre_pesewas_e4", "must be positive");
    }
    const __int128 numerator =
        static_cast<__int128>(amount.raw()) * kUnitPriceScale * kMillilitresPerLitre;
    auto v = DivideRounded(numerator, price_per_litre.raw(), mode);
    if (!v) return Overflow("volume");
    return Volume(*v);
}

Result<Money> UnitPriceToPesewas(UnitPrice price, RoundingMode mode) {
    auto v = DivideRounded(price.raw(), kUnitPriceScale, mode);
    if (!v) return Overflow("price");
    return Money(*v);
}

Result<Money> ScaleMoney(Money amount, int64_t numerator, int64_t denominator, RoundingMode mode) {
    if (denominator == 0) return InvalidArgument("denominator", "must not be zero");
    auto v = DivideRounded(static_cast<__int128>(amount.raw()) * numerator, denominator, mode);
    if (!v) return Overflow("amount");
    return Money(*v);
}

Result<int64_t> ParseScaled(std::string_view text, int scale) {
    const auto bad = [&](std::string msg) {
        return Error(ErrorCode::kInvalidArgument, "invalid decimal")
            .WithField("value", std::move(msg));
    };
    if (scale < 0 || scale > 9) return bad("unsupported scale");
    if (text.empty()) return bad("empty number");
    size_t i = 0;
    bool negative = false;
    if (text[0] == '-' || text[0] == '+') {
        negative = text[0] == '-';
        i = 1;
    }
    __int128 value = 0;
    int digits = 0;
    int decimals = -1;  // -1: no point seen yet
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '.') {
            if (decimals >= 0) return bad("more than one decimal point");
            decimals = 0;
            continue;
        }
        if (c < '0' || c > '9') return bad("not a plain decimal number");
        if (decimals >= 0) {
            if (decimals == scale) {
                if (c != '0') return bad("more than " + std::to_string(scale) + " decimal places");
                continue;  // trailing zeros beyond the scale are exact
            }
            ++decimals;
        }
        if (++digits > 19) return bad("too many digits");
        value = value * 10 + (c - '0');
    }
    if (digits == 0) return bad("no digits");
    if (decimals == 0 && text.back() == '.') return bad("dangling decimal point");
    for (int d = decimals < 0 ? 0 : decimals; d < scale; ++d) value *= 10;
    if (negative) value = -value;
    if (value > std::numeric_limits<int64_t>::max() ||
        value < std::numeric_limits<int64_t>::min()) {
        return bad("out of range");
    }
    return static_cast<int64_t>(value);
}

std::string FormatScaled(int64_t raw, int scale) {
    const bool negative = raw < 0;
    // Work in unsigned to format INT64_MIN without overflow.
    uint64_t magnitude = negative ? ~static_cast<uint64_t>(raw) + 1 : static_cast<uint64_t>(raw);
    const std::string digits = std::to_string(magnitude);
    const size_t width = static_cast<size_t>(scale) + 1;  // at least one digit before the point
    const std::string padded =
        digits.size() < width ? std::string(width - digits.size(), '0') + digits : digits;
    std::string out = negative ? "-" : "";
    const size_t integer_digits = padded.size() - static_cast<size_t>(scale);
    out.append(padded, 0, integer_digits);
    if (scale > 0) {
        out.push_back('.');
        out.append(padded, integer_digits, std::string::npos);
    }
    return out;
}

}  // namespace omc
