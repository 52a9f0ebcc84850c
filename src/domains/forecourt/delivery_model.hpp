// A road-tanker delivery into a tank: what the depot loaded against what the tank received, both
// at the reference temperature, the transit-loss allowance and the claimable shortage; and the
// check that a planned delivery fits the tank.
#pragma once

#include <cstdint>

#include "domains/forecourt/dip.hpp"
#include "domains/forecourt/quantities.hpp"
#include "domains/forecourt/strapping.hpp"
#include "domains/forecourt/vcf.hpp"
#include "platform/base/money.hpp"
#include "platform/base/result.hpp"
#include "platform/base/rounding.hpp"

namespace omc::forecourt {

// The loading figures printed on the depot ticket (waybill). A ticket that already states a
// volume compensated to 20 °C is entered with temperature 20.00 °C and the 20 °C reference: the
// factor is then exactly 1.
struct DepotTicket {
    Volume loaded_volume;  // "loaded_volume_ml": as metered at the gantry, at loading temperature
    Temperature temperature;  // "temperature_celsius_e2": the loading temperature
    Density density15;        // "density15_kg_m3_e1"
};

// How much of a shortage beyond the allowance is claimed from the transporter.
enum class ClaimBasis {
    // The usual practice: the allowance is normal loss (evaporation, clingage, meter tolerance)
    // that the OMC bears; only the shortage beyond it is claimed.
    kExcessOverAllowance,
    // Some contracts charge the whole shortage once it exceeds the allowance.
    kWholeShortageWhenExceeded,
};

// Per product (GHANA_REFERENCE §5): NPA's Loss Control Manual has an allowable transit loss, but
// its figure is unconfirmed, so it is a setting, in basis points of the loaded standard volume
// (0.5 % = 50 bp).
struct TransitLossPolicy {
    int64_t allowance_bp = 0;  // "allowance_bp", 0 to 10 000
    ClaimBasis basis = ClaimBasis::kExcessOverAllowance;
    RoundingMode claim_rounding = RoundingMode::kHalfEven;  // claim amount to whole pesewas
};

struct DeliveryInput {
    DepotTicket ticket;     // "ticket.*"
    DipReading dip_before;  // the tank just before the drop
    DipReading dip_after;   // and just after it settled
    // "sales_during_delivery_ml": metered sales while the tank was filling, at the reference
    // temperature (the caller corrects them; pumps meter ambient litres).
    Volume sales_during_delivery;
    UnitPrice claim_price_per_litre;  // "claim_price_per_litre_pesewas_e4"
};

struct DeliveryShortage {
    ReferenceTemperature reference = ReferenceTemperature::k15Celsius;
    int64_t loaded_vcf_e4 = 0;  // the ticket's factor to the reference
    Volume loaded_standard;     // ticket volume × VCF, half-even to ml
    Volume received_standard;   // after - before + sales during delivery
    Volume shortage;            // loaded - received; positive = short, negative = a gain
    Volume allowance;           // loaded × allowance_bp / 10 000, half-even to ml
    Volume claimable;           // by ClaimBasis; never negative
    Money claim_amount;         // claimable × price, rounded by policy.claim_rounding
};

// kInvalidArgument naming "allowance_bp" outside 0..10 000.
Result<void> ValidateTransitLossPolicy(const TransitLossPolicy& policy);

// The delivery's shortage and claim, at the dips' reference temperature. Fails with
// kInvalidArgument naming
//   "ticket.loaded_volume_ml"  not positive or above kMaxVolumeMl;
//   "ticket.temperature_celsius_e2", "ticket.density15_kg_m3_e1"  as ComputeVcf;
//   "dip_after.reference"      not the same reference temperature as dip_before;
//   "sales_during_delivery_ml" negative or above kMaxVolumeMl;
//   "claim_price_per_litre_pesewas_e4"  negative, or a claim amount that does not fit;
//   "allowance_bp"             as ValidateTransitLossPolicy.
Result<DeliveryShortage> ComputeDeliveryShortage(const DeliveryInput& input,
                                                 const TransitLossPolicy& policy,
                                                 const VcfBandTable& table);

// The tank's safe fill: capacity × safe_fill_bp / 10 000, rounded down to the ml (never above
// what the setting allows). The figure (often 95 % of capacity) is a per-tank setting.
// kInvalidArgument naming "safe_fill_bp" outside 0..10 000.
Result<Volume> SafeFillVolume(const StrappingChart& chart, int64_t safe_fill_bp);

// Whether `planned` more litres fit a tank holding `current`, both observed (ambient) volumes:
// the tank's space is physical, so it is compared in observed litres, not standard ones.
// Returns the room left under the safe fill afterwards. Fails with kInvalidArgument naming
// "current_volume_ml", "planned_volume_ml" or "safe_fill_volume_ml" for a negative or oversized
// figure, and with kUnprocessable naming "planned_volume_ml" when the delivery would take the
// tank above its safe fill (a business rule refusing well-formed input, error.hpp).
Result<Volume> CheckDeliveryFits(Volume current, Volume planned, Volume safe_fill);

}  // namespace omc::forecourt
