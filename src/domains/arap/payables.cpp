// Payables: suppliers (BDCs, transporters, others), purchase orders, supplier invoices matched to
// their order and the deliveries they bill, supplier payments and their allocation, the supplier
// statement, the payables aging and the matching tolerances.
#include <string>
#include <vector>

#include "domains/arap/arap.hpp"
#include "domains/arap/arap_reports.hpp"
#include "domains/arap/common.hpp"
#include "domains/arap/model.hpp"
#include "domains/arap/postings.hpp"
#include "domains/forecourt/forecourt_api.hpp"
#include "domains/identity/identity_api.hpp"
#include "platform/base/money.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/params.hpp"
#include "platform/report/report_reply.hpp"

namespace omc::arap {
namespace {

using nlohmann::json;

constexpr db::Query kInsertSupplier{"arap.insert_supplier", R"sql(
    INSERT INTO arap_suppliers (tenant_id, id, code, kind, name, tin, contact_name, phone,
                                payment_terms_days, created_by, created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11))sql"};
#define OMC_ARAP_SUPPLIER_COLUMNS \
    "id, code, kind, name, tin, contact_name, phone, payment_terms_days"
constexpr db::Query kSupplier{"arap.supplier", "SELECT " OMC_ARAP_SUPPLIER_COLUMNS
                                               " FROM arap_suppliers WHERE tenant_id = $1 AND "
                                               "id = $2"};
constexpr db::Query kSupplierPage{"arap.supplier_page",
                                  "SELECT " OMC_ARAP_SUPPLIER_COLUMNS
                                  " FROM arap_suppliers WHERE tenant_id = $1 AND id > $2 AND "
                                  "($3 = '' OR kind = $3) ORDER BY id LIMIT $4"};

constexpr db::Query kInsertOrder{"arap.insert_purchase_order", R"sql(
    INSERT INTO arap_purchase_orders (tenant_id, id, po_no, supplier_id, depot, product_id,
                                      quantity_milli, unit_price, status, ordered_on, created_by,
                                      created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10, $11))sql"};
#define OMC_ARAP_ORDER_COLUMNS                                                              \
    "o.id, o.po_no, o.supplier_id, o.depot, o.product_id, o.quantity_milli, o.unit_price, " \
    "o.status, o.ordered_on, (SELECT COALESCE(SUM(si.quantity_milli), 0) FROM "             \
    "arap_supplier_invoices si WHERE si.tenant_id = o.tenant_id AND si.purchase_order_id = o.id)"
constexpr db::Query kOrder{"arap.purchase_order", "SELECT " OMC_ARAP_ORDER_COLUMNS
                                                  " FROM arap_purchase_orders o WHERE "
                                                  "o.tenant_id = $1 AND o.id = $2"};
constexpr db::Query kOrderPage{
    "arap.purchase_order_page",
    "SELECT " OMC_ARAP_ORDER_COLUMNS
    " FROM arap_purchase_orders o WHERE o.tenant_id = $1 AND o.id > $2"
    " AND ($3 = '' OR CAST(o.supplier_id AS TEXT) = $3) ORDER BY o.id LIMIT $4"};
constexpr db::Query kCloseOrder{"arap.close_purchase_order", R"sql(
    UPDATE arap_purchase_orders SET status = 'closed'
    WHERE tenant_id = $1 AND id = $2 AND status = 'open')sql"};

constexpr db::Query kSettings{"arap.settings", R"sql(
    SELECT quantity_tolerance_bp, price_tolerance_bp, mismatch_action FROM arap_settings
    WHERE tenant_id = $1)sql"};
constexpr db::Query kPutSettings{"arap.put_settings", R"sql(
    INSERT INTO arap_settings (tenant_id, quantity_tolerance_bp, price_tolerance_bp,
                               mismatch_action, updated_at_us)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (tenant_id) DO UPDATE SET quantity_tolerance_bp = excluded.quantity_tolerance_bp,
        price_tolerance_bp = excluded.price_tolerance_bp,
        mismatch_action = excluded.mismatch_action, updated_at_us = excluded.updated_at_us)sql"};

constexpr db::Query kInsertInvoice{"arap.insert_supplier_invoice", R"sql(
    INSERT INTO arap_supplier_invoices (tenant_id, id, supplier_id, invoice_no, purchase_order_id,
                                        invoice_date, due_on, quantity_milli, unit_price,
                                        net_amount, vat_amount, total, match_status, match_notes,
                                        created_by, created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16))sql"};
constexpr db::Query kInsertInvoiceDelivery{"arap.insert_supplier_invoice_delivery", R"sql(
    INSERT INTO arap_supplier_invoice_deliveries (tenant_id, invoice_id, delivery_id,
                                                  quantity_milli)
    VALUES ($1, $2, $3, $4))sql"};
#define OMC_ARAP_SINVOICE_COLUMNS                                                           \
    "i.id, i.supplier_id, i.invoice_no, i.purchase_order_id, i.invoice_date, i.due_on, "    \
    "i.quantity_milli, i.unit_price, i.net_amount, i.vat_amount, i.total, i.match_status, " \
    "i.match_notes, (SELECT COALESCE(SUM(a.amount), 0) FROM arap_supplier_allocations a "   \
    "WHERE a.tenant_id = i.tenant_id AND a.invoice_id = i.id), i.created_at_us"
constexpr db::Query kInvoice{"arap.supplier_invoice", "SELECT " OMC_ARAP_SINVOICE_COLUMNS
                                                      " FROM arap_supplier_invoices i WHERE "
                                                      "i.tenant_id = $1 AND i.supplier_id = $2 "
                                                      "AND i.id = $3"};
constexpr db::Query kInvoicePage{"arap.supplier_invoice_page",
                                 "SELECT " OMC_ARAP_SINVOICE_COLUMNS
                                 " FROM arap_supplier_invoices i WHERE i.tenant_id = $1 AND "
                                 "i.supplier_id = $2 AND i.id > $3 ORDER BY i.id LIMIT $4"};
constexpr db::Query kOpenInvoices{"arap.supplier_open_invoices",
                                  "SELECT " OMC_ARAP_SINVOICE_COLUMNS
                                  " FROM arap_supplier_invoices i WHERE i.tenant_id = $1 AND "
                                  "i.supplier_id = $2 ORDER BY i.due_on, i.created_at_us"};
constexpr db::Query kInvoiceDeliveries{"arap.supplier_invoice_deliveries", R"sql(
    SELECT delivery_id, quantity_milli FROM arap_supplier_invoice_deliveries
    WHERE tenant_id = $1 AND invoice_id = $2 ORDER BY delivery_id)sql"};

constexpr db::Query kInsertPayment{"arap.insert_supplier_payment", R"sql(
    INSERT INTO arap_supplier_payments (tenant_id, id, supplier_id, method, reference, amount,
                                        paid_on, created_by, created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9))sql"};
constexpr db::Query kInsertAllocation{"arap.insert_supplier_allocation", R"sql(
    INSERT INTO arap_supplier_allocations (tenant_id, payment_id, invoice_id, amount)
    VALUES ($1, $2, $3, $4))sql"};
constexpr db::Query kPayment{"arap.supplier_payment", R"sql(
    SELECT id, supplier_id, method, reference, amount, paid_on FROM arap_supplier_payments
    WHERE tenant_id = $1 AND supplier_id = $2 AND id = $3)sql"};
constexpr db::Query kPaymentPage{"arap.supplier_payment_page", R"sql(
    SELECT id, supplier_id, method, reference, amount, paid_on FROM arap_supplier_payments
    WHERE tenant_id = $1 AND supplier_id = $2 AND id > $3 ORDER BY id LIMIT $4)sql"};
constexpr db::Query kPaymentAllocations{"arap.supplier_payment_allocations", R"sql(
    SELECT a.invoice_id, i.invoice_no, a.amount FROM arap_supplier_allocations a
    JOIN arap_supplier_invoices i ON i.tenant_id = a.tenant_id AND i.id = a.invoice_id
    WHERE a.tenant_id = $1 AND a.payment_id = $2 ORDER BY i.due_on, i.invoice_no)sql"};

constexpr db::Query kStatementDocs{"arap.supplier_statement_docs", R"sql(
    SELECT invoice_date, 'invoice', invoice_no, total, created_at_us, id
    FROM arap_supplier_invoices WHERE tenant_id = $1 AND supplier_id = $2 AND invoice_date <= $3
    UNION ALL
    SELECT paid_on, 'payment', COALESCE(reference, method), amount, created_at_us, id
    FROM arap_supplier_payments WHERE tenant_id = $1 AND supplier_id = $2 AND paid_on <= $3
    ORDER BY 1, 2, 5, 6)sql"};

constexpr db::Query kAgingInvoices{"arap.supplier_aging_invoices", R"sql(
    SELECT i.supplier_id, s.name, i.due_on,
           i.total - COALESCE((SELECT SUM(a.amount) FROM arap_supplier_allocations a
                               JOIN arap_supplier_payments p
                                 ON p.tenant_id = a.tenant_id AND p.id = a.payment_id
                               WHERE a.tenant_id = i.tenant_id AND a.invoice_id = i.id
                                 AND p.paid_on <= $2), 0)
    FROM arap_supplier_invoices i
    JOIN arap_suppliers s ON s.tenant_id = i.tenant_id AND s.id = i.supplier_id
    WHERE i.tenant_id = $1 AND i.invoice_date <= $2)sql"};
constexpr db::Query kAgingCredits{"arap.supplier_aging_credits", R"sql(
    SELECT p.supplier_id, s.name,
           SUM(p.amount - COALESCE((SELECT SUM(a.amount) FROM arap_supplier_allocations a
                                    WHERE a.tenant_id = p.tenant_id AND a.payment_id = p.id), 0))
    FROM arap_supplier_payments p
    JOIN arap_suppliers s ON s.tenant_id = p.tenant_id AND s.id = p.supplier_id
    WHERE p.tenant_id = $1 AND p.paid_on <= $2
    GROUP BY p.supplier_id, s.name)sql"};

struct Supplier {
    Uuid id;
    std::string code, kind, name;
    int64_t terms_days = 0;
};

json SupplierJson(const db::Row& r) {
    return json{{"id", r.Id(0).ToString()},
                {"code", r.Text(1)},
                {"kind", r.Text(2)},
                {"name", r.Text(3)},
                {"tin", OptionalText(r.OptText(4))},
                {"contact_name", OptionalText(r.OptText(5))},
                {"phone", OptionalText(r.OptText(6))},
                {"payment_terms_days", r.Int(7)}};
}

Result<Supplier> RequireSupplier(db::Transaction& tx, const TenantId& tenant, const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kSupplier, {tenant, id}));
    if (rows.empty()) return NotFound("supplier");
    return Supplier{rows[0].Id(0), rows[0].Text(1), rows[0].Text(2), rows[0].Text(3),
                    rows[0].Int(7)};
}

struct Item {
    Uuid id;
    json data;
};

Result<http::Reply> CreateSupplier(const ArapDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown(
        {"id", "code", "kind", "name", "tin", "contact_name", "phone", "payment_terms_days"});
    const std::optional<Uuid> id = body.OptionalUuid("id");
    const std::string code = body.RequiredString("code", 32);
    const std::string kind = body.RequiredEnum("kind", {"bdc", "transporter", "other"});
    const std::string name = body.RequiredString("name", kNameMaxLength);
    const std::optional<std::string> tin = body.OptionalString("tin", 32);
    const std::optional<std::string> contact = body.OptionalString("contact_name", kNameMaxLength);
    const std::optional<std::string> phone = body.OptionalString("phone", 32);
    const int64_t terms = body.OptionalInt64("payment_terms_days", 0, kMaxTermsDays).value_or(30);
    std::optional<std::string> normal;
    if (!body.HasErrors()) {
        normal = identity::NormaliseCode(code);
        if (!normal) body.AddError("code", "must be 1..32 of A-Z, 0-9, _ and -");
    }
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    const Uuid new_id = id.value_or(deps.ids->NewV7());
    OMC_TRY(InsertOrConflict(*tx, kInsertSupplier,
                             {ctx.tenant(), new_id, *normal, kind, name, tin, contact, phone, terms,
                              CallerOf(ctx).subject, deps.clock->NowUs()},
                             "code", "a supplier has this code or id"));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx->Query(kSupplier, {ctx.tenant(), new_id}));
    const json state = SupplierJson(rows[0]);
    OMC_TRY(RecordChange(deps, ctx, *tx, "arap.supplier_created", "supplier", new_id, state));
    return http::Created(state, "/api/v1/suppliers", new_id);
}

Result<http::Reply> ListSuppliers(const ArapDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, http::PageAfter(page));
    const std::string kind = ctx.request().QueryParam("kind").value_or("");
    if (!kind.empty() && kind != "bdc" && kind != "transporter" && kind != "other") {
        return InvalidArgument("kind", "must be bdc, transporter or other");
    }
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kSupplierPage, {ctx.tenant(), after, kind,
                                                   static_cast<int64_t>(page.limit + 1)}));
    std::vector<Item> items;
    for (const db::Row& r : rows) items.push_back({r.Id(0), SupplierJson(r)});
    return http::PageReply(std::move(items), page.limit, [](const Item& i) { return i.data; });
}

Result<http::Reply> GetSupplier(const ArapDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx->Query(kSupplier, {ctx.tenant(), id}));
    if (rows.empty()) return NotFound("supplier");
    return http::Answer(SupplierJson(rows[0]));
}

// The order's value, quantity × unit price half up (the module's limits keep it in range).
int64_t OrderAmount(int64_t unit_price, int64_t quantity_milli) {
    const Result<Money> amount =
        AmountForVolume(UnitPrice(unit_price), Volume(quantity_milli), RoundingMode::kHalfUp);
    return amount.ok() ? amount->raw() : 0;
}

json OrderJson(const db::Row& r) {
    return json{{"id", r.Id(0).ToString()},
                {"po_no", r.Text(1)},
                {"supplier_id", r.Id(2).ToString()},
                {"depot", r.Text(3)},
                {"product_id", r.Id(4).ToString()},
                {"quantity", FormatQuantity(r.Int(5))},
                {"unit_price", FormatUnitPrice(r.Int(6))},
                {"amount", FormatMoney(OrderAmount(r.Int(6), r.Int(5)))},
                {"status", r.Text(7)},
                {"ordered_on", r.Text(8)},
                {"invoiced_quantity", FormatQuantity(r.Int(9))}};
}

Result<http::Reply> CreateOrder(const ArapDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"id", "po_no", "supplier_id", "depot", "product_id", "quantity",
                        "unit_price", "ordered_on"});
    const std::optional<Uuid> id = body.OptionalUuid("id");
    const std::string po_no = body.RequiredString("po_no", 64);
    const Uuid supplier = body.RequiredUuid("supplier_id");
    const std::string depot = body.RequiredString("depot", kTextMaxLength);
    const Uuid product = body.RequiredUuid("product_id");
    const int64_t quantity = body.RequiredDecimal("quantity", kQuantityScale, 1, kMaxQuantityMilli);
    const int64_t price = body.RequiredDecimal("unit_price", kUnitPriceScale, 1, kMaxUnitPrice);
    const std::string ordered_on = body.OptionalString("ordered_on", 10).value_or(Today(deps));
    if (!body.HasErrors() && !ParseDateDays(ordered_on)) {
        body.AddError("ordered_on", "must be a date YYYY-MM-DD");
    }
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows s, tx->Query(kSupplier, {ctx.tenant(), supplier}));
    if (s.empty()) {
        return Error(ErrorCode::kUnprocessable, "invalid request",
                     {{"supplier_id", "no such supplier"}});
    }
    OMC_ASSIGN_OR_RETURN(const auto found,
                         forecourt::FindProduct(*tx, ctx.tenant(), product.ToString()));
    if (!found) {
        return Error(ErrorCode::kUnprocessable, "invalid request",
                     {{"product_id", "no such product"}});
    }
    const Uuid new_id = id.value_or(deps.ids->NewV7());
    OMC_TRY(InsertOrConflict(*tx, kInsertOrder,
                             {ctx.tenant(), new_id, po_no, supplier, depot, product, quantity,
                              price, ordered_on, CallerOf(ctx).subject, deps.clock->NowUs()},
                             "po_no", "a purchase order has this number or id"));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx->Query(kOrder, {ctx.tenant(), new_id}));
    const json state = OrderJson(rows[0]);
    OMC_TRY(RecordChange(deps, ctx, *tx, "arap.purchase_order_created", "purchase_order", new_id,
                         state));
    return http::Created(state, "/api/v1/purchase-orders", new_id);
}

Result<http::Reply> ListOrders(const ArapDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, http::PageAfter(page));
    OMC_ASSIGN_OR_RETURN(const std::optional<Uuid> supplier, http::QueryUuid(ctx, "supplier_id"));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(
        const db::Rows rows,
        tx->Query(kOrderPage, {ctx.tenant(), after, supplier ? supplier->ToString() : "",
                               static_cast<int64_t>(page.limit + 1)}));
    std::vector<Item> items;
    for (const db::Row& r : rows) items.push_back({r.Id(0), OrderJson(r)});
    return http::PageReply(std::move(items), page.limit, [](const Item& i) { return i.data; });
}

Result<http::Reply> GetOrder(const ArapDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx->Query(kOrder, {ctx.tenant(), id}));
    if (rows.empty()) return NotFound("purchase order");
    return http::Answer(OrderJson(rows[0]));
}

// ---- settings ----

Result<MatchTolerances> LoadTolerances(db::Transaction& tx, const TenantId& tenant) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kSettings, {tenant}));
    MatchTolerances t;
    if (!rows.empty()) {
        t.quantity_bp = rows[0].Int(0);
        t.price_bp = rows[0].Int(1);
        t.refuse = rows[0].Text(2) == "refuse";
    }
    return t;
}

json SettingsJson(const MatchTolerances& t) {
    return json{{"quantity_tolerance_bp", t.quantity_bp},
                {"price_tolerance_bp", t.price_bp},
                {"mismatch_action", t.refuse ? "refuse" : "flag"}};
}

Result<http::Reply> GetSettings(const ArapDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const MatchTolerances t, LoadTolerances(*tx, ctx.tenant()));
    return http::Answer(SettingsJson(t));
}

Result<http::Reply> PutSettings(const ArapDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"quantity_tolerance_bp", "price_tolerance_bp", "mismatch_action"});
    MatchTolerances t;
    t.quantity_bp = body.RequiredInt64("quantity_tolerance_bp", 0, 5'000);
    t.price_bp = body.RequiredInt64("price_tolerance_bp", 0, 5'000);
    t.refuse = body.RequiredEnum("mismatch_action", {"refuse", "flag"}) == "refuse";
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_TRY(tx->Execute(kPutSettings, {ctx.tenant(), t.quantity_bp, t.price_bp,
                                       t.refuse ? "refuse" : "flag", deps.clock->NowUs()}));
    const json state = SettingsJson(t);
    OMC_TRY(RecordChange(deps, ctx, *tx, "arap.settings_updated", "arap_settings",
                         ctx.tenant().value, state));
    return http::Answer(state);
}

// ---- supplier invoices ----

Result<json> SupplierInvoiceJson(db::Transaction& tx, const TenantId& tenant, const db::Row& r) {
    const int64_t total = r.Int(10);
    const int64_t paid = r.Int(13);
    OMC_ASSIGN_OR_RETURN(const db::Rows deliveries,
                         tx.Query(kInvoiceDeliveries, {tenant, r.Id(0)}));
    json items = json::array();
    for (const db::Row& d : deliveries) {
        items.push_back(
            {{"delivery_id", d.Id(0).ToString()}, {"quantity", FormatQuantity(d.Int(1))}});
    }
    return json{{"id", r.Id(0).ToString()},
                {"supplier_id", r.Id(1).ToString()},
                {"invoice_no", r.Text(2)},
                {"purchase_order_id", r.Id(3).ToString()},
                {"invoice_date", r.Text(4)},
                {"due_on", r.Text(5)},
                {"quantity", FormatQuantity(r.Int(6))},
                {"unit_price", FormatUnitPrice(r.Int(7))},
                {"net_amount", FormatMoney(r.Int(8))},
                {"vat", FormatMoney(r.Int(9))},
                {"total", FormatMoney(total)},
                {"match_status", r.Text(11)},
                {"mismatches", json::parse(r.Text(12), nullptr, false)},
                {"paid", FormatMoney(paid)},
                {"outstanding", FormatMoney(total - paid)},
                {"status", paid >= total ? "paid" : "open"},
                {"deliveries", std::move(items)}};
}

struct InvoiceCommand {
    std::optional<Uuid> id;
    std::string invoice_no;
    Uuid order_id;
    std::string invoice_date;
    int64_t quantity = 0;
    int64_t unit_price = 0;
    int64_t vat = 0;
    std::vector<Uuid> deliveries;
};

Result<InvoiceCommand> ParseSupplierInvoice(http::JsonBody& body, const std::string& today) {
    body.RejectUnknown({"id", "invoice_no", "purchase_order_id", "invoice_date", "quantity",
                        "unit_price", "vat", "delivery_ids"});
    InvoiceCommand c;
    c.id = body.OptionalUuid("id");
    c.invoice_no = body.RequiredString("invoice_no", 64);
    c.order_id = body.RequiredUuid("purchase_order_id");
    c.invoice_date = body.OptionalString("invoice_date", 10).value_or(today);
    c.quantity = body.RequiredDecimal("quantity", kQuantityScale, 1, kMaxQuantityMilli);
    c.unit_price = body.RequiredDecimal("unit_price", kUnitPriceScale, 1, kMaxUnitPrice);
    c.vat = body.OptionalDecimal("vat", kMoneyScale, 0, kMaxMoneyPesewas).value_or(0);
    c.deliveries = body.RequiredUuidArray("delivery_ids", 1, kMaxDeliveriesPerInvoice);
    if (!body.HasErrors() && !ParseDateDays(c.invoice_date)) {
        body.AddError("invoice_date", "must be a date YYYY-MM-DD");
    }
    OMC_TRY(body.Finish());
    return c;
}

// The deliveries the invoice bills: each must be the tenant's, of the order's product, listed
// once. Returns Σ their waybill (loaded) litres and each one's quantity.
Result<int64_t> CheckDeliveries(db::Transaction& tx, const TenantId& tenant,
                                const InvoiceCommand& c, const Uuid& product,
                                std::vector<int64_t>& quantities) {
    int64_t delivered = 0;
    for (size_t i = 0; i < c.deliveries.size(); ++i) {
        const std::string field = "delivery_ids[" + std::to_string(i) + "]";
        for (size_t j = 0; j < i; ++j) {
            if (c.deliveries[j] == c.deliveries[i])
                return InvalidArgument(field, "is listed twice");
        }
        OMC_ASSIGN_OR_RETURN(const auto d,
                             forecourt::FindDeliveryEvidence(tx, tenant, c.deliveries[i]));
        if (!d) {
            return Error(ErrorCode::kUnprocessable, "invoice does not match",
                         {{field, "no such delivery"}});
        }
        if (d->product_id != product) {
            return Error(ErrorCode::kUnprocessable, "invoice does not match",
                         {{field, "delivered " + d->product_code + ", not the order's product"}});
        }
        quantities.push_back(d->loaded_ambient_milli);
        delivered += d->loaded_ambient_milli;
    }
    return delivered;
}

Result<http::Reply> CreateSupplierInvoice(const ArapDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid supplier_id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    OMC_ASSIGN_OR_RETURN(const InvoiceCommand c, ParseSupplierInvoice(body, Today(deps)));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Supplier supplier, RequireSupplier(*tx, ctx.tenant(), supplier_id));
    OMC_ASSIGN_OR_RETURN(const db::Rows orders, tx->Query(kOrder, {ctx.tenant(), c.order_id}));
    if (orders.empty() || orders[0].Id(2) != supplier_id) {
        return Error(ErrorCode::kUnprocessable, "invoice does not match",
                     {{"purchase_order_id", "no such purchase order of this supplier"}});
    }
    const db::Row& order = orders[0];
    if (order.Text(7) == "cancelled") {
        return Error(ErrorCode::kConflict, "conflict",
                     {{"purchase_order_id", "the purchase order is cancelled"}});
    }
    std::vector<int64_t> quantities;
    OMC_ASSIGN_OR_RETURN(const int64_t delivered,
                         CheckDeliveries(*tx, ctx.tenant(), c, order.Id(4), quantities));
    OMC_ASSIGN_OR_RETURN(const MatchTolerances tolerances, LoadTolerances(*tx, ctx.tenant()));
    const std::vector<FieldError> mismatches = MatchInvoice({.order_quantity_milli = order.Int(5),
                                                             .order_unit_price = order.Int(6),
                                                             .invoiced_before_milli = order.Int(9),
                                                             .invoice_quantity_milli = c.quantity,
                                                             .invoice_unit_price = c.unit_price,
                                                             .delivered_milli = delivered},
                                                            tolerances);
    if (!mismatches.empty() && tolerances.refuse) {
        return Error(ErrorCode::kUnprocessable, "invoice does not match", mismatches);
    }
    json notes = json::array();
    for (const FieldError& m : mismatches) {
        notes.push_back({{"field", m.field}, {"message", m.message}});
    }
    OMC_ASSIGN_OR_RETURN(
        const Money net,
        AmountForVolume(UnitPrice(c.unit_price), Volume(c.quantity), RoundingMode::kHalfUp));
    OMC_ASSIGN_OR_RETURN(
        const Money cost,
        AmountForVolume(UnitPrice(order.Int(6)), Volume(c.quantity), RoundingMode::kHalfUp));
    const Uuid new_id = c.id.value_or(deps.ids->NewV7());
    OMC_TRY(InsertOrConflict(
        *tx, kInsertInvoice,
        {ctx.tenant(), new_id, supplier_id, c.invoice_no, c.order_id, c.invoice_date,
         AddDays(c.invoice_date, supplier.terms_days), c.quantity, c.unit_price, net.raw(), c.vat,
         net.raw() + c.vat, mismatches.empty() ? "matched" : "flagged", notes.dump(),
         CallerOf(ctx).subject, deps.clock->NowUs()},
        "invoice_no", "this supplier's invoice is already recorded"));
    for (size_t i = 0; i < c.deliveries.size(); ++i) {
        OMC_TRY(InsertOrConflict(
            *tx, kInsertInvoiceDelivery, {ctx.tenant(), new_id, c.deliveries[i], quantities[i]},
            "delivery_ids[" + std::to_string(i) + "]", "is already billed by another invoice"));
    }
    if (order.Int(9) + c.quantity >= order.Int(5)) {
        OMC_TRY(tx->Execute(kCloseOrder, {ctx.tenant(), c.order_id}));
    }
    OMC_TRY(PostSupplierInvoice(*tx, ctx.tenant(),
                                {deps.ids, CallerOf(ctx).subject, deps.clock->NowUs()},
                                {.invoice_id = new_id,
                                 .supplier_id = supplier_id,
                                 .supplier_kind = supplier.kind,
                                 .order_cost = cost.raw(),
                                 .net_amount = net.raw(),
                                 .vat_amount = c.vat,
                                 .invoice_date = c.invoice_date}));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kInvoice, {ctx.tenant(), supplier_id, new_id}));
    OMC_ASSIGN_OR_RETURN(const json state, SupplierInvoiceJson(*tx, ctx.tenant(), rows[0]));
    OMC_TRY(RecordChange(deps, ctx, *tx, "arap.supplier_invoice_recorded", "supplier_invoice",
                         new_id, state));
    return http::Created(state, "/api/v1/suppliers/" + supplier_id.ToString() + "/invoices",
                         new_id);
}

Result<http::Reply> ListSupplierInvoices(const ArapDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid supplier, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, http::PageAfter(page));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_TRY(RequireSupplier(*tx, ctx.tenant(), supplier));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kInvoicePage, {ctx.tenant(), supplier, after,
                                                  static_cast<int64_t>(page.limit + 1)}));
    std::vector<Item> items;
    for (const db::Row& r : rows) {
        OMC_ASSIGN_OR_RETURN(json data, SupplierInvoiceJson(*tx, ctx.tenant(), r));
        items.push_back({r.Id(0), std::move(data)});
    }
    return http::PageReply(std::move(items), page.limit, [](const Item& i) { return i.data; });
}

Result<http::Reply> GetSupplierInvoice(const ArapDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid supplier, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx, "invoice_id"));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx->Query(kInvoice, {ctx.tenant(), supplier, id}));
    if (rows.empty()) return NotFound("supplier invoice");
    OMC_ASSIGN_OR_RETURN(json out, SupplierInvoiceJson(*tx, ctx.tenant(), rows[0]));
    return http::Answer(std::move(out));
}

// ---- supplier payments ----

Result<json> PaymentJson(db::Transaction& tx, const TenantId& tenant, const db::Row& r) {
    OMC_ASSIGN_OR_RETURN(const db::Rows allocations,
                         tx.Query(kPaymentAllocations, {tenant, r.Id(0)}));
    json items = json::array();
    int64_t allocated = 0;
    for (const db::Row& a : allocations) {
        allocated += a.Int(2);
        items.push_back({{"invoice_id", a.Id(0).ToString()},
                         {"invoice_no", a.Text(1)},
                         {"amount", FormatMoney(a.Int(2))}});
    }
    return json{{"id", r.Id(0).ToString()},
                {"supplier_id", r.Id(1).ToString()},
                {"method", r.Text(2)},
                {"reference", OptionalText(r.OptText(3))},
                {"amount", FormatMoney(r.Int(4))},
                {"paid_on", r.Text(5)},
                {"allocations", std::move(items)},
                {"unallocated", FormatMoney(r.Int(4) - allocated)}};
}

Result<http::Reply> CreateSupplierPayment(const ArapDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid supplier_id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"id", "method", "reference", "amount", "paid_on", "allocations"});
    const std::optional<Uuid> id = body.OptionalUuid("id");
    const std::string method = body.RequiredEnum("method", {"bank", "cheque"});
    const std::optional<std::string> reference = body.OptionalString("reference", kTextMaxLength);
    const int64_t amount = body.RequiredDecimal("amount", kMoneyScale, 1, kMaxMoneyPesewas);
    const std::string paid_on = body.OptionalString("paid_on", 10).value_or(Today(deps));
    std::optional<std::vector<Allocation>> requested;
    if (body.Has("allocations")) {
        requested.emplace();
        for (http::JsonBody& a : body.RequiredObjectArray("allocations", 0, kMaxAllocations)) {
            a.RejectUnknown({"invoice_id", "amount"});
            const Uuid invoice = a.RequiredUuid("invoice_id");
            requested->push_back(
                {invoice, a.RequiredDecimal("amount", kMoneyScale, 1, kMaxMoneyPesewas)});
        }
    }
    if (!body.HasErrors() && !ParseDateDays(paid_on)) {
        body.AddError("paid_on", "must be a date YYYY-MM-DD");
    }
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Supplier supplier, RequireSupplier(*tx, ctx.tenant(), supplier_id));
    OMC_ASSIGN_OR_RETURN(const db::Rows invoices,
                         tx->Query(kOpenInvoices, {ctx.tenant(), supplier_id}));
    std::vector<OpenDocument> open;
    for (const db::Row& r : invoices) {
        const int64_t outstanding = r.Int(10) - r.Int(13);
        if (outstanding > 0) open.push_back({r.Id(0), r.Text(5), r.Int(14), outstanding});
    }
    OMC_ASSIGN_OR_RETURN(const std::vector<Allocation> allocations,
                         Allocate(amount, std::move(open), requested));
    const Uuid new_id = id.value_or(deps.ids->NewV7());
    OMC_TRY(InsertOrConflict(*tx, kInsertPayment,
                             {ctx.tenant(), new_id, supplier_id, method, reference, amount, paid_on,
                              CallerOf(ctx).subject, deps.clock->NowUs()},
                             "id", "a payment has this id"));
    for (const Allocation& a : allocations) {
        OMC_TRY(tx->Execute(kInsertAllocation, {ctx.tenant(), new_id, a.document_id, a.amount}));
    }
    OMC_TRY(PostSupplierPayment(*tx, ctx.tenant(),
                                {deps.ids, CallerOf(ctx).subject, deps.clock->NowUs()},
                                {.payment_id = new_id,
                                 .supplier_id = supplier_id,
                                 .supplier_kind = supplier.kind,
                                 .amount = amount,
                                 .paid_on = paid_on}));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kPayment, {ctx.tenant(), supplier_id, new_id}));
    OMC_ASSIGN_OR_RETURN(json state, PaymentJson(*tx, ctx.tenant(), rows[0]));
    OMC_TRY(RecordChange(deps, ctx, *tx, "arap.supplier_payment_made", "supplier_payment", new_id,
                         state));
    return http::Created(std::move(state),
                         "/api/v1/suppliers/" + supplier_id.ToString() + "/payments", new_id);
}

Result<http::Reply> ListSupplierPayments(const ArapDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid supplier, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, http::PageAfter(page));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_TRY(RequireSupplier(*tx, ctx.tenant(), supplier));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kPaymentPage, {ctx.tenant(), supplier, after,
                                                  static_cast<int64_t>(page.limit + 1)}));
    std::vector<Item> items;
    for (const db::Row& r : rows) {
        OMC_ASSIGN_OR_RETURN(json data, PaymentJson(*tx, ctx.tenant(), r));
        items.push_back({r.Id(0), std::move(data)});
    }
    return http::PageReply(std::move(items), page.limit, [](const Item& i) { return i.data; });
}

Result<http::Reply> SupplierStatement(const ArapDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid supplier_id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(const report::Format format, report::RequestedFormat(ctx.request()));
    OMC_ASSIGN_OR_RETURN(const std::string to, DateParam(ctx, "to", Today(deps)));
    OMC_ASSIGN_OR_RETURN(const std::string from, DateParam(ctx, "from", to.substr(0, 8) + "01"));
    if (from > to) return InvalidArgument("from", "must not be after to");
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Supplier supplier, RequireSupplier(*tx, ctx.tenant(), supplier_id));
    OMC_ASSIGN_OR_RETURN(const db::Rows docs,
                         tx->Query(kStatementDocs, {ctx.tenant(), supplier_id, to}));
    StatementInput in{.title = "Supplier statement",
                      .party_name = supplier.name,
                      .from = from,
                      .to = to,
                      .debit_kind = "invoice",
                      .rows = {}};
    for (const db::Row& d : docs) in.rows.push_back({d.Text(0), d.Text(1), d.Text(2), d.Int(3)});
    StatementOutput out = BuildStatement(in);
    out.json["supplier_id"] = supplier_id.ToString();
    if (format == report::Format::kJson) return http::Answer(std::move(out.json));
    return report::FileReply(out.report, format, "supplier-statement-" + supplier.code + "-" + to);
}

Result<http::Reply> PayablesAging(const ArapDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const report::Format format, report::RequestedFormat(ctx.request()));
    OMC_ASSIGN_OR_RETURN(const std::string as_of, DateParam(ctx, "as_of", Today(deps)));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows invoices, tx->Query(kAgingInvoices, {ctx.tenant(), as_of}));
    OMC_ASSIGN_OR_RETURN(const db::Rows credits, tx->Query(kAgingCredits, {ctx.tenant(), as_of}));
    AgingInput in{.title = "Payables aging", .party_key = "supplier", .as_of = as_of};
    for (const db::Row& r : invoices) {
        in.documents.push_back({r.Id(0), r.Text(1), r.Text(2), r.Int(3)});
    }
    for (const db::Row& r : credits) in.credits.push_back({r.Id(0), r.Text(1), "", r.Int(2)});
    const AgingOutput out = BuildAging(in);
    if (format == report::Format::kJson) return http::Answer(out.json);
    return report::FileReply(out.report, format, "payables-aging-" + as_of);
}

}  // namespace

void RegisterPayableRoutes(http::Router& router, const ArapDeps& deps) {
    using http::Method;
    router.Add(Route(Method::kGet, "/api/v1/suppliers", "arap.suppliers.list", "suppliers.read",
                     deps, ListSuppliers));
    router.Add(Route(Method::kPost, "/api/v1/suppliers", "arap.suppliers.create",
                     "suppliers.manage", deps, CreateSupplier));
    router.Add(Route(Method::kGet, "/api/v1/suppliers/{id}", "arap.suppliers.get", "suppliers.read",
                     deps, GetSupplier));
    router.Add(Route(Method::kGet, "/api/v1/purchase-orders", "arap.purchase_orders.list",
                     "suppliers.read", deps, ListOrders));
    router.Add(Route(Method::kPost, "/api/v1/purchase-orders", "arap.purchase_orders.create",
                     "suppliers.manage", deps, CreateOrder));
    router.Add(Route(Method::kGet, "/api/v1/purchase-orders/{id}", "arap.purchase_orders.get",
                     "suppliers.read", deps, GetOrder));
    router.Add(Route(Method::kPost, "/api/v1/suppliers/{id}/invoices",
                     "arap.supplier_invoices.create", "payables.write", deps,
                     CreateSupplierInvoice));
    router.Add(Route(Method::kGet, "/api/v1/suppliers/{id}/invoices", "arap.supplier_invoices.list",
                     "suppliers.read", deps, ListSupplierInvoices));
    router.Add(Route(Method::kGet, "/api/v1/suppliers/{id}/invoices/{invoice_id}",
                     "arap.supplier_invoices.get", "suppliers.read", deps, GetSupplierInvoice));
    router.Add(Route(Method::kPost, "/api/v1/suppliers/{id}/payments",
                     "arap.supplier_payments.create", "payables.write", deps,
                     CreateSupplierPayment));
    router.Add(Route(Method::kGet, "/api/v1/suppliers/{id}/payments", "arap.supplier_payments.list",
                     "suppliers.read", deps, ListSupplierPayments));
    router.Add(Route(Method::kGet, "/api/v1/suppliers/{id}/statement", "arap.suppliers.statement",
                     "suppliers.read", deps, SupplierStatement));
    router.Add(Route(Method::kGet, "/api/v1/payables/aging", "arap.payables.aging",
                     "suppliers.read", deps, PayablesAging));
    router.Add(Route(Method::kGet, "/api/v1/payables/settings", "arap.payables.settings.get",
                     "suppliers.read", deps, GetSettings));
    router.Add(Route(Method::kPut, "/api/v1/payables/settings", "arap.payables.settings.put",
                     "suppliers.manage", deps, PutSettings));
}

}  // namespace omc::arap
