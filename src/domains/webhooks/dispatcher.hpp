// The webhook dispatcher: runs in `omc serve` beside the outbox relay (src/app/app.cpp).
//
// Each step FANS OUT, then SENDS:
//  - fan-out: for every tenant with an endpoint, the outbox events after the tenant's
//    position in webhook_cursors (events::ListEvents: sequenced events, in cursor order) become
//    one delivery per enabled endpoint subscribed to the event's type (and created no later than
//    the event), and the position moves on, in one transaction. The position is moved by compare
//    and set and deliveries are unique per (endpoint, event), so two dispatchers doing the same
//    tenant at once make each delivery once.
//  - send: due deliveries are CLAIMED in a short transaction (SELECT ... FOR UPDATE SKIP LOCKED
//    on PostgreSQL, SQLite has one writer; the claim is a lease in the row), sent with the shared
//    HTTP client outside any transaction, and the outcome recorded in another: every attempt in
//    webhook_attempts; 2xx delivered; 410 Gone disables the endpoint (its pending deliveries are
//    kept, held); anything else, or no answer, is retried on the jittered schedule (model.hpp)
//    until 3 days after the first attempt, then dead-lettered.
// A dispatcher that dies mid-send leaves a lease that expires (kClaimLease), after which another
// sends again: delivery is at least once, and receivers de-duplicate by webhook-id.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "domains/webhooks/limits.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/config/config.hpp"
#include "platform/db/database.hpp"

namespace omc::metrics {
class Registry;
}

namespace omc::webhooks {

struct DispatcherOptions {
    std::chrono::milliseconds poll_interval{1'000};
    int threads = 2;  // background loops, each claiming and sending its own deliveries
    std::chrono::milliseconds send_timeout = kSendTimeout;
    std::chrono::milliseconds connect_timeout = kConnectTimeout;
    int send_batch = kSendBatch;
    uint64_t seed = 0;  // jitter; 0: from the CSPRNG
};

// What one RunOnce() did.
struct DispatchStep {
    int64_t fanned_out = 0;     // deliveries created from outbox events
    int64_t attempts = 0;       // sends tried
    int64_t delivered = 0;      // of which answered 2xx
    int64_t retrying = 0;       // failed and scheduled again
    int64_t dead_lettered = 0;  // failed for the last time
    int64_t disabled = 0;       // endpoints disabled by a 410
};

class Dispatcher {
  public:
    // Everything given must outlive the dispatcher; `metrics` may be null. Counts attempts in
    // omc_webhook_attempts_total{outcome="delivered|retrying|dead_lettered|gone"}.
    Dispatcher(db::Database& database, const Clock& clock, IdGenerator& ids,
               const config::Config& config, DispatcherOptions options,
               metrics::Registry* metrics = nullptr);
    ~Dispatcher();  // Stop()s
    Dispatcher(const Dispatcher&) = delete;
    Dispatcher& operator=(const Dispatcher&) = delete;

    // Starts options.threads loops: RunOnce(), then wait poll_interval unless it did something.
    void Start();
    // Ends the loops (a send in flight finishes first) and joins. Safe without Start().
    void Stop();

    // One fan-out step and one send step, at the injected clock's time. An error means the
    // database failed; a failed send is an outcome, counted in the step. Thread-safe.
    Result<DispatchStep> RunOnce();
    // Only the fan-out step (tests).
    Result<int64_t> FanOut();

  private:
    struct Claimed;
    struct Outcome;
    Result<int64_t> FanOutTenant(const TenantId& tenant, TimestampUs now_us);
    Result<std::vector<Claimed>> Claim(TimestampUs now_us);
    Outcome Send(const Claimed& claimed);
    Result<void> Record(const Claimed& claimed, const Outcome& outcome, DispatchStep& step);
    uint64_t Random();
    void Loop();

    db::Database& database_;
    const Clock& clock_;
    IdGenerator& ids_;
    const config::Config& config_;
    const DispatcherOptions options_;
    metrics::Registry* metrics_;

    std::mutex random_mu_;
    std::mt19937_64 random_;  // GUARDED_BY(random_mu_)

    std::mutex loop_mu_;
    std::condition_variable wake_;
    bool stopping_ = false;  // GUARDED_BY(loop_mu_)
    std::vector<std::thread> threads_;
};

}  // namespace omc::webhooks
