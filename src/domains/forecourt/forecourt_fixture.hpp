// A station fitted out through the API for forecourt tests: a fuel product (PMS), a tank with
// a strapping chart, a pump with one nozzle, and a network price.
#pragma once

#include <string>
#include <tuple>

#include <gtest/gtest.h>

#include "testing/api_fixture.hpp"

namespace omc::forecourt::testing {

struct FittedStation {
    Uuid station;
    std::string product;  // PMS
    std::string tank;
    std::string chart;  // 0 mm -> 0 L up to 2000 mm -> 30 000 L: 15 L per mm
    std::string pump;
    std::string nozzle;
    std::string price;
};

class ForecourtApiTest : public omc::testing::ApiTest {
  protected:
    // Fits out `station` of the admin's tenant. `product_code` keeps product codes unique per
    // tenant when one tenant fits out several stations.
    FittedStation FitOut(const std::string& admin_token, const Uuid& station,
                         const std::string& product_code = "PMS") {
        auto& t = *this;
        using http::Method;
        FittedStation f;
        f.station = station;
        auto product = t.As(admin_token, Method::kPost, "/api/v1/products",
                            {{"code", product_code},
                             {"name", "Premium motor spirit"},
                             {"kind", "fuel"},
                             {"unit", "L"},
                             {"density15", "745.0"}});
        EXPECT_EQ(product.status, 201) << product.raw.body;
        if (product.status == 201) f.product = product.data()["id"];
        auto tank = t.As(admin_token, Method::kPost, "/api/v1/tanks",
                         {{"station_id", station.ToString()},
                          {"code", "T1"},
                          {"product_id", f.product},
                          {"capacity", "30000"},
                          {"safe_fill", "28500"},
                          {"low_level", "3000"},
                          {"water_limit_mm", 50}});
        EXPECT_EQ(tank.status, 201) << tank.raw.body;
        if (tank.status == 201) f.tank = tank.data()["id"];
        auto chart = t.As(
            admin_token, Method::kPost, "/api/v1/tanks/" + f.tank + "/charts",
            {{"points", nlohmann::json::array({{{"height_mm", 0}, {"volume", "0"}},
                                               {{"height_mm", 2000}, {"volume", "30000.000"}}})}});
        EXPECT_EQ(chart.status, 201) << chart.raw.body;
        if (chart.status == 201) f.chart = chart.data()["id"];
        auto pump = t.As(admin_token, Method::kPost, "/api/v1/pumps",
                         {{"station_id", station.ToString()}, {"code", "P1"}});
        EXPECT_EQ(pump.status, 201) << pump.raw.body;
        if (pump.status == 201) f.pump = pump.data()["id"];
        auto nozzle = t.As(
            admin_token, Method::kPost, "/api/v1/nozzles",
            {{"pump_id", f.pump}, {"number", 1}, {"tank_id", f.tank}, {"totalizer", "1000.000"}});
        EXPECT_EQ(nozzle.status, 201) << nozzle.raw.body;
        if (nozzle.status == 201) f.nozzle = nozzle.data()["id"];
        auto price = t.As(admin_token, Method::kPost, "/api/v1/prices",
                          {{"product_id", f.product}, {"unit_price", "14.95"}});
        EXPECT_EQ(price.status, 201) << price.raw.body;
        if (price.status == 201) f.price = price.data()["id"];
        return f;
    }

    // A dip of `tank` as POST /api/v1/dips takes it.
    static nlohmann::json DipBody(const std::string& tank, int64_t height_mm,
                                  const std::string& purpose, int64_t water_mm = 0,
                                  const std::string& temperature = "30.00") {
        return {{"tank_id", tank},
                {"height_mm", height_mm},
                {"water_height_mm", water_mm},
                {"temperature", temperature},
                {"purpose", purpose}};
    }

    // A delivery of 10 000 L (compartments of 6 000 and 4 000 L) into `tank`, loaded three
    // hours before `now` and delivered at `now`, between the two dips' ids.
    static nlohmann::json DeliveryBody(const std::string& tank, const std::string& before,
                                       const std::string& after, TimestampUs now,
                                       const std::string& waybill = "WB-1001",
                                       const std::string& loading_temperature = "30.00") {
        constexpr int64_t kLoadingUs = 3LL * 3'600'000'000;
        return {{"tank_id", tank},
                {"waybill_no", waybill},
                {"depot", "Tema"},
                {"supplier", "BDC One"},
                {"transporter", "Haulage Ltd"},
                {"brv_registration", "GT 1234-20"},
                {"driver_name", "Kojo Mensah"},
                {"compartments", nlohmann::json::array({{{"number", 1}, {"volume", "6000"}},
                                                        {{"number", 2}, {"volume", "4000"}}})},
                {"loaded_at", FormatTimestamp(now - kLoadingUs)},
                {"delivered_at", FormatTimestamp(now)},
                {"loaded_volume", "10000"},
                {"loading_temperature", loading_temperature},
                {"density15", "745.0"},
                {"dip_before_id", before},
                {"dip_after_id", after}};
    }

    // Rows of `table` in `tenant` matching the optional SQL `condition` (test-written, never
    // from input). The statement's name keys the prepared-statement cache, so it carries the
    // whole text.
    int64_t CountRows(const TenantId& tenant, const std::string& table,
                      const std::string& condition = "") {
        const std::string sql = "SELECT COUNT(*) FROM " + table + " WHERE tenant_id = $1" +
                                (condition.empty() ? "" : " AND " + condition);
        const std::string name = "test." + sql;
        auto n = db::InTransaction(
            *database_, {.tenant = tenant}, [&](db::Transaction& tx) -> Result<int64_t> {
                OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query({name, sql}, {tenant}));
                return rows[0].Int(0);
            });
        EXPECT_TRUE(n.ok()) << (n.ok() ? "" : n.error().message());
        return n.ok() ? *n : -1;
    }
};

// Tenant A with two stations, the first fitted out, and a StationManager of the first (who holds
// dips.write, deliveries.write and stock.adjust, which the CompanyAdmin mostly does not).
class FittedStationApiTest : public ForecourtApiTest {
  protected:
    void SetUp() override {
        ForecourtApiTest::SetUp();
        admin_ = TokenFor("alpha-admin");
        std::tie(std::ignore, station_) = AddRegionAndStation(tenant_a_, "ACC1");
        std::tie(std::ignore, other_station_) = AddRegionAndStation(tenant_a_, "KSI1");
        f_ = FitOut(admin_, station_);
        AddUser(tenant_a_, "ama-manager", identity::Role::kStationManager, {station_});
        manager_ = TokenFor("ama-manager");
    }

    std::string admin_;
    std::string manager_;
    Uuid station_;
    Uuid other_station_;
    FittedStation f_;
};

}  // namespace omc::forecourt::testing
