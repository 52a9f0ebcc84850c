// The tamper-evident audit log: one append-only hash chain per tenant in `audit_log`. Each record
// carries seq (1, 2, 3, ... per tenant), the previous record's hash and its own hash, a SHA-256
// over a canonical serialisation of every field; editing, removing or reordering a record breaks
// the chain at that record, which VerifyAuditChain finds. See README.md in this folder.
//
//   OMC_ASSIGN_OR_RETURN(StoredAudit r, AppendAudit(tx, tenant, ids, clock,
//       {.actor_type = "user", .actor_id = user, .role = "CompanyAdmin", .action = "users.create",
//        .entity_type = "user", .entity_id = id, .summary = {{"email", email}}}));
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::audit {

// Named limits; longer fields are kInvalidArgument naming the field.
constexpr size_t kMaxActorIdLength = 128;
constexpr size_t kMaxRoleLength = 64;
constexpr size_t kMaxActionLength = 128;
constexpr size_t kMaxEntityTypeLength = 64;
constexpr size_t kMaxEntityIdLength = 128;
constexpr size_t kMaxRequestIdLength = 128;
constexpr size_t kMaxClientAddressLength = 64;
constexpr size_t kMaxSummaryBytes = 16 * 1024;
constexpr int kMaxListLimit = 500;
// The prev_hash of a tenant's first record.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// One change to record. Empty optional fields are stored as NULL.
struct AuditEntry {
    std::string actor_type;  // required: "user", "api_key" or "system"
    std::string actor_id;    // user id, API key id, or the system job's name
    std::string role;
    std::string action;  // required: the route's name or a domain action, e.g. "users.create"
    std::string entity_type;
    std::string entity_id;
    // Required: a JSON object describing the change. Never secrets: a key containing "password"
    // or "secret" (any case, at any depth) is refused.
    nlohmann::json summary = nlohmann::json::object();
    std::string request_id;
    std::string client_address;
};

// A record as stored. Nullable columns are nullopt when NULL.
struct StoredAudit {
    TenantId tenant;
    int64_t seq = 0;
    Uuid id;
    TimestampUs at_us = 0;
    std::optional<std::string> actor_type;
    std::optional<std::string> actor_id;
    std::optional<std::string> role;
    std::string action;
    std::optional<std::string> entity_type;
    std::optional<std::string> entity_id;
    std::string summary;  // the JSON object's text, exactly as stored and hashed
    std::optional<std::string> request_id;
    std::optional<std::string> client_address;
    std::string prev_hash;
    std::string hash;
};

// Checks an entry before it is written: kInvalidArgument naming the field when a required one is
// missing, actor_type is not one of the three, a field is too long, or the summary is not an
// object, is larger than kMaxSummaryBytes serialised, or has a secret-looking key.
Result<void> ValidateAuditEntry(const AuditEntry& entry);

// Appends `entry` to `tenant`'s chain inside the caller's transaction, which must be able to
// write that tenant's rows (its tenant, or system). Takes the tenant's head row (creating it for
// the first record) and advances it; on PostgreSQL its row lock serialises concurrent appenders of
// one tenant until the caller commits or rolls back. The record exists only if that transaction
// commits. Fails with kInvalidArgument (ValidateAuditEntry) or the database's error.
Result<StoredAudit> AppendAudit(db::Transaction& tx, const TenantId& tenant, IdGenerator& ids,
                                const Clock& clock, const AuditEntry& entry);

// The hex SHA-256 a record must carry: over "omc-audit-v1" and every field but `hash`, each
// length-prefixed ("<bytes>:<text>", NULL as "~"), in column order. See README.md.
std::string AuditHash(const StoredAudit& record);

struct BrokenRecord {
    int64_t seq = 0;
    std::optional<Uuid> id;  // nullopt when the break is a head without records
    // "hash mismatch", "prev_hash does not match the record before", "sequence gap" or
    // "head does not match the last record"
    std::string reason;
};

struct ChainCheck {
    bool ok = true;
    int64_t records_checked = 0;  // records examined, the broken one included
    std::optional<BrokenRecord> first_broken;
};

// Walks `tenant`'s records in seq order (read-only transactions, in batches) recomputing every
// hash, and checks the chain links, that seq runs 1, 2, 3, ... and that the head row names the
// last record. Safe while others append: records committed during the walk are walked too.
Result<ChainCheck> VerifyAuditChain(db::Database& database, const TenantId& tenant);

struct AuditFilter {
    std::optional<std::string> actor_id;
    std::optional<std::string> entity_type;
    std::optional<std::string> entity_id;
    std::optional<std::string> action;
    std::optional<TimestampUs> from_us;  // at_us >= from_us
    std::optional<TimestampUs> to_us;    // at_us < to_us
};

struct AuditPage {
    std::vector<StoredAudit> records;        // newest first
    std::optional<int64_t> next_before_seq;  // set when more records follow
};

// `tenant`'s records matching `filter`, newest first (descending seq), those with
// seq < before_seq when given, at most `limit` (1..kMaxListLimit, else kInvalidArgument "limit").
Result<AuditPage> ListAudit(db::Transaction& tx, const TenantId& tenant, const AuditFilter& filter,
                            std::optional<int64_t> before_seq, int limit);

// The API form: {"seq","id","tenant_id","at","at_us","actor_type","actor_id","role","action",
// "entity_type","entity_id","summary","request_id","client_address","prev_hash","hash"}; NULL
// columns are null; a summary that is not JSON (changed behind the application's back) is shown
// as its text.
nlohmann::json AuditJson(const StoredAudit& record);

}  // namespace omc::audit
