// Strapping charts, settings, dips and deliveries through the API, on both engines: exact
// figures from the models, every refusal with the field it names, scopes and permissions.
//
// The fitted tank's chart is linear, 15 L per mm up to 2000 mm (30 000 L); its safe fill is
// 28 500 L. PMS at ρ15 745.0 kg/m³ and 30.00 °C corrects to 15 °C by VCF 0.9817 (Table 54B:
// α15 = 346.4228/745² + 0.4388/745, exp(-α·15·(1 + 0.8·α·15)) = 0.98171).
#include <gtest/gtest.h>

#include "domains/forecourt/forecourt_fixture.hpp"

namespace omc::forecourt {
namespace {

using http::Method;
using nlohmann::json;
using omc::testing::ApiResponse;

constexpr int64_t kHourUs = 3'600'000'000;
// Time between two dips: short, so the tokens taken at the start stay valid.
constexpr int64_t kStepUs = 120'000'000;

// Dips and deliveries are recorded at the station: the CompanyAdmin has neither dips.write nor
// deliveries.write.
class WetstockApiTest : public testing::FittedStationApiTest {
  protected:
    ApiResponse Dip(const std::string& token, int64_t height_mm, const std::string& purpose,
                    json extra = json::object()) {
        json body = DipBody(f_.tank, height_mm, purpose);
        body.update(extra);
        return As(token, Method::kPost, "/api/v1/dips", body);
    }

    // A delivery of 10 000 L at 30.00 °C, between the two dips' ids.
    json DeliveryBody(const std::string& before, const std::string& after,
                      const std::string& waybill = "WB-1001") {
        return ForecourtApiTest::DeliveryBody(f_.tank, before, after, clock_.NowUs(), waybill);
    }

    int64_t Count(const std::string& table) { return CountRows(tenant_a_, table); }
};

TEST_F(WetstockApiTest, ChartsAreEffectiveDatedAndListedNewestFirst) {
    const std::string path = "/api/v1/tanks/" + f_.tank + "/charts";
    ApiResponse later = As(admin_, Method::kPost, path,
                           {{"points", json::array({{{"height_mm", 10}, {"volume", "100.5"}},
                                                    {{"height_mm", 2100}, {"volume", "31000"}}})},
                            {"effective_from", FormatTimestamp(clock_.NowUs() + kStepUs)}});
    ASSERT_EQ(later.status, 201) << later.raw.body;
    EXPECT_EQ(later.data()["max_height_mm"], 2100);
    EXPECT_EQ(later.data()["capacity"], "31000.000");
    EXPECT_EQ(later.data()["points"][0]["volume"], "100.500");
    ApiResponse list = As(admin_, Method::kGet, path);
    ASSERT_EQ(list.status, 200);
    ASSERT_EQ(list.data().size(), 2u);
    EXPECT_EQ(list.data()[0]["id"], later.data()["id"]);
    EXPECT_EQ(list.data()[1]["id"], f_.chart);
    // Now the first chart is in force; two steps on, the second.
    EXPECT_EQ(Dip(manager_, 1000, "routine").data()["chart_id"], f_.chart);
    clock_.AdvanceUs(2 * kStepUs);
    EXPECT_EQ(Dip(manager_, 1000, "routine").data()["chart_id"], later.data()["id"]);
}

TEST_F(WetstockApiTest, ChartRulesNameTheField) {
    const std::string path = "/api/v1/tanks/" + f_.tank + "/charts";
    ApiResponse falling = As(admin_, Method::kPost, path,
                             {{"points", json::array({{{"height_mm", 0}, {"volume", "0"}},
                                                      {{"height_mm", 1000}, {"volume", "15000"}},
                                                      {{"height_mm", 2000}, {"volume", "14000"}}})},
                              {"effective_from", FormatTimestamp(clock_.NowUs() + kHourUs)}});
    EXPECT_EQ(falling.status, 400);
    EXPECT_EQ(falling.ErrorField(), "points[2].volume");
    ApiResponse flat = As(admin_, Method::kPost, path,
                          {{"points", json::array({{{"height_mm", 0}, {"volume", "0"}},
                                                   {{"height_mm", 0}, {"volume", "15000"}}})}});
    EXPECT_EQ(flat.status, 400);
    EXPECT_EQ(flat.ErrorField(), "points[1].height_mm");
    ApiResponse one = As(admin_, Method::kPost, path,
                         {{"points", json::array({{{"height_mm", 0}, {"volume", "0"}}})}});
    EXPECT_EQ(one.status, 400);
    EXPECT_EQ(one.ErrorField(), "points");
    ApiResponse small = As(admin_, Method::kPost, path,
                           {{"points", json::array({{{"height_mm", 0}, {"volume", "0"}},
                                                    {{"height_mm", 2000}, {"volume", "20000"}}})},
                            {"effective_from", FormatTimestamp(clock_.NowUs() + kHourUs)}});
    EXPECT_EQ(small.status, 422);
    EXPECT_EQ(small.ErrorField(), "points");
    ApiResponse past = As(admin_, Method::kPost, path,
                          {{"points", json::array({{{"height_mm", 0}, {"volume", "0"}},
                                                   {{"height_mm", 2000}, {"volume", "30000"}}})},
                           {"effective_from", FormatTimestamp(clock_.NowUs() - kHourUs)}});
    EXPECT_EQ(past.status, 400);
    EXPECT_EQ(past.ErrorField(), "effective_from");
    EXPECT_EQ(As(admin_, Method::kGet, path).data().size(), 1u);
}

TEST_F(WetstockApiTest, SettingsHaveDefaultsAndChange) {
    ApiResponse defaults = As(admin_, Method::kGet, "/api/v1/forecourt/settings");
    ASSERT_EQ(defaults.status, 200);
    EXPECT_EQ(defaults.data()["reference_temperature"], 15);
    EXPECT_EQ(defaults.data()["transit_loss_tolerance_bp"], 50);
    EXPECT_EQ(defaults.data()["variance_tolerance_bp"], 50);
    EXPECT_EQ(defaults.data()["variance_floor"], "10.000");
    EXPECT_EQ(defaults.data()["low_stock_days"], "3.00");
    EXPECT_EQ(defaults.data()["licence_warning_days"], 60);
    EXPECT_TRUE(defaults.data()["updated_at"].is_null());
    ApiResponse bad =
        As(admin_, Method::kPut, "/api/v1/forecourt/settings", {{"reference_temperature", 17}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.ErrorField(), "reference_temperature");
    ApiResponse put = As(admin_, Method::kPut, "/api/v1/forecourt/settings",
                         {{"reference_temperature", 20}, {"transit_loss_tolerance_bp", 30}});
    ASSERT_EQ(put.status, 200) << put.raw.body;
    ApiResponse now = As(admin_, Method::kGet, "/api/v1/forecourt/settings");
    EXPECT_EQ(now.data()["reference_temperature"], 20);
    EXPECT_EQ(now.data()["transit_loss_tolerance_bp"], 30);
    EXPECT_EQ(now.data()["variance_tolerance_bp"], 50);
    // A dip is now corrected to 20 °C, and says so.
    EXPECT_EQ(Dip(manager_, 1000, "routine").data()["reference_temperature"], "20.00");
}

TEST_F(WetstockApiTest, DipFiguresAreExact) {
    ApiResponse dip = Dip(manager_, 1000, "routine", {{"water_height_mm", 10}});
    ASSERT_EQ(dip.status, 201) << dip.raw.body;
    const json& d = dip.data();
    EXPECT_EQ(d["gross"], "15000.000");
    EXPECT_EQ(d["water"], "150.000");
    EXPECT_EQ(d["net_observed"], "14850.000");
    EXPECT_EQ(d["vcf"], "0.9817");
    EXPECT_EQ(d["standard"], "14578.245");  // 14 850 000 ml × 9817 / 10 000, exact
    EXPECT_EQ(d["density15"], "745.0");
    EXPECT_EQ(d["reference_temperature"], "15.00");
    EXPECT_EQ(d["book_stock"], "0.000");
    EXPECT_EQ(d["chart_id"], f_.chart);
    EXPECT_EQ(d["station_id"], station_.ToString());
    const std::string id = d["id"];
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/dips/" + id).data(), d);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/dips?tank_id=" + f_.tank).data().size(), 1u);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/dips?station_id=" + other_station_.ToString())
                  .data()
                  .size(),
              0u);
    // A given ρ15 wins over the product's.
    ApiResponse given = Dip(manager_, 1000, "routine", {{"density15", "832.0"}});
    ASSERT_EQ(given.status, 201) << given.raw.body;
    EXPECT_EQ(given.data()["density15"], "832.0");
    EXPECT_NE(given.data()["vcf"], "0.9817");
    // The client's id is kept, and a second dip with it is refused.
    const std::string client_id = "0190f5a8-1c2d-7e3f-8a4b-5c6d7e8f9a0b";
    EXPECT_EQ(Dip(manager_, 500, "routine", {{"id", client_id}}).status, 201);
    ApiResponse again = Dip(manager_, 500, "routine", {{"id", client_id}});
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.ErrorField(), "id");
}

TEST_F(WetstockApiTest, DipRulesNameTheField) {
    ApiResponse high = Dip(manager_, 2100, "routine");
    EXPECT_EQ(high.status, 400);
    EXPECT_EQ(high.ErrorField(), "height_mm");
    ApiResponse water = Dip(manager_, 100, "routine", {{"water_height_mm", 200}});
    EXPECT_EQ(water.status, 400);
    EXPECT_EQ(water.ErrorField(), "water_height_mm");
    ApiResponse purpose = Dip(manager_, 100, "whenever");
    EXPECT_EQ(purpose.status, 400);
    EXPECT_EQ(purpose.ErrorField(), "purpose");
    ApiResponse future =
        Dip(manager_, 100, "routine", {{"taken_at", FormatTimestamp(clock_.NowUs() + kHourUs)}});
    EXPECT_EQ(future.status, 400);
    EXPECT_EQ(future.ErrorField(), "taken_at");
    // Before the chart took effect there is no chart in force.
    ApiResponse early =
        Dip(manager_, 100, "routine", {{"taken_at", FormatTimestamp(clock_.NowUs() - kHourUs)}});
    EXPECT_EQ(early.status, 409);
    EXPECT_EQ(early.ErrorField(), "tank_id");
    EXPECT_EQ(Count("dips"), 0);
}

// The read-only conversion gives what recording the same reading stores, writes nothing, and
// names the field of a bad reading as the dip's body would.
TEST_F(WetstockApiTest, DipVolumeMatchesTheRecordedDipAndWritesNothing) {
    const std::string path = "/api/v1/tanks/" + f_.tank + "/dip-volume";
    const int64_t events = Count("outbox_events");
    ApiResponse preview =
        As(manager_, Method::kGet, path + "?height_mm=1000&water_height_mm=10&temperature=30.00");
    ASSERT_EQ(preview.status, 200) << preview.raw.body;
    const json& p = preview.data();
    EXPECT_EQ(p["gross"], "15000.000");
    EXPECT_EQ(p["water"], "150.000");
    EXPECT_EQ(p["net_observed"], "14850.000");
    EXPECT_EQ(p["vcf"], "0.9817");
    EXPECT_EQ(p["standard"], "14578.245");
    EXPECT_EQ(p["density15"], "745.0");
    EXPECT_EQ(p["reference_temperature"], "15.00");
    EXPECT_EQ(p["chart_id"], f_.chart);
    EXPECT_EQ(p["tank_id"], f_.tank);
    EXPECT_EQ(Count("dips"), 0);
    EXPECT_EQ(Count("outbox_events"), events);
    // The same reading recorded stores the same figures; a given ρ15 is used the same way.
    ApiResponse dip = Dip(manager_, 1000, "routine", {{"water_height_mm", 10}});
    ASSERT_EQ(dip.status, 201) << dip.raw.body;
    for (const char* field : {"gross", "water", "net_observed", "vcf", "standard", "density15"}) {
        EXPECT_EQ(dip.data()[field], p[field]) << field;
    }
    ApiResponse given_preview = As(manager_, Method::kGet,
                                   path +
                                       "?height_mm=1234&water_height_mm=0&temperature=27.35"
                                       "&density15=832.0");
    ASSERT_EQ(given_preview.status, 200) << given_preview.raw.body;
    ApiResponse given =
        Dip(manager_, 1234, "routine",
            {{"water_height_mm", 0}, {"temperature", "27.35"}, {"density15", "832.0"}});
    ASSERT_EQ(given.status, 201) << given.raw.body;
    EXPECT_EQ(given.data()["standard"], given_preview.data()["standard"]);
    EXPECT_EQ(given.data()["vcf"], given_preview.data()["vcf"]);
    EXPECT_EQ(given_preview.data()["density15"], "832.0");
    // An operator (dips.write, forecourt.read) may convert too; nothing more is written.
    AddUser(tenant_a_, "ama-operator", identity::Role::kOperator, {station_});
    EXPECT_EQ(As(TokenFor("ama-operator"), Method::kGet,
                 path + "?height_mm=10&water_height_mm=0&temperature=25.00")
                  .status,
              200);
    EXPECT_EQ(Count("dips"), 2);

    // Refusals name the parameter, as the dip's body would.
    ApiResponse high =
        As(manager_, Method::kGet, path + "?height_mm=2100&water_height_mm=0&temperature=30.00");
    EXPECT_EQ(high.status, 400);
    EXPECT_EQ(high.ErrorField(), "height_mm");
    ApiResponse water =
        As(manager_, Method::kGet, path + "?height_mm=100&water_height_mm=200&temperature=30.00");
    EXPECT_EQ(water.status, 400);
    EXPECT_EQ(water.ErrorField(), "water_height_mm");
    ApiResponse text =
        As(manager_, Method::kGet, path + "?height_mm=12.5&water_height_mm=0&temperature=30.00");
    EXPECT_EQ(text.status, 400);
    EXPECT_EQ(text.ErrorField(), "height_mm");
    ApiResponse missing = As(manager_, Method::kGet, path + "?height_mm=100&water_height_mm=0");
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(missing.ErrorField(), "temperature");
    ApiResponse hot =
        As(manager_, Method::kGet, path + "?height_mm=100&water_height_mm=0&temperature=abc");
    EXPECT_EQ(hot.status, 400);
    EXPECT_EQ(hot.ErrorField(), "temperature");
    ApiResponse early = As(manager_, Method::kGet,
                           path + "?height_mm=100&water_height_mm=0&temperature=30.00&taken_at=" +
                               FormatTimestamp(clock_.NowUs() - kHourUs));
    EXPECT_EQ(early.status, 409);
    EXPECT_EQ(early.ErrorField(), "tank_id");
    // Another station's manager does not see the tank.
    AddUser(tenant_a_, "yaw-manager", identity::Role::kStationManager, {other_station_});
    EXPECT_EQ(As(TokenFor("yaw-manager"), Method::kGet,
                 path + "?height_mm=100&water_height_mm=0&temperature=30.00")
                  .status,
              404);
    EXPECT_EQ(Count("dips"), 2);
}

TEST_F(WetstockApiTest, DeliveryComputesShortageClaimAndStock) {
    ApiResponse before = Dip(manager_, 200, "before_delivery");  // 3 000 L observed
    ASSERT_EQ(before.status, 201) << before.raw.body;
    clock_.AdvanceUs(kStepUs);
    ApiResponse after = Dip(manager_, 860, "after_delivery");  // 12 900 L observed
    ASSERT_EQ(after.status, 201) << after.raw.body;
    ApiResponse delivery = As(manager_, Method::kPost, "/api/v1/deliveries",
                              DeliveryBody(before.data()["id"], after.data()["id"]));
    ASSERT_EQ(delivery.status, 201) << delivery.raw.body;
    const json& d = delivery.data();
    EXPECT_EQ(d["loaded_vcf"], "0.9817");
    EXPECT_EQ(d["loaded_standard"], "9817.000");
    EXPECT_EQ(d["received_standard"], "9718.830");  // 12 663.930 - 2 945.100
    EXPECT_EQ(d["shortage"], "98.170");
    EXPECT_EQ(d["allowance"], "49.085");  // 50 bp of 9 817.000
    EXPECT_EQ(d["claimable"], "49.085");
    EXPECT_EQ(d["claim_unit_price"], "14.95");
    EXPECT_EQ(d["claim_amount"], "733.82");  // 49.085 × 14.95 = 733.82075, half-even
    EXPECT_EQ(d["compartments"].size(), 2u);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/tanks/" + f_.tank).data()["book_stock"],
              "9718.830");
    EXPECT_EQ(Count("stock_movements"), 1);
    const std::string id = d["id"];
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/deliveries/" + id).data(), d);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/deliveries").data().size(), 1u);
    ApiResponse claims = As(admin_, Method::kGet, "/api/v1/transit-loss-claims");
    ASSERT_EQ(claims.data().size(), 1u);
    EXPECT_EQ(claims.data()[0]["transporter"], "Haulage Ltd");
    EXPECT_EQ(claims.data()[0]["waybill_no"], "WB-1001");
    EXPECT_EQ(claims.data()[0]["claim_amount"], "733.82");
    // The same waybill into the same tank again.
    ApiResponse twice = As(manager_, Method::kPost, "/api/v1/deliveries",
                           DeliveryBody(before.data()["id"], after.data()["id"]));
    EXPECT_EQ(twice.status, 409);
    EXPECT_EQ(twice.ErrorField(), "waybill_no");
    EXPECT_EQ(Count("deliveries"), 1);
}

TEST_F(WetstockApiTest, OverfillIsRefusedAndNothingIsWritten) {
    ApiResponse before = Dip(manager_, 1800, "before_delivery");  // 27 000 L; safe fill 28 500 L
    clock_.AdvanceUs(kStepUs);
    ApiResponse after = Dip(manager_, 1900, "after_delivery");
    ASSERT_EQ(after.status, 201) << after.raw.body;
    ApiResponse over = As(manager_, Method::kPost, "/api/v1/deliveries",
                          DeliveryBody(before.data()["id"], after.data()["id"]));
    EXPECT_EQ(over.status, 422) << over.raw.body;
    EXPECT_EQ(over.ErrorField(), "loaded_volume");
    EXPECT_EQ(Count("deliveries"), 0);
    EXPECT_EQ(Count("stock_movements"), 0);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/tanks/" + f_.tank).data()["book_stock"], "0.000");
}

TEST_F(WetstockApiTest, DeliveryRulesNameTheField) {
    ApiResponse before = Dip(manager_, 200, "before_delivery");
    ApiResponse routine = Dip(manager_, 300, "routine");
    clock_.AdvanceUs(kStepUs);
    ApiResponse after = Dip(manager_, 860, "after_delivery");
    json swapped = DeliveryBody(after.data()["id"], before.data()["id"]);
    ApiResponse r = As(manager_, Method::kPost, "/api/v1/deliveries", swapped);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.ErrorField(), "dip_before_id");
    r = As(manager_, Method::kPost, "/api/v1/deliveries",
           DeliveryBody(routine.data()["id"], after.data()["id"]));
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.ErrorField(), "dip_before_id");
    json sum = DeliveryBody(before.data()["id"], after.data()["id"]);
    sum["loaded_volume"] = "9000";
    r = As(manager_, Method::kPost, "/api/v1/deliveries", sum);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.ErrorField(), "loaded_volume");
    json many = DeliveryBody(before.data()["id"], after.data()["id"]);
    many["compartments"] = json::array();
    r = As(manager_, Method::kPost, "/api/v1/deliveries", many);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.ErrorField(), "compartments");
    EXPECT_EQ(Count("deliveries"), 0);
}

TEST_F(WetstockApiTest, ScopesAndPermissions) {
    const testing::FittedStation there = FitOut(admin_, other_station_, "AGO");
    AddUser(tenant_a_, "kofi-manager", identity::Role::kStationManager, {other_station_});
    AddUser(tenant_a_, "esi-operator", identity::Role::kOperator, {station_});
    const std::string manager = TokenFor("kofi-manager");
    const std::string operator_token = TokenFor("esi-operator");
    ApiResponse before = Dip(operator_token, 200, "before_delivery");
    ASSERT_EQ(before.status, 201) << before.raw.body;
    clock_.AdvanceUs(kStepUs);
    ApiResponse after = Dip(operator_token, 860, "after_delivery");
    ASSERT_EQ(after.status, 201) << after.raw.body;
    // The operator dips but does not record deliveries.
    EXPECT_EQ(As(operator_token, Method::kPost, "/api/v1/deliveries",
                 DeliveryBody(before.data()["id"], after.data()["id"]))
                  .status,
              403);
    // The other station's manager sees none of it.
    const std::string dip_id = before.data()["id"];
    EXPECT_EQ(As(manager, Method::kGet, "/api/v1/dips/" + dip_id).status, 404);
    EXPECT_EQ(As(manager, Method::kGet, "/api/v1/tanks/" + f_.tank + "/charts").status, 404);
    EXPECT_EQ(As(manager, Method::kGet, "/api/v1/dips").data().size(), 0u);
    EXPECT_EQ(As(manager, Method::kGet, "/api/v1/dips?station_id=" + station_.ToString()).status,
              404);
    ApiResponse foreign = Dip(manager, 200, "routine");
    EXPECT_EQ(foreign.status, 422);
    EXPECT_EQ(foreign.ErrorField(), "tank_id");
    ApiResponse delivery = As(manager_, Method::kPost, "/api/v1/deliveries",
                              DeliveryBody(before.data()["id"], after.data()["id"]));
    ASSERT_EQ(delivery.status, 201) << delivery.raw.body;
    const std::string delivery_id = delivery.data()["id"];
    EXPECT_EQ(As(manager, Method::kGet, "/api/v1/deliveries/" + delivery_id).status, 404);
    EXPECT_EQ(As(manager, Method::kGet, "/api/v1/transit-loss-claims").data().size(), 0u);
    EXPECT_EQ(As(manager, Method::kPost, "/api/v1/deliveries",
                 DeliveryBody(before.data()["id"], after.data()["id"], "WB-2"))
                  .status,
              422);
    // And a manager may not change charts or settings.
    EXPECT_EQ(
        As(manager, Method::kPut, "/api/v1/forecourt/settings", {{"reference_temperature", 20}})
            .status,
        403);
    EXPECT_EQ(Dip(manager, 200, "routine", {{"tank_id", there.tank}}).status, 201);
}

}  // namespace
}  // namespace omc::forecourt
