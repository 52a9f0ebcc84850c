// The assembled process: database, migrations, keys, router with every module's routes, the
// outbox relay, the webhook dispatcher and background sweeps. `omc serve` builds one and serves it;
// API tests build one on a throwaway database and call router().Dispatch directly.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/modules.hpp"
#include "domains/identity/identity.hpp"
#include "domains/identity/permissions.hpp"
#include "domains/webhooks/dispatcher.hpp"
#include "platform/audit/audit_routes.hpp"
#include "platform/auth/authenticator.hpp"
#include "platform/auth/token.hpp"
#include "platform/config/config.hpp"
#include "platform/db/database.hpp"
#include "platform/events/relay.hpp"
#include "platform/http/idempotency.hpp"
#include "platform/http/rate_limiter.hpp"
#include "platform/http/router.hpp"
#include "platform/http/static_site.hpp"
#include "platform/log/metrics.hpp"

namespace omc::app {

struct AppOptions {
    std::vector<std::string> modules;  // empty: all
    bool start_background =
        true;  // relay, webhook dispatcher and sweeps; API tests drive them by hand
    // Argon2id cost; API tests lower it to stay fast. Unset: OWASP's (19 MiB, t=2, p=1).
    std::optional<auth::PasswordParams> password_params;
    // Serve the web console's files from web.root at / (`omc serve`); other users of the App
    // (tests, admin commands) leave it off.
    bool web_console = false;
};

class App {
  public:
    // Opens the database named by the config (or uses `database`, which must outlive the App,
    // when given: tests), applies migrations when configured to, and registers the modules' routes.
    static Result<std::unique_ptr<App>> Create(const config::Config& config, AppOptions options,
                                               db::Database* database = nullptr,
                                               const Clock* clock = nullptr);
    ~App();
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    http::Router& router() { return *router_; }
    db::Database& database() { return *database_; }
    const auth::TokenCodec& tokens() const { return *tokens_; }
    metrics::Registry& metrics() { return *metrics_; }
    events::Relay& relay() { return *relay_; }
    // The webhook dispatcher; null when the webhooks module is not enabled.
    webhooks::Dispatcher* webhook_dispatcher() { return webhook_dispatcher_.get(); }
    const config::Config& config() const { return config_; }
    identity::Identity& identity() { return *identity_; }
    // What the modules were given, with the background tasks they added (tests drive those by
    // hand when start_background is off).
    ModuleDeps& module_deps() { return *deps_; }

    // Stops background work (relay, sweeps). Idempotent.
    void StopBackground();

  private:
    App(config::Config config, std::unique_ptr<db::Database> owned, db::Database* database,
        const Clock* clock);
    Result<void> Init(const AppOptions& options);
    void SweepLoop();

    config::Config config_;
    std::unique_ptr<db::Database> owned_database_;
    db::Database* database_;
    std::unique_ptr<Clock> owned_clock_;
    const Clock* clock_;
    std::unique_ptr<RandomIdGenerator> ids_;
    std::unique_ptr<metrics::Registry> metrics_;
    std::unique_ptr<auth::TokenCodec> tokens_;
    std::unique_ptr<identity::Identity> identity_;
    identity::MatrixAuthorizer authorizer_;
    std::unique_ptr<http::RateLimiter> rate_limiter_;
    std::unique_ptr<http::IdempotencyStore> idempotency_;
    std::unique_ptr<audit::AuditLogSink> audit_sink_;
    std::unique_ptr<http::StaticSite> static_site_;  // null: no web console
    std::unique_ptr<http::Router> router_;
    std::unique_ptr<ModuleDeps> deps_;
    std::unique_ptr<events::Relay> relay_;
    std::unique_ptr<webhooks::Dispatcher> webhook_dispatcher_;

    std::vector<const ModuleInfo*> module_sweeps_;
    std::mutex sweep_mu_;
    std::condition_variable sweep_cv_;
    bool stopping_ = false;  // GUARDED_BY(sweep_mu_)
    std::thread sweeper_;
    bool background_started_ = false;
};

}  // namespace omc::app
