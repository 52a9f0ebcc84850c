// The route table (depot -> station distances, effective-dated) and the freight rate settings.
#include "domains/uppf/settings.hpp"

#include <utility>
#include <vector>

#include "domains/identity/identity_api.hpp"
#include "platform/base/assert.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/params.hpp"

namespace omc::uppf {
namespace {

using nlohmann::json;

constexpr int64_t kMaxVersions = 500;

constexpr db::Query kInsertRoute{"uppf.insert_route", R"sql(
    INSERT INTO uppf_routes (tenant_id, id, depot, depot_key, station_id, active, created_by,
                             created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, $5, TRUE, $6, $7, $7))sql"};
constexpr db::Query kInsertDistance{"uppf.insert_route_distance", R"sql(
    INSERT INTO uppf_route_distances (tenant_id, route_id, effective_from, distance_km_e1, note,
                                      recorded_by, recorded_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7))sql"};
constexpr db::Query kRouteTaken{"uppf.route_taken", R"sql(
    SELECT id FROM uppf_routes WHERE tenant_id = $1 AND depot_key = $2 AND station_id = $3)sql"};
constexpr db::Query kDistanceTaken{"uppf.route_distance_taken", R"sql(
    SELECT 1 FROM uppf_route_distances
    WHERE tenant_id = $1 AND route_id = $2 AND effective_from = $3)sql"};
constexpr db::Query kFindRoute{"uppf.find_route", R"sql(
    SELECT id, depot, station_id, active, created_by, created_at_us, updated_at_us
    FROM uppf_routes WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kListRoutes{"uppf.list_routes", R"sql(
    SELECT id, depot, station_id, active, created_by, created_at_us, updated_at_us
    FROM uppf_routes
    WHERE tenant_id = $1 AND id > $2 AND (station_id = $4 OR $4 IS NULL)
      AND (depot_key = $5 OR $5 IS NULL)
    ORDER BY id LIMIT $3)sql"};
constexpr db::Query kUpdateRoute{"uppf.update_route", R"sql(
    UPDATE uppf_routes SET active = $3, updated_at_us = $4 WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kRouteDistances{"uppf.route_distances", R"sql(
    SELECT effective_from, distance_km_e1, note, recorded_by, recorded_at_us
    FROM uppf_route_distances WHERE tenant_id = $1 AND route_id = $2
    ORDER BY effective_from DESC LIMIT $3)sql"};
constexpr db::Query kRouteDistanceOn{"uppf.route_distance_on", R"sql(
    SELECT r.id, d.distance_km_e1
    FROM uppf_routes r
    JOIN uppf_route_distances d ON d.tenant_id = r.tenant_id AND d.route_id = r.id
    WHERE r.tenant_id = $1 AND r.depot_key = $2 AND r.station_id = $3 AND r.active
      AND d.effective_from <= $4
    ORDER BY d.effective_from DESC LIMIT 1)sql"};

#define OMC_RATE_COLUMNS                                                                 \
    "id, effective_from, rate_per_litre_km_e4, max_distance_km_e1, min_distance_km_e1, " \
    "quantity_basis, note, recorded_by, recorded_at_us"
constexpr db::Query kInsertRate{"uppf.insert_rate",
                                "INSERT INTO uppf_rates (tenant_id, " OMC_RATE_COLUMNS
                                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"};
constexpr db::Query kRateTaken{"uppf.rate_taken", R"sql(
    SELECT 1 FROM uppf_rates WHERE tenant_id = $1 AND effective_from = $2)sql"};
constexpr db::Query kListRates{"uppf.list_rates", "SELECT " OMC_RATE_COLUMNS R"sql(
    FROM uppf_rates WHERE tenant_id = $1 AND (effective_from <= $2 OR $2 IS NULL)
    ORDER BY effective_from DESC LIMIT $3)sql"};
#undef OMC_RATE_COLUMNS

// ---- routes ----

struct Route {
    Uuid id;
    std::string depot;
    Uuid station_id;
    bool active = true;
    std::string created_by;
    TimestampUs created_at_us = 0;
    TimestampUs updated_at_us = 0;
};

Route RouteFromRow(const db::Row& row) {
    return Route{.id = row.Id(0),
                 .depot = row.Text(1),
                 .station_id = row.Id(2),
                 .active = row.Bool(3),
                 .created_by = row.Text(4),
                 .created_at_us = row.Int(5),
                 .updated_at_us = row.Int(6)};
}

// The route with its distance versions (newest first) and the one in force today.
Result<json> RouteJson(const UppfDeps& deps, db::Transaction& tx, const TenantId& tenant,
                       const Route& r) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx.Query(kRouteDistances, {tenant, r.id, kMaxVersions}));
    const std::string today = Today(deps);
    json versions = json::array();
    json current = nullptr;
    for (const db::Row& row : rows) {
        json v{{"effective_from", row.Text(0)},
               {"distance_km", FormatDistance(row.Int(1))},
               {"note", OptionalText(row.OptText(2))},
               {"recorded_by", row.Text(3)},
               {"recorded_at", FormatTimestamp(row.Int(4))}};
        if (current.is_null() && row.Text(0) <= today) current = v;
        versions.push_back(std::move(v));
    }
    return json{{"id", r.id.ToString()},
                {"depot", r.depot},
                {"station_id", r.station_id.ToString()},
                {"active", r.active},
                {"distance_km", current.is_null() ? json(nullptr) : current["distance_km"]},
                {"effective_from", current.is_null() ? json(nullptr) : current["effective_from"]},
                {"distances", std::move(versions)},
                {"created_by", r.created_by},
                {"created_at", FormatTimestamp(r.created_at_us)},
                {"updated_at", FormatTimestamp(r.updated_at_us)}};
}

std::string RequiredDate(http::JsonBody& body, std::string_view name) {
    std::string text = body.RequiredString(name, 10);
    if (!text.empty() && !ParseDateDays(text)) {
        body.AddError(name, "must be a date YYYY-MM-DD such as 2026-11-21");
    }
    return text;
}

// The station named by a body's `station_id`, if the caller sees it (422 otherwise).
Result<void> CheckStation(db::Transaction& tx, const http::RequestContext& ctx, const Uuid& station,
                          std::string_view field) {
    OMC_ASSIGN_OR_RETURN(const std::optional<identity::StationRef> found,
                         identity::FindVisibleStation(tx, CallerOf(ctx), station));
    if (!found) {
        return Error(ErrorCode::kUnprocessable, "unknown reference",
                     {{std::string(field), "no such station"}});
    }
    return Ok();
}

Result<http::Reply> CreateRoute(const UppfDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"id", "depot", "station_id", "distance_km", "effective_from", "note"});
    const std::optional<Uuid> id = body.OptionalUuid("id");
    const std::string depot = body.RequiredString("depot", kTextMaxLength);
    const Uuid station = body.RequiredUuid("station_id");
    const int64_t distance =
        body.RequiredDecimal("distance_km", kDistanceScale, 1, kMaxDistanceKmE1);
    const std::string from = RequiredDate(body, "effective_from");
    const std::optional<std::string> note = body.OptionalString("note", kNoteMaxLength);
    const std::string key = DepotKey(depot);
    if (!depot.empty() && key.empty()) body.AddError("depot", "must not be blank");
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_TRY(CheckStation(*tx, ctx, station, "station_id"));
    OMC_ASSIGN_OR_RETURN(const db::Rows taken,
                         tx->Query(kRouteTaken, {ctx.tenant(), key, station}));
    if (!taken.empty()) {
        return Error(ErrorCode::kConflict, "route already recorded",
                     {{"depot", "a route from this depot to station_id exists (" +
                                    taken[0].Id(0).ToString() + "): PATCH its distance"}});
    }
    const Route r{.id = id.value_or(deps.ids->NewV7()),
                  .depot = depot,
                  .station_id = station,
                  .active = true,
                  .created_by = CallerOf(ctx).subject,
                  .created_at_us = deps.clock->NowUs(),
                  .updated_at_us = deps.clock->NowUs()};
    OMC_TRY(tx->Execute(kInsertRoute, {ctx.tenant(), r.id, r.depot, key, r.station_id, r.created_by,
                                       r.created_at_us}));
    OMC_TRY(tx->Execute(kInsertDistance,
                        {ctx.tenant(), r.id, from, distance, note, r.created_by, r.created_at_us}));
    OMC_ASSIGN_OR_RETURN(json state, RouteJson(deps, *tx, ctx.tenant(), r));
    OMC_TRY(RecordChange(deps, ctx, *tx, "uppf.route_created", "uppf_route", r.id, state));
    return http::Created(std::move(state), "/api/v1/uppf/routes", r.id);
}

Result<Route> FindRoute(db::Transaction& tx, const http::RequestContext& ctx, const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kFindRoute, {ctx.tenant(), id}));
    if (rows.empty()) return NotFound("route");
    Route r = RouteFromRow(rows[0]);
    OMC_ASSIGN_OR_RETURN(const std::optional<identity::StationRef> station,
                         identity::FindVisibleStation(tx, CallerOf(ctx), r.station_id));
    if (!station) return NotFound("route");
    return r;
}

// A new distance from `effective_from` on (history is appended, not edited), and/or `active`.
Result<http::Reply> UpdateRoute(const UppfDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"distance_km", "effective_from", "note", "active"});
    const std::optional<int64_t> distance =
        body.OptionalDecimal("distance_km", kDistanceScale, 1, kMaxDistanceKmE1);
    std::optional<std::string> from;
    if (distance || body.Has("effective_from")) from = RequiredDate(body, "effective_from");
    const std::optional<std::string> note = body.OptionalString("note", kNoteMaxLength);
    const std::optional<bool> active = body.OptionalBool("active");
    if (from && !distance && !body.HasErrors()) {
        body.AddError("distance_km", "is required with effective_from");
    }
    if (!distance && !active && !body.HasErrors()) {
        body.AddError("distance_km", "give distance_km and effective_from, or active");
    }
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(Route r, FindRoute(*tx, ctx, id));
    const TimestampUs now = deps.clock->NowUs();
    if (distance) {
        OMC_ASSIGN_OR_RETURN(const db::Rows taken,
                             tx->Query(kDistanceTaken, {ctx.tenant(), r.id, *from}));
        if (!taken.empty()) {
            return Error(ErrorCode::kConflict, "distance already recorded",
                         {{"effective_from", "the route has a distance from this date"}});
        }
        OMC_TRY(tx->Execute(kInsertDistance, {ctx.tenant(), r.id, *from, *distance, note,
                                              CallerOf(ctx).subject, now}));
    }
    if (active) r.active = *active;
    r.updated_at_us = now;
    OMC_TRY(tx->Execute(kUpdateRoute, {ctx.tenant(), r.id, r.active, now}));
    OMC_ASSIGN_OR_RETURN(json state, RouteJson(deps, *tx, ctx.tenant(), r));
    OMC_TRY(RecordChange(deps, ctx, *tx, "uppf.route_updated", "uppf_route", r.id, state));
    return http::Answer(std::move(state));
}

Result<http::Reply> GetRoute(const UppfDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Route r, FindRoute(*tx, ctx, id));
    OMC_ASSIGN_OR_RETURN(json state, RouteJson(deps, *tx, ctx.tenant(), r));
    return http::Answer(std::move(state));
}

Result<http::Reply> ListRoutes(const UppfDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, http::PageAfter(page));
    OMC_ASSIGN_OR_RETURN(const std::optional<Uuid> station, http::QueryUuid(ctx, "station_id"));
    std::optional<std::string> depot = ctx.request().QueryParam("depot");
    if (depot) depot = DepotKey(*depot);
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    if (station) {
        OMC_ASSIGN_OR_RETURN(const std::optional<identity::StationRef> found,
                             identity::FindVisibleStation(*tx, CallerOf(ctx), *station));
        if (!found) return NotFound("station");
    }
    OMC_ASSIGN_OR_RETURN(
        const db::Rows rows,
        tx->Query(kListRoutes, {ctx.tenant(), after, page.limit + 1, station, depot}));
    std::vector<Route> routes;
    for (const db::Row& row : rows) routes.push_back(RouteFromRow(row));
    std::optional<std::string> next_cursor;
    if (routes.size() > static_cast<size_t>(page.limit)) {
        routes.resize(static_cast<size_t>(page.limit));
        next_cursor = routes.back().id.ToString();
    }
    json items = json::array();
    for (const Route& r : routes) {
        OMC_ASSIGN_OR_RETURN(json item, RouteJson(deps, *tx, ctx.tenant(), r));
        items.push_back(std::move(item));
    }
    return http::Reply::PageOf(std::move(items), std::move(next_cursor));
}

// ---- rates ----

RateRow RateFromRow(const db::Row& row) {
    return RateRow{
        .id = row.Id(0),
        .effective_from = row.Text(1),
        .rate = {.rate_per_litre_km_e4 = row.Int(2),
                 .max_distance_km_e1 = row.OptInt(3),
                 .min_distance_km_e1 = row.OptInt(4),
                 .basis = ParseQuantityBasis(row.Text(5)).value_or(QuantityBasis::kLoaded)}};
}

json RateJson(const db::Row& row) {
    const RateRow r = RateFromRow(row);
    return json{{"id", r.id.ToString()},
                {"effective_from", r.effective_from},
                {"rate_per_litre_km", FormatRate(r.rate.rate_per_litre_km_e4)},
                {"max_distance_km", OptionalDistance(r.rate.max_distance_km_e1)},
                {"min_distance_km", OptionalDistance(r.rate.min_distance_km_e1)},
                {"quantity_basis", std::string(QuantityBasisName(r.rate.basis))},
                {"note", OptionalText(row.OptText(6))},
                {"recorded_by", row.Text(7)},
                {"recorded_at", FormatTimestamp(row.Int(8))}};
}

Result<http::Reply> CreateRate(const UppfDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"id", "effective_from", "rate_per_litre_km", "max_distance_km",
                        "min_distance_km", "quantity_basis", "note"});
    const Uuid id = body.OptionalUuid("id").value_or(deps.ids->NewV7());
    const std::string from = RequiredDate(body, "effective_from");
    const int64_t rate =
        body.RequiredDecimal("rate_per_litre_km", kRateScale, 1, kMaxRatePerLitreKmE4);
    const std::optional<int64_t> max_km =
        body.OptionalDecimal("max_distance_km", kDistanceScale, 1, kMaxDistanceKmE1);
    const std::optional<int64_t> min_km =
        body.OptionalDecimal("min_distance_km", kDistanceScale, 0, kMaxDistanceKmE1);
    const std::string basis =
        body.OptionalEnum("quantity_basis", {"loaded", "received"}).value_or("loaded");
    const std::optional<std::string> note = body.OptionalString("note", kNoteMaxLength);
    if (max_km && min_km && *min_km >= *max_km) {
        body.AddError("min_distance_km", "must be below max_distance_km");
    }
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows taken, tx->Query(kRateTaken, {ctx.tenant(), from}));
    if (!taken.empty()) {
        return Error(ErrorCode::kConflict, "rate already recorded",
                     {{"effective_from", "a rate starts on this date"}});
    }
    const TimestampUs now = deps.clock->NowUs();
    OMC_TRY(tx->Execute(kInsertRate, {ctx.tenant(), id, from, rate, max_km, min_km, basis, note,
                                      CallerOf(ctx).subject, now}));
    OMC_ASSIGN_OR_RETURN(const db::Rows stored, tx->Query(kListRates, {ctx.tenant(), from, 1}));
    ERP_INVARIANT(!stored.empty() && stored[0].Id(0) == id, "the rate just written reads back");
    json state = RateJson(stored[0]);
    OMC_TRY(RecordChange(deps, ctx, *tx, "uppf.rate_set", "uppf_rate", id, state));
    return http::Created(std::move(state), "/api/v1/uppf/rates", id);
}

// Every rate, newest first; with ?date= only the one in force on that date (0 or 1 item).
Result<http::Reply> ListRates(const UppfDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const std::optional<std::string> date, http::QueryDate(ctx, "date"));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kListRates, {ctx.tenant(), date, date ? 1 : kMaxVersions}));
    json items = json::array();
    for (const db::Row& row : rows) items.push_back(RateJson(row));
    return http::Answer(std::move(items));
}

}  // namespace

Result<std::optional<RouteDistance>> RouteDistanceOn(db::Transaction& tx, const TenantId& tenant,
                                                     const std::string& depot_key,
                                                     const Uuid& station, const std::string& date) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx.Query(kRouteDistanceOn, {tenant, depot_key, station, date}));
    if (rows.empty()) return std::optional<RouteDistance>();
    return std::optional<RouteDistance>(
        RouteDistance{.route_id = rows[0].Id(0), .distance_km_e1 = rows[0].Int(1)});
}

Result<std::optional<RateRow>> RateOn(db::Transaction& tx, const TenantId& tenant,
                                      const std::string& date) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kListRates, {tenant, date, 1}));
    if (rows.empty()) return std::optional<RateRow>();
    return std::optional<RateRow>(RateFromRow(rows[0]));
}

void RegisterSettingsRoutes(http::Router& router, const UppfDeps& deps) {
    using http::Method;
    router.Add(ReadRoute("/api/v1/uppf/routes", "uppf.routes.list", deps, ListRoutes));
    router.Add(
        WriteRoute(Method::kPost, "/api/v1/uppf/routes", "uppf.routes.create", deps, CreateRoute));
    router.Add(ReadRoute("/api/v1/uppf/routes/{id}", "uppf.routes.get", deps, GetRoute));
    router.Add(WriteRoute(Method::kPatch, "/api/v1/uppf/routes/{id}", "uppf.routes.update", deps,
                          UpdateRoute));
    router.Add(ReadRoute("/api/v1/uppf/rates", "uppf.rates.list", deps, ListRates));
    router.Add(
        WriteRoute(Method::kPost, "/api/v1/uppf/rates", "uppf.rates.create", deps, CreateRate));
}

}  // namespace omc::uppf
