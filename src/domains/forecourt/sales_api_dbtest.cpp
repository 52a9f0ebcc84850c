// Shifts and sales through the API, on both engines: a shift opened and closed with its report,
// sales priced by the server, receipts gap-free, retries stored once, voids and refunds, book
// stock and daily totals, every refusal naming its field, and concurrent sales in shared batches.
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "domains/forecourt/forecourt_fixture.hpp"

namespace omc::forecourt {
namespace {

using http::Method;
using nlohmann::json;
using omc::testing::ApiResponse;

class SalesApiTest : public testing::ForecourtApiTest {
  protected:
    void SetUp() override {
        ForecourtApiTest::SetUp();
        admin_ = TokenFor("alpha-admin");
        std::tie(region_, station_) = AddRegionAndStation(tenant_a_, "ACC1");
        f_ = FitOut(admin_, station_);
        manager_user_ =
            AddUser(tenant_a_, "efua-manager", identity::Role::kStationManager, {station_});
        attendant_ = AddUser(tenant_a_, "kwame-attendant", identity::Role::kOperator, {station_});
        manager_ = TokenFor("efua-manager");
        operator_ = TokenFor("kwame-attendant");
    }

    ApiResponse OpenShift(const std::string& totalizer = "1000.000") {
        return As(
            manager_, Method::kPost, "/api/v1/shifts",
            {{"station_id", station_.ToString()},
             {"attendants",
              json::array({{{"pump_id", f_.pump}, {"attendant_id", attendant_.id.ToString()}}})},
             {"totalizers", json::array({{{"nozzle_id", f_.nozzle}, {"totalizer", totalizer}}})}});
    }

    json FuelSale(const std::string& litres, const std::string& method = "cash") {
        return {{"id", ids_.NewV7().ToString()},
                {"station_id", station_.ToString()},
                {"nozzle_id", f_.nozzle},
                {"quantity", litres},
                {"payment_method", method}};
    }

    std::string admin_, manager_, operator_;
    Uuid region_, station_;
    testing::FittedStation f_;
    identity::User manager_user_, attendant_;
};

TEST_F(SalesApiTest, ASaleIsPricedByTheServerAndMovesStock) {
    ASSERT_EQ(OpenShift().status, 201);
    ApiResponse sale = As(operator_, Method::kPost, "/api/v1/transactions", FuelSale("10.000"));
    ASSERT_EQ(sale.status, 201) << sale.raw.body;
    EXPECT_EQ(sale.data()["unit_price"], "14.95");
    EXPECT_EQ(sale.data()["amount"], "149.50");
    EXPECT_EQ(sale.data()["receipt_no"], 1);
    EXPECT_EQ(sale.data()["attendant_id"], attendant_.id.ToString());  // from the pump
    // By amount: GH₵ 50 buys 3.344 L (3.34448... half-even to the ml) and keeps its amount.
    json by_amount = FuelSale("0");
    by_amount.erase("quantity");
    by_amount["amount"] = "50.00";
    ApiResponse second = As(operator_, Method::kPost, "/api/v1/transactions", by_amount);
    ASSERT_EQ(second.status, 201) << second.raw.body;
    EXPECT_EQ(second.data()["quantity"], "3.344");
    EXPECT_EQ(second.data()["amount"], "50.00");
    EXPECT_EQ(second.data()["receipt_no"], 2);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/tanks/" + f_.tank).data()["book_stock"], "-13.344");
}

TEST_F(SalesApiTest, ARetryIsStoredOnceAndAChangedRetryIsRefused) {
    ASSERT_EQ(OpenShift().status, 201);
    const json body = FuelSale("20.000");
    ApiResponse first = As(operator_, Method::kPost, "/api/v1/transactions", body);
    ASSERT_EQ(first.status, 201);
    ApiResponse again = As(operator_, Method::kPost, "/api/v1/transactions", body);
    ASSERT_EQ(again.status, 200) << again.raw.body;
    EXPECT_EQ(again.data()["receipt_no"], first.data()["receipt_no"]);
    json changed = body;
    changed["quantity"] = "21.000";
    ApiResponse conflict = As(operator_, Method::kPost, "/api/v1/transactions", changed);
    EXPECT_EQ(conflict.status, 409);
    EXPECT_EQ(conflict.ErrorField(), "id");
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/transactions").data().size(), 1u);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/tanks/" + f_.tank).data()["book_stock"], "-20.000");
}

TEST_F(SalesApiTest, BadSalesNameTheirFieldAndLeaveNoTrace) {
    // No open shift yet.
    ApiResponse no_shift = As(operator_, Method::kPost, "/api/v1/transactions", FuelSale("1"));
    EXPECT_EQ(no_shift.status, 409);
    EXPECT_EQ(no_shift.ErrorField(), "station_id");
    ASSERT_EQ(OpenShift().status, 201);
    struct Case {
        json change;
        int status;
        std::string field;
    };
    const std::vector<Case> cases = {
        {{{"quantity", "0"}}, 400, "quantity"},
        {{{"quantity", "-5"}}, 400, "quantity"},
        {{{"quantity", "99999"}}, 400, "quantity"},
        {{{"quantity", "1.2345"}}, 400, "quantity"},
        {{{"unit_price", "13.00"}}, 422, "unit_price"},
        {{{"payment_method", "barter"}}, 400, "payment_method"},
        {{{"payment_method", "account"}}, 400, "customer_id"},
        {{{"nozzle_id", ids_.NewV7().ToString()}}, 422, "nozzle_id"},
        {{{"station_id", ids_.NewV7().ToString()}}, 422, "station_id"},
        {{{"id", "not-a-uuid"}}, 400, "id"},
        {{{"sold_at", "2099-01-01T00:00:00Z"}}, 400, "sold_at"},
    };
    for (const Case& c : cases) {
        json body = FuelSale("10");
        body.update(c.change);
        ApiResponse r = As(operator_, Method::kPost, "/api/v1/transactions", body);
        EXPECT_EQ(r.status, c.status) << c.change.dump() << " " << r.raw.body;
        if (r.status == c.status) {
            EXPECT_EQ(r.ErrorField(), c.field) << c.change.dump();
        }
    }
    // The right price is accepted when sent.
    json priced = FuelSale("1");
    priced["unit_price"] = "14.950";
    EXPECT_EQ(As(operator_, Method::kPost, "/api/v1/transactions", priced).status, 201);
    // A nozzle of another station.
    const Uuid other = AddRegionAndStation(tenant_a_, "KSI1").second;
    const testing::FittedStation there = FitOut(admin_, other, "AGO");
    json foreign = FuelSale("1");
    foreign["nozzle_id"] = there.nozzle;
    ApiResponse wrong = As(operator_, Method::kPost, "/api/v1/transactions", foreign);
    EXPECT_EQ(wrong.status, 400);
    EXPECT_EQ(wrong.ErrorField(), "nozzle_id");
    // Only the one good sale was stored, with receipt 1: refusals take no number.
    ApiResponse all = As(admin_, Method::kGet, "/api/v1/transactions");
    ASSERT_EQ(all.data().size(), 1u);
    EXPECT_EQ(all.data()[0]["receipt_no"], 1);
}

TEST_F(SalesApiTest, ShiftClosesWithItsReportAndIsThenLocked) {
    ApiResponse shift = OpenShift();
    ASSERT_EQ(shift.status, 201) << shift.raw.body;
    const std::string id = shift.data()["id"];
    ASSERT_EQ(As(operator_, Method::kPost, "/api/v1/transactions", FuelSale("30.000")).status, 201);
    ASSERT_EQ(
        As(operator_, Method::kPost, "/api/v1/transactions", FuelSale("10.000", "momo")).status,
        201);
    // The meter says 41 L went out; 40 L were recorded. GH₵ 450.00 cash + 149.50 MoMo handed in.
    ApiResponse closed =
        As(manager_, Method::kPost, "/api/v1/shifts/" + id + "/close",
           {{"totalizers", json::array({{{"nozzle_id", f_.nozzle}, {"totalizer", "1041.000"}}})},
            {"collections", json::array({{{"attendant_id", attendant_.id.ToString()},
                                          {"cash", "450.00"},
                                          {"momo", "149.50"},
                                          {"card", "0"}}})}});
    ASSERT_EQ(closed.status, 200) << closed.raw.body;
    const json& report = closed.data()["report"];
    ASSERT_EQ(report["nozzles"].size(), 1u);
    EXPECT_EQ(report["nozzles"][0]["meter_quantity"], "41.000");
    EXPECT_EQ(report["nozzles"][0]["recorded_quantity"], "40.000");
    EXPECT_EQ(report["nozzles"][0]["variance_quantity"], "1.000");
    EXPECT_EQ(report["nozzles"][0]["variance_amount"], "14.95");
    ASSERT_EQ(report["attendants"].size(), 1u);
    EXPECT_EQ(report["attendants"][0]["expected_money"], "612.95");   // 41 L × 14.95
    EXPECT_EQ(report["attendants"][0]["variance_amount"], "-13.45");  // short
    // Locked: no sale into it, no second close; a correction is an adjustment with a reason.
    json late = FuelSale("1");
    late["shift_id"] = id;
    ApiResponse refused = As(operator_, Method::kPost, "/api/v1/transactions", late);
    EXPECT_EQ(refused.status, 409);
    EXPECT_EQ(refused.ErrorField(), "shift_id");
    ApiResponse twice =
        As(manager_, Method::kPost, "/api/v1/shifts/" + id + "/close",
           {{"totalizers", json::array({{{"nozzle_id", f_.nozzle}, {"totalizer", "1041.000"}}})},
            {"collections", json::array()}});
    EXPECT_EQ(twice.status, 409);
    ApiResponse adjusted = As(manager_, Method::kPost, "/api/v1/shifts/" + id + "/adjustments",
                              {{"field", "cash"},
                               {"attendant_id", attendant_.id.ToString()},
                               {"delta", "13.45"},
                               {"reason", "envelope found in the safe"}});
    ASSERT_EQ(adjusted.status, 201) << adjusted.raw.body;
    EXPECT_EQ(adjusted.data()["report"]["attendants"][0]["variance_amount"], "0.00");
    // The next shift must open at or above the closing totalizer.
    ApiResponse backwards = OpenShift("1040.000");
    EXPECT_EQ(backwards.status, 400);
    EXPECT_EQ(backwards.ErrorField(), "totalizers[0].totalizer");
}

TEST_F(SalesApiTest, VoidAndRefundAreApprovedReversals) {
    ASSERT_EQ(OpenShift().status, 201);
    ApiResponse sale = As(operator_, Method::kPost, "/api/v1/transactions", FuelSale("10.000"));
    ASSERT_EQ(sale.status, 201);
    const std::string path = "/api/v1/transactions/" + sale.data()["id"].get<std::string>();
    const json void_body{{"id", ids_.NewV7().ToString()}, {"reason", "keyed twice"}};
    // An Operator may not approve it.
    EXPECT_EQ(As(operator_, Method::kPost, path + "/void", void_body).status, 403);
    ApiResponse missing_reason =
        As(manager_, Method::kPost, path + "/void", {{"id", ids_.NewV7().ToString()}});
    EXPECT_EQ(missing_reason.status, 400);
    EXPECT_EQ(missing_reason.ErrorField(), "reason");
    ApiResponse voided = As(manager_, Method::kPost, path + "/void", void_body);
    ASSERT_EQ(voided.status, 201) << voided.raw.body;
    EXPECT_EQ(voided.data()["amount"], "-149.50");
    EXPECT_EQ(voided.data()["receipt_no"], 2);
    EXPECT_EQ(voided.data()["approved_by"], manager_user_.id.ToString());
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/tanks/" + f_.tank).data()["book_stock"], "0.000");
    ApiResponse again = As(manager_, Method::kPost, path + "/void",
                           {{"id", ids_.NewV7().ToString()}, {"reason", "again"}});
    EXPECT_EQ(again.status, 409);
    // A refund of part of another sale, then more than is left.
    ApiResponse other = As(operator_, Method::kPost, "/api/v1/transactions", FuelSale("10.000"));
    const std::string other_path = "/api/v1/transactions/" + other.data()["id"].get<std::string>();
    ApiResponse part = As(
        manager_, Method::kPost, other_path + "/refund",
        {{"id", ids_.NewV7().ToString()}, {"reason", "pump stopped early"}, {"quantity", "4.000"}});
    ASSERT_EQ(part.status, 201) << part.raw.body;
    EXPECT_EQ(part.data()["amount"], "-59.80");
    ApiResponse too_much =
        As(manager_, Method::kPost, other_path + "/refund",
           {{"id", ids_.NewV7().ToString()}, {"reason", "again"}, {"quantity", "6.001"}});
    EXPECT_EQ(too_much.status, 400);
    EXPECT_EQ(too_much.ErrorField(), "quantity");
    // The reversals are audited.
    ApiResponse audit = As(admin_, Method::kGet, "/api/v1/audit?action=forecourt.sales.void");
    ASSERT_EQ(audit.status, 200);
    EXPECT_NE(audit.raw.body.find("keyed twice"), std::string::npos) << audit.raw.body;
}

TEST_F(SalesApiTest, ListFiltersAndCsvExport) {
    ASSERT_EQ(OpenShift().status, 201);
    ASSERT_EQ(As(operator_, Method::kPost, "/api/v1/transactions", FuelSale("1.000")).status, 201);
    ASSERT_EQ(
        As(operator_, Method::kPost, "/api/v1/transactions", FuelSale("2.000", "momo")).status,
        201);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/transactions?payment_method=momo").data().size(),
              1u);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/transactions?payment_method=gold").status, 400);
    ApiResponse page = As(admin_, Method::kGet, "/api/v1/transactions?limit=1");
    ASSERT_EQ(page.data().size(), 1u);
    ASSERT_FALSE(page.body["metadata"]["pagination"]["next_cursor"].is_null());
    ApiResponse csv = As(admin_, Method::kGet, "/api/v1/transactions/export.csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_NE(csv.raw.content_type.find("text/csv"), std::string::npos);
    EXPECT_EQ(std::count(csv.raw.body.begin(), csv.raw.body.end(), '\n'), 3);  // header + 2
    EXPECT_NE(csv.raw.body.find(",momo,"), std::string::npos);
}

TEST_F(SalesApiTest, ListsNewestFirstOnAskingWithItsOwnCursor) {
    ASSERT_EQ(OpenShift().status, 201);
    std::vector<std::string> ids;  // in the order recorded
    for (const char* litres : {"1.000", "2.000", "3.000"}) {
        ApiResponse sale = As(operator_, Method::kPost, "/api/v1/transactions", FuelSale(litres));
        ASSERT_EQ(sale.status, 201);
        ids.push_back(sale.data()["id"]);
    }
    ApiResponse first = As(admin_, Method::kGet, "/api/v1/transactions?order=desc&limit=2");
    ASSERT_EQ(first.status, 200);
    ASSERT_EQ(first.data().size(), 2u);
    EXPECT_EQ(first.data()[0]["id"], ids[2]);
    EXPECT_EQ(first.data()[1]["id"], ids[1]);
    const std::string cursor = first.body["metadata"]["pagination"]["next_cursor"];
    ApiResponse second =
        As(admin_, Method::kGet, "/api/v1/transactions?order=desc&limit=2&cursor=" + cursor);
    ASSERT_EQ(second.data().size(), 1u);
    EXPECT_EQ(second.data()[0]["id"], ids[0]);
    EXPECT_TRUE(second.body["metadata"]["pagination"]["next_cursor"].is_null());
    // The default stays oldest first; the export follows the order asked.
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/transactions").data()[0]["id"], ids[0]);
    ApiResponse csv = As(admin_, Method::kGet, "/api/v1/transactions/export.csv?order=desc");
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(csv.raw.body.substr(csv.raw.body.find('\n') + 1, 36), ids[2]);
    ApiResponse bad = As(admin_, Method::kGet, "/api/v1/transactions?order=latest");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.ErrorField(), "order");
}

TEST_F(SalesApiTest, ConcurrentSalesShareBatchesAndKeepReceiptsGapFree) {
    ASSERT_EQ(OpenShift().status, 201);
    constexpr int kThreads = 8;
    constexpr int kPerThread = 15;
    std::vector<std::thread> threads;
    std::atomic<int> created{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < kPerThread; ++i) {
                if (As(operator_, Method::kPost, "/api/v1/transactions", FuelSale("1.000"))
                        .status == 201) {
                    ++created;
                }
            }
        });
    }
    for (std::thread& t : threads) t.join();
    ASSERT_EQ(created.load(), kThreads * kPerThread);
    std::set<int64_t> receipts;
    std::optional<std::string> cursor;
    do {
        ApiResponse page =
            As(admin_, Method::kGet,
               "/api/v1/transactions?limit=500" + (cursor ? "&cursor=" + *cursor : std::string()));
        for (const json& s : page.data()) receipts.insert(s["receipt_no"].get<int64_t>());
        const json& next = page.body["metadata"]["pagination"]["next_cursor"];
        cursor = next.is_null() ? std::nullopt : std::optional<std::string>(next);
    } while (cursor);
    ASSERT_EQ(receipts.size(), static_cast<size_t>(kThreads * kPerThread));
    EXPECT_EQ(*receipts.begin(), 1);
    EXPECT_EQ(*receipts.rbegin(), kThreads * kPerThread);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/tanks/" + f_.tank).data()["book_stock"],
              "-120.000");
}

// A batch prices each sale at its own time: one lookup per station and product serves the sales
// after the latest price change, the earlier ones get the price of their time.
TEST_F(SalesApiTest, ConcurrentSalesAcrossAPriceChangeGetThePriceOfTheirTime) {
    ASSERT_EQ(OpenShift().status, 201);
    const std::string earlier = FormatTimestamp(clock_.NowUs() + 60'000'000);
    clock_.AdvanceUs(3'600'000'000);
    admin_ = TokenFor("alpha-admin");  // the earlier tokens have expired
    operator_ = TokenFor("kwame-attendant");
    ASSERT_EQ(As(admin_, Method::kPost, "/api/v1/prices",
                 {{"product_id", f_.product}, {"unit_price", "15.50"}})
                  .status,
              201);
    constexpr int kThreads = 8;
    constexpr int kPerThread = 10;
    std::atomic<int> right{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                json body = FuelSale("2.000");
                const bool old_price = (t + i) % 2 == 0;
                if (old_price) body["sold_at"] = earlier;
                ApiResponse r = As(operator_, Method::kPost, "/api/v1/transactions", body);
                if (r.status == 201 && r.data()["unit_price"] == (old_price ? "14.95" : "15.50") &&
                    r.data()["amount"] == (old_price ? "29.90" : "31.00")) {
                    ++right;
                }
            }
        });
    }
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(right.load(), kThreads * kPerThread);
}

}  // namespace
}  // namespace omc::forecourt
