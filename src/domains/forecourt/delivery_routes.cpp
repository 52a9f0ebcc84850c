#include <set>
#include <utility>
#include <vector>

#include "domains/forecourt/alerts.hpp"
#include "domains/forecourt/catalog.hpp"
#include "domains/forecourt/common.hpp"
#include "domains/forecourt/delivery_model.hpp"
#include "domains/forecourt/limits.hpp"
#include "domains/forecourt/stock_posting.hpp"
#include "domains/forecourt/wetstock_routes.hpp"
#include "platform/base/assert.hpp"
#include "platform/events/outbox.hpp"

namespace omc::forecourt {
namespace {

using nlohmann::json;

constexpr size_t kTextMaxLength = 128;
constexpr size_t kMinCompartments = 1;
constexpr size_t kMaxCompartments = 12;
constexpr int64_t kMaxCompartmentNumber = 12;
// A road tanker in Ghana carries at most about 54 000 L; 100 000 L leaves room.
constexpr int64_t kMaxLoadedMilli = 100'000'000;
constexpr int64_t kMaxClaimUnitPrice = 1'000'000'000;  // GH₵ 1 000 per litre, at 10^-4 pesewa
constexpr int kTemperatureDecimals = 2;
constexpr int kVcfDecimals = 4;

#define OMC_DELIVERY_COLUMNS                                                             \
    "id, station_id, tank_id, product_id, waybill_no, depot, supplier, transporter, "    \
    "brv_registration, driver_name, compartments, loaded_at_us, delivered_at_us, "       \
    "loaded_ambient_milli, loading_temperature_c100, density15_x10, loaded_vcf_x10000, " \
    "loaded_standard_milli, dip_before_id, dip_after_id, sales_during_milli, "           \
    "received_standard_milli, shortage_milli, allowance_milli, claimable_milli, "        \
    "claim_unit_price, claim_amount, recorded_by, recorded_at_us, unit_cost"

constexpr db::Query kInsertDelivery{
    "forecourt.insert_delivery", "INSERT INTO deliveries (tenant_id, " OMC_DELIVERY_COLUMNS R"sql()
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
            $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31))sql"};
constexpr db::Query kFindDelivery{"forecourt.find_delivery",
                                  "SELECT " OMC_DELIVERY_COLUMNS
                                  " FROM deliveries WHERE tenant_id = $1 AND id = $2"};
constexpr db::Query kListDeliveries{"forecourt.list_deliveries",
                                    "SELECT " OMC_DELIVERY_COLUMNS R"sql(
    FROM deliveries
    WHERE tenant_id = $1 AND id > $2 AND (station_id = $4 OR $4 IS NULL)
      AND (delivered_at_us >= $5 OR $5 IS NULL) AND (delivered_at_us < $6 OR $6 IS NULL)
      AND (CAST($7 AS TEXT) IS NULL OR (',' || CAST($7 AS TEXT) || ',') LIKE ('%,' || station_id || ',%'))
    ORDER BY id LIMIT $3)sql"};
constexpr db::Query kRecentDeliveries{"forecourt.recent_deliveries",
                                      "SELECT " OMC_DELIVERY_COLUMNS R"sql(
    FROM deliveries WHERE tenant_id = $1 AND station_id = $2
    ORDER BY delivered_at_us DESC, id DESC LIMIT $3)sql"};
constexpr db::Query kListClaims{"forecourt.list_transit_loss_claims",
                                "SELECT " OMC_DELIVERY_COLUMNS R"sql(
    FROM deliveries
    WHERE tenant_id = $1 AND id > $2 AND claimable_milli > 0 AND (station_id = $4 OR $4 IS NULL)
      AND (CAST($5 AS TEXT) IS NULL OR (',' || CAST($5 AS TEXT) || ',') LIKE ('%,' || station_id || ',%'))
    ORDER BY id LIMIT $3)sql"};

#undef OMC_DELIVERY_COLUMNS

constexpr db::Query kWaybillTaken{"forecourt.waybill_taken", R"sql(
    SELECT 1 FROM deliveries WHERE tenant_id = $1 AND tank_id = $2 AND waybill_no = $3)sql"};
// A dip serves one delivery (indexes deliveries_one_dip_before / _after, migration 0007).
constexpr db::Query kDipUsed{"forecourt.delivery_dip_used", R"sql(
    SELECT id FROM deliveries WHERE tenant_id = $1 AND (dip_before_id = $2 OR dip_after_id = $2)
    LIMIT 1)sql"};

struct Delivery {
    Uuid id;
    Uuid station_id;
    Uuid tank_id;
    Uuid product_id;
    std::string waybill_no;
    std::string depot;
    std::string supplier;
    std::string transporter;
    std::string brv_registration;
    std::string driver_name;
    json compartments = json::array();  // [{number, product_id, volume}]
    TimestampUs loaded_at_us = 0;
    TimestampUs delivered_at_us = 0;
    int64_t loaded_ambient_milli = 0;
    int64_t loading_temperature_c100 = 0;
    int64_t density15_x10 = 0;
    int64_t loaded_vcf_x10000 = 0;
    int64_t loaded_standard_milli = 0;
    Uuid dip_before_id;
    Uuid dip_after_id;
    int64_t sales_during_milli = 0;
    int64_t received_standard_milli = 0;
    int64_t shortage_milli = 0;
    int64_t allowance_milli = 0;
    int64_t claimable_milli = 0;
    int64_t claim_unit_price = 0;  // 10^-4 pesewa per litre
    int64_t claim_amount = 0;      // pesewas
    std::string recorded_by;
    TimestampUs recorded_at_us = 0;
    // The cost its stock went into inventory at (10^-4 pesewa per litre); nullopt: uncosted
    // (no unit_cost given and no ex-depot price in the build-up), nothing posted for the stock.
    std::optional<int64_t> unit_cost;
    // When the received stock is in the tank: the after dip's time (not stored with the
    // delivery; its stock movement occurs then, so a reconciliation period that ends with that
    // dip counts the delivery whatever time the ticket says).
    TimestampUs received_at_us = 0;
};

Delivery DeliveryFromRow(const db::Row& row) {
    json compartments = json::parse(row.Text(10), nullptr, false);
    if (compartments.is_discarded()) compartments = json::array();
    return Delivery{.id = row.Id(0),
                    .station_id = row.Id(1),
                    .tank_id = row.Id(2),
                    .product_id = row.Id(3),
                    .waybill_no = row.Text(4),
                    .depot = row.Text(5),
                    .supplier = row.Text(6),
                    .transporter = row.Text(7),
                    .brv_registration = row.Text(8),
                    .driver_name = row.Text(9),
                    .compartments = std::move(compartments),
                    .loaded_at_us = row.Int(11),
                    .delivered_at_us = row.Int(12),
                    .loaded_ambient_milli = row.Int(13),
                    .loading_temperature_c100 = row.Int(14),
                    .density15_x10 = row.Int(15),
                    .loaded_vcf_x10000 = row.Int(16),
                    .loaded_standard_milli = row.Int(17),
                    .dip_before_id = row.Id(18),
                    .dip_after_id = row.Id(19),
                    .sales_during_milli = row.Int(20),
                    .received_standard_milli = row.Int(21),
                    .shortage_milli = row.Int(22),
                    .allowance_milli = row.Int(23),
                    .claimable_milli = row.Int(24),
                    .claim_unit_price = row.Int(25),
                    .claim_amount = row.Int(26),
                    .recorded_by = row.Text(27),
                    .recorded_at_us = row.Int(28),
                    .unit_cost = row.OptInt(29)};
}

json DeliveryJson(const Delivery& d) {
    return json{
        {"id", d.id.ToString()},
        {"station_id", d.station_id.ToString()},
        {"tank_id", d.tank_id.ToString()},
        {"product_id", d.product_id.ToString()},
        {"waybill_no", d.waybill_no},
        {"depot", d.depot},
        {"supplier", d.supplier},
        {"transporter", d.transporter},
        {"brv_registration", d.brv_registration},
        {"driver_name", d.driver_name},
        {"compartments", d.compartments},
        {"loaded_at", FormatTimestamp(d.loaded_at_us)},
        {"delivered_at", FormatTimestamp(d.delivered_at_us)},
        {"loaded_volume", FormatQuantity(d.loaded_ambient_milli)},
        {"loading_temperature", FormatScaled(d.loading_temperature_c100, kTemperatureDecimals)},
        {"density15", FormatScaled(d.density15_x10, kDensityDecimals)},
        {"loaded_vcf", FormatScaled(d.loaded_vcf_x10000, kVcfDecimals)},
        {"loaded_standard", FormatQuantity(d.loaded_standard_milli)},
        {"dip_before_id", d.dip_before_id.ToString()},
        {"dip_after_id", d.dip_after_id.ToString()},
        {"sales_during", FormatQuantity(d.sales_during_milli)},
        {"received_standard", FormatQuantity(d.received_standard_milli)},
        {"shortage", FormatQuantity(d.shortage_milli)},
        {"allowance", FormatQuantity(d.allowance_milli)},
        {"claimable", FormatQuantity(d.claimable_milli)},
        {"claim_unit_price", FormatUnitPrice(d.claim_unit_price)},
        {"claim_amount", FormatMoney(d.claim_amount)},
        {"recorded_by", d.recorded_by},
        {"recorded_at", FormatTimestamp(d.recorded_at_us)},
        {"unit_cost", d.unit_cost ? json(FormatUnitPrice(*d.unit_cost)) : json()},
        {"uncosted", !d.unit_cost.has_value()}};
}

json ClaimJson(const Delivery& d) {
    return json{{"id", d.id.ToString()},
                {"delivery_id", d.id.ToString()},
                {"station_id", d.station_id.ToString()},
                {"tank_id", d.tank_id.ToString()},
                {"waybill_no", d.waybill_no},
                {"transporter", d.transporter},
                {"brv_registration", d.brv_registration},
                {"delivered_at", FormatTimestamp(d.delivered_at_us)},
                {"claimable", FormatQuantity(d.claimable_milli)},
                {"claim_unit_price", FormatUnitPrice(d.claim_unit_price)},
                {"claim_amount", FormatMoney(d.claim_amount)}};
}

struct DeliveryRequest {
    std::optional<Uuid> id;
    Delivery d;  // the fields the client gives
    std::vector<std::optional<Uuid>> compartment_products;
    std::optional<int64_t> claim_unit_price;
    std::optional<int64_t> unit_cost;
};

// The compartments: numbers unique, volumes adding up to the loaded volume.
void ReadCompartments(http::JsonBody& body, DeliveryRequest& r) {
    std::set<int64_t> numbers;
    int64_t total = 0;
    for (http::JsonBody& c :
         body.RequiredObjectArray("compartments", kMinCompartments, kMaxCompartments)) {
        c.RejectUnknown({"number", "product_id", "volume"});
        const int64_t number = c.RequiredInt64("number", 1, kMaxCompartmentNumber);
        const std::optional<Uuid> product = c.OptionalUuid("product_id");
        const int64_t volume = c.RequiredDecimal("volume", kQuantityScale, 1, kMaxLoadedMilli);
        if (!numbers.insert(number).second) c.AddError("number", "is used by another compartment");
        total += volume;
        r.compartment_products.push_back(product);
        r.d.compartments.push_back(json{{"number", number},
                                        {"product_id", OptionalId(product)},
                                        {"volume", FormatQuantity(volume)}});
    }
    if (!body.HasErrors() && total != r.d.loaded_ambient_milli) {
        body.AddError("loaded_volume", "must equal the sum of the compartments' volumes (" +
                                           FormatQuantity(total) + ")");
    }
}

Result<DeliveryRequest> ParseDelivery(const http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"id", "tank_id", "waybill_no", "depot", "supplier", "transporter",
                        "brv_registration", "driver_name", "compartments", "loaded_at",
                        "delivered_at", "loaded_volume", "loading_temperature", "density15",
                        "dip_before_id", "dip_after_id", "sales_during", "claim_unit_price",
                        "unit_cost"});
    DeliveryRequest r;
    r.id = body.OptionalUuid("id");
    r.d.tank_id = body.RequiredUuid("tank_id");
    r.d.waybill_no = body.RequiredString("waybill_no", kTextMaxLength);
    r.d.depot = body.RequiredString("depot", kTextMaxLength);
    r.d.supplier = body.RequiredString("supplier", kTextMaxLength);
    r.d.transporter = body.RequiredString("transporter", kTextMaxLength);
    r.d.brv_registration = body.RequiredString("brv_registration", kTextMaxLength);
    r.d.driver_name = body.RequiredString("driver_name", kTextMaxLength);
    r.d.loaded_at_us = RequiredTime(body, "loaded_at");
    r.d.delivered_at_us = RequiredTime(body, "delivered_at");
    r.d.loaded_ambient_milli =
        body.RequiredDecimal("loaded_volume", kQuantityScale, 1, kMaxLoadedMilli);
    r.d.loading_temperature_c100 =
        body.RequiredDecimal("loading_temperature", kTemperatureDecimals, kMinTemperatureCelsiusE2,
                             kMaxTemperatureCelsiusE2);
    r.d.density15_x10 =
        body.RequiredDecimal("density15", kDensityDecimals, kMinDensity15X10, kMaxDensity15X10);
    r.d.dip_before_id = body.RequiredUuid("dip_before_id");
    r.d.dip_after_id = body.RequiredUuid("dip_after_id");
    r.d.sales_during_milli =
        body.OptionalDecimal("sales_during", kQuantityScale, 0, kMaxLoadedMilli).value_or(0);
    r.claim_unit_price =
        body.OptionalDecimal("claim_unit_price", kUnitPriceScale, 0, kMaxClaimUnitPrice);
    r.unit_cost = body.OptionalDecimal("unit_cost", kUnitPriceScale, 1, kMaxClaimUnitPrice);
    ReadCompartments(body, r);
    if (!body.HasErrors() && r.d.delivered_at_us < r.d.loaded_at_us) {
        body.AddError("delivered_at", "must not be before loaded_at");
    }
    OMC_TRY(body.Finish());
    return r;
}

// A dip the delivery may use: of the same tank, taken for this purpose.
Result<StoredDip> DeliveryDip(db::Transaction& tx, const TenantId& tenant, const Uuid& id,
                              const Uuid& tank_id, std::string_view purpose,
                              std::string_view field) {
    OMC_ASSIGN_OR_RETURN(const std::optional<StoredDip> dip, FindDip(tx, tenant, id));
    const auto refuse = [&](std::string message) {
        return Error(ErrorCode::kUnprocessable, "unusable dip",
                     {{std::string(field), std::move(message)}});
    };
    if (!dip) return refuse("no such dip");
    if (dip->tank_id != tank_id) return refuse("must be a dip of tank_id");
    if (dip->purpose != purpose) return refuse("must be a dip taken for " + std::string(purpose));
    // The same dip counted for two deliveries would count the same stock twice.
    OMC_ASSIGN_OR_RETURN(const db::Rows used, tx.Query(kDipUsed, {tenant, id}));
    if (!used.empty()) {
        return Error(
            ErrorCode::kConflict, "dip already used",
            {{std::string(field), "is already used by delivery " + used[0].Id(0).ToString()}});
    }
    return *dip;
}

// The unit price a shortage is claimed at: the body's, else the station's price in force at
// delivery.
Result<int64_t> ClaimUnitPrice(db::Transaction& tx, const TenantId& tenant,
                               const DeliveryRequest& req, const Tank& tank) {
    if (req.claim_unit_price) return *req.claim_unit_price;
    OMC_ASSIGN_OR_RETURN(
        const std::optional<PriceInForce> price,
        PriceAt(tx, tenant, tank.station_id, tank.product_id, req.d.delivered_at_us));
    if (!price) {
        return Error(ErrorCode::kUnprocessable, "no price to claim at",
                     {{"claim_unit_price", "no price is in force at delivered_at; give one"}});
    }
    return price->unit_price;
}

// Checks the references and computes the figures; nothing is written.
Result<Delivery> PrepareDelivery(const ForecourtDeps& deps, http::RequestContext& ctx,
                                 db::Transaction& tx, DeliveryRequest req) {
    Delivery d = std::move(req.d);
    OMC_ASSIGN_OR_RETURN(const Tank tank, TankInScope(tx, ctx, d.tank_id, "tank_id"));
    for (size_t i = 0; i < req.compartment_products.size(); ++i) {
        if (req.compartment_products[i] && *req.compartment_products[i] != tank.product_id) {
            return InvalidArgument(IndexedField("compartments", i) + ".product_id",
                                   "must be the tank's product");
        }
    }
    OMC_ASSIGN_OR_RETURN(const db::Rows taken,
                         tx.Query(kWaybillTaken, {ctx.tenant(), tank.id, d.waybill_no}));
    if (!taken.empty()) {
        return Error(ErrorCode::kConflict, "waybill already recorded",
                     {{"waybill_no", "is already recorded for this tank"}});
    }
    OMC_ASSIGN_OR_RETURN(const StoredDip before,
                         DeliveryDip(tx, ctx.tenant(), d.dip_before_id, tank.id, "before_delivery",
                                     "dip_before_id"));
    OMC_ASSIGN_OR_RETURN(
        const StoredDip after,
        DeliveryDip(tx, ctx.tenant(), d.dip_after_id, tank.id, "after_delivery", "dip_after_id"));
    if (after.taken_at_us <= before.taken_at_us) {
        return Error(ErrorCode::kUnprocessable, "unusable dip",
                     {{"dip_after_id", "must be taken after dip_before_id"}});
    }
    // Space is physical: the observed contents before (product and water) plus the ambient load.
    Result<Volume> room =
        CheckDeliveryFits(before.reading.gross_observed, Volume(d.loaded_ambient_milli),
                          Volume(tank.safe_fill_milli));
    if (!room.ok()) {
        return ApiFields(room.error(), {{"planned_volume_ml", "loaded_volume"},
                                        {"current_volume_ml", "dip_before_id"},
                                        {"safe_fill_volume_ml", "tank_id"}});
    }
    OMC_ASSIGN_OR_RETURN(const ForecourtSettings settings, LoadSettings(tx, ctx.tenant()));
    OMC_ASSIGN_OR_RETURN(d.claim_unit_price, ClaimUnitPrice(tx, ctx.tenant(), req, tank));
    const DeliveryInput input{.ticket = {.loaded_volume = Volume(d.loaded_ambient_milli),
                                         .temperature = Temperature(d.loading_temperature_c100),
                                         .density15 = Density(d.density15_x10)},
                              .dip_before = before.reading,
                              .dip_after = after.reading,
                              .sales_during_delivery = Volume(d.sales_during_milli),
                              .claim_price_per_litre = UnitPrice(d.claim_unit_price)};
    const TransitLossPolicy policy{.allowance_bp = settings.transit_loss_tolerance_bp};
    Result<DeliveryShortage> shortage = ComputeDeliveryShortage(input, policy, kTable54B);
    if (!shortage.ok()) {
        return ApiFields(shortage.error(),
                         {{"ticket.loaded_volume_ml", "loaded_volume"},
                          {"ticket.temperature_celsius_e2", "loading_temperature"},
                          {"ticket.density15_kg_m3_e1", "density15"},
                          {"dip_after.reference", "dip_after_id"},
                          {"sales_during_delivery_ml", "sales_during"},
                          {"claim_price_per_litre_pesewas_e4", "claim_unit_price"}});
    }
    d.id = req.id.value_or(deps.ids->NewV7());
    d.station_id = tank.station_id;
    d.product_id = tank.product_id;
    d.loaded_vcf_x10000 = shortage->loaded_vcf_e4;
    d.loaded_standard_milli = shortage->loaded_standard.raw();
    d.received_standard_milli = shortage->received_standard.raw();
    d.shortage_milli = shortage->shortage.raw();
    d.allowance_milli = shortage->allowance.raw();
    d.claimable_milli = shortage->claimable.raw();
    d.claim_amount = shortage->claim_amount.raw();
    d.recorded_by = CallerOf(ctx).subject;
    d.recorded_at_us = deps.clock->NowUs();
    d.received_at_us = after.taken_at_us;
    // The stock's cost: the request's, else the ex-depot price of the delivery date.
    if (req.unit_cost) {
        d.unit_cost = req.unit_cost;
    } else {
        const std::optional<int64_t> day = ParseDateDays(FormatDate(d.delivered_at_us));
        ERP_INVARIANT(day.has_value(), "a formatted date parses");
        OMC_ASSIGN_OR_RETURN(d.unit_cost, ExDepotUnitCost(tx, ctx.tenant(), d.product_id,
                                                          static_cast<int32_t>(*day)));
    }
    return d;
}

// The delivery, its stock movement and the tank's book stock, in the request's transaction.
Result<void> WriteDelivery(const ForecourtDeps& deps, http::RequestContext& ctx,
                           db::Transaction& tx, const Delivery& d) {
    OMC_TRY(tx.Execute(kInsertDelivery, {ctx.tenant(),
                                         d.id,
                                         d.station_id,
                                         d.tank_id,
                                         d.product_id,
                                         d.waybill_no,
                                         d.depot,
                                         d.supplier,
                                         d.transporter,
                                         d.brv_registration,
                                         d.driver_name,
                                         d.compartments.dump(),
                                         d.loaded_at_us,
                                         d.delivered_at_us,
                                         d.loaded_ambient_milli,
                                         d.loading_temperature_c100,
                                         d.density15_x10,
                                         d.loaded_vcf_x10000,
                                         d.loaded_standard_milli,
                                         d.dip_before_id,
                                         d.dip_after_id,
                                         d.sales_during_milli,
                                         d.received_standard_milli,
                                         d.shortage_milli,
                                         d.allowance_milli,
                                         d.claimable_milli,
                                         d.claim_unit_price,
                                         d.claim_amount,
                                         d.recorded_by,
                                         d.recorded_at_us,
                                         d.unit_cost}));
    OMC_TRY(RecordStockMovement(tx, ctx.tenant(),
                                {.id = deps.ids->NewV7(),
                                 .station_id = d.station_id,
                                 .tank_id = d.tank_id,
                                 .kind = "delivery",
                                 .quantity_milli = d.received_standard_milli,
                                 .reference_id = d.id,
                                 .occurred_at_us = d.received_at_us,
                                 .recorded_by = d.recorded_by}));
    // Its ledger entries, in the same transaction: the stock at cost and the claim.
    const std::vector<ledger::Entry> entries =
        DeliveryEntries(ctx.tenant(), {.delivery_id = d.id,
                                       .station_id = d.station_id,
                                       .product_id = d.product_id,
                                       .transporter = d.transporter,
                                       .booked_on = FormatDate(d.delivered_at_us),
                                       .received_standard_milli = d.received_standard_milli,
                                       .shortage_milli = d.shortage_milli,
                                       .claim_amount = d.claim_amount,
                                       .unit_cost = d.unit_cost});
    OMC_TRY(ledger::PostEntries(tx, ctx.tenant(), entries, *deps.ids, CallerOf(ctx).subject,
                                d.recorded_at_us));
    if (d.claimable_milli > 0) {
        OMC_TRY(events::AppendEvent(
            tx, ctx.tenant(), *deps.ids, *deps.clock,
            {"forecourt.transit_loss_claim", "delivery", d.id.ToString(), ClaimJson(d)}));
    }
    return Ok();
}

Result<http::Reply> CreateDelivery(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(DeliveryRequest req, ParseDelivery(ctx));
    const TimestampUs now = deps.clock->NowUs();
    if (req.d.delivered_at_us > now + kClockSkewUs) {
        return InvalidArgument("delivered_at", "must not be in the future");
    }
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    if (req.id) {
        OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                             tx->Query(kFindDelivery, {ctx.tenant(), *req.id}));
        if (!rows.empty()) {
            return Error(ErrorCode::kConflict, "delivery already recorded",
                         {{"id", "a delivery with this id is already recorded"}});
        }
    }
    OMC_ASSIGN_OR_RETURN(const Delivery d, PrepareDelivery(deps, ctx, *tx, std::move(req)));
    OMC_TRY(WriteDelivery(deps, ctx, *tx, d));
    json state = DeliveryJson(d);
    OMC_TRY(RecordChange(deps, ctx, *tx, "forecourt.delivery_recorded", "delivery", d.id, state));
    // The delivery changes the stock and the variance of the day of its after-delivery dip
    // (which was not judged when that dip was recorded: the delivery was not known yet).
    OMC_TRY(EvaluateTankAlerts(*tx, deps, ctx.tenant(), d.tank_id, d.received_at_us));
    return Created(std::move(state), "/api/v1/deliveries", d.id);
}

Result<http::Reply> GetDelivery(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx->Query(kFindDelivery, {ctx.tenant(), id}));
    if (rows.empty()) return NotFoundError("delivery");
    const Delivery d = DeliveryFromRow(rows[0]);
    OMC_ASSIGN_OR_RETURN(const std::optional<identity::StationRef> station,
                         identity::FindVisibleStation(*tx, CallerOf(ctx), d.station_id));
    if (!station) return NotFoundError("delivery");
    return Answer(DeliveryJson(d));
}

Result<http::Reply> ListDeliveries(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, PageAfter(page));
    OMC_ASSIGN_OR_RETURN(const std::optional<TimestampUs> from, QueryTime(ctx, "from"));
    OMC_ASSIGN_OR_RETURN(const std::optional<TimestampUs> to, QueryTime(ctx, "to"));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const StationFilter filter, ListFilter(*tx, ctx));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kListDeliveries, {ctx.tenant(), after, page.limit + 1,
                                                     filter.station, from, to, filter.scope_list}));
    std::vector<Delivery> deliveries;
    for (const db::Row& row : rows) deliveries.push_back(DeliveryFromRow(row));
    return PageReply(std::move(deliveries), page.limit, DeliveryJson);
}

Result<http::Reply> ListClaims(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, PageAfter(page));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const StationFilter filter, ListFilter(*tx, ctx));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kListClaims, {ctx.tenant(), after, page.limit + 1,
                                                 filter.station, filter.scope_list}));
    std::vector<Delivery> deliveries;
    for (const db::Row& row : rows) deliveries.push_back(DeliveryFromRow(row));
    return PageReply(std::move(deliveries), page.limit, ClaimJson);
}

}  // namespace

Result<nlohmann::json> RecentDeliveries(db::Transaction& tx, const TenantId& tenant,
                                        const Uuid& station, int64_t limit) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx.Query(kRecentDeliveries, {tenant, station, limit}));
    json items = json::array();
    for (const db::Row& row : rows) items.push_back(DeliveryJson(DeliveryFromRow(row)));
    return items;
}

void RegisterDeliveryRoutes(http::Router& router, const ForecourtDeps& deps) {
    using http::Method;
    router.Add(ReadRoute("/api/v1/deliveries", "forecourt.deliveries.list", deps, ListDeliveries));
    router.Add(WriteRoute(Method::kPost, "/api/v1/deliveries", "forecourt.deliveries.create",
                          "deliveries.write", deps, CreateDelivery));
    router.Add(ReadRoute("/api/v1/deliveries/{id}", "forecourt.deliveries.get", deps, GetDelivery));
    router.Add(ReadRoute("/api/v1/transit-loss-claims", "forecourt.transit_loss_claims.list", deps,
                         ListClaims));
}

}  // namespace omc::forecourt
