// UPPF freight claims through the API, on both engines: the freight of a trip to the pesewa,
// the evidence rules (received delivery with its dips, diversions, trips claimed once), the
// claim workflow with its settlements, and the export for submission.
//
// The fitted tank's chart is linear, 15 L per mm; PMS at ρ15 745.0 and 30.00 °C corrects to
// 15 °C by VCF 0.9817. The fixture's delivery loads 10 000 L three hours before the fake clock's
// now (2023-11-14T22:13:20Z), so its loading date is 2023-11-14; between dips of 200 mm
// (3 000 L) and 860 mm (12 900 L) it receives 12 663.930 - 2 945.100 = 9 718.830 L at 15 °C.
// The freight rate used, GH₵ 0.0017 (0.17 pesewa) per litre per km, is an example, not NPA's.
#include <gtest/gtest.h>

#include "domains/forecourt/forecourt_fixture.hpp"

namespace omc::uppf {
namespace {

using http::Method;
using nlohmann::json;
using omc::testing::ApiResponse;

constexpr int64_t kStepUs = 120'000'000;

class UppfApiTest : public forecourt::testing::FittedStationApiTest {
  protected:
    void SetUp() override {
        FittedStationApiTest::SetUp();
        station_text_ = station_.ToString();
    }

    ApiResponse Post(const std::string& path, const json& body) {
        return As(admin_, Method::kPost, path, body);
    }
    ApiResponse Get(const std::string& path) { return As(admin_, Method::kGet, path); }
    // The balance of the ledger account of `code` (no dimensions), "none" when not opened.
    std::string Balance(const std::string& code) {
        ApiResponse r = Get("/api/v1/ledger/accounts?code=" + code);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        if (r.status != 200 || r.data().empty()) return "none";
        return r.data()[0]["balance"];
    }

    // A route from `depot` to `station` of `distance_km` from `from`.
    std::string Route(const Uuid& station, const std::string& distance_km,
                      const std::string& from = "2023-10-01", const std::string& depot = "Tema") {
        ApiResponse r = Post("/api/v1/uppf/routes", {{"depot", depot},
                                                     {"station_id", station.ToString()},
                                                     {"distance_km", distance_km},
                                                     {"effective_from", from}});
        EXPECT_EQ(r.status, 201) << r.raw.body;
        return r.status == 201 ? r.data()["id"].get<std::string>() : std::string();
    }
    void Rate(const std::string& rate, const std::string& from = "2023-10-01",
              json extra = json::object()) {
        json body{{"effective_from", from}, {"rate_per_litre_km", rate}};
        body.update(extra);
        ApiResponse r = Post("/api/v1/uppf/rates", body);
        EXPECT_EQ(r.status, 201) << r.raw.body;
    }
    // A delivery of the fixture's 10 000 L into `tank` by `manager`, between dips of 200 and
    // 860 mm; returns its id and the id of its after dip.
    std::pair<std::string, std::string> Delivery(const std::string& manager,
                                                 const std::string& tank,
                                                 const std::string& waybill = "WB-1001",
                                                 const std::string& depot = "Tema") {
        ApiResponse before =
            As(manager, Method::kPost, "/api/v1/dips", DipBody(tank, 200, "before_delivery"));
        EXPECT_EQ(before.status, 201) << before.raw.body;
        clock_.AdvanceUs(kStepUs);
        ApiResponse after =
            As(manager, Method::kPost, "/api/v1/dips", DipBody(tank, 860, "after_delivery"));
        EXPECT_EQ(after.status, 201) << after.raw.body;
        json body =
            DeliveryBody(tank, before.data()["id"], after.data()["id"], clock_.NowUs(), waybill);
        body["depot"] = depot;
        ApiResponse d = As(manager, Method::kPost, "/api/v1/deliveries", body);
        EXPECT_EQ(d.status, 201) << d.raw.body;
        if (d.status != 201) return {};
        return {d.data()["id"], after.data()["id"]};
    }
    std::string Claim(const std::string& period = "2023-11") {
        ApiResponse r = Post("/api/v1/uppf/claims", {{"period", period}});
        EXPECT_EQ(r.status, 201) << r.raw.body;
        return r.status == 201 ? r.data()["id"].get<std::string>() : std::string();
    }
    ApiResponse AddLine(const std::string& claim, const std::string& delivery,
                        const std::string& intended, const std::string& order = "PO-77") {
        return Post("/api/v1/uppf/claims/" + claim + "/lines",
                    {{"delivery_id", delivery},
                     {"intended_station_id", intended},
                     {"omc_order_no", order},
                     {"omc_invoice_no", "INV-2023-0411"}});
    }
    int64_t Events(const std::string& type) {
        return CountRows(tenant_a_, "outbox_events", "type = '" + type + "'");
    }

    std::string station_text_;
};

TEST_F(UppfApiTest, ClaimLineCarriesTheTripAndItsFreightToThePesewa) {
    const std::string route = Route(station_, "100.0");
    // The distance changes from 10 Nov (in force on the 14th) and again from 20 Nov (not yet).
    ApiResponse patch = As(admin_, Method::kPatch, "/api/v1/uppf/routes/" + route,
                           {{"distance_km", "123.4"}, {"effective_from", "2023-11-10"}});
    ASSERT_EQ(patch.status, 200) << patch.raw.body;
    EXPECT_EQ(patch.data()["distance_km"], "123.4");
    EXPECT_EQ(patch.data()["distances"].size(), 2u);
    ASSERT_EQ(As(admin_, Method::kPatch, "/api/v1/uppf/routes/" + route,
                 {{"distance_km", "200.0"}, {"effective_from", "2023-11-20"}})
                  .status,
              200);
    Rate("0.0017");
    Rate("0.0020", "2023-11-15", {{"quantity_basis", "received"}});  // starts after the trip
    const auto [delivery, after_dip] = Delivery(manager_, f_.tank);
    const std::string claim = Claim();
    ApiResponse line = AddLine(claim, delivery, station_text_);
    ASSERT_EQ(line.status, 201) << line.raw.body;
    const json& l = line.data();
    EXPECT_EQ(l["loading_date"], "2023-11-14");
    EXPECT_EQ(l["depot"], "Tema");
    EXPECT_EQ(l["bdc"], "BDC One");
    EXPECT_EQ(l["product_code"], "PMS");
    EXPECT_EQ(l["loaded_volume"], "10000.000");
    EXPECT_EQ(l["intended_station_id"], station_text_);
    EXPECT_EQ(l["station_id"], station_text_);
    EXPECT_EQ(l["brv_registration"], "GT 1234-20");
    EXPECT_EQ(l["transporter"], "Haulage Ltd");
    EXPECT_EQ(l["omc_order_no"], "PO-77");
    EXPECT_EQ(l["omc_invoice_no"], "INV-2023-0411");
    EXPECT_EQ(l["waybill_no"], "WB-1001");
    EXPECT_EQ(l["received_volume"], "9718.830");
    EXPECT_EQ(l["quantity_basis"], "loaded");
    EXPECT_EQ(l["route_id"], route);
    EXPECT_EQ(l["distance_km"], "123.4");
    EXPECT_EQ(l["rate_per_litre_km"], "0.0017");
    // 10 000 L × 123.4 km × 0.17 p = 209 780 p.
    EXPECT_EQ(l["amount"], "2097.80");
    EXPECT_EQ(l["claimable_amount"], "2097.80");
    EXPECT_EQ(l["diverted"], false);
    EXPECT_TRUE(l["exclusion"].is_null());
    ApiResponse got = Get("/api/v1/uppf/claims/" + claim);
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(got.data()["line_count"], 1);
    EXPECT_EQ(got.data()["claimable_amount"], "2097.80");
    EXPECT_EQ(got.data()["lines"][0], l);
    EXPECT_EQ(Events("uppf.claim_line_added"), 1);
}

TEST_F(UppfApiTest, ReceivedBasisCapAndRoundingHalfUp) {
    Route(station_, "123.4");
    // Received basis, capped at 120.0 km: 9 718.830 L × 120 km × 0.17 p = 198 264.132 p -> 198 264.
    Rate("0.0017", "2023-11-01", {{"quantity_basis", "received"}, {"max_distance_km", "120"}});
    const std::string delivery = Delivery(manager_, f_.tank).first;
    ApiResponse line = AddLine(Claim(), delivery, station_text_);
    ASSERT_EQ(line.status, 201) << line.raw.body;
    EXPECT_EQ(line.data()["claimed_volume"], "9718.830");
    EXPECT_EQ(line.data()["distance_km"], "123.4");
    EXPECT_EQ(line.data()["paid_distance_km"], "120.0");
    EXPECT_EQ(line.data()["amount"], "1982.64");
    ApiResponse rates = Get("/api/v1/uppf/rates?date=2023-11-14");
    ASSERT_EQ(rates.status, 200);
    ASSERT_EQ(rates.data().size(), 1u);
    EXPECT_EQ(rates.data()[0]["max_distance_km"], "120.0");
    EXPECT_EQ(Get("/api/v1/uppf/rates?date=2023-10-31").data().size(), 0u);
}

TEST_F(UppfApiTest, DiversionIsKeptFlaggedAndNotClaimable) {
    Route(station_, "123.4");
    Route(other_station_, "50.0");
    Rate("0.0017");
    const std::string delivery = Delivery(manager_, f_.tank).first;
    const std::string claim = Claim();
    // Intended for the other station, received at this one.
    ApiResponse line = AddLine(claim, delivery, other_station_.ToString());
    ASSERT_EQ(line.status, 201) << line.raw.body;
    EXPECT_EQ(line.data()["diverted"], true);
    EXPECT_EQ(line.data()["exclusion"], "diversion");
    EXPECT_EQ(line.data()["intended_station_id"], other_station_.ToString());
    EXPECT_EQ(line.data()["station_id"], station_text_);
    EXPECT_EQ(line.data()["distance_km"], "50.0");
    EXPECT_EQ(line.data()["amount"], "850.00");  // 10 000 L × 50 km × 0.17 p
    EXPECT_EQ(line.data()["claimable_amount"], "0.00");
    const json c = Get("/api/v1/uppf/claims/" + claim).data();
    EXPECT_EQ(c["diverted_line_count"], 1);
    EXPECT_EQ(c["amount"], "850.00");
    EXPECT_EQ(c["claimable_amount"], "0.00");
}

TEST_F(UppfApiTest, DivertedTripWithoutRouteIsStillRecorded) {
    Route(station_, "123.4");
    Rate("0.0017");
    const std::string delivery = Delivery(manager_, f_.tank).first;
    ApiResponse line = AddLine(Claim(), delivery, other_station_.ToString());
    ASSERT_EQ(line.status, 201) << line.raw.body;
    EXPECT_EQ(line.data()["diverted"], true);
    EXPECT_TRUE(line.data()["route_id"].is_null());
    EXPECT_EQ(line.data()["amount"], "0.00");
}

TEST_F(UppfApiTest, TripIsClaimedOnce) {
    Route(station_, "123.4");
    Route(other_station_, "80.0");
    Rate("0.0017");
    const std::string delivery = Delivery(manager_, f_.tank).first;
    const std::string november = Claim();
    ASSERT_EQ(AddLine(november, delivery, station_text_).status, 201);
    ApiResponse twice = AddLine(november, delivery, station_text_, "PO-78");
    EXPECT_EQ(twice.status, 409) << twice.raw.body;
    EXPECT_EQ(twice.ErrorField(), "delivery_id");
    // Nor in another period.
    ApiResponse december = AddLine(Claim("2023-12"), delivery, station_text_);
    EXPECT_EQ(december.status, 409) << december.raw.body;
    EXPECT_EQ(december.ErrorField(), "delivery_id");
    // The same waybill from the same depot, recorded again at another station: the same trip.
    forecourt::testing::FittedStation other = FitOut(admin_, other_station_, "PMS2");
    AddUser(tenant_a_, "kofi-manager", identity::Role::kStationManager, {other_station_});
    const std::string kofi = TokenFor("kofi-manager");
    // (its depot written another way: compared as routes compare depots)
    const std::string copy = Delivery(kofi, other.tank, "WB-1001", " TEMA").first;
    ApiResponse waybill = AddLine(november, copy, other_station_.ToString());
    EXPECT_EQ(waybill.status, 409) << waybill.raw.body;
    EXPECT_EQ(waybill.ErrorField(), "delivery_id");
    EXPECT_EQ(CountRows(tenant_a_, "uppf_claim_lines"), 1);
    // A line removed from a draft frees its trip.
    const std::string line_id = Get("/api/v1/uppf/claims/" + november).data()["lines"][0]["id"];
    ASSERT_EQ(
        As(admin_, Method::kDelete, "/api/v1/uppf/claims/" + november + "/lines/" + line_id).status,
        200);
    EXPECT_EQ(Events("uppf.claim_line_removed"), 1);
    EXPECT_EQ(AddLine(november, copy, other_station_.ToString()).status, 201);
}

TEST_F(UppfApiTest, NoClaimWithoutAReceivedDelivery) {
    Route(station_, "123.4");
    Rate("0.0017");
    const std::string claim = Claim();
    ApiResponse unknown = AddLine(claim, ids_.NewV7().ToString(), station_text_);
    EXPECT_EQ(unknown.status, 422) << unknown.raw.body;
    EXPECT_EQ(unknown.ErrorField(), "delivery_id");
    // A delivery whose after dip is not on record is no evidence of receipt.
    const auto [delivery, after_dip] = Delivery(manager_, f_.tank);
    auto removed = db::InTransaction(
        *database_, {.tenant = tenant_a_}, [&](db::Transaction& tx) -> Result<void> {
            OMC_TRY(
                tx.Execute({"test.drop_dip", "DELETE FROM dips WHERE tenant_id = $1 AND id = $2"},
                           {tenant_a_, after_dip}));
            return Ok();
        });
    ASSERT_TRUE(removed.ok());
    ApiResponse no_dip = AddLine(claim, delivery, station_text_);
    EXPECT_EQ(no_dip.status, 422) << no_dip.raw.body;
    EXPECT_EQ(no_dip.ErrorField(), "delivery_id");
    EXPECT_NE(no_dip.raw.body.find("dips"), std::string::npos);
    EXPECT_EQ(CountRows(tenant_a_, "uppf_claim_lines"), 0);
}

TEST_F(UppfApiTest, LineNeedsRouteRateAndPeriod) {
    const std::string delivery = Delivery(manager_, f_.tank).first;
    const std::string claim = Claim();
    ApiResponse no_rate = AddLine(claim, delivery, station_text_);
    EXPECT_EQ(no_rate.status, 422);
    EXPECT_EQ(no_rate.ErrorField(), "delivery_id");
    Rate("0.0017", "2023-11-14");  // from the loading date itself
    ApiResponse no_route = AddLine(claim, delivery, station_text_);
    EXPECT_EQ(no_route.status, 422);
    EXPECT_EQ(no_route.ErrorField(), "intended_station_id");
    const std::string route = Route(station_, "123.4", "2023-11-15");  // not yet in force
    EXPECT_EQ(AddLine(claim, delivery, station_text_).ErrorField(), "intended_station_id");
    ASSERT_EQ(As(admin_, Method::kPatch, "/api/v1/uppf/routes/" + route,
                 {{"distance_km", "120.0"}, {"effective_from", "2023-11-01"}})
                  .status,
              200);
    // A trip loaded in November is not in an October claim.
    ApiResponse october = AddLine(Claim("2023-10"), delivery, station_text_);
    EXPECT_EQ(october.status, 422);
    EXPECT_EQ(october.ErrorField(), "delivery_id");
    ApiResponse bad = Post("/api/v1/uppf/claims/" + claim + "/lines",
                           {{"delivery_id", "nope"}, {"omc_order_no", ""}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(CountRows(tenant_a_, "uppf_claim_lines"), 0);
    // With the earlier distance in force the same trip is claimed: 10 000 × 120 × 0.17 p.
    ApiResponse ok = AddLine(claim, delivery, station_text_);
    ASSERT_EQ(ok.status, 201) << ok.raw.body;
    EXPECT_EQ(ok.data()["amount"], "2040.00");
}

TEST_F(UppfApiTest, ClaimWorkflowAndSettlementTotals) {
    Route(station_, "123.4");
    Rate("0.0017");
    const std::string delivery = Delivery(manager_, f_.tank).first;
    const std::string claim = Claim();
    const std::string path = "/api/v1/uppf/claims/" + claim;
    EXPECT_EQ(Post("/api/v1/uppf/claims", {{"period", "2023-11"}}).status, 409);
    EXPECT_EQ(Post("/api/v1/uppf/claims", {{"period", "2023-13"}}).ErrorField(), "period");
    ApiResponse empty = Post(path + "/submit", json::object());
    EXPECT_EQ(empty.status, 422);
    ApiResponse early =
        Post(path + "/settlements",
             {{"amount", "10.00"}, {"settled_on", "2023-11-14"}, {"reference", "X"}});
    EXPECT_EQ(early.status, 409);  // a draft takes no settlement
    ASSERT_EQ(AddLine(claim, delivery, station_text_).status, 201);
    ApiResponse submitted = Post(path + "/submit", {{"reference", "NPA/UPPF/2023/11"}});
    ASSERT_EQ(submitted.status, 200) << submitted.raw.body;
    EXPECT_EQ(submitted.data()["status"], "submitted");
    EXPECT_EQ(submitted.data()["submission_reference"], "NPA/UPPF/2023/11");
    EXPECT_EQ(Events("uppf.claim_submitted"), 1);
    // Submitted, the claimable amount is receivable from NPA and freight income.
    EXPECT_EQ(Balance("1120"), "2097.80");
    EXPECT_EQ(Balance("4030"), "2097.80");
    EXPECT_EQ(Post(path + "/submit", json::object()).status, 409);
    EXPECT_EQ(Balance("1120"), "2097.80");
    // Lines are frozen once submitted.
    const std::string line_id = submitted.data()["lines"][0]["id"];
    EXPECT_EQ(As(admin_, Method::kDelete, path + "/lines/" + line_id).status, 409);
    EXPECT_EQ(AddLine(claim, delivery, station_text_).ErrorField(), "id");
    // Settlements: 1 000.00 of 2 097.80, then too much, then the rest.
    ApiResponse part =
        Post(path + "/settlements",
             {{"amount", "1000.00"}, {"settled_on", "2023-11-14"}, {"reference", "NPA-PAY-1"}});
    ASSERT_EQ(part.status, 201) << part.raw.body;
    EXPECT_EQ(part.data()["status"], "partly_settled");
    EXPECT_EQ(part.data()["settled_amount"], "1000.00");
    EXPECT_EQ(part.data()["outstanding_amount"], "1097.80");
    EXPECT_EQ(Balance("1020"), "1000.00");
    EXPECT_EQ(Balance("1120"), "1097.80");
    ApiResponse over =
        Post(path + "/settlements",
             {{"amount", "1097.81"}, {"settled_on", "2023-11-14"}, {"reference", "NPA-PAY-2"}});
    EXPECT_EQ(over.status, 422);
    EXPECT_EQ(over.ErrorField(), "amount");
    ApiResponse future =
        Post(path + "/settlements",
             {{"amount", "1.00"}, {"settled_on", "2023-11-15"}, {"reference", "NPA-PAY-2"}});
    EXPECT_EQ(future.status, 400);
    ApiResponse rest =
        Post(path + "/settlements",
             {{"amount", "1097.80"}, {"settled_on", "2023-11-14"}, {"reference", "NPA-PAY-2"}});
    ASSERT_EQ(rest.status, 201) << rest.raw.body;
    EXPECT_EQ(rest.data()["status"], "settled");
    EXPECT_EQ(rest.data()["settled_amount"], "2097.80");
    EXPECT_EQ(rest.data()["outstanding_amount"], "0.00");
    EXPECT_EQ(rest.data()["shortfall_amount"], "0.00");
    EXPECT_EQ(rest.data()["settlements"].size(), 2u);
    EXPECT_EQ(Events("uppf.settlement_recorded"), 2);
    EXPECT_EQ(Events("uppf.claim_settled"), 1);
    EXPECT_EQ(Balance("1020"), "2097.80");
    EXPECT_EQ(Balance("1120"), "0.00");
    EXPECT_EQ(Balance("5030"), "none");
    EXPECT_EQ(Post(path + "/settlements",
                   {{"amount", "0.01"}, {"settled_on", "2023-11-14"}, {"reference", "NPA-PAY-3"}})
                  .status,
              409);
    EXPECT_EQ(CountRows(tenant_a_, "uppf_settlements"), 2);
    ApiResponse list = Get("/api/v1/uppf/claims?status=settled");
    ASSERT_EQ(list.data().size(), 1u);
    EXPECT_EQ(list.data()[0]["claimable_amount"], "2097.80");
    EXPECT_EQ(Get("/api/v1/uppf/claims?status=draft").data().size(), 0u);
}

TEST_F(UppfApiTest, FinalSettlementClosesAShortClaim) {
    Route(station_, "123.4");
    Rate("0.0017");
    const std::string claim = Claim();
    const std::string path = "/api/v1/uppf/claims/" + claim;
    ASSERT_EQ(AddLine(claim, Delivery(manager_, f_.tank).first, station_text_).status, 201);
    ASSERT_EQ(Post(path + "/submit", json::object()).status, 200);
    ApiResponse closed = Post(path + "/settlements", {{"amount", "2000.00"},
                                                      {"settled_on", "2023-11-14"},
                                                      {"reference", "NPA-PAY-9"},
                                                      {"final", true},
                                                      {"note", "97.80 disallowed"}});
    ASSERT_EQ(closed.status, 201) << closed.raw.body;
    EXPECT_EQ(closed.data()["status"], "settled");
    EXPECT_EQ(closed.data()["settled_amount"], "2000.00");
    EXPECT_EQ(closed.data()["outstanding_amount"], "0.00");
    EXPECT_EQ(closed.data()["shortfall_amount"], "97.80");
    // What NPA did not pay is written off to freight; nothing stays receivable.
    EXPECT_EQ(Balance("1020"), "2000.00");
    EXPECT_EQ(Balance("5030"), "97.80");
    EXPECT_EQ(Balance("1120"), "0.00");
    EXPECT_EQ(Balance("4030"), "2097.80");
}

TEST_F(UppfApiTest, ExportForSubmission) {
    Route(station_, "123.4");
    Route(other_station_, "50.0");
    Rate("0.0017");
    const std::string claim = Claim();
    ASSERT_EQ(AddLine(claim, Delivery(manager_, f_.tank).first, station_text_).status, 201);
    const std::string path = "/api/v1/uppf/claims/" + claim + "/export";
    ApiResponse csv = Get(path + "?format=csv");
    ASSERT_EQ(csv.status, 200) << csv.raw.body;
    EXPECT_EQ(csv.raw.content_type, "text/csv; charset=utf-8");
    EXPECT_NE(csv.Header("Content-Disposition").find("uppf-claim-2023-11.csv"), std::string::npos);
    const std::string expected =
        "line_no,loading_date,depot,bdc,product,loaded_litres,intended_delivery_point,"
        "brv_registration,transporter,omc_order_no,omc_invoice_no,waybill_no,delivered_to,"
        "received_litres,quantity_basis,claimed_litres,distance_km,paid_distance_km,"
        "rate_pesewas_per_litre_km,amount,claimable_amount,flag\r\n"
        "1,2023-11-14,Tema,BDC One,PMS,10000.000,S-ACC1 S-ACC1,GT 1234-20,Haulage Ltd,PO-77,"
        "INV-2023-0411,WB-1001,S-ACC1 S-ACC1,9718.830,loaded,10000.000,123.4,123.4,0.1700,"
        "2097.80,2097.80,\r\n";
    EXPECT_EQ(csv.raw.body, expected);
    ApiResponse xlsx = Get(path + "?format=xlsx");
    ASSERT_EQ(xlsx.status, 200);
    EXPECT_EQ(xlsx.raw.body.substr(0, 4), std::string("PK\x03\x04", 4));
    EXPECT_NE(xlsx.Header("Content-Disposition").find("uppf-claim-2023-11.xlsx"),
              std::string::npos);
    ApiResponse pdf = Get(path + "?format=pdf");
    ASSERT_EQ(pdf.status, 200);
    EXPECT_EQ(pdf.raw.content_type, "application/pdf");
    EXPECT_EQ(pdf.raw.body.substr(0, 5), "%PDF-");
    ApiResponse as_json = Get(path + "?format=json");
    ASSERT_EQ(as_json.status, 200);
    EXPECT_EQ(as_json.data()["title"], "UPPF freight claim 2023-11");
    EXPECT_EQ(as_json.data()["totals"]["claimable_amount"], "2097.80");
    ApiResponse bad = Get(path + "?format=doc");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.ErrorField(), "format");
}

TEST_F(UppfApiTest, RoutesAndRatesRules) {
    const std::string route = Route(station_, "123.4");
    ApiResponse twice = Post("/api/v1/uppf/routes", {{"depot", "TEMA "},
                                                     {"station_id", station_text_},
                                                     {"distance_km", "99"},
                                                     {"effective_from", "2023-01-01"}});
    EXPECT_EQ(twice.status, 409);
    EXPECT_EQ(twice.ErrorField(), "depot");
    ApiResponse same_day = As(admin_, Method::kPatch, "/api/v1/uppf/routes/" + route,
                              {{"distance_km", "130"}, {"effective_from", "2023-10-01"}});
    EXPECT_EQ(same_day.status, 409);
    EXPECT_EQ(same_day.ErrorField(), "effective_from");
    ApiResponse no_date =
        As(admin_, Method::kPatch, "/api/v1/uppf/routes/" + route, {{"distance_km", "130"}});
    EXPECT_EQ(no_date.status, 400);
    EXPECT_EQ(no_date.ErrorField(), "effective_from");
    ApiResponse float_km = Post("/api/v1/uppf/routes", {{"depot", "Kumasi"},
                                                        {"station_id", station_text_},
                                                        {"distance_km", 12.5},
                                                        {"effective_from", "2023-01-01"}});
    EXPECT_EQ(float_km.status, 400);
    EXPECT_EQ(float_km.ErrorField(), "distance_km");
    ApiResponse unknown_station =
        Post("/api/v1/uppf/routes", {{"depot", "Kumasi"},
                                     {"station_id", ids_.NewV7().ToString()},
                                     {"distance_km", "10"},
                                     {"effective_from", "2023-01-01"}});
    EXPECT_EQ(unknown_station.status, 422);
    EXPECT_EQ(unknown_station.ErrorField(), "station_id");
    ApiResponse off =
        As(admin_, Method::kPatch, "/api/v1/uppf/routes/" + route, {{"active", false}});
    ASSERT_EQ(off.status, 200);
    EXPECT_EQ(off.data()["active"], false);
    EXPECT_EQ(Get("/api/v1/uppf/routes?depot=tema").data().size(), 1u);
    EXPECT_EQ(Get("/api/v1/uppf/routes?depot=Takoradi").data().size(), 0u);
    Rate("0.0017");
    ApiResponse rate_twice = Post(
        "/api/v1/uppf/rates", {{"effective_from", "2023-10-01"}, {"rate_per_litre_km", "0.002"}});
    EXPECT_EQ(rate_twice.status, 409);
    ApiResponse bands = Post("/api/v1/uppf/rates", {{"effective_from", "2024-01-01"},
                                                    {"rate_per_litre_km", "0.002"},
                                                    {"max_distance_km", "100"},
                                                    {"min_distance_km", "100"}});
    EXPECT_EQ(bands.status, 400);
    EXPECT_EQ(bands.ErrorField(), "min_distance_km");
    EXPECT_EQ(Events("uppf.route_created"), 1);
    EXPECT_EQ(Events("uppf.route_updated"), 1);
    EXPECT_EQ(Events("uppf.rate_set"), 1);
}

TEST_F(UppfApiTest, PermissionsByRole) {
    EXPECT_EQ(As(manager_, Method::kGet, "/api/v1/uppf/claims").status, 403);
    AddUser(tenant_a_, "abena-auditor", identity::Role::kAuditor);
    const std::string auditor = TokenFor("abena-auditor");
    EXPECT_EQ(As(auditor, Method::kGet, "/api/v1/uppf/claims").status, 200);
    EXPECT_EQ(As(auditor, Method::kPost, "/api/v1/uppf/claims", {{"period", "2023-11"}}).status,
              403);
}

}  // namespace
}  // namespace omc::uppf
