// The assembled App through Router::Dispatch, on SQLite and PostgreSQL: operations routes, the
// OpenAPI coverage check, authentication, and the Idempotency-Key contract end to end.
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/app.hpp"
#include "platform/events/outbox.hpp"
#include "platform/http/json_body.hpp"
#include "testing/fake_clock.hpp"
#include "testing/test_database.hpp"

namespace omc::app {
namespace {

using nlohmann::json;

constexpr db::Query kCountEvents{"test.count_events",
                                 "SELECT COUNT(*) FROM outbox_events WHERE tenant_id = $1"};

class AppApiTest : public ::testing::Test {
  protected:
    void SetUp() override {
        database_ = testing::OpenFreshDatabase();
        config_.rate_limits["default"] = {0, 0};  // these tests are not about limits
        auto app = App::Create(config_, {.start_background = false}, database_.get(), &clock_);
        ASSERT_TRUE(app.ok()) << app.error().message() << " " << app.error().detail();
        app_ = std::move(app).value();
        ids_ = std::make_unique<RandomIdGenerator>(clock_);
        tenant_a_ = TenantId{ids_->NewV7()};
        tenant_b_ = TenantId{ids_->NewV7()};
        AddNoteRoute();
    }

    // A test-only POST that writes a real effect (an outbox event) in the request transaction,
    // so replays can be checked against what was actually stored.
    void AddNoteRoute() {
        IdGenerator* ids = ids_.get();
        app_->router().Add(
            {.method = http::Method::kPost,
             .pattern = "/api/v1/test/notes",
             .name = "test.notes",
             .rate = http::RateClass::kWrite,
             .idempotent = true,
             .permission = std::string(http::kSelfPermission),
             .handler = [ids, this](http::RequestContext& ctx) -> Result<http::Reply> {
                 ++handler_calls_;
                 OMC_ASSIGN_OR_RETURN(auto body, http::JsonBody::Parse(ctx.request().body));
                 std::string note = body.RequiredString("note", 100);
                 (void)body.OptionalUuid("ref");
                 (void)body.OptionalInt64("amount_pesewas", 0, 1'000'000'000'000);
                 body.RejectUnknown({"note", "ref", "amount_pesewas"});
                 OMC_TRY(body.Finish());
                 if (note == "reject") {
                     return Error(ErrorCode::kUnprocessable, "notes may not say reject");
                 }
                 if (note == "boom") return Internal("simulated failure");
                 OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
                 OMC_ASSIGN_OR_RETURN(
                     Uuid id,
                     events::AppendEvent(*tx, ctx.tenant(), *ids, ctx.clock(),
                                         {"test.noted", "note", "n1", json{{"note", note}}}));
                 http::Reply reply;
                 reply.status = 201;
                 reply.data = {{"event_id", id.ToString()}};
                 return reply;
             }});
    }

    std::string Token(const TenantId& tenant) {
        auth::TokenClaims claims;
        claims.subject = "user-1";
        claims.tenant_id = tenant.ToString();
        claims.role = "CompanyAdmin";
        return *app_->tokens().Sign(claims);
    }

    http::Response Call(http::Method method, const std::string& path, const std::string& body = "",
                        std::vector<std::pair<std::string, std::string>> headers = {}) {
        http::Request request;
        request.method = method;
        const auto q = path.find('?');
        request.path = path.substr(0, q);
        if (q != std::string::npos) request.query = path.substr(q + 1);
        request.body = body;
        request.headers = std::move(headers);
        if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
        request.client_address = "127.0.0.1";
        return app_->router().Dispatch(request);
    }

    http::Response PostNote(const TenantId& tenant, const std::string& note,
                            const std::string& key) {
        std::vector<std::pair<std::string, std::string>> headers = {
            {"Authorization", "Bearer " + Token(tenant)}};
        if (!key.empty()) headers.emplace_back("Idempotency-Key", key);
        return Call(http::Method::kPost, "/api/v1/test/notes", json{{"note", note}}.dump(),
                    headers);
    }

    int64_t CountEvents(const TenantId& tenant) {
        auto rows = db::InTransaction(*database_, {.system = true}, [&](db::Transaction& tx) {
            return tx.Query(kCountEvents, {tenant});
        });
        EXPECT_TRUE(rows.ok());
        return rows.ok() ? (*rows)[0].Int(0) : -1;
    }

    static std::string Header(const http::Response& r, const std::string& name) {
        for (const auto& [k, v] : r.headers) {
            if (strcasecmp(k.c_str(), name.c_str()) == 0) return v;
        }
        return "";
    }

    testing::FakeClock clock_;
    config::Config config_;
    std::unique_ptr<testing::TestDatabase> database_;
    std::unique_ptr<App> app_;
    std::unique_ptr<RandomIdGenerator> ids_;
    TenantId tenant_a_;
    TenantId tenant_b_;
    int handler_calls_ = 0;
};

TEST_F(AppApiTest, LiveAndReady) {
    auto live = Call(http::Method::kGet, "/health/live");
    EXPECT_EQ(live.status, 200);
    EXPECT_EQ(live.body.rfind(R"({"success":true,"data":{"status":"live"},"metadata":{)", 0), 0u)
        << live.body;
    EXPECT_EQ(json::parse(live.body)["data"], json({{"status", "live"}}));
    auto ready = Call(http::Method::kGet, "/health/ready");
    ASSERT_EQ(ready.status, 200) << ready.body;
    auto body = json::parse(ready.body);
    EXPECT_TRUE(body["success"].get<bool>());
    EXPECT_EQ(body["data"]["status"], "ready");
    EXPECT_GE(body["data"]["schema_version"].get<int>(), 2);
    EXPECT_FALSE(body["metadata"]["request_id"].get<std::string>().empty());
}

TEST_F(AppApiTest, ReadyFailsWhileDraining) {
    app_->router().SetDraining(true);
    auto ready = Call(http::Method::kGet, "/health/ready");
    EXPECT_EQ(ready.status, 503);
    app_->router().SetDraining(false);
}

TEST_F(AppApiTest, MetricsAreServedInPrometheusFormat) {
    Call(http::Method::kGet, "/health/live");
    auto metrics = Call(http::Method::kGet, "/metrics");
    ASSERT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.content_type.find("text/plain"), std::string::npos);
    EXPECT_NE(metrics.body.find("http_requests_total{"), std::string::npos);
    EXPECT_NE(metrics.body.find("route=\"health.live\""), std::string::npos);
    EXPECT_NE(metrics.body.find("http_request_duration_seconds_bucket"), std::string::npos);
    EXPECT_NE(metrics.body.find("omc_db_pool_size"), std::string::npos);
    EXPECT_NE(metrics.body.find("omc_outbox_backlog"), std::string::npos);
}

// Every registered route must be in the OpenAPI document served at /api/v1/openapi.json.
TEST_F(AppApiTest, EveryRegisteredRouteIsInTheOpenApiDocument) {
    auto doc_response = Call(http::Method::kGet, "/api/v1/openapi.json");
    ASSERT_EQ(doc_response.status, 200);
    const json doc = json::parse(doc_response.body);
    ASSERT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
    std::vector<std::string> missing;
    for (const http::Route& route : app_->router().routes()) {
        if (route.name.rfind("test.", 0) == 0) continue;  // this fixture's own route
        std::string method(http::MethodName(route.method));
        std::transform(method.begin(), method.end(), method.begin(), ::tolower);
        if (!doc["paths"].contains(route.pattern) ||
            !doc["paths"][route.pattern].contains(method)) {
            missing.push_back(method + " " + route.pattern);
        }
    }
    EXPECT_TRUE(missing.empty()) << "routes missing from docs/api/openapi.json: "
                                 << ::testing::PrintToString(missing);
}

// Every route that needs a caller refuses one without credentials or with a forged token.
TEST_F(AppApiTest, AuthenticatedRoutesRefuseMissingAndForgedTokens) {
    auth::TokenCodec forger(auth::TokenKeys{{{"generated-1", std::string(40, 'x')}}, "generated-1"},
                            {}, clock_);
    auth::TokenClaims claims{
        .subject = "intruder", .tenant_id = tenant_a_.ToString(), .role = "CompanyAdmin"};
    const std::string forged = *forger.Sign(claims);
    int checked = 0;
    for (const http::Route& route : app_->router().routes()) {
        if (route.auth != http::Auth::kAuthenticated) continue;
        std::string path = route.pattern;
        for (size_t at; (at = path.find('{')) != std::string::npos;) {
            path.replace(at, path.find('}', at) - at + 1, ids_->NewV7().ToString());
        }
        // A JSON body where the route takes one; none for a file upload (text/csv), whose
        // media type is checked before the caller.
        const bool json_body =
            route.method != http::Method::kGet && route.body_media_type == "application/json";
        const std::string body = json_body ? "{}" : "";
        auto none = Call(route.method, path, body);
        EXPECT_EQ(none.status, 401) << route.name;
        EXPECT_EQ(Header(none, "WWW-Authenticate").rfind("Bearer", 0), 0u) << route.name;
        auto bad = Call(route.method, path, body, {{"Authorization", "Bearer " + forged}});
        EXPECT_EQ(bad.status, 401) << route.name;
        ++checked;
    }
    EXPECT_GE(checked, 2);
}

TEST_F(AppApiTest, IdempotentReplayReturnsTheFirstAnswerAndWritesOnce) {
    auto first = PostNote(tenant_a_, "hello", "key-1");
    ASSERT_EQ(first.status, 201) << first.body;
    auto second = PostNote(tenant_a_, "hello", "key-1");
    EXPECT_EQ(second.status, 201);
    EXPECT_EQ(json::parse(second.body)["data"], json::parse(first.body)["data"]);
    EXPECT_EQ(Header(second, "Idempotent-Replayed"), "true");
    EXPECT_EQ(handler_calls_, 1);
    EXPECT_EQ(CountEvents(tenant_a_), 1);
}

TEST_F(AppApiTest, WithoutAKeyEveryPostTakesEffect) {
    EXPECT_EQ(PostNote(tenant_a_, "hello", "").status, 201);
    EXPECT_EQ(PostNote(tenant_a_, "hello", "").status, 201);
    EXPECT_EQ(CountEvents(tenant_a_), 2);
}

TEST_F(AppApiTest, SameKeyDifferentBodyIs422AndWritesNothing) {
    ASSERT_EQ(PostNote(tenant_a_, "hello", "key-2").status, 201);
    auto other = PostNote(tenant_a_, "goodbye", "key-2");
    EXPECT_EQ(other.status, 422) << other.body;
    EXPECT_EQ(CountEvents(tenant_a_), 1);
}

TEST_F(AppApiTest, KeysAreScopedPerTenant) {
    ASSERT_EQ(PostNote(tenant_a_, "hello", "shared-key").status, 201);
    auto b = PostNote(tenant_b_, "hello", "shared-key");
    EXPECT_EQ(b.status, 201);
    EXPECT_NE(Header(b, "Idempotent-Replayed"), "true");
    EXPECT_EQ(CountEvents(tenant_a_), 1);
    EXPECT_EQ(CountEvents(tenant_b_), 1);
}

TEST_F(AppApiTest, ConcurrentDuplicateIs409) {
    // A first request holds the claim (in flight); its duplicate must not run.
    http::IdempotencyStore store(*database_, clock_, std::chrono::hours(24));
    http::Request probe;
    probe.method = http::Method::kPost;
    probe.path = "/api/v1/test/notes";
    probe.body = json{{"note", "hello"}}.dump();
    auto claim = store.Claim({tenant_a_, "user:user-1", "key-3"},
                             http::IdempotencyStore::RequestHash(probe));
    ASSERT_TRUE(claim.ok());
    ASSERT_EQ(claim->outcome, http::IdempotencyStore::Outcome::kProceed);
    auto dup = PostNote(tenant_a_, "hello", "key-3");
    EXPECT_EQ(dup.status, 409) << dup.body;
    EXPECT_EQ(handler_calls_, 0);
    EXPECT_EQ(CountEvents(tenant_a_), 0);
}

TEST_F(AppApiTest, AnAbandonedClaimIsTakenOverAfterItsLease) {
    http::IdempotencyStore store(*database_, clock_, std::chrono::hours(24),
                                 std::chrono::seconds(60));
    http::Request probe;
    probe.method = http::Method::kPost;
    probe.path = "/api/v1/test/notes";
    probe.body = json{{"note", "hello"}}.dump();
    ASSERT_TRUE(
        store.Claim({tenant_a_, "user:user-1", "key-4"}, http::IdempotencyStore::RequestHash(probe))
            .ok());
    clock_.AdvanceUs(61'000'000);  // the first process died; its lease ran out
    auto retry = PostNote(tenant_a_, "hello", "key-4");
    EXPECT_EQ(retry.status, 201) << retry.body;
    EXPECT_EQ(CountEvents(tenant_a_), 1);
}

TEST_F(AppApiTest, RefusalsAreReplayedAndServerErrorsReleaseTheKey) {
    auto refused = PostNote(tenant_a_, "reject", "key-5");
    EXPECT_EQ(refused.status, 422);
    auto again = PostNote(tenant_a_, "reject", "key-5");
    EXPECT_EQ(again.status, 422);
    EXPECT_EQ(Header(again, "Idempotent-Replayed"), "true");
    EXPECT_EQ(handler_calls_, 1);

    auto boom = PostNote(tenant_a_, "boom", "key-6");
    EXPECT_EQ(boom.status, 500);
    EXPECT_EQ(json::parse(boom.body)["error"]["message"], "internal error");
    EXPECT_EQ(boom.body.find("simulated"), std::string::npos);  // internal detail stays in the log
    auto retried = PostNote(tenant_a_, "boom", "key-6");
    EXPECT_EQ(retried.status, 500);
    EXPECT_EQ(handler_calls_, 3);  // a 5xx released the key, so the retry ran again
    EXPECT_EQ(CountEvents(tenant_a_), 0);
}

TEST_F(AppApiTest, KeysExpireAfterTheTtl) {
    ASSERT_EQ(PostNote(tenant_a_, "hello", "key-7").status, 201);
    clock_.AdvanceUs(25LL * 3600 * 1'000'000);
    auto later = PostNote(tenant_a_, "hello", "key-7");
    EXPECT_EQ(later.status, 201);
    EXPECT_NE(Header(later, "Idempotent-Replayed"), "true");
    EXPECT_EQ(CountEvents(tenant_a_), 2);
}

TEST_F(AppApiTest, BadIdempotencyKeyIs400) {
    auto r = PostNote(tenant_a_, "hello", std::string(300, 'k'));
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("Idempotency-Key"), std::string::npos);
    EXPECT_EQ(CountEvents(tenant_a_), 0);
}

TEST_F(AppApiTest, BadInputIsAFieldLevel400AndWritesNothing) {
    const std::string token = "Bearer " + Token(tenant_a_);
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"{not json", "body"},
        {"[1,2]", "body"},
        {R"({})", "note"},
        {R"({"note": 5})", "note"},
        {R"({"note": "ok", "extra": 1})", "extra"},
        {R"({"note": ")" + std::string(101, 'x') + "\"}", "note"},
        {R"({"note": "ok", "ref": "not-a-uuid"})", "ref"},
        {R"({"note": "ok", "ref": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5"})", "ref"},
        {R"({"note": "ok", "amount_pesewas": 1.5})", "amount_pesewas"},
        {R"({"note": "ok", "amount_pesewas": "12"})", "amount_pesewas"},
        {R"({"note": "ok", "amount_pesewas": -1})", "amount_pesewas"},
        {R"({"note": "ok", "amount_pesewas": 1e30})", "amount_pesewas"},
        {R"({"note": "ok", "amount_pesewas": 99999999999999999999})", "amount_pesewas"},
        {R"({"note": "ok", "amount_pesewas": 9223372036854775807})", "amount_pesewas"},
    };
    for (const auto& [body, field] : cases) {
        auto r = Call(http::Method::kPost, "/api/v1/test/notes", body, {{"Authorization", token}});
        EXPECT_EQ(r.status, 400) << body;
        const json parsed = json::parse(r.body);
        bool named = false;
        for (const auto& d : parsed["error"]["details"]) named |= d["field"] == field;
        EXPECT_TRUE(named) << body << " -> " << r.body;
    }
    // Quotes and SQL are data, not code.
    auto sql =
        Call(http::Method::kPost, "/api/v1/test/notes",
             json{{"note", "x'); DROP TABLE outbox_events;--"}}.dump(), {{"Authorization", token}});
    EXPECT_EQ(sql.status, 201);
    EXPECT_EQ(CountEvents(tenant_a_), 1);
}

TEST_F(AppApiTest, OversizedBodyIs413) {
    auto r = Call(http::Method::kPost, "/api/v1/test/notes", std::string(2 << 20, 'x'),
                  {{"Authorization", "Bearer " + Token(tenant_a_)}});
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(CountEvents(tenant_a_), 0);
}

TEST_F(AppApiTest, EventsArePulledPerTenant) {
    ASSERT_EQ(PostNote(tenant_a_, "a1", "").status, 201);
    ASSERT_EQ(PostNote(tenant_b_, "b1", "").status, 201);
    ASSERT_TRUE(app_->relay().RunOnce().ok());
    auto a = Call(http::Method::kGet, "/api/v1/events?after=0", "",
                  {{"Authorization", "Bearer " + Token(tenant_a_)}});
    ASSERT_EQ(a.status, 200) << a.body;
    const json events = json::parse(a.body)["data"];
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["payload"]["note"], "a1");
    EXPECT_EQ(events[0]["tenant_id"], tenant_a_.ToString());
}

}  // namespace
}  // namespace omc::app
