// Pure pieces of the events module (validation, envelope, subject, backoff, cursor parsing) and
// the nats-server test harness the relay tests stand on.
#include <gtest/gtest.h>

#include <string>

#include "platform/events/events_routes.hpp"
#include "platform/events/outbox.hpp"
#include "platform/events/relay.hpp"
#include "testing/nats_server.hpp"

namespace omc::events {
namespace {

using std::chrono::milliseconds;

TEST(EventType, AcceptsDomainDotEvent) {
    EXPECT_TRUE(IsValidEventType("wetstock.dip_recorded"));
    EXPECT_TRUE(IsValidEventType("a.b"));
    EXPECT_TRUE(IsValidEventType("retail.sale.posted_v2"));
    EXPECT_TRUE(IsValidEventType("x9_.y"));
}

TEST(EventType, RejectsEverythingElse) {
    for (const char* bad :
         {"", "wetstock", "Wetstock.dip", "wetstock.Dip", "9tank.dip", "wetstock.9dip", "_a.b",
          "a.b.", "a..b", ".a.b", "a.b-c", "a.b c", "a.b*", "a.>", "a.b\n"}) {
        EXPECT_FALSE(IsValidEventType(bad)) << bad;
    }
    EXPECT_TRUE(IsValidEventType("a." + std::string(kMaxTypeLength - 2, 'b')));
    EXPECT_FALSE(IsValidEventType("a." + std::string(kMaxTypeLength - 1, 'b')));
}

NewEvent GoodEvent() {
    return NewEvent{.type = "wetstock.dip_recorded",
                    .aggregate_type = "tank",
                    .aggregate_id = "0190a4c2-0000-7000-8000-000000000001",
                    .payload = {{"level_mm", 1234}}};
}

void ExpectInvalidField(const Result<void>& result, const std::string& field) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code(), ErrorCode::kInvalidArgument);
    ASSERT_EQ(result.error().fields().size(), 1u);
    EXPECT_EQ(result.error().fields()[0].field, field);
}

TEST(ValidateNewEvent, NamesTheBadField) {
    EXPECT_TRUE(ValidateNewEvent(GoodEvent()).ok());
    NewEvent e = GoodEvent();
    e.type = "dip";
    ExpectInvalidField(ValidateNewEvent(e), "type");
    e = GoodEvent();
    e.aggregate_type = "";
    ExpectInvalidField(ValidateNewEvent(e), "aggregate_type");
    e = GoodEvent();
    e.aggregate_id = std::string(kMaxAggregateIdLength + 1, 'x');
    ExpectInvalidField(ValidateNewEvent(e), "aggregate_id");
    for (const nlohmann::json& payload :
         {nlohmann::json::array(), nlohmann::json(1), nlohmann::json("x"), nlohmann::json()}) {
        e = GoodEvent();
        e.payload = payload;
        ExpectInvalidField(ValidateNewEvent(e), "payload");
    }
}

TEST(EventEnvelope, HasEveryDocumentedField) {
    StoredEvent e;
    e.id = *Uuid::Parse("0190a4c2-1111-7000-8000-000000000002");
    e.tenant = *TenantId::Parse("0190a4c2-2222-7000-8000-000000000003");
    e.type = "wetstock.dip_recorded";
    e.aggregate_type = "tank";
    e.aggregate_id = "t-1";
    e.payload = {{"level_mm", 1234}};
    e.created_at_us = 1'700'000'000'123'456;
    e.cursor = 42;
    const nlohmann::json expected = {
        {"id", "0190a4c2-1111-7000-8000-000000000002"},
        {"tenant_id", "0190a4c2-2222-7000-8000-000000000003"},
        {"type", "wetstock.dip_recorded"},
        {"aggregate_type", "tank"},
        {"aggregate_id", "t-1"},
        {"cursor", 42},
        {"created_at", "2023-11-14T22:13:20.123Z"},
        {"payload", {{"level_mm", 1234}}},
    };
    EXPECT_EQ(EventEnvelope(e), expected);
    EXPECT_EQ(EventSubject(e.tenant, e.type),
              "omc.0190a4c2-2222-7000-8000-000000000003.wetstock.dip_recorded");
}

// The pull API writes events as text; it must be exactly the envelope's JSON as before.
TEST(EventEnvelope, TextIsTheEnvelopeDumped) {
    StoredEvent e;
    e.id = *Uuid::Parse("0190a4c2-1111-7000-8000-000000000002");
    e.tenant = *TenantId::Parse("0190a4c2-2222-7000-8000-000000000003");
    e.type = "wetstock.dip_recorded";
    e.aggregate_type = "tank";
    e.aggregate_id = "t-1 \"quoted\" caf\xC3\xA9 \xFF";
    e.payload = {{"level_mm", 1234}, {"note", "a\nb"}, {"ratio", 0.5}, {"list", {1, "x"}}};
    e.created_at_us = 1'700'000'000'123'456;
    e.cursor = 9'000'000'000;
    std::string text = "prefix";
    AppendEventJson(text, e);
    EXPECT_EQ(text, "prefix" + EventEnvelope(e).dump(-1, ' ', false,
                                                     nlohmann::json::error_handler_t::replace));
}

TEST(BackoffDelay, DoublesFromMinToMaxWithJitterInTheUpperHalf) {
    const milliseconds min{100};
    const milliseconds max{30'000};
    // random = 0 picks the lower edge (half the delay); a huge one stays within the delay.
    EXPECT_EQ(BackoffDelay(1, min, max, 0), milliseconds(50));
    EXPECT_EQ(BackoffDelay(2, min, max, 0), milliseconds(100));
    EXPECT_EQ(BackoffDelay(3, min, max, 0), milliseconds(200));
    EXPECT_EQ(BackoffDelay(9, min, max, 0), milliseconds(12'800));
    EXPECT_EQ(BackoffDelay(10, min, max, 0), milliseconds(15'000));    // capped at 30 s
    EXPECT_EQ(BackoffDelay(1000, min, max, 0), milliseconds(15'000));  // no overflow
    for (uint64_t r : {uint64_t{1}, uint64_t{12345}, ~uint64_t{0}}) {
        for (int failures = 1; failures < 40; ++failures) {
            const auto d = BackoffDelay(failures, min, max, r);
            EXPECT_GE(d, milliseconds(50));
            EXPECT_LE(d, max);
        }
    }
    EXPECT_EQ(BackoffDelay(1, min, max, 50), milliseconds(100));  // the upper edge
}

TEST(ParseCursor, AcceptsNonNegativeInt64Only) {
    EXPECT_EQ(*ParseCursor("after", "0"), 0);
    EXPECT_EQ(*ParseCursor("after", "17"), 17);
    EXPECT_EQ(*ParseCursor("after", "9223372036854775807"), INT64_MAX);
    for (const char* bad : {"", "-1", "+1", " 1", "1 ", "1.5", "1e3", "abc", "0x10",
                            "9223372036854775808", "99999999999999999999"}) {
        const auto parsed = ParseCursor("after", bad);
        ASSERT_FALSE(parsed.ok()) << bad;
        ASSERT_EQ(parsed.error().fields().size(), 1u);
        EXPECT_EQ(parsed.error().fields()[0].field, "after");
    }
}

TEST(NatsServerHarness, StartsStopsAndRestartsOnTheSamePort) {
    testing::NatsServer nats;
    auto started = nats.Start();
    ASSERT_TRUE(started.ok()) << started.error().message() << "\n" << started.error().detail();
    const int port = nats.port();
    // A fresh server has no stream yet.
    auto read = testing::ReadStream(nats.url(), "OMC");
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().code(), ErrorCode::kNotFound);
    nats.Stop();
    EXPECT_FALSE(nats.running());
    EXPECT_FALSE(testing::ReadStream(nats.url(), "OMC").ok());
    auto restarted = nats.Restart();
    ASSERT_TRUE(restarted.ok()) << restarted.error().message() << "\n"
                                << restarted.error().detail();
    EXPECT_EQ(nats.port(), port);
    EXPECT_TRUE(nats.running());
}

}  // namespace
}  // namespace omc::events
