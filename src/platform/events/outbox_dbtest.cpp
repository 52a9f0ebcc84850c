// The outbox on the real schema, on SQLite and PostgreSQL (OMC_TEST_ENGINE): events exist only
// when their transaction commits, the relay's sequencing gives dense cursors in the order events
// became visible, and a tenant reads only its own events.
#include <gtest/gtest.h>

#include <future>
#include <string>
#include <vector>

#include "platform/events/outbox.hpp"
#include "platform/events/relay.hpp"
#include "testing/fake_clock.hpp"
#include "testing/fake_ids.hpp"
#include "testing/test_database.hpp"
#include "testing/unsequenced_event.hpp"

namespace omc::events {
namespace {

constexpr db::Query kAllEventsBySeq{"test.events_by_seq",
                                    "SELECT id, cursor FROM outbox_events ORDER BY seq"};
constexpr db::Query kCountVisible{"test.count_visible", "SELECT COUNT(*) FROM outbox_events"};

NewEvent Dip(int n) {
    return NewEvent{.type = "wetstock.dip_recorded",
                    .aggregate_type = "tank",
                    .aggregate_id = "tank-" + std::to_string(n),
                    .payload = {{"n", n}, {"level_mm", 1000 + n}}};
}

struct SeqRow {
    Uuid id;
    std::optional<int64_t> cursor;
};

class OutboxTest : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_NE(tdb_, nullptr); }

    // Appends one event for `tenant` in its own committed transaction.
    Uuid Append(const TenantId& tenant, int n) {
        auto id =
            db::InTransaction(*tdb_, db::TxOptions{.tenant = tenant}, [&](db::Transaction& tx) {
                return testing::AppendUnsequencedEvent(tx, tenant, ids_, clock_, Dip(n));
            });
        EXPECT_TRUE(id.ok()) << id.error().message() << " " << id.error().detail();
        return id.ok() ? *id : Uuid();
    }

    std::vector<StoredEvent> List(const TenantId& tenant, int64_t after, int limit = 500) {
        auto events = db::InTransaction(
            *tdb_, db::TxOptions{.tenant = tenant},
            [&](db::Transaction& tx) { return ListEvents(tx, tenant, after, limit); });
        EXPECT_TRUE(events.ok()) << events.error().message() << " " << events.error().detail();
        return events.ok() ? *events : std::vector<StoredEvent>{};
    }

    std::vector<SeqRow> AllBySeq() {
        auto rows =
            db::InTransaction(*tdb_, db::TxOptions{.system = true},
                              [&](db::Transaction& tx) { return tx.Query(kAllEventsBySeq, {}); });
        EXPECT_TRUE(rows.ok());
        std::vector<SeqRow> out;
        if (rows.ok()) {
            for (const db::Row& row : *rows) out.push_back({row.Id(0), row.OptInt(1)});
        }
        return out;
    }

    RelayStep Step(Relay& relay) {
        auto step = relay.RunOnce();
        EXPECT_TRUE(step.ok()) << step.error().message() << " " << step.error().detail();
        return step.ok() ? *step : RelayStep{};
    }

    std::unique_ptr<testing::TestDatabase> tdb_ = testing::OpenFreshDatabase();
    testing::FakeClock clock_;
    testing::FakeIds ids_{clock_};
    const TenantId tenant_a_ = *TenantId::Parse("0190a4c2-aaaa-7000-8000-00000000000a");
    const TenantId tenant_b_ = *TenantId::Parse("0190a4c2-bbbb-7000-8000-00000000000b");
};

TEST_F(OutboxTest, RolledBackAppendLeavesNoEvent) {
    {
        auto tx = tdb_->Begin(db::TxOptions{.tenant = tenant_a_});
        ASSERT_TRUE(tx.ok());
        ASSERT_TRUE(AppendEvent(**tx, tenant_a_, ids_, clock_, Dip(1)).ok());
        (*tx)->Rollback();
    }
    Relay relay(*tdb_, clock_, RelayOptions{});
    const RelayStep step = Step(relay);
    EXPECT_EQ(step.sequenced, 0);
    EXPECT_EQ(step.backlog, 0);
    EXPECT_TRUE(AllBySeq().empty());
    EXPECT_TRUE(List(tenant_a_, 0).empty());
}

TEST_F(OutboxTest, CommittedEventsAreSequencedOneToNWithoutGaps) {
    std::vector<Uuid> appended;
    for (int i = 0; i < 6; ++i) appended.push_back(Append(i % 2 == 0 ? tenant_a_ : tenant_b_, i));
    // Not visible to pull consumers until sequenced: they have no position yet.
    EXPECT_TRUE(List(tenant_a_, 0).empty());

    RelayOptions options;
    options.batch_size = 4;
    Relay relay(*tdb_, clock_, options);
    RelayStep step = Step(relay);
    EXPECT_EQ(step.sequenced, 4);
    EXPECT_EQ(step.backlog, 2);
    EXPECT_EQ(relay.backlog(), 2);
    step = Step(relay);
    EXPECT_EQ(step.sequenced, 2);
    EXPECT_EQ(step.backlog, 0);
    EXPECT_EQ(Step(relay).sequenced, 0);  // nothing is sequenced twice

    const std::vector<SeqRow> rows = AllBySeq();
    ASSERT_EQ(rows.size(), appended.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].id, appended[i]);
        EXPECT_EQ(rows[i].cursor, static_cast<int64_t>(i + 1));
    }
    // A later commit continues the sequence.
    const Uuid late = Append(tenant_b_, 99);
    EXPECT_EQ(Step(relay).sequenced, 1);
    EXPECT_EQ(AllBySeq().back().id, late);
    EXPECT_EQ(AllBySeq().back().cursor, 7);
}

// PostgreSQL: AppendEvent leaves the cursor to the relay. SQLite: one write transaction at a
// time, so AppendEvent numbers the event as it inserts it (max + 1), dense in commit order; a
// rolled-back transaction's number is taken again by the next, never seen in between.
TEST_F(OutboxTest, AppendEventNumbersEventsAtOnceOnSqliteAndLeavesThemToTheRelayOnPostgres) {
    auto append = [&](int n, bool commit) -> Uuid {
        auto tx = tdb_->Begin(db::TxOptions{.tenant = tenant_a_});
        EXPECT_TRUE(tx.ok());
        auto id = AppendEvent(**tx, tenant_a_, ids_, clock_, Dip(n));
        EXPECT_TRUE(id.ok());
        if (commit) {
            EXPECT_TRUE((*tx)->Commit().ok());
        } else {
            (*tx)->Rollback();
        }
        return id.ok() ? *id : Uuid();
    };
    const Uuid first = append(1, true);
    append(2, false);
    const Uuid third = append(3, true);
    const bool sqlite = tdb_->engine() == db::Engine::kSqlite;
    std::vector<SeqRow> rows = AllBySeq();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].id, first);
    EXPECT_EQ(rows[1].id, third);
    if (sqlite) {
        EXPECT_EQ(rows[0].cursor, 1);
        EXPECT_EQ(rows[1].cursor, 2);  // the rolled-back event's number, taken again
        EXPECT_EQ(List(tenant_a_, 0).size(), 2u);
    } else {
        EXPECT_FALSE(rows[0].cursor.has_value());
        EXPECT_FALSE(rows[1].cursor.has_value());
        EXPECT_TRUE(List(tenant_a_, 0).empty());
    }
    Relay relay(*tdb_, clock_, RelayOptions{});
    EXPECT_EQ(Step(relay).sequenced, sqlite ? 0 : 2);
    rows = AllBySeq();
    EXPECT_EQ(rows[0].cursor, 1);
    EXPECT_EQ(rows[1].cursor, 2);
    // Rows the relay numbers and rows numbered at insert share one sequence (SQLite: an event
    // written without a cursor, then one through AppendEvent).
    ASSERT_TRUE(
        db::InTransaction(*tdb_, db::TxOptions{.tenant = tenant_a_}, [&](db::Transaction& tx) {
            return testing::AppendUnsequencedEvent(tx, tenant_a_, ids_, clock_, Dip(4));
        }).ok());
    EXPECT_EQ(Step(relay).sequenced, 1);
    append(5, true);
    EXPECT_EQ(Step(relay).sequenced, sqlite ? 0 : 1);
    rows = AllBySeq();
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[2].cursor, 3);
    EXPECT_EQ(rows[3].cursor, 4);
}

TEST_F(OutboxTest, ListEventsReturnsOnlyTheTenantsEventsInCursorOrder) {
    std::vector<Uuid> a_ids;
    std::vector<Uuid> b_ids;
    for (int i = 0; i < 5; ++i) {
        a_ids.push_back(Append(tenant_a_, i));
        b_ids.push_back(Append(tenant_b_, 100 + i));
    }
    Relay relay(*tdb_, clock_, RelayOptions{});
    ASSERT_EQ(Step(relay).sequenced, 10);

    const std::vector<StoredEvent> a = List(tenant_a_, 0);
    ASSERT_EQ(a.size(), 5u);
    for (size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].id, a_ids[i]);
        EXPECT_EQ(a[i].tenant, tenant_a_);
        EXPECT_EQ(a[i].cursor, static_cast<int64_t>(2 * i + 1));  // A's are the odd cursors
        EXPECT_EQ(a[i].type, "wetstock.dip_recorded");
        EXPECT_EQ(a[i].aggregate_id, "tank-" + std::to_string(i));
        EXPECT_EQ(a[i].payload, (nlohmann::json{{"n", i}, {"level_mm", 1000 + i}}));
        EXPECT_EQ(a[i].created_at_us, testing::FakeClock::kDefaultStartUs);
    }
    for (const StoredEvent& e : List(tenant_b_, 0)) EXPECT_EQ(e.tenant, tenant_b_);
    EXPECT_EQ(List(tenant_b_, 0).size(), 5u);

    // Paging: after a cursor, bounded by the limit.
    const std::vector<StoredEvent> page = List(tenant_a_, a[1].cursor, 2);
    ASSERT_EQ(page.size(), 2u);
    EXPECT_EQ(page[0].id, a_ids[2]);
    EXPECT_EQ(page[1].id, a_ids[3]);
    EXPECT_TRUE(List(tenant_a_, a.back().cursor).empty());
}

TEST_F(OutboxTest, RowLevelSecurityHidesOtherTenantsEventsFromAnUnfilteredSelect) {
    Append(tenant_a_, 1);
    Append(tenant_b_, 2);
    Append(tenant_b_, 3);
    auto count =
        db::InTransaction(*tdb_, db::TxOptions{.tenant = tenant_a_},
                          [&](db::Transaction& tx) { return tx.Query(kCountVisible, {}); });
    ASSERT_TRUE(count.ok());
    // SQLite has no second wall: the tenant filter in every query is the only one there.
    const int64_t expected = tdb_->engine() == db::Engine::kPostgres ? 1 : 3;
    EXPECT_EQ((*count)[0].Int(0), expected);
}

TEST_F(OutboxTest, InvalidEventsAreRefusedAndWriteNothing) {
    NewEvent bad_type = Dip(1);
    bad_type.type = "DipRecorded";
    NewEvent not_object = Dip(2);
    not_object.payload = nlohmann::json::array({1, 2});
    NewEvent too_big = Dip(3);
    too_big.payload = {{"blob", std::string(kMaxPayloadBytes, 'x')}};
    const std::vector<std::pair<NewEvent, std::string>> cases = {
        {bad_type, "type"}, {not_object, "payload"}, {too_big, "payload"}};
    for (const auto& [event, field] : cases) {
        auto tx = tdb_->Begin(db::TxOptions{.tenant = tenant_a_});
        ASSERT_TRUE(tx.ok());
        auto appended = AppendEvent(**tx, tenant_a_, ids_, clock_, event);
        ASSERT_FALSE(appended.ok()) << field;
        EXPECT_EQ(appended.error().code(), ErrorCode::kInvalidArgument);
        ASSERT_EQ(appended.error().fields().size(), 1u);
        EXPECT_EQ(appended.error().fields()[0].field, field);
        ASSERT_TRUE((*tx)->Commit().ok());
    }
    EXPECT_TRUE(AllBySeq().empty());
}

TEST_F(OutboxTest, ListEventsRefusesABadLimit) {
    for (int limit : {0, -1, kMaxListLimit + 1}) {
        auto events = db::InTransaction(
            *tdb_, db::TxOptions{.tenant = tenant_a_},
            [&](db::Transaction& tx) { return ListEvents(tx, tenant_a_, 0, limit); });
        ASSERT_FALSE(events.ok());
        EXPECT_EQ(events.error().fields().at(0).field, "limit");
    }
}

// The reason the relay assigns cursors: tx1 inserts first but commits after tx2. A sequencing
// step between the two commits sees only tx2's event and gives it cursor 1; tx1's event gets 2
// once it commits. A consumer that read up to cursor 1 in between still receives tx1's event.
TEST_F(OutboxTest, CursorFollowsCommitOrderNotInsertOrder) {
    Relay relay(*tdb_, clock_, RelayOptions{});
    auto tx1 = tdb_->Begin(db::TxOptions{.tenant = tenant_a_});
    ASSERT_TRUE(tx1.ok());
    auto first = AppendEvent(**tx1, tenant_a_, ids_, clock_, Dip(1));
    ASSERT_TRUE(first.ok());

    if (tdb_->engine() == db::Engine::kSqlite) {
        // SQLite has one writer: tx2 and the sequencer cannot even begin while tx1 is open, so
        // insertion order is commit order, and AppendEvent numbered the event as it inserted
        // it. The sequencer started meanwhile waits for the lock and finds nothing to do.
        auto pending = std::async(std::launch::async, [&] { return relay.RunOnce(); });
        ASSERT_TRUE((*tx1)->Commit().ok());
        tx1->reset();  // hand the connection back, in case the pool has only one
        auto step = pending.get();
        ASSERT_TRUE(step.ok()) << step.error().detail();
        EXPECT_EQ(step->sequenced, 0);
        EXPECT_EQ(List(tenant_a_, 0).at(0).id, *first);
        EXPECT_EQ(List(tenant_a_, 0).at(0).cursor, 1);
        return;
    }
    auto tx2 = tdb_->Begin(db::TxOptions{.tenant = tenant_a_});
    ASSERT_TRUE(tx2.ok());
    auto second = AppendEvent(**tx2, tenant_a_, ids_, clock_, Dip(2));
    ASSERT_TRUE(second.ok());
    ASSERT_TRUE((*tx2)->Commit().ok());

    EXPECT_EQ(Step(relay).sequenced, 1);
    const std::vector<StoredEvent> seen = List(tenant_a_, 0);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].id, *second);
    EXPECT_EQ(seen[0].cursor, 1);
    EXPECT_EQ(Step(relay).backlog, 0);  // tx1's row is invisible, not waiting

    ASSERT_TRUE((*tx1)->Commit().ok());
    EXPECT_EQ(Step(relay).sequenced, 1);
    const std::vector<StoredEvent> later = List(tenant_a_, seen.back().cursor);
    ASSERT_EQ(later.size(), 1u);
    EXPECT_EQ(later[0].id, *first);
    EXPECT_EQ(later[0].cursor, 2);
}

}  // namespace
}  // namespace omc::events
