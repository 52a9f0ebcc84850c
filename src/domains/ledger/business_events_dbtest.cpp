// "Done when" of the finance issue, on both engines: a seeded randomized run posts thousands of
// mixed business events (fuel and shop sales paid every way, voids, refunds, manual journals,
// two-phase holds) while the database fails statements at random, and after every step checks
// that the ledger balances, that every account equals the sum of its transfers, that every
// stored sale is in exactly one sale-batch entry, and that a step that failed left nothing
// behind (its retry, with the failures off, is then stored exactly once).
#include <gtest/gtest.h>

#include <random>

#include "domains/forecourt/forecourt_fixture.hpp"
#include "domains/forecourt/sales.hpp"
#include "domains/ledger/chart.hpp"
#include "domains/ledger/ledger.hpp"
#include "testing/faulty_database.hpp"

namespace omc::ledger {
namespace {

using http::Method;
using nlohmann::json;
using omc::testing::ApiResponse;

class BusinessEventsTest : public forecourt::testing::ForecourtApiTest {
  protected:
    void SetUp() override {
        ForecourtApiTest::SetUp();
        admin_ = TokenFor("alpha-admin");
        std::tie(std::ignore, station_) = AddRegionAndStation(tenant_a_, "ACC1");
        f_ = FitOut(admin_, station_);
        ApiResponse water =
            As(admin_, Method::kPost, "/api/v1/products",
               {{"code", "WATER"}, {"name", "Bottled water"}, {"kind", "shop"}, {"unit", "each"}});
        ASSERT_EQ(water.status, 201) << water.raw.body;
        water_ = *Uuid::Parse(water.data()["id"].get<std::string>());
        ASSERT_EQ(As(admin_, Method::kPost, "/api/v1/prices",
                     {{"product_id", water_.ToString()}, {"unit_price", "7.50"}})
                      .status,
                  201);
        AddUser(tenant_a_, "efua-manager", identity::Role::kStationManager, {station_});
        const identity::User attendant =
            AddUser(tenant_a_, "kwame-attendant", identity::Role::kOperator, {station_});
        ApiResponse shift =
            As(TokenFor("efua-manager"), Method::kPost, "/api/v1/shifts",
               {{"station_id", station_.ToString()},
                {"attendants",
                 json::array({{{"pump_id", f_.pump}, {"attendant_id", attendant.id.ToString()}}})},
                {"totalizers", json::array({{{"nozzle_id", f_.nozzle}, {"totalizer", "1000"}}})}});
        ASSERT_EQ(shift.status, 201) << shift.raw.body;
        // Opening capital, so cash-like accounts are not all one-sided.
        ASSERT_EQ(As(admin_, Method::kPost, "/api/v1/ledger/entries",
                     {{"booked_on", "2023-11-01"},
                      {"memo", "Opening"},
                      {"lines", json::array({{{"code", "1020"}, {"debit", "100000.00"}},
                                             {{"code", "3000"}, {"credit", "100000.00"}}})}})
                      .status,
                  201);
        principal_.tenant = tenant_a_;
        principal_.subject = "random-run";
        principal_.role = "CompanyAdmin";
    }

    std::string admin_;
    Uuid station_;
    Uuid water_;
    forecourt::testing::FittedStation f_;
    http::Principal principal_;
};

constexpr db::Query kSaleExists{"test.sale_exists",
                                "SELECT COUNT(*) FROM sales WHERE tenant_id = $1 AND id = $2"};

TEST_F(BusinessEventsTest, RandomizedEventsWithInjectedFailuresKeepTheLedgerSound) {
    std::mt19937_64 rng(0x0FC0FFEE);
    testing::FaultyDatabase faulty(*database_, /*seed=*/42);
    forecourt::SalesService sales(faulty, ids_, clock_);
    const Uuid nozzle = *Uuid::Parse(f_.nozzle);
    std::vector<Uuid> fuel_sales;  // stored and not yet reversed
    std::vector<Uuid> holds;       // open pending transfers
    const std::vector<std::string> methods = {"cash", "momo", "card", "voucher"};
    int stored = 0;
    int failed = 0;
    int retried = 0;
    constexpr int kSteps = 1'500;
    for (int step = 0; step < kSteps; ++step) {
        const int kind = static_cast<int>(rng() % 10);
        faulty.SetFailureProbability(rng() % 4 == 0 ? 0.15 : 0.0);
        clock_.AdvanceUs(1'000'000);
        if (kind <= 6) {
            // A sale, a void or a refund.
            forecourt::SaleCommand c;
            c.principal = principal_;
            c.id = ids_.NewV7();
            c.station_id = station_;
            c.sold_at_us = clock_.NowUs();
            c.request_hash = c.id.ToString();
            if (kind <= 3 || fuel_sales.empty()) {
                c.kind = forecourt::SaleKind::kFuel;
                c.nozzle_id = nozzle;
                c.quantity_milli = 1'000 + static_cast<int64_t>(rng() % 40'000);
                c.payment_method = methods[rng() % methods.size()];
            } else if (kind == 4) {
                c.kind = forecourt::SaleKind::kShop;
                c.product_id = water_;
                c.quantity_milli = 1'000 * (1 + static_cast<int64_t>(rng() % 3));
                c.payment_method = methods[rng() % methods.size()];
            } else {
                c.kind = kind == 5 ? forecourt::SaleKind::kVoid : forecourt::SaleKind::kRefund;
                c.reverses_id = fuel_sales.back();
                c.reason = "random run";
                if (c.kind == forecourt::SaleKind::kRefund) c.quantity_milli = 500;
            }
            Result<forecourt::Sale> r = sales.Record(tenant_a_, c);
            if (!r.ok() && r.error().code() == ErrorCode::kUnavailable) {
                ++failed;
                // Nothing of it was stored; the retry without failures stores it once.
                auto n = db::InTransaction(
                    *database_, {.tenant = tenant_a_}, [&](db::Transaction& tx) -> Result<int64_t> {
                        OMC_ASSIGN_OR_RETURN(db::Rows rows,
                                             tx.Query(kSaleExists, {tenant_a_, c.id}));
                        return rows[0].Int(0);
                    });
                ASSERT_TRUE(n.ok());
                ASSERT_EQ(*n, 0) << "step " << step << ": a failed sale left a row";
                faulty.SetFailureProbability(0);
                r = sales.Record(tenant_a_, c);
                ++retried;
                ASSERT_TRUE(r.ok() || r.error().code() != ErrorCode::kUnavailable)
                    << r.error().message();
            }
            if (r.ok()) {
                ++stored;
                if (c.kind == forecourt::SaleKind::kFuel) fuel_sales.push_back(c.id);
                if (c.kind == forecourt::SaleKind::kVoid) fuel_sales.pop_back();
                // Retrying an answered sale answers it again and stores nothing more.
                if (rng() % 20 == 0) {
                    faulty.SetFailureProbability(0);
                    Result<forecourt::Sale> again = sales.Record(tenant_a_, c);
                    ASSERT_TRUE(again.ok()) << again.error().message();
                    EXPECT_TRUE(again->replayed);
                    EXPECT_EQ(again->receipt_no, r->receipt_no);
                }
            } else if (c.reverses_id && r.error().code() == ErrorCode::kConflict) {
                fuel_sales.pop_back();  // nothing left to reverse on it
            }
        } else {
            // A manual journal or a two-phase hold, straight on the faulty database.
            auto tx = faulty.Begin({.tenant = tenant_a_});
            ASSERT_TRUE(tx.ok());
            Result<void> done = Ok();
            std::optional<Uuid> new_hold;
            bool resolved_hold = false;
            if (kind == 7) {
                Entry e;
                e.id = ids_.NewV7();
                e.kind = "manual";
                e.booked_on = "2023-11-20";
                const int64_t amount = 1 + static_cast<int64_t>(rng() % 50'000);
                e.lines = {{{std::string(chart::kBankCharges), {}, {}, {}}, amount, 0, {}},
                           {{std::string(chart::kBank), {}, {}, {}}, 0, amount, {}}};
                done = PostEntries(**tx, tenant_a_, std::span<const Entry>(&e, 1), ids_, "random",
                                   clock_.NowUs());
            } else {
                auto bank = ResolveAccount(**tx, tenant_a_, {std::string(chart::kBank), {}, {}, {}},
                                           ids_, clock_.NowUs());
                auto card =
                    ResolveAccount(**tx, tenant_a_, {std::string(chart::kCardClearing), {}, {}, {}},
                                   ids_, clock_.NowUs());
                if (!bank.ok() || !card.ok()) {
                    done = bank.ok() ? card.error() : bank.error();
                } else {
                    TransferSpec s;
                    s.id = ids_.NewV7();
                    s.kind = "random";
                    s.booked_on = "2023-11-20";
                    if (kind == 8 || holds.empty()) {
                        s.debit_account_id = card->id;
                        s.credit_account_id = bank->id;
                        s.amount = 1 + static_cast<int64_t>(rng() % 20'000);
                        s.flags = transfer_flags::kPending;
                        s.timeout_s = 3600;
                        new_hold = s.id;
                    } else {
                        s.pending_id = holds.back();
                        s.flags =
                            rng() % 2 ? transfer_flags::kPostPending : transfer_flags::kVoidPending;
                        resolved_hold = true;
                    }
                    auto r = CreateTransfers(**tx, tenant_a_, std::vector<TransferSpec>{s},
                                             "random", clock_.NowUs());
                    if (!r.ok()) done = r.error();
                }
            }
            Result<void> committed = done.ok() ? (*tx)->Commit() : done;
            if (!committed.ok()) {
                (*tx)->Rollback();
                ++failed;
            } else {
                if (new_hold) holds.push_back(*new_hold);
                if (resolved_hold) holds.pop_back();
            }
        }
        faulty.SetFailureProbability(0);
        auto problems = Verify(*database_);
        ASSERT_TRUE(problems.ok()) << problems.error().message();
        ASSERT_TRUE(problems->empty()) << "step " << step << ": " << problems->front();
    }
    EXPECT_GT(stored, 900);
    EXPECT_GT(failed, 50);
    EXPECT_GT(retried, 20);
    // The trial balance over the API balances too (a fresh token: the run took simulated time).
    ApiResponse tb = As(TokenFor("alpha-admin"), Method::kGet,
                        "/api/v1/ledger/reports/trial-balance?as_of=2023-12-31");
    ASSERT_EQ(tb.status, 200);
    EXPECT_TRUE(tb.data()["balanced"].get<bool>());
}

}  // namespace
}  // namespace omc::ledger
