// What the forecourt facts other than sales post to the ledger, through the API on both engines,
// to the pesewa (docs/finance.md, "What each business fact posts"): a delivery at cost with its
// shortage and transit-loss claim (from the request's unit_cost or the pricing build-up's
// ex-depot price, or uncosted), stock adjustments at average cost, and a shift's cash-up variance
// and its later correction. A retried fact posts once; the ledger verifies clean after each.
//
// The delivery is WetstockApiTest's: received 9 718.830 L standard, 98.170 L short, 49.085 L
// claimable at GH₵ 14.95 = GH₵ 733.82 from "Haulage Ltd".
#include <gtest/gtest.h>

#include "domains/forecourt/forecourt_fixture.hpp"
#include "domains/ledger/ledger.hpp"
#include "domains/ledger/posting_ids.hpp"

namespace omc::ledger {
namespace {

using http::Method;
using nlohmann::json;
using omc::testing::ApiResponse;

constexpr int64_t kStepUs = 120'000'000;

class PostingsApiTest : public forecourt::testing::FittedStationApiTest {
  protected:
    // The balance of the one account of `code` with these dimensions ("none" when it does not
    // exist), read through GET /api/v1/ledger/accounts.
    std::string Balance(const std::string& code, const std::string& dimensions = "") {
        ApiResponse r = As(
            admin_, Method::kGet,
            "/api/v1/ledger/accounts?code=" + code + (dimensions.empty() ? "" : "&" + dimensions));
        EXPECT_EQ(r.status, 200) << r.raw.body;
        if (r.status != 200 || r.data().empty()) return "none";
        EXPECT_EQ(r.data().size(), 1u) << r.raw.body;
        return r.data()[0]["balance"];
    }
    std::string Station() const { return "station_id=" + station_.ToString(); }
    std::string StationProduct() const {
        return "station_id=" + station_.ToString() + "&product_id=" + f_.product;
    }
    std::string Transporter(const std::string& name) const {
        return "party_id=" + PartyIdFromName(tenant_a_, "transporter", name).ToString();
    }

    void ExpectVerified() {
        auto problems = Verify(*database_);
        ASSERT_TRUE(problems.ok()) << problems.error().message();
        EXPECT_TRUE(problems->empty()) << (problems->empty() ? "" : problems->front());
    }

    // The dips 200 mm / 860 mm around a delivery and the delivery's body.
    json DeliveryBody(const std::string& waybill = "WB-1001") {
        ApiResponse before =
            As(manager_, Method::kPost, "/api/v1/dips", DipBody(f_.tank, 200, "before_delivery"));
        EXPECT_EQ(before.status, 201) << before.raw.body;
        clock_.AdvanceUs(kStepUs);
        ApiResponse after =
            As(manager_, Method::kPost, "/api/v1/dips", DipBody(f_.tank, 860, "after_delivery"));
        EXPECT_EQ(after.status, 201) << after.raw.body;
        return ForecourtApiTest::DeliveryBody(f_.tank, before.data()["id"], after.data()["id"],
                                              clock_.NowUs(), waybill);
    }

    ApiResponse Adjust(const std::string& quantity) {
        return As(manager_, Method::kPost, "/api/v1/tanks/" + f_.tank + "/adjustments",
                  {{"id", ids_.NewV7().ToString()}, {"quantity", quantity}, {"reason", "dip"}});
    }
};

TEST_F(PostingsApiTest, DeliveryPostsStockAtCostItsShortageAndTheTransitLossClaim) {
    json body = DeliveryBody();
    body["id"] = ids_.NewV7().ToString();
    body["unit_cost"] = "12.50";  // GH₵ 12.50 per litre
    ApiResponse delivery = As(manager_, Method::kPost, "/api/v1/deliveries", body);
    ASSERT_EQ(delivery.status, 201) << delivery.raw.body;
    EXPECT_EQ(delivery.data()["unit_cost"], "12.50");
    EXPECT_EQ(delivery.data()["uncosted"], false);
    // 9 718.830 L × 12.50 = 121 485.375 -> 121 485.38 (half up); 98.170 L × 12.50 = 1 227.125
    // -> 1 227.13; the BDC's loaded quantity is not yet invoiced: 122 712.51.
    EXPECT_EQ(Balance("1200", StationProduct()), "121485.38");
    EXPECT_EQ(Balance("2050"), "122712.51");
    // The claim on the transporter recovers 733.82 of the 1 227.13 lost.
    EXPECT_EQ(Balance("1130", Transporter("Haulage Ltd")), "733.82");
    EXPECT_EQ(Balance("5040", StationProduct()), "493.31");
    // The party is the normalised name's: spacing and case do not make another transporter.
    EXPECT_EQ(PartyIdFromName(tenant_a_, "transporter", "  haulage   LTD "),
              PartyIdFromName(tenant_a_, "transporter", "Haulage Ltd"));
    // A retry is refused (409) and posts nothing more.
    EXPECT_EQ(As(manager_, Method::kPost, "/api/v1/deliveries", body).status, 409);
    EXPECT_EQ(Balance("1200", StationProduct()), "121485.38");
    EXPECT_EQ(Balance("1130", Transporter("Haulage Ltd")), "733.82");
    ExpectVerified();

    // Adjustments at the average cost of the station's stock: 100 L out of 9 718.830 L worth
    // 121 485.38 = 1 250.0000514 -> 1 250.00; then 50 L in of 9 618.830 L worth 120 235.38 =
    // 625.000026 -> 625.00.
    ApiResponse loss = Adjust("-100");
    ASSERT_EQ(loss.status, 201) << loss.raw.body;
    EXPECT_EQ(loss.data()["cost"], "-1250.00");
    EXPECT_EQ(Balance("1200", StationProduct()), "120235.38");
    EXPECT_EQ(Balance("5040", StationProduct()), "1743.31");
    ApiResponse gain = Adjust("50");
    ASSERT_EQ(gain.status, 201) << gain.raw.body;
    EXPECT_EQ(gain.data()["cost"], "625.00");
    EXPECT_EQ(Balance("1200", StationProduct()), "120860.38");
    EXPECT_EQ(Balance("5040", StationProduct()), "1118.31");
    ExpectVerified();
}

TEST_F(PostingsApiTest, DeliveryWithoutACostIsKeptUncostedAndPostsOnlyItsClaim) {
    ApiResponse delivery = As(manager_, Method::kPost, "/api/v1/deliveries", DeliveryBody());
    ASSERT_EQ(delivery.status, 201) << delivery.raw.body;
    EXPECT_EQ(delivery.data()["uncosted"], true);
    EXPECT_EQ(delivery.data()["unit_cost"], nullptr);
    const std::string id = delivery.data()["id"];
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/deliveries/" + id).data()["uncosted"], true);
    EXPECT_EQ(Balance("2050"), "none");
    EXPECT_EQ(Balance("1130", Transporter("Haulage Ltd")), "733.82");
    EXPECT_EQ(Balance("5040", StationProduct()), "-733.82");
    // An adjustment of stock without a value posts nothing.
    ApiResponse loss = Adjust("-10");
    ASSERT_EQ(loss.status, 201) << loss.raw.body;
    EXPECT_EQ(loss.data()["cost"], "0.00");
    EXPECT_EQ(Balance("5040", StationProduct()), "-733.82");
    ExpectVerified();
}

TEST_F(PostingsApiTest, DeliveryIsCostedAtTheExDepotPriceOfTheBuildUp) {
    auto component = [&](const std::string& code, const std::string& kind,
                         const std::string& subtotal, int position, const std::string& amount) {
        ApiResponse r = As(admin_, Method::kPost, "/api/v1/pricing/components",
                           {{"product", "PMS"},
                            {"code", code},
                            {"name", code},
                            {"kind", kind},
                            {"subtotal", subtotal},
                            {"position", position},
                            {"amount", amount},
                            {"valid_from", "2020-01-01"}});
        EXPECT_EQ(r.status, 201) << r.raw.body;
    };
    // Ex-refinery 900.0000 + EDRL 49.0000 = ex-depot 949 pesewas per litre; the dealer's margin
    // is after the ex-depot subtotal and does not count.
    component("EXREF", "ex_refinery", "ex_refinery", 1, "900.0000");
    component("EDRL", "levy", "ex_depot", 10, "49.0000");
    component("DEALER", "dealer_margin", "ex_pump", 20, "80.0000");
    ApiResponse delivery = As(manager_, Method::kPost, "/api/v1/deliveries", DeliveryBody());
    ASSERT_EQ(delivery.status, 201) << delivery.raw.body;
    EXPECT_EQ(delivery.data()["unit_cost"], "9.49");
    EXPECT_EQ(delivery.data()["uncosted"], false);
    // 9 718.830 × 9.49 = 92 231.6967 -> 92 231.70; 98.170 × 9.49 = 931.6333 -> 931.63.
    EXPECT_EQ(Balance("1200", StationProduct()), "92231.70");
    EXPECT_EQ(Balance("2050"), "93163.33");
    EXPECT_EQ(Balance("5040", StationProduct()), "197.81");  // 931.63 − 733.82
    ExpectVerified();
}

TEST_F(PostingsApiTest, ShiftCashUpPostsItsShortageAndAdjustmentsCorrectIt) {
    const identity::User attendant =
        AddUser(tenant_a_, "kofi-attendant", identity::Role::kOperator, {station_});
    const std::string op = TokenFor("kofi-attendant");
    ApiResponse shift =
        As(manager_, Method::kPost, "/api/v1/shifts",
           {{"station_id", station_.ToString()},
            {"attendants",
             json::array({{{"pump_id", f_.pump}, {"attendant_id", attendant.id.ToString()}}})},
            {"totalizers", json::array({{{"nozzle_id", f_.nozzle}, {"totalizer", "1000.000"}}})}});
    ASSERT_EQ(shift.status, 201) << shift.raw.body;
    const std::string id = shift.data()["id"];
    for (const auto& [litres, method] : {std::pair{"30.000", "cash"}, {"10.000", "momo"}}) {
        ApiResponse sale = As(op, Method::kPost, "/api/v1/transactions",
                              {{"id", ids_.NewV7().ToString()},
                               {"station_id", station_.ToString()},
                               {"nozzle_id", f_.nozzle},
                               {"quantity", litres},
                               {"payment_method", method}});
        ASSERT_EQ(sale.status, 201) << sale.raw.body;
    }
    EXPECT_EQ(Balance("1010", Station()), "448.50");  // 30 L × 14.95, cash
    // Meter 41 L × 14.95 = 612.95 expected; 450.00 + 149.50 handed over: 13.45 short.
    const json close{
        {"totalizers", json::array({{{"nozzle_id", f_.nozzle}, {"totalizer", "1041.000"}}})},
        {"collections", json::array({{{"attendant_id", attendant.id.ToString()},
                                      {"cash", "450.00"},
                                      {"momo", "149.50"},
                                      {"card", "0"}}})}};
    ApiResponse closed = As(manager_, Method::kPost, "/api/v1/shifts/" + id + "/close", close);
    ASSERT_EQ(closed.status, 200) << closed.raw.body;
    EXPECT_EQ(closed.data()["report"]["attendants"][0]["variance_amount"], "-13.45");
    EXPECT_EQ(Balance("5050", Station()), "13.45");
    EXPECT_EQ(Balance("1010", Station()), "435.05");
    EXPECT_EQ(As(manager_, Method::kPost, "/api/v1/shifts/" + id + "/close", close).status, 409);
    EXPECT_EQ(Balance("5050", Station()), "13.45");
    ExpectVerified();
    // The envelope found in the safe clears the shortage; a further 5.00 makes it over.
    auto adjust = [&](const std::string& delta) {
        ApiResponse r = As(manager_, Method::kPost, "/api/v1/shifts/" + id + "/adjustments",
                           {{"field", "cash"},
                            {"attendant_id", attendant.id.ToString()},
                            {"delta", delta},
                            {"reason", "envelope found in the safe"}});
        EXPECT_EQ(r.status, 201) << r.raw.body;
    };
    adjust("13.45");
    EXPECT_EQ(Balance("5050", Station()), "0.00");
    EXPECT_EQ(Balance("1010", Station()), "448.50");
    adjust("5.00");
    EXPECT_EQ(Balance("4040", Station()), "5.00");
    EXPECT_EQ(Balance("1010", Station()), "453.50");
    ExpectVerified();
}

}  // namespace
}  // namespace omc::ledger
