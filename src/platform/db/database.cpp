#include "platform/db/database.hpp"

#include <charconv>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "platform/base/assert.hpp"
#include "platform/db/connection_pool.hpp"
#include "platform/db/pg_database.hpp"
#include "platform/db/sqlite_database.hpp"

namespace omc::db {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";
constexpr std::string_view kPostgresqlPrefix = "postgresql://";
constexpr std::string_view kPostgresPrefix = "postgres://";

const std::string& CellText(const std::vector<std::optional<std::string>>& cells, size_t i) {
    ERP_INVARIANT(i < cells.size(), "row column index out of range");
    ERP_INVARIANT(cells[i].has_value(), "NULL read through a non-optional Row accessor");
    return *cells[i];
}

int64_t ParseInt64(const std::string& text) {
    int64_t value = 0;
    const char* first = text.data();
    const char* last = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(first, last, value);
    ERP_INVARIANT(ec == std::errc() && ptr == last && !text.empty(),
                  "Row::Int on a cell that is not a decimal int64");
    return value;
}

Error BadUrl(std::string_view why) { return InvalidArgument("database.url", std::string(why)); }

}  // namespace

std::string_view EngineName(Engine engine) {
    switch (engine) {
        case Engine::kSqlite:
            return "sqlite";
        case Engine::kPostgres:
            return "postgres";
    }
    ERP_INVARIANT(false, "unknown Engine value");
    return "";
}

bool Row::IsNull(size_t i) const {
    ERP_INVARIANT(i < cells_.size(), "row column index out of range");
    return !cells_[i].has_value();
}

int64_t Row::Int(size_t i) const { return ParseInt64(CellText(cells_, i)); }

std::optional<int64_t> Row::OptInt(size_t i) const {
    if (IsNull(i)) return std::nullopt;
    return Int(i);
}

std::optional<Uuid> Row::OptId(size_t i) const {
    if (IsNull(i)) return std::nullopt;
    return Id(i);
}

const std::string& Row::Text(size_t i) const { return CellText(cells_, i); }

std::optional<std::string> Row::OptText(size_t i) const {
    if (IsNull(i)) return std::nullopt;
    return *cells_[i];
}

bool Row::Bool(size_t i) const {
    const std::string& t = CellText(cells_, i);
    if (t == "t" || t == "1" || t == "true") return true;
    if (t == "f" || t == "0" || t == "false") return false;
    ERP_INVARIANT(false, "Row::Bool on a cell that is not a boolean");
    return false;
}

Uuid Row::Id(size_t i) const {
    const auto id = Uuid::Parse(CellText(cells_, i));
    ERP_INVARIANT(id.has_value(), "Row::Id on a cell that is not a UUID");
    return *id;
}

bool IsSerializationFailure(const Error& error) {
    return error.code() == ErrorCode::kConflict &&
           error.message() == internal::kSerializationFailureMessage;
}

Result<std::unique_ptr<Database>> Open(const DatabaseOptions& options) {
    if (options.pool_size < 1) {
        return InvalidArgument("database.pool_size", "must be at least 1");
    }
    const std::string_view url = options.url;
    if (url.starts_with(kSqlitePrefix)) {
        const std::string_view path = url.substr(kSqlitePrefix.size());
        if (path.empty()) return BadUrl("sqlite: needs a file path or :memory:");
        return internal::OpenSqlite(std::string(path), options);
    }
    if (url.starts_with(kPostgresqlPrefix) || url.starts_with(kPostgresPrefix)) {
        return internal::OpenPostgres(options);
    }
    return BadUrl("must start with sqlite:, postgresql:// or postgres://");
}

namespace internal {

bool IsPlainIdentifier(std::string_view name) {
    if (name.empty()) return false;
    const auto head = [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; };
    const auto tail = [&](char c) { return head(c) || (c >= '0' && c <= '9'); };
    if (!head(name[0])) return false;
    for (char c : name.substr(1)) {
        if (!tail(c)) return false;
    }
    return true;
}

std::string QuoteIdentifier(std::string_view name) {
    ERP_INVARIANT(IsPlainIdentifier(name), "QuoteIdentifier on an unchecked name");
    return fmt::format("\"{}\"", name);
}

Result<void> ValidateCopyTarget(std::string_view table, const std::vector<std::string>& columns) {
    if (!IsPlainIdentifier(table)) {
        return InvalidArgument("table", fmt::format("'{}' is not a plain identifier", table));
    }
    if (columns.empty()) return InvalidArgument("columns", "at least one column is needed");
    for (const auto& c : columns) {
        if (!IsPlainIdentifier(c)) {
            return InvalidArgument("columns", fmt::format("'{}' is not a plain identifier", c));
        }
    }
    return Ok();
}

Result<void> ValidateSavepointName(std::string_view name) {
    if (name.size() > kMaxSavepointNameBytes || !IsPlainIdentifier(name)) {
        return InvalidArgument("savepoint", fmt::format("'{}' is not a plain identifier of at most "
                                                        "{} bytes",
                                                        name, kMaxSavepointNameBytes));
    }
    return Ok();
}

Result<void> SavepointStack::CheckCanOpen(std::string_view name) const {
    OMC_TRY(ValidateSavepointName(name));
    if (names_.size() >= kMaxSavepointDepth) {
        return InvalidArgument("savepoint",
                               fmt::format("more than {} savepoints open", kMaxSavepointDepth));
    }
    return Ok();
}

Result<size_t> SavepointStack::Find(std::string_view name) const {
    OMC_TRY(ValidateSavepointName(name));
    for (size_t i = names_.size(); i > 0; --i) {
        if (names_[i - 1] == name) return i - 1;
    }
    return Internal(fmt::format("no savepoint named '{}' is open", name));
}

}  // namespace internal

Result<ScopedSavepoint> ScopedSavepoint::Open(Transaction& tx, std::string_view name) {
    OMC_TRY(tx.Savepoint(name));
    return ScopedSavepoint(tx, name);
}

ScopedSavepoint::ScopedSavepoint(ScopedSavepoint&& other) noexcept
    : tx_(std::exchange(other.tx_, nullptr)), name_(std::move(other.name_)) {}

ScopedSavepoint::~ScopedSavepoint() {
    if (tx_ != nullptr) (void)RollBack();
}

Result<void> ScopedSavepoint::Release() {
    ERP_INVARIANT(tx_ != nullptr, "ScopedSavepoint released after it was closed");
    Transaction* tx = std::exchange(tx_, nullptr);
    return tx->ReleaseSavepoint(name_);
}

Result<void> ScopedSavepoint::RollBack() {
    ERP_INVARIANT(tx_ != nullptr, "ScopedSavepoint rolled back after it was closed");
    Transaction* tx = std::exchange(tx_, nullptr);
    OMC_TRY(tx->RollbackToSavepoint(name_));
    return tx->ReleaseSavepoint(name_);
}

}  // namespace omc::db
