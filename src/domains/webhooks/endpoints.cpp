// Endpoint routes: create (the secret shown once), list, get, update (URL, description,
// subscription, enabled), delete, and secret rotation.
#include <algorithm>
#include <set>
#include <utility>

#include "domains/webhooks/limits.hpp"
#include "domains/webhooks/model.hpp"
#include "domains/webhooks/signature.hpp"
#include "domains/webhooks/store.hpp"
#include "domains/webhooks/webhooks.hpp"
#include "platform/base/assert.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/params.hpp"

namespace omc::webhooks {
namespace {

using nlohmann::json;

constexpr db::Query kInsertEndpoint{"webhooks.insert_endpoint", R"sql(
    INSERT INTO webhook_endpoints (tenant_id, id, url, description, event_types, enabled,
                                   disabled_reason, created_by, created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9))sql"};
constexpr db::Query kCountEndpoints{"webhooks.count_endpoints", R"sql(
    SELECT COUNT(*) FROM webhook_endpoints WHERE tenant_id = $1 AND deleted_at_us IS NULL)sql"};
constexpr db::Query kIdTaken{"webhooks.endpoint_id_taken", R"sql(
    SELECT 1 FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2)sql"};
// The fan-out starts at the tenant's newest event when its first endpoint is made, so an endpoint
// never receives the history from before it existed.
constexpr db::Query kStartCursor{"webhooks.start_cursor", R"sql(
    INSERT INTO webhook_cursors (tenant_id, last_cursor, updated_at_us)
    SELECT $1, COALESCE(MAX(cursor), 0), $2 FROM outbox_events WHERE tenant_id = $1
    ON CONFLICT (tenant_id) DO NOTHING)sql"};
constexpr db::Query kListEndpoints{"webhooks.list_endpoints", R"sql(
    SELECT id, url, description, event_types, enabled, disabled_reason, created_by,
           created_at_us, updated_at_us
    FROM webhook_endpoints
    WHERE tenant_id = $1 AND id > $2 AND deleted_at_us IS NULL
      AND (enabled = $4 OR $4 IS NULL)
    ORDER BY id LIMIT $3)sql"};
constexpr db::Query kUpdateEndpoint{"webhooks.update_endpoint", R"sql(
    UPDATE webhook_endpoints
    SET url = $3, description = $4, event_types = $5, enabled = $6, disabled_reason = $7,
        updated_at_us = $8
    WHERE tenant_id = $1 AND id = $2 AND deleted_at_us IS NULL)sql"};
// Enabling again releases the held deliveries, due at once.
constexpr db::Query kReleaseHeld{"webhooks.release_held", R"sql(
    UPDATE webhook_deliveries
    SET held_reason = NULL, next_attempt_at_us = $3, lease_until_us = NULL, updated_at_us = $3
    WHERE tenant_id = $1 AND endpoint_id = $2 AND status = 'pending')sql"};
constexpr db::Query kDeleteEndpoint{"webhooks.delete_endpoint", R"sql(
    UPDATE webhook_endpoints SET enabled = FALSE, deleted_at_us = $3, updated_at_us = $3
    WHERE tenant_id = $1 AND id = $2 AND deleted_at_us IS NULL)sql"};
constexpr db::Query kFailPending{"webhooks.fail_pending", R"sql(
    UPDATE webhook_deliveries
    SET status = 'failed', last_error = $3, held_reason = NULL, lease_until_us = NULL,
        updated_at_us = $4
    WHERE tenant_id = $1 AND endpoint_id = $2 AND status = 'pending')sql"};
constexpr db::Query kExpireSecret{"webhooks.expire_secret", R"sql(
    UPDATE webhook_secrets SET expires_at_us = $3 WHERE tenant_id = $1 AND id = $2)sql"};

const http::Principal& CallerOf(const http::RequestContext& ctx) {
    ERP_ASSERT(ctx.principal().has_value(), "webhook routes are authenticated");
    return *ctx.principal();
}

// The subscription in a body's `event_types`: known names or "*", no repeats.
std::vector<std::string> ReadEventTypes(http::JsonBody& body, bool required) {
    if (!required && !body.Has("event_types")) return {};
    std::vector<std::string> types =
        body.RequiredStringArray("event_types", 1, kMaxEventTypesPerEndpoint, 128);
    std::set<std::string> seen;
    for (size_t i = 0; i < types.size(); ++i) {
        const std::string field = "event_types[" + std::to_string(i) + "]";
        if (types[i] != kWildcard && !IsKnownEventType(types[i])) {
            body.AddError(field, "unknown event type '" + types[i] +
                                     "' (GET /api/v1/webhooks/event-types lists them; \"*\" is "
                                     "every type)");
        } else if (!seen.insert(types[i]).second) {
            body.AddError(field, "is listed twice");
        }
    }
    return types;
}

std::string ReadUrl(http::JsonBody& body, bool required) {
    std::optional<std::string> url;
    if (required) {
        url = body.RequiredString("url", kMaxUrlLength + 1);
    } else {
        url = body.OptionalString("url", kMaxUrlLength + 1);
    }
    if (url && !url->empty()) {
        const Result<void> valid = ValidateEndpointUrl(*url, body.FieldPath("url"));
        if (!valid.ok()) body.AddError("url", valid.error().fields().at(0).message);
    }
    return url.value_or("");
}

Result<Endpoint> FindOr404(db::Transaction& tx, const TenantId& tenant, const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(std::optional<Endpoint> found, FindEndpoint(tx, tenant, id));
    if (!found) return NotFound("webhook endpoint");
    return std::move(*found);
}

Result<json> StateOf(const WebhookDeps& deps, db::Transaction& tx, const TenantId& tenant,
                     const Endpoint& e) {
    OMC_ASSIGN_OR_RETURN(const std::vector<SecretRow> secrets,
                         ActiveSecrets(tx, tenant, e.id, deps.clock->NowUs()));
    return EndpointJson(e, secrets);
}

Result<http::Reply> CreateEndpoint(const WebhookDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"id", "url", "description", "event_types", "enabled"});
    const std::optional<Uuid> id = body.OptionalUuid("id");
    const std::string url = ReadUrl(body, /*required=*/true);
    const std::optional<std::string> description =
        body.OptionalString("description", kMaxDescriptionLength);
    const std::vector<std::string> types = ReadEventTypes(body, /*required=*/true);
    const bool enabled = body.OptionalBool("enabled").value_or(true);
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    const TenantId& tenant = ctx.tenant();
    OMC_ASSIGN_OR_RETURN(const db::Rows count, tx->Query(kCountEndpoints, {tenant}));
    if (count[0].Int(0) >= static_cast<int64_t>(kMaxEndpointsPerTenant)) {
        return Error(ErrorCode::kUnprocessable, "too many webhook endpoints",
                     {{"url", "a tenant has at most 50 endpoints; delete one first"}});
    }
    const TimestampUs now = deps.clock->NowUs();
    Endpoint e{.id = id.value_or(deps.ids->NewV7()),
               .url = url,
               .description = description,
               .event_types = types,
               .enabled = enabled,
               .disabled_reason =
                   enabled ? std::nullopt : std::optional<std::string>("disabled: on creation"),
               .created_by = CallerOf(ctx).subject,
               .created_at_us = now,
               .updated_at_us = now};
    OMC_ASSIGN_OR_RETURN(const db::Rows taken, tx->Query(kIdTaken, {tenant, e.id}));
    if (!taken.empty()) {
        return Error(ErrorCode::kConflict, "webhook endpoint exists", {{"id", "is taken"}});
    }
    OMC_TRY(tx->Execute(kInsertEndpoint,
                        {tenant, e.id, e.url, e.description, json(e.event_types).dump(), e.enabled,
                         e.disabled_reason, e.created_by, now}));
    const std::string secret = GenerateSecret();
    OMC_TRY(InsertSecret(*tx, tenant, *deps.ids, *deps.config, e.id, secret, now));
    OMC_TRY(tx->Execute(kStartCursor, {tenant, now}));
    OMC_ASSIGN_OR_RETURN(json state, StateOf(deps, *tx, tenant, e));
    OMC_TRY(
        RecordChange(deps, ctx, *tx, "webhooks.endpoint_created", "webhook_endpoint", e.id, state));
    state["secret"] = secret;  // shown this once; the audit note and event never carry it
    return http::Created(std::move(state), "/api/v1/webhooks/endpoints", e.id);
}

Result<http::Reply> ListEndpoints(const WebhookDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, http::PageAfter(page));
    OMC_ASSIGN_OR_RETURN(const std::optional<bool> enabled, http::QueryBool(ctx, "enabled"));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kListEndpoints, {ctx.tenant(), after, page.limit + 1, enabled}));
    std::vector<Endpoint> endpoints;
    for (const db::Row& row : rows) endpoints.push_back(EndpointFromRow(row));
    std::optional<std::string> next_cursor;
    if (endpoints.size() > static_cast<size_t>(page.limit)) {
        endpoints.resize(static_cast<size_t>(page.limit));
        next_cursor = endpoints.back().id.ToString();
    }
    json items = json::array();
    for (const Endpoint& e : endpoints) {
        OMC_ASSIGN_OR_RETURN(json item, StateOf(deps, *tx, ctx.tenant(), e));
        items.push_back(std::move(item));
    }
    return http::Reply::PageOf(std::move(items), std::move(next_cursor));
}

Result<http::Reply> GetEndpoint(const WebhookDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Endpoint e, FindOr404(*tx, ctx.tenant(), id));
    OMC_ASSIGN_OR_RETURN(json state, StateOf(deps, *tx, ctx.tenant(), e));
    return http::Answer(std::move(state));
}

Result<http::Reply> UpdateEndpoint(const WebhookDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"url", "description", "event_types", "enabled"});
    const std::string url = ReadUrl(body, /*required=*/false);
    const bool has_description = body.raw().contains("description");
    const std::optional<std::string> description =
        body.OptionalString("description", kMaxDescriptionLength);
    const std::vector<std::string> types = ReadEventTypes(body, /*required=*/false);
    const std::optional<bool> enabled = body.OptionalBool("enabled");
    if (url.empty() && !has_description && types.empty() && !enabled && !body.HasErrors()) {
        body.AddError("url", "give url, description, event_types or enabled");
    }
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    const TenantId& tenant = ctx.tenant();
    OMC_ASSIGN_OR_RETURN(Endpoint e, FindOr404(*tx, tenant, id));
    const TimestampUs now = deps.clock->NowUs();
    const bool was_enabled = e.enabled;
    if (!url.empty()) e.url = url;
    if (has_description) e.description = description;
    if (!types.empty()) e.event_types = types;
    if (enabled && *enabled && !was_enabled) {
        e.enabled = true;
        e.disabled_reason.reset();
        OMC_TRY(tx->Execute(kReleaseHeld, {tenant, e.id, now}));
    }
    e.updated_at_us = now;
    OMC_TRY(tx->Execute(kUpdateEndpoint,
                        {tenant, e.id, e.url, e.description, json(e.event_types).dump(), e.enabled,
                         e.disabled_reason, now}));
    if (enabled && !*enabled && was_enabled) {
        e.enabled = false;
        e.disabled_reason = "disabled: by " + CallerOf(ctx).subject;
        OMC_TRY(DisableEndpoint(*tx, tenant, e.id, *e.disabled_reason, now));
    }
    OMC_ASSIGN_OR_RETURN(json state, StateOf(deps, *tx, tenant, e));
    OMC_TRY(
        RecordChange(deps, ctx, *tx, "webhooks.endpoint_updated", "webhook_endpoint", e.id, state));
    return http::Answer(std::move(state));
}

// The endpoint goes from the API; its delivery log stays in the database, and its pending
// deliveries are dead-lettered ("endpoint deleted").
Result<http::Reply> DeleteEndpoint(const WebhookDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    const TenantId& tenant = ctx.tenant();
    OMC_ASSIGN_OR_RETURN(const Endpoint e, FindOr404(*tx, tenant, id));
    const TimestampUs now = deps.clock->NowUs();
    OMC_TRY(tx->Execute(kDeleteEndpoint, {tenant, e.id, now}));
    OMC_ASSIGN_OR_RETURN(const int64_t failed,
                         tx->Execute(kFailPending, {tenant, e.id, "endpoint deleted", now}));
    const json state{{"id", e.id.ToString()},
                     {"url", e.url},
                     {"deleted", true},
                     {"pending_deliveries_failed", failed}};
    OMC_TRY(
        RecordChange(deps, ctx, *tx, "webhooks.endpoint_deleted", "webhook_endpoint", e.id, state));
    return http::Answer(state);
}

// A new primary secret; the previous primary stays valid until `expires_in_seconds` from now
// (default 24 h, 0 ends it at once), and any older secret ends now: at most two are active.
Result<http::Reply> RotateSecret(const WebhookDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    const std::string_view raw = ctx.request().body;
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(raw.empty() ? "{}" : raw));
    body.RejectUnknown({"expires_in_seconds"});
    const int64_t overlap_s = body.OptionalInt64("expires_in_seconds", 0,
                                                 std::chrono::seconds(kMaxRotationOverlap).count())
                                  .value_or(std::chrono::seconds(kDefaultRotationOverlap).count());
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    const TenantId& tenant = ctx.tenant();
    OMC_ASSIGN_OR_RETURN(const Endpoint e, FindOr404(*tx, tenant, id));
    const TimestampUs now = deps.clock->NowUs();
    OMC_ASSIGN_OR_RETURN(const std::vector<SecretRow> active,
                         ActiveSecrets(*tx, tenant, e.id, now));
    for (size_t i = 0; i < active.size(); ++i) {
        const TimestampUs until = i == 0 ? now + overlap_s * 1'000'000 : now;
        OMC_TRY(tx->Execute(kExpireSecret, {tenant, active[i].id, until}));
    }
    const std::string secret = GenerateSecret();
    // A microsecond later, so the new secret sorts first even on a clock that did not move.
    OMC_TRY(InsertSecret(*tx, tenant, *deps.ids, *deps.config, e.id, secret, now + 1));
    OMC_ASSIGN_OR_RETURN(const std::vector<SecretRow> after, ActiveSecrets(*tx, tenant, e.id, now));
    ERP_INVARIANT(!after.empty() && after.size() <= 2, "one or two active secrets after rotation");
    json state = EndpointJson(e, after);
    OMC_TRY(
        RecordChange(deps, ctx, *tx, "webhooks.secret_rotated", "webhook_endpoint", e.id, state));
    state["secret"] = secret;
    return http::Answer(std::move(state));
}

Result<http::Reply> ListEventTypes(const WebhookDeps& /*deps*/, http::RequestContext& /*ctx*/) {
    json items = json::array({std::string(kWildcard)});
    for (std::string_view t : KnownEventTypes()) items.push_back(std::string(t));
    return http::Answer(std::move(items));
}

}  // namespace

void RegisterEndpointRoutes(http::Router& router, const WebhookDeps& deps) {
    using http::Method;
    const std::string base = "/api/v1/webhooks/endpoints";
    router.Add(ReadRoute(base, "webhooks.endpoints.list", deps, ListEndpoints));
    router.Add(WriteRoute(Method::kPost, base, "webhooks.endpoints.create", deps, CreateEndpoint));
    router.Add(ReadRoute(base + "/{id}", "webhooks.endpoints.get", deps, GetEndpoint));
    router.Add(WriteRoute(Method::kPatch, base + "/{id}", "webhooks.endpoints.update", deps,
                          UpdateEndpoint));
    router.Add(WriteRoute(Method::kDelete, base + "/{id}", "webhooks.endpoints.delete", deps,
                          DeleteEndpoint));
    router.Add(WriteRoute(Method::kPost, base + "/{id}/rotate-secret",
                          "webhooks.endpoints.rotate_secret", deps, RotateSecret));
    http::Route types = ReadRoute("/api/v1/webhooks/event-types", "webhooks.event_types.list", deps,
                                  ListEventTypes);
    types.tenant_owned = false;  // the same list for every tenant
    router.Add(std::move(types));
}

}  // namespace omc::webhooks
