// Receivables and payables through the API (and the credit check directly), on both engines, to
// the pesewa: the credit limit, vehicle limits and on-hold refusals, invoice numbering and lines,
// payment allocation and its refusals, statements, aging by a fake clock, supplier invoices
// matched to orders and deliveries, and bad input naming its field.
#include <gtest/gtest.h>

#include "domains/arap/credit.hpp"
#include "domains/forecourt/forecourt_fixture.hpp"
#include "domains/ledger/ledger.hpp"
#include "platform/base/money.hpp"

namespace omc::arap {
namespace {

using http::Method;
using nlohmann::json;
using omc::testing::ApiResponse;

constexpr int64_t kDayUs = 86'400LL * 1'000'000;

class ArapApiTest : public forecourt::testing::FittedStationApiTest {
  protected:
    void SetUp() override {
        FittedStationApiTest::SetUp();
        attendant_ = AddUser(tenant_a_, "kofi-attendant", identity::Role::kOperator, {station_});
    }

    ApiResponse OpenShift() {
        return As(
            manager_, Method::kPost, "/api/v1/shifts",
            {{"station_id", station_.ToString()},
             {"attendants",
              json::array({{{"pump_id", f_.pump}, {"attendant_id", attendant_.id.ToString()}}})},
             {"totalizers", json::array({{{"nozzle_id", f_.nozzle}, {"totalizer", "1000"}}})}});
    }

    // A customer of tenant A; returns its id.
    std::string Customer(const std::string& code, const std::string& limit, int64_t terms = 30) {
        ApiResponse r = As(admin_, Method::kPost, "/api/v1/customers",
                           {{"code", code},
                            {"name", "Fleet " + code},
                            {"tin", "C0001234567"},
                            {"credit_limit", limit},
                            {"payment_terms_days", terms}});
        EXPECT_EQ(r.status, 201) << r.raw.body;
        return r.status == 201 ? r.data()["id"].get<std::string>() : std::string();
    }
    std::string Vehicle(const std::string& customer, const std::string& registration,
                        const json& limit = nullptr, const std::string& period = "day") {
        json body{{"registration", registration}};
        if (!limit.is_null()) {
            body["limit"] = limit;
            body["limit_period"] = period;
        }
        ApiResponse r =
            As(admin_, Method::kPost, "/api/v1/customers/" + customer + "/vehicles", body);
        EXPECT_EQ(r.status, 201) << r.raw.body;
        return r.status == 201 ? r.data()["id"].get<std::string>() : std::string();
    }

    // A fuel sale on account at 14.95 per litre.
    ApiResponse CreditSale(const std::string& litres, const std::string& customer,
                           const std::optional<std::string>& vehicle = std::nullopt) {
        json body{{"id", ids_.NewV7().ToString()}, {"station_id", station_.ToString()},
                  {"nozzle_id", f_.nozzle},        {"quantity", litres},
                  {"payment_method", "account"},   {"customer_id", customer}};
        if (vehicle) body["vehicle_id"] = *vehicle;
        return As(manager_, Method::kPost, "/api/v1/transactions", body);
    }

    std::string Exposure(const std::string& customer) {
        ApiResponse r = As(admin_, Method::kGet, "/api/v1/customers/" + customer);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return r.status == 200 ? r.data()["exposure"].get<std::string>() : std::string();
    }

    // The posted balance of the ledger account `code` (with `party` when given), read through the
    // ledger's API (the account is created, empty, when nothing was posted to it).
    std::string LedgerBalance(std::string_view code, const std::string& party = "") {
        auto account =
            db::InTransaction(*database_, {.tenant = tenant_a_}, [&](db::Transaction& tx) {
                return ledger::ResolveAccount(
                    tx, tenant_a_,
                    {.code = std::string(code),
                     .party_id = party.empty() ? std::nullopt : Uuid::Parse(party)},
                    ids_, clock_.NowUs());
            });
        EXPECT_TRUE(account.ok()) << account.error().message();
        return account.ok() ? FormatScaled(account->Balance(), 2) : "";
    }

    Result<void> Check(const CreditRequest& request) {
        return db::InTransaction(*database_, {.tenant = tenant_a_}, [&](db::Transaction& tx) {
            return CheckCredit(tx, tenant_a_, request);
        });
    }
    void Record(const CreditSaleRecord& record) {
        auto done = db::InTransaction(*database_, {.tenant = tenant_a_}, [&](db::Transaction& tx) {
            return RecordCreditSale(tx, tenant_a_, record);
        });
        ASSERT_TRUE(done.ok()) << done.error().message();
    }
    static std::string FieldOf(const Result<void>& r) {
        return r.ok() || r.error().fields().empty() ? "" : r.error().fields()[0].field;
    }
    static std::string MessageOf(const Result<void>& r) {
        return r.ok() || r.error().fields().empty() ? "" : r.error().fields()[0].message;
    }

    // Moves the fake clock on and signs the test's users in again (access tokens expire).
    void Tick(int64_t us) {
        clock_.AdvanceUs(us);
        admin_ = TokenFor("alpha-admin");
        manager_ = TokenFor("ama-manager");
    }

    identity::User attendant_;
};

TEST_F(ArapApiTest, CheckCreditRefusesOverTheLimitOnHoldUnknownAndForeignVehicles) {
    const Uuid customer = *Uuid::Parse(Customer("TRANS", "1000.00"));
    const Uuid other = *Uuid::Parse(Customer("OTHER", "1000.00"));
    const Uuid truck = *Uuid::Parse(Vehicle(customer.ToString(), "gt 1001-23", "200.00"));
    const Uuid others_truck = *Uuid::Parse(Vehicle(other.ToString(), "GW 77-24"));
    const TimestampUs now = clock_.NowUs();
    Record({.sale_id = ids_.NewV7(),
            .customer_id = customer,
            .station_id = station_,
            .amount = 90'000,
            .sold_at_us = now - 2 * kDayUs});

    // 900.00 owed: 100.00 more fits exactly, 100.01 does not.
    EXPECT_TRUE(Check({.customer_id = customer, .amount = 10'000, .sold_at_us = now}).ok());
    Result<void> over = Check({.customer_id = customer, .amount = 10'001, .sold_at_us = now});
    ASSERT_FALSE(over.ok());
    EXPECT_EQ(over.error().code(), ErrorCode::kUnprocessable);
    EXPECT_EQ(FieldOf(over), "customer_id");
    EXPECT_EQ(MessageOf(over), "credit limit 1000.00 exceeded: exposure 900.00 + this sale 100.01");
    // Earlier sales of the same batch count too.
    Result<void> batch =
        Check({.customer_id = customer, .amount = 6'000, .sold_at_us = now, .batch_taken = 5'000});
    EXPECT_EQ(MessageOf(batch), "credit limit 1000.00 exceeded: exposure 950.00 + this sale 60.00");

    EXPECT_EQ(MessageOf(Check({.customer_id = ids_.NewV7(), .amount = 1, .sold_at_us = now})),
              "no such credit customer");
    // Another tenant's sale naming A's customer finds no such customer.
    Result<void> foreign =
        db::InTransaction(*database_, {.tenant = tenant_b_}, [&](db::Transaction& tx) {
            return CheckCredit(tx, tenant_b_,
                               {.customer_id = customer, .amount = 1, .sold_at_us = now});
        });
    EXPECT_EQ(MessageOf(foreign), "no such credit customer");
    EXPECT_EQ(
        FieldOf(Check(
            {.customer_id = customer, .vehicle_id = others_truck, .amount = 1, .sold_at_us = now})),
        "vehicle_id");

    // A vehicle of the account is fine; an inactive one is not.
    EXPECT_TRUE(
        Check({.customer_id = customer, .vehicle_id = truck, .amount = 100, .sold_at_us = now})
            .ok());
    ASSERT_EQ(As(admin_, Method::kPatch,
                 "/api/v1/customers/" + customer.ToString() + "/vehicles/" + truck.ToString(),
                 {{"active", false}})
                  .status,
              200);
    EXPECT_EQ(
        MessageOf(Check(
            {.customer_id = customer, .vehicle_id = truck, .amount = 100, .sold_at_us = now})),
        "GT 1001-23 is not active on the account");

    ASSERT_EQ(As(admin_, Method::kPatch, "/api/v1/customers/" + customer.ToString(),
                 {{"status", "on_hold"}})
                  .status,
              200);
    Result<void> held = Check({.customer_id = customer, .amount = 1, .sold_at_us = now});
    EXPECT_EQ(FieldOf(held), "customer_id");
    EXPECT_EQ(MessageOf(held), "the customer's account is on hold");
}

TEST_F(ArapApiTest, VehicleLimitsArePerDayOrPerMonth) {
    const Uuid customer = *Uuid::Parse(Customer("TRANS", "100000.00"));
    const Uuid daily = *Uuid::Parse(Vehicle(customer.ToString(), "GT 1", "200.00", "day"));
    const Uuid monthly = *Uuid::Parse(Vehicle(customer.ToString(), "GT 2", "300.00", "month"));
    const TimestampUs now = clock_.NowUs();  // 2023-11-14T22:13:20Z
    for (const Uuid& v : {daily, monthly}) {
        Record({.sale_id = ids_.NewV7(),
                .customer_id = customer,
                .vehicle_id = v,
                .station_id = station_,
                .amount = 20'000,
                .sold_at_us = now});
    }
    EXPECT_FALSE(
        Check({.customer_id = customer, .vehicle_id = daily, .amount = 1, .sold_at_us = now}).ok());
    // Two hours later it is the 15th: a new day, the same month.
    EXPECT_TRUE(Check({.customer_id = customer,
                       .vehicle_id = daily,
                       .amount = 20'000,
                       .sold_at_us = now + 2 * 3'600'000'000LL})
                    .ok());
    EXPECT_TRUE(Check({.customer_id = customer,
                       .vehicle_id = monthly,
                       .amount = 10'000,
                       .sold_at_us = now + 2 * 3'600'000'000LL})
                    .ok());
    Result<void> month = Check({.customer_id = customer,
                                .vehicle_id = monthly,
                                .amount = 10'001,
                                .sold_at_us = now + 10 * kDayUs});
    EXPECT_EQ(MessageOf(month),
              "GT 2 would exceed its monthly limit of 300.00 (used 200.00, this sale 100.01)");
    // December starts afresh.
    EXPECT_TRUE(Check({.customer_id = customer,
                       .vehicle_id = monthly,
                       .amount = 30'000,
                       .sold_at_us = now + 17 * kDayUs})
                    .ok());
}

TEST_F(ArapApiTest, TheSaleRouteRefusesACreditSaleOverTheLimitAndWritesNothing) {
    ASSERT_EQ(OpenShift().status, 201);
    const std::string customer = Customer("TRANS", "300.00");
    const std::string truck = Vehicle(customer, "GT 1001-23", "200.00");
    ApiResponse first = CreditSale("10", customer, truck);  // 149.50
    ASSERT_EQ(first.status, 201) << first.raw.body;
    EXPECT_EQ(first.data()["customer_id"], customer);
    // The vehicle's day: 149.50 + 59.80 > 200.00.
    ApiResponse vehicle = CreditSale("4", customer, truck);
    EXPECT_EQ(vehicle.status, 422) << vehicle.raw.body;
    EXPECT_EQ(vehicle.ErrorField(), "vehicle_id");
    ApiResponse second = CreditSale("10", customer);  // 299.00 in all
    ASSERT_EQ(second.status, 201) << second.raw.body;
    ApiResponse over = CreditSale("1", customer);
    ASSERT_EQ(over.status, 422) << over.raw.body;
    EXPECT_EQ(over.ErrorField(), "customer_id");
    EXPECT_EQ(over.body["error"]["details"][0]["message"],
              "credit limit 300.00 exceeded: exposure 299.00 + this sale 14.95");
    EXPECT_EQ(CountRows(tenant_a_, "sales"), 2);
    EXPECT_EQ(CountRows(tenant_a_, "arap_credit_sales"), 2);
    EXPECT_EQ(Exposure(customer), "299.00");

    // A void gives the credit back (the vehicle's too).
    ApiResponse void_sale =
        As(manager_, Method::kPost,
           "/api/v1/transactions/" + first.data()["id"].get<std::string>() + "/void",
           {{"id", ids_.NewV7().ToString()}, {"reason", "wrong vehicle"}});
    ASSERT_EQ(void_sale.status, 201) << void_sale.raw.body;
    EXPECT_EQ(Exposure(customer), "149.50");
    EXPECT_EQ(CreditSale("4", customer, truck).status, 201);

    // On hold: refused; a vehicle on a cash sale: 400.
    ASSERT_EQ(
        As(admin_, Method::kPatch, "/api/v1/customers/" + customer, {{"status", "on_hold"}}).status,
        200);
    ApiResponse held = CreditSale("1", customer);
    EXPECT_EQ(held.status, 422);
    EXPECT_EQ(held.ErrorField(), "customer_id");
    json cash{{"id", ids_.NewV7().ToString()}, {"station_id", station_.ToString()},
              {"nozzle_id", f_.nozzle},        {"quantity", "1"},
              {"payment_method", "cash"},      {"vehicle_id", truck}};
    ApiResponse bad = As(manager_, Method::kPost, "/api/v1/transactions", cash);
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.ErrorField(), "vehicle_id");
}

TEST_F(ArapApiTest, InvoicesAreNumberedWithoutGapsWithALinePerSale) {
    ASSERT_EQ(OpenShift().status, 201);
    const std::string a = Customer("AAA", "10000.00", 30);
    const std::string b = Customer("BBB", "10000.00", 14);
    ASSERT_EQ(CreditSale("10", a).status, 201);  // 149.50
    ASSERT_EQ(CreditSale("2", b).status, 201);   // 29.90
    clock_.AdvanceUs(60'000'000);
    ASSERT_EQ(CreditSale("3", a).status, 201);           // 44.85
    const std::string day = FormatDate(clock_.NowUs());  // 2023-11-14

    ApiResponse inv_a =
        As(admin_, Method::kPost, "/api/v1/customers/" + a + "/invoices",
           {{"from", "2023-11-01"}, {"to", "2023-11-30"}, {"issued_on", "2023-11-30"}});
    ASSERT_EQ(inv_a.status, 201) << inv_a.raw.body;
    EXPECT_EQ(inv_a.data()["invoice_no"], "INV-000001");
    EXPECT_EQ(inv_a.data()["total"], "194.35");
    EXPECT_EQ(inv_a.data()["due_on"], "2023-12-30");
    ASSERT_EQ(inv_a.data()["lines"].size(), 2u);
    EXPECT_EQ(inv_a.data()["lines"][0]["amount"], "149.50");
    EXPECT_EQ(inv_a.data()["lines"][1]["amount"], "44.85");
    EXPECT_EQ(inv_a.data()["lines"][1]["line_no"], 2);

    // A refused invoice (its id is taken) takes a number and gives it back.
    ApiResponse dup =
        As(admin_, Method::kPost, "/api/v1/customers/" + b + "/invoices",
           {{"id", inv_a.data()["id"]}, {"from", day}, {"to", day}, {"issued_on", "2023-11-30"}});
    EXPECT_EQ(dup.status, 409) << dup.raw.body;
    ApiResponse inv_b = As(admin_, Method::kPost, "/api/v1/customers/" + b + "/invoices",
                           {{"from", day}, {"to", day}, {"issued_on", "2023-11-30"}});
    ASSERT_EQ(inv_b.status, 201) << inv_b.raw.body;
    EXPECT_EQ(inv_b.data()["invoice_no"], "INV-000002");
    EXPECT_EQ(inv_b.data()["number"], 2);
    EXPECT_EQ(inv_b.data()["total"], "29.90");
    EXPECT_EQ(inv_b.data()["due_on"], "2023-12-14");

    // Each sale is billed once.
    ApiResponse again =
        As(admin_, Method::kPost, "/api/v1/customers/" + a + "/invoices",
           {{"from", "2023-11-01"}, {"to", "2023-11-30"}, {"issued_on", "2023-11-30"}});
    EXPECT_EQ(again.status, 422);
    EXPECT_EQ(again.ErrorField(), "from");
    ApiResponse list = As(admin_, Method::kGet, "/api/v1/customers/" + a + "/invoices");
    ASSERT_EQ(list.status, 200);
    ASSERT_EQ(list.data().size(), 1u);
    EXPECT_EQ(list.data()[0]["outstanding"], "194.35");
}

TEST_F(ArapApiTest, PaymentsAllocateExplicitlyOrOldestFirstAndRefuseOverAllocation) {
    ASSERT_EQ(OpenShift().status, 201);
    const std::string c = Customer("AAA", "10000.00", 30);
    const std::string base = "/api/v1/customers/" + c;
    ASSERT_EQ(CreditSale("10", c).status, 201);  // 149.50 on the 14th
    ApiResponse first =
        As(admin_, Method::kPost, base + "/invoices",
           {{"from", "2023-11-14"}, {"to", "2023-11-14"}, {"issued_on", "2023-11-14"}});
    ASSERT_EQ(first.status, 201) << first.raw.body;
    Tick(kDayUs);
    ASSERT_EQ(CreditSale("20", c).status, 201);  // 299.00 on the 15th
    ApiResponse second =
        As(admin_, Method::kPost, base + "/invoices",
           {{"from", "2023-11-15"}, {"to", "2023-11-15"}, {"issued_on", "2023-11-15"}});
    ASSERT_EQ(second.status, 201) << second.raw.body;
    const std::string inv1 = first.data()["id"], inv2 = second.data()["id"];

    // More than an invoice's outstanding; more than the payment: refused, nothing written.
    ApiResponse over_invoice =
        As(admin_, Method::kPost, base + "/payments",
           {{"method", "bank"},
            {"amount", "500.00"},
            {"allocations", json::array({{{"invoice_id", inv1}, {"amount", "149.51"}}})}});
    EXPECT_EQ(over_invoice.status, 422) << over_invoice.raw.body;
    EXPECT_EQ(over_invoice.ErrorField(), "allocations[0].amount");
    ApiResponse over_payment =
        As(admin_, Method::kPost, base + "/payments",
           {{"method", "bank"},
            {"amount", "100.00"},
            {"allocations", json::array({{{"invoice_id", inv1}, {"amount", "60.00"}},
                                         {{"invoice_id", inv2}, {"amount", "40.01"}}})}});
    EXPECT_EQ(over_payment.status, 422);
    EXPECT_EQ(over_payment.ErrorField(), "allocations");
    EXPECT_EQ(CountRows(tenant_a_, "arap_customer_payments"), 0);

    // Explicit: 100.00 to the second invoice.
    ApiResponse explicit_pay =
        As(admin_, Method::kPost, base + "/payments",
           {{"method", "cheque"},
            {"reference", "CHQ 0042"},
            {"amount", "100.00"},
            {"allocations", json::array({{{"invoice_id", inv2}, {"amount", "100.00"}}})}});
    ASSERT_EQ(explicit_pay.status, 201) << explicit_pay.raw.body;
    EXPECT_EQ(explicit_pay.data()["unallocated"], "0.00");
    // Oldest first: 149.50 settles the first, 199.00 the rest of the second, 51.50 stays credit.
    ApiResponse oldest = As(admin_, Method::kPost, base + "/payments",
                            {{"method", "momo"}, {"reference", "MM-1"}, {"amount", "400.00"}});
    ASSERT_EQ(oldest.status, 201) << oldest.raw.body;
    ASSERT_EQ(oldest.data()["allocations"].size(), 2u);
    EXPECT_EQ(oldest.data()["allocations"][0]["invoice_id"], inv1);
    EXPECT_EQ(oldest.data()["allocations"][0]["amount"], "149.50");
    EXPECT_EQ(oldest.data()["allocations"][1]["amount"], "199.00");
    EXPECT_EQ(oldest.data()["unallocated"], "51.50");
    EXPECT_EQ(As(admin_, Method::kGet, base + "/invoices/" + inv2).data()["status"], "paid");
    EXPECT_EQ(Exposure(c), "-51.50");
    // The list shows each customer's exposure and what is left of the limit, like the account.
    ApiResponse list = As(admin_, Method::kGet, "/api/v1/customers");
    ASSERT_EQ(list.status, 200) << list.raw.body;
    ASSERT_EQ(list.data().size(), 1u);
    EXPECT_EQ(list.data()[0]["exposure"], "-51.50");
    EXPECT_EQ(list.data()[0]["available"], "10051.50");
    // The ledger's control account agrees: sales Dr 448.50, payments Cr 500.00; the cheque went
    // to the bank, the MoMo payment to its clearing account.
    EXPECT_EQ(LedgerBalance("1100", c), "-51.50");
    EXPECT_EQ(LedgerBalance("1020"), "100.00");
    EXPECT_EQ(LedgerBalance("1030"), "400.00");

    // The statement: opening 0, two invoices, two payments, closing −51.50.
    ApiResponse st = As(admin_, Method::kGet, base + "/statement?from=2023-11-01&to=2023-11-30");
    ASSERT_EQ(st.status, 200) << st.raw.body;
    EXPECT_EQ(st.data()["opening_balance"], "0.00");
    EXPECT_EQ(st.data()["lines"].size(), 4u);
    EXPECT_EQ(st.data()["total_debits"], "448.50");
    EXPECT_EQ(st.data()["total_credits"], "500.00");
    EXPECT_EQ(st.data()["closing_balance"], "-51.50");
    ApiResponse later = As(admin_, Method::kGet, base + "/statement?from=2023-11-15&to=2023-11-30");
    EXPECT_EQ(later.data()["opening_balance"], "149.50");
    ApiResponse csv = As(admin_, Method::kGet, base + "/statement?to=2023-11-30&format=csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_NE(csv.raw.body.find("2023-11-15,payment,CHQ 0042,,100.00,"), std::string::npos)
        << csv.raw.body;
    EXPECT_EQ(As(admin_, Method::kGet, base + "/statement?format=pdf").status, 200);
}

TEST_F(ArapApiTest, AgingBucketsByDaysPastDueOnTheFakeClock) {
    ASSERT_EQ(OpenShift().status, 201);
    const std::string c = Customer("AAA", "100000.00", 0);
    const std::string base = "/api/v1/customers/" + c;
    // Four invoices due 2023-11-14 (the sale's day, terms 0), issued on the day of each sale.
    std::vector<std::string> amounts;
    for (int i = 0; i < 4; ++i) {
        ASSERT_EQ(CreditSale(std::to_string(i + 1), c).status, 201);
        const std::string day = FormatDate(clock_.NowUs());
        ApiResponse inv = As(admin_, Method::kPost, base + "/invoices",
                             {{"from", day}, {"to", day}, {"issued_on", day}});
        ASSERT_EQ(inv.status, 201) << inv.raw.body;
        amounts.push_back(inv.data()["total"]);
        Tick(31 * kDayUs);  // the next sale a month on
    }
    EXPECT_EQ(amounts, (std::vector<std::string>{"14.95", "29.90", "44.85", "59.80"}));
    // The clock is now 2024-03-17: the invoices are 124, 93, 62 and 31 days past due.
    ApiResponse aging = As(admin_, Method::kGet, "/api/v1/receivables/aging");
    ASSERT_EQ(aging.status, 200) << aging.raw.body;
    EXPECT_EQ(aging.data()["as_of"], "2024-03-17");
    ASSERT_EQ(aging.data()["rows"].size(), 1u);
    const json& b = aging.data()["rows"][0]["buckets"];
    EXPECT_EQ(b["0_30"], "0.00");
    EXPECT_EQ(b["31_60"], "59.80");
    EXPECT_EQ(b["61_90"], "44.85");
    EXPECT_EQ(b["over_90"], "44.85");  // 14.95 + 29.90
    EXPECT_EQ(aging.data()["totals"]["balance"], "149.50");
    // As of an earlier date: only what was issued by then, aged then.
    ApiResponse early = As(admin_, Method::kGet, "/api/v1/receivables/aging?as_of=2023-12-20");
    EXPECT_EQ(early.data()["rows"][0]["buckets"]["31_60"], "14.95");
    EXPECT_EQ(early.data()["rows"][0]["buckets"]["0_30"], "29.90");
    ApiResponse xlsx = As(admin_, Method::kGet, "/api/v1/receivables/aging?format=xlsx");
    EXPECT_EQ(xlsx.status, 200);
}

class PayablesApiTest : public ArapApiTest {
  protected:
    // A delivery of 10 000 L (the waybill's loaded litres) of PMS into the fitted tank.
    std::string Delivery(const std::string& waybill) {
        auto dip = [&](int64_t mm, const std::string& purpose) {
            ApiResponse r =
                As(manager_, Method::kPost, "/api/v1/dips", DipBody(f_.tank, mm, purpose));
            EXPECT_EQ(r.status, 201) << r.raw.body;
            return r.status == 201 ? r.data()["id"].get<std::string>() : std::string();
        };
        const std::string before = dip(200, "before_delivery");
        clock_.AdvanceUs(120'000'000);
        const std::string after = dip(860, "after_delivery");
        ApiResponse r = As(manager_, Method::kPost, "/api/v1/deliveries",
                           DeliveryBody(f_.tank, before, after, clock_.NowUs(), waybill));
        EXPECT_EQ(r.status, 201) << r.raw.body;
        Tick(3'600'000'000);
        return r.status == 201 ? r.data()["id"].get<std::string>() : std::string();
    }
    void SetUp() override {
        ArapApiTest::SetUp();
        ApiResponse s = As(
            admin_, Method::kPost, "/api/v1/suppliers",
            {{"code", "BDC1"}, {"kind", "bdc"}, {"name", "BDC One"}, {"payment_terms_days", 14}});
        ASSERT_EQ(s.status, 201) << s.raw.body;
        supplier_ = s.data()["id"];
        ApiResponse po = As(admin_, Method::kPost, "/api/v1/purchase-orders",
                            {{"po_no", "PO-1"},
                             {"supplier_id", supplier_},
                             {"depot", "Tema"},
                             {"product_id", f_.product},
                             {"quantity", "20000"},
                             {"unit_price", "12.5"},
                             {"ordered_on", "2023-11-10"}});
        ASSERT_EQ(po.status, 201) << po.raw.body;
        order_ = po.data()["id"];
        EXPECT_EQ(po.data()["amount"], "250000.00");
    }
    json Invoice(const std::string& no, const std::vector<std::string>& deliveries,
                 const std::string& quantity, const std::string& price) {
        return {{"invoice_no", no},
                {"purchase_order_id", order_},
                {"invoice_date", "2023-11-15"},
                {"quantity", quantity},
                {"unit_price", price},
                {"vat", "0.00"},
                {"delivery_ids", deliveries}};
    }
    std::string supplier_, order_;
};

TEST_F(PayablesApiTest, AnInvoiceMatchesItsOrderAndDeliveriesOrIsRefusedNamingTheField) {
    const std::string d1 = Delivery("WB-1");
    const std::string d2 = Delivery("WB-2");
    const std::string path = "/api/v1/suppliers/" + supplier_ + "/invoices";
    // 10 100 L billed for a 10 000 L waybill: 1 % over, beyond the 0.5 % tolerance.
    ApiResponse qty = As(admin_, Method::kPost, path, Invoice("B-1", {d1}, "10100", "12.5"));
    ASSERT_EQ(qty.status, 422) << qty.raw.body;
    EXPECT_EQ(qty.ErrorField(), "quantity");
    EXPECT_EQ(qty.body["error"]["details"][0]["message"],
              "invoiced 10100.000 L but the deliveries' waybills total 10000.000 L (tolerance "
              "0.50 %)");
    ApiResponse price = As(admin_, Method::kPost, path, Invoice("B-1", {d1}, "10000", "12.52"));
    EXPECT_EQ(price.status, 422);
    EXPECT_EQ(price.ErrorField(), "unit_price");
    EXPECT_EQ(CountRows(tenant_a_, "arap_supplier_invoices"), 0);

    // Within tolerance (0.3 % short): matched; the net at the invoice's price.
    ApiResponse ok = As(admin_, Method::kPost, path, Invoice("B-1", {d1}, "9970", "12.5"));
    ASSERT_EQ(ok.status, 201) << ok.raw.body;
    EXPECT_EQ(ok.data()["match_status"], "matched");
    EXPECT_EQ(ok.data()["net_amount"], "124625.00");
    EXPECT_EQ(ok.data()["due_on"], "2023-11-29");
    // A delivery is billed once.
    ApiResponse twice = As(admin_, Method::kPost, path, Invoice("B-2", {d1}, "10000", "12.5"));
    EXPECT_EQ(twice.status, 409);
    EXPECT_EQ(twice.ErrorField(), "delivery_ids[0]");

    // In flag mode a mismatch is stored, flagged, with its details.
    ASSERT_EQ(
        As(admin_, Method::kPut, "/api/v1/payables/settings",
           {{"quantity_tolerance_bp", 50}, {"price_tolerance_bp", 10}, {"mismatch_action", "flag"}})
            .status,
        200);
    ApiResponse flagged = As(admin_, Method::kPost, path, Invoice("B-2", {d2}, "10000", "12.6"));
    ASSERT_EQ(flagged.status, 201) << flagged.raw.body;
    EXPECT_EQ(flagged.data()["match_status"], "flagged");
    ASSERT_EQ(flagged.data()["mismatches"].size(), 1u);
    EXPECT_EQ(flagged.data()["mismatches"][0]["field"], "unit_price");
    ApiResponse order = As(admin_, Method::kGet, "/api/v1/purchase-orders/" + order_);
    EXPECT_EQ(order.data()["invoiced_quantity"], "19970.000");
    EXPECT_EQ(order.data()["status"], "open");  // 30 L short of the 20 000 ordered

    // Paying: 100 000.00 oldest first to B-1; the aging and statement follow.
    ApiResponse pay = As(admin_, Method::kPost, "/api/v1/suppliers/" + supplier_ + "/payments",
                         {{"method", "bank"}, {"amount", "100000.00"}, {"paid_on", "2023-11-20"}});
    ASSERT_EQ(pay.status, 201) << pay.raw.body;
    EXPECT_EQ(pay.data()["allocations"][0]["invoice_id"], ok.data()["id"]);
    EXPECT_EQ(pay.data()["unallocated"], "0.00");
    ApiResponse over =
        As(admin_, Method::kPost, "/api/v1/suppliers/" + supplier_ + "/payments",
           {{"method", "bank"},
            {"amount", "1.00"},
            {"allocations",
             json::array({{{"invoice_id", ok.data()["id"]}, {"amount", "24625.01"}}})}});
    EXPECT_EQ(over.status, 422);
    EXPECT_EQ(over.ErrorField(), "allocations[0].amount");
    ApiResponse aging = As(admin_, Method::kGet, "/api/v1/payables/aging?as_of=2023-12-31");
    ASSERT_EQ(aging.status, 200) << aging.raw.body;
    // B-1: 24 625.00 left, 32 days past due; B-2: 126 000.00, 32 days too.
    EXPECT_EQ(aging.data()["rows"][0]["buckets"]["31_60"], "150625.00");
    ApiResponse st =
        As(admin_, Method::kGet,
           "/api/v1/suppliers/" + supplier_ + "/statement?from=2023-11-01&to=2023-11-30");
    EXPECT_EQ(st.data()["closing_balance"], "150625.00");
    // The ledger: the BDC's payable is the statement's balance; B-2's 0.10 per litre over the
    // order's price (10 000 L) is a price variance of 1 000.00; the bank paid 100 000.00.
    EXPECT_EQ(LedgerBalance("2010", supplier_), "150625.00");
    EXPECT_EQ(LedgerBalance("5060"), "1000.00");
    EXPECT_EQ(LedgerBalance("1020"), "-100000.00");
}

TEST_F(ArapApiTest, BadInputIs400NamingTheField) {
    struct Case {
        std::string path;
        json body;
        std::string field;
    };
    const std::string c = Customer("AAA", "100.00");
    const std::vector<Case> cases = {
        {"/api/v1/customers",
         {{"code", "X"}, {"name", "X"}, {"credit_limit", 100}, {"payment_terms_days", 30}},
         "credit_limit"},
        {"/api/v1/customers",
         {{"code", "X"}, {"name", "X"}, {"credit_limit", "1.005"}, {"payment_terms_days", 30}},
         "credit_limit"},
        {"/api/v1/customers",
         {{"code", "X"}, {"name", "X"}, {"credit_limit", "-1"}, {"payment_terms_days", 30}},
         "credit_limit"},
        {"/api/v1/customers",
         {{"code", "X"},
          {"name", "X"},
          {"credit_limit", "1"},
          {"payment_terms_days", 30},
          {"colour", "red"}},
         "colour"},
        {"/api/v1/customers/" + c + "/vehicles",
         {{"registration", "GT 1"}, {"limit", "5.00"}},
         "limit_period"},
        {"/api/v1/customers/" + c + "/invoices",
         {{"from", "2023-11-30"}, {"to", "2023-11-01"}},
         "to"},
        {"/api/v1/customers/" + c + "/invoices",
         {{"from", "2023-02-30"}, {"to", "2023-03-01"}},
         "from"},
        {"/api/v1/customers/" + c + "/payments",
         {{"method", "cash"}, {"amount", "1.00"}},
         "station_id"},
        {"/api/v1/customers/" + c + "/payments",
         {{"method", "gold"}, {"amount", "1.00"}},
         "method"},
        {"/api/v1/customers/" + c + "/payments",
         {{"method", "bank"},
          {"amount", "1.00"},
          {"allocations", json::array({{{"invoice_id", "not-a-uuid"}, {"amount", "1.00"}}})}},
         "allocations[0].invoice_id"},
        {"/api/v1/suppliers", {{"code", "S"}, {"kind", "refinery"}, {"name", "S"}}, "kind"},
        {"/api/v1/purchase-orders",
         {{"po_no", "P"},
          {"supplier_id", c},
          {"depot", "Tema"},
          {"product_id", f_.product},
          {"quantity", "0"},
          {"unit_price", "12.5"}},
         "quantity"},
    };
    for (const Case& k : cases) {
        ApiResponse r = As(admin_, Method::kPost, k.path, k.body);
        EXPECT_EQ(r.status, 400) << k.path << " " << k.body.dump() << ": " << r.raw.body;
        if (r.status == 400) {
            EXPECT_EQ(r.ErrorField(), k.field) << k.body.dump();
        }
    }
    EXPECT_EQ(CountRows(tenant_a_, "arap_customers"), 1);
    EXPECT_EQ(CountRows(tenant_a_, "arap_suppliers"), 0);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/receivables/aging?as_of=2023-13-01").status, 400);
}

}  // namespace
}  // namespace omc::arap
