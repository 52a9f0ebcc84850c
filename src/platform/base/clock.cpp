#include "platform/base/clock.hpp"

#include <ctime>

#include <fmt/format.h>

namespace omc {

std::string FormatTimestamp(TimestampUs ts) {
    int64_t seconds = ts / 1'000'000;
    int64_t micros = ts % 1'000'000;
    if (micros < 0) {
        micros += 1'000'000;
        seconds -= 1;
    }
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros / 1000);
}

}  // namespace omc
