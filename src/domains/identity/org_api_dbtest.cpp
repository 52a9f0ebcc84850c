// The organisation API (regions, dealers, stations) through the assembled App and
// Router::Dispatch, with real signed tokens, on SQLite and PostgreSQL (OMC_TEST_ENGINE):
// create/read/update/list, field-level validation, references and duplicates, the permission
// matrix, each scoped role's view, tenant isolation on every route, and the outbox events.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/app.hpp"
#include "domains/identity/org_store.hpp"
#include "domains/identity/scope.hpp"
#include "testing/fake_clock.hpp"
#include "testing/test_database.hpp"

namespace omc::identity {
namespace {

using http::Method;
using nlohmann::json;

constexpr db::Query kInsertTenant{"test.insert_tenant", R"sql(
    INSERT INTO tenants (id, code, name, kind, active, created_at_us)
    VALUES ($1, $2, $3, 'omc', $4, 0))sql"};
constexpr db::Query kOrgEvents{"test.org_events", R"sql(
    SELECT type, aggregate_type, aggregate_id, payload FROM outbox_events
    WHERE tenant_id = $1 ORDER BY id)sql"};
constexpr db::Query kCountStations{"test.count_stations",
                                   "SELECT COUNT(*) FROM stations WHERE tenant_id = $1"};

struct Event {
    std::string type;
    std::string aggregate_type;
    std::string aggregate_id;
    json payload;
};

class OrgApiTest : public ::testing::Test {
  protected:
    void SetUp() override {
        database_ = testing::OpenFreshDatabase();
        for (const char* rate_class : {"default", "read", "write"}) {
            config_.rate_limits[rate_class] = {0, 0};  // these tests are not about limits
        }
        auto app = app::App::Create(config_, {.start_background = false}, database_.get(), &clock_);
        ASSERT_TRUE(app.ok()) << app.error().message() << " " << app.error().detail();
        app_ = std::move(app).value();
        ids_ = std::make_unique<RandomIdGenerator>(clock_);
        tenant_a_ = TenantId{ids_->NewV7()};
        tenant_b_ = TenantId{ids_->NewV7()};
        auto inserted = db::InTransaction(*database_, {.system = true}, [&](db::Transaction& tx) {
            return tx.ExecuteBatch({{kInsertTenant, {tenant_a_, "omc-a", "OMC A", true}},
                                    {kInsertTenant, {tenant_b_, "omc-b", "OMC B", true}}});
        });
        ASSERT_TRUE(inserted.ok()) << inserted.error().detail();
        admin_a_ = Token(tenant_a_, "CompanyAdmin");
        admin_b_ = Token(tenant_b_, "CompanyAdmin");
    }

    std::string Token(const TenantId& tenant, const std::string& role,
                      std::vector<std::string> scopes = {}) {
        auth::TokenClaims claims;
        claims.subject = "user-" + role;
        claims.tenant_id = tenant.ToString();
        claims.role = role;
        claims.scopes = std::move(scopes);
        return *app_->tokens().Sign(claims);
    }

    http::Response Call(Method method, const std::string& path, const std::string& token,
                        const std::string& body = "",
                        std::vector<std::pair<std::string, std::string>> headers = {}) {
        http::Request request;
        request.method = method;
        const auto q = path.find('?');
        request.path = path.substr(0, q);
        if (q != std::string::npos) request.query = path.substr(q + 1);
        request.body = body;
        request.headers = std::move(headers);
        request.headers.emplace_back("Authorization", "Bearer " + token);
        if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
        request.client_address = "127.0.0.1";
        return app_->router().Dispatch(request);
    }

    http::Response Post(const std::string& path, const std::string& token, const json& body) {
        return Call(Method::kPost, path, token, body.dump());
    }
    http::Response Patch(const std::string& path, const std::string& token, const json& body) {
        return Call(Method::kPatch, path, token, body.dump());
    }
    http::Response Get(const std::string& path, const std::string& token) {
        return Call(Method::kGet, path, token);
    }

    // Creates a row as the tenant's CompanyAdmin and returns its id.
    std::string Create(const TenantId& tenant, const std::string& collection, const json& body) {
        auto r = Post("/api/v1/" + collection, tenant == tenant_a_ ? admin_a_ : admin_b_, body);
        EXPECT_EQ(r.status, 201) << collection << " " << body.dump() << " -> " << r.body;
        if (r.status != 201) return "";
        return json::parse(r.body)["data"]["id"].get<std::string>();
    }
    std::string CreateRegion(const TenantId& tenant, const std::string& code) {
        return Create(tenant, "regions", {{"code", code}, {"name", "Region " + code}});
    }
    std::string CreateDealer(const TenantId& tenant, const std::string& code) {
        return Create(tenant, "dealers", {{"code", code}, {"name", "Dealer " + code}});
    }
    std::string CreateStation(const TenantId& tenant, const std::string& code,
                              const std::string& region, const std::string& model,
                              const std::string& dealer = "") {
        json body = {{"code", code},
                     {"name", "Station " + code},
                     {"region_id", region},
                     {"operating_model", model}};
        if (!dealer.empty()) body["dealer_id"] = dealer;
        return Create(tenant, "stations", body);
    }

    static json Data(const http::Response& r) { return json::parse(r.body)["data"]; }

    // The ids in a list answer, in order.
    static std::vector<std::string> Ids(const http::Response& r) {
        EXPECT_EQ(r.status, 200) << r.body;
        std::vector<std::string> ids;
        if (r.status != 200) return ids;
        for (const json& item : Data(r)) ids.push_back(item["id"].get<std::string>());
        return ids;
    }

    // The fields an error answer names.
    static std::set<std::string> Fields(const http::Response& r) {
        std::set<std::string> fields;
        const json parsed = json::parse(r.body);
        if (!parsed.contains("error")) return fields;
        for (const json& d : parsed["error"]["details"]) fields.insert(d["field"]);
        return fields;
    }

    // An error answer without its metadata (request id and time differ per request).
    static json ErrorOf(const http::Response& r) { return json::parse(r.body)["error"]; }

    static std::string Header(const http::Response& r, const std::string& name) {
        for (const auto& [k, v] : r.headers) {
            if (strcasecmp(k.c_str(), name.c_str()) == 0) return v;
        }
        return "";
    }

    std::vector<Event> Events(const TenantId& tenant) {
        auto rows = db::InTransaction(*database_, {.system = true}, [&](db::Transaction& tx) {
            return tx.Query(kOrgEvents, {tenant});
        });
        EXPECT_TRUE(rows.ok());
        std::vector<Event> events;
        if (!rows.ok()) return events;
        for (const db::Row& row : *rows) {
            events.push_back({row.Text(0), row.Text(1), row.Text(2), json::parse(row.Text(3))});
        }
        return events;
    }

    int64_t CountStations(const TenantId& tenant) {
        auto rows = db::InTransaction(*database_, {.system = true}, [&](db::Transaction& tx) {
            return tx.Query(kCountStations, {tenant});
        });
        EXPECT_TRUE(rows.ok());
        return rows.ok() ? (*rows)[0].Int(0) : -1;
    }

    std::string Now() const { return FormatTimestamp(clock_.NowUs()); }

    testing::FakeClock clock_;
    config::Config config_;
    std::unique_ptr<testing::TestDatabase> database_;
    std::unique_ptr<app::App> app_;
    std::unique_ptr<RandomIdGenerator> ids_;
    TenantId tenant_a_;
    TenantId tenant_b_;
    std::string admin_a_;
    std::string admin_b_;
};

// ---- create, read, update, list ----

TEST_F(OrgApiTest, RegionsAreCreatedReadUpdatedAndListed) {
    const std::string created_at = Now();
    auto created = Post("/api/v1/regions", admin_a_, {{"code", "gt-north"}, {"name", " Accra "}});
    ASSERT_EQ(created.status, 201) << created.body;
    const json region = Data(created);
    const std::string id = region["id"];
    EXPECT_EQ(Uuid::Parse(id)->version(), 7);
    EXPECT_EQ(region["code"], "GT-NORTH");  // stored upper-case
    EXPECT_EQ(region["name"], "Accra");     // surrounding space dropped
    EXPECT_EQ(region["created_at"], created_at);
    EXPECT_EQ(region["updated_at"], created_at);
    EXPECT_EQ(Header(created, "Location"), "/api/v1/regions/" + id);

    auto read = Get("/api/v1/regions/" + id, admin_a_);
    ASSERT_EQ(read.status, 200) << read.body;
    EXPECT_EQ(Data(read), region);

    clock_.AdvanceUs(5'000'000);
    auto updated = Patch("/api/v1/regions/" + id, admin_a_, {{"name", "Greater Accra"}});
    ASSERT_EQ(updated.status, 200) << updated.body;
    EXPECT_EQ(Data(updated)["name"], "Greater Accra");
    EXPECT_EQ(Data(updated)["code"], "GT-NORTH");
    EXPECT_EQ(Data(updated)["created_at"], created_at);
    EXPECT_EQ(Data(updated)["updated_at"], Now());
    EXPECT_EQ(Data(Get("/api/v1/regions/" + id, admin_a_)), Data(updated));

    const std::string second = CreateRegion(tenant_a_, "ASHANTI");
    auto list = Get("/api/v1/regions", admin_a_);
    EXPECT_EQ(Ids(list), (std::vector<std::string>{id, second}));
    EXPECT_EQ(Data(list)[0], Data(updated));
    EXPECT_TRUE(json::parse(list.body)["metadata"]["pagination"]["next_cursor"].is_null());
}

TEST_F(OrgApiTest, DealersAreCreatedReadUpdatedAndListed) {
    auto created = Post("/api/v1/dealers", admin_a_,
                        {{"code", "d_001"},
                         {"name", "Kofi Mensah Ventures"},
                         {"phone", "+233 24 123-4567"},
                         {"email", "Kofi@Example.COM"}});
    ASSERT_EQ(created.status, 201) << created.body;
    const json dealer = Data(created);
    const std::string id = dealer["id"];
    EXPECT_EQ(dealer["code"], "D_001");
    EXPECT_EQ(dealer["phone"], "+233241234567");
    EXPECT_EQ(dealer["email"], "kofi@example.com");
    EXPECT_EQ(dealer["active"], true);
    EXPECT_EQ(Data(Get("/api/v1/dealers/" + id, admin_a_)), dealer);

    auto updated = Patch("/api/v1/dealers/" + id, admin_a_,
                         {{"phone", nullptr}, {"active", false}, {"name", "KMV Ltd"}});
    ASSERT_EQ(updated.status, 200) << updated.body;
    EXPECT_TRUE(Data(updated)["phone"].is_null());          // null clears
    EXPECT_EQ(Data(updated)["email"], "kofi@example.com");  // absent keeps
    EXPECT_EQ(Data(updated)["active"], false);
    EXPECT_EQ(Data(updated)["name"], "KMV Ltd");
    EXPECT_EQ(Data(Get("/api/v1/dealers/" + id, admin_a_)), Data(updated));

    auto minimal = Post("/api/v1/dealers", admin_a_, {{"code", "D2"}, {"name", "Ama"}});
    ASSERT_EQ(minimal.status, 201) << minimal.body;
    EXPECT_TRUE(Data(minimal)["phone"].is_null());
    EXPECT_TRUE(Data(minimal)["email"].is_null());
    EXPECT_EQ(Ids(Get("/api/v1/dealers", admin_a_)),
              (std::vector<std::string>{id, Data(minimal)["id"]}));
}

TEST_F(OrgApiTest, StationsAreCreatedReadUpdatedFilteredAndListed) {
    const std::string north = CreateRegion(tenant_a_, "NORTH");
    const std::string south = CreateRegion(tenant_a_, "SOUTH");
    const std::string dealer = CreateDealer(tenant_a_, "D1");
    auto coco = Post("/api/v1/stations", admin_a_,
                     {{"code", "acc-01"},
                      {"name", "Airport"},
                      {"region_id", north},
                      {"operating_model", "COCO"}});
    ASSERT_EQ(coco.status, 201) << coco.body;
    const json station = Data(coco);
    const std::string s1 = station["id"];
    EXPECT_EQ(station["code"], "ACC-01");
    EXPECT_EQ(station["region_id"], north);
    EXPECT_EQ(station["operating_model"], "COCO");
    EXPECT_TRUE(station["dealer_id"].is_null());
    EXPECT_EQ(station["active"], true);
    EXPECT_EQ(Data(Get("/api/v1/stations/" + s1, admin_a_)), station);

    const std::string s2 = CreateStation(tenant_a_, "KSI-01", south, "DODO", dealer);
    const std::string s3 = CreateStation(tenant_a_, "KSI-02", south, "CODO", dealer);
    ASSERT_EQ(Patch("/api/v1/stations/" + s3, admin_a_, {{"active", false}}).status, 200);

    EXPECT_EQ(Ids(Get("/api/v1/stations", admin_a_)), (std::vector<std::string>{s1, s2, s3}));
    EXPECT_EQ(Ids(Get("/api/v1/stations?region_id=" + south, admin_a_)),
              (std::vector<std::string>{s2, s3}));
    EXPECT_EQ(Ids(Get("/api/v1/stations?dealer_id=" + dealer, admin_a_)),
              (std::vector<std::string>{s2, s3}));
    EXPECT_EQ(Ids(Get("/api/v1/stations?active=true", admin_a_)),
              (std::vector<std::string>{s1, s2}));
    EXPECT_EQ(Ids(Get("/api/v1/stations?active=false&region_id=" + south, admin_a_)),
              (std::vector<std::string>{s3}));
    EXPECT_TRUE(Ids(Get("/api/v1/stations?active=false&region_id=" + north, admin_a_)).empty());

    // DODO -> COCO names the dealer's removal; COCO -> CODO names the dealer; regions move.
    auto to_coco = Patch("/api/v1/stations/" + s2, admin_a_,
                         {{"operating_model", "COCO"}, {"dealer_id", nullptr}, {"name", "Adum"}});
    ASSERT_EQ(to_coco.status, 200) << to_coco.body;
    EXPECT_EQ(Data(to_coco)["operating_model"], "COCO");
    EXPECT_TRUE(Data(to_coco)["dealer_id"].is_null());
    EXPECT_EQ(Data(to_coco)["name"], "Adum");
    auto to_codo =
        Patch("/api/v1/stations/" + s1, admin_a_,
              {{"operating_model", "CODO"}, {"dealer_id", dealer}, {"region_id", south}});
    ASSERT_EQ(to_codo.status, 200) << to_codo.body;
    EXPECT_EQ(Data(to_codo)["dealer_id"], dealer);
    EXPECT_EQ(Data(to_codo)["region_id"], south);
    EXPECT_EQ(Data(Get("/api/v1/stations/" + s1, admin_a_)), Data(to_codo));
    EXPECT_EQ(Ids(Get("/api/v1/stations?region_id=" + north, admin_a_)),
              std::vector<std::string>{});
}

TEST_F(OrgApiTest, StationSiteDetailsAreStoredValidatedAndTheLicenceStandingShown) {
    const std::string region = CreateRegion(tenant_a_, "NORTH");
    constexpr int64_t kDayUs = 86'400'000'000;
    const std::string in_30_days = FormatDate(clock_.NowUs() + 30 * kDayUs);
    const std::string in_200_days = FormatDate(clock_.NowUs() + 200 * kDayUs);
    const std::string yesterday = FormatDate(clock_.NowUs() - kDayUs);

    auto created = Post("/api/v1/stations", admin_a_,
                        {{"code", "TML-01"},
                         {"name", "Tamale Central"},
                         {"region_id", region},
                         {"operating_model", "COCO"},
                         {"latitude", "9.4034"},
                         {"longitude", "-0.8424"},
                         {"address", "  Bolgatanga Road, Tamale  "},
                         {"npa_licence_no", "NPA/RO/2026/0147"},
                         {"npa_licence_expires_on", in_30_days},
                         {"business_day_start", "06:00"}});
    ASSERT_EQ(created.status, 201) << created.body;
    const json station = Data(created);
    const std::string id = station["id"];
    EXPECT_EQ(station["latitude"], "9.403400");
    EXPECT_EQ(station["longitude"], "-0.842400");
    EXPECT_EQ(station["address"], "Bolgatanga Road, Tamale");
    EXPECT_EQ(station["npa_licence_no"], "NPA/RO/2026/0147");
    EXPECT_EQ(station["npa_licence_expires_on"], in_30_days);
    EXPECT_EQ(station["npa_licence_status"], (json{{"state", "expiring"}, {"days_left", 30}}));
    EXPECT_EQ(station["business_day_start"], "06:00");
    EXPECT_EQ(station["time_zone"], "Africa/Accra");
    EXPECT_EQ(Data(Get("/api/v1/stations/" + id, admin_a_)), station);
    // The business-day start is what the forecourt uses for daily figures.
    EXPECT_EQ(Events(tenant_a_).back().payload["business_day_start"], "06:00");

    // Without site details: nulls, midnight, Accra.
    const std::string bare = CreateStation(tenant_a_, "TML-02", region, "COCO");
    const json plain = Data(Get("/api/v1/stations/" + bare, admin_a_));
    EXPECT_TRUE(plain["latitude"].is_null());
    EXPECT_TRUE(plain["npa_licence_status"].is_null());
    EXPECT_EQ(plain["business_day_start"], "00:00");

    // Which licences need renewing by a date.
    EXPECT_EQ(Ids(Get("/api/v1/stations?licence_expires_by=" + in_30_days, admin_a_)),
              (std::vector<std::string>{id}));
    EXPECT_TRUE(Ids(Get("/api/v1/stations?licence_expires_by=" + yesterday, admin_a_)).empty());
    EXPECT_EQ(Get("/api/v1/stations?licence_expires_by=2026-02-30", admin_a_).status, 400);

    // Renewed: valid. A licence that ran out yesterday: expired.
    auto renewed = Patch("/api/v1/stations/" + id, admin_a_,
                         {{"npa_licence_expires_on", in_200_days}, {"address", nullptr}});
    ASSERT_EQ(renewed.status, 200) << renewed.body;
    EXPECT_EQ(Data(renewed)["npa_licence_status"]["state"], "valid");
    EXPECT_TRUE(Data(renewed)["address"].is_null());
    EXPECT_EQ(Data(renewed)["latitude"], "9.403400");  // untouched
    const std::string other = CreateStation(tenant_a_, "TML-04", region, "COCO");
    auto lapsed =
        Patch("/api/v1/stations/" + other, admin_a_, {{"npa_licence_expires_on", yesterday}});
    ASSERT_EQ(lapsed.status, 200) << lapsed.body;
    EXPECT_EQ(Data(lapsed)["npa_licence_status"], (json{{"state", "expired"}, {"days_left", -1}}));

    // Bad values name their field and change nothing.
    struct Case {
        json body;
        std::string field;
    };
    const std::vector<Case> cases = {
        {{{"latitude", "91"}, {"longitude", "0"}}, "latitude"},
        {{{"latitude", "5.6"}, {"longitude", "-180.5"}}, "longitude"},
        {{{"latitude", "5.6"}}, "longitude"},
        {{{"longitude", nullptr}}, "latitude"},
        {{{"latitude", 5.6}, {"longitude", "0.1"}}, "latitude"},
        {{{"npa_licence_expires_on", "2027-02-29"}}, "npa_licence_expires_on"},
        {{{"npa_licence_no", "   "}}, "npa_licence_no"},
        {{{"address", std::string(kAddressMaxLength + 1, 'a')}}, "address"},
        {{{"business_day_start", "24:00"}}, "business_day_start"},
        {{{"business_day_start", "6:00"}}, "business_day_start"},
        {{{"business_day_start", nullptr}}, "business_day_start"},
        {{{"time_zone", "Europe/London"}}, "time_zone"},
        {{{"time_zone", nullptr}}, "time_zone"},
    };
    const json before = Data(Get("/api/v1/stations/" + id, admin_a_));
    for (const Case& c : cases) {
        auto r = Patch("/api/v1/stations/" + id, admin_a_, c.body);
        EXPECT_EQ(r.status, 400) << c.body.dump() << " -> " << r.body;
        EXPECT_TRUE(Fields(r).contains(c.field)) << c.body.dump() << " -> " << r.body;
    }
    EXPECT_EQ(Data(Get("/api/v1/stations/" + id, admin_a_)), before);
    auto bad_create = Post("/api/v1/stations", admin_a_,
                           {{"code", "TML-03"},
                            {"name", "Tamale South"},
                            {"region_id", region},
                            {"operating_model", "COCO"},
                            {"business_day_start", "25:61"}});
    EXPECT_EQ(bad_create.status, 400);
    EXPECT_EQ(Fields(bad_create), (std::set<std::string>{"business_day_start"}));
}

TEST_F(OrgApiTest, ListsArePagedByIdWithANextCursor) {
    std::vector<std::string> all;
    all.reserve(5);
    for (int i = 0; i < 5; ++i) all.push_back(CreateRegion(tenant_a_, "R" + std::to_string(i)));
    std::vector<std::string> seen;
    std::string cursor;
    int pages = 0;
    do {
        auto page =
            Get("/api/v1/regions?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor), admin_a_);
        ASSERT_EQ(page.status, 200) << page.body;
        for (const std::string& id : Ids(page)) seen.push_back(id);
        const json next = json::parse(page.body)["metadata"]["pagination"]["next_cursor"];
        cursor = next.is_null() ? "" : next.get<std::string>();
        ++pages;
    } while (!cursor.empty() && pages < 10);
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(seen, all);

    // A page that is exactly full has no next page.
    auto exact = Get("/api/v1/regions?limit=5", admin_a_);
    EXPECT_EQ(Ids(exact), all);
    EXPECT_TRUE(json::parse(exact.body)["metadata"]["pagination"]["next_cursor"].is_null());

    for (const char* bad : {"cursor=abc", "limit=0", "limit=501", "limit=x"}) {
        auto r = Get(std::string("/api/v1/regions?") + bad, admin_a_);
        EXPECT_EQ(r.status, 400) << bad;
        EXPECT_EQ(Fields(r).size(), 1u) << bad << " " << r.body;
    }
    for (const char* bad : {"region_id=nope", "dealer_id=1", "active=yes", "active="}) {
        auto r = Get(std::string("/api/v1/stations?") + bad, admin_a_);
        EXPECT_EQ(r.status, 400) << bad;
        const std::string field = std::string(bad).substr(0, std::string(bad).find('='));
        EXPECT_EQ(Fields(r), std::set<std::string>{field}) << bad << " " << r.body;
    }
}

// ---- validation ----

TEST_F(OrgApiTest, BadCreateBodiesAre400NamingTheFieldAndWriteNothing) {
    const std::string region = CreateRegion(tenant_a_, "NORTH");
    const std::string dealer = CreateDealer(tenant_a_, "D1");
    const size_t events_before = Events(tenant_a_).size();
    const json station = {
        {"code", "S1"}, {"name", "Station"}, {"region_id", region}, {"operating_model", "COCO"}};
    auto with = [](json body, const std::string& key, json value) {
        body[key] = std::move(value);
        return body;
    };
    auto without = [](json body, const std::string& key) {
        body.erase(key);
        return body;
    };
    struct Case {
        std::string collection;
        std::string body;
        std::string field;
    };
    const std::vector<Case> cases = {
        {"regions", "{not json", "body"},
        {"regions", "[]", "body"},
        {"regions", R"({"name": "x"})", "code"},
        {"regions", R"({"code": "X"})", "name"},
        {"regions", R"({"code": "X", "name": "x", "active": true})", "active"},
        {"regions", R"({"code": "", "name": "x"})", "code"},
        {"regions", R"({"code": "A B", "name": "x"})", "code"},
        {"regions", R"({"code": "Ä1", "name": "x"})", "code"},
        {"regions", R"({"code": "X'; DROP TABLE regions;--", "name": "x"})", "code"},
        {"regions", json{{"code", std::string(33, 'A')}, {"name", "x"}}.dump(), "code"},
        {"regions", R"({"code": 12, "name": "x"})", "code"},
        {"regions", R"({"code": "X", "name": "   "})", "name"},
        {"regions", json{{"code", "X"}, {"name", std::string(121, 'n')}}.dump(), "name"},
        {"dealers", R"({"code": "X", "name": "x", "phone": "12"})", "phone"},
        {"dealers", R"({"code": "X", "name": "x", "phone": "+233-24-abc"})", "phone"},
        {"dealers", R"({"code": "X", "name": "x", "phone": "0241234567+"})", "phone"},
        {"dealers", R"({"code": "X", "name": "x", "email": "no-at-sign"})", "email"},
        {"dealers", R"({"code": "X", "name": "x", "email": "a b@c.com"})", "email"},
        {"dealers", R"({"code": "X", "name": "x", "email": "a@localhost"})", "email"},
        {"dealers", R"({"code": "X", "name": "x", "active": "yes"})", "active"},
        {"stations", without(station, "region_id").dump(), "region_id"},
        {"stations", without(station, "operating_model").dump(), "operating_model"},
        {"stations", with(station, "region_id", "not-a-uuid").dump(), "region_id"},
        {"stations", with(station, "operating_model", "coco").dump(), "operating_model"},
        {"stations", with(station, "operating_model", "LEASED").dump(), "operating_model"},
        {"stations", with(station, "dealer_id", dealer).dump(), "dealer_id"},  // COCO + dealer
        {"stations", with(station, "operating_model", "DODO").dump(), "dealer_id"},
        {"stations", with(station, "operating_model", "CODO").dump(), "dealer_id"},
        {"stations", with(with(station, "operating_model", "DODO"), "dealer_id", "x").dump(),
         "dealer_id"},
        {"stations", with(station, "tenant_id", tenant_b_.ToString()).dump(), "tenant_id"},
    };
    for (const Case& c : cases) {
        auto r = Call(Method::kPost, "/api/v1/" + c.collection, admin_a_, c.body);
        EXPECT_EQ(r.status, 400) << c.collection << " " << c.body << " -> " << r.body;
        EXPECT_EQ(Fields(r).count(c.field), 1u)
            << c.collection << " " << c.body << " -> " << r.body;
    }
    // Every problem of one body is named at once.
    auto many = Post("/api/v1/stations", admin_a_, {{"code", "a b"}, {"operating_model", "DODO"}});
    EXPECT_EQ(Fields(many), (std::set<std::string>{"code", "name", "region_id", "dealer_id"}));
    EXPECT_EQ(Events(tenant_a_).size(), events_before);
    EXPECT_EQ(CountStations(tenant_a_), 0);
}

TEST_F(OrgApiTest, BadPatchBodiesAre400NamingTheField) {
    const std::string region = CreateRegion(tenant_a_, "NORTH");
    const std::string dealer = CreateDealer(tenant_a_, "D1");
    const std::string coco = CreateStation(tenant_a_, "S1", region, "COCO");
    const std::string dodo = CreateStation(tenant_a_, "S2", region, "DODO", dealer);
    const size_t events_before = Events(tenant_a_).size();
    struct Case {
        std::string path;
        std::string body;
        std::string field;
    };
    const std::vector<Case> cases = {
        {"regions/" + region, "{}", "body"},
        {"regions/" + region, R"({"code": "NEW"})", "code"},  // codes do not change
        {"regions/" + region, R"({"name": null})", "name"},
        {"regions/" + region, R"({"name": ""})", "name"},
        {"dealers/" + dealer, "{}", "body"},
        {"dealers/" + dealer, R"({"active": null})", "active"},
        {"dealers/" + dealer, R"({"email": "nope"})", "email"},
        {"dealers/" + dealer, R"({"phone": ""})", "phone"},
        {"stations/" + coco, "{}", "body"},
        {"stations/" + coco, R"({"region_id": null})", "region_id"},
        {"stations/" + coco, R"({"operating_model": null})", "operating_model"},
        {"stations/" + coco, R"({"region_id": "x"})", "region_id"},
        {"stations/" + coco, R"({"code": "S9"})", "code"},
        {"stations/" + coco, json{{"dealer_id", dealer}}.dump(), "dealer_id"},  // COCO + dealer
        {"stations/" + coco, R"({"operating_model": "DODO"})", "dealer_id"},    // no dealer
        {"stations/" + dodo, R"({"operating_model": "COCO"})", "dealer_id"},    // keeps dealer
        {"stations/" + dodo, R"({"dealer_id": null})", "dealer_id"},            // DODO, none
    };
    for (const Case& c : cases) {
        auto r = Call(Method::kPatch, "/api/v1/" + c.path, admin_a_, c.body);
        EXPECT_EQ(r.status, 400) << c.path << " " << c.body << " -> " << r.body;
        EXPECT_EQ(Fields(r).count(c.field), 1u) << c.path << " " << c.body << " -> " << r.body;
    }
    EXPECT_EQ(Events(tenant_a_).size(), events_before);
    EXPECT_EQ(Data(Get("/api/v1/stations/" + dodo, admin_a_))["dealer_id"], dealer);
}

TEST_F(OrgApiTest, MalformedIdInThePathIs400NamingId) {
    for (const char* collection : {"regions", "dealers", "stations"}) {
        for (const char* bad : {"not-a-uuid", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5",
                                "0190a1b2c3d47e5f8a9b0c1d2e3f4a5b"}) {
            const std::string path = std::string("/api/v1/") + collection + "/" + bad;
            auto get = Get(path, admin_a_);
            EXPECT_EQ(get.status, 400) << path;
            EXPECT_EQ(Fields(get), std::set<std::string>{"id"}) << get.body;
            auto patch = Patch(path, admin_a_, {{"name", "x"}});
            EXPECT_EQ(patch.status, 400) << path;
            EXPECT_EQ(Fields(patch), std::set<std::string>{"id"}) << patch.body;
        }
    }
}

TEST_F(OrgApiTest, ReferencesToAnotherTenantAre422ExactlyLikeMissingOnes) {
    const std::string region_a = CreateRegion(tenant_a_, "NORTH");
    const std::string dealer_a = CreateDealer(tenant_a_, "D1");
    const std::string region_b = CreateRegion(tenant_b_, "NORTH");
    const std::string dealer_b = CreateDealer(tenant_b_, "D1");
    const std::string missing = ids_->NewV7().ToString();
    const std::string station_a = CreateStation(tenant_a_, "S1", region_a, "COCO");
    const size_t events_before = Events(tenant_a_).size();

    auto create = [&](const std::string& region, const std::string& dealer) {
        return Post("/api/v1/stations", admin_a_,
                    {{"code", "S2"},
                     {"name", "x"},
                     {"region_id", region},
                     {"operating_model", "DODO"},
                     {"dealer_id", dealer}});
    };
    auto foreign_region = create(region_b, dealer_a);
    auto missing_region = create(missing, dealer_a);
    EXPECT_EQ(foreign_region.status, 422) << foreign_region.body;
    EXPECT_EQ(Fields(foreign_region), std::set<std::string>{"region_id"});
    EXPECT_EQ(ErrorOf(foreign_region), ErrorOf(missing_region));

    auto foreign_dealer = create(region_a, dealer_b);
    auto missing_dealer = create(region_a, missing);
    EXPECT_EQ(foreign_dealer.status, 422) << foreign_dealer.body;
    EXPECT_EQ(Fields(foreign_dealer), std::set<std::string>{"dealer_id"});
    EXPECT_EQ(ErrorOf(foreign_dealer), ErrorOf(missing_dealer));

    auto both = create(region_b, dealer_b);
    EXPECT_EQ(Fields(both), (std::set<std::string>{"region_id", "dealer_id"}));

    const std::string path = "/api/v1/stations/" + station_a;
    auto move_foreign = Patch(path, admin_a_, {{"region_id", region_b}});
    auto move_missing = Patch(path, admin_a_, {{"region_id", missing}});
    EXPECT_EQ(move_foreign.status, 422) << move_foreign.body;
    EXPECT_EQ(ErrorOf(move_foreign), ErrorOf(move_missing));
    auto dealer_foreign =
        Patch(path, admin_a_, {{"operating_model", "CODO"}, {"dealer_id", dealer_b}});
    auto dealer_missing =
        Patch(path, admin_a_, {{"operating_model", "CODO"}, {"dealer_id", missing}});
    EXPECT_EQ(dealer_foreign.status, 422) << dealer_foreign.body;
    EXPECT_EQ(Fields(dealer_foreign), std::set<std::string>{"dealer_id"});
    EXPECT_EQ(ErrorOf(dealer_foreign), ErrorOf(dealer_missing));

    EXPECT_EQ(CountStations(tenant_a_), 1);
    EXPECT_EQ(Data(Get(path, admin_a_))["region_id"], region_a);
    EXPECT_EQ(Events(tenant_a_).size(), events_before);
}

TEST_F(OrgApiTest, DuplicateCodeIs409NamingCodeWithinTheTenantOnly) {
    const std::string region = CreateRegion(tenant_a_, "NORTH");
    CreateDealer(tenant_a_, "D1");
    CreateStation(tenant_a_, "S1", region, "COCO");
    const size_t events_before = Events(tenant_a_).size();
    const std::vector<std::pair<std::string, json>> duplicates = {
        {"regions", {{"code", "north"}, {"name", "again"}}},  // codes compare upper-cased
        {"dealers", {{"code", "D1"}, {"name", "again"}}},
        {"stations",
         {{"code", "s1"}, {"name", "again"}, {"region_id", region}, {"operating_model", "COCO"}}},
    };
    for (const auto& [collection, body] : duplicates) {
        auto r = Post("/api/v1/" + collection, admin_a_, body);
        EXPECT_EQ(r.status, 409) << collection << " " << r.body;
        EXPECT_EQ(Fields(r), std::set<std::string>{"code"}) << r.body;
    }
    EXPECT_EQ(Events(tenant_a_).size(), events_before);
    EXPECT_EQ(CountStations(tenant_a_), 1);
    // Another tenant may use the same codes: nothing about A's codes shows through.
    const std::string region_b = CreateRegion(tenant_b_, "NORTH");
    CreateDealer(tenant_b_, "D1");
    CreateStation(tenant_b_, "S1", region_b, "COCO");
}

TEST_F(OrgApiTest, IdempotentCreateReplaysTheFirstAnswerAndWritesOnce) {
    const json body = {{"code", "NORTH"}, {"name", "North"}};
    auto first = Call(Method::kPost, "/api/v1/regions", admin_a_, body.dump(),
                      {{"Idempotency-Key", "create-north"}});
    ASSERT_EQ(first.status, 201) << first.body;
    auto again = Call(Method::kPost, "/api/v1/regions", admin_a_, body.dump(),
                      {{"Idempotency-Key", "create-north"}});
    EXPECT_EQ(again.status, 201) << again.body;
    EXPECT_EQ(Header(again, "Idempotent-Replayed"), "true");
    EXPECT_EQ(Data(again), Data(first));
    EXPECT_EQ(Ids(Get("/api/v1/regions", admin_a_)).size(), 1u);
    EXPECT_EQ(Events(tenant_a_).size(), 1u);
}

// ---- permissions and scopes ----

TEST_F(OrgApiTest, OnlyCompanyAdminWrites) {
    const std::string region = CreateRegion(tenant_a_, "NORTH");
    const std::string dealer = CreateDealer(tenant_a_, "D1");
    const std::string station = CreateStation(tenant_a_, "S1", region, "COCO");
    const size_t events_before = Events(tenant_a_).size();
    const std::vector<std::string> readers = {
        Token(tenant_a_, "Operator", {ScopeString("station", *Uuid::Parse(station))}),
        Token(tenant_a_, "StationManager", {ScopeString("station", *Uuid::Parse(station))}),
        Token(tenant_a_, "RegionalManager", {ScopeString("region", *Uuid::Parse(region))}),
        Token(tenant_a_, "Dealer", {ScopeString("dealer", *Uuid::Parse(dealer))}),
        Token(tenant_a_, "Auditor"),
    };
    for (const std::string& token : readers) {
        EXPECT_EQ(Post("/api/v1/regions", token, {{"code", "X"}, {"name", "x"}}).status, 403);
        EXPECT_EQ(Post("/api/v1/dealers", token, {{"code", "X"}, {"name", "x"}}).status, 403);
        EXPECT_EQ(
            Post("/api/v1/stations", token,
                 {{"code", "X"}, {"name", "x"}, {"region_id", region}, {"operating_model", "COCO"}})
                .status,
            403);
        EXPECT_EQ(Patch("/api/v1/regions/" + region, token, {{"name", "x"}}).status, 403);
        EXPECT_EQ(Patch("/api/v1/dealers/" + dealer, token, {{"name", "x"}}).status, 403);
        EXPECT_EQ(Patch("/api/v1/stations/" + station, token, {{"name", "x"}}).status, 403);
        // ...but every one of them reads.
        EXPECT_EQ(Get("/api/v1/stations", token).status, 200);
    }
    EXPECT_EQ(Events(tenant_a_).size(), events_before);
    EXPECT_EQ(Data(Get("/api/v1/regions/" + region, admin_a_))["name"], "Region NORTH");
}

// The organisation used by the scope tests: two regions, two dealers, and
//   S1 (north, COCO)  S2 (north, DODO by D1)  S3 (south, COCO)  S4 (south, CODO by D2)
class OrgScopeTest : public OrgApiTest {
  protected:
    void SetUp() override {
        OrgApiTest::SetUp();
        if (HasFatalFailure()) return;
        north_ = CreateRegion(tenant_a_, "NORTH");
        south_ = CreateRegion(tenant_a_, "SOUTH");
        east_ = CreateRegion(tenant_a_, "EAST");  // no stations
        d1_ = CreateDealer(tenant_a_, "D1");
        d2_ = CreateDealer(tenant_a_, "D2");
        d3_ = CreateDealer(tenant_a_, "D3");  // no stations
        s1_ = CreateStation(tenant_a_, "S1", north_, "COCO");
        s2_ = CreateStation(tenant_a_, "S2", north_, "DODO", d1_);
        s3_ = CreateStation(tenant_a_, "S3", south_, "COCO");
        s4_ = CreateStation(tenant_a_, "S4", south_, "CODO", d2_);
    }

    std::string Scoped(const std::string& role, const std::string& kind, const std::string& id) {
        return Token(tenant_a_, role, {ScopeString(kind, *Uuid::Parse(id))});
    }

    // What `token` sees of each collection, and which single reads it is allowed.
    void ExpectSees(const std::string& token, const std::vector<std::string>& regions,
                    const std::vector<std::string>& dealers,
                    const std::vector<std::string>& stations) {
        EXPECT_EQ(Ids(Get("/api/v1/regions", token)), regions);
        EXPECT_EQ(Ids(Get("/api/v1/dealers", token)), dealers);
        EXPECT_EQ(Ids(Get("/api/v1/stations", token)), stations);
        const std::vector<std::pair<std::string, std::vector<std::string>>> all = {
            {"regions", {north_, south_, east_}},
            {"dealers", {d1_, d2_, d3_}},
            {"stations", {s1_, s2_, s3_, s4_}},
        };
        for (const auto& [collection, ids] : all) {
            const std::vector<std::string>& visible = collection == "regions"   ? regions
                                                      : collection == "dealers" ? dealers
                                                                                : stations;
            const std::string base = "/api/v1/" + collection + "/";
            const auto missing = Get(base + ids_->NewV7().ToString(), token);
            for (const std::string& id : ids) {
                auto r = Get(base + id, token);
                const bool sees = std::find(visible.begin(), visible.end(), id) != visible.end();
                EXPECT_EQ(r.status, sees ? 200 : 404) << collection << " " << id;
                // Outside the scope looks exactly like absent.
                if (!sees) {
                    EXPECT_EQ(ErrorOf(r), ErrorOf(missing)) << r.body;
                }
            }
        }
    }

    std::string north_, south_, east_, d1_, d2_, d3_, s1_, s2_, s3_, s4_;
};

TEST_F(OrgScopeTest, CompanyAdminAndAuditorSeeTheWholeTenant) {
    ExpectSees(admin_a_, {north_, south_, east_}, {d1_, d2_, d3_}, {s1_, s2_, s3_, s4_});
    ExpectSees(Token(tenant_a_, "Auditor"), {north_, south_, east_}, {d1_, d2_, d3_},
               {s1_, s2_, s3_, s4_});
}

TEST_F(OrgScopeTest, StationManagerSeesOnlyTheirStation) {
    ExpectSees(Scoped("StationManager", "station", s1_), {north_}, {}, {s1_});
    // A dealer-operated station brings its dealer and region into view.
    ExpectSees(Scoped("Operator", "station", s4_), {south_}, {d2_}, {s4_});
    // A filter narrows the scope, never widens it.
    const std::string manager = Scoped("StationManager", "station", s1_);
    EXPECT_EQ(Ids(Get("/api/v1/stations?region_id=" + north_, manager)),
              std::vector<std::string>{s1_});
    EXPECT_TRUE(Ids(Get("/api/v1/stations?region_id=" + south_, manager)).empty());
}

TEST_F(OrgScopeTest, RegionalManagerSeesOnlyTheirRegionsStations) {
    ExpectSees(Scoped("RegionalManager", "region", south_), {south_}, {d2_}, {s3_, s4_});
    ExpectSees(Scoped("RegionalManager", "region", east_), {east_}, {}, {});
    // Several regions at once.
    const std::string both = Token(
        tenant_a_, "RegionalManager",
        {ScopeString("region", *Uuid::Parse(north_)), ScopeString("region", *Uuid::Parse(south_))});
    ExpectSees(both, {north_, south_}, {d1_, d2_}, {s1_, s2_, s3_, s4_});
}

TEST_F(OrgScopeTest, DealerSeesOnlyTheirDealerOperatedStations) {
    ExpectSees(Scoped("Dealer", "dealer", d1_), {north_}, {d1_}, {s2_});
    ExpectSees(Scoped("Dealer", "dealer", d3_), {}, {d3_}, {});
}

TEST_F(OrgScopeTest, AScopedRoleWithoutScopesSeesNothing) {
    ExpectSees(Token(tenant_a_, "StationManager"), {}, {}, {});
}

// For every org route, a CompanyAdmin of tenant B learns nothing about A: by-id reads and
// writes are 404 (and change nothing), lists are empty, and A's codes are free in B.
TEST_F(OrgScopeTest, AnotherTenantGetsNothingFromAnyOrgRoute) {
    const std::map<std::string, std::string> a_ids = {
        {"regions", north_}, {"dealers", d1_}, {"stations", s2_}};
    const std::string b_region = CreateRegion(tenant_b_, "B-ONLY");
    const std::map<std::string, json> bodies = {
        {"regions", {{"code", "NORTH"}, {"name", "B north"}}},
        {"dealers", {{"code", "D1"}, {"name", "B dealer"}}},
        {"stations",
         {{"code", "S2"},
          {"name", "B station"},
          {"region_id", b_region},
          {"operating_model", "COCO"}}},
    };
    const size_t a_events = Events(tenant_a_).size();
    int checked = 0;
    for (const http::Route& route : app_->router().routes()) {
        if (route.name.rfind("org.", 0) != 0) continue;
        ++checked;
        const std::string collection =
            route.pattern.substr(std::string("/api/v1/").size(), route.pattern.find('/', 8) - 8);
        const bool by_id = route.pattern.find("{id}") != std::string::npos;
        const std::string path =
            by_id ? "/api/v1/" + collection + "/" + a_ids.at(collection) : route.pattern;
        http::Response r;
        if (route.method == Method::kGet) {
            r = Get(path, admin_b_);
            if (by_id) {
                EXPECT_EQ(r.status, 404) << route.name << " " << r.body;
            } else {
                EXPECT_EQ(r.status, 200) << route.name;
                EXPECT_TRUE(Data(r).empty() || collection == "regions") << route.name << r.body;
                for (const json& item : Data(r)) EXPECT_EQ(item["id"], b_region) << route.name;
            }
        } else if (route.method == Method::kPatch) {
            r = Patch(path, admin_b_, {{"name", "hijacked"}});
            EXPECT_EQ(r.status, 404) << route.name << " " << r.body;
        } else {
            ASSERT_EQ(route.method, Method::kPost) << route.name;
            r = Post(path, admin_b_, bodies.at(collection));
            EXPECT_EQ(r.status, 201) << route.name << " " << r.body;
        }
        EXPECT_EQ(r.body.find(a_ids.at(collection)), std::string::npos) << route.name;
    }
    EXPECT_EQ(checked, 12);
    // Filtering by A's ids finds nothing either.
    EXPECT_TRUE(Ids(Get("/api/v1/stations?region_id=" + north_, admin_b_)).empty());
    EXPECT_TRUE(Ids(Get("/api/v1/stations?dealer_id=" + d1_, admin_b_)).empty());
    EXPECT_EQ(Data(Get("/api/v1/regions/" + north_, admin_a_))["name"], "Region NORTH");
    EXPECT_EQ(Data(Get("/api/v1/dealers/" + d1_, admin_a_))["name"], "Dealer D1");
    EXPECT_EQ(Data(Get("/api/v1/stations/" + s2_, admin_a_))["name"], "Station S2");
    EXPECT_EQ(Events(tenant_a_).size(), a_events);
}

// ---- events ----

TEST_F(OrgApiTest, EveryChangeAppendsOneEventWithTheNewState) {
    auto region = Post("/api/v1/regions", admin_a_, {{"code", "N"}, {"name", "North"}});
    auto dealer = Post("/api/v1/dealers", admin_a_, {{"code", "D"}, {"name", "Dealer"}});
    const std::string region_id = Data(region)["id"];
    const std::string dealer_id = Data(dealer)["id"];
    auto station = Post("/api/v1/stations", admin_a_,
                        {{"code", "S"},
                         {"name", "Station"},
                         {"region_id", region_id},
                         {"operating_model", "DODO"},
                         {"dealer_id", dealer_id}});
    const std::string station_id = Data(station)["id"];
    auto region_v2 = Patch("/api/v1/regions/" + region_id, admin_a_, {{"name", "North 2"}});
    auto dealer_v2 = Patch("/api/v1/dealers/" + dealer_id, admin_a_, {{"active", false}});
    auto station_v2 = Patch("/api/v1/stations/" + station_id, admin_a_, {{"active", false}});
    // Refused changes append nothing.
    ASSERT_EQ(Post("/api/v1/regions", admin_a_, {{"code", "N"}, {"name", "dup"}}).status, 409);
    ASSERT_EQ(
        Patch("/api/v1/regions/" + ids_->NewV7().ToString(), admin_a_, {{"name", "x"}}).status,
        404);

    const std::vector<Event> events = Events(tenant_a_);
    const std::vector<std::tuple<std::string, std::string, std::string, http::Response*>> want = {
        {"org.region_created", "region", region_id, &region},
        {"org.dealer_created", "dealer", dealer_id, &dealer},
        {"org.station_created", "station", station_id, &station},
        {"org.region_updated", "region", region_id, &region_v2},
        {"org.dealer_updated", "dealer", dealer_id, &dealer_v2},
        {"org.station_updated", "station", station_id, &station_v2},
    };
    ASSERT_EQ(events.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        const auto& [type, aggregate_type, aggregate_id, response] = want[i];
        EXPECT_EQ(events[i].type, type);
        EXPECT_EQ(events[i].aggregate_type, aggregate_type);
        EXPECT_EQ(events[i].aggregate_id, aggregate_id);
        EXPECT_EQ(events[i].payload, Data(*response)) << type;
    }
    EXPECT_TRUE(Events(tenant_b_).empty());
}

}  // namespace
}  // namespace omc::identity
