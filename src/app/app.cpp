#include "app/app.hpp"

#include <algorithm>

#include "platform/base/thread_name.hpp"
#include "platform/db/migrator.hpp"
#include "platform/log/log.hpp"

namespace omc::app {

App::App(config::Config config, std::unique_ptr<db::Database> owned, db::Database* database,
         const Clock* clock)
    : config_(std::move(config)),
      owned_database_(std::move(owned)),
      database_(database),
      clock_(clock) {
    if (clock_ == nullptr) {
        owned_clock_ = std::make_unique<SystemClock>();
        clock_ = owned_clock_.get();
    }
}

App::~App() { StopBackground(); }

Result<std::unique_ptr<App>> App::Create(const config::Config& config, AppOptions options,
                                         db::Database* database, const Clock* clock) {
    std::unique_ptr<db::Database> owned;
    if (database == nullptr) {
        db::DatabaseOptions db_options;
        db_options.url = config.database_url;
        db_options.pool_size = config.database_pool_size;
        db_options.acquire_timeout = config.database_acquire_timeout;
        OMC_ASSIGN_OR_RETURN(owned, db::Open(db_options));
        database = owned.get();
    }
    std::unique_ptr<App> app(new App(config, std::move(owned), database, clock));
    OMC_TRY(app->Init(options));
    return app;
}

Result<void> App::Init(const AppOptions& options) {
    if (config_.migrate_on_start) {
        OMC_TRY(db::ApplyMigrations(*database_, db::EmbeddedMigrationFiles(), *clock_));
    } else {
        OMC_ASSIGN_OR_RETURN(db::MigrationStatus status,
                             db::CheckMigrations(*database_, db::EmbeddedMigrationFiles()));
        if (!status.pending.empty()) {
            return Error(ErrorCode::kUnavailable,
                         "database schema is not current; run `omc migrate`");
        }
    }
    ids_ = std::make_unique<RandomIdGenerator>(*clock_);
    metrics_ = std::make_unique<metrics::Registry>();
    OMC_ASSIGN_OR_RETURN(auth::TokenKeys keys, auth::LoadSigningKeys(config_, *database_, *clock_));
    auth::TokenOptions token_options;
    token_options.issuer = config_.jwt_issuer;
    token_options.audience = config_.jwt_audience;
    token_options.lifetime = config_.access_token_lifetime;
    tokens_ = std::make_unique<auth::TokenCodec>(std::move(keys), token_options, *clock_);
    identity::IdentityOptions identity_options;
    if (options.password_params) identity_options.password_params = *options.password_params;
    identity_ = std::make_unique<identity::Identity>(*database_, *clock_, *ids_, config_, *tokens_,
                                                     identity_options);
    http::RateLimits limits;
    for (const auto& [name, rl] : config_.rate_limits) limits[name] = {rl.per_second, rl.burst};
    rate_limiter_ = std::make_unique<http::RateLimiter>(std::move(limits), *clock_);
    idempotency_ =
        std::make_unique<http::IdempotencyStore>(*database_, *clock_, config_.idempotency_ttl);
    // Every module's mutating requests are audited, whether or not the audit module (the read
    // API) is enabled.
    audit_sink_ = std::make_unique<audit::AuditLogSink>(*ids_, *clock_);

    if (options.web_console && !config_.web_root.empty()) {
        OMC_ASSIGN_OR_RETURN(static_site_, http::StaticSite::Load(config_.web_root));
    }

    http::RouterDeps router_deps;
    router_deps.database = database_;
    router_deps.clock = clock_;
    router_deps.ids = ids_.get();
    router_deps.authenticator = &identity_->authenticator();
    router_deps.authorizer = &authorizer_;
    router_deps.rate_limiter = rate_limiter_.get();
    router_deps.idempotency = idempotency_.get();
    router_deps.metrics = metrics_.get();
    router_deps.audit = audit_sink_.get();
    router_deps.max_body_bytes = config_.max_body_bytes;
    router_deps.static_site = static_site_.get();
    router_ = std::make_unique<http::Router>(router_deps);

    db::Database* database = database_;
    metrics_->AddGauge("omc_db_pool_size", "Connections in the database pool",
                       [database] { return static_cast<double>(database->Stats().size); });
    metrics_->AddGauge("omc_db_pool_in_use", "Connections in use",
                       [database] { return static_cast<double>(database->Stats().in_use); });
    metrics_->AddGauge(
        "omc_db_pool_wait_timeouts_total", "Begin() calls that timed out waiting",
        [database] { return static_cast<double>(database->Stats().timeouts_total); });

    deps_ = std::make_unique<ModuleDeps>(
        ModuleDeps{*database_, *clock_, *ids_, config_, *metrics_, *identity_});
    OMC_TRY(RegisterModules(*router_, *deps_, options.modules));
    module_sweeps_ = ModulesWithSweeps(options.modules);

    events::RelayOptions relay_options;
    relay_options.nats_url = config_.nats_url;
    relay_options.stream = config_.nats_stream;
    relay_options.poll_interval = config_.relay_interval;
    relay_ = std::make_unique<events::Relay>(*database_, *clock_, relay_options, metrics_.get());
    // The webhook dispatcher runs where the webhooks module is enabled.
    const bool webhooks_enabled =
        options.modules.empty() || std::find(options.modules.begin(), options.modules.end(),
                                             "webhooks") != options.modules.end();
    if (webhooks_enabled) {
        webhooks::DispatcherOptions dispatch_options;
        dispatch_options.poll_interval = config_.webhook_dispatch_interval;
        dispatch_options.threads = config_.webhook_dispatch_threads;
        webhook_dispatcher_ = std::make_unique<webhooks::Dispatcher>(
            *database_, *clock_, *ids_, config_, dispatch_options, metrics_.get());
    }
    if (options.start_background) {
        relay_->Start();
        if (webhook_dispatcher_) webhook_dispatcher_->Start();
        sweeper_ = std::thread([this] {
            NameThisThread("omc-sweeper");
            SweepLoop();
        });
        for (const auto& task : deps_->background) task->Start();
        background_started_ = true;
    }
    return Ok();
}

// Every minute the modules' sweeps (a price list coming into force at its window's 00:00 shows
// so within a minute); every ten minutes the expired idempotency keys.
void App::SweepLoop() {
    std::unique_lock lock(sweep_mu_);
    for (int64_t minute = 0; !stopping_; ++minute) {
        lock.unlock();
        for (const ModuleInfo* module : module_sweeps_) {
            auto done = module->sweep(*deps_);
            if (!done.ok()) {
                log::Warn("module sweep failed",
                          {{"module", module->name}, {"detail", done.error().detail()}});
            } else if (*done > 0) {
                log::Info("module sweep", {{"module", module->name}, {"done", *done}});
            }
        }
        if (minute % 10 == 0) {
            auto swept = idempotency_->Sweep();
            if (!swept.ok())
                log::Warn("idempotency sweep failed", {{"detail", swept.error().detail()}});
        }
        lock.lock();
        sweep_cv_.wait_for(lock, std::chrono::minutes(1), [this] { return stopping_; });
    }
}

void App::StopBackground() {
    {
        std::lock_guard lock(sweep_mu_);
        stopping_ = true;
    }
    sweep_cv_.notify_all();
    if (sweeper_.joinable()) sweeper_.join();
    if (deps_ && background_started_) {
        for (const auto& task : deps_->background) task->Stop();
        background_started_ = false;
    }
    if (webhook_dispatcher_) webhook_dispatcher_->Stop();
    if (relay_) relay_->Stop();
}

}  // namespace omc::app
