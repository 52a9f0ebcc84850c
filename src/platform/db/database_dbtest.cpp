// The database layer on whichever engine OMC_TEST_ENGINE names; the same body runs on SQLite and
// on PostgreSQL (cmake/tests.cmake runs this binary once per engine).
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <thread>

#include "platform/db/database.hpp"
#include "platform/db/migrator.hpp"
#include "testing/fake_clock.hpp"
#include "testing/fake_ids.hpp"
#include "testing/test_database.hpp"

namespace omc::db {
namespace {

using omc::testing::OpenFreshDatabase;
using omc::testing::TestDatabase;

// Written once in the portable dialect and translated for SQLite, as migrations are.
constexpr std::string_view kTestSchema = R"sql(
CREATE TABLE t_items (
    id BIGINT NOT NULL PRIMARY KEY,
    label TEXT,
    amount BIGINT,
    flag BOOLEAN,
    payload BYTEA
);
CREATE TABLE t_parents (id BIGINT NOT NULL PRIMARY KEY);
CREATE TABLE t_children (
    id BIGINT NOT NULL PRIMARY KEY,
    parent_id BIGINT NOT NULL REFERENCES t_parents (id),
    qty BIGINT NOT NULL CHECK (qty > 0)
);
)sql";

constexpr Query kInsertItem{"test.insert_item", R"sql(
    INSERT INTO t_items (id, label, amount, flag, payload) VALUES ($1, $2, $3, $4, $5))sql"};
constexpr Query kInsertLabelFirst{"test.insert_label_first",
                                  "INSERT INTO t_items (label, id) VALUES ($2, $1)"};
constexpr Query kSelectItem{"test.select_item",
                            "SELECT id, label, amount, flag, payload FROM t_items WHERE id = $1"};
constexpr Query kCountItems{"test.count_items", "SELECT count(*) FROM t_items"};
constexpr Query kInsertParent{"test.insert_parent", "INSERT INTO t_parents (id) VALUES ($1)"};
constexpr Query kInsertChild{"test.insert_child",
                             "INSERT INTO t_children (id, parent_id, qty) VALUES ($1, $2, $3)"};
constexpr Query kSetAmounts{"test.set_amounts", "UPDATE t_items SET amount = $1"};

class DatabaseTest : public ::testing::Test {
  protected:
    void SetUp() override { Open(OpenFreshDatabase(/*migrate=*/true)); }

    void Open(std::unique_ptr<TestDatabase> tdb) {
        tdb_ = std::move(tdb);
        const std::string schema = tdb_->engine() == Engine::kSqlite
                                       ? TranslateForSqlite(kTestSchema)
                                       : std::string(kTestSchema);
        auto created = tdb_->ExecScript(schema);
        ASSERT_TRUE(created.ok()) << created.error().detail();
    }

    Database& db() { return *tdb_; }

    std::unique_ptr<Transaction> Begin(TxOptions options = {}) {
        auto tx = db().Begin(options);
        EXPECT_TRUE(tx.ok()) << tx.error().detail();
        return std::move(tx).value();
    }

    int64_t CountItems() {
        auto tx = Begin({.read_only = true});
        auto rows = tx->Query(kCountItems, {});
        EXPECT_TRUE(rows.ok()) << rows.error().detail();
        return (*rows)[0].Int(0);
    }

    void InsertItem(Transaction& tx, int64_t id, Param label = Null{}) {
        auto n = tx.Execute(kInsertItem, {id, std::move(label), Null{}, Null{}, Null{}});
        ASSERT_TRUE(n.ok()) << n.error().detail();
        EXPECT_EQ(*n, 1);
    }

    std::unique_ptr<TestDatabase> tdb_;
};

TEST_F(DatabaseTest, ParametersBindByNumberNotByPosition) {
    auto tx = Begin();
    ASSERT_TRUE(tx->Execute(kInsertLabelFirst, {int64_t{7}, "seven"}).ok());
    auto rows = tx->Query(kSelectItem, {int64_t{7}});
    ASSERT_TRUE(rows.ok()) << rows.error().detail();
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0].Int(0), 7);
    EXPECT_EQ((*rows)[0].Text(1), "seven");
}

TEST_F(DatabaseTest, Int64ExtremesRoundTrip) {
    const int64_t values[] = {std::numeric_limits<int64_t>::min(),
                              std::numeric_limits<int64_t>::max(), 0, -1};
    auto tx = Begin();
    int64_t id = 1;
    for (int64_t v : values) {
        ASSERT_TRUE(tx->Execute(kInsertItem, {id++, Null{}, v, Null{}, Null{}}).ok());
    }
    constexpr Query kByAmount{"test.by_amount", "SELECT amount FROM t_items WHERE amount = $1"};
    for (int64_t v : values) {
        auto rows = tx->Query(kByAmount, {v});
        ASSERT_TRUE(rows.ok()) << rows.error().detail();
        ASSERT_EQ(rows->size(), 1u) << v;
        EXPECT_EQ((*rows)[0].Int(0), v);
    }
}

TEST_F(DatabaseTest, NullsReadAsNullAndRefuseNonOptionalAccess) {
    auto tx = Begin();
    ASSERT_TRUE(tx->Execute(kInsertItem, {int64_t{1}, std::nullopt, Null{}, Null{}, Null{}}).ok());
    auto rows = tx->Query(kSelectItem, {int64_t{1}});
    ASSERT_TRUE(rows.ok());
    const Row& row = (*rows)[0];
    EXPECT_TRUE(row.IsNull(1));
    EXPECT_EQ(row.OptText(1), std::nullopt);
    EXPECT_EQ(row.OptInt(2), std::nullopt);
    EXPECT_THROW((void)row.Text(1), InvariantViolation);
    EXPECT_THROW((void)row.Int(2), InvariantViolation);
}

TEST_F(DatabaseTest, BooleansRoundTrip) {
    auto tx = Begin();
    ASSERT_TRUE(tx->Execute(kInsertItem, {int64_t{1}, Null{}, Null{}, true, Null{}}).ok());
    ASSERT_TRUE(tx->Execute(kInsertItem, {int64_t{2}, Null{}, Null{}, false, Null{}}).ok());
    EXPECT_TRUE((*tx->Query(kSelectItem, {int64_t{1}}))[0].Bool(3));
    EXPECT_FALSE((*tx->Query(kSelectItem, {int64_t{2}}))[0].Bool(3));
}

TEST_F(DatabaseTest, QuotesAndSqlTextAreStoredLiterally) {
    const std::string nasty = "O'Brien \"Kofi\"; DROP TABLE t_items; -- \\ $1 \t\n ₵ end";
    {
        auto tx = Begin();
        InsertItem(*tx, 1, nasty);
        ASSERT_TRUE(tx->Commit().ok());
    }
    auto tx = Begin({.read_only = true});
    auto rows = tx->Query(kSelectItem, {int64_t{1}});
    ASSERT_TRUE(rows.ok()) << rows.error().detail();
    EXPECT_EQ((*rows)[0].Text(1), nasty);
    EXPECT_EQ((*tx->Query(kCountItems, {}))[0].Int(0), 1);  // the table is still there
}

TEST_F(DatabaseTest, BytesRoundTripWithNulBytes) {
    const std::string raw("\0\x01\xff\\x00\t\n'\"\0end", 14);
    ASSERT_EQ(raw.size(), 14u);
    auto tx = Begin();
    ASSERT_TRUE(tx->Execute(kInsertItem, {int64_t{1}, Null{}, Null{}, Null{}, Bytes{raw}}).ok());
    ASSERT_TRUE(tx->Execute(kInsertItem, {int64_t{2}, Null{}, Null{}, Null{}, Bytes{""}}).ok());
    auto rows = tx->Query(kSelectItem, {int64_t{1}});
    ASSERT_TRUE(rows.ok());
    EXPECT_EQ((*rows)[0].Text(4), raw);
    EXPECT_EQ((*tx->Query(kSelectItem, {int64_t{2}}))[0].Text(4), "");
}

TEST_F(DatabaseTest, CommitKeepsAndDestroyWithoutCommitRollsBack) {
    {
        auto tx = Begin();
        InsertItem(*tx, 1);
        ASSERT_TRUE(tx->Commit().ok());
    }
    {
        auto tx = Begin();
        InsertItem(*tx, 2);
    }  // destroyed without Commit
    {
        auto tx = Begin();
        InsertItem(*tx, 3);
        tx->Rollback();
    }
    EXPECT_EQ(CountItems(), 1);
    EXPECT_EQ(db().Stats().in_use, 0);
}

TEST_F(DatabaseTest, InTransactionCommitsOnOkAndRollsBackOnError) {
    auto ok =
        InTransaction(db(), {}, [&](Transaction& tx) { return tx.Execute(kInsertParent, {1}); });
    ASSERT_TRUE(ok.ok());
    auto failed = InTransaction(db(), {}, [&](Transaction& tx) -> Result<int64_t> {
        OMC_TRY(tx.Execute(kInsertParent, {2}));
        return Error(ErrorCode::kUnprocessable, "business rule");
    });
    EXPECT_EQ(failed.error().code(), ErrorCode::kUnprocessable);
    constexpr Query kCountParents{"test.count_parents", "SELECT count(*) FROM t_parents"};
    auto tx = Begin();
    EXPECT_EQ((*tx->Query(kCountParents, {}))[0].Int(0), 1);
}

TEST_F(DatabaseTest, UniqueViolationIsConflictAndPoisonsTheTransaction) {
    {
        auto tx = Begin();
        InsertItem(*tx, 1);
        ASSERT_TRUE(tx->Commit().ok());
    }
    auto tx = Begin();
    InsertItem(*tx, 2);
    auto dup = tx->Execute(kInsertItem, {int64_t{1}, Null{}, Null{}, Null{}, Null{}});
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.error().code(), ErrorCode::kConflict);
    EXPECT_EQ(dup.error().message(), "already exists");
    EXPECT_NE(dup.error().detail().find("test.insert_item"), std::string::npos);
    // On both engines a failed statement leaves a transaction that can only roll back.
    EXPECT_FALSE(tx->Execute(kInsertItem, {int64_t{3}, Null{}, Null{}, Null{}, Null{}}).ok());
    EXPECT_FALSE(tx->Commit().ok());
    EXPECT_EQ(CountItems(), 1);
}

TEST_F(DatabaseTest, RollbackToSavepointRecoversFromAFailedStatement) {
    {
        auto tx = Begin();
        InsertItem(*tx, 1);
        ASSERT_TRUE(tx->Commit().ok());
    }
    auto tx = Begin();
    InsertItem(*tx, 2);
    ASSERT_TRUE(tx->Savepoint("sale").ok());
    InsertItem(*tx, 3);  // undone with the savepoint
    auto dup = tx->Execute(kInsertItem, {int64_t{1}, Null{}, Null{}, Null{}, Null{}});
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.error().code(), ErrorCode::kConflict);
    EXPECT_FALSE(tx->Execute(kInsertItem, {int64_t{4}, Null{}, Null{}, Null{}, Null{}}).ok());
    auto back = tx->RollbackToSavepoint("sale");
    ASSERT_TRUE(back.ok()) << back.error().detail();
    InsertItem(*tx, 5);  // usable again
    ASSERT_TRUE(tx->ReleaseSavepoint("sale").ok());
    InsertItem(*tx, 6);
    auto committed = tx->Commit();
    ASSERT_TRUE(committed.ok()) << committed.error().detail();
    auto read = Begin({.read_only = true});
    for (int64_t id : {1, 2, 5, 6}) EXPECT_EQ(read->Query(kSelectItem, {id})->size(), 1u) << id;
    for (int64_t id : {3, 4}) EXPECT_TRUE(read->Query(kSelectItem, {id})->empty()) << id;
    EXPECT_EQ((*read->Query(kCountItems, {}))[0].Int(0), 4);
}

TEST_F(DatabaseTest, FailedStatementInsideASavepointStillFailsTheCommitWithoutRollbackTo) {
    {
        auto tx = Begin();
        InsertItem(*tx, 1);
        ASSERT_TRUE(tx->Commit().ok());
    }
    auto tx = Begin();
    InsertItem(*tx, 2);
    ASSERT_TRUE(tx->Savepoint("sale").ok());
    ASSERT_FALSE(tx->Execute(kInsertItem, {int64_t{1}, Null{}, Null{}, Null{}, Null{}}).ok());
    // Neither a release nor a new savepoint clears the failure; only a rollback to one does.
    auto released = tx->ReleaseSavepoint("sale");
    ASSERT_FALSE(released.ok());
    EXPECT_EQ(released.error().code(), ErrorCode::kInternal);
    EXPECT_FALSE(tx->Savepoint("other").ok());
    EXPECT_FALSE(tx->Commit().ok());
    EXPECT_EQ(CountItems(), 1);
}

TEST_F(DatabaseTest, RollbackToSavepointUndoesNestedSavepointsAndKeepsItsOwn) {
    auto tx = Begin();
    ASSERT_TRUE(tx->Savepoint("outer").ok());
    InsertItem(*tx, 1);
    ASSERT_TRUE(tx->Savepoint("inner").ok());
    InsertItem(*tx, 2);
    ASSERT_TRUE(tx->RollbackToSavepoint("outer").ok());
    // "inner" closed with the rollback; "outer" is still open and can be returned to again.
    auto inner = tx->ReleaseSavepoint("inner");
    ASSERT_FALSE(inner.ok());
    EXPECT_EQ(inner.error().code(), ErrorCode::kInternal);
    InsertItem(*tx, 3);  // an unknown savepoint name did not poison the transaction
    ASSERT_TRUE(tx->RollbackToSavepoint("outer").ok());
    InsertItem(*tx, 4);
    ASSERT_TRUE(tx->ReleaseSavepoint("outer").ok());
    EXPECT_FALSE(tx->RollbackToSavepoint("outer").ok());  // released
    ASSERT_TRUE(tx->Commit().ok());
    auto read = Begin({.read_only = true});
    EXPECT_EQ((*read->Query(kCountItems, {}))[0].Int(0), 1);
    EXPECT_EQ(read->Query(kSelectItem, {int64_t{4}})->size(), 1u);
}

TEST_F(DatabaseTest, ReusedSavepointNameMeansTheMostRecent) {
    auto tx = Begin();
    ASSERT_TRUE(tx->Savepoint("item").ok());
    InsertItem(*tx, 1);
    ASSERT_TRUE(tx->Savepoint("item").ok());
    InsertItem(*tx, 2);
    ASSERT_TRUE(tx->RollbackToSavepoint("item").ok());  // the second: only row 2 goes
    ASSERT_TRUE(tx->ReleaseSavepoint("item").ok());
    ASSERT_TRUE(tx->ReleaseSavepoint("item").ok());  // the first, still open
    EXPECT_FALSE(tx->ReleaseSavepoint("item").ok());
    ASSERT_TRUE(tx->Commit().ok());
    EXPECT_EQ(CountItems(), 1);
}

TEST_F(DatabaseTest, SavepointNamesMustBePlainIdentifiers) {
    auto tx = Begin();
    InsertItem(*tx, 1);
    for (std::string_view bad :
         {"", "Sale", "1st", "sp; DROP TABLE t_items", "sp--", "s p", "\"quoted\"", "sp\n"}) {
        auto opened = tx->Savepoint(bad);
        ASSERT_FALSE(opened.ok()) << bad;
        EXPECT_EQ(opened.error().code(), ErrorCode::kInvalidArgument) << bad;
        EXPECT_EQ(tx->RollbackToSavepoint(bad).error().code(), ErrorCode::kInvalidArgument);
        EXPECT_EQ(tx->ReleaseSavepoint(bad).error().code(), ErrorCode::kInvalidArgument);
    }
    // SQL keywords are fine: names are quoted when spliced in.
    for (std::string_view keyword : {"select", "outer", "rollback"}) {
        ASSERT_TRUE(tx->Savepoint(keyword).ok()) << keyword;
        ASSERT_TRUE(tx->RollbackToSavepoint(keyword).ok()) << keyword;
        ASSERT_TRUE(tx->ReleaseSavepoint(keyword).ok()) << keyword;
    }
    const std::string longest(kMaxSavepointNameBytes, 'a');
    EXPECT_TRUE(tx->Savepoint(longest).ok());
    EXPECT_TRUE(tx->ReleaseSavepoint(longest).ok());
    EXPECT_FALSE(tx->Savepoint(longest + "a").ok());
    InsertItem(*tx, 2);  // nothing was sent: the transaction is healthy
    ASSERT_TRUE(tx->Commit().ok());
    EXPECT_EQ(CountItems(), 2);
}

TEST_F(DatabaseTest, SavepointDepthIsBounded) {
    auto tx = Begin();
    for (size_t i = 0; i < kMaxSavepointDepth; ++i) ASSERT_TRUE(tx->Savepoint("level").ok()) << i;
    auto deeper = tx->Savepoint("level");
    ASSERT_FALSE(deeper.ok());
    EXPECT_EQ(deeper.error().code(), ErrorCode::kInvalidArgument);
    InsertItem(*tx, 1);
    ASSERT_TRUE(tx->Commit().ok());
    EXPECT_EQ(CountItems(), 1);
}

TEST_F(DatabaseTest, SavepointRecoversFromAFailedExecuteBatch) {
    auto tx = Begin();
    InsertItem(*tx, 1);
    ASSERT_TRUE(tx->Savepoint("batch").ok());
    std::vector<std::pair<Query, Params>> batch = {
        {kInsertItem, {int64_t{2}, Null{}, Null{}, Null{}, Null{}}},
        {kInsertItem, {int64_t{1}, Null{}, Null{}, Null{}, Null{}}},  // duplicate
    };
    ASSERT_FALSE(tx->ExecuteBatch(batch).ok());
    ASSERT_TRUE(tx->RollbackToSavepoint("batch").ok());
    ASSERT_TRUE(tx->ReleaseSavepoint("batch").ok());
    InsertItem(*tx, 3);
    ASSERT_TRUE(tx->Commit().ok());
    EXPECT_EQ(CountItems(), 2);
}

TEST_F(DatabaseTest, ScopedSavepointRollsBackUnlessReleased) {
    {
        auto tx = Begin();
        InsertItem(*tx, 1);
        ASSERT_TRUE(tx->Commit().ok());
    }
    auto tx = Begin();
    {
        auto kept = ScopedSavepoint::Open(*tx, "kept");
        ASSERT_TRUE(kept.ok());
        InsertItem(*tx, 2);
        ASSERT_TRUE(kept->Release().ok());
    }
    {
        auto dropped = ScopedSavepoint::Open(*tx, "dropped");
        ASSERT_TRUE(dropped.ok());
        InsertItem(*tx, 3);
        ASSERT_FALSE(tx->Execute(kInsertItem, {int64_t{1}, Null{}, Null{}, Null{}, Null{}}).ok());
    }  // destroyed without Release: back to before row 3, and the failure is gone
    {
        auto undone = ScopedSavepoint::Open(*tx, "undone");
        ASSERT_TRUE(undone.ok());
        InsertItem(*tx, 4);
        ASSERT_TRUE(undone->RollBack().ok());
    }
    EXPECT_FALSE(ScopedSavepoint::Open(*tx, "Bad").ok());
    auto committed = tx->Commit();
    ASSERT_TRUE(committed.ok()) << committed.error().detail();
    auto read = Begin({.read_only = true});
    EXPECT_EQ((*read->Query(kCountItems, {}))[0].Int(0), 2);
    EXPECT_EQ(read->Query(kSelectItem, {int64_t{2}})->size(), 1u);
}

TEST_F(DatabaseTest, ForeignKeyViolationIsUnprocessable) {
    auto tx = Begin();
    auto r = tx->Execute(kInsertChild, {1, 999, 5});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), ErrorCode::kUnprocessable);
}

TEST_F(DatabaseTest, CheckAndNotNullViolationsAreInvalidArgument) {
    {
        auto tx = Begin();
        ASSERT_TRUE(tx->Execute(kInsertParent, {1}).ok());
        auto r = tx->Execute(kInsertChild, {1, 1, 0});
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    }
    auto tx = Begin();
    ASSERT_TRUE(tx->Execute(kInsertParent, {1}).ok());
    auto r = tx->Execute(kInsertChild, {1, 1, Null{}});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(DatabaseTest, PreparedStatementIsReusedWithNewParameters) {
    for (int64_t id = 1; id <= 3; ++id) {
        auto tx = Begin();
        InsertItem(*tx, id, "item " + std::to_string(id));
        ASSERT_TRUE(tx->Commit().ok());
    }
    auto tx = Begin();
    for (int64_t id = 3; id >= 1; --id) {
        auto rows = tx->Query(kSelectItem, {id});
        ASSERT_TRUE(rows.ok()) << rows.error().detail();
        EXPECT_EQ((*rows)[0].Text(1), "item " + std::to_string(id));
    }
}

TEST_F(DatabaseTest, SameQueryNameWithDifferentSqlIsAnInvariantFailure) {
    auto tx = Begin();
    ASSERT_TRUE(tx->Query(kCountItems, {}).ok());
    const Query impostor{kCountItems.name, "SELECT count(*) FROM t_parents"};
    EXPECT_THROW((void)tx->Query(impostor, {}), InvariantViolation);
}

TEST_F(DatabaseTest, MissingParameterIsInternalAndExtraParametersAreIgnored) {
    {
        auto tx = Begin();
        auto missing = tx->Execute(kInsertLabelFirst, {int64_t{1}});
        ASSERT_FALSE(missing.ok());
        EXPECT_EQ(missing.error().code(), ErrorCode::kInternal);
        EXPECT_NE(missing.error().detail().find("$2"), std::string::npos);
    }
    auto tx = Begin();
    auto extra = tx->Query(kSelectItem, {int64_t{1}, "unused"});
    EXPECT_TRUE(extra.ok()) << extra.error().detail();
}

TEST_F(DatabaseTest, ReadOnlyTransactionRefusesWrites) {
    auto tx = Begin({.read_only = true});
    EXPECT_FALSE(tx->Execute(kInsertParent, {1}).ok());
}

TEST_F(DatabaseTest, ExecuteBatchReturnsEachRowCount) {
    auto tx = Begin();
    std::vector<std::pair<Query, Params>> batch;
    for (int64_t id = 1; id <= 3; ++id) {
        batch.push_back({kInsertItem, {id, Null{}, Null{}, Null{}, Null{}}});
    }
    batch.push_back({kSetAmounts, {int64_t{5}}});
    auto counts = tx->ExecuteBatch(batch);
    ASSERT_TRUE(counts.ok()) << counts.error().detail();
    EXPECT_EQ(*counts, (std::vector<int64_t>{1, 1, 1, 3}));
    ASSERT_TRUE(tx->Commit().ok());
    EXPECT_EQ(CountItems(), 3);
}

TEST_F(DatabaseTest, LargeExecuteBatchCrossesPipelineChunks) {
    auto tx = Begin();
    std::vector<std::pair<Query, Params>> batch;
    for (int64_t id = 1; id <= 1000; ++id) {
        batch.push_back({kInsertItem, {id, "x", id, Null{}, Null{}}});
    }
    auto counts = tx->ExecuteBatch(batch);
    ASSERT_TRUE(counts.ok()) << counts.error().detail();
    EXPECT_EQ(counts->size(), 1000u);
    ASSERT_TRUE(tx->Commit().ok());
    EXPECT_EQ(CountItems(), 1000);
}

TEST_F(DatabaseTest, ExecuteBatchFailureInTheMiddleRollsBackEverything) {
    auto tx = Begin();
    std::vector<std::pair<Query, Params>> batch = {
        {kInsertItem, {int64_t{1}, Null{}, Null{}, Null{}, Null{}}},
        {kInsertItem, {int64_t{1}, Null{}, Null{}, Null{}, Null{}}},  // duplicate
        {kInsertItem, {int64_t{2}, Null{}, Null{}, Null{}, Null{}}},
    };
    auto counts = tx->ExecuteBatch(batch);
    ASSERT_FALSE(counts.ok());
    EXPECT_EQ(counts.error().code(), ErrorCode::kConflict);
    EXPECT_FALSE(tx->Commit().ok());
    EXPECT_EQ(CountItems(), 0);
    // The connection went back to the pool healthy.
    auto again = Begin();
    InsertItem(*again, 9);
    EXPECT_TRUE(again->Commit().ok());
    EXPECT_EQ(CountItems(), 1);
}

TEST_F(DatabaseTest, CopyInLoadsTenThousandRows) {
    std::vector<std::vector<Param>> rows;
    for (int64_t i = 1; i <= 10'000; ++i) {
        rows.push_back({i, i % 100 == 0 ? Param(Null{}) : Param("row\t" + std::to_string(i)), -i});
    }
    rows[41] = {int64_t{42}, "back\\slash\nnew\rline", int64_t{-42}};
    auto tx = Begin();
    auto loaded = tx->CopyIn("t_items", {"id", "label", "amount"}, rows);
    ASSERT_TRUE(loaded.ok()) << loaded.error().detail();
    EXPECT_EQ(*loaded, 10'000);
    ASSERT_TRUE(tx->Commit().ok());
    EXPECT_EQ(CountItems(), 10'000);
    auto read = Begin({.read_only = true});
    auto r42 = read->Query(kSelectItem, {int64_t{42}});
    ASSERT_TRUE(r42.ok());
    EXPECT_EQ((*r42)[0].Text(1), "back\\slash\nnew\rline");
    EXPECT_EQ((*r42)[0].Int(2), -42);
    EXPECT_TRUE((*read->Query(kSelectItem, {int64_t{100}}))[0].IsNull(1));
    EXPECT_EQ((*read->Query(kSelectItem, {int64_t{7}}))[0].Text(1), "row\t7");
}

TEST_F(DatabaseTest, CopyInRefusesNamesThatAreNotPlainIdentifiers) {
    auto tx = Begin();
    auto bad_table = tx->CopyIn("t_items; DROP TABLE t_items", {"id"}, {{int64_t{1}}});
    ASSERT_FALSE(bad_table.ok());
    EXPECT_EQ(bad_table.error().code(), ErrorCode::kInvalidArgument);
    auto bad_column = tx->CopyIn("t_items", {"Id"}, {{int64_t{1}}});
    ASSERT_FALSE(bad_column.ok());
    EXPECT_EQ(bad_column.error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(DatabaseTest, CopyInDuplicateIsConflict) {
    auto tx = Begin();
    auto loaded = tx->CopyIn("t_items", {"id"}, {{int64_t{1}}, {int64_t{1}}});
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().code(), ErrorCode::kConflict);
}

TEST_F(DatabaseTest, ExhaustedPoolTimesOutAndIsCounted) {
    DatabaseOptions options;
    options.pool_size = 2;
    options.acquire_timeout = std::chrono::milliseconds(50);
    Open(OpenFreshDatabase(/*migrate=*/false, options));
    // A writer and a reader: on SQLite the writer's connection and the one reader's; on
    // PostgreSQL the pool's two.
    auto writer = Begin({});
    auto reader = Begin({.read_only = true});
    EXPECT_EQ(db().Stats().in_use, 2);
    auto third = db().Begin({.read_only = true});
    ASSERT_FALSE(third.ok());
    EXPECT_EQ(third.error().code(), ErrorCode::kUnavailable);
    EXPECT_EQ(third.error().message(), "database busy");
    PoolStats stats = db().Stats();
    EXPECT_EQ(stats.size, 2);
    EXPECT_EQ(stats.waits_total, 1);
    EXPECT_EQ(stats.timeouts_total, 1);
    // A second writer waits for the pool (SQLite: for the writer's connection, not the file
    // lock) and gives up the same way.
    auto second_writer = db().Begin({});
    ASSERT_FALSE(second_writer.ok());
    EXPECT_EQ(second_writer.error().message(), "database busy");
    EXPECT_EQ(db().Stats().timeouts_total, 2);
    reader.reset();
    auto fourth = db().Begin({.read_only = true});
    EXPECT_TRUE(fourth.ok());
    writer.reset();
    auto fifth = db().Begin({});
    EXPECT_TRUE(fifth.ok());
    EXPECT_EQ(db().Stats().timeouts_total, 2);
}

// SQLite: reads never queue behind a write transaction (they run on the readers' connections
// and see the last commit), and the writer's commits are seen by the next read.
TEST_F(DatabaseTest, ReadsGoOnWhileAWriteIsOpen) {
    DatabaseOptions options;
    options.pool_size = 3;
    options.acquire_timeout = std::chrono::milliseconds(50);
    Open(OpenFreshDatabase(/*migrate=*/false, options));
    ASSERT_TRUE(db().ExecScript("CREATE TABLE counter (n BIGINT NOT NULL)").ok());
    ASSERT_TRUE(db().ExecScript("INSERT INTO counter (n) VALUES (1)").ok());
    constexpr Query kRead{"test.read_counter", "SELECT n FROM counter"};
    constexpr Query kBump{"test.bump_counter", "UPDATE counter SET n = n + 1"};
    auto writer = Begin({});
    ASSERT_TRUE(writer->Execute(kBump, {}).ok());
    for (int i = 0; i < 2; ++i) {
        auto reader = Begin({.read_only = true});
        auto rows = reader->Query(kRead, {});
        ASSERT_TRUE(rows.ok());
        EXPECT_EQ((*rows)[0].Int(0), 1);  // not the open write's
    }
    ASSERT_TRUE(writer->Commit().ok());
    auto reader = Begin({.read_only = true});
    auto rows = reader->Query(kRead, {});
    ASSERT_TRUE(rows.ok());
    EXPECT_EQ((*rows)[0].Int(0), 2);
    EXPECT_EQ(db().Stats().timeouts_total, 0);
}

TEST_F(DatabaseTest, ConcurrentWritersAllCommit) {
    constexpr int kThreads = 4;
    constexpr int kPerThread = 50;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                const int64_t id = int64_t{t} * 1000 + i;
                auto r = InTransaction(db(), {}, [&](Transaction& tx) {
                    return tx.Execute(kInsertItem, {id, Null{}, Null{}, Null{}, Null{}});
                });
                if (!r.ok()) ++failures;
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(CountItems(), kThreads * kPerThread);
}

TEST_F(DatabaseTest, PingAndStats) {
    EXPECT_TRUE(db().Ping().ok());
    EXPECT_EQ(db().Stats().size, 4);
    EXPECT_EQ(db().Stats().in_use, 0);
    EXPECT_EQ(db().engine(), omc::testing::TestEngine());
}

constexpr Query kInsertIdempotencyKey{"test.insert_idempotency_key", R"sql(
    INSERT INTO idempotency_keys (tenant_id, principal, idem_key, request_hash, state,
                                  lease_until_us, created_at_us, expires_at_us)
    VALUES ($1, 'user', $2, 'hash', 'in_flight', 0, 0, 0))sql"};
constexpr Query kCountIdempotencyKeys{"test.count_idempotency_keys",
                                      "SELECT count(*) FROM idempotency_keys"};

TEST_F(DatabaseTest, RowLevelSecurityShowsOnlyTheTransactionsTenant) {
    if (db().engine() == Engine::kSqlite) {
        GTEST_SKIP() << "SQLite has no row-level security; there the tenant filter written in "
                        "every store query is the only wall (tested per domain)";
    }
    omc::testing::FakeClock clock;
    omc::testing::FakeIds ids(clock);
    const TenantId a{ids.NewV7()};
    const TenantId b{ids.NewV7()};
    auto seeded = InTransaction(db(), {.system = true}, [&](Transaction& tx) -> Result<int64_t> {
        OMC_TRY(tx.Execute(kInsertIdempotencyKey, {a, "a1"}));
        OMC_TRY(tx.Execute(kInsertIdempotencyKey, {a, "a2"}));
        return tx.Execute(kInsertIdempotencyKey, {b, "b1"});
    });
    ASSERT_TRUE(seeded.ok()) << seeded.error().detail();
    const auto count_as = [&](TxOptions options) {
        auto tx = Begin(options);
        return (*tx->Query(kCountIdempotencyKeys, {}))[0].Int(0);
    };
    EXPECT_EQ(count_as({.tenant = a}), 2);  // an unfiltered SELECT sees only A's rows
    EXPECT_EQ(count_as({.tenant = b}), 1);
    EXPECT_EQ(count_as({}), 0);
    EXPECT_EQ(count_as({.system = true}), 3);
    auto tx = Begin({.tenant = a});
    auto foreign = tx->Execute(kInsertIdempotencyKey, {b, "sneaky"});
    ASSERT_FALSE(foreign.ok());
    EXPECT_EQ(foreign.error().code(), ErrorCode::kNotFound);
}

constexpr Query kBackendPid{"test.backend_pid", "SELECT pg_backend_pid()"};
constexpr Query kTerminate{"test.terminate", "SELECT pg_terminate_backend($1::int)"};
constexpr Query kSleep{"test.sleep", "SELECT pg_sleep(2)"};

TEST_F(DatabaseTest, PostgresDroppedConnectionIsReplacedAndSlowStatementsTimeOut) {
    if (db().engine() == Engine::kSqlite) {
        GTEST_SKIP() << "SQLite runs in-process: no server can drop its connections, and it has "
                        "no statement_timeout";
    }
    DatabaseOptions options;
    options.pool_size = 1;
    options.statement_timeout = std::chrono::milliseconds(100);
    Open(OpenFreshDatabase(/*migrate=*/false, options));
    int64_t pid = 0;
    {
        auto tx = Begin({.read_only = true});
        pid = (*tx->Query(kBackendPid, {}))[0].Int(0);
    }
    // A second pool stands in for an administrator (or a server restart).
    DatabaseOptions admin_options;
    admin_options.url = tdb_->url();
    admin_options.pool_size = 1;
    auto admin = db::Open(admin_options);
    ASSERT_TRUE(admin.ok()) << admin.error().detail();
    auto killed =
        InTransaction(**admin, {}, [&](Transaction& tx) { return tx.Query(kTerminate, {pid}); });
    ASSERT_TRUE(killed.ok()) << killed.error().detail();
    // The pooled connection is dead; the next Begin notices, reconnects and carries on.
    auto tx = Begin({.read_only = true});
    auto rows = tx->Query(kBackendPid, {});
    ASSERT_TRUE(rows.ok()) << rows.error().detail();
    EXPECT_NE((*rows)[0].Int(0), pid);
    auto slow = tx->Query(kSleep, {});
    ASSERT_FALSE(slow.ok());
    EXPECT_EQ(slow.error().code(), ErrorCode::kUnavailable);
}

TEST(DatabaseOpen, BadUrlNamesTheSetting) {
    auto opened = Open({.url = "mysql://localhost/omc"});
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code(), ErrorCode::kInvalidArgument);
    ASSERT_EQ(opened.error().fields().size(), 1u);
    EXPECT_EQ(opened.error().fields()[0].field, "database.url");
}

TEST(DatabaseOpen, UnreachablePostgresIsUnavailable) {
    auto opened =
        Open({.url = "postgresql://omc_app@127.0.0.1:1/omc?connect_timeout=2", .pool_size = 1});
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code(), ErrorCode::kUnavailable);
}

TEST(DatabaseOpen, InMemorySqliteWorksWithOneConnection) {
    auto opened = Open({.url = "sqlite::memory:", .pool_size = 8});
    ASSERT_TRUE(opened.ok()) << opened.error().detail();
    Database& database = **opened;
    EXPECT_EQ(database.Stats().size, 1);
    ASSERT_TRUE(database.ExecScript("CREATE TABLE t (v INTEGER)").ok());
    EXPECT_TRUE(database.Ping().ok());
}

}  // namespace
}  // namespace omc::db
