// A tank dip: from a measured height, water height and temperature to the stock in the tank at
// the reference temperature, with every intermediate figure kept (they are stored with every
// stock movement: GHANA_REFERENCE §9).
#pragma once

#include <cstdint>
#include <optional>

#include "domains/forecourt/quantities.hpp"
#include "domains/forecourt/strapping.hpp"
#include "domains/forecourt/vcf.hpp"
#include "platform/base/money.hpp"
#include "platform/base/result.hpp"

namespace omc::forecourt {

struct DipInput {
    LevelMm height;           // "height_mm": the liquid's top, product floating on any water
    LevelMm water_height;     // "water_height_mm": the water's top (water-finding paste or probe)
    Temperature temperature;  // "temperature_celsius_e2": the product's temperature
    // "product_density15_kg_m3_e1": the product's usual ρ15 (the product master).
    Density product_density15;
    // "density15_kg_m3_e1": a ρ15 for this stock (the last delivery's ticket), used instead of the
    // product's when given. A hydrometer reading at tank temperature must first be converted to
    // 15 °C (Table 53B), which this model does not do.
    std::optional<Density> density15;
    ReferenceTemperature reference = ReferenceTemperature::k15Celsius;
};

struct DipReading {
    LevelMm height;
    LevelMm water_height;
    Temperature temperature;
    Density density15;             // the ρ15 the correction used
    bool density15_given = false;  // true: DipInput::density15; false: the product's
    ReferenceTemperature reference = ReferenceTemperature::k15Celsius;
    Volume gross_observed;  // chart at height: product and water, observed
    Volume water;           // chart at water height
    Volume net_observed;    // gross_observed - water: the product, at its temperature
    int64_t vcf_e4 = 0;     // from the product's temperature to the reference, 4 decimals
    Volume net_standard;    // net_observed × VCF, half-even to ml: the stock at the reference
};

// The dip's volumes. Fails with kInvalidArgument naming
//   "height_mm"        negative, or above the top of the chart;
//   "water_height_mm"  negative, or above height_mm;
//   "temperature_celsius_e2", "density15_kg_m3_e1" or "product_density15_kg_m3_e1" as ComputeVcf.
// `table` must have passed ValidateVcfBandTable.
Result<DipReading> ComputeDip(const DipInput& input, const StrappingChart& chart,
                              const VcfBandTable& table);

}  // namespace omc::forecourt
