#include "domains/identity/users.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>

namespace omc::identity {

const TenantId kPlatformTenant = *TenantId::Parse("00000000-0000-7000-8000-000000000000");

namespace {

#define OMC_USER_COLUMNS                                                                       \
    "tenant_id, id, username, email, display_name, role, password_hash, "                      \
    "must_change_password, active, totp_secret, totp_enabled, totp_last_step, created_at_us, " \
    "updated_at_us, password_changed_at_us, last_login_at_us"

constexpr db::Query kFindByLogin{"identity.find_user_by_login",
                                 "SELECT " OMC_USER_COLUMNS
                                 " FROM users WHERE username = $1 OR email = $1"};
constexpr db::Query kFindUser{"identity.find_user", "SELECT " OMC_USER_COLUMNS
                                                    " FROM users WHERE tenant_id = $1 AND id = $2"};
constexpr db::Query kListUsers{"identity.list_users",
                               "SELECT " OMC_USER_COLUMNS
                               " FROM users WHERE tenant_id = $1 AND id > $2 "
                               "ORDER BY id LIMIT $3"};
constexpr db::Query kUserScopes{
    "identity.user_scopes",
    "SELECT scope_id FROM user_scopes WHERE tenant_id = $1 AND user_id = $2 ORDER BY scope_id"};
// The scopes of one page of users (ids first..last, in id order): one query, not one per user.
constexpr db::Query kPageScopes{"identity.page_scopes", R"sql(
    SELECT user_id, scope_id FROM user_scopes
    WHERE tenant_id = $1 AND user_id >= $2 AND user_id <= $3 ORDER BY user_id, scope_id)sql"};
constexpr db::Query kInsertUser{"identity.insert_user", R"sql(
    INSERT INTO users (tenant_id, id, username, email, display_name, role, password_hash,
                       must_change_password, active, totp_secret, totp_enabled, totp_last_step,
                       created_at_us, updated_at_us, password_changed_at_us, last_login_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16))sql"};
constexpr db::Query kUpdateUser{"identity.update_user", R"sql(
    UPDATE users SET email = $3, display_name = $4, role = $5, password_hash = $6,
                     must_change_password = $7, active = $8, totp_secret = $9, totp_enabled = $10,
                     totp_last_step = $11, updated_at_us = $12, password_changed_at_us = $13,
                     last_login_at_us = $14
    WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kDeleteScopes{"identity.delete_scopes",
                                  "DELETE FROM user_scopes WHERE tenant_id = $1 AND user_id = $2"};
constexpr db::Query kInsertScope{"identity.insert_scope", R"sql(
    INSERT INTO user_scopes (tenant_id, user_id, scope_kind, scope_id) VALUES ($1, $2, $3, $4))sql"};
constexpr db::Query kMfaRequired{
    "identity.mfa_required",
    "SELECT COUNT(*) FROM mfa_required_roles WHERE tenant_id = $1 AND role = $2"};
constexpr db::Query kTenantActive{"identity.tenant_active",
                                  "SELECT active FROM tenants WHERE id = $1"};
constexpr db::Query kCountRegions{"identity.count_regions",
                                  "SELECT COUNT(*) FROM regions WHERE tenant_id = $1 AND id = $2"};
constexpr db::Query kCountStations{
    "identity.count_stations", "SELECT COUNT(*) FROM stations WHERE tenant_id = $1 AND id = $2"};
constexpr db::Query kCountDealers{"identity.count_dealers",
                                  "SELECT COUNT(*) FROM dealers WHERE tenant_id = $1 AND id = $2"};

Result<User> UserFromRow(const db::Row& row) {
    User user;
    auto tenant = TenantId::Parse(row.Text(0));
    auto role = ParseRole(row.Text(5));
    if (!tenant || !role) return Internal("users row with a bad tenant or role");
    user.tenant = *tenant;
    user.id = row.Id(1);
    user.username = row.Text(2);
    user.email = row.Text(3);
    user.display_name = row.Text(4);
    user.role = *role;
    user.password_hash = row.Text(6);
    user.must_change_password = row.Bool(7);
    user.active = row.Bool(8);
    user.totp_secret = row.OptText(9);
    user.totp_enabled = row.Bool(10);
    user.totp_last_step = row.Int(11);
    user.created_at_us = row.Int(12);
    user.updated_at_us = row.Int(13);
    user.password_changed_at_us = row.Int(14);
    user.last_login_at_us = row.OptInt(15);
    return user;
}

Result<void> LoadScopes(db::Transaction& tx, User& user) {
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx.Query(kUserScopes, {user.tenant, user.id}));
    user.scope_ids.clear();
    for (const db::Row& row : rows) user.scope_ids.push_back(row.Id(0));
    return Ok();
}

Result<std::optional<User>> OneUser(db::Transaction& tx, const db::Rows& rows) {
    if (rows.empty()) return std::optional<User>();
    OMC_ASSIGN_OR_RETURN(User user, UserFromRow(rows[0]));
    OMC_TRY(LoadScopes(tx, user));
    return std::optional<User>(std::move(user));
}

db::Param Secret(const std::optional<std::string>& secret) {
    if (!secret) return db::Null{};
    return db::Bytes{*secret};
}

Result<void> InsertScopes(db::Transaction& tx, const User& user) {
    const std::string kind(ScopeKindName(ScopeKindOf(user.role)));
    for (const Uuid& id : user.scope_ids) {
        OMC_TRY(tx.Execute(kInsertScope, {user.tenant, user.id, kind, id}));
    }
    return Ok();
}

// Unique violations name the column they hit in the message on both engines.
Error DuplicateUser(const Error& error) {
    const std::string text = error.message() + " " + error.detail();
    const std::string field = text.find("email") != std::string::npos ? "email" : "username";
    return Error(ErrorCode::kConflict, "a user with this " + field + " already exists",
                 {{field, "is already taken"}});
}

}  // namespace

std::string NormalizeLogin(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
        text.remove_suffix(1);
    }
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool ValidUsername(std::string_view username) {
    if (username.size() < 3 || username.size() > kMaxUsernameLength) return false;
    if (!std::isalnum(static_cast<unsigned char>(username.front()))) return false;
    return std::all_of(username.begin(), username.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    });
}

bool ValidEmail(std::string_view email) {
    if (email.size() < 3 || email.size() > kMaxEmailLength) return false;
    const size_t at = email.find('@');
    if (at == 0 || at == std::string_view::npos ||
        email.find('@', at + 1) != std::string_view::npos)
        return false;
    const std::string_view domain = email.substr(at + 1);
    const size_t dot = domain.find('.');
    if (dot == 0 || dot == std::string_view::npos || domain.back() == '.') return false;
    return std::none_of(email.begin(), email.end(), [](char c) {
        return std::isspace(static_cast<unsigned char>(c)) ||
               std::iscntrl(static_cast<unsigned char>(c));
    });
}

Result<std::optional<User>> FindUserByLogin(db::Transaction& tx, std::string_view login) {
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx.Query(kFindByLogin, {std::string(login)}));
    return OneUser(tx, rows);
}

Result<std::optional<User>> FindUser(db::Transaction& tx, const TenantId& tenant, const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx.Query(kFindUser, {tenant, id}));
    return OneUser(tx, rows);
}

Result<std::vector<User>> ListUsers(db::Transaction& tx, const TenantId& tenant, const Uuid& after,
                                    int limit) {
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx.Query(kListUsers, {tenant, after, limit}));
    std::vector<User> users;
    std::map<Uuid, User*> by_id;
    for (const db::Row& row : rows) {
        OMC_ASSIGN_OR_RETURN(User user, UserFromRow(row));
        users.push_back(std::move(user));
    }
    if (users.empty()) return users;
    for (User& user : users) by_id[user.id] = &user;
    OMC_ASSIGN_OR_RETURN(db::Rows scopes,
                         tx.Query(kPageScopes, {tenant, users.front().id, users.back().id}));
    for (const db::Row& row : scopes) {
        auto owner = by_id.find(row.Id(0));
        if (owner != by_id.end()) owner->second->scope_ids.push_back(row.Id(1));
    }
    return users;
}

Result<void> InsertUser(db::Transaction& tx, const User& user) {
    auto inserted = tx.Execute(
        kInsertUser, {user.tenant, user.id, user.username, user.email, user.display_name,
                      std::string(RoleName(user.role)), user.password_hash,
                      user.must_change_password, user.active, Secret(user.totp_secret),
                      user.totp_enabled, user.totp_last_step, user.created_at_us,
                      user.updated_at_us, user.password_changed_at_us, user.last_login_at_us});
    if (!inserted.ok()) {
        if (inserted.error().code() == ErrorCode::kConflict) return DuplicateUser(inserted.error());
        return std::move(inserted).error();
    }
    return InsertScopes(tx, user);
}

Result<void> UpdateUser(db::Transaction& tx, const User& user) {
    auto updated =
        tx.Execute(kUpdateUser,
                   {user.tenant, user.id, user.email, user.display_name,
                    std::string(RoleName(user.role)), user.password_hash, user.must_change_password,
                    user.active, Secret(user.totp_secret), user.totp_enabled, user.totp_last_step,
                    user.updated_at_us, user.password_changed_at_us, user.last_login_at_us});
    if (!updated.ok()) {
        if (updated.error().code() == ErrorCode::kConflict) return DuplicateUser(updated.error());
        return std::move(updated).error();
    }
    if (*updated != 1) return NotFound("user");
    OMC_TRY(tx.Execute(kDeleteScopes, {user.tenant, user.id}));
    return InsertScopes(tx, user);
}

Result<void> CheckGrant(db::Transaction& tx, const TenantId& tenant, Role role,
                        const std::vector<Uuid>& scope_ids, std::string_view field) {
    const ScopeKind kind = ScopeKindOf(role);
    const std::string name(field);
    if (kind == ScopeKind::kPlatform) {
        if (tenant != kPlatformTenant) {
            return InvalidArgument("role", "SuperAdmin exists only among platform operators");
        }
        return Ok();
    }
    if (tenant == kPlatformTenant) {
        return InvalidArgument("role", "platform operators can only be SuperAdmin");
    }
    if (kind == ScopeKind::kTenant) {
        if (!scope_ids.empty()) {
            return InvalidArgument(name, fmt::format("{} applies to the whole company: give no {}",
                                                     RoleName(role), name));
        }
        return Ok();
    }
    if (scope_ids.empty() || scope_ids.size() > kMaxScopesPerUser) {
        return InvalidArgument(name, fmt::format("{} needs 1 to {} {} ids", RoleName(role),
                                                 kMaxScopesPerUser, ScopeKindName(kind)));
    }
    const db::Query& count = kind == ScopeKind::kRegion    ? kCountRegions
                             : kind == ScopeKind::kStation ? kCountStations
                                                           : kCountDealers;
    for (size_t i = 0; i < scope_ids.size(); ++i) {
        if (std::count(scope_ids.begin(), scope_ids.end(), scope_ids[i]) > 1) {
            return InvalidArgument(fmt::format("{}[{}]", name, i), "is listed twice");
        }
        OMC_ASSIGN_OR_RETURN(db::Rows rows, tx.Query(count, {tenant, scope_ids[i]}));
        if (rows[0].Int(0) == 0) {
            return Error(
                ErrorCode::kUnprocessable, "a scope does not exist",
                {{fmt::format("{}[{}]", name, i), fmt::format("no such {}", ScopeKindName(kind))}});
        }
    }
    return Ok();
}

std::vector<std::string> TokenScopes(const User& user) {
    std::vector<std::string> scopes;
    const ScopeKind kind = ScopeKindOf(user.role);
    if (kind == ScopeKind::kTenant || kind == ScopeKind::kPlatform) return scopes;
    for (const Uuid& id : user.scope_ids) {
        scopes.push_back(std::string(ScopeKindName(kind)) + ":" + id.ToString());
    }
    return scopes;
}

Result<bool> MfaRequired(db::Transaction& tx, const TenantId& tenant, Role role) {
    OMC_ASSIGN_OR_RETURN(db::Rows rows,
                         tx.Query(kMfaRequired, {tenant, std::string(RoleName(role))}));
    return rows[0].Int(0) > 0;
}

Result<bool> TenantActive(db::Transaction& tx, const TenantId& tenant) {
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx.Query(kTenantActive, {tenant}));
    return !rows.empty() && rows[0].Bool(0);
}

nlohmann::json UserJson(const User& user) {
    nlohmann::json scopes = nlohmann::json::array();
    for (const Uuid& id : user.scope_ids) scopes.push_back(id.ToString());
    return {{"id", user.id.ToString()},
            {"username", user.username},
            {"email", user.email},
            {"display_name", user.display_name},
            {"role", RoleName(user.role)},
            {"scope_kind", ScopeKindName(ScopeKindOf(user.role))},
            {"scope_ids", scopes},
            {"active", user.active},
            {"must_change_password", user.must_change_password},
            {"mfa_enabled", user.totp_enabled},
            {"created_at", FormatTimestamp(user.created_at_us)},
            {"updated_at", FormatTimestamp(user.updated_at_us)},
            {"last_login_at", user.last_login_at_us
                                  ? nlohmann::json(FormatTimestamp(*user.last_login_at_us))
                                  : nlohmann::json(nullptr)}};
}

}  // namespace omc::identity
