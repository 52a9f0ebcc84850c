// A settable clock for deterministic tests: time moves only when the test moves it.
#pragma once

#include <atomic>
#include <chrono>

#include "platform/base/clock.hpp"

namespace omc::testing {

class FakeClock final : public Clock {
  public:
    // 2023-11-14T22:13:20Z: a fixed, recognisable start.
    static constexpr TimestampUs kDefaultStartUs = 1'700'000'000'000'000;

    explicit FakeClock(TimestampUs start_us = kDefaultStartUs) : now_us_(start_us) {}

    TimestampUs NowUs() const override { return now_us_.load(); }
    // The steady reading follows the fake time, so measured durations are deterministic too.
    std::chrono::steady_clock::time_point Steady() const override {
        return std::chrono::steady_clock::time_point(std::chrono::microseconds(now_us_.load()));
    }

    void SetNowUs(TimestampUs now_us) { now_us_.store(now_us); }
    void Advance(std::chrono::microseconds by) { now_us_.fetch_add(by.count()); }
    void AdvanceUs(int64_t by_us) { now_us_.fetch_add(by_us); }

  private:
    std::atomic<TimestampUs> now_us_;
};

}  // namespace omc::testing
