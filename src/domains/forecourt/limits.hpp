// Named limits of the forecourt models. Every input quantity is checked against one of these
// before any arithmetic, so the sums and products below cannot overflow int64; the static_asserts
// say why.
#pragma once

#include <cstdint>
#include <limits>

namespace omc::forecourt {

// The largest single volume any model accepts (1e14 ml = 1e11 litres): far above any tank, depot
// or totalizer, low enough that ten years of daily figures add up without overflow.
inline constexpr int64_t kMaxVolumeMl = 100'000'000'000'000;
// The largest amount of money any model accepts (1e13 cedis).
inline constexpr int64_t kMaxMoneyPesewas = 1'000'000'000'000'000;
// A strapping chart's top: 100 m covers the tallest depot tank; forecourt tanks are under 4 m.
inline constexpr int64_t kMaxTankHeightMm = 100'000;
// A strapping chart's largest volume: 100 000 m³ (a large depot tank).
inline constexpr int64_t kMaxTankVolumeMl = 100'000'000'000;
// Rows of a strapping chart: a 1 mm chart of a 100 m tank, with room to spare.
inline constexpr int64_t kMaxStrappingPoints = 200'000;
// Days in a variance trend or a days-of-cover window (ten years).
inline constexpr int64_t kMaxSeriesDays = 3'660;
// Nozzles in one attendant's shift.
inline constexpr int64_t kMaxNozzlesPerShift = 64;
// Observed temperatures the volume correction accepts, in hundredths of a °C. Tanks and tankers
// in Ghana sit between about 20 and 40 °C; -20..+70 °C leaves room for bad probes to be caught
// without refusing any real reading. Table 54B itself reaches further (to 95-150 °C by band).
inline constexpr int64_t kMinTemperatureCelsiusE2 = -2'000;
inline constexpr int64_t kMaxTemperatureCelsiusE2 = 7'000;
// Basis points in a whole (100 % = 10 000 bp). Tolerances are at most a whole.
inline constexpr int64_t kBasisPointsPerWhole = 10'000;

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
// A reconciliation adds and subtracts four volumes; a four-way check up to eight.
static_assert(kMaxVolumeMl <= kInt64Max / 8);
// A trend sums one variance per day, each checked against kMaxVolumeMl.
static_assert(kMaxSeriesDays <= kInt64Max / kMaxVolumeMl);
// Days of cover scales a stock by the window length and by 10 (tenths of a day).
static_assert(kMaxSeriesDays * 10 <= kInt64Max / kMaxVolumeMl);
static_assert(kMaxNozzlesPerShift <= kInt64Max / kMaxVolumeMl / 2);
static_assert(kMaxNozzlesPerShift <= kInt64Max / kMaxMoneyPesewas / 2);
static_assert(kMaxMoneyPesewas <= kInt64Max / 8);
// Interpolating a chart multiplies a height by a volume: done in __int128, but keep it in int64.
static_assert(kMaxTankHeightMm <= kInt64Max / kMaxTankVolumeMl);
static_assert(kMaxTankVolumeMl <= kMaxVolumeMl);

}  // namespace omc::forecourt
