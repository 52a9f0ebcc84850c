// What the webhook routes and the dispatcher share: the module's dependencies and route builders,
// endpoints and their secrets as stored, the seal key, and the JSON body of a delivery.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/config/config.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace omc::webhooks {

struct WebhookDeps {
    IdGenerator* ids = nullptr;
    const Clock* clock = nullptr;
    const config::Config* config = nullptr;
};

// Routes of the module: reads need webhooks.read, writes webhooks.manage.
using Handler = Result<http::Reply> (*)(const WebhookDeps&, http::RequestContext&);
http::Route ReadRoute(std::string pattern, std::string name, const WebhookDeps& deps,
                      Handler handler);
http::Route WriteRoute(http::Method method, std::string pattern, std::string name,
                       const WebhookDeps& deps, Handler handler);
// The change's audit note and its outbox event (events::RecordChange).
Result<void> RecordChange(const WebhookDeps& deps, http::RequestContext& ctx, db::Transaction& tx,
                          std::string type, std::string aggregate_type, const Uuid& id,
                          const nlohmann::json& state);

struct Endpoint {
    Uuid id;
    std::string url;
    std::optional<std::string> description;
    std::vector<std::string> event_types;
    bool enabled = true;
    std::optional<std::string> disabled_reason;
    std::string created_by;
    TimestampUs created_at_us = 0;
    TimestampUs updated_at_us = 0;
};

struct SecretRow {
    Uuid id;
    std::string sealed;
    TimestampUs created_at_us = 0;
    std::optional<TimestampUs> expires_at_us;  // nullopt: the primary, no expiry
};

// A row selected as (id, url, description, event_types, enabled, disabled_reason, created_by,
// created_at_us, updated_at_us).
Endpoint EndpointFromRow(const db::Row& row);

// The tenant's endpoint `id` unless deleted; nullopt when absent.
Result<std::optional<Endpoint>> FindEndpoint(db::Transaction& tx, const TenantId& tenant,
                                             const Uuid& id);
// The tenant's enabled endpoints (for the fan-out).
Result<std::vector<Endpoint>> EnabledEndpoints(db::Transaction& tx, const TenantId& tenant);
// The endpoint's active secrets at `now_us` (no expiry, or expiring later), newest (the primary)
// first.
Result<std::vector<SecretRow>> ActiveSecrets(db::Transaction& tx, const TenantId& tenant,
                                             const Uuid& endpoint, TimestampUs now_us);
// The same secrets opened: "whsec_..." texts, primary first.
Result<std::vector<std::string>> OpenSecrets(db::Transaction& tx, const TenantId& tenant,
                                             const Uuid& endpoint, const config::Config& config,
                                             TimestampUs now_us);
// Stores `secret` (whsec_ text) sealed, as the endpoint's newest secret.
Result<Uuid> InsertSecret(db::Transaction& tx, const TenantId& tenant, IdGenerator& ids,
                          const config::Config& config, const Uuid& endpoint,
                          const std::string& secret, TimestampUs now_us);

// The key that seals secrets: `webhooks.secret_key` when configured, else the one generated into
// platform_settings on first use (every process sharing the database agrees on it).
Result<std::string> SealKey(db::Transaction& tx, const config::Config& config, TimestampUs now_us);

// Disables the endpoint with `reason` and marks its pending deliveries held with it (they are
// kept and resume when the endpoint is enabled again). Returns false when it was not enabled.
Result<bool> DisableEndpoint(db::Transaction& tx, const TenantId& tenant, const Uuid& endpoint,
                             const std::string& reason, TimestampUs now_us);

// The JSON text sent for an event, Standard Webhooks' payload shape:
// {"type":...,"timestamp":"<ISO 8601 of the event>","data":{...}}.
std::string DeliveryBody(std::string_view type, TimestampUs at_us, const nlohmann::json& data);

// The endpoint's JSON form (never any secret).
nlohmann::json EndpointJson(const Endpoint& endpoint, const std::vector<SecretRow>& secrets);

}  // namespace omc::webhooks
