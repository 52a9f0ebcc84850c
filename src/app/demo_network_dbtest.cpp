// `omc demo`'s network and history on both engines: consistent with what the API produces
// (receipts, rollups, book stock, totalizers, shift reports, a live sale on top), and the
// planted losses findable by the reconciliation model from the stored dips, deliveries and
// sales alone.
#include "app/demo_network.hpp"

#include <map>

#include <gtest/gtest.h>

#include "app/demo_ledger.hpp"
#include "domains/arap/credit.hpp"
#include "domains/forecourt/catalog.hpp"
#include "domains/forecourt/reconciliation_model.hpp"
#include "domains/forecourt/vcf.hpp"
#include "domains/ledger/ledger.hpp"
#include "domains/ledger/posting_ids.hpp"
#include "domains/pricing/buildup.hpp"
#include "testing/api_fixture.hpp"

namespace omc {
namespace {

using http::Method;
using nlohmann::json;

constexpr int64_t kLitre = 1'000;

constexpr db::Query kReceiptRuns{"test.demo_receipt_runs", R"sql(
    SELECT s.station_id, COUNT(*), MIN(s.receipt_no), MAX(s.receipt_no), MAX(r.next_receipt)
    FROM sales s JOIN station_receipts r ON r.tenant_id = s.tenant_id
                                        AND r.station_id = s.station_id
    WHERE s.tenant_id = $1 GROUP BY s.station_id)sql"};
constexpr db::Query kDailyTotals{"test.demo_daily_totals", R"sql(
    SELECT COALESCE(SUM(sales_count), 0), COALESCE(SUM(quantity_milli), 0),
           COALESCE(SUM(amount), 0)
    FROM sales_daily WHERE tenant_id = $1)sql"};
constexpr db::Query kSalesTotals{"test.demo_sales_totals", R"sql(
    SELECT COUNT(*), COALESCE(SUM(quantity_milli), 0), COALESCE(SUM(amount), 0)
    FROM sales WHERE tenant_id = $1)sql"};
// Book stock against its movements: every tank's book = movements in − sales out.
constexpr db::Query kBookMismatch{"test.demo_book_mismatch", R"sql(
    SELECT COUNT(*) FROM tanks t
    WHERE t.tenant_id = $1 AND t.book_stock_milli <>
          (SELECT COALESCE(SUM(quantity_milli), 0) FROM stock_movements m
           WHERE m.tenant_id = t.tenant_id AND m.tank_id = t.id)
        - (SELECT COALESCE(SUM(quantity_milli), 0) FROM sales s
           WHERE s.tenant_id = t.tenant_id AND s.tank_id = t.id))sql"};
// Closed shifts' nozzles whose meter differs from the sales recorded on them.
constexpr db::Query kMeterMismatch{"test.demo_meter_mismatch", R"sql(
    SELECT COUNT(*) FROM shift_nozzles n
    WHERE n.tenant_id = $1 AND n.closing_milli IS NOT NULL
      AND n.closing_milli - n.opening_milli <>
          (SELECT COALESCE(SUM(quantity_milli), 0) FROM sales s
           WHERE s.tenant_id = n.tenant_id AND s.shift_id = n.shift_id
             AND s.nozzle_id = n.nozzle_id))sql"};
constexpr db::Query kOpenShifts{"test.demo_open_shifts", R"sql(
    SELECT COUNT(*), COUNT(DISTINCT station_id) FROM shifts
    WHERE tenant_id = $1 AND status = 'open')sql"};
constexpr db::Query kRoutineDips{"test.demo_routine_dips", R"sql(
    SELECT taken_at_us, standard_milli, vcf_x10000 FROM dips
    WHERE tenant_id = $1 AND tank_id = $2 AND purpose = 'routine' ORDER BY taken_at_us)sql"};
constexpr db::Query kTankDeliveries{"test.demo_tank_deliveries", R"sql(
    SELECT delivered_at_us, received_standard_milli FROM deliveries
    WHERE tenant_id = $1 AND tank_id = $2)sql"};
constexpr db::Query kTankSales{"test.demo_tank_sales", R"sql(
    SELECT sold_at_us, quantity_milli FROM sales WHERE tenant_id = $1 AND tank_id = $2)sql"};
constexpr db::Query kAttendantShifts{"test.demo_attendant_shifts", R"sql(
    SELECT DISTINCT a.shift_id FROM shift_attendants a
    JOIN shifts s ON s.tenant_id = a.tenant_id AND s.id = a.shift_id
    WHERE a.tenant_id = $1 AND a.attendant_id = $2 AND s.status = 'closed')sql"};

// The ledger of the history: the sale batches cover every sale once, the payment side of the
// sale entries adds up to the sales, and the other figures the demo posts.
constexpr db::Query kSaleBatches{"test.demo_sale_batches", R"sql(
    SELECT COALESCE(SUM(sales_count), 0), COALESCE(SUM(last_receipt - first_receipt + 1), 0),
           COALESCE(SUM(amount), 0), COUNT(*)
    FROM ledger_sale_batches WHERE tenant_id = $1)sql"};
// Σ (debits − credits) of the accounts of a code.
constexpr db::Query kCodeDebitBalance{"test.demo_code_balance", R"sql(
    SELECT COALESCE(SUM(debits_posted - credits_posted), 0) FROM ledger_accounts
    WHERE tenant_id = $1 AND code = $2)sql"};
constexpr db::Query kClaimTotal{"test.demo_claim_total", R"sql(
    SELECT COALESCE(SUM(claim_amount), 0), COUNT(*),
           COALESCE(SUM(CASE WHEN unit_cost IS NULL THEN 1 ELSE 0 END), 0)
    FROM deliveries WHERE tenant_id = $1)sql"};

// What an entry debits to (or credits from) the accounts of a code.
constexpr db::Query kEntryDebits{"test.demo_entry_debits", R"sql(
    SELECT COALESCE(SUM(t.amount), 0) FROM ledger_transfers t
    JOIN ledger_accounts a ON a.tenant_id = t.tenant_id AND a.id = t.debit_account_id
    WHERE t.tenant_id = $1 AND t.entry_id = $2 AND a.code = $3)sql"};
constexpr db::Query kEntryCredits{"test.demo_entry_credits", R"sql(
    SELECT COALESCE(SUM(t.amount), 0) FROM ledger_transfers t
    JOIN ledger_accounts a ON a.tenant_id = t.tenant_id AND a.id = t.credit_account_id
    WHERE t.tenant_id = $1 AND t.entry_id = $2 AND a.code = $3)sql"};

// ---- the finance of the history: receivables, payables, pricing ----

constexpr db::Query kAccountSales{"test.demo_account_sales", R"sql(
    SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM sales
    WHERE tenant_id = $1 AND payment_method = 'account')sql"};
constexpr db::Query kAccountSalesWithoutCustomer{"test.demo_account_sales_no_customer", R"sql(
    SELECT COUNT(*) FROM sales s
    WHERE s.tenant_id = $1 AND s.payment_method = 'account'
      AND NOT EXISTS (SELECT 1 FROM arap_customers c
                      WHERE c.tenant_id = s.tenant_id AND c.id = s.customer_id))sql"};
// Account sales with their credit-sale row: same customer, amount, station and time, and a
// vehicle of that customer.
constexpr db::Query kCreditSalesMatched{"test.demo_credit_sales_matched", R"sql(
    SELECT COUNT(*) FROM sales s
    JOIN arap_credit_sales cs ON cs.tenant_id = s.tenant_id AND cs.sale_id = s.id
    JOIN arap_vehicles v ON v.tenant_id = cs.tenant_id AND v.id = cs.vehicle_id
                        AND v.customer_id = cs.customer_id
    WHERE s.tenant_id = $1 AND s.payment_method = 'account' AND cs.customer_id = s.customer_id
      AND cs.amount = s.amount AND cs.station_id = s.station_id
      AND cs.sold_at_us = s.sold_at_us)sql"};
constexpr db::Query kCreditSalesTotals{"test.demo_credit_sales_totals", R"sql(
    SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM arap_credit_sales WHERE tenant_id = $1)sql"};
// Vehicle-days over the vehicle's daily limit (days are UTC, as the credit check counts them).
constexpr db::Query kDailyLimitBreaches{"test.demo_daily_limit_breaches", R"sql(
    SELECT COUNT(*) FROM (
        SELECT cs.vehicle_id FROM arap_credit_sales cs
        JOIN arap_vehicles v ON v.tenant_id = cs.tenant_id AND v.id = cs.vehicle_id
        WHERE cs.tenant_id = $1 AND v.limit_period = 'day'
        GROUP BY cs.vehicle_id, cs.sold_at_us / 86400000000, v.limit_amount
        HAVING SUM(cs.amount) > v.limit_amount) breaches)sql"};
constexpr db::Query kCustomers{"test.demo_customers", R"sql(
    SELECT id, status, credit_limit, name FROM arap_customers WHERE tenant_id = $1
    ORDER BY code)sql"};
constexpr db::Query kPartyBalance{"test.demo_party_balance", R"sql(
    SELECT COALESCE(SUM(debits_posted - credits_posted), 0) FROM ledger_accounts
    WHERE tenant_id = $1 AND code = $2 AND party_id = $3)sql"};
constexpr db::Query kInvoiceNumbers{"test.demo_invoice_numbers", R"sql(
    SELECT COUNT(*), COALESCE(MIN(number), 0), COALESCE(MAX(number), 0),
           (SELECT next_value FROM arap_counters WHERE tenant_id = $1 AND name = 'invoice')
    FROM arap_invoices WHERE tenant_id = $1)sql"};
// Invoices whose lines do not add up to the total or count, or bill a sale of another customer.
constexpr db::Query kInvoiceMismatch{"test.demo_invoice_mismatch", R"sql(
    SELECT COUNT(*) FROM arap_invoices i
    WHERE i.tenant_id = $1 AND (
        i.total <> (SELECT COALESCE(SUM(l.amount), 0) FROM arap_invoice_lines l
                    WHERE l.tenant_id = i.tenant_id AND l.invoice_id = i.id)
        OR i.line_count <> (SELECT COUNT(*) FROM arap_invoice_lines l
                            WHERE l.tenant_id = i.tenant_id AND l.invoice_id = i.id)
        OR EXISTS (SELECT 1 FROM arap_invoice_lines l
                   JOIN arap_credit_sales cs ON cs.tenant_id = l.tenant_id
                                            AND cs.sale_id = l.sale_id
                   WHERE l.tenant_id = i.tenant_id AND l.invoice_id = i.id
                     AND (cs.customer_id <> i.customer_id OR cs.invoice_id <> i.id))))sql"};
constexpr db::Query kBilledSales{"test.demo_billed_sales", R"sql(
    SELECT (SELECT COUNT(*) FROM arap_credit_sales WHERE tenant_id = $1
            AND invoice_id IS NOT NULL),
           (SELECT COUNT(*) FROM arap_invoice_lines WHERE tenant_id = $1))sql"};
constexpr db::Query kAllocationsOverPaid{"test.demo_allocations_over", R"sql(
    SELECT COUNT(*) FROM arap_invoices i WHERE i.tenant_id = $1 AND i.total <
        (SELECT COALESCE(SUM(a.amount), 0) FROM arap_customer_allocations a
         WHERE a.tenant_id = i.tenant_id AND a.invoice_id = i.id))sql"};
constexpr db::Query kSupplierDeliveries{"test.demo_supplier_invoice_deliveries", R"sql(
    SELECT COUNT(*),
           COALESCE(SUM(CASE WHEN d.id IS NULL THEN 1 ELSE 0 END), 0),
           COALESCE(SUM(CASE WHEN d.id IS NOT NULL AND
                                  (d.loaded_ambient_milli <> x.quantity_milli OR
                                   d.product_id <> o.product_id) THEN 1 ELSE 0 END), 0)
    FROM arap_supplier_invoice_deliveries x
    JOIN arap_supplier_invoices i ON i.tenant_id = x.tenant_id AND i.id = x.invoice_id
    JOIN arap_purchase_orders o ON o.tenant_id = i.tenant_id AND o.id = i.purchase_order_id
    LEFT JOIN deliveries d ON d.tenant_id = x.tenant_id AND d.id = x.delivery_id
    WHERE x.tenant_id = $1)sql"};
constexpr db::Query kDeliveryInvoice{"test.demo_delivery_invoice", R"sql(
    SELECT i.match_status, i.quantity_milli, d.loaded_ambient_milli
    FROM arap_supplier_invoice_deliveries x
    JOIN arap_supplier_invoices i ON i.tenant_id = x.tenant_id AND i.id = x.invoice_id
    JOIN deliveries d ON d.tenant_id = x.tenant_id AND d.id = x.delivery_id
    WHERE x.tenant_id = $1 AND x.delivery_id = $2)sql"};
constexpr db::Query kSupplierBalances{"test.demo_supplier_balances", R"sql(
    SELECT s.id, s.kind,
           (SELECT COALESCE(SUM(total), 0) FROM arap_supplier_invoices i
            WHERE i.tenant_id = s.tenant_id AND i.supplier_id = s.id)
         - (SELECT COALESCE(SUM(amount), 0) FROM arap_supplier_payments p
            WHERE p.tenant_id = s.tenant_id AND p.supplier_id = s.id)
    FROM arap_suppliers s WHERE s.tenant_id = $1)sql"};
constexpr db::Query kFuels{"test.demo_fuels", R"sql(
    SELECT id, code FROM products WHERE tenant_id = $1 AND kind = 'fuel' ORDER BY code)sql"};
constexpr db::Query kDemoComponents{"test.demo_components", R"sql(
    SELECT COUNT(*), COALESCE(SUM(CASE WHEN source_ref LIKE 'DEMO FIGURES%' THEN 1 ELSE 0 END), 0)
    FROM price_components WHERE tenant_id = $1)sql"};
constexpr db::Query kProposals{"test.demo_proposals", R"sql(
    SELECT status, COUNT(*) FROM pricing_proposals WHERE tenant_id = $1 GROUP BY status
    ORDER BY status)sql"};

// Yesterday's MoMo sales (UTC date) against their intents: same sale, amount, reference.
constexpr db::Query kYesterdayMomo{"test.demo_yesterday_momo", R"sql(
    SELECT COUNT(*), COALESCE(SUM(s.amount), 0),
           COALESCE(SUM(CASE WHEN i.id IS NOT NULL AND i.amount = s.amount
                              AND i.financial_transaction_id = s.payment_ref
                              AND i.status = 'successful' AND i.sale_state = 'recorded'
                             THEN 1 ELSE 0 END), 0)
    FROM sales s
    LEFT JOIN payment_intents i ON i.tenant_id = s.tenant_id AND i.sale_id = s.id
    WHERE s.tenant_id = $1 AND s.payment_method = 'momo'
      AND s.sold_at_us >= $2 AND s.sold_at_us < $3)sql"};
constexpr db::Query kIntentCount{"test.demo_intent_count", R"sql(
    SELECT COUNT(*) FROM payment_intents WHERE tenant_id = $1)sql"};

int64_t Pesewas(const json& money) {
    return std::llround(std::stod(money.get<std::string>()) * 100);
}

class DemoNetworkTest : public testing::ApiTest {
  protected:
    app::DemoSummary Build(int stations, int days, int sales_per_day = 150) {
        app::DemoOptions options;
        options.stations = stations;
        options.days = days;
        options.sales_per_day = sales_per_day;
        auto built = app::BuildDemoNetwork(*database_, app_->identity(), tenant_a_, options,
                                           clock_.NowUs(), nullptr);
        EXPECT_TRUE(built.ok()) << built.error().message() << " " << built.error().detail();
        return built.ok() ? *built : app::DemoSummary{};
    }

    int64_t code_balance(std::string_view code) {
        return Read(kCodeDebitBalance, {tenant_a_, std::string(code)})[0].Int(0);
    }

    db::Rows Read(const db::Query& query, const db::Params& params) {
        auto rows = db::InTransaction(*database_, {.tenant = tenant_a_},
                                      [&](db::Transaction& tx) { return tx.Query(query, params); });
        EXPECT_TRUE(rows.ok()) << rows.error().message() << " " << rows.error().detail();
        return rows.ok() ? *rows : db::Rows{};
    }

    // The tank's daily variances, one per pair of consecutive routine dips (06:00 each day):
    // opening and closing dips, the deliveries received and the metered sales in between, the
    // sales corrected to 15 °C with the opening dip's factor. And the whole period's variance.
    struct TankTrend {
        std::vector<Volume> daily;
        forecourt::StockVariance whole;
    };
    TankTrend Trend(const Uuid& tank) {
        const db::Rows dips = Read(kRoutineDips, {tenant_a_, tank});
        const db::Rows deliveries = Read(kTankDeliveries, {tenant_a_, tank});
        const db::Rows sales = Read(kTankSales, {tenant_a_, tank});
        EXPECT_GE(dips.size(), 3u);
        const forecourt::VarianceTolerance tolerance{.tolerance_bp = 50,
                                                     .absolute_floor = Volume(10 * kLitre)};
        TankTrend trend;
        int64_t delivered_total = 0, metered_total = 0;
        for (size_t i = 0; i + 1 < dips.size(); ++i) {
            const int64_t from = dips[i].Int(0), to = dips[i + 1].Int(0);
            int64_t delivered = 0, sold = 0;
            for (const db::Row& d : deliveries) {
                if (d.Int(0) >= from && d.Int(0) < to) delivered += d.Int(1);
            }
            for (const db::Row& s : sales) {
                if (s.Int(0) >= from && s.Int(0) < to) sold += s.Int(1);
            }
            const Volume metered = forecourt::CorrectVolume(Volume(sold), dips[i].Int(2));
            auto v = forecourt::ComputeStockVariance({.opening = Volume(dips[i].Int(1)),
                                                      .deliveries = Volume(delivered),
                                                      .metered_sales = metered,
                                                      .closing = Volume(dips[i + 1].Int(1))},
                                                     tolerance);
            EXPECT_TRUE(v.ok());
            trend.daily.push_back(v->variance);
            delivered_total += delivered;
            metered_total += metered.raw();
        }
        auto whole =
            forecourt::ComputeStockVariance({.opening = Volume(dips[0].Int(1)),
                                             .deliveries = Volume(delivered_total),
                                             .metered_sales = Volume(metered_total),
                                             .closing = Volume(dips[dips.size() - 1].Int(1))},
                                            tolerance);
        EXPECT_TRUE(whole.ok());
        trend.whole = *whole;
        return trend;
    }
};

TEST_F(DemoNetworkTest, HistoryMatchesWhatTheApiWouldHaveWritten) {
    const app::DemoSummary summary = Build(3, 4);
    EXPECT_EQ(summary.stations, 3);
    EXPECT_GT(summary.sales, 1'000);
    EXPECT_GT(summary.dips, 0);

    // Receipts gap-free from 1 per station, the counter just past the last.
    const db::Rows runs = Read(kReceiptRuns, {tenant_a_});
    ASSERT_EQ(runs.size(), 3u);
    for (const db::Row& r : runs) {
        EXPECT_EQ(r.Int(2), 1);
        EXPECT_EQ(r.Int(3), r.Int(1));
        EXPECT_EQ(r.Int(4), r.Int(1) + 1);
    }
    // The rollups sum the sales; book stock is movements less sales; meters match sales.
    EXPECT_EQ(Read(kDailyTotals, {tenant_a_})[0].Int(0), Read(kSalesTotals, {tenant_a_})[0].Int(0));
    EXPECT_EQ(Read(kDailyTotals, {tenant_a_})[0].Int(1), Read(kSalesTotals, {tenant_a_})[0].Int(1));
    EXPECT_EQ(Read(kDailyTotals, {tenant_a_})[0].Int(2), Read(kSalesTotals, {tenant_a_})[0].Int(2));
    EXPECT_EQ(Read(kBookMismatch, {tenant_a_})[0].Int(0), 0);
    EXPECT_EQ(Read(kMeterMismatch, {tenant_a_})[0].Int(0), 0);
    // Each station is left with its current shift open, so the API can sell at once.
    const db::Rows open = Read(kOpenShifts, {tenant_a_});
    EXPECT_EQ(open[0].Int(0), 3);
    EXPECT_EQ(open[0].Int(1), 3);

    // The ledger: sound, one batch row per station and business day covering every sale once,
    // the sale entries' payment side equal to the sales, the working capital, the claims.
    auto verified = ledger::Verify(*database_);
    ASSERT_TRUE(verified.ok()) << verified.error().message();
    EXPECT_TRUE(verified->empty()) << (verified->empty() ? "" : verified->front());
    EXPECT_GT(summary.ledger_entries, 0);
    const db::Rows totals = Read(kSalesTotals, {tenant_a_});
    const db::Rows batches = Read(kSaleBatches, {tenant_a_});
    EXPECT_EQ(batches[0].Int(0), totals[0].Int(0));
    EXPECT_EQ(batches[0].Int(1), totals[0].Int(0));
    EXPECT_EQ(batches[0].Int(2), totals[0].Int(2));
    EXPECT_EQ(batches[0].Int(3), 3 * 5);  // 3 stations × 5 business days (4 back and today)
    auto code = [&](std::string_view c) {
        return Read(kCodeDebitBalance, {tenant_a_, std::string(c)})[0].Int(0);
    };
    // The payment side of the sales, less the cash-up shortfalls, plus the overs.
    EXPECT_EQ(
        code("1010") + code("1030") + code("1040") + code("1100") + code("5050") + code("4040"),
        totals[0].Int(2));
    EXPECT_GT(code("5050"), 0);  // the planted attendant's GH₵ 40 a shift
    EXPECT_EQ(code("1020"), 3 * app::kDemoWorkingCapitalPesewas);
    const db::Rows claims = Read(kClaimTotal, {tenant_a_});
    EXPECT_EQ(code("1130"), claims[0].Int(0));
    EXPECT_EQ(claims[0].Int(2), 0);  // every delivery costed
    EXPECT_GT(code("1200"), 0);
    EXPECT_GT(code("5010"), 0);              // fuel sold at cost
    EXPECT_LT(code("4010"), -code("5010"));  // sold above cost

    // Through the API: a closed shift's report balances (meters = sales; honest attendants
    // within rounding), and a live sale continues the receipts.
    const identity::User manager = AddUser(
        tenant_a_, "demo-test-manager", identity::Role::kStationManager, {summary.first_station});
    const std::string token = TokenFor("demo-test-manager");
    testing::ApiResponse shifts = As(token, Method::kGet, "/api/v1/shifts?status=closed");
    ASSERT_EQ(shifts.status, 200) << shifts.raw.body;
    ASSERT_FALSE(shifts.data().empty());
    testing::ApiResponse report =
        As(token, Method::kGet, "/api/v1/shifts/" + shifts.data()[0]["id"].get<std::string>());
    ASSERT_EQ(report.status, 200) << report.raw.body;
    for (const json& n : report.data()["report"]["nozzles"]) {
        EXPECT_EQ(n["variance_quantity"], "0.000") << n.dump();
    }
    for (const json& a : report.data()["report"]["attendants"]) {
        EXPECT_LT(std::abs(std::stod(a["variance_amount"].get<std::string>())), 2.0) << a.dump();
    }
    testing::ApiResponse nozzles =
        As(token, Method::kGet, "/api/v1/nozzles?station_id=" + summary.first_station.ToString());
    ASSERT_EQ(nozzles.status, 200);
    testing::ApiResponse sale = As(token, Method::kPost, "/api/v1/transactions",
                                   json{{"id", ids_.NewV7().ToString()},
                                        {"station_id", summary.first_station.ToString()},
                                        {"nozzle_id", nozzles.data()[0]["id"]},
                                        {"amount", "50.00"},
                                        {"payment_method", "momo"}});
    ASSERT_EQ(sale.status, 201) << sale.raw.body;
    int64_t stored = 0;
    for (const db::Row& r : runs) {
        if (r.Id(0) == summary.first_station) stored = r.Int(1);
    }
    EXPECT_EQ(sale.data()["receipt_no"], stored + 1);
    (void)manager;
    // The live sale's own batch entry joins the history's, and the ledger is still sound.
    verified = ledger::Verify(*database_);
    ASSERT_TRUE(verified.ok()) << verified.error().message();
    EXPECT_TRUE(verified->empty()) << (verified->empty() ? "" : verified->front());
    EXPECT_EQ(Read(kSaleBatches, {tenant_a_})[0].Int(0), totals[0].Int(0) + 1);

    // The stations' site details as the stations API serves them: a town's coordinates, the
    // 06:00 business day, and a licence expiring within the 60-day warning.
    const std::string admin = TokenFor("alpha-admin");
    testing::ApiResponse stations = As(admin, Method::kGet, "/api/v1/stations");
    ASSERT_EQ(stations.status, 200) << stations.raw.body;
    ASSERT_EQ(stations.data().size(), 3u);
    int expiring = 0;
    for (const json& s : stations.data()) {
        EXPECT_EQ(s["business_day_start"], "06:00") << s.dump();
        EXPECT_EQ(s["time_zone"], "Africa/Accra");
        EXPECT_FALSE(s["latitude"].is_null()) << s.dump();
        EXPECT_FALSE(s["npa_licence_no"].is_null()) << s.dump();
        if (s["npa_licence_status"].is_object() && s["npa_licence_status"]["days_left"] <= 60) {
            ++expiring;
        }
    }
    EXPECT_EQ(expiring, 1);

    // Never twice: a tenant with stations is refused, and nothing is added.
    app::DemoOptions again;
    again.stations = 2;
    again.days = 1;
    auto second = app::BuildDemoNetwork(*database_, app_->identity(), tenant_a_, again,
                                        clock_.NowUs(), nullptr);
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().code(), ErrorCode::kConflict);
    EXPECT_EQ(Read(kSalesTotals, {tenant_a_})[0].Int(0), summary.sales + 1);
}

// Receivables, payables and pricing of 90 days of history (a small network, few sales a day).
TEST_F(DemoNetworkTest, FinanceMatchesTheHistory) {
    const app::DemoSummary summary = Build(3, 90, 40);
    const app::DemoFinanceCounts& f = summary.finance;
    EXPECT_EQ(f.customers, 5);
    EXPECT_EQ(f.suppliers, 4);

    // Every sale on account names a real customer and has its credit-sale row with a vehicle
    // of that customer; no vehicle went over its daily limit.
    const db::Rows account = Read(kAccountSales, {tenant_a_});
    ASSERT_GT(account[0].Int(0), 100);
    EXPECT_EQ(Read(kAccountSalesWithoutCustomer, {tenant_a_})[0].Int(0), 0);
    EXPECT_EQ(Read(kCreditSalesMatched, {tenant_a_})[0].Int(0), account[0].Int(0));
    const db::Rows credit = Read(kCreditSalesTotals, {tenant_a_});
    EXPECT_EQ(credit[0].Int(0), account[0].Int(0));
    EXPECT_EQ(credit[0].Int(1), account[0].Int(1));
    EXPECT_EQ(f.credit_sales, account[0].Int(0));
    EXPECT_EQ(Read(kDailyLimitBreaches, {tenant_a_})[0].Int(0), 0);

    // The ledger is sound, and each customer's receivables account (1100, party = customer)
    // equals arap's exposure: credit sales − payments.
    auto verified = ledger::Verify(*database_);
    ASSERT_TRUE(verified.ok()) << verified.error().message();
    EXPECT_TRUE(verified->empty()) << (verified->empty() ? "" : verified->front());
    const db::Rows customers = Read(kCustomers, {tenant_a_});
    ASSERT_EQ(customers.size(), 5u);
    int on_hold = 0, near_limit = 0;
    int64_t exposure_total = 0;
    for (const db::Row& c : customers) {
        auto exposure = db::InTransaction(*database_, {.tenant = tenant_a_}, [&](auto& tx) {
            return arap::CustomerExposure(tx, tenant_a_, c.Id(0));
        });
        ASSERT_TRUE(exposure.ok());
        EXPECT_EQ(Read(kPartyBalance, {tenant_a_, std::string("1100"), c.Id(0)})[0].Int(0),
                  *exposure)
            << c.Text(3);
        EXPECT_GT(*exposure, 0) << c.Text(3);
        exposure_total += *exposure;
        if (c.Text(1) == "on_hold") ++on_hold;
        if (*exposure * 100 >= c.Int(2) * 90 && c.Text(1) == "active") ++near_limit;
    }
    EXPECT_EQ(on_hold, 1);
    EXPECT_GE(near_limit, 1);
    EXPECT_EQ(code_balance("1100"), exposure_total);

    // Invoices numbered 1..N by arap's counter, each the sum of its lines, every billed sale on
    // one line; payments never allocate beyond an invoice.
    const db::Rows numbers = Read(kInvoiceNumbers, {tenant_a_});
    ASSERT_GT(numbers[0].Int(0), 10);
    EXPECT_EQ(numbers[0].Int(1), 1);
    EXPECT_EQ(numbers[0].Int(2), numbers[0].Int(0));
    EXPECT_EQ(numbers[0].Int(3), numbers[0].Int(0));
    EXPECT_EQ(Read(kInvoiceMismatch, {tenant_a_})[0].Int(0), 0);
    const db::Rows billed = Read(kBilledSales, {tenant_a_});
    EXPECT_GT(billed[0].Int(0), 0);
    EXPECT_EQ(billed[0].Int(0), billed[0].Int(1));
    EXPECT_EQ(Read(kAllocationsOverPaid, {tenant_a_})[0].Int(0), 0);
    EXPECT_GT(f.customer_payments, 5);

    // Through the API: the customers, and the receivables aging with money current, 31–60 and
    // (the slow payer's) 61–90 days past due.
    const std::string admin = TokenFor("alpha-admin");
    testing::ApiResponse listed = As(admin, Method::kGet, "/api/v1/customers");
    ASSERT_EQ(listed.status, 200) << listed.raw.body;
    EXPECT_EQ(listed.data().size(), 5u);
    testing::ApiResponse aging = As(admin, Method::kGet, "/api/v1/receivables/aging");
    ASSERT_EQ(aging.status, 200) << aging.raw.body;
    const json& buckets = aging.data()["totals"]["buckets"];
    EXPECT_GT(Pesewas(buckets["0_30"]), 0) << aging.raw.body;
    EXPECT_GT(Pesewas(buckets["31_60"]), 0) << aging.raw.body;
    EXPECT_GT(Pesewas(buckets["61_90"]), 0) << aging.raw.body;
    // The aging's balance is what the invoices still owe: the exposure less uninvoiced sales.
    EXPECT_GT(Pesewas(aging.data()["totals"]["balance"]), 0);
    EXPECT_LE(Pesewas(aging.data()["totals"]["balance"]), exposure_total);

    // Payables: every supplier invoice bills deliveries that exist, of its order's product, at
    // their waybill litres; the planted short delivery's invoice is flagged; the ledger's
    // payables per supplier equal invoices − payments; the aging shows current and overdue money.
    const db::Rows billed_deliveries = Read(kSupplierDeliveries, {tenant_a_});
    ASSERT_GT(billed_deliveries[0].Int(0), 0);
    EXPECT_EQ(billed_deliveries[0].Int(1), 0);
    EXPECT_EQ(billed_deliveries[0].Int(2), 0);
    ASSERT_FALSE(summary.short_delivery.IsNil());
    const db::Rows flagged = Read(kDeliveryInvoice, {tenant_a_, summary.short_delivery});
    ASSERT_EQ(flagged.size(), 1u);
    EXPECT_EQ(flagged[0].Text(0), "flagged");
    EXPECT_GT(flagged[0].Int(1), flagged[0].Int(2));
    for (const db::Row& s : Read(kSupplierBalances, {tenant_a_})) {
        const std::string code = s.Text(1) == "bdc" ? "2010" : "2020";
        EXPECT_EQ(-Read(kPartyBalance, {tenant_a_, code, s.Id(0)})[0].Int(0), s.Int(2));
    }
    testing::ApiResponse payables = As(admin, Method::kGet, "/api/v1/payables/aging");
    ASSERT_EQ(payables.status, 200) << payables.raw.body;
    const json& owed = payables.data()["totals"]["buckets"];
    EXPECT_GT(Pesewas(owed["0_30"]), 0) << payables.raw.body;
    EXPECT_GT(Pesewas(owed["31_60"]), 0) << payables.raw.body;
    EXPECT_GT(f.supplier_payments, 0);

    // Pricing: for every fuel, the build-up on the day its price in force took effect adds up
    // exactly (to the 10^-4 pesewa) to that network price; its floor base is below it; the
    // floors of the window are served, and every component says it is a demo figure.
    const db::Rows fuels = Read(kFuels, {tenant_a_});
    ASSERT_EQ(fuels.size(), 5u);
    for (const db::Row& fuel : fuels) {
        auto checked = db::InTransaction(
            *database_, {.tenant = tenant_a_}, [&](db::Transaction& tx) -> Result<void> {
                OMC_ASSIGN_OR_RETURN(
                    auto price, forecourt::PriceAt(tx, tenant_a_, summary.first_station, fuel.Id(0),
                                                   clock_.NowUs()));
                EXPECT_TRUE(price.has_value()) << fuel.Text(1);
                if (!price) return Ok();
                const auto day = static_cast<int32_t>(price->effective_from_us / 86'400'000'000);
                OMC_ASSIGN_OR_RETURN(auto build_up,
                                     pricing::BuildUpAt(tx, tenant_a_, fuel.Id(0), day));
                EXPECT_TRUE(build_up.has_value()) << fuel.Text(1);
                if (!build_up) return Ok();
                EXPECT_EQ(build_up->ex_pump, price->unit_price) << fuel.Text(1);
                EXPECT_GT(build_up->ex_refinery, 0) << fuel.Text(1);
                EXPECT_LT(build_up->floor_base, build_up->ex_pump) << fuel.Text(1);
                EXPECT_GE(build_up->lines.size(), 6u) << fuel.Text(1);
                return Ok();
            });
        ASSERT_TRUE(checked.ok()) << checked.error().message();
        testing::ApiResponse shown =
            As(admin, Method::kGet, "/api/v1/pricing/build-up?product=" + fuel.Text(1));
        EXPECT_EQ(shown.status, 200) << shown.raw.body;
    }
    const db::Rows components = Read(kDemoComponents, {tenant_a_});
    EXPECT_GT(components[0].Int(0), 0);
    EXPECT_EQ(components[0].Int(1), components[0].Int(0));
    EXPECT_EQ(f.price_components, components[0].Int(0));
    const std::string today = FormatDate(clock_.NowUs());
    const std::string window = today.substr(0, 8) + (today.substr(8) <= "15" ? "01" : "16");
    testing::ApiResponse floors =
        As(admin, Method::kGet, "/api/v1/pricing/floors?window=" + window);
    ASSERT_EQ(floors.status, 200) << floors.raw.body;
    EXPECT_EQ(floors.data().size(), 5u) << floors.raw.body;
    std::map<std::string, int64_t> lists;
    for (const db::Row& r : Read(kProposals, {tenant_a_})) lists[r.Text(0)] = r.Int(1);
    EXPECT_GE(lists["in_force"], 6);
    EXPECT_EQ(lists["proposed"], 1);
    EXPECT_EQ(lists["rejected"], 1);
    testing::ApiResponse proposals = As(admin, Method::kGet, "/api/v1/pricing/proposals");
    ASSERT_EQ(proposals.status, 200) << proposals.raw.body;
    EXPECT_FALSE(proposals.data().empty());

    // MoMo: yesterday's MoMo sales each have their paid intent, and one reconciliation run
    // of that day finds exactly the two planted mismatches.
    constexpr int64_t kDayUs = 86'400'000'000;
    const TimestampUs yesterday = clock_.NowUs() - clock_.NowUs() % kDayUs - kDayUs;
    const db::Rows momo = Read(kYesterdayMomo, {tenant_a_, yesterday, yesterday + kDayUs});
    ASSERT_GT(momo[0].Int(0), 10);
    EXPECT_EQ(momo[0].Int(2), momo[0].Int(0));
    EXPECT_EQ(Read(kIntentCount, {tenant_a_})[0].Int(0), momo[0].Int(0));
    EXPECT_EQ(f.momo_intents, momo[0].Int(0));
    testing::ApiResponse runs = As(admin, Method::kGet, "/api/v1/payments/reconciliations");
    ASSERT_EQ(runs.status, 200) << runs.raw.body;
    ASSERT_EQ(runs.data().size(), 1u) << runs.raw.body;
    const json& run = runs.data()[0];
    EXPECT_EQ(run["date"], FormatDate(yesterday)) << run.dump();
    EXPECT_EQ(run["matched"], momo[0].Int(0) - 1) << run.dump();
    EXPECT_EQ(run["mismatches"], 2) << run.dump();
    testing::ApiResponse detail =
        As(admin, Method::kGet, "/api/v1/payments/reconciliations/" + run["id"].get<std::string>());
    ASSERT_EQ(detail.status, 200) << detail.raw.body;
    std::vector<std::string> kinds;
    for (const json& item : detail.data()["items"]) kinds.push_back(item["kind"]);
    std::sort(kinds.begin(), kinds.end());
    EXPECT_EQ(kinds, (std::vector<std::string>{"amount_differs", "missing_sale"}))
        << detail.raw.body;
}

TEST_F(DemoNetworkTest, PlantedLossesAreFoundByTheReconciliationModel) {
    constexpr int kDays = 30;
    const app::DemoSummary summary = Build(3, kDays);
    ASSERT_FALSE(summary.leaking_tank.IsNil());
    ASSERT_FALSE(summary.healthy_tank.IsNil());

    // The leak: 40 L a day, beyond the tolerance over the month, and a cumulative variance
    // that climbs day after day; the healthy tank beside it stays within.
    const TankTrend leak = Trend(summary.leaking_tank);
    const TankTrend healthy = Trend(summary.healthy_tank);
    EXPECT_FALSE(leak.whole.within_tolerance) << leak.whole.variance.raw();
    EXPECT_GT(leak.whole.variance.raw(), 30 * kLitre * (kDays - 1));
    EXPECT_TRUE(healthy.whole.within_tolerance) << healthy.whole.variance.raw();
    auto leak_trend = forecourt::CumulativeVariance(leak.daily);
    auto healthy_trend = forecourt::CumulativeVariance(healthy.daily);
    ASSERT_TRUE(leak_trend.ok() && healthy_trend.ok());
    const size_t half = leak_trend->size() / 2;
    EXPECT_GT((*leak_trend)[half].raw(), 30 * kLitre * static_cast<int64_t>(half));
    EXPECT_GT(leak_trend->back().raw() - (*leak_trend)[half].raw(),
              30 * kLitre * static_cast<int64_t>(leak_trend->size() - 1 - half));
    EXPECT_LT(std::abs(healthy_trend->back().raw()), leak_trend->back().raw() / 4);

    // The short-changing attendant: GH₵ 40 short in the report of every shift worked (that took
    // at least that much cash: a quiet night pump has nothing to keep back).
    const identity::User auditor =
        AddUser(tenant_a_, "demo-test-auditor", identity::Role::kAuditor);
    const std::string token = TokenFor("demo-test-auditor");
    const db::Rows worked = Read(kAttendantShifts, {tenant_a_, summary.short_attendant});
    ASSERT_GE(worked.size(), 3u);
    size_t short_shifts = 0;
    for (const db::Row& shift : worked) {
        testing::ApiResponse r =
            As(token, Method::kGet, "/api/v1/shifts/" + shift.Id(0).ToString());
        ASSERT_EQ(r.status, 200) << r.raw.body;
        // The ledger's cash-up entry of the shift holds the report's shortfalls and overs.
        int64_t short_total = 0, over_total = 0;
        for (const json& a : r.data()["report"]["attendants"]) {
            if (!a.contains("variance_amount")) continue;
            const int64_t v =
                std::llround(std::stod(a["variance_amount"].get<std::string>()) * 100);
            (v < 0 ? short_total : over_total) += v < 0 ? -v : v;
        }
        const Uuid entry = ledger::DerivedEntryId(shift.Id(0), "cash_up");
        EXPECT_EQ(Read(kEntryDebits, {tenant_a_, entry, std::string("5050")})[0].Int(0),
                  short_total);
        EXPECT_EQ(Read(kEntryCredits, {tenant_a_, entry, std::string("4040")})[0].Int(0),
                  over_total);
        for (const json& a : r.data()["report"]["attendants"]) {
            const double variance = std::stod(a["variance_amount"].get<std::string>());
            if (a["attendant_id"] == summary.short_attendant.ToString()) {
                const double cash = std::stod(a["recorded_by_payment"].value("cash", "0"));
                if (cash >= 40.0) {
                    EXPECT_NEAR(variance, -40.0, 2.0) << a.dump();
                    ++short_shifts;
                }
            } else {
                EXPECT_LT(std::abs(variance), 2.0) << a.dump();
            }
        }
    }
    EXPECT_GE(short_shifts * 2, worked.size());
    (void)auditor;

    // The short delivery: a transit-loss claim beyond the allowance.
    ASSERT_FALSE(summary.short_delivery.IsNil());
    testing::ApiResponse delivery =
        As(token, Method::kGet, "/api/v1/deliveries/" + summary.short_delivery.ToString());
    ASSERT_EQ(delivery.status, 200) << delivery.raw.body;
    const double loaded = std::stod(delivery.data()["loaded_standard"].get<std::string>());
    const double shortage = std::stod(delivery.data()["shortage"].get<std::string>());
    EXPECT_GT(shortage, loaded * 0.009) << delivery.raw.body;
    EXPECT_GT(std::stod(delivery.data()["claimable"].get<std::string>()), 0.0);
}

}  // namespace
}  // namespace omc
