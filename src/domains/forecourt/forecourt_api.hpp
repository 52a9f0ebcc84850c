// What other domains may ask of the forecourt module, in process (ARCHITECTURE.md: a domain is
// reached only through its <name>_api.hpp or its events). Every call runs in the caller's
// transaction and answers for the caller's tenant only; the caller applies station scope.
#pragma once

#include <optional>
#include <string>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::forecourt {

// A recorded delivery with the evidence that it was received at its station: the two dips it
// was computed from (UPPF freight claims need both, src/domains/uppf/README.md).
struct DeliveryEvidence {
    Uuid id;
    Uuid station_id;
    Uuid tank_id;
    Uuid product_id;
    std::string product_code;
    std::string waybill_no;
    std::string depot;
    std::string supplier;  // the BDC
    std::string transporter;
    std::string brv_registration;
    TimestampUs loaded_at_us = 0;
    TimestampUs delivered_at_us = 0;
    int64_t loaded_ambient_milli = 0;     // the depot ticket's litres, ambient
    int64_t received_standard_milli = 0;  // by the dips, at the reference temperature
    Uuid dip_before_id;
    Uuid dip_after_id;
    // Whether the before_delivery and after_delivery dips are on record for the delivery's tank.
    bool dip_before_found = false;
    bool dip_after_found = false;
};

// The delivery `id` of `tenant` with its dips; nullopt when the tenant has no such delivery.
Result<std::optional<DeliveryEvidence>> FindDeliveryEvidence(db::Transaction& tx,
                                                             const TenantId& tenant,
                                                             const Uuid& id);

}  // namespace omc::forecourt
