// Wet stock through the API: strapping charts, the tenant's forecourt settings, dips, deliveries
// and transit-loss claims. Tables: tank_charts, forecourt_settings, dips, deliveries,
// stock_movements (migration 0006). The figures come from the pure models (strapping.hpp,
// dip.hpp, delivery_model.hpp); README.md lists the routes, invariants and events.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "domains/forecourt/dip.hpp"
#include "domains/forecourt/equipment.hpp"
#include "domains/forecourt/vcf.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/router.hpp"

namespace omc::forecourt {

struct ForecourtDeps;

// How far ahead of the server's clock a client's time may be (clock skew), and how far behind
// it an effective-from may be.
inline constexpr TimestampUs kClockSkewUs = 5LL * 60 * 1'000'000;

// The tenant's wet-stock settings. These defaults hold while the tenant has no row; they are
// placeholders to confirm before go-live (MODEL.md, "Settings to confirm").
struct ForecourtSettings {
    int64_t reference_temperature_c100 = 1'500;  // 15 °C, the tables' base
    int64_t transit_loss_tolerance_bp = 50;      // 0.5 % of loaded standard [unconfirmed]
    int64_t variance_tolerance_bp = 50;          // 0.5 % of metered sales
    int64_t variance_floor_milli = 10'000;       // 10 L
    int64_t low_stock_days_x100 = 300;           // 3 days of cover
    int64_t licence_warning_days = 60;
    TimestampUs updated_at_us = 0;  // 0: the defaults, never saved
    // The network overview shows an active station "offline" when it has recorded no sale for
    // this long (migration 0018).
    int64_t offline_after_minutes = 180;
};
Result<ForecourtSettings> LoadSettings(db::Transaction& tx, const TenantId& tenant);
ReferenceTemperature ReferenceOf(int64_t reference_temperature_c100);

// A dip as stored: the model's reading with where, when and why it was taken.
struct StoredDip {
    Uuid id;
    Uuid station_id;
    Uuid tank_id;
    Uuid chart_id;
    TimestampUs taken_at_us = 0;
    std::string purpose;
    DipReading reading;
    int64_t book_stock_milli = 0;  // the tank's book stock when the dip was recorded
    std::string recorded_by;
    TimestampUs recorded_at_us = 0;
};
Result<std::optional<StoredDip>> FindDip(db::Transaction& tx, const TenantId& tenant,
                                         const Uuid& id);

// The tank's latest dip taken at or before `at` (ties: the greatest id); nullopt when none.
Result<std::optional<StoredDip>> LastDipAtOrBefore(db::Transaction& tx, const TenantId& tenant,
                                                   const Uuid& tank, TimestampUs at);
// The tank's dips taken in (after, until], oldest first, at most `limit`.
Result<std::vector<StoredDip>> DipsBetween(db::Transaction& tx, const TenantId& tenant,
                                           const Uuid& tank, TimestampUs after, TimestampUs until,
                                           int64_t limit);

// The tank's newest `limit` dips, newest first (by taken_at, then id).
Result<std::vector<StoredDip>> RecentDips(db::Transaction& tx, const TenantId& tenant,
                                          const Uuid& tank, int64_t limit);
// A dip as GET /api/v1/dips/{id} shows it.
nlohmann::json DipJson(const StoredDip& dip);

// A change of a tank's book stock other than a sale (sales are their own record). Table:
// stock_movements.
struct StockMovement {
    Uuid id;
    Uuid station_id;
    Uuid tank_id;
    std::string kind;  // "delivery", "adjustment" (and "void", "refund" reserved by 0006)
    int64_t quantity_milli = 0;
    std::optional<Uuid> reference_id;  // the delivery
    std::optional<std::string> reason;
    TimestampUs occurred_at_us = 0;
    std::string recorded_by;
};
// Appends `movement` and moves the tank's book stock by its quantity, in `tx`. A movement that
// takes stock out may not leave the book stock below zero: kUnprocessable naming `quantity`,
// judged in the UPDATE itself so that a concurrent sale cannot slip in between.
Result<void> RecordStockMovement(db::Transaction& tx, const TenantId& tenant,
                                 const StockMovement& movement);

// The tank when the caller sees its station. Otherwise kNotFound ("tank"), or kUnprocessable
// naming `field` when the tank comes from a request body.
Result<Tank> TankInScope(db::Transaction& tx, const http::RequestContext& ctx, const Uuid& id,
                         std::optional<std::string_view> field = std::nullopt);

// An RFC 3339 time read from a body field; records the field's error and returns nullopt when
// it is malformed (or, for RequiredTime, absent).
std::optional<TimestampUs> OptionalTime(http::JsonBody& body, std::string_view name);
TimestampUs RequiredTime(http::JsonBody& body, std::string_view name);

// The error with each field named like the API's body: `renames` maps the model's names.
Error ApiFields(const Error& error,
                std::initializer_list<std::pair<std::string_view, std::string_view>> renames);

// GET/POST /api/v1/tanks/{id}/charts; GET/PUT /api/v1/forecourt/settings; GET/POST
// /api/v1/dips, GET /api/v1/dips/{id}.
void RegisterWetstockRoutes(http::Router& router, const ForecourtDeps& deps);
// The station's newest `limit` deliveries (by delivered_at, then id), each as GET
// /api/v1/deliveries shows it.
Result<nlohmann::json> RecentDeliveries(db::Transaction& tx, const TenantId& tenant,
                                        const Uuid& station, int64_t limit);

// GET/POST /api/v1/deliveries, GET /api/v1/deliveries/{id}; GET /api/v1/transit-loss-claims.
void RegisterDeliveryRoutes(http::Router& router, const ForecourtDeps& deps);
// POST /api/v1/tanks/{id}/adjustments, GET /api/v1/tanks/{id}/movements.
void RegisterStockRoutes(http::Router& router, const ForecourtDeps& deps);

}  // namespace omc::forecourt
