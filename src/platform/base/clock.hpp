// The injected clock. Domains never read the system clock; they ask the Clock they were given,
// so tests can use testing/fake_clock.hpp and be deterministic.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace omc {

// Microseconds since the Unix epoch, UTC. The one timestamp representation stored in the database.
using TimestampUs = int64_t;
inline constexpr int64_t kUsPerSecond = 1'000'000;

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

// Parses RFC 3339 date-time text: "2026-11-21T15:04:05Z", "2026-11-21t15:04:05.123456+01:00",
// "2026-11-21 15:04:05-05:30" (the date and time may be separated by a space, as RFC 3339
// allows). Fractions keep microseconds; further digits are truncated. Leap seconds (:60) and
// years outside 0001..9999 are refused. nullopt for anything else.
std::optional<TimestampUs> ParseTimestamp(std::string_view text);

// A calendar date "YYYY-MM-DD" (years 0001..9999) as days since 1970-01-01; nullopt for
// anything else ("2026-2-1", "2026-02-30").
std::optional<int64_t> ParseDateDays(std::string_view text);
// The UTC calendar date of a timestamp: "2026-11-21".
std::string FormatDate(TimestampUs ts);

}  // namespace omc
