// Alerts: conditions of a tank or a station that need someone's attention. Table: alerts
// (migration 0006, notes from 0007).
//
// An evaluator raises an alert when its condition holds and no alert with the same dedupe key is
// live (open or acknowledged; a partial unique index makes that the database's rule too), and
// resolves it itself (resolved_by "system") when the condition has cleared. People acknowledge
// and resolve alerts through the API. Every change appends an outbox event in the transaction of
// the change: forecourt.alert_raised, forecourt.alert_acknowledged, forecourt.alert_resolved.
//
// Conditions and their dedupe keys (README.md, "Alerts"):
//   low_stock:<tank>                 book stock at or below the tank's low level
//   water:<tank>                     the latest dip's water height above the tank's limit
//   variance:<tank>:<business date>  the day's reconciliation variance beyond tolerance
//   licence_expiry:<station>:expiring|expired   NPA licence within the warning days, or past
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domains/forecourt/quantities.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace omc::forecourt {

struct ForecourtDeps;

// How many alerts an evaluation raised and resolved.
struct AlertChanges {
    int raised = 0;
    int resolved = 0;
    AlertChanges& operator+=(const AlertChanges& other) {
        raised += other.raised;
        resolved += other.resolved;
        return *this;
    }
};

// Re-evaluates one tank's low-stock and water conditions, and, when `variance_at` is given,
// the variance of the business day that time falls in. Runs in the caller's transaction (the
// write that may have changed the condition: a dip, a delivery, an adjustment). kNotFound when
// the tenant has no such tank.
Result<AlertChanges> EvaluateTankAlerts(db::Transaction& tx, const ForecourtDeps& deps,
                                        const TenantId& tenant, const Uuid& tank_id,
                                        std::optional<TimestampUs> variance_at);

// The sweep: every condition of `station` (every station of the tenant when nullopt): each
// active tank's low stock, water and the variance of the current and the previous business day,
// and the station's licence expiry. For POST /api/v1/alerts/evaluate and for scheduled or demo
// runs. kNotFound when `station` is not the tenant's.
Result<AlertChanges> EvaluateAlerts(db::Transaction& tx, const ForecourtDeps& deps,
                                    const TenantId& tenant, std::optional<Uuid> station);

// The tank's fuel sold per day over `days` days from `since` (a day's start), oldest first:
// net of voids (the fuel went back), refunds not counted (money only), a day whose voids
// outweigh its sales as 0. What days of cover average (the low-stock alert, the station summary).
Result<std::vector<Volume>> TankDailySales(db::Transaction& tx, const TenantId& tenant,
                                           const Uuid& tank, TimestampUs since, int64_t days);

// Live (open or acknowledged) alerts per station, kind and status, for the whole tenant (the
// caller narrows them to a scope): one GROUP BY over the tenant's live alerts.
struct LiveAlertCount {
    Uuid station_id;
    std::string kind;
    std::string status;  // "open" or "acknowledged"
    int64_t count = 0;
};
Result<std::vector<LiveAlertCount>> LiveAlertCounts(db::Transaction& tx, const TenantId& tenant);

// The newest `limit` live alerts (by raised_at, then id), as GET /api/v1/alerts shows each
// one. `scope_list` narrows them like StationFilter::scope_list (nullopt: the whole tenant).
Result<nlohmann::json> LatestLiveAlerts(db::Transaction& tx, const TenantId& tenant,
                                        const std::optional<std::string>& scope_list,
                                        int64_t limit);

// GET /api/v1/alerts, GET /api/v1/alerts/{id}, POST /api/v1/alerts/{id}/acknowledge,
// POST /api/v1/alerts/{id}/resolve, POST /api/v1/alerts/evaluate.
void RegisterAlertRoutes(http::Router& router, const ForecourtDeps& deps);

}  // namespace omc::forecourt
