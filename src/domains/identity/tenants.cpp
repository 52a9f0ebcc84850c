#include "domains/identity/tenants.hpp"

#include <algorithm>
#include <cctype>

#include "platform/audit/audit.hpp"
#include "platform/http/json_body.hpp"

namespace omc::identity {
namespace {

constexpr size_t kMaxTenantCode = 32;
constexpr size_t kMaxTenantName = 120;

constexpr db::Query kInsertTenant{"identity.insert_tenant", R"sql(
    INSERT INTO tenants (id, code, name, kind, active, created_at_us)
    VALUES ($1, $2, $3, 'omc', TRUE, $4))sql"};
constexpr db::Query kListTenants{"identity.list_tenants", R"sql(
    SELECT id, code, name, active, created_at_us FROM tenants
    WHERE kind = 'omc' AND id > $1 ORDER BY id LIMIT $2)sql"};
constexpr db::Query kTenantByCode{"identity.tenant_by_code", R"sql(
    SELECT id, code, name, active, created_at_us FROM tenants WHERE code = $1)sql"};

Tenant TenantFromRow(const db::Row& row) {
    return Tenant{*TenantId::Parse(row.Text(0)), row.Text(1), row.Text(2), row.Bool(3), row.Int(4)};
}

bool ValidTenantCode(std::string_view code) {
    return !code.empty() && code.size() <= kMaxTenantCode &&
           std::all_of(code.begin(), code.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
           });
}

}  // namespace

nlohmann::json TenantJson(const Tenant& tenant) {
    return {{"id", tenant.id.ToString()},
            {"code", tenant.code},
            {"name", tenant.name},
            {"active", tenant.active},
            {"created_at", FormatTimestamp(tenant.created_at_us)}};
}

Result<CreatedUser> CreateUser(db::Transaction& tx, Identity& identity, const TenantId& tenant,
                               NewUser request) {
    CreatedUser created;
    User& user = created.user;
    user.tenant = tenant;
    user.id = identity.ids().NewV7();
    user.username = NormalizeLogin(request.username);
    user.email = NormalizeLogin(request.email);
    user.display_name = request.display_name;
    user.role = request.role;
    user.scope_ids = request.scope_ids;
    if (!ValidUsername(user.username)) {
        return InvalidArgument("username", "3 to 64 of a-z, 0-9, '.', '_' or '-'");
    }
    if (!ValidEmail(user.email)) return InvalidArgument("email", "is not an email address");
    if (user.display_name.empty() || user.display_name.size() > kMaxDisplayNameLength) {
        return InvalidArgument("display_name", "must be 1 to 120 characters");
    }
    OMC_TRY(CheckGrant(tx, tenant, user.role, user.scope_ids, "scope_ids"));
    if (request.password.empty()) {
        created.password = auth::GeneratePassword();
        user.must_change_password = true;
    } else {
        OMC_TRY(auth::ValidateNewPassword(request.password, user.username, user.email));
        created.password = request.password;
    }
    if (!request.password_hash.empty() && !request.password.empty()) {
        user.password_hash = request.password_hash;
    } else {
        OMC_ASSIGN_OR_RETURN(user.password_hash, identity.auth().HashPassword(created.password));
    }
    user.created_at_us = user.updated_at_us = user.password_changed_at_us =
        identity.clock().NowUs();
    OMC_TRY(InsertUser(tx, user));
    return created;
}

Result<std::pair<Tenant, std::optional<CreatedUser>>> CreateTenant(
    Identity& identity, std::string code, std::string name, std::optional<NewUser> admin,
    const std::optional<TenantCreator>& creator) {
    std::transform(code.begin(), code.end(), code.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!ValidTenantCode(code)) {
        return InvalidArgument("code", "1 to 32 of a-z, 0-9 or '-'");
    }
    if (name.empty() || name.size() > kMaxTenantName) {
        return InvalidArgument("name", "must be 1 to 120 characters");
    }
    bool generated = false;
    if (admin) {
        admin->role = Role::kCompanyAdmin;
        // Hashed before the system transaction begins.
        if (admin->password.empty()) {
            admin->password = auth::GeneratePassword();
            generated = true;
        } else {
            OMC_TRY(auth::ValidateNewPassword(admin->password, NormalizeLogin(admin->username),
                                              NormalizeLogin(admin->email)));
        }
        OMC_ASSIGN_OR_RETURN(admin->password_hash, identity.auth().HashPassword(admin->password));
    }
    return db::InTransaction(
        identity.database(), {.system = true},
        [&](db::Transaction& tx) -> Result<std::pair<Tenant, std::optional<CreatedUser>>> {
            Tenant tenant{TenantId{identity.ids().NewV7()}, code, name, true,
                          identity.clock().NowUs()};
            auto inserted = tx.Execute(kInsertTenant,
                                       {tenant.id, tenant.code, tenant.name, tenant.created_at_us});
            if (!inserted.ok()) {
                if (inserted.error().code() == ErrorCode::kConflict) {
                    return Error(ErrorCode::kConflict, "a tenant with this code exists",
                                 {{"code", "is already taken"}});
                }
                return std::move(inserted).error();
            }
            std::optional<CreatedUser> created;
            if (admin) {
                OMC_ASSIGN_OR_RETURN(created, CreateUser(tx, identity, tenant.id, *admin));
                if (generated) {
                    // A generated password must be changed at first sign-in.
                    created->user.must_change_password = true;
                    OMC_TRY(UpdateUser(tx, created->user));
                }
            }
            // The first record of the new tenant's audit chain.
            audit::AuditEntry entry;
            entry.actor_type = "system";
            entry.action = "tenants.create";
            entry.entity_type = "tenant";
            entry.entity_id = tenant.id.ToString();
            entry.summary = TenantJson(tenant);
            if (created) entry.summary["first_admin"] = created->user.username;
            OMC_TRY(audit::AppendAudit(tx, tenant.id, identity.ids(), identity.clock(), entry));
            if (creator) {
                // And in the creator's chain, in the same transaction as the tenant itself.
                const http::Principal& who = creator->principal;
                audit::AuditEntry record = entry;
                record.actor_type = who.is_api_key ? "api_key" : "user";
                record.actor_id = who.subject;
                record.role = who.role;
                record.request_id = creator->meta.request_id;
                record.client_address = creator->meta.client_address;
                OMC_TRY(
                    audit::AppendAudit(tx, who.tenant, identity.ids(), identity.clock(), record));
            }
            return std::make_pair(tenant, std::move(created));
        });
}

Result<std::optional<Tenant>> FindTenantByCode(db::Database& database, std::string_view code) {
    return db::InTransaction(database, {.system = true, .read_only = true},
                             [&](db::Transaction& tx) -> Result<std::optional<Tenant>> {
                                 OMC_ASSIGN_OR_RETURN(db::Rows rows,
                                                      tx.Query(kTenantByCode, {std::string(code)}));
                                 if (rows.empty()) return std::optional<Tenant>();
                                 return std::optional<Tenant>(TenantFromRow(rows[0]));
                             });
}

namespace {

Result<http::Reply> ListTenantsRoute(Identity& identity, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, PageAfter(page));
    OMC_ASSIGN_OR_RETURN(
        db::Rows rows, db::InTransaction(identity.database(), {.system = true, .read_only = true},
                                         [&](db::Transaction& tx) {
                                             return tx.Query(kListTenants, {after, page.limit + 1});
                                         }));
    nlohmann::json items = nlohmann::json::array();
    std::optional<std::string> next;
    for (size_t i = 0; i < rows.size(); ++i) {
        if (static_cast<int>(i) == page.limit) {
            next = items.back()["id"].get<std::string>();
            break;
        }
        items.push_back(TenantJson(TenantFromRow(rows[i])));
    }
    return http::Reply::PageOf(std::move(items), std::move(next));
}

Result<http::Reply> CreateTenantRoute(Identity& identity, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"code", "name", "admin"});
    std::string code = body.RequiredString("code", kMaxTenantCode);
    std::string name = body.RequiredString("name", kMaxTenantName);
    http::JsonBody admin_body = body.RequiredObject("admin");
    admin_body.RejectUnknown({"username", "email", "display_name"});
    NewUser admin;
    admin.username = admin_body.RequiredString("username", kMaxUsernameLength);
    admin.email = admin_body.RequiredString("email", kMaxEmailLength);
    admin.display_name = admin_body.RequiredString("display_name", kMaxDisplayNameLength);
    OMC_TRY(body.Finish());
    ctx.audit().skip = true;  // CreateTenant writes the record with the tenant
    auto created = CreateTenant(identity, std::move(code), std::move(name), std::move(admin),
                                TenantCreator{*ctx.principal(), MetaOf(ctx)});
    if (!created.ok()) {
        // The admin's fields are nested in the request.
        Error error = std::move(created).error();
        std::vector<FieldError> fields = error.fields();
        for (FieldError& f : fields) {
            if (f.field != "code" && f.field != "name") f.field = "admin." + f.field;
        }
        return Error(error.code(), error.message(), std::move(fields));
    }
    const auto& [tenant, first_admin] = *created;
    http::Reply reply;
    reply.status = 201;
    reply.data = TenantJson(tenant);
    reply.data["admin"] = UserJson(first_admin->user);
    reply.data["admin"]["initial_password"] = first_admin->password;
    return reply;
}

}  // namespace

void RegisterTenantRoutes(http::Router& router, Identity& identity) {
    router.Add({.method = http::Method::kGet,
                .pattern = "/api/v1/tenants",
                .name = "tenants.list",
                .rate = http::RateClass::kRead,
                .tenant_owned = false,
                .permission = "tenants.read",
                .handler = Bind(identity, ListTenantsRoute)});
    router.Add({.method = http::Method::kPost,
                .pattern = "/api/v1/tenants",
                .name = "tenants.create",
                .rate = http::RateClass::kWrite,
                .tenant_owned = false,
                .permission = "tenants.write",
                .handler = Bind(identity, CreateTenantRoute)});
}

}  // namespace omc::identity
