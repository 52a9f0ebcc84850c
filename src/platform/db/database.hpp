// The database layer: one SQL text with $1..$n placeholders for PostgreSQL (libpq) and SQLite
// (sqlite3, which binds "$1" by name, so "$2" written before "$1" still binds right). Only this
// folder includes libpq-fe.h or sqlite3.h.
//
//   constexpr db::Query kFindKey{"platform.find_idempotency_key", R"sql(
//       SELECT status, request_hash FROM idempotency_keys WHERE tenant_id = $1 AND key = $2)sql"};
//   OMC_ASSIGN_OR_RETURN(auto tx, database.Begin({.tenant = tenant}));
//   OMC_ASSIGN_OR_RETURN(db::Rows rows, tx->Query(kFindKey, {tenant.ToString(), key}));
//   OMC_TRY(tx->Commit());
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "platform/base/id.hpp"
#include "platform/base/result.hpp"

namespace omc::db {

enum class Engine { kSqlite, kPostgres };
std::string_view EngineName(Engine engine);

// A named SQL statement. The name keys the prepared-statement cache and labels logs and metrics.
struct Query {
    std::string_view name;
    std::string_view sql;
};

struct Null {};
// A bound parameter. Text is also how UUIDs travel; Bytes is binary (BYTEA / BLOB).
struct Bytes {
    std::string data;
};
using Value = std::variant<Null, int64_t, std::string, bool, Bytes>;

// Builds parameter lists without ceremony: {tenant, "text", int64_t{5}, db::Null{}}.
class Param {
  public:
    Param(Null) : v_(Null{}) {}                        // NOLINT
    Param(std::nullopt_t) : v_(Null{}) {}              // NOLINT
    Param(int64_t v) : v_(v) {}                        // NOLINT
    Param(int v) : v_(static_cast<int64_t>(v)) {}      // NOLINT
    Param(bool v) : v_(v) {}                           // NOLINT
    Param(std::string v) : v_(std::move(v)) {}         // NOLINT
    Param(std::string_view v) : v_(std::string(v)) {}  // NOLINT
    Param(const char* v) : v_(std::string(v)) {}       // NOLINT
    Param(const Uuid& v) : v_(v.ToString()) {}         // NOLINT
    Param(Bytes v) : v_(std::move(v)) {}               // NOLINT
    template <typename Tag>
    Param(const TypedId<Tag>& v) : v_(v.ToString()) {}  // NOLINT
    template <typename T>
    Param(const std::optional<T>& v) : v_(Null{}) {  // NOLINT
        if (v) v_ = Param(*v).value();
    }
    const Value& value() const { return v_; }

  private:
    Value v_;
};
using Params = std::vector<Param>;

// One result row, materialised. Column access by index is checked; a NULL read as a non-optional
// type is an invariant failure (the query author promised NOT NULL).
class Row {
  public:
    explicit Row(std::vector<std::optional<std::string>> cells) : cells_(std::move(cells)) {}
    size_t size() const { return cells_.size(); }
    bool IsNull(size_t i) const;
    int64_t Int(size_t i) const;
    std::optional<int64_t> OptInt(size_t i) const;
    const std::string& Text(size_t i) const;
    std::optional<std::string> OptText(size_t i) const;
    bool Bool(size_t i) const;  // accepts PostgreSQL 't'/'f' and SQLite 1/0
    Uuid Id(size_t i) const;
    std::optional<Uuid> OptId(size_t i) const;

  private:
    // Both engines hand back text (PostgreSQL text format; SQLite converted on read), so a row
    // looks the same whichever engine produced it. Binary columns arrive as raw bytes.
    std::vector<std::optional<std::string>> cells_;
};

struct Rows {
    std::vector<std::string> columns;
    std::vector<Row> rows;
    bool empty() const { return rows.empty(); }
    size_t size() const { return rows.size(); }
    const Row& operator[](size_t i) const { return rows[i]; }
    auto begin() const { return rows.begin(); }
    auto end() const { return rows.end(); }
};

struct TxOptions {
    // The tenant whose rows this transaction may touch. On PostgreSQL it is set with
    // SET LOCAL app.tenant_id, which row-level security policies read. Unset means no tenant:
    // tenant-owned tables then show nothing on PostgreSQL, unless `system` is set.
    std::optional<TenantId> tenant;
    // Platform work that legitimately spans tenants (outbox relay, expiry sweeps, migrations):
    // sets app.system = 'on', which the RLS policies allow. Never set from a request.
    bool system = false;
    bool read_only = false;
};

// One transaction on one pooled connection. Not thread-safe: a transaction belongs to one thread.
// Destroying it without Commit() rolls back. After any failed statement it can only roll back, on
// both engines (PostgreSQL's rule, enforced on SQLite too): later statements fail and Commit()
// rolls back and fails, unless RollbackToSavepoint() returns it to a savepoint taken before the
// failure. It must not outlive the Database it came from.
class Transaction {
  public:
    virtual ~Transaction() = default;

    // Runs a statement and returns its rows (for SELECT or ... RETURNING).
    virtual Result<Rows> Query(const db::Query& query, const Params& params) = 0;
    // Runs a statement and returns the number of rows it changed.
    virtual Result<int64_t> Execute(const db::Query& query, const Params& params) = 0;
    // Runs several statements in one round trip where the engine allows it (libpq pipeline
    // mode); returns each statement's changed-row count. The first failure fails the batch and
    // the transaction must be rolled back.
    virtual Result<std::vector<int64_t>> ExecuteBatch(
        const std::vector<std::pair<db::Query, Params>>& statements) = 0;
    // Bulk-loads rows into `table` (COPY FROM STDIN on PostgreSQL; a prepared INSERT loop on
    // SQLite). Values are text or Null. Returns the number of rows loaded.
    virtual Result<int64_t> CopyIn(std::string_view table, const std::vector<std::string>& columns,
                                   const std::vector<std::vector<Param>>& rows) = 0;
    // Runs a parameterless script of several statements inside this transaction (migrations).
    virtual Result<void> ExecScript(std::string_view sql) = 0;

    // Savepoints, with the same stack rules on both engines (SQL's SAVEPOINT, ROLLBACK TO
    // SAVEPOINT, RELEASE SAVEPOINT). `name` must be a plain identifier ([a-z_][a-z0-9_]*, at most
    // kMaxSavepointNameBytes; it is spliced into SQL): anything else is kInvalidArgument and sends
    // nothing. A name may be reused; it then means the most recent savepoint of that name. At most
    // kMaxSavepointDepth savepoints are open at once (kInvalidArgument beyond).
    //
    // Savepoint() opens one; it fails like a statement (and then poisons the transaction), and
    // is refused on a transaction whose statement failed.
    virtual Result<void> Savepoint(std::string_view name) = 0;
    // Undoes everything since savepoint `name` and closes the savepoints opened after it; `name`
    // itself stays open. This is the one way back from a failed statement: the transaction is
    // usable again and may commit (on SQLite too, where we enforce PostgreSQL's rule). kInternal
    // when no savepoint of that name is open (nothing is sent and the transaction's state is
    // unchanged); when the engine refuses (connection lost, SQLite rolled the whole transaction
    // back after an I/O error) the transaction stays failed and can only roll back.
    virtual Result<void> RollbackToSavepoint(std::string_view name) = 0;
    // Closes savepoint `name` and those opened after it, keeping their work in the transaction.
    // Refused (kInternal) after a failed statement: roll back to a savepoint first.
    virtual Result<void> ReleaseSavepoint(std::string_view name) = 0;

    virtual Result<void> Commit() = 0;
    virtual void Rollback() = 0;
    virtual Engine engine() const = 0;
};

// Savepoint limits (Transaction::Savepoint). PostgreSQL truncates identifiers at 63 bytes.
constexpr size_t kMaxSavepointNameBytes = 63;
constexpr size_t kMaxSavepointDepth = 64;

// Opens savepoint `name` on construction and, unless Release()d, rolls back to it and closes it
// on destruction, so an early return undoes the work done since. It must not outlive its
// transaction, and the transaction must not commit while it is open:
//
//   OMC_ASSIGN_OR_RETURN(auto sp, db::ScopedSavepoint::Open(tx, "sale"));
//   OMC_TRY(InsertSale(tx, sale));        // a failure here leaves the transaction usable
//   OMC_TRY(sp.Release());
class ScopedSavepoint {
  public:
    static Result<ScopedSavepoint> Open(Transaction& tx, std::string_view name);
    ScopedSavepoint(ScopedSavepoint&& other) noexcept;
    ScopedSavepoint& operator=(ScopedSavepoint&&) = delete;
    ScopedSavepoint(const ScopedSavepoint&) = delete;
    ScopedSavepoint& operator=(const ScopedSavepoint&) = delete;
    // Rolls back to the savepoint and closes it, unless released. Errors are dropped here: the
    // transaction then stays failed, so a later Commit() still refuses.
    ~ScopedSavepoint();

    // Keeps the work and closes the savepoint.
    Result<void> Release();
    // Undoes the work and closes the savepoint; the transaction is usable again.
    Result<void> RollBack();

  private:
    ScopedSavepoint(Transaction& tx, std::string_view name) : tx_(&tx), name_(name) {}
    Transaction* tx_;  // null once released, rolled back or moved from
    std::string name_;
};

struct PoolStats {
    int size = 0;
    int in_use = 0;
    int64_t waits_total = 0;     // Begin() calls that had to wait for a connection
    int64_t timeouts_total = 0;  // Begin() calls that gave up
};

struct DatabaseOptions {
    // "sqlite:omc.db", "sqlite::memory:" (tests), or "postgresql://user@host/db?..."
    std::string url = "sqlite:omc.db";
    int pool_size = 8;
    std::chrono::milliseconds acquire_timeout{5000};
    std::chrono::milliseconds busy_timeout{5000};        // SQLite busy_timeout
    std::chrono::milliseconds statement_timeout{30000};  // PostgreSQL statement_timeout
};

// A fixed pool of connections to one database. Thread-safe.
class Database {
  public:
    virtual ~Database() = default;

    // Takes a connection (waiting up to acquire_timeout; kUnavailable after) and begins a
    // transaction: BEGIN IMMEDIATE on SQLite for writes (so a writer never fails half-way on a
    // lock upgrade), BEGIN on PostgreSQL followed by the tenant settings of `options`.
    virtual Result<std::unique_ptr<Transaction>> Begin(const TxOptions& options) = 0;
    // Runs a script of several statements without parameters outside any transaction wrapper
    // the caller did not ask for (migrations wrap it themselves).
    virtual Result<void> ExecScript(std::string_view sql) = 0;
    virtual Engine engine() const = 0;
    virtual PoolStats Stats() const = 0;
    // A cheap round trip (SELECT 1) for /health/ready.
    virtual Result<void> Ping() = 0;
};

// True for a serialization failure or deadlock (PostgreSQL SQLSTATE 40001, 40P01; kConflict):
// the server rolled the whole transaction back, so running it again from the start is safe.
// False for every other kConflict (a duplicate is not worth retrying).
bool IsSerializationFailure(const Error& error);

// Opens a database from options.url. Connection failures are kUnavailable with the reason.
Result<std::unique_ptr<Database>> Open(const DatabaseOptions& options);

// Runs `fn` in a transaction and commits if it returns ok; rolls back otherwise.
template <typename Fn>
auto InTransaction(Database& db, const TxOptions& options, Fn&& fn)
    -> decltype(fn(std::declval<Transaction&>())) {
    auto tx = db.Begin(options);
    if (!tx.ok()) return std::move(tx).error();
    auto result = fn(**tx);
    if (!result.ok()) {
        (*tx)->Rollback();
        return result;
    }
    auto committed = (*tx)->Commit();
    if (!committed.ok()) return std::move(committed).error();
    return result;
}

}  // namespace omc::db
