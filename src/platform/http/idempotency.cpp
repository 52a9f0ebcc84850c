#include "platform/http/idempotency.hpp"

#include <nlohmann/json.hpp>

#include "platform/auth/token.hpp"
#include "platform/log/log.hpp"

namespace omc::http {
namespace {

constexpr db::Query kSelectKey{"idempotency.select", R"sql(
    SELECT request_hash, state, lease_until_us, response_status, response_content_type,
           response_body, expires_at_us
    FROM idempotency_keys WHERE tenant_id = $1 AND principal = $2 AND idem_key = $3)sql"};

constexpr db::Query kInsertClaim{"idempotency.insert_claim", R"sql(
    INSERT INTO idempotency_keys (tenant_id, principal, idem_key, request_hash, state,
                                  lease_until_us, created_at_us, expires_at_us)
    VALUES ($1, $2, $3, $4, 'in_flight', $5, $6, $7)
    ON CONFLICT (tenant_id, principal, idem_key) DO NOTHING)sql"};

// Takes over a claim whose lease ran out (its process died) or whose key expired.
constexpr db::Query kTakeOver{"idempotency.take_over", R"sql(
    UPDATE idempotency_keys
    SET request_hash = $4, state = 'in_flight', lease_until_us = $5, created_at_us = $6,
        expires_at_us = $7, response_status = NULL, response_content_type = NULL,
        response_body = NULL
    WHERE tenant_id = $1 AND principal = $2 AND idem_key = $3
      AND ((state = 'in_flight' AND lease_until_us < $6) OR expires_at_us < $6))sql"};

constexpr db::Query kComplete{"idempotency.complete", R"sql(
    UPDATE idempotency_keys
    SET state = 'done', response_status = $4, response_content_type = $5, response_body = $6
    WHERE tenant_id = $1 AND principal = $2 AND idem_key = $3 AND state = 'in_flight')sql"};

constexpr db::Query kDelete{"idempotency.delete", R"sql(
    DELETE FROM idempotency_keys
    WHERE tenant_id = $1 AND principal = $2 AND idem_key = $3 AND state = 'in_flight')sql"};

constexpr db::Query kSweep{"idempotency.sweep",
                           "DELETE FROM idempotency_keys WHERE expires_at_us < $1"};

db::Params KeyParams(const IdempotencyScope& s) { return {s.tenant, s.principal, s.key}; }

db::Params With(db::Params base, std::initializer_list<db::Param> more) {
    base.insert(base.end(), more.begin(), more.end());
    return base;
}

}  // namespace

IdempotencyStore::IdempotencyStore(db::Database& database, const Clock& clock,
                                   std::chrono::hours ttl, std::chrono::seconds lease)
    : database_(database), clock_(clock), ttl_(ttl), lease_(lease) {}

std::string IdempotencyStore::RequestHash(const Request& request) {
    // Method and path are part of the identity: the same key on another route is another body.
    std::string input(MethodName(request.method));
    input += ' ';
    input += request.path;
    input += '?';
    input += request.query;
    input += '\n';
    input += request.body;
    return auth::Sha256Hex(input);
}

Result<IdempotencyStore::ClaimResult> IdempotencyStore::Claim(const IdempotencyScope& scope,
                                                              const std::string& request_hash) {
    const TimestampUs now = clock_.NowUs();
    const TimestampUs lease_until = now + lease_.count() * kUsPerSecond;
    const TimestampUs expires =
        now + std::chrono::duration_cast<std::chrono::seconds>(ttl_).count() * kUsPerSecond;
    return db::InTransaction(
        database_, {.tenant = scope.tenant, .system = scope.tenant.value.IsNil()},
        [&](db::Transaction& tx) -> Result<IdempotencyStore::ClaimResult> {
            const db::Params claim_params =
                With(KeyParams(scope), {request_hash, lease_until, now, expires});
            OMC_ASSIGN_OR_RETURN(int64_t inserted, tx.Execute(kInsertClaim, claim_params));
            if (inserted == 1) return IdempotencyStore::ClaimResult{};
            OMC_ASSIGN_OR_RETURN(int64_t taken, tx.Execute(kTakeOver, claim_params));
            if (taken == 1) return IdempotencyStore::ClaimResult{};
            OMC_ASSIGN_OR_RETURN(db::Rows rows, tx.Query(kSelectKey, KeyParams(scope)));
            if (rows.empty())
                return Error(ErrorCode::kConflict, "idempotency key is being reused; retry");
            const db::Row& row = rows[0];
            if (row.Text(0) != request_hash) {
                return IdempotencyStore::ClaimResult{Outcome::kBodyMismatch, std::nullopt};
            }
            if (row.Text(1) == "in_flight")
                return IdempotencyStore::ClaimResult{Outcome::kInFlight, std::nullopt};
            Response stored;
            stored.status = static_cast<int>(row.Int(3));
            stored.content_type = row.Text(4);
            stored.body = row.Text(5);
            return IdempotencyStore::ClaimResult{Outcome::kReplay, std::move(stored)};
        });
}

Result<void> IdempotencyStore::Complete(db::Transaction& tx, const IdempotencyScope& scope,
                                        const Response& response) {
    OMC_ASSIGN_OR_RETURN(
        int64_t updated,
        tx.Execute(kComplete, With(KeyParams(scope), {int64_t{response.status},
                                                      response.content_type, response.body})));
    // Zero rows: our lease expired and another request took the key over. Committing our effect
    // now could apply it twice, so the request fails and rolls back instead.
    if (updated != 1) return Error(ErrorCode::kConflict, "idempotency key was taken over; retry");
    return Ok();
}

Result<void> IdempotencyStore::RecordFailure(const IdempotencyScope& scope,
                                             const Response& response) {
    return db::InTransaction(database_,
                             {.tenant = scope.tenant, .system = scope.tenant.value.IsNil()},
                             [&](db::Transaction& tx) { return Complete(tx, scope, response); });
}

void IdempotencyStore::Release(const IdempotencyScope& scope) {
    auto released =
        db::InTransaction(database_, {.tenant = scope.tenant, .system = scope.tenant.value.IsNil()},
                          [&](db::Transaction& tx) -> Result<void> {
                              OMC_TRY(tx.Execute(kDelete, KeyParams(scope)));
                              return Ok();
                          });
    if (!released.ok()) {
        // The lease still expires on its own; a retry after it proceeds.
        log::Warn("idempotency release failed", {{"detail", released.error().detail()}});
    }
}

Result<int64_t> IdempotencyStore::Sweep() {
    return db::InTransaction(database_, {.system = true}, [&](db::Transaction& tx) {
        return tx.Execute(kSweep, {clock_.NowUs()});
    });
}

}  // namespace omc::http
