// API keys for machines: station devices (tank gauges, pump controllers, the field app on a
// station tablet) and integrations. A key carries a role like a user (Operator or
// StationManager at one station, or Auditor for read-only integrations across the tenant),
// is shown once as "omck_<id>_<secret>", is stored as SHA-256 of that text, and can be revoked.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "domains/identity/permissions.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace omc::identity {

inline constexpr std::string_view kApiKeyPrefix = "omck_";

struct ApiKey {
    TenantId tenant;
    Uuid id;
    std::string name;
    Role role = Role::kOperator;
    std::optional<Uuid> station_id;
    std::optional<Uuid> created_by;
    TimestampUs created_at_us = 0;
    std::optional<TimestampUs> expires_at_us;
    std::optional<TimestampUs> revoked_at_us;
    std::optional<TimestampUs> last_used_at_us;
};
nlohmann::json ApiKeyJson(const ApiKey& key);

// Roles a key may carry: machines never administer.
bool RoleAllowedForApiKey(Role role);

class ApiKeys {
  public:
    ApiKeys(db::Database& database, const Clock& clock, IdGenerator& ids)
        : database_(database), clock_(clock), ids_(ids) {}

    struct Created {
        ApiKey key;
        std::string secret;  // the whole "omck_..." text; shown once
    };
    // kInvalidArgument naming "role" or "station_id" when they do not fit together;
    // kUnprocessable naming "station_id" when the station is not the tenant's.
    Result<Created> Create(db::Transaction& tx, const TenantId& tenant, std::string name, Role role,
                           std::optional<Uuid> station_id, std::optional<TimestampUs> expires_at_us,
                           std::optional<Uuid> created_by);
    Result<std::vector<ApiKey>> List(db::Transaction& tx, const TenantId& tenant, const Uuid& after,
                                     int limit);
    // kNotFound for another tenant's key or an unknown id; revoking twice is fine.
    Result<ApiKey> Revoke(db::Transaction& tx, const TenantId& tenant, const Uuid& id);

    // The principal of a presented key, or kUnauthenticated. Verified keys are cached for
    // kCacheTtl, so a revocation reaches other processes within that time (this process drops
    // its entry at once). The last-used time is written at most once a minute per key.
    Result<http::Principal> Authenticate(std::string_view presented);

    static constexpr int64_t kCacheTtlUs = 30 * kUsPerSecond;
    static constexpr int64_t kLastUsedEveryUs = 60 * kUsPerSecond;

  private:
    struct Cached {
        http::Principal principal;
        Uuid id;
        std::optional<TimestampUs> expires_at_us;
        TimestampUs checked_at_us = 0;
        TimestampUs last_used_written_us = 0;
    };
    db::Database& database_;
    const Clock& clock_;
    IdGenerator& ids_;
    std::mutex mu_;
    std::unordered_map<std::string, Cached> cache_;  // GUARDED_BY(mu_), by key hash
};

// Access tokens (Authorization: Bearer <jwt>) and API keys (Authorization: Bearer omck_... or
// X-API-Key: omck_...).
class IdentityAuthenticator final : public http::Authenticator {
  public:
    IdentityAuthenticator(http::Authenticator& bearer, ApiKeys& keys)
        : bearer_(bearer), keys_(keys) {}
    Result<std::optional<http::Principal>> Authenticate(const http::Request& request) override;
    // An API key may be looked up or have its last use written in the database.
    bool MayBlock(const http::Request& request) const override;

  private:
    // The API key the request presents, if any.
    static std::optional<std::string_view> PresentedKey(const http::Request& request);

    http::Authenticator& bearer_;
    ApiKeys& keys_;
};

}  // namespace omc::identity
