#include "domains/forecourt/equipment.hpp"

#include <utility>

#include "domains/forecourt/catalog.hpp"
#include "domains/forecourt/common.hpp"
#include "platform/http/json_body.hpp"

namespace omc::forecourt {
namespace {

using nlohmann::json;

constexpr size_t kCodeMaxLength = 32;
// 1,000,000 L (or kg): above the largest station tank, far below overflow.
constexpr int64_t kMaxTankMilli = 1'000'000'000LL;
constexpr int64_t kMaxWaterLimitMm = 5'000;
constexpr int64_t kMaxNozzleNumber = 99;
constexpr int64_t kMaxTotalizerMilli = 1'000'000'000'000'000LL;  // 10^12 units

#define OMC_TANK_COLUMNS                                                                   \
    "id, station_id, code, product_id, capacity_milli, safe_fill_milli, low_level_milli, " \
    "water_limit_mm, book_stock_milli, active, created_at_us, updated_at_us"

constexpr db::Query kFindTank{"forecourt.find_tank",
                              "SELECT " OMC_TANK_COLUMNS
                              " FROM tanks WHERE tenant_id = $1 AND id = $2"};
constexpr db::Query kLockTank{"forecourt.lock_tank",
                              "UPDATE tanks SET updated_at_us = updated_at_us "
                              "WHERE tenant_id = $1 AND id = $2 RETURNING " OMC_TANK_COLUMNS};
constexpr db::Query kStationTanks{"forecourt.station_tanks",
                                  "SELECT " OMC_TANK_COLUMNS
                                  " FROM tanks WHERE tenant_id = $1 AND station_id = $2 "
                                  "ORDER BY code"};
constexpr db::Query kListTanks{"forecourt.list_tanks", "SELECT " OMC_TANK_COLUMNS R"sql(
    FROM tanks
    WHERE tenant_id = $1 AND id > $2 AND (station_id = $4 OR $4 IS NULL)
      AND (CAST($5 AS TEXT) IS NULL OR (',' || CAST($5 AS TEXT) || ',') LIKE ('%,' || station_id || ',%'))
    ORDER BY id LIMIT $3)sql"};
constexpr db::Query kInsertTank{"forecourt.insert_tank", R"sql(
    INSERT INTO tanks (tenant_id, id, station_id, code, product_id, capacity_milli,
                       safe_fill_milli, low_level_milli, water_limit_mm, book_stock_milli, active,
                       created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $11, $11))sql"};
constexpr db::Query kUpdateTank{"forecourt.update_tank", R"sql(
    UPDATE tanks SET capacity_milli = $3, safe_fill_milli = $4, low_level_milli = $5,
                     water_limit_mm = $6, active = $7, updated_at_us = $8
    WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kTankCodeTaken{"forecourt.tank_code_taken", R"sql(
    SELECT 1 FROM tanks WHERE tenant_id = $1 AND station_id = $2 AND code = $3)sql"};

#undef OMC_TANK_COLUMNS

constexpr db::Query kFindPump{"forecourt.find_pump", R"sql(
    SELECT id, station_id, code, active, created_at_us, updated_at_us FROM pumps
    WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kListPumps{"forecourt.list_pumps", R"sql(
    SELECT id, station_id, code, active, created_at_us, updated_at_us FROM pumps
    WHERE tenant_id = $1 AND id > $2 AND (station_id = $4 OR $4 IS NULL)
      AND (CAST($5 AS TEXT) IS NULL OR (',' || CAST($5 AS TEXT) || ',') LIKE ('%,' || station_id || ',%'))
    ORDER BY id LIMIT $3)sql"};
constexpr db::Query kStationPumps{"forecourt.station_pumps", R"sql(
    SELECT id, station_id, code, active, created_at_us, updated_at_us FROM pumps
    WHERE tenant_id = $1 AND station_id = $2 ORDER BY code)sql"};
constexpr db::Query kPumpCodeTaken{"forecourt.pump_code_taken", R"sql(
    SELECT 1 FROM pumps WHERE tenant_id = $1 AND station_id = $2 AND code = $3)sql"};
constexpr db::Query kInsertPump{"forecourt.insert_pump", R"sql(
    INSERT INTO pumps (tenant_id, id, station_id, code, active, created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, TRUE, $5, $5))sql"};

#define OMC_NOZZLE_COLUMNS                                                                  \
    "n.id, n.station_id, n.pump_id, n.number, n.tank_id, t.product_id, n.totalizer_milli, " \
    "n.active, n.created_at_us, n.updated_at_us"
#define OMC_NOZZLE_FROM \
    " FROM nozzles n JOIN tanks t ON t.tenant_id = n.tenant_id AND t.id = n.tank_id "

constexpr db::Query kFindNozzle{"forecourt.find_nozzle",
                                "SELECT " OMC_NOZZLE_COLUMNS OMC_NOZZLE_FROM
                                "WHERE n.tenant_id = $1 AND n.id = $2"};
constexpr db::Query kStationNozzles{"forecourt.station_nozzles",
                                    "SELECT " OMC_NOZZLE_COLUMNS OMC_NOZZLE_FROM
                                    "WHERE n.tenant_id = $1 AND n.station_id = $2 "
                                    "ORDER BY n.pump_id, n.number"};
constexpr db::Query kListNozzles{"forecourt.list_nozzles",
                                 "SELECT " OMC_NOZZLE_COLUMNS OMC_NOZZLE_FROM R"sql(
    WHERE n.tenant_id = $1 AND n.id > $2 AND (n.station_id = $4 OR $4 IS NULL)
      AND (n.pump_id = $5 OR $5 IS NULL)
      AND (CAST($6 AS TEXT) IS NULL OR (',' || CAST($6 AS TEXT) || ',') LIKE ('%,' || n.station_id || ',%'))
    ORDER BY n.id LIMIT $3)sql"};

#undef OMC_NOZZLE_FROM
#undef OMC_NOZZLE_COLUMNS

constexpr db::Query kNozzleNumberTaken{"forecourt.nozzle_number_taken", R"sql(
    SELECT 1 FROM nozzles WHERE tenant_id = $1 AND pump_id = $2 AND number = $3)sql"};
constexpr db::Query kInsertNozzle{"forecourt.insert_nozzle", R"sql(
    INSERT INTO nozzles (tenant_id, id, station_id, pump_id, number, tank_id, totalizer_milli,
                         active, created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8, $8))sql"};
constexpr db::Query kUpdateNozzle{"forecourt.update_nozzle", R"sql(
    UPDATE nozzles SET tank_id = $3, active = $4, updated_at_us = $5
    WHERE tenant_id = $1 AND id = $2)sql"};

Tank TankFromRow(const db::Row& row) {
    return Tank{.id = row.Id(0),
                .station_id = row.Id(1),
                .code = row.Text(2),
                .product_id = row.Id(3),
                .capacity_milli = row.Int(4),
                .safe_fill_milli = row.Int(5),
                .low_level_milli = row.Int(6),
                .water_limit_mm = row.Int(7),
                .book_stock_milli = row.Int(8),
                .active = row.Bool(9),
                .created_at_us = row.Int(10),
                .updated_at_us = row.Int(11)};
}

Nozzle NozzleFromRow(const db::Row& row) {
    return Nozzle{.id = row.Id(0),
                  .station_id = row.Id(1),
                  .pump_id = row.Id(2),
                  .number = row.Int(3),
                  .tank_id = row.Id(4),
                  .product_id = row.Id(5),
                  .totalizer_milli = row.Int(6),
                  .active = row.Bool(7),
                  .created_at_us = row.Int(8),
                  .updated_at_us = row.Int(9)};
}

json NozzleJson(const Nozzle& n) {
    return json{{"id", n.id.ToString()},
                {"station_id", n.station_id.ToString()},
                {"pump_id", n.pump_id.ToString()},
                {"number", n.number},
                {"tank_id", n.tank_id.ToString()},
                {"product_id", n.product_id.ToString()},
                {"totalizer", FormatQuantity(n.totalizer_milli)},
                {"active", n.active},
                {"created_at", FormatTimestamp(n.created_at_us)},
                {"updated_at", FormatTimestamp(n.updated_at_us)}};
}

struct Pump {
    Uuid id;
    Uuid station_id;
    std::string code;
    bool active = true;
    TimestampUs created_at_us = 0;
    TimestampUs updated_at_us = 0;
};

Pump PumpFromRow(const db::Row& row) {
    return Pump{.id = row.Id(0),
                .station_id = row.Id(1),
                .code = row.Text(2),
                .active = row.Bool(3),
                .created_at_us = row.Int(4),
                .updated_at_us = row.Int(5)};
}

json PumpJson(const Pump& p) {
    return json{{"id", p.id.ToString()},
                {"station_id", p.station_id.ToString()},
                {"code", p.code},
                {"active", p.active},
                {"created_at", FormatTimestamp(p.created_at_us)},
                {"updated_at", FormatTimestamp(p.updated_at_us)}};
}

// The pump as GET /api/v1/pumps/{id} shows it: with its nozzles (taken from `nozzles`, the
// station's).
json PumpWithNozzlesJson(const Pump& pump, const std::vector<Nozzle>& nozzles) {
    json data = PumpJson(pump);
    data["nozzles"] = json::array();
    for (const Nozzle& n : nozzles) {
        if (n.pump_id == pump.id) data["nozzles"].push_back(NozzleJson(n));
    }
    return data;
}

std::optional<std::string> ReadCode(http::JsonBody& body) {
    const std::string raw = body.RequiredString("code", kCodeMaxLength);
    if (raw.empty()) return std::nullopt;
    std::optional<std::string> code = identity::NormaliseCode(raw);
    if (!code) body.AddError("code", "must be 1 to 32 of the characters A-Z, a-z, 0-9, _ and -");
    return code;
}

Error Unknown(std::string field, std::string message) {
    return Error(ErrorCode::kUnprocessable, "unknown reference",
                 {{std::move(field), std::move(message)}});
}

// The three levels of a tank must nest: low level < safe fill <= capacity.
std::vector<FieldError> TankLevelErrors(const Tank& t) {
    std::vector<FieldError> errors;
    if (t.safe_fill_milli > t.capacity_milli) {
        errors.push_back({"safe_fill", "must not exceed capacity"});
    }
    if (t.low_level_milli >= t.safe_fill_milli) {
        errors.push_back({"low_level", "must be below safe_fill"});
    }
    return errors;
}

// ---- tanks ----

Result<http::Reply> ListTanks(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, PageAfter(page));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const StationFilter filter, ListFilter(*tx, ctx));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kListTanks, {ctx.tenant(), after, page.limit + 1, filter.station,
                                                filter.scope_list}));
    std::vector<Tank> tanks;
    for (const db::Row& row : rows) tanks.push_back(TankFromRow(row));
    return PageReply(std::move(tanks), page.limit, TankJson);
}

// The tank when the caller sees its station; kNotFound otherwise.
Result<Tank> VisibleTank(db::Transaction& tx, const http::RequestContext& ctx, const Uuid& id,
                         bool lock) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx.Query(lock ? kLockTank : kFindTank, {ctx.tenant(), id}));
    if (rows.empty()) return NotFoundError("tank");
    Tank tank = TankFromRow(rows[0]);
    OMC_ASSIGN_OR_RETURN(const std::optional<identity::StationRef> station,
                         identity::FindVisibleStation(tx, CallerOf(ctx), tank.station_id));
    if (!station) return NotFoundError("tank");
    return tank;
}

Result<http::Reply> GetTank(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Tank tank, VisibleTank(*tx, ctx, id, /*lock=*/false));
    return Answer(TankJson(tank));
}

Result<http::Reply> CreateTank(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"station_id", "code", "product_id", "capacity", "safe_fill", "low_level",
                        "water_limit_mm", "active"});
    const Uuid station_id = body.RequiredUuid("station_id");
    const std::optional<std::string> code = ReadCode(body);
    const Uuid product_id = body.RequiredUuid("product_id");
    Tank tank;
    tank.capacity_milli = body.RequiredDecimal("capacity", kQuantityScale, 1, kMaxTankMilli);
    tank.safe_fill_milli = body.RequiredDecimal("safe_fill", kQuantityScale, 1, kMaxTankMilli);
    tank.low_level_milli = body.RequiredDecimal("low_level", kQuantityScale, 0, kMaxTankMilli);
    tank.water_limit_mm = body.RequiredInt64("water_limit_mm", 0, kMaxWaterLimitMm);
    tank.active = body.OptionalBool("active").value_or(true);
    OMC_TRY(body.Finish());
    if (std::vector<FieldError> errors = TankLevelErrors(tank); !errors.empty()) {
        return Error(ErrorCode::kInvalidArgument, "invalid request", std::move(errors));
    }

    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_TRY(VisibleStation(*tx, ctx, station_id, "station_id"));
    OMC_ASSIGN_OR_RETURN(const std::optional<Product> product,
                         FindProduct(*tx, ctx.tenant(), product_id));
    if (!product) return Unknown("product_id", "no such product");
    if (product->kind != ProductKind::kFuel) {
        return InvalidArgument("product_id", "a tank holds a fuel");
    }
    OMC_ASSIGN_OR_RETURN(const db::Rows taken,
                         tx->Query(kTankCodeTaken, {ctx.tenant(), station_id, *code}));
    if (!taken.empty()) {
        return Error(ErrorCode::kConflict, "code already in use",
                     {{"code", "is already used by another tank of this station"}});
    }
    const TimestampUs now = deps.clock->NowUs();
    tank.id = deps.ids->NewV7();
    tank.station_id = station_id;
    tank.code = *code;
    tank.product_id = product_id;
    tank.created_at_us = now;
    tank.updated_at_us = now;
    OMC_TRY(tx->Execute(
        kInsertTank,
        {ctx.tenant(), tank.id, station_id, tank.code, product_id, tank.capacity_milli,
         tank.safe_fill_milli, tank.low_level_milli, tank.water_limit_mm, tank.active, now}));
    json state = TankJson(tank);
    OMC_TRY(RecordChange(deps, ctx, *tx, "forecourt.tank_created", "tank", tank.id, state));
    return Created(std::move(state), "/api/v1/tanks", tank.id);
}

Result<http::Reply> UpdateTank(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"capacity", "safe_fill", "low_level", "water_limit_mm", "active"});
    if (body.raw().is_object() && body.raw().empty()) {
        body.AddError("body", "must name at least one field to change");
    }
    const auto capacity = body.OptionalDecimal("capacity", kQuantityScale, 1, kMaxTankMilli);
    const auto safe_fill = body.OptionalDecimal("safe_fill", kQuantityScale, 1, kMaxTankMilli);
    const auto low_level = body.OptionalDecimal("low_level", kQuantityScale, 0, kMaxTankMilli);
    const auto water_limit = body.OptionalInt64("water_limit_mm", 0, kMaxWaterLimitMm);
    const auto active = body.OptionalBool("active");
    OMC_TRY(body.Finish());

    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(Tank tank, VisibleTank(*tx, ctx, id, /*lock=*/true));
    if (capacity) tank.capacity_milli = *capacity;
    if (safe_fill) tank.safe_fill_milli = *safe_fill;
    if (low_level) tank.low_level_milli = *low_level;
    if (water_limit) tank.water_limit_mm = *water_limit;
    if (active) tank.active = *active;
    if (std::vector<FieldError> errors = TankLevelErrors(tank); !errors.empty()) {
        return Error(ErrorCode::kInvalidArgument, "invalid request", std::move(errors));
    }
    tank.updated_at_us = deps.clock->NowUs();
    OMC_TRY(tx->Execute(
        kUpdateTank, {ctx.tenant(), id, tank.capacity_milli, tank.safe_fill_milli,
                      tank.low_level_milli, tank.water_limit_mm, tank.active, tank.updated_at_us}));
    json state = TankJson(tank);
    OMC_TRY(RecordChange(deps, ctx, *tx, "forecourt.tank_updated", "tank", id, state));
    return Answer(std::move(state));
}

// ---- pumps ----

Result<http::Reply> ListPumps(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, PageAfter(page));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const StationFilter filter, ListFilter(*tx, ctx));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kListPumps, {ctx.tenant(), after, page.limit + 1, filter.station,
                                                filter.scope_list}));
    std::vector<Pump> pumps;
    for (const db::Row& row : rows) pumps.push_back(PumpFromRow(row));
    return PageReply(std::move(pumps), page.limit, PumpJson);
}

Result<Pump> VisiblePump(db::Transaction& tx, const http::RequestContext& ctx, const Uuid& id,
                         std::optional<std::string_view> field = std::nullopt) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kFindPump, {ctx.tenant(), id}));
    std::optional<Pump> pump;
    if (!rows.empty()) pump = PumpFromRow(rows[0]);
    if (pump) {
        OMC_ASSIGN_OR_RETURN(const std::optional<identity::StationRef> station,
                             identity::FindVisibleStation(tx, CallerOf(ctx), pump->station_id));
        if (!station) pump.reset();
    }
    if (pump) return *pump;
    if (field) return Unknown(std::string(*field), "no such pump");
    return NotFoundError("pump");
}

Result<http::Reply> GetPump(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Pump pump, VisiblePump(*tx, ctx, id));
    OMC_ASSIGN_OR_RETURN(const std::vector<Nozzle> nozzles,
                         StationNozzles(*tx, ctx.tenant(), pump.station_id));
    return Answer(PumpWithNozzlesJson(pump, nozzles));
}

Result<http::Reply> CreatePump(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"station_id", "code"});
    const Uuid station_id = body.RequiredUuid("station_id");
    const std::optional<std::string> code = ReadCode(body);
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_TRY(VisibleStation(*tx, ctx, station_id, "station_id"));
    OMC_ASSIGN_OR_RETURN(const db::Rows taken,
                         tx->Query(kPumpCodeTaken, {ctx.tenant(), station_id, *code}));
    if (!taken.empty()) {
        return Error(ErrorCode::kConflict, "code already in use",
                     {{"code", "is already used by another pump of this station"}});
    }
    const TimestampUs now = deps.clock->NowUs();
    const Pump pump{.id = deps.ids->NewV7(),
                    .station_id = station_id,
                    .code = *code,
                    .active = true,
                    .created_at_us = now,
                    .updated_at_us = now};
    OMC_TRY(tx->Execute(kInsertPump, {ctx.tenant(), pump.id, station_id, pump.code, now}));
    json state = PumpJson(pump);
    OMC_TRY(RecordChange(deps, ctx, *tx, "forecourt.pump_created", "pump", pump.id, state));
    return Created(std::move(state), "/api/v1/pumps", pump.id);
}

// ---- nozzles ----

Result<http::Reply> ListNozzles(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, PageAfter(page));
    OMC_ASSIGN_OR_RETURN(const std::optional<Uuid> pump, QueryUuid(ctx, "pump_id"));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const StationFilter filter, ListFilter(*tx, ctx));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kListNozzles, {ctx.tenant(), after, page.limit + 1,
                                                  filter.station, pump, filter.scope_list}));
    std::vector<Nozzle> nozzles;
    for (const db::Row& row : rows) nozzles.push_back(NozzleFromRow(row));
    return PageReply(std::move(nozzles), page.limit, NozzleJson);
}

Result<Nozzle> VisibleNozzle(db::Transaction& tx, const http::RequestContext& ctx, const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(const std::optional<Nozzle> nozzle, FindNozzle(tx, ctx.tenant(), id));
    if (!nozzle) return NotFoundError("nozzle");
    OMC_ASSIGN_OR_RETURN(const std::optional<identity::StationRef> station,
                         identity::FindVisibleStation(tx, CallerOf(ctx), nozzle->station_id));
    if (!station) return NotFoundError("nozzle");
    return *nozzle;
}

Result<http::Reply> GetNozzle(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Nozzle nozzle, VisibleNozzle(*tx, ctx, id));
    return Answer(NozzleJson(nozzle));
}

// The tank a nozzle may draw from: of the pump's station, and present.
Result<Tank> TankForNozzle(db::Transaction& tx, const TenantId& tenant, const Uuid& tank_id,
                           const Uuid& station_id) {
    OMC_ASSIGN_OR_RETURN(const std::optional<Tank> tank, FindTank(tx, tenant, tank_id));
    if (!tank) return Unknown("tank_id", "no such tank");
    if (tank->station_id != station_id) {
        return InvalidArgument("tank_id", "must be a tank of the pump's station");
    }
    return *tank;
}

Result<http::Reply> CreateNozzle(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"pump_id", "number", "tank_id", "totalizer"});
    const Uuid pump_id = body.RequiredUuid("pump_id");
    const int64_t number = body.RequiredInt64("number", 1, kMaxNozzleNumber);
    const Uuid tank_id = body.RequiredUuid("tank_id");
    const int64_t totalizer =
        body.OptionalDecimal("totalizer", kQuantityScale, 0, kMaxTotalizerMilli).value_or(0);
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Pump pump, VisiblePump(*tx, ctx, pump_id, "pump_id"));
    OMC_ASSIGN_OR_RETURN(const Tank tank,
                         TankForNozzle(*tx, ctx.tenant(), tank_id, pump.station_id));
    OMC_ASSIGN_OR_RETURN(const db::Rows taken,
                         tx->Query(kNozzleNumberTaken, {ctx.tenant(), pump_id, number}));
    if (!taken.empty()) {
        return Error(ErrorCode::kConflict, "number already in use",
                     {{"number", "is already used by another nozzle of this pump"}});
    }
    const TimestampUs now = deps.clock->NowUs();
    const Nozzle nozzle{.id = deps.ids->NewV7(),
                        .station_id = pump.station_id,
                        .pump_id = pump_id,
                        .number = number,
                        .tank_id = tank_id,
                        .product_id = tank.product_id,
                        .totalizer_milli = totalizer,
                        .active = true,
                        .created_at_us = now,
                        .updated_at_us = now};
    OMC_TRY(tx->Execute(kInsertNozzle, {ctx.tenant(), nozzle.id, nozzle.station_id, pump_id, number,
                                        tank_id, totalizer, now}));
    json state = NozzleJson(nozzle);
    OMC_TRY(RecordChange(deps, ctx, *tx, "forecourt.nozzle_created", "nozzle", nozzle.id, state));
    return Created(std::move(state), "/api/v1/nozzles", nozzle.id);
}

Result<http::Reply> UpdateNozzle(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"tank_id", "active"});
    if (body.raw().is_object() && body.raw().empty()) {
        body.AddError("body", "must name at least one field to change");
    }
    const std::optional<Uuid> tank_id = body.OptionalUuid("tank_id");
    const std::optional<bool> active = body.OptionalBool("active");
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(Nozzle nozzle, VisibleNozzle(*tx, ctx, id));
    if (tank_id) {
        OMC_ASSIGN_OR_RETURN(const Tank tank,
                             TankForNozzle(*tx, ctx.tenant(), *tank_id, nozzle.station_id));
        nozzle.tank_id = tank.id;
        nozzle.product_id = tank.product_id;
    }
    if (active) nozzle.active = *active;
    nozzle.updated_at_us = deps.clock->NowUs();
    OMC_TRY(tx->Execute(kUpdateNozzle,
                        {ctx.tenant(), id, nozzle.tank_id, nozzle.active, nozzle.updated_at_us}));
    json state = NozzleJson(nozzle);
    OMC_TRY(RecordChange(deps, ctx, *tx, "forecourt.nozzle_updated", "nozzle", id, state));
    return Answer(std::move(state));
}

}  // namespace

json TankJson(const Tank& t) {
    return json{{"id", t.id.ToString()},
                {"station_id", t.station_id.ToString()},
                {"code", t.code},
                {"product_id", t.product_id.ToString()},
                {"capacity", FormatQuantity(t.capacity_milli)},
                {"safe_fill", FormatQuantity(t.safe_fill_milli)},
                {"low_level", FormatQuantity(t.low_level_milli)},
                {"water_limit_mm", t.water_limit_mm},
                {"book_stock", FormatQuantity(t.book_stock_milli)},
                {"active", t.active},
                {"created_at", FormatTimestamp(t.created_at_us)},
                {"updated_at", FormatTimestamp(t.updated_at_us)}};
}

Result<std::optional<Tank>> FindTank(db::Transaction& tx, const TenantId& tenant, const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kFindTank, {tenant, id}));
    if (rows.empty()) return std::optional<Tank>();
    return std::optional<Tank>(TankFromRow(rows[0]));
}

Result<std::optional<Nozzle>> FindNozzle(db::Transaction& tx, const TenantId& tenant,
                                         const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kFindNozzle, {tenant, id}));
    if (rows.empty()) return std::optional<Nozzle>();
    return std::optional<Nozzle>(NozzleFromRow(rows[0]));
}

Result<std::vector<Tank>> StationTanks(db::Transaction& tx, const TenantId& tenant,
                                       const Uuid& station) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kStationTanks, {tenant, station}));
    std::vector<Tank> tanks;
    for (const db::Row& row : rows) tanks.push_back(TankFromRow(row));
    return tanks;
}

Result<std::vector<Nozzle>> StationNozzles(db::Transaction& tx, const TenantId& tenant,
                                           const Uuid& station) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kStationNozzles, {tenant, station}));
    std::vector<Nozzle> nozzles;
    for (const db::Row& row : rows) nozzles.push_back(NozzleFromRow(row));
    return nozzles;
}

Result<nlohmann::json> StationPumpsJson(db::Transaction& tx, const TenantId& tenant,
                                        const Uuid& station) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kStationPumps, {tenant, station}));
    OMC_ASSIGN_OR_RETURN(const std::vector<Nozzle> nozzles, StationNozzles(tx, tenant, station));
    json pumps = json::array();
    for (const db::Row& row : rows) pumps.push_back(PumpWithNozzlesJson(PumpFromRow(row), nozzles));
    return pumps;
}

void RegisterEquipmentRoutes(http::Router& router, const ForecourtDeps& deps) {
    using http::Method;
    router.Add(ReadRoute("/api/v1/tanks", "forecourt.tanks.list", deps, ListTanks));
    router.Add(WriteRoute(Method::kPost, "/api/v1/tanks", "forecourt.tanks.create",
                          "forecourt.setup", deps, CreateTank));
    router.Add(ReadRoute("/api/v1/tanks/{id}", "forecourt.tanks.get", deps, GetTank));
    router.Add(WriteRoute(Method::kPatch, "/api/v1/tanks/{id}", "forecourt.tanks.update",
                          "forecourt.setup", deps, UpdateTank));
    router.Add(ReadRoute("/api/v1/pumps", "forecourt.pumps.list", deps, ListPumps));
    router.Add(WriteRoute(Method::kPost, "/api/v1/pumps", "forecourt.pumps.create",
                          "forecourt.setup", deps, CreatePump));
    router.Add(ReadRoute("/api/v1/pumps/{id}", "forecourt.pumps.get", deps, GetPump));
    router.Add(ReadRoute("/api/v1/nozzles", "forecourt.nozzles.list", deps, ListNozzles));
    router.Add(WriteRoute(Method::kPost, "/api/v1/nozzles", "forecourt.nozzles.create",
                          "forecourt.setup", deps, CreateNozzle));
    router.Add(ReadRoute("/api/v1/nozzles/{id}", "forecourt.nozzles.get", deps, GetNozzle));
    router.Add(WriteRoute(Method::kPatch, "/api/v1/nozzles/{id}", "forecourt.nozzles.update",
                          "forecourt.setup", deps, UpdateNozzle));
}

}  // namespace omc::forecourt
