#include "platform/http/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace omc::http {
namespace {

using std::chrono::milliseconds;

// Time moves only when a test says so.
class ManualClock final : public Clock {
  public:
    TimestampUs NowUs() const override { return 1'700'000'000'000'000; }
    std::chrono::steady_clock::time_point Steady() const override { return now_; }
    void Advance(std::chrono::steady_clock::duration d) { now_ += d; }

  private:
    std::chrono::steady_clock::time_point now_{std::chrono::seconds(1000)};
};

RateLimits Limits() { return {{"default", {10, 5}}, {"auth", {0.5, 2}}, {"read", {0, 0}}}; }

TEST(RateLimiter, BurstThenRefusedWithRetryAfter) {
    ManualClock clock;
    RateLimiter limiter(Limits(), clock);
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.Allow(RateClass::kDefault, "ip:1").allowed);
    RateDecision refused = limiter.Allow(RateClass::kDefault, "ip:1");
    EXPECT_FALSE(refused.allowed);
    EXPECT_EQ(refused.retry_after, milliseconds(100));  // one token at 10/s

    // The slow "auth" class: 2 tokens, then one every 2 s.
    EXPECT_TRUE(limiter.Allow(RateClass::kAuth, "ip:1").allowed);
    EXPECT_TRUE(limiter.Allow(RateClass::kAuth, "ip:1").allowed);
    RateDecision auth = limiter.Allow(RateClass::kAuth, "ip:1");
    EXPECT_FALSE(auth.allowed);
    EXPECT_EQ(auth.retry_after, milliseconds(2000));
    clock.Advance(milliseconds(500));
    EXPECT_EQ(limiter.Allow(RateClass::kAuth, "ip:1").retry_after, milliseconds(1500));
}

TEST(RateLimiter, RefillsOverTime) {
    ManualClock clock;
    RateLimiter limiter(Limits(), clock);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(limiter.Allow(RateClass::kDefault, "k").allowed);
    ASSERT_FALSE(limiter.Allow(RateClass::kDefault, "k").allowed);
    clock.Advance(milliseconds(99));
    EXPECT_FALSE(limiter.Allow(RateClass::kDefault, "k").allowed);
    clock.Advance(milliseconds(1));
    EXPECT_TRUE(limiter.Allow(RateClass::kDefault, "k").allowed);
    EXPECT_FALSE(limiter.Allow(RateClass::kDefault, "k").allowed);
    // A long pause refills only up to the burst.
    clock.Advance(std::chrono::hours(1));
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.Allow(RateClass::kDefault, "k").allowed);
    EXPECT_FALSE(limiter.Allow(RateClass::kDefault, "k").allowed);
}

TEST(RateLimiter, KeysAndClassesAreIndependent) {
    ManualClock clock;
    RateLimiter limiter(Limits(), clock);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(limiter.Allow(RateClass::kDefault, "user:a").allowed);
    EXPECT_FALSE(limiter.Allow(RateClass::kDefault, "user:a").allowed);
    EXPECT_TRUE(limiter.Allow(RateClass::kDefault, "user:b").allowed);
    EXPECT_TRUE(limiter.Allow(RateClass::kAuth, "user:a").allowed);
    // "write" is not configured: it uses default's limit, in its own buckets.
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.Allow(RateClass::kWrite, "user:a").allowed);
    EXPECT_FALSE(limiter.Allow(RateClass::kWrite, "user:a").allowed);
}

TEST(RateLimiter, UnlimitedClasses) {
    ManualClock clock;
    RateLimiter limiter(Limits(), clock);
    for (int i = 0; i < 10'000; ++i) {
        ASSERT_TRUE(limiter.Allow(RateClass::kRead, "ip:1").allowed);  // per_second 0
        ASSERT_TRUE(limiter.Allow(RateClass::kNone, "ip:1").allowed);
    }
    EXPECT_EQ(limiter.TEST_KeyCount(), 0u);
    RateLimiter nothing_configured({}, clock);
    for (int i = 0; i < 100; ++i)
        EXPECT_TRUE(nothing_configured.Allow(RateClass::kAuth, "x").allowed);
}

TEST(RateLimiter, MemoryIsBounded) {
    ManualClock clock;
    RateLimiter limiter(Limits(), clock, {.max_keys = 64, .shards = 4});
    for (int i = 0; i < 10'000; ++i) {
        limiter.Allow(RateClass::kDefault, "ip:" + std::to_string(i));
        clock.Advance(milliseconds(1));
    }
    EXPECT_LE(limiter.TEST_KeyCount(), 64u);
    // A busy client keeps its (empty) bucket while idle ones are evicted around it.
    for (int i = 0; i < 5; ++i) limiter.Allow(RateClass::kDefault, "busy");
    for (int i = 0; i < 200; ++i) limiter.Allow(RateClass::kDefault, "ip:x" + std::to_string(i));
    EXPECT_LE(limiter.TEST_KeyCount(), 64u);
}

}  // namespace
}  // namespace omc::http
