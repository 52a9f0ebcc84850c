// User management for CompanyAdmin (/api/v1/users) and the tenant's MFA policy
// (/api/v1/security/mfa-policy).
#include <algorithm>
#include <array>

#include "domains/identity/identity.hpp"
#include "platform/http/json_body.hpp"

namespace omc::identity {
namespace {

constexpr db::Query kDeleteMfaRoles{"identity.delete_mfa_roles",
                                    "DELETE FROM mfa_required_roles WHERE tenant_id = $1"};
constexpr db::Query kInsertMfaRole{
    "identity.insert_mfa_role", "INSERT INTO mfa_required_roles (tenant_id, role) VALUES ($1, $2)"};
constexpr db::Query kListMfaRoles{
    "identity.list_mfa_roles",
    "SELECT role FROM mfa_required_roles WHERE tenant_id = $1 ORDER BY role"};

// The roles a tenant's users may hold (SuperAdmin exists only among platform operators).
constexpr std::array<std::string_view, 6> kTenantRoles = {
    "CompanyAdmin", "RegionalManager", "StationManager", "Operator", "Dealer", "Auditor"};
#define OMC_TENANT_ROLE_NAMES \
    { "CompanyAdmin", "RegionalManager", "StationManager", "Operator", "Dealer", "Auditor" }

Result<User> LoadUser(db::Transaction& tx, const TenantId& tenant, const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(std::optional<User> user, FindUser(tx, tenant, id));
    if (!user) return NotFound("user");
    return std::move(*user);
}

// Locks the row first (a no-op UPDATE: SQLite has no FOR UPDATE), so two administrators'
// concurrent edits cannot overwrite each other's changes on PostgreSQL.
constexpr db::Query kLockUser{"identity.lock_user",
                              "UPDATE users SET updated_at_us = updated_at_us WHERE tenant_id = $1 "
                              "AND id = $2"};
Result<User> LoadUserForUpdate(db::Transaction& tx, const TenantId& tenant, const Uuid& id) {
    OMC_TRY(tx.Execute(kLockUser, {tenant, id}));
    return LoadUser(tx, tenant, id);
}

void NoteUser(http::RequestContext& ctx, const User& user, nlohmann::json summary) {
    ctx.audit().entity_type = "user";
    ctx.audit().entity_id = user.id.ToString();
    ctx.audit().summary = std::move(summary);
}

Result<http::Reply> ListUsersRoute(Identity& /*identity*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, PageAfter(page));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(std::vector<User> users,
                         ListUsers(*tx, ctx.tenant(), after, page.limit + 1));
    std::optional<std::string> next;
    if (static_cast<int>(users.size()) > page.limit) {
        users.resize(page.limit);
        next = users.back().id.ToString();
    }
    nlohmann::json items = nlohmann::json::array();
    for (const User& user : users) items.push_back(UserJson(user));
    return http::Reply::PageOf(std::move(items), std::move(next));
}

Result<http::Reply> GetUserRoute(Identity& /*identity*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(User user, LoadUser(*tx, ctx.tenant(), id));
    return http::Reply{.data = UserJson(user)};
}

Result<http::Reply> CreateUserRoute(Identity& identity, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"username", "email", "display_name", "role", "scope_ids"});
    const std::string username =
        NormalizeLogin(body.RequiredString("username", kMaxUsernameLength));
    const std::string email = NormalizeLogin(body.RequiredString("email", kMaxEmailLength));
    const std::string display_name = body.RequiredString("display_name", kMaxDisplayNameLength);
    const std::string role_name = body.RequiredEnum("role", OMC_TENANT_ROLE_NAMES);
    std::vector<Uuid> scope_ids;
    if (body.Has("scope_ids"))
        scope_ids = body.RequiredUuidArray("scope_ids", 0, kMaxScopesPerUser);
    if (!body.HasErrors() && !ValidUsername(username)) {
        body.AddError("username",
                      "3 to 64 of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
    }
    if (!body.HasErrors() && !ValidEmail(email)) body.AddError("email", "is not an email address");
    OMC_TRY(body.Finish());
    const Role role = *ParseRole(role_name);

    // Hashed before the transaction: Argon2 must not hold the write lock.
    const std::string password = auth::GeneratePassword();
    OMC_ASSIGN_OR_RETURN(std::string hash, identity.auth().HashPassword(password));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_TRY(CheckGrant(*tx, ctx.tenant(), role, scope_ids, "scope_ids"));
    const TimestampUs now = ctx.clock().NowUs();
    User user;
    user.tenant = ctx.tenant();
    user.id = identity.ids().NewV7();
    user.username = username;
    user.email = email;
    user.display_name = display_name;
    user.role = role;
    user.scope_ids = scope_ids;
    user.password_hash = std::move(hash);
    user.must_change_password = true;
    user.created_at_us = user.updated_at_us = user.password_changed_at_us = now;
    OMC_TRY(InsertUser(*tx, user));
    NoteUser(ctx, user, UserJson(user));
    http::Reply reply;
    reply.status = 201;
    reply.data = UserJson(user);
    // Shown once; the user must change it at first sign-in.
    reply.data["initial_password"] = password;
    return reply;
}

Result<http::Reply> UpdateUserRoute(Identity& identity, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"email", "display_name", "role", "scope_ids", "active"});
    const std::optional<std::string> email = body.OptionalString("email", kMaxEmailLength);
    const std::optional<std::string> display_name =
        body.OptionalString("display_name", kMaxDisplayNameLength);
    const std::optional<std::string> role_name = body.OptionalEnum("role", OMC_TENANT_ROLE_NAMES);
    std::optional<std::vector<Uuid>> scope_ids;
    if (body.Has("scope_ids"))
        scope_ids = body.RequiredUuidArray("scope_ids", 0, kMaxScopesPerUser);
    const std::optional<bool> active = body.OptionalBool("active");
    if (!email && !display_name && !role_name && !scope_ids && !active) {
        body.AddError("body",
                      "change at least one of email, display_name, role, scope_ids, active");
    }
    if (email && !ValidEmail(NormalizeLogin(*email)))
        body.AddError("email", "is not an email address");
    OMC_TRY(body.Finish());

    OMC_ASSIGN_OR_RETURN(const Uuid caller, CallerUserId(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(User user, LoadUserForUpdate(*tx, ctx.tenant(), id));
    const User before = user;
    if (email) user.email = NormalizeLogin(*email);
    if (display_name) user.display_name = *display_name;
    if (role_name) user.role = *ParseRole(*role_name);
    if (scope_ids) user.scope_ids = *scope_ids;
    if (active) user.active = *active;
    if (id == caller && (user.role != before.role || !user.active)) {
        return Error(ErrorCode::kUnprocessable,
                     "you cannot change your own role or deactivate yourself",
                     {{role_name ? "role" : "active", "ask another administrator"}});
    }
    if (role_name && !scope_ids && ScopeKindOf(user.role) != ScopeKindOf(before.role)) {
        user.scope_ids.clear();  // the old places mean nothing for the new role
    }
    OMC_TRY(CheckGrant(*tx, ctx.tenant(), user.role, user.scope_ids, "scope_ids"));
    user.updated_at_us = ctx.clock().NowUs();
    OMC_TRY(UpdateUser(*tx, user));
    // Access narrows at once for sessions: a changed role or place, or a deactivation, ends them
    // (access tokens already issued lapse within their 15 minutes).
    if (user.role != before.role || user.scope_ids != before.scope_ids || !user.active) {
        OMC_TRY(identity.auth().RevokeAllSessions(*tx, ctx.tenant(), user.id, "access changed"));
    }
    NoteUser(ctx, user, {{"before", UserJson(before)}, {"after", UserJson(user)}});
    return http::Reply{.data = UserJson(user)};
}

Result<http::Reply> ResetPasswordRoute(Identity& identity, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    bool reset_mfa = false;
    if (!ctx.request().body.empty()) {
        OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
        body.RejectUnknown({"reset_mfa"});
        reset_mfa = body.OptionalBool("reset_mfa").value_or(false);
        OMC_TRY(body.Finish());
    }
    // Hashed before the transaction: Argon2 must not hold the write lock.
    const std::string password = auth::GeneratePassword();
    OMC_ASSIGN_OR_RETURN(const std::string hash, identity.auth().HashPassword(password));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(User user, LoadUserForUpdate(*tx, ctx.tenant(), id));
    OMC_TRY(identity.auth().AdminResetPassword(*tx, user, hash, reset_mfa));
    NoteUser(ctx, user, {{"reset_mfa", reset_mfa}});
    nlohmann::json data = UserJson(user);
    data["temporary_password"] = password;
    return http::Reply{.data = data};
}

Result<nlohmann::json> MfaPolicyJson(db::Transaction& tx, const TenantId& tenant) {
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx.Query(kListMfaRoles, {tenant}));
    nlohmann::json roles = nlohmann::json::array();
    for (const db::Row& row : rows) roles.push_back(row.Text(0));
    return nlohmann::json{{"required_roles", roles}};
}

Result<http::Reply> GetMfaPolicy(Identity& /*identity*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(nlohmann::json data, MfaPolicyJson(*tx, ctx.tenant()));
    return http::Reply{.data = data};
}

Result<http::Reply> PutMfaPolicy(Identity& /*identity*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"required_roles"});
    std::vector<std::string> roles = body.RequiredStringArray("required_roles", 0, 16, 32);
    for (size_t i = 0; i < roles.size(); ++i) {
        if (std::find(kTenantRoles.begin(), kTenantRoles.end(), roles[i]) == kTenantRoles.end()) {
            body.AddError("required_roles[" + std::to_string(i) + "]", "is not a tenant role");
        }
    }
    OMC_TRY(body.Finish());
    std::sort(roles.begin(), roles.end());
    roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(nlohmann::json before, MfaPolicyJson(*tx, ctx.tenant()));
    OMC_TRY(tx->Execute(kDeleteMfaRoles, {ctx.tenant()}));
    for (const std::string& role : roles)
        OMC_TRY(tx->Execute(kInsertMfaRole, {ctx.tenant(), role}));
    OMC_ASSIGN_OR_RETURN(nlohmann::json after, MfaPolicyJson(*tx, ctx.tenant()));
    ctx.audit().entity_type = "mfa_policy";
    ctx.audit().entity_id = ctx.tenant().ToString();
    ctx.audit().summary = {{"before", before}, {"after", after}};
    return http::Reply{.data = after};
}

// The role catalogue: every role a tenant's users may hold, what it is for, its permissions
// (in docs/security.md's order) and the kind of scope it is granted on. The same for every
// tenant: it reads no tenant data.
Result<http::Reply> ListRolesRoute(Identity& /*identity*/, http::RequestContext& /*ctx*/) {
    nlohmann::json roles = nlohmann::json::array();
    for (const Role role : kAllRoles) {
        if (std::find(kTenantRoles.begin(), kTenantRoles.end(), RoleName(role)) ==
            kTenantRoles.end()) {
            continue;
        }
        nlohmann::json permissions = nlohmann::json::array();
        for (const Permission& p : AllPermissions()) {
            if (RoleHas(role, p.name)) permissions.push_back(p.name);
        }
        roles.push_back({{"role", RoleName(role)},
                         {"description", RoleDescription(role)},
                         {"permissions", std::move(permissions)},
                         {"scopes", nlohmann::json::array({ScopeKindName(ScopeKindOf(role))})}});
    }
    return http::Reply{.data = std::move(roles)};
}

}  // namespace

void RegisterUserRoutes(http::Router& router, Identity& identity) {
    router.Add({.method = http::Method::kGet,
                .pattern = "/api/v1/roles",
                .name = "users.roles",
                .rate = http::RateClass::kRead,
                .tenant_owned = false,  // the same catalogue for every tenant
                .permission = "users.read",
                .handler = Bind(identity, ListRolesRoute)});
    router.Add({.method = http::Method::kGet,
                .pattern = "/api/v1/users",
                .name = "users.list",
                .rate = http::RateClass::kRead,
                .permission = "users.read",
                .handler = Bind(identity, ListUsersRoute)});
    router.Add({.method = http::Method::kPost,
                .pattern = "/api/v1/users",
                .name = "users.create",
                .rate = http::RateClass::kWrite,
                // Not idempotent: a stored answer would keep the initial password for a day.
                .permission = "users.write",
                .handler = Bind(identity, CreateUserRoute)});
    router.Add({.method = http::Method::kGet,
                .pattern = "/api/v1/users/{id}",
                .name = "users.get",
                .rate = http::RateClass::kRead,
                .permission = "users.read",
                .handler = Bind(identity, GetUserRoute)});
    router.Add({.method = http::Method::kPatch,
                .pattern = "/api/v1/users/{id}",
                .name = "users.update",
                .rate = http::RateClass::kWrite,
                .permission = "users.write",
                .handler = Bind(identity, UpdateUserRoute)});
    router.Add({.method = http::Method::kPost,
                .pattern = "/api/v1/users/{id}/reset-password",
                .name = "users.reset_password",
                .rate = http::RateClass::kWrite,
                .permission = "users.reset_password",
                .handler = Bind(identity, ResetPasswordRoute)});
    router.Add({.method = http::Method::kGet,
                .pattern = "/api/v1/security/mfa-policy",
                .name = "security.mfa_policy",
                .rate = http::RateClass::kRead,
                .permission = "security.read",
                .handler = Bind(identity, GetMfaPolicy)});
    router.Add({.method = http::Method::kPut,
                .pattern = "/api/v1/security/mfa-policy",
                .name = "security.set_mfa_policy",
                .rate = http::RateClass::kWrite,
                .permission = "security.write",
                .handler = Bind(identity, PutMfaPolicy)});
}

}  // namespace omc::identity
