// The receivables and payables module: credit customers with their vehicles and drivers, the
// credit limit at sale time (credit.hpp, called by the sales batch), invoices, customer payments,
// statements and aging; suppliers, purchase orders, supplier invoices matched to orders and
// deliveries, supplier payments. README.md beside this file.
#pragma once

#include "domains/arap/common.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/http/router.hpp"

namespace omc::arap {

void RegisterArapRoutes(http::Router& router, IdGenerator& ids, const Clock& clock);

// The parts, one file each.
void RegisterCustomerRoutes(http::Router& router, const ArapDeps& deps);
void RegisterReceivableRoutes(http::Router& router, const ArapDeps& deps);
void RegisterPayableRoutes(http::Router& router, const ArapDeps& deps);

}  // namespace omc::arap
