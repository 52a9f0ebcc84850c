// Idempotency-Key for POST: the first answer is stored with a hash of the request, in the same
// transaction as its effect, and replayed for a repeat with the same key and body. The same key
// with a different body is 422; a repeat while the first is still running is 409. Keys expire
// after the configured TTL (24 h by default).
//
// Protocol, driven by the router:
//   1. Claim() in its own short transaction: inserts an in-flight row (lease of `lease`), or
//      reports a stored answer (replay), a different body (422) or an unexpired in-flight claim
//      (409). An expired lease (the process died mid-request) is taken over.
//   2. The handler runs in the request transaction.
//   3. Complete(tx, ...) writes the answer into the claimed row inside the request transaction,
//      right before the router commits it: the effect and its answer land together or not at all.
//   4. If the handler failed with a 4xx, nothing was written: RecordFailure() stores the answer in
//      its own transaction so a repeat replays it. On a 5xx, Release() deletes the claim so the
//      client may retry.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/request.hpp"

namespace omc::http {

inline constexpr size_t kIdempotencyKeyMaxBytes = 255;

struct IdempotencyScope {
    TenantId tenant;        // nil for unauthenticated routes
    std::string principal;  // the caller, so two users' keys never collide
    std::string key;
};

class IdempotencyStore {
  public:
    enum class Outcome { kProceed, kReplay, kBodyMismatch, kInFlight };
    struct ClaimResult {
        Outcome outcome = Outcome::kProceed;
        std::optional<Response> stored;  // set for kReplay
    };

    IdempotencyStore(db::Database& database, const Clock& clock, std::chrono::hours ttl,
                     std::chrono::seconds lease = std::chrono::seconds(60));

    // `request_hash`: hex SHA-256 of method, path and body (RequestHash below).
    Result<ClaimResult> Claim(const IdempotencyScope& scope, const std::string& request_hash);
    Result<void> Complete(db::Transaction& tx, const IdempotencyScope& scope,
                          const Response& response);
    Result<void> RecordFailure(const IdempotencyScope& scope, const Response& response);
    void Release(const IdempotencyScope& scope);
    // Deletes expired keys; returns how many. Run periodically by the server.
    Result<int64_t> Sweep();

    static std::string RequestHash(const Request& request);

  private:
    db::Database& database_;
    const Clock& clock_;
    std::chrono::hours ttl_;
    std::chrono::seconds lease_;
};

}  // namespace omc::http
