// The relay against a real nats-server with JetStream, on SQLite and PostgreSQL
// (OMC_TEST_ENGINE): events reach the stream in cursor order with Nats-Msg-Id = event id, a
// broker outage loses and reorders nothing, a re-sent event is stored once, and without NATS the
// relay still sequences.
#include <gtest/gtest.h>

#include <algorithm>

#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "platform/events/outbox.hpp"
#include "platform/events/relay.hpp"
#include "platform/log/metrics.hpp"
#include "testing/fake_clock.hpp"
#include "testing/fake_ids.hpp"
#include "testing/nats_server.hpp"
#include "testing/test_database.hpp"
#include "testing/unsequenced_event.hpp"

namespace omc::events {
namespace {

using std::chrono::milliseconds;

constexpr db::Query kRowsByCursor{"test.rows_by_cursor", R"sql(
    SELECT id, cursor, published_at_us, attempts, last_error FROM outbox_events ORDER BY cursor)sql"};
constexpr db::Query kForgetPublished{"test.forget_published", R"sql(
    UPDATE outbox_events SET published_at_us = NULL WHERE cursor > $1)sql"};

struct OutboxRow {
    Uuid id;
    std::optional<int64_t> cursor;
    std::optional<int64_t> published_at_us;
    int64_t attempts = 0;
    std::optional<std::string> last_error;
};

// The outbox as text, for a failed wait's message: "cursor:attempts:published" per row.
std::string Describe(const std::vector<OutboxRow>& rows) {
    std::string out;
    for (const OutboxRow& row : rows) {
        out += (row.cursor ? std::to_string(*row.cursor) : std::string("null")) + ":" +
               std::to_string(row.attempts) + ":" + (row.published_at_us ? "sent" : "unsent") + " ";
    }
    return out;
}

// Waits for a condition that depends on another process or thread (the broker, the relay's
// loop), up to a deadline; the condition, not a fixed sleep, decides when the test goes on.
bool WaitFor(const std::function<bool()>& done,
             std::chrono::seconds limit = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(milliseconds(20));
    }
    return done();
}

class RelayTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_NE(tdb_, nullptr);
        auto started = nats_.Start();
        ASSERT_TRUE(started.ok()) << started.error().message() << "\n" << started.error().detail();
        options_.nats_url = nats_.url();
        options_.backoff_min = milliseconds(20);
        options_.backoff_max = milliseconds(200);
        options_.poll_interval = milliseconds(20);
        options_.connect_timeout = milliseconds(1000);
        options_.publish_timeout = milliseconds(2000);
    }

    // Appends one event per tenant in `tenants`, each in its own committed transaction, and
    // remembers which tenant it belongs to.
    void Append(const std::vector<TenantId>& tenants) {
        for (const TenantId& tenant : tenants) {
            const int n = static_cast<int>(appended_.size());
            auto id =
                db::InTransaction(*tdb_, db::TxOptions{.tenant = tenant}, [&](db::Transaction& tx) {
                    return testing::AppendUnsequencedEvent(
                        tx, tenant, ids_, clock_,
                        NewEvent{.type = "wetstock.dip_recorded",
                                 .aggregate_type = "tank",
                                 .aggregate_id = "tank-" + std::to_string(n),
                                 .payload = {{"n", n}}});
                });
            ASSERT_TRUE(id.ok()) << id.error().detail();
            appended_.push_back(*id);
            tenant_of_[id->ToString()] = tenant;
        }
    }

    std::vector<OutboxRow> Rows() {
        auto rows =
            db::InTransaction(*tdb_, db::TxOptions{.system = true},
                              [&](db::Transaction& tx) { return tx.Query(kRowsByCursor, {}); });
        EXPECT_TRUE(rows.ok());
        std::vector<OutboxRow> out;
        if (!rows.ok()) return out;
        for (const db::Row& r : *rows) {
            out.push_back({r.Id(0), r.OptInt(1), r.OptInt(2), r.Int(3), r.OptText(4)});
        }
        return out;
    }

    // Whether the outbox holds `count` rows, every one sent. (Not "the last row by cursor is
    // sent": rows not yet sequenced have a NULL cursor and sort first.)
    bool AllSent(size_t count) {
        const std::vector<OutboxRow> rows = Rows();
        return rows.size() == count &&
               std::all_of(rows.begin(), rows.end(),
                           [](const OutboxRow& row) { return row.published_at_us.has_value(); });
    }

    std::vector<testing::StreamMessage> Stream() {
        auto messages = testing::ReadStream(nats_.url(), options_.stream);
        EXPECT_TRUE(messages.ok()) << messages.error().message();
        return messages.ok() ? *messages : std::vector<testing::StreamMessage>{};
    }

    // The stream holds every appended event exactly once, in cursor order, each with its id as
    // Nats-Msg-Id, the tenant's subject and the envelope as body.
    void ExpectStreamHoldsEveryEventOnceInOrder() {
        const std::vector<testing::StreamMessage> messages = Stream();
        ASSERT_EQ(messages.size(), appended_.size());
        std::set<std::string> seen;
        for (size_t i = 0; i < messages.size(); ++i) {
            const testing::StreamMessage& m = messages[i];
            const nlohmann::json envelope = nlohmann::json::parse(m.data);
            EXPECT_EQ(envelope.at("cursor").get<int64_t>(), static_cast<int64_t>(i + 1));
            EXPECT_EQ(m.msg_id, envelope.at("id").get<std::string>());
            EXPECT_TRUE(seen.insert(m.msg_id).second) << "duplicate " << m.msg_id;
            ASSERT_TRUE(tenant_of_.count(m.msg_id)) << m.msg_id;
            const TenantId tenant = tenant_of_[m.msg_id];
            EXPECT_EQ(m.subject, EventSubject(tenant, "wetstock.dip_recorded"));
            EXPECT_EQ(envelope.at("tenant_id"), tenant.ToString());
            EXPECT_EQ(envelope.at("type"), "wetstock.dip_recorded");
        }
        // Sequenced in insertion order (each append committed before the next began).
        for (size_t i = 0; i < messages.size() && i < appended_.size(); ++i) {
            EXPECT_EQ(messages[i].msg_id, appended_[i].ToString());
        }
    }

    RelayStep Step(Relay& relay) {
        auto step = relay.RunOnce();
        EXPECT_TRUE(step.ok()) << step.error().message() << " " << step.error().detail();
        return step.ok() ? *step : RelayStep{};
    }

    std::unique_ptr<testing::TestDatabase> tdb_ = testing::OpenFreshDatabase();
    testing::NatsServer nats_;
    testing::FakeClock clock_;
    testing::FakeIds ids_{clock_};
    RelayOptions options_;
    std::vector<Uuid> appended_;
    std::map<std::string, TenantId> tenant_of_;
    const TenantId a_ = *TenantId::Parse("0190a4c2-aaaa-7000-8000-00000000000a");
    const TenantId b_ = *TenantId::Parse("0190a4c2-bbbb-7000-8000-00000000000b");
};

TEST_F(RelayTest, PublishesEveryEventInCursorOrderWithItsIdAsNatsMsgId) {
    metrics::Registry metrics;
    Relay relay(*tdb_, clock_, options_, &metrics);
    Append({a_, b_, a_, a_, b_, b_, a_, b_, a_, b_});

    const RelayStep step = Step(relay);
    EXPECT_EQ(step.sequenced, 10);
    EXPECT_EQ(step.published, 10);
    EXPECT_FALSE(step.publish_failed) << step.publish_error;
    EXPECT_EQ(step.backlog, 0);
    ExpectStreamHoldsEveryEventOnceInOrder();
    for (const OutboxRow& row : Rows()) {
        EXPECT_EQ(row.published_at_us, testing::FakeClock::kDefaultStartUs);
        EXPECT_EQ(row.attempts, 1);
        EXPECT_FALSE(row.last_error.has_value());
    }
    const std::string rendered = metrics.RenderPrometheus();
    EXPECT_NE(rendered.find("omc_outbox_published_total 10\n"), std::string::npos) << rendered;
    EXPECT_NE(rendered.find("omc_outbox_backlog 0\n"), std::string::npos) << rendered;
    EXPECT_EQ(Step(relay).published, 0);  // nothing is published twice
}

TEST_F(RelayTest, BrokerRestartLosesAndReordersNothing) {
    Relay relay(*tdb_, clock_, options_);
    Append({a_, b_, a_, b_, a_});
    EXPECT_EQ(Step(relay).published, 5);

    nats_.Stop();
    Append({b_, a_, b_, a_, b_});
    for (int attempt = 1; attempt <= 2; ++attempt) {
        const RelayStep step = Step(relay);
        EXPECT_EQ(step.sequenced, attempt == 1 ? 5 : 0);
        EXPECT_EQ(step.published, 0);
        EXPECT_TRUE(step.publish_failed);
        EXPECT_FALSE(step.publish_error.empty());
        EXPECT_EQ(step.backlog, 5);
    }
    const std::vector<OutboxRow> during = Rows();
    ASSERT_EQ(during.size(), 10u);
    // The event the relay is stuck at carries the failures; nothing after it was attempted.
    EXPECT_EQ(during[5].attempts, 2);
    EXPECT_TRUE(during[5].last_error.has_value());
    for (size_t i = 5; i < during.size(); ++i) {
        EXPECT_FALSE(during[i].published_at_us) << i;
        if (i > 5) {
            EXPECT_EQ(during[i].attempts, 0) << i;
        }
    }

    auto restarted = nats_.Restart();
    ASSERT_TRUE(restarted.ok()) << restarted.error().detail();
    const RelayStep caught_up = Step(relay);
    EXPECT_EQ(caught_up.published, 5);
    EXPECT_FALSE(caught_up.publish_failed) << caught_up.publish_error;
    EXPECT_EQ(caught_up.backlog, 0);
    ExpectStreamHoldsEveryEventOnceInOrder();
    EXPECT_EQ(Rows()[5].attempts, 3);  // two failures, then the acknowledged publish
}

// A publish whose acknowledgement was lost (the relay died before marking it) is sent again;
// JetStream drops the copy by its Nats-Msg-Id, so the stream still holds each event once.
TEST_F(RelayTest, ResentEventsAreStoredOnce) {
    Relay relay(*tdb_, clock_, options_);
    Append({a_, b_, a_, b_, a_, b_});
    EXPECT_EQ(Step(relay).published, 6);
    auto forgotten = db::InTransaction(
        *tdb_, db::TxOptions{.system = true},
        [&](db::Transaction& tx) { return tx.Execute(kForgetPublished, {int64_t{2}}); });
    ASSERT_TRUE(forgotten.ok());
    EXPECT_EQ(*forgotten, 4);
    EXPECT_EQ(Step(relay).published, 4);
    ExpectStreamHoldsEveryEventOnceInOrder();
}

TEST_F(RelayTest, BackgroundLoopBacksOffThroughAnOutageAndCatchesUp) {
    metrics::Registry metrics;
    Relay relay(*tdb_, clock_, options_, &metrics);
    relay.Start();
    Append({a_, b_, a_});
    ASSERT_TRUE(WaitFor([&] { return AllSent(3); })) << Describe(Rows());

    nats_.Stop();
    Append({b_, a_, b_, a_});
    // The relay keeps failing on the first unpublished event, with backoff, and never skips it.
    ASSERT_TRUE(WaitFor([&] { return Rows().at(3).attempts >= 2; })) << Describe(Rows());
    for (const OutboxRow& row : Rows()) {
        if (row.cursor > 3) {
            EXPECT_FALSE(row.published_at_us);
        }
    }
    EXPECT_EQ(relay.backlog(), 4);

    ASSERT_TRUE(nats_.Restart().ok());
    ASSERT_TRUE(WaitFor([&] { return relay.backlog() == 0 && AllSent(7); })) << Describe(Rows());
    relay.Stop();
    ExpectStreamHoldsEveryEventOnceInOrder();
    EXPECT_NE(metrics.RenderPrometheus().find("omc_outbox_published_total 7\n"), std::string::npos);
}

// Every `omc serve` process runs a relay. Two at once, racing on the same outbox, still deliver
// each event once and in cursor order (on PostgreSQL the advisory locks let one work at a time).
TEST_F(RelayTest, TwoRelaysRacingKeepOrderAndDeliverOnce) {
    Relay first(*tdb_, clock_, options_);
    Relay second(*tdb_, clock_, options_);
    first.Start();
    second.Start();
    for (int round = 0; round < 10; ++round) Append({a_, b_, a_});
    ASSERT_TRUE(WaitFor([&] { return AllSent(30); })) << Describe(Rows());
    first.Stop();
    second.Stop();
    ExpectStreamHoldsEveryEventOnceInOrder();
}

TEST_F(RelayTest, WithoutNatsTheRelayOnlySequencesAndTheGaugeCountsUnsequenced) {
    RelayOptions options;
    options.batch_size = 3;
    metrics::Registry metrics;
    Relay relay(*tdb_, clock_, options, &metrics);
    Append({a_, b_, a_, b_, a_});

    RelayStep step = Step(relay);
    EXPECT_EQ(step.sequenced, 3);
    EXPECT_EQ(step.published, 0);
    EXPECT_EQ(step.backlog, 2);
    EXPECT_NE(metrics.RenderPrometheus().find("omc_outbox_backlog 2\n"), std::string::npos);
    step = Step(relay);
    EXPECT_EQ(step.sequenced, 2);
    EXPECT_EQ(step.backlog, 0);
    EXPECT_NE(metrics.RenderPrometheus().find("omc_outbox_backlog 0\n"), std::string::npos);
    for (const OutboxRow& row : Rows()) {
        EXPECT_TRUE(row.cursor.has_value());
        EXPECT_FALSE(row.published_at_us.has_value());
    }
    // Nothing was sent anywhere: the stream was never even created.
    EXPECT_FALSE(testing::ReadStream(nats_.url(), "OMC").ok());
}

TEST_F(RelayTest, StopIsPromptAndIdempotent) {
    Relay relay(*tdb_, clock_, options_);
    relay.Stop();  // without Start
    relay.Start();
    const auto before = std::chrono::steady_clock::now();
    relay.Stop();
    relay.Stop();
    EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(2));
}

}  // namespace
}  // namespace omc::events
