// The ledger through the API, on both engines: sales post their entries in their own
// transaction (to the pesewa, output taxes on non-fuel lines), manual journals balance or are
// refused with the field named, two-phase transfers, closed periods and reversals, the reports
// in every format, and verify staying clean.
#include <gtest/gtest.h>

#include "domains/forecourt/forecourt_fixture.hpp"
#include "domains/ledger/ledger.hpp"

namespace omc::ledger {
namespace {

using http::Method;
using nlohmann::json;
using omc::testing::ApiResponse;

class LedgerApiTest : public forecourt::testing::ForecourtApiTest {
  protected:
    void SetUp() override {
        ForecourtApiTest::SetUp();
        admin_ = TokenFor("alpha-admin");
        std::tie(std::ignore, station_) = AddRegionAndStation(tenant_a_, "ACC1");
        f_ = FitOut(admin_, station_);
        AddUser(tenant_a_, "efua-manager", identity::Role::kStationManager, {station_});
        manager_ = TokenFor("efua-manager");
        ApiResponse water =
            As(admin_, Method::kPost, "/api/v1/products",
               {{"code", "WATER"}, {"name", "Bottled water"}, {"kind", "shop"}, {"unit", "each"}});
        ASSERT_EQ(water.status, 201) << water.raw.body;
        water_ = water.data()["id"];
        ASSERT_EQ(As(admin_, Method::kPost, "/api/v1/prices",
                     {{"product_id", water_}, {"unit_price", "12.00"}})
                      .status,
                  201);
        const identity::User attendant =
            AddUser(tenant_a_, "kwame-attendant", identity::Role::kOperator, {station_});
        ApiResponse shift =
            As(manager_, Method::kPost, "/api/v1/shifts",
               {{"station_id", station_.ToString()},
                {"attendants",
                 json::array({{{"pump_id", f_.pump}, {"attendant_id", attendant.id.ToString()}}})},
                {"totalizers", json::array({{{"nozzle_id", f_.nozzle}, {"totalizer", "1000"}}})}});
        ASSERT_EQ(shift.status, 201) << shift.raw.body;
    }

    ApiResponse Sell(json body) {
        body["id"] = ids_.NewV7().ToString();
        body["station_id"] = station_.ToString();
        return As(manager_, Method::kPost, "/api/v1/transactions", body);
    }

    // The posted balance of the account `code` (with the station and product given), "0.00"
    // when it has none.
    std::string Balance(const std::string& code, const std::string& query = "") {
        ApiResponse r = As(admin_, Method::kGet, "/api/v1/ledger/accounts?code=" + code + query);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        if (r.status != 200 || r.data().empty()) return "0.00";
        EXPECT_EQ(r.data().size(), 1U) << r.raw.body;
        return r.data()[0]["balance"];
    }

    void ExpectLedgerSound() {
        auto problems = Verify(*database_);
        ASSERT_TRUE(problems.ok());
        EXPECT_TRUE(problems->empty()) << (problems->empty() ? "" : problems->front());
    }

    std::string admin_, manager_, water_;
    Uuid station_;
    forecourt::testing::FittedStation f_;
};

TEST_F(LedgerApiTest, SalesPostTheirEntriesToThePesewa) {
    // 10 L of PMS at GH₵ 14.95 in cash, 5 L by MoMo, and a bottle of water at GH₵ 12.00 by card.
    ASSERT_EQ(
        Sell({{"nozzle_id", f_.nozzle}, {"quantity", "10"}, {"payment_method", "cash"}}).status,
        201);
    ApiResponse momo =
        Sell({{"nozzle_id", f_.nozzle}, {"quantity", "5"}, {"payment_method", "momo"}});
    ASSERT_EQ(momo.status, 201) << momo.raw.body;
    ASSERT_EQ(Sell({{"kind", "shop"},
                    {"product_id", water_},
                    {"quantity", "1"},
                    {"payment_method", "card"}})
                  .status,
              201);
    const std::string at_station = "&station_id=" + station_.ToString();
    EXPECT_EQ(Balance("1010", at_station), "149.50");
    EXPECT_EQ(Balance("1030"), "74.75");
    EXPECT_EQ(Balance("1040"), "12.00");
    // Fuel is VAT-exempt: its revenue is what was paid.
    EXPECT_EQ(Balance("4010", at_station + "&product_id=" + f_.product), "224.25");
    // Water under the rules before 2026 (the fixture's clock is in Nov 2023): NHIL, GETFund and
    // COVID on the value, VAT on the value plus levies; each rounded half up.
    EXPECT_EQ(Balance("2110"), "0.25");
    EXPECT_EQ(Balance("2120"), "0.25");
    EXPECT_EQ(Balance("2130"), "0.10");
    EXPECT_EQ(Balance("2100"), "1.57");
    EXPECT_EQ(Balance("4020", at_station + "&product_id=" + water_), "9.83");
    // A void takes the MoMo sale back out of the ledger too.
    ApiResponse voided =
        As(manager_, Method::kPost,
           "/api/v1/transactions/" + momo.data()["id"].get<std::string>() + "/void",
           {{"id", ids_.NewV7().ToString()}, {"reason", "wrong pump"}});
    ASSERT_EQ(voided.status, 201) << voided.raw.body;
    EXPECT_EQ(Balance("1030"), "0.00");
    EXPECT_EQ(Balance("4010", at_station + "&product_id=" + f_.product), "149.50");
    // The trial balance balances; the transfers name their sale batch.
    ApiResponse tb =
        As(admin_, Method::kGet, "/api/v1/ledger/reports/trial-balance?as_of=2023-12-31");
    ASSERT_EQ(tb.status, 200) << tb.raw.body;
    EXPECT_TRUE(tb.data()["balanced"].get<bool>());
    EXPECT_EQ(tb.data()["total_debit"], "161.50");  // cash 149.50 + card 12.00
    ExpectLedgerSound();
}

TEST_F(LedgerApiTest, ManualJournalMustBalanceAndNamesTheField) {
    json entry{{"booked_on", "2023-11-14"},
               {"memo", "Owners' capital"},
               {"lines", json::array({{{"code", "1020"}, {"debit", "50000.00"}},
                                      {{"code", "3000"}, {"credit", "49999.99"}}})}};
    ApiResponse unbalanced = As(admin_, Method::kPost, "/api/v1/ledger/entries", entry);
    ASSERT_EQ(unbalanced.status, 400) << unbalanced.raw.body;
    EXPECT_EQ(unbalanced.raw.body.find("\"field\":\"lines\"") != std::string::npos, true)
        << unbalanced.raw.body;
    EXPECT_EQ(Balance("1020"), "0.00");
    entry["lines"][1]["credit"] = "50000.00";
    ApiResponse posted = As(admin_, Method::kPost, "/api/v1/ledger/entries", entry);
    ASSERT_EQ(posted.status, 201) << posted.raw.body;
    EXPECT_EQ(Balance("1020"), "50000.00");
    EXPECT_EQ(Balance("3000"), "50000.00");
    // Per account, each trial-balance line names its account, whose statement opens by id;
    // per code there is no single account.
    ApiResponse per_account =
        As(admin_, Method::kGet,
           "/api/v1/ledger/reports/trial-balance?as_of=2023-12-31&accounts=true");
    ASSERT_EQ(per_account.status, 200) << per_account.raw.body;
    std::string bank_account;
    for (const json& line : per_account.data()["lines"]) {
        ASSERT_TRUE(line["account_id"].is_string()) << line;
        if (line["code"] == "1020") bank_account = line["account_id"];
    }
    ApiResponse bank_statement =
        As(admin_, Method::kGet,
           "/api/v1/ledger/accounts/" + bank_account + "/statement?from=2023-11-01&to=2023-12-31");
    ASSERT_EQ(bank_statement.status, 200) << bank_statement.raw.body;
    EXPECT_EQ(bank_statement.data()["closing"], "50000.00") << bank_statement.raw.body;
    ApiResponse per_code =
        As(admin_, Method::kGet, "/api/v1/ledger/reports/trial-balance?as_of=2023-12-31");
    EXPECT_TRUE(per_code.data()["lines"][0]["account_id"].is_null());
    // A line in another currency, and a line with both sides, are refused by index.
    json euros = entry;
    euros["lines"][0]["currency"] = "EUR";
    ApiResponse eur = As(admin_, Method::kPost, "/api/v1/ledger/entries", euros);
    ASSERT_EQ(eur.status, 400) << eur.raw.body;
    EXPECT_NE(eur.raw.body.find("lines[0].currency"), std::string::npos) << eur.raw.body;
    // A transfer between accounts of different currencies cannot even be asked for.
    ApiResponse accounts = As(admin_, Method::kGet, "/api/v1/ledger/accounts?code=1020");
    const std::string bank = accounts.data()[0]["id"];
    ApiResponse equity = As(admin_, Method::kGet, "/api/v1/ledger/accounts?code=3000");
    ApiResponse fx = As(admin_, Method::kPost, "/api/v1/ledger/transfers",
                        {{"transfers", json::array({{{"id", ids_.NewV7().ToString()},
                                                     {"debit_account_id", bank},
                                                     {"credit_account_id", equity.data()[0]["id"]},
                                                     {"amount", "1.00"},
                                                     {"currency", "USD"}}})}});
    ASSERT_EQ(fx.status, 400) << fx.raw.body;
    EXPECT_NE(fx.raw.body.find("transfers[0].currency"), std::string::npos) << fx.raw.body;
    ExpectLedgerSound();
}

TEST_F(LedgerApiTest, TwoPhaseTransferOverTheApi) {
    ApiResponse customer = As(admin_, Method::kPost, "/api/v1/ledger/accounts",
                              {{"code", "1100"}, {"party_id", ids_.NewV7().ToString()}});
    ASSERT_EQ(customer.status, 201) << customer.raw.body;
    ApiResponse revenue =
        As(admin_, Method::kPost, "/api/v1/ledger/accounts",
           {{"code", "4010"}, {"station_id", station_.ToString()}, {"product_id", f_.product}});
    ASSERT_EQ(revenue.status, 201) << revenue.raw.body;
    const std::string hold = ids_.NewV7().ToString();
    ApiResponse held = As(admin_, Method::kPost, "/api/v1/ledger/transfers",
                          {{"transfers", json::array({{{"id", hold},
                                                       {"debit_account_id", customer.data()["id"]},
                                                       {"credit_account_id", revenue.data()["id"]},
                                                       {"amount", "500.00"},
                                                       {"flags", json::array({"pending"})},
                                                       {"timeout_s", 600}}})}});
    ASSERT_EQ(held.status, 201) << held.raw.body;
    ApiResponse account = As(admin_, Method::kGet,
                             "/api/v1/ledger/accounts/" + customer.data()["id"].get<std::string>());
    EXPECT_EQ(account.data()["debits_pending"], "500.00");
    ApiResponse post =
        As(admin_, Method::kPost, "/api/v1/ledger/transfers",
           {{"transfers", json::array({{{"id", ids_.NewV7().ToString()},
                                        {"pending_id", hold},
                                        {"amount", "312.40"},
                                        {"flags", json::array({"post_pending_transfer"})}}})}});
    ASSERT_EQ(post.status, 201) << post.raw.body;
    account = As(admin_, Method::kGet,
                 "/api/v1/ledger/accounts/" + customer.data()["id"].get<std::string>());
    EXPECT_EQ(account.data()["debits_pending"], "0.00");
    EXPECT_EQ(account.data()["debits_posted"], "312.40");
    ApiResponse again =
        As(admin_, Method::kPost, "/api/v1/ledger/transfers",
           {{"transfers", json::array({{{"id", ids_.NewV7().ToString()},
                                        {"pending_id", hold},
                                        {"flags", json::array({"void_pending_transfer"})}}})}});
    ASSERT_EQ(again.status, 422) << again.raw.body;
    EXPECT_NE(again.raw.body.find("pending_transfer_already_posted"), std::string::npos);
    ExpectLedgerSound();
}

TEST_F(LedgerApiTest, ClosedPeriodRefusesAndAReversalCorrects) {
    json entry{{"booked_on", "2023-10-20"},
               {"memo", "Bank charges"},
               {"lines", json::array({{{"code", "5070"}, {"debit", "35.00"}},
                                      {{"code", "1020"}, {"credit", "35.00"}}})}};
    ApiResponse posted = As(admin_, Method::kPost, "/api/v1/ledger/entries", entry);
    ASSERT_EQ(posted.status, 201) << posted.raw.body;
    // November 2023 has not ended (the clock is on the 14th): it cannot close.
    EXPECT_EQ(As(admin_, Method::kPost, "/api/v1/ledger/periods/2023-11/close").status, 422);
    ApiResponse closed = As(admin_, Method::kPost, "/api/v1/ledger/periods/2023-10/close");
    ASSERT_EQ(closed.status, 200) << closed.raw.body;
    EXPECT_EQ(As(admin_, Method::kPost, "/api/v1/ledger/periods/2023-10/close").status, 409);
    entry["id"] = ids_.NewV7().ToString();
    ApiResponse refused = As(admin_, Method::kPost, "/api/v1/ledger/entries", entry);
    ASSERT_EQ(refused.status, 409) << refused.raw.body;
    EXPECT_NE(refused.raw.body.find("booked_on"), std::string::npos);
    // The correction: a reversal in November.
    ApiResponse reversal =
        As(admin_, Method::kPost,
           "/api/v1/ledger/entries/" + posted.data()["id"].get<std::string>() + "/reverse",
           {{"booked_on", "2023-11-14"}, {"reason", "charged twice by the bank"}});
    ASSERT_EQ(reversal.status, 201) << reversal.raw.body;
    EXPECT_EQ(Balance("5070"), "0.00");
    // October's P&L still shows the charge; November's the reversal.
    ApiResponse october =
        As(admin_, Method::kGet,
           "/api/v1/ledger/reports/profit-and-loss?from=2023-10-01&to=2023-10-31");
    ASSERT_EQ(october.status, 200) << october.raw.body;
    EXPECT_EQ(october.data()["results"]["Net profit"], "-35.00");
    ApiResponse november =
        As(admin_, Method::kGet,
           "/api/v1/ledger/reports/profit-and-loss?from=2023-11-01&to=2023-11-30");
    EXPECT_EQ(november.data()["results"]["Net profit"], "35.00");
    // Reopening needs a reason; then October takes postings again.
    EXPECT_EQ(
        As(admin_, Method::kPost, "/api/v1/ledger/periods/2023-10/reopen", json::object()).status,
        400);
    EXPECT_EQ(As(admin_, Method::kPost, "/api/v1/ledger/periods/2023-10/reopen",
                 {{"reason", "auditor's adjustment"}})
                  .status,
              200);
    EXPECT_EQ(As(admin_, Method::kPost, "/api/v1/ledger/entries", entry).status, 201);
    ExpectLedgerSound();
}

TEST_F(LedgerApiTest, ReportsInEveryFormatAndTheBalanceSheetBalances) {
    ASSERT_EQ(As(admin_, Method::kPost, "/api/v1/ledger/entries",
                 {{"booked_on", "2023-11-01"},
                  {"memo", "Opening"},
                  {"lines", json::array({{{"code", "1020"}, {"debit", "1000.00"}},
                                         {{"code", "3000"}, {"credit", "1000.00"}}})}})
                  .status,
              201);
    ASSERT_EQ(
        Sell({{"nozzle_id", f_.nozzle}, {"quantity", "10"}, {"payment_method", "cash"}}).status,
        201);
    ApiResponse bs =
        As(admin_, Method::kGet, "/api/v1/ledger/reports/balance-sheet?as_of=2023-11-30");
    ASSERT_EQ(bs.status, 200) << bs.raw.body;
    EXPECT_EQ(bs.data()["results"]["Total assets"], "1149.50");
    EXPECT_EQ(bs.data()["results"]["Total equity"], "1149.50");
    EXPECT_EQ(bs.data()["results"]["Assets − (liabilities + equity)"], "0.00");
    ApiResponse by_station = As(admin_, Method::kGet,
                                "/api/v1/ledger/reports/profit-by-station?from=2023-11-01&to="
                                "2023-11-30");
    ASSERT_EQ(by_station.status, 200) << by_station.raw.body;
    ASSERT_EQ(by_station.data()["rows"].size(), 1U);
    EXPECT_EQ(by_station.data()["rows"][0]["revenue"], "149.50");
    ApiResponse by_product = As(admin_, Method::kGet,
                                "/api/v1/ledger/reports/profit-by-product?from=2023-11-01&to="
                                "2023-11-30");
    ASSERT_EQ(by_product.status, 200);
    EXPECT_EQ(by_product.data()["rows"][0]["product_id"], f_.product);
    ApiResponse cash = As(admin_, Method::kGet,
                          "/api/v1/ledger/accounts?code=1010&station_id=" + station_.ToString());
    const std::string cash_id = cash.data()[0]["id"];
    ApiResponse statement =
        As(admin_, Method::kGet,
           "/api/v1/ledger/accounts/" + cash_id + "/statement?from=2023-11-01&to=2023-11-30");
    ASSERT_EQ(statement.status, 200) << statement.raw.body;
    EXPECT_EQ(statement.data()["opening"], "0.00");
    EXPECT_EQ(statement.data()["closing"], "149.50");
    ASSERT_EQ(statement.data()["lines"].size(), 1U);
    EXPECT_EQ(statement.data()["lines"][0]["kind"], "sale_batch");
    for (const std::string& path : std::vector<std::string>{
             "/api/v1/ledger/reports/trial-balance?as_of=2023-11-30",
             "/api/v1/ledger/reports/profit-and-loss?from=2023-11-01&to=2023-11-30",
             "/api/v1/ledger/reports/balance-sheet?as_of=2023-11-30",
             "/api/v1/ledger/reports/profit-by-station?from=2023-11-01&to=2023-11-30",
             "/api/v1/ledger/accounts/" + cash_id + "/statement?from=2023-11-01&to=2023-11-30"}) {
        ApiResponse csv = As(admin_, Method::kGet, path + "&format=csv");
        ASSERT_EQ(csv.status, 200) << path << csv.raw.body;
        EXPECT_NE(csv.raw.body.find("149.50"), std::string::npos) << path << csv.raw.body;
        EXPECT_EQ(As(admin_, Method::kGet, path + "&format=xlsx").raw.body.substr(0, 2), "PK");
        EXPECT_EQ(As(admin_, Method::kGet, path + "&format=pdf").raw.body.substr(0, 5), "%PDF-");
    }
    EXPECT_EQ(
        As(admin_, Method::kGet, "/api/v1/ledger/reports/profit-and-loss?from=2023-11-30").status,
        400);
}

TEST_F(LedgerApiTest, ChartIsTheTemplateUntilTheTenantAddsACode) {
    ApiResponse chart = As(admin_, Method::kGet, "/api/v1/ledger/chart");
    ASSERT_EQ(chart.status, 200);
    EXPECT_EQ(chart.data()["source"], "template");
    ApiResponse added = As(admin_, Method::kPost, "/api/v1/ledger/chart",
                           {{"code", "5080"},
                            {"name", "Generator diesel"},
                            {"type", "expense"},
                            {"report_group", "Operating expenses"}});
    ASSERT_EQ(added.status, 201) << added.raw.body;
    EXPECT_EQ(As(admin_, Method::kPost, "/api/v1/ledger/chart",
                 {{"code", "5080"},
                  {"name", "Again"},
                  {"type", "expense"},
                  {"report_group", "Operating expenses"}})
                  .status,
              409);
    chart = As(admin_, Method::kGet, "/api/v1/ledger/chart");
    EXPECT_EQ(chart.data()["source"], "tenant");
    // A code the modules post to cannot be deactivated.
    EXPECT_EQ(As(admin_, Method::kPatch, "/api/v1/ledger/chart/1010", {{"active", false}}).status,
              400);
    EXPECT_EQ(As(admin_, Method::kPatch, "/api/v1/ledger/chart/5080", {{"active", false}}).status,
              200);
    // Only the company's administrators and auditors read the ledger.
    EXPECT_EQ(As(manager_, Method::kGet, "/api/v1/ledger/chart").status, 403);
}

}  // namespace
}  // namespace omc::ledger
