// Tenant isolation, route by route: for every tenant-owned route, a caller of tenant B acting on
// tenant A's data gets 404 (or a list without A's rows), and A's data is unchanged. The walk
// over the router's routes fails when a tenant-owned route has no case here, so a new route
// cannot ship without its isolation test.
#include <functional>
#include <map>

#include <gtest/gtest.h>

#include "domains/forecourt/forecourt_fixture.hpp"
#include "platform/events/outbox.hpp"
#include "testing/api_fixture.hpp"

namespace omc::app {
namespace {

using http::Method;
using nlohmann::json;
using testing::ApiResponse;
using testing::kTestPassword;

class TenantIsolationTest : public forecourt::testing::ForecourtApiTest {
  protected:
    void SetUp() override {
        ForecourtApiTest::SetUp();
        admin_a_ = TokenFor("alpha-admin");
        admin_b_ = TokenFor("bravo-admin");
        std::tie(region_a_, station_a_) = AddRegionAndStation(tenant_a_, "A1");
        user_a_ = AddUser(tenant_a_, "ama-auditor", identity::Role::kAuditor);
        user_path_ = "/api/v1/users/" + user_a_.id.ToString();
        ApiResponse dealer = As(admin_a_, Method::kPost, "/api/v1/dealers",
                                {{"code", "D-A"}, {"name", "Alpha dealer"}});
        ASSERT_EQ(dealer.status, 201) << dealer.raw.body;
        dealer_a_ = dealer.data()["id"];
        fitted_a_ = FitOut(admin_a_, station_a_);
    }

    // B's answer must not mention `needle` (an id or name of A's).
    static void ExpectNoLeak(const ApiResponse& r, const std::string& needle) {
        EXPECT_EQ(r.raw.body.find(needle), std::string::npos) << r.raw.body;
    }
    void ExpectNotFoundForB(Method method, const std::string& path, const json& body = nullptr) {
        ApiResponse r = As(admin_b_, method, path, body);
        EXPECT_EQ(r.status, 404) << MethodName(method) << " " << path << ": " << r.raw.body;
    }

    // StationManagers (who hold dips.write and deliveries.write) of A's station and of a
    // station of B, made on first use.
    const std::string& ManagerOfA() {
        if (manager_a_.empty()) {
            AddUser(tenant_a_, "alpha-manager", identity::Role::kStationManager, {station_a_});
            manager_a_ = TokenFor("alpha-manager");
        }
        return manager_a_;
    }
    const std::string& ManagerOfB() {
        if (manager_b_.empty()) {
            const Uuid station_b = AddRegionAndStation(tenant_b_, "B1").second;
            AddUser(tenant_b_, "bravo-manager", identity::Role::kStationManager, {station_b});
            manager_b_ = TokenFor("bravo-manager");
        }
        return manager_b_;
    }
    // A dip of tenant A's tank (before_delivery purpose; an after_delivery one two minutes
    // later when `after`).
    std::string DipOfA(bool after = false) {
        if (after) clock_.AdvanceUs(120'000'000);
        ApiResponse r = As(ManagerOfA(), Method::kPost, "/api/v1/dips",
                           DipBody(fitted_a_.tank, after ? 860 : 200,
                                   after ? "after_delivery" : "before_delivery"));
        EXPECT_EQ(r.status, 201) << r.raw.body;
        return r.status == 201 ? r.data()["id"].get<std::string>() : std::string();
    }
    json DeliveryBody(const std::string& before, const std::string& after) {
        return ForecourtApiTest::DeliveryBody(fitted_a_.tank, before, after, clock_.NowUs(),
                                              "WB-A");
    }
    // A's delivery, short beyond the allowance (a transit-loss claim), made on first use.
    const std::string& DeliveryOfA() {
        if (delivery_a_.empty()) {
            const std::string before = DipOfA();
            const std::string after = DipOfA(/*after=*/true);
            ApiResponse r =
                As(ManagerOfA(), Method::kPost, "/api/v1/deliveries", DeliveryBody(before, after));
            EXPECT_EQ(r.status, 201) << r.raw.body;
            if (r.status == 201) delivery_a_ = r.data()["id"];
        }
        return delivery_a_;
    }

    std::map<std::string, std::function<void()>> Cases();
    std::map<std::string, std::function<void()>> ForecourtCases();
    std::map<std::string, std::function<void()>> LedgerCases();
    // A's ledger: an entry posted to its bank and equity (a chart copy), made on first use.
    void EnsureLedgerA() {
        if (!ledger_entry_a_.empty()) return;
        ApiResponse entry =
            As(admin_a_, Method::kPost, "/api/v1/ledger/entries",
               {{"booked_on", "2023-10-02"},
                {"memo", "Alpha capital"},
                {"lines", json::array({{{"code", "1020"}, {"debit", "777.77"}},
                                       {{"code", "3000"}, {"credit", "777.77"}}})}});
        ASSERT_EQ(entry.status, 201) << entry.raw.body;
        ledger_entry_a_ = entry.data()["id"];
        ledger_transfer_a_ = entry.data()["transfers"][0]["id"];
        ledger_bank_a_ = entry.data()["transfers"][0]["debit_account_id"];
        ledger_equity_a_ = entry.data()["transfers"][0]["credit_account_id"];
        ASSERT_EQ(As(admin_a_, Method::kPost, "/api/v1/ledger/chart",
                     {{"code", "5999"},
                      {"name", "Alpha secret expense"},
                      {"type", "expense"},
                      {"report_group", "Operating expenses"}})
                      .status,
                  201);
        ASSERT_EQ(As(admin_a_, Method::kPost, "/api/v1/ledger/chart",
                     {{"code", "5997"},
                      {"name", "Alpha only"},
                      {"type", "expense"},
                      {"report_group", "Operating expenses"}})
                      .status,
                  201);
    }
    std::string ledger_entry_a_, ledger_transfer_a_, ledger_bank_a_, ledger_equity_a_;
    std::map<std::string, std::function<void()>> PricingWindowCases();

    // A's pricing data, made on first use: a floor and an approved price list for window
    // 2024-01-1 (in the future of the fixture's clock), a price zone and a holiday of its own.
    void EnsurePricingA() {
        if (!proposal_a_.empty()) return;
        ApiResponse floor = As(
            admin_a_, Method::kPost, "/api/v1/pricing/floors",
            {{"window", "2024-01-1"}, {"product_id", fitted_a_.product}, {"unit_price", "13.02"}});
        ASSERT_EQ(floor.status, 201) << floor.raw.body;
        floor_a_ = floor.data()["id"];
        ApiResponse zone = As(admin_a_, Method::kPost, "/api/v1/pricing/zones",
                              {{"code", "ZA"},
                               {"name", "Alpha zone"},
                               {"station_ids", json::array({station_a_.ToString()})}});
        ASSERT_EQ(zone.status, 201) << zone.raw.body;
        zone_a_ = zone.data()["id"];
        ApiResponse proposal = As(admin_a_, Method::kPost, "/api/v1/pricing/proposals",
                                  {{"window", "2024-01-1"},
                                   {"lines", json::array({{{"product_id", fitted_a_.product},
                                                           {"zone_id", zone_a_},
                                                           {"unit_price", "15.55"}}})}});
        ASSERT_EQ(proposal.status, 201) << proposal.raw.body;
        proposal_a_ = proposal.data()["id"];
        ASSERT_EQ(
            As(admin_a_, Method::kPost, "/api/v1/pricing/proposals/" + proposal_a_ + "/approve")
                .status,
            200);
        ASSERT_EQ(As(admin_a_, Method::kPost, "/api/v1/pricing/holidays",
                     {{"date", "2023-12-27"}, {"name", "Alpha's own holiday"}})
                      .status,
                  201);
    }
    std::string ProposalStatusOfA() {
        return As(admin_a_, Method::kGet, "/api/v1/pricing/proposals/" + proposal_a_)
            .data()["status"];
    }
    std::string floor_a_, zone_a_, proposal_a_;
    std::map<std::string, std::function<void()>> PricingCases();
    // A price build-up component of A's product, made on first use.
    const std::string& ComponentOfA() {
        if (component_a_.empty()) {
            ApiResponse r = As(admin_a_, Method::kPost, "/api/v1/pricing/components",
                               {{"product", fitted_a_.product},
                                {"code", "ALPHA_LEVY"},
                                {"name", "Alpha secret levy"},
                                {"kind", "levy"},
                                {"subtotal", "ex_depot"},
                                {"position", 10},
                                {"amount", "12.3456"},
                                {"valid_from", "2024-07-16"}});
            EXPECT_EQ(r.status, 201) << r.raw.body;
            if (r.status == 201) component_a_ = r.data()["id"];
        }
        return component_a_;
    }
    std::string component_a_;
    std::map<std::string, std::function<void()>> ReportCases();
    std::map<std::string, std::function<void()>> UppfCases();
    std::map<std::string, std::function<void()>> PaymentsCases();

    // A's MoMo provider (pointing at a closed port: no provider is needed to keep tenants
    // apart), a MoMo payment of A's station (it stays pending) and a reconciliation of A's.
    void EnsurePaymentsA() {
        if (!momo_a_.empty()) return;
        ApiResponse put = As(admin_a_, Method::kPut, "/api/v1/payments/providers/mtn",
                             {{"base_url", "http://127.0.0.1:9/alpha-momo"},
                              {"api_user", "alpha-user"},
                              {"api_key", "alpha-secret"},
                              {"subscription_key", "alpha-sub"}});
        ASSERT_EQ(put.status, 201) << put.raw.body;
        ApiResponse momo = As(ManagerOfA(), Method::kPost, "/api/v1/payments/momo",
                              {{"id", ids_.NewV7().ToString()},
                               {"station_id", station_a_.ToString()},
                               {"nozzle_id", fitted_a_.nozzle},
                               {"quantity", "5"},
                               {"payer_msisdn", "233241234567"},
                               {"provider", "mtn"}});
        ASSERT_EQ(momo.status, 202) << momo.raw.body;
        momo_a_ = momo.data()["id"];
        ApiResponse recon =
            As(admin_a_, Method::kPost, "/api/v1/payments/reconciliations",
               {{"provider", "mtn"},
                {"date", "2023-11-14"},
                {"statement_csv",
                 "reference,amount,currency,status\nalpha-ref-1,25.00,GHS,SUCCESSFUL\n"}});
        ASSERT_EQ(recon.status, 201) << recon.raw.body;
        recon_a_ = recon.data()["id"];
    }
    std::string momo_a_, recon_a_;
    std::map<std::string, std::function<void()>> WebhookCases();

    // A's webhook endpoint and a (pending) test delivery to it, made on first use.
    void EnsureWebhooksOfA() {
        if (!webhook_delivery_a_.empty()) return;
        ApiResponse endpoint = As(admin_a_, Method::kPost, "/api/v1/webhooks/endpoints",
                                  {{"url", "https://alpha.example.com/hooks"},
                                   {"description", "Alpha's secret receiver"},
                                   {"event_types", json::array({"forecourt.sale_recorded"})}});
        ASSERT_EQ(endpoint.status, 201) << endpoint.raw.body;
        webhook_endpoint_a_ = endpoint.data()["id"];
        ApiResponse test = As(admin_a_, Method::kPost,
                              "/api/v1/webhooks/endpoints/" + webhook_endpoint_a_ + "/test");
        ASSERT_EQ(test.status, 202) << test.raw.body;
        webhook_delivery_a_ = test.data()["id"];
    }
    json WebhookEndpointOfA() {
        return As(admin_a_, Method::kGet, "/api/v1/webhooks/endpoints/" + webhook_endpoint_a_)
            .data();
    }
    std::string webhook_endpoint_a_, webhook_delivery_a_;

    std::string admin_a_;
    std::string admin_b_;
    Uuid region_a_;
    Uuid station_a_;
    identity::User user_a_;
    std::string user_path_;
    std::string dealer_a_;
    forecourt::testing::FittedStation fitted_a_;

    // A's open shift with one sale, made on first use (B's CompanyAdmin holds no sales or shift
    // permission, so B acts through ManagerOfB()).
    void EnsureShiftAndSaleA() {
        if (!sale_a_.empty()) return;
        const identity::User attendant =
            AddUser(tenant_a_, "alpha-attendant", identity::Role::kOperator, {station_a_});
        ApiResponse shift =
            As(ManagerOfA(), Method::kPost, "/api/v1/shifts",
               {{"station_id", station_a_.ToString()},
                {"attendants", json::array({{{"pump_id", fitted_a_.pump},
                                             {"attendant_id", attendant.id.ToString()}}})},
                {"totalizers",
                 json::array({{{"nozzle_id", fitted_a_.nozzle}, {"totalizer", "1000"}}})}});
        ASSERT_EQ(shift.status, 201) << shift.raw.body;
        shift_a_ = shift.data()["id"];
        ApiResponse sale = As(ManagerOfA(), Method::kPost, "/api/v1/transactions",
                              {{"id", ids_.NewV7().ToString()},
                               {"station_id", station_a_.ToString()},
                               {"nozzle_id", fitted_a_.nozzle},
                               {"quantity", "5"},
                               {"payment_method", "cash"}});
        ASSERT_EQ(sale.status, 201) << sale.raw.body;
        sale_a_ = sale.data()["id"];
    }
    // An open water alert at A's tank (a wet dip), made on first use.
    const std::string& AlertOfA() {
        if (alert_a_.empty()) {
            ApiResponse dip = As(ManagerOfA(), Method::kPost, "/api/v1/dips",
                                 DipBody(fitted_a_.tank, 1000, "routine", /*water_mm=*/60));
            EXPECT_EQ(dip.status, 201) << dip.raw.body;
            ApiResponse alerts = As(admin_a_, Method::kGet, "/api/v1/alerts?kind=water");
            EXPECT_EQ(alerts.status, 200) << alerts.raw.body;
            if (alerts.status == 200 && !alerts.data().empty()) alert_a_ = alerts.data()[0]["id"];
        }
        return alert_a_;
    }
    std::string AlertStatusOfA() {
        return As(admin_a_, Method::kGet, "/api/v1/alerts/" + AlertOfA()).data()["status"];
    }
    void ExpectNotFoundForManagerB(Method method, const std::string& path, const json& body) {
        ApiResponse r = As(ManagerOfB(), method, path, body);
        EXPECT_EQ(r.status, 404) << MethodName(method) << " " << path << ": " << r.raw.body;
    }
    std::string shift_a_, sale_a_;
    std::string manager_a_;
    std::string manager_b_;
    std::string delivery_a_;
    std::string alert_a_;

    // A's UPPF route (Tema -> A's station), rate, November claim and its line for A's delivery,
    // made on first use.
    void EnsureUppfOfA() {
        if (!uppf_line_a_.empty()) return;
        ApiResponse route = As(admin_a_, Method::kPost, "/api/v1/uppf/routes",
                               {{"depot", "Tema"},
                                {"station_id", station_a_.ToString()},
                                {"distance_km", "123.4"},
                                {"effective_from", "2023-10-01"}});
        ASSERT_EQ(route.status, 201) << route.raw.body;
        uppf_route_a_ = route.data()["id"];
        ApiResponse rate = As(admin_a_, Method::kPost, "/api/v1/uppf/rates",
                              {{"effective_from", "2023-10-01"}, {"rate_per_litre_km", "0.0017"}});
        ASSERT_EQ(rate.status, 201) << rate.raw.body;
        uppf_rate_a_ = rate.data()["id"];
        ApiResponse claim =
            As(admin_a_, Method::kPost, "/api/v1/uppf/claims", {{"period", "2023-11"}});
        ASSERT_EQ(claim.status, 201) << claim.raw.body;
        uppf_claim_a_ = claim.data()["id"];
        ApiResponse line =
            As(admin_a_, Method::kPost, "/api/v1/uppf/claims/" + uppf_claim_a_ + "/lines",
               {{"delivery_id", DeliveryOfA()},
                {"intended_station_id", station_a_.ToString()},
                {"omc_order_no", "PO-A"},
                {"omc_invoice_no", "INV-A"}});
        ASSERT_EQ(line.status, 201) << line.raw.body;
        uppf_line_a_ = line.data()["id"];
    }
    json UppfClaimOfA() {
        return As(admin_a_, Method::kGet, "/api/v1/uppf/claims/" + uppf_claim_a_).data();
    }
    std::string uppf_route_a_, uppf_rate_a_, uppf_claim_a_, uppf_line_a_;

    // A's receivables and payables, made on first use: a credit customer with a vehicle and a
    // driver, a credit sale invoiced and paid (by MoMo); a BDC with a purchase order and an
    // invoice of A's delivery; matching settings of its own. Nothing here touches A's bank
    // account, which the ledger cases check to the pesewa.
    void EnsureArapOfA() {
        if (!arap_sinvoice_a_.empty()) return;
        ApiResponse c = As(admin_a_, Method::kPost, "/api/v1/customers",
                           {{"code", "FLEET"},
                            {"name", "Alpha fleet"},
                            {"credit_limit", "5000.00"},
                            {"payment_terms_days", 30}});
        ASSERT_EQ(c.status, 201) << c.raw.body;
        arap_customer_a_ = c.data()["id"];
        const std::string base = "/api/v1/customers/" + arap_customer_a_;
        ApiResponse v =
            As(admin_a_, Method::kPost, base + "/vehicles",
               {{"registration", "GT 1-23"}, {"limit", "500.00"}, {"limit_period", "day"}});
        ASSERT_EQ(v.status, 201) << v.raw.body;
        arap_vehicle_a_ = v.data()["id"];
        ApiResponse d = As(admin_a_, Method::kPost, base + "/drivers",
                           {{"name", "Yaw"}, {"vehicle_ids", json::array({arap_vehicle_a_})}});
        ASSERT_EQ(d.status, 201) << d.raw.body;
        EnsureShiftAndSaleA();
        ApiResponse sale = As(ManagerOfA(), Method::kPost, "/api/v1/transactions",
                              {{"id", ids_.NewV7().ToString()},
                               {"station_id", station_a_.ToString()},
                               {"nozzle_id", fitted_a_.nozzle},
                               {"quantity", "5"},
                               {"payment_method", "account"},
                               {"customer_id", arap_customer_a_},
                               {"vehicle_id", arap_vehicle_a_}});
        ASSERT_EQ(sale.status, 201) << sale.raw.body;
        const std::string day = FormatDate(clock_.NowUs());
        ApiResponse inv = As(admin_a_, Method::kPost, base + "/invoices",
                             {{"from", day}, {"to", day}, {"issued_on", day}});
        ASSERT_EQ(inv.status, 201) << inv.raw.body;
        arap_invoice_a_ = inv.data()["id"];
        ApiResponse pay = As(admin_a_, Method::kPost, base + "/payments",
                             {{"method", "momo"}, {"amount", "10.00"}});
        ASSERT_EQ(pay.status, 201) << pay.raw.body;
        ApiResponse s = As(admin_a_, Method::kPost, "/api/v1/suppliers",
                           {{"code", "BDC1"}, {"kind", "bdc"}, {"name", "Alpha BDC"}});
        ASSERT_EQ(s.status, 201) << s.raw.body;
        arap_supplier_a_ = s.data()["id"];
        ApiResponse po = As(admin_a_, Method::kPost, "/api/v1/purchase-orders",
                            {{"po_no", "PO-A"},
                             {"supplier_id", arap_supplier_a_},
                             {"depot", "Tema"},
                             {"product_id", fitted_a_.product},
                             {"quantity", "10000"},
                             {"unit_price", "12.5"}});
        ASSERT_EQ(po.status, 201) << po.raw.body;
        arap_order_a_ = po.data()["id"];
        ApiResponse si =
            As(admin_a_, Method::kPost, "/api/v1/suppliers/" + arap_supplier_a_ + "/invoices",
               {{"invoice_no", "B-A"},
                {"purchase_order_id", arap_order_a_},
                {"quantity", "10000"},
                {"unit_price", "12.5"},
                {"delivery_ids", json::array({DeliveryOfA()})}});
        ASSERT_EQ(si.status, 201) << si.raw.body;
        arap_sinvoice_a_ = si.data()["id"];
        ASSERT_EQ(As(admin_a_, Method::kPut, "/api/v1/payables/settings",
                     {{"quantity_tolerance_bp", 77},
                      {"price_tolerance_bp", 7},
                      {"mismatch_action", "flag"}})
                      .status,
                  200);
    }
    std::map<std::string, std::function<void()>> ArapCases();
    std::string arap_customer_a_, arap_vehicle_a_, arap_invoice_a_, arap_supplier_a_, arap_order_a_,
        arap_sinvoice_a_;
};

std::map<std::string, std::function<void()>> TenantIsolationTest::Cases() {
    return {
        {"events.list",
         [&] {
             auto id =
                 db::InTransaction(*database_, {.tenant = tenant_a_}, [&](db::Transaction& tx) {
                     return events::AppendEvent(tx, tenant_a_, ids_, clock_,
                                                {"test.secret", "thing", "t1", json{{"x", 1}}});
                 });
             ASSERT_TRUE(id.ok());
             ASSERT_TRUE(app_->relay().RunOnce().ok());
             ApiResponse r = As(admin_b_, Method::kGet, "/api/v1/events");
             EXPECT_EQ(r.status, 200);
             ExpectNoLeak(r, id->ToString());
         }},
        {"auth.logout",
         [&] {
             const std::string refresh =
                 Login("ama-auditor", kTestPassword).data()["refresh_token"];
             ExpectNotFoundForB(Method::kPost, "/api/v1/auth/logout", {{"refresh_token", refresh}});
             EXPECT_EQ(
                 Call(Method::kPost, "/api/v1/auth/refresh", {{"refresh_token", refresh}}).status,
                 200);
         }},
        {"auth.profile",
         [&] {
             ApiResponse r = As(admin_b_, Method::kGet, "/api/v1/auth/profile");
             EXPECT_EQ(r.data()["tenant_id"], tenant_b_.ToString());
         }},
        {"auth.change_password",
         [&] {
             // Acts only on the caller: B's change leaves A's password working.
             EXPECT_EQ(As(admin_b_, Method::kPost, "/api/v1/auth/password",
                          {{"current_password", kTestPassword},
                           {"new_password", "bravo-new-password-77"}})
                           .status,
                       200);
             EXPECT_EQ(Login("alpha-admin", kTestPassword).status, 200);
             // And back, for the cases after this one.
             EXPECT_EQ(As(admin_b_, Method::kPost, "/api/v1/auth/password",
                          {{"current_password", "bravo-new-password-77"},
                           {"new_password", kTestPassword}})
                           .status,
                       200);
         }},
        {"auth.totp_setup",
         [&] {
             EXPECT_EQ(As(admin_b_, Method::kPost, "/api/v1/auth/mfa/totp/setup",
                          json{{"password", kTestPassword}})
                           .status,
                       200);
             EXPECT_EQ(Login("alpha-admin", kTestPassword).status, 200);  // A needs no code
         }},
        {"auth.totp_confirm",
         [&] {
             // A has a pending secret; B's confirm cannot reach it.
             ASSERT_EQ(As(admin_a_, Method::kPost, "/api/v1/auth/mfa/totp/setup",
                          json{{"password", kTestPassword}})
                           .status,
                       200);
             EXPECT_EQ(
                 As(admin_b_, Method::kPost, "/api/v1/auth/mfa/totp/confirm", {{"code", "123456"}})
                     .status,
                 422);
         }},
        {"auth.totp_disable",
         [&] {
             EXPECT_EQ(As(admin_b_, Method::kPost, "/api/v1/auth/mfa/totp/disable",
                          {{"code", "123456"}, {"password", kTestPassword}})
                           .status,
                       409);
         }},
        {"auth.recovery_codes",
         [&] {
             EXPECT_EQ(As(admin_b_, Method::kPost, "/api/v1/auth/mfa/recovery-codes",
                          {{"code", "123456"}})
                           .status,
                       409);
         }},
        {"users.list",
         [&] {
             ApiResponse r = As(admin_b_, Method::kGet, "/api/v1/users");
             EXPECT_EQ(r.status, 200);
             ExpectNoLeak(r, user_a_.id.ToString());
             ExpectNoLeak(r, "alpha-admin");
         }},
        {"users.create",
         [&] {
             ApiResponse r = As(admin_b_, Method::kPost, "/api/v1/users",
                                {{"username", "intruder"},
                                 {"email", "intruder@bravo.example"},
                                 {"display_name", "X"},
                                 {"role", "Operator"},
                                 {"scope_ids", {station_a_.ToString()}}});
             EXPECT_EQ(r.status, 422) << r.raw.body;
         }},
        {"users.get", [&] { ExpectNotFoundForB(Method::kGet, user_path_); }},
        {"users.update",
         [&] {
             ExpectNotFoundForB(Method::kPatch, user_path_, {{"active", false}});
             EXPECT_EQ(Login("ama-auditor", kTestPassword).status, 200);
         }},
        {"users.reset_password",
         [&] {
             ExpectNotFoundForB(Method::kPost, user_path_ + "/reset-password", json::object());
             EXPECT_EQ(Login("ama-auditor", kTestPassword).status, 200);
         }},
        {"security.mfa_policy",
         [&] {
             ASSERT_EQ(As(admin_a_, Method::kPut, "/api/v1/security/mfa-policy",
                          {{"required_roles", {"Operator"}}})
                           .status,
                       200);
             ApiResponse r = As(admin_b_, Method::kGet, "/api/v1/security/mfa-policy");
             EXPECT_EQ(r.data()["required_roles"], json::array());
         }},
        {"security.set_mfa_policy",
         [&] {
             ASSERT_EQ(As(admin_b_, Method::kPut, "/api/v1/security/mfa-policy",
                          {{"required_roles", {"Auditor"}}})
                           .status,
                       200);
             EXPECT_TRUE(Login("ama-auditor", kTestPassword).data()["restriction"].is_null());
         }},
        {"api_keys.list",
         [&] {
             ApiResponse created = As(admin_a_, Method::kPost, "/api/v1/api-keys",
                                      {{"name", "A gauge"}, {"role", "Auditor"}});
             ASSERT_EQ(created.status, 201);
             ApiResponse r = As(admin_b_, Method::kGet, "/api/v1/api-keys");
             EXPECT_EQ(r.status, 200);
             ExpectNoLeak(r, created.data()["id"]);
         }},
        {"api_keys.create",
         [&] {
             ApiResponse r =
                 As(admin_b_, Method::kPost, "/api/v1/api-keys",
                    {{"name", "x"}, {"role", "Operator"}, {"station_id", station_a_.ToString()}});
             EXPECT_EQ(r.status, 422);
         }},
        {"audit.list",
         [&] {
             ApiResponse r = As(admin_b_, Method::kGet, "/api/v1/audit?limit=500");
             EXPECT_EQ(r.status, 200);
             ExpectNoLeak(r, "alpha");  // A's tenant creation and sign-ins are A's records
             ExpectNoLeak(r, tenant_a_.ToString());
         }},
        {"org.regions.list",
         [&] {
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/regions"), region_a_.ToString());
         }},
        {"org.regions.get",
         [&] { ExpectNotFoundForB(Method::kGet, "/api/v1/regions/" + region_a_.ToString()); }},
        {"org.regions.update",
         [&] {
             ExpectNotFoundForB(Method::kPatch, "/api/v1/regions/" + region_a_.ToString(),
                                {{"name", "Taken"}});
             EXPECT_NE(As(admin_a_, Method::kGet, "/api/v1/regions/" + region_a_.ToString())
                           .data()["name"],
                       "Taken");
         }},
        {"org.regions.create",
         [&] {
             // Codes are per tenant: B may reuse A's code, and A's region is untouched.
             EXPECT_EQ(As(admin_b_, Method::kPost, "/api/v1/regions",
                          {{"code", "R-A1"}, {"name", "Bravo region"}})
                           .status,
                       201);
             EXPECT_EQ(As(admin_a_, Method::kGet, "/api/v1/regions/" + region_a_.ToString())
                           .data()["code"],
                       "R-A1");
         }},
        {"org.dealers.list",
         [&] { ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/dealers"), dealer_a_); }},
        {"org.dealers.get",
         [&] { ExpectNotFoundForB(Method::kGet, "/api/v1/dealers/" + dealer_a_); }},
        {"org.dealers.update",
         [&] {
             ExpectNotFoundForB(Method::kPatch, "/api/v1/dealers/" + dealer_a_,
                                {{"active", false}});
         }},
        {"org.dealers.create",
         [&] {
             EXPECT_EQ(As(admin_b_, Method::kPost, "/api/v1/dealers",
                          {{"code", "D-A"}, {"name", "Bravo dealer"}})
                           .status,
                       201);
         }},
        {"org.stations.list",
         [&] {
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/stations"), station_a_.ToString());
             ExpectNoLeak(
                 As(admin_b_, Method::kGet, "/api/v1/stations?region_id=" + region_a_.ToString()),
                 station_a_.ToString());
         }},
        {"org.stations.get",
         [&] { ExpectNotFoundForB(Method::kGet, "/api/v1/stations/" + station_a_.ToString()); }},
        {"org.stations.update",
         [&] {
             ExpectNotFoundForB(Method::kPatch, "/api/v1/stations/" + station_a_.ToString(),
                                {{"active", false}});
         }},
        {"org.stations.create",
         [&] {
             // A's region and dealer look exactly like missing ones to B.
             ApiResponse r = As(admin_b_, Method::kPost, "/api/v1/stations",
                                {{"code", "S-X"},
                                 {"name", "Intruder"},
                                 {"region_id", region_a_.ToString()},
                                 {"operating_model", "DODO"},
                                 {"dealer_id", dealer_a_}});
             EXPECT_EQ(r.status, 422) << r.raw.body;
         }},
        {"api_keys.revoke",
         [&] {
             ApiResponse created = As(admin_a_, Method::kPost, "/api/v1/api-keys",
                                      {{"name", "A gauge"}, {"role", "Auditor"}});
             ASSERT_EQ(created.status, 201);
             ExpectNotFoundForB(Method::kDelete,
                                "/api/v1/api-keys/" + created.data()["id"].get<std::string>());
             EXPECT_EQ(As(created.data()["key"], Method::kGet, "/api/v1/users").status, 200);
         }},
    };
}

std::map<std::string, std::function<void()>> TenantIsolationTest::ForecourtCases() {
    const std::string station = station_a_.ToString();
    return {
        {"forecourt.sales.record",
         [this, station] {
             EnsureShiftAndSaleA();
             ApiResponse r = As(ManagerOfB(), Method::kPost, "/api/v1/transactions",
                                {{"id", ids_.NewV7().ToString()},
                                 {"station_id", station},
                                 {"nozzle_id", fitted_a_.nozzle},
                                 {"quantity", "5"},
                                 {"payment_method", "cash"}});
             EXPECT_EQ(r.status, 422) << r.raw.body;
         }},
        {"forecourt.sales.list",
         [this, station] {
             EnsureShiftAndSaleA();
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/transactions"), sale_a_);
             ExpectNotFoundForB(Method::kGet, "/api/v1/transactions?station_id=" + station);
         }},
        {"forecourt.sales.export",
         [this, station] {
             EnsureShiftAndSaleA();
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/transactions/export.csv"), sale_a_);
         }},
        {"forecourt.sales.get",
         [this, station] {
             EnsureShiftAndSaleA();
             ExpectNotFoundForB(Method::kGet, "/api/v1/transactions/" + sale_a_);
         }},
        {"forecourt.sales.void",
         [this, station] {
             EnsureShiftAndSaleA();
             ExpectNotFoundForManagerB(Method::kPost, "/api/v1/transactions/" + sale_a_ + "/void",
                                       {{"id", ids_.NewV7().ToString()}, {"reason", "x"}});
         }},
        {"forecourt.sales.refund",
         [this, station] {
             EnsureShiftAndSaleA();
             ExpectNotFoundForManagerB(Method::kPost, "/api/v1/transactions/" + sale_a_ + "/refund",
                                       {{"id", ids_.NewV7().ToString()}, {"reason", "x"}});
         }},
        {"forecourt.shifts.list",
         [this, station] {
             EnsureShiftAndSaleA();
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/shifts"), shift_a_);
         }},
        {"forecourt.shifts.get",
         [this, station] {
             EnsureShiftAndSaleA();
             ExpectNotFoundForB(Method::kGet, "/api/v1/shifts/" + shift_a_);
         }},
        {"forecourt.shifts.open",
         [this, station] {
             EnsureShiftAndSaleA();
             ApiResponse r =
                 As(ManagerOfB(), Method::kPost, "/api/v1/shifts",
                    {{"station_id", station},
                     {"attendants", json::array({{{"pump_id", fitted_a_.pump},
                                                  {"attendant_id", ids_.NewV7().ToString()}}})},
                     {"totalizers",
                      json::array({{{"nozzle_id", fitted_a_.nozzle}, {"totalizer", "2000"}}})}});
             EXPECT_EQ(r.status, 422) << r.raw.body;
         }},
        {"forecourt.shifts.close",
         [this, station] {
             EnsureShiftAndSaleA();
             ExpectNotFoundForManagerB(
                 Method::kPost, "/api/v1/shifts/" + shift_a_ + "/close",
                 {{"totalizers",
                   json::array({{{"nozzle_id", fitted_a_.nozzle}, {"totalizer", "2000"}}})},
                  {"collections", json::array()}});
             EXPECT_EQ(
                 As(ManagerOfA(), Method::kGet, "/api/v1/shifts/" + shift_a_).data()["status"],
                 "open");
         }},
        {"forecourt.shifts.adjust",
         [this, station] {
             EnsureShiftAndSaleA();
             ExpectNotFoundForManagerB(Method::kPost, "/api/v1/shifts/" + shift_a_ + "/adjustments",
                                       {{"field", "cash"},
                                        {"attendant_id", ids_.NewV7().ToString()},
                                        {"delta", "1.00"},
                                        {"reason", "x"}});
         }},
        {"forecourt.products.list",
         [this, station] {
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/products"), fitted_a_.product);
         }},
        {"forecourt.products.get",
         [this, station] {
             ExpectNotFoundForB(Method::kGet, "/api/v1/products/" + fitted_a_.product);
         }},
        {"forecourt.products.update",
         [this, station] {
             ExpectNotFoundForB(Method::kPatch, "/api/v1/products/" + fitted_a_.product,
                                {{"name", "Taken"}});
             EXPECT_NE(
                 As(admin_a_, Method::kGet, "/api/v1/products/" + fitted_a_.product).data()["name"],
                 "Taken");
         }},
        {"forecourt.products.create",
         [this, station] {
             // Codes are per tenant.
             EXPECT_EQ(As(admin_b_, Method::kPost, "/api/v1/products",
                          {{"code", "PMS"},
                           {"name", "Bravo petrol"},
                           {"kind", "fuel"},
                           {"unit", "L"},
                           {"density15", "740.0"}})
                           .status,
                       201);
         }},
        {"forecourt.prices.list",
         [this, station] {
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/prices"), fitted_a_.price);
         }},
        {"forecourt.prices.current",
         [this, station] {
             ExpectNotFoundForB(Method::kGet, "/api/v1/prices/current?station_id=" + station +
                                                  "&product_id=" + fitted_a_.product);
         }},
        {"forecourt.prices.set",
         [this, station] {
             ApiResponse r = As(admin_b_, Method::kPost, "/api/v1/prices",
                                {{"product_id", fitted_a_.product}, {"unit_price", "1.00"}});
             EXPECT_EQ(r.status, 422) << r.raw.body;
         }},
        {"forecourt.tanks.list",
         [this, station] {
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/tanks"), fitted_a_.tank);
             ExpectNotFoundForB(Method::kGet, "/api/v1/tanks?station_id=" + station);
         }},
        {"forecourt.tanks.get",
         [this, station] { ExpectNotFoundForB(Method::kGet, "/api/v1/tanks/" + fitted_a_.tank); }},
        {"forecourt.tanks.update",
         [this, station] {
             ExpectNotFoundForB(Method::kPatch, "/api/v1/tanks/" + fitted_a_.tank,
                                {{"active", false}});
             EXPECT_EQ(
                 As(admin_a_, Method::kGet, "/api/v1/tanks/" + fitted_a_.tank).data()["active"],
                 true);
         }},
        {"forecourt.tanks.create",
         [this, station] {
             ApiResponse r = As(admin_b_, Method::kPost, "/api/v1/tanks",
                                {{"station_id", station},
                                 {"code", "T9"},
                                 {"product_id", fitted_a_.product},
                                 {"capacity", "1000"},
                                 {"safe_fill", "900"},
                                 {"low_level", "100"},
                                 {"water_limit_mm", 50}});
             EXPECT_EQ(r.status, 422) << r.raw.body;
         }},
        {"forecourt.pumps.list",
         [this, station] {
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/pumps"), fitted_a_.pump);
         }},
        {"forecourt.pumps.get",
         [this, station] { ExpectNotFoundForB(Method::kGet, "/api/v1/pumps/" + fitted_a_.pump); }},
        {"forecourt.pumps.create",
         [this, station] {
             ApiResponse r = As(admin_b_, Method::kPost, "/api/v1/pumps",
                                {{"station_id", station}, {"code", "P9"}});
             EXPECT_EQ(r.status, 422) << r.raw.body;
         }},
        {"forecourt.nozzles.list",
         [this, station] {
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/nozzles"), fitted_a_.nozzle);
         }},
        {"forecourt.nozzles.get",
         [this, station] {
             ExpectNotFoundForB(Method::kGet, "/api/v1/nozzles/" + fitted_a_.nozzle);
         }},
        {"forecourt.nozzles.update",
         [this, station] {
             ExpectNotFoundForB(Method::kPatch, "/api/v1/nozzles/" + fitted_a_.nozzle,
                                {{"active", false}});
         }},
        {"forecourt.nozzles.create",
         [this, station] {
             ApiResponse r =
                 As(admin_b_, Method::kPost, "/api/v1/nozzles",
                    {{"pump_id", fitted_a_.pump}, {"number", 2}, {"tank_id", fitted_a_.tank}});
             EXPECT_EQ(r.status, 422) << r.raw.body;
         }},
        {"forecourt.tank_charts.list",
         [this, station] {
             ExpectNotFoundForB(Method::kGet, "/api/v1/tanks/" + fitted_a_.tank + "/charts");
         }},
        {"forecourt.tank_charts.create",
         [this, station] {
             const std::string path = "/api/v1/tanks/" + fitted_a_.tank + "/charts";
             ExpectNotFoundForB(
                 Method::kPost, path,
                 {{"points", json::array({{{"height_mm", 0}, {"volume", "0"}},
                                          {{"height_mm", 3000}, {"volume", "40000"}}})},
                  {"effective_from", FormatTimestamp(clock_.NowUs() + 3'600'000'000)}});
             EXPECT_EQ(As(admin_a_, Method::kGet, path).data().size(), 1u);
         }},
        {"forecourt.settings.get",
         [this, station] {
             ASSERT_EQ(As(admin_a_, Method::kPut, "/api/v1/forecourt/settings",
                          {{"licence_warning_days", 77}})
                           .status,
                       200);
             EXPECT_EQ(As(admin_b_, Method::kGet, "/api/v1/forecourt/settings")
                           .data()["licence_warning_days"],
                       60);
         }},
        {"forecourt.settings.update",
         [this, station] {
             // B's settings are B's own.
             EXPECT_EQ(As(admin_b_, Method::kPut, "/api/v1/forecourt/settings",
                          {{"transit_loss_tolerance_bp", 99}})
                           .status,
                       200);
             EXPECT_NE(As(admin_a_, Method::kGet, "/api/v1/forecourt/settings")
                           .data()["transit_loss_tolerance_bp"],
                       99);
         }},
        {"forecourt.dips.create",
         [this, station] {
             ApiResponse r = As(ManagerOfB(), Method::kPost, "/api/v1/dips",
                                DipBody(fitted_a_.tank, 100, "routine"));
             EXPECT_EQ(r.status, 422) << r.raw.body;
         }},
        {"forecourt.dips.get",
         [this, station] { ExpectNotFoundForB(Method::kGet, "/api/v1/dips/" + DipOfA()); }},
        {"forecourt.tanks.dip_volume",
         [this, station] {
             const std::string path =
                 "/api/v1/tanks/" + fitted_a_.tank +
                 "/dip-volume?height_mm=100&water_height_mm=0&temperature=30.00";
             ExpectNotFoundForB(Method::kGet, path);
             EXPECT_EQ(As(ManagerOfB(), Method::kGet, path).status, 404);
             EXPECT_EQ(As(ManagerOfA(), Method::kGet, path).status, 200);
         }},
        {"forecourt.dips.list",
         [this, station] {
             const std::string dip = DipOfA();
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/dips"), dip);
             ExpectNotFoundForB(Method::kGet, "/api/v1/dips?station_id=" + station);
         }},
        {"forecourt.deliveries.create",
         [this, station] {
             const std::string before = DipOfA();
             const std::string after = DipOfA(/*after=*/true);
             // Unchanged by B's attempt (other cases may have moved A's stock before this one).
             const json stock =
                 As(admin_a_, Method::kGet, "/api/v1/tanks/" + fitted_a_.tank).data()["book_stock"];
             ApiResponse r =
                 As(ManagerOfB(), Method::kPost, "/api/v1/deliveries", DeliveryBody(before, after));
             EXPECT_EQ(r.status, 422) << r.raw.body;
             EXPECT_EQ(
                 As(admin_a_, Method::kGet, "/api/v1/tanks/" + fitted_a_.tank).data()["book_stock"],
                 stock);
         }},
        {"forecourt.deliveries.get",
         [this, station] {
             ExpectNotFoundForB(Method::kGet, "/api/v1/deliveries/" + DeliveryOfA());
         }},
        {"forecourt.deliveries.list",
         [this, station] {
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/deliveries"), DeliveryOfA());
             ExpectNotFoundForB(Method::kGet, "/api/v1/deliveries?station_id=" + station);
         }},
        {"forecourt.tanks.reconciliation",
         [this, station] {
             const std::string day = FormatTimestamp(clock_.NowUs()).substr(0, 10);
             ExpectNotFoundForB(Method::kGet, "/api/v1/tanks/" + fitted_a_.tank +
                                                  "/reconciliation?from=" + day + "&to=" + day);
         }},
        {"forecourt.shifts.reconciliation",
         [this, station] {
             EnsureShiftAndSaleA();
             ExpectNotFoundForB(Method::kGet, "/api/v1/shifts/" + shift_a_ + "/reconciliation");
         }},
        {"forecourt.tanks.adjust",
         [this, station] {
             const std::string path = "/api/v1/tanks/" + fitted_a_.tank + "/adjustments";
             const std::string tank = "/api/v1/tanks/" + fitted_a_.tank;
             const json before = As(admin_a_, Method::kGet, tank).data()["book_stock"];
             const json body{{"quantity", "100"}, {"reason", "Taken"}};
             ExpectNotFoundForB(Method::kPost, path, body);
             ExpectNotFoundForManagerB(Method::kPost, path, body);
             EXPECT_EQ(As(admin_a_, Method::kGet, tank).data()["book_stock"], before);
         }},
        {"forecourt.tanks.movements",
         [this, station] {
             ExpectNotFoundForB(Method::kGet, "/api/v1/tanks/" + fitted_a_.tank + "/movements");
         }},
        {"forecourt.dashboard.overview",
         [this, station] {
             EnsureShiftAndSaleA();
             AlertOfA();
             ApiResponse mine = As(admin_a_, Method::kGet, "/api/v1/dashboard/overview");
             ASSERT_EQ(mine.status, 200) << mine.raw.body;
             // A's own figures are there (other cases may have added sales of A's).
             EXPECT_GE(mine.data()["periods"]["today"]["current"]["sales"].get<int64_t>(), 1);
             EXPECT_GE(mine.data()["alerts"]["open"].get<int64_t>(), 1);
             ApiResponse theirs = As(admin_b_, Method::kGet, "/api/v1/dashboard/overview");
             ASSERT_EQ(theirs.status, 200) << theirs.raw.body;
             EXPECT_EQ(theirs.data()["periods"]["today"]["current"]["sales"], 0);
             EXPECT_EQ(theirs.data()["alerts"]["open"], 0);
             ExpectNoLeak(theirs, station);
             ExpectNoLeak(theirs, fitted_a_.product);
             ExpectNoLeak(theirs, AlertOfA());
         }},
        {"forecourt.stations.summary",
         [this, station] {
             EnsureShiftAndSaleA();
             ASSERT_EQ(
                 As(admin_a_, Method::kGet, "/api/v1/stations/" + station + "/summary").status,
                 200);
             ExpectNotFoundForB(Method::kGet, "/api/v1/stations/" + station + "/summary");
         }},
        {"forecourt.stations.staff",
         [this, station] {
             ApiResponse mine =
                 As(admin_a_, Method::kGet, "/api/v1/stations/" + station + "/staff");
             ASSERT_EQ(mine.status, 200) << mine.raw.body;
             ExpectNotFoundForB(Method::kGet, "/api/v1/stations/" + station + "/staff");
         }},
        {"forecourt.alerts.list",
         [this, station] {
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/alerts"), AlertOfA());
             ExpectNotFoundForB(Method::kGet, "/api/v1/alerts?station_id=" + station);
         }},
        {"forecourt.alerts.get",
         [this, station] { ExpectNotFoundForB(Method::kGet, "/api/v1/alerts/" + AlertOfA()); }},
        {"forecourt.alerts.acknowledge",
         [this, station] {
             ExpectNotFoundForB(Method::kPost, "/api/v1/alerts/" + AlertOfA() + "/acknowledge",
                                json::object());
             EXPECT_EQ(AlertStatusOfA(), "open");
         }},
        {"forecourt.alerts.resolve",
         [this, station] {
             ExpectNotFoundForManagerB(Method::kPost, "/api/v1/alerts/" + AlertOfA() + "/resolve",
                                       json::object());
             EXPECT_EQ(AlertStatusOfA(), "open");
         }},
        {"forecourt.alerts.evaluate",
         [this, station] {
             AlertOfA();
             ApiResponse named =
                 As(admin_b_, Method::kPost, "/api/v1/alerts/evaluate", {{"station_id", station}});
             EXPECT_EQ(named.status, 422) << named.raw.body;
             // B's sweep covers B's stations only: A's licence expiring changes nothing in A.
             auto expire = db::InTransaction(
                 *database_, {.tenant = tenant_a_}, [&](db::Transaction& tx) -> Result<void> {
                     OMC_TRY(tx.Execute({"test.expire_licence",
                                         "UPDATE stations SET npa_licence_expires_on = "
                                         "'2000-01-01' WHERE tenant_id = $1 AND id = $2"},
                                        {tenant_a_, station_a_}));
                     return Ok();
                 });
             ASSERT_TRUE(expire.ok());
             EXPECT_EQ(
                 As(admin_b_, Method::kPost, "/api/v1/alerts/evaluate", json::object()).status,
                 200);
             EXPECT_EQ(
                 As(admin_a_, Method::kGet, "/api/v1/alerts?kind=licence_expiry").data().size(),
                 0u);
         }},
        {"forecourt.transit_loss_claims.list",
         [this, station] {
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/transit-loss-claims"), DeliveryOfA());
             ExpectNotFoundForB(Method::kGet, "/api/v1/transit-loss-claims?station_id=" + station);
         }},
    };
}

std::map<std::string, std::function<void()>> TenantIsolationTest::PricingWindowCases() {
    const auto proposal_path = [this](const std::string& action) {
        return "/api/v1/pricing/proposals/" + proposal_a_ + action;
    };
    return {
        {"pricing.windows.list",
         [this] {
             EnsurePricingA();
             ApiResponse r =
                 As(admin_b_, Method::kGet, "/api/v1/pricing/windows?from=2024-01-01&count=1");
             ASSERT_EQ(r.status, 200) << r.raw.body;
             ExpectNoLeak(r, proposal_a_);
             EXPECT_EQ(r.data()[0]["status"], "open");
         }},
        {"pricing.windows.get",
         [this] {
             EnsurePricingA();
             ApiResponse r = As(admin_b_, Method::kGet, "/api/v1/pricing/windows/2024-01-1");
             ExpectNoLeak(r, proposal_a_);
             EXPECT_EQ(r.data()["floors"].size(), 0u);
         }},
        {"pricing.windows.submit",
         [this, proposal_path] {
             EnsurePricingA();
             EXPECT_EQ(
                 As(admin_b_, Method::kPost, "/api/v1/pricing/windows/2024-01-1/submit").status,
                 409);
             EXPECT_EQ(As(admin_a_, Method::kGet, proposal_path("")).data()["submitted_at"],
                       nullptr);
         }},
        {"pricing.windows.submission",
         [this] {
             EnsurePricingA();
             ApiResponse r = As(admin_b_, Method::kGet,
                                "/api/v1/pricing/windows/2024-01-1/submission?format=csv");
             EXPECT_EQ(r.status, 409);
             ExpectNoLeak(r, "15.55");
         }},
        {"pricing.windows.activate",
         [this] {
             EnsurePricingA();
             ApiResponse r = As(admin_b_, Method::kPost, "/api/v1/pricing/windows/activate");
             EXPECT_EQ(r.data()["activated"].size(), 0u);
             EXPECT_EQ(ProposalStatusOfA(), "approved");
         }},
        {"pricing.floors.list",
         [this] {
             EnsurePricingA();
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/pricing/floors"), floor_a_);
         }},
        {"pricing.floors.set",
         [this] {
             EnsurePricingA();
             ApiResponse r = As(admin_b_, Method::kPost, "/api/v1/pricing/floors",
                                {{"window", "2024-01-2"},
                                 {"product_id", fitted_a_.product},
                                 {"unit_price", "1.00"}});
             EXPECT_EQ(r.status, 422) << r.raw.body;
             EXPECT_EQ(CountRows(tenant_a_, "pricing_floors"), 1);
         }},
        {"pricing.proposals.list",
         [this] {
             EnsurePricingA();
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/pricing/proposals"), proposal_a_);
         }},
        {"pricing.proposals.create",
         [this] {
             EnsurePricingA();
             ApiResponse r = As(admin_b_, Method::kPost, "/api/v1/pricing/proposals",
                                {{"window", "2024-01-2"},
                                 {"lines", json::array({{{"product_id", fitted_a_.product},
                                                         {"zone_id", zone_a_},
                                                         {"unit_price", "15.00"}}})}});
             EXPECT_EQ(r.status, 422) << r.raw.body;
         }},
        {"pricing.proposals.get",
         [this, proposal_path] {
             EnsurePricingA();
             ExpectNotFoundForB(Method::kGet, proposal_path(""));
         }},
        {"pricing.proposals.approve",
         [this, proposal_path] {
             EnsurePricingA();
             ExpectNotFoundForB(Method::kPost, proposal_path("/approve"));
         }},
        {"pricing.proposals.reject",
         [this, proposal_path] {
             EnsurePricingA();
             ExpectNotFoundForB(Method::kPost, proposal_path("/reject"), {{"reason", "x"}});
             EXPECT_EQ(ProposalStatusOfA(), "approved");
         }},
        {"pricing.proposals.withdraw",
         [this, proposal_path] {
             EnsurePricingA();
             ExpectNotFoundForB(Method::kPost, proposal_path("/withdraw"), {{"reason", "x"}});
             EXPECT_EQ(ProposalStatusOfA(), "approved");
         }},
        {"pricing.proposals.schedule",
         [this, proposal_path] {
             EnsurePricingA();
             ExpectNotFoundForB(Method::kPost, proposal_path("/schedule"));
             EXPECT_EQ(ProposalStatusOfA(), "approved");
         }},
        {"pricing.zones.list",
         [this] {
             EnsurePricingA();
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/pricing/zones"), zone_a_);
         }},
        {"pricing.zones.get",
         [this] {
             EnsurePricingA();
             ExpectNotFoundForB(Method::kGet, "/api/v1/pricing/zones/" + zone_a_);
         }},
        {"pricing.zones.create",
         [this] {
             EnsurePricingA();
             ApiResponse r = As(admin_b_, Method::kPost, "/api/v1/pricing/zones",
                                {{"code", "ZA"},
                                 {"name", "Bravo zone"},
                                 {"station_ids", json::array({station_a_.ToString()})}});
             EXPECT_EQ(r.status, 422) << r.raw.body;
         }},
        {"pricing.zones.update",
         [this] {
             EnsurePricingA();
             ExpectNotFoundForB(Method::kPatch, "/api/v1/pricing/zones/" + zone_a_,
                                {{"name", "Taken"}});
             EXPECT_EQ(
                 As(admin_a_, Method::kGet, "/api/v1/pricing/zones/" + zone_a_).data()["name"],
                 "Alpha zone");
         }},
        {"pricing.holidays.list",
         [this] {
             EnsurePricingA();
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/pricing/holidays?year=2023"),
                          "Alpha's own holiday");
         }},
        {"pricing.holidays.add",
         [this] {
             EnsurePricingA();
             EXPECT_EQ(As(admin_b_, Method::kPost, "/api/v1/pricing/holidays",
                          {{"date", "2023-12-27"}, {"name", "Bravo's day"}})
                           .status,
                       201);
             ApiResponse a = As(admin_a_, Method::kGet,
                                "/api/v1/pricing/holidays?from=2023-12-27&to=2023-12-27");
             ASSERT_EQ(a.data().size(), 1u);
             EXPECT_EQ(a.data()[0]["name"], "Alpha's own holiday");
         }},
        {"pricing.holidays.remove",
         [this] {
             EnsurePricingA();
             As(admin_b_, Method::kDelete, "/api/v1/pricing/holidays/2023-12-27");
             ApiResponse a = As(admin_a_, Method::kGet,
                                "/api/v1/pricing/holidays?from=2023-12-27&to=2023-12-27");
             EXPECT_EQ(a.data().size(), 1u);
         }},
        {"pricing.history",
         [this] {
             ExpectNotFoundForB(Method::kGet,
                                "/api/v1/pricing/history?station_id=" + station_a_.ToString() +
                                    "&product_id=" + fitted_a_.product);
         }},
    };
}

std::map<std::string, std::function<void()>> TenantIsolationTest::PricingCases() {
    const std::string build_up_of_a =
        "/api/v1/pricing/build-up?date=2024-07-16&product=" + fitted_a_.product;
    return {
        {"pricing.build_up.get",
         [this, build_up_of_a] {
             ComponentOfA();
             EXPECT_EQ(As(admin_a_, Method::kGet, build_up_of_a).status, 200);
             ExpectNotFoundForB(Method::kGet, build_up_of_a);
         }},
        {"pricing.build_up.export",
         [this] {
             ComponentOfA();
             ApiResponse r =
                 As(admin_b_, Method::kGet, "/api/v1/pricing/build-up/export?date=2024-07-16");
             EXPECT_EQ(r.status, 200);
             ExpectNoLeak(r, "ALPHA_LEVY");
         }},
        {"pricing.build_up.import",
         [this] {
             ComponentOfA();
             http::Request request;
             request.method = Method::kPost;
             request.path = "/api/v1/pricing/build-up/import";
             request.body =
                 "product,component_code,name,kind,subtotal,position,amount,valid_from,"
                 "valid_to\r\n" +
                 fitted_a_.product +
                 ",ALPHA_LEVY,Taken over,levy,ex_depot,10,99.0000,2020-01-01,\r\n";
             request.headers.emplace_back("Content-Type", "text/csv");
             request.headers.emplace_back("Authorization", "Bearer " + admin_b_);
             request.client_address = client_address_;
             EXPECT_EQ(app_->router().Dispatch(request).status, 422);
             EXPECT_EQ(As(admin_a_, Method::kGet, "/api/v1/pricing/components").data().size(), 1u);
         }},
        {"pricing.components.list",
         [this] {
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/pricing/components"), ComponentOfA());
             ExpectNotFoundForB(Method::kGet,
                                "/api/v1/pricing/components?product=" + fitted_a_.product);
         }},
        {"pricing.components.get",
         [this] {
             ExpectNotFoundForB(Method::kGet, "/api/v1/pricing/components/" + ComponentOfA());
         }},
        {"pricing.components.create",
         [this] {
             ApiResponse r = As(admin_b_, Method::kPost, "/api/v1/pricing/components",
                                {{"product", fitted_a_.product},
                                 {"code", "BRAVO_LEVY"},
                                 {"name", "Bravo levy"},
                                 {"kind", "levy"},
                                 {"subtotal", "ex_depot"},
                                 {"position", 10},
                                 {"amount", "1.0000"},
                                 {"valid_from", "2024-07-16"}});
             EXPECT_EQ(r.status, 422) << r.raw.body;
         }},
        {"pricing.components.change",
         [this] {
             const std::string path = "/api/v1/pricing/components/" + ComponentOfA();
             ExpectNotFoundForB(Method::kPatch, path, {{"valid_to", "2024-07-20"}});
             EXPECT_EQ(As(admin_a_, Method::kGet, path).data()["valid_to"], nullptr);
         }},
    };
}

// Tax rates, quotes, the VAT return and the NPA returns (src/domains/tax, src/domains/reports).
std::map<std::string, std::function<void()>> TenantIsolationTest::ReportCases() {
    const std::string station = station_a_.ToString();
    const json rate{
        {"code", "TOURISM"}, {"name", "Alpha tourism levy"}, {"rate_bp", 100},
        {"base", "value"},   {"input_deductible", false},    {"valid_from", "2030-01-01"}};
    auto month = [this] { return FormatDate(clock_.NowUs()).substr(0, 7); };
    auto report_checks = [this, station, month](const std::string& path) {
        EnsureShiftAndSaleA();
        ExpectNotFoundForB(Method::kGet, path + "?month=" + month() + "&station=" + station);
        for (const char* format : {"json", "csv"}) {
            ApiResponse r =
                As(admin_b_, Method::kGet, path + "?month=" + month() + "&format=" + format);
            EXPECT_EQ(r.status, 200) << r.raw.body;
            ExpectNoLeak(r, station);
            ExpectNoLeak(r, "S-A1");
        }
    };
    return {
        {"tax.rates.list",
         [this, rate] {
             ASSERT_EQ(As(admin_a_, Method::kPost, "/api/v1/tax/rates", rate).status, 201);
             ApiResponse r = As(admin_b_, Method::kGet, "/api/v1/tax/rates");
             EXPECT_EQ(r.status, 200);
             ExpectNoLeak(r, "Alpha tourism levy");
         }},
        {"tax.rates.create",
         [this, rate] {
             // B's rate lands in B's table: A's rates stay as they were.
             const json before = As(admin_a_, Method::kGet, "/api/v1/tax/rates").data();
             json b_rate = rate;
             b_rate["name"] = "Bravo tourism levy";
             b_rate["valid_from"] = "2031-01-01";
             EXPECT_EQ(As(admin_b_, Method::kPost, "/api/v1/tax/rates", b_rate).status, 201);
             const ApiResponse after = As(admin_a_, Method::kGet, "/api/v1/tax/rates");
             EXPECT_EQ(after.data(), before);
             ExpectNoLeak(after, "Bravo tourism levy");
         }},
        {"tax.quote",
         [this] {
             ApiResponse r =
                 As(admin_b_, Method::kGet,
                    "/api/v1/tax/quote?amount=12.00&date=2026-01-05&product=" + fitted_a_.product);
             EXPECT_EQ(r.status, 400) << r.raw.body;
             EXPECT_EQ(r.ErrorField(), "product");
         }},
        {"tax.vat_return", [report_checks] { report_checks("/api/v1/tax/vat-return"); }},
        {"reports.npa_sales", [report_checks] { report_checks("/api/v1/reports/npa/sales"); }},
        {"reports.npa_stock", [report_checks] { report_checks("/api/v1/reports/npa/stock"); }},
    };
}

// UPPF routes, rates and freight claims (src/domains/uppf).
std::map<std::string, std::function<void()>> TenantIsolationTest::UppfCases() {
    const std::string station = station_a_.ToString();
    return {
        {"uppf.routes.list",
         [this, station] {
             EnsureUppfOfA();
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/uppf/routes"), uppf_route_a_);
             ExpectNotFoundForB(Method::kGet, "/api/v1/uppf/routes?station_id=" + station);
         }},
        {"uppf.routes.create",
         [this, station] {
             EnsureUppfOfA();
             ApiResponse r = As(admin_b_, Method::kPost, "/api/v1/uppf/routes",
                                {{"depot", "Kumasi"},
                                 {"station_id", station},
                                 {"distance_km", "10"},
                                 {"effective_from", "2023-10-01"}});
             EXPECT_EQ(r.status, 422) << r.raw.body;
             EXPECT_EQ(CountRows(tenant_a_, "uppf_routes"), 1);
             EXPECT_EQ(CountRows(tenant_b_, "uppf_routes"), 0);
         }},
        {"uppf.routes.get",
         [this, station] {
             EnsureUppfOfA();
             ExpectNotFoundForB(Method::kGet, "/api/v1/uppf/routes/" + uppf_route_a_);
         }},
        {"uppf.routes.update",
         [this, station] {
             EnsureUppfOfA();
             const std::string path = "/api/v1/uppf/routes/" + uppf_route_a_;
             ExpectNotFoundForB(Method::kPatch, path,
                                {{"distance_km", "1.0"}, {"effective_from", "2023-11-01"}});
             EXPECT_EQ(As(admin_a_, Method::kGet, path).data()["distances"].size(), 1u);
         }},
        {"uppf.rates.list",
         [this, station] {
             EnsureUppfOfA();
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/uppf/rates"), uppf_rate_a_);
         }},
        {"uppf.rates.create",
         [this, station] {
             EnsureUppfOfA();
             // The same date in B is B's own rate: no conflict with A's, and A's is unchanged.
             ApiResponse r = As(admin_b_, Method::kPost, "/api/v1/uppf/rates",
                                {{"effective_from", "2023-10-01"}, {"rate_per_litre_km", "0.5"}});
             EXPECT_EQ(r.status, 201) << r.raw.body;
             ApiResponse a = As(admin_a_, Method::kGet, "/api/v1/uppf/rates");
             ASSERT_EQ(a.data().size(), 1u);
             EXPECT_EQ(a.data()[0]["rate_per_litre_km"], "0.0017");
         }},
        {"uppf.claims.list",
         [this, station] {
             EnsureUppfOfA();
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/uppf/claims"), uppf_claim_a_);
         }},
        {"uppf.claims.create",
         [this, station] {
             EnsureUppfOfA();
             ApiResponse r =
                 As(admin_b_, Method::kPost, "/api/v1/uppf/claims", {{"period", "2023-11"}});
             EXPECT_EQ(r.status, 201) << r.raw.body;
             EXPECT_EQ(CountRows(tenant_a_, "uppf_claims"), 1);
         }},
        {"uppf.claims.get",
         [this, station] {
             EnsureUppfOfA();
             ExpectNotFoundForB(Method::kGet, "/api/v1/uppf/claims/" + uppf_claim_a_);
         }},
        {"uppf.claims.add_line",
         [this, station] {
             EnsureUppfOfA();
             const json body{{"delivery_id", DeliveryOfA()},
                             {"intended_station_id", station},
                             {"omc_order_no", "PO-B"},
                             {"omc_invoice_no", "INV-B"}};
             ExpectNotFoundForB(Method::kPost, "/api/v1/uppf/claims/" + uppf_claim_a_ + "/lines",
                                body);
             // A's delivery in B's own claim is no evidence B can use.
             ApiResponse claim_b =
                 As(admin_b_, Method::kPost, "/api/v1/uppf/claims", {{"period", "2023-12"}});
             ASSERT_EQ(claim_b.status, 201) << claim_b.raw.body;
             ApiResponse r = As(
                 admin_b_, Method::kPost,
                 "/api/v1/uppf/claims/" + claim_b.data()["id"].get<std::string>() + "/lines", body);
             EXPECT_EQ(r.status, 422) << r.raw.body;
             EXPECT_EQ(UppfClaimOfA()["line_count"], 1);
         }},
        {"uppf.claims.remove_line",
         [this, station] {
             EnsureUppfOfA();
             ExpectNotFoundForB(Method::kDelete,
                                "/api/v1/uppf/claims/" + uppf_claim_a_ + "/lines/" + uppf_line_a_);
             EXPECT_EQ(UppfClaimOfA()["line_count"], 1);
         }},
        {"uppf.claims.submit",
         [this, station] {
             EnsureUppfOfA();
             ExpectNotFoundForB(Method::kPost, "/api/v1/uppf/claims/" + uppf_claim_a_ + "/submit",
                                json::object());
             EXPECT_EQ(UppfClaimOfA()["status"], "draft");
         }},
        {"uppf.claims.settle",
         [this, station] {
             EnsureUppfOfA();
             ExpectNotFoundForB(
                 Method::kPost, "/api/v1/uppf/claims/" + uppf_claim_a_ + "/settlements",
                 {{"amount", "1.00"}, {"settled_on", "2023-11-14"}, {"reference", "X"}});
             EXPECT_EQ(CountRows(tenant_a_, "uppf_settlements"), 0);
         }},
        {"uppf.claims.export",
         [this, station] {
             EnsureUppfOfA();
             ExpectNotFoundForB(Method::kGet,
                                "/api/v1/uppf/claims/" + uppf_claim_a_ + "/export?format=csv");
         }},
    };
}

std::map<std::string, std::function<void()>> TenantIsolationTest::PaymentsCases() {
    return {
        {"payments.providers.list",
         [this] {
             EnsurePaymentsA();
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/payments/providers"), "alpha-momo");
         }},
        {"payments.providers.get",
         [this] {
             EnsurePaymentsA();
             ApiResponse r = As(admin_b_, Method::kGet, "/api/v1/payments/providers/mtn");
             if (r.status == 200)
                 ExpectNoLeak(r, "alpha-momo");
             else
                 EXPECT_EQ(r.status, 404) << r.raw.body;
         }},
        {"payments.providers.put",
         [this] {
             EnsurePaymentsA();
             ApiResponse r = As(admin_b_, Method::kPut, "/api/v1/payments/providers/mtn",
                                {{"base_url", "http://127.0.0.1:9/bravo-momo"},
                                 {"api_user", "bravo-user"},
                                 {"api_key", "bravo-secret"},
                                 {"subscription_key", "bravo-sub"}});
             EXPECT_TRUE(r.status == 200 || r.status == 201) << r.raw.body;
             EXPECT_EQ(
                 As(admin_a_, Method::kGet, "/api/v1/payments/providers/mtn").data()["base_url"],
                 "http://127.0.0.1:9/alpha-momo");
         }},
        {"payments.status",
         [this] {
             EnsurePaymentsA();
             ApiResponse r = As(admin_b_, Method::kGet, "/api/v1/payments/status");
             EXPECT_EQ(r.status, 200);
             EXPECT_EQ(
                 As(admin_a_, Method::kGet, "/api/v1/payments/status").data()["providers"].size(),
                 1u);
         }},
        {"payments.momo.request",
         [this] {
             EnsurePaymentsA();
             ApiResponse r = As(ManagerOfB(), Method::kPost, "/api/v1/payments/momo",
                                {{"id", ids_.NewV7().ToString()},
                                 {"station_id", station_a_.ToString()},
                                 {"nozzle_id", fitted_a_.nozzle},
                                 {"quantity", "5"},
                                 {"payer_msisdn", "233241234567"},
                                 {"provider", "mtn"}});
             EXPECT_EQ(r.status, 422) << r.raw.body;
             EXPECT_EQ(CountRows(tenant_a_, "payment_intents"), 1);
             EXPECT_EQ(CountRows(tenant_b_, "payment_intents"), 0);
         }},
        {"payments.momo.list",
         [this] {
             EnsurePaymentsA();
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/payments/momo"), momo_a_);
         }},
        {"payments.momo.get",
         [this] {
             EnsurePaymentsA();
             ExpectNotFoundForB(Method::kGet, "/api/v1/payments/momo/" + momo_a_);
         }},
        {"payments.reconciliations.run",
         [this] {
             EnsurePaymentsA();
             ApiResponse r = As(admin_b_, Method::kPost, "/api/v1/payments/reconciliations",
                                {{"provider", "mtn"},
                                 {"date", "2023-11-14"},
                                 {"statement_csv", "reference,amount,currency,status\n"}});
             EXPECT_EQ(r.status, 201) << r.raw.body;
             EXPECT_EQ(CountRows(tenant_a_, "payment_reconciliations"), 1);
             ExpectNoLeak(r, "alpha-ref-1");
         }},
        {"payments.reconciliations.list",
         [this] {
             EnsurePaymentsA();
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/payments/reconciliations"), recon_a_);
         }},
        {"payments.reconciliations.get",
         [this] {
             EnsurePaymentsA();
             ExpectNotFoundForB(Method::kGet, "/api/v1/payments/reconciliations/" + recon_a_);
             ExpectNotFoundForB(Method::kGet,
                                "/api/v1/payments/reconciliations/" + recon_a_ + "?format=csv");
         }},
    };
}

std::map<std::string, std::function<void()>> TenantIsolationTest::ArapCases() {
    auto customer = [this] { return "/api/v1/customers/" + arap_customer_a_; };
    auto supplier = [this] { return "/api/v1/suppliers/" + arap_supplier_a_; };
    // B reaching A's record by path is 404, and A's rows are unchanged.
    auto not_found = [this](Method method, std::function<std::string()> path, json body,
                            std::string table, int64_t rows) {
        return [this, method, path, body, table, rows] {
            EnsureArapOfA();
            ExpectNotFoundForB(method, path(), body);
            if (!table.empty()) {
                EXPECT_EQ(CountRows(tenant_a_, table), rows) << table;
            }
        };
    };
    auto no_leak = [this](std::string path, std::function<std::string()> needle) {
        return [this, path, needle] {
            EnsureArapOfA();
            ApiResponse r = As(admin_b_, Method::kGet, path);
            EXPECT_EQ(r.status, 200) << r.raw.body;
            ExpectNoLeak(r, needle());
        };
    };
    return {
        {"arap.customers.list", no_leak("/api/v1/customers", [this] { return arap_customer_a_; })},
        {"arap.customers.create",
         [this] {
             EnsureArapOfA();
             ApiResponse r = As(admin_b_, Method::kPost, "/api/v1/customers",
                                {{"code", "FLEET"},
                                 {"name", "Bravo fleet"},
                                 {"credit_limit", "1.00"},
                                 {"payment_terms_days", 0}});
             EXPECT_EQ(r.status, 201) << r.raw.body;  // B's own, beside A's of the same code
             EXPECT_EQ(CountRows(tenant_a_, "arap_customers"), 1);
         }},
        {"arap.customers.get", not_found(Method::kGet, customer, nullptr, "", 0)},
        {"arap.customers.update",
         [this, customer] {
             EnsureArapOfA();
             ExpectNotFoundForB(Method::kPatch, customer(), {{"credit_limit", "999999.00"}});
             EXPECT_EQ(As(admin_a_, Method::kGet, customer()).data()["credit_limit"], "5000.00");
         }},
        {"arap.vehicles.create", not_found(
                                     Method::kPost, [customer] { return customer() + "/vehicles"; },
                                     {{"registration", "GB 9"}}, "arap_vehicles", 1)},
        {"arap.vehicles.update",
         [this, customer] {
             EnsureArapOfA();
             ExpectNotFoundForB(Method::kPatch, customer() + "/vehicles/" + arap_vehicle_a_,
                                {{"active", false}});
             EXPECT_TRUE(As(admin_a_, Method::kGet, customer())
                             .data()["vehicles"][0]["active"]
                             .get<bool>());
         }},
        {"arap.drivers.create", not_found(
                                    Method::kPost, [customer] { return customer() + "/drivers"; },
                                    {{"name", "Intruder"}}, "arap_drivers", 1)},
        {"arap.invoices.create",
         not_found(
             Method::kPost, [customer] { return customer() + "/invoices"; },
             {{"from", "2023-11-01"}, {"to", "2023-11-02"}}, "arap_invoices", 1)},
        {"arap.invoices.list",
         not_found(
             Method::kGet, [customer] { return customer() + "/invoices"; }, nullptr, "", 0)},
        {"arap.invoices.get",
         not_found(
             Method::kGet, [this, customer] { return customer() + "/invoices/" + arap_invoice_a_; },
             nullptr, "", 0)},
        {"arap.customer_payments.create",
         not_found(
             Method::kPost, [customer] { return customer() + "/payments"; },
             {{"method", "bank"}, {"amount", "1.00"}}, "arap_customer_payments", 1)},
        {"arap.customer_payments.list",
         not_found(
             Method::kGet, [customer] { return customer() + "/payments"; }, nullptr, "", 0)},
        {"arap.customers.statement",
         not_found(
             Method::kGet, [customer] { return customer() + "/statement"; }, nullptr, "", 0)},
        {"arap.receivables.aging",
         no_leak("/api/v1/receivables/aging", [this] { return arap_customer_a_; })},
        {"arap.suppliers.list", no_leak("/api/v1/suppliers", [this] { return arap_supplier_a_; })},
        {"arap.suppliers.create",
         [this] {
             EnsureArapOfA();
             ApiResponse r = As(admin_b_, Method::kPost, "/api/v1/suppliers",
                                {{"code", "BDC1"}, {"kind", "bdc"}, {"name", "Bravo BDC"}});
             EXPECT_EQ(r.status, 201) << r.raw.body;
             EXPECT_EQ(CountRows(tenant_a_, "arap_suppliers"), 1);
         }},
        {"arap.suppliers.get", not_found(Method::kGet, supplier, nullptr, "", 0)},
        {"arap.purchase_orders.list",
         no_leak("/api/v1/purchase-orders", [this] { return arap_order_a_; })},
        {"arap.purchase_orders.create",
         [this] {
             EnsureArapOfA();
             ApiResponse r = As(admin_b_, Method::kPost, "/api/v1/purchase-orders",
                                {{"po_no", "PO-B"},
                                 {"supplier_id", arap_supplier_a_},
                                 {"depot", "Tema"},
                                 {"product_id", fitted_a_.product},
                                 {"quantity", "1"},
                                 {"unit_price", "1"}});
             EXPECT_EQ(r.status, 422) << r.raw.body;
             EXPECT_EQ(r.ErrorField(), "supplier_id");
             EXPECT_EQ(CountRows(tenant_a_, "arap_purchase_orders"), 1);
         }},
        {"arap.purchase_orders.get",
         not_found(
             Method::kGet, [this] { return "/api/v1/purchase-orders/" + arap_order_a_; }, nullptr,
             "", 0)},
        {"arap.supplier_invoices.create",
         not_found(
             Method::kPost, [supplier] { return supplier() + "/invoices"; },
             {{"invoice_no", "B-B"},
              {"purchase_order_id", "00000000-0000-7000-8000-000000000000"},
              {"quantity", "1"},
              {"unit_price", "1"},
              {"delivery_ids", json::array({"00000000-0000-7000-8000-000000000000"})}},
             "arap_supplier_invoices", 1)},
        {"arap.supplier_invoices.list",
         not_found(
             Method::kGet, [supplier] { return supplier() + "/invoices"; }, nullptr, "", 0)},
        {"arap.supplier_invoices.get",
         not_found(
             Method::kGet,
             [this, supplier] { return supplier() + "/invoices/" + arap_sinvoice_a_; }, nullptr, "",
             0)},
        {"arap.supplier_payments.create",
         not_found(
             Method::kPost, [supplier] { return supplier() + "/payments"; },
             {{"method", "bank"}, {"amount", "1.00"}}, "arap_supplier_payments", 0)},
        {"arap.supplier_payments.list",
         not_found(
             Method::kGet, [supplier] { return supplier() + "/payments"; }, nullptr, "", 0)},
        {"arap.suppliers.statement",
         not_found(
             Method::kGet, [supplier] { return supplier() + "/statement"; }, nullptr, "", 0)},
        {"arap.payables.aging",
         no_leak("/api/v1/payables/aging", [this] { return arap_supplier_a_; })},
        {"arap.payables.settings.get",
         [this] {
             EnsureArapOfA();
             ApiResponse r = As(admin_b_, Method::kGet, "/api/v1/payables/settings");
             EXPECT_EQ(r.status, 200) << r.raw.body;
             EXPECT_EQ(r.data()["quantity_tolerance_bp"], 50);  // the default, not A's 77
         }},
        {"arap.payables.settings.put",
         [this] {
             EnsureArapOfA();
             ASSERT_EQ(As(admin_b_, Method::kPut, "/api/v1/payables/settings",
                          {{"quantity_tolerance_bp", 1},
                           {"price_tolerance_bp", 1},
                           {"mismatch_action", "refuse"}})
                           .status,
                       200);
             EXPECT_EQ(As(admin_a_, Method::kGet, "/api/v1/payables/settings")
                           .data()["quantity_tolerance_bp"],
                       77);
         }},
    };
}

std::map<std::string, std::function<void()>> TenantIsolationTest::LedgerCases() {
    return {
        {"ledger.chart.list",
         [this] {
             EnsureLedgerA();
             ApiResponse r = As(admin_b_, Method::kGet, "/api/v1/ledger/chart");
             EXPECT_EQ(r.status, 200);
             ExpectNoLeak(r, "Alpha secret expense");
         }},
        {"ledger.chart.add",
         [this] {
             EnsureLedgerA();
             // B's own code of the same number is B's; A's line is untouched.
             ApiResponse r = As(admin_b_, Method::kPost, "/api/v1/ledger/chart",
                                {{"code", "5999"},
                                 {"name", "Bravo expense"},
                                 {"type", "expense"},
                                 {"report_group", "Operating expenses"}});
             EXPECT_EQ(r.status, 201) << r.raw.body;
             ExpectNoLeak(As(admin_a_, Method::kGet, "/api/v1/ledger/chart"), "Bravo expense");
         }},
        {"ledger.chart.update",
         [this] {
             EnsureLedgerA();
             ApiResponse r = As(admin_b_, Method::kPatch, "/api/v1/ledger/chart/5997",
                                {{"name", "Renamed by bravo"}});
             EXPECT_EQ(r.status, 404) << r.raw.body;
             ExpectNoLeak(As(admin_a_, Method::kGet, "/api/v1/ledger/chart"), "Renamed by bravo");
         }},
        {"ledger.accounts.list",
         [this] {
             EnsureLedgerA();
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/ledger/accounts"), ledger_bank_a_);
         }},
        {"ledger.accounts.create",
         [this] {
             EnsureLedgerA();
             ApiResponse r =
                 As(admin_b_, Method::kPost, "/api/v1/ledger/accounts", {{"code", "1020"}});
             EXPECT_EQ(r.status, 201) << r.raw.body;
             EXPECT_NE(r.data()["id"], ledger_bank_a_);
             EXPECT_EQ(r.data()["balance"], "0.00");
         }},
        {"ledger.accounts.get",
         [this] {
             EnsureLedgerA();
             ExpectNotFoundForB(Method::kGet, "/api/v1/ledger/accounts/" + ledger_bank_a_);
         }},
        {"ledger.accounts.statement",
         [this] {
             EnsureLedgerA();
             ExpectNotFoundForB(Method::kGet, "/api/v1/ledger/accounts/" + ledger_bank_a_ +
                                                  "/statement?from=2023-10-01&to=2023-10-31");
         }},
        {"ledger.transfers.create",
         [this] {
             EnsureLedgerA();
             ApiResponse r =
                 As(admin_b_, Method::kPost, "/api/v1/ledger/transfers",
                    {{"transfers", json::array({{{"id", ids_.NewV7().ToString()},
                                                 {"debit_account_id", ledger_bank_a_},
                                                 {"credit_account_id", ledger_equity_a_},
                                                 {"amount", "1.00"}}})}});
             EXPECT_EQ(r.status, 422) << r.raw.body;
             EXPECT_NE(r.raw.body.find("debit_account_not_found"), std::string::npos);
         }},
        {"ledger.transfers.list",
         [this] {
             EnsureLedgerA();
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/ledger/transfers"),
                          ledger_transfer_a_);
             ExpectNoLeak(As(admin_b_, Method::kGet,
                             "/api/v1/ledger/transfers?account_id=" + ledger_bank_a_),
                          ledger_transfer_a_);
         }},
        {"ledger.transfers.get",
         [this] {
             EnsureLedgerA();
             ExpectNotFoundForB(Method::kGet, "/api/v1/ledger/transfers/" + ledger_transfer_a_);
         }},
        {"ledger.entries.post",
         [this] {
             EnsureLedgerA();
             // B posting with A's entry id is B's own entry; A's is untouched.
             ApiResponse r = As(admin_b_, Method::kPost, "/api/v1/ledger/entries",
                                {{"id", ledger_entry_a_},
                                 {"booked_on", "2023-10-02"},
                                 {"memo", "Bravo"},
                                 {"lines", json::array({{{"code", "1020"}, {"debit", "1.00"}},
                                                        {{"code", "3000"}, {"credit", "1.00"}}})}});
             EXPECT_EQ(r.status, 201) << r.raw.body;
             ApiResponse a =
                 As(admin_a_, Method::kGet, "/api/v1/ledger/entries/" + ledger_entry_a_);
             EXPECT_EQ(a.data()["transfers"][0]["amount"], "777.77");
         }},
        {"ledger.entries.get",
         [this] {
             EnsureLedgerA();
             ApiResponse r =
                 As(admin_b_, Method::kGet, "/api/v1/ledger/entries/" + ledger_entry_a_);
             ExpectNoLeak(r, "777.77");
         }},
        {"ledger.entries.reverse",
         [this] {
             EnsureLedgerA();
             ApiResponse r = As(admin_b_, Method::kPost,
                                "/api/v1/ledger/entries/" + ledger_entry_a_ + "/reverse",
                                {{"booked_on", "2023-10-03"}, {"reason", "bravo"}});
             ExpectNoLeak(r, "777.77");
             ApiResponse a =
                 As(admin_a_, Method::kGet, "/api/v1/ledger/accounts/" + ledger_bank_a_);
             EXPECT_EQ(a.data()["balance"], "777.77");
         }},
        {"ledger.periods.list",
         [this] {
             EnsureLedgerA();
             ASSERT_EQ(As(admin_a_, Method::kPost, "/api/v1/ledger/periods/2023-09/close").status,
                       200);
             ExpectNoLeak(As(admin_b_, Method::kGet, "/api/v1/ledger/periods"), "2023-09");
         }},
        {"ledger.periods.close",
         [this] {
             EnsureLedgerA();
             ASSERT_EQ(As(admin_b_, Method::kPost, "/api/v1/ledger/periods/2023-08/close").status,
                       200);
             // A's August stays open: A still posts to it.
             EXPECT_EQ(As(admin_a_, Method::kPost, "/api/v1/ledger/entries",
                          {{"booked_on", "2023-08-02"},
                           {"memo", "Alpha August"},
                           {"lines", json::array({{{"code", "1020"}, {"debit", "1.00"}},
                                                  {{"code", "3000"}, {"credit", "1.00"}}})}})
                           .status,
                       201);
         }},
        {"ledger.periods.reopen",
         [this] {
             EnsureLedgerA();
             As(admin_a_, Method::kPost, "/api/v1/ledger/periods/2023-07/close");
             EXPECT_EQ(As(admin_b_, Method::kPost, "/api/v1/ledger/periods/2023-07/reopen",
                          {{"reason", "bravo"}})
                           .status,
                       409);
             ApiResponse a = As(admin_a_, Method::kGet, "/api/v1/ledger/periods");
             EXPECT_NE(
                 a.raw.body.find("\"2023-07\",\"reopened_reason\":null,\"status\":\"closed\""),
                 std::string::npos)
                 << a.raw.body;
         }},
        {"ledger.reports.trial_balance",
         [this] {
             EnsureLedgerA();
             ExpectNoLeak(As(admin_b_, Method::kGet,
                             "/api/v1/ledger/reports/trial-balance?as_of=2023-12-31"),
                          "777.77");
         }},
        {"ledger.reports.profit_and_loss",
         [this] {
             EnsureLedgerA();
             ExpectNoLeak(
                 As(admin_b_, Method::kGet,
                    "/api/v1/ledger/reports/profit-and-loss?from=2023-01-01&to=2023-12-31"),
                 "777.77");
         }},
        {"ledger.reports.balance_sheet",
         [this] {
             EnsureLedgerA();
             ExpectNoLeak(As(admin_b_, Method::kGet,
                             "/api/v1/ledger/reports/balance-sheet?as_of=2023-12-31"),
                          "777.77");
         }},
        {"ledger.reports.profit_by_station",
         [this] {
             EnsureLedgerA();
             ExpectNoLeak(
                 As(admin_b_, Method::kGet,
                    "/api/v1/ledger/reports/profit-by-station?from=2023-01-01&to=2023-12-31"),
                 station_a_.ToString());
         }},
        {"ledger.reports.profit_by_product",
         [this] {
             EnsureLedgerA();
             ExpectNoLeak(
                 As(admin_b_, Method::kGet,
                    "/api/v1/ledger/reports/profit-by-product?from=2023-01-01&to=2023-12-31"),
                 fitted_a_.product);
         }},
    };
}

// Webhook endpoints, deliveries and their attempts (src/domains/webhooks).
std::map<std::string, std::function<void()>> TenantIsolationTest::WebhookCases() {
    const std::string base = "/api/v1/webhooks/endpoints/";
    return {
        {"webhooks.endpoints.list",
         [this] {
             EnsureWebhooksOfA();
             ApiResponse r = As(admin_b_, Method::kGet, "/api/v1/webhooks/endpoints");
             EXPECT_EQ(r.status, 200);
             ExpectNoLeak(r, webhook_endpoint_a_);
             ExpectNoLeak(r, "alpha.example.com");
         }},
        {"webhooks.endpoints.create",
         [this] {
             EnsureWebhooksOfA();
             ApiResponse r =
                 As(admin_b_, Method::kPost, "/api/v1/webhooks/endpoints",
                    {{"url", "https://bravo.example.com/"}, {"event_types", json::array({"*"})}});
             EXPECT_EQ(r.status, 201) << r.raw.body;
             ExpectNoLeak(r, webhook_endpoint_a_);
             EXPECT_EQ(WebhookEndpointOfA()["url"], "https://alpha.example.com/hooks");
             EXPECT_EQ(CountRows(tenant_a_, "webhook_endpoints"), 1);
         }},
        {"webhooks.endpoints.get",
         [this, base] {
             EnsureWebhooksOfA();
             ExpectNotFoundForB(Method::kGet, base + webhook_endpoint_a_);
         }},
        {"webhooks.endpoints.update",
         [this, base] {
             EnsureWebhooksOfA();
             ExpectNotFoundForB(Method::kPatch, base + webhook_endpoint_a_,
                                {{"url", "https://evil.example.com/"}, {"enabled", false}});
             EXPECT_EQ(WebhookEndpointOfA()["url"], "https://alpha.example.com/hooks");
             EXPECT_TRUE(WebhookEndpointOfA()["enabled"].get<bool>());
         }},
        {"webhooks.endpoints.delete",
         [this, base] {
             EnsureWebhooksOfA();
             ExpectNotFoundForB(Method::kDelete, base + webhook_endpoint_a_);
             EXPECT_EQ(As(admin_a_, Method::kGet, base + webhook_endpoint_a_).status, 200);
         }},
        {"webhooks.endpoints.rotate_secret",
         [this, base] {
             EnsureWebhooksOfA();
             ExpectNotFoundForB(Method::kPost, base + webhook_endpoint_a_ + "/rotate-secret");
             EXPECT_EQ(WebhookEndpointOfA()["secrets"].size(), 1u);
         }},
        {"webhooks.endpoints.test",
         [this, base] {
             EnsureWebhooksOfA();
             ExpectNotFoundForB(Method::kPost, base + webhook_endpoint_a_ + "/test");
             EXPECT_EQ(CountRows(tenant_a_, "webhook_deliveries"), 1);
         }},
        {"webhooks.deliveries.list",
         [this, base] {
             EnsureWebhooksOfA();
             ExpectNotFoundForB(Method::kGet, base + webhook_endpoint_a_ + "/deliveries");
         }},
        {"webhooks.deliveries.redeliver_failed",
         [this, base] {
             EnsureWebhooksOfA();
             ExpectNotFoundForB(Method::kPost, base + webhook_endpoint_a_ + "/redeliver-failed",
                                {{"since", "2020-01-01T00:00:00Z"}});
         }},
        {"webhooks.deliveries.get",
         [this] {
             EnsureWebhooksOfA();
             ExpectNotFoundForB(Method::kGet, "/api/v1/webhooks/deliveries/" + webhook_delivery_a_);
         }},
        {"webhooks.deliveries.redeliver",
         [this] {
             EnsureWebhooksOfA();
             ExpectNotFoundForB(Method::kPost, "/api/v1/webhooks/deliveries/" +
                                                   webhook_delivery_a_ + "/redeliver");
             EXPECT_EQ(CountRows(tenant_a_, "webhook_deliveries", "status = 'pending'"), 1);
         }},
    };
}

TEST_F(TenantIsolationTest, EveryTenantOwnedRouteHasACaseAndKeepsTenantsApart) {
    auto cases = Cases();
    cases.merge(ForecourtCases());
    cases.merge(PricingWindowCases());
    cases.merge(PricingCases());
    cases.merge(ReportCases());
    cases.merge(UppfCases());
    cases.merge(PaymentsCases());
    cases.merge(ArapCases());
    cases.merge(LedgerCases());
    cases.merge(WebhookCases());
    cases.merge(PricingCases());
    cases.merge(ReportCases());
    std::vector<std::string> missing;
    for (const http::Route& route : app_->router().routes()) {
        if (!route.tenant_owned || route.auth != http::Auth::kAuthenticated) continue;
        if (!cases.count(route.name)) missing.push_back(route.name);
    }
    EXPECT_TRUE(missing.empty()) << "tenant-owned routes without an isolation case: "
                                 << ::testing::PrintToString(missing);
    for (const auto& [name, check] : cases) {
        SCOPED_TRACE(name);
        check();
    }
}

}  // namespace
}  // namespace omc::app
