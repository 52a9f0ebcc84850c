#include "platform/base/clock.hpp"

#include <climits>
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
    // Every response carries a timestamp; the date and time part changes once a second, so each
    // thread keeps the last one it formatted.
    thread_local int64_t cached_second = INT64_MIN;
    thread_local char cached[20];  // "2026-11-21T15:04:05"
    if (seconds != cached_second) {
        const std::time_t t = static_cast<std::time_t>(seconds);
        std::tm tm{};
        gmtime_r(&t, &tm);
        fmt::format_to_n(cached, sizeof(cached), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                         tm.tm_sec);
        cached_second = seconds;
    }
    const int millis = static_cast<int>(micros / 1000);
    std::string out(cached, 19);
    out += '.';
    out += static_cast<char>('0' + millis / 100);
    out += static_cast<char>('0' + millis / 10 % 10);
    out += static_cast<char>('0' + millis % 10);
    out += 'Z';
    return out;
}

}  // namespace omc
