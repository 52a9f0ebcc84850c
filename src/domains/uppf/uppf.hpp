// The UPPF freight claims module: the depot -> station route table, the freight rate settings,
// and monthly claims of delivery trips with their evidence, submission and settlement.
// README.md in this folder lists its tables, invariants, routes and events.
#pragma once

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/http/router.hpp"

namespace omc::uppf {

// Registers every route of the module (as module "uppf" in src/app/modules.cpp).
void RegisterUppfRoutes(http::Router& router, IdGenerator& ids, const Clock& clock);

}  // namespace omc::uppf
