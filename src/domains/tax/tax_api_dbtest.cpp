// Tax rates, quotes and the monthly VAT return through the API, on both engines, to the pesewa.
#include <gtest/gtest.h>

#include "domains/reports/report_fixture.hpp"

namespace omc::tax {
namespace {

using http::Method;
using nlohmann::json;
using reports::testing::At;
using testing::ApiResponse;

class TaxApiTest : public reports::testing::ReportFactsTest {
  protected:
    void SetUp() override {
        ReportFactsTest::SetUp();
        admin_ = TokenFor("alpha-admin");
        std::tie(region_, accra_) = AddRegionAndStation(tenant_a_, "ACC1");
        std::tie(std::ignore, kumasi_) = AddRegionAndStation(tenant_a_, "KSI1");
        fitted_ = FitOut(admin_, accra_);  // PMS, a fuel
        lube_ = Product(admin_, "LUBE", "lubricant");
        shop_ = Product(admin_, "WATER", "shop");
    }

    // A VAT return's station row as "lines amount value VAT NHIL GETFUND COVID exempt".
    static std::string Figures(const json& row) {
        const json& s = row["standard_rated"];
        std::string out = std::to_string(s["lines"].get<int64_t>()) + " " +
                          s["amount"].get<std::string>() + " " +
                          s["taxable_value"].get<std::string>();
        for (const char* code : {"VAT", "NHIL", "GETFUND", "COVID"}) {
            out += " " + (s["taxes"].contains(code) ? s["taxes"][code].get<std::string>() : "-");
        }
        return out + " " + row["exempt"]["amount"].get<std::string>();
    }

    std::string admin_;
    Uuid region_;
    Uuid accra_;
    Uuid kumasi_;
    forecourt::testing::FittedStation fitted_;
    std::string lube_;
    std::string shop_;
};

TEST_F(TaxApiTest, DefaultRatesAreTheReferenceRules) {
    ApiResponse r = As(admin_, Method::kGet, "/api/v1/tax/rates");
    ASSERT_EQ(r.status, 200) << r.raw.body;
    EXPECT_EQ(r.data()["source"], "default");
    ASSERT_EQ(r.data()["rates"].size(), 7U);
    int open = 0;
    for (const json& rate : r.data()["rates"]) {
        EXPECT_TRUE(rate["id"].is_null());
        if (rate["valid_to"].is_null()) {
            ++open;
            EXPECT_EQ(rate["valid_from"], "2026-01-01");
            EXPECT_EQ(rate["base"], "value");
            EXPECT_TRUE(rate["input_deductible"].get<bool>());
        } else {
            EXPECT_EQ(rate["valid_to"], "2025-12-31");
        }
        if (rate["code"] == "COVID") {
            EXPECT_EQ(rate["valid_to"], "2025-12-31");
        }
    }
    EXPECT_EQ(open, 3);  // VAT, NHIL, GETFund; no COVID levy from 2026
}

TEST_F(TaxApiTest, QuoteGivesEachTaxToThePesewa) {
    ApiResponse old = As(admin_, Method::kGet,
                         "/api/v1/tax/quote?amount=121.90&date=2025-12-31&product=" + lube_);
    ASSERT_EQ(old.status, 200) << old.raw.body;
    EXPECT_EQ(old.data()["category"], "standard");
    EXPECT_EQ(old.data()["taxable_value"], "100.00");
    EXPECT_EQ(old.data()["total_tax"], "21.90");
    std::map<std::string, std::string> taxes;
    for (const json& t : old.data()["taxes"]) taxes[t["code"]] = t["amount"];
    EXPECT_EQ(taxes,
              (std::map<std::string, std::string>{
                  {"VAT", "15.90"}, {"NHIL", "2.50"}, {"GETFUND", "2.50"}, {"COVID", "1.00"}}));

    ApiResponse recoupled =
        As(admin_, Method::kGet, "/api/v1/tax/quote?amount=120.00&date=2026-01-01&product=WATER");
    ASSERT_EQ(recoupled.status, 200) << recoupled.raw.body;
    EXPECT_EQ(recoupled.data()["taxable_value"], "100.00");
    EXPECT_EQ(recoupled.data()["total_tax"], "20.00");
    EXPECT_EQ(recoupled.data()["taxes"].size(), 3U);

    ApiResponse edge = As(admin_, Method::kGet, "/api/v1/tax/quote?amount=0.24&date=2026-02-01");
    ASSERT_EQ(edge.status, 200) << edge.raw.body;
    EXPECT_EQ(edge.data()["taxable_value"], "0.19");  // VAT 0.03, NHIL 0.005 -> 0.01, GETFund 0.01

    ApiResponse fuel =
        As(admin_, Method::kGet,
           "/api/v1/tax/quote?amount=500.00&date=2026-01-01&product=" + fitted_.product);
    ASSERT_EQ(fuel.status, 200) << fuel.raw.body;
    EXPECT_EQ(fuel.data()["category"], "exempt");
    EXPECT_EQ(fuel.data()["taxes"].size(), 0U);
    EXPECT_EQ(fuel.data()["taxable_value"], "500.00");

    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/tax/quote?date=2026-01-01").ErrorField(), "amount");
    EXPECT_EQ(
        As(admin_, Method::kGet, "/api/v1/tax/quote?amount=1.234&date=2026-01-01").ErrorField(),
        "amount");
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/tax/quote?amount=1&date=2026-13-01").ErrorField(),
              "date");
    ApiResponse before_rules =
        As(admin_, Method::kGet, "/api/v1/tax/quote?amount=1&date=2019-01-01");
    EXPECT_EQ(before_rules.status, 422) << before_rules.raw.body;
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/tax/quote?amount=1&date=2026-01-01&product=NOPE")
                  .ErrorField(),
              "product");
}

TEST_F(TaxApiTest, NewRateSupersedesTheOpenOneAndOverlapsAreRefused) {
    // VAT cut to 12.5 % from 2027 (an example, not a real rule): the open 2026 VAT ends the day
    // before, and the first write stores the defaults.
    ApiResponse created = As(admin_, Method::kPost, "/api/v1/tax/rates",
                             {{"code", "vat"},
                              {"name", "Value added tax"},
                              {"rate_bp", 1250},
                              {"base", "value"},
                              {"input_deductible", true},
                              {"valid_from", "2027-01-01"}});
    ASSERT_EQ(created.status, 201) << created.raw.body;
    EXPECT_EQ(created.data()["code"], "VAT");
    EXPECT_TRUE(created.data()["defaults_copied"].get<bool>());
    EXPECT_FALSE(created.data()["superseded_id"].is_null());

    ApiResponse list = As(admin_, Method::kGet, "/api/v1/tax/rates");
    EXPECT_EQ(list.data()["source"], "tenant");
    ASSERT_EQ(list.data()["rates"].size(), 8U);
    int vat_rows = 0;
    for (const json& rate : list.data()["rates"]) {
        EXPECT_FALSE(rate["id"].is_null());
        if (rate["code"] == "VAT" && rate["valid_from"] == "2026-01-01") {
            EXPECT_EQ(rate["valid_to"], "2026-12-31");
        }
        vat_rows += rate["code"] == "VAT" ? 1 : 0;
    }
    EXPECT_EQ(vat_rows, 3);
    EXPECT_EQ(CountRows(tenant_a_, "outbox_events", "type = 'tax.rate_created'"), 1);

    // 2027: NHIL 2.50 + GETFund 2.50 + VAT 12.50 on a value of 100.00.
    ApiResponse quote = As(admin_, Method::kGet, "/api/v1/tax/quote?amount=117.50&date=2027-03-01");
    ASSERT_EQ(quote.status, 200) << quote.raw.body;
    EXPECT_EQ(quote.data()["taxable_value"], "100.00");
    EXPECT_EQ(quote.data()["total_tax"], "17.50");

    // A second VAT inside the closed 2021-2025 period: 409, nothing written.
    ApiResponse overlap = As(admin_, Method::kPost, "/api/v1/tax/rates",
                             {{"code", "VAT"},
                              {"name", "VAT"},
                              {"rate_bp", 1250},
                              {"base", "value"},
                              {"input_deductible", true},
                              {"valid_from", "2025-06-01"},
                              {"valid_to", "2025-07-31"}});
    EXPECT_EQ(overlap.status, 409) << overlap.raw.body;
    EXPECT_EQ(overlap.ErrorField(), "valid_from");
    // An open rate starting on the same day as the open 2027 one: 409.
    ApiResponse same_day = As(admin_, Method::kPost, "/api/v1/tax/rates",
                              {{"code", "VAT"},
                               {"name", "VAT"},
                               {"rate_bp", 1000},
                               {"base", "value"},
                               {"input_deductible", true},
                               {"valid_from", "2027-01-01"}});
    EXPECT_EQ(same_day.status, 409) << same_day.raw.body;
    EXPECT_EQ(CountRows(tenant_a_, "tax_rates"), 8);

    ApiResponse bad = As(admin_, Method::kPost, "/api/v1/tax/rates",
                         {{"code", "NHIL"},
                          {"name", "NHIL"},
                          {"rate_bp", 20000},
                          {"base", "gross"},
                          {"input_deductible", true},
                          {"valid_from", "2027-01-01"},
                          {"valid_to", "2026-01-01"}});
    EXPECT_EQ(bad.status, 400) << bad.raw.body;

    AddUser(tenant_a_, "ama-manager", identity::Role::kStationManager, {accra_});
    ApiResponse denied = As(TokenFor("ama-manager"), Method::kPost, "/api/v1/tax/rates",
                            {{"code", "X"},
                             {"name", "X"},
                             {"rate_bp", 1},
                             {"base", "value"},
                             {"input_deductible", true},
                             {"valid_from", "2030-01-01"}});
    EXPECT_EQ(denied.status, 403);
}

TEST_F(TaxApiTest, VatReturnFromStoredSalesNetsRefundsWithTheirOwnRules) {
    // December 2025: a lubricant sale of 121.90 (old rules) and one at 23:59:59 on the 31st.
    const std::string dec_sale = Sale({.station = accra_,
                                       .product = lube_,
                                       .kind = "shop",
                                       .quantity_milli = 1000,
                                       .unit_price = 1219000,
                                       .amount = 12190,
                                       .sold_at_us = At("2025-12-20T10:00:00Z")});
    Sale({.station = accra_,
          .product = shop_,
          .kind = "shop",
          .quantity_milli = 1000,
          .unit_price = 10000,
          .amount = 100,
          .sold_at_us = At("2025-12-31T23:59:59Z")});
    // January 2026 at Accra: 120.00 and 10.00 of shop goods, the 10.00 refunded, the December
    // sale refunded, fuel 500.00 and a void of 50.00 of it.
    Sale({.station = accra_,
          .product = shop_,
          .kind = "shop",
          .quantity_milli = 1000,
          .unit_price = 1200000,
          .amount = 12000,
          .sold_at_us = At("2026-01-05T09:00:00Z")});
    const std::string ten = Sale({.station = accra_,
                                  .product = shop_,
                                  .kind = "shop",
                                  .quantity_milli = 1000,
                                  .unit_price = 100000,
                                  .amount = 1000,
                                  .sold_at_us = At("2026-01-06T09:00:00Z")});
    Sale({.station = accra_,
          .product = shop_,
          .kind = "refund",
          .quantity_milli = -1000,
          .unit_price = 100000,
          .amount = -1000,
          .sold_at_us = At("2026-01-07T09:00:00Z"),
          .reverses = ten});
    Sale({.station = accra_,
          .product = lube_,
          .kind = "refund",
          .quantity_milli = -1000,
          .unit_price = 1219000,
          .amount = -12190,
          .sold_at_us = At("2026-01-08T09:00:00Z"),
          .reverses = dec_sale});
    const std::string fuel = Sale({.station = accra_,
                                   .product = fitted_.product,
                                   .quantity_milli = 33445,
                                   .unit_price = 149500,
                                   .amount = 50000,
                                   .sold_at_us = At("2026-01-09T09:00:00Z"),
                                   .tank = fitted_.tank});
    Sale({.station = accra_,
          .product = fitted_.product,
          .kind = "void",
          .quantity_milli = -3344,
          .unit_price = 149500,
          .amount = -5000,
          .sold_at_us = At("2026-01-09T09:05:00Z"),
          .tank = fitted_.tank,
          .reverses = fuel});
    // Kumasi: 0.24 of shop goods (a half-pesewa levy) and 100.00 of fuel.
    Sale({.station = kumasi_,
          .product = shop_,
          .kind = "shop",
          .quantity_milli = 1000,
          .unit_price = 2400,
          .amount = 24,
          .sold_at_us = At("2026-01-10T12:00:00Z")});
    Sale({.station = kumasi_,
          .product = fitted_.product,
          .quantity_milli = 6689,
          .unit_price = 149500,
          .amount = 10000,
          .sold_at_us = At("2026-01-31T23:59:59Z")});
    // February: not in January's return.
    Sale({.station = kumasi_,
          .product = shop_,
          .kind = "shop",
          .quantity_milli = 1000,
          .unit_price = 1000000,
          .amount = 10000,
          .sold_at_us = At("2026-02-01T00:00:00Z")});

    ApiResponse jan = As(admin_, Method::kGet, "/api/v1/tax/vat-return?month=2026-01");
    ASSERT_EQ(jan.status, 200) << jan.raw.body;
    const json& d = jan.data();
    EXPECT_EQ(d["from"], "2026-01-01");
    EXPECT_EQ(d["to"], "2026-01-31");
    ASSERT_EQ(d["taxes"].size(), 4U);  // the refunded 2025 sale brings the COVID levy
    ASSERT_EQ(d["stations"].size(), 2U);
    EXPECT_EQ(d["stations"][0]["station_code"], "S-ACC1");
    // 120.00 + 10.00 - 10.00 - 121.90 = -1.90: VAT 15.00 + 1.25 - 1.25 - 15.90 = -0.90, NHIL and
    // GETFund 2.50 + 0.21 - 0.21 - 2.50 = 0, COVID -1.00, value 100.00 + 8.33 - 8.33 - 100.00.
    EXPECT_EQ(Figures(d["stations"][0]), "4 -1.90 0.00 -0.90 0.00 0.00 -1.00 450.00");
    EXPECT_EQ(Figures(d["stations"][1]), "1 0.24 0.19 0.03 0.01 0.01 0.00 100.00");
    EXPECT_EQ(Figures(d["totals"]), "5 -1.66 0.19 -0.87 0.01 0.01 -1.00 550.00");
    EXPECT_EQ(d["totals"]["total_sales"], "548.34");

    ApiResponse dec = As(admin_, Method::kGet, "/api/v1/tax/vat-return?month=2025-12");
    ASSERT_EQ(dec.status, 200) << dec.raw.body;
    // 121.90 + 1.00: VAT 15.90 + 0.13, NHIL 2.50 + 0.02, GETFund 2.50 + 0.02, COVID 1.00 + 0.01.
    EXPECT_EQ(Figures(dec.data()["stations"][0]), "2 122.90 100.82 16.03 2.52 2.52 1.01 0.00");

    ApiResponse csv = As(admin_, Method::kGet, "/api/v1/tax/vat-return?month=2026-01&format=csv");
    ASSERT_EQ(csv.status, 200) << csv.raw.body;
    EXPECT_EQ(csv.raw.content_type, "text/csv; charset=utf-8");
    EXPECT_EQ(csv.Header("Content-Disposition"), "attachment; filename=\"vat-return-2026-01.csv\"");
    EXPECT_EQ(csv.raw.body,
              "station_code,station_name,standard_lines,standard_rated_amount,taxable_value,VAT,"
              "NHIL,GETFUND,COVID,total_tax,exempt_amount,total_sales\r\n"
              "S-ACC1,S-ACC1,4,-1.90,0.00,-0.90,0.00,0.00,-1.00,-1.90,450.00,448.10\r\n"
              "S-KSI1,S-KSI1,1,0.24,0.19,0.03,0.01,0.01,0.00,0.05,100.00,100.24\r\n");
    ApiResponse xlsx = As(admin_, Method::kGet, "/api/v1/tax/vat-return?month=2026-01&format=xlsx");
    ASSERT_EQ(xlsx.status, 200);
    EXPECT_EQ(xlsx.raw.body.substr(0, 2), "PK");
    ApiResponse pdf = As(admin_, Method::kGet, "/api/v1/tax/vat-return?month=2026-01&format=pdf");
    ASSERT_EQ(pdf.status, 200);
    EXPECT_EQ(pdf.raw.content_type, "application/pdf");
    EXPECT_EQ(pdf.raw.body.substr(0, 5), "%PDF-");

    // One station; a StationManager sees only theirs.
    ApiResponse one = As(admin_, Method::kGet,
                         "/api/v1/tax/vat-return?month=2026-01&station=" + kumasi_.ToString());
    ASSERT_EQ(one.data()["stations"].size(), 1U);
    // No COVID column: no line of this station needed the 2025 rules.
    EXPECT_EQ(Figures(one.data()["totals"]), "1 0.24 0.19 0.03 0.01 0.01 - 100.00");
    AddUser(tenant_a_, "ama-manager", identity::Role::kStationManager, {accra_});
    const std::string manager = TokenFor("ama-manager");
    ApiResponse mine = As(manager, Method::kGet, "/api/v1/tax/vat-return?month=2026-01");
    ASSERT_EQ(mine.data()["stations"].size(), 1U);
    EXPECT_EQ(mine.data()["stations"][0]["station_code"], "S-ACC1");
    EXPECT_EQ(As(manager, Method::kGet,
                 "/api/v1/tax/vat-return?month=2026-01&station=" + kumasi_.ToString())
                  .status,
              404);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/tax/vat-return?month=2026-1").ErrorField(),
              "month");
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/tax/vat-return").ErrorField(), "month");
    EXPECT_EQ(
        As(admin_, Method::kGet, "/api/v1/tax/vat-return?month=2026-01&format=doc").ErrorField(),
        "format");
}

}  // namespace
}  // namespace omc::tax
