#include "domains/forecourt/forecourt_api.hpp"

#include <cctype>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "domains/forecourt/catalog.hpp"
#include "domains/forecourt/common.hpp"
#include "domains/forecourt/equipment.hpp"
#include "domains/forecourt/sales.hpp"
#include "platform/auth/token.hpp"
#include "platform/base/money.hpp"

namespace omc::forecourt {
namespace {

// The dips are matched on the delivery's tank and their purpose, so a dip that was taken for
// another tank or purpose does not count as evidence.
constexpr db::Query kFindDeliveryEvidence{"forecourt.api.find_delivery_evidence", R"sql(
    SELECT d.id, d.station_id, d.tank_id, d.product_id, p.code, d.waybill_no, d.depot,
           d.supplier, d.transporter, d.brv_registration, d.loaded_at_us, d.delivered_at_us,
           d.loaded_ambient_milli, d.received_standard_milli, d.dip_before_id, d.dip_after_id,
           b.id, a.id
    FROM deliveries d
    JOIN products p ON p.tenant_id = d.tenant_id AND p.id = d.product_id
    LEFT JOIN dips b ON b.tenant_id = d.tenant_id AND b.id = d.dip_before_id
                    AND b.tank_id = d.tank_id AND b.purpose = 'before_delivery'
    LEFT JOIN dips a ON a.tenant_id = d.tenant_id AND a.id = d.dip_after_id
                    AND a.tank_id = d.tank_id AND a.purpose = 'after_delivery'
    WHERE d.tenant_id = $1 AND d.id = $2)sql"};

}  // namespace

Result<std::optional<DeliveryEvidence>> FindDeliveryEvidence(db::Transaction& tx,
                                                             const TenantId& tenant,
                                                             const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kFindDeliveryEvidence, {tenant, id}));
    if (rows.empty()) return std::optional<DeliveryEvidence>();
    const db::Row& row = rows[0];
    return std::optional<DeliveryEvidence>(DeliveryEvidence{.id = row.Id(0),
                                                            .station_id = row.Id(1),
                                                            .tank_id = row.Id(2),
                                                            .product_id = row.Id(3),
                                                            .product_code = row.Text(4),
                                                            .waybill_no = row.Text(5),
                                                            .depot = row.Text(6),
                                                            .supplier = row.Text(7),
                                                            .transporter = row.Text(8),
                                                            .brv_registration = row.Text(9),
                                                            .loaded_at_us = row.Int(10),
                                                            .delivered_at_us = row.Int(11),
                                                            .loaded_ambient_milli = row.Int(12),
                                                            .received_standard_milli = row.Int(13),
                                                            .dip_before_id = row.Id(14),
                                                            .dip_after_id = row.Id(15),
                                                            .dip_before_found = !row.IsNull(16),
                                                            .dip_after_found = !row.IsNull(17)});
}

// ---- for the statutory reports ----

namespace {

// The scope as the queries test it: NULL for every station, else the ids comma-joined ("none"
// for an empty list, which no id matches).
db::Param ScopeParam(const std::optional<std::vector<Uuid>>& stations) {
    if (!stations) return db::Null{};
    std::string list;
    for (const Uuid& id : *stations) {
        if (!list.empty()) list += ',';
        list += id.ToString();
    }
    return list.empty() ? std::string("none") : list;
}

constexpr db::Query kTenantProducts{"forecourt.report_products", R"sql(
    SELECT id, code, name, kind, unit FROM products WHERE tenant_id = $1 ORDER BY code)sql"};

constexpr db::Query kFindProduct{"forecourt.report_find_product", R"sql(
    SELECT id, code, name, kind, unit FROM products
    WHERE tenant_id = $1 AND (CAST(id AS TEXT) = $2 OR code = $3))sql"};

// Sales net of voids (kind <> 'refund' for what left the tank), money net of everything.
constexpr db::Query kSalesTotals{"forecourt.report_sales_totals", R"sql(
    SELECT station_id, product_id,
           SUM(CASE WHEN kind IN ('fuel', 'shop') THEN 1 ELSE 0 END),
           SUM(CASE WHEN kind <> 'refund' THEN quantity_milli ELSE 0 END),
           SUM(amount)
    FROM sales
    WHERE tenant_id = $1 AND sold_at_us >= $2 AND sold_at_us < $3
      AND (CAST($4 AS TEXT) IS NULL OR (',' || CAST($4 AS TEXT) || ',') LIKE ('%,' || station_id || ',%'))
    GROUP BY station_id, product_id
    ORDER BY station_id, product_id)sql"};

constexpr db::Query kNonFuelLines{"forecourt.report_non_fuel_lines", R"sql(
    SELECT s.id, s.station_id, s.product_id, s.kind, s.amount, s.sold_at_us,
           COALESCE(o.sold_at_us, s.sold_at_us)
    FROM sales s
    JOIN products p ON p.tenant_id = s.tenant_id AND p.id = s.product_id
    LEFT JOIN sales o ON o.tenant_id = s.tenant_id AND o.id = s.reverses_id
    WHERE s.tenant_id = $1 AND s.sold_at_us >= $2 AND s.sold_at_us < $3 AND p.kind <> 'fuel'
      AND (CAST($4 AS TEXT) IS NULL OR (',' || CAST($4 AS TEXT) || ',') LIKE ('%,' || s.station_id || ',%'))
    ORDER BY s.station_id, s.sold_at_us, s.id)sql"};

constexpr db::Query kTanks{"forecourt.report_tanks", R"sql(
    SELECT id, code, station_id, product_id FROM tanks
    WHERE tenant_id = $1
      AND (CAST($2 AS TEXT) IS NULL OR (',' || CAST($2 AS TEXT) || ',') LIKE ('%,' || station_id || ',%'))
    ORDER BY station_id, code)sql"};

constexpr db::Query kLastDipAtOrBefore{"forecourt.report_last_dip", R"sql(
    SELECT id, taken_at_us, standard_milli FROM dips
    WHERE tenant_id = $1 AND tank_id = $2 AND taken_at_us <= $3
    ORDER BY taken_at_us DESC, id DESC LIMIT 1)sql"};

constexpr db::Query kTankMovements{"forecourt.report_tank_movements", R"sql(
    SELECT tank_id, kind, SUM(quantity_milli) FROM stock_movements
    WHERE tenant_id = $1 AND occurred_at_us >= $2 AND occurred_at_us < $3
      AND kind IN ('delivery', 'adjustment')
      AND (CAST($4 AS TEXT) IS NULL OR (',' || CAST($4 AS TEXT) || ',') LIKE ('%,' || station_id || ',%'))
    GROUP BY tank_id, kind)sql"};

constexpr db::Query kTankSales{"forecourt.report_tank_sales", R"sql(
    SELECT tank_id, SUM(quantity_milli) FROM sales
    WHERE tenant_id = $1 AND sold_at_us >= $2 AND sold_at_us < $3
      AND tank_id IS NOT NULL AND kind <> 'refund'
      AND (CAST($4 AS TEXT) IS NULL OR (',' || CAST($4 AS TEXT) || ',') LIKE ('%,' || station_id || ',%'))
    GROUP BY tank_id)sql"};

ProductInfo ProductFromRow(const db::Row& row) {
    return ProductInfo{.id = row.Id(0),
                       .code = row.Text(1),
                       .name = row.Text(2),
                       .kind = row.Text(3),
                       .unit = row.Text(4)};
}

Result<std::optional<DipFigure>> LastDip(db::Transaction& tx, const TenantId& tenant,
                                         const Uuid& tank, TimestampUs at_us) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kLastDipAtOrBefore, {tenant, tank, at_us}));
    if (rows.empty()) return std::optional<DipFigure>();
    return std::optional<DipFigure>(DipFigure{
        .id = rows[0].Id(0), .taken_at_us = rows[0].Int(1), .standard_milli = rows[0].Int(2)});
}

}  // namespace

Result<std::vector<ProductInfo>> TenantProducts(db::Transaction& tx, const TenantId& tenant) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kTenantProducts, {tenant}));
    std::vector<ProductInfo> out;
    for (const db::Row& row : rows) out.push_back(ProductFromRow(row));
    return out;
}

Result<std::optional<ProductInfo>> FindProduct(db::Transaction& tx, const TenantId& tenant,
                                               std::string_view key) {
    const std::optional<Uuid> id = Uuid::Parse(key);
    std::string code(key);
    for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    OMC_ASSIGN_OR_RETURN(
        const db::Rows rows,
        tx.Query(kFindProduct, {tenant, id ? id->ToString() : std::string("-"), code}));
    if (rows.empty()) return std::optional<ProductInfo>();
    return std::optional<ProductInfo>(ProductFromRow(rows[0]));
}

Result<std::vector<SalesTotal>> SalesTotals(db::Transaction& tx, const TenantId& tenant,
                                            TimestampUs from_us, TimestampUs to_us,
                                            const std::optional<std::vector<Uuid>>& stations) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx.Query(kSalesTotals, {tenant, from_us, to_us, ScopeParam(stations)}));
    std::vector<SalesTotal> out;
    for (const db::Row& row : rows) {
        out.push_back(SalesTotal{.station_id = row.Id(0),
                                 .product_id = row.Id(1),
                                 .sales_count = row.Int(2),
                                 .quantity_milli = row.Int(3),
                                 .amount_pesewas = row.Int(4)});
    }
    return out;
}

Result<std::vector<NonFuelLine>> NonFuelLines(db::Transaction& tx, const TenantId& tenant,
                                              TimestampUs from_us, TimestampUs to_us,
                                              const std::optional<std::vector<Uuid>>& stations) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx.Query(kNonFuelLines, {tenant, from_us, to_us, ScopeParam(stations)}));
    std::vector<NonFuelLine> out;
    out.reserve(rows.size());
    for (const db::Row& row : rows) {
        out.push_back(NonFuelLine{.id = row.Id(0),
                                  .station_id = row.Id(1),
                                  .product_id = row.Id(2),
                                  .kind = row.Text(3),
                                  .amount_pesewas = row.Int(4),
                                  .sold_at_us = row.Int(5),
                                  .supply_at_us = row.Int(6)});
    }
    return out;
}

Result<std::vector<TankPeriodStock>> TankStock(db::Transaction& tx, const TenantId& tenant,
                                               TimestampUs from_us, TimestampUs to_us,
                                               const std::optional<std::vector<Uuid>>& stations) {
    const db::Param scope = ScopeParam(stations);
    OMC_ASSIGN_OR_RETURN(const db::Rows tanks, tx.Query(kTanks, {tenant, scope}));
    OMC_ASSIGN_OR_RETURN(const db::Rows moves,
                         tx.Query(kTankMovements, {tenant, from_us, to_us, scope}));
    OMC_ASSIGN_OR_RETURN(const db::Rows sold,
                         tx.Query(kTankSales, {tenant, from_us, to_us, scope}));
    std::map<std::string, TankPeriodStock> by_tank;
    std::vector<std::string> order;
    for (const db::Row& row : tanks) {
        TankPeriodStock t;
        t.tank_id = row.Id(0);
        t.tank_code = row.Text(1);
        t.station_id = row.Id(2);
        t.product_id = row.Id(3);
        OMC_ASSIGN_OR_RETURN(t.opening, LastDip(tx, tenant, t.tank_id, from_us));
        OMC_ASSIGN_OR_RETURN(t.closing, LastDip(tx, tenant, t.tank_id, to_us));
        order.push_back(t.tank_id.ToString());
        by_tank.emplace(order.back(), std::move(t));
    }
    for (const db::Row& row : moves) {
        auto it = by_tank.find(row.Id(0).ToString());
        if (it == by_tank.end()) continue;
        (row.Text(1) == "delivery" ? it->second.receipts_milli : it->second.adjustments_milli) +=
            row.Int(2);
    }
    for (const db::Row& row : sold) {
        auto it = by_tank.find(row.Id(0).ToString());
        if (it != by_tank.end()) it->second.sales_milli += row.Int(1);
    }
    std::vector<TankPeriodStock> out;
    out.reserve(order.size());
    for (const std::string& id : order) out.push_back(std::move(by_tank.at(id)));
    return out;
}

Result<SaleQuote> QuoteSale(db::Transaction& tx, const TenantId& tenant, const PendingSale& sale) {
    SaleQuote quote;
    if (!sale.shop) {
        if (!sale.nozzle_id) return InvalidArgument("nozzle_id", "is required for a fuel sale");
        OMC_ASSIGN_OR_RETURN(const std::optional<Nozzle> nozzle,
                             FindNozzle(tx, tenant, *sale.nozzle_id));
        if (!nozzle) {
            return Error(ErrorCode::kUnprocessable, "cannot record this sale",
                         {{"nozzle_id", "no such nozzle"}});
        }
        if (nozzle->station_id != sale.station_id) {
            return InvalidArgument("nozzle_id", "is not a nozzle of this station");
        }
        quote.product_id = nozzle->product_id;
    } else {
        if (!sale.product_id) return InvalidArgument("product_id", "is required for a shop sale");
        OMC_ASSIGN_OR_RETURN(const std::optional<Product> product,
                             FindProduct(tx, tenant, *sale.product_id));
        if (!product) {
            return Error(ErrorCode::kUnprocessable, "cannot record this sale",
                         {{"product_id", "no such product"}});
        }
        if (product->kind == ProductKind::kFuel) {
            return InvalidArgument("product_id", "fuel is sold through a nozzle (nozzle_id)");
        }
        quote.product_id = product->id;
    }
    const std::string field = sale.shop ? "product_id" : "nozzle_id";
    OMC_ASSIGN_OR_RETURN(const std::optional<PriceInForce> price,
                         PriceAt(tx, tenant, sale.station_id, quote.product_id, sale.sold_at_us));
    if (!price) {
        return Error(ErrorCode::kConflict, "conflict",
                     {{field, "has no price at this station at the sale's time"}});
    }
    if (sale.unit_price && *sale.unit_price != price->unit_price) {
        return Error(ErrorCode::kUnprocessable, "cannot record this sale",
                     {{"unit_price",
                       "is not the price in force (" + FormatUnitPrice(price->unit_price) + ")"}});
    }
    quote.unit_price = price->unit_price;
    // The same roundings as SalesService: amounts half up, quantities half-even.
    if (sale.quantity_milli) {
        quote.quantity_milli = *sale.quantity_milli;
        OMC_ASSIGN_OR_RETURN(const Money amount,
                             AmountForVolume(UnitPrice(price->unit_price),
                                             Volume(quote.quantity_milli), RoundingMode::kHalfUp));
        quote.amount = amount.raw();
    } else if (sale.amount) {
        quote.amount = *sale.amount;
        OMC_ASSIGN_OR_RETURN(const Volume quantity,
                             VolumeForAmount(UnitPrice(price->unit_price), Money(quote.amount),
                                             RoundingMode::kHalfEven));
        quote.quantity_milli = quantity.raw();
    }
    if (quote.quantity_milli <= 0 || quote.amount <= 0) {
        return InvalidArgument(sale.quantity_milli ? "quantity" : "amount",
                               "is too small to sell at this price");
    }
    return quote;
}

Result<RecordedSale> RecordPaidSale(SalesService& sales, const TenantId& tenant,
                                    const PendingSale& sale, const std::string& payment_ref) {
    SaleCommand c;
    c.principal = sale.principal;
    c.id = sale.id;
    c.kind = sale.shop ? SaleKind::kShop : SaleKind::kFuel;
    c.station_id = sale.station_id;
    c.nozzle_id = sale.nozzle_id;
    c.product_id = sale.product_id;
    c.quantity_milli = sale.quantity_milli;
    c.amount = sale.amount;
    c.client_unit_price = sale.unit_price;
    c.payment_method = "momo";
    c.payment_ref = payment_ref;
    c.customer_id = sale.customer_id;
    c.attendant_id = sale.attendant_id;
    c.shift_id = sale.shift_id;
    c.sold_at_us = sale.sold_at_us;
    // Everything that makes the sale, so a second confirmation of the same payment replays it
    // and a different one under the same id is a conflict.
    const auto opt = [](const auto& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
    const auto opt_id = [](const std::optional<Uuid>& v) {
        return v ? nlohmann::json(v->ToString()) : nlohmann::json(nullptr);
    };
    const nlohmann::json canonical = {{"id", sale.id.ToString()},
                                      {"shop", sale.shop},
                                      {"station_id", sale.station_id.ToString()},
                                      {"nozzle_id", opt_id(sale.nozzle_id)},
                                      {"product_id", opt_id(sale.product_id)},
                                      {"quantity_milli", opt(sale.quantity_milli)},
                                      {"amount", opt(sale.amount)},
                                      {"unit_price", opt(sale.unit_price)},
                                      {"customer_id", opt_id(sale.customer_id)},
                                      {"attendant_id", opt_id(sale.attendant_id)},
                                      {"shift_id", opt_id(sale.shift_id)},
                                      {"sold_at_us", sale.sold_at_us},
                                      {"payment_method", "momo"},
                                      {"payment_ref", payment_ref}};
    c.request_hash = auth::Sha256Hex(canonical.dump());
    OMC_ASSIGN_OR_RETURN(const Sale recorded, sales.Record(tenant, std::move(c)));
    return RecordedSale{.id = recorded.id,
                        .receipt_no = recorded.receipt_no,
                        .amount = recorded.amount,
                        .replayed = recorded.replayed};
}

std::shared_ptr<SalesService> NewSalesService(db::Database& database, IdGenerator& ids,
                                              const Clock& clock) {
    db::GroupCommitOptions options;
    options.max_concurrent_batches = database.engine() == db::Engine::kPostgres ? 2 : 1;
    options.max_batches_per_tenant = 1;
    return std::make_shared<SalesService>(database, ids, clock, options);
}

}  // namespace omc::forecourt
