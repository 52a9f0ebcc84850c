// The window calendar and the NPA submission deadline, as pure rules.
#include "domains/pricing/windows.hpp"

#include <gtest/gtest.h>

namespace omc::pricing {
namespace {

int32_t Day(const char* date) { return static_cast<int32_t>(*ParseDateDays(date)); }
std::string Date(int32_t day) { return FormatDate(int64_t{day} * kUsPerDay); }

TEST(PricingWindows, HalvesOfEveryMonthLength) {
    struct Case {
        const char* day;
        const char* id;
        const char* first;
        const char* last;
    };
    const Case cases[] = {
        {"2026-12-01", "2026-12-1", "2026-12-01", "2026-12-15"},
        {"2026-12-15", "2026-12-1", "2026-12-01", "2026-12-15"},
        {"2026-12-16", "2026-12-2", "2026-12-16", "2026-12-31"},  // 31-day month
        {"2026-12-31", "2026-12-2", "2026-12-16", "2026-12-31"},
        {"2026-11-30", "2026-11-2", "2026-11-16", "2026-11-30"},  // 30 days
        {"2026-02-20", "2026-02-2", "2026-02-16", "2026-02-28"},  // 28 days
        {"2028-02-29", "2028-02-2", "2028-02-16", "2028-02-29"},  // leap year: 29 days
        {"2100-02-28", "2100-02-2", "2100-02-16", "2100-02-28"},  // not a leap year
    };
    for (const Case& c : cases) {
        const PriceWindow w = WindowContaining(Day(c.day));
        EXPECT_EQ(WindowId(w), c.id) << c.day;
        EXPECT_EQ(Date(w.first_day), c.first) << c.day;
        EXPECT_EQ(Date(w.last_day), c.last) << c.day;
        EXPECT_EQ(WindowStartDate(w), c.first);
    }
}

TEST(PricingWindows, NamesAndStartsParseToTheSameWindow) {
    EXPECT_EQ(ParseWindowId("2026-12-2"), ParseWindowId("2026-12-16"));
    EXPECT_EQ(ParseWindowId("2026-12-1"), ParseWindowId("2026-12-01"));
    EXPECT_EQ(ParseWindowId("2027-01-1")->first_day, Day("2027-01-01"));
    for (const char* bad : {"2026-12-3", "2026-13-1", "2026-12-17", "2026-12-02", "2026-2-1",
                            "20261201", "", "2026-12-1x", "abcd-12-1"}) {
        EXPECT_FALSE(ParseWindowId(bad).has_value()) << bad;
    }
}

TEST(PricingWindows, NextWindowCrossesMonthAndYear) {
    const PriceWindow dec2 = *ParseWindowId("2026-12-2");
    EXPECT_EQ(WindowId(NextWindow(dec2)), "2027-01-1");
    EXPECT_EQ(WindowId(NextWindow(*ParseWindowId("2028-02-1"))), "2028-02-2");
    EXPECT_EQ(WindowId(NextWindow(*ParseWindowId("2028-02-2"))), "2028-03-1");
    // The second half of February ends at 00:00 on 1 March: prices change at midnight UTC.
    EXPECT_EQ(FormatTimestamp(WindowEndUs(*ParseWindowId("2026-02-2"))),
              "2026-03-01T00:00:00.000Z");
    EXPECT_EQ(FormatTimestamp(WindowStartUs(dec2)), "2026-12-16T00:00:00.000Z");
}

TEST(PricingWindows, WeekdaysFromTheEpoch) {
    EXPECT_EQ(Weekday(Day("1970-01-01")), 3);  // Thursday
    EXPECT_EQ(Weekday(Day("2026-12-16")), 2);  // Wednesday
    EXPECT_EQ(Weekday(Day("2026-03-16")), 0);  // Monday
    EXPECT_EQ(Weekday(Day("1969-12-28")), 6);  // Sunday, before the epoch
}

TEST(PricingWindows, DeadlineIsNoonOfTheWorkingDayBefore) {
    const std::set<int32_t> none;
    // Wednesday 16 Dec 2026: Tuesday noon.
    EXPECT_EQ(FormatTimestamp(SubmissionDeadlineUs(*ParseWindowId("2026-12-2"), none)),
              "2026-12-15T12:00:00.000Z");
    // Monday 16 Mar 2026: over the weekend to Friday 13th.
    EXPECT_EQ(FormatTimestamp(SubmissionDeadlineUs(*ParseWindowId("2026-03-2"), none)),
              "2026-03-13T12:00:00.000Z");
    // Tuesday 16 Jun 2026 after a holiday Monday (15th): back over the weekend to Friday 12th.
    const std::set<int32_t> holiday_monday{Day("2026-06-15")};
    EXPECT_EQ(FormatTimestamp(SubmissionDeadlineUs(*ParseWindowId("2026-06-2"), holiday_monday)),
              "2026-06-12T12:00:00.000Z");
    // Friday 1 Jan 2027 after Christmas week: Thursday 31 Dec is a working day.
    const std::set<int32_t> christmas{Day("2026-12-25"), Day("2026-12-28")};
    EXPECT_EQ(FormatTimestamp(SubmissionDeadlineUs(*ParseWindowId("2027-01-1"), christmas)),
              "2026-12-31T12:00:00.000Z");
    // Tuesday 29 Dec 2026 (not a window) shows the run: Mon 28 (holiday), Sun, Sat (26,
    // holiday anyway), Fri 25 (holiday) -> Thursday 24th.
    EXPECT_EQ(Date(PreviousWorkingDay(Day("2026-12-29"), christmas)), "2026-12-24");
}

}  // namespace
}  // namespace omc::pricing
