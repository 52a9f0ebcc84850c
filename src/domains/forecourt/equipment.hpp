// A station's equipment: tanks (with their strapping charts), pumps and nozzles. Tables: tanks,
// tank_charts, pumps, nozzles (migration 0006). Every row names its station; a caller sees the
// equipment of the stations in their scope only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace omc::forecourt {

struct ForecourtDeps;

struct Tank {
    Uuid id;
    Uuid station_id;
    std::string code;
    Uuid product_id;
    int64_t capacity_milli = 0;
    int64_t safe_fill_milli = 0;
    int64_t low_level_milli = 0;
    int64_t water_limit_mm = 0;
    int64_t book_stock_milli = 0;
    bool active = true;
    TimestampUs created_at_us = 0;
    TimestampUs updated_at_us = 0;
};

struct Nozzle {
    Uuid id;
    Uuid station_id;
    Uuid pump_id;
    int64_t number = 0;
    Uuid tank_id;
    Uuid product_id;  // the tank's
    int64_t totalizer_milli = 0;
    bool active = true;
    TimestampUs created_at_us = 0;
    TimestampUs updated_at_us = 0;
};

Result<std::optional<Tank>> FindTank(db::Transaction& tx, const TenantId& tenant, const Uuid& id);
Result<std::optional<Nozzle>> FindNozzle(db::Transaction& tx, const TenantId& tenant,
                                         const Uuid& id);
Result<std::vector<Tank>> StationTanks(db::Transaction& tx, const TenantId& tenant,
                                       const Uuid& station);
Result<std::vector<Nozzle>> StationNozzles(db::Transaction& tx, const TenantId& tenant,
                                           const Uuid& station);
nlohmann::json TankJson(const Tank& tank);
// The station's pumps in code order, each as GET /api/v1/pumps/{id} shows it (with its nozzles).
Result<nlohmann::json> StationPumpsJson(db::Transaction& tx, const TenantId& tenant,
                                        const Uuid& station);

// GET/POST /api/v1/tanks, GET/PATCH /api/v1/tanks/{id}; GET/POST /api/v1/pumps,
// GET /api/v1/pumps/{id}; GET/POST /api/v1/nozzles, GET/PATCH /api/v1/nozzles/{id}.
void RegisterEquipmentRoutes(http::Router& router, const ForecourtDeps& deps);

}  // namespace omc::forecourt
