// Group commit: many threads each submit one item (a sale); one transaction carries a batch of
// them, and every submitter is answered only after that transaction committed or failed.
//
//   db::GroupCommitter<SaleCommand, Sale> sales(
//       database, {.max_batch = 256},
//       [](db::Transaction& tx, TenantId tenant, std::span<const SaleCommand> batch) {
//           return db::RunEachInSavepoint(tx, batch, [&](db::Transaction& t, const SaleCommand& s)
//           {
//               return InsertSale(t, tenant, s);  // Result<Sale>; an error undoes this sale only
//           });
//       },
//       // Optional: after the items, before COMMIT; one UPDATE per tank instead of one per sale.
//       [](db::Transaction& tx, TenantId tenant, std::span<const SaleCommand> batch,
//          std::span<const Result<Sale>> results) { return UpdateTankStock(tx, tenant, batch,
//                                                                          results); });
//   Result<Sale> sale = sales.Submit(tenant, command);  // blocks until its batch committed
//
// Or give an item function, Result<Out>(Transaction&, TenantId, const Item&), and let the
// committer isolate the items: ItemIsolation::kSavepoint (as above) or kOptimistic (no savepoints
// unless a batch holds a bad item; then it is rolled back and run again with them). Or give an
// OptimisticBatchFn, which gets the whole batch and a flag: run the items back to back (answer
// nullopt when one failed) or keep them apart; the sales service uses it to pipeline a batch's
// writes and still have batch-level steps around the items.
//
// How batches form: leader/follower, no committer thread. A submitter who finds a batch slot free
// (fewer than max_concurrent_batches running) becomes the leader: it takes its own item and up to
// max_batch - 1 queued items of the same tenant, runs them in one transaction begun with
// TxOptions{.tenant = tenant} (so PostgreSQL's row-level security holds for the whole batch),
// commits, hands every follower its answer and returns its own. Items that arrived meanwhile
// queued; the finishing leader promotes the oldest of them to lead the next batch, so batches grow
// with the load by themselves (one item when idle: no added latency) and nobody waits on a timer.
// We chose this over a dedicated committer thread because the leader is a thread that was going
// to block anyway: no extra hop from the submitter to a committer and back, and nothing to start,
// stop or watch. The cost is that a leader answers its HTTP request a batch later than it could
// (its own item is in the batch it runs, so never more than that).
//
// Asynchronous submitters (SubmitAsync: an HTTP I/O thread that must not block) are not
// threads that could lead, so an async item made leader is handed to one of the committer's own
// threads, started on first use (one per batch that may run at once). Its answer comes through
// a callback, called by whoever ran its batch, before that batch's slot frees up. Sync and async
// items of a tenant share batches.
//
// Guarantees:
// - An item is answered ok only after the transaction holding it committed. If the batch's
//   transaction fails (BEGIN, the batch function or finish hook returning an error or throwing,
//   COMMIT), every item of the batch gets that error. One caveat shared by every database client:
//   when the connection drops during COMMIT the outcome is unknown; the items then get
//   kUnavailable although the batch may have committed (request idempotency keys settle a retry).
// - A batch whose transaction failed with a serialization failure or deadlock (the server rolled it
//   back for certain: IsSerializationFailure) is run once more from the start when
//   retry_serialization_failure is set. No other error is retried: after an ambiguous COMMIT a
//   second run could apply an aggregated update twice.
// - One tenant per transaction; items of one tenant are batched in the order they were submitted.
// - Bounded: at most max_queue items wait (beyond, Submit answers kUnavailable "busy" at once), at
//   most max_batch per transaction. A follower waits without a timeout, because an item whose
//   batch is running may still commit and must not be reported failed; the leader always
//   finishes instead (exceptions become kInternal for its batch).
// - Stop() (and the destructor) answers queued items that no batch has taken with kUnavailable,
//   refuses new ones, and waits for running batches to finish.
//
// Do not call Submit while holding a transaction of the same Database: the leader needs a pooled
// connection of its own, and a pool held by waiting submitters only frees up at acquire_timeout.
// Do not call Stop from inside a batch function (it would wait for itself).
//
// Cost on PostgreSQL: each savepoint is a round trip before and after the item's statements, and
// the leader makes them one after another; with cheap commits (and on the benchmark machine) a
// savepoint per item can cost more than batching saves, which is what kOptimistic is for.
// Every savepoint that writes is also a subtransaction. More than 64 in one transaction
// overflow the server's per-backend subtransaction cache, which makes other sessions' snapshots
// consult pg_subtrans while the batch runs: cheap here (batches are short), but a reason to keep
// max_batch in the low hundreds and to prefer validating an item before its statements run.
#pragma once

#include <array>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::db {

// Limits on GroupCommitOptions, checked when a committer is made.
constexpr size_t kMaxGroupCommitBatch = 4096;
constexpr size_t kMaxGroupCommitQueue = 65536;
constexpr int kMaxConcurrentGroupCommitBatches = 64;
static_assert(kMaxGroupCommitBatch <= kMaxGroupCommitQueue);

// How a committer made with an item function keeps one item's failure from failing its batch.
enum class ItemIsolation {
    // Every item in its own savepoint (RunEachInSavepoint): two extra statements per item, each a
    // round trip on PostgreSQL, which the leader pays one after another.
    kSavepoint,
    // Items back to back with no savepoints. If one returns an error or throws, the transaction is
    // rolled back and the batch runs again with kSavepoint (so an item may run twice: its work
    // must not act outside the transaction, which a serialization retry already requires). Pays
    // off when failures are rare. An item that ignores a failed statement and returns ok is
    // caught by kSavepoint but here fails its whole batch (the next statement or COMMIT refuses).
    kOptimistic,
};

struct GroupCommitOptions {
    // Items per transaction. Larger batches amortise BEGIN/COMMIT and the finish hook further but
    // hold locks longer and, on PostgreSQL, open more subtransactions (see the file comment).
    size_t max_batch = 256;
    // Items waiting for a batch; one more is refused at once with kUnavailable ("busy"). Should
    // be at least the number of threads that may submit (HTTP workers), so that it only trips
    // when the database falls behind, not in normal bursts.
    size_t max_queue = 4096;
    // Batches running at once, each in its own transaction on its own connection. 1 suits SQLite
    // (one writer at a time anyway) and batches that update the same rows (they would only wait
    // for each other's locks); more can overlap one batch's COMMIT with the next batch's work on
    // PostgreSQL.
    int max_concurrent_batches = 1;
    // Batches of one tenant running at once, within max_concurrent_batches. 1 runs a tenant's
    // batches one after another, so each takes every item of the tenant that queued meanwhile,
    // while other tenants' batches still overlap: for batches that update the same rows (a
    // tenant's counters), where a second batch would only wait for the first one's locks.
    int max_batches_per_tenant = kMaxConcurrentGroupCommitBatches;
    // Runs a batch once more when its transaction failed with a serialization failure or deadlock.
    bool retry_serialization_failure = true;
    // Only for committers made with an item function.
    ItemIsolation item_isolation = ItemIsolation::kSavepoint;
};

// Counters since the committer was made. batch_sizes[i] counts batches of [2^i, 2^(i+1)) items
// (the last bucket is open-ended), i.e. 1, 2-3, 4-7, ..., 2048+.
struct GroupCommitStats {
    static constexpr size_t kBatchSizeBuckets = 12;
    int64_t items_submitted = 0;    // accepted into the queue or a batch
    int64_t items_committed = 0;    // answered ok: their batch committed
    int64_t items_failed = 0;       // answered with an error: their own, their batch's or Stop's
    int64_t items_refused = 0;      // refused by Submit: queue full or stopped
    int64_t batches_committed = 0;  // transactions committed
    int64_t batches_failed = 0;     // transactions that failed: all their items got the error
    int64_t batches_retried = 0;    // serialization failures run again
    int64_t batches_isolated = 0;   // kOptimistic batches run again with a savepoint per item
    std::array<int64_t, kBatchSizeBuckets> batch_sizes{};
    size_t queue_depth = 0;      // items waiting now
    size_t queue_depth_max = 0;  // the most that ever waited at once
};

namespace internal {

// One submitted item as the untyped core sees it. The typed committer derives from it; it lives
// on the submitter's stack until the submitter is answered.
class GroupCommitSlot {
  public:
    explicit GroupCommitSlot(TenantId tenant) : tenant_(tenant) {}
    GroupCommitSlot(const GroupCommitSlot&) = delete;
    GroupCommitSlot& operator=(const GroupCommitSlot&) = delete;
    TenantId tenant() const { return tenant_; }

  protected:
    ~GroupCommitSlot() = default;
    void MarkAsync() { async_ = true; }

  private:
    friend class GroupCommitCore;
    enum class State { kQueued, kLeading, kInBatch, kDone };

    const TenantId tenant_;
    State state_ = State::kQueued;  // GUARDED_BY(core's mu_)
    std::condition_variable wake_;  // the submitter waits here; notified under the core's mutex
    // Submitted with SubmitAsync: nobody waits on it; the core owns it until Deliver.
    bool async_ = false;
};

// A batch's work, with the item types erased. Called on the leader's thread, without the lock.
class GroupCommitWork {
  public:
    virtual ~GroupCommitWork() = default;
    // Does every item's work and the finish hook inside `tx` and records each item's own result;
    // true then. False when an item failed while `isolate_items` was false and the work wants the
    // batch rolled back and run again isolated (ItemIsolation::kOptimistic). An error (or an
    // exception, which the core turns into kInternal) fails the whole batch. May run several
    // times for one batch; each run starts afresh.
    virtual Result<bool> Run(Transaction& tx, TenantId tenant,
                             std::span<GroupCommitSlot* const> batch, bool isolate_items) = 0;
    // Answers every slot: with its recorded result when `batch_error` is null (the batch
    // committed), else with the error. Returns how many answers are errors.
    virtual size_t Settle(std::span<GroupCommitSlot* const> batch,
                          const Error* batch_error) noexcept = 0;
    // Hands an asynchronous slot its answer (set by Settle) through its callback and frees it.
    // Called without the lock, once per async slot, after Settle.
    virtual void Deliver(GroupCommitSlot* slot) noexcept = 0;
};

// Queue, leadership, transactions and counters of a GroupCommitter. Thread-safe.
class GroupCommitCore {
  public:
    GroupCommitCore(Database& database, const GroupCommitOptions& options, GroupCommitWork& work);
    ~GroupCommitCore();
    GroupCommitCore(const GroupCommitCore&) = delete;
    GroupCommitCore& operator=(const GroupCommitCore&) = delete;

    // Blocks until a batch (or Stop) answered `slot` through GroupCommitWork::Settle; then Ok.
    // kUnavailable without answering it when the queue is full or the committer stopped.
    Result<void> Submit(GroupCommitSlot& slot);
    // Queues `slot` and returns at once; on Ok the core owns it and a committer thread (or the
    // leader of a batch that takes it) answers it through Settle and Deliver. kUnavailable when
    // the queue is full or the committer stopped: then the slot stays the caller's, unanswered.
    Result<void> SubmitAsync(GroupCommitSlot& slot);
    void Stop();
    GroupCommitStats Stats() const;

  private:
    struct BatchOutcome {
        std::optional<Error> error;
        bool retried = false;
        bool isolated = false;
    };
    // Whether one more item may come in (not stopping, queue not full); counts it either way.
    Result<void> AdmitLocked();
    void Lead(GroupCommitSlot& own, std::unique_lock<std::mutex>& lock);
    std::vector<GroupCommitSlot*> TakeBatchLocked(GroupCommitSlot& own);
    BatchOutcome RunBatch(TenantId tenant, std::span<GroupCommitSlot* const> batch);
    Result<bool> RunOnce(TenantId tenant, std::span<GroupCommitSlot* const> batch,
                         bool isolate_items);
    // Marks the batch's waiting submitters done and wakes them; the async slots are already
    // delivered and gone. Then frees the leader's batch slot and promotes the next leaders.
    void FinishBatchLocked(std::span<GroupCommitSlot* const> waiting, const GroupCommitSlot* own,
                           TenantId tenant);
    // Delivers the async slots of `batch` (without the lock) and returns the others.
    std::vector<GroupCommitSlot*> DeliverAsync(std::span<GroupCommitSlot* const> batch);
    void PromoteLocked();
    // Hands `slot`, just made a leader, to whoever runs it: its own submitter, or a committer
    // thread for an async slot.
    void WakeLeaderLocked(GroupCommitSlot& slot);
    void StartCommittersLocked();
    void RunCommitter();
    // Whether an item of `tenant` may lead a batch now, and the bookkeeping when one starts or
    // ends.
    bool CanLeadLocked(TenantId tenant) const;
    void StartLeadingLocked(GroupCommitSlot& slot);
    void StopLeadingLocked(TenantId tenant);

    Database& database_;
    const GroupCommitOptions options_;
    GroupCommitWork& work_;
    mutable std::mutex mu_;
    std::condition_variable idle_;               // Stop waits here for running_ to reach 0
    std::deque<GroupCommitSlot*> queue_;         // GUARDED_BY(mu_); oldest first
    int running_ = 0;                            // GUARDED_BY(mu_); leaders running or promoted
    std::map<TenantId, int> running_by_tenant_;  // GUARDED_BY(mu_); the same, per tenant (> 0)
    bool stopping_ = false;                      // GUARDED_BY(mu_)
    GroupCommitStats stats_;                     // GUARDED_BY(mu_)
    // Committer threads, started by the first SubmitAsync: they lead the batches of async slots
    // made leaders (nobody else would). As many as batches may run at once.
    std::condition_variable to_lead_cv_;
    std::deque<GroupCommitSlot*> to_lead_;  // GUARDED_BY(mu_); async leaders not yet running
    bool committers_exit_ = false;          // GUARDED_BY(mu_)
    std::vector<std::thread> committers_;   // GUARDED_BY(mu_)
};

// Closes the per-item savepoint of RunEachInSavepoint: releases it when the item succeeded, else
// rolls back to it first. Returns whether the item's work was kept: false also when an item
// reported success although a statement of it failed (then rolled back, `item_error` says why).
// An error means the savepoint could not be closed and the batch cannot go on.
Result<bool> CloseItemSavepoint(Transaction& tx, bool item_ok, std::optional<Error>& item_error);

}  // namespace internal

// The savepoint RunEachInSavepoint opens around each item.
constexpr std::string_view kItemSavepoint = "omc_group_commit_item";

// Runs `work(tx, item)` (returning Result<Out>) for each item, each inside its own savepoint: an
// item whose work returns an error, leaves a statement failed or throws is rolled back alone and
// answered with that error (kInternal for an exception); the others go on. The outer error is
// for what stops the whole batch (the savepoint statements themselves failed, e.g. the connection
// dropped). One or two extra statements per item (a round trip each on PostgreSQL).
template <typename Item, typename Work>
auto RunEachInSavepoint(Transaction& tx, std::span<const Item> items, Work&& work)
    -> Result<std::vector<std::invoke_result_t<Work&, Transaction&, const Item&>>> {
    using ItemResult = std::invoke_result_t<Work&, Transaction&, const Item&>;
    std::vector<ItemResult> results;
    results.reserve(items.size());
    for (const Item& item : items) {
        OMC_TRY(tx.Savepoint(kItemSavepoint));
        std::optional<ItemResult> result;
        try {
            result.emplace(work(tx, item));
        } catch (const std::exception& e) {
            result.emplace(Internal(std::string("group commit item threw: ") + e.what()));
        } catch (...) {
            result.emplace(Internal("group commit item threw a non-exception"));
        }
        std::optional<Error> item_error;
        OMC_ASSIGN_OR_RETURN(const bool kept,
                             internal::CloseItemSavepoint(tx, result->ok(), item_error));
        if (!kept && result->ok()) result.emplace(std::move(*item_error));
        results.push_back(std::move(*result));
    }
    return results;
}

// Batches concurrent submissions of `Item` into shared transactions; each submitter gets its own
// Result<Out>. Thread-safe. Must not outlive `database`. See the file comment.
template <typename Item, typename Out>
class GroupCommitter {
  public:
    using ItemResults = std::vector<Result<Out>>;
    // Runs a batch's items in `tx`, all of `tenant`, oldest first. Returns one result per item,
    // in order (use RunEachInSavepoint so an error undoes only its item's work), or an error that
    // fails the whole batch.
    using BatchFn = std::function<Result<ItemResults>(Transaction& tx, TenantId tenant,
                                                      std::span<const Item> items)>;
    // Runs after BatchFn and before COMMIT with every item and its result (so it can skip the
    // failed ones), e.g. one aggregated update per tank. An error fails the whole batch.
    using FinishFn =
        std::function<Result<void>(Transaction& tx, TenantId tenant, std::span<const Item> items,
                                   std::span<const Result<Out>> results)>;
    // One item's work in `tx`; the committer keeps items apart as options.item_isolation says.
    using ItemFn = std::function<Result<Out>(Transaction& tx, TenantId tenant, const Item& item)>;
    // A batch function that keeps items apart only when told to. With `isolate_items` false it
    // may run the items back to back (and defer or pipeline their statements); when one of them
    // fails it answers nullopt, the transaction is rolled back and the function runs again with
    // `isolate_items` true, where an error must undo only its item (RunEachInSavepoint). For work
    // that needs batch-level steps around the items, which an ItemFn cannot have.
    using OptimisticBatchFn = std::function<Result<std::optional<ItemResults>>(
        Transaction& tx, TenantId tenant, std::span<const Item> items, bool isolate_items)>;

    // The general form: the batch function runs the items itself (RunEachInSavepoint).
    GroupCommitter(Database& database, const GroupCommitOptions& options, BatchFn batch,
                   FinishFn finish = nullptr)
        : work_(std::move(batch), nullptr, std::move(finish), options.item_isolation),
          core_(database, options, work_) {}
    // The committer runs each item itself, isolated per options.item_isolation.
    GroupCommitter(Database& database, const GroupCommitOptions& options, ItemFn item,
                   FinishFn finish)
        : work_(nullptr, std::move(item), std::move(finish), options.item_isolation),
          core_(database, options, work_) {}
    // The batch function runs optimistically first and isolates the items when asked to
    // (options.item_isolation does not apply).
    GroupCommitter(Database& database, const GroupCommitOptions& options, OptimisticBatchFn batch,
                   FinishFn finish)
        : work_(nullptr, nullptr, std::move(finish), options.item_isolation, std::move(batch)),
          core_(database, options, work_) {}

    // Blocks until the batch holding `item` committed (its own result) or failed (the batch's
    // error). kUnavailable at once when the queue is full ("busy") or the committer stopped.
    Result<Out> Submit(TenantId tenant, Item item) {
        Slot slot(tenant, std::move(item));
        OMC_TRY(core_.Submit(slot));
        ERP_INVARIANT(slot.answer.has_value(), "a group commit slot came back unanswered");
        return std::move(*slot.answer);
    }

    // The answer to an item submitted with SubmitAsync.
    using Done = std::function<void(Result<Out>)>;

    // Queues `item` and returns at once: nobody waits for it. `done` is called exactly once with
    // what Submit would have returned: after the item's batch committed or failed, on a committer
    // thread of this committer (or on the thread of a Submit caller leading a batch that took the
    // item); or before SubmitAsync returns, on the caller's thread, when the item is refused
    // (queue full, stopped). `done` should be quick (the next batch of a tenant waits for its
    // batch's answers), must not throw, and must not call Stop.
    void SubmitAsync(TenantId tenant, Item item, Done done) {
        auto slot = std::make_unique<AsyncSlot>(tenant, std::move(item), std::move(done));
        Result<void> queued = core_.SubmitAsync(*slot);
        if (queued.ok()) {
            slot.release();  // the core's until Deliver
            return;
        }
        Done refused = std::move(slot->done);
        slot.reset();
        refused(std::move(queued).error());
    }

    // Answers queued items kUnavailable, refuses new ones, waits for running batches and for
    // every async answer to be delivered. Idempotent.
    void Stop() { core_.Stop(); }
    GroupCommitStats Stats() const { return core_.Stats(); }

  private:
    struct Slot : internal::GroupCommitSlot {
        Slot(TenantId tenant, Item i) : GroupCommitSlot(tenant), item(std::move(i)) {}
        Item item;
        std::optional<Result<Out>> pending;  // its result in the latest run of its batch
        std::optional<Result<Out>> answer;   // set by Settle
    };
    struct AsyncSlot final : Slot {
        AsyncSlot(TenantId tenant, Item i, Done d)
            : Slot(tenant, std::move(i)), done(std::move(d)) {
            this->MarkAsync();
        }
        Done done;
    };

    class Work final : public internal::GroupCommitWork {
      public:
        Work(BatchFn batch, ItemFn item, FinishFn finish, ItemIsolation isolation,
             OptimisticBatchFn optimistic = nullptr)
            : batch_(std::move(batch)),
              item_(std::move(item)),
              optimistic_(std::move(optimistic)),
              finish_(std::move(finish)),
              isolation_(isolation) {
            ERP_INVARIANT((batch_ != nullptr) + (item_ != nullptr) + (optimistic_ != nullptr) == 1,
                          "a group committer needs one batch function or one item function");
        }

        Result<bool> Run(Transaction& tx, TenantId tenant,
                         std::span<internal::GroupCommitSlot* const> batch,
                         bool isolate_items) override {
            // The functions see the items side by side; they go back to their slots afterwards,
            // whatever happens, so a retry finds them again.
            std::vector<Item> items;
            items.reserve(batch.size());
            for (auto* s : batch) items.push_back(std::move(static_cast<Slot*>(s)->item));
            struct GiveBack {
                std::span<internal::GroupCommitSlot* const> batch;
                std::vector<Item>& items;
                ~GiveBack() {
                    for (size_t i = 0; i < items.size(); ++i) {
                        static_cast<Slot*>(batch[i])->item = std::move(items[i]);
                    }
                }
            } give_back{batch, items};
            std::optional<ItemResults> ran;
            if (batch_ != nullptr) {
                OMC_ASSIGN_OR_RETURN(ran, batch_(tx, tenant, std::span(items)));
            } else if (optimistic_ != nullptr) {
                OMC_ASSIGN_OR_RETURN(
                    ran, optimistic_(tx, tenant, std::span<const Item>(items), isolate_items));
                if (!ran) {
                    ERP_INVARIANT(!isolate_items, "an isolated batch function gave no results");
                    return false;  // an item failed: roll back, run again isolated
                }
            } else if (isolation_ == ItemIsolation::kOptimistic && !isolate_items) {
                ran = RunBackToBack(tx, tenant, items);
                if (!ran) return false;  // an item failed: roll back, run again isolated
            } else {
                OMC_ASSIGN_OR_RETURN(ran, RunEachInSavepoint(tx, std::span<const Item>(items),
                                                             [&](Transaction& t, const Item& item) {
                                                                 return item_(t, tenant, item);
                                                             }));
            }
            ItemResults& results = *ran;
            if (results.size() != items.size()) {
                return Internal("group commit batch function returned " +
                                std::to_string(results.size()) + " results for " +
                                std::to_string(items.size()) + " items");
            }
            if (finish_ != nullptr) {
                OMC_TRY(finish_(tx, tenant, std::span<const Item>(items),
                                std::span<const Result<Out>>(results)));
            }
            for (size_t i = 0; i < batch.size(); ++i) {
                static_cast<Slot*>(batch[i])->pending.emplace(std::move(results[i]));
            }
            return true;
        }

        size_t Settle(std::span<internal::GroupCommitSlot* const> batch,
                      const Error* batch_error) noexcept override {
            size_t failed = 0;
            for (auto* s : batch) {
                auto* slot = static_cast<Slot*>(s);
                if (batch_error != nullptr) {
                    slot->answer.emplace(*batch_error);
                } else {
                    ERP_ASSERT(slot->pending.has_value(), "a committed item without a result");
                    slot->answer.emplace(std::move(*slot->pending));
                }
                if (!slot->answer->ok()) ++failed;
            }
            return failed;
        }

        void Deliver(internal::GroupCommitSlot* s) noexcept override {
            std::unique_ptr<AsyncSlot> slot(static_cast<AsyncSlot*>(s));
            ERP_ASSERT(slot->answer.has_value(), "an async item delivered unanswered");
            try {
                slot->done(std::move(*slot->answer));
            } catch (...) {
                // `done` must not throw; the committer goes on with the other answers.
            }
        }

      private:
        // The items with no savepoints; nullopt as soon as one fails (error or exception).
        std::optional<ItemResults> RunBackToBack(Transaction& tx, TenantId tenant,
                                                 const std::vector<Item>& items) {
            ItemResults results;
            results.reserve(items.size());
            for (const Item& item : items) {
                try {
                    Result<Out> r = item_(tx, tenant, item);
                    if (!r.ok()) return std::nullopt;
                    results.push_back(std::move(r));
                } catch (...) {
                    return std::nullopt;  // the isolated run attributes it to its item
                }
            }
            return results;
        }

        const BatchFn batch_;
        const ItemFn item_;
        const OptimisticBatchFn optimistic_;
        const FinishFn finish_;
        const ItemIsolation isolation_;
    };

    Work work_;
    internal::GroupCommitCore core_;  // after work_: destroyed (and stopped) first
};

}  // namespace omc::db
