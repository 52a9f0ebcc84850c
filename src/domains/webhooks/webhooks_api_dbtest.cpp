// The webhooks module end to end on both engines: routes through Router::Dispatch, the outbox
// relay and the dispatcher stepped by hand on the fake clock, and a real receiver process on
// loopback (omc_webhook_receiver) that verifies every signature with VerifySignature.
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "domains/forecourt/forecourt_fixture.hpp"
#include "domains/webhooks/dispatcher.hpp"
#include "domains/webhooks/signature.hpp"
#include "testing/omc_server.hpp"
#include "testing/webhook_receiver.hpp"

namespace omc::webhooks {
namespace {

using http::Method;
using nlohmann::json;
using testing::ApiResponse;
using testing::WebhookReceiver;

constexpr int64_t kSecondUs = 1'000'000;

class WebhooksApiTest : public forecourt::testing::ForecourtApiTest {
  protected:
    void SetUp() override {
        ForecourtApiTest::SetUp();
        ASSERT_TRUE(receiver_.Start({})) << receiver_.Log();
        SyncReceiverClock();
    }

    // The receiver verifies timestamps against the test's fake clock.
    void SyncReceiverClock() {
        ASSERT_TRUE(receiver_.Tell({{"now_s", clock_.NowUs() / kSecondUs}}));
    }
    void ReceiverSecrets(const std::vector<std::string>& secrets) {
        ASSERT_TRUE(receiver_.Tell({{"secrets", secrets}}));
    }

    // Creates an endpoint at the receiver's `path`; returns its JSON (with "secret").
    json MakeEndpoint(const std::string& path, const json& types) {
        ApiResponse r = As(Admin(), Method::kPost, "/api/v1/webhooks/endpoints",
                           {{"url", receiver_.url(path)},
                            {"description", "receiver " + path},
                            {"event_types", types}});
        EXPECT_EQ(r.status, 201) << r.raw.body;
        return r.status == 201 ? r.data() : json::object();
    }
    std::string Dealer(const std::string& code) {
        ApiResponse r = As(Admin(), Method::kPost, "/api/v1/dealers",
                           {{"code", code}, {"name", "Dealer " + code}});
        EXPECT_EQ(r.status, 201) << r.raw.body;
        return r.status == 201 ? r.data()["id"].get<std::string>() : "";
    }
    // One relay step (events get their cursors) and one dispatcher step.
    DispatchStep Dispatch() {
        EXPECT_TRUE(app_->relay().RunOnce().ok());
        SyncReceiverClock();
        auto step = app_->webhook_dispatcher()->RunOnce();
        EXPECT_TRUE(step.ok()) << step.error().message() << " " << step.error().detail();
        return step.ok() ? *step : DispatchStep{};
    }
    json Deliveries(const std::string& endpoint, const std::string& query = "") {
        ApiResponse r = As(Admin(), Method::kGet,
                           "/api/v1/webhooks/endpoints/" + endpoint + "/deliveries" + query);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return r.status == 200 ? r.data() : json::array();
    }
    json Delivery(const std::string& id) {
        ApiResponse r = As(Admin(), Method::kGet, "/api/v1/webhooks/deliveries/" + id);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return r.status == 200 ? r.data() : json::object();
    }
    json Endpoint(const std::string& id) {
        ApiResponse r = As(Admin(), Method::kGet, "/api/v1/webhooks/endpoints/" + id);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return r.status == 200 ? r.data() : json::object();
    }
    std::vector<json> ReceivedAt(const std::string& path) {
        std::vector<json> out;
        for (json& j : receiver_.Received()) {
            if (j["path"] == path) out.push_back(std::move(j));
        }
        return out;
    }

    // The CompanyAdmin's token, signed in again once the fake clock has moved past its life.
    std::string Admin() {
        if (admin_.empty() || clock_.NowUs() - admin_at_us_ > 10 * 60 * kSecondUs) {
            admin_ = TokenFor("alpha-admin");
            admin_at_us_ = clock_.NowUs();
        }
        return admin_;
    }

    std::string admin_;
    TimestampUs admin_at_us_ = 0;
    WebhookReceiver receiver_;
};

TEST_F(WebhooksApiTest, DeliversSubscribedEventsSignedAndTheReceiverVerifiesThem) {
    const json endpoint = MakeEndpoint("/dealers", {"org.dealer_created"});
    const std::string secret = endpoint["secret"];
    EXPECT_EQ(secret.rfind("whsec_", 0), 0u);
    ReceiverSecrets({secret});
    const json other = MakeEndpoint("/regions", {"org.region_created"});
    const std::string dealer = Dealer("D-1");

    const DispatchStep step = Dispatch();
    EXPECT_EQ(step.fanned_out, 1);
    EXPECT_EQ(step.attempts, 1);
    EXPECT_EQ(step.delivered, 1);
    const std::vector<json> got = ReceivedAt("/dealers");
    ASSERT_EQ(got.size(), 1u) << receiver_.Log();
    EXPECT_TRUE(got[0]["verified"].get<bool>()) << got[0].dump();
    EXPECT_EQ(got[0]["content_type"], "application/json");
    EXPECT_EQ(got[0]["timestamp"], std::to_string(clock_.NowUs() / kSecondUs));
    const json body = json::parse(got[0]["body"].get<std::string>());
    EXPECT_EQ(body["type"], "org.dealer_created");
    EXPECT_EQ(body["data"]["aggregate_id"], dealer);
    EXPECT_EQ(body["data"]["payload"]["code"], "D-1");
    // webhook-id is the outbox event's id.
    EXPECT_EQ(got[0]["webhook_id"], body["data"]["event_id"]);
    EXPECT_EQ(CountRows(tenant_a_, "outbox_events",
                        "type = 'org.dealer_created' AND id = '" +
                            got[0]["webhook_id"].get<std::string>() + "'"),
              1);
    EXPECT_TRUE(ReceivedAt("/regions").empty());
    EXPECT_TRUE(Deliveries(other["id"]).empty());

    const json list = Deliveries(endpoint["id"]);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["status"], "delivered");
    EXPECT_EQ(list[0]["event_id"], got[0]["webhook_id"]);
    const json one = Delivery(list[0]["id"]);
    ASSERT_EQ(one["attempt_log"].size(), 1u);
    EXPECT_EQ(one["attempt_log"][0]["status_code"], 200);
    EXPECT_EQ(one["attempt_log"][0]["response_body"], R"({"received":true})");
    EXPECT_TRUE(Deliveries(endpoint["id"], "?status=pending").empty());
    EXPECT_EQ(Deliveries(endpoint["id"], "?status=delivered").size(), 1u);

    const std::string metrics = app_->metrics().RenderPrometheus();
    EXPECT_NE(metrics.find(R"(omc_webhook_attempts_total{outcome="delivered"} 1)"),
              std::string::npos)
        << metrics;

    // A second step sends nothing again.
    const DispatchStep again = Dispatch();
    EXPECT_EQ(again.fanned_out, 0);
    EXPECT_EQ(again.attempts, 0);
    EXPECT_EQ(ReceivedAt("/dealers").size(), 1u);
}

TEST_F(WebhooksApiTest, SecretsAreShownOnceAndStoredSealed) {
    const json endpoint = MakeEndpoint("/x", {"*"});
    const std::string secret = endpoint["secret"];
    const std::string key = secret.substr(6);
    ApiResponse get = As(Admin(), Method::kGet,
                         "/api/v1/webhooks/endpoints/" + endpoint["id"].get<std::string>());
    EXPECT_EQ(get.raw.body.find(key), std::string::npos);
    EXPECT_FALSE(get.data().contains("secret"));
    ASSERT_EQ(get.data()["secrets"].size(), 1u);
    EXPECT_TRUE(get.data()["secrets"][0]["primary"].get<bool>());
    EXPECT_EQ(As(Admin(), Method::kGet, "/api/v1/webhooks/endpoints").raw.body.find(key),
              std::string::npos);
    EXPECT_EQ(CountRows(tenant_a_, "webhook_secrets", "sealed LIKE '%" + key + "%'"), 0);
    EXPECT_EQ(CountRows(tenant_a_, "webhook_secrets"), 1);
    EXPECT_EQ(CountRows(tenant_a_, "outbox_events", "payload LIKE '%" + key + "%'"), 0);
    EXPECT_EQ(CountRows(tenant_a_, "audit_log", "summary LIKE '%" + key + "%'"), 0);
    EXPECT_EQ(CountRows(tenant_a_, "audit_log", "action = 'webhooks.endpoints.create'"), 1);
    EXPECT_EQ(CountRows(tenant_a_, "outbox_events", "type = 'webhooks.endpoint_created'"), 1);
    // An Auditor reads endpoints but may not change them.
    AddUser(tenant_a_, "alpha-auditor", identity::Role::kAuditor);
    const std::string auditor = TokenFor("alpha-auditor");
    EXPECT_EQ(As(auditor, Method::kGet, "/api/v1/webhooks/endpoints").status, 200);
    EXPECT_EQ(As(auditor, Method::kPost, "/api/v1/webhooks/endpoints",
                 {{"url", "https://e.com/"}, {"event_types", {"*"}}})
                  .status,
              403);
}

TEST_F(WebhooksApiTest, RetriesAfterA500ThenDelivers) {
    const json endpoint = MakeEndpoint("/flaky", {"org.dealer_created"});
    ReceiverSecrets({endpoint["secret"]});
    ASSERT_TRUE(receiver_.Tell({{"path", "/flaky"}, {"answer", 500}, {"times", 1}}));
    Dealer("D-2");
    const TimestampUs first = clock_.NowUs();
    DispatchStep step = Dispatch();
    EXPECT_EQ(step.attempts, 1);
    EXPECT_EQ(step.retrying, 1);
    json list = Deliveries(endpoint["id"], "?status=pending");
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["last_status_code"], 500);
    EXPECT_EQ(list[0]["last_error"], "HTTP 500");
    EXPECT_EQ(list[0]["attempts"], 1);
    const TimestampUs next = *ParseTimestamp(list[0]["next_attempt_at"].get<std::string>());
    // 5 s ± 20%.
    EXPECT_GE(next - first, 4 * kSecondUs);
    EXPECT_LE(next - first, 6 * kSecondUs);
    // Not due yet: nothing is sent.
    EXPECT_EQ(Dispatch().attempts, 0);
    clock_.SetNowUs(next);
    step = Dispatch();
    EXPECT_EQ(step.delivered, 1);
    const std::vector<json> got = ReceivedAt("/flaky");
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0]["webhook_id"], got[1]["webhook_id"]);  // stable across retries
    EXPECT_NE(got[0]["timestamp"], got[1]["timestamp"]);    // the time of each attempt
    EXPECT_TRUE(got[1]["verified"].get<bool>());
    const json one = Delivery(list[0]["id"]);
    EXPECT_EQ(one["status"], "delivered");
    ASSERT_EQ(one["attempt_log"].size(), 2u);
    EXPECT_EQ(one["attempt_log"][0]["status_code"], 500);
    EXPECT_EQ(one["attempt_log"][0]["error"], "HTTP 500");
    EXPECT_EQ(one["attempt_log"][1]["status_code"], 200);
    EXPECT_EQ(one["first_attempt_at"], FormatTimestamp(first));
}

TEST_F(WebhooksApiTest, GoneDisablesTheEndpointAndKeepsItsDeliveriesHeld) {
    const json endpoint = MakeEndpoint("/gone", {"org.dealer_created"});
    const std::string id = endpoint["id"];
    ReceiverSecrets({endpoint["secret"]});
    ASSERT_TRUE(receiver_.Tell({{"path", "/gone"}, {"answer", 410}}));
    Dealer("D-3");
    Dealer("D-4");
    const DispatchStep step = Dispatch();
    EXPECT_EQ(step.fanned_out, 2);
    EXPECT_EQ(step.attempts, 1);  // the second is not sent once the endpoint is gone
    EXPECT_EQ(step.disabled, 1);
    EXPECT_EQ(ReceivedAt("/gone").size(), 1u);
    const json e = Endpoint(id);
    EXPECT_FALSE(e["enabled"].get<bool>());
    EXPECT_EQ(e["disabled_reason"], "disabled: endpoint answered 410 Gone");
    const json pending = Deliveries(id, "?status=pending");
    ASSERT_EQ(pending.size(), 2u);
    for (const json& d : pending)
        EXPECT_EQ(d["held_reason"], "disabled: endpoint answered 410 Gone");
    EXPECT_EQ(CountRows(tenant_a_, "outbox_events", "type = 'webhooks.endpoint_disabled'"), 1);
    // New events are not fanned out to a disabled endpoint, and nothing is sent.
    Dealer("D-5");
    const DispatchStep later = Dispatch();
    EXPECT_EQ(later.fanned_out, 0);
    EXPECT_EQ(later.attempts, 0);
    // Enabled again, the held deliveries go out.
    ASSERT_TRUE(receiver_.Tell({{"path", "/gone"}, {"answer", 200}}));
    ApiResponse enable =
        As(Admin(), Method::kPatch, "/api/v1/webhooks/endpoints/" + id, {{"enabled", true}});
    ASSERT_EQ(enable.status, 200) << enable.raw.body;
    EXPECT_TRUE(enable.data()["disabled_reason"].is_null());
    const DispatchStep resumed = Dispatch();
    EXPECT_EQ(resumed.delivered, 2);
    EXPECT_EQ(Deliveries(id, "?status=delivered").size(), 2u);
}

TEST_F(WebhooksApiTest, DeadLettersThreeDaysAfterTheFirstAttemptThenRedeliversByHand) {
    const json endpoint = MakeEndpoint("/down", {"org.dealer_created"});
    const std::string id = endpoint["id"];
    ReceiverSecrets({endpoint["secret"]});
    ASSERT_TRUE(receiver_.Tell({{"path", "/down"}, {"answer", 503}}));
    Dealer("D-6");
    const TimestampUs first = clock_.NowUs();
    int attempts = 0;
    std::string delivery;
    for (int guard = 0; guard < 20; ++guard) {
        const DispatchStep step = Dispatch();
        attempts += static_cast<int>(step.attempts);
        const json list = Deliveries(id);
        ASSERT_EQ(list.size(), 1u);
        delivery = list[0]["id"];
        if (list[0]["status"] != "pending") break;
        clock_.SetNowUs(*ParseTimestamp(list[0]["next_attempt_at"].get<std::string>()));
    }
    const json dead = Delivery(delivery);
    EXPECT_EQ(dead["status"], "failed");
    EXPECT_EQ(dead["last_status_code"], 503);
    // Nine attempts span the schedule to ~52 h (±20%); the tenth or eleventh is at the cut-off.
    EXPECT_GE(attempts, 10);
    EXPECT_LE(attempts, 11);
    EXPECT_EQ(dead["attempts"], attempts);
    EXPECT_EQ(dead["last_attempt_at"], FormatTimestamp(first + 72 * 3600 * kSecondUs));
    const json& log = dead["attempt_log"];
    ASSERT_EQ(log.size(), static_cast<size_t>(attempts));
    // Each gap is the schedule's delay ± 20% (the last may be cut short by the cut-off).
    const int64_t schedule_s[] = {5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400};
    for (size_t i = 1; i + 1 < log.size(); ++i) {
        const int64_t gap = *ParseTimestamp(log[i]["attempted_at"].get<std::string>()) -
                            *ParseTimestamp(log[i - 1]["attempted_at"].get<std::string>());
        const int64_t base = schedule_s[std::min<size_t>(i - 1, 8)] * kSecondUs;
        EXPECT_GE(gap, base * 8 / 10) << i;
        EXPECT_LE(gap, base * 12 / 10) << i;
    }
    EXPECT_EQ(ReceivedAt("/down").size(), static_cast<size_t>(attempts));
    EXPECT_EQ(Deliveries(id, "?status=dead").size(), 1u);
    EXPECT_EQ(Dispatch().attempts, 0);

    // Redelivery of every dead one since a time: none after now, this one since the start.
    ASSERT_TRUE(receiver_.Tell({{"path", "/down"}, {"answer", 200}}));
    const std::string base = "/api/v1/webhooks/endpoints/" + id + "/redeliver-failed";
    ApiResponse none =
        As(Admin(), Method::kPost, base, {{"since", FormatTimestamp(clock_.NowUs())}});
    ASSERT_EQ(none.status, 202) << none.raw.body;
    EXPECT_EQ(none.data()["requeued"], 0);
    ApiResponse all = As(Admin(), Method::kPost, base, {{"since", FormatTimestamp(first)}});
    ASSERT_EQ(all.status, 202) << all.raw.body;
    EXPECT_EQ(all.data()["requeued"], 1);
    EXPECT_EQ(Dispatch().delivered, 1);
    const json delivered = Delivery(delivery);
    EXPECT_EQ(delivered["status"], "delivered");
    EXPECT_EQ(delivered["attempt_log"].size(), static_cast<size_t>(attempts + 1));

    // One delivery by hand: the same webhook-id again, verified.
    ApiResponse again =
        As(Admin(), Method::kPost, "/api/v1/webhooks/deliveries/" + delivery + "/redeliver");
    ASSERT_EQ(again.status, 202) << again.raw.body;
    EXPECT_EQ(again.data()["status"], "pending");
    ApiResponse twice =
        As(Admin(), Method::kPost, "/api/v1/webhooks/deliveries/" + delivery + "/redeliver");
    EXPECT_EQ(twice.status, 409) << twice.raw.body;
    EXPECT_EQ(Dispatch().delivered, 1);
    const std::vector<json> got = ReceivedAt("/down");
    ASSERT_EQ(got.size(), static_cast<size_t>(attempts + 2));
    EXPECT_EQ(got.back()["webhook_id"], got.front()["webhook_id"]);
    EXPECT_TRUE(got.back()["verified"].get<bool>());
    EXPECT_EQ(CountRows(tenant_a_, "audit_log", "action = 'webhooks.deliveries.redeliver'"), 1);
}

TEST_F(WebhooksApiTest, RotationSignsWithBothSecretsUntilTheOldOneExpires) {
    const json endpoint = MakeEndpoint("/rotating", {"org.dealer_created"});
    const std::string id = endpoint["id"];
    const std::string old_secret = endpoint["secret"];
    ReceiverSecrets({old_secret});  // the receiver has not heard of the rotation yet
    ApiResponse rotated =
        As(Admin(), Method::kPost, "/api/v1/webhooks/endpoints/" + id + "/rotate-secret");
    ASSERT_EQ(rotated.status, 200) << rotated.raw.body;
    const std::string new_secret = rotated.data()["secret"];
    EXPECT_NE(new_secret, old_secret);
    const json& secrets = rotated.data()["secrets"];
    ASSERT_EQ(secrets.size(), 2u);
    EXPECT_TRUE(secrets[0]["primary"].get<bool>());
    EXPECT_TRUE(secrets[0]["expires_at"].is_null());
    EXPECT_EQ(secrets[1]["expires_at"], FormatTimestamp(clock_.NowUs() + 24 * 3600 * kSecondUs));

    Dealer("D-7");
    EXPECT_EQ(Dispatch().delivered, 1);
    std::vector<json> got = ReceivedAt("/rotating");
    ASSERT_EQ(got.size(), 1u);
    EXPECT_TRUE(got[0]["verified"].get<bool>()) << got[0].dump();
    const std::string signature = got[0]["signature"];
    const size_t space = signature.find(' ');
    ASSERT_NE(space, std::string::npos) << signature;
    EXPECT_EQ(signature.find(' ', space + 1), std::string::npos);
    const WebhookHeaders headers{
        .id = got[0]["webhook_id"], .timestamp = got[0]["timestamp"], .signature = signature};
    const int64_t now_s = clock_.NowUs() / kSecondUs;
    EXPECT_TRUE(
        VerifySignature({new_secret}, headers, got[0]["body"].get<std::string>(), now_s).ok());
    EXPECT_TRUE(
        VerifySignature({old_secret}, headers, got[0]["body"].get<std::string>(), now_s).ok());
    // A forged body or an old timestamp is refused by the same function.
    EXPECT_FALSE(
        VerifySignature({new_secret}, headers, got[0]["body"].get<std::string>() + " ", now_s)
            .ok());
    EXPECT_FALSE(
        VerifySignature({new_secret}, headers, got[0]["body"].get<std::string>(), now_s + 301)
            .ok());

    // After the overlap only the new secret signs: a receiver still on the old one refuses.
    clock_.AdvanceUs(24 * 3600 * kSecondUs + kSecondUs);
    EXPECT_EQ(Endpoint(id)["secrets"].size(), 1u);
    Dealer("D-8");
    const DispatchStep refused = Dispatch();
    EXPECT_EQ(refused.retrying, 1);
    got = ReceivedAt("/rotating");
    ASSERT_EQ(got.size(), 2u);
    EXPECT_FALSE(got[1]["verified"].get<bool>());
    EXPECT_EQ(got[1]["signature"].get<std::string>().find(' '), std::string::npos);
    ReceiverSecrets({new_secret});
    clock_.AdvanceUs(10 * kSecondUs);
    EXPECT_EQ(Dispatch().delivered, 1);

    // expires_in_seconds = 0 ends the old secret at once.
    ApiResponse now =
        As(Admin(), Method::kPost, "/api/v1/webhooks/endpoints/" + id + "/rotate-secret",
           {{"expires_in_seconds", 0}});
    ASSERT_EQ(now.status, 200) << now.raw.body;
    EXPECT_EQ(now.data()["secrets"].size(), 1u);
}

TEST_F(WebhooksApiTest, TestEventGoesToTheOneEndpoint) {
    const json endpoint = MakeEndpoint("/test", {"forecourt.sale_recorded"});
    ReceiverSecrets({endpoint["secret"]});
    ApiResponse r = As(Admin(), Method::kPost,
                       "/api/v1/webhooks/endpoints/" + endpoint["id"].get<std::string>() + "/test");
    ASSERT_EQ(r.status, 202) << r.raw.body;
    EXPECT_EQ(r.data()["event_type"], "webhooks.test");
    EXPECT_EQ(r.data()["status"], "pending");
    EXPECT_EQ(Dispatch().delivered, 1);
    const std::vector<json> got = ReceivedAt("/test");
    ASSERT_EQ(got.size(), 1u);
    EXPECT_TRUE(got[0]["verified"].get<bool>());
    EXPECT_EQ(json::parse(got[0]["body"].get<std::string>())["type"], "webhooks.test");
    EXPECT_EQ(got[0]["webhook_id"], r.data()["event_id"]);
}

TEST_F(WebhooksApiTest, AHangingEndpointTimesOutAndIsRetried) {
    const json endpoint = MakeEndpoint("/hang", {"org.dealer_created"});
    ReceiverSecrets({endpoint["secret"]});
    ASSERT_TRUE(receiver_.Tell({{"path", "/hang"}, {"answer", "hang"}}));
    Dealer("D-9");
    ASSERT_TRUE(app_->relay().RunOnce().ok());
    Dispatcher quick(*database_, clock_, ids_, config_,
                     DispatcherOptions{.send_timeout = std::chrono::milliseconds(300)});
    auto step = quick.RunOnce();
    ASSERT_TRUE(step.ok()) << step.error().detail();
    EXPECT_EQ(step->retrying, 1);
    const json list = Deliveries(endpoint["id"]);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_TRUE(list[0]["last_status_code"].is_null());
    const json one = Delivery(list[0]["id"]);
    ASSERT_EQ(one["attempt_log"].size(), 1u);
    EXPECT_TRUE(one["attempt_log"][0]["status_code"].is_null());
    EXPECT_FALSE(one["attempt_log"][0]["error"].get<std::string>().empty());
    EXPECT_GE(one["attempt_log"][0]["duration_ms"].get<int64_t>(), 250);
}

// A changed seal key leaves secrets that do not open: that endpoint's attempts fail, logged, and
// nothing unsigned is sent; other work goes on.
TEST_F(WebhooksApiTest, ASecretThatDoesNotOpenFailsTheAttemptVisibly) {
    const json endpoint = MakeEndpoint("/sealed", {"org.dealer_created"});
    ReceiverSecrets({endpoint["secret"]});
    Dealer("S-1");
    ASSERT_TRUE(app_->relay().RunOnce().ok());
    config::Config other_key = config_;
    other_key.webhook_secret_key = std::string(64, 'b');
    Dispatcher changed(*database_, clock_, ids_, other_key, DispatcherOptions{});
    auto step = changed.RunOnce();
    ASSERT_TRUE(step.ok()) << step.error().detail();
    EXPECT_EQ(step->attempts, 1);
    EXPECT_EQ(step->retrying, 1);
    EXPECT_TRUE(ReceivedAt("/sealed").empty());
    const json list = Deliveries(endpoint["id"]);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["last_error"], "cannot sign: the endpoint has no usable secret");
}

TEST_F(WebhooksApiTest, TwoDispatchersNeverSendADeliveryTwice) {
    const json endpoint = MakeEndpoint("/many", {"org.dealer_created"});
    ReceiverSecrets({endpoint["secret"]});
    for (int i = 0; i < 12; ++i) Dealer("M-" + std::to_string(i));
    ASSERT_TRUE(app_->relay().RunOnce().ok());
    Dispatcher first(*database_, clock_, ids_, config_, DispatcherOptions{.send_batch = 3});
    Dispatcher second(*database_, clock_, ids_, config_, DispatcherOptions{.send_batch = 3});
    auto drain = [](Dispatcher& d) {
        for (int i = 0; i < 50; ++i) {
            auto step = d.RunOnce();
            ASSERT_TRUE(step.ok()) << step.error().detail();
            if (step->attempts == 0 && step->fanned_out == 0) return;
        }
    };
    std::thread a([&] { drain(first); });
    std::thread b([&] { drain(second); });
    a.join();
    b.join();
    const std::vector<json> got = ReceivedAt("/many");
    std::set<std::string> ids;
    for (const json& g : got) ids.insert(g["webhook_id"].get<std::string>());
    EXPECT_EQ(got.size(), 12u);
    EXPECT_EQ(ids.size(), 12u);
    EXPECT_EQ(CountRows(tenant_a_, "webhook_deliveries", "status = 'delivered'"), 12);
    EXPECT_EQ(CountRows(tenant_a_, "webhook_attempts"), 12);
}

TEST_F(WebhooksApiTest, BadInputIsRefusedByFieldAndWritesNothing) {
    const std::string base = "/api/v1/webhooks/endpoints";
    auto refused = [&](const json& body, const std::string& field) {
        ApiResponse r = As(Admin(), Method::kPost, base, body);
        EXPECT_EQ(r.status, 400) << body.dump() << " " << r.raw.body;
        if (r.status == 400) {
            EXPECT_EQ(r.ErrorField(), field) << r.raw.body;
        }
    };
    const json types = {"org.dealer_created"};
    refused({{"url", "ftp://example.com/in"}, {"event_types", types}}, "url");
    refused({{"url", "https://user:pw@example.com/in"}, {"event_types", types}}, "url");
    refused({{"url", "https://example.com/in#top"}, {"event_types", types}}, "url");
    refused({{"url", "not a url"}, {"event_types", types}}, "url");
    refused({{"event_types", types}}, "url");
    refused({{"url", "https://example.com/in"}}, "event_types");
    refused({{"url", "https://example.com/in"}, {"event_types", json::array()}}, "event_types");
    refused({{"url", "https://example.com/in"},
             {"event_types", {"org.dealer_created", "forecourt.sale_exploded"}}},
            "event_types[1]");
    refused({{"url", "https://example.com/in"}, {"event_types", {"*", "*"}}}, "event_types[1]");
    refused({{"url", "https://example.com/in"}, {"event_types", types}, {"secret", "whsec_x"}},
            "secret");
    EXPECT_EQ(CountRows(tenant_a_, "webhook_endpoints"), 0);
    EXPECT_EQ(CountRows(tenant_a_, "webhook_secrets"), 0);

    const json endpoint = MakeEndpoint("/ok", types);
    const std::string path = base + "/" + endpoint["id"].get<std::string>();
    ApiResponse patch = As(Admin(), Method::kPatch, path, {{"url", "gopher://x/"}});
    EXPECT_EQ(patch.status, 400);
    EXPECT_EQ(patch.ErrorField(), "url");
    patch = As(Admin(), Method::kPatch, path, {{"event_types", {"nope.nothing"}}});
    EXPECT_EQ(patch.status, 400);
    EXPECT_EQ(patch.ErrorField(), "event_types[0]");
    EXPECT_EQ(Endpoint(endpoint["id"])["event_types"], types);
    ApiResponse rotate =
        As(Admin(), Method::kPost, path + "/rotate-secret", {{"expires_in_seconds", -1}});
    EXPECT_EQ(rotate.status, 400);
    EXPECT_EQ(rotate.ErrorField(), "expires_in_seconds");
    EXPECT_EQ(
        As(Admin(), Method::kPost, path + "/rotate-secret", {{"expires_in_seconds", 1.5}}).status,
        400);
    EXPECT_EQ(Endpoint(endpoint["id"])["secrets"].size(), 1u);
    ApiResponse status = As(Admin(), Method::kGet, path + "/deliveries?status=lost");
    EXPECT_EQ(status.status, 400);
    EXPECT_EQ(status.ErrorField(), "status");
    ApiResponse since =
        As(Admin(), Method::kPost, path + "/redeliver-failed", {{"since", "yesterday"}});
    EXPECT_EQ(since.status, 400);
    EXPECT_EQ(since.ErrorField(), "since");
    EXPECT_EQ(As(Admin(), Method::kGet, base + "/not-a-uuid").status, 400);
    EXPECT_EQ(As(Admin(), Method::kGet, base + "/" + ids_.NewV7().ToString()).status, 404);

    // Deleted: gone from the API, its pending deliveries dead-lettered.
    Dealer("D-10");
    ASSERT_TRUE(app_->relay().RunOnce().ok());
    ASSERT_TRUE(app_->webhook_dispatcher()->FanOut().ok());
    ApiResponse deleted = As(Admin(), Method::kDelete, path);
    ASSERT_EQ(deleted.status, 200) << deleted.raw.body;
    EXPECT_EQ(deleted.data()["pending_deliveries_failed"], 1);
    EXPECT_EQ(As(Admin(), Method::kGet, path).status, 404);
    EXPECT_EQ(CountRows(tenant_a_, "webhook_deliveries", "status = 'failed'"), 1);
    EXPECT_EQ(Dispatch().attempts, 0);
}

// Row-level security is the second wall on PostgreSQL: an unfiltered SELECT in A's transaction,
// as the application's role, sees none of B's endpoints, secrets or deliveries.
TEST_F(WebhooksApiTest, PostgresRowLevelSecurityHidesTheOtherTenantsRows) {
    const json a = MakeEndpoint("/a", {"*"});
    const std::string admin_b = TokenFor("bravo-admin");
    ApiResponse b = As(admin_b, Method::kPost, "/api/v1/webhooks/endpoints",
                       {{"url", "https://bravo.example.com/"}, {"event_types", {"*"}}});
    ASSERT_EQ(b.status, 201) << b.raw.body;
    ASSERT_EQ(As(admin_b, Method::kPost,
                 "/api/v1/webhooks/endpoints/" + b.data()["id"].get<std::string>() + "/test")
                  .status,
              202);
    auto count = [&](const std::string& table) {
        const std::string sql = "SELECT COUNT(*) FROM " + table;
        auto n = db::InTransaction(
            *database_, {.tenant = tenant_a_}, [&](db::Transaction& tx) -> Result<int64_t> {
                OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query({"test." + sql, sql}, {}));
                return rows[0].Int(0);
            });
        EXPECT_TRUE(n.ok());
        return n.ok() ? *n : -1;
    };
    if (database_->engine() == db::Engine::kPostgres) {
        EXPECT_EQ(count("webhook_endpoints"), 1);
        EXPECT_EQ(count("webhook_secrets"), 1);
        EXPECT_EQ(count("webhook_deliveries"), 0);
        EXPECT_EQ(count("webhook_cursors"), 1);
    } else {  // SQLite has no second wall: the tenant condition in every query is the only one
        EXPECT_EQ(count("webhook_endpoints"), 2);
    }
    EXPECT_EQ(CountRows(tenant_b_, "webhook_deliveries"), 1);
    EXPECT_NE(a["id"], b.data()["id"]);
}

// The dispatcher runs inside the real `omc serve`: an event made through the server's API reaches
// the receiver, signed, within seconds, on the real clock.
TEST_F(WebhooksApiTest, OmcServeRunsTheDispatcher) {
    ASSERT_FALSE(omc::testing::OmcBinary().empty()) << "OMC_BINARY must name the omc binary";
    const json endpoint = MakeEndpoint("/served", {"org.dealer_created"});
    ReceiverSecrets({endpoint["secret"]});
    ASSERT_TRUE(receiver_.Tell({{"now_s", 0}}));  // the receiver's own clock, as the server's
    app_.reset();                                 // from here on the server is the only writer
    char dir[] = "/tmp/omc-webhooks-serve-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    std::ofstream(std::string(dir) + "/omc.toml") << "[webhooks]\ndispatch_interval_ms = 50\n";
    omc::testing::OmcServer server(
        dir, {{"OMC_DATABASE_URL", database_->url()}, {"OMC_LOG_LEVEL", "warn"}},
        std::string(dir) + "/omc.toml");
    ASSERT_TRUE(server.Start()) << server.Log();
    const omc::testing::HttpAnswer login = omc::testing::HttpCall(
        server.port(), "POST", "/api/v1/auth/login", "",
        json{{"login", "alpha-admin"}, {"password", testing::kTestPassword}}.dump());
    ASSERT_EQ(login.status, 200) << login.body;
    const std::string token = json::parse(login.body)["data"]["access_token"];
    const omc::testing::HttpAnswer dealer =
        omc::testing::HttpCall(server.port(), "POST", "/api/v1/dealers", token,
                               json{{"code", "SRV-1"}, {"name", "Served dealer"}}.dump());
    ASSERT_EQ(dealer.status, 201) << dealer.body;
    std::vector<json> got;
    for (int i = 0; i < 400 && got.empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        got = ReceivedAt("/served");
    }
    ASSERT_EQ(got.size(), 1u) << server.Log();
    EXPECT_TRUE(got[0]["verified"].get<bool>()) << got[0].dump();
    EXPECT_EQ(json::parse(got[0]["body"].get<std::string>())["data"]["payload"]["code"], "SRV-1");
    EXPECT_EQ(server.Stop(SIGTERM), 0) << server.Log();
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace omc::webhooks
