#include "platform/base/clock.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <vector>

namespace omc {
namespace {

TEST(ParseTimestampTest, AcceptsRfc3339) {
    EXPECT_EQ(ParseTimestamp("1970-01-01T00:00:00Z"), 0);
    EXPECT_EQ(ParseTimestamp("2025-11-21T15:04:05.123456Z"), 1'763'737'445'123'456);
    EXPECT_EQ(ParseTimestamp("2025-11-21t15:04:05.123z"), 1'763'737'445'123'000);
    EXPECT_EQ(ParseTimestamp("2025-11-21 15:04:05.1234567891Z"), 1'763'737'445'123'456);
    EXPECT_EQ(ParseTimestamp("2025-11-21T16:04:05+01:00"), 1'763'737'445'000'000);
    EXPECT_EQ(ParseTimestamp("2025-11-21T09:34:05-05:30"), 1'763'737'445'000'000);
    EXPECT_EQ(ParseTimestamp("1969-12-31T23:59:59.999999Z"), -1);
    EXPECT_EQ(ParseTimestamp("2024-02-29T00:00:00Z"), 1'709'164'800'000'000);
    // What FormatTimestamp writes reads back.
    EXPECT_EQ(ParseTimestamp(FormatTimestamp(1'700'000'000'123'000)), 1'700'000'000'123'000);
}

TEST(ParseTimestampTest, RefusesEverythingElse) {
    for (const char* bad :
         {"", "2025-11-21", "2025-11-21T15:04:05", "2025-11-21T15:04:05+0100",
          "2025-11-21T15:04:05.Z", "2025-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
          "2025-11-31T00:00:00Z", "2025-11-21T24:00:00Z", "2025-11-21T23:60:00Z",
          "2025-11-21T23:59:60Z", "0000-01-01T00:00:00Z", "2025-11-21X15:04:05Z",
          "2025-11-21T15:04:05Zjunk", "2025-11-21T15:04:05+24:00", "2025-11-21T15:04:05+01:60",
          "+025-11-21T15:04:05Z", "2025-1a-21T15:04:05Z", "1700000000"}) {
        EXPECT_FALSE(ParseTimestamp(bad).has_value()) << bad;
    }
}

// FormatTimestamp computes the calendar by arithmetic; gmtime_r is the reference. Steps of a
// prime number of seconds (plus a leap day and the epoch's edges) cross every month, leap years,
// century rules and negative times.
TEST(FormatTimestampTest, AgreesWithGmtime) {
    std::vector<TimestampUs> samples = {0,
                                        -1,
                                        999,
                                        -1'000'000,
                                        951'782'400'000'000,
                                        4'107'542'399'999'999,
                                        -62'135'596'800'000'000};
    for (int64_t s = -2'208'988'800; s < 4'102'444'800; s += 7'919'993) {
        samples.push_back(s * 1'000'000 + (s % 1000) * 1000);
    }
    for (TimestampUs ts : samples) {
        const int64_t floor_seconds = ts / 1'000'000 - (ts % 1'000'000 < 0 ? 1 : 0);
        const int64_t micros = ts - floor_seconds * 1'000'000;
        const std::time_t t = static_cast<std::time_t>(floor_seconds);
        std::tm tm{};
        ASSERT_NE(gmtime_r(&t, &tm), nullptr);
        char expected[96];  // room for any int the format could print
        std::snprintf(expected, sizeof(expected), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                      tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                      tm.tm_sec, static_cast<int>(micros / 1000));
        EXPECT_EQ(FormatTimestamp(ts), expected) << ts;
    }
}

TEST(ParseDateDaysTest, CountsDaysFromTheEpoch) {
    EXPECT_EQ(ParseDateDays("1970-01-01"), 0);
    EXPECT_EQ(ParseDateDays("1969-12-31"), -1);
    EXPECT_EQ(ParseDateDays("2026-11-21"), 20'778);
    EXPECT_EQ(ParseDateDays("2028-02-29"), 21'243);  // a leap day
    EXPECT_EQ(FormatDate(*ParseDateDays("2026-11-21") * 86'400 * 1'000'000LL + 1), "2026-11-21");
}

TEST(ParseDateDaysTest, RefusesEverythingElse) {
    for (const char* text : {"", "2026-11-2", "2026-2-01", "2026-02-30", "2027-02-29", "2026-13-01",
                             "0000-01-01", "2026/11/21", "2026-11-21T00:00:00Z", " 2026-11-21"}) {
        EXPECT_FALSE(ParseDateDays(text).has_value()) << text;
    }
}

}  // namespace
}  // namespace omc
