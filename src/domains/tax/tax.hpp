// The tax module: GRA tax rates (effective-dated rows), the tax breakdown of a sale line, and
// the monthly VAT return from the stored sales. README.md beside this file.
#pragma once

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/http/router.hpp"

namespace omc::tax {

void RegisterTaxRoutes(http::Router& router, IdGenerator& ids, const Clock& clock);

}  // namespace omc::tax
