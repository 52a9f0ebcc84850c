#include "app/admin_commands.hpp"

#include <array>
#include <chrono>
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "app/app.hpp"
#include "app/demo_network.hpp"
#include "domains/forecourt/alerts.hpp"
#include "domains/forecourt/common.hpp"
#include "domains/identity/tenants.hpp"
#include "domains/payments/payments.hpp"
#include "domains/payments/simulator.hpp"
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

constexpr db::Query kSetPassword{"demo.set_password", R"sql(
    UPDATE users SET password_hash = $3, must_change_password = FALSE, updated_at_us = $4
    WHERE tenant_id = $1 AND username = $2)sql"};
// New passwords end the old sessions.
constexpr db::Query kEndSessions{"demo.end_sessions", R"sql(
    UPDATE refresh_tokens SET revoked_at_us = $3, revoke_reason = 'demo reset'
    WHERE tenant_id = $1 AND revoked_at_us IS NULL
      AND user_id IN (SELECT id FROM users WHERE tenant_id = $1 AND username = $2))sql"};
constexpr db::Query kCountStations{"demo.count_stations",
                                   "SELECT COUNT(*) FROM stations WHERE tenant_id = $1"};
// The demo users' scopes, found by the codes the demo gives them (or the first of each kind).
constexpr db::Query kDemoPlaces{"demo.places", R"sql(
    SELECT 'region', id, code FROM regions WHERE tenant_id = $1
    UNION ALL SELECT 'dealer', id, code FROM dealers WHERE tenant_id = $1
    UNION ALL SELECT 'station', s.id, s.code || ' ' || r.code FROM stations s
      JOIN regions r ON r.tenant_id = s.tenant_id AND r.id = s.region_id
    WHERE s.tenant_id = $1
    ORDER BY 1, 3)sql"};

enum class DemoScope { kNone, kRegion, kDealer, kStation, kRegionStations };

struct DemoUser {
    const char* username;
    identity::Role role;
    DemoScope scope;
};

// Where the demo users work: Greater Accra (or the first region), its stations, the first
// station and the first dealer.
struct DemoPlaces {
    std::optional<Uuid> region;
    std::optional<Uuid> dealer;
    std::optional<Uuid> station;
    std::vector<Uuid> region_stations;
};

Result<DemoPlaces> FindDemoPlaces(db::Database& database, const TenantId& tenant) {
    return db::InTransaction(
        database, {.tenant = tenant, .read_only = true},
        [&](db::Transaction& tx) -> Result<DemoPlaces> {
            OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kDemoPlaces, {tenant}));
            DemoPlaces places;
            std::string region_code;
            for (const db::Row& row : rows) {
                const std::string& kind = row.Text(0);
                if (kind == "region" && (!places.region || row.Text(2) == "GAR")) {
                    places.region = row.Id(1);
                    region_code = row.Text(2);
                }
                if (kind == "dealer" && !places.dealer) places.dealer = row.Id(1);
            }
            for (const db::Row& row : rows) {
                if (row.Text(0) != "station") continue;
                if (!places.station) places.station = row.Id(1);
                const std::string& code = row.Text(2);
                if (code.substr(code.find(' ') + 1) == region_code) {
                    places.region_stations.push_back(row.Id(1));
                }
            }
            // The first station of the region, when the region has any, is "the" station.
            if (!places.region_stations.empty()) places.station = places.region_stations.front();
            return places;
        });
}

std::vector<Uuid> ScopeOf(DemoScope scope, const DemoPlaces& places) {
    auto one = [](const std::optional<Uuid>& id) {
        return id ? std::vector<Uuid>{*id} : std::vector<Uuid>{};
    };
    switch (scope) {
        case DemoScope::kNone:
            return {};
        case DemoScope::kRegion:
            return one(places.region);
        case DemoScope::kDealer:
            return one(places.dealer);
        case DemoScope::kStation:
            return one(places.station);
        case DemoScope::kRegionStations:
            return places.region_stations;
    }
    return {};
}

// A new password for the demo user, or the user itself when it does not exist yet (a first run,
// or a run after a failed one).
Result<std::string> ResetOrCreateDemoUser(App& app, const TenantId& demo_tenant, const DemoUser& u,
                                          const DemoPlaces& places) {
    identity::Identity& identity = app.identity();
    const bool platform = u.role == identity::Role::kSuperAdmin;
    const TenantId tenant = platform ? identity::kPlatformTenant : demo_tenant;
    const std::string password = auth::GeneratePassword();
    OMC_ASSIGN_OR_RETURN(const std::string hash, identity.auth().HashPassword(password));
    const TimestampUs now = identity.clock().NowUs();
    Result<void> done = db::InTransaction(
        app.database(), {.tenant = tenant}, [&](db::Transaction& tx) -> Result<void> {
            OMC_ASSIGN_OR_RETURN(const int64_t updated,
                                 tx.Execute(kSetPassword, {tenant, u.username, hash, now}));
            if (updated > 0) {
                OMC_TRY(tx.Execute(kEndSessions, {tenant, u.username, now}));
                return Ok();
            }
            identity::NewUser user{
                .username = u.username,
                .email = std::string(u.username) + "@demo.omc.example",
                .display_name = std::string(identity::RoleName(u.role)) + " (demo)",
                .role = u.role,
                .scope_ids = ScopeOf(u.scope, places),
                .password = password,
                .password_hash = hash};
            OMC_ASSIGN_OR_RETURN(const identity::CreatedUser made,
                                 identity::CreateUser(tx, identity, tenant, user));
            return AuditCommand(tx, app, tenant, "demo", made.user);
        });
    if (!done.ok()) return std::move(done).error();
    return password;
}

Result<int64_t> CountStations(db::Database& database, const TenantId& tenant) {
    return db::InTransaction(database, {.tenant = tenant, .read_only = true},
                             [&](db::Transaction& tx) -> Result<int64_t> {
                                 OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                                                      tx.Query(kCountStations, {tenant}));
                                 return rows[0].Int(0);
                             });
}

// Builds the network with a progress line on standard error, and records it in the audit chain.
Result<DemoSummary> BuildWithProgress(App& app, const TenantId& tenant,
                                      const DemoOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    };
    OMC_ASSIGN_OR_RETURN(
        DemoSummary summary,
        BuildDemoNetwork(
            app.database(), app.identity(), tenant, options, app.identity().clock().NowUs(),
            [&](const DemoProgress& p) {
                std::cerr << fmt::format(
                    "\romc demo: day {:>3}/{} of {} stations, {} sales written, {:.1f} s", p.day,
                    p.days, options.stations, p.sales, elapsed());
                std::cerr.flush();
            }));
    std::cerr << fmt::format(
        "\romc demo: {} stations, {} days, {} sales, {} shifts, {} dips, {} "
        "deliveries, {} ledger entries in {:.1f} s\n",
        summary.stations, options.days, summary.sales, summary.shifts, summary.dips,
        summary.deliveries, summary.ledger_entries, elapsed());
    Result<void> done = db::InTransaction(
        app.database(), {.tenant = tenant}, [&](db::Transaction& tx) -> Result<void> {
            audit::AuditEntry entry;
            entry.actor_type = "system";
            entry.actor_id = "omc demo";
            entry.action = "demo.network_created";
            entry.entity_type = "tenant";
            entry.entity_id = tenant.ToString();
            entry.summary = {{"stations", summary.stations},
                             {"days", options.days},
                             {"seed", options.seed},
                             {"sales", summary.sales},
                             {"ledger_entries", summary.ledger_entries},
                             {"attendants", summary.attendants},
                             {"tanks", summary.tanks}};
            OMC_TRY(audit::AppendAudit(tx, tenant, app.identity().ids(), app.identity().clock(),
                                       entry));
            // The alerts a manager would find on the first morning: low stock, water, the
            // latest days' variances (the leak) and licences near expiry.
            const forecourt::ForecourtDeps deps{.ids = &app.identity().ids(),
                                                .clock = &app.identity().clock()};
            OMC_ASSIGN_OR_RETURN(const forecourt::AlertChanges alerts,
                                 forecourt::EvaluateAlerts(tx, deps, tenant, std::nullopt));
            std::cerr << fmt::format("omc demo: {} alerts raised\n", alerts.raised);
            return Ok();
        });
    if (!done.ok()) return std::move(done).error();
    return summary;
}

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

// The demo tenant's MTN provider, pointed at `omc momo-sim` with its ready-made credentials.
Result<void> ConfigureDemoMomo(App& app, const TenantId& tenant, const DemoOptions& options) {
    payments::ProviderSettings settings = payments::DefaultSettings(payments::ProviderKind::kMtn);
    const payments::SimOptions sim;
    settings.base_url = options.momo_sim_url;
    settings.target_environment = "sandbox";
    settings.currency = "EUR";
    settings.api_user = sim.api_user;
    settings.api_key = sim.api_key;
    settings.subscription_key = sim.subscription_key;
    settings.callback_base_url = options.public_url;
    settings.statement_path = "/sim/v1_0/statement";
    return db::InTransaction(app.database(), {.tenant = tenant}, [&](db::Transaction& tx) {
        return payments::SaveProviderSettings(tx, tenant, settings, "demo", SystemClock().NowUs());
    });
}

int RunDemo(const config::Config& config, const DemoOptions& options) {
    auto app_result = OpenApp(config);
    if (!app_result.ok()) return Fail(app_result.error());
    App& app = **app_result;
    static constexpr std::array<DemoUser, 7> kUsers{{
        {"demo-superadmin", identity::Role::kSuperAdmin, DemoScope::kNone},
        {"demo-admin", identity::Role::kCompanyAdmin, DemoScope::kNone},
        {"demo-regional", identity::Role::kRegionalManager, DemoScope::kRegion},
        {"demo-manager", identity::Role::kStationManager, DemoScope::kRegionStations},
        {"demo-operator", identity::Role::kOperator, DemoScope::kStation},
        {"demo-dealer", identity::Role::kDealer, DemoScope::kDealer},
        {"demo-auditor", identity::Role::kAuditor, DemoScope::kNone},
    }};
    auto existing = identity::FindTenantByCode(app.database(), "demo");
    if (!existing.ok()) return Fail(existing.error());
    TenantId tenant;
    if (*existing) {
        tenant = (*existing)->id;
    } else {
        auto created =
            identity::CreateTenant(app.identity(), "demo", "Demo Oil Ghana Ltd", std::nullopt);
        if (!created.ok()) return Fail(created.error());
        tenant = created->first.id;
    }
    // Re-running never duplicates history: a tenant with stations keeps them (and their
    // history); only the users' passwords are renewed. A fresh network needs a fresh database.
    auto stations = CountStations(app.database(), tenant);
    if (!stations.ok()) return Fail(stations.error());
    std::optional<DemoSummary> summary;
    if (*stations == 0) {
        auto built = BuildWithProgress(app, tenant, options);
        if (!built.ok()) return Fail(built.error());
        summary = std::move(built).value();
    }
    auto places = FindDemoPlaces(app.database(), tenant);
    if (!places.ok()) return Fail(places.error());
    std::vector<std::pair<std::string, std::string>> passwords;
    for (const DemoUser& u : kUsers) {
        auto password = ResetOrCreateDemoUser(app, tenant, u, *places);
        if (!password.ok()) return Fail(password.error());
        passwords.emplace_back(u.username, *password);
    }
    if (summary) {
        std::cout << fmt::format(
            "demo tenant {}: {} stations in {} regions, {} tanks, {} nozzles, {} attendants; "
            "{} days of history: {} sales, {} shifts, {} dips, {} deliveries\n",
            tenant.ToString(), summary->stations, summary->regions, summary->tanks,
            summary->nozzles, summary->attendants, options.days, summary->sales, summary->shifts,
            summary->dips, summary->deliveries);
        const DemoFinanceCounts& f = summary->finance;
        std::cout << fmt::format(
            "finance: {} fleet customers with {} vehicles, {} sales on account, {} invoices, {} "
            "customer payments; {} suppliers, {} purchase orders, {} supplier invoices, {} "
            "supplier payments; {} price build-up lines (demo figures), {} price lists; {} MoMo "
            "intents of yesterday reconciled ({} mismatches)\n",
            f.customers, f.vehicles, f.credit_sales, f.invoices, f.customer_payments, f.suppliers,
            f.purchase_orders, f.supplier_invoices, f.supplier_payments, f.price_components,
            f.price_lists, f.momo_intents, f.momo_mismatches);
        std::cout << "planted for the reconciliation and the finance pages to find:\n";
        for (const std::string& line : summary->planted) std::cout << "  - " << line << "\n";
        std::cout << "users and their new passwords:\n";
    } else {
        std::cout << fmt::format(
            "demo tenant already exists with {} stations; its history is kept, not regenerated "
            "(for a new network, start from an empty database). Its users have new passwords:\n",
            *stations);
    }
    for (const auto& [username, password] : passwords) {
        std::cout << fmt::format("  {:<18} {}\n", username, password);
    }
    if (!options.momo_sim_url.empty()) {
        auto configured = ConfigureDemoMomo(app, tenant, options);
        if (!configured.ok()) return Fail(configured.error());
        std::cout << fmt::format(
            "MoMo: MTN provider points at the local simulator {} (sandbox, EUR; callbacks to "
            "{}); POST /api/v1/payments/momo as demo-operator, payer 233241234567 succeeds, "
            "46733123451 is rejected\n",
            options.momo_sim_url, options.public_url);
    }
    return kExitOk;
}

}  // namespace omc::app
