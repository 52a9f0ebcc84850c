#include "platform/events/relay.hpp"

#include "platform/base/id.hpp"

#include <nats/nats.h>

#include <algorithm>
#include <exception>
#include <utility>
#include <vector>

#include "platform/base/thread_name.hpp"
#include "platform/events/outbox.hpp"
#include "platform/log/log.hpp"
#include "platform/log/metrics.hpp"

namespace omc::events {
namespace {

// Transaction-scoped advisory locks ("omc_seq" and "omc_pub" in ASCII): released by the commit
// or rollback that ends the step, so a crashed relay never leaves one held, and a pooled
// connection never carries one into someone else's transaction (a session lock would).
constexpr int64_t kSequenceLockKey = 0x6f6d635f736571;
constexpr int64_t kPublishLockKey = 0x6f6d635f707562;

constexpr db::Query kTryLock{"events.relay_try_lock", "SELECT pg_try_advisory_xact_lock($1)"};

constexpr db::Query kMaxCursor{"events.relay_max_cursor",
                               "SELECT COALESCE(MAX(cursor), 0) FROM outbox_events"};

// Numbers the oldest unsequenced visible rows max+1, max+2, ... in insertion order. Rows of
// transactions still open are invisible here and get later cursors once they commit, which is
// the point: a consumer that has read up to cursor N can never be handed a row below N later.
constexpr db::Query kSequence{"events.relay_sequence", R"sql(
    WITH todo AS (
        SELECT seq, ROW_NUMBER() OVER (ORDER BY seq) AS position
        FROM (SELECT seq FROM outbox_events WHERE cursor IS NULL ORDER BY seq LIMIT $2) AS pending
    )
    UPDATE outbox_events SET cursor = $1 + todo.position
    FROM todo
    WHERE outbox_events.seq = todo.seq)sql"};

// Written as two counts so each reads only its small index, not the whole table.
constexpr db::Query kCountUnpublished{"events.relay_count_unpublished", R"sql(
    SELECT (SELECT COUNT(*) FROM outbox_events WHERE cursor IS NULL)
         + (SELECT COUNT(*) FROM outbox_events
            WHERE cursor IS NOT NULL AND published_at_us IS NULL))sql"};
constexpr db::Query kCountUnsequenced{"events.relay_count_unsequenced",
                                      "SELECT COUNT(*) FROM outbox_events WHERE cursor IS NULL"};

constexpr db::Query kSelectUnpublished{"events.relay_select_unpublished", R"sql(
    SELECT cursor, tenant_id, id, type, aggregate_type, aggregate_id, payload, created_at_us
    FROM outbox_events
    WHERE cursor IS NOT NULL AND published_at_us IS NULL
    ORDER BY cursor
    LIMIT $1)sql"};

// The published events are a prefix of the batch, which was the first unpublished events by
// cursor, so the unpublished rows in [first, last] are exactly that prefix.
constexpr db::Query kMarkPublished{"events.relay_mark_published", R"sql(
    UPDATE outbox_events SET published_at_us = $1, attempts = attempts + 1
    WHERE cursor >= $2 AND cursor <= $3 AND published_at_us IS NULL)sql"};

constexpr db::Query kRecordFailure{"events.relay_record_failure", R"sql(
    UPDATE outbox_events SET attempts = attempts + 1, last_error = $1
    WHERE cursor = $2 AND published_at_us IS NULL)sql"};

constexpr size_t kMaxErrorLength = 1000;

// The relay spans tenants, so it runs as platform work (app.system = 'on' on PostgreSQL).
// SQLite has no advisory locks, and several processes may share one database file (`omc serve`
// twice, or modules split with --modules). One relay at a time publishes: the one holding this
// lease, renewed on every step and taken over when it has not been renewed for kLeaseUs.
constexpr db::Query kTakeLease{"events.relay_take_lease", R"sql(
    INSERT INTO platform_settings (key, value, updated_at_us)
    VALUES ('events.relay_publish_lease', $1, $2)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at_us = excluded.updated_at_us
    WHERE platform_settings.value = $1 OR platform_settings.updated_at_us < $3)sql"};
constexpr int64_t kLeaseUs = 30'000'000;

db::TxOptions SystemTx(bool read_only) {
    db::TxOptions options;
    options.system = true;
    options.read_only = read_only;
    return options;
}

Error BrokerError(std::string_view what, natsStatus status, jsErrCode js_error) {
    std::string detail = std::string(what) + ": " + natsStatus_GetText(status);
    if (js_error != 0) detail += " (jetstream error " + std::to_string(js_error) + ")";
    const char* last = nats_GetLastError(nullptr);
    if (last != nullptr && *last != '\0') detail += ": " + std::string(last);
    return Error(ErrorCode::kUnavailable, "event broker unavailable").WithDetail(std::move(detail));
}

}  // namespace

std::chrono::milliseconds BackoffDelay(int failures, std::chrono::milliseconds min,
                                       std::chrono::milliseconds max, uint64_t random) {
    ERP_ASSERT(min.count() > 0 && min <= max, "backoff bounds are positive and ordered");
    int64_t delay_ms = min.count();
    for (int i = 1; i < failures && delay_ms < max.count(); ++i) delay_ms *= 2;
    delay_ms = std::min(delay_ms, static_cast<int64_t>(max.count()));
    const int64_t half = delay_ms / 2;
    const int64_t jitter =
        static_cast<int64_t>(random % static_cast<uint64_t>(delay_ms - half + 1));
    return std::chrono::milliseconds(half + jitter);
}

// ---- the JetStream side; the only code here that includes nats.h ----

class Relay::Publisher {
  public:
    explicit Publisher(const RelayOptions& options) : options_(options) {}
    ~Publisher() { Disconnect(); }
    Publisher(const Publisher&) = delete;
    Publisher& operator=(const Publisher&) = delete;

    // Connects (again) unless connected, and makes sure the stream exists.
    Result<void> EnsureConnected() {
        if (nc_ != nullptr && natsConnection_Status(nc_) == NATS_CONN_STATUS_CONNECTED) return Ok();
        Disconnect();
        natsOptions* opts = nullptr;
        natsStatus s = natsOptions_Create(&opts);
        if (s == NATS_OK) s = natsOptions_SetURL(opts, options_.nats_url.c_str());
        if (s == NATS_OK) s = natsOptions_SetName(opts, "omc-outbox-relay");
        if (s == NATS_OK) s = natsOptions_SetTimeout(opts, options_.connect_timeout.count());
        // Reconnecting is ours to do: libnats' own reconnect would buffer publishes during an
        // outage and send them later, behind the relay's back and possibly out of order.
        if (s == NATS_OK) s = natsOptions_SetAllowReconnect(opts, false);
        if (s == NATS_OK) s = natsConnection_Connect(&nc_, opts);
        natsOptions_Destroy(opts);
        if (s != NATS_OK) {
            Disconnect();
            return BrokerError("connect to " + options_.nats_url, s, static_cast<jsErrCode>(0));
        }
        jsOptions js_options;
        jsOptions_Init(&js_options);
        js_options.Wait = options_.publish_timeout.count();
        s = natsConnection_JetStream(&js_, nc_, &js_options);
        if (s != NATS_OK) {
            Disconnect();
            return BrokerError("open JetStream context", s, static_cast<jsErrCode>(0));
        }
        auto stream = EnsureStream();
        if (!stream.ok()) Disconnect();
        return stream;
    }

    // Publishes one message and waits for JetStream's acknowledgement.
    Result<void> Publish(const std::string& subject, const std::string& msg_id,
                         const std::string& body) {
        ERP_ASSERT(js_ != nullptr, "Publish after EnsureConnected");
        natsMsg* msg = nullptr;
        natsStatus s = natsMsg_Create(&msg, subject.c_str(), nullptr, body.data(),
                                      static_cast<int>(body.size()));
        if (s == NATS_OK) s = natsMsgHeader_Set(msg, "Nats-Msg-Id", msg_id.c_str());
        jsPubOptions pub_options;
        jsPubOptions_Init(&pub_options);
        pub_options.MaxWait = options_.publish_timeout.count();
        jsPubAck* ack = nullptr;
        jsErrCode js_error = static_cast<jsErrCode>(0);
        if (s == NATS_OK) s = js_PublishMsg(&ack, js_, msg, &pub_options, &js_error);
        natsMsg_Destroy(msg);
        jsPubAck_Destroy(ack);
        if (s != NATS_OK) {
            // A fresh connection next time: after a timeout or a closed socket the old one's
            // state is unknown, and connecting is cheap next to the backoff that follows.
            Disconnect();
            return BrokerError("publish " + subject, s, js_error);
        }
        return Ok();
    }

    void Disconnect() {
        if (js_ != nullptr) jsCtx_Destroy(js_);
        js_ = nullptr;
        if (nc_ != nullptr) natsConnection_Destroy(nc_);
        nc_ = nullptr;
    }

  private:
    Result<void> EnsureStream() {
        jsStreamInfo* info = nullptr;
        jsErrCode js_error = static_cast<jsErrCode>(0);
        natsStatus s = js_GetStreamInfo(&info, js_, options_.stream.c_str(), nullptr, &js_error);
        jsStreamInfo_Destroy(info);
        if (s == NATS_OK) return Ok();
        if (s != NATS_NOT_FOUND && js_error != JSStreamNotFoundErr) {
            return BrokerError("look up stream " + options_.stream, s, js_error);
        }
        const char* subjects[] = {"omc.>"};
        jsStreamConfig config;
        jsStreamConfig_Init(&config);
        config.Name = options_.stream.c_str();
        config.Subjects = subjects;
        config.SubjectsLen = 1;
        config.Storage = js_FileStorage;
        config.Duplicates =  // nanoseconds, as JetStream's API takes durations
            std::chrono::duration_cast<std::chrono::nanoseconds>(options_.duplicate_window).count();
        info = nullptr;
        s = js_AddStream(&info, js_, &config, nullptr, &js_error);
        jsStreamInfo_Destroy(info);
        if (s != NATS_OK) return BrokerError("create stream " + options_.stream, s, js_error);
        log::Info("created JetStream stream", {{"stream", options_.stream}, {"subjects", "omc.>"}});
        return Ok();
    }

    const RelayOptions& options_;
    natsConnection* nc_ = nullptr;
    jsCtx* js_ = nullptr;
};

struct Relay::Shared {
    std::atomic<int64_t> backlog{0};
};

Relay::Relay(db::Database& database, const Clock& clock, RelayOptions options,
             metrics::Registry* metrics)
    : database_(database),
      clock_(clock),
      options_(std::move(options)),
      metrics_(metrics),
      shared_(std::make_shared<Shared>()),
      jitter_(std::random_device{}()),
      lease_holder_(RandomHex(16)) {
    ERP_INVARIANT(options_.batch_size > 0, "relay batch size must be positive");
    ERP_INVARIANT(options_.backoff_min.count() > 0 && options_.backoff_min <= options_.backoff_max,
                  "relay backoff bounds must be positive and ordered");
    if (!options_.nats_url.empty()) publisher_ = std::make_unique<Publisher>(options_);
    if (metrics_ != nullptr) {
        metrics_->AddGauge(
            "omc_outbox_backlog",
            "Outbox events not yet published (not yet sequenced without NATS)",
            [shared = shared_] { return static_cast<double>(shared->backlog.load()); });
        metrics_->Increment("omc_outbox_published_total",
                            "Outbox events acknowledged by NATS JetStream", 0.0);
    }
}

Relay::~Relay() { Stop(); }

int64_t Relay::backlog() const { return shared_->backlog.load(); }

Result<int64_t> Relay::Sequence(int64_t* waiting) {
    OMC_ASSIGN_OR_RETURN(auto tx, database_.Begin(SystemTx(/*read_only=*/false)));
    const bool postgres = database_.engine() == db::Engine::kPostgres;
    bool locked = true;
    if (postgres) {
        OMC_ASSIGN_OR_RETURN(db::Rows lock, tx->Query(kTryLock, {kSequenceLockKey}));
        locked = lock[0].Bool(0);
    }
    int64_t sequenced = 0;
    if (locked) {
        OMC_ASSIGN_OR_RETURN(db::Rows before, tx->Query(kMaxCursor, {}));
        const int64_t max_before = before[0].Int(0);
        OMC_ASSIGN_OR_RETURN(sequenced,
                             tx->Execute(kSequence, {max_before, int64_t{options_.batch_size}}));
        OMC_ASSIGN_OR_RETURN(db::Rows after, tx->Query(kMaxCursor, {}));
        // Dense and gap-free: the new cursors are exactly max_before+1 .. max_before+sequenced.
        ERP_INVARIANT(after[0].Int(0) == max_before + sequenced,
                      "sequencing assigned cursors without gaps");
    }
    OMC_ASSIGN_OR_RETURN(db::Rows count,
                         tx->Query(publisher_ ? kCountUnpublished : kCountUnsequenced, {}));
    *waiting = count[0].Int(0);
    OMC_TRY(tx->Commit());
    return sequenced;
}

Result<RelayStep> Relay::RunOnce() {
    std::lock_guard run_lock(run_mu_);
    int64_t waiting = 0;
    OMC_ASSIGN_OR_RETURN(const int64_t sequenced, Sequence(&waiting));
    RelayStep step;
    if (publisher_) {
        OMC_ASSIGN_OR_RETURN(step, Publish());
    }
    step.sequenced = sequenced;
    step.backlog = std::max<int64_t>(0, waiting - step.published);
    shared_->backlog.store(step.backlog);
    if (metrics_ != nullptr && step.published > 0) {
        metrics_->Increment("omc_outbox_published_total",
                            "Outbox events acknowledged by NATS JetStream",
                            static_cast<double>(step.published));
    }
    return step;
}

// Sends `rows` (cursor order) until the first failure. Returns how many were acknowledged; on a
// failure `*failure` holds the reason and rows[published] is the event it stopped at.
int64_t Relay::SendInOrder(const db::Rows& rows, std::optional<std::string>* failure) {
    if (auto connected = publisher_->EnsureConnected(); !connected.ok()) {
        *failure = connected.error().detail();
        return 0;
    }
    int64_t published = 0;
    for (const db::Row& row : rows) {
        // Stop() is prompt: the batch ends between two publishes, and what was acknowledged so
        // far is still marked.
        if (stop_requested_.load()) break;
        auto event = StoredEventFromRow(row);
        if (!event.ok()) {
            *failure = event.error().detail();
            break;
        }
        const auto sent = publisher_->Publish(EventSubject(event->tenant, event->type),
                                              event->id.ToString(), EventEnvelope(*event).dump());
        if (!sent.ok()) {
            *failure = sent.error().detail();
            break;
        }
        ++published;
    }
    return published;
}

Result<RelayStep> Relay::Publish() {
    RelayStep step;
    // On SQLite a write transaction holds the database's only write lock, which must not wait on
    // the network: read in one short transaction, publish, then mark in another. On PostgreSQL
    // one transaction holds the publish lock for the whole batch, so two relays never interleave
    // their publishes (which could reorder events), and it blocks no one else.
    const bool sqlite = database_.engine() == db::Engine::kSqlite;
    OMC_ASSIGN_OR_RETURN(auto tx, database_.Begin(SystemTx(/*read_only=*/false)));
    if (sqlite) {
        const TimestampUs now = clock_.NowUs();
        OMC_ASSIGN_OR_RETURN(const int64_t held,
                             tx->Execute(kTakeLease, {lease_holder_, now, now - kLeaseUs}));
        if (held != 1) return step;  // another relay holds the lease
    } else {
        OMC_ASSIGN_OR_RETURN(db::Rows lock, tx->Query(kTryLock, {kPublishLockKey}));
        if (!lock[0].Bool(0)) return step;  // another relay is publishing
    }
    OMC_ASSIGN_OR_RETURN(db::Rows rows,
                         tx->Query(kSelectUnpublished, {int64_t{options_.batch_size}}));
    if (rows.empty()) {
        OMC_TRY(tx->Commit());
        return step;
    }
    if (sqlite) {
        OMC_TRY(tx->Commit());
        tx.reset();
    }
    std::optional<std::string> failure;
    step.published = SendInOrder(rows, &failure);
    if (sqlite) {
        OMC_ASSIGN_OR_RETURN(tx, database_.Begin(SystemTx(/*read_only=*/false)));
    }
    if (step.published > 0) {
        const int64_t first = rows[0].Int(0);
        const int64_t last = rows[static_cast<size_t>(step.published - 1)].Int(0);
        OMC_ASSIGN_OR_RETURN(const int64_t marked,
                             tx->Execute(kMarkPublished, {clock_.NowUs(), first, last}));
        ERP_INVARIANT(marked <= step.published, "marked only the events this step published");
    }
    if (failure) {
        step.publish_failed = true;
        step.publish_error = failure->substr(0, kMaxErrorLength);
        const int64_t stuck = rows[static_cast<size_t>(step.published)].Int(0);
        OMC_TRY(tx->Execute(kRecordFailure, {step.publish_error, stuck}));
    }
    OMC_TRY(tx->Commit());
    return step;
}

void Relay::Start() {
    std::lock_guard lock(loop_mu_);
    ERP_INVARIANT(!thread_.joinable(), "Relay::Start called twice");
    stopping_ = false;
    stop_requested_.store(false);
    thread_ = std::thread([this] {
        NameThisThread("omc-relay");
        Loop();
    });
    log::Info("outbox relay started", {{"nats_url", options_.nats_url},
                                       {"stream", options_.stream},
                                       {"poll_interval_ms", options_.poll_interval.count()}});
}

void Relay::Stop() {
    {
        std::lock_guard lock(loop_mu_);
        if (!thread_.joinable()) return;
        stopping_ = true;
        stop_requested_.store(true);
    }
    wake_.notify_all();
    thread_.join();
    // RunOnce() called directly afterwards (tests, a shutdown flush) publishes whole batches.
    stop_requested_.store(false);
    log::Info("outbox relay stopped");
}

// The wait after one step: none when a batch was full (more is waiting), a growing backoff after
// a failure, the poll interval otherwise.
std::chrono::milliseconds Relay::NextWait(const Result<RelayStep>& step, int* failures) {
    const bool failed = !step.ok() || step->publish_failed;
    if (failed) {
        ++*failures;
        const std::string reason = !step.ok()
                                       ? step.error().message() + ": " + step.error().detail()
                                       : step->publish_error;
        const auto delay =
            BackoffDelay(*failures, options_.backoff_min, options_.backoff_max, jitter_());
        log::Warn("outbox relay step failed",
                  {{"error", reason}, {"failures", *failures}, {"retry_in_ms", delay.count()}});
        return delay;
    }
    if (*failures > 0) log::Info("outbox relay recovered", {{"failures", *failures}});
    *failures = 0;
    const bool full =
        step->sequenced >= options_.batch_size || step->published >= options_.batch_size;
    return full ? std::chrono::milliseconds(0) : options_.poll_interval;
}

void Relay::Loop() {
    int failures = 0;
    std::unique_lock lock(loop_mu_);
    while (!stopping_) {
        lock.unlock();
        std::chrono::milliseconds wait{0};
        try {
            wait = NextWait(RunOnce(), &failures);
        } catch (const std::exception& e) {
            // An invariant failure in one step must not end event delivery for every tenant:
            // log it and treat it like any other failure.
            wait = NextWait(Internal(e.what()), &failures);
        }
        lock.lock();
        wake_.wait_for(lock, wait, [this] { return stopping_; });
    }
}

}  // namespace omc::events
