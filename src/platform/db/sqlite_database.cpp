#include "platform/db/sqlite_database.hpp"

#include <sqlite3.h>

#include <atomic>
#include <charconv>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "platform/base/assert.hpp"
#include "platform/base/thread_name.hpp"
#include "platform/db/connection_pool.hpp"

namespace omc::db::internal {
namespace {

constexpr std::string_view kMemoryPath = ":memory:";

// One cached prepared statement. `index_of[k]` is sqlite's slot for "$k" (0 when the SQL does
// not use it); index_of.size() - 1 is the highest $k the SQL names.
struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    std::string sql;
    std::vector<int> index_of;
};

// Statements are looked up by query name on every call: a transparent hash finds them by
// string_view, without building a std::string key first.
struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
};

struct SqliteConnection {
    sqlite3* db = nullptr;
    std::unordered_map<std::string, CachedStatement, NameHash, std::equal_to<>> statements;
    // BEGIN, COMMIT and ROLLBACK run on every transaction: prepared
    // once per connection (keyed by the literal's address) instead of parsed each time.
    std::unordered_map<const char*, sqlite3_stmt*> control;
    // SAVEPOINT, ROLLBACK TO and RELEASE for the few names code uses, keyed by their SQL text.
    // Bounded by kMaxCachedSavepointStatements; past that a statement is parsed each time.
    std::unordered_map<std::string, sqlite3_stmt*> savepoint_statements;
    // The connection writes go through (SqliteDatabase), handed back to its own pool.
    bool writer = false;

    SqliteConnection() = default;
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;
    ~SqliteConnection() {
        for (auto& [name, cached] : statements) sqlite3_finalize(cached.stmt);
        for (auto& [sql, stmt] : control) sqlite3_finalize(stmt);
        for (auto& [sql, stmt] : savepoint_statements) sqlite3_finalize(stmt);
        if (db != nullptr) sqlite3_close_v2(db);
    }
};

// Maps an extended result code to our closed set. The client sees a generic message; the log
// gets sqlite's own message and the query name.
Error MapError(sqlite3* db, int rc, std::string_view what) {
    const std::string detail = fmt::format("sqlite error {} ({}): {} [{}]", rc, sqlite3_errstr(rc),
                                           db ? sqlite3_errmsg(db) : "", what);
    switch (rc) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
            return Error(ErrorCode::kConflict, "already exists").WithDetail(detail);
        case SQLITE_CONSTRAINT_FOREIGNKEY:
            return Error(ErrorCode::kUnprocessable, "refers to a record that does not exist")
                .WithDetail(detail);
        case SQLITE_CONSTRAINT_CHECK:
        case SQLITE_CONSTRAINT_NOTNULL:
        case SQLITE_CONSTRAINT_DATATYPE:
            return Error(ErrorCode::kInvalidArgument, "invalid value").WithDetail(detail);
        default:
            break;
    }
    switch (rc & 0xFF) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return Error(ErrorCode::kUnavailable, "database busy").WithDetail(detail);
        case SQLITE_FULL:
        case SQLITE_IOERR:
            return Error(ErrorCode::kUnavailable, "database unavailable").WithDetail(detail);
        default:
            return Internal(detail);
    }
}

Result<void> Exec(sqlite3* db, const char* sql, std::string_view what) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
    sqlite3_free(message);  // sqlite3_errmsg still holds the text for MapError
    if (rc != SQLITE_OK) return MapError(db, rc, what);
    return Ok();
}

// Runs one of the fixed control statements (a string literal) through the connection's cache.
Result<void> ExecControl(SqliteConnection* c, const char* sql, std::string_view what) {
    sqlite3_stmt*& stmt = c->control[sql];
    if (stmt == nullptr) {
        const int prepared =
            sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
        if (prepared != SQLITE_OK) {
            c->control.erase(sql);
            return MapError(c->db, prepared, what);
        }
    }
    const int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return MapError(c->db, rc, what);
    return Ok();
}

// Savepoint statements are cached per connection up to this many distinct texts (three per name).
constexpr size_t kMaxCachedSavepointStatements = 48;

// Runs a savepoint statement, through the connection's cache while it has room.
Result<void> ExecSavepointStatement(SqliteConnection* c, const std::string& sql,
                                    std::string_view what) {
    auto it = c->savepoint_statements.find(sql);
    if (it == c->savepoint_statements.end()) {
        if (c->savepoint_statements.size() >= kMaxCachedSavepointStatements) {
            return Exec(c->db, sql.c_str(), what);
        }
        sqlite3_stmt* stmt = nullptr;
        const int prepared =
            sqlite3_prepare_v3(c->db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
        if (prepared != SQLITE_OK) return MapError(c->db, prepared, what);
        it = c->savepoint_statements.emplace(sql, stmt).first;
    }
    const int rc = sqlite3_step(it->second);
    sqlite3_reset(it->second);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return MapError(c->db, rc, what);
    return Ok();
}

// Returns to autocommit mode if a failed statement or script left a transaction open.
void RollbackIfOpen(SqliteConnection* c) {
    if (sqlite3_get_autocommit(c->db) == 0) (void)ExecControl(c, "ROLLBACK", "rollback");
}

// Reads the "$k" slots of a freshly prepared statement. Any other parameter style is a mistake
// in the query text, since both engines must run it.
Result<std::vector<int>> ParameterSlots(sqlite3_stmt* stmt, std::string_view name) {
    std::vector<int> index_of(1, 0);
    const int count = sqlite3_bind_parameter_count(stmt);
    for (int slot = 1; slot <= count; ++slot) {
        const char* pname = sqlite3_bind_parameter_name(stmt, slot);
        const std::string_view p = pname ? pname : "?";
        size_t k = 0;
        const auto [ptr, ec] = std::from_chars(p.data() + 1, p.data() + p.size(), k);
        if (p.size() < 2 || p[0] != '$' || ec != std::errc() || ptr != p.data() + p.size() ||
            k == 0) {
            return Internal(fmt::format("query {} uses parameter '{}'; only $1..$n", name, p));
        }
        if (index_of.size() <= k) index_of.resize(k + 1, 0);
        index_of[k] = slot;
    }
    return index_of;
}

// Returns the connection's prepared statement for `query`, preparing it on first use.
Result<CachedStatement*> Prepare(SqliteConnection& c, const Query& query) {
    auto it = c.statements.find(query.name);
    if (it != c.statements.end()) {
        ERP_INVARIANT(it->second.sql == query.sql, "two different SQL texts share a query name");
        return &it->second;
    }
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(c.db, query.sql.data(), static_cast<int>(query.sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return MapError(c.db, rc, query.name);
    ERP_INVARIANT(stmt != nullptr, "a query text with no statement");
    auto slots = ParameterSlots(stmt, query.name);
    if (!slots.ok()) {
        sqlite3_finalize(stmt);
        return std::move(slots).error();
    }
    CachedStatement cached{stmt, std::string(query.sql), std::move(slots).value()};
    return &c.statements.emplace(std::string(query.name), std::move(cached)).first->second;
}

int BindValue(sqlite3_stmt* stmt, int slot, const Value& value) {
    if (std::holds_alternative<Null>(value)) return sqlite3_bind_null(stmt, slot);
    if (const auto* i = std::get_if<int64_t>(&value)) return sqlite3_bind_int64(stmt, slot, *i);
    if (const auto* b = std::get_if<bool>(&value)) return sqlite3_bind_int(stmt, slot, *b ? 1 : 0);
    // The parameters outlive the statement's execution (it is reset before Run returns), so
    // sqlite need not copy them.
    if (const auto* s = std::get_if<std::string>(&value)) {
        return sqlite3_bind_text64(stmt, slot, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
    }
    const auto& bytes = std::get<Bytes>(value).data;
    return sqlite3_bind_blob64(stmt, slot, bytes.data(), bytes.size(), SQLITE_STATIC);
}

Result<void> Bind(sqlite3* db, const CachedStatement& cached, const Params& params,
                  std::string_view name) {
    const size_t highest = cached.index_of.size() - 1;
    if (highest > params.size()) {
        return Internal(fmt::format("query {} uses ${} but only {} parameters were supplied", name,
                                    highest, params.size()));
    }
    for (size_t k = 1; k <= highest; ++k) {
        const int slot = cached.index_of[k];
        if (slot == 0) continue;  // $k not used by this SQL: allowed
        const int rc = BindValue(cached.stmt, slot, params[k - 1].value());
        if (rc != SQLITE_OK) return MapError(db, rc, name);
    }
    return Ok();
}

std::optional<std::string> ReadCell(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
        case SQLITE_NULL:
            return std::nullopt;
        case SQLITE_INTEGER:
            return std::to_string(sqlite3_column_int64(stmt, i));
        case SQLITE_BLOB: {
            const void* data = sqlite3_column_blob(stmt, i);
            const int size = sqlite3_column_bytes(stmt, i);
            if (data == nullptr) return std::string();
            return std::string(static_cast<const char*>(data), static_cast<size_t>(size));
        }
        default: {  // TEXT (and REAL, which the schema never declares): sqlite's text form
            const unsigned char* text = sqlite3_column_text(stmt, i);
            const int size = sqlite3_column_bytes(stmt, i);
            if (text == nullptr) return std::string();
            return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
        }
    }
}

void ReadRow(sqlite3_stmt* stmt, Rows& out) {
    const int n = sqlite3_column_count(stmt);
    if (out.columns.empty() && n > 0) {
        out.columns.reserve(static_cast<size_t>(n));
        for (int i = 0; i < n; ++i) out.columns.emplace_back(sqlite3_column_name(stmt, i));
    }
    std::vector<std::optional<std::string>> cells;
    cells.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) cells.push_back(ReadCell(stmt, i));
    out.rows.emplace_back(std::move(cells));
}

// Runs `query` to completion on `c`, collecting rows into `out` when given. Returns the number of
// rows changed. The statement is reset and unbound afterwards, whatever happened.
Result<int64_t> Run(SqliteConnection& c, const Query& query, const Params& params, Rows* out,
                    bool read_only) {
    OMC_ASSIGN_OR_RETURN(CachedStatement * cached, Prepare(c, query));
    if (read_only && !sqlite3_stmt_readonly(cached->stmt)) {
        return Internal(fmt::format("query {} writes inside a read-only transaction", query.name));
    }
    struct ResetOnExit {
        sqlite3_stmt* stmt;
        ~ResetOnExit() {
            sqlite3_reset(stmt);
            sqlite3_clear_bindings(stmt);
        }
    } reset{cached->stmt};
    OMC_TRY(Bind(c.db, *cached, params, query.name));
    for (;;) {
        const int rc = sqlite3_step(cached->stmt);
        if (rc == SQLITE_DONE) break;
        if (rc != SQLITE_ROW) return MapError(c.db, rc, query.name);
        if (out != nullptr) ReadRow(cached->stmt, *out);
    }
    return static_cast<int64_t>(sqlite3_changes64(c.db));
}

// Checkpoints the WAL on a thread and connection of its own. SQLite's default runs the
// checkpoint inside the COMMIT that takes the WAL past 1,000 pages, on the writer's thread:
// copying the pages into the database file and syncing it, while every write waits behind it (for
// sales, the group committer's thread, which is SQLite's ceiling). Here the writer's commit only
// wakes this thread, which runs a PASSIVE checkpoint (the same kind the default runs: it never
// waits for readers or the writer and copies what it can) while the writer goes on.
class WalCheckpointer {
  public:
    static constexpr int kWalPagesBeforeCheckpoint = 1000;  // SQLite's own default
    // The WAL restarts from its beginning only when a write begins after a checkpoint copied
    // every page; under a steady load the writer may keep appending while this thread copies.
    // Past this size the writer checkpoints itself after its commit, as SQLite would, so the WAL
    // stays bounded (about 16 MB of 4 KiB pages) whatever the load; by then this thread has
    // copied most of it, so the writer's share is small.
    static constexpr int kWalPagesWriterCheckpoints = 4 * kWalPagesBeforeCheckpoint;

    WalCheckpointer(std::unique_ptr<SqliteConnection> connection, sqlite3* writer)
        : connection_(std::move(connection)), writer_(writer) {
        // Replaces the automatic checkpoint (itself a WAL hook) on the writer.
        sqlite3_wal_hook(writer_, &WalCheckpointer::Hook, this);
        thread_ = std::thread([this] {
            NameThisThread("omc-checkpoint");
            Run();
        });
    }
    ~WalCheckpointer() {
        sqlite3_wal_hook(writer_, nullptr, nullptr);
        {
            std::lock_guard lock(mu_);
            stopping_ = true;
        }
        wake_.notify_one();
        thread_.join();
    }
    WalCheckpointer(const WalCheckpointer&) = delete;
    WalCheckpointer& operator=(const WalCheckpointer&) = delete;

    int64_t checkpoints() const { return checkpoints_.load(); }

  private:
    // Called by SQLite on the writer's thread after each commit, with the WAL's size in pages.
    static int Hook(void* self, sqlite3* db, const char* /*schema*/, int pages) {
        auto* checkpointer = static_cast<WalCheckpointer*>(self);
        if (pages >= kWalPagesWriterCheckpoints) {
            // After the thread's checkpoint, if one is running: SQLite runs one at a time and
            // would refuse this one (busy), letting the WAL grow on.
            std::lock_guard running(checkpointer->checkpoint_mu_);
            sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        } else if (pages >= kWalPagesBeforeCheckpoint) {
            checkpointer->Wake();
        }
        return SQLITE_OK;
    }
    void Wake() {
        {
            std::lock_guard lock(mu_);
            if (wanted_) return;
            wanted_ = true;
        }
        wake_.notify_one();
    }
    void Run() {
        std::unique_lock lock(mu_);
        for (;;) {
            wake_.wait(lock, [&] { return stopping_ || wanted_; });
            if (stopping_) return;
            wanted_ = false;
            lock.unlock();
            // Busy (another checkpoint running) or any other failure: the next commit past the
            // threshold asks again.
            {
                int wal_pages = 0;
                int copied = 0;
                std::lock_guard running(checkpoint_mu_);
                if (sqlite3_wal_checkpoint_v2(connection_->db, nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                              &wal_pages, &copied) == SQLITE_OK) {
                    checkpoints_.fetch_add(1);
                }
            }
            lock.lock();
        }
    }

    std::unique_ptr<SqliteConnection> connection_;
    sqlite3* const writer_;
    std::mutex mu_;
    std::condition_variable wake_;
    std::mutex checkpoint_mu_;  // held while a checkpoint runs, by this thread or the writer
    bool wanted_ = false;       // GUARDED_BY(mu_)
    bool stopping_ = false;     // GUARDED_BY(mu_)
    std::atomic<int64_t> checkpoints_{0};
    std::thread thread_;
};

class SqliteDatabase;

class SqliteTransaction final : public Transaction {
  public:
    SqliteTransaction(SqliteDatabase& owner, SqliteConnection* conn, bool read_only)
        : owner_(owner), conn_(conn), read_only_(read_only) {}
    ~SqliteTransaction() override { Rollback(); }

    Result<Rows> Query(const db::Query& query, const Params& params) override {
        Rows rows;
        OMC_TRY(Guarded(query, params, &rows));
        return rows;
    }
    Result<int64_t> Execute(const db::Query& query, const Params& params) override {
        return Guarded(query, params, nullptr);
    }
    Result<std::vector<int64_t>> ExecuteBatch(
        const std::vector<std::pair<db::Query, Params>>& statements) override;
    Result<int64_t> CopyIn(std::string_view table, const std::vector<std::string>& columns,
                           const std::vector<std::vector<Param>>& rows) override;
    Result<void> ExecScript(std::string_view sql) override;
    Result<void> Savepoint(std::string_view name) override;
    Result<void> RollbackToSavepoint(std::string_view name) override;
    Result<void> ReleaseSavepoint(std::string_view name) override;
    Result<void> Commit() override;
    void Rollback() override;
    Engine engine() const override { return Engine::kSqlite; }

  private:
    // Runs one statement. After any failure the transaction only rolls back, as on PostgreSQL,
    // so code behaves the same on both engines (SQLite alone would carry on after an error).
    Result<int64_t> Guarded(const db::Query& query, const Params& params, Rows* out);
    Result<void> CheckUsable() const;
    void Finish();

    SqliteDatabase& owner_;
    SqliteConnection* conn_;  // null once committed or rolled back
    const bool read_only_;
    bool failed_ = false;
    SavepointStack savepoints_;
};

// SQLite lets one transaction write at a time, so every write transaction (and script) runs on
// one dedicated connection and the others serve reads. Writers then queue on that connection
// rather than on the file lock (busy_timeout polling), and the writer's page cache stays warm:
// when writes hopped between pooled connections, each found its cache stale (another connection
// had written) and read the pages it needed back from the WAL, which was the largest single cost
// of a sale batch (bench/sales, docs/PERFORMANCE.md). One connection (":memory:", pool_size 1)
// serves both.
class SqliteDatabase final : public Database {
  public:
    // `checkpointer`: a connection of its own for WalCheckpointer; null (an in-memory database)
    // leaves checkpoints to SQLite.
    SqliteDatabase(std::vector<std::unique_ptr<SqliteConnection>> connections,
                   std::unique_ptr<SqliteConnection> checkpointer,
                   std::chrono::milliseconds acquire_timeout)
        : writer_db_(connections.empty() ? nullptr : connections.front()->db),
          writer_(TakeWriter(connections), acquire_timeout),
          readers_(connections.empty() ? nullptr
                                       : std::make_unique<ConnectionPool<SqliteConnection>>(
                                             std::move(connections), acquire_timeout)),
          checkpointer_(checkpointer
                            ? std::make_unique<WalCheckpointer>(std::move(checkpointer), writer_db_)
                            : nullptr) {}

    Result<std::unique_ptr<Transaction>> Begin(const TxOptions& options) override;
    Result<void> ExecScript(std::string_view sql) override;
    Engine engine() const override { return Engine::kSqlite; }
    PoolStats Stats() const override {
        PoolStats s = writer_.Stats();
        if (readers_) {
            const PoolStats r = readers_->Stats();
            s.size += r.size;
            s.in_use += r.in_use;
            s.waits_total += r.waits_total;
            s.timeouts_total += r.timeouts_total;
        }
        return s;
    }
    // On a reader: a health check must not queue behind the writes.
    Result<void> Ping() override;

    // Puts a connection back, rolling back anything a failure left open, so the next user
    // always starts in autocommit mode.
    void Release(SqliteConnection* c) {
        RollbackIfOpen(c);
        (c->writer || !readers_ ? writer_ : *readers_).Release(c);
    }

  private:
    static std::vector<std::unique_ptr<SqliteConnection>> TakeWriter(
        std::vector<std::unique_ptr<SqliteConnection>>& connections) {
        ERP_INVARIANT(!connections.empty(), "a SQLite database needs a connection");
        std::vector<std::unique_ptr<SqliteConnection>> writer;
        writer.push_back(std::move(connections.front()));
        writer.front()->writer = true;
        connections.erase(connections.begin());
        return writer;
    }
    Result<SqliteConnection*> Acquire(bool read_only) {
        return read_only && readers_ ? readers_->Acquire() : writer_.Acquire();
    }

    sqlite3* const writer_db_;
    ConnectionPool<SqliteConnection> writer_;
    std::unique_ptr<ConnectionPool<SqliteConnection>> readers_;  // null: the writer reads too
    std::unique_ptr<WalCheckpointer> checkpointer_;  // last: stopped before the writer closes
};

Result<void> SqliteTransaction::CheckUsable() const {
    ERP_INVARIANT(conn_ != nullptr, "statement on a finished transaction");
    if (failed_) {
        return Internal("statement after a failed statement in the same transaction");
    }
    return Ok();
}

Result<int64_t> SqliteTransaction::Guarded(const db::Query& query, const Params& params,
                                           Rows* out) {
    OMC_TRY(CheckUsable());
    auto result = Run(*conn_, query, params, out, read_only_);
    if (!result.ok()) failed_ = true;
    return result;
}

Result<std::vector<int64_t>> SqliteTransaction::ExecuteBatch(
    const std::vector<std::pair<db::Query, Params>>& statements) {
    ERP_INVARIANT(statements.size() <= kMaxBatchStatements, "ExecuteBatch over its limit");
    std::vector<int64_t> counts;
    counts.reserve(statements.size());
    for (const auto& [query, params] : statements) {
        OMC_ASSIGN_OR_RETURN(int64_t n, Guarded(query, params, nullptr));
        counts.push_back(n);
    }
    return counts;
}

Result<int64_t> SqliteTransaction::CopyIn(std::string_view table,
                                          const std::vector<std::string>& columns,
                                          const std::vector<std::vector<Param>>& rows) {
    OMC_TRY(ValidateCopyTarget(table, columns));
    std::string cols;
    std::string placeholders;
    for (size_t i = 0; i < columns.size(); ++i) {
        if (i > 0) {
            cols += ", ";
            placeholders += ", ";
        }
        cols += QuoteIdentifier(columns[i]);
        placeholders += fmt::format("${}", i + 1);
    }
    const std::string sql =
        fmt::format("INSERT INTO {} ({}) VALUES ({})", QuoteIdentifier(table), cols, placeholders);
    const std::string name = fmt::format("omc.copy_in.{}({})", table, fmt::join(columns, ","));
    int64_t loaded = 0;
    for (const auto& row : rows) {
        ERP_INVARIANT(row.size() == columns.size(), "CopyIn row width differs from its columns");
        OMC_ASSIGN_OR_RETURN(int64_t n, Guarded(db::Query{name, sql}, row, nullptr));
        loaded += n;
    }
    return loaded;
}

Result<void> SqliteTransaction::ExecScript(std::string_view sql) {
    OMC_TRY(CheckUsable());
    const std::string script(sql);
    auto result = Exec(conn_->db, script.c_str(), "script");
    if (!result.ok()) failed_ = true;
    return result;
}

Result<void> SqliteTransaction::Savepoint(std::string_view name) {
    if (conn_ == nullptr) return Internal("savepoint on a finished transaction");
    OMC_TRY(savepoints_.CheckCanOpen(name));
    OMC_TRY(CheckUsable());
    auto opened = ExecSavepointStatement(conn_, fmt::format("SAVEPOINT {}", QuoteIdentifier(name)),
                                         "savepoint");
    if (!opened.ok()) {
        failed_ = true;
        return opened;
    }
    savepoints_.Opened(name);
    return Ok();
}

Result<void> SqliteTransaction::RollbackToSavepoint(std::string_view name) {
    if (conn_ == nullptr) return Internal("rollback to savepoint on a finished transaction");
    OMC_ASSIGN_OR_RETURN(const size_t index, savepoints_.Find(name));
    // After SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM and the like sqlite may have rolled the whole
    // transaction back on its own; then there is no savepoint left to return to.
    if (sqlite3_get_autocommit(conn_->db) != 0) {
        failed_ = true;
        return Error(ErrorCode::kUnavailable, "database unavailable")
            .WithDetail("sqlite rolled the transaction back after an error");
    }
    auto rolled_back = ExecSavepointStatement(
        conn_, fmt::format("ROLLBACK TO SAVEPOINT {}", QuoteIdentifier(name)),
        "rollback to savepoint");
    if (!rolled_back.ok()) {
        failed_ = true;
        return rolled_back;
    }
    savepoints_.RolledBackTo(index);
    // Every open savepoint was taken while the transaction was healthy (Savepoint refuses
    // otherwise), so returning to one undoes any failure since.
    failed_ = false;
    return Ok();
}

Result<void> SqliteTransaction::ReleaseSavepoint(std::string_view name) {
    if (conn_ == nullptr) return Internal("release of a savepoint on a finished transaction");
    OMC_ASSIGN_OR_RETURN(const size_t index, savepoints_.Find(name));
    OMC_TRY(CheckUsable());
    auto released = ExecSavepointStatement(
        conn_, fmt::format("RELEASE SAVEPOINT {}", QuoteIdentifier(name)), "release");
    if (!released.ok()) {
        failed_ = true;
        return released;
    }
    savepoints_.Released(index);
    return Ok();
}

Result<void> SqliteTransaction::Commit() {
    ERP_INVARIANT(conn_ != nullptr, "Commit on a finished transaction");
    if (failed_) {
        Rollback();
        return Internal("commit of a transaction whose statement failed; rolled back");
    }
    auto committed = ExecControl(conn_, "COMMIT", "commit");
    if (!committed.ok()) {
        Rollback();
        return committed;
    }
    Finish();
    return Ok();
}

void SqliteTransaction::Rollback() {
    if (conn_ == nullptr) return;
    RollbackIfOpen(conn_);
    Finish();
}

void SqliteTransaction::Finish() {
    owner_.Release(conn_);
    conn_ = nullptr;
}

Result<std::unique_ptr<Transaction>> SqliteDatabase::Begin(const TxOptions& options) {
    // tenant and system are PostgreSQL row-level security settings; SQLite has no RLS, so the
    // tenant filter every store query writes out is the only wall here.
    OMC_ASSIGN_OR_RETURN(SqliteConnection * c, Acquire(options.read_only));
    RollbackIfOpen(c);
    // IMMEDIATE takes the write lock up front, so a writer waits (busy_timeout) at BEGIN rather
    // than failing half-way through on a lock upgrade.
    auto begun = ExecControl(c, options.read_only ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE", "begin");
    // Read-only is not enforced with PRAGMA query_only: every flag pragma expires all prepared
    // statements of the connection (OP_Expire), so toggling it per transaction made SQLite
    // re-parse every query. PostgreSQL enforces READ ONLY, and the tests run on both engines.
    if (!begun.ok()) {
        Release(c);
        return std::move(begun).error();
    }
    return std::unique_ptr<Transaction>(
        std::make_unique<SqliteTransaction>(*this, c, options.read_only));
}

Result<void> SqliteDatabase::ExecScript(std::string_view sql) {
    OMC_ASSIGN_OR_RETURN(SqliteConnection * c, Acquire(/*read_only=*/false));
    const std::string script(sql);
    auto result = Exec(c->db, script.c_str(), "script");
    Release(c);
    return result;
}

Result<void> SqliteDatabase::Ping() {
    OMC_ASSIGN_OR_RETURN(SqliteConnection * c, Acquire(/*read_only=*/true));
    auto result = Exec(c->db, "SELECT 1", "ping");
    Release(c);
    return result;
}

Result<void> Configure(sqlite3* db, const DatabaseOptions& options, bool in_memory) {
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout.count()));
    std::string mode;
    char* message = nullptr;
    const int rc = sqlite3_exec(
        db, "PRAGMA journal_mode=WAL",
        [](void* out, int, char** values, char**) {
            *static_cast<std::string*>(out) = values[0] ? values[0] : "";
            return 0;
        },
        &mode, &message);
    sqlite3_free(message);
    if (rc != SQLITE_OK) return MapError(db, rc, "journal_mode");
    // An in-memory database has no WAL; its journal mode stays "memory".
    if (!in_memory && mode != "wal") {
        return Error(ErrorCode::kUnavailable, "database unavailable")
            .WithDetail("sqlite refused journal_mode=WAL; got " + mode);
    }
    OMC_TRY(Exec(db, "PRAGMA foreign_keys=ON", "foreign_keys"));
    // In WAL mode synchronous=NORMAL syncs at checkpoints rather than at every commit: a commit
    // survives a crash of the process (it is in the WAL file in the OS's page cache) and the
    // database never corrupts; only an OS crash or power cut can lose the last commits. That
    // trade is worth the several-fold faster commits for a station's local store.
    OMC_TRY(Exec(db, "PRAGMA synchronous=NORMAL", "synchronous"));
    // SQLite's default page cache is 2 MiB per connection: the sales tables' indexes outgrow it
    // within days, and every page it misses is a read() system call. 32 MiB per connection (an
    // upper bound, filled only as pages are used), and the database file read through a memory
    // map (shared by every connection, in the OS's page cache) instead of read() calls.
    OMC_TRY(Exec(db, "PRAGMA cache_size=-32768", "cache_size"));
    OMC_TRY(Exec(db, "PRAGMA mmap_size=1073741824", "mmap_size"));
    // Statement journals and sorts in memory, not in temporary files created and unlinked.
    OMC_TRY(Exec(db, "PRAGMA temp_store=MEMORY", "temp_store"));
    return Ok();
}

Result<std::unique_ptr<SqliteConnection>> OpenConnection(const std::string& path,
                                                         const DatabaseOptions& options) {
    // SQLite counts every allocation under one global mutex unless told not to; with several
    // connections busy at once that mutex is the hottest lock in the process. Must be set before
    // sqlite initialises, hence first thing here (sqlite3_config is a no-op error after that).
    static const int kConfigured = [] {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        return sqlite3_initialize();
    }();
    if (kConfigured != SQLITE_OK)
        return Error(ErrorCode::kUnavailable, "sqlite failed to initialise");
    auto c = std::make_unique<SqliteConnection>();
    // NOMUTEX: each connection is used by one thread at a time (the pool hands it out), so
    // sqlite's per-connection mutex would only cost time.
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &c->db, flags, nullptr);
    if (rc != SQLITE_OK) {
        return Error(ErrorCode::kUnavailable, "database unavailable")
            .WithDetail(fmt::format("cannot open sqlite database '{}': {}", path,
                                    c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc)));
    }
    OMC_TRY(Configure(c->db, options, path == kMemoryPath));
    return c;
}

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path,
                                             const DatabaseOptions& options) {
    // ":memory:" gets exactly one connection. A pool over a shared-cache in-memory database
    // would use table-level locks that fail at once with SQLITE_LOCKED instead of honouring
    // busy_timeout, so concurrent writers would fail rather than wait; with one connection the
    // pool itself is the queue. In-memory databases are for tests, where this costs nothing.
    const int size = path == kMemoryPath ? 1 : options.pool_size;
    std::vector<std::unique_ptr<SqliteConnection>> connections;
    for (int i = 0; i < size; ++i) {
        OMC_ASSIGN_OR_RETURN(auto c, OpenConnection(path, options));
        connections.push_back(std::move(c));
    }
    std::unique_ptr<SqliteConnection> checkpointer;
    if (path != kMemoryPath) {
        OMC_ASSIGN_OR_RETURN(checkpointer, OpenConnection(path, options));
    }
    return std::unique_ptr<Database>(std::make_unique<SqliteDatabase>(
        std::move(connections), std::move(checkpointer), options.acquire_timeout));
}

}  // namespace omc::db::internal
