#include "platform/http/router.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <mutex>
#include <thread>

#include "platform/http/idempotency.hpp"
#include "platform/http/rate_limiter.hpp"
#include "platform/log/log.hpp"
#include "platform/log/metrics.hpp"
#include "testing/fake_clock.hpp"
#include "testing/fake_ids.hpp"
#include "testing/test_database.hpp"

namespace omc::http {
namespace {

using nlohmann::json;

const TenantId kTenant = *TenantId::Parse("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");

// "Bearer good" is a user, "Bearer machine" an API key; any other token is invalid.
class FakeAuthenticator final : public Authenticator {
  public:
    Result<std::optional<Principal>> Authenticate(const Request& request) override {
        auto header = request.Header("Authorization");
        if (!header) return std::optional<Principal>();
        if (*header == "Bearer good") return std::optional(Principal{kTenant, "u1", "Operator"});
        if (*header == "Bearer machine") {
            return std::optional(Principal{kTenant, "k1", "", true});
        }
        return Error(ErrorCode::kUnauthenticated, "invalid token");
    }
    // The user's token is checked in memory; the API key is looked up (it may block).
    bool MayBlock(const Request& request) const override {
        return request.Header("Authorization") != "Bearer good";
    }
};

// Operators may read things; nobody here may approve them.
class FakeAuthorizer final : public Authorizer {
  public:
    bool Allows(const Principal& principal, std::string_view permission) const override {
        return principal.role == "Operator" && permission == "things.read";
    }
};

std::optional<std::string> HeaderOf(const Response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
        if (k == name) return v;
    }
    return std::nullopt;
}

Request Get(std::string path, std::string query = "") {
    Request r;
    r.method = Method::kGet;
    r.path = std::move(path);
    r.query = std::move(query);
    r.client_address = "10.0.0.1";
    return r;
}

Request Post(std::string path, std::string body) {
    Request r = Get(std::move(path));
    r.method = Method::kPost;
    r.body = std::move(body);
    r.headers = {{"content-type", "application/json; charset=utf-8"}};
    return r;
}

Request Authed(Request r, std::string token = "good") {
    r.headers.emplace_back("Authorization", "Bearer " + token);
    return r;
}

class RouterTest : public ::testing::Test {
  protected:
    RouterTest() { Build(nullptr); }

    void Build(db::Database* database, RateLimiter* limiter = nullptr,
               IdempotencyStore* idempotency = nullptr, AuditSink* audit = nullptr) {
        router_ = std::make_unique<Router>(RouterDeps{.database = database,
                                                      .clock = &clock_,
                                                      .ids = &ids_,
                                                      .authenticator = &auth_,
                                                      .authorizer = &authorizer_,
                                                      .rate_limiter = limiter,
                                                      .idempotency = idempotency,
                                                      .metrics = &metrics_,
                                                      .audit = audit,
                                                      .max_body_bytes = 64});
        router_->Add({.method = Method::kGet,
                      .pattern = "/health/live",
                      .name = "health.live",
                      .auth = Auth::kPublic,
                      .rate = RateClass::kNone,
                      .handler = [](RequestContext&) -> Result<Reply> {
                          return Reply{.data = json{{"status", "ok"}}};
                      }});
    }

    void Add(Method method, std::string pattern, Handler handler, Auth auth = Auth::kPublic,
             std::string permission = std::string(kSelfPermission)) {
        router_->Add({.method = method,
                      .pattern = pattern,
                      .name = "test." + pattern,
                      .auth = auth,
                      .rate = RateClass::kDefault,
                      .idempotent = true,
                      .permission = std::move(permission),
                      .handler = std::move(handler)});
    }

    static json Body(const Response& r) { return json::parse(r.body); }

    testing::FakeClock clock_;
    testing::FakeIds ids_{clock_};
    FakeAuthenticator auth_;
    FakeAuthorizer authorizer_;
    metrics::Registry metrics_;
    std::unique_ptr<Router> router_;
};

TEST_F(RouterTest, SuccessEnvelopeAndGeneratedRequestId) {
    Response r = router_->Dispatch(Get("/health/live"));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.content_type, "application/json");
    json body = Body(r);
    EXPECT_EQ(body["success"], true);
    EXPECT_EQ(body["data"], (json{{"status", "ok"}}));
    EXPECT_EQ(body["metadata"]["timestamp"], "2023-11-14T22:13:20.000Z");
    auto id = HeaderOf(r, "X-Request-Id");
    ASSERT_TRUE(id.has_value());
    auto uuid = Uuid::Parse(*id);
    ASSERT_TRUE(uuid.has_value());
    EXPECT_EQ(uuid->version(), 7);
    EXPECT_EQ(body["metadata"]["request_id"], *id);
    EXPECT_EQ(body.size(), 3u);  // success, data, metadata: nothing else
}

TEST_F(RouterTest, GivenRequestIdIsEchoedOnlyWhenWellFormed) {
    Request given = Get("/health/live");
    given.headers = {{"x-request-id", "abc-123_X.y"}};
    Response r = router_->Dispatch(given);
    EXPECT_EQ(HeaderOf(r, "X-Request-Id"), "abc-123_X.y");
    EXPECT_EQ(Body(r)["metadata"]["request_id"], "abc-123_X.y");

    for (std::string bad : {std::string("has space"), std::string(129, 'a'), std::string(""),
                            std::string("quote\"")}) {
        Request req = Get("/health/live");
        req.headers = {{"X-Request-Id", bad}};
        auto id = HeaderOf(router_->Dispatch(req), "X-Request-Id");
        ASSERT_TRUE(id);
        EXPECT_TRUE(Uuid::Parse(*id).has_value()) << bad;
    }
    // Every response carries one, errors included.
    EXPECT_TRUE(HeaderOf(router_->Dispatch(Get("/nope")), "X-Request-Id").has_value());
}

TEST_F(RouterTest, NotFoundVersusMethodNotAllowed) {
    Add(Method::kPost, "/api/v1/things", [](RequestContext&) -> Result<Reply> { return Reply{}; });
    Add(Method::kDelete, "/health/live", [](RequestContext&) -> Result<Reply> { return Reply{}; });

    Response missing = router_->Dispatch(Get("/api/v1/nothing"));
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(Body(missing)["success"], false);
    EXPECT_EQ(Body(missing)["error"]["code"], "not_found");

    Response wrong = router_->Dispatch(Get("/api/v1/things"));
    EXPECT_EQ(wrong.status, 405);
    EXPECT_EQ(HeaderOf(wrong, "Allow"), "POST");
    EXPECT_EQ(Body(wrong)["error"]["code"], "method_not_allowed");

    Request put = Get("/health/live");
    put.method = Method::kPut;
    EXPECT_EQ(HeaderOf(router_->Dispatch(put), "Allow"), "GET, DELETE");
    EXPECT_EQ(router_->Dispatch(Get("/health/live/")).status, 404);
    EXPECT_EQ(router_->Dispatch(Get("")).status, 404);
}

TEST_F(RouterTest, PathParamsAndLiteralSegmentsWin) {
    Add(Method::kGet, "/api/v1/things/{id}/lines/{line}", [](RequestContext& ctx) -> Result<Reply> {
        return Reply{.data = json{{"id", *ctx.PathParam("id")}, {"line", *ctx.PathParam("line")}}};
    });
    Add(Method::kGet, "/api/v1/things/export/lines/{line}",
        [](RequestContext&) -> Result<Reply> { return Reply{.data = "export"}; });
    EXPECT_EQ(Body(router_->Dispatch(Get("/api/v1/things/t-1/lines/7")))["data"],
              (json{{"id", "t-1"}, {"line", "7"}}));
    EXPECT_EQ(Body(router_->Dispatch(Get("/api/v1/things/export/lines/7")))["data"], "export");
    EXPECT_EQ(router_->Dispatch(Get("/api/v1/things//lines/7")).status, 404);
}

TEST_F(RouterTest, AParameterWhereOtherRoutesHaveTheirResourceStillMatches) {
    // Routes are indexed by their third segment; one with a parameter there is found beside
    // the literal ones, and the literal still wins where both match.
    Add(Method::kGet, "/api/v1/{kind}/{id}", [](RequestContext& ctx) -> Result<Reply> {
        return Reply{.data = "any " + std::string(*ctx.PathParam("kind"))};
    });
    Add(Method::kGet, "/api/v1/tanks/{id}",
        [](RequestContext&) -> Result<Reply> { return Reply{.data = "tank"}; });
    Add(Method::kPost, "/api/v1/pumps/{id}",
        [](RequestContext&) -> Result<Reply> { return Reply{.data = "pump"}; });
    EXPECT_EQ(Body(router_->Dispatch(Get("/api/v1/tanks/1")))["data"], "tank");
    EXPECT_EQ(Body(router_->Dispatch(Get("/api/v1/nozzles/1")))["data"], "any nozzles");
    // GET /api/v1/pumps/1 matches the parameter route; PUT is refused naming both methods.
    EXPECT_EQ(Body(router_->Dispatch(Get("/api/v1/pumps/1")))["data"], "any pumps");
    Request put = Get("/api/v1/pumps/1");
    put.method = Method::kPut;
    EXPECT_EQ(HeaderOf(router_->Dispatch(put), "Allow"), "POST, GET");
}

TEST_F(RouterTest, OversizedBodyIs413) {
    bool called = false;
    Add(Method::kPost, "/api/v1/things", [&](RequestContext&) -> Result<Reply> {
        called = true;
        return Reply{};
    });
    Response r =
        router_->Dispatch(Post("/api/v1/things", "{\"a\":\"" + std::string(100, 'x') + "\"}"));
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(Body(r)["error"]["code"], "payload_too_large");
    EXPECT_FALSE(called);
    EXPECT_EQ(router_->Dispatch(Post("/api/v1/things", "{}")).status, 200);
}

TEST_F(RouterTest, JsonContentTypeRequiredForBodies) {
    Add(Method::kPost, "/api/v1/things", [](RequestContext&) -> Result<Reply> { return Reply{}; });
    Request r = Post("/api/v1/things", "{}");
    r.headers = {{"Content-Type", "text/plain"}};
    Response refused = router_->Dispatch(r);
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(Body(refused)["error"]["details"][0]["field"], "Content-Type");
    r.headers.clear();
    EXPECT_EQ(router_->Dispatch(r).status, 400);
    r.body.clear();  // no body, no media type needed
    EXPECT_EQ(router_->Dispatch(r).status, 200);
}

TEST_F(RouterTest, AuthenticationRequired) {
    Add(
        Method::kGet, "/api/v1/me",
        [](RequestContext& ctx) -> Result<Reply> {
            return Reply{.data = json{{"tenant", ctx.tenant().ToString()},
                                      {"subject", ctx.principal()->subject}}};
        },
        Auth::kAuthenticated);
    Response anonymous = router_->Dispatch(Get("/api/v1/me"));
    EXPECT_EQ(anonymous.status, 401);
    EXPECT_EQ(HeaderOf(anonymous, "WWW-Authenticate"), "Bearer");
    EXPECT_EQ(Body(anonymous)["error"]["code"], "unauthenticated");

    Response bad = router_->Dispatch(Authed(Get("/api/v1/me"), "forged"));
    EXPECT_EQ(bad.status, 401);
    EXPECT_EQ(Body(bad)["error"]["message"], "invalid token");

    Response ok = router_->Dispatch(Authed(Get("/api/v1/me")));
    ASSERT_EQ(ok.status, 200);
    EXPECT_EQ(Body(ok)["data"]["tenant"], kTenant.ToString());
    // A stale token on a public route is ignored, not refused.
    EXPECT_EQ(router_->Dispatch(Authed(Get("/health/live"), "forged")).status, 200);
}

TEST_F(RouterTest, PermissionMatrixDecidesBeforeTheHandlerRuns) {
    int calls = 0;
    const Handler handler = [&](RequestContext&) -> Result<Reply> {
        ++calls;
        return Reply{};
    };
    Add(Method::kGet, "/api/v1/things", handler, Auth::kAuthenticated, "things.read");
    Add(Method::kPost, "/api/v1/things/{id}/approve", handler, Auth::kAuthenticated,
        "things.approve");
    EXPECT_EQ(router_->Dispatch(Authed(Get("/api/v1/things"))).status, 200);
    Response denied = router_->Dispatch(Authed(Post("/api/v1/things/x/approve", "")));
    EXPECT_EQ(denied.status, 403);
    EXPECT_EQ(Body(denied)["error"]["code"], "permission_denied");
    EXPECT_EQ(calls, 1);
    // No role at all (an API key without one) is refused too, and no credentials is still 401.
    EXPECT_EQ(router_->Dispatch(Authed(Get("/api/v1/things"), "machine")).status, 403);
    EXPECT_EQ(router_->Dispatch(Get("/api/v1/things")).status, 401);
}

TEST_F(RouterTest, AuthenticatedRouteWithoutPermissionIsRefusedAtRegistration) {
    EXPECT_THROW(
        router_->Add({.method = Method::kGet,
                      .pattern = "/api/v1/unguarded",
                      .name = "unguarded",
                      .auth = Auth::kAuthenticated,
                      .handler = [](RequestContext&) -> Result<Reply> { return Reply{}; }}),
        InvariantViolation);
}

TEST_F(RouterTest, HandlerErrorsCarryRetryAfter) {
    Add(Method::kPost, "/api/v1/login", [](RequestContext&) -> Result<Reply> {
        return Error(ErrorCode::kRateLimited, "too many attempts").WithRetryAfter(90);
    });
    Response r = router_->Dispatch(Post("/api/v1/login", "{}"));
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(HeaderOf(r, "Retry-After"), "90");
    EXPECT_EQ(Body(r)["error"]["code"], "rate_limited");
}

TEST_F(RouterTest, RateLimitedWithRetryAfter) {
    RateLimiter limiter({{"default", {0.25, 2}}}, clock_);
    Build(nullptr, &limiter);
    Add(Method::kGet, "/api/v1/things", [](RequestContext&) -> Result<Reply> { return Reply{}; });
    EXPECT_EQ(router_->Dispatch(Get("/api/v1/things")).status, 200);
    EXPECT_EQ(router_->Dispatch(Get("/api/v1/things")).status, 200);
    Response limited = router_->Dispatch(Get("/api/v1/things"));
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(HeaderOf(limited, "Retry-After"), "4");
    EXPECT_EQ(Body(limited)["error"]["code"], "rate_limited");
    // A public route looks at no credentials: a token does not move the caller to another
    // bucket. On an authenticated route the user is keyed apart from the address.
    EXPECT_EQ(router_->Dispatch(Authed(Get("/api/v1/things"))).status, 429);
    Add(
        Method::kGet, "/api/v1/mine", [](RequestContext&) -> Result<Reply> { return Reply{}; },
        Auth::kAuthenticated);
    EXPECT_EQ(router_->Dispatch(Authed(Get("/api/v1/mine"))).status, 200);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(router_->Dispatch(Get("/health/live")).status, 200);
    clock_.Advance(std::chrono::milliseconds(3500));
    EXPECT_EQ(HeaderOf(router_->Dispatch(Get("/api/v1/things")), "Retry-After"), "1");
    clock_.Advance(std::chrono::milliseconds(500));
    EXPECT_EQ(router_->Dispatch(Get("/api/v1/things")).status, 200);
}

TEST_F(RouterTest, HandlerExceptionsAre500WithoutDetails) {
    Add(Method::kGet, "/invariant", [](RequestContext&) -> Result<Reply> {
        ERP_INVARIANT(1 + 1 == 3, "secret-detail-123");
        return Reply{};
    });
    Add(Method::kGet, "/throws",
        [](RequestContext&) -> Result<Reply> { throw std::runtime_error("secret-detail-456"); });
    Add(Method::kGet, "/internal",
        [](RequestContext&) -> Result<Reply> { return Internal("secret-detail-789"); });
    std::vector<std::string> lines;
    log::TEST_CaptureLines(&lines);
    for (const char* path : {"/invariant", "/throws", "/internal"}) {
        Response r = router_->Dispatch(Get(path));
        EXPECT_EQ(r.status, 500) << path;
        EXPECT_EQ(Body(r)["error"]["message"], "internal error");
        EXPECT_EQ(Body(r)["error"]["code"], "internal");
        EXPECT_EQ(r.body.find("secret-detail"), std::string::npos) << r.body;
    }
    log::TEST_CaptureLines(nullptr);
    int logged = 0;
    for (const auto& line : lines) {
        if (line.find("secret-detail") == std::string::npos) continue;
        json j = json::parse(line);
        EXPECT_EQ(j["level"], "error");
        EXPECT_TRUE(j.contains("request_id"));
        ++logged;
    }
    EXPECT_EQ(logged, 3);
    EXPECT_EQ(router_->Dispatch(Get("/health/live")).status, 200);  // still serving
}

TEST_F(RouterTest, HandlerErrorsUseTheErrorTable) {
    Add(Method::kGet, "/api/v1/things/{id}", [](RequestContext&) -> Result<Reply> {
        return Error(ErrorCode::kUnprocessable, "tank is closed",
                     {{"tank_id", "closed since 2024-01-01"}})
            .WithDetail("internal note");
    });
    Response r = router_->Dispatch(Get("/api/v1/things/1"));
    EXPECT_EQ(r.status, 422);
    json body = Body(r);
    EXPECT_EQ(body["success"], false);
    EXPECT_EQ(body["error"]["code"], "unprocessable");
    EXPECT_EQ(body["error"]["message"], "tank is closed");
    EXPECT_EQ(body["error"]["details"],
              (json::array({{{"field", "tank_id"}, {"message", "closed since 2024-01-01"}}})));
    EXPECT_EQ(body["metadata"]["request_id"], *HeaderOf(r, "X-Request-Id"));
    EXPECT_EQ(r.body.find("internal note"), std::string::npos);
}

TEST_F(RouterTest, PaginationParsing) {
    Add(Method::kGet, "/api/v1/things", [](RequestContext& ctx) -> Result<Reply> {
        OMC_ASSIGN_OR_RETURN(Page page, ctx.ParsePage());
        std::optional<std::string> next;
        if (page.limit == 2) next = "c2";
        return Reply::PageOf(json{{"limit", page.limit}, {"cursor", page.cursor.value_or("")}},
                             next);
    });
    for (const char* query : {"limit=0", "limit=501", "limit=abc", "limit=", "limit=-1",
                              "limit=1.5", "limit=99999999999"}) {
        Response r = router_->Dispatch(Get("/api/v1/things", query));
        EXPECT_EQ(r.status, 400) << query;
        EXPECT_EQ(Body(r)["error"]["details"][0]["field"], "limit") << query;
    }
    Response cursor = router_->Dispatch(Get("/api/v1/things", "cursor=" + std::string(201, 'c')));
    EXPECT_EQ(Body(cursor)["error"]["details"][0]["field"], "cursor");

    json first = Body(router_->Dispatch(Get("/api/v1/things")));
    EXPECT_EQ(first["data"]["limit"], 50);
    EXPECT_TRUE(first["metadata"]["pagination"]["next_cursor"].is_null());
    json page = Body(router_->Dispatch(Get("/api/v1/things", "limit=2&cursor=a%2Bb+c")));
    EXPECT_EQ(page["data"], (json{{"limit", 2}, {"cursor", "a+b c"}}));
    EXPECT_EQ(page["metadata"]["pagination"]["next_cursor"], "c2");
    EXPECT_EQ(Body(router_->Dispatch(Get("/api/v1/things", "limit=500")))["data"]["limit"], 500);
}

TEST_F(RouterTest, DrainingRefusesWithConnectionClose) {
    router_->SetDraining(true);
    Response r = router_->Dispatch(Get("/health/live"));
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(HeaderOf(r, "Connection"), "close");
    EXPECT_TRUE(HeaderOf(r, "X-Request-Id").has_value());
    router_->SetDraining(false);
    EXPECT_EQ(router_->Dispatch(Get("/health/live")).status, 200);
    EXPECT_EQ(router_->InFlight(), 0);
}

// ---- deferred replies (Reply::Later) ----

class RouterLaterTest : public RouterTest {
  protected:
    using Done = std::function<void(Result<Reply>)>;

    RouterLaterTest() {
        // Validates like a sale: a body without "ok" fails at once; otherwise the answer is
        // handed on and comes when the test calls the kept `done`.
        router_->Add({.method = Method::kPost,
                      .pattern = "/api/v1/later",
                      .name = "test.later",
                      .auth = Auth::kAuthenticated,
                      .rate = RateClass::kDefault,
                      .idempotent = true,
                      .permission = std::string(kSelfPermission),
                      .handler = [this](RequestContext& ctx) -> Result<Reply> {
                          if (ctx.request().body.find("ok") == std::string::npos) {
                              return InvalidArgument("ok", "is required");
                          }
                          return Reply::Later([this](Done done) {
                              std::lock_guard lock(mu_);
                              pending_.push_back(std::move(done));
                          });
                      },
                      .defers_reply = true});
    }

    // Waits (bounded) for the handler to hand an answer on, and takes it.
    Done TakePending() {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (std::chrono::steady_clock::now() < deadline) {
            {
                std::lock_guard lock(mu_);
                if (!pending_.empty()) {
                    Done done = std::move(pending_.front());
                    pending_.erase(pending_.begin());
                    return done;
                }
            }
            std::this_thread::yield();
        }
        ADD_FAILURE() << "the handler never handed its answer on";
        return [](Result<Reply>) {};
    }

    std::mutex mu_;
    std::vector<Done> pending_;  // GUARDED_BY(mu_)
};

TEST_F(RouterLaterTest, DispatchWaitsForTheLaterAnswerFromAnotherThread) {
    std::thread finisher([&] { TakePending()(Reply{.status = 201, .data = json{{"sale", 7}}}); });
    Response r = router_->Dispatch(Authed(Post("/api/v1/later", R"({"ok":1})")));
    finisher.join();
    EXPECT_EQ(r.status, 201);
    EXPECT_EQ(Body(r)["data"]["sale"], 7);
    EXPECT_TRUE(HeaderOf(r, "X-Request-Id").has_value());
    EXPECT_EQ(router_->InFlight(), 0);
}

TEST_F(RouterLaterTest, DispatchAsyncAnswersWhenTheWorkIsDoneAndNotBefore) {
    std::optional<Response> answered;
    std::thread::id answered_on;
    auto keep = [&](Response r) {
        answered = std::move(r);
        answered_on = std::this_thread::get_id();
    };
    Request request = Authed(Post("/api/v1/later", R"({"ok":1})"));
    request.headers.emplace_back("X-Request-Id", "sale-1");
    router_->DispatchAsync(request, router_->Match(request), keep);
    EXPECT_FALSE(answered.has_value());  // handed on: nobody waits
    EXPECT_EQ(router_->InFlight(), 1);   // shutdown still waits for it
    Done done = TakePending();
    std::thread finisher([&] { done(Reply{.status = 201, .data = json{{"sale", 8}}}); });
    finisher.join();
    ASSERT_TRUE(answered.has_value());
    EXPECT_NE(answered_on, std::this_thread::get_id());  // written by the finishing thread
    EXPECT_EQ(answered->status, 201);
    EXPECT_EQ(Body(*answered)["data"]["sale"], 8);
    EXPECT_EQ(Body(*answered)["metadata"]["request_id"], "sale-1");
    EXPECT_EQ(HeaderOf(*answered, "X-Request-Id"), "sale-1");
    EXPECT_EQ(router_->InFlight(), 0);
    // A second answer is ignored: the response went once.
    answered.reset();
    done(Reply{.status = 200});
    EXPECT_FALSE(answered.has_value());
}

TEST_F(RouterLaterTest, DispatchAsyncAnswersFailuresWithTheErrorTable) {
    // Refused before anything is handed on: answered at once, on this thread.
    std::optional<Response> refused;
    Request bad = Authed(Post("/api/v1/later", "{}"));
    router_->DispatchAsync(bad, router_->Match(bad), [&](Response r) { refused = std::move(r); });
    ASSERT_TRUE(refused.has_value());
    EXPECT_EQ(refused->status, 400);
    EXPECT_EQ(Body(*refused)["error"]["details"][0]["field"], "ok");
    // Failed later: the error travels through the same table.
    std::optional<Response> failed;
    Request good = Authed(Post("/api/v1/later", R"({"ok":1})"));
    router_->DispatchAsync(good, router_->Match(good), [&](Response r) { failed = std::move(r); });
    TakePending()(Error(ErrorCode::kUnprocessable, "nozzle closed", {{"nozzle_id", "closed"}}));
    ASSERT_TRUE(failed.has_value());
    EXPECT_EQ(failed->status, 422);
    EXPECT_EQ(Body(*failed)["error"]["details"][0]["field"], "nozzle_id");
    // No credentials: 401 at once.
    std::optional<Response> anonymous;
    Request nobody = Post("/api/v1/later", R"({"ok":1})");
    router_->DispatchAsync(nobody, router_->Match(nobody),
                           [&](Response r) { anonymous = std::move(r); });
    ASSERT_TRUE(anonymous.has_value());
    EXPECT_EQ(anonymous->status, 401);
    EXPECT_EQ(router_->InFlight(), 0);
}

TEST_F(RouterLaterTest, OnlyDeferringRoutesWithCredentialsCheckedInMemoryAnswerWithoutBlocking) {
    Request user = Authed(Post("/api/v1/later", R"({"ok":1})"));
    EXPECT_TRUE(router_->AnswersWithoutBlocking(user, router_->Match(user)));
    Request key = Authed(Post("/api/v1/later", R"({"ok":1})"), "machine");
    EXPECT_FALSE(router_->AnswersWithoutBlocking(key, router_->Match(key)));
    Request other = Authed(Get("/health/live"));
    EXPECT_FALSE(router_->AnswersWithoutBlocking(other, router_->Match(other)));
    Request unmatched = Authed(Get("/nowhere"));
    EXPECT_FALSE(router_->AnswersWithoutBlocking(unmatched, router_->Match(unmatched)));
}

TEST_F(RouterTest, RawBodiesBypassTheEnvelope) {
    Add(Method::kGet, "/metrics", [](RequestContext&) -> Result<Reply> {
        return Reply{.raw_body = "up 1\n", .content_type = "text/plain; version=0.0.4"};
    });
    Response r = router_->Dispatch(Get("/metrics"));
    EXPECT_EQ(r.body, "up 1\n");
    EXPECT_EQ(r.content_type, "text/plain; version=0.0.4");
}

TEST_F(RouterTest, MetricsAndAccessLog) {
    std::vector<std::string> lines;
    log::Init(log::Level::kInfo);  // the access log is written at info; test binaries run at warn
    log::TEST_CaptureLines(&lines);
    Add(
        Method::kGet, "/api/v1/mine", [](RequestContext&) -> Result<Reply> { return Reply{}; },
        Auth::kAuthenticated);
    router_->Dispatch(Authed(Get("/health/live")));
    router_->Dispatch(Get("/missing"));
    router_->Dispatch(Authed(Get("/api/v1/mine")));
    log::TEST_CaptureLines(nullptr);
    log::Init(log::Level::kWarn);
    const std::string text = metrics_.RenderPrometheus();
    EXPECT_NE(
        text.find("http_requests_total{route=\"health.live\",method=\"GET\",status=\"200\"} 1"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("route=\"unmatched\",method=\"GET\",status=\"404\"} 1"), std::string::npos);
    ASSERT_GE(lines.size(), 2u);
    json access = json::parse(lines[0]);
    EXPECT_EQ(access["msg"], "request");
    EXPECT_EQ(access["level"], "info");
    EXPECT_EQ(access["method"], "GET");
    EXPECT_EQ(access["route"], "health.live");
    EXPECT_EQ(access["path"], "/health/live");
    EXPECT_EQ(access["status"], 200);
    EXPECT_FALSE(access.contains("tenant"));  // a public route does not look at the token
    EXPECT_TRUE(access.contains("duration_ms"));
    EXPECT_TRUE(access.contains("request_id"));
    ASSERT_EQ(lines.size(), 3u);
    json authed = json::parse(lines[2]);
    EXPECT_EQ(authed["route"], "test./api/v1/mine");
    EXPECT_EQ(authed["tenant"], kTenant.ToString());
}

// ---- with a real database: the request transaction and Idempotency-Key ----

constexpr db::Query kInsertSetting{"test.insert_setting",
                                   "INSERT INTO platform_settings (key, value, updated_at_us) "
                                   "VALUES ($1, $2, 0)"};
constexpr db::Query kCountSettings{"test.count_settings",
                                   "SELECT COUNT(*) FROM platform_settings WHERE key = $1"};

class RouterDbTest : public RouterTest {
  protected:
    RouterDbTest()
        : db_(testing::OpenFreshDatabase()), store_(*db_, clock_, std::chrono::hours(24)) {
        Build(db_.get(), nullptr, &store_);
        // Writes a setting named by the body's "key"; fails as the body's "fail" says.
        Add(
            Method::kPost, "/api/v1/settings",
            [this](RequestContext& ctx) -> Result<Reply> {
                ++calls_;
                json in = json::parse(ctx.request().body);
                OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
                OMC_TRY(tx->Execute(kInsertSetting, {in["key"].get<std::string>(), "v"}));
                const std::string fail = in.value("fail", "");
                if (fail == "4xx") return Error(ErrorCode::kUnprocessable, "refused");
                if (fail == "5xx") return Error(ErrorCode::kUnavailable, "try later");
                if (fail == "throw") throw std::runtime_error("boom");
                return Reply{.status = 201, .data = json{{"call", calls_}}};
            },
            Auth::kAuthenticated);
    }

    int64_t Count(const std::string& key) {
        auto n =
            db::InTransaction(*db_, {.system = true}, [&](db::Transaction& tx) -> Result<int64_t> {
                OMC_ASSIGN_OR_RETURN(db::Rows rows, tx.Query(kCountSettings, {key}));
                return rows[0].Int(0);
            });
        EXPECT_TRUE(n.ok());
        return n.ok() ? *n : -1;
    }

    Request Write(std::string body, std::optional<std::string> key = std::nullopt) {
        Request r = Authed(Post("/api/v1/settings", std::move(body)));
        if (key) r.headers.emplace_back("Idempotency-Key", *key);
        return r;
    }

    std::unique_ptr<testing::TestDatabase> db_;
    IdempotencyStore store_;
    int calls_ = 0;
};

TEST_F(RouterDbTest, CommitsOnSuccessRollsBackOnFailure) {
    EXPECT_EQ(router_->Dispatch(Write(R"({"key":"a"})")).status, 201);
    EXPECT_EQ(Count("a"), 1);
    EXPECT_EQ(router_->Dispatch(Write(R"({"key":"b","fail":"4xx"})")).status, 422);
    EXPECT_EQ(Count("b"), 0);
    EXPECT_EQ(router_->Dispatch(Write(R"({"key":"c","fail":"throw"})")).status, 500);
    EXPECT_EQ(Count("c"), 0);
    // A failed commit (duplicate key) answers with the database's error, not 201.
    Response dup = router_->Dispatch(Write(R"({"key":"a"})"));
    EXPECT_GE(dup.status, 400);
    EXPECT_EQ(Count("a"), 1);
}

TEST_F(RouterDbTest, IdempotentReplayAndMismatch) {
    Response first = router_->Dispatch(Write(R"({"key":"k1"})", "key-1"));
    ASSERT_EQ(first.status, 201);
    Response again = router_->Dispatch(Write(R"({"key":"k1"})", "key-1"));
    EXPECT_EQ(again.status, 201);
    EXPECT_EQ(again.body, first.body);
    EXPECT_EQ(HeaderOf(again, "Idempotent-Replayed"), "true");
    EXPECT_EQ(calls_, 1);
    EXPECT_EQ(Count("k1"), 1);

    Response other = router_->Dispatch(Write(R"({"key":"k2"})", "key-1"));
    EXPECT_EQ(other.status, 422);
    EXPECT_EQ(Body(other)["error"]["details"][0]["field"], "Idempotency-Key");
    EXPECT_EQ(Count("k2"), 0);
}

TEST_F(RouterDbTest, IdempotentFailuresReplayFor4xxAndRetryFor5xx) {
    EXPECT_EQ(router_->Dispatch(Write(R"({"key":"x","fail":"4xx"})", "key-4")).status, 422);
    EXPECT_EQ(router_->Dispatch(Write(R"({"key":"x","fail":"4xx"})", "key-4")).status, 422);
    EXPECT_EQ(calls_, 1);  // replayed, not run again

    EXPECT_EQ(router_->Dispatch(Write(R"({"key":"y","fail":"5xx"})", "key-5")).status, 503);
    EXPECT_EQ(router_->Dispatch(Write(R"({"key":"y","fail":"5xx"})", "key-5")).status, 503);
    EXPECT_EQ(calls_, 3);  // released, so the retry ran
}

TEST_F(RouterDbTest, ConcurrentDuplicateIs409) {
    Response inner;
    Add(
        Method::kPost, "/api/v1/nested",
        [&](RequestContext&) -> Result<Reply> {
            Request dup = Authed(Post("/api/v1/nested", "{}"));
            dup.headers.emplace_back("Idempotency-Key", "same");
            inner = router_->Dispatch(dup);  // the first claim is still in flight
            return Reply{};
        },
        Auth::kAuthenticated);
    Request r = Authed(Post("/api/v1/nested", "{}"));
    r.headers.emplace_back("Idempotency-Key", "same");
    EXPECT_EQ(router_->Dispatch(r).status, 200);
    EXPECT_EQ(inner.status, 409);
}

TEST_F(RouterDbTest, IdempotencyKeyIsValidated) {
    for (std::string bad : {std::string(256, 'k'), std::string("tab\tkey"), std::string("é")}) {
        Response r = router_->Dispatch(Write(R"({"key":"z"})", bad));
        EXPECT_EQ(r.status, 400);
        EXPECT_EQ(Body(r)["error"]["details"][0]["field"], "Idempotency-Key");
    }
    EXPECT_EQ(router_->Dispatch(Write(R"({"key":"z"})", std::string(255, 'k'))).status, 201);
    EXPECT_EQ(calls_, 1);
}

TEST_F(RouterDbTest, ADeferringRouteWithAnIdempotencyKeyIsLeftToAWorker) {
    router_->Add({.method = Method::kPost,
                  .pattern = "/api/v1/later",
                  .name = "test.later",
                  .auth = Auth::kAuthenticated,
                  .idempotent = true,
                  .permission = std::string(kSelfPermission),
                  .handler = [](RequestContext&) -> Result<Reply> {
                      return Reply::Later([](std::function<void(Result<Reply>)> done) {
                          done(Reply{.status = 201});
                      });
                  },
                  .defers_reply = true});
    Request plain = Authed(Post("/api/v1/later", "{}"));
    EXPECT_TRUE(router_->AnswersWithoutBlocking(plain, router_->Match(plain)));
    Request keyed = plain;
    keyed.headers.emplace_back("Idempotency-Key", "k-later");
    EXPECT_FALSE(router_->AnswersWithoutBlocking(keyed, router_->Match(keyed)));
    // On a worker the later answer is waited for and stored for the key like any other.
    EXPECT_EQ(router_->Dispatch(keyed).status, 201);
    Response again = router_->Dispatch(keyed);
    EXPECT_EQ(again.status, 201);
    EXPECT_EQ(HeaderOf(again, "Idempotent-Replayed"), "true");
}

TEST_F(RouterDbTest, DeferringWhileHoldingTheRequestTransactionIs500AndStartsNothing) {
    bool started = false;
    Add(
        Method::kPost, "/api/v1/later-in-tx",
        [&](RequestContext& ctx) -> Result<Reply> {
            OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
            OMC_TRY(tx->Execute(kInsertSetting, {"later-in-tx", "v"}));
            return Reply::Later([&](std::function<void(Result<Reply>)> done) {
                started = true;
                done(Reply{});
            });
        },
        Auth::kAuthenticated);
    Request r = Authed(Post("/api/v1/later-in-tx", "{}"));
    EXPECT_EQ(router_->Dispatch(r).status, 500);
    std::optional<Response> async;
    router_->DispatchAsync(r, router_->Match(r),
                           [&](Response answer) { async = std::move(answer); });
    ASSERT_TRUE(async.has_value());
    EXPECT_EQ(async->status, 500);
    EXPECT_FALSE(started);
    EXPECT_EQ(Count("later-in-tx"), 0);  // rolled back
}

// ---- the audit hook, with a fake sink ----

// Keeps what the router hands it, and writes a marker row in the request transaction so a test
// can see the record commits (or rolls back) with the request. Fails when told to.
class FakeAuditSink final : public AuditSink {
  public:
    struct Entry {
        TenantId tenant;
        AuditRecord record;
    };
    Result<void> Record(db::Transaction& tx, const TenantId& tenant,
                        const AuditRecord& record) override {
        if (fail) return *fail;
        OMC_TRY(tx.Execute(kInsertSetting, {"audited:" + record.request_id, record.action}));
        entries.push_back({tenant, record});
        return Ok();
    }
    std::vector<Entry> entries;
    std::optional<Error> fail;
};

const TenantId kOtherTenant = *TenantId::Parse("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c");

class RouterAuditTest : public RouterDbTest {
  protected:
    RouterAuditTest() {
        Build(db_.get(), nullptr, &store_, &sink_);
        // Writes the setting named by "key", describes it in the audit note, and fails, skips,
        // overrides the action or names an actor as the body says.
        const auto handler = [this](RequestContext& ctx) -> Result<Reply> {
            ++calls_;
            json in = ctx.request().body.empty() ? json::object() : json::parse(ctx.request().body);
            const std::string key = in.value("key", "k");
            if (in.contains("actor_before_tx")) {
                ctx.audit().actor = AuditActor{kTenant, "user", "login-user", "Operator"};
            }
            OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
            OMC_TRY(tx->Execute(kInsertSetting, {key, "v"}));
            ctx.audit().entity_type = "setting";
            ctx.audit().entity_id = key;
            ctx.audit().summary = {{"key", key}};
            if (in.contains("action")) ctx.audit().action = in["action"].get<std::string>();
            if (in.value("skip", false)) ctx.audit().skip = true;
            if (in.contains("actor_after_tx")) {
                ctx.audit().actor = AuditActor{kTenant, "system", "late", ""};
            }
            if (in.contains("other_tenant")) {
                ctx.audit().actor = AuditActor{kOtherTenant, "system", "job", ""};
            }
            if (in.value("fail", false)) return Error(ErrorCode::kUnprocessable, "refused");
            return Reply{.status = 201, .data = json{{"key", key}}};
        };
        for (Method m : {Method::kPost, Method::kPut, Method::kPatch, Method::kDelete}) {
            Add(m, "/api/v1/audited", handler, Auth::kAuthenticated);
        }
        // A read that fills the note anyway: reads are never recorded.
        Add(
            Method::kGet, "/api/v1/audited",
            [](RequestContext& ctx) -> Result<Reply> {
                ctx.audit().entity_type = "setting";
                return Reply{};
            },
            Auth::kAuthenticated);
        Add(Method::kPost, "/api/v1/login", handler, Auth::kPublic);
    }

    Request Audited(Method method, json body, std::string token = "good") {
        Request r = Authed(Post("/api/v1/audited", body.dump()), std::move(token));
        r.method = method;
        r.headers.emplace_back("X-Request-Id", "req-" + std::to_string(++requests_));
        return r;
    }

    FakeAuditSink sink_;
    int requests_ = 0;
};

TEST_F(RouterAuditTest, AMutatingRequestHandsOneCompleteRecordToTheSink) {
    Response r = router_->Dispatch(Audited(Method::kPost, {{"key", "a"}}));
    ASSERT_EQ(r.status, 201) << r.body;
    ASSERT_EQ(sink_.entries.size(), 1u);
    const auto& [tenant, record] = sink_.entries[0];
    EXPECT_EQ(tenant, kTenant);
    EXPECT_EQ(record.actor_type, "user");
    EXPECT_EQ(record.actor_id, "u1");
    EXPECT_EQ(record.role, "Operator");
    EXPECT_EQ(record.action, "test./api/v1/audited");
    EXPECT_EQ(record.entity_type, "setting");
    EXPECT_EQ(record.entity_id, "a");
    EXPECT_EQ(record.summary, (json{{"key", "a"}}));
    EXPECT_EQ(record.request_id, "req-1");
    EXPECT_EQ(record.client_address, "10.0.0.1");
    // The sink's write committed with the request's own.
    EXPECT_EQ(Count("a"), 1);
    EXPECT_EQ(Count("audited:req-1"), 1);
}

TEST_F(RouterAuditTest, EveryMutatingMethodIsRecordedAndReadsAreNot) {
    int key = 0;
    for (Method m : {Method::kPost, Method::kPut, Method::kPatch, Method::kDelete}) {
        EXPECT_EQ(router_->Dispatch(Audited(m, {{"key", std::to_string(++key)}})).status, 201);
    }
    EXPECT_EQ(sink_.entries.size(), 4u);
    Request get = Authed(Get("/api/v1/audited"));
    EXPECT_EQ(router_->Dispatch(get).status, 200);
    EXPECT_EQ(sink_.entries.size(), 4u);
}

TEST_F(RouterAuditTest, AnApiKeyIsRecordedAsSuch) {
    ASSERT_EQ(router_->Dispatch(Audited(Method::kPost, {{"key", "b"}}, "machine")).status, 201);
    ASSERT_EQ(sink_.entries.size(), 1u);
    EXPECT_EQ(sink_.entries[0].record.actor_type, "api_key");
    EXPECT_EQ(sink_.entries[0].record.actor_id, "k1");
}

TEST_F(RouterAuditTest, FailuresSkipsAndReplaysWriteNoRecord) {
    EXPECT_EQ(router_->Dispatch(Audited(Method::kPost, {{"key", "c"}, {"fail", true}})).status,
              422);
    EXPECT_EQ(router_->Dispatch(Audited(Method::kPost, {{"key", "d"}, {"skip", true}})).status,
              201);
    EXPECT_TRUE(sink_.entries.empty());
    EXPECT_EQ(Count("c"), 0);
    EXPECT_EQ(Count("d"), 1);

    Request first = Audited(Method::kPost, {{"key", "e"}});
    first.headers.emplace_back("Idempotency-Key", "idem-1");
    ASSERT_EQ(router_->Dispatch(first).status, 201);
    Response replay = router_->Dispatch(first);
    EXPECT_EQ(replay.status, 201);
    EXPECT_EQ(HeaderOf(replay, "Idempotent-Replayed"), "true");
    EXPECT_EQ(sink_.entries.size(), 1u);
}

TEST_F(RouterAuditTest, TheActionCanBeOverridden) {
    ASSERT_EQ(
        router_->Dispatch(Audited(Method::kPost, {{"key", "f"}, {"action", "settings.rename"}}))
            .status,
        201);
    ASSERT_EQ(sink_.entries.size(), 1u);
    EXPECT_EQ(sink_.entries[0].record.action, "settings.rename");
}

TEST_F(RouterAuditTest, AFailedAuditWriteFailsTheRequestAndRollsItBack) {
    sink_.fail = Error(ErrorCode::kUnavailable, "database busy");
    Request r = Audited(Method::kPost, {{"key", "g"}});
    r.headers.emplace_back("Idempotency-Key", "idem-2");
    EXPECT_EQ(router_->Dispatch(r).status, 503);
    EXPECT_EQ(Count("g"), 0);
    // The key was released: a retry runs again once the sink works.
    sink_.fail.reset();
    EXPECT_EQ(router_->Dispatch(r).status, 201);
    EXPECT_EQ(Count("g"), 1);
    EXPECT_EQ(calls_, 2);

    // A record the sink refuses as malformed is the handler's bug: 500, not the client's 400.
    sink_.fail = InvalidArgument("summary", "must be a JSON object");
    Response refused = router_->Dispatch(Audited(Method::kPost, {{"key", "h"}}));
    EXPECT_EQ(refused.status, 500);
    EXPECT_EQ(Count("h"), 0);
}

TEST_F(RouterAuditTest, PublicRoutesAreRecordedOnlyWithAnExplicitActor) {
    Request anonymous = Post("/api/v1/login", json{{"key", "i"}}.dump());
    ASSERT_EQ(router_->Dispatch(anonymous).status, 201);
    EXPECT_TRUE(sink_.entries.empty());
    EXPECT_EQ(Count("i"), 1);

    Request login = Post("/api/v1/login", json{{"key", "j"}, {"actor_before_tx", true}}.dump());
    ASSERT_EQ(router_->Dispatch(login).status, 201);
    ASSERT_EQ(sink_.entries.size(), 1u);
    EXPECT_EQ(sink_.entries[0].tenant, kTenant);
    EXPECT_EQ(sink_.entries[0].record.actor_type, "user");
    EXPECT_EQ(sink_.entries[0].record.actor_id, "login-user");
    EXPECT_EQ(sink_.entries[0].record.role, "Operator");

    // Named after the transaction began without a tenant: refused rather than written where
    // PostgreSQL's row-level security would not allow it.
    Request late = Post("/api/v1/login", json{{"key", "k"}, {"actor_after_tx", true}}.dump());
    EXPECT_EQ(router_->Dispatch(late).status, 500);
    EXPECT_EQ(Count("k"), 0);
    EXPECT_EQ(sink_.entries.size(), 1u);
}

TEST_F(RouterAuditTest, AnExplicitActorKeepsThePrincipalsTenant) {
    ASSERT_EQ(
        router_->Dispatch(Audited(Method::kPost, {{"key", "l"}, {"actor_after_tx", true}})).status,
        201);
    ASSERT_EQ(sink_.entries.size(), 1u);
    EXPECT_EQ(sink_.entries[0].record.actor_type, "system");
    EXPECT_EQ(sink_.entries[0].record.actor_id, "late");
    Response other =
        router_->Dispatch(Audited(Method::kPost, {{"key", "m"}, {"other_tenant", true}}));
    EXPECT_EQ(other.status, 500);
    EXPECT_EQ(Count("m"), 0);
}

}  // namespace
}  // namespace omc::http
