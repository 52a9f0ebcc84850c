// Row accessors: both engines hand back text, so these rules hold whichever produced the row.
#include <gtest/gtest.h>

#include "platform/db/database.hpp"

namespace omc::db {
namespace {

Row MakeRow(std::vector<std::optional<std::string>> cells) { return Row(std::move(cells)); }

TEST(Row, IntParsesDecimalInt64Strictly) {
    const Row row = MakeRow({"-9223372036854775808", "9223372036854775807", "12a", "", " 1",
                             "9223372036854775808", "0"});
    EXPECT_EQ(row.Int(0), std::numeric_limits<int64_t>::min());
    EXPECT_EQ(row.Int(1), std::numeric_limits<int64_t>::max());
    EXPECT_THROW((void)row.Int(2), InvariantViolation);
    EXPECT_THROW((void)row.Int(3), InvariantViolation);
    EXPECT_THROW((void)row.Int(4), InvariantViolation);
    EXPECT_THROW((void)row.Int(5), InvariantViolation);  // overflow
    EXPECT_EQ(row.Int(6), 0);
}

TEST(Row, BoolAcceptsBothEnginesSpellings) {
    const Row row = MakeRow({"t", "f", "1", "0", "true", "false", "yes"});
    EXPECT_TRUE(row.Bool(0));
    EXPECT_FALSE(row.Bool(1));
    EXPECT_TRUE(row.Bool(2));
    EXPECT_FALSE(row.Bool(3));
    EXPECT_TRUE(row.Bool(4));
    EXPECT_FALSE(row.Bool(5));
    EXPECT_THROW((void)row.Bool(6), InvariantViolation);
}

TEST(Row, IdParsesUuids) {
    const Row row = MakeRow({"0190f3c2-7b1a-7c3d-8e4f-123456789abc", "not-a-uuid"});
    EXPECT_EQ(row.Id(0).ToString(), "0190f3c2-7b1a-7c3d-8e4f-123456789abc");
    EXPECT_THROW((void)row.Id(1), InvariantViolation);
}

TEST(Row, NullsAndBounds) {
    const Row row = MakeRow({std::nullopt, "x"});
    EXPECT_TRUE(row.IsNull(0));
    EXPECT_FALSE(row.IsNull(1));
    EXPECT_EQ(row.OptText(0), std::nullopt);
    EXPECT_EQ(row.OptText(1), "x");
    EXPECT_EQ(row.OptInt(0), std::nullopt);
    EXPECT_THROW((void)row.Text(0), InvariantViolation);
    EXPECT_THROW((void)row.Text(2), InvariantViolation);
}

TEST(EngineName, NamesBothEngines) {
    EXPECT_EQ(EngineName(Engine::kSqlite), "sqlite");
    EXPECT_EQ(EngineName(Engine::kPostgres), "postgres");
}

}  // namespace
}  // namespace omc::db
