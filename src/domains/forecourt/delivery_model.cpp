#include "domains/forecourt/delivery_model.hpp"

#include <string>

#include "domains/forecourt/limits.hpp"
#include "platform/base/assert.hpp"

namespace omc::forecourt {
namespace {

// The ticket's volume is positive and within limits; errors name "ticket.loaded_volume_ml".
Result<void> CheckTicket(const DepotTicket& ticket) {
    if (ticket.loaded_volume.raw() <= 0) {
        return InvalidArgument("ticket.loaded_volume_ml", "must be positive");
    }
    if (auto r = CheckVolume("loaded_volume_ml", ticket.loaded_volume); !r.ok()) {
        return PrefixFields(std::move(r).error(), "ticket");
    }
    return Ok();
}

Volume Claimable(Volume shortage, Volume allowance, ClaimBasis basis) {
    if (shortage <= allowance) return Volume(0);
    switch (basis) {
        case ClaimBasis::kExcessOverAllowance:
            return Volume(shortage.raw() - allowance.raw());
        case ClaimBasis::kWholeShortageWhenExceeded:
            return shortage;
    }
    FailInvariant("basis", "unknown ClaimBasis", __FILE__, __LINE__);
}

}  // namespace

Result<void> ValidateTransitLossPolicy(const TransitLossPolicy& policy) {
    return CheckBasisPoints("allowance_bp", policy.allowance_bp);
}

Result<DeliveryShortage> ComputeDeliveryShortage(const DeliveryInput& input,
                                                 const TransitLossPolicy& policy,
                                                 const VcfBandTable& table) {
    OMC_TRY(ValidateTransitLossPolicy(policy));
    OMC_TRY(CheckTicket(input.ticket));
    const ReferenceTemperature reference = input.dip_before.reference;
    if (input.dip_after.reference != reference) {
        return InvalidArgument("dip_after.reference",
                               "must be the same reference temperature as dip_before");
    }
    OMC_TRY(CheckVolume("sales_during_delivery_ml", input.sales_during_delivery));
    if (input.claim_price_per_litre.IsNegative()) {
        return InvalidArgument("claim_price_per_litre_pesewas_e4", "must not be negative");
    }
    auto correction =
        ComputeVcf(input.ticket.density15, input.ticket.temperature, reference, table);
    if (!correction.ok()) return PrefixFields(std::move(correction).error(), "ticket");

    DeliveryShortage out;
    out.reference = reference;
    out.loaded_vcf_e4 = correction->vcf_e4;
    out.loaded_standard = CorrectVolume(input.ticket.loaded_volume, out.loaded_vcf_e4);
    // Dip readings are stocks within a chart (<= kMaxTankVolumeMl), so these sums fit.
    out.received_standard =
        Volume(input.dip_after.net_standard.raw() - input.dip_before.net_standard.raw() +
               input.sales_during_delivery.raw());
    out.shortage = Volume(out.loaded_standard.raw() - out.received_standard.raw());
    out.allowance = ScaleVolume(out.loaded_standard, policy.allowance_bp, kBasisPointsPerWhole);
    out.claimable = Claimable(out.shortage, out.allowance, policy.basis);
    ERP_ASSERT(!out.claimable.IsNegative(), "claimable shortage is never negative");
    auto amount =
        AmountForVolume(input.claim_price_per_litre, out.claimable, policy.claim_rounding);
    if (!amount.ok()) {
        return InvalidArgument("claim_price_per_litre_pesewas_e4", "gives a claim out of range");
    }
    out.claim_amount = *amount;
    return out;
}

Result<Volume> SafeFillVolume(const StrappingChart& chart, int64_t safe_fill_bp) {
    OMC_TRY(CheckBasisPoints("safe_fill_bp", safe_fill_bp));
    const auto v = DivideRounded(static_cast<__int128>(chart.capacity().raw()) * safe_fill_bp,
                                 kBasisPointsPerWhole, RoundingMode::kFloor);
    ERP_INVARIANT(v.has_value(), "safe fill overflow");
    return Volume(*v);
}

Result<Volume> CheckDeliveryFits(Volume current, Volume planned, Volume safe_fill) {
    OMC_TRY(CheckVolume("current_volume_ml", current));
    OMC_TRY(CheckVolume("planned_volume_ml", planned));
    OMC_TRY(CheckVolume("safe_fill_volume_ml", safe_fill));
    const int64_t after = current.raw() + planned.raw();
    if (after > safe_fill.raw()) {
        const int64_t room = safe_fill.raw() > current.raw() ? safe_fill.raw() - current.raw() : 0;
        return Error(ErrorCode::kUnprocessable, "delivery would overfill the tank",
                     {{"planned_volume_ml", "would fill the tank to " + std::to_string(after) +
                                                " ml, above its safe fill of " +
                                                std::to_string(safe_fill.raw()) + " ml; at most " +
                                                std::to_string(room) + " ml fits"}});
    }
    return Volume(safe_fill.raw() - after);
}

}  // namespace omc::forecourt
