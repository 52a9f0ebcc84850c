#include "platform/db/pg_database.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "platform/base/assert.hpp"
#include "platform/db/connection_pool.hpp"

namespace omc::db::internal {
namespace {

constexpr Oid kByteaOid = 17;
// Statements sent per pipeline sync. Bounding it bounds the results the server queues for us
// while we are still sending, so a blocking-mode pipeline cannot fill both socket buffers and
// deadlock.
constexpr size_t kPipelineChunk = 256;
// COPY data is handed to libpq in pieces of about this size.
constexpr size_t kCopyBufferBytes = 64 * 1024;

struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

struct PreparedStatement {
    std::string server_name;  // "omc_<n>": Query::name may be longer than the server allows
    std::string sql;
    size_t param_count = 0;  // as the server inferred it
};

struct PgConnection {
    PGconn* conn = nullptr;
    std::unordered_map<std::string, PreparedStatement> prepared;
    int next_statement = 0;

    PgConnection() = default;
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;
    ~PgConnection() {
        if (conn != nullptr) PQfinish(conn);
    }
};

std::string TrimmedMessage(std::string message) {
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
        message.pop_back();
    }
    return message;
}

Error Unavailable(std::string detail) {
    return Error(ErrorCode::kUnavailable, "database unavailable").WithDetail(std::move(detail));
}

// Maps a failed result (or a failed send, when `res` is null) to our closed set by SQLSTATE.
Error MapError(PGconn* conn, const PGresult* res, std::string_view what) {
    const char* state_c = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const std::string_view state = state_c ? state_c : "";
    const std::string detail =
        fmt::format("postgres {}: {} [{}]", state.empty() ? "-" : state,
                    TrimmedMessage(res ? PQresultErrorMessage(res) : PQerrorMessage(conn)), what);
    if (PQstatus(conn) != CONNECTION_OK || state.starts_with("08") || state.starts_with("57P")) {
        return Unavailable(detail);
    }
    if (state == "23505") return Error(ErrorCode::kConflict, "already exists").WithDetail(detail);
    if (state == "23503") {
        return Error(ErrorCode::kUnprocessable, "refers to a record that does not exist")
            .WithDetail(detail);
    }
    if (state == "23514" || state == "23502" || state.starts_with("22")) {
        return Error(ErrorCode::kInvalidArgument, "invalid value").WithDetail(detail);
    }
    if (state == "40001" || state == "40P01") {
        return Error(ErrorCode::kConflict, std::string(kSerializationFailureMessage))
            .WithDetail(detail);
    }
    if (state == "57014") return Error(ErrorCode::kUnavailable, "database busy").WithDetail(detail);
    // Row-level security refused the row: to the caller the record does not exist.
    if (state == "42501") return Error(ErrorCode::kNotFound, "not found").WithDetail(detail);
    return Internal(detail);
}

bool Succeeded(const PGresult* res) {
    if (res == nullptr) return false;
    const ExecStatusType s = PQresultStatus(res);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

Result<PgResult> Exec(PgConnection& c, const char* sql, std::string_view what) {
    PgResult res(PQexec(c.conn, sql));
    if (!Succeeded(res.get())) return MapError(c.conn, res.get(), what);
    return res;
}

// Applies the per-session settings; run on every new or reset connection.
Result<void> SetUpSession(PgConnection& c, std::chrono::milliseconds statement_timeout) {
    // Server NOTICEs ("relation already exists, skipping") would go to stderr, outside the JSON
    // log; errors still arrive as results.
    PQsetNoticeProcessor(
        c.conn, [](void*, const char*) {}, nullptr);
    const std::string sql = fmt::format("SET statement_timeout = {}", statement_timeout.count());
    OMC_TRY(Exec(c, sql.c_str(), "statement_timeout"));
    return Ok();
}

// Reconnects a broken connection. Prepared statements die with the old session.
Result<void> Reset(PgConnection& c, std::chrono::milliseconds statement_timeout) {
    c.prepared.clear();
    PQreset(c.conn);
    if (PQstatus(c.conn) != CONNECTION_OK) {
        return Unavailable("reconnect failed: " + TrimmedMessage(PQerrorMessage(c.conn)));
    }
    return SetUpSession(c, statement_timeout);
}

Result<const PreparedStatement*> Prepare(PgConnection& c, const Query& query) {
    const std::string key(query.name);
    auto it = c.prepared.find(key);
    if (it != c.prepared.end()) {
        ERP_INVARIANT(it->second.sql == query.sql, "two different SQL texts share a query name");
        return &it->second;
    }
    PreparedStatement ps{fmt::format("omc_{}", c.next_statement++), std::string(query.sql), 0};
    // No parameter types: the server infers each $n from where it is used.
    PgResult res(PQprepare(c.conn, ps.server_name.c_str(), ps.sql.c_str(), 0, nullptr));
    if (!Succeeded(res.get())) return MapError(c.conn, res.get(), query.name);
    PgResult desc(PQdescribePrepared(c.conn, ps.server_name.c_str()));
    if (!Succeeded(desc.get())) return MapError(c.conn, desc.get(), query.name);
    ps.param_count = static_cast<size_t>(PQnparams(desc.get()));
    return &c.prepared.emplace(key, std::move(ps)).first->second;
}

// Parameters in libpq's form: text, except Bytes which travel in binary format.
struct EncodedParams {
    std::vector<std::string> storage;
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
};

EncodedParams Encode(const Params& params, size_t count) {
    EncodedParams e;
    e.storage.reserve(count);  // never reallocates below, so c_str() pointers stay valid
    e.values.resize(count, nullptr);
    e.lengths.resize(count, 0);
    e.formats.resize(count, 0);
    for (size_t i = 0; i < count; ++i) {
        const Value& v = params[i].value();
        if (const auto* n = std::get_if<int64_t>(&v)) {
            e.values[i] = e.storage.emplace_back(std::to_string(*n)).c_str();
        } else if (const auto* b = std::get_if<bool>(&v)) {
            e.values[i] = *b ? "true" : "false";
        } else if (const auto* s = std::get_if<std::string>(&v)) {
            e.values[i] = s->c_str();
        } else if (const auto* bytes = std::get_if<Bytes>(&v)) {
            e.values[i] = bytes->data.data();
            e.lengths[i] = static_cast<int>(bytes->data.size());
            e.formats[i] = 1;
        }  // Null stays a null pointer
    }
    return e;
}

Result<const PreparedStatement*> PrepareChecked(PgConnection& c, const Query& query,
                                                const Params& params) {
    OMC_ASSIGN_OR_RETURN(const PreparedStatement* ps, Prepare(c, query));
    if (ps->param_count > params.size()) {
        return Internal(fmt::format("query {} uses ${} but only {} parameters were supplied",
                                    query.name, ps->param_count, params.size()));
    }
    return ps;
}

Result<PgResult> ExecPrepared(PgConnection& c, const Query& query, const Params& params) {
    OMC_ASSIGN_OR_RETURN(const PreparedStatement* ps, PrepareChecked(c, query, params));
    // Parameters past the highest $n the SQL uses are ignored, as on SQLite.
    const EncodedParams e = Encode(params, ps->param_count);
    PgResult res(PQexecPrepared(c.conn, ps->server_name.c_str(), static_cast<int>(ps->param_count),
                                e.values.data(), e.lengths.data(), e.formats.data(), 0));
    if (!Succeeded(res.get())) return MapError(c.conn, res.get(), query.name);
    return res;
}

int64_t ChangedRows(const PGresult* res) {
    const std::string_view text = PQcmdTuples(const_cast<PGresult*>(res));
    int64_t n = 0;
    std::from_chars(text.data(), text.data() + text.size(), n);  // "" (no count) stays 0
    return n;
}

std::optional<std::string> ReadCell(const PGresult* res, int row, int col) {
    if (PQgetisnull(res, row, col)) return std::nullopt;
    const char* text = PQgetvalue(res, row, col);
    const int length = PQgetlength(res, row, col);
    if (PQftype(res, col) != kByteaOid) return std::string(text, static_cast<size_t>(length));
    // BYTEA arrives as "\x..." text; rows carry raw bytes on both engines.
    size_t size = 0;
    unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size);
    ERP_INVARIANT(raw != nullptr, "libpq could not decode a bytea value");
    std::string out(reinterpret_cast<const char*>(raw), size);
    PQfreemem(raw);
    return out;
}

Rows ReadRows(const PGresult* res) {
    Rows rows;
    const int ncols = PQnfields(res);
    const int nrows = PQntuples(res);
    for (int c = 0; c < ncols; ++c) rows.columns.emplace_back(PQfname(res, c));
    rows.rows.reserve(static_cast<size_t>(nrows));
    for (int r = 0; r < nrows; ++r) {
        std::vector<std::optional<std::string>> cells;
        cells.reserve(static_cast<size_t>(ncols));
        for (int c = 0; c < ncols; ++c) cells.push_back(ReadCell(res, r, c));
        rows.rows.emplace_back(std::move(cells));
    }
    return rows;
}

void AppendCopyText(std::string& out, std::string_view text) {
    for (char ch : text) {
        switch (ch) {
            case '\\':
                out += "\\\\";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                out += ch;
        }
    }
}

void AppendCopyValue(std::string& out, const Value& v) {
    static constexpr char kHex[] = "0123456789abcdef";
    if (std::holds_alternative<Null>(v)) {
        out += "\\N";
    } else if (const auto* n = std::get_if<int64_t>(&v)) {
        out += std::to_string(*n);
    } else if (const auto* b = std::get_if<bool>(&v)) {
        out += *b ? 't' : 'f';
    } else if (const auto* s = std::get_if<std::string>(&v)) {
        AppendCopyText(out, *s);
    } else {
        out += "\\\\x";  // bytea hex input, its backslash escaped for COPY
        for (unsigned char ch : std::get<Bytes>(v).data) {
            out += kHex[ch >> 4];
            out += kHex[ch & 0xF];
        }
    }
}

class PgDatabase;

class PgTransaction final : public Transaction {
  public:
    PgTransaction(PgDatabase& owner, PgConnection* conn) : owner_(owner), conn_(conn) {}
    ~PgTransaction() override { Rollback(); }

    Result<Rows> Query(const db::Query& query, const Params& params) override {
        OMC_TRY(CheckUsable());
        auto res = Track(ExecPrepared(*conn_, query, params));
        if (!res.ok()) return std::move(res).error();
        return ReadRows(res->get());
    }
    Result<int64_t> Execute(const db::Query& query, const Params& params) override {
        OMC_TRY(CheckUsable());
        auto res = Track(ExecPrepared(*conn_, query, params));
        if (!res.ok()) return std::move(res).error();
        return ChangedRows(res->get());
    }
    Result<std::vector<int64_t>> ExecuteBatch(
        const std::vector<std::pair<db::Query, Params>>& statements) override;
    Result<int64_t> CopyIn(std::string_view table, const std::vector<std::string>& columns,
                           const std::vector<std::vector<Param>>& rows) override;
    Result<void> ExecScript(std::string_view sql) override {
        OMC_TRY(CheckUsable());
        const std::string script(sql);
        auto res = Track(Exec(*conn_, script.c_str(), "script"));
        if (!res.ok()) return std::move(res).error();
        return Ok();
    }
    Result<void> Savepoint(std::string_view name) override;
    Result<void> RollbackToSavepoint(std::string_view name) override;
    Result<void> ReleaseSavepoint(std::string_view name) override;
    Result<void> Commit() override;
    void Rollback() override;
    Engine engine() const override { return Engine::kPostgres; }

  private:
    Result<void> CheckUsable() const {
        ERP_INVARIANT(conn_ != nullptr, "statement on a finished transaction");
        if (failed_) return Internal("statement after a failed statement in the same transaction");
        return Ok();
    }
    // PostgreSQL aborts the transaction on any error; remember it so Commit cannot pretend.
    template <typename T>
    Result<T> Track(Result<T> r) {
        if (!r.ok()) failed_ = true;
        return r;
    }
    Result<void> RunPipelineChunk(const std::vector<std::pair<db::Query, Params>>& statements,
                                  const std::vector<const PreparedStatement*>& prepared,
                                  size_t begin, size_t end, std::vector<int64_t>& counts);
    Result<int64_t> SendCopyData(const std::vector<std::vector<Param>>& rows, size_t width);
    void Finish();

    PgDatabase& owner_;
    PgConnection* conn_;  // null once committed or rolled back
    bool failed_ = false;
    SavepointStack savepoints_;
};

class PgDatabase final : public Database {
  public:
    PgDatabase(std::vector<std::unique_ptr<PgConnection>> connections,
               const DatabaseOptions& options)
        : pool_(std::move(connections), options.acquire_timeout),
          statement_timeout_(options.statement_timeout) {}

    Result<std::unique_ptr<Transaction>> Begin(const TxOptions& options) override;
    Result<void> ExecScript(std::string_view sql) override;
    Engine engine() const override { return Engine::kPostgres; }
    PoolStats Stats() const override { return pool_.Stats(); }
    Result<void> Ping() override { return ExecScript("SELECT 1"); }

    // Takes a connection, reconnecting it first if it is known to be dead.
    Result<PgConnection*> Acquire();
    // Returns a connection idle and healthy: an open transaction is rolled back, and a broken
    // connection (or one left mid-pipeline) is reset before the next user gets it.
    void Release(PgConnection* c);

  private:
    Result<void> StartTransaction(PgConnection& c, const TxOptions& options);

    ConnectionPool<PgConnection> pool_;
    const std::chrono::milliseconds statement_timeout_;
};

Result<void> PgTransaction::RunPipelineChunk(
    const std::vector<std::pair<db::Query, Params>>& statements,
    const std::vector<const PreparedStatement*>& prepared, size_t begin, size_t end,
    std::vector<int64_t>& counts) {
    PGconn* pg = conn_->conn;
    if (PQenterPipelineMode(pg) != 1) return Unavailable("cannot enter pipeline mode");
    for (size_t i = begin; i < end; ++i) {
        const PreparedStatement* ps = prepared[i];
        const EncodedParams e = Encode(statements[i].second, ps->param_count);
        if (PQsendQueryPrepared(pg, ps->server_name.c_str(), static_cast<int>(ps->param_count),
                                e.values.data(), e.lengths.data(), e.formats.data(), 0) != 1) {
            return MapError(pg, nullptr, statements[i].first.name);  // Release resets it
        }
    }
    if (PQpipelineSync(pg) != 1) return MapError(pg, nullptr, "pipeline sync");
    std::optional<Error> first_error;
    for (size_t i = begin; i < end; ++i) {
        PgResult res(PQgetResult(pg));
        if (res == nullptr) return MapError(pg, nullptr, statements[i].first.name);
        if (Succeeded(res.get())) {
            counts.push_back(ChangedRows(res.get()));
        } else if (PQresultStatus(res.get()) != PGRES_PIPELINE_ABORTED && !first_error) {
            first_error = MapError(pg, res.get(), statements[i].first.name);
        }
        PgResult end_of_query(PQgetResult(pg));  // null: this statement's results are done
    }
    PgResult sync(PQgetResult(pg));
    if (sync == nullptr || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) {
        return MapError(pg, sync.get(), "pipeline sync");
    }
    if (PQexitPipelineMode(pg) != 1) return MapError(pg, nullptr, "pipeline exit");
    if (first_error) return std::move(*first_error);
    return Ok();
}

Result<std::vector<int64_t>> PgTransaction::ExecuteBatch(
    const std::vector<std::pair<db::Query, Params>>& statements) {
    OMC_TRY(CheckUsable());
    ERP_INVARIANT(statements.size() <= kMaxBatchStatements, "ExecuteBatch over its limit");
    // Preparing is a round trip per new statement, once per connection; done before the
    // pipeline so every statement in it is a plain execute.
    std::vector<const PreparedStatement*> prepared;
    prepared.reserve(statements.size());
    for (const auto& [query, params] : statements) {
        auto ps = Track(PrepareChecked(*conn_, query, params));
        if (!ps.ok()) return std::move(ps).error();
        prepared.push_back(*ps);
    }
    std::vector<int64_t> counts;
    counts.reserve(statements.size());
    for (size_t begin = 0; begin < statements.size(); begin += kPipelineChunk) {
        const size_t end = std::min(statements.size(), begin + kPipelineChunk);
        auto chunk = Track(RunPipelineChunk(statements, prepared, begin, end, counts));
        if (!chunk.ok()) return std::move(chunk).error();
    }
    return counts;
}

Result<int64_t> PgTransaction::SendCopyData(const std::vector<std::vector<Param>>& rows,
                                            size_t width) {
    PGconn* pg = conn_->conn;
    std::string buffer;
    buffer.reserve(kCopyBufferBytes + 1024);
    for (const auto& row : rows) {
        ERP_INVARIANT(row.size() == width, "CopyIn row width differs from its columns");
        for (size_t i = 0; i < row.size(); ++i) {
            if (i > 0) buffer += '\t';
            AppendCopyValue(buffer, row[i].value());
        }
        buffer += '\n';
        if (buffer.size() >= kCopyBufferBytes) {
            if (PQputCopyData(pg, buffer.data(), static_cast<int>(buffer.size())) != 1) {
                return MapError(pg, nullptr, "copy data");
            }
            buffer.clear();
        }
    }
    if (!buffer.empty() && PQputCopyData(pg, buffer.data(), static_cast<int>(buffer.size())) != 1) {
        return MapError(pg, nullptr, "copy data");
    }
    if (PQputCopyEnd(pg, nullptr) != 1) return MapError(pg, nullptr, "copy end");
    PgResult res(PQgetResult(pg));
    Result<int64_t> loaded = Succeeded(res.get())
                                 ? Result<int64_t>(ChangedRows(res.get()))
                                 : Result<int64_t>(MapError(pg, res.get(), "copy"));
    while (PgResult(PQgetResult(pg)) != nullptr) {
    }
    return loaded;
}

Result<int64_t> PgTransaction::CopyIn(std::string_view table,
                                      const std::vector<std::string>& columns,
                                      const std::vector<std::vector<Param>>& rows) {
    OMC_TRY(CheckUsable());
    OMC_TRY(ValidateCopyTarget(table, columns));
    std::vector<std::string> quoted;
    for (const auto& c : columns) quoted.push_back(QuoteIdentifier(c));
    const std::string sql =
        fmt::format("COPY {} ({}) FROM STDIN", QuoteIdentifier(table), fmt::join(quoted, ", "));
    PgResult start(PQexec(conn_->conn, sql.c_str()));
    if (start == nullptr || PQresultStatus(start.get()) != PGRES_COPY_IN) {
        failed_ = true;
        return MapError(conn_->conn, start.get(), "copy start");
    }
    return Track(SendCopyData(rows, columns.size()));
}

Result<void> PgTransaction::Savepoint(std::string_view name) {
    if (conn_ == nullptr) return Internal("savepoint on a finished transaction");
    OMC_TRY(savepoints_.CheckCanOpen(name));
    OMC_TRY(CheckUsable());
    const std::string sql = fmt::format("SAVEPOINT {}", QuoteIdentifier(name));
    auto res = Track(Exec(*conn_, sql.c_str(), "savepoint"));
    if (!res.ok()) return std::move(res).error();
    savepoints_.Opened(name);
    return Ok();
}

Result<void> PgTransaction::RollbackToSavepoint(std::string_view name) {
    if (conn_ == nullptr) return Internal("rollback to savepoint on a finished transaction");
    OMC_ASSIGN_OR_RETURN(const size_t index, savepoints_.Find(name));
    const std::string sql = fmt::format("ROLLBACK TO SAVEPOINT {}", QuoteIdentifier(name));
    auto res = Track(Exec(*conn_, sql.c_str(), "rollback to savepoint"));
    if (!res.ok()) return std::move(res).error();
    savepoints_.RolledBackTo(index);
    // PostgreSQL leaves the aborted state exactly when it returns to a savepoint, and every open
    // savepoint was taken while the transaction was healthy (Savepoint refuses otherwise).
    failed_ = PQtransactionStatus(conn_->conn) != PQTRANS_INTRANS;
    if (failed_) return Internal("the transaction is still aborted after ROLLBACK TO SAVEPOINT");
    return Ok();
}

Result<void> PgTransaction::ReleaseSavepoint(std::string_view name) {
    if (conn_ == nullptr) return Internal("release of a savepoint on a finished transaction");
    OMC_ASSIGN_OR_RETURN(const size_t index, savepoints_.Find(name));
    OMC_TRY(CheckUsable());
    const std::string sql = fmt::format("RELEASE SAVEPOINT {}", QuoteIdentifier(name));
    auto res = Track(Exec(*conn_, sql.c_str(), "release"));
    if (!res.ok()) return std::move(res).error();
    savepoints_.Released(index);
    return Ok();
}

Result<void> PgTransaction::Commit() {
    ERP_INVARIANT(conn_ != nullptr, "Commit on a finished transaction");
    if (failed_) {
        Rollback();
        return Internal("commit of a transaction whose statement failed; rolled back");
    }
    auto res = Exec(*conn_, "COMMIT", "commit");
    if (!res.ok()) {
        Rollback();
        return std::move(res).error();
    }
    // COMMIT of an aborted transaction "succeeds" with the tag ROLLBACK.
    const bool rolled_back = std::string_view(PQcmdStatus(res->get())) == "ROLLBACK";
    Finish();
    if (rolled_back) return Internal("COMMIT was answered with ROLLBACK");
    return Ok();
}

void PgTransaction::Rollback() {
    if (conn_ == nullptr) return;
    if (PQstatus(conn_->conn) == CONNECTION_OK &&
        PQpipelineStatus(conn_->conn) == PQ_PIPELINE_OFF &&
        PQtransactionStatus(conn_->conn) != PQTRANS_IDLE) {
        (void)Exec(*conn_, "ROLLBACK", "rollback");
    }
    Finish();
}

void PgTransaction::Finish() {
    owner_.Release(conn_);
    conn_ = nullptr;
}

Result<PgConnection*> PgDatabase::Acquire() {
    OMC_ASSIGN_OR_RETURN(PgConnection * c, pool_.Acquire());
    if (PQstatus(c->conn) != CONNECTION_OK) {
        auto reset = Reset(*c, statement_timeout_);
        if (!reset.ok()) {
            pool_.Release(c);
            return std::move(reset).error();
        }
    }
    return c;
}

void PgDatabase::Release(PgConnection* c) {
    const bool healthy = PQstatus(c->conn) == CONNECTION_OK &&
                         PQpipelineStatus(c->conn) == PQ_PIPELINE_OFF &&
                         PQtransactionStatus(c->conn) != PQTRANS_ACTIVE;
    if (!healthy) {
        (void)Reset(*c, statement_timeout_);  // on failure Acquire tries again
    } else if (PQtransactionStatus(c->conn) != PQTRANS_IDLE) {
        if (!Exec(*c, "ROLLBACK", "rollback").ok()) (void)Reset(*c, statement_timeout_);
    }
    pool_.Release(c);
}

Result<void> PgDatabase::StartTransaction(PgConnection& c, const TxOptions& options) {
    // One round trip for BEGIN and the row-level-security settings: a simple query may hold
    // several statements. The tenant is spliced in as a literal, which is safe because it is the
    // canonical text of a parsed UUID (hex digits and dashes only). set_config(..., true) is
    // SET LOCAL: it ends with the transaction.
    std::string sql = options.read_only ? "BEGIN READ ONLY" : "BEGIN";
    if (options.tenant) {
        const std::string tenant = options.tenant->ToString();
        ERP_INVARIANT(tenant.find_first_not_of("0123456789abcdef-") == std::string::npos,
                      "a UUID's text is hex and dashes");
        sql += "; SELECT set_config('app.tenant_id', '" + tenant + "', true)";
    }
    if (options.system) sql += "; SELECT set_config('app.system', 'on', true)";
    OMC_TRY(Exec(c, sql.c_str(), "begin"));
    return Ok();
}

Result<std::unique_ptr<Transaction>> PgDatabase::Begin(const TxOptions& options) {
    OMC_ASSIGN_OR_RETURN(PgConnection * c, Acquire());
    auto started = StartTransaction(*c, options);
    // A connection the server dropped while it sat in the pool is only noticed on use: reset it
    // and try once more.
    if (!started.ok() && PQstatus(c->conn) != CONNECTION_OK) {
        started = Reset(*c, statement_timeout_);
        if (started.ok()) started = StartTransaction(*c, options);
    }
    if (!started.ok()) {
        Release(c);
        return std::move(started).error();
    }
    return std::unique_ptr<Transaction>(std::make_unique<PgTransaction>(*this, c));
}

Result<void> PgDatabase::ExecScript(std::string_view sql) {
    OMC_ASSIGN_OR_RETURN(PgConnection * c, Acquire());
    const std::string script(sql);
    auto res = Exec(*c, script.c_str(), "script");
    Release(c);
    if (!res.ok()) return std::move(res).error();
    return Ok();
}

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(const DatabaseOptions& options) {
    std::vector<std::unique_ptr<PgConnection>> connections;
    for (int i = 0; i < options.pool_size; ++i) {
        auto c = std::make_unique<PgConnection>();
        c->conn = PQconnectdb(options.url.c_str());
        if (c->conn == nullptr) return Unavailable("libpq could not allocate a connection");
        if (PQstatus(c->conn) != CONNECTION_OK) {
            return Unavailable("cannot connect to PostgreSQL: " +
                               TrimmedMessage(PQerrorMessage(c->conn)));
        }
        OMC_TRY(SetUpSession(*c, options.statement_timeout));
        connections.push_back(std::move(c));
    }
    return std::unique_ptr<Database>(std::make_unique<PgDatabase>(std::move(connections), options));
}

}  // namespace omc::db::internal
