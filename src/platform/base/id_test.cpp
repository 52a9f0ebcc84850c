#include "platform/base/id.hpp"
#include "platform/base/result.hpp"

#include <set>

#include <gtest/gtest.h>

namespace omc {
namespace {

class StepClock final : public Clock {
  public:
    TimestampUs NowUs() const override { return now_us; }
    TimestampUs now_us = 1'763'737'445'123'000;  // 2025-11-21T15:04:05.123Z
};

TEST(Uuid, ParseAndFormatCanonical) {
    auto u = Uuid::Parse("0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B");
    ASSERT_TRUE(u.has_value());
    EXPECT_EQ(u->ToString(), "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    EXPECT_EQ(u->version(), 7);
}

TEST(Uuid, RejectsMalformed) {
    for (const char* bad :
         {"", "not-a-uuid", "0190a1b2c3d47e5f8a9b0c1d2e3f4a5b",
          "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5bb",
          "0190a1b2_c3d4-7e5f-8a9b-0c1d2e3f4a5b", "g190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
          "'; DROP TABLE x;--------------------", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5g",
          "0190a1b2-c3d4-7e5f-8a9b--c1d2e3f4a5b", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a 5",
          "0190a1b2-c3d4-7e5f-8a9b0-c1d2e3f4a5b", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5\xff"}) {
        EXPECT_FALSE(Uuid::Parse(bad).has_value()) << bad;
    }
}

TEST(Uuid, EveryByteValueRoundTrips) {
    for (int value = 0; value < 256; ++value) {
        std::array<uint8_t, 16> bytes{};
        for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(value + i * 17);
        const Uuid id(bytes);
        const std::string text = id.ToString();
        ASSERT_EQ(text.size(), 36u);
        EXPECT_EQ(Uuid::Parse(text), id) << text;
    }
}

TEST(Uuid, NilIsNil) {
    EXPECT_TRUE(Uuid().IsNil());
    EXPECT_EQ(Uuid().ToString(), "00000000-0000-0000-0000-000000000000");
}

TEST(RandomIdGenerator, V7CarriesTheTimeAndVariant) {
    StepClock clock;
    RandomIdGenerator ids(clock);
    const Uuid id = ids.NewV7();
    EXPECT_EQ(id.version(), 7);
    EXPECT_EQ(id.bytes()[8] & 0xC0, 0x80);  // RFC variant
    EXPECT_EQ(id.UnixMs(), clock.now_us / 1000);
}

TEST(RandomIdGenerator, MonotonicWithinAndAcrossMilliseconds) {
    StepClock clock;
    RandomIdGenerator ids(clock);
    std::set<std::string> seen;
    Uuid previous = ids.NewV7();
    for (int i = 0; i < 10'000; ++i) {
        if (i % 1000 == 0) clock.now_us += 1000;
        const Uuid next = ids.NewV7();
        EXPECT_LT(previous.ToString(), next.ToString());
        EXPECT_TRUE(seen.insert(next.ToString()).second);
        previous = next;
    }
}

TEST(RandomIdGenerator, ClockSteppingBackKeepsOrder) {
    StepClock clock;
    RandomIdGenerator ids(clock);
    const Uuid a = ids.NewV7();
    clock.now_us -= 5'000'000;
    const Uuid b = ids.NewV7();
    EXPECT_LT(a.ToString(), b.ToString());
}

TEST(TypedId, ParsesIntoItsType) {
    auto t = TenantId::Parse("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->ToString(), "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    EXPECT_FALSE(TenantId::Parse("nope").has_value());
}

TEST(Timestamp, FormatsUtcMilliseconds) {
    EXPECT_EQ(FormatTimestamp(1'763'737'445'123'456), "2025-11-21T15:04:05.123Z");
    EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(FormatTimestamp(-1), "1969-12-31T23:59:59.999Z");
}

TEST(Result, ValueAndErrorAccess) {
    Result<int> ok = 5;
    EXPECT_TRUE(ok.ok());
    EXPECT_EQ(*ok, 5);
    Result<int> err = NotFound("tank");
    EXPECT_FALSE(err.ok());
    EXPECT_EQ(err.error().code(), ErrorCode::kNotFound);
    EXPECT_EQ(err.error().message(), "tank not found");
    EXPECT_THROW((void)err.value(), InvariantViolation);
}

}  // namespace
}  // namespace omc
