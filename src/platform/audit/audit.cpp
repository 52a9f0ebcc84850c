#include "platform/audit/audit.hpp"

#include <array>
#include <utility>

#include <fmt/format.h>

#include "platform/auth/token.hpp"

namespace omc::audit {
namespace {

// Takes the tenant's head: the UPDATE's row lock is held until the caller's transaction ends, so
// a second appender of the same tenant waits here (PostgreSQL; SQLite has one writer anyway) and
// then reads the advanced head. RETURNING gives the new seq and the previous record's hash.
constexpr db::Query kAdvanceHead{"audit.advance_head", R"sql(
    UPDATE audit_chain_heads SET last_seq = last_seq + 1
    WHERE tenant_id = $1
    RETURNING last_seq, last_hash)sql"};

// The tenant's first record: create the head. Two first appenders race here; the loser's INSERT
// waits for the winner's commit and then does nothing, and its next advance sees the winner's row.
constexpr db::Query kCreateHead{"audit.create_head", R"sql(
    INSERT INTO audit_chain_heads (tenant_id, last_seq, last_hash) VALUES ($1, 0, $2)
    ON CONFLICT (tenant_id) DO NOTHING)sql"};

constexpr db::Query kInsertRecord{"audit.insert_record", R"sql(
    INSERT INTO audit_log (tenant_id, seq, id, at_us, actor_type, actor_id, role, action,
                           entity_type, entity_id, summary, request_id, client_address,
                           prev_hash, hash)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15))sql"};

constexpr db::Query kSetHeadHash{"audit.set_head_hash", R"sql(
    UPDATE audit_chain_heads SET last_hash = $2 WHERE tenant_id = $1 AND last_seq = $3)sql"};

constexpr db::Query kReadHead{"audit.read_head", R"sql(
    SELECT last_seq, last_hash FROM audit_chain_heads WHERE tenant_id = $1)sql"};

// The record columns, in the order RecordFromRow reads them.
#define OMC_AUDIT_COLUMNS                                                                     \
    "tenant_id, seq, id, at_us, actor_type, actor_id, role, action, entity_type, entity_id, " \
    "summary, request_id, client_address, prev_hash, hash"

constexpr db::Query kWalk{"audit.walk", "SELECT " OMC_AUDIT_COLUMNS R"sql(
    FROM audit_log
    WHERE tenant_id = $1 AND seq > $2
    ORDER BY seq
    LIMIT $3)sql"};

constexpr int64_t kVerifyBatch = 1000;

constexpr std::string_view kHashMismatch = "hash mismatch";
constexpr std::string_view kPrevMismatch = "prev_hash does not match the record before";
constexpr std::string_view kSequenceGap = "sequence gap";
constexpr std::string_view kHeadMismatch = "head does not match the last record";

Result<void> CheckLength(std::string_view field, const std::string& value, size_t max_length) {
    if (value.size() > max_length) {
        return InvalidArgument(std::string(field),
                               fmt::format("must be at most {} characters", max_length));
    }
    return Ok();
}

bool IsSecretKey(std::string_view key) {
    std::string lower(key);
    for (char& c : lower) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return lower.find("password") != std::string::npos ||
           lower.find("secret") != std::string::npos || lower.find("token") != std::string::npos;
}

// The first key anywhere in `value` that looks like it holds a secret: a secret-sounding name
// with text under it ("must_change_password": true is a fact, not a secret).
std::optional<std::string> SecretKeyIn(const nlohmann::json& value) {
    if (value.is_object()) {
        for (const auto& [key, inner] : value.items()) {
            if (IsSecretKey(key) && inner.is_string()) return key;
            if (auto found = SecretKeyIn(inner)) return found;
        }
    } else if (value.is_array()) {
        for (const nlohmann::json& inner : value) {
            if (auto found = SecretKeyIn(inner)) return found;
        }
    }
    return std::nullopt;
}

// Invalid UTF-8 in a summary string is replaced rather than thrown on: the text stored is the
// text hashed, whatever it is.
std::string DumpSummary(const nlohmann::json& summary) {
    return summary.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<std::string> NullIfEmpty(const std::string& value) {
    if (value.empty()) return std::nullopt;
    return value;
}

// "<bytes>:<text>", or "~" for NULL: no field's encoding is a prefix of another's, so the
// serialisation of a record is unambiguous.
void AppendField(std::string& out, std::string_view value) {
    out += std::to_string(value.size());
    out += ':';
    out += value;
}
void AppendNullable(std::string& out, const std::optional<std::string>& value) {
    if (value) {
        AppendField(out, *value);
    } else {
        out += '~';
    }
}

// The record as read, before its id is known to be a UUID (a hand-edited row may hold anything).
struct RawRecord {
    StoredAudit record;
    std::string id_text;
};

RawRecord RecordFromRow(const db::Row& row) {
    RawRecord raw;
    StoredAudit& r = raw.record;
    r.tenant = TenantId{row.Id(0)};
    r.seq = row.Int(1);
    raw.id_text = row.Text(2);
    if (auto id = Uuid::Parse(raw.id_text)) r.id = *id;
    r.at_us = row.Int(3);
    r.actor_type = row.OptText(4);
    r.actor_id = row.OptText(5);
    r.role = row.OptText(6);
    r.action = row.Text(7);
    r.entity_type = row.OptText(8);
    r.entity_id = row.OptText(9);
    r.summary = row.Text(10);
    r.request_id = row.OptText(11);
    r.client_address = row.OptText(12);
    r.prev_hash = row.Text(13);
    r.hash = row.Text(14);
    return raw;
}

std::string HashOf(const StoredAudit& r, std::string_view id_text) {
    std::string in = "omc-audit-v1\n";
    AppendField(in, r.tenant.ToString());
    AppendField(in, std::to_string(r.seq));
    AppendField(in, id_text);
    AppendField(in, std::to_string(r.at_us));
    AppendNullable(in, r.actor_type);
    AppendNullable(in, r.actor_id);
    AppendNullable(in, r.role);
    AppendField(in, r.action);
    AppendNullable(in, r.entity_type);
    AppendNullable(in, r.entity_id);
    AppendField(in, r.summary);
    AppendNullable(in, r.request_id);
    AppendNullable(in, r.client_address);
    AppendField(in, r.prev_hash);
    return auth::Sha256Hex(in);
}

ChainCheck Broken(int64_t checked, int64_t seq, std::optional<Uuid> id, std::string_view reason) {
    return ChainCheck{.ok = false,
                      .records_checked = checked,
                      .first_broken = BrokenRecord{seq, id, std::string(reason)}};
}

// ---- the list query: one prepared statement per combination of filters ----

enum FilterBit : unsigned {
    kActorId = 1u << 0,
    kEntityType = 1u << 1,
    kEntityId = 1u << 2,
    kAction = 1u << 3,
    kFrom = 1u << 4,
    kTo = 1u << 5,
    kBefore = 1u << 6,
};
constexpr unsigned kFilterCombinations = 1u << 7;

struct ListStatement {
    std::string name;
    std::string sql;
};

// Each combination is a plain conjunction of equalities and ranges, so the planner picks the
// matching index; "(x IS NULL OR col = x)" would leave a generic plan scanning the tenant.
const std::array<ListStatement, kFilterCombinations>& ListStatements() {
    static const std::array<ListStatement, kFilterCombinations> statements = [] {
        std::array<ListStatement, kFilterCombinations> out;
        for (unsigned mask = 0; mask < kFilterCombinations; ++mask) {
            std::string sql = "SELECT " OMC_AUDIT_COLUMNS " FROM audit_log WHERE tenant_id = $1";
            int n = 1;
            const auto add = [&](unsigned bit, std::string_view predicate) {
                if (mask & bit) sql += fmt::format(" AND {} ${}", predicate, ++n);
            };
            add(kActorId, "actor_id =");
            add(kEntityType, "entity_type =");
            add(kEntityId, "entity_id =");
            add(kAction, "action =");
            add(kFrom, "at_us >=");
            add(kTo, "at_us <");
            add(kBefore, "seq <");
            sql += fmt::format(" ORDER BY seq DESC LIMIT ${}", ++n);
            out[mask] = {fmt::format("audit.list_{:02x}", mask), std::move(sql)};
        }
        return out;
    }();
    return statements;
}

}  // namespace

Result<void> ValidateAuditEntry(const AuditEntry& entry) {
    if (entry.actor_type != "user" && entry.actor_type != "api_key" &&
        entry.actor_type != "system") {
        return InvalidArgument("actor_type", "must be user, api_key or system");
    }
    OMC_TRY(CheckLength("actor_id", entry.actor_id, kMaxActorIdLength));
    OMC_TRY(CheckLength("role", entry.role, kMaxRoleLength));
    if (entry.action.empty()) return InvalidArgument("action", "must not be empty");
    OMC_TRY(CheckLength("action", entry.action, kMaxActionLength));
    OMC_TRY(CheckLength("entity_type", entry.entity_type, kMaxEntityTypeLength));
    OMC_TRY(CheckLength("entity_id", entry.entity_id, kMaxEntityIdLength));
    OMC_TRY(CheckLength("request_id", entry.request_id, kMaxRequestIdLength));
    OMC_TRY(CheckLength("client_address", entry.client_address, kMaxClientAddressLength));
    if (!entry.summary.is_object()) return InvalidArgument("summary", "must be a JSON object");
    if (auto key = SecretKeyIn(entry.summary)) {
        return InvalidArgument("summary", "must not hold secrets (key '" + *key + "')");
    }
    return Ok();
}

std::string AuditHash(const StoredAudit& record) { return HashOf(record, record.id.ToString()); }

Result<StoredAudit> AppendAudit(db::Transaction& tx, const TenantId& tenant, IdGenerator& ids,
                                const Clock& clock, const AuditEntry& entry) {
    OMC_TRY(ValidateAuditEntry(entry));
    ERP_ASSERT(!tenant.value.IsNil(), "an audit record needs a tenant");
    StoredAudit r;
    r.summary = DumpSummary(entry.summary);
    if (r.summary.size() > kMaxSummaryBytes) {
        return InvalidArgument("summary",
                               fmt::format("must be at most {} bytes", kMaxSummaryBytes));
    }

    OMC_ASSIGN_OR_RETURN(db::Rows head, tx.Query(kAdvanceHead, {tenant}));
    if (head.empty()) {
        OMC_TRY(tx.Execute(kCreateHead, {tenant, kGenesisHash}));
        OMC_ASSIGN_OR_RETURN(head, tx.Query(kAdvanceHead, {tenant}));
    }
    ERP_INVARIANT(head.size() == 1, "the tenant's audit head exists once");

    r.tenant = tenant;
    r.seq = head[0].Int(0);
    r.prev_hash = head[0].Text(1);
    r.id = ids.NewV7();
    r.at_us = clock.NowUs();
    r.actor_type = entry.actor_type;
    r.actor_id = NullIfEmpty(entry.actor_id);
    r.role = NullIfEmpty(entry.role);
    r.action = entry.action;
    r.entity_type = NullIfEmpty(entry.entity_type);
    r.entity_id = NullIfEmpty(entry.entity_id);
    r.request_id = NullIfEmpty(entry.request_id);
    r.client_address = NullIfEmpty(entry.client_address);
    r.hash = AuditHash(r);

    OMC_ASSIGN_OR_RETURN(std::vector<int64_t> changed,
                         tx.ExecuteBatch({{kInsertRecord,
                                           {tenant, r.seq, r.id, r.at_us, r.actor_type, r.actor_id,
                                            r.role, r.action, r.entity_type, r.entity_id, r.summary,
                                            r.request_id, r.client_address, r.prev_hash, r.hash}},
                                          {kSetHeadHash, {tenant, r.hash, r.seq}}}));
    ERP_INVARIANT(changed.size() == 2 && changed[0] == 1 && changed[1] == 1,
                  "an audit append writes one record and moves the head");
    return r;
}

Result<ChainCheck> VerifyAuditChain(db::Database& database, const TenantId& tenant) {
    OMC_ASSIGN_OR_RETURN(auto tx, database.Begin({.tenant = tenant, .read_only = true}));
    int64_t checked = 0;
    int64_t last_seq = 0;
    std::string last_hash(kGenesisHash);
    std::optional<Uuid> last_id;
    // Walks the records after last_seq to the end. false: the chain broke (in `out`).
    const auto walk = [&](ChainCheck* out) -> Result<bool> {
        while (true) {
            OMC_ASSIGN_OR_RETURN(db::Rows rows, tx->Query(kWalk, {tenant, last_seq, kVerifyBatch}));
            for (const db::Row& row : rows) {
                const RawRecord raw = RecordFromRow(row);
                const StoredAudit& r = raw.record;
                const std::optional<Uuid> id = Uuid::Parse(raw.id_text);
                ++checked;
                if (r.seq != last_seq + 1) {
                    *out = Broken(checked, r.seq, id, kSequenceGap);
                    return false;
                }
                if (!id || HashOf(r, raw.id_text) != r.hash) {
                    *out = Broken(checked, r.seq, id, kHashMismatch);
                    return false;
                }
                if (r.prev_hash != last_hash) {
                    *out = Broken(checked, r.seq, id, kPrevMismatch);
                    return false;
                }
                last_seq = r.seq;
                last_hash = r.hash;
                last_id = id;
            }
            if (static_cast<int64_t>(rows.size()) < kVerifyBatch) return true;
        }
    };
    ChainCheck result;
    while (true) {
        OMC_ASSIGN_OR_RETURN(const bool intact, walk(&result));
        if (!intact) return result;
        // Read after the walk: a head and its record commit together, so a head read now covers
        // every record the walk saw, and names more only if they committed since (or are gone).
        OMC_ASSIGN_OR_RETURN(db::Rows head, tx->Query(kReadHead, {tenant}));
        const int64_t head_seq = head.empty() ? 0 : head[0].Int(0);
        if (head_seq == last_seq && (head.empty() ? last_seq == 0 : head[0].Text(1) == last_hash)) {
            break;
        }
        if (head_seq > last_seq) {
            // Records committed after the walk's last read: walk them. None: the tail is gone.
            OMC_ASSIGN_OR_RETURN(db::Rows more, tx->Query(kWalk, {tenant, last_seq, int64_t{1}}));
            if (!more.empty()) continue;
            if (last_seq == 0) return Broken(checked, head_seq, std::nullopt, kHeadMismatch);
        }
        return Broken(checked, last_seq, last_id, kHeadMismatch);
    }
    tx->Rollback();
    result.records_checked = checked;
    return result;
}

Result<AuditPage> ListAudit(db::Transaction& tx, const TenantId& tenant, const AuditFilter& filter,
                            std::optional<int64_t> before_seq, int limit) {
    if (limit < 1 || limit > kMaxListLimit) {
        return InvalidArgument("limit", fmt::format("must be between 1 and {}", kMaxListLimit));
    }
    unsigned mask = 0;
    db::Params params{tenant};
    const auto add = [&](unsigned bit, const auto& value) {
        if (!value) return;
        mask |= bit;
        params.emplace_back(*value);
    };
    add(kActorId, filter.actor_id);
    add(kEntityType, filter.entity_type);
    add(kEntityId, filter.entity_id);
    add(kAction, filter.action);
    add(kFrom, filter.from_us);
    add(kTo, filter.to_us);
    add(kBefore, before_seq);
    // One more than asked for tells whether another page follows.
    params.emplace_back(static_cast<int64_t>(limit) + 1);
    const ListStatement& statement = ListStatements()[mask];
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx.Query(db::Query{statement.name, statement.sql}, params));
    AuditPage page;
    for (const db::Row& row : rows) {
        if (static_cast<int>(page.records.size()) == limit) {
            page.next_before_seq = page.records.back().seq;
            break;
        }
        RawRecord raw = RecordFromRow(row);
        ERP_INVARIANT(raw.record.tenant == tenant, "ListAudit returned another tenant's record");
        page.records.push_back(std::move(raw.record));
    }
    return page;
}

nlohmann::json AuditJson(const StoredAudit& r) {
    const auto opt = [](const std::optional<std::string>& v) -> nlohmann::json {
        return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
    };
    nlohmann::json summary = nlohmann::json::parse(r.summary, nullptr, /*allow_exceptions=*/false);
    if (summary.is_discarded()) summary = r.summary;
    return nlohmann::json{
        {"seq", r.seq},
        {"id", r.id.ToString()},
        {"tenant_id", r.tenant.ToString()},
        {"at", FormatTimestamp(r.at_us)},
        {"at_us", r.at_us},
        {"actor_type", opt(r.actor_type)},
        {"actor_id", opt(r.actor_id)},
        {"role", opt(r.role)},
        {"action", r.action},
        {"entity_type", opt(r.entity_type)},
        {"entity_id", opt(r.entity_id)},
        {"summary", std::move(summary)},
        {"request_id", opt(r.request_id)},
        {"client_address", opt(r.client_address)},
        {"prev_hash", r.prev_hash},
        {"hash", r.hash},
    };
}

}  // namespace omc::audit
