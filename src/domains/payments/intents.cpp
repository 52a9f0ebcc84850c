// Payment intents: the store, the one place a confirmed payment becomes a sale, and the poller.
#include <algorithm>
#include <utility>

#include "domains/payments/payments.hpp"
#include "platform/base/assert.hpp"
#include "platform/base/money.hpp"
#include "platform/events/outbox.hpp"
#include "platform/log/log.hpp"

namespace omc::payments {
namespace {

using nlohmann::json;

#define OMC_INTENT_COLUMNS                                                                      \
    "tenant_id, id, sale_id, provider, reference, station_id, payer_msisdn, amount, currency, " \
    "external_id, sale_body, principal, status, request_state, reason, "                        \
    "financial_transaction_id, sale_state, sale_error, attempts, callbacks, next_poll_at_us, "  \
    "created_by, created_at_us, updated_at_us, finished_at_us"

constexpr db::Query kFindIntent{"payments.find_intent", "SELECT " OMC_INTENT_COLUMNS
                                                        " FROM payment_intents "
                                                        "WHERE tenant_id = $1 AND id = $2"};
constexpr db::Query kFindByReference{"payments.find_intent_by_reference",
                                     "SELECT " OMC_INTENT_COLUMNS
                                     " FROM payment_intents WHERE reference = $1"};
constexpr db::Query kDueIntents{"payments.due_intents", "SELECT " OMC_INTENT_COLUMNS R"sql(
    FROM payment_intents WHERE status = 'pending' AND next_poll_at_us <= $1
    ORDER BY next_poll_at_us LIMIT $2)sql"};
constexpr db::Query kReschedule{"payments.reschedule", R"sql(
    UPDATE payment_intents SET attempts = attempts + 1, next_poll_at_us = $3, updated_at_us = $4,
                               reason = COALESCE($5, reason)
    WHERE tenant_id = $1 AND id = $2 AND status = 'pending')sql"};
constexpr db::Query kSetRequestState{"payments.set_request_state", R"sql(
    UPDATE payment_intents SET request_state = $3, updated_at_us = $4
    WHERE tenant_id = $1 AND id = $2 AND status = 'pending')sql"};
// Only the update that moves the intent out of `pending` wins: the poller and a callback (in
// this process or another) may both confirm one payment.
constexpr db::Query kFinish{"payments.finish", R"sql(
    UPDATE payment_intents
    SET status = $3, reason = $4, financial_transaction_id = $5, sale_state = $6, sale_error = $7,
        request_state = CASE WHEN $8 THEN 'refused' ELSE request_state END,
        finished_at_us = $9, updated_at_us = $9
    WHERE tenant_id = $1 AND id = $2 AND status = 'pending')sql"};

template <typename T>
json Opt(const std::optional<T>& v) {
    return v ? json(*v) : json(nullptr);
}
std::optional<Uuid> ReadOptId(const json& doc, const char* name) {
    if (!doc.contains(name) || !doc[name].is_string()) return std::nullopt;
    return Uuid::Parse(doc[name].get<std::string>());
}
std::optional<int64_t> ReadOptInt(const json& doc, const char* name) {
    if (!doc.contains(name) || !doc[name].is_number_integer()) return std::nullopt;
    return doc[name].get<int64_t>();
}

http::Principal PrincipalFromJson(const json& doc, const TenantId& tenant) {
    http::Principal p;
    p.tenant = tenant;
    p.subject = doc.value("subject", std::string());
    p.role = doc.value("role", std::string());
    p.is_api_key = doc.value("is_api_key", false);
    if (doc.contains("scopes") && doc["scopes"].is_array()) {
        for (const json& s : doc["scopes"]) p.scopes.push_back(s.get<std::string>());
    }
    return p;
}

Intent IntentFromRow(const db::Row& row) {
    Intent i;
    i.tenant = TenantId{row.Id(0)};
    i.id = row.Id(1);
    i.sale_id = row.Id(2);
    i.provider = ParseProvider(row.Text(3)).value_or(ProviderKind::kMtn);
    i.reference = Uuid::Parse(row.Text(4)).value_or(Uuid());
    i.station_id = row.Id(5);
    i.payer_msisdn = row.Text(6);
    i.amount = row.Int(7);
    i.currency = row.Text(8);
    i.external_id = row.Text(9);
    i.sale_body = row.Text(10);
    const json sale = json::parse(i.sale_body, nullptr, false);
    const json principal = json::parse(row.Text(11), nullptr, false);
    i.sale.principal =
        PrincipalFromJson(principal.is_object() ? principal : json::object(), i.tenant);
    if (sale.is_object()) {
        i.sale.id = i.sale_id;
        i.sale.shop = sale.value("shop", false);
        i.sale.station_id = i.station_id;
        i.sale.nozzle_id = ReadOptId(sale, "nozzle_id");
        i.sale.product_id = ReadOptId(sale, "product_id");
        i.sale.quantity_milli = ReadOptInt(sale, "quantity_milli");
        i.sale.amount = ReadOptInt(sale, "amount");
        i.sale.unit_price = ReadOptInt(sale, "unit_price");
        i.sale.customer_id = ReadOptId(sale, "customer_id");
        i.sale.attendant_id = ReadOptId(sale, "attendant_id");
        i.sale.shift_id = ReadOptId(sale, "shift_id");
        i.sale.sold_at_us = sale.value("sold_at_us", int64_t{0});
    }
    i.status = row.Text(12);
    i.request_state = row.Text(13);
    i.reason = row.OptText(14);
    i.financial_transaction_id = row.OptText(15);
    i.sale_state = row.Text(16);
    i.sale_error = row.OptText(17);
    i.attempts = row.Int(18);
    i.callbacks = row.Int(19);
    i.next_poll_at_us = row.Int(20);
    i.created_by = row.Text(21);
    i.created_at_us = row.Int(22);
    i.updated_at_us = row.Int(23);
    i.finished_at_us = row.OptInt(24);
    return i;
}

bool IsFinal(std::string_view status) { return status != "pending"; }

}  // namespace

json IntentJson(const Intent& i) {
    return {{"id", i.id.ToString()},
            {"sale_id", i.sale_id.ToString()},
            {"provider", std::string(ProviderName(i.provider))},
            {"reference", i.reference.ToString()},
            {"station_id", i.station_id.ToString()},
            {"payer_msisdn", i.payer_msisdn},
            {"amount", FormatScaled(i.amount, 2)},
            {"currency", i.currency},
            {"external_id", i.external_id},
            {"status", i.status},
            {"request_state", i.request_state},
            {"reason", Opt(i.reason)},
            {"financial_transaction_id", Opt(i.financial_transaction_id)},
            {"sale_state", i.sale_state},
            {"sale_error", Opt(i.sale_error)},
            {"attempts", i.attempts},
            {"callbacks", i.callbacks},
            {"next_poll_at",
             i.status == "pending" ? json(FormatTimestamp(i.next_poll_at_us)) : json(nullptr)},
            {"created_by", i.created_by},
            {"created_at", FormatTimestamp(i.created_at_us)},
            {"updated_at", FormatTimestamp(i.updated_at_us)},
            {"finished_at",
             i.finished_at_us ? json(FormatTimestamp(*i.finished_at_us)) : json(nullptr)}};
}

Result<std::optional<Intent>> FindIntent(db::Transaction& tx, const TenantId& tenant,
                                         const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kFindIntent, {tenant, id}));
    if (rows.empty()) return std::optional<Intent>();
    return std::optional<Intent>(IntentFromRow(rows[0]));
}

Result<std::optional<Intent>> FindIntentByReference(db::Transaction& tx,
                                                    std::string_view reference) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kFindByReference, {reference}));
    if (rows.empty()) return std::optional<Intent>();
    return std::optional<Intent>(IntentFromRow(rows[0]));
}

// ---- Payments ----

Payments::Payments(PaymentsDeps deps) : deps_(std::move(deps)), random_(std::random_device{}()) {
    ERP_ASSERT(deps_.database && deps_.ids && deps_.clock && deps_.sales, "payments deps");
}

double Payments::Random01() {
    std::lock_guard lock(random_mu_);
    return std::uniform_real_distribution<double>(0.0, 1.0)(random_);
}

std::string Payments::BreakerKey(const TenantId& tenant, ProviderKind kind) {
    return tenant.ToString() + "/" + std::string(ProviderName(kind));
}

std::unique_ptr<Provider> Payments::MakeProvider(const TenantId& tenant,
                                                 const ProviderSettings& settings) {
    return std::make_unique<CollectionProvider>(
        settings, *deps_.clock, tokens_,
        BreakerKey(tenant, settings.kind) + "/" + settings.base_url + "/" + settings.api_user);
}

Result<void> Payments::Reschedule(const Intent& intent, TimestampUs now_us,
                                  std::optional<std::string> note) {
    const int64_t delay_ms = BackoffMs(intent.attempts, kFirstPollMs, kPollCapMs, Random01());
    return db::InTransaction(
        *deps_.database, {.tenant = intent.tenant}, [&](db::Transaction& tx) -> Result<void> {
            OMC_TRY(tx.Execute(kReschedule,
                               {intent.tenant, intent.id, now_us + delay_ms * 1000, now_us, note}));
            return Ok();
        });
}

Result<bool> Payments::Finish(const Intent& intent, std::string status,
                              std::optional<std::string> reason, std::optional<std::string> ftid,
                              std::string sale_state, std::optional<std::string> sale_error,
                              std::string event_type) {
    const TimestampUs now = deps_.clock->NowUs();
    const bool refused = event_type == "payments.momo_refused";
    return db::InTransaction(
        *deps_.database, {.tenant = intent.tenant}, [&](db::Transaction& tx) -> Result<bool> {
            OMC_ASSIGN_OR_RETURN(const int64_t changed,
                                 tx.Execute(kFinish, {intent.tenant, intent.id, status, reason,
                                                      ftid, sale_state, sale_error, refused, now}));
            if (changed == 0) return false;  // another confirmation got there first
            OMC_ASSIGN_OR_RETURN(const std::optional<Intent> done,
                                 FindIntent(tx, intent.tenant, intent.id));
            ERP_INVARIANT(done.has_value(), "a finished intent is still there");
            OMC_TRY(events::AppendEvent(
                tx, intent.tenant, *deps_.ids, *deps_.clock,
                {event_type, "payment_intent", intent.id.ToString(), IntentJson(*done)}));
            return true;
        });
}

Result<bool> Payments::Apply(const Intent& intent, const PaymentStatus& status) {
    ERP_ASSERT(status.status != PayStatus::kPending, "only a final status is applied");
    if (status.status == PayStatus::kFailed) {
        return Finish(intent, "failed", status.reason.empty() ? "FAILED" : status.reason,
                      std::nullopt, "none", std::nullopt, "payments.momo_failed");
    }
    // SUCCESSFUL: the sale first (idempotent by its id), then the intent. A crash in between
    // leaves the intent pending; the next check records the same sale again, which replays.
    const std::string ftid = status.financial_transaction_id.empty()
                                 ? intent.reference.ToString()
                                 : status.financial_transaction_id;
    Result<forecourt::RecordedSale> sale =
        forecourt::RecordPaidSale(*deps_.sales, intent.tenant, intent.sale, ftid);
    if (!sale.ok()) {
        const Error& e = sale.error();
        // The database or the batch failed: try again later. A refusal (the shift closed in
        // the meantime, the nozzle deactivated) is final: the payment is in, the sale is not,
        // and the reconciliation lists it for a person to settle.
        if (e.code() == ErrorCode::kUnavailable || e.code() == ErrorCode::kInternal) {
            return std::move(sale).error();
        }
        std::string message = e.message();
        for (const FieldError& f : e.fields()) message += "; " + f.field + " " + f.message;
        log::Warn("momo payment received but the sale was refused",
                  {{"intent", intent.id.ToString()}, {"detail", message}});
        return Finish(intent, "successful", std::nullopt, ftid, "error", message,
                      "payments.momo_sale_refused");
    }
    return Finish(intent, "successful", std::nullopt, ftid, "recorded", std::nullopt,
                  "payments.momo_succeeded");
}

Result<void> Payments::Send(const Intent& intent, const ProviderSettings& settings,
                            TimestampUs now_us) {
    const std::string key = BreakerKey(intent.tenant, settings.kind);
    if (!breakers_.Allow(key, now_us, settings.breaker_cooldown_ms)) {
        return Error(ErrorCode::kUnavailable, "the payment provider is unavailable (circuit open)");
    }
    PayRequest request;
    request.reference = intent.reference;
    request.amount_pesewas = intent.amount;
    request.currency = intent.currency;
    request.external_id = intent.external_id;
    request.payer_msisdn = intent.payer_msisdn;
    request.payer_message = "Fuel and goods at OMC station";
    request.payee_note = intent.external_id;
    if (!settings.callback_base_url.empty()) {
        std::string base = settings.callback_base_url;
        while (!base.empty() && base.back() == '/') base.pop_back();
        request.callback_url = base + "/api/v1/payments/callbacks/" +
                               std::string(ProviderName(settings.kind)) + "/" +
                               intent.reference.ToString();
    }
    Result<void> sent = MakeProvider(intent.tenant, settings)->RequestToPay(request);
    if (!sent.ok() && sent.error().code() == ErrorCode::kUnavailable) {
        breakers_.OnFailure(key, now_us, settings.breaker_failures, settings.breaker_cooldown_ms);
        return std::move(sent).error();  // unknown outcome: stays "sending"
    }
    breakers_.OnSuccess(key);
    // 409: the provider already has this reference (our earlier send arrived).
    if (sent.ok() || sent.error().code() == ErrorCode::kConflict) {
        return db::InTransaction(
            *deps_.database, {.tenant = intent.tenant}, [&](db::Transaction& tx) -> Result<void> {
                OMC_TRY(
                    tx.Execute(kSetRequestState, {intent.tenant, intent.id, "accepted", now_us}));
                return Ok();
            });
    }
    // 400/401/404: refused; the payer will not be asked.
    OMC_TRY(Finish(intent, "failed", sent.error().message(), std::nullopt, "none", std::nullopt,
                   "payments.momo_refused"));
    return Ok();
}

Result<bool> Payments::Check(const Intent& intent, TimestampUs now_us) {
    OMC_ASSIGN_OR_RETURN(
        const std::optional<ProviderSettings> settings,
        db::InTransaction(
            *deps_.database, {.tenant = intent.tenant, .read_only = true},
            [&](db::Transaction& tx) { return LoadSettings(tx, intent.tenant, intent.provider); }));
    if (!settings) {
        OMC_TRY(Reschedule(intent, now_us, "provider settings removed"));
        return false;
    }
    const std::string key = BreakerKey(intent.tenant, settings->kind);
    if (!breakers_.Allow(key, now_us, settings->breaker_cooldown_ms)) {
        OMC_TRY(Reschedule(intent, now_us, std::nullopt));
        return false;
    }
    Result<PaymentStatus> status =
        MakeProvider(intent.tenant, *settings)->GetStatus(intent.reference);
    if (!status.ok() && status.error().code() == ErrorCode::kUnavailable) {
        breakers_.OnFailure(key, now_us, settings->breaker_failures, settings->breaker_cooldown_ms);
        OMC_TRY(Reschedule(intent, now_us, std::nullopt));
        return false;
    }
    breakers_.OnSuccess(key);
    if (!status.ok()) {
        // The provider never got the request (we crashed, or it was lost): send it again under
        // the same reference; a 409 then means it had arrived after all.
        if (status.error().code() == ErrorCode::kNotFound && intent.request_state == "sending") {
            Result<void> sent = Send(intent, *settings, now_us);
            if (!sent.ok() && sent.error().code() != ErrorCode::kUnavailable) return sent.error();
        }
        OMC_TRY(Reschedule(intent, now_us, std::nullopt));
        return false;
    }
    if (status->status != PayStatus::kPending) return Apply(intent, *status);
    const TimestampUs expires_at =
        intent.created_at_us + (settings->payer_timeout_s + kExpiryGraceS) * 1'000'000;
    if (now_us >= expires_at) {
        return Finish(intent, "expired", "EXPIRED", std::nullopt, "none", std::nullopt,
                      "payments.momo_expired");
    }
    OMC_TRY(Reschedule(intent, now_us, std::nullopt));
    return false;
}

// ---- Poller ----

Poller::Poller(std::shared_ptr<Payments> payments) : payments_(std::move(payments)) {}

Poller::~Poller() { Stop(); }

void Poller::Start() {
    std::lock_guard lock(mu_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { Loop(); });
}

void Poller::Stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void Poller::Loop() {
    std::unique_lock lock(mu_);
    while (!stopping_) {
        lock.unlock();
        Result<int64_t> done = RunOnce(payments_->deps().clock->NowUs());
        if (!done.ok()) {
            log::Warn("momo poller pass failed",
                      {{"detail", done.error().message() + " " + done.error().detail()}});
        }
        lock.lock();
        cv_.wait_for(lock, std::chrono::milliseconds(kPollerIntervalMs),
                     [this] { return stopping_; });
    }
}

Result<int64_t> Poller::RunOnce(TimestampUs now_us) {
    const PaymentsDeps& deps = payments_->deps();
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         db::InTransaction(*deps.database, {.system = true, .read_only = true},
                                           [&](db::Transaction& tx) {
                                               return tx.Query(kDueIntents, {now_us, kPollBatch});
                                           }));
    int64_t finished = 0;
    for (const db::Row& row : rows) {
        const Intent intent = IntentFromRow(row);
        if (IsFinal(intent.status)) continue;
        Result<bool> done = payments_->Check(intent, now_us);
        if (!done.ok()) {
            log::Warn("momo intent check failed",
                      {{"intent", intent.id.ToString()},
                       {"detail", done.error().message() + " " + done.error().detail()}});
            continue;
        }
        if (*done) ++finished;
    }
    return finished;
}

}  // namespace omc::payments
