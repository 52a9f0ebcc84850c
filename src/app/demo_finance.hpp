// `omc demo`'s receivables, payables and pricing: what the forecourt history implies for the
// finance modules, made with the same seed and written in the history's transaction
// (docs/adr/0014-demo-network.md, "Finance").
//
//   - DemoReceivables: five fleet customers (names, demo TINs, terms, credit limits sized to
//     their volume; one near its limit, one slow payer on hold), their vehicles (Ghana plates,
//     some with daily or monthly limits) and drivers; every account sale's arap_credit_sales row
//     (bulk, with a vehicle of the customer within its limits); an invoice per customer and
//     half-month (1st–15th, 16th–end) issued the day after, numbered by arap's counter; customer
//     payments allocated oldest first by arap::Allocate and posted by arap::PostCustomerPayment.
//   - DemoPayables: three BDCs and a transporter, a purchase order per BDC, depot, product, week
//     and cost, supplier invoices billing the deliveries (matched by arap::MatchInvoice; the
//     planted short delivery's invoice is flagged), weekly pay runs; posted by arap's postings.
//   - SeedDemoPricing: each fuel's price build-up (DEMO FIGURES, not NPA's) for the window in
//     force and the next, adding up to the demo's pump price; floors; the price lists (in force
//     for every past window, a rejected one, the next window's proposed).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "app/demo_ledger.hpp"
#include "app/demo_support.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::app {

inline constexpr size_t kDemoFleets = 5;

// What the finance part wrote, for the command's summary.
struct DemoFinanceCounts {
    int64_t customers = 0;
    int64_t vehicles = 0;
    int64_t credit_sales = 0;
    int64_t invoices = 0;
    int64_t customer_payments = 0;
    int64_t suppliers = 0;
    int64_t purchase_orders = 0;
    int64_t supplier_invoices = 0;
    int64_t supplier_payments = 0;
    int64_t price_components = 0;
    int64_t price_lists = 0;
    int64_t momo_intents = 0;
    int64_t momo_mismatches = 0;
};

class DemoReceivables {
  public:
    // `account_sales_per_day`: the history's expected sales on account a day (all customers),
    // which sizes the fleets.
    DemoReceivables(const TenantId& tenant, uint64_t seed, TimestampUs start, TimestampUs now,
                    int64_t account_sales_per_day);

    // The customer of an account sale at `at` given the history's draw (0..4): an account on
    // hold by then passes the sale to the next customer.
    size_t CustomerFor(size_t draw, TimestampUs at) const;
    const Uuid& CustomerId(size_t customer) const { return customers_[customer].id; }

    // A sale on account: its arap_credit_sales row (a vehicle of the customer within its own
    // limits, that vehicle's driver) and, when its half-month has been invoiced, its line.
    Result<void> Sale(db::Transaction& tx, const Uuid& sale, size_t customer, const Uuid& station,
                      int64_t amount, TimestampUs at);

    // Writes the customers, vehicles, drivers, invoices and lines, payments, allocations and
    // their ledger entries. Adds what it planted to `planted`.
    Result<void> Finish(db::Transaction& tx, IdGenerator& ids, std::vector<std::string>& planted,
                        DemoFinanceCounts& counts);

  private:
    struct Vehicle {
        Uuid id;
        std::string registration;
        std::optional<std::string> limit_period;  // day, month
        int64_t limit_amount = 0;
        std::optional<Uuid> driver;
    };
    struct Driver {
        Uuid id;
        std::string name;
        std::string phone;
        std::optional<size_t> vehicle;  // restricted to this vehicle, or any
    };
    struct Customer {
        Uuid id;
        size_t def = 0;
        std::vector<Vehicle> vehicles;
        std::vector<Driver> drivers;
        std::map<int64_t, int64_t> daily_change;  // day -> sales − payments, for the limit
        TimestampUs hold_at = 0;                  // 0: never on hold
    };
    struct Line {
        TimestampUs at = 0;
        Uuid sale;
        Uuid station;
        std::optional<Uuid> vehicle;
        std::optional<Uuid> driver;
        int64_t amount = 0;
    };
    struct Invoice {
        Uuid id;
        size_t customer = 0;
        std::string from, to, issued_on, due_on;
        int64_t number = 0;
        int64_t total = 0;
        int64_t outstanding = 0;
        std::vector<Line> lines;
    };

    const TenantId tenant_;
    const TimestampUs start_;
    const TimestampUs now_;
    const std::string today_;
    demo::Rng rng_;
    std::vector<Customer> customers_;
    std::map<std::pair<std::string, size_t>, Invoice> invoices_;  // (period from, customer)
    // vehicle use per (customer, vehicle, day or month)
    std::map<std::tuple<size_t, size_t, std::string>, int64_t> used_;
    demo::Bulk credit_sales_;
};

class DemoPayables {
  public:
    DemoPayables(const TenantId& tenant, uint64_t seed, TimestampUs now);

    struct DeliveryFact {
        Uuid id;
        size_t supplier = 0;  // index into demo::Suppliers()
        Uuid product;
        std::string depot;
        int64_t loaded_ambient_milli = 0;
        int64_t unit_cost = 0;  // 10^-4 pesewa per litre
        TimestampUs delivered_at = 0;
        bool planted_short = false;
        int64_t shortage_milli = 0;
    };
    void Delivery(DeliveryFact fact) { deliveries_.push_back(std::move(fact)); }

    Result<void> Finish(db::Transaction& tx, IdGenerator& ids, std::vector<std::string>& planted,
                        DemoFinanceCounts& counts);

  private:
    const TenantId tenant_;
    const TimestampUs now_;
    demo::Rng rng_;
    std::vector<DeliveryFact> deliveries_;
};

// Yesterday's MoMo sales as the payments module would have made them (an intent each, paid),
// and one reconciliation run of a statement that agrees with them but for two planted
// mismatches: a line whose amount differs from its sale, and a paid line with no sale.
class DemoMomo {
  public:
    DemoMomo(const TenantId& tenant, uint64_t seed, TimestampUs now);

    struct SaleFact {
        Uuid sale;
        Uuid station;
        std::string station_code;
        bool shop = false;
        std::optional<Uuid> nozzle;
        Uuid product;
        std::optional<Uuid> attendant;
        Uuid shift;
        int64_t quantity_milli = 0;
        int64_t unit_price = 0;
        int64_t amount = 0;
        TimestampUs sold_at = 0;
        std::string financial_transaction_id;  // the sale's payment_ref
    };
    // Whether a MoMo sale at `at` is one of yesterday's (UTC, Ghana's time).
    bool Wants(TimestampUs at) const { return at >= day_start_ && at < day_start_ + kDay; }
    void Sale(SaleFact fact) { sales_.push_back(std::move(fact)); }

    Result<void> Finish(db::Transaction& tx, std::vector<std::string>& planted,
                        DemoFinanceCounts& counts);

  private:
    static constexpr int64_t kDay = 86'400LL * 1'000'000;
    const TenantId tenant_;
    const TimestampUs now_;
    const TimestampUs day_start_;
    demo::Rng rng_;
    std::vector<SaleFact> sales_;
};

// A fuel as the demo prices it: its price per window (the window's start, 06:00, and the unit
// price in 10^-4 pesewa), oldest first.
struct DemoPricedProduct {
    Uuid id;
    std::string code;
    std::vector<std::pair<TimestampUs, int64_t>> prices;
};

Result<void> SeedDemoPricing(db::Transaction& tx, const TenantId& tenant,
                             const std::vector<DemoPricedProduct>& fuels, uint64_t seed,
                             TimestampUs now, DemoFinanceCounts& counts);

}  // namespace omc::app
