// The ledger's HTTP routes (module "ledger" in src/app/modules.cpp); README.md lists them.
#pragma once

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/http/router.hpp"

namespace omc::ledger {

void RegisterLedgerRoutes(http::Router& router, IdGenerator& ids, const Clock& clock);

}  // namespace omc::ledger
