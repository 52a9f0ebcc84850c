#include "domains/forecourt/vcf.hpp"

#include <cmath>
#include <string>

#include "domains/forecourt/limits.hpp"
#include "platform/base/assert.hpp"

namespace omc::forecourt {
namespace {

constexpr int64_t kVcfScale = 10'000;  // vcf_e4 per 1.0
constexpr double kCelsius15 = 15.0;
// Bounds a sane α15 must lie within (ValidateVcfBandTable); real products are 0.0006 to 0.0015.
constexpr double kMaxAlpha = 0.005;

double Kilograms(Density density15) {
    return static_cast<double>(density15.raw()) / static_cast<double>(kDensityScale);
}

double Alpha15(const VcfBand& band, Density density15) {
    const double rho = Kilograms(density15);
    return band.a + band.k0 / (rho * rho) + band.k1 / rho;
}

// VCF15 at `celsius` for a product of thermal expansion `alpha`: API 11.1-1980, Table 54B.
double Vcf15(double alpha, double celsius) {
    const double dt = celsius - kCelsius15;
    return std::exp(-alpha * dt * (1.0 + 0.8 * alpha * dt));
}

// The band whose range holds density15, or nullptr outside the table.
const VcfBand* FindBand(const VcfBandTable& table, Density density15) {
    if (density15 < table.bands.front().lower_density15 || density15 > table.max_density15) {
        return nullptr;
    }
    const VcfBand* found = &table.bands.front();
    for (const VcfBand& band : table.bands) {
        if (density15 >= band.lower_density15) found = &band;
    }
    return found;
}

std::string BandField(size_t index, std::string_view member) {
    return IndexedField("bands", index) + "." + std::string(member);
}

}  // namespace

Temperature ReferenceTemperatureValue(ReferenceTemperature reference) {
    switch (reference) {
        case ReferenceTemperature::k15Celsius:
            return Temperature(1'500);
        case ReferenceTemperature::k20Celsius:
            return Temperature(2'000);
    }
    FailInvariant("reference", "unknown ReferenceTemperature", __FILE__, __LINE__);
}

std::string_view ReferenceTemperatureName(ReferenceTemperature reference) {
    switch (reference) {
        case ReferenceTemperature::k15Celsius:
            return "15C";
        case ReferenceTemperature::k20Celsius:
            return "20C";
    }
    FailInvariant("reference", "unknown ReferenceTemperature", __FILE__, __LINE__);
}

Result<void> ValidateVcfBandTable(const VcfBandTable& table) {
    for (size_t i = 0; i < table.bands.size(); ++i) {
        const VcfBand& band = table.bands[i];
        const Density upper =
            i + 1 < table.bands.size() ? table.bands[i + 1].lower_density15 : table.max_density15;
        if (band.lower_density15.raw() <= 0) {
            return InvalidArgument(BandField(i, "lower_density15_kg_m3_e1"), "must be positive");
        }
        if (upper <= band.lower_density15) {
            const std::string next = i + 1 < table.bands.size()
                                         ? BandField(i + 1, "lower_density15_kg_m3_e1")
                                         : std::string("max_density15_kg_m3_e1");
            return InvalidArgument(next,
                                   "must be above " + BandField(i, "lower_density15_kg_m3_e1"));
        }
        if (!std::isfinite(band.k0) || !std::isfinite(band.k1) || !std::isfinite(band.a)) {
            return InvalidArgument(IndexedField("bands", i), "constants must be finite");
        }
        // α15 is monotonic in ρ15 within a band (each term is), so its edges bound it.
        for (Density edge : {band.lower_density15, upper}) {
            const double alpha = Alpha15(band, edge);
            if (!(alpha > 0.0 && alpha < kMaxAlpha)) {
                return InvalidArgument(IndexedField("bands", i),
                                       "constants give α15 outside (0, 0.005) at " +
                                           FormatScaled(edge.raw(), 1) + " kg/m³");
            }
        }
    }
    return Ok();
}

Result<VolumeCorrection> ComputeVcf(Density density15, Temperature observed,
                                    ReferenceTemperature reference, const VcfBandTable& table) {
    ERP_ASSERT(ValidateVcfBandTable(table).ok(), "ComputeVcf with an unvalidated band table");
    const VcfBand* band = FindBand(table, density15);
    if (band == nullptr) {
        return InvalidArgument(
            "density15_kg_m3_e1",
            "must be " + FormatScaled(table.bands.front().lower_density15.raw(), 1) + " to " +
                FormatScaled(table.max_density15.raw(), 1) + " kg/m³ (the range of Table 54B)");
    }
    if (observed.raw() < kMinTemperatureCelsiusE2 || observed.raw() > kMaxTemperatureCelsiusE2) {
        return InvalidArgument("temperature_celsius_e2",
                               "must be " + FormatScaled(kMinTemperatureCelsiusE2, 2) + " to " +
                                   FormatScaled(kMaxTemperatureCelsiusE2, 2) + " °C");
    }

    VolumeCorrection out;
    out.reference = reference;
    out.band_group = band->group;
    out.alpha15_per_celsius = Alpha15(*band, density15);
    const auto celsius = [](Temperature t) {
        return static_cast<double>(t.raw()) / static_cast<double>(kTemperatureScale);
    };
    out.vcf15_observed = Vcf15(out.alpha15_per_celsius, celsius(observed));
    // At 15 °C Δt is 0 and exp(-0) is exactly 1.0, so the 15 °C factor is VCF15(t) unchanged.
    out.vcf15_reference =
        Vcf15(out.alpha15_per_celsius, celsius(ReferenceTemperatureValue(reference)));
    out.vcf_unrounded = out.vcf15_observed / out.vcf15_reference;
    // nearbyint rounds in the default mode, to nearest with ties to even. A decimal tie is not
    // representable in binary anyway; what matters is that 0.991296 gives 9913 as the table does.
    out.vcf_e4 = static_cast<int64_t>(std::nearbyint(out.vcf_unrounded * kVcfScale));
    // -20..+70 °C and α15 < 0.005 keep the factor well within (0.5, 1.5).
    ERP_INVARIANT(out.vcf_e4 > kVcfScale / 2 && out.vcf_e4 < kVcfScale * 3 / 2,
                  "volume correction factor out of range");
    return out;
}

Volume CorrectVolume(Volume observed, int64_t vcf_e4) {
    ERP_ASSERT(vcf_e4 > 0 && vcf_e4 <= 2 * kVcfScale, "CorrectVolume: implausible factor");
    ERP_ASSERT(observed.raw() <= kMaxVolumeMl && observed.raw() >= -kMaxVolumeMl,
               "CorrectVolume: volume outside limits.hpp");
    return ScaleVolume(observed, vcf_e4, kVcfScale);
}

}  // namespace omc::forecourt
