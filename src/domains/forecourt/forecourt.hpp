// The forecourt and wet-stock module: products and prices, station equipment (tanks, pumps,
// nozzles), and the station's daily work on them. README.md in this folder lists its tables,
// invariants, routes and events.
#pragma once

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace omc::forecourt {

// Registers every route of the module (as module "forecourt" in src/app/modules.cpp).
void RegisterForecourtRoutes(http::Router& router, db::Database& database, IdGenerator& ids,
                             const Clock& clock);

}  // namespace omc::forecourt
