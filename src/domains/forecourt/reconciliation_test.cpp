// The business day a reconciliation reads: BusinessDayStart is the inverse of BusinessDate.
#include "domains/forecourt/reconciliation.hpp"

#include <gtest/gtest.h>

#include "domains/forecourt/sales.hpp"

namespace omc::forecourt {
namespace {

constexpr int64_t kSixAmMin = 6 * 60;

TEST(BusinessDayStart, IsMidnightPlusTheStationsDayStart) {
    EXPECT_EQ(BusinessDayStart("2026-11-21", 0), ParseTimestamp("2026-11-21T00:00:00Z"));
    EXPECT_EQ(BusinessDayStart("2026-11-21", kSixAmMin), ParseTimestamp("2026-11-21T06:00:00Z"));
    EXPECT_EQ(BusinessDayStart("2028-02-29", 0), ParseTimestamp("2028-02-29T00:00:00Z"));
}

TEST(BusinessDayStart, InvertsBusinessDate) {
    const TimestampUs start = *BusinessDayStart("2026-11-21", kSixAmMin);
    EXPECT_EQ(BusinessDate(start, kSixAmMin), "2026-11-21");
    EXPECT_EQ(BusinessDate(start - 1, kSixAmMin), "2026-11-20");
    EXPECT_EQ(BusinessDate(start + kUsPerDay - 1, kSixAmMin), "2026-11-21");
    EXPECT_EQ(BusinessDate(start + kUsPerDay, kSixAmMin), "2026-11-22");
}

TEST(BusinessDayStart, RefusesWhatIsNotADate) {
    for (const char* text : {"", "2026-11-2", "2026-11-210", "2026-02-30", "2026-13-01",
                             "2026-11-21T00:00:00Z", "abcd-ef-gh", "2026/11/21"}) {
        EXPECT_FALSE(BusinessDayStart(text, 0).has_value()) << text;
    }
}

}  // namespace
}  // namespace omc::forecourt
