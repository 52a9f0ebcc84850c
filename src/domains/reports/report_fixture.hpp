// Stored facts for the tax and report tests, written straight into the forecourt's tables so
// the figures (and their dates, in 2025 and 2026) are exactly the tests' own: products through
// the API, sales, dips and stock movements by INSERT.
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "domains/forecourt/forecourt_fixture.hpp"

namespace omc::reports::testing {

inline TimestampUs At(const std::string& rfc3339) {
    const std::optional<TimestampUs> ts = ParseTimestamp(rfc3339);
    EXPECT_TRUE(ts.has_value()) << rfc3339;
    return ts.value_or(0);
}

class ReportFactsTest : public forecourt::testing::ForecourtApiTest {
  protected:
    // A product of tenant A through the API: kind shop or lubricant (unit each).
    std::string Product(const std::string& token, const std::string& code,
                        const std::string& kind) {
        const auto r =
            As(token, http::Method::kPost, "/api/v1/products",
               {{"code", code}, {"name", code + " item"}, {"kind", kind}, {"unit", "each"}});
        EXPECT_EQ(r.status, 201) << r.raw.body;
        return r.status == 201 ? r.data()["id"].get<std::string>() : std::string();
    }

    struct SaleFacts {
        Uuid station;
        std::string product;
        std::string kind = "fuel";  // fuel, shop, void, refund
        int64_t quantity_milli = 0;
        int64_t unit_price = 0;
        int64_t amount = 0;
        TimestampUs sold_at_us = 0;
        std::string tank;      // "" for none
        std::string reverses;  // "" for none
    };
    // Inserts a sale row of tenant A; returns its id.
    std::string Sale(const SaleFacts& s) {
        const Uuid id = ids_.NewV7();
        const int64_t receipt = ++receipt_no_;
        Run("test.insert_sale",
            "INSERT INTO sales (tenant_id, id, station_id, receipt_no, kind, product_id, tank_id, "
            "quantity_milli, unit_price, amount, payment_method, sold_at_us, recorded_at_us, "
            "recorded_by, reverses_id, reason, request_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, "
            "$8, $9, $10, 'cash', $11, $11, 'test', $12, $13, 'x')",
            {tenant_a_, id, s.station, receipt, s.kind, s.product, Opt(s.tank), s.quantity_milli,
             s.unit_price, s.amount, s.sold_at_us, Opt(s.reverses),
             s.reverses.empty() ? db::Param(db::Null{}) : db::Param("test reversal")});
        return id.ToString();
    }

    // A dip of tenant A's `tank` whose net standard volume is `standard_milli`.
    void Dip(const Uuid& station, const std::string& tank, TimestampUs taken_at_us,
             int64_t standard_milli) {
        Run("test.insert_dip",
            "INSERT INTO dips (tenant_id, id, station_id, tank_id, chart_id, taken_at_us, "
            "height_mm, water_height_mm, temperature_c100, density15_x10, "
            "reference_temperature_c100, gross_milli, water_milli, net_observed_milli, vcf_x10000, "
            "standard_milli, book_stock_milli, purpose, recorded_by, recorded_at_us) VALUES ($1, "
            "$2, $3, $4, $2, $5, 1000, 0, 1500, 7450, 1500, $6, 0, $6, 10000, $6, 0, 'routine', "
            "'test', $5)",
            {tenant_a_, ids_.NewV7(), station, tank, taken_at_us, standard_milli});
    }

    // A stock movement (delivery or adjustment) of tenant A's `tank`.
    void Movement(const Uuid& station, const std::string& tank, const std::string& kind,
                  int64_t quantity_milli, TimestampUs occurred_at_us) {
        Run("test.insert_movement",
            "INSERT INTO stock_movements (tenant_id, id, station_id, tank_id, kind, "
            "quantity_milli, "
            "reason, occurred_at_us, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, 'test', $7, "
            "'test')",
            {tenant_a_, ids_.NewV7(), station, tank, kind, quantity_milli, occurred_at_us});
    }

    // A station of tenant A in an existing region.
    Uuid StationIn(const Uuid& region, const std::string& code) {
        const Uuid station = ids_.NewV7();
        Run("test.insert_station",
            "INSERT INTO stations (tenant_id, id, code, name, region_id, operating_model, "
            "created_at_us, updated_at_us) VALUES ($1, $2, $3, $3, $4, 'COCO', 0, 0)",
            {tenant_a_, station, code, region});
        return station;
    }

  private:
    static db::Param Opt(const std::string& id) {
        return id.empty() ? db::Param(db::Null{}) : db::Param(id);
    }
    void Run(const char* name, const char* sql, const db::Params& params) {
        auto done = db::InTransaction(*database_, {.tenant = tenant_a_},
                                      [&](db::Transaction& tx) -> Result<void> {
                                          OMC_TRY(tx.Execute({name, sql}, params));
                                          return Ok();
                                      });
        ASSERT_TRUE(done.ok()) << done.error().message() << " " << done.error().detail();
    }
    int64_t receipt_no_ = 0;
};

}  // namespace omc::reports::testing
