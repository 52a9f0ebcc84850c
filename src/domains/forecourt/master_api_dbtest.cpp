// Products, prices and station equipment through the API, on both engines: the happy paths,
// every validation rule with the field it names, scopes and permissions.
#include <gtest/gtest.h>

#include "domains/forecourt/forecourt_fixture.hpp"

namespace omc::forecourt {
namespace {

using http::Method;
using nlohmann::json;
using omc::testing::ApiResponse;

class MasterApiTest : public testing::ForecourtApiTest {
  protected:
    void SetUp() override {
        ForecourtApiTest::SetUp();
        admin_ = TokenFor("alpha-admin");
        std::tie(region_, station_) = AddRegionAndStation(tenant_a_, "ACC1");
        std::tie(std::ignore, other_station_) = AddRegionAndStation(tenant_a_, "KSI1");
    }
    std::string admin_;
    Uuid region_;
    Uuid station_;
    Uuid other_station_;
};

TEST_F(MasterApiTest, ProductsAreCreatedListedAndUpdated) {
    ApiResponse lpg = As(admin_, Method::kPost, "/api/v1/products",
                         {{"code", "lpg"},
                          {"name", "LPG"},
                          {"kind", "fuel"},
                          {"unit", "kg"},
                          {"density15", "540.0"}});
    ASSERT_EQ(lpg.status, 201) << lpg.raw.body;
    EXPECT_EQ(lpg.data()["code"], "LPG");
    EXPECT_EQ(lpg.data()["density15"], "540.0");
    ApiResponse oil = As(admin_, Method::kPost, "/api/v1/products",
                         {{"code", "LUB-20W50"},
                          {"name", "Engine oil 20W-50 1L"},
                          {"kind", "lubricant"},
                          {"unit", "each"}});
    ASSERT_EQ(oil.status, 201) << oil.raw.body;
    EXPECT_TRUE(oil.data()["density15"].is_null());

    ApiResponse fuels = As(admin_, Method::kGet, "/api/v1/products?kind=fuel");
    ASSERT_EQ(fuels.status, 200);
    ASSERT_EQ(fuels.data().size(), 1u);
    EXPECT_EQ(fuels.data()[0]["code"], "LPG");

    const std::string path = "/api/v1/products/" + lpg.data()["id"].get<std::string>();
    ApiResponse patched = As(admin_, Method::kPatch, path, {{"density15", "545.5"}});
    ASSERT_EQ(patched.status, 200) << patched.raw.body;
    EXPECT_EQ(As(admin_, Method::kGet, path).data()["density15"], "545.5");
}

TEST_F(MasterApiTest, ProductRulesNameTheField) {
    ApiResponse no_density =
        As(admin_, Method::kPost, "/api/v1/products",
           {{"code", "AGO"}, {"name", "Diesel"}, {"kind", "fuel"}, {"unit", "L"}});
    EXPECT_EQ(no_density.status, 400);
    EXPECT_EQ(no_density.ErrorField(), "density15");
    ApiResponse shop_by_litre =
        As(admin_, Method::kPost, "/api/v1/products",
           {{"code", "WATER"}, {"name", "Water"}, {"kind", "shop"}, {"unit", "L"}});
    EXPECT_EQ(shop_by_litre.status, 400);
    EXPECT_EQ(shop_by_litre.ErrorField(), "unit");
    ApiResponse absurd =
        As(admin_, Method::kPost, "/api/v1/products",
           {{"code", "X"}, {"name", "X"}, {"kind", "fuel"}, {"unit", "L"}, {"density15", "99999"}});
    EXPECT_EQ(absurd.status, 400);
    EXPECT_EQ(absurd.ErrorField(), "density15");
    ASSERT_EQ(As(admin_, Method::kPost, "/api/v1/products",
                 {{"code", "AGO"},
                  {"name", "Diesel"},
                  {"kind", "fuel"},
                  {"unit", "L"},
                  {"density15", "832.0"}})
                  .status,
              201);
    ApiResponse again = As(admin_, Method::kPost, "/api/v1/products",
                           {{"code", "ago"},
                            {"name", "Diesel 2"},
                            {"kind", "fuel"},
                            {"unit", "L"},
                            {"density15", "832.0"}});
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.ErrorField(), "code");
}

TEST_F(MasterApiTest, StationIsFittedOutAndRead) {
    const testing::FittedStation f = FitOut(admin_, station_);
    ApiResponse tank = As(admin_, Method::kGet, "/api/v1/tanks/" + f.tank);
    ASSERT_EQ(tank.status, 200);
    EXPECT_EQ(tank.data()["capacity"], "30000.000");
    EXPECT_EQ(tank.data()["book_stock"], "0.000");
    ApiResponse pump = As(admin_, Method::kGet, "/api/v1/pumps/" + f.pump);
    ASSERT_EQ(pump.status, 200);
    ASSERT_EQ(pump.data()["nozzles"].size(), 1u);
    EXPECT_EQ(pump.data()["nozzles"][0]["product_id"], f.product);
    EXPECT_EQ(pump.data()["nozzles"][0]["totalizer"], "1000.000");
    ApiResponse tanks = As(admin_, Method::kGet, "/api/v1/tanks?station_id=" + station_.ToString());
    ASSERT_EQ(tanks.data().size(), 1u);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/tanks?station_id=" + other_station_.ToString())
                  .data()
                  .size(),
              0u);
}

TEST_F(MasterApiTest, TankAndNozzleRulesNameTheField) {
    const testing::FittedStation f = FitOut(admin_, station_);
    ApiResponse overfull = As(admin_, Method::kPost, "/api/v1/tanks",
                              {{"station_id", station_.ToString()},
                               {"code", "T2"},
                               {"product_id", f.product},
                               {"capacity", "1000"},
                               {"safe_fill", "1200"},
                               {"low_level", "100"},
                               {"water_limit_mm", 50}});
    EXPECT_EQ(overfull.status, 400);
    EXPECT_EQ(overfull.ErrorField(), "safe_fill");
    ApiResponse negative = As(admin_, Method::kPost, "/api/v1/tanks",
                              {{"station_id", station_.ToString()},
                               {"code", "T2"},
                               {"product_id", f.product},
                               {"capacity", "-5"},
                               {"safe_fill", "1"},
                               {"low_level", "0"},
                               {"water_limit_mm", 50}});
    EXPECT_EQ(negative.status, 400);
    EXPECT_EQ(negative.ErrorField(), "capacity");
    ApiResponse taken = As(admin_, Method::kPost, "/api/v1/tanks",
                           {{"station_id", station_.ToString()},
                            {"code", "t1"},
                            {"product_id", f.product},
                            {"capacity", "1000"},
                            {"safe_fill", "900"},
                            {"low_level", "100"},
                            {"water_limit_mm", 50}});
    EXPECT_EQ(taken.status, 409);
    // A nozzle may not draw from another station's tank.
    ApiResponse pump = As(admin_, Method::kPost, "/api/v1/pumps",
                          {{"station_id", other_station_.ToString()}, {"code", "P1"}});
    ASSERT_EQ(pump.status, 201);
    ApiResponse cross = As(admin_, Method::kPost, "/api/v1/nozzles",
                           {{"pump_id", pump.data()["id"]}, {"number", 1}, {"tank_id", f.tank}});
    EXPECT_EQ(cross.status, 400);
    EXPECT_EQ(cross.ErrorField(), "tank_id");
    ApiResponse duplicate = As(admin_, Method::kPost, "/api/v1/nozzles",
                               {{"pump_id", f.pump}, {"number", 1}, {"tank_id", f.tank}});
    EXPECT_EQ(duplicate.status, 409);
    EXPECT_EQ(duplicate.ErrorField(), "number");
    // Nothing half-written: still one tank and one nozzle.
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/tanks").data().size(), 1u);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/nozzles").data().size(), 1u);
}

TEST_F(MasterApiTest, PriceInForceFollowsTimeAndStation) {
    const testing::FittedStation f = FitOut(admin_, station_);
    const TimestampUs t0 = clock_.NowUs();
    clock_.AdvanceUs(kUsPerSecond * 3600);
    admin_ = TokenFor("alpha-admin");  // access tokens last 15 minutes
    ApiResponse station_price = As(admin_, Method::kPost, "/api/v1/prices",
                                   {{"product_id", f.product},
                                    {"station_id", station_.ToString()},
                                    {"unit_price", "15.1234"}});
    ASSERT_EQ(station_price.status, 201) << station_price.raw.body;
    const std::string query =
        "/api/v1/prices/current?station_id=" + station_.ToString() + "&product_id=" + f.product;
    ApiResponse now = As(admin_, Method::kGet, query);
    ASSERT_EQ(now.status, 200) << now.raw.body;
    EXPECT_EQ(now.data()["unit_price"], "15.1234");
    EXPECT_EQ(now.data()["scope"], "station");
    // An hour ago the network price was in force.
    ApiResponse before = As(admin_, Method::kGet, query + "&at=" + FormatTimestamp(t0));
    ASSERT_EQ(before.status, 200) << before.raw.body;
    EXPECT_EQ(before.data()["unit_price"], "14.95");
    EXPECT_EQ(before.data()["scope"], "network");
    // Other stations keep the network price.
    ApiResponse other = As(admin_, Method::kGet,
                           "/api/v1/prices/current?station_id=" + other_station_.ToString() +
                               "&product_id=" + f.product);
    EXPECT_EQ(other.data()["unit_price"], "14.95");
    // History is not rewritten.
    ApiResponse past = As(admin_, Method::kPost, "/api/v1/prices",
                          {{"product_id", f.product},
                           {"unit_price", "1.00"},
                           {"effective_from", FormatTimestamp(t0)}});
    EXPECT_EQ(past.status, 400);
    EXPECT_EQ(past.ErrorField(), "effective_from");
    ApiResponse zero = As(admin_, Method::kPost, "/api/v1/prices",
                          {{"product_id", f.product}, {"unit_price", "0"}});
    EXPECT_EQ(zero.status, 400);
    EXPECT_EQ(zero.ErrorField(), "unit_price");
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/prices?product_id=" + f.product).data().size(), 2u);
}

TEST_F(MasterApiTest, ScopedUsersSeeOnlyTheirStations) {
    const testing::FittedStation here = FitOut(admin_, station_);
    const testing::FittedStation there = FitOut(admin_, other_station_, "AGO");
    AddUser(tenant_a_, "kofi-manager", identity::Role::kStationManager, {station_});
    const std::string manager = TokenFor("kofi-manager");
    EXPECT_EQ(As(manager, Method::kGet, "/api/v1/tanks/" + here.tank).status, 200);
    EXPECT_EQ(As(manager, Method::kGet, "/api/v1/tanks/" + there.tank).status, 404);
    EXPECT_EQ(As(manager, Method::kGet, "/api/v1/nozzles/" + there.nozzle).status, 404);
    EXPECT_EQ(As(manager, Method::kGet, "/api/v1/pumps/" + there.pump).status, 404);
    ApiResponse tanks = As(manager, Method::kGet, "/api/v1/tanks");
    ASSERT_EQ(tanks.data().size(), 1u);
    EXPECT_EQ(tanks.data()[0]["id"], here.tank);
    EXPECT_EQ(
        As(manager, Method::kGet, "/api/v1/tanks?station_id=" + other_station_.ToString()).status,
        404);
    // Equipment is set up by the CompanyAdmin only.
    EXPECT_EQ(As(manager, Method::kPatch, "/api/v1/tanks/" + here.tank, {{"active", false}}).status,
              403);
    EXPECT_EQ(As(manager, Method::kPost, "/api/v1/prices",
                 {{"product_id", here.product}, {"unit_price", "1.00"}})
                  .status,
              403);
}

}  // namespace
}  // namespace omc::forecourt
