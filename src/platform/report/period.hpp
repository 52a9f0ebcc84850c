// Reporting periods: a calendar month "YYYY-MM" as dates and as a half-open range of UTC
// microseconds. Ghana is UTC+0 without daylight saving, so a Ghana month is a UTC month.
#pragma once

#include <string>
#include <string_view>

#include "platform/base/clock.hpp"
#include "platform/base/result.hpp"

namespace omc::report {

struct Period {
    std::string month;        // "2026-01"
    std::string first_day;    // "2026-01-01"
    std::string last_day;     // "2026-01-31"
    TimestampUs from_us = 0;  // 2026-01-01T00:00:00Z, inclusive
    TimestampUs to_us = 0;    // 2026-02-01T00:00:00Z, exclusive
};

// kInvalidArgument naming `field` unless `month` is YYYY-MM (years 2000..9998).
Result<Period> MonthPeriod(std::string_view month, std::string_view field = "month");

}  // namespace omc::report
