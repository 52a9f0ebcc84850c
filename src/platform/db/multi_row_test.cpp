#include "platform/db/multi_row.hpp"

#include <gtest/gtest.h>

namespace omc::db {
namespace {

TEST(MultiRowInsertTest, NumbersThePlaceholdersRowAfterRowAndNamesTheQueryByItsSize) {
    const Query q =
        MultiRowInsert("test.pairs", "INSERT INTO t (a, b)", " ON CONFLICT DO NOTHING", 2, 3);
    EXPECT_EQ(q.name, "test.pairs.3");
    EXPECT_EQ(q.sql,
              "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4), ($5, $6) ON CONFLICT DO NOTHING");
    // Built once: the same text (same storage) the second time.
    EXPECT_EQ(MultiRowInsert("test.pairs", "INSERT INTO t (a, b)", " ON CONFLICT DO NOTHING", 2, 3)
                  .sql.data(),
              q.sql.data());
}

TEST(MultiRowInsertTest, SplitsRowsIntoTheFixedSizesKeepingTheirOrder) {
    std::vector<Params> rows;
    for (int64_t i = 0; i < 87; ++i) rows.push_back({i, i * 10});
    std::vector<std::pair<Query, Params>> out;
    AppendInsertChunks("test.chunks", "INSERT INTO t (a, b)", "", 2, std::move(rows), out);
    // 87 = 64 + 16 + 4 + 1 + 1 + 1
    std::vector<std::string_view> names;
    for (const auto& [q, p] : out) names.push_back(q.name);
    EXPECT_EQ(names,
              (std::vector<std::string_view>{"test.chunks.64", "test.chunks.16", "test.chunks.4",
                                             "test.chunks.1", "test.chunks.1", "test.chunks.1"}));
    int64_t expected = 0;
    for (const auto& [q, params] : out) {
        for (size_t i = 0; i < params.size(); i += 2) {
            EXPECT_EQ(std::get<int64_t>(params[i].value()), expected);
            EXPECT_EQ(std::get<int64_t>(params[i + 1].value()), expected * 10);
            ++expected;
        }
    }
    EXPECT_EQ(expected, 87);
}

TEST(MultiRowInsertTest, NoRowsNoStatements) {
    std::vector<std::pair<Query, Params>> out;
    AppendInsertChunks("test.none", "INSERT INTO t (a)", "", 1, {}, out);
    EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace omc::db
