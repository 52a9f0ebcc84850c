#include "platform/base/rounding.hpp"

#include <limits>

#include "platform/base/assert.hpp"

namespace omc {

std::string_view RoundingModeName(RoundingMode mode) {
    switch (mode) {
        case RoundingMode::kHalfEven:
            return "half_even";
        case RoundingMode::kHalfUp:
            return "half_up";
        case RoundingMode::kTowardZero:
            return "toward_zero";
        case RoundingMode::kAwayFromZero:
            return "away_from_zero";
        case RoundingMode::kFloor:
            return "floor";
        case RoundingMode::kCeiling:
            return "ceiling";
    }
    return "half_even";
}

std::optional<RoundingMode> ParseRoundingMode(std::string_view name) {
    for (RoundingMode m :
         {RoundingMode::kHalfEven, RoundingMode::kHalfUp, RoundingMode::kTowardZero,
          RoundingMode::kAwayFromZero, RoundingMode::kFloor, RoundingMode::kCeiling}) {
        if (RoundingModeName(m) == name) return m;
    }
    return std::nullopt;
}

std::optional<int64_t> DivideRounded(__int128 numerator, __int128 denominator, RoundingMode mode) {
    ERP_INVARIANT(denominator != 0, "division by zero");
    if (denominator < 0) {
        numerator = -numerator;
        denominator = -denominator;
    }
    __int128 quotient = numerator / denominator;   // truncates toward zero
    __int128 remainder = numerator % denominator;  // same sign as numerator
    if (remainder != 0) {
        const bool negative = numerator < 0;
        const __int128 abs_rem = negative ? -remainder : remainder;
        const __int128 twice = abs_rem * 2;  // denominator < 2^126 in practice; see callers
        bool away = false;
        switch (mode) {
            case RoundingMode::kTowardZero:
                away = false;
                break;
            case RoundingMode::kAwayFromZero:
                away = true;
                break;
            case RoundingMode::kFloor:
                away = negative;
                break;
            case RoundingMode::kCeiling:
                away = !negative;
                break;
            case RoundingMode::kHalfUp:
                away = twice >= denominator;
                break;
            case RoundingMode::kHalfEven:
                away = twice > denominator || (twice == denominator && (quotient % 2 != 0));
                break;
        }
        if (away) quotient += negative ? -1 : 1;
    }
    if (quotient > std::numeric_limits<int64_t>::max() ||
        quotient < std::numeric_limits<int64_t>::min()) {
        return std::nullopt;
    }
    return static_cast<int64_t>(quotient);
}

std::optional<int64_t> CheckedAdd(int64_t a, int64_t b) {
    int64_t out = 0;
    if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
    return out;
}
std::optional<int64_t> CheckedSub(int64_t a, int64_t b) {
    int64_t out = 0;
    if (__builtin_sub_overflow(a, b, &out)) return std::nullopt;
    return out;
}
std::optional<int64_t> CheckedMul(int64_t a, int64_t b) {
    int64_t out = 0;
    if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
    return out;
}

}  // namespace omc
