// NPA monthly returns through the API, on both engines, with known figures.
#include <gtest/gtest.h>

#include "domains/reports/report_fixture.hpp"

namespace omc::reports {
namespace {

using http::Method;
using nlohmann::json;
using omc::testing::ApiResponse;
using reports::testing::At;

class NpaReportTest : public reports::testing::ReportFactsTest {
  protected:
    void SetUp() override {
        ReportFactsTest::SetUp();
        admin_ = TokenFor("alpha-admin");
        std::tie(accra_region_, accra_) = AddRegionAndStation(tenant_a_, "ACC1");
        std::tie(std::ignore, kumasi_) = AddRegionAndStation(tenant_a_, "KSI1");
        tema_ = StationIn(accra_region_, "S-TMA1");
        pms_ = FitOut(admin_, accra_, "PMS");
        ago_ = FitOut(admin_, kumasi_, "AGO");
        shop_ = Product(admin_, "WATER", "shop");
        // January 2026. Accra PMS: 100 L and 50 L at 14.95, the 50 L voided, 10 L refunded
        // (money only: the fuel stays sold); Tema PMS 20 L; Kumasi AGO 30 L at 15.50.
        const std::string hundred = Sale({.station = accra_,
                                          .product = pms_.product,
                                          .quantity_milli = 100'000,
                                          .unit_price = 149500,
                                          .amount = 149500,
                                          .sold_at_us = At("2026-01-03T08:00:00Z"),
                                          .tank = pms_.tank});
        const std::string fifty = Sale({.station = accra_,
                                        .product = pms_.product,
                                        .quantity_milli = 50'000,
                                        .unit_price = 149500,
                                        .amount = 74750,
                                        .sold_at_us = At("2026-01-04T08:00:00Z"),
                                        .tank = pms_.tank});
        Sale({.station = accra_,
              .product = pms_.product,
              .kind = "void",
              .quantity_milli = -50'000,
              .unit_price = 149500,
              .amount = -74750,
              .sold_at_us = At("2026-01-04T08:01:00Z"),
              .tank = pms_.tank,
              .reverses = fifty});
        Sale({.station = accra_,
              .product = pms_.product,
              .kind = "refund",
              .quantity_milli = -10'000,
              .unit_price = 149500,
              .amount = -14950,
              .sold_at_us = At("2026-01-05T08:00:00Z"),
              .tank = pms_.tank,
              .reverses = hundred});
        Sale({.station = tema_,
              .product = pms_.product,
              .quantity_milli = 20'000,
              .unit_price = 149500,
              .amount = 29900,
              .sold_at_us = At("2026-01-20T08:00:00Z")});
        Sale({.station = kumasi_,
              .product = ago_.product,
              .quantity_milli = 30'000,
              .unit_price = 155000,
              .amount = 46500,
              .sold_at_us = At("2026-01-31T23:00:00Z"),
              .tank = ago_.tank});
        // Not in the return: a shop sale, and fuel sold on 1 February and on 31 December.
        Sale({.station = accra_,
              .product = shop_,
              .kind = "shop",
              .quantity_milli = 1000,
              .unit_price = 50000,
              .amount = 500,
              .sold_at_us = At("2026-01-10T08:00:00Z")});
        Sale({.station = accra_,
              .product = pms_.product,
              .quantity_milli = 7'000,
              .unit_price = 149500,
              .amount = 10465,
              .sold_at_us = At("2026-02-01T00:00:00Z"),
              .tank = pms_.tank});
        Sale({.station = accra_,
              .product = pms_.product,
              .quantity_milli = 3'000,
              .unit_price = 149500,
              .amount = 4485,
              .sold_at_us = At("2025-12-31T23:59:59Z"),
              .tank = pms_.tank});
    }

    std::string admin_;
    Uuid accra_region_;
    Uuid accra_;
    Uuid kumasi_;
    Uuid tema_;
    forecourt::testing::FittedStation pms_;
    forecourt::testing::FittedStation ago_;
    std::string shop_;
};

std::string Line(const json& l) {
    std::string out;
    for (const char* key : {"region_code", "station_code", "product_code", "unit"}) {
        out += (l.contains(key) ? l[key].get<std::string>() : "-") + " ";
    }
    return out + std::to_string(l["sales_count"].get<int64_t>()) + " " +
           l["quantity"].get<std::string>() + " " + l["amount"].get<std::string>();
}

TEST_F(NpaReportTest, SalesByStationRegionAndProduct) {
    ApiResponse r = As(admin_, Method::kGet, "/api/v1/reports/npa/sales?month=2026-01");
    ASSERT_EQ(r.status, 200) << r.raw.body;
    const json& d = r.data();
    ASSERT_EQ(d["by_station"].size(), 3U);
    EXPECT_EQ(Line(d["by_station"][0]), "R-ACC1 S-ACC1 PMS L 2 100.000 1345.50");
    EXPECT_EQ(Line(d["by_station"][1]), "R-ACC1 S-TMA1 PMS L 1 20.000 299.00");
    EXPECT_EQ(Line(d["by_station"][2]), "R-KSI1 S-KSI1 AGO L 1 30.000 465.00");
    ASSERT_EQ(d["by_region"].size(), 2U);
    EXPECT_EQ(Line(d["by_region"][0]), "R-ACC1 - PMS L 3 120.000 1644.50");
    EXPECT_EQ(Line(d["by_region"][1]), "R-KSI1 - AGO L 1 30.000 465.00");
    ASSERT_EQ(d["totals"].size(), 2U);
    EXPECT_EQ(Line(d["totals"][0]), "- - AGO L 1 30.000 465.00");
    EXPECT_EQ(Line(d["totals"][1]), "- - PMS L 3 120.000 1644.50");

    ApiResponse csv =
        As(admin_, Method::kGet, "/api/v1/reports/npa/sales?month=2026-01&format=csv");
    ASSERT_EQ(csv.status, 200) << csv.raw.body;
    EXPECT_EQ(csv.Header("Content-Disposition"), "attachment; filename=\"npa-sales-2026-01.csv\"");
    EXPECT_EQ(
        csv.raw.body,
        "section,level,region,station,station_name,product,unit,sales_count,quantity,amount\r\n"
        "By station,station,R-ACC1,S-ACC1,S-ACC1,PMS,L,2,100.000,1345.50\r\n"
        "By station,station,R-ACC1,S-TMA1,S-TMA1,PMS,L,1,20.000,299.00\r\n"
        "By station,station,R-KSI1,S-KSI1,S-KSI1,AGO,L,1,30.000,465.00\r\n"
        "By region,region,R-ACC1,,,PMS,L,3,120.000,1644.50\r\n"
        "By region,region,R-KSI1,,,AGO,L,1,30.000,465.00\r\n"
        "Total,total,,,,AGO,L,1,30.000,465.00\r\n"
        "Total,total,,,,PMS,L,3,120.000,1644.50\r\n");
    for (const char* format : {"xlsx", "pdf"}) {
        ApiResponse file =
            As(admin_, Method::kGet,
               std::string("/api/v1/reports/npa/sales?month=2026-01&format=") + format);
        ASSERT_EQ(file.status, 200) << format;
        EXPECT_EQ(file.raw.body.substr(0, 2), std::string(format) == "pdf" ? "%P" : "PK");
    }

    // A regional scope: the RegionalManager of Kumasi sees Kumasi only.
    AddUser(tenant_a_, "kofi-regional", identity::Role::kRegionalManager,
            {AddRegionAndStation(tenant_a_, "X").first});
    ApiResponse other =
        As(TokenFor("kofi-regional"), Method::kGet, "/api/v1/reports/npa/sales?month=2026-01");
    ASSERT_EQ(other.status, 200);
    EXPECT_EQ(other.data()["by_station"].size(), 0U);
    ApiResponse one = As(admin_, Method::kGet,
                         "/api/v1/reports/npa/sales?month=2026-01&station=" + kumasi_.ToString());
    ASSERT_EQ(one.data()["by_station"].size(), 1U);
    EXPECT_EQ(Line(one.data()["totals"][0]), "- - AGO L 1 30.000 465.00");
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/reports/npa/sales?month=26-01").ErrorField(),
              "month");
    EXPECT_EQ(As(admin_, Method::kGet,
                 "/api/v1/reports/npa/sales?month=2026-01&station=" + ids_.NewV7().ToString())
                  .status,
              404);
}

TEST_F(NpaReportTest, StockFromDipsDeliveriesSalesAndAdjustments) {
    // Accra's PMS tank: 10 000 L at the last dip of December, 8 000 L received, 5 L written
    // off, 100 L sold (150 - 50 voided; the refund is money only); the dip at 00:00 on
    // 1 February is the closing one (17 870 L), a later one is not.
    Dip(accra_, pms_.tank, At("2025-12-30T22:00:00Z"), 9'990'000);
    Dip(accra_, pms_.tank, At("2025-12-31T22:00:00Z"), 10'000'000);
    Dip(accra_, pms_.tank, At("2026-01-15T06:00:00Z"), 17'950'000);
    Dip(accra_, pms_.tank, At("2026-01-31T22:00:00Z"), 17'880'000);
    Dip(accra_, pms_.tank, At("2026-02-01T00:00:00Z"), 17'870'000);
    Dip(accra_, pms_.tank, At("2026-02-01T06:00:00Z"), 17'000'000);
    Movement(accra_, pms_.tank, "delivery", 8'000'000, At("2026-01-10T11:00:00Z"));
    Movement(accra_, pms_.tank, "adjustment", -5'000, At("2026-01-20T11:00:00Z"));
    Movement(accra_, pms_.tank, "delivery", 6'000'000, At("2026-02-02T11:00:00Z"));
    // Kumasi's AGO tank has no dip at all.

    ApiResponse r = As(admin_, Method::kGet, "/api/v1/reports/npa/stock?month=2026-01");
    ASSERT_EQ(r.status, 200) << r.raw.body;
    const json& d = r.data();
    EXPECT_EQ(d["sources"]["opening"].get<std::string>().substr(0, 5), "dips:");
    EXPECT_EQ(d["sources"]["receipts"].get<std::string>().substr(0, 11), "deliveries:");
    ASSERT_EQ(d["lines"].size(), 2U);
    const json& accra = d["lines"][0];
    EXPECT_EQ(accra["station_code"], "S-ACC1");
    EXPECT_EQ(accra["product_code"], "PMS");
    EXPECT_EQ(accra["tanks"], 1);
    EXPECT_EQ(accra["opening"], "10000.000");
    EXPECT_EQ(accra["receipts"], "8000.000");
    EXPECT_EQ(accra["sales"], "100.000");
    EXPECT_EQ(accra["adjustments"], "-5.000");
    EXPECT_EQ(accra["book_closing"], "17895.000");
    EXPECT_EQ(accra["closing"], "17870.000");
    EXPECT_EQ(accra["variance"], "25.000");
    EXPECT_EQ(accra["missing"].size(), 0U);
    const json& kumasi = d["lines"][1];
    EXPECT_EQ(kumasi["product_code"], "AGO");
    EXPECT_TRUE(kumasi["opening"].is_null());
    EXPECT_TRUE(kumasi["closing"].is_null());
    EXPECT_TRUE(kumasi["variance"].is_null());
    EXPECT_EQ(kumasi["sales"], "30.000");
    EXPECT_EQ(kumasi["missing"].size(), 2U);

    // February opens where January closed.
    ApiResponse feb = As(admin_, Method::kGet, "/api/v1/reports/npa/stock?month=2026-02");
    ASSERT_EQ(feb.status, 200);
    EXPECT_EQ(feb.data()["lines"][0]["opening"], "17870.000");
    EXPECT_EQ(feb.data()["lines"][0]["receipts"], "6000.000");
    EXPECT_EQ(feb.data()["lines"][0]["sales"], "7.000");

    ApiResponse csv =
        As(admin_, Method::kGet, "/api/v1/reports/npa/stock?month=2026-01&format=csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(csv.raw.body,
              "station,region,product,unit,tanks,opening,receipts,sales,adjustments,book_closing,"
              "closing,variance,missing\r\n"
              "S-ACC1,R-ACC1,PMS,L,1,10000.000,8000.000,100.000,-5.000,17895.000,17870.000,"
              "25.000,\r\n"
              "S-KSI1,R-KSI1,AGO,L,1,,0.000,30.000,0.000,,,,T1: no dip at or before 2026-01-01; "
              "T1: no dip before the month's end\r\n");
    ApiResponse pdf =
        As(admin_, Method::kGet, "/api/v1/reports/npa/stock?month=2026-01&format=pdf");
    ASSERT_EQ(pdf.status, 200);
    EXPECT_EQ(pdf.raw.body.substr(0, 5), "%PDF-");
    EXPECT_EQ(pdf.Header("Content-Disposition"), "attachment; filename=\"npa-stock-2026-01.pdf\"");
    ApiResponse xlsx =
        As(admin_, Method::kGet, "/api/v1/reports/npa/stock?month=2026-01&format=xlsx");
    ASSERT_EQ(xlsx.status, 200);
    EXPECT_EQ(xlsx.raw.content_type,
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
}

}  // namespace
}  // namespace omc::reports
