#include "platform/db/multi_row.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

#include <fmt/format.h>

#include "platform/base/assert.hpp"

namespace omc::db {
namespace {

struct Built {
    std::string name;
    std::string sql;
};

}  // namespace

Query MultiRowInsert(std::string_view name, std::string_view head, std::string_view tail,
                     size_t columns, size_t rows) {
    ERP_ASSERT(columns > 0 && rows > 0, "a multi-row insert of no rows or columns");
    // Keyed by the literals' addresses as well as their text: two call sites never share an
    // entry by accident, and a lookup compares pointers, not SQL.
    using Key = std::tuple<const char*, const char*, size_t, size_t>;
    static std::mutex mu;
    static std::map<Key, std::unique_ptr<Built>> built;
    const Key key{name.data(), head.data(), columns, rows};
    std::lock_guard lock(mu);
    auto& entry = built[key];
    if (!entry) {
        entry = std::make_unique<Built>();
        entry->name = fmt::format("{}.{}", name, rows);
        std::string& sql = entry->sql;
        sql.reserve(head.size() + tail.size() + 16 + rows * columns * 7);
        sql.append(head);
        sql += " VALUES ";
        size_t n = 0;
        for (size_t r = 0; r < rows; ++r) {
            sql += r == 0 ? "(" : ", (";
            for (size_t c = 0; c < columns; ++c) {
                if (c > 0) sql += ", ";
                fmt::format_to(std::back_inserter(sql), "${}", ++n);
            }
            sql += ')';
        }
        sql.append(tail);
    }
    return Query{entry->name, entry->sql};
}

void AppendInsertChunks(std::string_view name, std::string_view head, std::string_view tail,
                        size_t columns, std::vector<Params> rows,
                        std::vector<std::pair<Query, Params>>& out) {
    size_t next = 0;
    for (const size_t size : kMultiRowSizes) {
        while (rows.size() - next >= size) {
            Params params;
            params.reserve(size * columns);
            for (size_t r = next; r < next + size; ++r) {
                ERP_ASSERT(rows[r].size() == columns, "a row of a multi-row insert is short");
                for (Param& p : rows[r]) params.push_back(std::move(p));
            }
            out.emplace_back(MultiRowInsert(name, head, tail, columns, size), std::move(params));
            next += size;
        }
    }
}

}  // namespace omc::db
