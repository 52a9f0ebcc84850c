#include "domains/forecourt/shift_model.hpp"

#include <string>

#include "domains/forecourt/limits.hpp"
#include "platform/base/assert.hpp"

namespace omc::forecourt {
namespace {

Result<void> CheckReading(std::string_view field, Volume reading, const TotalizerPolicy& policy) {
    OMC_TRY(CheckVolume(field, reading));
    if (policy.rollover && reading >= *policy.rollover) {
        return InvalidArgument(
            std::string(field),
            "must be below rollover_ml (" + std::to_string(policy.rollover->raw()) + " ml)");
    }
    return Ok();
}

Result<void> CheckCollections(const Collections& collected) {
    OMC_TRY(CheckMoney("collected.cash_pesewas", collected.cash));
    OMC_TRY(CheckMoney("collected.mobile_money_pesewas", collected.mobile_money));
    OMC_TRY(CheckMoney("collected.card_pesewas", collected.card));
    return Ok();
}

}  // namespace

Result<void> ValidateTotalizerPolicy(const TotalizerPolicy& policy) {
    if (policy.rollover && (policy.rollover->raw() < 1 || policy.rollover->raw() > kMaxVolumeMl)) {
        return InvalidArgument("rollover_ml", "must be 1 to " + std::to_string(kMaxVolumeMl));
    }
    return Ok();
}

Result<NozzleSales> ComputeNozzleSales(const NozzleShift& nozzle, const TotalizerPolicy& policy,
                                       RoundingMode money_rounding) {
    OMC_TRY(ValidateTotalizerPolicy(policy));
    OMC_TRY(CheckReading("opening_totalizer_ml", nozzle.opening_totalizer, policy));
    OMC_TRY(CheckReading("closing_totalizer_ml", nozzle.closing_totalizer, policy));
    if (nozzle.price_per_litre.raw() <= 0) {
        return InvalidArgument("price_per_litre_pesewas_e4", "must be positive");
    }

    NozzleSales out;
    const int64_t opening = nozzle.opening_totalizer.raw();
    const int64_t closing = nozzle.closing_totalizer.raw();
    if (closing >= opening) {
        out.meter_sales = Volume(closing - opening);
    } else if (policy.rollover) {
        // One wrap: up to the modulus, then from 0 to the closing reading.
        out.meter_sales = Volume(policy.rollover->raw() - opening + closing);
        out.rolled_over = true;
    } else {
        return InvalidArgument("closing_totalizer_ml",
                               "must not be below opening_totalizer_ml (the totalizer does not "
                               "roll over)");
    }
    ERP_ASSERT(!out.meter_sales.IsNegative(), "meter sales are never negative");
    auto expected = AmountForVolume(nozzle.price_per_litre, out.meter_sales, money_rounding);
    if (!expected.ok() || expected->raw() > kMaxMoneyPesewas) {
        return InvalidArgument("price_per_litre_pesewas_e4", "gives an amount out of range");
    }
    out.expected = *expected;
    return out;
}

Result<AttendantVariance> ComputeAttendantVariance(const AttendantShiftInput& input,
                                                   const TotalizerPolicy& policy,
                                                   RoundingMode money_rounding) {
    if (input.nozzles.empty() || input.nozzles.size() > static_cast<size_t>(kMaxNozzlesPerShift)) {
        return InvalidArgument("nozzles", "must list 1 to " + std::to_string(kMaxNozzlesPerShift) +
                                              " nozzle readings");
    }
    OMC_TRY(ValidateTotalizerPolicy(policy));
    OMC_TRY(CheckVolume("recorded_sales_ml", input.recorded_sales));
    OMC_TRY(CheckCollections(input.collected));

    AttendantVariance out;
    out.nozzles.reserve(input.nozzles.size());
    int64_t meter_ml = 0;
    int64_t expected_pesewas = 0;
    for (size_t i = 0; i < input.nozzles.size(); ++i) {
        auto sales = ComputeNozzleSales(input.nozzles[i], policy, money_rounding);
        if (!sales.ok()) return PrefixFields(std::move(sales).error(), IndexedField("nozzles", i));
        // At most kMaxNozzlesPerShift terms, each within its limit (limits.hpp).
        meter_ml += sales->meter_sales.raw();
        expected_pesewas += sales->expected.raw();
        out.nozzles.push_back(*sales);
    }
    out.meter_sales = Volume(meter_ml);
    out.expected = Money(expected_pesewas);
    out.collected = Money(input.collected.cash.raw() + input.collected.mobile_money.raw() +
                          input.collected.card.raw());
    out.money_variance = Money(out.collected.raw() - out.expected.raw());
    out.volume_variance = Volume(out.meter_sales.raw() - input.recorded_sales.raw());
    return out;
}

}  // namespace omc::forecourt
