// The OMC's price lists for a window (proposals), the price zones they may name, and NPA's
// price floors they must respect. Tables: pricing_proposals, pricing_proposal_lines,
// pricing_zones, pricing_zone_stations, pricing_floors (migration 0009); scheduling writes the
// forecourt's station_prices, which sales read.
//
// Workflow: proposed -> approved (pricing.approve) -> scheduled (pricing.approve: the
// effective-dated rows are written to station_prices from 00:00 of the window's first day, and
// pricing.prices_scheduled announces them to the stations) -> in_force (the sweep
// POST /api/v1/pricing/windows/activate, once the window has started: pricing.prices_in_force).
// A proposed list may be rejected (pricing.approve) and a proposed or approved one withdrawn
// (pricing.write), each with a reason, and is kept. Any other move is 409.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domains/pricing/window_common.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::pricing {

inline constexpr size_t kMaxProposalLines = 500;

struct ProposalLine {
    int64_t line_no = 0;
    Uuid product_id;
    std::string scope;  // "network", "zone" or "station"
    std::optional<Uuid> zone_id;
    std::optional<Uuid> station_id;
    std::string mode;                             // "price" or "margins"
    int64_t unit_price = 0;                       // the ex-pump price, 10^-4 pesewa per unit
    std::optional<int64_t> regulated_unit_price;  // mode "margins": the build-up's regulated part
    std::optional<int64_t> marketer_margin;
    std::optional<int64_t> dealer_margin;
};

struct Proposal {
    Uuid id;
    std::string window_start;  // "YYYY-MM-DD"
    std::string status;
    std::optional<std::string> note;
    std::string proposed_by;
    TimestampUs proposed_at_us = 0;
    std::optional<std::string> decided_by;
    std::optional<TimestampUs> decided_at_us;
    std::optional<std::string> reason;
    std::optional<TimestampUs> scheduled_at_us;
    std::optional<TimestampUs> in_force_at_us;
    std::optional<std::string> submitted_by;
    std::optional<TimestampUs> submitted_at_us;
    std::optional<bool> submission_late;
    // A withdrawal keeps decided_by/decided_at (the approval, when there was one).
    std::optional<std::string> withdrawn_by;
    std::optional<TimestampUs> withdrawn_at_us;
    std::vector<ProposalLine> lines;  // filled by LoadLines
};

// The proposals of windows starting from `first` to `last` ("YYYY-MM-DD", inclusive), without
// lines, oldest first.
Result<std::vector<Proposal>> ProposalsBetween(db::Transaction& tx, const TenantId& tenant,
                                               const std::string& first, const std::string& last);
// The window's approved, scheduled or in-force list (at most one), without lines.
Result<std::optional<Proposal>> ActiveProposal(db::Transaction& tx, const TenantId& tenant,
                                               const std::string& window_start);
Result<void> LoadLines(db::Transaction& tx, const TenantId& tenant, Proposal& proposal);
// Records the NPA submission of `proposal`: the time and whether it was after `deadline_us`.
Result<void> MarkSubmitted(db::Transaction& tx, const TenantId& tenant, const Uuid& proposal,
                           const std::string& by, TimestampUs at_us, bool late);

// NPA's floors of a window: product -> floor (10^-4 pesewa per unit).
Result<std::map<Uuid, int64_t>> FloorsOf(db::Transaction& tx, const TenantId& tenant,
                                         const std::string& window_start);

nlohmann::json ProposalJson(const Proposal& proposal);

// Proposals (create, list, get, approve, reject, withdraw, schedule), the in-force sweep, and
// price zones (create, list, get, update).
void RegisterProposalRoutes(http::Router& router, const WindowDeps& deps);

// The background sweep (the App runs it every minute): for every tenant, each scheduled list
// whose window has started comes into force, with its pricing.prices_in_force event, as
// POST /api/v1/pricing/windows/activate does for the caller's tenant. Returns how many lists.
// Prices themselves take effect at the window's 00:00 whether or not this has run: sales read
// station_prices by time.
Result<int64_t> SweepPricesInForce(db::Database& database, IdGenerator& ids, const Clock& clock);
void RegisterZoneRoutes(http::Router& router, const WindowDeps& deps);

}  // namespace omc::pricing
