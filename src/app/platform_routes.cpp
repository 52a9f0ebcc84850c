#include "app/platform_routes.hpp"

#include "platform/db/migrator.hpp"

namespace omc::app {
namespace {

constexpr db::Query kLatestMigration{"platform.latest_migration",
                                     "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"};

// {"status":"live"}, written as text: load balancers and the benchmark call this constantly.
Result<http::Reply> Live(http::RequestContext&) {
    http::Reply reply;
    reply.data_text = R"({"status":"live"})";
    return reply;
}

// Ready: the database answers and its schema is at the version this binary expects. A load
// balancer stops sending traffic to a process that is not ready (or is draining: the router
// answers 503 for every route then).
Result<http::Reply> Ready(http::RequestContext& ctx, int expected_version) {
    OMC_TRY(ctx.database().Ping());
    OMC_ASSIGN_OR_RETURN(
        db::Rows rows,
        db::InTransaction(ctx.database(), {.system = true, .read_only = true},
                          [](db::Transaction& tx) { return tx.Query(kLatestMigration, {}); }));
    const int64_t applied = rows.empty() ? 0 : rows[0].Int(0);
    if (applied != expected_version) {
        return Error(ErrorCode::kUnavailable, "database schema is not current")
            .WithField("migrations", "applied " + std::to_string(applied) + ", expected " +
                                         std::to_string(expected_version));
    }
    http::Reply reply;
    reply.data = {{"status", "ready"},
                  {"database", std::string(db::EngineName(ctx.database().engine()))},
                  {"schema_version", applied}};
    return reply;
}

int ExpectedSchemaVersion(db::Engine engine) {
    auto plan = db::PlanMigrations(db::EmbeddedMigrationFiles(), engine);
    ERP_INVARIANT(plan.ok(), "embedded migrations are well-formed");
    return plan->empty() ? 0 : plan->back().version;
}

}  // namespace

void RegisterPlatformRoutes(http::Router& router, ModuleDeps& deps) {
    const int expected = ExpectedSchemaVersion(deps.database.engine());
    metrics::Registry* registry = &deps.metrics;
    router.Add({.method = http::Method::kGet,
                .pattern = "/health/live",
                .name = "health.live",
                .auth = http::Auth::kPublic,
                .rate = http::RateClass::kNone,
                .tenant_owned = false,
                .handler = Live,
                .runs_inline = true});
    router.Add({.method = http::Method::kGet,
                .pattern = "/health/ready",
                .name = "health.ready",
                .auth = http::Auth::kPublic,
                .rate = http::RateClass::kNone,
                .tenant_owned = false,
                .handler = [expected](http::RequestContext& ctx) { return Ready(ctx, expected); }});
    router.Add({.method = http::Method::kGet,
                .pattern = "/metrics",
                .name = "metrics",
                .auth = http::Auth::kPublic,
                .rate = http::RateClass::kNone,
                .tenant_owned = false,
                .handler = [registry](http::RequestContext&) -> Result<http::Reply> {
                    http::Reply reply;
                    reply.raw_body = registry->RenderPrometheus();
                    reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
                    return reply;
                }});
    router.Add({.method = http::Method::kGet,
                .pattern = "/api/v1/openapi.json",
                .name = "openapi",
                .auth = http::Auth::kPublic,
                .rate = http::RateClass::kDefault,
                .tenant_owned = false,
                .handler = [](http::RequestContext&) -> Result<http::Reply> {
                    http::Reply reply;
                    reply.raw_body = std::string(embedded::OpenApiDocument());
                    reply.headers.emplace_back("Cache-Control", "public, max-age=300");
                    return reply;
                }});
}

}  // namespace omc::app
