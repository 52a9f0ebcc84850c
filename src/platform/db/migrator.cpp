#include "platform/db/migrator.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "platform/base/assert.hpp"

namespace omc::db {
namespace {

constexpr size_t kVersionDigits = 4;
// The pg_advisory_xact_lock key that serialises migrators ("omc_migr" in ASCII).
constexpr int64_t kMigrationLockKey = 0x6f6d635f6d696772;

constexpr std::string_view kCreateSchemaMigrations = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
    version BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at_us BIGINT NOT NULL
))sql";

constexpr Query kLockMigrations{"migrator.lock", "SELECT pg_advisory_xact_lock($1)"};
constexpr Query kPgTableExists{"migrator.pg_table_exists",
                               "SELECT to_regclass('schema_migrations') IS NOT NULL"};
constexpr Query kSqliteTableExists{
    "migrator.sqlite_table_exists",
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"};
constexpr Query kSelectApplied{
    "migrator.select_applied",
    "SELECT version, name, checksum FROM schema_migrations ORDER BY version"};
constexpr Query kFindApplied{"migrator.find_applied",
                             "SELECT checksum FROM schema_migrations WHERE version = $1"};
constexpr Query kInsertApplied{"migrator.insert_applied", R"sql(
    INSERT INTO schema_migrations (version, name, checksum, applied_at_us)
    VALUES ($1, $2, $3, $4))sql"};

struct ParsedName {
    int version = 0;
    std::string name;
    std::optional<Engine> dialect;  // nullopt: the common file
};

bool IsNameChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

Error BadFile(std::string_view file, std::string_view why) {
    return InvalidArgument("migrations", fmt::format("{}: {}", file, why));
}

// "0007_wetstock_tanks.postgres.sql" -> {7, "wetstock_tanks", kPostgres}.
Result<ParsedName> ParseFileName(std::string_view file) {
    constexpr std::string_view kExpected = "expected NNNN_name.sql, .postgres.sql or .sqlite.sql";
    std::string_view rest = file;
    if (!rest.ends_with(".sql")) return BadFile(file, kExpected);
    rest.remove_suffix(4);
    ParsedName parsed;
    if (rest.ends_with(".postgres")) {
        parsed.dialect = Engine::kPostgres;
        rest.remove_suffix(9);
    } else if (rest.ends_with(".sqlite")) {
        parsed.dialect = Engine::kSqlite;
        rest.remove_suffix(7);
    }
    if (rest.size() < kVersionDigits + 2 || rest[kVersionDigits] != '_') {
        return BadFile(file, kExpected);
    }
    const auto digits = rest.substr(0, kVersionDigits);
    const auto [ptr, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), parsed.version);
    if (ec != std::errc() || ptr != digits.data() + digits.size() || parsed.version <= 0) {
        return BadFile(file, "the version must be four digits, from 0001");
    }
    parsed.name = std::string(rest.substr(kVersionDigits + 1));
    if (!std::all_of(parsed.name.begin(), parsed.name.end(), IsNameChar)) {
        return BadFile(file, "the name may hold only a-z, 0-9 and _");
    }
    return parsed;
}

std::string Sha256Hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    const int ok =
        EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr);
    ERP_INVARIANT(ok == 1 && size == 32, "SHA-256 failed");
    std::string hex;
    hex.reserve(2 * size);
    for (unsigned int i = 0; i < size; ++i)
        fmt::format_to(std::back_inserter(hex), "{:02x}", digest[i]);
    return hex;
}

std::string DisplayName(int64_t version, std::string_view name) {
    return fmt::format("{:04}_{}", version, name);
}

// The files of one version, in file-name order.
struct VersionFiles {
    std::string name;
    const MigrationFile* common = nullptr;
    const MigrationFile* postgres = nullptr;
    const MigrationFile* sqlite = nullptr;
    std::vector<const MigrationFile*> all;
};

Result<void> AddFile(std::map<int, VersionFiles>& versions, const MigrationFile& file) {
    OMC_ASSIGN_OR_RETURN(ParsedName parsed, ParseFileName(file.name));
    VersionFiles& v = versions[parsed.version];
    if (!v.all.empty() && v.name != parsed.name) {
        return BadFile(file.name,
                       fmt::format("version {:04} is already named '{}'", parsed.version, v.name));
    }
    v.name = parsed.name;
    const MigrationFile** slot = &v.common;
    if (parsed.dialect == Engine::kPostgres) slot = &v.postgres;
    if (parsed.dialect == Engine::kSqlite) slot = &v.sqlite;
    if (*slot != nullptr) return BadFile(file.name, "duplicate migration file");
    *slot = &file;
    v.all.push_back(&file);
    return Ok();
}

Migration BuildMigration(int version, const VersionFiles& v, Engine engine) {
    Migration m;
    m.version = version;
    m.name = v.name;
    if (v.common != nullptr) {
        m.sql =
            engine == Engine::kSqlite ? TranslateForSqlite(v.common->content) : v.common->content;
    }
    // The dialect file is already written for its engine: it is not translated.
    const MigrationFile* dialect = engine == Engine::kSqlite ? v.sqlite : v.postgres;
    if (dialect != nullptr) {
        if (!m.sql.empty()) m.sql += "\n";
        m.sql += dialect->content;
    }
    std::string all;
    for (const MigrationFile* f : v.all) all += f->content;
    m.checksum = Sha256Hex(all);
    return m;
}

// ---- TranslateForSqlite ----

bool IsWordChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

std::string Upper(std::string_view word) {
    std::string out(word);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::optional<std::string_view> SqliteType(std::string_view upper) {
    if (upper == "BIGINT" || upper == "INT" || upper == "INTEGER" || upper == "SMALLINT" ||
        upper == "BOOLEAN") {
        return "INTEGER";
    }
    if (upper == "UUID" || upper == "JSONB" || upper == "TEXT" || upper == "VARCHAR") return "TEXT";
    if (upper == "BYTEA") return "BLOB";
    return std::nullopt;
}

// Copies a literal, quoted identifier or comment starting at `i` verbatim; returns its end.
size_t SkipOpaque(std::string_view sql, size_t i, std::string& out) {
    size_t end = sql.size();
    if (sql[i] == '\'' || sql[i] == '"') {
        const char quote = sql[i];
        size_t j = i + 1;
        while (j < sql.size()) {
            if (sql[j] == quote && j + 1 < sql.size() && sql[j + 1] == quote) {
                j += 2;  // a doubled quote is an escaped quote
            } else if (sql[j] == quote) {
                break;
            } else {
                ++j;
            }
        }
        end = std::min(sql.size(), j + 1);
    } else if (sql.substr(i, 2) == "--") {
        const size_t nl = sql.find('\n', i);
        end = nl == std::string_view::npos ? sql.size() : nl;
    } else if (sql.substr(i, 2) == "/*") {
        const size_t close = sql.find("*/", i + 2);
        end = close == std::string_view::npos ? sql.size() : close + 2;
    } else {
        ERP_INVARIANT(false, "SkipOpaque at an ordinary character");
    }
    out.append(sql.substr(i, end - i));
    return end;
}

bool StartsOpaque(std::string_view sql, size_t i) {
    return sql[i] == '\'' || sql[i] == '"' || sql.substr(i, 2) == "--" || sql.substr(i, 2) == "/*";
}

// After VARCHAR: skips a "(n)" length, which TEXT does not take. Returns the new position.
size_t SkipLength(std::string_view sql, size_t i) {
    size_t j = i;
    while (j < sql.size() && std::isspace(static_cast<unsigned char>(sql[j]))) ++j;
    if (j >= sql.size() || sql[j] != '(') return i;
    const size_t close = sql.find(')', j);
    if (close == std::string_view::npos) return i;
    for (size_t k = j + 1; k < close; ++k) {
        if (!std::isdigit(static_cast<unsigned char>(sql[k])) &&
            !std::isspace(static_cast<unsigned char>(sql[k]))) {
            return i;
        }
    }
    return close + 1;
}

// What follows the closing parenthesis of a CREATE TABLE body: STRICT, unless already there.
std::string_view StrictSuffix(std::string_view sql, size_t i) {
    size_t j = i;
    while (j < sql.size() && std::isspace(static_cast<unsigned char>(sql[j]))) ++j;
    size_t k = j;
    while (k < sql.size() && IsWordChar(sql[k])) ++k;
    const std::string next = Upper(sql.substr(j, k - j));
    if (next == "STRICT") return "";
    if (next == "WITHOUT") return " STRICT,";
    return " STRICT";
}

enum class CreateTable { kNone, kSawCreate, kSawTable, kInBody };

CreateTable NextCreateState(CreateTable state, const std::string& upper) {
    if (upper == "CREATE") return CreateTable::kSawCreate;
    if (state == CreateTable::kSawCreate) {
        if (upper == "TEMP" || upper == "TEMPORARY" || upper == "UNLOGGED") return state;
        return upper == "TABLE" ? CreateTable::kSawTable : CreateTable::kNone;
    }
    if (state == CreateTable::kSawTable && upper == "AS") return CreateTable::kNone;
    return state;
}

}  // namespace

std::string TranslateForSqlite(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 64);
    CreateTable state = CreateTable::kNone;
    int depth = 0;
    size_t i = 0;
    while (i < sql.size()) {
        const char c = sql[i];
        if (StartsOpaque(sql, i)) {
            i = SkipOpaque(sql, i, out);
        } else if (IsWordChar(c)) {
            size_t j = i;
            while (j < sql.size() && IsWordChar(sql[j])) ++j;
            const std::string upper = Upper(sql.substr(i, j - i));
            if (depth == 0) state = NextCreateState(state, upper);
            const auto type = SqliteType(upper);
            out.append(type ? *type : sql.substr(i, j - i));
            i = upper == "VARCHAR" ? SkipLength(sql, j) : j;
        } else {
            out += c;
            ++i;
            if (c == '(' && ++depth == 1 && state == CreateTable::kSawTable) {
                state = CreateTable::kInBody;
            } else if (c == ')' && --depth == 0 && state == CreateTable::kInBody) {
                out.append(StrictSuffix(sql, i));
                state = CreateTable::kNone;
            } else if (c == ';') {
                state = CreateTable::kNone;
                depth = 0;
            }
        }
    }
    return out;
}

Result<std::vector<Migration>> PlanMigrations(const std::vector<MigrationFile>& files,
                                              Engine engine) {
    std::vector<const MigrationFile*> sorted;
    sorted.reserve(files.size());
    for (const auto& f : files) sorted.push_back(&f);
    std::sort(sorted.begin(), sorted.end(),
              [](const MigrationFile* a, const MigrationFile* b) { return a->name < b->name; });
    std::map<int, VersionFiles> versions;
    for (const MigrationFile* f : sorted) OMC_TRY(AddFile(versions, *f));
    std::vector<Migration> plan;
    plan.reserve(versions.size());
    for (const auto& [version, v] : versions) plan.push_back(BuildMigration(version, v, engine));
    return plan;
}

Result<std::vector<MigrationFile>> LoadMigrationFiles(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        return InvalidArgument("dir", fmt::format("'{}' is not a readable directory", dir));
    }
    std::vector<MigrationFile> files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".sql") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream content;
        content << in.rdbuf();
        if (!in) {
            return InvalidArgument("dir", fmt::format("cannot read '{}'", entry.path().string()));
        }
        files.push_back({entry.path().filename().string(), content.str()});
    }
    if (ec) return InvalidArgument("dir", fmt::format("cannot list '{}': {}", dir, ec.message()));
    std::sort(files.begin(), files.end(),
              [](const MigrationFile& a, const MigrationFile& b) { return a.name < b.name; });
    return files;
}

namespace {

struct AppliedRow {
    std::string name;
    std::string checksum;
};
using AppliedMap = std::map<int64_t, AppliedRow>;

Result<void> LockMigrations(Transaction& tx) {
    // SQLite needs no lock: BEGIN IMMEDIATE already admits one writer at a time.
    if (tx.engine() != Engine::kPostgres) return Ok();
    OMC_TRY(tx.Query(kLockMigrations, {kMigrationLockKey}));
    return Ok();
}

Result<AppliedMap> ReadApplied(Transaction& tx) {
    const Query& exists = tx.engine() == Engine::kPostgres ? kPgTableExists : kSqliteTableExists;
    OMC_ASSIGN_OR_RETURN(Rows found, tx.Query(exists, {}));
    AppliedMap applied;
    if (found.empty() || !found[0].Bool(0)) return applied;
    OMC_ASSIGN_OR_RETURN(Rows rows, tx.Query(kSelectApplied, {}));
    for (const Row& row : rows) applied[row.Int(0)] = {row.Text(1), row.Text(2)};
    return applied;
}

Error EditedError(int64_t version, std::string_view name) {
    return Error(ErrorCode::kConflict,
                 fmt::format("migration {} was edited after it was applied (checksum mismatch); "
                             "restore it and add a new migration instead",
                             DisplayName(version, name)));
}

// Every applied migration must still be there, unchanged.
Result<void> VerifyApplied(const AppliedMap& applied, const std::vector<Migration>& plan) {
    for (const auto& [version, row] : applied) {
        const auto it = std::find_if(plan.begin(), plan.end(),
                                     [&](const Migration& m) { return m.version == version; });
        if (it == plan.end()) {
            return Error(ErrorCode::kConflict,
                         fmt::format("migration {} was applied but its file is missing; "
                                     "restore it (applied migrations are never removed)",
                                     DisplayName(version, row.name)));
        }
        if (it->checksum != row.checksum) return EditedError(version, it->name);
    }
    return Ok();
}

// Applies one migration with its schema_migrations row. Returns false when another process
// applied it first.
Result<bool> ApplyOne(Transaction& tx, const Migration& m, const Clock& clock) {
    OMC_TRY(LockMigrations(tx));
    OMC_ASSIGN_OR_RETURN(Rows existing, tx.Query(kFindApplied, {int64_t{m.version}}));
    if (!existing.empty()) {
        if (existing[0].Text(0) != m.checksum) return EditedError(m.version, m.name);
        return false;
    }
    if (!m.sql.empty()) {
        auto ran = tx.ExecScript(m.sql);
        if (!ran.ok()) {
            const Error& e = ran.error();
            return Error(e.code(), e.message())
                .WithDetail(
                    fmt::format("migration {}: {}", DisplayName(m.version, m.name), e.detail()));
        }
    }
    OMC_TRY(tx.Execute(kInsertApplied,
                       {int64_t{m.version}, m.name, m.checksum, int64_t{clock.NowUs()}}));
    return true;
}

}  // namespace

Result<MigrationStatus> ApplyMigrations(Database& db, const std::vector<MigrationFile>& files,
                                        const Clock& clock) {
    OMC_ASSIGN_OR_RETURN(std::vector<Migration> plan, PlanMigrations(files, db.engine()));
    const std::string create = db.engine() == Engine::kSqlite
                                   ? TranslateForSqlite(kCreateSchemaMigrations)
                                   : std::string(kCreateSchemaMigrations);
    OMC_ASSIGN_OR_RETURN(
        AppliedMap applied,
        InTransaction(db, {.system = true}, [&](Transaction& tx) -> Result<AppliedMap> {
            OMC_TRY(LockMigrations(tx));
            OMC_TRY(tx.ExecScript(create));
            OMC_ASSIGN_OR_RETURN(AppliedMap rows, ReadApplied(tx));
            OMC_TRY(VerifyApplied(rows, plan));
            return rows;
        }));
    MigrationStatus status;
    for (const Migration& m : plan) {
        if (applied.contains(m.version)) continue;
        OMC_ASSIGN_OR_RETURN(bool ran, InTransaction(db, {.system = true}, [&](Transaction& tx) {
                                 return ApplyOne(tx, m, clock);
                             }));
        if (ran) status.applied.push_back(m.version);
    }
    return status;
}

Result<MigrationStatus> CheckMigrations(Database& db, const std::vector<MigrationFile>& files) {
    OMC_ASSIGN_OR_RETURN(std::vector<Migration> plan, PlanMigrations(files, db.engine()));
    OMC_ASSIGN_OR_RETURN(AppliedMap applied,
                         InTransaction(db, {.system = true, .read_only = true},
                                       [&](Transaction& tx) -> Result<AppliedMap> {
                                           OMC_ASSIGN_OR_RETURN(AppliedMap rows, ReadApplied(tx));
                                           OMC_TRY(VerifyApplied(rows, plan));
                                           return rows;
                                       }));
    MigrationStatus status;
    for (const Migration& m : plan) {
        (applied.contains(m.version) ? status.applied : status.pending).push_back(m.version);
    }
    return status;
}

}  // namespace omc::db
