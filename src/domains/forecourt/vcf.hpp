// Volume correction factor (CTL) by API MPMS 11.1-1980 Table 54B: the factor that turns a volume
// observed at t °C into a volume at the reference temperature, from the product's density at
// 15 °C (docs: ../shared/domain/GHANA_REFERENCE.md §9, src/domains/forecourt/MODEL.md).
//
// Floating point is used here and only here: the factor is an exponential. It leaves this file as
// an integer in ten-thousandths (vcf_e4), the four decimals of the printed tables, and every volume
// is then corrected in exact integer arithmetic (CorrectVolume). The unrounded doubles are returned
// for tests and audit, never to multiply a volume.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "domains/forecourt/quantities.hpp"
#include "platform/base/money.hpp"
#include "platform/base/result.hpp"

namespace omc::forecourt {

// The temperature standard volumes are stated at. 15 °C is the standard tables' base; NPA directed
// depots to compensate to 20 °C (2020). Which one each document uses is a per-tenant setting, and
// it is stored with every standard volume.
enum class ReferenceTemperature {
    k15Celsius,
    k20Celsius,
};

Temperature ReferenceTemperatureValue(ReferenceTemperature reference);      // 1500 or 2000
std::string_view ReferenceTemperatureName(ReferenceTemperature reference);  // "15C" or "20C"

// One density band of Table 54B: the constants hold from lower_density15 up to the next band's
// lower edge (exclusive), or up to VcfBandTable::max_density15 (inclusive) for the last band.
// A density exactly on an edge therefore belongs to the heavier band (770.5 is transition).
//   α15 = a + k0/ρ15² + k1/ρ15
// Table 54B writes the transition zone as α15 = A + B/ρ15²; here that is a = A, k0 = B, k1 = 0.
// The other bands have a = 0.
struct VcfBand {
    std::string_view group;  // "gasolines", "transition", "jet_kerosene", "fuel_oils"
    Density lower_density15;
    double k0 = 0;
    double k1 = 0;
    double a = 0;
};

// The band table is data, not code, because the band edges are unconfirmed: open implementations
// put them at 770 / 770.5 / 770.9, 787.5 / 788 and 838.5 / 839 kg/m³ (GHANA_REFERENCE §9 [U]).
// kTable54B holds the reference's values; a tenant's configuration may replace the edges once they
// are checked against the licensed standard. The constants agree across implementations.
struct VcfBandTable {
    std::array<VcfBand, 4> bands;
    Density max_density15;  // inclusive upper edge of the last band
};

inline constexpr VcfBandTable kTable54B{
    .bands = {{
        {.group = "gasolines", .lower_density15 = Density(6530), .k0 = 346.4228, .k1 = 0.4388},
        {.group = "transition",
         .lower_density15 = Density(7705),
         .k0 = 2680.3206,
         .a = -0.00336312},
        {.group = "jet_kerosene", .lower_density15 = Density(7875), .k0 = 594.5418},
        {.group = "fuel_oils", .lower_density15 = Density(8385), .k0 = 186.9696, .k1 = 0.4862},
    }},
    .max_density15 = Density(10750),
};

// kInvalidArgument naming the faulty field ("bands[2].lower_density15_kg_m3_e1", ...) unless the
// lower edges strictly increase, the last is below max_density15, every constant is finite and
// α15 lies in (0, 0.005) at both edges of every band (real products are 0.0006 to 0.0015).
// Run it when a configured table is loaded; ComputeVcf treats an invalid table as a bug.
Result<void> ValidateVcfBandTable(const VcfBandTable& table);

struct VolumeCorrection {
    int64_t vcf_e4 = 0;  // the factor rounded to 4 decimals: 0.9913 == 9913
    ReferenceTemperature reference = ReferenceTemperature::k15Celsius;
    std::string_view band_group;     // which band's constants were used
    double alpha15_per_celsius = 0;  // α15
    double vcf15_observed = 0;       // VCF15(t), unrounded
    double vcf15_reference = 0;      // VCF15(reference), unrounded; exactly 1 at 15 °C
    double vcf_unrounded = 0;        // vcf15_observed / vcf15_reference
};

// The factor from `observed` temperature to `reference` for a product of density ρ15:
//   VCF15(t) = exp(-α15·Δt·(1 + 0.8·α15·Δt)), Δt = t - 15 °C
//   VCF      = VCF15(t) / VCF15(reference)     (V20 = V_obs × VCF15(t) / VCF15(20))
// The ratio is taken unrounded and rounded once, to 4 decimals, half-even: that is what the
// reference's 20 °C vectors (0.98758, 0.99148, 0.99107) are, and rounding both factors first
// would move the 4th decimal (0.9815 / 0.9939 = 0.98752). At 15 °C the factor is VCF15(t) itself.
// Fails with kInvalidArgument naming
//   "density15_kg_m3_e1"     outside the table (653.0 to 1075.0 kg/m³ by default);
//   "temperature_celsius_e2" outside kMinTemperatureCelsiusE2..kMaxTemperatureCelsiusE2.
// `table` must have passed ValidateVcfBandTable.
Result<VolumeCorrection> ComputeVcf(Density density15, Temperature observed,
                                    ReferenceTemperature reference, const VcfBandTable& table);

// observed × vcf_e4 / 10 000, rounded to whole millilitres by kVolumeRounding (half-even): the
// standard volume. Exact integer arithmetic. Needs |observed| <= kMaxVolumeMl and
// 0 < vcf_e4 <= 20 000 (asserted), which every ComputeVcf result satisfies.
Volume CorrectVolume(Volume observed, int64_t vcf_e4);

}  // namespace omc::forecourt
