// `omc demo`: a believable station network for the demo tenant, with its history.
//
// The network: real Ghanaian towns and their coordinates, in the right regions of Ghana; COCO and
// DODO stations (DODO with dealers), NPA licences, business day from 06:00 Africa/Accra; products
// (PMS, AGO, LPG by the kg, premix near the coast and the lake, kerosene, lubricants and shop
// items) with their ρ15; tanks with horizontal-cylinder strapping charts, pumps and nozzles;
// attendants (Operator users without a usable password) and network prices per NPA pricing window.
//
// The history (the last `days` days up to now) is made by a seeded simulation and written with
// the tables and formulas the API uses: sales priced like SalesService (half up by quantity,
// half-even by amount), gap-free receipts per station, sales_daily, book stock moved by sales
// (ambient) and deliveries (received standard); shifts with totalizers equal to the recorded
// sales and collections per attendant; dips and deliveries computed by ComputeDip and
// ComputeDeliveryShortage. No outbox events or per-sale audit records are written for history:
// it did not happen live.
//
// Planted for the reconciliation to find: a slow leak on one tank, an attendant who hands over
// less cash than they took (every shift), and one delivery short well beyond its allowance.
//
// The finance of the same history (demo_finance.hpp): fleet customers with every account
// sale's credit-sale row, invoices and payments; BDC purchase orders, invoices (the short
// delivery's flagged) and payments; the price build-up (demo figures), floors and price lists;
// yesterday's MoMo intents and their reconciliation. Planted there: a customer near its credit
// limit, one on hold, the flagged BDC invoice, two MoMo statement mismatches.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/demo_finance.hpp"
#include "domains/identity/identity.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::app {

inline constexpr int kDemoMaxStations = 500;
inline constexpr int kDemoMaxDays = 400;
inline constexpr int kDemoMaxSalesPerDay = 2'000;

struct DemoOptions {
    int stations = 50;
    int days = 90;
    uint64_t seed = 20'261'121;
    // The average number of fuel sales of a medium station in a day (small ones do less, large
    // ones more). Real stations do 300–800; the default keeps `omc demo` under a minute on
    // SQLite on two cores (docs/adr/0014-demo-network.md), with realistic litres per sale.
    int sales_per_day = 150;
    // When set, the demo tenant's MTN MoMo provider points at the local simulator there
    // (`omc momo-sim`, started by scripts/run.sh), with callbacks to `public_url`.
    std::string momo_sim_url;
    std::string public_url = "http://127.0.0.1:8080";
};

struct DemoProgress {
    int day = 0;  // days simulated so far
    int days = 0;
    int64_t sales = 0;
};

// What was built, and where the planted losses are.
struct DemoSummary {
    int regions = 0;
    int stations = 0;
    int tanks = 0;
    int nozzles = 0;
    int attendants = 0;
    int64_t sales = 0;
    int64_t shifts = 0;
    int64_t dips = 0;
    int64_t deliveries = 0;
    int64_t ledger_entries = 0;  // the history's journal entries (DemoLedger)
    // Scopes for the demo users: the first station, Greater Accra's stations and region, the
    // first dealer.
    Uuid first_station;
    std::vector<Uuid> accra_stations;
    Uuid accra_region;
    Uuid first_dealer;
    Uuid leaking_tank;
    Uuid healthy_tank;  // same station and product as no other planted loss touches
    Uuid short_attendant;
    Uuid short_delivery;               // nil if the history had no delivery to plant it on
    DemoFinanceCounts finance;         // customers, invoices, suppliers, price lists ...
    std::vector<std::string> planted;  // one sentence each, for the command's output
};

// Builds the network and `options.days` of history up to `now` for `tenant`, which must have no
// stations yet, in one transaction (all or nothing). kInvalidArgument naming "--stations",
// "--days" or "--sales-per-day" when out of range.
Result<DemoSummary> BuildDemoNetwork(db::Database& database, identity::Identity& identity,
                                     const TenantId& tenant, const DemoOptions& options,
                                     TimestampUs now,
                                     const std::function<void(const DemoProgress&)>& progress);

}  // namespace omc::app
