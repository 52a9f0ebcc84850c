// One INSERT of many rows instead of one INSERT per row: a hot write that stores a batch of rows
// (the sales of a group commit and their events) sends one statement per table. On PostgreSQL
// each statement costs the server an executor start and a round of protocol messages whatever
// its size, so a batch of n rows in one statement costs it much less than n statements.
//
// Statements are prepared once per text, so row counts are rounded into a few fixed sizes:
// InsertChunks splits n rows into chunks of kMultiRowSizes (64, 16, 4, 1), each its own query.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/db/database.hpp"

namespace omc::db {

inline constexpr std::array<size_t, 4> kMultiRowSizes = {64, 16, 4, 1};

// The INSERT of `rows` rows: `head` ("INSERT INTO t (a, b, c)") followed by
// " VALUES ($1, $2, $3), ($4, ...)" with `columns` placeholders per row, and `tail` (say
// " ON CONFLICT DO NOTHING", or empty). The query is named "<name>.<rows>". `name`, `head` and
// `tail` must be string literals (or otherwise outlive the process): the text is built once per
// (name, rows) and kept.
Query MultiRowInsert(std::string_view name, std::string_view head, std::string_view tail,
                     size_t columns, size_t rows);

// The statements that insert `rows` (each exactly `columns` values) in chunks of kMultiRowSizes,
// appended to `out` in row order.
void AppendInsertChunks(std::string_view name, std::string_view head, std::string_view tail,
                        size_t columns, std::vector<Params> rows,
                        std::vector<std::pair<Query, Params>>& out);

}  // namespace omc::db
