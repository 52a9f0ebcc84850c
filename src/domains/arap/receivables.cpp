// Receivables: invoices of a customer's credit sales, customer payments and their allocation,
// the customer statement and the receivables aging.
#include <cstdio>
#include <string>
#include <vector>

#include "domains/arap/arap.hpp"
#include "domains/arap/arap_reports.hpp"
#include "domains/arap/common.hpp"
#include "domains/arap/documents.hpp"
#include "domains/arap/model.hpp"
#include "domains/arap/postings.hpp"
#include "domains/identity/identity_api.hpp"
#include "platform/base/assert.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/params.hpp"
#include "platform/report/report_reply.hpp"

namespace omc::arap {
namespace {

using nlohmann::json;

constexpr db::Query kTakeNumber{"arap.take_number", R"sql(
    INSERT INTO arap_counters (tenant_id, name, next_value) VALUES ($1, $2, 1)
    ON CONFLICT (tenant_id, name) DO UPDATE SET next_value = arap_counters.next_value + 1
    RETURNING next_value)sql"};

constexpr db::Query kCustomer{"arap.r_customer", R"sql(
    SELECT code, name, payment_terms_days FROM arap_customers WHERE tenant_id = $1 AND id = $2)sql"};

constexpr db::Query kUninvoiced{"arap.uninvoiced_sales", R"sql(
    SELECT sale_id, station_id, vehicle_id, driver_id, sold_at_us, amount FROM arap_credit_sales
    WHERE tenant_id = $1 AND customer_id = $2 AND invoice_id IS NULL
      AND sold_at_us >= $3 AND sold_at_us < $4
    ORDER BY sold_at_us, sale_id)sql"};

constexpr db::Query kInsertInvoice{"arap.insert_invoice", R"sql(
    INSERT INTO arap_invoices (tenant_id, id, number, invoice_no, customer_id, period_from,
                               period_to, issued_on, due_on, total, line_count, created_by,
                               created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13))sql"};

constexpr db::Query kInsertLine{"arap.insert_invoice_line", R"sql(
    INSERT INTO arap_invoice_lines (tenant_id, invoice_id, line_no, sale_id, station_id,
                                    vehicle_id, driver_id, sold_at_us, amount)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9))sql"};

constexpr db::Query kMarkInvoiced{"arap.mark_invoiced", R"sql(
    UPDATE arap_credit_sales SET invoice_id = $3
    WHERE tenant_id = $1 AND sale_id = $2 AND invoice_id IS NULL)sql"};

#define OMC_ARAP_INVOICE_COLUMNS                                                             \
    "i.id, i.number, i.invoice_no, i.customer_id, i.period_from, i.period_to, i.issued_on, " \
    "i.due_on, i.total, i.line_count, "                                                      \
    "(SELECT COALESCE(SUM(a.amount), 0) FROM arap_customer_allocations a "                   \
    "WHERE a.tenant_id = i.tenant_id AND a.invoice_id = i.id)"

constexpr db::Query kInvoice{"arap.invoice", "SELECT " OMC_ARAP_INVOICE_COLUMNS
                                             " FROM arap_invoices i WHERE i.tenant_id = $1 AND"
                                             " i.customer_id = $2 AND i.id = $3"};
constexpr db::Query kInvoicePage{"arap.invoice_page",
                                 "SELECT " OMC_ARAP_INVOICE_COLUMNS
                                 " FROM arap_invoices i WHERE i.tenant_id = $1 AND"
                                 " i.customer_id = $2 AND i.id > $3 ORDER BY i.id LIMIT $4"};
constexpr db::Query kOpenInvoices{"arap.open_invoices",
                                  "SELECT " OMC_ARAP_INVOICE_COLUMNS
                                  " FROM arap_invoices i WHERE i.tenant_id = $1 AND"
                                  " i.customer_id = $2 ORDER BY i.due_on, i.number"};

constexpr db::Query kLines{"arap.invoice_lines", R"sql(
    SELECT line_no, sale_id, station_id, vehicle_id, driver_id, sold_at_us, amount
    FROM arap_invoice_lines WHERE tenant_id = $1 AND invoice_id = $2 ORDER BY line_no)sql"};

constexpr db::Query kInvoiceAllocations{"arap.invoice_allocations", R"sql(
    SELECT a.payment_id, p.received_on, a.amount FROM arap_customer_allocations a
    JOIN arap_customer_payments p ON p.tenant_id = a.tenant_id AND p.id = a.payment_id
    WHERE a.tenant_id = $1 AND a.invoice_id = $2 ORDER BY p.received_on, a.payment_id)sql"};

constexpr db::Query kInsertPayment{"arap.insert_customer_payment", R"sql(
    INSERT INTO arap_customer_payments (tenant_id, id, customer_id, method, reference,
                                        station_id, amount, received_on, created_by,
                                        created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10))sql"};
constexpr db::Query kInsertAllocation{"arap.insert_customer_allocation", R"sql(
    INSERT INTO arap_customer_allocations (tenant_id, payment_id, invoice_id, amount)
    VALUES ($1, $2, $3, $4))sql"};
constexpr db::Query kPayment{"arap.customer_payment", R"sql(
    SELECT id, customer_id, method, reference, station_id, amount, received_on
    FROM arap_customer_payments WHERE tenant_id = $1 AND customer_id = $2 AND id = $3)sql"};
constexpr db::Query kPaymentPage{"arap.customer_payment_page", R"sql(
    SELECT id, customer_id, method, reference, station_id, amount, received_on
    FROM arap_customer_payments WHERE tenant_id = $1 AND customer_id = $2 AND id > $3
    ORDER BY id LIMIT $4)sql"};
constexpr db::Query kPaymentAllocations{"arap.customer_payment_allocations", R"sql(
    SELECT a.invoice_id, i.invoice_no, a.amount FROM arap_customer_allocations a
    JOIN arap_invoices i ON i.tenant_id = a.tenant_id AND i.id = a.invoice_id
    WHERE a.tenant_id = $1 AND a.payment_id = $2 ORDER BY i.number)sql"};

// The customer's documents for a statement: invoices by issue date, payments by receipt date.
constexpr db::Query kStatementDocs{"arap.customer_statement_docs", R"sql(
    SELECT issued_on, 'invoice', invoice_no, total, number, id FROM arap_invoices
    WHERE tenant_id = $1 AND customer_id = $2 AND issued_on <= $3
    UNION ALL
    SELECT received_on, 'payment', COALESCE(reference, method), amount, created_at_us, id
    FROM arap_customer_payments
    WHERE tenant_id = $1 AND customer_id = $2 AND received_on <= $3
    ORDER BY 1, 2, 5, 6)sql"};

constexpr db::Query kUninvoicedTotal{"arap.uninvoiced_total", R"sql(
    SELECT COALESCE(SUM(amount), 0) FROM arap_credit_sales
    WHERE tenant_id = $1 AND customer_id = $2 AND invoice_id IS NULL)sql"};

// Aging: every invoice issued by the date with what payments received by then allocated to it,
// and each customer's unapplied credit (payments by then less their allocations).
constexpr db::Query kAgingInvoices{"arap.customer_aging_invoices", R"sql(
    SELECT i.customer_id, c.name, i.due_on,
           i.total - COALESCE((SELECT SUM(a.amount) FROM arap_customer_allocations a
                               JOIN arap_customer_payments p
                                 ON p.tenant_id = a.tenant_id AND p.id = a.payment_id
                               WHERE a.tenant_id = i.tenant_id AND a.invoice_id = i.id
                                 AND p.received_on <= $2), 0)
    FROM arap_invoices i JOIN arap_customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
    WHERE i.tenant_id = $1 AND i.issued_on <= $2
    ORDER BY c.name, i.customer_id)sql"};
constexpr db::Query kAgingCredits{"arap.customer_aging_credits", R"sql(
    SELECT p.customer_id, c.name,
           SUM(p.amount - COALESCE((SELECT SUM(a.amount) FROM arap_customer_allocations a
                                    WHERE a.tenant_id = p.tenant_id AND a.payment_id = p.id), 0))
    FROM arap_customer_payments p
    JOIN arap_customers c ON c.tenant_id = p.tenant_id AND c.id = p.customer_id
    WHERE p.tenant_id = $1 AND p.received_on <= $2
    GROUP BY p.customer_id, c.name)sql"};

json InvoiceJson(const db::Row& r) {
    const int64_t total = r.Int(8);
    const int64_t paid = r.Int(10);
    return json{{"id", r.Id(0).ToString()},
                {"number", r.Int(1)},
                {"invoice_no", r.Text(2)},
                {"customer_id", r.Id(3).ToString()},
                {"period_from", r.Text(4)},
                {"period_to", r.Text(5)},
                {"issued_on", r.Text(6)},
                {"due_on", r.Text(7)},
                {"total", FormatMoney(total)},
                {"line_count", r.Int(9)},
                {"paid", FormatMoney(paid)},
                {"outstanding", FormatMoney(total - paid)},
                {"status", paid >= total ? "paid" : "open"}};
}

Result<void> RequireCustomer(db::Transaction& tx, const TenantId& tenant, const Uuid& id,
                             int64_t* terms_days = nullptr, std::string* name = nullptr) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kCustomer, {tenant, id}));
    if (rows.empty()) return NotFound("customer");
    if (terms_days != nullptr) *terms_days = rows[0].Int(2);
    if (name != nullptr) *name = rows[0].Text(1);
    return Ok();
}

Result<json> InvoiceDetail(db::Transaction& tx, const TenantId& tenant, const Uuid& customer,
                           const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kInvoice, {tenant, customer, id}));
    if (rows.empty()) return NotFound("invoice");
    json out = InvoiceJson(rows[0]);
    OMC_ASSIGN_OR_RETURN(const db::Rows lines, tx.Query(kLines, {tenant, id}));
    out["lines"] = json::array();
    for (const db::Row& l : lines) {
        out["lines"].push_back({{"line_no", l.Int(0)},
                                {"sale_id", l.Id(1).ToString()},
                                {"station_id", l.Id(2).ToString()},
                                {"vehicle_id", l.IsNull(3) ? json() : json(l.Id(3).ToString())},
                                {"driver_id", l.IsNull(4) ? json() : json(l.Id(4).ToString())},
                                {"sold_at", FormatTimestamp(l.Int(5))},
                                {"amount", FormatMoney(l.Int(6))}});
    }
    OMC_ASSIGN_OR_RETURN(const db::Rows allocations, tx.Query(kInvoiceAllocations, {tenant, id}));
    out["payments"] = json::array();
    for (const db::Row& a : allocations) {
        out["payments"].push_back({{"payment_id", a.Id(0).ToString()},
                                   {"received_on", a.Text(1)},
                                   {"amount", FormatMoney(a.Int(2))}});
    }
    return out;
}

Result<http::Reply> CreateInvoice(const ArapDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid customer, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"id", "from", "to", "issued_on"});
    const std::optional<Uuid> id = body.OptionalUuid("id");
    const std::string from = body.RequiredString("from", 10);
    const std::string to = body.RequiredString("to", 10);
    const std::string issued_on = body.OptionalString("issued_on", 10).value_or(Today(deps));
    if (!body.HasErrors()) {
        if (!ParseDateDays(from)) body.AddError("from", "must be a date YYYY-MM-DD");
        if (!ParseDateDays(to)) body.AddError("to", "must be a date YYYY-MM-DD");
        if (!ParseDateDays(issued_on)) body.AddError("issued_on", "must be a date YYYY-MM-DD");
    }
    if (!body.HasErrors()) {
        const int64_t days = DaysBetween(from, to);
        if (days < 0) body.AddError("to", "must not be before from");
        if (days >= kMaxInvoicePeriodDays) body.AddError("to", "an invoice covers at most a year");
        if (issued_on < to) body.AddError("issued_on", "must not be before the period's end");
    }
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    int64_t terms = 0;
    OMC_TRY(RequireCustomer(*tx, ctx.tenant(), customer, &terms));
    const TimestampUs from_us = *ParseDateDays(from) * kUsPerDay;
    const TimestampUs to_us = (*ParseDateDays(to) + 1) * kUsPerDay;
    OMC_ASSIGN_OR_RETURN(const db::Rows sales,
                         tx->Query(kUninvoiced, {ctx.tenant(), customer, from_us, to_us}));
    if (sales.empty()) {
        return Error(
            ErrorCode::kUnprocessable, "nothing to invoice",
            {{"from", "the customer has no uninvoiced credit sales from " + from + " to " + to}});
    }
    OMC_ASSIGN_OR_RETURN(const int64_t number, TakeDocumentNumber(*tx, ctx.tenant(), "invoice"));
    const Uuid new_id = id.value_or(deps.ids->NewV7());
    int64_t total = 0;
    for (const db::Row& s : sales) total += s.Int(5);
    OMC_TRY(InsertOrConflict(
        *tx, kInsertInvoice,
        {ctx.tenant(), new_id, number, InvoiceNo(number), customer, from, to, issued_on,
         AddDays(issued_on, terms), total, static_cast<int64_t>(sales.size()),
         CallerOf(ctx).subject, deps.clock->NowUs()},
        "id", "an invoice has this id"));
    int64_t line_no = 0;
    for (const db::Row& s : sales) {
        OMC_TRY(
            InsertOrConflict(*tx, kInsertLine,
                             {ctx.tenant(), new_id, ++line_no, s.Id(0), s.Id(1),
                              s.IsNull(2) ? std::optional<Uuid>() : s.Id(2),
                              s.IsNull(3) ? std::optional<Uuid>() : s.Id(3), s.Int(4), s.Int(5)},
                             "from", "a sale of the period was invoiced concurrently"));
        OMC_ASSIGN_OR_RETURN(const int64_t marked,
                             tx->Execute(kMarkInvoiced, {ctx.tenant(), s.Id(0), new_id}));
        if (marked != 1) {
            return Error(ErrorCode::kConflict, "conflict",
                         {{"from", "a sale of the period was invoiced concurrently"}});
        }
    }
    OMC_ASSIGN_OR_RETURN(json state, InvoiceDetail(*tx, ctx.tenant(), customer, new_id));
    OMC_TRY(RecordChange(deps, ctx, *tx, "arap.invoice_issued", "invoice", new_id, state));
    return http::Created(std::move(state), "/api/v1/customers/" + customer.ToString() + "/invoices",
                         new_id);
}

Result<http::Reply> ListInvoices(const ArapDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid customer, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, http::PageAfter(page));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_TRY(RequireCustomer(*tx, ctx.tenant(), customer));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kInvoicePage, {ctx.tenant(), customer, after,
                                                  static_cast<int64_t>(page.limit + 1)}));
    struct Item {
        Uuid id;
        json data;
    };
    std::vector<Item> items;
    for (const db::Row& r : rows) items.push_back({r.Id(0), InvoiceJson(r)});
    return http::PageReply(std::move(items), page.limit, [](const Item& i) { return i.data; });
}

Result<http::Reply> GetInvoice(const ArapDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid customer, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx, "invoice_id"));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(json out, InvoiceDetail(*tx, ctx.tenant(), customer, id));
    return http::Answer(std::move(out));
}

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
                {"customer_id", r.Id(1).ToString()},
                {"method", r.Text(2)},
                {"reference", OptionalText(r.OptText(3))},
                {"station_id", r.IsNull(4) ? json() : json(r.Id(4).ToString())},
                {"amount", FormatMoney(r.Int(5))},
                {"received_on", r.Text(6)},
                {"allocations", std::move(items)},
                {"unallocated", FormatMoney(r.Int(5) - allocated)}};
}

// The customer's invoices still owed, for allocation.
Result<std::vector<OpenDocument>> OpenInvoices(db::Transaction& tx, const TenantId& tenant,
                                               const Uuid& customer) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kOpenInvoices, {tenant, customer}));
    std::vector<OpenDocument> out;
    for (const db::Row& r : rows) {
        const int64_t outstanding = r.Int(8) - r.Int(10);
        if (outstanding > 0) out.push_back({r.Id(0), r.Text(7), r.Int(1), outstanding});
    }
    return out;
}

// Explicit allocations from the body ("allocations": [{"invoice_id","amount"}]), or nullopt.
std::optional<std::vector<Allocation>> ReadAllocations(http::JsonBody& body) {
    if (!body.Has("allocations")) return std::nullopt;
    std::vector<Allocation> out;
    for (http::JsonBody& a : body.RequiredObjectArray("allocations", 0, kMaxAllocations)) {
        a.RejectUnknown({"invoice_id", "amount"});
        const Uuid invoice = a.RequiredUuid("invoice_id");
        const int64_t amount = a.RequiredDecimal("amount", kMoneyScale, 1, kMaxMoneyPesewas);
        out.push_back({invoice, amount});
    }
    return out;
}

Result<http::Reply> CreatePayment(const ArapDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid customer, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown(
        {"id", "method", "reference", "station_id", "amount", "received_on", "allocations"});
    const std::optional<Uuid> id = body.OptionalUuid("id");
    const std::string method = body.RequiredEnum("method", {"cash", "bank", "momo", "cheque"});
    const std::optional<std::string> reference = body.OptionalString("reference", kTextMaxLength);
    const std::optional<Uuid> station = body.OptionalUuid("station_id");
    const int64_t amount = body.RequiredDecimal("amount", kMoneyScale, 1, kMaxMoneyPesewas);
    const std::string received_on = body.OptionalString("received_on", 10).value_or(Today(deps));
    const std::optional<std::vector<Allocation>> requested = ReadAllocations(body);
    if (!body.HasErrors()) {
        if (!ParseDateDays(received_on)) body.AddError("received_on", "must be a date YYYY-MM-DD");
        if (method == "cash" && !station) {
            body.AddError("station_id", "is required for cash: the station that received it");
        }
        if (method != "cash" && station) body.AddError("station_id", "is for cash payments only");
    }
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_TRY(RequireCustomer(*tx, ctx.tenant(), customer));
    if (station) {
        OMC_ASSIGN_OR_RETURN(const auto found,
                             identity::FindVisibleStation(*tx, CallerOf(ctx), *station));
        if (!found) {
            return Error(ErrorCode::kUnprocessable, "invalid request",
                         {{"station_id", "no such station"}});
        }
    }
    OMC_ASSIGN_OR_RETURN(std::vector<OpenDocument> open, OpenInvoices(*tx, ctx.tenant(), customer));
    OMC_ASSIGN_OR_RETURN(const std::vector<Allocation> allocations,
                         Allocate(amount, std::move(open), requested));
    const Uuid new_id = id.value_or(deps.ids->NewV7());
    OMC_TRY(InsertOrConflict(*tx, kInsertPayment,
                             {ctx.tenant(), new_id, customer, method, reference, station, amount,
                              received_on, CallerOf(ctx).subject, deps.clock->NowUs()},
                             "id", "a payment has this id"));
    for (const Allocation& a : allocations) {
        OMC_TRY(tx->Execute(kInsertAllocation, {ctx.tenant(), new_id, a.document_id, a.amount}));
    }
    OMC_TRY(PostCustomerPayment(*tx, ctx.tenant(),
                                {deps.ids, CallerOf(ctx).subject, deps.clock->NowUs()},
                                {.payment_id = new_id,
                                 .customer_id = customer,
                                 .method = method,
                                 .station_id = station,
                                 .amount = amount,
                                 .received_on = received_on}));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kPayment, {ctx.tenant(), customer, new_id}));
    OMC_ASSIGN_OR_RETURN(json state, PaymentJson(*tx, ctx.tenant(), rows[0]));
    OMC_TRY(RecordChange(deps, ctx, *tx, "arap.customer_payment_received", "customer_payment",
                         new_id, state));
    return http::Created(std::move(state), "/api/v1/customers/" + customer.ToString() + "/payments",
                         new_id);
}

Result<http::Reply> ListPayments(const ArapDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid customer, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, http::PageAfter(page));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_TRY(RequireCustomer(*tx, ctx.tenant(), customer));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kPaymentPage, {ctx.tenant(), customer, after,
                                                  static_cast<int64_t>(page.limit + 1)}));
    struct Item {
        Uuid id;
        json data;
    };
    std::vector<Item> items;
    for (const db::Row& r : rows) {
        OMC_ASSIGN_OR_RETURN(json data, PaymentJson(*tx, ctx.tenant(), r));
        items.push_back({r.Id(0), std::move(data)});
    }
    return http::PageReply(std::move(items), page.limit, [](const Item& i) { return i.data; });
}

Result<http::Reply> CustomerStatement(const ArapDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid customer, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(const report::Format format, report::RequestedFormat(ctx.request()));
    const std::string today = Today(deps);
    OMC_ASSIGN_OR_RETURN(const std::string to, DateParam(ctx, "to", today));
    OMC_ASSIGN_OR_RETURN(const std::string from, DateParam(ctx, "from", to.substr(0, 8) + "01"));
    if (from > to) return InvalidArgument("from", "must not be after to");
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    std::string name;
    OMC_TRY(RequireCustomer(*tx, ctx.tenant(), customer, nullptr, &name));
    OMC_ASSIGN_OR_RETURN(const db::Rows docs,
                         tx->Query(kStatementDocs, {ctx.tenant(), customer, to}));
    StatementInput in{.title = "Customer statement",
                      .party_name = name,
                      .from = from,
                      .to = to,
                      .debit_kind = "invoice",
                      .rows = {}};
    for (const db::Row& d : docs) {
        in.rows.push_back({d.Text(0), d.Text(1), d.Text(2), d.Int(3)});
    }
    OMC_ASSIGN_OR_RETURN(const db::Rows uninvoiced,
                         tx->Query(kUninvoicedTotal, {ctx.tenant(), customer}));
    StatementOutput out = BuildStatement(in);
    out.json["customer_id"] = customer.ToString();
    out.json["uninvoiced_sales"] = FormatMoney(uninvoiced[0].Int(0));
    if (format == report::Format::kJson) return http::Answer(std::move(out.json));
    return report::FileReply(out.report, format, "statement-" + name + "-" + to);
}

Result<http::Reply> ReceivablesAging(const ArapDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const report::Format format, report::RequestedFormat(ctx.request()));
    OMC_ASSIGN_OR_RETURN(const std::string as_of, DateParam(ctx, "as_of", Today(deps)));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows invoices, tx->Query(kAgingInvoices, {ctx.tenant(), as_of}));
    OMC_ASSIGN_OR_RETURN(const db::Rows credits, tx->Query(kAgingCredits, {ctx.tenant(), as_of}));
    AgingInput in{.title = "Receivables aging", .party_key = "customer", .as_of = as_of};
    for (const db::Row& r : invoices) {
        in.documents.push_back({r.Id(0), r.Text(1), r.Text(2), r.Int(3)});
    }
    for (const db::Row& r : credits) in.credits.push_back({r.Id(0), r.Text(1), "", r.Int(2)});
    const AgingOutput out = BuildAging(in);
    if (format == report::Format::kJson) return http::Answer(out.json);
    return report::FileReply(out.report, format, "receivables-aging-" + as_of);
}

}  // namespace

Result<int64_t> TakeDocumentNumber(db::Transaction& tx, const TenantId& tenant,
                                   std::string_view counter) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx.Query(kTakeNumber, {tenant, std::string(counter)}));
    return rows[0].Int(0);
}

std::string InvoiceNo(int64_t number) {
    char text[32];
    std::snprintf(text, sizeof text, "INV-%06lld", static_cast<long long>(number));
    return text;
}

void RegisterReceivableRoutes(http::Router& router, const ArapDeps& deps) {
    using http::Method;
    router.Add(Route(Method::kPost, "/api/v1/customers/{id}/invoices", "arap.invoices.create",
                     "receivables.write", deps, CreateInvoice));
    router.Add(Route(Method::kGet, "/api/v1/customers/{id}/invoices", "arap.invoices.list",
                     "customers.read", deps, ListInvoices));
    router.Add(Route(Method::kGet, "/api/v1/customers/{id}/invoices/{invoice_id}",
                     "arap.invoices.get", "customers.read", deps, GetInvoice));
    router.Add(Route(Method::kPost, "/api/v1/customers/{id}/payments",
                     "arap.customer_payments.create", "receivables.write", deps, CreatePayment));
    router.Add(Route(Method::kGet, "/api/v1/customers/{id}/payments", "arap.customer_payments.list",
                     "customers.read", deps, ListPayments));
    router.Add(Route(Method::kGet, "/api/v1/customers/{id}/statement", "arap.customers.statement",
                     "customers.read", deps, CustomerStatement));
    router.Add(Route(Method::kGet, "/api/v1/receivables/aging", "arap.receivables.aging",
                     "customers.read", deps, ReceivablesAging));
}

}  // namespace omc::arap
