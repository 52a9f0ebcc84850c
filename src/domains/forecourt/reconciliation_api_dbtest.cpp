// Reconciliation, stock adjustments and alerts through the API, on both engines: planted
// losses read back exactly, the four-way check of a closed shift, alerts raised once and
// cleared by the system, people's acknowledgements and resolutions, every refusal naming its
// field with nothing written, and scopes.
//
// The fitted tank's chart is linear, 15 L per mm (1000 mm = 15 000 L). Dips here are taken at
// 15.00 °C, where the volume correction factor is exactly 1.0000, so standard volumes equal the
// chart's and every figure below is exact arithmetic on round numbers.
#include <gtest/gtest.h>

#include "domains/forecourt/forecourt_fixture.hpp"

namespace omc::forecourt {
namespace {

using http::Method;
using nlohmann::json;
using omc::testing::ApiResponse;

// Between two steps of a scenario: short, so the tokens taken at the start stay valid.
constexpr int64_t kStepUs = 120'000'000;
constexpr int64_t kDayUs = 86'400'000'000;

class ReconciliationApiTest : public testing::FittedStationApiTest {
  protected:
    void SetUp() override {
        FittedStationApiTest::SetUp();
        attendant_ = AddUser(tenant_a_, "kwame-attendant", identity::Role::kOperator, {station_});
        AddUser(tenant_a_, "kofi-manager", identity::Role::kStationManager, {other_station_});
        operator_ = TokenFor("kwame-attendant");
        other_manager_ = TokenFor("kofi-manager");
    }

    ApiResponse Dip(int64_t height_mm, const std::string& purpose = "routine",
                    int64_t water_mm = 0) {
        return As(manager_, Method::kPost, "/api/v1/dips",
                  DipBody(f_.tank, height_mm, purpose, water_mm, "15.00"));
    }
    ApiResponse Adjust(const json& body, const std::string& token = "") {
        return As(token.empty() ? manager_ : token, Method::kPost,
                  "/api/v1/tanks/" + f_.tank + "/adjustments", body);
    }
    std::string OpenShift(const std::string& totalizer) {
        ApiResponse r = As(
            manager_, Method::kPost, "/api/v1/shifts",
            {{"station_id", station_.ToString()},
             {"attendants",
              json::array({{{"pump_id", f_.pump}, {"attendant_id", attendant_.id.ToString()}}})},
             {"totalizers", json::array({{{"nozzle_id", f_.nozzle}, {"totalizer", totalizer}}})}});
        EXPECT_EQ(r.status, 201) << r.raw.body;
        return r.status == 201 ? r.data()["id"].get<std::string>() : std::string();
    }
    void Sell(const std::string& litres) {
        ApiResponse r = As(operator_, Method::kPost, "/api/v1/transactions",
                           {{"id", ids_.NewV7().ToString()},
                            {"station_id", station_.ToString()},
                            {"nozzle_id", f_.nozzle},
                            {"quantity", litres},
                            {"payment_method", "cash"}});
        EXPECT_EQ(r.status, 201) << r.raw.body;
    }
    ApiResponse CloseShift(const std::string& id, const std::string& totalizer,
                           const std::string& cash) {
        return As(
            manager_, Method::kPost, "/api/v1/shifts/" + id + "/close",
            {{"totalizers", json::array({{{"nozzle_id", f_.nozzle}, {"totalizer", totalizer}}})},
             {"collections", json::array({{{"attendant_id", attendant_.id.ToString()},
                                           {"cash", cash},
                                           {"momo", "0"},
                                           {"card", "0"}}})}});
    }
    json Alerts(const std::string& query, const std::string& token = "") {
        ApiResponse r = As(token.empty() ? admin_ : token, Method::kGet, "/api/v1/alerts" + query);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return r.status == 200 ? r.data() : json::array();
    }
    std::string Today() const { return FormatTimestamp(clock_.NowUs()).substr(0, 10); }
    std::string DateIn(int64_t days) const {
        return FormatTimestamp(clock_.NowUs() + days * kDayUs).substr(0, 10);
    }
    std::string BookStock() {
        return As(admin_, Method::kGet, "/api/v1/tanks/" + f_.tank).data()["book_stock"];
    }
    void SetLicence(const std::string& expires_on) {
        auto done = db::InTransaction(
            *database_, {.tenant = tenant_a_}, [&](db::Transaction& tx) -> Result<void> {
                OMC_TRY(tx.Execute({"test.set_licence",
                                    "UPDATE stations SET npa_licence_no = 'NPA/RO/0042', "
                                    "npa_licence_expires_on = $3 WHERE tenant_id = $1 AND id = $2"},
                                   {tenant_a_, station_, expires_on}));
                return Ok();
            });
        ASSERT_TRUE(done.ok()) << done.error().message();
    }

    std::string operator_, other_manager_;
    identity::User attendant_;
};

TEST_F(ReconciliationApiTest, ADayShowsAPlantedLossExactlyAndRaisesOneVarianceAlert) {
    // 15 000 L in the books and in the tank; 1 080 L sold; the closing dip finds 13 800 L, not
    // the 13 920 L the books say: 120 L lost.
    ASSERT_EQ(Adjust({{"quantity", "15000"}, {"reason", "Opening stock"}}).status, 201);
    clock_.AdvanceUs(kStepUs);
    ApiResponse opening = Dip(1000, "opening");
    ASSERT_EQ(opening.status, 201) << opening.raw.body;
    clock_.AdvanceUs(kStepUs);
    OpenShift("1000");
    Sell("1080");
    clock_.AdvanceUs(kStepUs);
    ApiResponse closing = Dip(920, "closing");
    ASSERT_EQ(closing.status, 201) << closing.raw.body;

    ApiResponse r =
        As(manager_, Method::kGet,
           "/api/v1/tanks/" + f_.tank + "/reconciliation?from=" + Today() + "&to=" + DateIn(1));
    ASSERT_EQ(r.status, 200) << r.raw.body;
    ASSERT_EQ(r.data()["days"].size(), 2u);
    const json& day = r.data()["days"][0];
    EXPECT_EQ(day["business_date"], Today());
    EXPECT_EQ(day["opening_dip_id"], opening.data()["id"]);
    EXPECT_EQ(day["closing_dip_id"], closing.data()["id"]);
    EXPECT_EQ(day["opening"], "15000.000");
    EXPECT_EQ(day["closing"], "13800.000");
    EXPECT_EQ(day["deliveries"], "0.000");
    EXPECT_EQ(day["adjustments"], "0.000");  // before the opening dip
    EXPECT_EQ(day["metered_sales_ambient"], "1080.000");
    EXPECT_EQ(day["metered_sales"], "1080.000");
    EXPECT_EQ(day["book_closing"], "13920.000");
    EXPECT_EQ(day["variance"], "120.000");
    EXPECT_EQ(day["variance_bp"], 1111);           // 120 / 1 080 = 11.11 %
    EXPECT_EQ(day["allowed_variance"], "10.000");  // the 10 L floor beats 50 bp of 1 080 L
    EXPECT_EQ(day["within_tolerance"], false);
    EXPECT_EQ(day["cumulative_variance"], "120.000");
    EXPECT_TRUE(day["reason"].is_null());
    // The next day opens on the closing dip and has no closing one yet: no figures invented.
    const json& next = r.data()["days"][1];
    EXPECT_EQ(next["opening_dip_id"], closing.data()["id"]);
    EXPECT_TRUE(next["variance"].is_null());
    EXPECT_EQ(next["reason"], "no closing dip after the opening dip");
    EXPECT_TRUE(next["cumulative_variance"].is_null());
    EXPECT_EQ(r.data()["cumulative_variance"], "120.000");

    // The closing dip raised one variance alert for the day; a further dip (nothing sold since)
    // judges the same day again and raises no second one.
    json variance = Alerts("?kind=variance");
    ASSERT_EQ(variance.size(), 1u);
    EXPECT_EQ(variance[0]["status"], "open");
    EXPECT_EQ(variance[0]["tank_id"], f_.tank);
    EXPECT_EQ(variance[0]["details"]["variance"], "120.000");
    EXPECT_EQ(variance[0]["dedupe_key"], "variance:" + f_.tank + ":" + Today());
    clock_.AdvanceUs(kStepUs);
    ASSERT_EQ(Dip(920).status, 201);
    EXPECT_EQ(Alerts("?kind=variance").size(), 1u);
    EXPECT_EQ(CountRows(tenant_a_, "outbox_events", "type = 'forecourt.alert_raised'"), 1);
    // The adjustment was recorded with its event and audited.
    EXPECT_EQ(CountRows(tenant_a_, "outbox_events", "type = 'forecourt.stock_adjusted'"), 1);
}

TEST_F(ReconciliationApiTest, AClosedShiftIsReconciledWithItsFourWayCheck) {
    ASSERT_EQ(Adjust({{"quantity", "15000"}, {"reason", "Opening stock"}}).status, 201);
    ASSERT_EQ(Dip(1000, "opening").status, 201);  // 15 000 L
    const std::string shift = OpenShift("1000");
    clock_.AdvanceUs(kStepUs);
    Sell("140");  // GH₵ 2 093.00
    clock_.AdvanceUs(kStepUs);
    const std::string path = "/api/v1/shifts/" + shift + "/reconciliation";
    ApiResponse open = As(manager_, Method::kGet, path);
    EXPECT_EQ(open.status, 409);
    EXPECT_EQ(open.ErrorField(), "id");
    // The meters say 150 L (10 L pumped without a sale); GH₵ 2 000.00 handed over.
    ASSERT_EQ(CloseShift(shift, "1150", "2000.00").status, 200);
    ASSERT_EQ(Dip(985, "closing").status, 201);  // 14 775 L: 225 L left the tank

    ApiResponse r = As(manager_, Method::kGet, path);
    ASSERT_EQ(r.status, 200) << r.raw.body;
    ASSERT_EQ(r.data()["tanks"].size(), 1u);
    const json& tank = r.data()["tanks"][0];
    EXPECT_EQ(tank["tank_id"], f_.tank);
    EXPECT_EQ(tank["opening"], "15000.000");
    EXPECT_EQ(tank["closing"], "14775.000");
    EXPECT_EQ(tank["metered_sales"], "150.000");
    EXPECT_EQ(tank["recorded_sales"], "140.000");
    EXPECT_EQ(tank["variance"], "75.000");  // 15 000 - 150 - 14 775
    EXPECT_EQ(tank["variance_bp"], 5000);
    EXPECT_EQ(tank["within_tolerance"], false);
    const json& four = r.data()["four_way"];
    EXPECT_EQ(four["totalizer_sales"], "150.000");
    EXPECT_EQ(four["recorded_sales"], "140.000");
    EXPECT_EQ(four["tank_movement"], "225.000");
    EXPECT_EQ(four["recorded_minus_totalizer"], "-10.000");
    EXPECT_EQ(four["tank_minus_totalizer"], "75.000");
    EXPECT_EQ(four["tank_minus_recorded"], "85.000");
    EXPECT_EQ(four["expected_money"], "2242.50");  // 150 L × 14.95
    EXPECT_EQ(four["collected_money"], "2000.00");
    EXPECT_EQ(four["collected_minus_expected"], "-242.50");
    EXPECT_TRUE(four["reason"].is_null());
    // Another station's manager does not see the shift.
    EXPECT_EQ(As(other_manager_, Method::kGet, path).status, 404);
}

TEST_F(ReconciliationApiTest, AShiftWithoutDipsSaysSoInsteadOfInventingFigures) {
    const std::string shift = OpenShift("1000");
    clock_.AdvanceUs(kStepUs);
    Sell("40");
    ASSERT_EQ(CloseShift(shift, "1040", "598.00").status, 200);
    ApiResponse r = As(manager_, Method::kGet, "/api/v1/shifts/" + shift + "/reconciliation");
    ASSERT_EQ(r.status, 200) << r.raw.body;
    const json& tank = r.data()["tanks"][0];
    EXPECT_EQ(tank["metered_sales_ambient"], "40.000");
    EXPECT_EQ(tank["recorded_sales_ambient"], "40.000");
    EXPECT_TRUE(tank["variance"].is_null());
    EXPECT_EQ(tank["reason"], "no opening dip");
    EXPECT_EQ(r.data()["four_way"], json({{"reason", "tank T1: no opening dip"}}));
}

TEST_F(ReconciliationApiTest, LowStockGivesDaysOfCoverFromTheTanksSales) {
    ASSERT_EQ(Adjust({{"quantity", "4000"}, {"reason", "Opening stock"}}).status, 201);
    OpenShift("1000");
    Sell("1500");  // sales do not evaluate alerts: the group commit stays as it was
    EXPECT_EQ(Alerts("?kind=low_stock").size(), 0u);
    clock_.AdvanceUs(kStepUs);
    ASSERT_EQ(Adjust({{"quantity", "-100"}, {"reason", "Sample"}}).status, 201);
    // 2 400 L left, 1 500 L sold over the last 7 days: 2 400 × 7 / 1 500 = 11.2 days.
    json low = Alerts("?kind=low_stock");
    ASSERT_EQ(low.size(), 1u);
    EXPECT_EQ(low[0]["details"]["days_of_cover"], "11.2");
    EXPECT_EQ(low[0]["details"]["book_stock"], "2400.000");
    EXPECT_EQ(low[0]["severity"], "warning");  // more than the 3 days of the settings
    EXPECT_NE(low[0]["message"].get<std::string>().find("about 11.2 days of cover"),
              std::string::npos);
}

TEST_F(ReconciliationApiTest, ReconciliationRefusesBadRangesNamingTheField) {
    const std::string path = "/api/v1/tanks/" + f_.tank + "/reconciliation";
    ApiResponse r = As(admin_, Method::kGet, path + "?to=" + Today());
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.ErrorField(), "from");
    r = As(admin_, Method::kGet, path + "?from=2023-02-30&to=2023-03-01");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.ErrorField(), "from");
    r = As(admin_, Method::kGet, path + "?from=" + Today() + "&to=" + DateIn(-1));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.ErrorField(), "to");
    r = As(admin_, Method::kGet, path + "?from=" + Today() + "&to=" + DateIn(92));
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.ErrorField(), "to");
    r = As(admin_, Method::kGet, path + "?from=" + Today() + "&to=" + DateIn(91));
    ASSERT_EQ(r.status, 200) << r.raw.body;
    EXPECT_EQ(r.data()["days"].size(), 92u);
    EXPECT_EQ(r.data()["days"][0]["reason"], "no opening dip");
    EXPECT_TRUE(r.data()["cumulative_variance"].is_null());
    EXPECT_EQ(As(other_manager_, Method::kGet, path + "?from=" + Today() + "&to=" + Today()).status,
              404);
}

TEST_F(ReconciliationApiTest, AdjustmentsMoveBookStockAndNeverBelowZero) {
    ApiResponse below = Adjust({{"quantity", "-5"}, {"reason", "Spill"}});
    EXPECT_EQ(below.status, 422) << below.raw.body;
    EXPECT_EQ(below.ErrorField(), "quantity");
    ApiResponse r = Adjust({{"quantity", "5"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.ErrorField(), "reason");
    r = Adjust({{"quantity", "5"}, {"reason", "   "}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.ErrorField(), "reason");
    r = Adjust({{"quantity", "0"}, {"reason", "Nothing"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.ErrorField(), "quantity");
    r = Adjust({{"quantity", 1.5}, {"reason", "A float"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.ErrorField(), "quantity");
    r = Adjust({{"quantity", "5"},
                {"reason", "Later"},
                {"occurred_at", FormatTimestamp(clock_.NowUs() + kDayUs)}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.ErrorField(), "occurred_at");
    EXPECT_EQ(Adjust({{"quantity", "5"}, {"reason", "Not mine"}}, operator_).status, 403);
    EXPECT_EQ(CountRows(tenant_a_, "stock_movements"), 0);
    EXPECT_EQ(BookStock(), "0.000");

    const std::string client_id = ids_.NewV7().ToString();  // the client's UUIDv7
    ApiResponse in =
        Adjust({{"id", client_id}, {"quantity", "2500.5"}, {"reason", "Opening stock"}});
    ASSERT_EQ(in.status, 201) << in.raw.body;
    EXPECT_EQ(in.data()["kind"], "adjustment");
    EXPECT_EQ(in.data()["quantity"], "2500.500");
    EXPECT_EQ(in.data()["book_stock"], "2500.500");
    EXPECT_EQ(in.data()["id"], client_id);
    ApiResponse again = Adjust({{"id", client_id}, {"quantity", "1"}, {"reason", "Retry"}});
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.ErrorField(), "id");
    EXPECT_EQ(BookStock(), "2500.500");
    clock_.AdvanceUs(kStepUs);  // ids (UUIDv7) then sort in time order
    ApiResponse out = Adjust({{"quantity", "-500.5"}, {"reason", "Tank cleaning"}});
    ASSERT_EQ(out.status, 201) << out.raw.body;
    EXPECT_EQ(BookStock(), "2000.000");
    // Taking more than the book holds is refused and changes nothing.
    EXPECT_EQ(Adjust({{"quantity", "-2000.001"}, {"reason", "Too much"}}).status, 422);
    EXPECT_EQ(BookStock(), "2000.000");
    ApiResponse list = As(admin_, Method::kGet, "/api/v1/tanks/" + f_.tank + "/movements");
    ASSERT_EQ(list.status, 200);
    ASSERT_EQ(list.data().size(), 2u);
    EXPECT_EQ(list.data()[0]["reason"], "Opening stock");
    EXPECT_EQ(list.data()[1]["quantity"], "-500.500");
    ApiResponse page = As(admin_, Method::kGet, "/api/v1/tanks/" + f_.tank + "/movements?limit=1");
    EXPECT_EQ(page.data().size(), 1u);
    EXPECT_EQ(As(other_manager_, Method::kGet, "/api/v1/tanks/" + f_.tank + "/movements").status,
              404);
    EXPECT_EQ(Adjust({{"quantity", "5"}, {"reason", "Not my tank"}}, other_manager_).status, 404);

    // 2 000 L is below the 3 000 L low level: one low-stock alert, cleared by a top-up.
    json low = Alerts("?kind=low_stock&status=open");
    ASSERT_EQ(low.size(), 1u);
    EXPECT_NE(low[0]["message"].get<std::string>().find("no sales in the last 7 days"),
              std::string::npos);
    ASSERT_EQ(Adjust({{"quantity", "5000"}, {"reason", "Recount"}}).status, 201);
    EXPECT_EQ(Alerts("?kind=low_stock&status=open").size(), 0u);
    json resolved = Alerts("?kind=low_stock&status=resolved");
    ASSERT_EQ(resolved.size(), 1u);
    EXPECT_EQ(resolved[0]["resolved_by"], "system");
}

TEST_F(ReconciliationApiTest, AWaterDipRaisesAnAlertAndADryDipResolvesIt) {
    ASSERT_EQ(Dip(1000, "routine", 60).status, 201);  // limit 50 mm
    json water = Alerts("?kind=water");
    ASSERT_EQ(water.size(), 1u);
    EXPECT_EQ(water[0]["status"], "open");
    EXPECT_EQ(water[0]["details"]["water_height_mm"], 60);
    ASSERT_EQ(Dip(1000, "routine", 70).status, 201);  // still wet: the same alert
    EXPECT_EQ(Alerts("?kind=water").size(), 1u);
    clock_.AdvanceUs(kStepUs);
    ASSERT_EQ(Dip(1000, "routine", 0).status, 201);
    water = Alerts("?kind=water");
    ASSERT_EQ(water.size(), 1u);
    EXPECT_EQ(water[0]["status"], "resolved");
    EXPECT_EQ(water[0]["resolved_by"], "system");
    EXPECT_EQ(Alerts("?kind=water&status=open").size(), 0u);
    EXPECT_EQ(CountRows(tenant_a_, "outbox_events", "type = 'forecourt.alert_resolved'"), 1);
}

TEST_F(ReconciliationApiTest, LicenceExpiryWarnsThenTurnsCritical) {
    SetLicence(DateIn(30));
    ApiResponse sweep = As(admin_, Method::kPost, "/api/v1/alerts/evaluate", json::object());
    ASSERT_EQ(sweep.status, 200) << sweep.raw.body;
    EXPECT_GE(sweep.data()["raised"].get<int>(), 1);
    json licence = Alerts("?kind=licence_expiry");
    ASSERT_EQ(licence.size(), 1u);
    EXPECT_EQ(licence[0]["severity"], "warning");
    EXPECT_EQ(licence[0]["station_id"], station_.ToString());
    EXPECT_EQ(licence[0]["details"]["days_left"], 30);
    // A second sweep finds nothing new.
    sweep = As(admin_, Method::kPost, "/api/v1/alerts/evaluate", json::object());
    EXPECT_EQ(sweep.data()["raised"], 0);
    EXPECT_EQ(Alerts("?kind=licence_expiry").size(), 1u);
    // Expired yesterday: the warning is resolved, a critical alert raised.
    SetLicence(DateIn(-1));
    sweep = As(manager_, Method::kPost, "/api/v1/alerts/evaluate",
               {{"station_id", station_.ToString()}});
    ASSERT_EQ(sweep.status, 200) << sweep.raw.body;
    EXPECT_EQ(sweep.data()["raised"], 1);
    EXPECT_EQ(sweep.data()["resolved"], 1);
    json open = Alerts("?kind=licence_expiry&status=open");
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0]["severity"], "critical");
    // A manager sweeps only stations they see.
    ApiResponse foreign = As(manager_, Method::kPost, "/api/v1/alerts/evaluate",
                             {{"station_id", other_station_.ToString()}});
    EXPECT_EQ(foreign.status, 422);
    EXPECT_EQ(foreign.ErrorField(), "station_id");
}

TEST_F(ReconciliationApiTest, PeopleAcknowledgeAndResolveAlertsOnce) {
    ASSERT_EQ(Dip(1000, "routine", 60).status, 201);
    const std::string id = Alerts("?kind=water")[0]["id"];
    const std::string path = "/api/v1/alerts/" + id;
    EXPECT_EQ(As(operator_, Method::kPost, path + "/acknowledge").status, 403);
    ApiResponse bad = As(manager_, Method::kPost, path + "/acknowledge", {{"note", 5}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.ErrorField(), "note");
    ApiResponse ack =
        As(manager_, Method::kPost, path + "/acknowledge", {{"note", "Water drained tomorrow"}});
    ASSERT_EQ(ack.status, 200) << ack.raw.body;
    EXPECT_EQ(ack.data()["status"], "acknowledged");
    EXPECT_EQ(ack.data()["acknowledged_note"], "Water drained tomorrow");
    ApiResponse again = As(manager_, Method::kPost, path + "/acknowledge");
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.ErrorField(), "id");
    ApiResponse resolved = As(manager_, Method::kPost, path + "/resolve");
    ASSERT_EQ(resolved.status, 200) << resolved.raw.body;
    EXPECT_EQ(resolved.data()["status"], "resolved");
    EXPECT_TRUE(resolved.data()["resolved_note"].is_null());
    EXPECT_EQ(As(manager_, Method::kPost, path + "/resolve").status, 409);
    EXPECT_EQ(As(manager_, Method::kPost, path + "/acknowledge").status, 409);
    EXPECT_EQ(As(admin_, Method::kGet, path).data()["status"], "resolved");
    EXPECT_EQ(CountRows(tenant_a_, "outbox_events", "type = 'forecourt.alert_acknowledged'"), 1);
    // Still wet: the next dip raises a new alert, as the old one is closed.
    ASSERT_EQ(Dip(1000, "routine", 60).status, 201);
    EXPECT_EQ(Alerts("?kind=water&status=open").size(), 1u);
    // Scope and filters.
    EXPECT_EQ(As(other_manager_, Method::kGet, path).status, 404);
    EXPECT_EQ(As(other_manager_, Method::kPost, path + "/resolve").status, 404);
    EXPECT_EQ(Alerts("", other_manager_).size(), 0u);
    EXPECT_EQ(
        As(other_manager_, Method::kGet, "/api/v1/alerts?station_id=" + station_.ToString()).status,
        404);
    ApiResponse status = As(admin_, Method::kGet, "/api/v1/alerts?status=closed");
    EXPECT_EQ(status.status, 400);
    EXPECT_EQ(status.ErrorField(), "status");
    ApiResponse kind = As(admin_, Method::kGet, "/api/v1/alerts?kind=fire");
    EXPECT_EQ(kind.status, 400);
    EXPECT_EQ(kind.ErrorField(), "kind");
}

TEST_F(ReconciliationApiTest, ADipPairServesOneDeliveryAndItsDayBalances) {
    ApiResponse before = Dip(200, "before_delivery");  // 3 000 L
    ASSERT_EQ(before.status, 201) << before.raw.body;
    clock_.AdvanceUs(kStepUs);
    ApiResponse after = Dip(860, "after_delivery");  // 12 900 L
    ASSERT_EQ(after.status, 201) << after.raw.body;
    clock_.AdvanceUs(kStepUs);
    auto body = [&](const std::string& waybill, const std::string& before_id,
                    const std::string& after_id) {
        return DeliveryBody(f_.tank, before_id, after_id, clock_.NowUs(), waybill, "15.00");
    };
    ApiResponse first = As(manager_, Method::kPost, "/api/v1/deliveries",
                           body("WB-1", before.data()["id"], after.data()["id"]));
    ASSERT_EQ(first.status, 201) << first.raw.body;
    EXPECT_EQ(first.data()["received_standard"], "9900.000");
    ApiResponse twice = As(manager_, Method::kPost, "/api/v1/deliveries",
                           body("WB-2", before.data()["id"], after.data()["id"]));
    EXPECT_EQ(twice.status, 409);
    EXPECT_EQ(twice.ErrorField(), "dip_before_id");
    ApiResponse fresh = Dip(860, "before_delivery");
    clock_.AdvanceUs(kStepUs);
    ApiResponse reused = As(manager_, Method::kPost, "/api/v1/deliveries",
                            body("WB-3", fresh.data()["id"], after.data()["id"]));
    EXPECT_EQ(reused.status, 409);
    EXPECT_EQ(reused.ErrorField(), "dip_after_id");
    EXPECT_EQ(CountRows(tenant_a_, "deliveries"), 1);
    EXPECT_EQ(CountRows(tenant_a_, "stock_movements"), 1);
    // The delivery is counted between its dips, so the day balances and raises no alert.
    ApiResponse day =
        As(admin_, Method::kGet,
           "/api/v1/tanks/" + f_.tank + "/reconciliation?from=" + Today() + "&to=" + Today());
    ASSERT_EQ(day.status, 200) << day.raw.body;
    EXPECT_EQ(day.data()["days"][0]["deliveries"], "9900.000");
    EXPECT_EQ(day.data()["days"][0]["variance"], "0.000");
    EXPECT_EQ(Alerts("?kind=variance").size(), 0u);
}

}  // namespace
}  // namespace omc::forecourt
