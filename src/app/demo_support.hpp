// What `omc demo`'s builders share: the seeded random engine (one per builder, so --seed
// reproduces everything) and the bulk writer of history rows (CopyIn on SQLite, multi-row
// INSERTs on PostgreSQL). Internal to src/app.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "platform/base/assert.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/base/uuid_v7.hpp"
#include "platform/db/database.hpp"

namespace omc::app::demo {

inline constexpr size_t kBulkRows = 20'000;
inline constexpr size_t kPgParamsPerInsert = 7'000;

// ---- randomness: one seeded engine, so --seed reproduces the network and its history ----

class Rng {
  public:
    explicit Rng(uint64_t seed) : engine_(seed) {}
    double Uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(engine_); }
    int64_t Between(int64_t low, int64_t high) {  // inclusive
        return std::uniform_int_distribution<int64_t>(low, high)(engine_);
    }
    bool Chance(double p) { return Uniform() < p; }
    template <typename T>
    const T& Pick(std::span<const T> items) {
        return items[static_cast<size_t>(Between(0, static_cast<int64_t>(items.size()) - 1))];
    }
    size_t Weighted(std::span<const double> weights) {
        double total = 0;
        for (double w : weights) total += w;
        double x = Uniform() * total;
        for (size_t i = 0; i < weights.size(); ++i) {
            if (x < weights[i]) return i;
            x -= weights[i];
        }
        return weights.size() - 1;
    }
    // A UUIDv7 whose time is `at`: history ids sort by when their record happened.
    Uuid IdAt(TimestampUs at) {
        std::array<uint8_t, 16> b{};
        const uint64_t r1 = engine_(), r2 = engine_();
        for (size_t i = 0; i < 8; ++i) {
            b[i + 8] = static_cast<uint8_t>(r2 >> (8 * i));
            if (i >= 6) b[i] = static_cast<uint8_t>(r1 >> (8 * i));
        }
        return UuidV7At(at / 1000, b);
    }

  private:
    std::mt19937_64 engine_;
};

// ---- bulk rows: one prepared INSERT per row on SQLite (Transaction::CopyIn), multi-row
// INSERTs on PostgreSQL (COPY FROM is refused on tables under row-level security) ----

class Bulk {
  public:
    Bulk(std::string table, std::vector<std::string> columns)
        : table_(std::move(table)), columns_(std::move(columns)) {}
    Result<void> Add(db::Transaction& tx, std::vector<db::Param> row) {
        ERP_ASSERT(row.size() == columns_.size(), "bulk row width");
        rows_.push_back(std::move(row));
        ++total_;
        if (rows_.size() >= kBulkRows) return Flush(tx);
        return Ok();
    }
    Result<void> Flush(db::Transaction& tx) {
        if (rows_.empty()) return Ok();
        if (tx.engine() == db::Engine::kSqlite) {
            OMC_TRY(tx.CopyIn(table_, columns_, rows_));
        } else {
            // libpq refuses a parameter description over 30 000 bytes (4 per parameter), though
            // the server would take 65 535 parameters.
            const size_t per_statement = kPgParamsPerInsert / columns_.size();
            for (size_t begin = 0; begin < rows_.size(); begin += per_statement) {
                const size_t n = std::min(per_statement, rows_.size() - begin);
                db::Params params;
                params.reserve(n * columns_.size());
                for (size_t i = begin; i < begin + n; ++i) {
                    for (db::Param& p : rows_[i]) params.push_back(std::move(p));
                }
                OMC_TRY(tx.Execute(InsertOf(n), params));
            }
        }
        rows_.clear();
        return Ok();
    }
    int64_t total() const { return total_; }

  private:
    // INSERT INTO table (columns) VALUES ($1, ...), (...): n rows, named and kept per n.
    db::Query InsertOf(size_t n) {
        auto [it, fresh] = statements_.try_emplace(n);
        if (fresh) {
            it->second.first = fmt::format("demo.bulk_{}_{}", table_, n);
            std::string sql =
                fmt::format("INSERT INTO {} ({}) VALUES ", table_, fmt::join(columns_, ", "));
            size_t next = 1;
            for (size_t row = 0; row < n; ++row) {
                sql += row == 0 ? "(" : ", (";
                for (size_t c = 0; c < columns_.size(); ++c, ++next) {
                    if (c > 0) sql += ", ";
                    sql += fmt::format("${}", next);
                }
                sql += ")";
            }
            it->second.second = std::move(sql);
        }
        return db::Query{it->second.first, it->second.second};
    }

    std::string table_;
    std::vector<std::string> columns_;
    std::vector<std::vector<db::Param>> rows_;
    std::map<size_t, std::pair<std::string, std::string>> statements_;  // n -> name, SQL
    int64_t total_ = 0;
};

}  // namespace omc::app::demo
