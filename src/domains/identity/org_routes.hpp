// The organisation API: regions, dealers and stations of the caller's tenant.
//
//   GET/POST  /api/v1/regions    GET/PATCH /api/v1/regions/{id}
//   GET/POST  /api/v1/dealers    GET/PATCH /api/v1/dealers/{id}
//   GET/POST  /api/v1/stations   GET/PATCH /api/v1/stations/{id}   (?region_id=&dealer_id=&active=
//                                                                   &licence_expires_by=)
//
// Reads need "org.read" and see only the caller's scope (scope.hpp); a row outside it is 404,
// exactly like a missing row or another tenant's. Writes need "org.write"; each create or update
// appends an org.<thing>_created / org.<thing>_updated event in the same transaction. See ORG.md.
#pragma once

#include <nlohmann/json.hpp>

#include "domains/identity/org_store.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/http/router.hpp"

namespace omc::identity {

// Adds the twelve routes above (names "org.<things>.<list|create|get|update>"). `ids` and
// `clock` must outlive the router.
void RegisterOrgRoutes(http::Router& router, IdGenerator& ids, const Clock& clock);

// The JSON forms the API answers with and the events carry.
nlohmann::json RegionJson(const Region& region);
nlohmann::json DealerJson(const Dealer& dealer);
// A station's licence standing is judged on `today` ("YYYY-MM-DD").
nlohmann::json StationJson(const Station& station, std::string_view today);

}  // namespace omc::identity
