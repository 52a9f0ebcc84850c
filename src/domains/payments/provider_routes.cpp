// Per-tenant provider settings (payments.manage) and the state of the circuit breakers.
// Secrets (api_key, subscription_key) are write-only: answers say whether they are set.
#include <utility>

#include "domains/payments/payments.hpp"
#include "platform/events/outbox.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/params.hpp"

namespace omc::payments {
namespace {

using nlohmann::json;

constexpr size_t kUrlMaxLength = 300;
constexpr size_t kPathMaxLength = 200;
constexpr size_t kHeaderMaxLength = 64;
constexpr size_t kSecretMaxLength = 200;

#define OMC_PROVIDER_COLUMNS                                                                  \
    "provider, base_url, target_environment, currency, api_user, api_key, subscription_key, " \
    "callback_base_url, token_path, request_path, status_path, statement_path, "              \
    "subscription_header, reference_header, environment_header, callback_header, "            \
    "request_timeout_ms, payer_timeout_s, breaker_failures, breaker_cooldown_ms, enabled, "   \
    "updated_by, updated_at_us"

constexpr db::Query kFindSettings{"payments.find_settings",
                                  "SELECT " OMC_PROVIDER_COLUMNS
                                  " FROM payment_providers WHERE tenant_id = $1 AND provider = $2"};
constexpr db::Query kListSettings{"payments.list_settings",
                                  "SELECT " OMC_PROVIDER_COLUMNS
                                  " FROM payment_providers WHERE tenant_id = $1 ORDER BY provider"};
constexpr db::Query kUpsertSettings{"payments.upsert_settings", R"sql(
    INSERT INTO payment_providers (tenant_id, provider, base_url, target_environment, currency,
        api_user, api_key, subscription_key, callback_base_url, token_path, request_path,
        status_path, statement_path, subscription_header, reference_header, environment_header,
        callback_header, request_timeout_ms, payer_timeout_s, breaker_failures,
        breaker_cooldown_ms, enabled, updated_by, updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
            $20, $21, $22, $23, $24)
    ON CONFLICT (tenant_id, provider) DO UPDATE SET
        base_url = excluded.base_url, target_environment = excluded.target_environment,
        currency = excluded.currency, api_user = excluded.api_user, api_key = excluded.api_key,
        subscription_key = excluded.subscription_key,
        callback_base_url = excluded.callback_base_url, token_path = excluded.token_path,
        request_path = excluded.request_path, status_path = excluded.status_path,
        statement_path = excluded.statement_path,
        subscription_header = excluded.subscription_header,
        reference_header = excluded.reference_header,
        environment_header = excluded.environment_header,
        callback_header = excluded.callback_header,
        request_timeout_ms = excluded.request_timeout_ms,
        payer_timeout_s = excluded.payer_timeout_s, breaker_failures = excluded.breaker_failures,
        breaker_cooldown_ms = excluded.breaker_cooldown_ms, enabled = excluded.enabled,
        updated_by = excluded.updated_by, updated_at_us = excluded.updated_at_us)sql"};

struct StoredSettings {
    ProviderSettings settings;
    std::string updated_by;
    TimestampUs updated_at_us = 0;
};

StoredSettings SettingsFromRow(const db::Row& row) {
    StoredSettings out;
    ProviderSettings& s = out.settings;
    s.kind = ParseProvider(row.Text(0)).value_or(ProviderKind::kMtn);
    s.base_url = row.Text(1);
    s.target_environment = row.Text(2);
    s.currency = row.Text(3);
    s.api_user = row.Text(4);
    s.api_key = row.Text(5);
    s.subscription_key = row.Text(6);
    s.callback_base_url = row.Text(7);
    s.token_path = row.Text(8);
    s.request_path = row.Text(9);
    s.status_path = row.Text(10);
    s.statement_path = row.Text(11);
    s.subscription_header = row.Text(12);
    s.reference_header = row.Text(13);
    s.environment_header = row.Text(14);
    s.callback_header = row.Text(15);
    s.request_timeout_ms = row.Int(16);
    s.payer_timeout_s = row.Int(17);
    s.breaker_failures = row.Int(18);
    s.breaker_cooldown_ms = row.Int(19);
    s.enabled = row.Bool(20);
    out.updated_by = row.Text(21);
    out.updated_at_us = row.Int(22);
    return out;
}

// Never the secrets: only whether they are set.
json SettingsJson(const StoredSettings& stored) {
    const ProviderSettings& s = stored.settings;
    return {{"provider", std::string(ProviderName(s.kind))},
            {"base_url", s.base_url},
            {"target_environment", s.target_environment},
            {"currency", s.currency},
            {"api_user", s.api_user},
            {"api_key_set", !s.api_key.empty()},
            {"subscription_key_set", !s.subscription_key.empty()},
            {"callback_base_url", s.callback_base_url},
            {"token_path", s.token_path},
            {"request_path", s.request_path},
            {"status_path", s.status_path},
            {"statement_path", s.statement_path},
            {"subscription_header", s.subscription_header},
            {"reference_header", s.reference_header},
            {"environment_header", s.environment_header},
            {"callback_header", s.callback_header},
            {"request_timeout_ms", s.request_timeout_ms},
            {"payer_timeout_s", s.payer_timeout_s},
            {"breaker_failures", s.breaker_failures},
            {"breaker_cooldown_ms", s.breaker_cooldown_ms},
            {"enabled", s.enabled},
            {"updated_by", stored.updated_by},
            {"updated_at", FormatTimestamp(stored.updated_at_us)}};
}

Result<ProviderKind> PathProvider(const http::RequestContext& ctx) {
    const std::optional<std::string_view> name = ctx.PathParam("provider");
    const std::optional<ProviderKind> kind = name ? ParseProvider(*name) : std::nullopt;
    if (!kind) return NotFound("provider");
    return *kind;
}

bool IsHttpUrl(const std::string& url) {
    return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

// The body of PUT: every field optional, defaults from what is stored, else from the MTN shape.
// MTN's paths and header names are its public API's: they cannot be changed.
Result<ProviderSettings> ReadSettings(http::JsonBody& body, ProviderSettings s) {
    body.RejectUnknown({"base_url",
                        "target_environment",
                        "currency",
                        "api_user",
                        "api_key",
                        "subscription_key",
                        "callback_base_url",
                        "token_path",
                        "request_path",
                        "status_path",
                        "statement_path",
                        "subscription_header",
                        "reference_header",
                        "environment_header",
                        "callback_header",
                        "request_timeout_ms",
                        "payer_timeout_s",
                        "breaker_failures",
                        "breaker_cooldown_ms",
                        "enabled"});
    const auto text = [&](const char* name, size_t max, std::string& into) {
        if (std::optional<std::string> v = body.OptionalString(name, max)) into = std::move(*v);
    };
    text("base_url", kUrlMaxLength, s.base_url);
    text("target_environment", kHeaderMaxLength, s.target_environment);
    text("currency", 3, s.currency);
    text("api_user", kSecretMaxLength, s.api_user);
    text("api_key", kSecretMaxLength, s.api_key);
    text("subscription_key", kSecretMaxLength, s.subscription_key);
    text("callback_base_url", kUrlMaxLength, s.callback_base_url);
    text("statement_path", kPathMaxLength, s.statement_path);
    for (const char* name : {"token_path", "request_path", "status_path", "subscription_header",
                             "reference_header", "environment_header", "callback_header"}) {
        if (s.kind == ProviderKind::kMtn && body.Has(name)) {
            body.AddError(name, "is fixed by MTN's public API");
        }
    }
    text("token_path", kPathMaxLength, s.token_path);
    text("request_path", kPathMaxLength, s.request_path);
    text("status_path", kPathMaxLength, s.status_path);
    text("subscription_header", kHeaderMaxLength, s.subscription_header);
    text("reference_header", kHeaderMaxLength, s.reference_header);
    text("environment_header", kHeaderMaxLength, s.environment_header);
    text("callback_header", kHeaderMaxLength, s.callback_header);
    if (auto v = body.OptionalInt64("request_timeout_ms", 100, 60'000)) s.request_timeout_ms = *v;
    if (auto v = body.OptionalInt64("payer_timeout_s", 10, 3'600)) s.payer_timeout_s = *v;
    if (auto v = body.OptionalInt64("breaker_failures", 1, 1'000)) s.breaker_failures = *v;
    if (auto v = body.OptionalInt64("breaker_cooldown_ms", 100, 3'600'000)) {
        s.breaker_cooldown_ms = *v;
    }
    if (auto v = body.OptionalBool("enabled")) s.enabled = *v;
    if (!body.HasErrors()) {
        if (!IsHttpUrl(s.base_url)) body.AddError("base_url", "must be an http(s) URL");
        if (!s.callback_base_url.empty() && !IsHttpUrl(s.callback_base_url)) {
            body.AddError("callback_base_url", "must be an http(s) URL");
        }
        if (s.currency.size() != 3 ||
            s.currency.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos) {
            body.AddError("currency", "must be an ISO 4217 code such as GHS or EUR");
        }
        if (s.target_environment.empty()) body.AddError("target_environment", "is required");
        if (s.api_user.empty()) body.AddError("api_user", "is required");
        if (s.api_key.empty()) body.AddError("api_key", "is required");
        if (s.subscription_key.empty()) body.AddError("subscription_key", "is required");
        for (const std::string* path : {&s.token_path, &s.request_path, &s.status_path}) {
            if (path->empty() || (*path)[0] != '/') {
                body.AddError("request_path", "paths must start with /");
                break;
            }
        }
    }
    OMC_TRY(body.Finish());
    return s;
}

Result<http::Reply> ListProviders(const std::shared_ptr<Payments>& /*p*/,
                                  http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx->Query(kListSettings, {ctx.tenant()}));
    json items = json::array();
    for (const db::Row& row : rows) items.push_back(SettingsJson(SettingsFromRow(row)));
    return http::Answer(std::move(items));
}

Result<http::Reply> GetProvider(const std::shared_ptr<Payments>& /*p*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const ProviderKind kind, PathProvider(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kFindSettings, {ctx.tenant(), ProviderName(kind)}));
    if (rows.empty()) return NotFound("provider");
    return http::Answer(SettingsJson(SettingsFromRow(rows[0])));
}

Result<http::Reply> PutProvider(const std::shared_ptr<Payments>& p, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const ProviderKind kind, PathProvider(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kFindSettings, {ctx.tenant(), ProviderName(kind)}));
    const bool existed = !rows.empty();
    ProviderSettings base = existed ? SettingsFromRow(rows[0]).settings : DefaultSettings(kind);
    OMC_ASSIGN_OR_RETURN(const ProviderSettings s, ReadSettings(body, std::move(base)));
    const TimestampUs now = p->deps().clock->NowUs();
    const std::string& who = ctx.principal()->subject;
    OMC_TRY(SaveProviderSettings(*tx, ctx.tenant(), s, who, now));
    const json answer = SettingsJson({s, who, now});
    // The provider's name is the aggregate id; neither event nor audit carries a secret.
    ctx.audit().entity_type = "payment_provider";
    ctx.audit().entity_id = std::string(ProviderName(kind));
    // Not the token path either: the audit log refuses any key that sounds like a token.
    ctx.audit().summary = answer;
    ctx.audit().summary.erase("token_path");
    OMC_TRY(events::AppendEvent(*tx, ctx.tenant(), *p->deps().ids, *p->deps().clock,
                                {"payments.provider_configured", "payment_provider",
                                 std::string(ProviderName(kind)), answer}));
    p->tokens().Drop(Payments::BreakerKey(ctx.tenant(), kind));
    http::Reply reply = http::Answer(answer);
    reply.status = existed ? 200 : 201;
    return reply;
}

// The breakers of the caller's tenant (and the token cache's count): a status route beside
// the /metrics gauge omc_payments_breakers_open.
Result<http::Reply> PaymentsStatus(const std::shared_ptr<Payments>& p, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx->Query(kListSettings, {ctx.tenant()}));
    json items = json::array();
    for (const db::Row& row : rows) {
        const StoredSettings stored = SettingsFromRow(row);
        const BreakerSnapshot b =
            p->breakers().Snapshot(Payments::BreakerKey(ctx.tenant(), stored.settings.kind));
        items.push_back({{"provider", std::string(ProviderName(stored.settings.kind))},
                         {"enabled", stored.settings.enabled},
                         {"breaker", std::string(BreakerStateName(b.state))},
                         {"consecutive_failures", b.consecutive_failures},
                         {"open_until", b.state == BreakerState::kClosed
                                            ? json(nullptr)
                                            : json(FormatTimestamp(b.open_until_us))},
                         {"opened_total", b.opened_total}});
    }
    return http::Answer({{"providers", std::move(items)}});
}

using Handler = Result<http::Reply> (*)(const std::shared_ptr<Payments>&, http::RequestContext&);

http::Route Route(http::Method method, std::string pattern, std::string name,
                  std::string permission, const std::shared_ptr<Payments>& p, Handler handler) {
    return http::TenantRoute(method, std::move(pattern), std::move(name), std::move(permission),
                             [p, handler](http::RequestContext& ctx) { return handler(p, ctx); });
}

}  // namespace

Result<std::optional<ProviderSettings>> Payments::LoadSettings(db::Transaction& tx,
                                                               const TenantId& tenant,
                                                               ProviderKind kind) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx.Query(kFindSettings, {tenant, ProviderName(kind)}));
    if (rows.empty()) return std::optional<ProviderSettings>();
    return std::optional<ProviderSettings>(SettingsFromRow(rows[0]).settings);
}

Result<void> SaveProviderSettings(db::Transaction& tx, const TenantId& tenant,
                                  const ProviderSettings& s, const std::string& who,
                                  TimestampUs now_us) {
    OMC_TRY(tx.Execute(kUpsertSettings, {tenant,
                                         ProviderName(s.kind),
                                         s.base_url,
                                         s.target_environment,
                                         s.currency,
                                         s.api_user,
                                         s.api_key,
                                         s.subscription_key,
                                         s.callback_base_url,
                                         s.token_path,
                                         s.request_path,
                                         s.status_path,
                                         s.statement_path,
                                         s.subscription_header,
                                         s.reference_header,
                                         s.environment_header,
                                         s.callback_header,
                                         s.request_timeout_ms,
                                         s.payer_timeout_s,
                                         s.breaker_failures,
                                         s.breaker_cooldown_ms,
                                         s.enabled,
                                         who,
                                         now_us}));
    return Ok();
}

void RegisterProviderRoutes(http::Router& router, std::shared_ptr<Payments> payments) {
    using http::Method;
    router.Add(Route(Method::kGet, "/api/v1/payments/providers", "payments.providers.list",
                     "payments.manage", payments, ListProviders));
    router.Add(Route(Method::kGet, "/api/v1/payments/providers/{provider}",
                     "payments.providers.get", "payments.manage", payments, GetProvider));
    router.Add(Route(Method::kPut, "/api/v1/payments/providers/{provider}",
                     "payments.providers.put", "payments.manage", payments, PutProvider));
    router.Add(Route(Method::kGet, "/api/v1/payments/status", "payments.status", "payments.read",
                     payments, PaymentsStatus));
}

}  // namespace omc::payments
