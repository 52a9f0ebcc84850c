#include "domains/forecourt/dip.hpp"

#include "platform/base/assert.hpp"

namespace omc::forecourt {

Result<DipReading> ComputeDip(const DipInput& input, const StrappingChart& chart,
                              const VcfBandTable& table) {
    if (input.height.IsNegative()) return InvalidArgument("height_mm", "must not be negative");
    if (input.water_height.IsNegative()) {
        return InvalidArgument("water_height_mm", "must not be negative");
    }
    // The chart names "height_mm" itself when the dip is above its top.
    OMC_ASSIGN_OR_RETURN(const Volume gross, chart.VolumeAtHeight(input.height));
    if (input.water_height > input.height) {
        return InvalidArgument("water_height_mm",
                               "must not be above height_mm (water lies under the product)");
    }
    OMC_ASSIGN_OR_RETURN(const Volume water, chart.VolumeAtHeight(input.water_height));

    const bool given = input.density15.has_value();
    const Density density15 = given ? *input.density15 : input.product_density15;
    auto correction = ComputeVcf(density15, input.temperature, input.reference, table);
    if (!correction.ok()) {
        if (given) return std::move(correction).error();
        return RenameField(std::move(correction).error(), "density15_kg_m3_e1",
                           "product_density15_kg_m3_e1");
    }

    DipReading out;
    out.height = input.height;
    out.water_height = input.water_height;
    out.temperature = input.temperature;
    out.density15 = density15;
    out.density15_given = given;
    out.reference = input.reference;
    out.gross_observed = gross;
    out.water = water;
    out.net_observed = Volume(gross.raw() - water.raw());
    // The chart is monotonic and water <= height, so the net volume cannot be negative.
    ERP_INVARIANT(!out.net_observed.IsNegative(), "dip: water volume above gross volume");
    out.vcf_e4 = correction->vcf_e4;
    out.net_standard = CorrectVolume(out.net_observed, out.vcf_e4);
    return out;
}

}  // namespace omc::forecourt
