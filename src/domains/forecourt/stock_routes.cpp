// Stock movements other than sales: the shared writer (deliveries use it too), stock
// adjustments and a tank's movement list. Table: stock_movements (migration 0006).
#include <utility>
#include <vector>

#include "domains/forecourt/alerts.hpp"
#include "domains/forecourt/common.hpp"
#include "domains/forecourt/limits.hpp"
#include "domains/forecourt/stock_posting.hpp"
#include "domains/forecourt/wetstock_routes.hpp"
#include "platform/base/assert.hpp"

namespace omc::forecourt {
namespace {

using nlohmann::json;

constexpr size_t kReasonMaxLength = 500;

#define OMC_MOVEMENT_COLUMNS                                                                \
    "id, station_id, tank_id, kind, quantity_milli, reference_id, reason, occurred_at_us, " \
    "recorded_by"

constexpr db::Query kInsertMovement{"forecourt.insert_stock_movement",
                                    "INSERT INTO stock_movements (tenant_id, " OMC_MOVEMENT_COLUMNS
                                    R"sql()
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10))sql"};
constexpr db::Query kFindMovement{"forecourt.find_stock_movement",
                                  "SELECT " OMC_MOVEMENT_COLUMNS
                                  " FROM stock_movements WHERE tenant_id = $1 AND id = $2"};
constexpr db::Query kListMovements{"forecourt.list_stock_movements",
                                   "SELECT " OMC_MOVEMENT_COLUMNS R"sql(
    FROM stock_movements WHERE tenant_id = $1 AND tank_id = $4 AND id > $2
    ORDER BY id LIMIT $3)sql"};

#undef OMC_MOVEMENT_COLUMNS

// Stock taken out may not leave the book below zero; stock put in is always taken (a tank whose
// book is already below zero, from sales before its first delivery was recorded, still
// receives).
constexpr db::Query kMoveBookStock{"forecourt.move_book_stock_checked", R"sql(
    UPDATE tanks SET book_stock_milli = book_stock_milli + CAST($3 AS BIGINT)
    WHERE tenant_id = $1 AND id = $2
      AND (CAST($3 AS BIGINT) >= 0 OR book_stock_milli + CAST($3 AS BIGINT) >= 0))sql"};

StockMovement MovementFromRow(const db::Row& row) {
    return StockMovement{.id = row.Id(0),
                         .station_id = row.Id(1),
                         .tank_id = row.Id(2),
                         .kind = row.Text(3),
                         .quantity_milli = row.Int(4),
                         .reference_id = row.IsNull(5) ? std::optional<Uuid>() : row.Id(5),
                         .reason = row.OptText(6),
                         .occurred_at_us = row.Int(7),
                         .recorded_by = row.Text(8)};
}

json MovementJson(const StockMovement& m) {
    return json{{"id", m.id.ToString()},
                {"station_id", m.station_id.ToString()},
                {"tank_id", m.tank_id.ToString()},
                {"kind", m.kind},
                {"quantity", FormatQuantity(m.quantity_milli)},
                {"reference_id", OptionalId(m.reference_id)},
                {"reason", OptionalText(m.reason)},
                {"occurred_at", FormatTimestamp(m.occurred_at_us)},
                {"recorded_by", m.recorded_by}};
}

struct AdjustmentRequest {
    std::optional<Uuid> id;
    int64_t quantity_milli = 0;
    std::string reason;
    std::optional<TimestampUs> occurred_at_us;
};

Result<AdjustmentRequest> ParseAdjustment(const http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"id", "quantity", "reason", "occurred_at"});
    AdjustmentRequest r;
    r.id = body.OptionalUuid("id");
    r.quantity_milli =
        body.RequiredDecimal("quantity", kQuantityScale, -kMaxTankVolumeMl, kMaxTankVolumeMl);
    r.reason = body.RequiredString("reason", kReasonMaxLength);
    r.occurred_at_us = OptionalTime(body, "occurred_at");
    if (!body.HasErrors() && r.quantity_milli == 0) body.AddError("quantity", "must not be zero");
    if (!body.HasErrors() && r.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
        body.AddError("reason", "must not be blank");
    }
    OMC_TRY(body.Finish());
    return r;
}

Result<http::Reply> CreateAdjustment(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid tank_id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(const AdjustmentRequest req, ParseAdjustment(ctx));
    const TimestampUs now = deps.clock->NowUs();
    const TimestampUs occurred_at = req.occurred_at_us.value_or(now);
    if (occurred_at > now + kClockSkewUs) {
        return InvalidArgument("occurred_at", "must not be in the future");
    }
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Tank tank, TankInScope(*tx, ctx, tank_id));
    const Uuid id = req.id.value_or(deps.ids->NewV7());
    OMC_ASSIGN_OR_RETURN(const db::Rows existing, tx->Query(kFindMovement, {ctx.tenant(), id}));
    if (!existing.empty()) {
        return Error(ErrorCode::kConflict, "adjustment already recorded",
                     {{"id", "a stock movement with this id is already recorded"}});
    }
    const StockMovement m{.id = id,
                          .station_id = tank.station_id,
                          .tank_id = tank.id,
                          .kind = "adjustment",
                          .quantity_milli = req.quantity_milli,
                          .reason = req.reason,
                          .occurred_at_us = occurred_at,
                          .recorded_by = CallerOf(ctx).subject};
    // The stock's value before the adjustment gives its average cost.
    OMC_ASSIGN_OR_RETURN(
        const StockValue before,
        StationStockValue(*tx, ctx.tenant(), *deps.ids, now, tank.station_id, tank.product_id));
    OMC_TRY(RecordStockMovement(*tx, ctx.tenant(), m));
    OMC_ASSIGN_OR_RETURN(
        const int64_t cost,
        PostStockAdjustment(*tx, ctx.tenant(), *deps.ids, now, m.id, tank.station_id,
                            tank.product_id, m.quantity_milli, before, FormatDate(occurred_at)));
    OMC_ASSIGN_OR_RETURN(const std::optional<Tank> moved, FindTank(*tx, ctx.tenant(), tank.id));
    ERP_INVARIANT(moved.has_value(), "the adjusted tank exists");
    json state = MovementJson(m);
    state["book_stock"] = FormatQuantity(moved->book_stock_milli);
    state["cost"] = FormatMoney(cost);
    OMC_TRY(
        RecordChange(deps, ctx, *tx, "forecourt.stock_adjusted", "stock_movement", m.id, state));
    OMC_TRY(EvaluateTankAlerts(*tx, deps, ctx.tenant(), tank.id, std::nullopt));
    return Created(std::move(state), "/api/v1/tanks/" + tank.id.ToString() + "/movements", m.id);
}

Result<http::Reply> ListMovements(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid tank_id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, PageAfter(page));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_TRY(TankInScope(*tx, ctx, tank_id));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kListMovements, {ctx.tenant(), after, page.limit + 1, tank_id}));
    std::vector<StockMovement> movements;
    for (const db::Row& row : rows) movements.push_back(MovementFromRow(row));
    return PageReply(std::move(movements), page.limit, MovementJson);
}

}  // namespace

Result<void> RecordStockMovement(db::Transaction& tx, const TenantId& tenant,
                                 const StockMovement& m) {
    OMC_ASSIGN_OR_RETURN(const int64_t moved,
                         tx.Execute(kMoveBookStock, {tenant, m.tank_id, m.quantity_milli}));
    if (moved != 1) {
        return Error(ErrorCode::kUnprocessable, "book stock would go below zero",
                     {{"quantity", "takes more than the tank's book stock"}});
    }
    OMC_TRY(tx.Execute(kInsertMovement,
                       {tenant, m.id, m.station_id, m.tank_id, m.kind, m.quantity_milli,
                        m.reference_id, m.reason, m.occurred_at_us, m.recorded_by}));
    return Ok();
}

void RegisterStockRoutes(http::Router& router, const ForecourtDeps& deps) {
    using http::Method;
    router.Add(WriteRoute(Method::kPost, "/api/v1/tanks/{id}/adjustments", "forecourt.tanks.adjust",
                          "stock.adjust", deps, CreateAdjustment));
    router.Add(ReadRoute("/api/v1/tanks/{id}/movements", "forecourt.tanks.movements", deps,
                         ListMovements));
}

}  // namespace omc::forecourt
