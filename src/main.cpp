// omc: the one binary of OMC ERP.
//
//   omc serve            API and web console (web.root) with every module, or --modules a,b
//   omc migrate          apply database migrations (serve also applies them at start)
//   omc config check     validate the configuration and print the effective settings
//   omc admin token      mint an access token for a tenant (operators, integrations, benchmarks)
//   omc admin audit verify   recompute a tenant's audit hash chain; exit 1 when it is broken
//   omc admin ledger verify  check every tenant's ledger balances; exit 1 naming each problem
//   omc version
//
//   omc admin create-tenant / create-user / permissions
//   omc demo             the demo tenant: a station network with history, one user per role
//   omc simulate         live sales and dips against a running server, at a set rate
//   omc momo-sim         a local MTN MoMo Collections simulator (tests and the demo)
#include <csignal>
#include <cstdio>
#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "app/admin_commands.hpp"
#include "app/app.hpp"
#include "app/simulate_command.hpp"
#include "domains/ledger/ledger.hpp"
#include "domains/payments/simulator.hpp"
#include "platform/audit/audit.hpp"
#include "platform/db/migrator.hpp"
#include "platform/http/server.hpp"
#include "platform/log/log.hpp"

namespace {

using omc::config::Config;

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitConfig = 3;
constexpr int kExitRuntime = 1;

void PrintError(const omc::Error& error) {
    std::cerr << "omc: " << error.message();
    if (!error.detail().empty()) std::cerr << " (" << error.detail() << ")";
    std::cerr << "\n";
    for (const auto& f : error.fields()) std::cerr << "  " << f.field << ": " << f.message << "\n";
}

std::optional<Config> LoadConfig(const std::string& path) {
    auto config = omc::config::Load(path, omc::config::ProcessEnvironment());
    if (!config.ok()) {
        PrintError(config.error());
        return std::nullopt;
    }
    omc::log::Level level = omc::log::Level::kInfo;
    omc::log::ParseLevel(config->log_level, &level);
    omc::log::Init(level);
    return std::move(config).value();
}

std::string Redact(const std::string& url) {
    // postgresql://user:secret@host/db -> postgresql://user:***@host/db
    const auto scheme = url.find("://");
    const auto at = url.find('@');
    if (scheme == std::string::npos || at == std::string::npos) return url;
    const auto colon = url.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at) return url;
    return url.substr(0, colon + 1) + "***" + url.substr(at);
}

int RunServe(const Config& config, const std::vector<std::string>& modules) {
    // Block the shutdown signals in every thread we start; the main thread waits for them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    auto app = omc::app::App::Create(config, {.modules = modules, .web_console = true});
    if (!app.ok()) {
        PrintError(app.error());
        return kExitRuntime;
    }
    omc::http::ServerOptions options;
    options.address = config.listen_address;
    options.port = config.listen_port;
    options.io_threads = config.io_threads;
    options.worker_threads = config.worker_threads;
    options.max_body_bytes = config.max_body_bytes;
    options.max_connections = config.max_connections;
    options.read_timeout = config.read_timeout;
    options.handle_timeout = config.handle_timeout;
    options.shutdown_grace = config.shutdown_grace;
    options.trust_forwarded_for = config.trust_forwarded_for;
    omc::http::Server server((*app)->router(), options);
    if (auto started = server.Start(); !started.ok()) {
        PrintError(started.error());
        return kExitRuntime;
    }
    omc::log::Info("serving",
                   {{"address", config.listen_address},
                    {"port", server.port()},
                    {"database", std::string(omc::db::EngineName((*app)->database().engine()))}});
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    omc::log::Info("shutting down: draining in-flight requests", {{"signal", signal_number}});
    server.Stop();
    (*app)->StopBackground();
    omc::log::Info("stopped");
    return kExitOk;
}

int RunMigrate(const Config& config, const std::string& dir, bool check_only) {
    omc::db::DatabaseOptions options;
    options.url = config.database_url;
    options.pool_size = 1;
    auto database = omc::db::Open(options);
    if (!database.ok()) {
        PrintError(database.error());
        return kExitRuntime;
    }
    std::vector<omc::db::MigrationFile> files = omc::db::EmbeddedMigrationFiles();
    if (!dir.empty()) {
        auto loaded = omc::db::LoadMigrationFiles(dir);
        if (!loaded.ok()) {
            PrintError(loaded.error());
            return kExitUsage;
        }
        files = std::move(loaded).value();
    }
    omc::SystemClock clock;
    auto status = check_only ? omc::db::CheckMigrations(**database, files)
                             : omc::db::ApplyMigrations(**database, files, clock);
    if (!status.ok()) {
        PrintError(status.error());
        return kExitRuntime;
    }
    std::cout << fmt::format("{}: {} applied, {} pending{}\n", Redact(config.database_url),
                             status->applied.size(), status->pending.size(),
                             check_only ? "" : " (now applied)");
    return check_only && !status->pending.empty() ? kExitRuntime : kExitOk;
}

int RunConfigCheck(const Config& c) {
    nlohmann::json out = {
        {"server",
         {{"listen", fmt::format("{}:{}", c.listen_address, c.listen_port)},
          {"io_threads", c.io_threads},
          {"worker_threads", c.worker_threads},
          {"max_body_bytes", c.max_body_bytes},
          {"max_connections", c.max_connections},
          {"read_timeout_ms", c.read_timeout.count()},
          {"handle_timeout_ms", c.handle_timeout.count()},
          {"shutdown_grace_ms", c.shutdown_grace.count()}}},
        {"database",
         {{"url", Redact(c.database_url)},
          {"pool_size", c.database_pool_size},
          {"migrate_on_start", c.migrate_on_start}}},
        {"log", {{"level", c.log_level}}},
        {"events", {{"nats_url", c.nats_url}, {"nats_stream", c.nats_stream}}},
        {"web", {{"root", c.web_root}}},
        {"auth",
         {{"issuer", c.jwt_issuer},
          {"audience", c.jwt_audience},
          {"jwt_keys", c.jwt_keys.empty() ? "generated (kept in the database)"
                                          : fmt::format("{} configured", c.jwt_keys.size())},
          {"access_token_minutes", c.access_token_lifetime.count()},
          {"refresh_token_days", c.refresh_token_lifetime.count() / 24},
          {"refresh_reuse_grace_seconds", c.refresh_reuse_grace.count()},
          {"password_hash_concurrency", c.password_hash_concurrency},
          {"lockout_account_failures", c.lockout_account_failures},
          {"lockout_address_failures", c.lockout_address_failures},
          {"lockout_minutes", c.lockout_window.count()}}},
    };
    for (const auto& [name, rl] : c.rate_limits) {
        out["rate_limits"][name] = {{"per_second", rl.per_second}, {"burst", rl.burst}};
    }
    std::cout << "configuration is valid\n" << out.dump(2) << "\n";
    return kExitOk;
}

int RunAdminToken(const Config& config, const std::string& tenant, const std::string& subject,
                  const std::string& role, int ttl_minutes) {
    if (!omc::TenantId::Parse(tenant)) {
        std::cerr << "omc: --tenant must be a UUID\n";
        return kExitUsage;
    }
    auto app = omc::app::App::Create(config, {.modules = {"platform"}, .start_background = false});
    if (!app.ok()) {
        PrintError(app.error());
        return kExitRuntime;
    }
    omc::auth::TokenClaims claims;
    claims.tenant_id = tenant;
    claims.subject = subject;
    claims.role = role;
    omc::SystemClock clock;
    claims.issued_at_us = clock.NowUs();
    claims.expires_at_us = claims.issued_at_us + int64_t{ttl_minutes} * 60 * 1'000'000;
    auto token = (*app)->tokens().Sign(claims);
    if (!token.ok()) {
        PrintError(token.error());
        return kExitRuntime;
    }
    std::cout << *token << "\n";
    return kExitOk;
}

int RunAuditVerify(const Config& config, const std::string& tenant_text) {
    const auto tenant = omc::TenantId::Parse(tenant_text);
    if (!tenant) {
        std::cerr << "omc: --tenant must be a UUID\n";
        return kExitUsage;
    }
    auto app = omc::app::App::Create(config, {.modules = {"platform"}, .start_background = false});
    if (!app.ok()) {
        PrintError(app.error());
        return kExitRuntime;
    }
    auto check = omc::audit::VerifyAuditChain((*app)->database(), *tenant);
    if (!check.ok()) {
        PrintError(check.error());
        return kExitRuntime;
    }
    if (check->ok) {
        std::cout << fmt::format("audit chain of tenant {}: {} records, intact\n",
                                 tenant->ToString(), check->records_checked);
        return kExitOk;
    }
    const omc::audit::BrokenRecord& broken = *check->first_broken;
    std::cout << fmt::format(
        "audit chain of tenant {}: BROKEN at seq {} (id {}): {}\n", tenant->ToString(), broken.seq,
        broken.id ? broken.id->ToString() : std::string("none"), broken.reason);
    return kExitRuntime;
}

int RunLedgerVerify(const Config& config) {
    auto app = omc::app::App::Create(config, {.modules = {"platform"}, .start_background = false});
    if (!app.ok()) {
        PrintError(app.error());
        return kExitRuntime;
    }
    auto problems = omc::ledger::Verify((*app)->database());
    if (!problems.ok()) {
        PrintError(problems.error());
        return kExitRuntime;
    }
    if (problems->empty()) {
        std::cout << "ledger: debits equal credits in every tenant, and every account equals the "
                     "sum of its transfers\n";
        return kExitOk;
    }
    for (const std::string& p : *problems) std::cout << "ledger: " << p << "\n";
    return kExitRuntime;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"OMC ERP: the ERP for Ghanaian oil marketing companies", "omc"};
    cli.require_subcommand(1);
    std::string config_path;
    if (const char* env = std::getenv("OMC_CONFIG")) config_path = env;
    cli.add_option("-c,--config", config_path, "TOML configuration file (env OMC_CONFIG); optional")
        ->check(CLI::ExistingFile);

    auto* serve = cli.add_subcommand("serve",
                                     "Serve the HTTP API and the web console from web.root "
                                     "(migrates the database first unless "
                                     "database.migrate_on_start = false)");
    std::vector<std::string> modules;
    std::string listen;
    serve->add_option("--modules", modules, "Only these modules (comma-separated); default all")
        ->delimiter(',');
    serve->add_option("--listen", listen, "host:port to listen on (overrides server.listen)");

    auto* migrate = cli.add_subcommand("migrate", "Apply pending database migrations and exit");
    std::string migrations_dir;
    bool check_only = false;
    migrate->add_option("--dir", migrations_dir,
                        "Read migrations from this folder instead of the "
                        "ones built into the binary");
    migrate->add_flag("--check", check_only, "Only report; exit 1 if any migration is pending");

    auto* config_cmd = cli.add_subcommand("config", "Configuration tools");
    config_cmd->require_subcommand(1);
    config_cmd->add_subcommand("check",
                               "Validate the configuration (file + OMC_* environment) and "
                               "print the effective settings, secrets redacted");

    auto* admin = cli.add_subcommand("admin", "Administration commands");
    admin->require_subcommand(1);
    auto* token = admin->add_subcommand("token", "Mint an access token for a tenant");
    std::string tenant, subject = "operator", role = "CompanyAdmin";
    int ttl_minutes = 15;
    token->add_option("--tenant", tenant, "Tenant UUID")->required();
    token->add_option("--subject", subject, "Subject (user or key id)");
    token->add_option("--role", role, "Role");
    token->add_option("--ttl-minutes", ttl_minutes, "Lifetime in minutes")
        ->check(CLI::Range(1, 24 * 60));

    auto* audit = admin->add_subcommand("audit", "The tamper-evident audit log");
    audit->require_subcommand(1);
    auto* audit_verify = audit->add_subcommand(
        "verify", "Recompute a tenant's audit hash chain; exit 1 naming the first broken record");
    std::string audit_tenant;
    audit_verify->add_option("--tenant", audit_tenant, "Tenant UUID")->required();

    auto* ledger = admin->add_subcommand("ledger", "The double-entry ledger");
    ledger->require_subcommand(1);
    auto* ledger_verify = ledger->add_subcommand(
        "verify",
        "Check that debits equal credits and every account equals the sum of its transfers, in "
        "every tenant; exit 1 listing each problem");

    auto* create_tenant = admin->add_subcommand(
        "create-tenant", "Create a tenant (one OMC) and its first CompanyAdmin");
    std::string new_code, new_name, admin_username, admin_email;
    create_tenant->add_option("--code", new_code, "Short code: a-z, 0-9, '-'")->required();
    create_tenant->add_option("--name", new_name, "The company's name")->required();
    create_tenant->add_option("--admin-username", admin_username, "First CompanyAdmin's username");
    create_tenant->add_option("--admin-email", admin_email, "First CompanyAdmin's email");

    auto* create_user = admin->add_subcommand(
        "create-user", "Create a user; prints a generated password unless --password-stdin");
    std::string user_tenant, username, email, display_name, user_role;
    std::vector<std::string> scopes;
    bool password_stdin = false;
    create_user->add_option("--tenant", user_tenant, "Tenant code, or 'platform' for a SuperAdmin")
        ->required();
    create_user->add_option("--username", username, "Login name")->required();
    create_user->add_option("--email", email, "Email")->required();
    create_user->add_option("--name", display_name, "Display name (default: the username)");
    create_user
        ->add_option("--role", user_role,
                     "SuperAdmin, CompanyAdmin, RegionalManager, StationManager, Operator, "
                     "Dealer or Auditor")
        ->required();
    create_user->add_option("--scope", scopes,
                            "Region, station or dealer id the role applies to (repeatable)");
    create_user->add_flag("--password-stdin", password_stdin,
                          "Read the password from standard input instead of generating one");

    auto* permissions =
        admin->add_subcommand("permissions", "Print the role permission matrix as Markdown");

    auto* demo = cli.add_subcommand(
        "demo",
        "Create the demo tenant: a network of stations in the towns and regions of Ghana "
        "with tanks, pumps, attendants, prices and --days of sales, shifts, dips and deliveries "
        "(with a few planted losses to find), fleet customers with their invoices and payments, "
        "BDC orders, invoices and payments, the price build-up (demo figures), floors and price "
        "lists, and one user per role; prints the users' "
        "passwords. Run again on the same database: the history is kept (never duplicated) "
        "and the users get new passwords");
    omc::app::DemoOptions demo_options;
    demo->add_option("--stations", demo_options.stations, "Number of stations")
        ->capture_default_str()
        ->check(CLI::Range(1, omc::app::kDemoMaxStations));
    demo->add_option("--days", demo_options.days, "Days of history up to now")
        ->capture_default_str()
        ->check(CLI::Range(1, omc::app::kDemoMaxDays));
    demo->add_option("--seed", demo_options.seed,
                     "Random seed: the same seed gives the same network and history")
        ->capture_default_str();
    demo->add_option("--sales-per-day", demo_options.sales_per_day,
                     "Fuel sales a day at a medium station (small 0.6x, large 1.6x); real "
                     "stations do 300-800, the default keeps the demo under a minute")
        ->capture_default_str()
        ->check(CLI::Range(1, omc::app::kDemoMaxSalesPerDay));

    demo->add_option("--momo-sim-url", demo_options.momo_sim_url,
                     "Point the demo tenant's MTN MoMo provider at this `omc momo-sim`");
    demo->add_option("--public-url", demo_options.public_url,
                     "This server's URL as the simulator calls it back")
        ->capture_default_str();

    auto* simulate = cli.add_subcommand(
        "simulate",
        "Drive live traffic against a running `omc serve`: fuel sales at --rate a second "
        "(client UUIDv7 ids, prices in force, the stations' open shifts, opening one where none "
        "is) and a tank dip every few seconds, as a demo user that can sell (default "
        "demo-manager, password from omc-data/demo-users.txt). Prints sent, ok, errors, the "
        "achieved rate and p50/p99 latency; stops after --duration or at Ctrl-C");
    omc::app::SimulateOptions simulate_options;
    simulate->add_option("--url", simulate_options.url, "The server's base URL")
        ->capture_default_str();
    simulate->add_option("--rate", simulate_options.rate, "Sales per second")
        ->capture_default_str()
        ->check(CLI::Range(0.01, 100'000.0));
    simulate
        ->add_option("--duration", simulate_options.duration_s,
                     "Seconds to run (default: until Ctrl-C)")
        ->check(CLI::Range(0.0, 1e7));
    simulate->add_option("--dip-every", simulate_options.dip_every_s, "Seconds between tank dips")
        ->capture_default_str()
        ->check(CLI::Range(1, 86'400));
    simulate
        ->add_option("--connections", simulate_options.connections, "Concurrent HTTP connections")
        ->capture_default_str()
        ->check(CLI::Range(1, 256));
    simulate->add_option("--login", simulate_options.login,
                         "User to sign in as (needs sales.write; shifts.write to open shifts)");
    simulate->add_option("--password", simulate_options.password,
                         "Its password (default: read from --users-file)");
    simulate
        ->add_option("--users-file", simulate_options.users_file,
                     "Where `omc demo`'s output (users and passwords) was kept")
        ->capture_default_str();

    auto* momo_sim = cli.add_subcommand(
        "momo-sim",
        "Serve a local MTN MoMo Collections simulator on loopback (apiuser, apikey, token, "
        "requesttopay POST and GET, the sandbox test numbers, callbacks sent once, and a "
        "statement download stand-in) for the tests and the demo; see "
        "src/domains/payments/simulator.hpp");
    omc::payments::SimOptions sim_options;
    momo_sim->add_option("--listen", sim_options.listen, "host:port to listen on")
        ->capture_default_str();
    momo_sim->add_option("--mode", sim_options.mode, "sandbox (EUR) or mtnghana (GHS)")
        ->capture_default_str()
        ->check(CLI::IsMember({"sandbox", "mtnghana"}));
    momo_sim
        ->add_option("--delay-ms", sim_options.delay_ms,
                     "How long a request stays PENDING before its outcome")
        ->capture_default_str()
        ->check(CLI::Range(int64_t{0}, int64_t{3'600'000}));
    momo_sim->add_flag("--drop-callbacks", sim_options.drop_callbacks,
                       "Never send callbacks (the poller must find the outcome)");
    momo_sim
        ->add_option("--subscription-key", sim_options.subscription_key,
                     "The Ocp-Apim-Subscription-Key it accepts")
        ->capture_default_str();
    momo_sim->add_option("--api-user", sim_options.api_user, "A ready-made API user (UUID)")
        ->capture_default_str();
    momo_sim->add_option("--api-key", sim_options.api_key, "That user's API key")
        ->capture_default_str();

    cli.add_subcommand("version", "Print the version");

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e);
    }

    if (cli.got_subcommand("version")) {
        std::cout << "omc " << OMC_VERSION << "\n";
        return kExitOk;
    }
    if (permissions->parsed()) return omc::app::RunPrintPermissions();
    // A client of a running server: no configuration or database of its own.
    if (simulate->parsed()) return omc::app::RunSimulate(simulate_options);
    if (momo_sim->parsed()) return omc::payments::RunMomoSim(sim_options);
    auto config = LoadConfig(config_path);
    if (!config) return kExitConfig;
    if (!listen.empty()) {
        auto overridden = omc::config::Load(config_path, [&] {
            auto env = omc::config::ProcessEnvironment();
            env["OMC_LISTEN"] = listen;
            return env;
        }());
        if (!overridden.ok()) {
            PrintError(overridden.error());
            return kExitConfig;
        }
        config = std::move(overridden).value();
    }
    if (cli.got_subcommand("serve")) return RunServe(*config, modules);
    if (cli.got_subcommand("migrate")) return RunMigrate(*config, migrations_dir, check_only);
    if (cli.got_subcommand("config")) return RunConfigCheck(*config);
    if (token->parsed()) return RunAdminToken(*config, tenant, subject, role, ttl_minutes);
    if (audit_verify->parsed()) return RunAuditVerify(*config, audit_tenant);
    if (ledger_verify->parsed()) return RunLedgerVerify(*config);
    if (create_tenant->parsed()) {
        return omc::app::RunCreateTenant(*config, new_code, new_name, admin_username, admin_email);
    }
    if (create_user->parsed()) {
        return omc::app::RunCreateUser(*config, user_tenant, username, email, display_name,
                                       user_role, scopes, password_stdin);
    }
    if (demo->parsed()) return omc::app::RunDemo(*config, demo_options);
    return kExitUsage;
}
