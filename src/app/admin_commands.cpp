#include "app/admin_commands.hpp"

#include <iostream>

#include <fmt/format.h>

#include "app/app.hpp"
#include "domains/identity/tenants.hpp"
#include "platform/audit/audit.hpp"

namespace omc::app {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitRuntime = 1;
constexpr int kExitUsage = 2;

// Commands act as the system: their changes go into the tenant's audit chain like any other.
Result<void> AuditCommand(db::Transaction& tx, App& app, const TenantId& tenant, std::string action,
                          const identity::User& user) {
    audit::AuditEntry entry;
    entry.actor_type = "system";
    entry.actor_id = "omc " + action;
    entry.action = "users.create";
    entry.entity_type = "user";
    entry.entity_id = user.id.ToString();
    entry.summary = identity::UserJson(user);
    OMC_TRY(audit::AppendAudit(tx, tenant, app.identity().ids(), app.identity().clock(), entry));
    return Ok();
}

int Fail(const Error& error) {
    std::cerr << "omc: " << error.message();
    if (!error.detail().empty()) std::cerr << " (" << error.detail() << ")";
    std::cerr << "\n";
    for (const auto& f : error.fields()) std::cerr << "  " << f.field << ": " << f.message << "\n";
    return error.code() == ErrorCode::kInvalidArgument ? kExitUsage : kExitRuntime;
}

Result<std::unique_ptr<App>> OpenApp(const config::Config& config) {
    return App::Create(config, {.modules = {"platform"}, .start_background = false});
}

Result<TenantId> ResolveTenant(App& app, const std::string& tenant) {
    if (tenant == "platform") return identity::kPlatformTenant;
    OMC_ASSIGN_OR_RETURN(std::optional<identity::Tenant> found,
                         identity::FindTenantByCode(app.database(), tenant));
    if (!found) return InvalidArgument("--tenant", "no tenant has code '" + tenant + "'");
    return found->id;
}

// Demo organisation, inserted with fixed codes so the command can be run again.
constexpr db::Query kDemoRegion{"demo.region", R"sql(
    INSERT INTO regions (tenant_id, id, code, name, created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $5))sql"};
constexpr db::Query kDemoDealer{"demo.dealer", R"sql(
    INSERT INTO dealers (tenant_id, id, code, name, phone, email, active, created_at_us,
                         updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7, $7))sql"};
constexpr db::Query kDemoStation{"demo.station", R"sql(
    INSERT INTO stations (tenant_id, id, code, name, region_id, operating_model, dealer_id, active,
                          created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8, $8))sql"};
constexpr db::Query kSetPassword{"demo.set_password", R"sql(
    UPDATE users SET password_hash = $3, must_change_password = FALSE, updated_at_us = $4
    WHERE tenant_id = $1 AND username = $2)sql"};
// New passwords end the old sessions.
constexpr db::Query kEndSessions{"demo.end_sessions", R"sql(
    UPDATE refresh_tokens SET revoked_at_us = $3, revoke_reason = 'demo reset'
    WHERE tenant_id = $1 AND revoked_at_us IS NULL
      AND user_id IN (SELECT id FROM users WHERE tenant_id = $1 AND username = $2))sql"};

struct DemoUser {
    const char* username;
    identity::Role role;
    int scope;  // index into the demo places, or -1
};

}  // namespace

int RunCreateTenant(const config::Config& config, const std::string& code, const std::string& name,
                    const std::string& admin_username, const std::string& admin_email) {
    auto app = OpenApp(config);
    if (!app.ok()) return Fail(app.error());
    std::optional<identity::NewUser> admin;
    if (!admin_username.empty()) {
        admin = identity::NewUser{.username = admin_username,
                                  .email = admin_email,
                                  .display_name = name + " administrator"};
    }
    auto created = identity::CreateTenant((*app)->identity(), code, name, admin);
    if (!created.ok()) return Fail(created.error());
    std::cout << fmt::format("tenant {} ({}) created: {}\n", created->first.code,
                             created->first.name, created->first.id.ToString());
    if (created->second) {
        std::cout << fmt::format("CompanyAdmin {} password (change it at first sign-in): {}\n",
                                 created->second->user.username, created->second->password);
    }
    return kExitOk;
}

int RunCreateUser(const config::Config& config, const std::string& tenant,
                  const std::string& username, const std::string& email,
                  const std::string& display_name, const std::string& role,
                  const std::vector<std::string>& scope_ids, bool password_from_stdin) {
    const std::optional<identity::Role> parsed_role = identity::ParseRole(role);
    if (!parsed_role) return Fail(InvalidArgument("--role", "unknown role '" + role + "'"));
    identity::NewUser user{.username = username,
                           .email = email,
                           .display_name = display_name.empty() ? username : display_name,
                           .role = *parsed_role};
    for (const std::string& text : scope_ids) {
        auto id = Uuid::Parse(text);
        if (!id) return Fail(InvalidArgument("--scope", "'" + text + "' is not a UUID"));
        user.scope_ids.push_back(*id);
    }
    if (password_from_stdin && !std::getline(std::cin, user.password)) {
        return Fail(InvalidArgument("--password-stdin", "no password on standard input"));
    }
    auto app = OpenApp(config);
    if (!app.ok()) return Fail(app.error());
    auto tenant_id = ResolveTenant(**app, tenant);
    if (!tenant_id.ok()) return Fail(tenant_id.error());
    auto created = db::InTransaction(
        (*app)->database(), {.tenant = *tenant_id},
        [&](db::Transaction& tx) -> Result<identity::CreatedUser> {
            OMC_ASSIGN_OR_RETURN(identity::CreatedUser made,
                                 identity::CreateUser(tx, (*app)->identity(), *tenant_id, user));
            OMC_TRY(AuditCommand(tx, **app, *tenant_id, "admin create-user", made.user));
            return made;
        });
    if (!created.ok()) return Fail(created.error());
    std::cout << fmt::format("user {} ({}) created: {}\n", created->user.username, role,
                             created->user.id.ToString());
    if (!password_from_stdin) {
        std::cout << fmt::format("password (change it at first sign-in): {}\n", created->password);
    }
    return kExitOk;
}

int RunPrintPermissions() {
    std::cout << identity::PermissionMatrixMarkdown();
    return kExitOk;
}

int RunDemo(const config::Config& config) {
    auto app_result = OpenApp(config);
    if (!app_result.ok()) return Fail(app_result.error());
    App& app = **app_result;
    identity::Identity& identity = app.identity();
    const std::vector<DemoUser> users = {
        {"demo-superadmin", identity::Role::kSuperAdmin, -1},
        {"demo-admin", identity::Role::kCompanyAdmin, -1},
        {"demo-regional", identity::Role::kRegionalManager, 0},
        {"demo-manager", identity::Role::kStationManager, 2},
        {"demo-operator", identity::Role::kOperator, 2},
        {"demo-dealer", identity::Role::kDealer, 1},
        {"demo-auditor", identity::Role::kAuditor, -1},
    };
    auto existing = identity::FindTenantByCode(app.database(), "demo");
    if (!existing.ok()) return Fail(existing.error());
    std::vector<std::pair<std::string, std::string>> passwords;
    if (*existing) {
        // Already there: new passwords for the same users.
        const TimestampUs now = app.identity().clock().NowUs();
        for (const DemoUser& u : users) {
            const std::string password = auth::GeneratePassword();
            auto hash = identity.auth().HashPassword(password);
            if (!hash.ok()) return Fail(hash.error());
            const TenantId tenant =
                u.role == identity::Role::kSuperAdmin ? identity::kPlatformTenant : (*existing)->id;
            auto done = db::InTransaction(
                app.database(), {.tenant = tenant}, [&](db::Transaction& tx) -> Result<int64_t> {
                    OMC_TRY(tx.Execute(kSetPassword, {tenant, u.username, *hash, now}));
                    return tx.Execute(kEndSessions, {tenant, u.username, now});
                });
            if (!done.ok()) return Fail(done.error());
            passwords.emplace_back(u.username, password);
        }
        std::cout << "demo tenant already exists; its users have new passwords:\n";
    } else {
        auto created = identity::CreateTenant(identity, "demo", "Demo Oil Ghana Ltd", std::nullopt);
        if (!created.ok()) return Fail(created.error());
        const TenantId tenant = created->first.id;
        IdGenerator& ids = identity.ids();
        const TimestampUs now = identity.clock().NowUs();
        const Uuid accra = ids.NewV7(), ashanti = ids.NewV7(), dealer = ids.NewV7();
        const Uuid accra_central = ids.NewV7(), tema = ids.NewV7(), adum = ids.NewV7();
        // Scopes by index: 0 the Greater Accra region, 1 the dealer, 2 Accra Central station.
        const std::vector<Uuid> places = {accra, dealer, accra_central};
        auto made = db::InTransaction(
            app.database(), {.tenant = tenant}, [&](db::Transaction& tx) -> Result<void> {
                OMC_TRY(tx.Execute(kDemoRegion, {tenant, accra, "GAR", "Greater Accra", now}));
                OMC_TRY(tx.Execute(kDemoRegion, {tenant, ashanti, "ASH", "Ashanti", now}));
                OMC_TRY(tx.Execute(kDemoDealer, {tenant, dealer, "D-KWA", "Kwabena Asante Ventures",
                                                 "+233244000111", "kwabena@example.com", now}));
                OMC_TRY(tx.Execute(kDemoStation, {tenant, accra_central, "ACC-01", "Accra Central",
                                                  accra, "COCO", db::Null{}, now}));
                OMC_TRY(tx.Execute(kDemoStation, {tenant, tema, "TEM-01", "Tema Community 1", accra,
                                                  "DODO", dealer, now}));
                OMC_TRY(tx.Execute(kDemoStation, {tenant, adum, "KUM-01", "Kumasi Adum", ashanti,
                                                  "COCO", db::Null{}, now}));
                return Ok();
            });
        if (!made.ok()) return Fail(made.error());
        for (const DemoUser& u : users) {
            const bool platform = u.role == identity::Role::kSuperAdmin;
            const TenantId user_tenant = platform ? identity::kPlatformTenant : tenant;
            identity::NewUser user{
                .username = u.username,
                .email = std::string(u.username) + "@demo.omc.example",
                .display_name = std::string(identity::RoleName(u.role)) + " (demo)",
                .role = u.role,
                .password = auth::GeneratePassword()};
            if (u.scope >= 0) user.scope_ids = {places[u.scope]};
            auto done = db::InTransaction(
                app.database(), {.tenant = user_tenant},
                [&](db::Transaction& tx) -> Result<identity::CreatedUser> {
                    OMC_ASSIGN_OR_RETURN(identity::CreatedUser demo_user,
                                         identity::CreateUser(tx, identity, user_tenant, user));
                    OMC_TRY(AuditCommand(tx, app, user_tenant, "demo", demo_user.user));
                    return demo_user;
                });
            if (!done.ok()) return Fail(done.error());
            passwords.emplace_back(u.username, done->password);
        }
        std::cout << fmt::format("demo tenant created: {}\n", tenant.ToString());
    }
    for (const auto& [username, password] : passwords) {
        std::cout << fmt::format("  {:<18} {}\n", username, password);
    }
    return kExitOk;
}

}  // namespace omc::app
