// Pricing windows and the NPA submission deadline: pure calendar rules, no I/O.
//
// NPA's windows run from the 1st to the 15th and from the 16th to the month's end. A window is
// named "YYYY-MM-1" (1st-15th) or "YYYY-MM-2" (16th-end); ParseWindowId also takes its first
// day ("2026-12-16"). Prices change at 00:00 of the window's first day, Ghana time (UTC+0, no
// daylight saving), and must reach NPA by 12:00 noon of the working day before (Amended Pricing
// Guidelines, 1 Apr 2024): weekends and public holidays are skipped.
//
// Days are counted from 1970-01-01 (ParseDateDays); times are UTC microseconds.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "platform/base/clock.hpp"

namespace omc::pricing {

inline constexpr int64_t kUsPerDay = 86'400LL * 1'000'000;
// Ghana's offset from UTC: none, and no daylight saving. Window starts and deadlines are Ghana
// wall-clock times; keeping the offset named makes the conversion visible.
inline constexpr int64_t kGhanaUtcOffsetUs = 0;
// "by 12:00 noon on the working day before" [C] (GHANA_REFERENCE.md section 3).
inline constexpr int64_t kSubmissionDeadlineUsOfDay = 12LL * 3'600 * 1'000'000;
// The second window of a month starts on this day.
inline constexpr int kSecondHalfFirstDay = 16;

struct PriceWindow {
    int year = 0;
    int month = 0;          // 1..12
    int half = 0;           // 1: 1st-15th, 2: 16th-end of month
    int32_t first_day = 0;  // days since 1970-01-01
    int32_t last_day = 0;   // inclusive
    friend bool operator==(const PriceWindow&, const PriceWindow&) = default;
};

// The window a calendar day falls in.
PriceWindow WindowContaining(int32_t day);
// "2026-12-1", "2026-12-2" or the first day "2026-12-01" / "2026-12-16"; nullopt for anything
// else (a date that is not a window's first day included).
std::optional<PriceWindow> ParseWindowId(std::string_view text);
// "2026-12-1" / "2026-12-2".
std::string WindowId(const PriceWindow& window);
// The first day as "YYYY-MM-DD": the key stored in the tables.
std::string WindowStartDate(const PriceWindow& window);
PriceWindow NextWindow(const PriceWindow& window);
// 00:00 Ghana time of the first day, and of the day after the last: prices of the window are in
// force from the start (inclusive) to the end (exclusive).
TimestampUs WindowStartUs(const PriceWindow& window);
TimestampUs WindowEndUs(const PriceWindow& window);

// 0 = Monday ... 6 = Sunday.
int Weekday(int32_t day);
bool IsWorkingDay(int32_t day, const std::set<int32_t>& holidays);
// The last working day strictly before `day`. `holidays` must not hold every day of a long run
// (the search gives up after a year and asserts).
int32_t PreviousWorkingDay(int32_t day, const std::set<int32_t>& holidays);
// 12:00 Ghana time of the working day before the window's first day.
TimestampUs SubmissionDeadlineUs(const PriceWindow& window, const std::set<int32_t>& holidays);

}  // namespace omc::pricing
