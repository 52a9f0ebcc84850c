// The group committer on whichever engine OMC_TEST_ENGINE names (SQLite and PostgreSQL): items
// from many threads, each answered only after its batch committed, one bad item not failing its
// batch, tenant separation, and Stop.
//
// Where a test needs batches of a known shape it holds the first batch open until the other
// submitters have queued (the committer runs one batch at a time), so the next batch takes them
// all: no timing assumptions, only bounded waits for a state that must come.
#include "platform/db/group_commit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "platform/db/connection_pool.hpp"
#include "platform/db/migrator.hpp"
#include "testing/fake_clock.hpp"
#include "testing/fake_ids.hpp"
#include "testing/test_database.hpp"

namespace omc::db {
namespace {

using omc::testing::OpenFreshDatabase;
using omc::testing::TestDatabase;

constexpr std::string_view kSchema = R"sql(
CREATE TABLE t_sales (
    id BIGINT NOT NULL PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0)
);
CREATE TABLE t_totals (tenant_id TEXT NOT NULL PRIMARY KEY, amount BIGINT NOT NULL);
CREATE TABLE t_tills (id BIGINT NOT NULL PRIMARY KEY);
CREATE TABLE t_till_sales (
    id BIGINT NOT NULL PRIMARY KEY,
    till_id BIGINT NOT NULL REFERENCES t_tills (id) DEFERRABLE INITIALLY DEFERRED
);
)sql";

constexpr Query kInsertSale{"gc_test.insert_sale",
                            "INSERT INTO t_sales (id, tenant_id, amount) VALUES ($1, $2, $3)"};
constexpr Query kCountSales{"gc_test.count_sales", "SELECT count(*) FROM t_sales"};
constexpr Query kSaleIds{"gc_test.sale_ids", "SELECT id FROM t_sales ORDER BY id"};
constexpr Query kInsertTotal{"gc_test.insert_total",
                             "INSERT INTO t_totals (tenant_id, amount) VALUES ($1, 0)"};
constexpr Query kAddToTotal{"gc_test.add_to_total",
                            "UPDATE t_totals SET amount = amount + $2 WHERE tenant_id = $1"};
constexpr Query kTotal{"gc_test.total", "SELECT amount FROM t_totals WHERE tenant_id = $1"};
// Its foreign key is checked at COMMIT, so a missing till fails the commit, not the statement.
constexpr Query kInsertTillSale{"gc_test.insert_till_sale",
                                "INSERT INTO t_till_sales (id, till_id) VALUES ($1, $2)"};
// The RLS-protected platform table: on PostgreSQL a row of another tenant than the
// transaction's is refused, so a batch mixing tenants would fail here.
constexpr Query kInsertIdempotencyKey{"gc_test.insert_idempotency_key", R"sql(
    INSERT INTO idempotency_keys (tenant_id, principal, idem_key, request_hash, state,
                                  lease_until_us, created_at_us, expires_at_us)
    VALUES ($1, 'user', $2, 'hash', 'in_flight', 0, 0, 0))sql"};
constexpr Query kCountIdempotencyKeys{"gc_test.count_idempotency_keys",
                                      "SELECT count(*) FROM idempotency_keys WHERE tenant_id = $1"};

// What the item does, so one batch can mix good and bad items.
enum class Kind {
    kInsert,            // inserts the sale
    kInvalid,           // refuses before any statement (a validation error)
    kInsertThenRefuse,  // inserts, then refuses: the insert must be undone
    kThrow,             // throws after inserting
    kIgnoreFailure,     // inserts a duplicate, ignores the error and reports ok
    kMissingTill,       // inserts a till sale whose till does not exist: COMMIT fails
    kIdempotencyKey,    // inserts an idempotency key of `tenant` (RLS on PostgreSQL)
};

struct SaleItem {
    int64_t id = 0;
    int64_t amount = 1;
    TenantId tenant;
    Kind kind = Kind::kInsert;
};

using Committer = GroupCommitter<SaleItem, int64_t>;

Result<int64_t> DoItem(Transaction& tx, const SaleItem& item) {
    switch (item.kind) {
        case Kind::kInvalid:
            return InvalidArgument("amount_pesewas", "refused by the test");
        case Kind::kMissingTill:
            OMC_TRY(tx.Execute(kInsertTillSale, {item.id, int64_t{999}}));
            return item.id;
        case Kind::kIdempotencyKey:
            OMC_TRY(tx.Execute(kInsertIdempotencyKey, {item.tenant, std::to_string(item.id)}));
            return item.id;
        default:
            break;
    }
    const int64_t id = item.kind == Kind::kIgnoreFailure ? int64_t{1} : item.id;
    auto inserted = tx.Execute(kInsertSale, {id, item.tenant, item.amount});
    if (item.kind == Kind::kIgnoreFailure) return item.id;  // the bug this item stands for
    OMC_TRY(inserted);
    if (item.kind == Kind::kInsertThenRefuse) {
        return Error(ErrorCode::kUnprocessable, "refused after writing");
    }
    if (item.kind == Kind::kThrow) throw std::runtime_error("item exploded");
    return item.id;
}

// Waits, bounded, for a state another thread must reach; false when it never came.
template <typename Pred>
bool WaitFor(Pred pred) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!pred()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::yield();
    }
    return true;
}

class GroupCommitTest : public ::testing::Test {
  protected:
    void SetUp() override {
        tdb_ = OpenFreshDatabase(/*migrate=*/true);
        const std::string schema =
            tdb_->engine() == Engine::kSqlite ? TranslateForSqlite(kSchema) : std::string(kSchema);
        auto created = tdb_->ExecScript(schema);
        ASSERT_TRUE(created.ok()) << created.error().detail();
        auto seeded = InTransaction(*tdb_, {}, [&](Transaction& tx) -> Result<void> {
            OMC_TRY(tx.Execute(kInsertSale, {int64_t{1}, tenant_a_, int64_t{1}}));  // taken id
            OMC_TRY(tx.Execute(kInsertTotal, {tenant_a_}));
            OMC_TRY(tx.Execute(kInsertTotal, {tenant_b_}));
            return Ok();
        });
        ASSERT_TRUE(seeded.ok()) << seeded.error().detail();
    }

    // A committer whose batches run each item in its own savepoint and add the committed
    // amounts to the tenant's total in one UPDATE per batch. While `hold_first_batch_for` > 0,
    // the first batch waits until that many items have queued behind it.
    void MakeCommitter(GroupCommitOptions options = {}) {
        committer_ = std::make_unique<Committer>(
            *tdb_, options,
            [this](Transaction& tx, TenantId tenant,
                   std::span<const SaleItem> items) -> Result<Committer::ItemResults> {
                HoldFirstBatch();
                RecordBatch(tenant, items);
                if (fail_next_batch_) {
                    return Error(*std::exchange(fail_next_batch_, std::nullopt));
                }
                if (throw_in_batch_) throw std::runtime_error("batch exploded");
                return RunEachInSavepoint(tx, items, DoItem);
            },
            [this](Transaction& tx, TenantId tenant, std::span<const SaleItem> items,
                   std::span<const Result<int64_t>> results) -> Result<void> {
                if (fail_finish_) return Error(ErrorCode::kUnavailable, "finish failed");
                int64_t sum = 0;
                for (size_t i = 0; i < items.size(); ++i) {
                    if (results[i].ok()) sum += items[i].amount;
                }
                OMC_TRY(tx.Execute(kAddToTotal, {tenant, sum}));
                return Ok();
            });
    }

    // The same work through the item-function constructor: the committer isolates the items.
    // `batch_form`: the same work through an OptimisticBatchFn that runs the items back to back
    // first and in savepoints when asked (options.item_isolation is then ignored).
    void MakeItemCommitter(GroupCommitOptions options, bool batch_form = false) {
        const auto item = [this](Transaction& tx, const SaleItem& i) {
            HoldFirstBatch();
            ++item_runs_;
            return DoItem(tx, i);
        };
        Committer::FinishFn finish =
            [this](Transaction& tx, TenantId tenant, std::span<const SaleItem> items,
                   std::span<const Result<int64_t>> results) -> Result<void> {
            RecordBatch(tenant, items);
            int64_t sum = 0;
            for (size_t i = 0; i < items.size(); ++i) {
                if (results[i].ok()) sum += items[i].amount;
            }
            OMC_TRY(tx.Execute(kAddToTotal, {tenant, sum}));
            return Ok();
        };
        if (!batch_form) {
            committer_ = std::make_unique<Committer>(
                *tdb_, options,
                Committer::ItemFn(
                    [item](Transaction& tx, TenantId, const SaleItem& i) { return item(tx, i); }),
                std::move(finish));
            return;
        }
        using Results = Committer::ItemResults;
        committer_ = std::make_unique<Committer>(
            *tdb_, options,
            Committer::OptimisticBatchFn([item](Transaction& tx, TenantId,
                                                std::span<const SaleItem> items,
                                                bool isolate) -> Result<std::optional<Results>> {
                if (isolate) {
                    OMC_ASSIGN_OR_RETURN(Results results, RunEachInSavepoint(tx, items, item));
                    return std::optional<Results>(std::move(results));
                }
                Results results;
                for (const SaleItem& i : items) {
                    try {
                        Result<int64_t> r = item(tx, i);
                        if (!r.ok()) return std::optional<Results>();
                        results.push_back(std::move(r));
                    } catch (...) {
                        return std::optional<Results>();
                    }
                }
                return std::optional<Results>(std::move(results));
            }),
            std::move(finish));
    }

    void HoldFirstBatch() {
        if (hold_first_batch_for_ == 0 || held_.exchange(true)) return;
        EXPECT_TRUE(WaitFor([&] {
            // The most that ever queued: Stop may already have emptied the queue.
            return committer_->Stats().queue_depth_max >= hold_first_batch_for_;
        })) << "the other submitters never queued";
        EXPECT_TRUE(WaitFor([&] { return release_first_batch_.load(); }));
    }

    void RecordBatch(TenantId tenant, std::span<const SaleItem> items) {
        std::lock_guard lock(batches_mu_);
        auto& batch = batches_.emplace_back();
        for (const auto& item : items) {
            if (item.tenant != tenant) ++mixed_tenant_items_;
            batch.push_back(item.id);
        }
    }

    // Submits the gate item on its own thread, waits until it leads (the first batch is held),
    // then submits `items` from one thread each; returns each item's answer.
    std::vector<Result<int64_t>> SubmitBehindGate(const SaleItem& gate,
                                                  const std::vector<SaleItem>& items,
                                                  Result<int64_t>* gate_answer = nullptr) {
        hold_first_batch_for_ = items.size();
        std::vector<std::optional<Result<int64_t>>> answers(items.size());
        std::optional<Result<int64_t>> gate_result;
        std::thread gate_thread(
            [&] { gate_result.emplace(committer_->Submit(gate.tenant, gate)); });
        EXPECT_TRUE(WaitFor([&] { return held_.load(); }));
        std::vector<std::thread> threads;
        for (size_t i = 0; i < items.size(); ++i) {
            threads.emplace_back(
                [&, i] { answers[i].emplace(committer_->Submit(items[i].tenant, items[i])); });
        }
        if (!stop_while_held_) release_first_batch_ = true;
        for (auto& t : threads) t.join();
        gate_thread.join();
        EXPECT_TRUE(gate_result.has_value());
        if (gate_answer != nullptr) *gate_answer = std::move(*gate_result);
        std::vector<Result<int64_t>> out;
        for (auto& a : answers) out.push_back(std::move(*a));
        return out;
    }

    int64_t CountSales() {
        auto tx = tdb_->Begin({.read_only = true});
        return (*(*tx)->Query(kCountSales, {}))[0].Int(0);
    }
    std::set<int64_t> SaleIds() {
        auto tx = tdb_->Begin({.read_only = true});
        std::set<int64_t> ids;
        auto rows = (*tx)->Query(kSaleIds, {});
        for (const Row& row : *rows) ids.insert(row.Int(0));
        return ids;
    }
    int64_t Total(TenantId tenant) {
        auto tx = tdb_->Begin({.read_only = true});
        return (*(*tx)->Query(kTotal, {tenant}))[0].Int(0);
    }

    omc::testing::FakeClock clock_;
    omc::testing::FakeIds ids_{clock_};
    const TenantId tenant_a_{ids_.NewV7()};
    const TenantId tenant_b_{ids_.NewV7()};
    std::unique_ptr<TestDatabase> tdb_;
    std::unique_ptr<Committer> committer_;

    size_t hold_first_batch_for_ = 0;
    std::atomic<bool> held_{false};
    std::atomic<bool> release_first_batch_{false};
    bool stop_while_held_ = false;
    std::optional<Error> fail_next_batch_;
    bool fail_finish_ = false;
    bool throw_in_batch_ = false;
    // Ten good items behind the gate: one optimistic run each, nothing isolated.
    void RunTenItemsOnce();

    std::atomic<int> item_runs_{0};

    std::mutex batches_mu_;
    std::vector<std::vector<int64_t>> batches_;  // GUARDED_BY(batches_mu_); item ids per run
    int mixed_tenant_items_ = 0;                 // GUARDED_BY(batches_mu_)
};

TEST_F(GroupCommitTest, ManyThreadsEachItemCommittedExactlyOnce) {
    for (int concurrent : {1, 2}) {
        SCOPED_TRACE(concurrent);
        MakeCommitter({.max_batch = 32, .max_concurrent_batches = concurrent});
        constexpr int kThreads = 16;
        constexpr int kPerThread = 40;
        const int64_t first_id = concurrent * 100'000;
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < kPerThread; ++i) {
                    const SaleItem item{
                        .id = first_id + t * 1000 + i, .amount = 3, .tenant = tenant_a_};
                    auto r = committer_->Submit(item.tenant, item);
                    if (!r.ok() || *r != item.id) ++failures;
                }
            });
        }
        for (auto& t : threads) t.join();
        EXPECT_EQ(failures.load(), 0);
        const GroupCommitStats stats = committer_->Stats();
        EXPECT_EQ(stats.items_submitted, kThreads * kPerThread);
        EXPECT_EQ(stats.items_committed, kThreads * kPerThread);
        EXPECT_EQ(stats.items_failed, 0);
        EXPECT_EQ(stats.queue_depth, 0u);
        int64_t batches = 0;
        for (int64_t n : stats.batch_sizes) batches += n;
        EXPECT_EQ(batches, stats.batches_committed);
        EXPECT_LE(stats.queue_depth_max, size_t{kThreads});
        std::lock_guard lock(batches_mu_);
        for (const auto& batch : batches_) EXPECT_LE(batch.size(), 32u);
        batches_.clear();
    }
    // Every id once (the primary key forbids twice), none missing, the seeded row besides.
    EXPECT_EQ(CountSales(), 1 + 2 * 16 * 40);
    EXPECT_EQ(Total(tenant_a_), 3 * 2 * 16 * 40);  // one UPDATE per batch added them all
}

TEST_F(GroupCommitTest, ItemsQueuedBehindARunningBatchShareTheNextTransaction) {
    MakeCommitter();
    std::vector<SaleItem> items;
    for (int64_t id = 10; id < 25; ++id) items.push_back({.id = id, .tenant = tenant_a_});
    Result<int64_t> gate_answer = Internal("unset");
    auto answers = SubmitBehindGate({.id = 2, .tenant = tenant_a_}, items, &gate_answer);
    EXPECT_TRUE(gate_answer.ok());
    for (auto& a : answers) EXPECT_TRUE(a.ok()) << a.error().detail();
    const GroupCommitStats stats = committer_->Stats();
    EXPECT_EQ(stats.batches_committed, 2);  // 16 items, 2 transactions
    EXPECT_EQ(stats.batch_sizes[0], 1);     // the gate alone
    EXPECT_EQ(stats.batch_sizes[3], 1);     // 15 items: the 8-15 bucket
    EXPECT_EQ(stats.queue_depth_max, 15u);
    EXPECT_EQ(CountSales(), 17);
    EXPECT_EQ(Total(tenant_a_), 16);
}

TEST_F(GroupCommitTest, OneBadItemDoesNotFailItsBatch) {
    MakeCommitter();
    const std::vector<SaleItem> items = {
        {.id = 10, .amount = 5, .tenant = tenant_a_},
        {.id = 1, .amount = 7, .tenant = tenant_a_},  // duplicate: a failed statement
        {.id = 11, .amount = 7, .tenant = tenant_a_, .kind = Kind::kInvalid},
        {.id = 12, .amount = 7, .tenant = tenant_a_, .kind = Kind::kInsertThenRefuse},
        {.id = 13, .amount = 7, .tenant = tenant_a_, .kind = Kind::kThrow},
        {.id = 14, .amount = 7, .tenant = tenant_a_, .kind = Kind::kIgnoreFailure},
        {.id = 15, .amount = -1, .tenant = tenant_a_},  // CHECK violation
        {.id = 16, .amount = 6, .tenant = tenant_a_},
    };
    auto answers = SubmitBehindGate({.id = 2, .amount = 1, .tenant = tenant_a_}, items);
    {
        std::lock_guard lock(batches_mu_);
        ASSERT_EQ(batches_.size(), 2u);
        EXPECT_EQ(batches_[1].size(), items.size());  // all in one transaction
    }
    EXPECT_EQ(*answers[0], 10);
    EXPECT_EQ(answers[1].error().code(), ErrorCode::kConflict);
    EXPECT_EQ(answers[2].error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(answers[3].error().code(), ErrorCode::kUnprocessable);
    EXPECT_EQ(answers[4].error().code(), ErrorCode::kInternal);
    EXPECT_EQ(answers[5].error().code(), ErrorCode::kInternal);
    EXPECT_EQ(answers[6].error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(*answers[7], 16);
    EXPECT_EQ(SaleIds(), (std::set<int64_t>{1, 2, 10, 16}));
    EXPECT_EQ(Total(tenant_a_), 1 + 5 + 6);  // the finish hook counted only committed items
    const GroupCommitStats stats = committer_->Stats();
    EXPECT_EQ(stats.items_committed, 3);
    EXPECT_EQ(stats.items_failed, 6);
    EXPECT_EQ(stats.batches_committed, 2);
    EXPECT_EQ(stats.batches_failed, 0);
}

// The batch of OneBadItemDoesNotFailItsBatch through the item-function form, both isolations,
// and through an OptimisticBatchFn: the same answers and rows; the optimistic forms run the batch
// back to back first, then again isolated.
TEST_F(GroupCommitTest, ItemFunctionIsolatesBadItemsSavepointedOrOptimistically) {
    for (int form = 0; form < 3; ++form) {
        const ItemIsolation isolation =
            form == 0 ? ItemIsolation::kSavepoint : ItemIsolation::kOptimistic;
        SCOPED_TRACE(form);
        SetUp();  // a fresh database for each
        held_ = false;
        release_first_batch_ = false;
        item_runs_ = 0;
        MakeItemCommitter({.item_isolation = isolation}, /*batch_form=*/form == 2);
        const std::vector<SaleItem> items = {
            {.id = 10, .amount = 5, .tenant = tenant_a_},
            {.id = 1, .amount = 7, .tenant = tenant_a_},  // duplicate
            {.id = 11, .amount = 7, .tenant = tenant_a_, .kind = Kind::kInvalid},
            {.id = 12, .amount = 7, .tenant = tenant_a_, .kind = Kind::kInsertThenRefuse},
            {.id = 13, .amount = 7, .tenant = tenant_a_, .kind = Kind::kThrow},
            {.id = 14, .amount = 7, .tenant = tenant_a_, .kind = Kind::kIgnoreFailure},
            {.id = 16, .amount = 6, .tenant = tenant_a_},
        };
        auto answers = SubmitBehindGate({.id = 2, .amount = 1, .tenant = tenant_a_}, items);
        EXPECT_EQ(*answers[0], 10);
        EXPECT_EQ(answers[1].error().code(), ErrorCode::kConflict);
        EXPECT_EQ(answers[2].error().code(), ErrorCode::kInvalidArgument);
        EXPECT_EQ(answers[3].error().code(), ErrorCode::kUnprocessable);
        EXPECT_EQ(answers[4].error().code(), ErrorCode::kInternal);
        EXPECT_EQ(answers[5].error().code(), ErrorCode::kInternal);
        EXPECT_EQ(*answers[6], 16);
        EXPECT_EQ(SaleIds(), (std::set<int64_t>{1, 2, 10, 16}));
        EXPECT_EQ(Total(tenant_a_), 1 + 5 + 6);
        const GroupCommitStats stats = committer_->Stats();
        EXPECT_EQ(stats.batches_committed, 2);
        const bool optimistic = isolation == ItemIsolation::kOptimistic;
        EXPECT_EQ(stats.batches_isolated, optimistic ? 1 : 0);
        // Optimistic: the gate once, the batch up to its first bad item (queue order varies),
        // then all of it isolated.
        if (optimistic) {
            EXPECT_GT(item_runs_.load(), 1 + 7);
            EXPECT_LE(item_runs_.load(), 1 + 7 + 7);
        } else {
            EXPECT_EQ(item_runs_.load(), 1 + 7);
        }
        committer_.reset();
        std::lock_guard lock(batches_mu_);
        batches_.clear();
    }
}

TEST_F(GroupCommitTest, OptimisticBatchWithoutFailuresRunsOnce) {
    MakeItemCommitter({.item_isolation = ItemIsolation::kOptimistic});
    RunTenItemsOnce();
}

TEST_F(GroupCommitTest, OptimisticBatchFunctionWithoutFailuresRunsOnce) {
    MakeItemCommitter({}, /*batch_form=*/true);
    RunTenItemsOnce();
}

void GroupCommitTest::RunTenItemsOnce() {
    std::vector<SaleItem> items;
    for (int64_t id = 10; id < 20; ++id)
        items.push_back({.id = id, .amount = 2, .tenant = tenant_a_});
    auto answers = SubmitBehindGate({.id = 2, .tenant = tenant_a_}, items);
    for (auto& a : answers) EXPECT_TRUE(a.ok()) << a.error().detail();
    EXPECT_EQ(item_runs_.load(), 11);
    const GroupCommitStats stats = committer_->Stats();
    EXPECT_EQ(stats.batches_committed, 2);
    EXPECT_EQ(stats.batches_isolated, 0);
    EXPECT_EQ(Total(tenant_a_), 1 + 20);
    EXPECT_EQ(CountSales(), 12);
}

TEST_F(GroupCommitTest, CommitFailureFailsEveryItemOfTheBatch) {
    MakeCommitter();
    const std::vector<SaleItem> items = {
        {.id = 10, .tenant = tenant_a_},
        {.id = 11, .tenant = tenant_a_, .kind = Kind::kMissingTill},  // fails only at COMMIT
        {.id = 12, .tenant = tenant_a_},
    };
    Result<int64_t> gate_answer = Internal("unset");
    auto answers = SubmitBehindGate({.id = 2, .tenant = tenant_a_}, items, &gate_answer);
    EXPECT_TRUE(gate_answer.ok());
    for (auto& a : answers) {
        ASSERT_FALSE(a.ok());
        EXPECT_EQ(a.error().code(), ErrorCode::kUnprocessable) << a.error().detail();
    }
    EXPECT_EQ(SaleIds(), (std::set<int64_t>{1, 2}));
    EXPECT_EQ(Total(tenant_a_), 1);
    const GroupCommitStats stats = committer_->Stats();
    EXPECT_EQ(stats.batches_committed, 1);
    EXPECT_EQ(stats.batches_failed, 1);
    EXPECT_EQ(stats.batches_retried, 0);
    EXPECT_EQ(stats.items_failed, 3);
    // The committer goes on after a failed batch.
    EXPECT_EQ(*committer_->Submit(tenant_a_, {.id = 30, .tenant = tenant_a_}), 30);
}

TEST_F(GroupCommitTest, FinishHookOrBatchFailureFailsEveryItemAndWritesNothing) {
    MakeCommitter();
    fail_finish_ = true;
    auto finish_failed = committer_->Submit(tenant_a_, {.id = 10, .tenant = tenant_a_});
    ASSERT_FALSE(finish_failed.ok());
    EXPECT_EQ(finish_failed.error().message(), "finish failed");
    fail_finish_ = false;
    throw_in_batch_ = true;
    auto threw = committer_->Submit(tenant_a_, {.id = 11, .tenant = tenant_a_});
    ASSERT_FALSE(threw.ok());
    EXPECT_EQ(threw.error().code(), ErrorCode::kInternal);
    EXPECT_NE(threw.error().detail().find("batch exploded"), std::string::npos);
    throw_in_batch_ = false;
    EXPECT_EQ(SaleIds(), (std::set<int64_t>{1}));
    EXPECT_EQ(committer_->Stats().batches_failed, 2);
}

TEST_F(GroupCommitTest, SerializationFailureIsRetriedOnceAndOtherConflictsAreNot) {
    MakeCommitter();
    const Error serialization(ErrorCode::kConflict,
                              std::string(internal::kSerializationFailureMessage));
    ASSERT_TRUE(IsSerializationFailure(serialization));
    fail_next_batch_ = serialization;
    auto retried = committer_->Submit(tenant_a_, {.id = 10, .amount = 4, .tenant = tenant_a_});
    ASSERT_TRUE(retried.ok()) << retried.error().detail();
    EXPECT_EQ(committer_->Stats().batches_retried, 1);
    {
        std::lock_guard lock(batches_mu_);
        EXPECT_EQ(batches_.size(), 2u);  // the same batch ran twice
    }
    const Error duplicate(ErrorCode::kConflict, "already exists");
    EXPECT_FALSE(IsSerializationFailure(duplicate));
    fail_next_batch_ = duplicate;
    auto not_retried = committer_->Submit(tenant_a_, {.id = 11, .tenant = tenant_a_});
    ASSERT_FALSE(not_retried.ok());
    EXPECT_EQ(not_retried.error().message(), "already exists");
    EXPECT_EQ(committer_->Stats().batches_retried, 1);
    EXPECT_EQ(SaleIds(), (std::set<int64_t>{1, 10}));
    EXPECT_EQ(Total(tenant_a_), 4);  // the retry's finish hook ran once in what committed
}

TEST_F(GroupCommitTest, EachTransactionHoldsOneTenantsItems) {
    MakeCommitter();
    std::vector<SaleItem> items;
    for (int64_t id = 10; id < 22; ++id) {
        items.push_back({.id = id,
                         .amount = 2,
                         .tenant = id % 2 == 0 ? tenant_a_ : tenant_b_,
                         .kind = Kind::kIdempotencyKey});
    }
    auto answers = SubmitBehindGate({.id = 2, .tenant = tenant_b_}, items);
    for (auto& a : answers) EXPECT_TRUE(a.ok()) << a.error().detail();
    {
        std::lock_guard lock(batches_mu_);
        EXPECT_EQ(mixed_tenant_items_, 0);
        EXPECT_EQ(batches_.size(), 3u);  // the gate, then one transaction per tenant
    }
    EXPECT_EQ(Total(tenant_a_), 12);
    EXPECT_EQ(Total(tenant_b_), 1 + 12);
    for (TenantId tenant : {tenant_a_, tenant_b_}) {
        auto counted = InTransaction(*tdb_, {.tenant = tenant}, [&](Transaction& tx) {
            return tx.Query(kCountIdempotencyKeys, {tenant});
        });
        ASSERT_TRUE(counted.ok()) << counted.error().detail();
        EXPECT_EQ((*counted)[0].Int(0), 6);
    }
}

// One batch per tenant at a time: a tenant's items queue behind its running batch although a
// batch slot is free, then go in one batch; on PostgreSQL another tenant's item takes the free
// slot and commits while that batch is still held (SQLite has one writer, so it would wait).
TEST_F(GroupCommitTest, OneBatchPerTenantQueuesItsItemsWhileOtherTenantsOverlap) {
    MakeCommitter({.max_concurrent_batches = 2, .max_batches_per_tenant = 1});
    constexpr size_t kItems = 4;
    hold_first_batch_for_ = kItems;
    std::optional<Result<int64_t>> gate;
    std::vector<std::optional<Result<int64_t>>> answers(kItems);
    std::thread gate_thread([&] {
        gate.emplace(committer_->Submit(tenant_a_, {.id = 2, .amount = 1, .tenant = tenant_a_}));
    });
    ASSERT_TRUE(WaitFor([&] { return held_.load(); }));
    std::vector<std::thread> threads;
    for (size_t i = 0; i < kItems; ++i) {
        threads.emplace_back([&, i] {
            const SaleItem item{
                .id = 10 + static_cast<int64_t>(i), .amount = 2, .tenant = tenant_a_};
            answers[i].emplace(committer_->Submit(tenant_a_, item));
        });
    }
    EXPECT_TRUE(WaitFor([&] { return committer_->Stats().queue_depth == kItems; }));
    if (tdb_->engine() == Engine::kPostgres) {
        const Result<int64_t> other =
            committer_->Submit(tenant_b_, {.id = 20, .amount = 3, .tenant = tenant_b_});
        ASSERT_TRUE(other.ok()) << other.error().detail();
        EXPECT_EQ(Total(tenant_b_), 3);
        EXPECT_EQ(committer_->Stats().queue_depth, kItems);  // still behind tenant A's batch
    }
    release_first_batch_ = true;
    for (auto& t : threads) t.join();
    gate_thread.join();
    ASSERT_TRUE(gate.has_value() && gate->ok());
    for (auto& a : answers) EXPECT_TRUE(a.has_value() && a->ok());
    EXPECT_EQ(Total(tenant_a_), 1 + 2 * static_cast<int64_t>(kItems));
    std::lock_guard lock(batches_mu_);
    ASSERT_FALSE(batches_.empty());
    EXPECT_EQ(batches_.back().size(), kItems);  // tenant A's queued items in one batch
}

TEST_F(GroupCommitTest, StopAnswersQueuedItemsAndWaitsForTheRunningBatch) {
    MakeCommitter();
    stop_while_held_ = true;
    std::vector<SaleItem> items;
    for (int64_t id = 10; id < 14; ++id) items.push_back({.id = id, .tenant = tenant_a_});
    std::atomic<bool> stopped{false};
    std::thread stopper([&] {
        EXPECT_TRUE(WaitFor([&] { return committer_->Stats().queue_depth == items.size(); }));
        std::thread releaser([&] {
            // Stop empties the queue first, then waits for the held batch.
            EXPECT_TRUE(WaitFor([&] { return committer_->Stats().queue_depth == 0; }));
            EXPECT_FALSE(stopped.load());
            release_first_batch_ = true;
        });
        committer_->Stop();
        stopped = true;
        releaser.join();
    });
    Result<int64_t> gate_answer = Internal("unset");
    auto answers =
        SubmitBehindGate({.id = 2, .amount = 9, .tenant = tenant_a_}, items, &gate_answer);
    stopper.join();
    EXPECT_TRUE(gate_answer.ok()) << gate_answer.error().detail();  // it had started: it commits
    for (auto& a : answers) {
        ASSERT_FALSE(a.ok());
        EXPECT_EQ(a.error().code(), ErrorCode::kUnavailable);
        EXPECT_EQ(a.error().message(), "shutting down");
    }
    auto late = committer_->Submit(tenant_a_, {.id = 20, .tenant = tenant_a_});
    ASSERT_FALSE(late.ok());
    EXPECT_EQ(late.error().code(), ErrorCode::kUnavailable);
    EXPECT_EQ(SaleIds(), (std::set<int64_t>{1, 2}));
    EXPECT_EQ(Total(tenant_a_), 9);
    const GroupCommitStats stats = committer_->Stats();
    EXPECT_EQ(stats.items_committed, 1);
    EXPECT_EQ(stats.items_failed, 4);
    EXPECT_EQ(stats.items_refused, 1);
    committer_->Stop();  // again: nothing to do
}

TEST_F(GroupCommitTest, FullQueueRefusesAtOnceWithBusy) {
    MakeCommitter({.max_queue = 2});
    std::vector<SaleItem> items = {{.id = 10, .tenant = tenant_a_},
                                   {.id = 11, .tenant = tenant_a_}};
    std::thread extra([&] {
        EXPECT_TRUE(WaitFor([&] { return committer_->Stats().queue_depth == 2; }));
        auto busy = committer_->Submit(tenant_a_, {.id = 12, .tenant = tenant_a_});
        ASSERT_FALSE(busy.ok());
        EXPECT_EQ(busy.error().code(), ErrorCode::kUnavailable);
        EXPECT_EQ(busy.error().message(), "busy");
        EXPECT_EQ(busy.error().retry_after_seconds(), 1);
        release_first_batch_ = true;
    });
    stop_while_held_ = true;  // the extra thread releases the held batch, after its refusal
    auto answers = SubmitBehindGate({.id = 2, .tenant = tenant_a_}, items);
    extra.join();
    for (auto& a : answers) EXPECT_TRUE(a.ok());
    EXPECT_EQ(SaleIds(), (std::set<int64_t>{1, 2, 10, 11}));
    EXPECT_EQ(committer_->Stats().items_refused, 1);
}

TEST_F(GroupCommitTest, MaxBatchSplitsTheQueue) {
    MakeCommitter({.max_batch = 4});
    std::vector<SaleItem> items;
    for (int64_t id = 10; id < 20; ++id) items.push_back({.id = id, .tenant = tenant_a_});
    auto answers = SubmitBehindGate({.id = 2, .tenant = tenant_a_}, items);
    for (auto& a : answers) EXPECT_TRUE(a.ok());
    std::lock_guard lock(batches_mu_);
    ASSERT_EQ(batches_.size(), 4u);  // 1, then 4 + 4 + 2
    EXPECT_EQ(batches_[1].size(), 4u);
    EXPECT_EQ(batches_[2].size(), 4u);
    EXPECT_EQ(batches_[3].size(), 2u);
}

// What SubmitAsync's callbacks received, collected across threads.
struct AsyncAnswers {
    std::mutex mu;
    std::map<int64_t, Result<int64_t>> by_id;    // GUARDED_BY(mu)
    std::set<std::thread::id> threads;           // GUARDED_BY(mu)
    std::vector<int64_t> visible_when_answered;  // GUARDED_BY(mu)
    size_t Count() {
        std::lock_guard lock(mu);
        return by_id.size();
    }
    Committer::Done For(int64_t id, std::function<bool()> stored = nullptr) {
        return [this, id, stored](Result<int64_t> answer) {
            const bool visible = stored != nullptr && stored();
            std::lock_guard lock(mu);
            EXPECT_TRUE(by_id.emplace(id, std::move(answer)).second) << "answered twice: " << id;
            threads.insert(std::this_thread::get_id());
            if (visible) visible_when_answered.push_back(id);
        };
    }
};

// Submits tenant A's gate item (id 2) from a thread of its own and returns once its batch is
// held (hold_first_batch_for_ set), so what comes next queues behind it.
class GroupCommitAsyncTest : public GroupCommitTest {
  protected:
    std::thread StartHeldGate(std::optional<Result<int64_t>>& answer) {
        std::thread gate(
            [&] { answer.emplace(committer_->Submit(tenant_a_, {.id = 2, .tenant = tenant_a_})); });
        EXPECT_TRUE(WaitFor([&] { return held_.load(); }));
        return gate;
    }
};

TEST_F(GroupCommitTest, AsyncItemsAreAnsweredAfterTheirBatchCommittedWithoutAWaitingThread) {
    for (int concurrent : {1, 2}) {
        SCOPED_TRACE(concurrent);
        MakeCommitter({.max_batch = 16, .max_concurrent_batches = concurrent});
        AsyncAnswers answers;
        constexpr int64_t kItems = 300;
        const int64_t first_id = concurrent * 100'000;
        const int64_t total_before = Total(tenant_a_);
        std::set<std::thread::id> submitters;
        std::vector<std::thread> threads;
        std::mutex submitters_mu;
        for (int t = 0; t < 2; ++t) {
            threads.emplace_back([&, t] {
                {
                    std::lock_guard lock(submitters_mu);
                    submitters.insert(std::this_thread::get_id());
                }
                for (int64_t i = t; i < kItems; i += 2) {
                    const int64_t id = first_id + i;
                    const Kind kind = i % 50 == 7 ? Kind::kInvalid : Kind::kInsert;
                    // The callback checks the item is already visible to another transaction:
                    // answered only after its batch committed.
                    committer_->SubmitAsync(
                        tenant_a_, {.id = id, .amount = 3, .tenant = tenant_a_, .kind = kind},
                        answers.For(id, [this, id] { return SaleIds().count(id) == 1; }));
                }
            });
        }
        for (auto& t : threads) t.join();  // the submitters return at once: nobody waited
        ASSERT_TRUE(WaitFor([&] { return answers.Count() == kItems; }));
        std::lock_guard lock(answers.mu);
        int64_t good = 0;
        for (const auto& [id, answer] : answers.by_id) {
            const bool bad = (id - first_id) % 50 == 7;
            if (bad) {
                ASSERT_FALSE(answer.ok()) << id;
                EXPECT_EQ(answer.error().code(), ErrorCode::kInvalidArgument);
            } else {
                ASSERT_TRUE(answer.ok()) << id << " " << answer.error().detail();
                EXPECT_EQ(*answer, id);
                ++good;
            }
        }
        EXPECT_EQ(static_cast<int64_t>(answers.visible_when_answered.size()), good);
        for (const std::thread::id& submitter : submitters) {
            EXPECT_EQ(answers.threads.count(submitter), 0u) << "answered on a submitter's thread";
        }
        EXPECT_LE(answers.threads.size(), static_cast<size_t>(concurrent));
        EXPECT_EQ(Total(tenant_a_), total_before + 3 * good);
        const GroupCommitStats stats = committer_->Stats();
        EXPECT_EQ(stats.items_committed, good);
        EXPECT_EQ(stats.items_failed, kItems - good);
        committer_.reset();  // joins its threads
    }
}

TEST_F(GroupCommitAsyncTest, AsyncAndWaitingItemsOfATenantShareBatches) {
    MakeCommitter();
    AsyncAnswers answers;
    hold_first_batch_for_ = 4;
    std::optional<Result<int64_t>> gate;
    std::thread gate_thread = StartHeldGate(gate);
    for (int64_t id = 10; id < 13; ++id) {
        committer_->SubmitAsync(tenant_a_, {.id = id, .tenant = tenant_a_}, answers.For(id));
    }
    std::optional<Result<int64_t>> waiting;
    std::thread waiting_thread(
        [&] { waiting.emplace(committer_->Submit(tenant_a_, {.id = 13, .tenant = tenant_a_})); });
    release_first_batch_ = true;
    gate_thread.join();
    waiting_thread.join();
    ASSERT_TRUE(WaitFor([&] { return answers.Count() == 3; }));
    ASSERT_TRUE(gate.has_value() && gate->ok());
    ASSERT_TRUE(waiting.has_value() && waiting->ok());
    {
        std::lock_guard lock(answers.mu);
        for (const auto& [id, answer] : answers.by_id) EXPECT_TRUE(answer.ok()) << id;
    }
    EXPECT_EQ(SaleIds(), (std::set<int64_t>{1, 2, 10, 11, 12, 13}));
    std::lock_guard lock(batches_mu_);
    ASSERT_EQ(batches_.size(), 2u);
    EXPECT_EQ(batches_[1], (std::vector<int64_t>{10, 11, 12, 13}));  // in the order submitted
}

TEST_F(GroupCommitAsyncTest, StopDeliversQueuedAsyncItemsAndRefusesLaterOnesAtOnce) {
    MakeCommitter({.max_queue = 3});
    AsyncAnswers answers;
    hold_first_batch_for_ = 3;
    stop_while_held_ = true;
    std::optional<Result<int64_t>> gate;
    std::thread gate_thread = StartHeldGate(gate);
    for (int64_t id = 10; id < 13; ++id) {
        committer_->SubmitAsync(tenant_a_, {.id = id, .tenant = tenant_a_}, answers.For(id));
    }
    // The queue is full: the next one is refused before SubmitAsync returns.
    committer_->SubmitAsync(tenant_a_, {.id = 13, .tenant = tenant_a_}, answers.For(13));
    {
        std::lock_guard lock(answers.mu);
        ASSERT_EQ(answers.by_id.count(13), 1u);
        EXPECT_EQ(answers.by_id.at(13).error().message(), "busy");
    }
    std::atomic<bool> stopped{false};
    std::thread stopper([&] {
        committer_->Stop();
        stopped = true;
    });
    // Stop delivers the queued items' refusals, then waits for the held batch.
    ASSERT_TRUE(WaitFor([&] { return answers.Count() == 4; }));
    EXPECT_FALSE(stopped.load());
    release_first_batch_ = true;
    stopper.join();
    gate_thread.join();
    ASSERT_TRUE(gate.has_value() && gate->ok());
    {
        std::lock_guard lock(answers.mu);
        for (int64_t id = 10; id < 13; ++id) {
            ASSERT_FALSE(answers.by_id.at(id).ok());
            EXPECT_EQ(answers.by_id.at(id).error().message(), "shutting down");
        }
    }
    committer_->SubmitAsync(tenant_a_, {.id = 14, .tenant = tenant_a_}, answers.For(14));
    {
        std::lock_guard lock(answers.mu);
        ASSERT_EQ(answers.by_id.count(14), 1u);  // refused before SubmitAsync returned
        EXPECT_EQ(answers.by_id.at(14).error().code(), ErrorCode::kUnavailable);
    }
    EXPECT_EQ(SaleIds(), (std::set<int64_t>{1, 2}));
}

}  // namespace
}  // namespace omc::db
