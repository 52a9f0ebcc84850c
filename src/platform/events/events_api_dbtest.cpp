// GET /api/v1/events through Router::Dispatch, on SQLite and PostgreSQL (OMC_TEST_ENGINE): each
// token sees only its tenant's events, pages follow the cursor, and bad input names its field.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "platform/events/events_routes.hpp"
#include "platform/events/outbox.hpp"
#include "platform/events/relay.hpp"
#include "platform/http/router.hpp"
#include "testing/fake_clock.hpp"
#include "testing/fake_ids.hpp"
#include "testing/test_database.hpp"
#include "testing/unsequenced_event.hpp"

namespace omc::events {
namespace {

using nlohmann::json;

const TenantId kTenantA = *TenantId::Parse("0190a4c2-aaaa-7000-8000-00000000000a");
const TenantId kTenantB = *TenantId::Parse("0190a4c2-bbbb-7000-8000-00000000000b");

// "Bearer tenant-a" and "Bearer tenant-b" are users of tenants A and B; anything else is invalid.
class FakeAuthenticator final : public http::Authenticator {
  public:
    Result<std::optional<http::Principal>> Authenticate(const http::Request& request) override {
        auto header = request.Header("Authorization");
        if (!header) return std::optional<http::Principal>();
        if (*header == "Bearer tenant-a") {
            return std::optional(http::Principal{kTenantA, "user-a", "Auditor"});
        }
        if (*header == "Bearer tenant-b") {
            return std::optional(http::Principal{kTenantB, "user-b", "Auditor"});
        }
        return Error(ErrorCode::kUnauthenticated, "invalid token");
    }
};

// Only the events permission exists here; the real matrix lives in the identity module.
class EventsOnlyAuthorizer final : public http::Authorizer {
  public:
    bool Allows(const http::Principal&, std::string_view permission) const override {
        return permission == "events.read";
    }
};

class EventsApiTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_NE(tdb_, nullptr);
        router_ = std::make_unique<http::Router>(http::RouterDeps{.database = tdb_.get(),
                                                                  .clock = &clock_,
                                                                  .ids = &ids_,
                                                                  .authenticator = &auth_,
                                                                  .authorizer = &authorizer_});
        RegisterEventRoutes(*router_);
        // A's events get cursors 1, 2, 3 and 6; B's 4 and 5.
        for (int i = 0; i < 3; ++i) a_ids_.push_back(Append(kTenantA, i));
        for (int i = 0; i < 2; ++i) b_ids_.push_back(Append(kTenantB, i));
        a_ids_.push_back(Append(kTenantA, 3));
        Relay relay(*tdb_, clock_, RelayOptions{});
        auto step = relay.RunOnce();
        ASSERT_TRUE(step.ok());
        ASSERT_EQ(step->sequenced, 6);
    }

    std::string Append(const TenantId& tenant, int n) {
        db::TxOptions options;
        options.tenant = tenant;
        auto id = db::InTransaction(*tdb_, options, [&](db::Transaction& tx) {
            return testing::AppendUnsequencedEvent(
                tx, tenant, ids_, clock_,
                NewEvent{"wetstock.dip_recorded", "tank", "tank-" + std::to_string(n),
                         json{{"n", n}}});
        });
        EXPECT_TRUE(id.ok());
        return id.ok() ? id->ToString() : std::string();
    }

    http::Response Get(const std::string& token, const std::string& query) {
        http::Request request;
        request.method = http::Method::kGet;
        request.path = "/api/v1/events";
        request.query = query;
        request.client_address = "10.0.0.1";
        if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
        return router_->Dispatch(request);
    }

    // The ids on one page, after checking it is a successful paginated answer.
    std::vector<std::string> IdsOf(const http::Response& response, json* next_cursor = nullptr) {
        EXPECT_EQ(response.status, 200) << response.body;
        const json body = json::parse(response.body);
        std::vector<std::string> ids;
        for (const json& event : body.at("data")) ids.push_back(event.at("id"));
        if (next_cursor != nullptr)
            *next_cursor = body.at("metadata").at("pagination").at("next_cursor");
        return ids;
    }

    void ExpectBadField(const http::Response& response, const std::string& field) {
        EXPECT_EQ(response.status, 400) << response.body;
        const json body = json::parse(response.body);
        EXPECT_EQ(body.at("success"), false);
        ASSERT_EQ(body.at("error").at("details").size(), 1u) << response.body;
        EXPECT_EQ(body.at("error").at("details").at(0).at("field"), field) << response.body;
    }

    std::unique_ptr<testing::TestDatabase> tdb_ = testing::OpenFreshDatabase();
    testing::FakeClock clock_;
    testing::FakeIds ids_{clock_};
    FakeAuthenticator auth_;
    EventsOnlyAuthorizer authorizer_;
    std::unique_ptr<http::Router> router_;
    std::vector<std::string> a_ids_;
    std::vector<std::string> b_ids_;
};

TEST_F(EventsApiTest, EachTenantSeesOnlyItsOwnEventsInCursorOrder) {
    const http::Response a = Get("tenant-a", "");
    const json body = json::parse(a.body);
    ASSERT_EQ(body.at("data").size(), 4u) << a.body;
    const json& first = body.at("data").at(0);
    EXPECT_EQ(first.at("id"), a_ids_[0]);
    EXPECT_EQ(first.at("tenant_id"), kTenantA.ToString());
    EXPECT_EQ(first.at("type"), "wetstock.dip_recorded");
    EXPECT_EQ(first.at("aggregate_type"), "tank");
    EXPECT_EQ(first.at("aggregate_id"), "tank-0");
    EXPECT_EQ(first.at("cursor"), 1);
    EXPECT_EQ(first.at("created_at"), "2023-11-14T22:13:20.000Z");
    EXPECT_EQ(first.at("payload"), (json{{"n", 0}}));
    std::vector<int64_t> cursors;
    for (const json& e : body.at("data")) cursors.push_back(e.at("cursor"));
    EXPECT_EQ(cursors, (std::vector<int64_t>{1, 2, 3, 6}));
    EXPECT_TRUE(body.at("metadata").at("pagination").at("next_cursor").is_null());

    const std::vector<std::string> b = IdsOf(Get("tenant-b", ""));
    EXPECT_EQ(b, b_ids_);
    const std::set<std::string> a_set(a_ids_.begin(), a_ids_.end());
    for (const std::string& id : b) EXPECT_FALSE(a_set.count(id)) << id;
    // B asking past A's cursors still gets nothing of A's.
    for (const std::string& id : IdsOf(Get("tenant-b", "after=0&limit=500"))) {
        EXPECT_FALSE(a_set.count(id)) << id;
    }
}

TEST_F(EventsApiTest, PagesFollowTheCursor) {
    json next;
    EXPECT_EQ(IdsOf(Get("tenant-a", "limit=2"), &next),
              (std::vector<std::string>{a_ids_[0], a_ids_[1]}));
    ASSERT_EQ(next, "2");
    json last;
    const std::vector<std::string> rest = IdsOf(Get("tenant-a", "limit=2&after=2"), &last);
    ASSERT_EQ(rest.size(), 2u);
    EXPECT_EQ(rest[0], a_ids_[2]);
    EXPECT_EQ(last, "6");  // a full page: more may follow
    EXPECT_TRUE(IdsOf(Get("tenant-a", "limit=2&after=6"), &last).empty());
    EXPECT_TRUE(last.is_null());
    // The API's generic `cursor` parameter works too; `after` wins when both are given.
    EXPECT_EQ(IdsOf(Get("tenant-a", "cursor=2&limit=1")), (std::vector<std::string>{a_ids_[2]}));
    EXPECT_EQ(IdsOf(Get("tenant-a", "cursor=0&after=2&limit=1")),
              (std::vector<std::string>{a_ids_[2]}));
}

TEST_F(EventsApiTest, BadInputIs400NamingTheField) {
    for (const char* after : {"-1", "abc", "1.5", "", "%2B1", "9223372036854775808", "1e3"}) {
        ExpectBadField(Get("tenant-a", std::string("after=") + after), "after");
    }
    ExpectBadField(Get("tenant-a", "cursor=x"), "cursor");
    for (const char* limit : {"0", "501", "-1", "x", "2.5"}) {
        ExpectBadField(Get("tenant-a", std::string("limit=") + limit), "limit");
    }
}

TEST_F(EventsApiTest, RequiresAuthentication) {
    EXPECT_EQ(Get("", "").status, 401);
    EXPECT_EQ(Get("someone-else", "").status, 401);
}

}  // namespace
}  // namespace omc::events
