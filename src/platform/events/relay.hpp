// The outbox relay: gives outbox events their cursor and publishes them to NATS JetStream.
//
// Each step first SEQUENCES: it assigns cursor = max + 1, + 2, ... to the events visible to it
// that have none, in insertion order, under a lock that lets one relay at a time do it
// (pg_try_advisory_xact_lock on PostgreSQL; SQLite has one writer). Then it PUBLISHES: the
// sequenced, unpublished events in cursor order, each with Nats-Msg-Id = event id, marking one
// published only after JetStream acknowledged it. The first failure ends the batch: a later
// event is never sent before an earlier one, so every subject's stream keeps cursor order. After
// a failure the background loop backs off (exponential, with jitter) and reconnects. Delivery is
// at least once: a re-sent event inside the stream's duplicate window is dropped by JetStream,
// and consumers de-duplicate by event id. See README.md in this folder.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include "platform/base/clock.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::metrics {
class Registry;
}

namespace omc::events {

struct RelayOptions {
    // "nats://127.0.0.1:4222". Empty: sequence only (pull consumers still work), publish nothing.
    std::string nats_url;
    std::string stream = "OMC";  // created with subjects "omc.>" if missing
    std::chrono::milliseconds poll_interval{200};
    int batch_size = 500;  // events sequenced, and events published, per step
    std::chrono::milliseconds backoff_min{100};
    std::chrono::milliseconds backoff_max{30'000};
    std::chrono::milliseconds connect_timeout{2'000};
    std::chrono::milliseconds publish_timeout{5'000};  // wait for one JetStream acknowledgement
    // JetStream drops a message whose Nats-Msg-Id it saw within this window, so an event re-sent
    // after a lost acknowledgement is stored once. Used only when the relay creates the stream.
    std::chrono::seconds duplicate_window{120};
};

// What one RunOnce() did.
struct RelayStep {
    int64_t sequenced = 0;  // events given a cursor
    int64_t published = 0;  // events acknowledged by JetStream and marked published
    // A publish (or the connection) failed; the event it stopped at has attempts and last_error
    // recorded, and nothing after it was sent.
    bool publish_failed = false;
    std::string publish_error;
    // Events still waiting: unpublished when NATS is configured, unsequenced otherwise.
    int64_t backlog = 0;
};

// The delay before retry number `failures` (1 = after the first failure): min * 2^(failures-1),
// capped at max, then a uniform pick in [delay/2, delay] so that many relays restarted by the
// same broker outage do not retry in step. `random` is any 64-bit random value.
std::chrono::milliseconds BackoffDelay(int failures, std::chrono::milliseconds min,
                                       std::chrono::milliseconds max, uint64_t random);

class Relay {
  public:
    // `database` and `clock` must outlive the relay; `metrics` may be null. Registers the
    // omc_outbox_backlog gauge and the omc_outbox_published_total counter.
    Relay(db::Database& database, const Clock& clock, RelayOptions options,
          metrics::Registry* metrics = nullptr);
    ~Relay();  // Stop()s
    Relay(const Relay&) = delete;
    Relay& operator=(const Relay&) = delete;

    // Starts the background loop: RunOnce(), then wait poll_interval (none when a batch was
    // full; a backoff after a failure). Calling it twice is an invariant failure.
    void Start();
    // Ends the loop promptly (an in-flight batch stops after its current publish) and joins.
    // Safe to call more than once, and without Start().
    void Stop();

    // One sequencing step then one publishing step. An error means the database failed (nothing
    // is half-done: each step is one transaction); a publish failure is reported in the step.
    // Thread-safe: concurrent calls run one after another.
    Result<RelayStep> RunOnce();

    // The backlog as of the last step (what the omc_outbox_backlog gauge reads).
    int64_t backlog() const;

  private:
    class Publisher;
    struct Shared;

    Result<int64_t> Sequence(int64_t* unpublished);
    Result<RelayStep> Publish();
    int64_t SendInOrder(const db::Rows& rows, std::optional<std::string>* failure);
    std::chrono::milliseconds NextWait(const Result<RelayStep>& step, int* failures);
    void Loop();

    db::Database& database_;
    const Clock& clock_;
    const RelayOptions options_;
    metrics::Registry* metrics_;
    // Shared with the metrics gauge, which may be read after the relay is gone.
    std::shared_ptr<Shared> shared_;
    std::unique_ptr<Publisher> publisher_;  // null without nats_url

    std::mutex run_mu_;  // serialises RunOnce()

    std::mutex loop_mu_;
    std::condition_variable wake_;
    bool stopping_ = false;                    // GUARDED_BY(loop_mu_)
    std::atomic<bool> stop_requested_{false};  // read between publishes, without the lock
    std::thread thread_;
    std::mt19937_64 jitter_;  // only used by the loop thread
    // This relay's name in the SQLite publish lease (see Publish()).
    const std::string lease_holder_;
};

}  // namespace omc::events
