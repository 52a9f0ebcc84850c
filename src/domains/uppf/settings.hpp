// The UPPF master data: the depot -> station route table with effective-dated distances, and the
// effective-dated freight rate settings. The lookups here serve the claim lines.
#pragma once

#include <optional>
#include <string>

#include "domains/uppf/claim_model.hpp"
#include "domains/uppf/common.hpp"
#include "platform/db/database.hpp"

namespace omc::uppf {

// The distance of the active route from the depot named `depot_key` (DepotKey) to `station`
// in force on `date` ("YYYY-MM-DD"); nullopt when there is no such route or version.
struct RouteDistance {
    Uuid route_id;
    int64_t distance_km_e1 = 0;
};
Result<std::optional<RouteDistance>> RouteDistanceOn(db::Transaction& tx, const TenantId& tenant,
                                                     const std::string& depot_key,
                                                     const Uuid& station, const std::string& date);

// The freight rate in force on `date`; nullopt when none has started by then.
struct RateRow {
    Uuid id;
    std::string effective_from;
    FreightRate rate;
};
Result<std::optional<RateRow>> RateOn(db::Transaction& tx, const TenantId& tenant,
                                      const std::string& date);

// GET/POST /api/v1/uppf/routes, GET/PATCH /api/v1/uppf/routes/{id}, GET/POST /api/v1/uppf/rates.
void RegisterSettingsRoutes(http::Router& router, const UppfDeps& deps);

}  // namespace omc::uppf
