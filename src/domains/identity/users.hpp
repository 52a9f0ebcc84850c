// Users: who signs in, their role and the places it applies. The store functions run inside the
// caller's transaction; every one but FindUserByLogin is tenant-scoped (tenant_id = $1).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domains/identity/permissions.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace omc::identity {

// The platform operators' tenant (migration 0005): SuperAdmin users live here.
extern const TenantId kPlatformTenant;

inline constexpr size_t kMaxUsernameLength = 64;
inline constexpr size_t kMaxEmailLength = 254;
inline constexpr size_t kMaxDisplayNameLength = 120;
inline constexpr size_t kMaxScopesPerUser = 64;

struct User {
    TenantId tenant;
    Uuid id;
    std::string username;  // lower-case
    std::string email;     // lower-case
    std::string display_name;
    Role role = Role::kOperator;
    std::vector<Uuid> scope_ids;  // regions, stations or dealers, per ScopeKindOf(role)
    std::string password_hash;
    bool must_change_password = false;
    bool active = true;
    std::optional<std::string> totp_secret;  // raw bytes; pending until totp_enabled
    bool totp_enabled = false;
    int64_t totp_last_step = 0;
    TimestampUs created_at_us = 0;
    TimestampUs updated_at_us = 0;
    TimestampUs password_changed_at_us = 0;
    std::optional<TimestampUs> last_login_at_us;
};

// Lower-cases and trims a login name or email.
std::string NormalizeLogin(std::string_view text);
// Usernames: 3..64 of [a-z0-9._-], starting with a letter or digit (no '@', so a username can
// never equal someone's email). Emails: one '@', a dot in the domain, no spaces, <= 254.
bool ValidUsername(std::string_view username);
bool ValidEmail(std::string_view email);

// Across tenants (sign-in): the user whose username or email is `login`. Needs a system
// transaction on PostgreSQL. Scopes are loaded too.
Result<std::optional<User>> FindUserByLogin(db::Transaction& tx, std::string_view login);
Result<std::optional<User>> FindUser(db::Transaction& tx, const TenantId& tenant, const Uuid& id);
Result<std::vector<User>> ListUsers(db::Transaction& tx, const TenantId& tenant, const Uuid& after,
                                    int limit);

// Inserts `user` with its scopes. kConflict naming "username" or "email" when taken.
Result<void> InsertUser(db::Transaction& tx, const User& user);
// Writes every mutable column and replaces the scopes.
Result<void> UpdateUser(db::Transaction& tx, const User& user);

// Checks that `scope_ids` suit `role` (none for tenant-wide roles; 1..64 existing regions,
// stations or dealers of the tenant otherwise). kInvalidArgument / kUnprocessable naming
// `field`. An id of another tenant is answered exactly like a missing one.
Result<void> CheckGrant(db::Transaction& tx, const TenantId& tenant, Role role,
                        const std::vector<Uuid>& scope_ids, std::string_view field);

// The scope strings a token carries for `user` ("station:<id>", ...).
std::vector<std::string> TokenScopes(const User& user);
// Whether the tenant requires a second factor of `role`.
Result<bool> MfaRequired(db::Transaction& tx, const TenantId& tenant, Role role);
// Whether the tenant exists and is active.
Result<bool> TenantActive(db::Transaction& tx, const TenantId& tenant);

// The API form: never the password hash or TOTP secret.
nlohmann::json UserJson(const User& user);

}  // namespace omc::identity
