// The injected clock. Domains never read the system clock; they ask the Clock they were given,
// so tests can use testing/fake_clock.hpp and be deterministic.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace omc {

// Microseconds since the Unix epoch, UTC. The one timestamp representation stored in the database.
using TimestampUs = int64_t;

class Clock {
  public:
    virtual ~Clock() = default;
    virtual TimestampUs NowUs() const = 0;
    // A monotonic reading for measuring durations; not a wall time.
    virtual std::chrono::steady_clock::time_point Steady() const {
        return std::chrono::steady_clock::now();
    }
};

class SystemClock final : public Clock {
  public:
    TimestampUs NowUs() const override {
        return std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
};

// RFC 3339 UTC text with millisecond precision: 2026-11-21T15:04:05.123Z.
std::string FormatTimestamp(TimestampUs ts);

}  // namespace omc
