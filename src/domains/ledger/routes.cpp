// Routes of the ledger: chart, accounts, transfers (TigerBeetle-style batches), journal entries
// and reversals, periods, and the reports.
#include "domains/ledger/routes.hpp"

#include <string>
#include <vector>

#include <fmt/format.h>

#include "domains/ledger/chart.hpp"
#include "domains/ledger/ledger.hpp"
#include "domains/ledger/reports.hpp"
#include "platform/base/assert.hpp"
#include "platform/base/money.hpp"
#include "platform/events/record_change.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/params.hpp"
#include "platform/report/period.hpp"
#include "platform/report/report_reply.hpp"

namespace omc::ledger {
namespace {

using nlohmann::json;

// One batch of transfers or entries per request: TigerBeetle's own batch limit is 8190; a
// request this size is already 2 MB of JSON.
constexpr size_t kMaxBatch = 1000;
constexpr size_t kMaxLines = 200;
constexpr int64_t kMaxAmount = 1'000'000'000'000'000LL;  // GH₵ 10 trillion
constexpr int64_t kMaxTimeoutS = 30LL * 24 * 3600;

struct LedgerDeps {
    IdGenerator* ids = nullptr;
    const Clock* clock = nullptr;
};

const http::Principal& CallerOf(const http::RequestContext& ctx) {
    ERP_ASSERT(ctx.principal().has_value(), "ledger routes are authenticated");
    return *ctx.principal();
}

json OptIdJson(const std::optional<Uuid>& id) { return id ? json(id->ToString()) : json(); }

json AccountJson(const Account& a) {
    return json{{"id", a.id.ToString()},
                {"code", a.code},
                {"name", a.name},
                {"type", AccountTypeName(a.type)},
                {"currency", a.currency},
                {"station_id", OptIdJson(a.station_id)},
                {"product_id", OptIdJson(a.product_id)},
                {"party_id", OptIdJson(a.party_id)},
                {"flags",
                 {{"debits_must_not_exceed_credits",
                   (a.flags & account_flags::kDebitsMustNotExceedCredits) != 0},
                  {"credits_must_not_exceed_debits",
                   (a.flags & account_flags::kCreditsMustNotExceedDebits) != 0},
                  {"closed", (a.flags & account_flags::kClosed) != 0}}},
                {"debits_pending", FormatScaled(a.debits_pending, 2)},
                {"debits_posted", FormatScaled(a.debits_posted, 2)},
                {"credits_pending", FormatScaled(a.credits_pending, 2)},
                {"credits_posted", FormatScaled(a.credits_posted, 2)},
                {"balance", FormatScaled(a.Balance(), 2)}};
}

constexpr db::Query kListChart{"ledger.list_chart", R"sql(
    SELECT code, name, type, dimensions, flags, report_group, active FROM ledger_chart
    WHERE tenant_id = $1 ORDER BY code)sql"};
constexpr db::Query kInsertChartLine{"ledger.add_chart_line", R"sql(
    INSERT INTO ledger_chart (tenant_id, code, name, type, dimensions, flags, report_group,
                              active, created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8)
    ON CONFLICT (tenant_id, code) DO NOTHING)sql"};
constexpr db::Query kUpdateChartLine{"ledger.update_chart_line", R"sql(
    UPDATE ledger_chart SET name = COALESCE($3, name), report_group = COALESCE($4, report_group),
                            active = COALESCE($5, active)
    WHERE tenant_id = $1 AND code = $2)sql"};
constexpr db::Query kRenameAccounts{"ledger.rename_accounts", R"sql(
    UPDATE ledger_accounts SET name = $3 WHERE tenant_id = $1 AND code = $2)sql"};
constexpr db::Query kListAccounts{"ledger.list_accounts", R"sql(
    SELECT id, code, station_id, product_id, party_id, name, type, currency, flags,
           debits_pending, debits_posted, credits_pending, credits_posted
    FROM ledger_accounts
    WHERE tenant_id = $1 AND id > $2 AND (code = $4 OR $4 IS NULL)
      AND (station_id = $5 OR $5 IS NULL) AND (product_id = $6 OR $6 IS NULL)
      AND (party_id = $7 OR $7 IS NULL)
    ORDER BY id LIMIT $3)sql"};
constexpr db::Query kGetAccount{"ledger.get_account", R"sql(
    SELECT id, code, station_id, product_id, party_id, name, type, currency, flags,
           debits_pending, debits_posted, credits_pending, credits_posted
    FROM ledger_accounts WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kSetAccountFlags{"ledger.set_account_flags", R"sql(
    UPDATE ledger_accounts SET flags = $3 WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kListTransfers{"ledger.list_transfers", R"sql(
    SELECT t.id, t.debit_account_id, t.credit_account_id, t.amount, t.currency, t.flags,
           t.pending_id, t.timeout_s, t.entry_id, t.kind, t.source_id, t.booked_on, t.memo,
           t.created_at_us, t.created_by, p.state, p.expires_at_us
    FROM ledger_transfers t
    LEFT JOIN ledger_pending p ON p.tenant_id = t.tenant_id AND p.transfer_id = t.id
    WHERE t.tenant_id = $1 AND t.id > $2
      AND (t.debit_account_id = $4 OR t.credit_account_id = $4 OR $4 IS NULL)
      AND (t.entry_id = $5 OR $5 IS NULL) AND (t.source_id = $6 OR $6 IS NULL)
      AND (t.booked_on >= $7 OR $7 IS NULL) AND (t.booked_on <= $8 OR $8 IS NULL)
    ORDER BY t.id LIMIT $3)sql"};
constexpr db::Query kGetTransfer{"ledger.get_transfer", R"sql(
    SELECT t.id, t.debit_account_id, t.credit_account_id, t.amount, t.currency, t.flags,
           t.pending_id, t.timeout_s, t.entry_id, t.kind, t.source_id, t.booked_on, t.memo,
           t.created_at_us, t.created_by, p.state, p.expires_at_us
    FROM ledger_transfers t
    LEFT JOIN ledger_pending p ON p.tenant_id = t.tenant_id AND p.transfer_id = t.id
    WHERE t.tenant_id = $1 AND t.id = $2)sql"};
constexpr db::Query kEntryLegs{"ledger.entry_legs", R"sql(
    SELECT t.id, t.debit_account_id, t.credit_account_id, t.amount, t.currency, t.flags,
           t.pending_id, t.timeout_s, t.entry_id, t.kind, t.source_id, t.booked_on, t.memo,
           t.created_at_us, t.created_by, p.state, p.expires_at_us
    FROM ledger_transfers t
    LEFT JOIN ledger_pending p ON p.tenant_id = t.tenant_id AND p.transfer_id = t.id
    WHERE t.tenant_id = $1 AND t.entry_id = $2 ORDER BY t.id)sql"};
constexpr db::Query kListPeriods{"ledger.list_periods", R"sql(
    SELECT period, status, closed_at_us, closed_by, reopened_reason FROM ledger_periods
    WHERE tenant_id = $1 ORDER BY period DESC)sql"};
constexpr db::Query kGetPeriod{"ledger.get_period", R"sql(
    SELECT status FROM ledger_periods WHERE tenant_id = $1 AND period = $2)sql"};
constexpr db::Query kClosePeriod{"ledger.close_period", R"sql(
    INSERT INTO ledger_periods (tenant_id, period, status, closed_at_us, closed_by)
    VALUES ($1, $2, 'closed', $3, $4)
    ON CONFLICT (tenant_id, period) DO UPDATE
    SET status = 'closed', closed_at_us = excluded.closed_at_us, closed_by = excluded.closed_by)sql"};
constexpr db::Query kReopenPeriod{"ledger.reopen_period", R"sql(
    UPDATE ledger_periods SET status = 'open', closed_at_us = NULL, closed_by = NULL,
                              reopened_reason = $3
    WHERE tenant_id = $1 AND period = $2 AND status = 'closed')sql"};
constexpr db::Query kOpenPendingInPeriod{"ledger.open_pending_in_period", R"sql(
    SELECT COUNT(*) FROM ledger_pending p
    JOIN ledger_transfers t ON t.tenant_id = p.tenant_id AND t.id = p.transfer_id
    WHERE p.tenant_id = $1 AND p.state = 'pending' AND t.booked_on >= $2 AND t.booked_on <= $3)sql"};
// Periods are closed in order: a later period cannot close while an earlier one with postings
// is open.
constexpr db::Query kEarliestPosting{"ledger.earliest_posting", R"sql(
    SELECT MIN(booked_on) FROM ledger_transfers WHERE tenant_id = $1)sql"};

json TransferJson(const db::Row& r) {
    const int64_t flags = r.Int(5);
    json f = json::array();
    if (flags & transfer_flags::kLinked) f.push_back("linked");
    if (flags & transfer_flags::kPending) f.push_back("pending");
    if (flags & transfer_flags::kPostPending) f.push_back("post_pending_transfer");
    if (flags & transfer_flags::kVoidPending) f.push_back("void_pending_transfer");
    return json{{"id", r.Text(0)},
                {"debit_account_id", r.Text(1)},
                {"credit_account_id", r.Text(2)},
                {"amount", FormatScaled(r.Int(3), 2)},
                {"currency", r.Text(4)},
                {"flags", std::move(f)},
                {"pending_id", r.IsNull(6) ? json() : json(r.Text(6))},
                {"timeout_s", r.Int(7)},
                {"entry_id", r.Text(8)},
                {"kind", r.Text(9)},
                {"source_id", r.IsNull(10) ? json() : json(r.Text(10))},
                {"booked_on", r.Text(11)},
                {"memo", r.IsNull(12) ? json() : json(r.Text(12))},
                {"created_at", FormatTimestamp(r.Int(13))},
                {"created_by", r.Text(14)},
                {"pending_state", r.IsNull(15) ? json() : json(r.Text(15))},
                {"expires_at", r.IsNull(16) ? json() : json(FormatTimestamp(r.Int(16)))}};
}

// ---- chart ----

Result<http::Reply> ListChart(const LedgerDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx->Query(kListChart, {ctx.tenant()}));
    json items = json::array();
    if (rows.empty()) {
        // Not copied yet: the template is what the tenant has.
        (void)deps;
        for (const chart::ChartLine& l : chart::Template()) {
            items.push_back({{"code", l.code},
                             {"name", l.name},
                             {"type", AccountTypeName(l.type)},
                             {"dimensions", l.dimensions},
                             {"report_group", l.report_group},
                             {"active", true}});
        }
        return http::Answer(json{{"source", "template"}, {"lines", std::move(items)}});
    }
    for (const db::Row& r : rows) {
        items.push_back({{"code", r.Text(0)},
                         {"name", r.Text(1)},
                         {"type", r.Text(2)},
                         {"dimensions", r.Text(3)},
                         {"report_group", r.Text(5)},
                         {"active", r.Bool(6)}});
    }
    return http::Answer(json{{"source", "tenant"}, {"lines", std::move(items)}});
}

bool ValidCode(std::string_view code) {
    if (code.empty() || code.size() > 16) return false;
    return std::all_of(code.begin(), code.end(),
                       [](char c) { return (c >= '0' && c <= '9') || c == '-' || c == '.'; });
}

Result<void> EnsureChartCopied(db::Transaction& tx, const TenantId& tenant, IdGenerator& ids,
                               TimestampUs now) {
    // Resolving any template account copies the template; bank is dimension-free.
    OMC_ASSIGN_OR_RETURN(
        Account a,
        ResolveAccount(tx, tenant, AccountKey{.code = std::string(chart::kBank)}, ids, now));
    (void)a;
    return Ok();
}

Result<http::Reply> AddChartLine(const LedgerDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"code", "name", "type", "dimensions", "report_group"});
    const std::string code = body.RequiredString("code", 16);
    const std::string name = body.RequiredString("name", 120);
    const std::string type =
        body.RequiredEnum("type", {"asset", "liability", "equity", "revenue", "expense"});
    const std::string dimensions =
        body.OptionalEnum("dimensions", {"", "station", "product", "station,product", "party"})
            .value_or("");
    const std::string group = body.RequiredString("report_group", 80);
    if (!body.HasErrors() && !ValidCode(code)) {
        body.AddError("code", "must be 1..16 of 0-9, '-' and '.'");
    }
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    const TimestampUs now = deps.clock->NowUs();
    OMC_TRY(EnsureChartCopied(*tx, ctx.tenant(), *deps.ids, now));
    OMC_ASSIGN_OR_RETURN(int64_t added,
                         tx->Execute(kInsertChartLine, {ctx.tenant(), code, name, type, dimensions,
                                                        int64_t{0}, group, int64_t{now}}));
    if (added == 0) {
        return Error(ErrorCode::kConflict, "the code exists")
            .WithField("code", code + " is already in the chart of accounts");
    }
    json state{{"code", code},          {"name", name},  {"type", type}, {"dimensions", dimensions},
               {"report_group", group}, {"active", true}};
    OMC_TRY(events::RecordChange(ctx, *tx, *deps.ids, *deps.clock, "ledger.chart_line_added",
                                 "ledger_chart", Uuid(), state));
    http::Reply reply = http::Answer(std::move(state));
    reply.status = 201;
    return reply;
}

Result<http::Reply> UpdateChartLine(const LedgerDeps& deps, http::RequestContext& ctx) {
    const std::string code(ctx.PathParam("code").value_or(""));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"name", "report_group", "active"});
    const std::optional<std::string> name = body.OptionalString("name", 120);
    const std::optional<std::string> group = body.OptionalString("report_group", 80);
    const std::optional<bool> active = body.OptionalBool("active");
    if (active == false) {
        for (const chart::ChartLine& line : chart::Template()) {
            if (line.code == code) {
                body.AddError("active", code +
                                            " is a code the modules post to: rename it, but "
                                            "it cannot be deactivated");
            }
        }
    }
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    const TimestampUs now = deps.clock->NowUs();
    OMC_TRY(EnsureChartCopied(*tx, ctx.tenant(), *deps.ids, now));
    OMC_ASSIGN_OR_RETURN(int64_t changed,
                         tx->Execute(kUpdateChartLine, {ctx.tenant(), code, name, group, active}));
    if (changed == 0) return NotFound("chart of accounts code");
    if (name) OMC_TRY(tx->Execute(kRenameAccounts, {ctx.tenant(), code, *name}));
    json state{{"code", code}};
    if (name) state["name"] = *name;
    if (group) state["report_group"] = *group;
    if (active) state["active"] = *active;
    OMC_TRY(events::RecordChange(ctx, *tx, *deps.ids, *deps.clock, "ledger.chart_line_changed",
                                 "ledger_chart", Uuid(), state));
    return http::Answer(std::move(state));
}

// ---- accounts ----

Result<http::Reply> ListAccounts(const LedgerDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, http::PageAfter(page));
    OMC_ASSIGN_OR_RETURN(const auto station, http::QueryUuid(ctx, "station_id"));
    OMC_ASSIGN_OR_RETURN(const auto product, http::QueryUuid(ctx, "product_id"));
    OMC_ASSIGN_OR_RETURN(const auto party, http::QueryUuid(ctx, "party_id"));
    const std::optional<std::string> code = ctx.request().QueryParam("code");
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(
        db::Rows rows, tx->Query(kListAccounts, {ctx.tenant(), after, page.limit + 1, code, station,
                                                 product, party}));
    std::vector<Account> accounts;
    for (const db::Row& r : rows) accounts.push_back(AccountFromRow(r));
    return http::PageReply(std::move(accounts), page.limit, AccountJson);
}

Result<http::Reply> GetAccount(const LedgerDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx->Query(kGetAccount, {ctx.tenant(), id}));
    if (rows.empty()) return NotFound("ledger account");
    return http::Answer(AccountJson(AccountFromRow(rows[0])));
}

Result<http::Reply> CreateAccount(const LedgerDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"code", "station_id", "product_id", "party_id",
                        "debits_must_not_exceed_credits", "credits_must_not_exceed_debits"});
    AccountKey key;
    key.code = body.RequiredString("code", 16);
    key.station_id = body.OptionalUuid("station_id");
    key.product_id = body.OptionalUuid("product_id");
    key.party_id = body.OptionalUuid("party_id");
    const bool dmnec = body.OptionalBool("debits_must_not_exceed_credits").value_or(false);
    const bool cmned = body.OptionalBool("credits_must_not_exceed_debits").value_or(false);
    if (dmnec && cmned) {
        body.AddError("credits_must_not_exceed_debits",
                      "an account cannot carry both balance limits");
    }
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(Account a,
                         ResolveAccount(*tx, ctx.tenant(), key, *deps.ids, deps.clock->NowUs()));
    int64_t flags = a.flags;
    if (dmnec) flags |= account_flags::kDebitsMustNotExceedCredits;
    if (cmned) flags |= account_flags::kCreditsMustNotExceedDebits;
    if (flags != a.flags) {
        if ((flags & account_flags::kDebitsMustNotExceedCredits) &&
            a.debits_posted + a.debits_pending > a.credits_posted) {
            return Error(ErrorCode::kUnprocessable, "the account already breaks the limit")
                .WithField("debits_must_not_exceed_credits", "debits exceed credits now");
        }
        if ((flags & account_flags::kCreditsMustNotExceedDebits) &&
            a.credits_posted + a.credits_pending > a.debits_posted) {
            return Error(ErrorCode::kUnprocessable, "the account already breaks the limit")
                .WithField("credits_must_not_exceed_debits", "credits exceed debits now");
        }
        OMC_TRY(tx->Execute(kSetAccountFlags, {ctx.tenant(), a.id, flags}));
        a.flags = flags;
    }
    json state = AccountJson(a);
    OMC_TRY(events::RecordChange(ctx, *tx, *deps.ids, *deps.clock, "ledger.account_opened",
                                 "ledger_account", a.id, state));
    return http::Created(std::move(state), "/api/v1/ledger/accounts", a.id);
}

// ---- transfers ----

Result<http::Reply> CreateTransfersRoute(const LedgerDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"transfers"});
    std::vector<http::JsonBody> items = body.RequiredObjectArray("transfers", 1, kMaxBatch);
    std::vector<TransferSpec> specs;
    specs.reserve(items.size());
    for (http::JsonBody& t : items) {
        t.RejectUnknown({"id", "debit_account_id", "credit_account_id", "amount", "currency",
                         "flags", "pending_id", "timeout_s", "kind", "source_id", "booked_on",
                         "memo", "entry_id"});
        TransferSpec s;
        s.id = t.RequiredUuid("id");
        s.pending_id = t.OptionalUuid("pending_id");
        const bool resolves = s.pending_id.has_value();
        s.debit_account_id = resolves ? t.OptionalUuid("debit_account_id").value_or(Uuid())
                                      : t.RequiredUuid("debit_account_id");
        s.credit_account_id = resolves ? t.OptionalUuid("credit_account_id").value_or(Uuid())
                                       : t.RequiredUuid("credit_account_id");
        s.amount = resolves ? t.OptionalDecimal("amount", 2, 0, kMaxAmount).value_or(0)
                            : t.RequiredDecimal("amount", 2, 1, kMaxAmount);
        const std::string currency =
            t.OptionalString("currency", 3).value_or(std::string(kCurrency));
        if (currency != kCurrency) {
            t.AddError("currency",
                       "the ledger keeps GHS only: a transfer between different "
                       "currencies is refused");
        }
        for (const std::string& f : t.Has("flags") ? t.RequiredStringArray("flags", 0, 4, 32)
                                                   : std::vector<std::string>{}) {
            if (f == "linked") {
                s.flags |= transfer_flags::kLinked;
            } else if (f == "pending") {
                s.flags |= transfer_flags::kPending;
            } else if (f == "post_pending_transfer") {
                s.flags |= transfer_flags::kPostPending;
            } else if (f == "void_pending_transfer") {
                s.flags |= transfer_flags::kVoidPending;
            } else {
                t.AddError("flags",
                           "one of linked, pending, post_pending_transfer, "
                           "void_pending_transfer");
            }
        }
        s.timeout_s = t.OptionalInt64("timeout_s", 0, kMaxTimeoutS).value_or(0);
        s.kind = t.OptionalString("kind", 40).value_or("manual");
        s.source_id = t.OptionalUuid("source_id");
        s.entry_id = t.OptionalUuid("entry_id").value_or(s.id);
        s.booked_on = t.OptionalString("booked_on", 10).value_or(FormatDate(deps.clock->NowUs()));
        if (!ParseDateDays(s.booked_on)) t.AddError("booked_on", "must be a date YYYY-MM-DD");
        s.memo = t.OptionalString("memo", 500);
        specs.push_back(std::move(s));
    }
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(
        std::vector<TransferOutcome> failures,
        CreateTransfers(*tx, ctx.tenant(), specs, CallerOf(ctx).subject, deps.clock->NowUs()));
    // Over HTTP a batch is all or nothing: one refused transfer refuses the request (the
    // transaction rolls back), naming every refused transfer.
    if (!failures.empty()) {
        std::vector<FieldError> fields;
        for (const TransferOutcome& o : failures) {
            fields.push_back(
                {fmt::format("transfers[{}]", o.index), std::string(TransferResultName(o.result))});
        }
        const bool conflict = std::any_of(failures.begin(), failures.end(), [](const auto& o) {
            return o.result == TransferResult::kExistsWithDifferentFields ||
                   o.result == TransferResult::kPeriodClosed;
        });
        return Error(conflict ? ErrorCode::kConflict : ErrorCode::kUnprocessable,
                     "transfers refused; nothing was posted", std::move(fields));
    }
    json ids = json::array();
    for (const TransferSpec& s : specs) ids.push_back(s.id.ToString());
    json state{{"transfers", ids}, {"count", specs.size()}};
    OMC_TRY(events::RecordChange(ctx, *tx, *deps.ids, *deps.clock, "ledger.transfers_created",
                                 "ledger_transfer", specs.front().id, state));
    http::Reply reply = http::Answer(std::move(state));
    reply.status = 201;
    return reply;
}

Result<http::Reply> ListTransfers(const LedgerDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, http::PageAfter(page));
    OMC_ASSIGN_OR_RETURN(const auto account, http::QueryUuid(ctx, "account_id"));
    OMC_ASSIGN_OR_RETURN(const auto entry, http::QueryUuid(ctx, "entry_id"));
    OMC_ASSIGN_OR_RETURN(const auto source, http::QueryUuid(ctx, "source_id"));
    OMC_ASSIGN_OR_RETURN(const auto from, http::QueryDate(ctx, "from"));
    OMC_ASSIGN_OR_RETURN(const auto to, http::QueryDate(ctx, "to"));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(db::Rows rows,
                         tx->Query(kListTransfers, {ctx.tenant(), after, page.limit + 1, account,
                                                    entry, source, from, to}));
    std::optional<std::string> next;
    json items = json::array();
    for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(page.limit); ++i) {
        items.push_back(TransferJson(rows[i]));
    }
    if (rows.size() > static_cast<size_t>(page.limit)) {
        next = rows[static_cast<size_t>(page.limit) - 1].Text(0);
    }
    return http::Reply::PageOf(std::move(items), std::move(next));
}

Result<http::Reply> GetTransfer(const LedgerDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx->Query(kGetTransfer, {ctx.tenant(), id}));
    if (rows.empty()) return NotFound("transfer");
    return http::Answer(TransferJson(rows[0]));
}

// ---- journal entries ----

Result<http::Reply> PostEntryRoute(const LedgerDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"id", "booked_on", "memo", "lines"});
    Entry e;
    e.id = body.OptionalUuid("id").value_or(deps.ids->NewV7());
    e.kind = "manual";
    e.booked_on = body.RequiredString("booked_on", 10);
    e.memo = body.RequiredString("memo", 500);
    std::vector<http::JsonBody> lines = body.RequiredObjectArray("lines", 2, kMaxLines);
    for (http::JsonBody& l : lines) {
        l.RejectUnknown({"code", "station_id", "product_id", "party_id", "debit", "credit",
                         "currency", "memo"});
        EntryLine line;
        line.account.code = l.RequiredString("code", 16);
        line.account.station_id = l.OptionalUuid("station_id");
        line.account.product_id = l.OptionalUuid("product_id");
        line.account.party_id = l.OptionalUuid("party_id");
        line.debit = l.OptionalDecimal("debit", 2, 0, kMaxAmount).value_or(0);
        line.credit = l.OptionalDecimal("credit", 2, 0, kMaxAmount).value_or(0);
        if ((line.debit > 0) == (line.credit > 0)) {
            l.AddError("debit", "exactly one of debit and credit must be given, above zero");
        }
        if (l.OptionalString("currency", 3).value_or(std::string(kCurrency)) != kCurrency) {
            l.AddError("currency", "the ledger keeps GHS only");
        }
        line.memo = l.OptionalString("memo", 200);
        e.lines.push_back(std::move(line));
    }
    if (!body.HasErrors() && !ParseDateDays(e.booked_on)) {
        body.AddError("booked_on", "must be a date YYYY-MM-DD");
    }
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_TRY(PostEntries(*tx, ctx.tenant(), std::span<const Entry>(&e, 1), *deps.ids,
                        CallerOf(ctx).subject, deps.clock->NowUs(),
                        PostOptions{.late_to_open_period = false}));
    OMC_ASSIGN_OR_RETURN(db::Rows legs, tx->Query(kEntryLegs, {ctx.tenant(), e.id}));
    json transfers = json::array();
    for (const db::Row& r : legs) transfers.push_back(TransferJson(r));
    json state{{"id", e.id.ToString()},
               {"kind", e.kind},
               {"booked_on", e.booked_on},
               {"memo", *e.memo},
               {"transfers", std::move(transfers)}};
    OMC_TRY(events::RecordChange(ctx, *tx, *deps.ids, *deps.clock, "ledger.entry_posted",
                                 "ledger_entry", e.id, state));
    return http::Created(std::move(state), "/api/v1/ledger/entries", e.id);
}

Result<http::Reply> GetEntry(const LedgerDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(db::Rows legs, tx->Query(kEntryLegs, {ctx.tenant(), id}));
    if (legs.empty()) return NotFound("journal entry");
    json transfers = json::array();
    for (const db::Row& r : legs) transfers.push_back(TransferJson(r));
    return http::Answer(json{{"id", id.ToString()},
                             {"kind", legs[0].Text(9)},
                             {"booked_on", legs[0].Text(11)},
                             {"transfers", std::move(transfers)}});
}

Result<http::Reply> ReverseEntryRoute(const LedgerDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid original, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"id", "booked_on", "reason"});
    const Uuid id = body.OptionalUuid("id").value_or(deps.ids->NewV7());
    const std::string booked_on = body.RequiredString("booked_on", 10);
    const std::string reason = body.RequiredString("reason", 500);
    if (!body.HasErrors() && !ParseDateDays(booked_on)) {
        body.AddError("booked_on", "must be a date YYYY-MM-DD");
    }
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_TRY(ReverseEntry(*tx, ctx.tenant(), original, id, booked_on, reason, *deps.ids,
                         CallerOf(ctx).subject, deps.clock->NowUs()));
    OMC_ASSIGN_OR_RETURN(db::Rows legs, tx->Query(kEntryLegs, {ctx.tenant(), id}));
    json transfers = json::array();
    for (const db::Row& r : legs) transfers.push_back(TransferJson(r));
    json state{{"id", id.ToString()},    {"kind", "reversal"}, {"reverses", original.ToString()},
               {"booked_on", booked_on}, {"reason", reason},   {"transfers", std::move(transfers)}};
    OMC_TRY(events::RecordChange(ctx, *tx, *deps.ids, *deps.clock, "ledger.entry_reversed",
                                 "ledger_entry", id, state));
    return http::Created(std::move(state), "/api/v1/ledger/entries", id);
}

// ---- periods ----

Result<std::string> PathPeriod(const http::RequestContext& ctx) {
    const std::string period(ctx.PathParam("period").value_or(""));
    OMC_ASSIGN_OR_RETURN(const report::Period p, report::MonthPeriod(period, "period"));
    return p.month;
}

Result<http::Reply> ListPeriods(const LedgerDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx->Query(kListPeriods, {ctx.tenant()}));
    json items = json::array();
    for (const db::Row& r : rows) {
        items.push_back({{"period", r.Text(0)},
                         {"status", r.Text(1)},
                         {"closed_at", r.IsNull(2) ? json() : json(FormatTimestamp(r.Int(2)))},
                         {"closed_by", r.IsNull(3) ? json() : json(r.Text(3))},
                         {"reopened_reason", r.IsNull(4) ? json() : json(r.Text(4))}});
    }
    return http::Answer(
        json{{"periods", std::move(items)}, {"note", "a month not listed is open"}});
}

Result<http::Reply> ClosePeriodRoute(const LedgerDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const std::string period, PathPeriod(ctx));
    OMC_ASSIGN_OR_RETURN(const report::Period p, report::MonthPeriod(period, "period"));
    const TimestampUs now = deps.clock->NowUs();
    if (p.last_day >= FormatDate(now)) {
        return Error(ErrorCode::kUnprocessable, "the period has not ended")
            .WithField("period", period + " ends on " + p.last_day);
    }
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(db::Rows status, tx->Query(kGetPeriod, {ctx.tenant(), period}));
    if (!status.empty() && status[0].Text(0) == "closed") {
        return Error(ErrorCode::kConflict, "the period is already closed")
            .WithField("period", period + " is closed");
    }
    OMC_ASSIGN_OR_RETURN(db::Rows pending,
                         tx->Query(kOpenPendingInPeriod, {ctx.tenant(), p.first_day, p.last_day}));
    if (pending[0].Int(0) > 0) {
        return Error(ErrorCode::kUnprocessable, "the period has open two-phase transfers")
            .WithField("period", fmt::format("{} pending transfer(s) booked in {} must be "
                                             "posted or voided first",
                                             pending[0].Int(0), period));
    }
    OMC_TRY(tx->Execute(kClosePeriod, {ctx.tenant(), period, int64_t{now}, CallerOf(ctx).subject}));
    json state{{"period", period}, {"status", "closed"}};
    OMC_TRY(events::RecordChange(ctx, *tx, *deps.ids, *deps.clock, "ledger.period_closed",
                                 "ledger_period", Uuid(), state));
    return http::Answer(std::move(state));
}

Result<http::Reply> ReopenPeriodRoute(const LedgerDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const std::string period, PathPeriod(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"reason"});
    const std::string reason = body.RequiredString("reason", 500);
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(int64_t changed,
                         tx->Execute(kReopenPeriod, {ctx.tenant(), period, reason}));
    if (changed == 0) {
        return Error(ErrorCode::kConflict, "the period is not closed")
            .WithField("period", period + " is open");
    }
    json state{{"period", period}, {"status", "open"}, {"reason", reason}};
    OMC_TRY(events::RecordChange(ctx, *tx, *deps.ids, *deps.clock, "ledger.period_reopened",
                                 "ledger_period", Uuid(), state));
    return http::Answer(std::move(state));
}

// ---- reports ----

Result<std::string> RequiredDate(const http::RequestContext& ctx, std::string_view name) {
    OMC_ASSIGN_OR_RETURN(const std::optional<std::string> d, http::QueryDate(ctx, name));
    if (!d) return InvalidArgument(std::string(name), "required: a date YYYY-MM-DD");
    return *d;
}

Result<std::pair<std::string, std::string>> DateRange(const http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const std::string from, RequiredDate(ctx, "from"));
    OMC_ASSIGN_OR_RETURN(const std::string to, RequiredDate(ctx, "to"));
    if (to < from) return InvalidArgument("to", "must not be before from");
    return std::pair{from, to};
}

json FinancialJson(const FinancialStatement& fs) {
    json lines = json::array();
    for (const auto& l : fs.lines) {
        lines.push_back({{"section", l.section},
                         {"code", l.code},
                         {"name", l.name},
                         {"amount", FormatScaled(l.amount, 2)}});
    }
    json sections = json::array();
    for (const auto& [s, total] : fs.section_totals) {
        sections.push_back({{"section", s}, {"total", FormatScaled(total, 2)}});
    }
    json results = json::object();
    for (const auto& [label, amount] : fs.results) results[label] = FormatScaled(amount, 2);
    return json{{"title", fs.title},
                {"subtitle", fs.subtitle},
                {"lines", std::move(lines)},
                {"sections", std::move(sections)},
                {"results", std::move(results)}};
}

Result<http::Reply> TrialBalanceRoute(const LedgerDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const report::Format format, report::RequestedFormat(ctx.request()));
    OMC_ASSIGN_OR_RETURN(const std::string as_of, RequiredDate(ctx, "as_of"));
    OMC_ASSIGN_OR_RETURN(const std::optional<bool> per_account, http::QueryBool(ctx, "accounts"));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const TrialBalance tb, ComputeTrialBalance(*tx, ctx.tenant(), as_of,
                                                                    per_account.value_or(false)));
    if (format != report::Format::kJson) {
        return report::FileReply(TrialBalanceReport(tb), format, "trial-balance-" + as_of);
    }
    json lines = json::array();
    for (const auto& l : tb.lines) {
        lines.push_back({{"code", l.code},
                         {"name", l.name},
                         {"type", l.type},
                         {"dimensions", l.account},
                         {"account_id", l.account_id ? json(l.account_id->ToString()) : json()},
                         {"debit", FormatScaled(l.debit, 2)},
                         {"credit", FormatScaled(l.credit, 2)}});
    }
    return http::Answer(json{{"as_of", as_of},
                             {"lines", std::move(lines)},
                             {"total_debit", FormatScaled(tb.total_debit, 2)},
                             {"total_credit", FormatScaled(tb.total_credit, 2)},
                             {"balanced", tb.total_debit == tb.total_credit}});
}

Result<http::Reply> ProfitAndLossRoute(const LedgerDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const report::Format format, report::RequestedFormat(ctx.request()));
    OMC_ASSIGN_OR_RETURN(const auto range, DateRange(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const FinancialStatement fs,
                         ComputeProfitAndLoss(*tx, ctx.tenant(), range.first, range.second));
    if (format != report::Format::kJson) {
        return report::FileReply(FinancialStatementReport(fs), format,
                                 "profit-and-loss-" + range.first + "-" + range.second);
    }
    return http::Answer(FinancialJson(fs));
}

Result<http::Reply> BalanceSheetRoute(const LedgerDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const report::Format format, report::RequestedFormat(ctx.request()));
    OMC_ASSIGN_OR_RETURN(const std::string as_of, RequiredDate(ctx, "as_of"));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const FinancialStatement fs,
                         ComputeBalanceSheet(*tx, ctx.tenant(), as_of));
    if (format != report::Format::kJson) {
        return report::FileReply(FinancialStatementReport(fs), format, "balance-sheet-" + as_of);
    }
    return http::Answer(FinancialJson(fs));
}

Result<http::Reply> StatementRoute(const LedgerDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const report::Format format, report::RequestedFormat(ctx.request()));
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(const auto range, DateRange(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Statement s,
                         ComputeStatement(*tx, ctx.tenant(), id, range.first, range.second));
    if (format != report::Format::kJson) {
        return report::FileReply(StatementReport(s), format,
                                 "statement-" + s.account.code + "-" + range.first);
    }
    json lines = json::array();
    for (const auto& l : s.lines) {
        lines.push_back({{"booked_on", l.booked_on},
                         {"transfer_id", l.transfer_id.ToString()},
                         {"entry_id", l.entry_id.ToString()},
                         {"kind", l.kind},
                         {"memo", l.memo ? json(*l.memo) : json()},
                         {"debit", FormatScaled(l.debit, 2)},
                         {"credit", FormatScaled(l.credit, 2)},
                         {"balance", FormatScaled(l.balance, 2)}});
    }
    return http::Answer(json{{"account", AccountJson(s.account)},
                             {"from", s.from},
                             {"to", s.to},
                             {"opening", FormatScaled(s.opening, 2)},
                             {"lines", std::move(lines)},
                             {"closing", FormatScaled(s.closing, 2)}});
}

Result<http::Reply> SegmentRoute(Segment segment, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const report::Format format, report::RequestedFormat(ctx.request()));
    OMC_ASSIGN_OR_RETURN(const auto range, DateRange(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const auto rows, ComputeSegmentProfit(*tx, ctx.tenant(), segment,
                                                               range.first, range.second));
    if (format != report::Format::kJson) {
        return report::FileReply(SegmentReport(rows, segment, range.first, range.second), format,
                                 std::string(segment == Segment::kStation ? "profit-by-station-"
                                                                          : "profit-by-product-") +
                                     range.first);
    }
    json items = json::array();
    for (const auto& p : rows) {
        items.push_back({{segment == Segment::kStation ? "station_id" : "product_id", p.id},
                         {"name", p.name},
                         {"revenue", FormatScaled(p.revenue, 2)},
                         {"cost_of_sales", FormatScaled(p.cost_of_sales, 2)},
                         {"gross_profit", FormatScaled(p.Gross(), 2)},
                         {"other_income", FormatScaled(p.other_income, 2)},
                         {"other_expenses", FormatScaled(p.other_expenses, 2)},
                         {"net_profit", FormatScaled(p.Net(), 2)}});
    }
    return http::Answer(
        json{{"from", range.first}, {"to", range.second}, {"rows", std::move(items)}});
}

Result<http::Reply> ProfitByStation(const LedgerDeps& /*deps*/, http::RequestContext& ctx) {
    return SegmentRoute(Segment::kStation, ctx);
}
Result<http::Reply> ProfitByProduct(const LedgerDeps& /*deps*/, http::RequestContext& ctx) {
    return SegmentRoute(Segment::kProduct, ctx);
}

using LedgerHandler = Result<http::Reply> (*)(const LedgerDeps&, http::RequestContext&);

http::Route Route(http::Method method, std::string pattern, std::string name,
                  std::string permission, const LedgerDeps& deps, LedgerHandler handler) {
    return http::TenantRoute(
        method, std::move(pattern), std::move(name), std::move(permission),
        [deps, handler](http::RequestContext& ctx) { return handler(deps, ctx); },
        /*idempotent=*/true);
}

}  // namespace

void RegisterLedgerRoutes(http::Router& router, IdGenerator& ids, const Clock& clock) {
    using http::Method;
    const LedgerDeps deps{.ids = &ids, .clock = &clock};
    const std::string base = "/api/v1/ledger";
    router.Add(
        Route(Method::kGet, base + "/chart", "ledger.chart.list", "ledger.read", deps, ListChart));
    router.Add(Route(Method::kPost, base + "/chart", "ledger.chart.add", "ledger.manage", deps,
                     AddChartLine));
    router.Add(Route(Method::kPatch, base + "/chart/{code}", "ledger.chart.update", "ledger.manage",
                     deps, UpdateChartLine));
    router.Add(Route(Method::kGet, base + "/accounts", "ledger.accounts.list", "ledger.read", deps,
                     ListAccounts));
    router.Add(Route(Method::kPost, base + "/accounts", "ledger.accounts.create", "ledger.manage",
                     deps, CreateAccount));
    router.Add(Route(Method::kGet, base + "/accounts/{id}", "ledger.accounts.get", "ledger.read",
                     deps, GetAccount));
    router.Add(Route(Method::kGet, base + "/accounts/{id}/statement", "ledger.accounts.statement",
                     "ledger.read", deps, StatementRoute));
    router.Add(Route(Method::kPost, base + "/transfers", "ledger.transfers.create", "ledger.post",
                     deps, CreateTransfersRoute));
    router.Add(Route(Method::kGet, base + "/transfers", "ledger.transfers.list", "ledger.read",
                     deps, ListTransfers));
    router.Add(Route(Method::kGet, base + "/transfers/{id}", "ledger.transfers.get", "ledger.read",
                     deps, GetTransfer));
    router.Add(Route(Method::kPost, base + "/entries", "ledger.entries.post", "ledger.post", deps,
                     PostEntryRoute));
    router.Add(Route(Method::kGet, base + "/entries/{id}", "ledger.entries.get", "ledger.read",
                     deps, GetEntry));
    router.Add(Route(Method::kPost, base + "/entries/{id}/reverse", "ledger.entries.reverse",
                     "ledger.post", deps, ReverseEntryRoute));
    router.Add(Route(Method::kGet, base + "/periods", "ledger.periods.list", "ledger.read", deps,
                     ListPeriods));
    router.Add(Route(Method::kPost, base + "/periods/{period}/close", "ledger.periods.close",
                     "ledger.close", deps, ClosePeriodRoute));
    router.Add(Route(Method::kPost, base + "/periods/{period}/reopen", "ledger.periods.reopen",
                     "ledger.close", deps, ReopenPeriodRoute));
    router.Add(Route(Method::kGet, base + "/reports/trial-balance", "ledger.reports.trial_balance",
                     "ledger.read", deps, TrialBalanceRoute));
    router.Add(Route(Method::kGet, base + "/reports/profit-and-loss",
                     "ledger.reports.profit_and_loss", "ledger.read", deps, ProfitAndLossRoute));
    router.Add(Route(Method::kGet, base + "/reports/balance-sheet", "ledger.reports.balance_sheet",
                     "ledger.read", deps, BalanceSheetRoute));
    router.Add(Route(Method::kGet, base + "/reports/profit-by-station",
                     "ledger.reports.profit_by_station", "ledger.read", deps, ProfitByStation));
    router.Add(Route(Method::kGet, base + "/reports/profit-by-product",
                     "ledger.reports.profit_by_product", "ledger.read", deps, ProfitByProduct));
}

}  // namespace omc::ledger
