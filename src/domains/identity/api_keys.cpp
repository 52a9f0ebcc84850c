#include "domains/identity/api_keys.hpp"

#include <fmt/format.h>

#include "domains/identity/identity.hpp"
#include "domains/identity/scope.hpp"
#include "domains/identity/users.hpp"
#include "platform/auth/token.hpp"
#include "platform/http/json_body.hpp"
#include "platform/log/log.hpp"

namespace omc::identity {
namespace {

constexpr size_t kSecretBytes = 32;
constexpr size_t kMaxNameLength = 120;
constexpr int64_t kMaxLifetimeDays = 3650;

#define OMC_KEY_COLUMNS                                                                 \
    "tenant_id, id, name, role, station_id, created_by, created_at_us, expires_at_us, " \
    "revoked_at_us, last_used_at_us"

constexpr db::Query kInsertKey{"identity.insert_api_key", R"sql(
    INSERT INTO api_keys (tenant_id, id, name, role, station_id, key_hash, created_by,
                          created_at_us, expires_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9))sql"};
constexpr db::Query kListKeys{"identity.list_api_keys", "SELECT " OMC_KEY_COLUMNS
                                                        " FROM api_keys WHERE tenant_id = $1 AND "
                                                        "id > $2 ORDER BY id LIMIT $3"};
constexpr db::Query kFindKey{"identity.find_api_key",
                             "SELECT " OMC_KEY_COLUMNS
                             " FROM api_keys WHERE tenant_id = $1 AND id = $2"};
constexpr db::Query kRevokeKey{"identity.revoke_api_key", R"sql(
    UPDATE api_keys SET revoked_at_us = $3
    WHERE tenant_id = $1 AND id = $2 AND revoked_at_us IS NULL)sql"};
constexpr db::Query kKeyByHash{"identity.api_key_by_hash",
                               "SELECT " OMC_KEY_COLUMNS " FROM api_keys WHERE key_hash = $1"};
constexpr db::Query kTouchKey{"identity.touch_api_key",
                              "UPDATE api_keys SET last_used_at_us = $3 WHERE tenant_id = $1 AND "
                              "id = $2"};
constexpr db::Query kStationExists{
    "identity.station_exists", "SELECT COUNT(*) FROM stations WHERE tenant_id = $1 AND id = $2"};

Result<ApiKey> KeyFromRow(const db::Row& row) {
    ApiKey key;
    auto tenant = TenantId::Parse(row.Text(0));
    auto role = ParseRole(row.Text(3));
    if (!tenant || !role) return Internal("api_keys row with a bad tenant or role");
    key.tenant = *tenant;
    key.id = row.Id(1);
    key.name = row.Text(2);
    key.role = *role;
    if (!row.IsNull(4)) key.station_id = row.Id(4);
    if (!row.IsNull(5)) key.created_by = row.Id(5);
    key.created_at_us = row.Int(6);
    key.expires_at_us = row.OptInt(7);
    key.revoked_at_us = row.OptInt(8);
    key.last_used_at_us = row.OptInt(9);
    return key;
}

nlohmann::json OptTime(const std::optional<TimestampUs>& t) {
    return t ? nlohmann::json(FormatTimestamp(*t)) : nlohmann::json(nullptr);
}

Error InvalidKey() { return Error(ErrorCode::kUnauthenticated, "invalid or revoked API key"); }

}  // namespace

bool RoleAllowedForApiKey(Role role) {
    return role == Role::kOperator || role == Role::kStationManager || role == Role::kAuditor;
}

nlohmann::json ApiKeyJson(const ApiKey& key) {
    return {{"id", key.id.ToString()},
            {"name", key.name},
            {"role", RoleName(key.role)},
            {"station_id",
             key.station_id ? nlohmann::json(key.station_id->ToString()) : nlohmann::json(nullptr)},
            {"created_by",
             key.created_by ? nlohmann::json(key.created_by->ToString()) : nlohmann::json(nullptr)},
            {"created_at", FormatTimestamp(key.created_at_us)},
            {"expires_at", OptTime(key.expires_at_us)},
            {"revoked_at", OptTime(key.revoked_at_us)},
            {"last_used_at", OptTime(key.last_used_at_us)}};
}

Result<ApiKeys::Created> ApiKeys::Create(db::Transaction& tx, const TenantId& tenant,
                                         std::string name, Role role,
                                         std::optional<Uuid> station_id,
                                         std::optional<TimestampUs> expires_at_us,
                                         std::optional<Uuid> created_by) {
    if (!RoleAllowedForApiKey(role)) {
        return InvalidArgument("role", "must be Operator, StationManager or Auditor");
    }
    const bool station_role = ScopeKindOf(role) == ScopeKind::kStation;
    if (station_role && !station_id) {
        return InvalidArgument("station_id", fmt::format("is required for {}", RoleName(role)));
    }
    if (!station_role && station_id) {
        return InvalidArgument("station_id",
                               fmt::format("must be absent: {} covers the tenant", RoleName(role)));
    }
    if (station_id) {
        OMC_ASSIGN_OR_RETURN(db::Rows rows, tx.Query(kStationExists, {tenant, *station_id}));
        if (rows[0].Int(0) == 0) {
            return Error(ErrorCode::kUnprocessable, "the station does not exist",
                         {{"station_id", "no such station"}});
        }
    }
    Created created;
    ApiKey& key = created.key;
    key.tenant = tenant;
    key.id = ids_.NewV7();
    key.name = std::move(name);
    key.role = role;
    key.station_id = station_id;
    key.created_by = created_by;
    key.created_at_us = clock_.NowUs();
    key.expires_at_us = expires_at_us;
    std::string secret(kSecretBytes, '\0');
    RandomBytes(reinterpret_cast<uint8_t*>(secret.data()), secret.size());
    std::string compact_id = key.id.ToString();
    compact_id.erase(std::remove(compact_id.begin(), compact_id.end(), '-'), compact_id.end());
    created.secret = std::string(kApiKeyPrefix) + compact_id + "_" + auth::Base64UrlEncode(secret);
    OMC_TRY(tx.Execute(kInsertKey, {tenant, key.id, key.name, std::string(RoleName(role)),
                                    key.station_id, auth::Sha256Hex(created.secret), key.created_by,
                                    key.created_at_us, key.expires_at_us}));
    return created;
}

Result<std::vector<ApiKey>> ApiKeys::List(db::Transaction& tx, const TenantId& tenant,
                                          const Uuid& after, int limit) {
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx.Query(kListKeys, {tenant, after, limit}));
    std::vector<ApiKey> keys;
    for (const db::Row& row : rows) {
        OMC_ASSIGN_OR_RETURN(ApiKey key, KeyFromRow(row));
        keys.push_back(std::move(key));
    }
    return keys;
}

Result<ApiKey> ApiKeys::Revoke(db::Transaction& tx, const TenantId& tenant, const Uuid& id) {
    OMC_TRY(tx.Execute(kRevokeKey, {tenant, id, clock_.NowUs()}));
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx.Query(kFindKey, {tenant, id}));
    if (rows.empty()) return NotFound("API key");
    {
        std::lock_guard lock(mu_);
        std::erase_if(cache_, [&](const auto& entry) { return entry.second.id == id; });
    }
    return KeyFromRow(rows[0]);
}

Result<http::Principal> ApiKeys::Authenticate(std::string_view presented) {
    if (presented.size() > 200 || presented.substr(0, kApiKeyPrefix.size()) != kApiKeyPrefix) {
        return InvalidKey();
    }
    const std::string hash = auth::Sha256Hex(presented);
    const TimestampUs now = clock_.NowUs();
    bool touch = false;
    Uuid touch_id;
    TenantId touch_tenant;
    {
        std::lock_guard lock(mu_);
        auto hit = cache_.find(hash);
        if (hit != cache_.end() && now - hit->second.checked_at_us < kCacheTtlUs) {
            Cached& cached = hit->second;
            if (cached.expires_at_us && *cached.expires_at_us <= now) return InvalidKey();
            if (now - cached.last_used_written_us >= kLastUsedEveryUs) {
                cached.last_used_written_us = now;
                touch = true;
                touch_id = cached.id;
                touch_tenant = cached.principal.tenant;
            }
            if (!touch) return cached.principal;
        }
    }
    if (touch) {
        auto touched = db::InTransaction(
            database_, {.tenant = touch_tenant}, [&](db::Transaction& tx) -> Result<int64_t> {
                return tx.Execute(kTouchKey, {touch_tenant, touch_id, now});
            });
        if (!touched.ok())
            log::Warn("could not record API key use", {{"detail", touched.error().detail()}});
        std::lock_guard lock(mu_);
        auto hit = cache_.find(hash);
        if (hit != cache_.end()) return hit->second.principal;
    }
    // Not cached (or stale): look it up across tenants by its hash in a read-only transaction
    // (a flood of made-up keys takes no write lock), then record the use of a real one.
    OMC_ASSIGN_OR_RETURN(
        std::optional<ApiKey> found,
        db::InTransaction(database_, {.system = true, .read_only = true},
                          [&](db::Transaction& tx) -> Result<std::optional<ApiKey>> {
                              OMC_ASSIGN_OR_RETURN(db::Rows rows, tx.Query(kKeyByHash, {hash}));
                              if (rows.empty()) return std::optional<ApiKey>();
                              OMC_ASSIGN_OR_RETURN(ApiKey key, KeyFromRow(rows[0]));
                              if (key.revoked_at_us) return std::optional<ApiKey>();
                              // A suspended company's machines stop with its people.
                              OMC_ASSIGN_OR_RETURN(bool active, TenantActive(tx, key.tenant));
                              if (!active) return std::optional<ApiKey>();
                              return std::optional<ApiKey>(key);
                          }));
    if (found && !(found->expires_at_us && *found->expires_at_us <= now)) {
        auto touched = db::InTransaction(
            database_, {.tenant = found->tenant}, [&](db::Transaction& tx) -> Result<int64_t> {
                return tx.Execute(kTouchKey, {found->tenant, found->id, now});
            });
        if (!touched.ok()) {
            log::Warn("could not record API key use", {{"detail", touched.error().detail()}});
        }
    }
    if (!found || (found->expires_at_us && *found->expires_at_us <= now)) return InvalidKey();
    http::Principal principal;
    principal.tenant = found->tenant;
    principal.subject = found->id.ToString();
    principal.role = std::string(RoleName(found->role));
    principal.is_api_key = true;
    if (found->station_id) principal.scopes.push_back(ScopeString("station", *found->station_id));
    std::lock_guard lock(mu_);
    if (cache_.size() >= 10'000) cache_.clear();
    cache_[hash] = Cached{principal, found->id, found->expires_at_us, now, now};
    return principal;
}

std::optional<std::string_view> IdentityAuthenticator::PresentedKey(const http::Request& request) {
    std::optional<std::string_view> key = request.Header("X-API-Key");
    if (key) return key;
    auto header = request.Header("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (header && header->substr(0, kBearer.size()) == kBearer &&
        header->substr(kBearer.size(), kApiKeyPrefix.size()) == kApiKeyPrefix) {
        return header->substr(kBearer.size());
    }
    return std::nullopt;
}

bool IdentityAuthenticator::MayBlock(const http::Request& request) const {
    return PresentedKey(request).has_value() || bearer_.MayBlock(request);
}

Result<std::optional<http::Principal>> IdentityAuthenticator::Authenticate(
    const http::Request& request) {
    const std::optional<std::string_view> key = PresentedKey(request);
    if (!key) return bearer_.Authenticate(request);
    OMC_ASSIGN_OR_RETURN(http::Principal principal, keys_.Authenticate(*key));
    return std::optional<http::Principal>(std::move(principal));
}

// --- routes ---

namespace {

Result<http::Reply> CreateKey(Identity& identity, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"name", "role", "station_id", "expires_in_days"});
    std::string name = body.RequiredString("name", kMaxNameLength);
    const std::string role_name =
        body.RequiredEnum("role", {"Operator", "StationManager", "Auditor"});
    const std::optional<Uuid> station = body.OptionalUuid("station_id");
    const std::optional<int64_t> days = body.OptionalInt64("expires_in_days", 1, kMaxLifetimeDays);
    OMC_TRY(body.Finish());
    std::optional<TimestampUs> expires;
    if (days) expires = ctx.clock().NowUs() + *days * 86'400 * kUsPerSecond;
    std::optional<Uuid> creator;
    if (!ctx.principal()->is_api_key) creator = Uuid::Parse(ctx.principal()->subject);
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(
        ApiKeys::Created created,
        identity.api_keys().Create(*tx, ctx.tenant(), std::move(name), *ParseRole(role_name),
                                   station, expires, creator));
    ctx.audit().entity_type = "api_key";
    ctx.audit().entity_id = created.key.id.ToString();
    ctx.audit().summary = ApiKeyJson(created.key);
    http::Reply reply;
    reply.status = 201;
    reply.data = ApiKeyJson(created.key);
    reply.data["key"] = created.secret;
    return reply;
}

Result<http::Reply> ListKeys(Identity& identity, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, PageAfter(page));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(std::vector<ApiKey> keys,
                         identity.api_keys().List(*tx, ctx.tenant(), after, page.limit + 1));
    std::optional<std::string> next;
    if (static_cast<int>(keys.size()) > page.limit) {
        keys.resize(page.limit);
        next = keys.back().id.ToString();
    }
    nlohmann::json items = nlohmann::json::array();
    for (const ApiKey& key : keys) items.push_back(ApiKeyJson(key));
    return http::Reply::PageOf(std::move(items), std::move(next));
}

Result<http::Reply> RevokeKey(Identity& identity, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(ApiKey key, identity.api_keys().Revoke(*tx, ctx.tenant(), id));
    ctx.audit().entity_type = "api_key";
    ctx.audit().entity_id = key.id.ToString();
    ctx.audit().summary = {{"name", key.name}};
    return http::Reply{.data = ApiKeyJson(key)};
}

}  // namespace

void RegisterApiKeyRoutes(http::Router& router, Identity& identity) {
    Identity* id = &identity;
    router.Add({.method = http::Method::kGet,
                .pattern = "/api/v1/api-keys",
                .name = "api_keys.list",
                .rate = http::RateClass::kRead,
                .permission = "api_keys.read",
                .handler = [id](http::RequestContext& ctx) { return ListKeys(*id, ctx); }});
    router.Add({.method = http::Method::kPost,
                .pattern = "/api/v1/api-keys",
                .name = "api_keys.create",
                .rate = http::RateClass::kWrite,
                // Not idempotent: a stored answer would keep the secret for a day.
                .permission = "api_keys.write",
                .handler = [id](http::RequestContext& ctx) { return CreateKey(*id, ctx); }});
    router.Add({.method = http::Method::kDelete,
                .pattern = "/api/v1/api-keys/{id}",
                .name = "api_keys.revoke",
                .rate = http::RateClass::kWrite,
                .permission = "api_keys.write",
                .handler = [id](http::RequestContext& ctx) { return RevokeKey(*id, ctx); }});
}

}  // namespace omc::identity
