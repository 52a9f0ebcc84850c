// Pricing windows, NPA price floors and station prices: every route of this part of the pricing
// module (README.md, "Windows, floors and station prices").
#pragma once

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/http/router.hpp"

namespace omc::pricing {

// Windows (list, get, submit, submission export, activate sweep), floors, proposals, zones,
// holidays and price history.
void RegisterPriceWindowRoutes(http::Router& router, IdGenerator& ids, const Clock& clock);

}  // namespace omc::pricing
