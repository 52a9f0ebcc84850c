// Integer division with a named rounding mode. Every conversion between scales in OMC ERP goes
// through DivideRounded, so no conversion rounds silently.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace omc {

enum class RoundingMode {
    kHalfEven,  // banker's rounding: .5 goes to the even neighbour
    kHalfUp,    // .5 goes away from zero (the way a receipt is usually rounded)
    kTowardZero,
    kAwayFromZero,
    kFloor,
    kCeiling,
};

std::string_view RoundingModeName(RoundingMode mode);
std::optional<RoundingMode> ParseRoundingMode(std::string_view name);

// numerator / denominator rounded by `mode`. denominator must not be zero. Returns nullopt when
// the quotient does not fit in int64.
std::optional<int64_t> DivideRounded(__int128 numerator, __int128 denominator, RoundingMode mode);

// Checked int64 arithmetic: nullopt on overflow.
std::optional<int64_t> CheckedAdd(int64_t a, int64_t b);
std::optional<int64_t> CheckedSub(int64_t a, int64_t b);
std::optional<int64_t> CheckedMul(int64_t a, int64_t b);

}  // namespace omc
