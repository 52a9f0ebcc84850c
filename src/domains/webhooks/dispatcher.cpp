#include "domains/webhooks/dispatcher.hpp"

#include <sodium.h>

#include <algorithm>
#include <set>
#include <utility>

#include "domains/webhooks/model.hpp"
#include "domains/webhooks/signature.hpp"
#include "domains/webhooks/store.hpp"
#include "platform/base/assert.hpp"
#include "platform/events/outbox.hpp"
#include "platform/http/client.hpp"
#include "platform/log/log.hpp"
#include "platform/log/metrics.hpp"

namespace omc::webhooks {
namespace {

using nlohmann::json;

// Tenants with an endpoint, enabled or not: the position moves on while an endpoint is disabled,
// so a disabled endpoint misses the events of that time whether or not the tenant has others.
constexpr db::Query kTenants{"webhooks.dispatch_tenants", R"sql(
    SELECT DISTINCT tenant_id FROM webhook_endpoints
    WHERE deleted_at_us IS NULL ORDER BY tenant_id)sql"};
constexpr db::Query kCursor{"webhooks.dispatch_cursor",
                            "SELECT last_cursor FROM webhook_cursors WHERE tenant_id = $1"};
constexpr db::Query kStartCursor{"webhooks.dispatch_start_cursor", R"sql(
    INSERT INTO webhook_cursors (tenant_id, last_cursor, updated_at_us)
    SELECT $1, COALESCE(MAX(cursor), 0), $2 FROM outbox_events WHERE tenant_id = $1
    ON CONFLICT (tenant_id) DO NOTHING)sql"};
constexpr db::Query kMoveCursor{"webhooks.dispatch_move_cursor", R"sql(
    UPDATE webhook_cursors SET last_cursor = $3, updated_at_us = $4
    WHERE tenant_id = $1 AND last_cursor = $2)sql"};
constexpr db::Query kFanOut{"webhooks.dispatch_fan_out", R"sql(
    INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_id, event_type, body, status,
                                    next_attempt_at_us, created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7, $7)
    ON CONFLICT (tenant_id, endpoint_id, event_id) DO NOTHING)sql"};

// Due deliveries of enabled endpoints, oldest due first. PostgreSQL skips rows another
// dispatcher has locked in its claim transaction; the lease keeps them off once it committed.
#define OMC_DUE_SQL                                                                        \
    "SELECT d.tenant_id, d.id FROM webhook_deliveries d "                                  \
    "JOIN webhook_endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id "      \
    "WHERE d.status = 'pending' AND d.held_reason IS NULL AND d.next_attempt_at_us <= $1 " \
    "AND (d.lease_until_us IS NULL OR d.lease_until_us <= $1) AND e.enabled "              \
    "AND e.deleted_at_us IS NULL ORDER BY d.next_attempt_at_us, d.id LIMIT $2"
constexpr db::Query kDuePostgres{"webhooks.dispatch_due_pg",
                                 OMC_DUE_SQL " FOR UPDATE OF d SKIP LOCKED"};
constexpr db::Query kDueSqlite{"webhooks.dispatch_due_sqlite", OMC_DUE_SQL};
#undef OMC_DUE_SQL
constexpr db::Query kLease{"webhooks.dispatch_lease", R"sql(
    UPDATE webhook_deliveries SET lease_until_us = $3 WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kClaimed{"webhooks.dispatch_claimed", R"sql(
    SELECT d.endpoint_id, d.event_id, d.body, d.attempts, d.first_attempt_at_us, e.url
    FROM webhook_deliveries d
    JOIN webhook_endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id
    WHERE d.tenant_id = $1 AND d.id = $2)sql"};

constexpr db::Query kInsertAttempt{"webhooks.insert_attempt", R"sql(
    INSERT INTO webhook_attempts (tenant_id, delivery_id, attempt, attempted_at_us, status_code,
                                  duration_us, error, response_body)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8))sql"};
constexpr db::Query kAfterAttempt{"webhooks.after_attempt", R"sql(
    UPDATE webhook_deliveries
    SET status = $3, attempts = $4, first_attempt_at_us = $5, last_attempt_at_us = $6,
        last_status_code = $7, last_error = $8, delivered_at_us = $9, next_attempt_at_us = $10,
        lease_until_us = NULL, updated_at_us = $6
    WHERE tenant_id = $1 AND id = $2 AND status = 'pending')sql"};

constexpr std::string_view kGoneReason = "disabled: endpoint answered 410 Gone";

// At most `max` bytes of `text` as valid UTF-8 without NUL (both engines store it as TEXT):
// a broken or cut sequence becomes '?'.
std::string LogText(std::string_view text, size_t max) {
    std::string out;
    size_t i = 0;
    while (i < text.size() && out.size() < max) {
        const auto c = static_cast<unsigned char>(text[i]);
        size_t len = c < 0x80           ? 1
                     : (c >> 5) == 0x6  ? 2
                     : (c >> 4) == 0xe  ? 3
                     : (c >> 3) == 0x1e ? 4
                                        : 0;
        bool ok = len > 0 && i + len <= text.size() && out.size() + len <= max;
        for (size_t k = 1; ok && k < len; ++k) {
            ok = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
        }
        if (!ok || c == 0) {
            out += '?';
            ++i;
            continue;
        }
        out.append(text.substr(i, len));
        i += len;
    }
    return out;
}

http::Client& ThreadClient() {
    thread_local http::Client client;
    return client;
}

}  // namespace

struct Dispatcher::Claimed {
    TenantId tenant;
    Uuid id;
    Uuid endpoint_id;
    Uuid event_id;
    std::string url;
    std::string body;
    int64_t attempts = 0;
    std::optional<TimestampUs> first_attempt_at_us;
    std::vector<std::string> secrets;
    TimestampUs claimed_at_us = 0;
};

struct Dispatcher::Outcome {
    TimestampUs at_us = 0;
    std::optional<int64_t> status;  // nullopt: no answer
    int64_t duration_us = 0;
    std::optional<std::string> error;
    std::optional<std::string> response_body;
};

Dispatcher::Dispatcher(db::Database& database, const Clock& clock, IdGenerator& ids,
                       const config::Config& config, DispatcherOptions options,
                       metrics::Registry* metrics)
    : database_(database),
      clock_(clock),
      ids_(ids),
      config_(config),
      options_(options),
      metrics_(metrics) {
    uint64_t seed = options_.seed;
    if (seed == 0) randombytes_buf(&seed, sizeof(seed));
    random_.seed(seed);
}

Dispatcher::~Dispatcher() { Stop(); }

void Dispatcher::Start() {
    ERP_INVARIANT(threads_.empty(), "the dispatcher starts once");
    for (int i = 0; i < options_.threads; ++i) threads_.emplace_back([this] { Loop(); });
}

void Dispatcher::Stop() {
    {
        std::lock_guard lock(loop_mu_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : threads_) {
        if (t.joinable()) t.join();
    }
    threads_.clear();
}

void Dispatcher::Loop() {
    std::unique_lock lock(loop_mu_);
    while (!stopping_) {
        lock.unlock();
        const Result<DispatchStep> step = RunOnce();
        bool busy = false;
        if (!step.ok()) {
            log::Warn("webhook dispatch failed",
                      {{"detail", step.error().detail()}, {"message", step.error().message()}});
        } else {
            busy = step->fanned_out > 0 || step->attempts > 0;
        }
        lock.lock();
        if (!busy) wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_; });
    }
}

uint64_t Dispatcher::Random() {
    std::lock_guard lock(random_mu_);
    return random_();
}

Result<int64_t> Dispatcher::FanOut() {
    const TimestampUs now = clock_.NowUs();
    OMC_ASSIGN_OR_RETURN(
        const db::Rows tenants,
        db::InTransaction(database_, {.system = true, .read_only = true},
                          [](db::Transaction& tx) { return tx.Query(kTenants, {}); }));
    int64_t total = 0;
    for (const db::Row& row : tenants) {
        const std::optional<TenantId> tenant = TenantId::Parse(row.Text(0));
        ERP_INVARIANT(tenant.has_value(), "tenant ids are UUIDs");
        OMC_ASSIGN_OR_RETURN(const int64_t made, FanOutTenant(*tenant, now));
        total += made;
    }
    return total;
}

Result<int64_t> Dispatcher::FanOutTenant(const TenantId& tenant, TimestampUs now_us) {
    OMC_ASSIGN_OR_RETURN(std::unique_ptr<db::Transaction> tx, database_.Begin({.tenant = tenant}));
    OMC_TRY(tx->Execute(kStartCursor, {tenant, now_us}));
    OMC_ASSIGN_OR_RETURN(const db::Rows cursor_rows, tx->Query(kCursor, {tenant}));
    ERP_INVARIANT(cursor_rows.size() == 1, "a tenant with endpoints has a cursor");
    const int64_t from = cursor_rows[0].Int(0);
    OMC_ASSIGN_OR_RETURN(const std::vector<events::StoredEvent> batch,
                         events::ListEvents(*tx, tenant, from, kFanOutBatch));
    if (batch.empty()) {
        tx->Rollback();
        return 0;
    }
    OMC_ASSIGN_OR_RETURN(const std::vector<Endpoint> endpoints, EnabledEndpoints(*tx, tenant));
    int64_t made = 0;
    for (const events::StoredEvent& event : batch) {
        std::optional<std::string> body;
        for (const Endpoint& endpoint : endpoints) {
            // An endpoint receives the events that happened after it was made, never history.
            if (!Subscribes(endpoint.event_types, event.type) ||
                event.created_at_us < endpoint.created_at_us) {
                continue;
            }
            if (!body) {
                body = DeliveryBody(event.type, event.created_at_us,
                                    {{"event_id", event.id.ToString()},
                                     {"aggregate_type", event.aggregate_type},
                                     {"aggregate_id", event.aggregate_id},
                                     {"cursor", event.cursor},
                                     {"payload", event.payload}});
            }
            OMC_ASSIGN_OR_RETURN(const int64_t inserted,
                                 tx->Execute(kFanOut, {tenant, ids_.NewV7(), endpoint.id, event.id,
                                                       event.type, *body, now_us}));
            made += inserted;
        }
    }
    OMC_ASSIGN_OR_RETURN(const int64_t moved,
                         tx->Execute(kMoveCursor, {tenant, from, batch.back().cursor, now_us}));
    if (moved != 1) {
        tx->Rollback();  // another dispatcher fanned these events out first
        return 0;
    }
    OMC_TRY(tx->Commit());
    return made;
}

Result<std::vector<Dispatcher::Claimed>> Dispatcher::Claim(TimestampUs now_us) {
    const TimestampUs lease_until =
        now_us + std::chrono::duration_cast<std::chrono::microseconds>(kClaimLease).count();
    return db::InTransaction(
        database_, {.system = true}, [&](db::Transaction& tx) -> Result<std::vector<Claimed>> {
            const db::Query& due = tx.engine() == db::Engine::kPostgres ? kDuePostgres : kDueSqlite;
            OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(due, {now_us, options_.send_batch}));
            std::vector<Claimed> out;
            for (const db::Row& row : rows) {
                Claimed c{.tenant = *TenantId::Parse(row.Text(0)), .id = row.Id(1)};
                OMC_TRY(tx.Execute(kLease, {c.tenant, c.id, lease_until}));
                OMC_ASSIGN_OR_RETURN(const db::Rows detail, tx.Query(kClaimed, {c.tenant, c.id}));
                ERP_INVARIANT(detail.size() == 1, "a claimed delivery reads back");
                c.endpoint_id = detail[0].Id(0);
                c.event_id = detail[0].Id(1);
                c.body = detail[0].Text(2);
                c.attempts = detail[0].Int(3);
                c.first_attempt_at_us = detail[0].OptInt(4);
                c.url = detail[0].Text(5);
                c.claimed_at_us = now_us;
                // A secret that does not open (the seal key was changed) fails this delivery's
                // attempt, visibly in its log, instead of every claim of every tenant.
                Result<std::vector<std::string>> secrets =
                    OpenSecrets(tx, c.tenant, c.endpoint_id, config_, now_us);
                if (secrets.ok()) {
                    c.secrets = std::move(secrets).value();
                } else {
                    log::Warn("webhook secret unusable", {{"endpoint", c.endpoint_id.ToString()},
                                                          {"detail", secrets.error().detail()}});
                }
                out.push_back(std::move(c));
            }
            return out;
        });
}

Dispatcher::Outcome Dispatcher::Send(const Claimed& c) {
    Outcome outcome{.at_us = c.claimed_at_us};
    const int64_t timestamp_s = c.claimed_at_us / 1'000'000;
    const std::string webhook_id = c.event_id.ToString();
    Result<std::string> signature = SignatureHeader(c.secrets, webhook_id, timestamp_s, c.body);
    if (!signature.ok()) {
        outcome.error = "cannot sign: the endpoint has no usable secret";
        return outcome;
    }
    http::ClientRequest request{.method = "POST",
                                .url = c.url,
                                .headers = {{"Content-Type", "application/json"},
                                            {"User-Agent", "omc-erp-webhooks/1"},
                                            {"webhook-id", webhook_id},
                                            {"webhook-timestamp", std::to_string(timestamp_s)},
                                            {"webhook-signature", *signature}},
                                .body = c.body,
                                .timeout = options_.send_timeout,
                                .connect_timeout = options_.connect_timeout};
    const auto started = std::chrono::steady_clock::now();
    Result<http::ClientResponse> answer = ThreadClient().Send(request);
    outcome.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - started)
                              .count();
    if (!answer.ok()) {
        const std::string detail =
            answer.error().detail().empty() ? answer.error().message() : answer.error().detail();
        outcome.error = LogText(detail, kErrorLogBytes);
        return outcome;
    }
    outcome.status = answer->status;
    outcome.response_body = LogText(answer->body, kResponseBodyLogBytes);
    if (answer->status < 200 || answer->status > 299) {
        outcome.error = answer->status >= 300 && answer->status <= 399
                            ? "HTTP " + std::to_string(answer->status) +
                                  ": redirects are not followed; update the endpoint URL"
                            : "HTTP " + std::to_string(answer->status);
    }
    return outcome;
}

Result<void> Dispatcher::Record(const Claimed& c, const Outcome& outcome, DispatchStep& step) {
    return db::InTransaction(
        database_, {.tenant = c.tenant}, [&](db::Transaction& tx) -> Result<void> {
            const int64_t attempt = c.attempts + 1;
            const TimestampUs first = c.first_attempt_at_us.value_or(outcome.at_us);
            OMC_TRY(tx.Execute(kInsertAttempt,
                               {c.tenant, c.id, attempt, outcome.at_us, outcome.status,
                                outcome.duration_us, outcome.error, outcome.response_body}));
            const bool success = outcome.status && *outcome.status >= 200 && *outcome.status <= 299;
            std::string status = "pending";
            std::optional<TimestampUs> delivered_at;
            TimestampUs next = outcome.at_us;
            if (success) {
                status = "delivered";
                delivered_at = outcome.at_us;
                ++step.delivered;
            } else if (outcome.status == 410) {
                // Kept pending (held) for when the tenant enables the endpoint again.
                OMC_ASSIGN_OR_RETURN(const bool disabled,
                                     DisableEndpoint(tx, c.tenant, c.endpoint_id,
                                                     std::string(kGoneReason), outcome.at_us));
                if (disabled) {
                    ++step.disabled;
                    OMC_ASSIGN_OR_RETURN(const std::optional<Endpoint> endpoint,
                                         FindEndpoint(tx, c.tenant, c.endpoint_id));
                    if (endpoint) {
                        OMC_TRY(events::AppendEvent(
                            tx, c.tenant, ids_, clock_,
                            {"webhooks.endpoint_disabled", "webhook_endpoint",
                             c.endpoint_id.ToString(), EndpointJson(*endpoint, {})}));
                    }
                }
            } else {
                const RetryDecision decision =
                    NextAttempt(first, static_cast<int>(std::min<int64_t>(attempt, 1'000)),
                                outcome.at_us, Random());
                if (decision.dead_letter) {
                    status = "failed";
                    ++step.dead_lettered;
                } else {
                    next = decision.next_attempt_at_us;
                    ++step.retrying;
                }
            }
            OMC_TRY(
                tx.Execute(kAfterAttempt, {c.tenant, c.id, status, attempt, first, outcome.at_us,
                                           outcome.status, outcome.error, delivered_at, next}));
            return Ok();
        });
}

Result<DispatchStep> Dispatcher::RunOnce() {
    DispatchStep step;
    OMC_ASSIGN_OR_RETURN(step.fanned_out, FanOut());
    OMC_ASSIGN_OR_RETURN(const std::vector<Claimed> claimed, Claim(clock_.NowUs()));
    std::set<std::string> gone;  // endpoints a 410 disabled in this step: send them nothing more
    for (const Claimed& c : claimed) {
        if (gone.count(c.endpoint_id.ToString()) != 0) continue;  // held; its lease just lapses
        const Outcome outcome = Send(c);
        if (outcome.status == 410) gone.insert(c.endpoint_id.ToString());
        ++step.attempts;
        const DispatchStep before = step;
        const Result<void> recorded = Record(c, outcome, step);
        // The lease expires and another step sends it again: at least once.
        if (!recorded.ok()) return recorded.error();
        if (metrics_ != nullptr) {
            const char* result = step.delivered > before.delivered           ? "delivered"
                                 : step.dead_lettered > before.dead_lettered ? "dead_lettered"
                                 : step.retrying > before.retrying           ? "retrying"
                                                                             : "gone";
            metrics_->Increment("omc_webhook_attempts_total",
                                "Webhook delivery attempts by outcome", 1.0, "outcome", result);
        }
    }
    return step;
}

}  // namespace omc::webhooks
