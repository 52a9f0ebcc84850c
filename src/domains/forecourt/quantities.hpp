// Quantities and small helpers shared by the forecourt models. The base types (Volume in ml,
// Temperature in hundredths of a °C, Money, UnitPrice) come from platform/base/money.hpp; the two
// added here are only needed by wet stock.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "platform/base/error.hpp"
#include "platform/base/money.hpp"
#include "platform/base/result.hpp"
#include "platform/base/rounding.hpp"

namespace omc::forecourt {

struct DensityTag {};
struct LevelTag {};

// Density at 15 °C in tenths of a kg/m³ (840.5 kg/m³ == Density(8405)). Depot tickets print ρ15
// to one decimal; the Table 54B band edges (770.5, 787.5, 838.5) need exactly that resolution.
using Density = Quantity<DensityTag>;
// A liquid level (dip) in whole millimetres, as a dipstick or tape is read. An ATG reporting
// tenths of a mm is rounded by its adapter before it reaches these models.
using LevelMm = Quantity<LevelTag>;

inline constexpr int64_t kDensityScale = 10;  // Density raw per kg/m³

// Every volume the forecourt models derive from another (interpolation, correction to a reference
// temperature, a share in basis points) is rounded to whole millilitres by this one mode. Half-even
// keeps rounding unbiased over the thousands of movements a tank sees in a year.
inline constexpr RoundingMode kVolumeRounding = RoundingMode::kHalfEven;

// `volume` × numerator / denominator rounded by kVolumeRounding. Callers keep the inputs within
// the limits in limits.hpp, so the result fits (asserted).
Volume ScaleVolume(Volume volume, int64_t numerator, int64_t denominator);

// The error's field names prefixed with `prefix` and a dot ("ticket" + "temperature_celsius_e2"
// -> "ticket.temperature_celsius_e2"), so a model reused for part of a larger input still names
// the exact field the client sent.
Error PrefixFields(const Error& error, std::string_view prefix);

// The error with every field named `from` renamed `to`: a shared model names its own input, the
// caller knows which of its fields that was.
Error RenameField(const Error& error, std::string_view from, std::string_view to);

// kInvalidArgument naming `field` unless 0 <= volume <= kMaxVolumeMl.
Result<void> CheckVolume(std::string_view field, Volume volume);
// kInvalidArgument naming `field` unless |volume| <= kMaxVolumeMl (signed figures: variances).
Result<void> CheckSignedVolume(std::string_view field, Volume volume);
// kInvalidArgument naming `field` unless 0 <= amount <= kMaxMoneyPesewas.
Result<void> CheckMoney(std::string_view field, Money amount);
// kInvalidArgument naming `field` unless 0 <= basis_points <= kBasisPointsPerWhole.
Result<void> CheckBasisPoints(std::string_view field, int64_t basis_points);

// "points[3]" from ("points", 3): the field path style of the rest of the code.
std::string IndexedField(std::string_view name, size_t index);

}  // namespace omc::forecourt
