#include "domains/pricing/windows.hpp"

#include <chrono>
#include <cstdio>

#include <fmt/format.h>

#include "platform/base/assert.hpp"

namespace omc::pricing {
namespace {

namespace chr = std::chrono;

chr::year_month_day Civil(int32_t day) {
    return chr::year_month_day{chr::sys_days{chr::days{day}}};
}

int32_t DayOf(const chr::year_month_day& ymd) {
    return static_cast<int32_t>(chr::sys_days{ymd}.time_since_epoch().count());
}

PriceWindow Make(int year, int month, int half) {
    const chr::year y{year};
    const chr::month m{static_cast<unsigned>(month)};
    PriceWindow w{.year = year, .month = month, .half = half};
    if (half == 1) {
        w.first_day = DayOf(y / m / chr::day{1});
        w.last_day = DayOf(y / m / chr::day{kSecondHalfFirstDay - 1});
    } else {
        w.first_day = DayOf(y / m / chr::day{kSecondHalfFirstDay});
        w.last_day = DayOf(chr::year_month_day{y / m / chr::last});
    }
    ERP_ASSERT(w.first_day <= w.last_day, "a window has at least one day");
    return w;
}

// Reads exactly `digits` decimal digits.
std::optional<int> Digits(std::string_view text, size_t digits) {
    if (text.size() != digits) return std::nullopt;
    int value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

}  // namespace

PriceWindow WindowContaining(int32_t day) {
    const chr::year_month_day ymd = Civil(day);
    const int half = static_cast<unsigned>(ymd.day()) < kSecondHalfFirstDay ? 1 : 2;
    return Make(static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                half);
}

std::optional<PriceWindow> ParseWindowId(std::string_view text) {
    if (text.size() == 9 && text[4] == '-' && text[7] == '-') {  // "2026-12-1"
        const std::optional<int> year = Digits(text.substr(0, 4), 4);
        const std::optional<int> month = Digits(text.substr(5, 2), 2);
        const std::optional<int> half = Digits(text.substr(8, 1), 1);
        if (!year || !month || !half || *year < 1 || *month < 1 || *month > 12 ||
            (*half != 1 && *half != 2)) {
            return std::nullopt;
        }
        return Make(*year, *month, *half);
    }
    const std::optional<int64_t> day = ParseDateDays(text);
    if (!day) return std::nullopt;
    const PriceWindow w = WindowContaining(static_cast<int32_t>(*day));
    if (w.first_day != *day) return std::nullopt;
    return w;
}

std::string WindowId(const PriceWindow& window) {
    return fmt::format("{:04}-{:02}-{}", window.year, window.month, window.half);
}

std::string WindowStartDate(const PriceWindow& window) {
    return FormatDate(WindowStartUs(window) - kGhanaUtcOffsetUs);
}

PriceWindow NextWindow(const PriceWindow& window) { return WindowContaining(window.last_day + 1); }

TimestampUs WindowStartUs(const PriceWindow& window) {
    return int64_t{window.first_day} * kUsPerDay - kGhanaUtcOffsetUs;
}

TimestampUs WindowEndUs(const PriceWindow& window) {
    return (int64_t{window.last_day} + 1) * kUsPerDay - kGhanaUtcOffsetUs;
}

int Weekday(int32_t day) {
    // 1970-01-01 was a Thursday (3 with Monday = 0).
    const int64_t shifted = (int64_t{day} + 3) % 7;
    return static_cast<int>(shifted < 0 ? shifted + 7 : shifted);
}

bool IsWorkingDay(int32_t day, const std::set<int32_t>& holidays) {
    return Weekday(day) < 5 && !holidays.contains(day);
}

int32_t PreviousWorkingDay(int32_t day, const std::set<int32_t>& holidays) {
    constexpr int kMaxSearchDays = 366;
    for (int back = 1; back <= kMaxSearchDays; ++back) {
        if (IsWorkingDay(day - back, holidays)) return day - back;
    }
    FailInvariant("holidays", "no working day in the year before a window", __FILE__, __LINE__);
}

TimestampUs SubmissionDeadlineUs(const PriceWindow& window, const std::set<int32_t>& holidays) {
    const int32_t day = PreviousWorkingDay(window.first_day, holidays);
    const TimestampUs deadline =
        int64_t{day} * kUsPerDay + kSubmissionDeadlineUsOfDay - kGhanaUtcOffsetUs;
    ERP_ASSERT(deadline < WindowStartUs(window), "the deadline comes before the window");
    return deadline;
}

}  // namespace omc::pricing
