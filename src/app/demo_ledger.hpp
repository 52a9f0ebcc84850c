// The ledger entries of `omc demo`'s history. The history is bulk-loaded without SalesService,
// so nothing posts as it is made; the builder tells this class each fact and it builds the
// entries in memory, posting them in batches at the end (docs/finance.md, "The demo"):
//   - an opening entry: Dr 1020 bank (working capital per station) and Dr 1200 fuel inventory
//     (each station's opening stock at cost) / Cr 3000 owners' equity;
//   - per station and business day one sale_batch entry, the same accounts as
//     forecourt/sale_posting.cpp (payment / revenue net of output taxes / cost of fuel at the
//     running average cost), and its ledger_sale_batches row (receipt range, count, amount);
//   - each delivery at cost with its shortage and transit-loss claim (forecourt's
//     DeliveryEntries), and each LPG weighbridge refill at cost (Dr 1200 / Cr 2050);
//   - each closed shift's cash-up variance (Dr 5050 short / Cr 4040 over against 1010), with
//     the entry id a close through the API would use.
// The demo's fuel costs kDemoCostBp of the pump price of the day (its price build-up, seeded by
// demo_finance.cpp, is shaped to the pump price and does not set the cost).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "domains/forecourt/stock_posting.hpp"
#include "domains/ledger/ledger.hpp"
#include "domains/tax/tax_model.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::app {

inline constexpr int64_t kDemoCostBp = 8'500;  // fuel costs 85 % of its pump price
inline constexpr int64_t kDemoWorkingCapitalPesewas = 25'000'000;  // GH₵ 250 000 per station

// Ids for the ledger accounts a posting creates: UUIDv7 at `now` with random bits (the
// history's own ids come from the seeded engines, which this must not draw from).
class DemoIds final : public IdGenerator {
  public:
    explicit DemoIds(TimestampUs now);
    Uuid NewV7() override;

  private:
    int64_t ms_;
};

class DemoLedger {
  public:
    DemoLedger(const TenantId& tenant, TimestampUs now) : tenant_(tenant), now_(now) {}

    // The tax rates non-fuel sales are taxed at (tax::RatesInUse), read once.
    Result<void> LoadRates(db::Transaction& tx);
    // Stock in a station's tanks of a product when the history starts, at `unit_cost`.
    void Opening(const Uuid& station, const Uuid& product, int64_t milli, int64_t unit_cost);
    void OpeningCash(const Uuid& station);
    // A stored sale (fuel: costed from the station's stock of the product).
    struct SaleFact {
        Uuid station;
        std::string business_date;
        int64_t receipt_no = 0;
        Uuid product;
        bool fuel = false;
        int64_t quantity_milli = 0;
        int64_t amount = 0;
        std::string_view method;  // cash, momo, card, account
        std::optional<Uuid> customer;
    };
    Result<void> Sale(const SaleFact& sale);
    void Delivery(const forecourt::DeliveryPosting& delivery);
    // An LPG refill by weighbridge ticket (a stock movement `id` of kind adjustment).
    void Refill(const Uuid& id, const Uuid& station, const Uuid& product, int64_t milli,
                int64_t unit_cost, const std::string& booked_on);

    // A closed shift's cash-up: Σ shortfalls and Σ overs of its attendants (PostCashUp's entry).
    void CashUp(const Uuid& shift, const Uuid& station, const std::string& business_date,
                int64_t short_total, int64_t over_total);

    // Posts everything, in batches, and the ledger_sale_batches rows. Returns the entries.
    Result<int64_t> Post(db::Transaction& tx, const std::string& opening_date);

  private:
    struct Stock {
        int64_t value = 0;
        int64_t milli = 0;
    };
    // Sums per account, keyed cheaply (the sales are many; lines are made once per day).
    struct Day {
        std::map<std::pair<std::string_view, std::optional<Uuid>>, int64_t> payments;
        std::map<std::pair<Uuid, bool>, int64_t> revenue;  // (product, fuel) -> net
        std::map<std::string_view, int64_t> taxes;         // payable code -> tax
        std::map<Uuid, int64_t> cost;                      // fuel product -> cost sold
        int64_t first_receipt = 0;
        int64_t last_receipt = 0;
        int64_t count = 0;
        int64_t amount = 0;
    };

    const TenantId tenant_;
    const TimestampUs now_;
    std::vector<tax::TaxRate> rates_;
    forecourt::SignedLines opening_;
    std::map<std::pair<Uuid, Uuid>, Stock> stock_;  // (station, product)
    std::map<std::pair<Uuid, std::string>, Day> days_;
    std::vector<ledger::Entry> entries_;  // deliveries and refills, in the order they happened
};

}  // namespace omc::app
