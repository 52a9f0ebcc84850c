// The ledger entries of forecourt facts other than sales (docs/finance.md, "What each business
// fact posts"), each posted in the fact's own transaction with an entry id derived from the
// fact's id, so a retried fact posts once:
//   - a delivery: its received stock at cost (Dr 1200 inventory / Cr 2050 goods received not
//     invoiced), its shortage or gain at cost (5040 stock losses against 2050: the BDC invoices
//     the loaded quantity), and its transit-loss claim on the transporter (Dr 1130 / Cr 5040);
//   - a stock adjustment: at the average cost of the station's stock of the product;
//   - a shift's cash-up: the cash short (Dr 5050) or over (Cr 4040) against the till (1010).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domains/ledger/ledger.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::forecourt {

// Signed amounts per account (+ debit, − credit), merged by account, as entry lines.
class SignedLines {
  public:
    void Add(const ledger::AccountKey& key, int64_t debit_minus_credit);
    // The lines, one per account with a non-zero amount, in account-key order.
    std::vector<ledger::EntryLine> Lines() const;
    bool Empty() const;

  private:
    std::map<std::string, std::pair<ledger::AccountKey, int64_t>> by_key_;
};

ledger::AccountKey Account(std::string_view code, std::optional<Uuid> station = std::nullopt,
                           std::optional<Uuid> product = std::nullopt,
                           std::optional<Uuid> party = std::nullopt);

// a × b ÷ c, rounded half away from zero, in 128 bits.
int64_t MulDivHalfUp(int64_t a, int64_t b, int64_t c);
// The value of `milli` millilitres (or grams) at `unit_cost` (10^-4 pesewa per litre or kg),
// rounded half up (away from zero) to the pesewa; either sign.
int64_t ValueAtCost(int64_t milli, int64_t unit_cost);

// ---- deliveries ----

struct DeliveryPosting {
    Uuid delivery_id;
    Uuid station_id;
    Uuid product_id;
    std::string transporter;  // free text: the party is PartyIdFromName(tenant, "transporter", ..)
    std::string booked_on;    // the delivery's date (UTC, Ghana's time)
    int64_t received_standard_milli = 0;
    int64_t shortage_milli = 0;        // loaded − received: positive short, negative a gain
    int64_t claim_amount = 0;          // pesewas claimed from the transporter
    std::optional<int64_t> unit_cost;  // 10^-4 pesewa per litre; nullopt: uncosted
};

// The delivery's entries: the stock at cost (entry id = the delivery's id; none when uncosted
// or nothing to post) and the transit-loss claim (entry id derived from the delivery's id with
// "transit_loss_claim"; none without a claim amount).
std::vector<ledger::Entry> DeliveryEntries(const TenantId& tenant, const DeliveryPosting& d);

// The ex-depot price of `product_id` on `date_days` from the pricing build-up (10^-4 pesewa per
// litre), nullopt when the tenant has no build-up for that product and day.
Result<std::optional<int64_t>> ExDepotUnitCost(db::Transaction& tx, const TenantId& tenant,
                                               const Uuid& product_id, int32_t date_days);

// ---- stock adjustments ----

// The value (the 1200 account's balance) and the book stock (Σ tanks' book stock) of a station's
// product now.
struct StockValue {
    int64_t value = 0;
    int64_t stock_milli = 0;
};
// Σ the book stock of a station's tanks of `product`.
Result<int64_t> StationBookStock(db::Transaction& tx, const TenantId& tenant, const Uuid& station,
                                 const Uuid& product);
Result<StockValue> StationStockValue(db::Transaction& tx, const TenantId& tenant, IdGenerator& ids,
                                     TimestampUs now, const Uuid& station, const Uuid& product);
// The cost of `quantity_milli` (either sign) at the average cost of `before`: 0 when the stock
// has no value or no positive book stock; a loss never takes more than the value there is.
int64_t AverageCostOf(const StockValue& before, int64_t quantity_milli);

// Posts an adjustment of `quantity_milli` (signed) of a station's product (entry id = the
// stock movement's id): a gain Dr 1200 / Cr 5040, a loss Dr 5040 / Cr 1200, at the average
// cost of `before` (the stock before the adjustment). Posts nothing when the cost is 0 and
// returns the cost posted (signed like the quantity).
Result<int64_t> PostStockAdjustment(db::Transaction& tx, const TenantId& tenant, IdGenerator& ids,
                                    TimestampUs now, const Uuid& movement_id, const Uuid& station,
                                    const Uuid& product, int64_t quantity_milli,
                                    const StockValue& before, const std::string& booked_on);

// ---- shift cash-up ----

// Posts a change of a shift's cash short and over (pesewas, each ≥ 0 at close; deltas after an
// adjustment) as entry `entry_id`: Dr 5050 cash short[station] by `short_delta`, Cr 4040 cash
// over[station] by `over_delta`, and the till 1010[station] by the difference. Nothing when
// both are 0.
Result<void> PostCashUp(db::Transaction& tx, const TenantId& tenant, IdGenerator& ids,
                        TimestampUs now, const Uuid& entry_id, const Uuid& shift_id,
                        const Uuid& station, const std::string& booked_on, int64_t short_delta,
                        int64_t over_delta, std::string_view kind);

}  // namespace omc::forecourt
