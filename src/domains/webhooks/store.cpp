#include "domains/webhooks/store.hpp"

#include <utility>

#include "domains/webhooks/model.hpp"
#include "platform/base/assert.hpp"
#include "platform/events/record_change.hpp"
#include "platform/http/params.hpp"

namespace omc::webhooks {
namespace {

using nlohmann::json;

constexpr std::string_view kGeneratedKeySetting = "webhooks.secret_key.generated";

constexpr db::Query kSelectSetting{"webhooks.select_setting",
                                   "SELECT value FROM platform_settings WHERE key = $1"};
constexpr db::Query kInsertSetting{"webhooks.insert_setting", R"sql(
    INSERT INTO platform_settings (key, value, updated_at_us) VALUES ($1, $2, $3)
    ON CONFLICT (key) DO NOTHING)sql"};

#define OMC_ENDPOINT_COLUMNS                                                                   \
    "id, url, description, event_types, enabled, disabled_reason, created_by, created_at_us, " \
    "updated_at_us"
constexpr db::Query kFindEndpoint{"webhooks.find_endpoint", "SELECT " OMC_ENDPOINT_COLUMNS R"sql(
    FROM webhook_endpoints
    WHERE tenant_id = $1 AND id = $2 AND deleted_at_us IS NULL)sql"};
constexpr db::Query kEnabledEndpoints{"webhooks.enabled_endpoints",
                                      "SELECT " OMC_ENDPOINT_COLUMNS R"sql(
    FROM webhook_endpoints
    WHERE tenant_id = $1 AND enabled AND deleted_at_us IS NULL ORDER BY id)sql"};
#undef OMC_ENDPOINT_COLUMNS

constexpr db::Query kActiveSecrets{"webhooks.active_secrets", R"sql(
    SELECT id, sealed, created_at_us, expires_at_us FROM webhook_secrets
    WHERE tenant_id = $1 AND endpoint_id = $2 AND (expires_at_us IS NULL OR expires_at_us > $3)
    ORDER BY created_at_us DESC, id DESC)sql"};
constexpr db::Query kInsertSecret{"webhooks.insert_secret", R"sql(
    INSERT INTO webhook_secrets (tenant_id, id, endpoint_id, sealed, created_at_us)
    VALUES ($1, $2, $3, $4, $5))sql"};
constexpr db::Query kDisable{"webhooks.disable_endpoint", R"sql(
    UPDATE webhook_endpoints SET enabled = FALSE, disabled_reason = $3, updated_at_us = $4
    WHERE tenant_id = $1 AND id = $2 AND enabled AND deleted_at_us IS NULL)sql"};
constexpr db::Query kHoldPending{"webhooks.hold_pending", R"sql(
    UPDATE webhook_deliveries SET held_reason = $3, updated_at_us = $4
    WHERE tenant_id = $1 AND endpoint_id = $2 AND status = 'pending')sql"};

}  // namespace

Endpoint EndpointFromRow(const db::Row& row) {
    Endpoint e{.id = row.Id(0),
               .url = row.Text(1),
               .description = row.OptText(2),
               .enabled = row.Bool(4),
               .disabled_reason = row.OptText(5),
               .created_by = row.Text(6),
               .created_at_us = row.Int(7),
               .updated_at_us = row.Int(8)};
    const json types = json::parse(row.Text(3), nullptr, false);
    ERP_INVARIANT(types.is_array(), "webhook_endpoints.event_types is a JSON array");
    for (const json& t : types) e.event_types.push_back(t.get<std::string>());
    return e;
}

http::Route ReadRoute(std::string pattern, std::string name, const WebhookDeps& deps,
                      Handler handler) {
    return http::TenantRoute(
        http::Method::kGet, std::move(pattern), std::move(name), "webhooks.read",
        [deps, handler](http::RequestContext& ctx) { return handler(deps, ctx); });
}

http::Route WriteRoute(http::Method method, std::string pattern, std::string name,
                       const WebhookDeps& deps, Handler handler) {
    return http::TenantRoute(
        method, std::move(pattern), std::move(name), "webhooks.manage",
        [deps, handler](http::RequestContext& ctx) { return handler(deps, ctx); },
        /*idempotent=*/method == http::Method::kPost);
}

Result<void> RecordChange(const WebhookDeps& deps, http::RequestContext& ctx, db::Transaction& tx,
                          std::string type, std::string aggregate_type, const Uuid& id,
                          const json& state) {
    return events::RecordChange(ctx, tx, *deps.ids, *deps.clock, std::move(type),
                                std::move(aggregate_type), id, state);
}

Result<std::optional<Endpoint>> FindEndpoint(db::Transaction& tx, const TenantId& tenant,
                                             const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kFindEndpoint, {tenant, id}));
    if (rows.empty()) return std::optional<Endpoint>();
    return std::optional<Endpoint>(EndpointFromRow(rows[0]));
}

Result<std::vector<Endpoint>> EnabledEndpoints(db::Transaction& tx, const TenantId& tenant) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kEnabledEndpoints, {tenant}));
    std::vector<Endpoint> out;
    for (const db::Row& row : rows) out.push_back(EndpointFromRow(row));
    return out;
}

Result<std::vector<SecretRow>> ActiveSecrets(db::Transaction& tx, const TenantId& tenant,
                                             const Uuid& endpoint, TimestampUs now_us) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kActiveSecrets, {tenant, endpoint, now_us}));
    std::vector<SecretRow> out;
    for (const db::Row& row : rows) {
        out.push_back(SecretRow{.id = row.Id(0),
                                .sealed = row.Text(1),
                                .created_at_us = row.Int(2),
                                .expires_at_us = row.OptInt(3)});
    }
    return out;
}

Result<std::string> SealKey(db::Transaction& tx, const config::Config& config, TimestampUs now_us) {
    std::string text = config.webhook_secret_key;
    if (text.empty()) {
        // 64 hex characters from the CSPRNG, kept once for every process on this database.
        OMC_TRY(tx.Execute(kInsertSetting, {kGeneratedKeySetting, RandomHex(32), now_us}));
        OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kSelectSetting, {kGeneratedKeySetting}));
        if (rows.empty()) return Internal("generated webhook seal key vanished");
        text = rows[0].Text(0);
    }
    std::optional<std::string> key = ParseSealKey(text);
    if (!key) return Internal("webhook seal key is not 32 bytes of base64 or hex");
    return std::move(*key);
}

Result<std::vector<std::string>> OpenSecrets(db::Transaction& tx, const TenantId& tenant,
                                             const Uuid& endpoint, const config::Config& config,
                                             TimestampUs now_us) {
    OMC_ASSIGN_OR_RETURN(const std::vector<SecretRow> rows,
                         ActiveSecrets(tx, tenant, endpoint, now_us));
    if (rows.empty()) return std::vector<std::string>();
    OMC_ASSIGN_OR_RETURN(const std::string key, SealKey(tx, config, now_us));
    std::vector<std::string> out;
    for (const SecretRow& row : rows) {
        OMC_ASSIGN_OR_RETURN(std::string secret, Unseal(key, row.sealed));
        out.push_back(std::move(secret));
    }
    return out;
}

Result<Uuid> InsertSecret(db::Transaction& tx, const TenantId& tenant, IdGenerator& ids,
                          const config::Config& config, const Uuid& endpoint,
                          const std::string& secret, TimestampUs now_us) {
    OMC_ASSIGN_OR_RETURN(const std::string key, SealKey(tx, config, now_us));
    const Uuid id = ids.NewV7();
    OMC_TRY(tx.Execute(kInsertSecret, {tenant, id, endpoint, Seal(key, secret), now_us}));
    return id;
}

Result<bool> DisableEndpoint(db::Transaction& tx, const TenantId& tenant, const Uuid& endpoint,
                             const std::string& reason, TimestampUs now_us) {
    OMC_ASSIGN_OR_RETURN(const int64_t changed,
                         tx.Execute(kDisable, {tenant, endpoint, reason, now_us}));
    if (changed == 0) return false;
    OMC_TRY(tx.Execute(kHoldPending, {tenant, endpoint, reason, now_us}));
    return true;
}

std::string DeliveryBody(std::string_view type, TimestampUs at_us, const json& data) {
    return json{{"type", std::string(type)}, {"timestamp", FormatTimestamp(at_us)}, {"data", data}}
        .dump();
}

json EndpointJson(const Endpoint& e, const std::vector<SecretRow>& secrets) {
    json keys = json::array();
    for (size_t i = 0; i < secrets.size(); ++i) {
        keys.push_back({{"id", secrets[i].id.ToString()},
                        {"primary", i == 0},
                        {"created_at", FormatTimestamp(secrets[i].created_at_us)},
                        {"expires_at", secrets[i].expires_at_us
                                           ? json(FormatTimestamp(*secrets[i].expires_at_us))
                                           : json(nullptr)}});
    }
    return json{{"id", e.id.ToString()},
                {"url", e.url},
                {"description", e.description ? json(*e.description) : json(nullptr)},
                {"event_types", e.event_types},
                {"enabled", e.enabled},
                {"disabled_reason", e.disabled_reason ? json(*e.disabled_reason) : json(nullptr)},
                {"secrets", std::move(keys)},
                {"created_by", e.created_by},
                {"created_at", FormatTimestamp(e.created_at_us)},
                {"updated_at", FormatTimestamp(e.updated_at_us)}};
}

}  // namespace omc::webhooks
