// Exact quantities. Money is int64 pesewas (1 GH₵ = 100 pesewas). UnitPrice is ten-thousandths
// of a pesewa per litre or kg, the scale at which NPA quotes price build-ups. Volume is int64
// millilitres, Mass int64 grams, Temperature hundredths of a degree Celsius. No floating point:
// every conversion between scales names its rounding and reports overflow.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/base/result.hpp"
#include "platform/base/rounding.hpp"

namespace omc {

// A strongly typed int64 quantity. Arithmetic is checked: overflow yields nullopt.
template <typename Tag>
class Quantity {
  public:
    constexpr Quantity() = default;
    constexpr explicit Quantity(int64_t raw) : raw_(raw) {}

    constexpr int64_t raw() const { return raw_; }
    constexpr auto operator<=>(const Quantity&) const = default;

    std::optional<Quantity> CheckedPlus(Quantity other) const {
        auto v = CheckedAdd(raw_, other.raw_);
        if (!v) return std::nullopt;
        return Quantity(*v);
    }
    std::optional<Quantity> CheckedMinus(Quantity other) const {
        auto v = CheckedSub(raw_, other.raw_);
        if (!v) return std::nullopt;
        return Quantity(*v);
    }
    std::optional<Quantity> CheckedTimes(int64_t factor) const {
        auto v = CheckedMul(raw_, factor);
        if (!v) return std::nullopt;
        return Quantity(*v);
    }
    constexpr bool IsNegative() const { return raw_ < 0; }
    constexpr bool IsZero() const { return raw_ == 0; }

  private:
    int64_t raw_ = 0;
};

struct MoneyTag {};
struct UnitPriceTag {};
struct VolumeTag {};
struct MassTag {};
struct TemperatureTag {};

using Money = Quantity<MoneyTag>;              // pesewas
using UnitPrice = Quantity<UnitPriceTag>;      // pesewas × 10^-4 per litre (or per kg)
using Volume = Quantity<VolumeTag>;            // millilitres
using Mass = Quantity<MassTag>;                // grams
using Temperature = Quantity<TemperatureTag>;  // °C × 10^-2

inline constexpr int64_t kPesewasPerCedi = 100;
inline constexpr int64_t kUnitPriceScale = 10'000;  // UnitPrice raw per pesewa
inline constexpr int64_t kMillilitresPerLitre = 1'000;
inline constexpr int64_t kGramsPerKg = 1'000;
inline constexpr int64_t kTemperatureScale = 100;

// The amount for `volume` at `price` per litre, rounded to whole pesewas by `mode`.
// kInvalidArgument when the result does not fit.
Result<Money> AmountForVolume(UnitPrice price_per_litre, Volume volume, RoundingMode mode);
// The amount for `mass` at `price` per kg (LPG), rounded to whole pesewas by `mode`.
Result<Money> AmountForMass(UnitPrice price_per_kg, Mass mass, RoundingMode mode);
// The volume that `amount` buys at `price` per litre, rounded to whole millilitres by `mode`
// (a customer asking for "GH₵ 50 of petrol"). price must be positive.
Result<Volume> VolumeForAmount(UnitPrice price_per_litre, Money amount, RoundingMode mode);
// A unit price rounded to whole pesewas per unit (a pump displays GH₵ x.xx per litre).
Result<Money> UnitPriceToPesewas(UnitPrice price, RoundingMode mode);
// `amount` × numerator / denominator, rounded (percentages: rate_bp / 10'000).
Result<Money> ScaleMoney(Money amount, int64_t numerator, int64_t denominator, RoundingMode mode);

// Parses a plain decimal string ("12.5", "-0.0001") into an integer at `scale` decimal places
// (ParseScaled("4.795", 2) fails: it would need rounding; ParseScaled("4.79", 2) == 479).
// No exponents, no thousands separators, at most 19 significant digits.
Result<int64_t> ParseScaled(std::string_view text, int scale);
// Formats raw at `scale` decimals: FormatScaled(47950, 4) == "4.7950".
std::string FormatScaled(int64_t raw, int scale);

inline Result<Money> ParseCedis(std::string_view text) {
    OMC_ASSIGN_OR_RETURN(int64_t raw, ParseScaled(text, 2));
    return Money(raw);
}
inline std::string FormatCedis(Money m) { return FormatScaled(m.raw(), 2); }

}  // namespace omc
