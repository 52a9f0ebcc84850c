// MoMo sales end to end, on both engines, against the simulator as a real process
// (`omc momo-sim`): a request to pay, the callback (through a real HTTP server on the App's
// router) or the poller confirming it by GET, the sale recorded once through the forecourt's
// SalesService, every sandbox test number's outcome, the breaker on a dead provider, and the
// reconciliation of the simulator's statement.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "app/modules.hpp"
#include "domains/forecourt/forecourt_fixture.hpp"
#include "domains/payments/payments.hpp"
#include "platform/http/server.hpp"
#include "testing/momo_sim.hpp"
#include "testing/omc_server.hpp"

namespace omc::payments {
namespace {

using http::Method;
using nlohmann::json;
using omc::testing::ApiResponse;
using omc::testing::MomoSim;

constexpr int64_t kSecondUs = 1'000'000;

class MomoApiTest : public forecourt::testing::ForecourtApiTest {
  protected:
    void SetUp() override {
        // Real time: the simulator's statement is dated by its own clock.
        clock_.SetNowUs(SystemClock().NowUs());
        ForecourtApiTest::SetUp();
        admin_ = TokenFor("alpha-admin");
        std::tie(std::ignore, station_) = AddRegionAndStation(tenant_a_, "ACC1");
        f_ = FitOut(admin_, station_);
        AddUser(tenant_a_, "efua-manager", identity::Role::kStationManager, {station_});
        attendant_ = AddUser(tenant_a_, "kwame-attendant", identity::Role::kOperator, {station_});
        manager_ = TokenFor("efua-manager");
        operator_ = TokenFor("kwame-attendant");
        ApiResponse shift = As(
            manager_, Method::kPost, "/api/v1/shifts",
            {{"station_id", station_.ToString()},
             {"attendants",
              json::array({{{"pump_id", f_.pump}, {"attendant_id", attendant_.id.ToString()}}})},
             {"totalizers", json::array({{{"nozzle_id", f_.nozzle}, {"totalizer", "1000.000"}}})}});
        ASSERT_EQ(shift.status, 201) << shift.raw.body;
        for (const auto& task : app_->module_deps().background) {
            if (auto* b = dynamic_cast<app::Background<Poller>*>(task.get()))
                poller_ = &b->object();
        }
        ASSERT_NE(poller_, nullptr);
    }
    void TearDown() override {
        // The simulator first, so that no connection of its is open when the server stops.
        sim_.reset();
        if (server_) server_->Stop();
    }

    // The simulator, and the provider settings of tenant A pointing at it. With callbacks, the
    // App's router is served on a loopback port for the simulator to call back.
    void StartSim(testing::MomoSimOptions options, bool callbacks = true) {
        sim_ = std::make_unique<MomoSim>(options);
        ASSERT_TRUE(sim_->Start()) << sim_->Log();
        json settings = SimSettings(sim_->url());
        if (callbacks) {
            http::ServerOptions server_options;
            server_options.port = 0;
            server_ = std::make_unique<http::Server>(app_->router(), server_options);
            ASSERT_TRUE(server_->Start().ok());
            settings["callback_base_url"] = "http://127.0.0.1:" + std::to_string(server_->port());
        }
        ApiResponse put = As(admin_, Method::kPut, "/api/v1/payments/providers/mtn", settings);
        ASSERT_EQ(put.status, 201) << put.raw.body;
    }
    static json SimSettings(const std::string& base_url) {
        return {{"base_url", base_url},
                {"target_environment", "sandbox"},
                {"currency", "EUR"},
                {"api_user", MomoSim::kApiUser},
                {"api_key", MomoSim::kApiKey},
                {"subscription_key", MomoSim::kSubscriptionKey},
                {"statement_path", "/sim/v1_0/statement"},
                {"breaker_failures", 2},
                {"breaker_cooldown_ms", 1000}};
    }

    json MomoBody(const std::string& msisdn, const std::string& litres = "10.000") {
        return {{"id", ids_.NewV7().ToString()}, {"station_id", station_.ToString()},
                {"nozzle_id", f_.nozzle},        {"quantity", litres},
                {"payer_msisdn", msisdn},        {"provider", "mtn"}};
    }
    ApiResponse Request(const json& body) {
        return As(operator_, Method::kPost, "/api/v1/payments/momo", body);
    }
    json Intent(const std::string& id) {
        ApiResponse r = As(operator_, Method::kGet, "/api/v1/payments/momo/" + id);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return r.status == 200 ? r.data() : json();
    }
    // A poller pass `ahead_s` seconds on (every pending intent is due after a minute).
    int64_t Poll(int64_t ahead_s = 61) {
        clock_.AdvanceUs(ahead_s * kSecondUs);
        Result<int64_t> done = poller_->RunOnce(clock_.NowUs());
        EXPECT_TRUE(done.ok()) << done.error().message();
        return done.ok() ? *done : -1;
    }
    // Waits (at most 20 s of real time) until the intent leaves `pending`: the callback runs on
    // the server's threads.
    json AwaitFinal(const std::string& id) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        json intent = Intent(id);
        while (intent.value("status", "") == "pending" &&
               std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            intent = Intent(id);
        }
        return intent;
    }
    int64_t MomoSales() { return CountRows(tenant_a_, "sales", "payment_method = 'momo'"); }

    std::string admin_, manager_, operator_;
    Uuid station_;
    forecourt::testing::FittedStation f_;
    identity::User attendant_;
    Poller* poller_ = nullptr;
    std::unique_ptr<MomoSim> sim_;
    std::unique_ptr<http::Server> server_;
};

TEST_F(MomoApiTest, ASuccessfulPaymentRecordsOneSaleAndACallbackReplayIsRefused) {
    StartSim({.delay_ms = 0});
    ApiResponse r = Request(MomoBody("233241234567"));
    ASSERT_EQ(r.status, 202) << r.raw.body;
    EXPECT_EQ(r.data()["amount"], "149.50");  // 10 L at GH₵ 14.95, priced by the server
    EXPECT_EQ(r.data()["currency"], "EUR");
    const std::string id = r.data()["id"];
    const std::string sale_id = r.data()["sale_id"];
    const std::string reference = r.data()["reference"];
    EXPECT_TRUE(IsUuidV4(reference));
    // The simulator's callback, confirmed by GET, records the sale.
    const json done = AwaitFinal(id);
    ASSERT_EQ(done["status"], "successful") << done.dump();
    EXPECT_EQ(done["sale_state"], "recorded");
    EXPECT_EQ(done["callbacks"], 1);
    ApiResponse sale = As(admin_, Method::kGet, "/api/v1/transactions/" + sale_id);
    ASSERT_EQ(sale.status, 200) << sale.raw.body;
    EXPECT_EQ(sale.data()["payment_method"], "momo");
    EXPECT_EQ(sale.data()["payment_ref"], done["financial_transaction_id"]);
    EXPECT_EQ(sale.data()["amount"], "149.50");
    EXPECT_EQ(sale.data()["quantity"], "10.000");
    EXPECT_EQ(MomoSales(), 1);
    // The same callback again: 409, nothing counted twice; the poller finds nothing to do.
    const std::string path = "/api/v1/payments/callbacks/mtn/" + reference;
    ApiResponse replay = Call(Method::kPost, path, {{"status", "SUCCESSFUL"}});
    EXPECT_EQ(replay.status, 409) << replay.raw.body;
    EXPECT_EQ(Call(Method::kPut, path, {{"status", "SUCCESSFUL"}}).status, 409);
    EXPECT_EQ(Poll(), 0);
    EXPECT_EQ(MomoSales(), 1);
    EXPECT_EQ(CountRows(tenant_a_, "outbox_events", "type = 'payments.momo_succeeded'"), 1);
    // Tank book stock moved once.
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/tanks/" + f_.tank).data()["book_stock"], "-10.000");
}

TEST_F(MomoApiTest, ADroppedCallbackIsResolvedByPolling) {
    StartSim({.delay_ms = 0, .drop_callbacks = true}, /*callbacks=*/false);
    ApiResponse r = Request(MomoBody("233201112233", "4.000"));
    ASSERT_EQ(r.status, 202) << r.raw.body;
    EXPECT_EQ(r.data()["status"], "pending");
    EXPECT_EQ(r.data()["request_state"], "accepted");
    EXPECT_EQ(MomoSales(), 0);  // nothing is sold before the payer approves
    EXPECT_EQ(Poll(), 1);
    const json done = Intent(r.data()["id"]);
    EXPECT_EQ(done["status"], "successful");
    EXPECT_EQ(done["attempts"], 0);
    EXPECT_EQ(done["callbacks"], 0);
    EXPECT_EQ(MomoSales(), 1);
    EXPECT_EQ(CountRows(tenant_a_, "sales", "payment_method = 'momo' AND amount = 5980"), 1);
    EXPECT_EQ(Poll(), 0);
    EXPECT_EQ(MomoSales(), 1);
}

TEST_F(MomoApiTest, EachSandboxTestNumberHasItsOutcome) {
    StartSim({.delay_ms = 0, .drop_callbacks = true}, /*callbacks=*/false);
    const std::vector<std::pair<std::string, std::string>> failing = {
        {"46733123450", "INTERNAL_PROCESSING_ERROR"},
        {"46733123451", "APPROVAL_REJECTED"},
        {"46733123452", "EXPIRED"},
        {"46733123455", "PAYER_NOT_FOUND"},
        {"46733123456", "PAYEE_NOT_ALLOWED_TO_RECEIVE"},
        {"46733123457", "NOT_ALLOWED"},
        {"46733123458", "NOT_ALLOWED_TARGET_ENVIRONMENT"},
        {"46733123459", "INVALID_CALLBACK_URL_HOST"},
        {"46733123460", "INVALID_CURRENCY"},
        {"46733123461", "INTERNAL_PROCESSING_ERROR"},
        {"46733123462", "SERVICE_UNAVAILABLE"},
        {"46733123463", "COULD_NOT_PERFORM_TRANSACTION"},
        {"46733123464", "TRANSFER_TYPE_UNKNOWN"}};
    std::map<std::string, std::string> ids;
    for (const auto& [msisdn, reason] : failing) {
        ApiResponse r = Request(MomoBody(msisdn));
        ASSERT_EQ(r.status, 202) << r.raw.body;
        ids[msisdn] = r.data()["id"];
    }
    ApiResponse ongoing = Request(MomoBody("46733123453"));
    ApiResponse delayed = Request(MomoBody("46733123454"));
    ASSERT_EQ(ongoing.status, 202);
    ASSERT_EQ(delayed.status, 202);
    EXPECT_EQ(Poll(), static_cast<int64_t>(failing.size()) + 1);  // + the delayed success
    for (const auto& [msisdn, reason] : failing) {
        const json intent = Intent(ids[msisdn]);
        EXPECT_EQ(intent["status"], "failed") << msisdn;
        EXPECT_EQ(intent["reason"], reason) << msisdn;
        EXPECT_EQ(intent["sale_state"], "none") << msisdn;
    }
    EXPECT_EQ(Intent(delayed.data()["id"])["status"], "successful");
    EXPECT_EQ(MomoSales(), 1);
    // Ongoing stays PENDING at the provider; after the payer's 5 minutes (and a minute's grace)
    // it expires here, and no sale is made.
    EXPECT_EQ(Intent(ongoing.data()["id"])["status"], "pending");
    Poll(120);
    EXPECT_EQ(Intent(ongoing.data()["id"])["status"], "pending");
    for (int i = 0; i < 6; ++i) Poll(61);
    const json expired = Intent(ongoing.data()["id"]);
    EXPECT_EQ(expired["status"], "expired");
    EXPECT_EQ(expired["reason"], "EXPIRED");
    EXPECT_GE(expired["attempts"].get<int64_t>(), 2);
    EXPECT_EQ(MomoSales(), 1);
    // Sixteen requests and dozens of polls took one token: it is cached until expires_in (an
    // hour, less a minute's margin) runs out, and then fetched again.
    EXPECT_EQ(poller_->payments().tokens().fetched_total(), 1);
    clock_.AdvanceUs(3600 * kSecondUs);
    operator_ = TokenFor("kwame-attendant");  // ours expired too
    ASSERT_EQ(Request(MomoBody("233241234567")).status, 202);
    EXPECT_EQ(poller_->payments().tokens().fetched_total(), 2);
}

TEST_F(MomoApiTest, UnknownReferencesAre404AndBadRequestsNameTheirField) {
    StartSim({.delay_ms = 0, .drop_callbacks = true}, /*callbacks=*/false);
    const std::string unknown = NewUuidV4().ToString();
    EXPECT_EQ(
        Call(Method::kPost, "/api/v1/payments/callbacks/mtn/" + unknown, {{"status", "SUCCESSFUL"}})
            .status,
        404);
    EXPECT_EQ(Call(Method::kPut, "/api/v1/payments/callbacks/mtn/not-a-uuid", {{"x", 1}}).status,
              404);
    EXPECT_EQ(Call(Method::kPost, "/api/v1/payments/callbacks/nope/" + unknown, {{"x", 1}}).status,
              404);
    // A known reference under another provider's path is unknown too.
    ApiResponse r = Request(MomoBody("233241234567"));
    ASSERT_EQ(r.status, 202);
    EXPECT_EQ(Call(Method::kPost,
                   "/api/v1/payments/callbacks/telecel/" + r.data()["reference"].get<std::string>(),
                   {{"status", "SUCCESSFUL"}})
                  .status,
              404);
    // Bad input.
    json bad = MomoBody("12ab");
    ApiResponse refused = Request(bad);
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(refused.ErrorField(), "payer_msisdn");
    bad = MomoBody("233241234567");
    bad["provider"] = "telecel";  // not configured
    refused = Request(bad);
    EXPECT_EQ(refused.status, 422) << refused.raw.body;
    EXPECT_EQ(refused.ErrorField(), "provider");
    bad = MomoBody("233241234567");
    bad["payment_method"] = "cash";
    EXPECT_EQ(Request(bad).status, 400);
    // The same sale id again: the same intent (200); with other fields, 409 naming id.
    json body = MomoBody("233241234567");
    ApiResponse first = Request(body);
    ApiResponse again = Request(body);
    ASSERT_EQ(first.status, 202);
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.data()["id"], first.data()["id"]);
    body["quantity"] = "11.000";
    ApiResponse changed = Request(body);
    EXPECT_EQ(changed.status, 409);
    EXPECT_EQ(changed.ErrorField(), "id");
    EXPECT_EQ(CountRows(tenant_a_, "payment_intents"), 2);
}

TEST_F(MomoApiTest, ProviderSecretsAreNeverReturned) {
    StartSim({.delay_ms = 0}, /*callbacks=*/false);
    ApiResponse get = As(admin_, Method::kGet, "/api/v1/payments/providers/mtn");
    ASSERT_EQ(get.status, 200);
    EXPECT_EQ(get.data()["api_key_set"], true);
    EXPECT_EQ(get.data()["subscription_key_set"], true);
    for (const ApiResponse& r :
         {get, As(admin_, Method::kGet, "/api/v1/payments/providers"),
          As(admin_, Method::kPut, "/api/v1/payments/providers/mtn", {{"payer_timeout_s", 240}}),
          As(admin_, Method::kGet, "/api/v1/events"), As(admin_, Method::kGet, "/api/v1/audit")}) {
        EXPECT_EQ(r.raw.body.find(MomoSim::kApiKey), std::string::npos) << r.raw.body;
        EXPECT_EQ(r.raw.body.find(MomoSim::kSubscriptionKey), std::string::npos);
    }
    // A PUT without the secrets keeps them; MTN's paths are its API's.
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/payments/providers/mtn").data()["payer_timeout_s"],
              240);
    ApiResponse fixed =
        As(admin_, Method::kPut, "/api/v1/payments/providers/mtn", {{"request_path", "/pay"}});
    EXPECT_EQ(fixed.status, 400);
    EXPECT_EQ(fixed.ErrorField(), "request_path");
    // Telecel: configurable paths and header names, MTN-shaped by default.
    json telecel = SimSettings(sim_->url());
    telecel["subscription_header"] = "X-Api-Key";
    ApiResponse t = As(admin_, Method::kPut, "/api/v1/payments/providers/telecel", telecel);
    ASSERT_EQ(t.status, 201) << t.raw.body;
    EXPECT_EQ(t.data()["request_path"], "/collection/v1_0/requesttopay");
    EXPECT_EQ(t.data()["subscription_header"], "X-Api-Key");
    // Only the CompanyAdmin configures providers.
    EXPECT_EQ(As(manager_, Method::kGet, "/api/v1/payments/providers").status, 403);
}

TEST_F(MomoApiTest, TheBreakerOpensOnADeadProviderAndRecovers) {
    StartSim({.delay_ms = 0, .drop_callbacks = true}, /*callbacks=*/false);
    json dead = SimSettings("http://127.0.0.1:" + std::to_string(testing::FreeLoopbackPort()));
    ASSERT_EQ(As(admin_, Method::kPut, "/api/v1/payments/providers/mtn", dead).status, 200);
    // No answer: the intent stays pending, "sending" (the outcome is unknown).
    ApiResponse first = Request(MomoBody("233241234567"));
    ASSERT_EQ(first.status, 202) << first.raw.body;
    EXPECT_EQ(first.data()["request_state"], "sending");
    ApiResponse second = Request(MomoBody("233241234568"));
    ASSERT_EQ(second.status, 202);
    // Two consecutive failures opened it: a new request is refused at once, nothing written.
    ApiResponse refused = Request(MomoBody("233241234569"));
    EXPECT_EQ(refused.status, 503) << refused.raw.body;
    EXPECT_EQ(CountRows(tenant_a_, "payment_intents"), 2);
    ApiResponse status = As(admin_, Method::kGet, "/api/v1/payments/status");
    ASSERT_EQ(status.status, 200);
    EXPECT_EQ(status.data()["providers"][0]["breaker"], "open");
    ApiResponse metrics = Call(Method::kGet, "/metrics", nullptr);
    EXPECT_NE(metrics.raw.body.find("omc_payments_breakers_open 1"), std::string::npos);
    // While open the poller does not call; the provider comes back (settings pointed at the
    // simulator); after the cool-down the half-open probe goes through, finds the requests
    // unknown there (404), sends them under their references, and the breaker closes.
    EXPECT_EQ(Poll(0), 0);
    ASSERT_EQ(
        As(admin_, Method::kPut, "/api/v1/payments/providers/mtn", SimSettings(sim_->url())).status,
        200);
    EXPECT_EQ(Poll(2), 0);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/payments/status").data()["providers"][0]["breaker"],
              "closed");
    EXPECT_EQ(Intent(first.data()["id"])["request_state"], "accepted");
    EXPECT_EQ(Poll(), 2);
    EXPECT_EQ(Intent(first.data()["id"])["status"], "successful");
    EXPECT_EQ(Intent(second.data()["id"])["status"], "successful");
    EXPECT_EQ(MomoSales(), 2);
}

TEST_F(MomoApiTest, TheReconciliationFindsAPlantedMismatch) {
    StartSim({.delay_ms = 0, .drop_callbacks = true}, /*callbacks=*/false);
    ApiResponse paid = Request(MomoBody("233241234567"));
    ASSERT_EQ(paid.status, 202);
    ASSERT_EQ(Poll(), 1);
    // Planted: a payment the provider took that no sale knows (sent straight to the provider).
    ProviderSettings settings = DefaultSettings(ProviderKind::kMtn);
    settings.base_url = sim_->url();
    settings.api_user = MomoSim::kApiUser;
    settings.api_key = MomoSim::kApiKey;
    settings.subscription_key = MomoSim::kSubscriptionKey;
    TokenCache tokens;
    CollectionProvider direct(settings, clock_, tokens, "test");
    const Uuid planted = NewUuidV4();
    ASSERT_TRUE(direct
                    .RequestToPay({.reference = planted,
                                   .amount_pesewas = 2500,
                                   .currency = "EUR",
                                   .external_id = "stray",
                                   .payer_msisdn = "233209998877"})
                    .ok());
    ASSERT_EQ(direct.GetStatus(planted)->status, PayStatus::kSuccessful);
    const std::string today = FormatDate(clock_.NowUs());
    ApiResponse run = As(admin_, Method::kPost, "/api/v1/payments/reconciliations",
                         {{"provider", "mtn"}, {"date", today}});
    ASSERT_EQ(run.status, 201) << run.raw.body;
    EXPECT_EQ(run.data()["source"], "provider");
    EXPECT_EQ(run.data()["statement_lines"], 2);
    EXPECT_EQ(run.data()["matched"], 1);
    EXPECT_EQ(run.data()["mismatches"], 1);
    EXPECT_EQ(run.data()["statement_amount"], "174.50");
    EXPECT_EQ(run.data()["sales_amount"], "149.50");
    ASSERT_EQ(run.data()["items"].size(), 1u);
    EXPECT_EQ(run.data()["items"][0]["kind"], "missing_sale");
    EXPECT_EQ(run.data()["items"][0]["reference"], planted.ToString());
    EXPECT_EQ(run.data()["items"][0]["statement_amount"], "25.00");
    // An uploaded statement where our sale's line shows another amount, and nothing else.
    const std::string reference = paid.data()["reference"];
    const std::string csv =
        "reference,financial_transaction_id,external_id,amount,currency,status,completed_at\r\n" +
        reference + ",1,x,140.00,EUR,SUCCESSFUL,\r\n";
    ApiResponse upload = As(admin_, Method::kPost, "/api/v1/payments/reconciliations",
                            {{"provider", "mtn"}, {"date", today}, {"statement_csv", csv}});
    ASSERT_EQ(upload.status, 201) << upload.raw.body;
    EXPECT_EQ(upload.data()["source"], "upload");
    ASSERT_EQ(upload.data()["items"].size(), 1u);
    EXPECT_EQ(upload.data()["items"][0]["kind"], "amount_differs");
    EXPECT_EQ(upload.data()["items"][0]["sale_amount"], "149.50");
    // An empty statement: our sale has no line.
    ApiResponse empty = As(
        admin_, Method::kPost, "/api/v1/payments/reconciliations",
        {{"provider", "mtn"},
         {"date", today},
         {"statement_csv",
          "reference,financial_transaction_id,external_id,amount,currency,status,completed_at\n"}});
    ASSERT_EQ(empty.status, 201);
    EXPECT_EQ(empty.data()["items"][0]["kind"], "missing_statement");
    // A bad line names its row and column; nothing is stored.
    ApiResponse bad = As(admin_, Method::kPost, "/api/v1/payments/reconciliations",
                         {{"provider", "mtn"},
                          {"date", today},
                          {"statement_csv",
                           "reference,amount,currency,status\nr1,abc,EUR,"
                           "SUCCESSFUL\n"}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.raw.body.find("row 2, column amount"), std::string::npos) << bad.raw.body;
    EXPECT_EQ(CountRows(tenant_a_, "payment_reconciliations"), 3);
    // Stored, readable and exportable.
    const std::string path =
        "/api/v1/payments/reconciliations/" + run.data()["id"].get<std::string>();
    EXPECT_EQ(As(admin_, Method::kGet, path).data()["items"][0]["kind"], "missing_sale");
    ApiResponse csv_export = As(admin_, Method::kGet, path + "?format=csv");
    ASSERT_EQ(csv_export.status, 200);
    EXPECT_NE(csv_export.raw.body.find("missing_sale"), std::string::npos);
    EXPECT_NE(csv_export.raw.body.find("25.00"), std::string::npos);
    EXPECT_EQ(As(admin_, Method::kGet, path + "?format=xlsx").status, 200);
    EXPECT_EQ(As(admin_, Method::kGet, path + "?format=pdf").status, 200);
    ApiResponse list = As(admin_, Method::kGet, "/api/v1/payments/reconciliations?date=" + today);
    EXPECT_EQ(list.data().size(), 3u);
}

}  // namespace
}  // namespace omc::payments
