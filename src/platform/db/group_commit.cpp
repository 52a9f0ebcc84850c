#include "platform/db/group_commit.hpp"

#include <algorithm>
#include <bit>
#include <string>

#include <fmt/format.h>

#include "platform/base/assert.hpp"
#include "platform/base/thread_name.hpp"

namespace omc::db::internal {
namespace {

Error Stopped() {
    return Error(ErrorCode::kUnavailable, "shutting down")
        .WithDetail("the group committer stopped before this item's batch ran");
}

Error Busy() {
    return Error(ErrorCode::kUnavailable, "busy")
        .WithDetail("group commit queue full")
        .WithRetryAfter(1);
}

size_t BatchSizeBucket(size_t size) {
    ERP_ASSERT(size > 0, "an empty batch");
    const size_t bucket = static_cast<size_t>(std::bit_width(size)) - 1;
    return std::min(bucket, GroupCommitStats::kBatchSizeBuckets - 1);
}

}  // namespace

GroupCommitCore::GroupCommitCore(Database& database, const GroupCommitOptions& options,
                                 GroupCommitWork& work)
    : database_(database), options_(options), work_(work) {
    ERP_INVARIANT(options.max_batch >= 1 && options.max_batch <= kMaxGroupCommitBatch,
                  "group commit max_batch out of range");
    ERP_INVARIANT(options.max_queue >= 1 && options.max_queue <= kMaxGroupCommitQueue,
                  "group commit max_queue out of range");
    ERP_INVARIANT(options.max_concurrent_batches >= 1 &&
                      options.max_concurrent_batches <= kMaxConcurrentGroupCommitBatches,
                  "group commit max_concurrent_batches out of range");
    ERP_INVARIANT(options.max_batches_per_tenant >= 1,
                  "group commit max_batches_per_tenant out of range");
}

bool GroupCommitCore::CanLeadLocked(TenantId tenant) const {
    if (running_ >= options_.max_concurrent_batches) return false;
    const auto it = running_by_tenant_.find(tenant);
    return it == running_by_tenant_.end() || it->second < options_.max_batches_per_tenant;
}

void GroupCommitCore::StartLeadingLocked(GroupCommitSlot& slot) {
    ++running_;
    ++running_by_tenant_[slot.tenant()];
    slot.state_ = GroupCommitSlot::State::kLeading;
}

void GroupCommitCore::StopLeadingLocked(TenantId tenant) {
    --running_;
    const auto it = running_by_tenant_.find(tenant);
    ERP_ASSERT(it != running_by_tenant_.end() && it->second > 0, "a tenant's batch count off");
    if (--it->second == 0) running_by_tenant_.erase(it);
}

GroupCommitCore::~GroupCommitCore() { Stop(); }

Result<void> GroupCommitCore::AdmitLocked() {
    if (stopping_) {
        ++stats_.items_refused;
        return Stopped();
    }
    if (queue_.size() >= options_.max_queue) {
        ++stats_.items_refused;
        return Busy();
    }
    ++stats_.items_submitted;
    return Ok();
}

Result<void> GroupCommitCore::SubmitAsync(GroupCommitSlot& slot) {
    std::lock_guard lock(mu_);
    ERP_ASSERT(slot.state_ == GroupCommitSlot::State::kQueued && slot.async_,
               "an async slot submitted once");
    OMC_TRY(AdmitLocked());
    StartCommittersLocked();
    if (CanLeadLocked(slot.tenant())) {
        StartLeadingLocked(slot);
        WakeLeaderLocked(slot);
    } else {
        queue_.push_back(&slot);
        stats_.queue_depth_max = std::max(stats_.queue_depth_max, queue_.size());
    }
    return Ok();
}

void GroupCommitCore::StartCommittersLocked() {
    if (!committers_.empty()) return;
    committers_.reserve(static_cast<size_t>(options_.max_concurrent_batches));
    for (int i = 0; i < options_.max_concurrent_batches; ++i) {
        committers_.emplace_back([this] {
            NameThisThread("omc-commit");
            RunCommitter();
        });
    }
}

void GroupCommitCore::RunCommitter() {
    std::unique_lock lock(mu_);
    for (;;) {
        to_lead_cv_.wait(lock, [&] { return committers_exit_ || !to_lead_.empty(); });
        if (to_lead_.empty()) return;  // asked to exit, nothing left to lead
        GroupCommitSlot* own = to_lead_.front();
        to_lead_.pop_front();
        Lead(*own, lock);
    }
}

void GroupCommitCore::WakeLeaderLocked(GroupCommitSlot& slot) {
    if (slot.async_) {
        to_lead_.push_back(&slot);
        to_lead_cv_.notify_one();
    } else {
        slot.wake_.notify_one();
    }
}

std::vector<GroupCommitSlot*> GroupCommitCore::DeliverAsync(
    std::span<GroupCommitSlot* const> batch) {
    std::vector<GroupCommitSlot*> waiting;
    waiting.reserve(batch.size());
    for (GroupCommitSlot* slot : batch) {
        if (slot->async_) {
            work_.Deliver(slot);  // frees it
        } else {
            waiting.push_back(slot);
        }
    }
    return waiting;
}

Result<void> GroupCommitCore::Submit(GroupCommitSlot& slot) {
    std::unique_lock lock(mu_);
    ERP_ASSERT(slot.state_ == GroupCommitSlot::State::kQueued, "a slot submitted twice");
    OMC_TRY(AdmitLocked());
    if (CanLeadLocked(slot.tenant())) {
        // Nobody of this tenant is queued: the last leader to finish promoted whoever could lead.
        ERP_ASSERT(
            std::none_of(queue_.begin(), queue_.end(),
                         [&](const GroupCommitSlot* q) { return q->tenant() == slot.tenant(); }),
            "items queued while their tenant could lead");
        StartLeadingLocked(slot);
    } else {
        queue_.push_back(&slot);
        stats_.queue_depth_max = std::max(stats_.queue_depth_max, queue_.size());
        // No timeout: once queued, the item is answered by a batch or by Stop, and a batch that
        // has taken it may still commit it.
        slot.wake_.wait(lock, [&] {
            return slot.state_ == GroupCommitSlot::State::kLeading ||
                   slot.state_ == GroupCommitSlot::State::kDone;
        });
        if (slot.state_ == GroupCommitSlot::State::kDone) return Ok();
    }
    Lead(slot, lock);
    ERP_ASSERT(slot.state_ == GroupCommitSlot::State::kDone, "a leader left unanswered");
    return Ok();
}

// Runs one batch holding `own` (the leader's item), answers it, and hands leadership on.
void GroupCommitCore::Lead(GroupCommitSlot& own, std::unique_lock<std::mutex>& lock) {
    ERP_ASSERT(lock.owns_lock(), "Lead without the lock");
    const TenantId tenant = own.tenant();
    const bool own_async = own.async_;
    if (stopping_) {  // promoted, but Stop came first: this batch never started
        GroupCommitSlot* const self[] = {&own};
        const Error stopped = Stopped();
        stats_.items_failed += static_cast<int64_t>(work_.Settle(self, &stopped));
        if (own_async) {
            lock.unlock();
            work_.Deliver(&own);  // frees it
            lock.lock();
        } else {
            own.state_ = GroupCommitSlot::State::kDone;
        }
        StopLeadingLocked(tenant);
        if (running_ == 0) idle_.notify_all();
        return;
    }
    std::vector<GroupCommitSlot*> batch = TakeBatchLocked(own);
    const size_t batch_size = batch.size();
    lock.unlock();
    BatchOutcome outcome = RunBatch(tenant, batch);
    const size_t failed = work_.Settle(batch, outcome.error ? &*outcome.error : nullptr);
    // The async answers go out while this batch still holds its slot: Stop, which waits for
    // running batches, then knows every callback has returned.
    const std::vector<GroupCommitSlot*> waiting = DeliverAsync(batch);
    lock.lock();
    stats_.items_failed += static_cast<int64_t>(failed);
    stats_.items_committed += static_cast<int64_t>(batch_size - failed);
    ++(outcome.error ? stats_.batches_failed : stats_.batches_committed);
    if (outcome.retried) ++stats_.batches_retried;
    if (outcome.isolated) ++stats_.batches_isolated;
    ++stats_.batch_sizes[BatchSizeBucket(batch_size)];
    FinishBatchLocked(waiting, own_async ? nullptr : &own, tenant);
}

// The leader's item, then the oldest queued items of its tenant, up to max_batch.
std::vector<GroupCommitSlot*> GroupCommitCore::TakeBatchLocked(GroupCommitSlot& own) {
    std::vector<GroupCommitSlot*> batch;
    batch.reserve(std::min(options_.max_batch, queue_.size() + 1));
    batch.push_back(&own);
    if (queue_.empty() || options_.max_batch == 1) return batch;
    std::deque<GroupCommitSlot*> rest;
    for (GroupCommitSlot* slot : queue_) {
        if (batch.size() < options_.max_batch && slot->tenant() == own.tenant()) {
            slot->state_ = GroupCommitSlot::State::kInBatch;
            batch.push_back(slot);
        } else {
            rest.push_back(slot);
        }
    }
    queue_.swap(rest);
    return batch;
}

GroupCommitCore::BatchOutcome GroupCommitCore::RunBatch(TenantId tenant,
                                                        std::span<GroupCommitSlot* const> batch) {
    BatchOutcome outcome;
    // At most three runs: optimistic, isolated after an item failed, and once more after a
    // serialization failure.
    for (;;) {
        Result<bool> ran = RunOnce(tenant, batch, outcome.isolated);
        if (ran.ok() && *ran) return outcome;
        if (ran.ok()) {
            ERP_INVARIANT(!outcome.isolated, "an isolated batch asked to be isolated again");
            outcome.isolated = true;
            continue;
        }
        // The server rolled the transaction back for certain; nothing of it is left to repeat.
        if (!outcome.retried && options_.retry_serialization_failure &&
            IsSerializationFailure(ran.error())) {
            outcome.retried = true;
            continue;
        }
        outcome.error = std::move(ran).error();
        return outcome;
    }
}

// One transaction for the batch; false when the work asked to run the batch again isolated (the
// transaction rolls back). Never throws: the leader must answer every item whatever the batch
// function does, so an exception fails the batch (and the transaction rolls back).
Result<bool> GroupCommitCore::RunOnce(TenantId tenant, std::span<GroupCommitSlot* const> batch,
                                      bool isolate_items) {
    try {
        OMC_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> tx, database_.Begin({.tenant = tenant}));
        OMC_ASSIGN_OR_RETURN(const bool done, work_.Run(*tx, tenant, batch, isolate_items));
        if (!done) return false;
        OMC_TRY(tx->Commit());
        return true;
    } catch (const std::exception& e) {
        return Internal(fmt::format("group commit batch threw: {}", e.what()));
    } catch (...) {
        return Internal("group commit batch threw a non-exception");
    }
}

void GroupCommitCore::FinishBatchLocked(std::span<GroupCommitSlot* const> waiting,
                                        const GroupCommitSlot* own, TenantId tenant) {
    // Notified under the lock: a follower that sees kDone returns and destroys its slot (and the
    // condition variable in it), so nothing may touch a slot after the lock is released.
    for (GroupCommitSlot* slot : waiting) {
        slot->state_ = GroupCommitSlot::State::kDone;
        if (slot != own) slot->wake_.notify_one();
    }
    StopLeadingLocked(tenant);
    PromoteLocked();
    if (running_ == 0) idle_.notify_all();
}

// Hands free batch slots to the oldest queued items whose tenant may lead; each wakes up as a
// leader (and takes the rest of its tenant's queued items into its batch).
void GroupCommitCore::PromoteLocked() {
    for (auto it = queue_.begin();
         !stopping_ && running_ < options_.max_concurrent_batches && it != queue_.end();) {
        GroupCommitSlot* next = *it;
        if (!CanLeadLocked(next->tenant())) {
            ++it;
            continue;
        }
        it = queue_.erase(it);
        StartLeadingLocked(*next);
        WakeLeaderLocked(*next);
    }
}

void GroupCommitCore::Stop() {
    std::unique_lock lock(mu_);
    stopping_ = true;
    if (!queue_.empty()) {
        const std::vector<GroupCommitSlot*> dropped(queue_.begin(), queue_.end());
        queue_.clear();
        const Error stopped = Stopped();
        stats_.items_failed += static_cast<int64_t>(work_.Settle(dropped, &stopped));
        std::vector<GroupCommitSlot*> async;
        for (GroupCommitSlot* slot : dropped) {
            if (slot->async_) {
                async.push_back(slot);
                continue;
            }
            slot->state_ = GroupCommitSlot::State::kDone;
            slot->wake_.notify_one();
        }
        lock.unlock();
        for (GroupCommitSlot* slot : async) work_.Deliver(slot);
        lock.lock();
    }
    // Leaders already promoted (committer threads among them) see stopping_ and answer their
    // own item without running a batch.
    idle_.wait(lock, [&] { return running_ == 0; });
    committers_exit_ = true;
    to_lead_cv_.notify_all();
    std::vector<std::thread> committers;
    committers.swap(committers_);
    lock.unlock();
    for (std::thread& t : committers) t.join();
}

GroupCommitStats GroupCommitCore::Stats() const {
    std::lock_guard lock(mu_);
    GroupCommitStats stats = stats_;
    stats.queue_depth = queue_.size();
    return stats;
}

Result<bool> CloseItemSavepoint(Transaction& tx, bool item_ok, std::optional<Error>& item_error) {
    if (item_ok) {
        auto released = tx.ReleaseSavepoint(kItemSavepoint);
        if (released.ok()) return true;
        // The item said ok but left a failed statement behind (RELEASE is refused then): undo it
        // like any failed item, and tell its submitter.
        item_error = Internal("a group commit item reported success after a failed statement: " +
                              released.error().detail());
    }
    OMC_TRY(tx.RollbackToSavepoint(kItemSavepoint));
    OMC_TRY(tx.ReleaseSavepoint(kItemSavepoint));
    return false;
}

}  // namespace omc::db::internal
