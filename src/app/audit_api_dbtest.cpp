// The audit log through the assembled App, on SQLite and PostgreSQL: every successful mutating
// request leaves exactly one record in its own transaction, failures leave none, and
// GET /api/v1/audit filters, pages, keeps tenants apart and needs audit.read.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "app/app.hpp"
#include "platform/audit/audit.hpp"
#include "platform/events/outbox.hpp"
#include "platform/http/json_body.hpp"
#include "testing/fake_clock.hpp"
#include "testing/test_database.hpp"

namespace omc::app {
namespace {

using nlohmann::json;

constexpr db::Query kCountAudit{"test.count_audit",
                                "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $1"};
constexpr db::Query kCountEvents{"test.audit_count_events",
                                 "SELECT COUNT(*) FROM outbox_events WHERE tenant_id = $1"};

class AuditApiTest : public ::testing::Test {
  protected:
    void SetUp() override {
        database_ = testing::OpenFreshDatabase();
        config_.rate_limits["default"] = {0, 0};
        auto app = App::Create(config_, {.start_background = false}, database_.get(), &clock_);
        ASSERT_TRUE(app.ok()) << app.error().message() << " " << app.error().detail();
        app_ = std::move(app).value();
        ids_ = std::make_unique<RandomIdGenerator>(clock_);
        tenant_a_ = TenantId{ids_->NewV7()};
        tenant_b_ = TenantId{ids_->NewV7()};
        AddThingRoute();
    }

    // A test-only POST with a real effect (an outbox event) that describes it for the audit log:
    // {"thing": id, "note": text}; the note "reject" is refused (422).
    void AddThingRoute() {
        IdGenerator* ids = ids_.get();
        app_->router().Add(
            {.method = http::Method::kPost,
             .pattern = "/api/v1/test/things",
             .name = "test.things",
             .rate = http::RateClass::kWrite,
             .idempotent = true,
             .permission = std::string(http::kSelfPermission),
             .handler = [ids](http::RequestContext& ctx) -> Result<http::Reply> {
                 OMC_ASSIGN_OR_RETURN(auto body, http::JsonBody::Parse(ctx.request().body));
                 std::string thing = body.RequiredString("thing", 64);
                 std::string note = body.RequiredString("note", 100);
                 std::optional<std::string> action = body.OptionalString("action", 64);
                 body.RejectUnknown({"thing", "note", "action"});
                 OMC_TRY(body.Finish());
                 if (note == "reject") {
                     return Error(ErrorCode::kUnprocessable, "notes may not say reject");
                 }
                 OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
                 OMC_TRY(events::AppendEvent(*tx, ctx.tenant(), *ids, ctx.clock(),
                                             {"test.noted", "thing", thing, json{{"note", note}}}));
                 ctx.audit().entity_type = "thing";
                 ctx.audit().entity_id = thing;
                 ctx.audit().summary = {{"note", note}};
                 if (action) ctx.audit().action = *action;
                 return http::Reply{.status = 201, .data = json{{"thing", thing}}};
             }});
    }

    std::string Token(const TenantId& tenant, const std::string& subject = "user-1",
                      const std::string& role = "CompanyAdmin") {
        auth::TokenClaims claims;
        claims.subject = subject;
        claims.tenant_id = tenant.ToString();
        claims.role = role;
        return *app_->tokens().Sign(claims);
    }

    http::Response Call(http::Method method, const std::string& path, const std::string& token,
                        const std::string& body = "", const std::string& request_id = "") {
        http::Request request;
        request.method = method;
        const auto q = path.find('?');
        request.path = path.substr(0, q);
        if (q != std::string::npos) request.query = path.substr(q + 1);
        request.body = body;
        request.headers.emplace_back("Authorization", "Bearer " + token);
        if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
        if (!request_id.empty()) request.headers.emplace_back("X-Request-Id", request_id);
        request.client_address = "127.0.0.1";
        return app_->router().Dispatch(request);
    }

    http::Response PostThing(const TenantId& tenant, const std::string& thing,
                             const std::string& note, const std::string& subject = "user-1",
                             const std::string& action = "") {
        json body = {{"thing", thing}, {"note", note}};
        if (!action.empty()) body["action"] = action;
        return Call(http::Method::kPost, "/api/v1/test/things", Token(tenant, subject),
                    body.dump());
    }

    http::Response ListAudit(const TenantId& tenant, const std::string& query = "",
                             const std::string& role = "Auditor") {
        return Call(http::Method::kGet, "/api/v1/audit" + (query.empty() ? "" : "?" + query),
                    Token(tenant, "auditor-1", role));
    }

    // The records on one successful page, and its next cursor.
    json Records(const http::Response& response, json* next_cursor = nullptr) {
        EXPECT_EQ(response.status, 200) << response.body;
        const json body = json::parse(response.body);
        if (next_cursor != nullptr)
            *next_cursor = body.at("metadata").at("pagination").at("next_cursor");
        return body.at("data");
    }

    std::vector<int64_t> Seqs(const http::Response& response, json* next_cursor = nullptr) {
        std::vector<int64_t> out;
        for (const json& r : Records(response, next_cursor)) out.push_back(r.at("seq"));
        return out;
    }

    int64_t Count(const db::Query& query, const TenantId& tenant) {
        auto rows = db::InTransaction(*database_, {.system = true}, [&](db::Transaction& tx) {
            return tx.Query(query, {tenant});
        });
        EXPECT_TRUE(rows.ok());
        return rows.ok() ? (*rows)[0].Int(0) : -1;
    }

    void ExpectBadField(const http::Response& response, const std::string& field) {
        EXPECT_EQ(response.status, 400) << response.body;
        const json body = json::parse(response.body);
        ASSERT_EQ(body.at("error").at("details").size(), 1u) << response.body;
        EXPECT_EQ(body.at("error").at("details").at(0).at("field"), field) << response.body;
    }

    testing::FakeClock clock_;
    config::Config config_;
    std::unique_ptr<testing::TestDatabase> database_;
    std::unique_ptr<App> app_;
    std::unique_ptr<RandomIdGenerator> ids_;
    TenantId tenant_a_;
    TenantId tenant_b_;
};

using V = std::vector<int64_t>;

TEST_F(AuditApiTest, AMutatingRequestLeavesExactlyOneRecord) {
    http::Response created = Call(http::Method::kPost, "/api/v1/test/things", Token(tenant_a_),
                                  json{{"thing", "t-1"}, {"note", "hello"}}.dump(), "req-abc");
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(Count(kCountAudit, tenant_a_), 1);
    EXPECT_EQ(Count(kCountEvents, tenant_a_), 1);

    const json records = Records(ListAudit(tenant_a_));
    ASSERT_EQ(records.size(), 1u);
    const json& r = records[0];
    EXPECT_EQ(r.at("seq"), 1);
    EXPECT_EQ(r.at("tenant_id"), tenant_a_.ToString());
    EXPECT_EQ(r.at("at"), "2023-11-14T22:13:20.000Z");
    EXPECT_EQ(r.at("at_us"), testing::FakeClock::kDefaultStartUs);
    EXPECT_EQ(r.at("actor_type"), "user");
    EXPECT_EQ(r.at("actor_id"), "user-1");
    EXPECT_EQ(r.at("role"), "CompanyAdmin");
    EXPECT_EQ(r.at("action"), "test.things");
    EXPECT_EQ(r.at("entity_type"), "thing");
    EXPECT_EQ(r.at("entity_id"), "t-1");
    EXPECT_EQ(r.at("summary"), (json{{"note", "hello"}}));
    EXPECT_EQ(r.at("request_id"), "req-abc");
    EXPECT_EQ(r.at("client_address"), "127.0.0.1");
    EXPECT_EQ(r.at("prev_hash"), std::string(audit::kGenesisHash));
    EXPECT_EQ(r.at("hash").get<std::string>().size(), 64u);
    EXPECT_EQ(Uuid::Parse(r.at("id").get<std::string>())->version(), 7);

    // Reading the log is not itself recorded, and the chain verifies.
    EXPECT_EQ(Count(kCountAudit, tenant_a_), 1);
    auto check = audit::VerifyAuditChain(*database_, tenant_a_);
    ASSERT_TRUE(check.ok());
    EXPECT_TRUE(check->ok);
    EXPECT_EQ(check->records_checked, 1);
}

TEST_F(AuditApiTest, AFailedRequestLeavesNoRecord) {
    EXPECT_EQ(PostThing(tenant_a_, "t-1", "reject").status, 422);
    http::Response bad = Call(http::Method::kPost, "/api/v1/test/things", Token(tenant_a_),
                              json{{"thing", "t-1"}}.dump());
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(Call(http::Method::kPost, "/api/v1/test/things", "forged", "{}").status, 401);
    EXPECT_EQ(Count(kCountAudit, tenant_a_), 0);
    EXPECT_EQ(Count(kCountEvents, tenant_a_), 0);
    EXPECT_TRUE(Records(ListAudit(tenant_a_)).empty());
}

TEST_F(AuditApiTest, AnIdempotentReplayWritesNoNewRecord) {
    const std::string body = json{{"thing", "t-1"}, {"note", "once"}}.dump();
    http::Request request;
    request.method = http::Method::kPost;
    request.path = "/api/v1/test/things";
    request.body = body;
    request.headers = {{"Authorization", "Bearer " + Token(tenant_a_)},
                       {"Content-Type", "application/json"},
                       {"Idempotency-Key", "key-1"}};
    ASSERT_EQ(app_->router().Dispatch(request).status, 201);
    ASSERT_EQ(app_->router().Dispatch(request).status, 201);
    EXPECT_EQ(Count(kCountAudit, tenant_a_), 1);
}

TEST_F(AuditApiTest, FiltersNarrowTheList) {
    // seq 1..5 of tenant A, one second apart.
    ASSERT_EQ(PostThing(tenant_a_, "t-1", "a", "alice").status, 201);
    clock_.AdvanceUs(1'000'000);
    ASSERT_EQ(PostThing(tenant_a_, "t-2", "b", "bob").status, 201);
    clock_.AdvanceUs(1'000'000);
    ASSERT_EQ(PostThing(tenant_a_, "t-1", "c", "alice", "things.rename").status, 201);
    clock_.AdvanceUs(1'000'000);
    ASSERT_EQ(PostThing(tenant_a_, "t-3", "d", "bob").status, 201);
    clock_.AdvanceUs(1'000'000);
    ASSERT_EQ(PostThing(tenant_a_, "t-1", "e", "carol").status, 201);

    EXPECT_EQ(Seqs(ListAudit(tenant_a_)), (V{5, 4, 3, 2, 1}));
    EXPECT_EQ(Seqs(ListAudit(tenant_a_, "user=alice")), (V{3, 1}));
    EXPECT_EQ(Seqs(ListAudit(tenant_a_, "entity_type=thing&entity_id=t-1")), (V{5, 3, 1}));
    EXPECT_EQ(Seqs(ListAudit(tenant_a_, "entity_id=t-2")), (V{2}));
    EXPECT_EQ(Seqs(ListAudit(tenant_a_, "action=things.rename")), (V{3}));
    EXPECT_EQ(Seqs(ListAudit(tenant_a_, "action=test.things&user=bob")), (V{4, 2}));
    // from <= at < to: 22:13:21 and 22:13:22 are seq 2 and 3.
    EXPECT_EQ(Seqs(ListAudit(tenant_a_, "from=2023-11-14T22:13:21Z&to=2023-11-14T22:13:23Z")),
              (V{3, 2}));
    // An offset, URL-encoded or with its '+' decoded to a space.
    EXPECT_EQ(Seqs(ListAudit(tenant_a_, "from=2023-11-14T23:13:23%2B01:00")), (V{5, 4}));
    EXPECT_EQ(Seqs(ListAudit(tenant_a_, "from=2023-11-14T23:13:23+01:00")), (V{5, 4}));
    EXPECT_EQ(Seqs(ListAudit(tenant_a_, "to=2023-11-14T22:13:20.000001Z")), (V{1}));
    EXPECT_TRUE(Seqs(ListAudit(tenant_a_, "user=nobody")).empty());

    ExpectBadField(ListAudit(tenant_a_, "from=yesterday"), "from");
    ExpectBadField(ListAudit(tenant_a_, "to=2023-11-14"), "to");
    ExpectBadField(ListAudit(tenant_a_, "to=2023-02-30T00:00:00Z"), "to");
    ExpectBadField(ListAudit(tenant_a_, "user="), "user");
    ExpectBadField(ListAudit(tenant_a_, "action=" + std::string(129, 'a')), "action");
    for (const char* cursor : {"x", "0", "-1", "1.5", "99999999999999999999"}) {
        ExpectBadField(ListAudit(tenant_a_, std::string("cursor=") + cursor), "cursor");
    }
    ExpectBadField(ListAudit(tenant_a_, "limit=0"), "limit");
}

TEST_F(AuditApiTest, PagesFollowTheCursor) {
    for (int i = 1; i <= 5; ++i) {
        ASSERT_EQ(PostThing(tenant_a_, "t-" + std::to_string(i), "n").status, 201);
    }
    json next;
    EXPECT_EQ(Seqs(ListAudit(tenant_a_, "limit=2"), &next), (V{5, 4}));
    ASSERT_EQ(next, "4");
    EXPECT_EQ(Seqs(ListAudit(tenant_a_, "limit=2&cursor=4"), &next), (V{3, 2}));
    ASSERT_EQ(next, "2");
    EXPECT_EQ(Seqs(ListAudit(tenant_a_, "limit=2&cursor=2"), &next), (V{1}));
    EXPECT_TRUE(next.is_null());
    // An exactly full last page says so: no empty page after it.
    EXPECT_EQ(Seqs(ListAudit(tenant_a_, "limit=5"), &next), (V{5, 4, 3, 2, 1}));
    EXPECT_TRUE(next.is_null());
    // Filters hold across pages.
    ASSERT_EQ(PostThing(tenant_a_, "t-1", "again").status, 201);
    EXPECT_EQ(Seqs(ListAudit(tenant_a_, "entity_id=t-1&limit=1"), &next), (V{6}));
    EXPECT_EQ(Seqs(ListAudit(tenant_a_, "entity_id=t-1&limit=1&cursor=" + next.get<std::string>()),
                   &next),
              (V{1}));
    EXPECT_TRUE(next.is_null());
}

TEST_F(AuditApiTest, EachTenantSeesOnlyItsOwnRecords) {
    for (int i = 1; i <= 3; ++i)
        ASSERT_EQ(PostThing(tenant_a_, "a-" + std::to_string(i), "n").status, 201);
    ASSERT_EQ(PostThing(tenant_b_, "b-1", "n").status, 201);

    const json b = Records(ListAudit(tenant_b_));
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(b[0].at("tenant_id"), tenant_b_.ToString());
    EXPECT_EQ(b[0].at("entity_id"), "b-1");
    EXPECT_EQ(b[0].at("seq"), 1);  // B's own chain
    // Asking for A's entities, actors or positions finds nothing of A's.
    EXPECT_TRUE(Records(ListAudit(tenant_b_, "entity_id=a-1")).empty());
    EXPECT_EQ(Seqs(ListAudit(tenant_b_, "user=user-1&entity_type=thing&cursor=4")), (V{1}));
    for (const json& r : Records(ListAudit(tenant_b_, "cursor=4&limit=500"))) {
        EXPECT_EQ(r.at("tenant_id"), tenant_b_.ToString());
    }
    EXPECT_EQ(Records(ListAudit(tenant_a_)).size(), 3u);
    for (const TenantId& t : {tenant_a_, tenant_b_}) {
        auto check = audit::VerifyAuditChain(*database_, t);
        ASSERT_TRUE(check.ok());
        EXPECT_TRUE(check->ok);
    }
}

TEST_F(AuditApiTest, ReadingTheLogNeedsAuditRead) {
    ASSERT_EQ(PostThing(tenant_a_, "t-1", "n").status, 201);
    http::Response operator_read = ListAudit(tenant_a_, "", "Operator");
    EXPECT_EQ(operator_read.status, 403) << operator_read.body;
    EXPECT_EQ(json::parse(operator_read.body).at("error").at("code"), "permission_denied");
    EXPECT_EQ(ListAudit(tenant_a_, "", "CompanyAdmin").status, 200);
    EXPECT_EQ(ListAudit(tenant_a_, "", "Auditor").status, 200);
    EXPECT_EQ(Call(http::Method::kGet, "/api/v1/audit", "not-a-token").status, 401);
}

}  // namespace
}  // namespace omc::app
