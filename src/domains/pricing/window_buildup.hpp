// The one place the pricing windows ask the price build-up (buildup.hpp) for
// the regulated part of an ex-pump price, so an OMC can propose its marketer and dealer margins
// on top of it.
#pragma once

#include <cstdint>
#include <optional>

#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::pricing {

// The build-up's ex-pump price of `product` on `day` without the OMC's own marketer and dealer
// margin lines (10^-4 pesewa per unit); nullopt when there is no build-up for that day.
Result<std::optional<int64_t>> RegulatedExPump(db::Transaction& tx, const TenantId& tenant,
                                               const Uuid& product, int32_t day);

}  // namespace omc::pricing
