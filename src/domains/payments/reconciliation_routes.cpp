// POST/GET /api/v1/payments/reconciliations: run a day's reconciliation of a provider's
// statement (fetched from the provider, or uploaded as CSV) and read or export what it found.
#include <set>
#include <utility>

#include "domains/payments/payments.hpp"
#include "domains/payments/reconciliation.hpp"
#include "platform/base/money.hpp"
#include "platform/events/outbox.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/params.hpp"
#include "platform/report/report.hpp"
#include "platform/report/report_reply.hpp"

namespace omc::payments {
namespace {

using nlohmann::json;

constexpr int64_t kDayUs = 86'400LL * 1'000'000;
constexpr size_t kMaxStatementBytes = 4 * 1024 * 1024;

constexpr db::Query kDayIntents{"payments.day_intents", R"sql(
    SELECT id, sale_id, reference, financial_transaction_id, amount, status, sale_state
    FROM payment_intents
    WHERE tenant_id = $1 AND provider = $2 AND created_at_us >= $3 AND created_at_us < $4
    ORDER BY id)sql"};
constexpr db::Query kIntentByReference{"payments.recon_intent_by_reference", R"sql(
    SELECT id, sale_id, reference, financial_transaction_id, amount, status, sale_state
    FROM payment_intents WHERE tenant_id = $1 AND reference = $2)sql"};
constexpr db::Query kInsertRecon{"payments.insert_reconciliation", R"sql(
    INSERT INTO payment_reconciliations (tenant_id, id, provider, business_date, source,
        statement_lines, intents, matched, mismatches, statement_amount, sales_amount,
        created_by, created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13))sql"};
constexpr db::Query kInsertItem{"payments.insert_reconciliation_item", R"sql(
    INSERT INTO payment_reconciliation_items (tenant_id, reconciliation_id, line_no, kind,
        reference, financial_transaction_id, intent_id, sale_id, statement_amount, sale_amount,
        statement_status, intent_status, detail)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13))sql"};
#define OMC_RECON_COLUMNS                                                                  \
    "id, provider, business_date, source, statement_lines, intents, matched, mismatches, " \
    "statement_amount, sales_amount, created_by, created_at_us"
constexpr db::Query kFindRecon{"payments.find_reconciliation",
                               "SELECT " OMC_RECON_COLUMNS
                               " FROM payment_reconciliations WHERE tenant_id = $1 AND id = $2"};
constexpr db::Query kListRecons{"payments.list_reconciliations", "SELECT " OMC_RECON_COLUMNS R"sql(
    FROM payment_reconciliations
    WHERE tenant_id = $1 AND id > $2 AND (business_date = $4 OR $4 IS NULL)
    ORDER BY id LIMIT $3)sql"};
constexpr db::Query kItems{"payments.reconciliation_items", R"sql(
    SELECT line_no, kind, reference, financial_transaction_id, intent_id, sale_id,
           statement_amount, sale_amount, statement_status, intent_status, detail
    FROM payment_reconciliation_items WHERE tenant_id = $1 AND reconciliation_id = $2
    ORDER BY line_no)sql"};

IntentFacts FactsFromRow(const db::Row& row) {
    return {.id = row.Id(0),
            .sale_id = row.Id(1),
            .reference = row.Text(2),
            .financial_transaction_id = row.OptText(3).value_or(""),
            .amount = row.Int(4),
            .status = row.Text(5),
            .sale_state = row.Text(6)};
}

json AmountJson(const db::Row& row, size_t i) {
    return row.IsNull(i) ? json(nullptr) : json(FormatScaled(row.Int(i), 2));
}

struct Recon {
    Uuid id;
    json summary;
    json items = json::array();
    std::vector<report::Row> rows;
};

json SummaryJson(const db::Row& r) {
    return {{"id", r.Id(0).ToString()},
            {"provider", r.Text(1)},
            {"date", r.Text(2)},
            {"source", r.Text(3)},
            {"statement_lines", r.Int(4)},
            {"intents", r.Int(5)},
            {"matched", r.Int(6)},
            {"mismatches", r.Int(7)},
            {"statement_amount", FormatScaled(r.Int(8), 2)},
            {"sales_amount", FormatScaled(r.Int(9), 2)},
            {"created_by", r.Text(10)},
            {"created_at", FormatTimestamp(r.Int(11))}};
}

Result<std::optional<Recon>> LoadRecon(db::Transaction& tx, const TenantId& tenant,
                                       const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows head, tx.Query(kFindRecon, {tenant, id}));
    if (head.empty()) return std::optional<Recon>();
    Recon out;
    out.id = id;
    out.summary = SummaryJson(head[0]);
    OMC_ASSIGN_OR_RETURN(const db::Rows items, tx.Query(kItems, {tenant, id}));
    for (const db::Row& r : items) {
        out.items.push_back(
            {{"line_no", r.Int(0)},
             {"kind", r.Text(1)},
             {"reference", r.OptText(2) ? json(*r.OptText(2)) : json(nullptr)},
             {"financial_transaction_id", r.OptText(3) ? json(*r.OptText(3)) : json(nullptr)},
             {"intent_id", r.IsNull(4) ? json(nullptr) : json(r.Id(4).ToString())},
             {"sale_id", r.IsNull(5) ? json(nullptr) : json(r.Id(5).ToString())},
             {"statement_amount", AmountJson(r, 6)},
             {"sale_amount", AmountJson(r, 7)},
             {"statement_status", r.OptText(8) ? json(*r.OptText(8)) : json(nullptr)},
             {"intent_status", r.OptText(9) ? json(*r.OptText(9)) : json(nullptr)},
             {"detail", r.Text(10)}});
        const auto cell_text = [&](size_t i) -> report::Cell {
            if (r.IsNull(i)) return std::monostate{};
            return r.Text(i);
        };
        const auto cell_money = [&](size_t i) -> report::Cell {
            if (r.IsNull(i)) return std::monostate{};
            return r.Int(i);
        };
        out.rows.push_back({r.Int(0), r.Text(1), cell_text(2), cell_text(3),
                            r.IsNull(4) ? report::Cell{} : report::Cell{r.Id(4).ToString()},
                            cell_money(6), cell_money(7), cell_text(8), cell_text(9), r.Text(10)});
    }
    out.summary["items"] = out.items;
    return std::optional<Recon>(std::move(out));
}

report::Report ReconReport(const Recon& recon) {
    report::Report rep;
    rep.title = "MoMo reconciliation";
    rep.subtitle = {
        "Provider: " + recon.summary["provider"].get<std::string>(),
        "Date: " + recon.summary["date"].get<std::string>(),
        "Statement lines: " + std::to_string(recon.summary["statement_lines"].get<int64_t>()) +
            ", matched: " + std::to_string(recon.summary["matched"].get<int64_t>()) +
            ", mismatches: " + std::to_string(recon.summary["mismatches"].get<int64_t>())};
    using report::ColumnType;
    rep.columns = {{"line_no", "#", ColumnType::kInteger},
                   {"kind", "Mismatch", ColumnType::kText},
                   {"reference", "Reference", ColumnType::kText},
                   {"financial_transaction_id", "Provider txn", ColumnType::kText},
                   {"intent_id", "Intent", ColumnType::kText},
                   {"statement_amount", "Statement (GHS)", ColumnType::kMoney},
                   {"sale_amount", "Sale (GHS)", ColumnType::kMoney},
                   {"statement_status", "Statement status", ColumnType::kText},
                   {"intent_status", "Our status", ColumnType::kText},
                   {"detail", "Detail", ColumnType::kText}};
    rep.AddSection("");
    for (const report::Row& row : recon.rows) rep.AddRow(row);
    return rep;
}

struct RunInput {
    ProviderKind provider = ProviderKind::kMtn;
    std::string date;
    std::optional<std::string> csv;  // uploaded; else fetched
};

Result<RunInput> ParseRunInput(const http::RequestContext& ctx) {
    RunInput in;
    const std::optional<std::string_view> type = ctx.request().Header("Content-Type");
    const bool is_csv = type && type->find("text/csv") != std::string_view::npos;
    std::string provider;
    if (is_csv) {
        provider = ctx.request().QueryParam("provider").value_or("");
        in.date = ctx.request().QueryParam("date").value_or("");
        in.csv = ctx.request().body;
    } else {
        OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
        body.RejectUnknown({"provider", "date", "statement_csv"});
        provider = body.RequiredEnum("provider", {"mtn", "telecel", "at"});
        in.date = body.RequiredString("date", 10);
        in.csv = body.OptionalString("statement_csv", kMaxStatementBytes);
        OMC_TRY(body.Finish());
    }
    const std::optional<ProviderKind> kind = ParseProvider(provider);
    if (!kind) return InvalidArgument("provider", "must be one of: mtn, telecel, at");
    in.provider = *kind;
    if (!ParseDateDays(in.date)) return InvalidArgument("date", "must be a date YYYY-MM-DD");
    return in;
}

Result<http::Reply> RunReconciliation(const std::shared_ptr<Payments>& p,
                                      http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const RunInput in, ParseRunInput(ctx));
    const PaymentsDeps& deps = p->deps();
    std::string csv;
    std::string source = "upload";
    if (in.csv) {
        csv = *in.csv;
    } else {
        // The provider's statement, fetched before the request transaction begins.
        OMC_ASSIGN_OR_RETURN(
            const std::optional<ProviderSettings> settings,
            db::InTransaction(*deps.database, {.tenant = ctx.tenant(), .read_only = true},
                              [&](db::Transaction& tx) {
                                  return Payments::LoadSettings(tx, ctx.tenant(), in.provider);
                              }));
        if (!settings) {
            return Error(ErrorCode::kUnprocessable, "cannot fetch the statement",
                         {{"provider", "is not configured for this tenant"}});
        }
        OMC_ASSIGN_OR_RETURN(csv, p->MakeProvider(ctx.tenant(), *settings)->Statement(in.date));
        source = "provider";
    }
    OMC_ASSIGN_OR_RETURN(const std::vector<StatementLine> lines, ParseStatement(csv));
    const int64_t day = *ParseDateDays(in.date);
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows day_rows,
                         tx->Query(kDayIntents, {ctx.tenant(), ProviderName(in.provider),
                                                 day * kDayUs, (day + 1) * kDayUs}));
    std::vector<IntentFacts> day_intents;
    std::set<std::string> day_refs;
    for (const db::Row& row : day_rows) {
        day_intents.push_back(FactsFromRow(row));
        day_refs.insert(day_intents.back().reference);
    }
    std::vector<IntentFacts> others;
    for (const StatementLine& line : lines) {
        if (day_refs.count(line.reference)) continue;
        OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                             tx->Query(kIntentByReference, {ctx.tenant(), line.reference}));
        if (!rows.empty()) others.push_back(FactsFromRow(rows[0]));
    }
    const ReconcileResult result = Reconcile(lines, day_intents, others);
    const Uuid id = deps.ids->NewV7();
    const TimestampUs now = deps.clock->NowUs();
    OMC_TRY(SaveReconciliation(*tx, ctx.tenant(),
                               {.id = id,
                                .provider = std::string(ProviderName(in.provider)),
                                .business_date = in.date,
                                .source = source,
                                .statement_lines = static_cast<int64_t>(lines.size()),
                                .intents = static_cast<int64_t>(day_intents.size()),
                                .created_by = ctx.principal()->subject,
                                .created_at_us = now},
                               result));
    OMC_ASSIGN_OR_RETURN(const std::optional<Recon> recon, LoadRecon(*tx, ctx.tenant(), id));
    json summary = recon->summary;
    summary.erase("items");
    ctx.audit().entity_type = "payment_reconciliation";
    ctx.audit().entity_id = id.ToString();
    ctx.audit().summary = summary;
    OMC_TRY(events::AppendEvent(
        *tx, ctx.tenant(), *deps.ids, *deps.clock,
        {"payments.reconciliation_completed", "payment_reconciliation", id.ToString(), summary}));
    return http::Created(recon->summary, "/api/v1/payments/reconciliations", id);
}

Result<http::Reply> GetReconciliation(const std::shared_ptr<Payments>& /*p*/,
                                      http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(const report::Format format, report::RequestedFormat(ctx.request()));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const std::optional<Recon> recon, LoadRecon(*tx, ctx.tenant(), id));
    if (!recon) return NotFound("reconciliation");
    if (format == report::Format::kJson) return http::Answer(recon->summary);
    return report::FileReply(ReconReport(*recon), format,
                             "momo-reconciliation-" + recon->summary["date"].get<std::string>());
}

Result<http::Reply> ListReconciliations(const std::shared_ptr<Payments>& /*p*/,
                                        http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, http::PageAfter(page));
    OMC_ASSIGN_OR_RETURN(const std::optional<std::string> date, http::QueryDate(ctx, "date"));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kListRecons, {ctx.tenant(), after, page.limit + 1, date}));
    struct Item {
        Uuid id;
        json data;
    };
    std::vector<Item> items;
    for (const db::Row& row : rows) items.push_back({row.Id(0), SummaryJson(row)});
    return http::PageReply(std::move(items), page.limit, [](const Item& i) { return i.data; });
}

using Handler = Result<http::Reply> (*)(const std::shared_ptr<Payments>&, http::RequestContext&);

http::Route Route(http::Method method, std::string pattern, std::string name,
                  std::string permission, const std::shared_ptr<Payments>& p, Handler handler) {
    http::Route route = http::TenantRoute(
        method, std::move(pattern), std::move(name), std::move(permission),
        [p, handler](http::RequestContext& ctx) { return handler(p, ctx); },
        /*idempotent=*/method == http::Method::kPost);
    return route;
}

}  // namespace

Result<void> SaveReconciliation(db::Transaction& tx, const TenantId& tenant,
                                const ReconciliationRun& run, const ReconcileResult& result) {
    OMC_TRY(tx.Execute(
        kInsertRecon,
        {tenant, run.id, run.provider, run.business_date, run.source, run.statement_lines,
         run.intents, result.matched, static_cast<int64_t>(result.mismatches.size()),
         result.statement_amount, result.sales_amount, run.created_by, run.created_at_us}));
    int64_t line_no = 0;
    for (const Mismatch& m : result.mismatches) {
        std::optional<std::string> reference;
        std::optional<std::string> ftid;
        if (m.line) {
            reference = m.line->reference;
            if (!m.line->financial_transaction_id.empty()) ftid = m.line->financial_transaction_id;
        } else if (m.intent) {
            reference = m.intent->reference;
            if (!m.intent->financial_transaction_id.empty()) {
                ftid = m.intent->financial_transaction_id;
            }
        }
        OMC_TRY(tx.Execute(
            kInsertItem,
            {tenant, run.id, ++line_no, m.kind, reference, ftid,
             m.intent ? std::optional<Uuid>(m.intent->id) : std::nullopt,
             m.intent ? std::optional<Uuid>(m.intent->sale_id) : std::nullopt,
             m.line ? std::optional<int64_t>(m.line->amount) : std::nullopt,
             m.intent ? std::optional<int64_t>(m.intent->amount) : std::nullopt,
             m.line ? std::optional<std::string>(m.line->status) : std::nullopt,
             m.intent ? std::optional<std::string>(m.intent->status) : std::nullopt, m.detail}));
    }
    return Ok();
}

void RegisterReconciliationRoutes(http::Router& router, std::shared_ptr<Payments> payments) {
    using http::Method;
    http::Route run =
        Route(Method::kPost, "/api/v1/payments/reconciliations", "payments.reconciliations.run",
              "payments.manage", payments, RunReconciliation);
    run.other_body_media_types = {"text/csv"};
    router.Add(std::move(run));
    router.Add(Route(Method::kGet, "/api/v1/payments/reconciliations",
                     "payments.reconciliations.list", "payments.reconciliations.read", payments,
                     ListReconciliations));
    router.Add(Route(Method::kGet, "/api/v1/payments/reconciliations/{id}",
                     "payments.reconciliations.get", "payments.reconciliations.read", payments,
                     GetReconciliation));
}

}  // namespace omc::payments
