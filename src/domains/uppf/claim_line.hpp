// One stored UPPF claim line: a delivery trip with the data NPA's tracking rules collect
// (L.I. 2251 reg. 8) and the freight figures computed when the line was added.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"

namespace omc::uppf {

struct ClaimLine {
    Uuid id;
    Uuid claim_id;
    Uuid delivery_id;
    Uuid station_id;           // where the delivery was received
    Uuid intended_station_id;  // the intended delivery point
    std::optional<Uuid> route_id;
    Uuid rate_id;
    std::string loading_date;
    std::string depot;
    std::string bdc;
    Uuid product_id;
    std::string product_code;
    int64_t loaded_milli = 0;
    int64_t received_milli = 0;
    std::string quantity_basis;
    int64_t claimed_milli = 0;
    std::string brv_registration;
    std::string transporter;
    std::string omc_order_no;
    std::string omc_invoice_no;
    std::string waybill_no;
    int64_t distance_km_e1 = 0;
    int64_t paid_distance_km_e1 = 0;
    int64_t rate_per_litre_km_e4 = 0;
    int64_t amount_pesewas = 0;
    int64_t claimable_pesewas = 0;
    bool diverted = false;
    std::optional<std::string> exclusion;
    std::string created_by;
    TimestampUs created_at_us = 0;
};

}  // namespace omc::uppf
