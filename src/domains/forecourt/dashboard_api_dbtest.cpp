// The dashboard's read APIs through the API, on both engines: the overview's totals equal the
// sales recorded (net of a void, shop sales in revenue but not in litres), against the same
// days a week before; pricing-window bounds on the 15th and 16th; scope (a StationManager sees
// only their station); status flags from live alerts and the offline setting; bad dates; the
// station summary's gauges (days of cover, fill, water), 30 days of variance and recent records.
//
// The fitted tank's chart is linear, 15 L per mm. Dips are taken at 15.00 °C (VCF exactly
// 1.0000), so every figure is exact arithmetic. PMS costs GH₵ 14.95 a litre, WATER GH₵ 5.00.
#include <algorithm>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "domains/forecourt/forecourt_fixture.hpp"

namespace omc::forecourt {
namespace {

using http::Method;
using nlohmann::json;
using omc::testing::ApiResponse;

constexpr int64_t kHourUs = 3'600'000'000;
constexpr int64_t kDayUs = 24 * kHourUs;

class DashboardApiTest : public testing::FittedStationApiTest {
  protected:
    void SetUp() override {
        FittedStationApiTest::SetUp();
        attendant_ = AddUser(tenant_a_, "kwame-attendant", identity::Role::kOperator, {station_});
        operator_ = TokenFor("kwame-attendant");
        ApiResponse water =
            As(admin_, Method::kPost, "/api/v1/products",
               {{"code", "WATER"}, {"name", "Bottled water"}, {"kind", "shop"}, {"unit", "each"}});
        ASSERT_EQ(water.status, 201) << water.raw.body;
        water_ = water.data()["id"];
        ASSERT_EQ(As(admin_, Method::kPost, "/api/v1/prices",
                     {{"product_id", water_}, {"unit_price", "5.00"}})
                      .status,
                  201);
    }

    // Moves the clock to `hour`:00 UTC of `date` and signs everyone in again (tokens are
    // short-lived).
    void At(const std::string& date, int64_t hour) {
        clock_.SetNowUs(*ParseDateDays(date) * kDayUs + hour * kHourUs);
        admin_ = TokenFor("alpha-admin");
        manager_ = TokenFor("ama-manager");
        operator_ = TokenFor("kwame-attendant");
        if (!other_manager_.empty()) other_manager_ = TokenFor("kofi-manager");
    }

    void OpenShift(const Uuid& station, const std::string& token, const std::string& pump,
                   const std::string& nozzle, const identity::User& attendant) {
        ApiResponse r =
            As(token, Method::kPost, "/api/v1/shifts",
               {{"station_id", station.ToString()},
                {"attendants",
                 json::array({{{"pump_id", pump}, {"attendant_id", attendant.id.ToString()}}})},
                {"totalizers", json::array({{{"nozzle_id", nozzle}, {"totalizer", "1000"}}})}});
        ASSERT_EQ(r.status, 201) << r.raw.body;
        shift_ = r.data()["id"];
    }
    void OpenShift() { OpenShift(station_, manager_, f_.pump, f_.nozzle, attendant_); }

    std::string Sell(const std::string& litres, const Uuid& station, const std::string& nozzle,
                     const std::string& token) {
        ApiResponse r = As(token, Method::kPost, "/api/v1/transactions",
                           {{"id", ids_.NewV7().ToString()},
                            {"station_id", station.ToString()},
                            {"nozzle_id", nozzle},
                            {"quantity", litres},
                            {"payment_method", "cash"}});
        EXPECT_EQ(r.status, 201) << r.raw.body;
        return r.status == 201 ? r.data()["id"].get<std::string>() : std::string();
    }
    std::string Sell(const std::string& litres) {
        return Sell(litres, station_, f_.nozzle, operator_);
    }
    void SellWater(const std::string& items) {
        ApiResponse r = As(operator_, Method::kPost, "/api/v1/transactions",
                           {{"id", ids_.NewV7().ToString()},
                            {"station_id", station_.ToString()},
                            {"kind", "shop"},
                            {"product_id", water_},
                            {"quantity", items},
                            {"payment_method", "cash"}});
        EXPECT_EQ(r.status, 201) << r.raw.body;
    }
    void Void(const std::string& sale) {
        ApiResponse r = As(manager_, Method::kPost, "/api/v1/transactions/" + sale + "/void",
                           {{"id", ids_.NewV7().ToString()}, {"reason", "wrong nozzle"}});
        EXPECT_EQ(r.status, 201) << r.raw.body;
    }
    std::string Dip(int64_t height_mm, int64_t water_mm = 0) {
        ApiResponse r = As(manager_, Method::kPost, "/api/v1/dips",
                           DipBody(f_.tank, height_mm, "routine", water_mm, "15.00"));
        EXPECT_EQ(r.status, 201) << r.raw.body;
        return r.status == 201 ? r.data()["id"].get<std::string>() : std::string();
    }
    json Overview(const std::string& token, const std::string& query = "") {
        ApiResponse r = As(token, Method::kGet, "/api/v1/dashboard/overview" + query);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return r.status == 200 ? r.data() : json::object();
    }
    static json Station(const json& overview, const Uuid& id) {
        for (const json& s : overview["stations"]) {
            if (s["id"] == id.ToString()) return s;
        }
        return json();
    }

    identity::User attendant_;
    std::string operator_;
    std::string other_manager_;
    std::string water_;
    std::string shift_;
};

TEST_F(DashboardApiTest, OverviewTotalsAreNetOfVoidsAndCompareWithTheWeekBefore) {
    At("2023-11-15", 9);
    OpenShift();
    At("2023-11-15", 10);
    Sell("10");  // 149.50
    Sell("20");  // 299.00
    At("2023-11-16", 10);
    Sell("5");  // 74.75
    At("2023-11-22", 10);
    Sell("30");  // 448.50
    const std::string voided = Sell("40");
    Void(voided);    // -40 L, -598.00; the sale still counts once, the void not at all
    SellWater("2");  // 10.00, 2 items: revenue, not litres

    const json o = Overview(admin_, "?date=2023-11-22");
    EXPECT_EQ(o["date"], "2023-11-22");
    EXPECT_EQ(
        o["window"],
        json({{"name", "2023-11-2"}, {"starts_on", "2023-11-16"}, {"ends_on", "2023-11-30"}}));
    const json& today = o["periods"]["today"];
    EXPECT_EQ(today["from"], "2023-11-22");
    EXPECT_EQ(today["to"], "2023-11-22");
    EXPECT_EQ(today["current"]["litres"], "30.000");
    EXPECT_EQ(today["current"]["revenue"], "458.50");
    EXPECT_EQ(today["current"]["sales"], 3);
    ASSERT_EQ(today["current"]["by_product"].size(), 2u) << today.dump();
    const json& pms = today["current"]["by_product"][0];  // by revenue, highest first
    EXPECT_EQ(pms["product_id"], f_.product);
    EXPECT_EQ(pms["code"], "PMS");
    EXPECT_EQ(pms["litres"], "30.000");
    EXPECT_EQ(pms["revenue"], "448.50");
    EXPECT_EQ(pms["sales"], 2);
    const json& water = today["current"]["by_product"][1];
    EXPECT_EQ(water["code"], "WATER");
    EXPECT_EQ(water["litres"], "2.000");  // in its own unit
    EXPECT_EQ(water["unit"], "each");
    EXPECT_EQ(water["revenue"], "10.00");
    EXPECT_EQ(water["sales"], 1);
    ASSERT_EQ(today["current"]["by_station"].size(), 1u);
    EXPECT_EQ(today["current"]["by_station"][0]["station_id"], station_.ToString());
    EXPECT_EQ(today["current"]["by_station"][0]["code"], "S-ACC1");
    EXPECT_EQ(today["current"]["by_station"][0]["litres"], "30.000");
    EXPECT_EQ(today["current"]["by_station"][0]["revenue"], "458.50");
    EXPECT_EQ(today["current"]["by_station"][0]["sales"], 3);
    // The same day a week before: the 15th.
    EXPECT_EQ(today["previous"]["litres"], "30.000");
    EXPECT_EQ(today["previous"]["revenue"], "448.50");
    EXPECT_EQ(today["previous"]["sales"], 2);
    // The window to date (16th-22nd) against the 9th-15th.
    const json& window = o["periods"]["window"];
    EXPECT_EQ(window["from"], "2023-11-16");
    EXPECT_EQ(window["to"], "2023-11-22");
    EXPECT_EQ(window["current"]["litres"], "35.000");
    EXPECT_EQ(window["current"]["revenue"], "533.25");
    EXPECT_EQ(window["current"]["sales"], 4);
    EXPECT_EQ(window["previous"]["litres"], "30.000");
    EXPECT_EQ(window["previous"]["revenue"], "448.50");
    EXPECT_EQ(window["previous"]["sales"], 2);
    // Without a date: today (the clock's).
    EXPECT_EQ(Overview(admin_)["periods"], o["periods"]);
}

TEST_F(DashboardApiTest, TheWindowTurnsOnTheSixteenth) {
    At("2023-11-15", 9);
    OpenShift();
    At("2023-11-15", 10);
    Sell("10");
    At("2023-11-16", 10);
    Sell("20");
    const json on15 = Overview(admin_, "?date=2023-11-15");
    EXPECT_EQ(
        on15["window"],
        json({{"name", "2023-11-1"}, {"starts_on", "2023-11-01"}, {"ends_on", "2023-11-15"}}));
    EXPECT_EQ(on15["periods"]["window"]["from"], "2023-11-01");
    EXPECT_EQ(on15["periods"]["window"]["to"], "2023-11-15");
    EXPECT_EQ(on15["periods"]["window"]["current"]["litres"], "10.000");
    EXPECT_EQ(on15["periods"]["today"]["current"]["litres"], "10.000");
    const json on16 = Overview(admin_, "?date=2023-11-16");
    EXPECT_EQ(on16["window"]["name"], "2023-11-2");
    EXPECT_EQ(on16["periods"]["window"]["from"], "2023-11-16");
    EXPECT_EQ(on16["periods"]["window"]["current"]["litres"], "20.000");
    EXPECT_EQ(on16["periods"]["window"]["current"]["sales"], 1);
    EXPECT_EQ(on16["periods"]["window"]["previous"]["litres"], "0.000");
    EXPECT_EQ(on16["periods"]["window"]["previous"]["by_product"], json::array());
    EXPECT_EQ(Overview(admin_, "?date=2024-02-20")["window"]["ends_on"], "2024-02-29");
    for (const char* bad : {"2023-11-31", "yesterday", "2023-1-5"}) {
        ApiResponse r =
            As(admin_, Method::kGet, std::string("/api/v1/dashboard/overview?date=") + bad);
        EXPECT_EQ(r.status, 400) << bad << ": " << r.raw.body;
        EXPECT_EQ(r.ErrorField(), "date") << bad;
    }
}

TEST_F(DashboardApiTest, StationsAreScopedAndFlaggedWorstFirst) {
    const testing::FittedStation other = FitOut(admin_, other_station_, "AGO");
    const identity::User other_attendant =
        AddUser(tenant_a_, "yaw-attendant", identity::Role::kOperator, {other_station_});
    AddUser(tenant_a_, "kofi-manager", identity::Role::kStationManager, {other_station_});
    other_manager_ = TokenFor("kofi-manager");
    ASSERT_EQ(As(admin_, Method::kPatch, "/api/v1/stations/" + station_.ToString(),
                 {{"latitude", "5.603717"}, {"longitude", "-0.186964"}})
                  .status,
              200);
    At("2023-11-22", 8);
    Dip(1000);  // 15 000 L
    At("2023-11-22", 9);
    OpenShift();
    OpenShift(other_station_, other_manager_, other.pump, other.nozzle, other_attendant);
    Sell("30");
    Sell("100", other_station_, other.nozzle, other_manager_);
    At("2023-11-22", 10);
    // 15 000 - 30 sold = 14 970 in the books, 13 500 in the tank: a variance alert, and the
    // book stock (-30 L, no delivery on record) is below the low level: a low-stock alert.
    Dip(900);

    json o = Overview(admin_);
    ASSERT_EQ(o["stations"].size(), 2u);
    json mine = Station(o, station_);
    EXPECT_EQ(mine["code"], "S-ACC1");
    EXPECT_EQ(mine["latitude"], "5.603717");
    EXPECT_EQ(mine["longitude"], "-0.186964");
    EXPECT_EQ(mine["status"], "variance");
    EXPECT_EQ(mine["flags"], json({"variance", "stock_low"}));
    EXPECT_EQ(mine["open_alerts"], 2);
    EXPECT_EQ(mine["last_sale_at"], "2023-11-22T09:00:00.000Z");
    json theirs = Station(o, other_station_);
    EXPECT_EQ(theirs["status"], "ok");
    EXPECT_EQ(theirs["flags"], json::array());
    EXPECT_EQ(theirs["open_alerts"], 0);
    EXPECT_TRUE(theirs["latitude"].is_null());
    EXPECT_EQ(o["alerts"]["open"], 2);
    ASSERT_EQ(o["alerts"]["latest"].size(), 2u);
    for (const json& a : o["alerts"]["latest"]) EXPECT_EQ(a["station_id"], station_.ToString());
    EXPECT_EQ(o["periods"]["today"]["current"]["litres"], "130.000");
    EXPECT_EQ(o["periods"]["today"]["current"]["by_station"][0]["code"], "S-KSI1");  // GH₵ 1 495

    // The StationManager of ACC1 sees ACC1 only: its station, sales and alerts.
    const json scoped = Overview(manager_);
    ASSERT_EQ(scoped["stations"].size(), 1u);
    EXPECT_EQ(scoped["stations"][0]["id"], station_.ToString());
    EXPECT_EQ(scoped["periods"]["today"]["current"]["litres"], "30.000");
    EXPECT_EQ(scoped["periods"]["today"]["current"]["by_station"].size(), 1u);
    EXPECT_EQ(scoped["alerts"]["open"], 2);
    const json other_scoped = Overview(other_manager_);
    EXPECT_EQ(other_scoped["alerts"]["open"], 0);
    EXPECT_EQ(other_scoped["alerts"]["latest"], json::array());
    EXPECT_EQ(other_scoped["periods"]["today"]["current"]["revenue"], "1495.00");

    // Three hours and a minute without a sale: both stations are offline, today only.
    At("2023-11-22", 12);
    clock_.AdvanceUs(60'000'000);
    o = Overview(admin_);
    EXPECT_EQ(Station(o, station_)["status"], "offline");
    EXPECT_EQ(Station(o, station_)["flags"], json({"offline", "variance", "stock_low"}));
    EXPECT_EQ(Station(o, other_station_)["status"], "offline");
    EXPECT_EQ(Station(Overview(admin_, "?date=2023-11-21"), station_)["status"], "variance");
    // A longer silence allowed (the tenant's setting): online again.
    ApiResponse put =
        As(admin_, Method::kPut, "/api/v1/forecourt/settings", {{"offline_after_minutes", 240}});
    ASSERT_EQ(put.status, 200) << put.raw.body;
    EXPECT_EQ(put.data()["offline_after_minutes"], 240);
    o = Overview(admin_);
    EXPECT_EQ(o["offline_after_minutes"], 240);
    EXPECT_EQ(Station(o, other_station_)["status"], "ok");
    EXPECT_EQ(Station(o, station_)["status"], "variance");
    EXPECT_EQ(As(admin_, Method::kPut, "/api/v1/forecourt/settings", {{"offline_after_minutes", 0}})
                  .ErrorField(),
              "offline_after_minutes");
}

TEST_F(DashboardApiTest, StationSummaryShowsGaugesCoverVarianceAndRecentRecords) {
    At("2023-11-15", 8);
    ASSERT_EQ(As(admin_, Method::kPost, "/api/v1/tanks/" + f_.tank + "/adjustments",
                 {{"quantity", "7000"}, {"reason", "opening stock"}})
                  .status,
              201);
    At("2023-11-15", 9);
    OpenShift();
    At("2023-11-15", 10);
    Sell("300");
    At("2023-11-21", 8);
    const std::string first_dip = Dip(500);  // 7 500 L
    At("2023-11-21", 10);
    Sell("400");
    At("2023-11-22", 8);
    const std::string wet_dip = Dip(460, 60);  // 6 900 L gross, 900 L water: 6 000 L
    At("2023-11-22", 10);
    Sell("50");  // today: not in the 7-day average

    ApiResponse r =
        As(manager_, Method::kGet, "/api/v1/stations/" + station_.ToString() + "/summary");
    ASSERT_EQ(r.status, 200) << r.raw.body;
    const json s = r.data();
    EXPECT_EQ(s["station"]["id"], station_.ToString());
    EXPECT_EQ(s["station"]["code"], "S-ACC1");
    EXPECT_EQ(s["station"]["operating_model"], "COCO");
    EXPECT_EQ(s["station"]["active"], true);
    ASSERT_EQ(s["tanks"].size(), 1u);
    const json& tank = s["tanks"][0];
    EXPECT_EQ(tank["id"], f_.tank);
    EXPECT_EQ(tank["product_code"], "PMS");
    EXPECT_EQ(tank["capacity"], "30000.000");
    EXPECT_EQ(tank["book_stock"], "6250.000");  // 7 000 - 300 - 400 - 50
    EXPECT_EQ(tank["ullage"], "23750.000");
    EXPECT_EQ(tank["fill_percent"], "20.8");  // 20.83
    // 15th-21st: 700 L over 7 days; 6 250 / 100 = 62.5 days.
    EXPECT_EQ(tank["avg_daily_litres"], "100.000");
    EXPECT_EQ(tank["days_of_cover"], "62.5");
    EXPECT_EQ(tank["latest_dip"]["id"], wet_dip);
    EXPECT_EQ(tank["latest_dip"]["water_height_mm"], 60);
    EXPECT_EQ(tank["water_alert"], true);  // 60 mm over the 50 mm limit
    ASSERT_EQ(s["pumps"].size(), 1u);
    EXPECT_EQ(s["pumps"][0]["id"], f_.pump);
    ASSERT_EQ(s["pumps"][0]["nozzles"].size(), 1u);
    EXPECT_EQ(s["pumps"][0]["nozzles"][0]["id"], f_.nozzle);
    EXPECT_EQ(s["current_shift"]["id"], shift_);
    EXPECT_EQ(s["current_shift"]["status"], "open");
    EXPECT_TRUE(s["current_shift"].contains("report"));
    // The 22nd, between the two dips: 400 L sold, the dips fell 1 500 L: 1 100 L lost.
    ASSERT_EQ(s["variance_30d"].size(), 30u);
    const json& day = s["variance_30d"][29];
    EXPECT_EQ(day["date"], "2023-11-22");
    EXPECT_EQ(day["book_change"], "-400.000");
    EXPECT_EQ(day["dip_change"], "-1500.000");
    EXPECT_EQ(day["variance"], "1100.000");
    EXPECT_EQ(day["variance_percent"], "275.00");
    EXPECT_EQ(day["tanks_reconciled"], 1);
    EXPECT_EQ(s["variance_30d"][28]["date"], "2023-11-21");
    EXPECT_TRUE(s["variance_30d"][28]["variance"].is_null());  // one dip only
    EXPECT_EQ(s["variance_30d"][0]["date"], "2023-10-24");
    ASSERT_EQ(s["recent_sales"].size(), 3u);
    EXPECT_EQ(s["recent_sales"][0]["quantity"], "50.000");  // newest first
    EXPECT_EQ(s["recent_sales"][2]["quantity"], "300.000");
    ASSERT_EQ(s["recent_dips"].size(), 2u);
    EXPECT_EQ(s["recent_dips"][0]["id"], wet_dip);
    EXPECT_EQ(s["recent_dips"][1]["id"], first_dip);
    EXPECT_EQ(s["recent_deliveries"], json::array());

    // Scope: the operator of the station sees it; another station's manager does not.
    EXPECT_EQ(
        As(operator_, Method::kGet, "/api/v1/stations/" + station_.ToString() + "/summary").status,
        200);
    AddUser(tenant_a_, "kofi-manager", identity::Role::kStationManager, {other_station_});
    EXPECT_EQ(As(TokenFor("kofi-manager"), Method::kGet,
                 "/api/v1/stations/" + station_.ToString() + "/summary")
                  .status,
              404);
    EXPECT_EQ(
        As(admin_, Method::kGet, "/api/v1/stations/" + ids_.NewV7().ToString() + "/summary").status,
        404);
}

TEST_F(DashboardApiTest, StationStaffNamesThePeopleOfTheStationOnly) {
    const identity::User leaver =
        AddUser(tenant_a_, "esi-attendant", identity::Role::kOperator, {station_});
    AddUser(tenant_a_, "yaw-attendant", identity::Role::kOperator, {other_station_});
    AddUser(tenant_a_, "kofi-manager", identity::Role::kStationManager, {other_station_});
    ASSERT_EQ(
        As(admin_, Method::kPatch, "/api/v1/users/" + leaver.id.ToString(), json{{"active", false}})
            .status,
        200);
    // A manager, who may not list users, names the people of their station.
    ApiResponse r =
        As(manager_, Method::kGet, "/api/v1/stations/" + station_.ToString() + "/staff");
    ASSERT_EQ(r.status, 200) << r.raw.body;
    std::map<std::string, json> by_username;
    for (const json& m : r.data()) by_username[m["username"]] = m;
    ASSERT_EQ(by_username.size(), 3u) << r.raw.body;
    EXPECT_EQ(by_username["kwame-attendant"]["id"], attendant_.id.ToString());
    EXPECT_EQ(by_username["kwame-attendant"]["display_name"], attendant_.display_name);
    EXPECT_EQ(by_username["kwame-attendant"]["role"], "Operator");
    EXPECT_EQ(by_username["kwame-attendant"]["active"], true);
    EXPECT_EQ(by_username["ama-manager"]["role"], "StationManager");
    EXPECT_EQ(by_username["esi-attendant"]["active"], false);  // past shifts keep the name
    EXPECT_FALSE(by_username.contains("yaw-attendant"));
    // Another station's people are not this manager's to see.
    EXPECT_EQ(As(manager_, Method::kGet, "/api/v1/stations/" + other_station_.ToString() + "/staff")
                  .status,
              404);
    ApiResponse bad = As(manager_, Method::kGet, "/api/v1/stations/not-an-id/staff");
    EXPECT_EQ(bad.status, 400);
}

TEST_F(DashboardApiTest, TheRoleCatalogueListsEachTenantRole) {
    ApiResponse r = As(admin_, Method::kGet, "/api/v1/roles");
    ASSERT_EQ(r.status, 200) << r.raw.body;
    std::map<std::string, json> roles;
    for (const json& role : r.data()) roles[role["role"]] = role;
    EXPECT_EQ(roles.size(), 6u);
    EXPECT_FALSE(roles.contains("SuperAdmin"));
    EXPECT_EQ(roles["CompanyAdmin"]["scopes"], json({"tenant"}));
    EXPECT_EQ(roles["RegionalManager"]["scopes"], json({"region"}));
    EXPECT_EQ(roles["StationManager"]["scopes"], json({"station"}));
    EXPECT_EQ(roles["Dealer"]["scopes"], json({"dealer"}));
    const json& perms = roles["StationManager"]["permissions"];
    EXPECT_NE(std::find(perms.begin(), perms.end(), "sales.reverse"), perms.end());
    EXPECT_EQ(std::find(perms.begin(), perms.end(), "users.read"), perms.end());
    EXPECT_FALSE(roles["Auditor"]["description"].get<std::string>().empty());
    EXPECT_EQ(As(manager_, Method::kGet, "/api/v1/roles").status, 403);
}

}  // namespace
}  // namespace omc::forecourt
