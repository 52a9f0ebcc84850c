// The forecourt and wet-stock module: products and prices, station equipment (tanks, pumps,
// nozzles), and the station's daily work on them. README.md in this folder lists its tables,
// invariants, routes and events.
#pragma once

#include <memory>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace omc::forecourt {

class SalesService;

// Registers every route of the module (as module "forecourt" in src/app/modules.cpp). Returns
// the sales service its routes share, for the payments module to record MoMo sales through.
std::shared_ptr<SalesService> RegisterForecourtRoutes(http::Router& router, db::Database& database,
                                                      IdGenerator& ids, const Clock& clock);

}  // namespace omc::forecourt
