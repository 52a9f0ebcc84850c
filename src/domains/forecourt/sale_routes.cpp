// The sale routes: record (through the group committer), read, list, export, void and refund.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "domains/forecourt/common.hpp"
#include "domains/forecourt/sales.hpp"
#include "platform/auth/token.hpp"
#include "platform/base/money.hpp"
#include "platform/http/json_body.hpp"

namespace omc::forecourt {
namespace {

using nlohmann::json;

constexpr size_t kReasonMaxLength = 500;
constexpr size_t kPaymentRefMaxLength = 64;
constexpr int kExportMaxRows = 100'000;

// $2 the cursor, $4 station, $5 scope list, $6/$7 sold_at from/to, $8 product, $9 payment
// method, $10 attendant, $11 kind, $12 shift. Oldest first (ids are UUIDv7: time order) or, for
// ?order=desc, newest first.
#define OMC_LIST_SALES_FILTER                                                      \
    " FROM sales WHERE tenant_id = $1 AND (station_id = $4 OR $4 IS NULL)"         \
    " AND (CAST($5 AS TEXT) IS NULL"                                               \
    "      OR (',' || CAST($5 AS TEXT) || ',') LIKE ('%,' || station_id || ',%'))" \
    " AND (sold_at_us >= $6 OR $6 IS NULL) AND (sold_at_us < $7 OR $7 IS NULL)"    \
    " AND (product_id = $8 OR $8 IS NULL) AND (payment_method = $9 OR $9 IS NULL)" \
    " AND (attendant_id = $10 OR $10 IS NULL) AND (kind = $11 OR $11 IS NULL)"     \
    " AND (shift_id = $12 OR $12 IS NULL) "
constexpr db::Query kListSales{"forecourt.list_sales",
                               "SELECT " OMC_SALE_COLUMNS OMC_LIST_SALES_FILTER
                               "AND id > $2 ORDER BY id LIMIT $3"};
constexpr db::Query kListSalesNewest{"forecourt.list_sales_newest",
                                     "SELECT " OMC_SALE_COLUMNS OMC_LIST_SALES_FILTER
                                     "AND id < $2 ORDER BY id DESC LIMIT $3"};
#undef OMC_LIST_SALES_FILTER

// Where ?order=desc starts without a cursor: after every id.
const Uuid kAfterEveryId = *Uuid::Parse("ffffffff-ffff-ffff-ffff-ffffffffffff");

// The recorded_at/sold_at window a sale may claim, relative to the server's clock.
void CheckSoldAt(http::JsonBody& body, const std::optional<std::string>& text, TimestampUs now,
                 TimestampUs& sold_at) {
    sold_at = now;
    if (!text) return;
    const std::optional<TimestampUs> parsed = ParseTimestamp(*text);
    if (!parsed) {
        body.AddError("sold_at", "must be an RFC 3339 time such as 2026-11-21T08:00:00Z");
    } else if (*parsed > now + kSaleClockSkewUs) {
        body.AddError("sold_at", "must not be in the future");
    } else if (*parsed < now - kSaleMaxAgeUs) {
        body.AddError("sold_at", "is more than 7 days old");
    } else {
        sold_at = *parsed;
    }
}

Result<Uuid> ReadClientId(http::JsonBody& body) {
    const Uuid id = body.RequiredUuid("id");
    if (!body.HasErrors() && id.version() != 7) {
        body.AddError("id", "must be a UUIDv7 made by the client");
    }
    return id;
}

http::Reply SaleReply(const Sale& sale) {
    http::Reply reply;
    reply.status = sale.replayed ? 200 : 201;
    reply.data_text = SaleJsonText(sale);
    reply.headers.emplace_back("Location", "/api/v1/transactions/" + sale.id.ToString());
    return reply;
}

// The routes share the service; it lives as long as the router holds them.
struct SalesDeps {
    ForecourtDeps deps;
    std::shared_ptr<SalesService> sales;
};

Result<http::Reply> RecordSale(const SalesDeps& d, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"id", "station_id", "kind", "nozzle_id", "product_id", "quantity", "amount",
                        "unit_price", "payment_method", "payment_ref", "customer_id", "vehicle_id",
                        "driver_id", "attendant_id", "shift_id", "sold_at"});
    SaleCommand c;
    c.principal = CallerOf(ctx);
    OMC_ASSIGN_OR_RETURN(c.id, ReadClientId(body));
    c.station_id = body.RequiredUuid("station_id");
    const std::string kind = body.OptionalEnum("kind", {"fuel", "shop"}).value_or("fuel");
    c.kind = kind == "shop" ? SaleKind::kShop : SaleKind::kFuel;
    c.nozzle_id = body.OptionalUuid("nozzle_id");
    c.product_id = body.OptionalUuid("product_id");
    const int64_t max_quantity = c.kind == SaleKind::kFuel ? kMaxFuelSaleMilli : kMaxShopSaleMilli;
    c.quantity_milli = body.OptionalDecimal("quantity", kQuantityScale, 1, max_quantity);
    c.amount = body.OptionalDecimal("amount", kMoneyScale, 1, kMaxSaleAmount);
    c.client_unit_price = body.OptionalDecimal("unit_price", kUnitPriceScale, 1, INT64_MAX / 2);
    c.payment_method =
        body.RequiredEnum("payment_method", {"cash", "momo", "card", "account", "voucher"});
    c.payment_ref = body.OptionalString("payment_ref", kPaymentRefMaxLength);
    c.customer_id = body.OptionalUuid("customer_id");
    c.vehicle_id = body.OptionalUuid("vehicle_id");
    c.driver_id = body.OptionalUuid("driver_id");
    c.attendant_id = body.OptionalUuid("attendant_id");
    c.shift_id = body.OptionalUuid("shift_id");
    CheckSoldAt(body, body.OptionalString("sold_at", 64), d.deps.clock->NowUs(), c.sold_at_us);
    if (c.kind == SaleKind::kFuel) {
        if (!body.Has("nozzle_id")) body.AddError("nozzle_id", "is required for a fuel sale");
        if (body.Has("product_id")) body.AddError("product_id", "comes from the nozzle's tank");
        if (body.Has("quantity") == body.Has("amount")) {
            body.AddError("quantity", "give exactly one of quantity (litres or kg) and amount");
        }
    } else {
        if (!body.Has("product_id")) body.AddError("product_id", "is required for a shop sale");
        if (body.Has("nozzle_id")) body.AddError("nozzle_id", "is for fuel sales only");
        if (!body.Has("quantity")) body.AddError("quantity", "is required for a shop sale");
        if (body.Has("amount")) body.AddError("amount", "a shop sale is priced by quantity");
    }
    if (c.payment_method == "account" && !body.Has("customer_id")) {
        body.AddError("customer_id", "is required when paying on account");
    }
    for (const char* field : {"vehicle_id", "driver_id"}) {
        if (c.payment_method != "account" && body.Has(field)) {
            body.AddError(field, "is for sales on account");
        }
    }
    OMC_TRY(body.Finish());
    // nlohmann keeps object keys sorted, so the dump is a canonical form of the request.
    c.request_hash = auth::Sha256Hex(body.raw().dump());
    // Sales are facts of their own (no audit record per sale); voids and refunds are audited.
    ctx.audit().skip = true;
    // Answered by the group committer's thread once the sale's batch committed: nobody waits.
    return http::Reply::Later([sales = d.sales, tenant = ctx.tenant(), command = std::move(c)](
                                  std::function<void(Result<http::Reply>)> done) mutable {
        sales->RecordAsync(tenant, std::move(command), [done = std::move(done)](Result<Sale> sale) {
            if (!sale.ok()) {
                done(std::move(sale).error());
                return;
            }
            done(SaleReply(*sale));
        });
    });
}

// Voids and refunds: approved by the StationManager recording them, with a reason.
Result<http::Reply> Reverse(const SalesDeps& d, http::RequestContext& ctx, SaleKind kind) {
    OMC_ASSIGN_OR_RETURN(const Uuid original_id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    if (kind == SaleKind::kRefund) {
        body.RejectUnknown({"id", "reason", "quantity"});
    } else {
        body.RejectUnknown({"id", "reason"});
    }
    SaleCommand c;
    c.principal = CallerOf(ctx);
    c.kind = kind;
    c.reverses_id = original_id;
    OMC_ASSIGN_OR_RETURN(c.id, ReadClientId(body));
    std::string reason = body.RequiredString("reason", kReasonMaxLength);
    if (!body.HasErrors() && reason.find_first_not_of(" \t\r\n") == std::string::npos) {
        body.AddError("reason", "must not be blank");
    }
    c.reason = std::move(reason);
    if (kind == SaleKind::kRefund) {
        c.quantity_milli = body.OptionalDecimal("quantity", kQuantityScale, 1, kMaxFuelSaleMilli);
    }
    OMC_TRY(body.Finish());
    c.request_hash = auth::Sha256Hex(body.raw().dump() + "|" + original_id.ToString());
    c.sold_at_us = d.deps.clock->NowUs();
    // The original's station, read in a short transaction of its own: Record must not be called
    // while this thread holds a pooled connection.
    OMC_ASSIGN_OR_RETURN(
        const std::optional<Sale> original,
        db::InTransaction(ctx.database(), {.tenant = ctx.tenant(), .read_only = true},
                          [&](db::Transaction& tx) -> Result<std::optional<Sale>> {
                              OMC_ASSIGN_OR_RETURN(std::optional<Sale> s,
                                                   FindSale(tx, ctx.tenant(), original_id));
                              if (s) {
                                  OMC_ASSIGN_OR_RETURN(const auto station,
                                                       identity::FindVisibleStation(
                                                           tx, CallerOf(ctx), s->station_id));
                                  if (!station) s.reset();
                              }
                              return s;
                          }));
    if (!original) return NotFoundError("sale");
    c.station_id = original->station_id;
    ctx.audit().entity_type = "sale";
    ctx.audit().entity_id = original_id.ToString();
    OMC_ASSIGN_OR_RETURN(const Sale sale, d.sales->Record(ctx.tenant(), std::move(c)));
    ctx.audit().summary = json{{"reversal_id", sale.id.ToString()},
                               {"receipt_no", sale.receipt_no},
                               {"quantity", FormatQuantity(sale.quantity_milli)},
                               {"amount", FormatMoney(sale.amount)},
                               {"reason", sale.reason.value_or("")}};
    return SaleReply(sale);
}

Result<http::Reply> VoidSale(const SalesDeps& d, http::RequestContext& ctx) {
    return Reverse(d, ctx, SaleKind::kVoid);
}
Result<http::Reply> RefundSale(const SalesDeps& d, http::RequestContext& ctx) {
    return Reverse(d, ctx, SaleKind::kRefund);
}

Result<http::Reply> GetSale(const SalesDeps& /*d*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const std::optional<Sale> sale, FindSale(*tx, ctx.tenant(), id));
    if (!sale) return NotFoundError("sale");
    OMC_ASSIGN_OR_RETURN(const auto station,
                         identity::FindVisibleStation(*tx, CallerOf(ctx), sale->station_id));
    if (!station) return NotFoundError("sale");
    return Answer(SaleJson(*sale));
}

// The list filters shared by the page and the CSV export, and the order (?order=asc, the
// default, or desc) as the query to run.
struct SaleList {
    const db::Query* query = &kListSales;
    db::Params params;
};

Result<SaleList> ListParams(db::Transaction& tx, const http::RequestContext& ctx,
                            const std::optional<Uuid>& cursor, int limit) {
    OMC_ASSIGN_OR_RETURN(const StationFilter filter, ListFilter(tx, ctx));
    OMC_ASSIGN_OR_RETURN(const std::optional<TimestampUs> from, QueryTime(ctx, "from"));
    OMC_ASSIGN_OR_RETURN(const std::optional<TimestampUs> to, QueryTime(ctx, "to"));
    OMC_ASSIGN_OR_RETURN(const std::optional<Uuid> product, QueryUuid(ctx, "product_id"));
    OMC_ASSIGN_OR_RETURN(const std::optional<Uuid> attendant, QueryUuid(ctx, "attendant_id"));
    OMC_ASSIGN_OR_RETURN(const std::optional<Uuid> shift, QueryUuid(ctx, "shift_id"));
    const std::optional<std::string> payment = ctx.request().QueryParam("payment_method");
    if (payment && *payment != "cash" && *payment != "momo" && *payment != "card" &&
        *payment != "account" && *payment != "voucher") {
        return InvalidArgument("payment_method",
                               "must be one of: cash, momo, card, account, voucher");
    }
    const std::optional<std::string> kind = ctx.request().QueryParam("kind");
    if (kind && *kind != "fuel" && *kind != "shop" && *kind != "void" && *kind != "refund") {
        return InvalidArgument("kind", "must be one of: fuel, shop, void, refund");
    }
    const std::string order = ctx.request().QueryParam("order").value_or("asc");
    if (order != "asc" && order != "desc") {
        return InvalidArgument("order", "must be asc (oldest first) or desc (newest first)");
    }
    if (from && to && *from >= *to) return InvalidArgument("to", "must be after from");
    const bool newest = order == "desc";
    const Uuid start = cursor ? *cursor : newest ? kAfterEveryId : Uuid();
    return SaleList{
        .query = newest ? &kListSalesNewest : &kListSales,
        .params = db::Params{ctx.tenant(), start, limit, filter.station, filter.scope_list, from,
                             to, product, payment, attendant, kind, shift}};
}

Result<http::Reply> ListSales(const SalesDeps& /*d*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, PageAfter(page));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(
        const SaleList list,
        ListParams(*tx, ctx, page.cursor ? std::optional<Uuid>(after) : std::nullopt,
                   page.limit + 1));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx->Query(*list.query, list.params));
    std::vector<Sale> sales;
    for (const db::Row& row : rows) sales.push_back(SaleFromRow(row));
    return PageReply(std::move(sales), page.limit, SaleJson);
}

std::string CsvField(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string OptCsv(const std::optional<Uuid>& id) { return id ? id->ToString() : ""; }

// The same filters as the list, as CSV (at most 100,000 rows: narrow by time for more).
Result<http::Reply> ExportSales(const SalesDeps& /*d*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const SaleList list,
                         ListParams(*tx, ctx, std::nullopt, kExportMaxRows + 1));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx->Query(*list.query, list.params));
    if (rows.size() > static_cast<size_t>(kExportMaxRows)) {
        return InvalidArgument("from", "more than 100000 sales match: narrow the time range");
    }
    std::string csv =
        "id,station_id,receipt_no,kind,product_id,nozzle_id,tank_id,shift_id,attendant_id,"
        "quantity,unit_price,amount,payment_method,payment_ref,customer_id,sold_at,recorded_at,"
        "recorded_by,reverses_id,reason,approved_by\r\n";
    for (const db::Row& row : rows) {
        const Sale s = SaleFromRow(row);
        csv +=
            s.id.ToString() + ',' + s.station_id.ToString() + ',' + std::to_string(s.receipt_no) +
            ',' + std::string(SaleKindName(s.kind)) + ',' + s.product_id.ToString() + ',' +
            OptCsv(s.nozzle_id) + ',' + OptCsv(s.tank_id) + ',' + OptCsv(s.shift_id) + ',' +
            OptCsv(s.attendant_id) + ',' + FormatQuantity(s.quantity_milli) + ',' +
            FormatUnitPrice(s.unit_price) + ',' + FormatMoney(s.amount) + ',' + s.payment_method +
            ',' + CsvField(s.payment_ref.value_or("")) + ',' + OptCsv(s.customer_id) + ',' +
            FormatTimestamp(s.sold_at_us) + ',' + FormatTimestamp(s.recorded_at_us) + ',' +
            CsvField(s.recorded_by) + ',' + OptCsv(s.reverses_id) + ',' +
            CsvField(s.reason.value_or("")) + ',' + CsvField(s.approved_by.value_or("")) + "\r\n";
    }
    http::Reply reply;
    reply.raw_body = std::move(csv);
    reply.content_type = "text/csv; charset=utf-8";
    reply.headers.emplace_back("Content-Disposition", "attachment; filename=\"sales.csv\"");
    return reply;
}

using SalesHandler = Result<http::Reply> (*)(const SalesDeps&, http::RequestContext&);

http::Route SaleRoute(http::Method method, std::string pattern, std::string name,
                      std::string permission, const SalesDeps& d, SalesHandler handler) {
    const bool write = method != http::Method::kGet;
    return http::Route{
        .method = method,
        .pattern = std::move(pattern),
        .name = std::move(name),
        .auth = http::Auth::kAuthenticated,
        .rate = write ? http::RateClass::kWrite : http::RateClass::kRead,
        // The sale id is the idempotency key: a retried sale with the same id and fields
        // answers the stored sale (200), so the request-level Idempotency-Key is not used.
        .idempotent = false,
        .tenant_owned = true,
        .permission = std::move(permission),
        .handler = [d, handler](http::RequestContext& ctx) { return handler(d, ctx); }};
}

}  // namespace

void RegisterSaleRoutes(http::Router& router, const ForecourtDeps& deps,
                        std::shared_ptr<SalesService> sales) {
    using http::Method;
    const SalesDeps d{deps, std::move(sales)};
    http::Route record = SaleRoute(Method::kPost, "/api/v1/transactions", "forecourt.sales.record",
                                   "sales.write", d, RecordSale);
    record.defers_reply = true;  // RecordSale answers Reply::Later and blocks on nothing before
    router.Add(std::move(record));
    router.Add(SaleRoute(Method::kGet, "/api/v1/transactions", "forecourt.sales.list",
                         "forecourt.read", d, ListSales));
    router.Add(SaleRoute(Method::kGet, "/api/v1/transactions/export.csv", "forecourt.sales.export",
                         "forecourt.read", d, ExportSales));
    router.Add(SaleRoute(Method::kGet, "/api/v1/transactions/{id}", "forecourt.sales.get",
                         "forecourt.read", d, GetSale));
    router.Add(SaleRoute(Method::kPost, "/api/v1/transactions/{id}/void", "forecourt.sales.void",
                         "sales.reverse", d, VoidSale));
    router.Add(SaleRoute(Method::kPost, "/api/v1/transactions/{id}/refund",
                         "forecourt.sales.refund", "sales.reverse", d, RefundSale));
}

}  // namespace omc::forecourt
