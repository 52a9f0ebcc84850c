#include "platform/report/period.hpp"

#include <cstdio>
#include <string>

#include "platform/base/error.hpp"

namespace omc::report {

Result<Period> MonthPeriod(std::string_view month, std::string_view field) {
    const auto bad = [&] {
        return InvalidArgument(std::string(field), "must be a month YYYY-MM such as 2026-01");
    };
    if (month.size() != 7 || month[4] != '-') return bad();
    const std::optional<int64_t> first = ParseDateDays(std::string(month) + "-01");
    if (!first) return bad();
    const int year = std::stoi(std::string(month.substr(0, 4)));
    const int mon = std::stoi(std::string(month.substr(5, 2)));
    if (year < 2000 || year > 9998) return bad();
    const int next_year = mon == 12 ? year + 1 : year;
    const int next_mon = mon == 12 ? 1 : mon + 1;
    char next[32];
    std::snprintf(next, sizeof next, "%04d-%02d-01", next_year, next_mon);
    const std::optional<int64_t> after = ParseDateDays(next);
    if (!after) return bad();
    constexpr TimestampUs kUsPerDay = 86'400LL * 1'000'000;
    Period p;
    p.month = std::string(month);
    p.first_day = p.month + "-01";
    p.from_us = *first * kUsPerDay;
    p.to_us = *after * kUsPerDay;
    p.last_day = FormatDate(p.to_us - kUsPerDay);
    return p;
}

}  // namespace omc::report
