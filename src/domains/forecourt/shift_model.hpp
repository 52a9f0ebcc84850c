// Shift arithmetic at the pumps: each nozzle's sales from its totalizers and the money they should
// bring, and an attendant's variances in money and in litres.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "domains/forecourt/quantities.hpp"
#include "platform/base/money.hpp"
#include "platform/base/result.hpp"
#include "platform/base/rounding.hpp"

namespace omc::forecourt {

// Electronic totalizers count up for the life of the dispenser and are not expected to wrap, so by
// default a closing reading below the opening one is refused: it is a mistyped reading or a
// replaced meter, and guessing would invent sales. A dispenser whose totalizer does wrap (an old
// mechanical register with a fixed number of digits) is configured with its modulus; a closing
// reading below the opening one is then one wrap.
struct TotalizerPolicy {
    // "rollover_ml": the register counts 0 .. rollover - 1 and then shows 0 again
    // (8 digits of whole litres: 100 000 000 L = 100 000 000 000 ml). nullopt: never wraps.
    std::optional<Volume> rollover;
};

// One nozzle over one shift at one price. A price change during the shift closes the segment:
// the caller reads the totalizer at the change and passes two segments.
struct NozzleShift {
    Volume opening_totalizer;   // "opening_totalizer_ml"
    Volume closing_totalizer;   // "closing_totalizer_ml"
    UnitPrice price_per_litre;  // "price_per_litre_pesewas_e4"
};

struct NozzleSales {
    Volume meter_sales;        // closing - opening (+ rollover once if it wrapped)
    Money expected;            // meter_sales × price, rounded by the caller's named mode
    bool rolled_over = false;  // the register wrapped during the shift
};

// kInvalidArgument naming "rollover_ml" unless it is absent or 1..kMaxVolumeMl.
Result<void> ValidateTotalizerPolicy(const TotalizerPolicy& policy);

// One nozzle's sales and expected money. Fails with kInvalidArgument naming
//   "opening_totalizer_ml" / "closing_totalizer_ml"  negative, above kMaxVolumeMl, or (with a
//                           rollover) not below it; "closing_totalizer_ml" below the opening
//                           reading when the register does not wrap;
//   "price_per_litre_pesewas_e4"  not positive, or an expected amount above kMaxMoneyPesewas;
//   "rollover_ml"           as ValidateTotalizerPolicy.
Result<NozzleSales> ComputeNozzleSales(const NozzleShift& nozzle, const TotalizerPolicy& policy,
                                       RoundingMode money_rounding);

// What the attendant handed in, by tender.
struct Collections {
    Money cash;          // "cash_pesewas"
    Money mobile_money;  // "mobile_money_pesewas"
    Money card;          // "card_pesewas"
};

struct AttendantShiftInput {
    std::vector<NozzleShift> nozzles;  // "nozzles[i].*", 1 to kMaxNozzlesPerShift segments
    Volume recorded_sales;             // "recorded_sales_ml": the shift's recorded sale lines
    Collections collected;             // "collected.*"
};

struct AttendantVariance {
    std::vector<NozzleSales> nozzles;  // one per input segment, same order
    Volume meter_sales;                // the sum of the nozzles' meter sales
    Money expected;                    // the sum of the nozzles' expected amounts
    Money collected;                   // cash + mobile money + card
    Money money_variance;              // collected - expected: negative = the attendant is short
    Volume volume_variance;            // meter_sales - recorded_sales: > 0 = pumped, not recorded
};

// The attendant's shift. Expected money is rounded per nozzle segment (each is its own
// price × volume, as a pump's display would show it) by `money_rounding`, then summed.
// Errors as ComputeNozzleSales, prefixed "nozzles[i]."; "nozzles" when there are none or too
// many; "recorded_sales_ml"; "collected.cash_pesewas" and the other tenders.
Result<AttendantVariance> ComputeAttendantVariance(const AttendantShiftInput& input,
                                                   const TotalizerPolicy& policy,
                                                   RoundingMode money_rounding);

}  // namespace omc::forecourt
