// The audit log on SQLite and PostgreSQL (OMC_TEST_ENGINE): chains per tenant, the append-only
// triggers, tampering found by the verifier, and concurrent appenders of one tenant.
#include "platform/audit/audit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "platform/auth/token.hpp"
#include "testing/fake_clock.hpp"
#include "testing/fake_ids.hpp"
#include "testing/test_database.hpp"

namespace omc::audit {
namespace {

using nlohmann::json;

const TenantId kTenantA = *TenantId::Parse("0190a4c2-aaaa-7000-8000-00000000000a");
const TenantId kTenantB = *TenantId::Parse("0190a4c2-bbbb-7000-8000-00000000000b");

constexpr db::Query kUpdateSummary{"test.audit_update_summary",
                                   "UPDATE audit_log SET summary = $3 "
                                   "WHERE tenant_id = $1 AND seq = $2"};
constexpr db::Query kDeleteRecord{"test.audit_delete_record",
                                  "DELETE FROM audit_log WHERE tenant_id = $1 AND seq = $2"};
constexpr db::Query kReadSummary{"test.audit_read_summary",
                                 "SELECT summary FROM audit_log WHERE tenant_id = $1 AND seq = $2"};
constexpr db::Query kCountRecords{"test.audit_count_records",
                                  "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $1"};
constexpr db::Query kReadNullables{"test.audit_read_nullables",
                                   "SELECT entity_type IS NULL, request_id IS NULL, role "
                                   "FROM audit_log WHERE tenant_id = $1 AND seq = $2"};

AuditEntry Entry(int n) {
    return AuditEntry{.actor_type = "user",
                      .actor_id = "user-1",
                      .role = "CompanyAdmin",
                      .action = "things.update",
                      .entity_type = "thing",
                      .entity_id = "thing-" + std::to_string(n),
                      .summary = json{{"n", n}, {"note", "ünïcode ✓"}},
                      .request_id = "req-" + std::to_string(n),
                      .client_address = "10.0.0.1"};
}

class AuditLogTest : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_NE(tdb_, nullptr); }

    Result<StoredAudit> Append(const TenantId& tenant, const AuditEntry& entry) {
        return db::InTransaction(*tdb_, {.tenant = tenant}, [&](db::Transaction& tx) {
            return AppendAudit(tx, tenant, ids_, clock_, entry);
        });
    }

    std::vector<StoredAudit> AppendMany(const TenantId& tenant, int count) {
        std::vector<StoredAudit> out;
        for (int i = 1; i <= count; ++i) {
            clock_.AdvanceUs(1000);
            auto r = Append(tenant, Entry(i));
            EXPECT_TRUE(r.ok()) << r.error().message() << " " << r.error().detail();
            if (r.ok()) out.push_back(*r);
        }
        return out;
    }

    ChainCheck Verify(const TenantId& tenant) {
        auto check = VerifyAuditChain(*tdb_, tenant);
        EXPECT_TRUE(check.ok()) << check.error().message() << " " << check.error().detail();
        return check.ok() ? *check : ChainCheck{.ok = false};
    }

    bool IsPostgres() const { return tdb_->engine() == db::Engine::kPostgres; }

    // Runs `edit` on audit_log behind the application's back: as the table's owner, with the
    // append-only triggers out of the way (SQLite: dropped; PostgreSQL: disabled, then enabled
    // again in the same transaction).
    void BehindTheAppsBack(const TenantId& tenant,
                           const std::function<Result<int64_t>(db::Transaction&)>& edit) {
        auto done =
            db::InTransaction(*tdb_, {.tenant = tenant}, [&](db::Transaction& tx) -> Result<void> {
                if (IsPostgres()) {
                    OMC_TRY(tx.ExecScript("ALTER TABLE audit_log DISABLE TRIGGER USER"));
                } else {
                    OMC_TRY(
                        tx.ExecScript("DROP TRIGGER IF EXISTS audit_log_no_update;"
                                      "DROP TRIGGER IF EXISTS audit_log_no_delete;"));
                }
                OMC_ASSIGN_OR_RETURN(const int64_t changed, edit(tx));
                EXPECT_EQ(changed, 1);
                if (IsPostgres())
                    OMC_TRY(tx.ExecScript("ALTER TABLE audit_log ENABLE TRIGGER USER"));
                return Ok();
            });
        ASSERT_TRUE(done.ok()) << done.error().message() << " " << done.error().detail();
    }

    std::unique_ptr<testing::TestDatabase> tdb_ = testing::OpenFreshDatabase();
    testing::FakeClock clock_;
    testing::FakeIds ids_{clock_};
};

TEST_F(AuditLogTest, AppendsFormOneChainPerTenant) {
    const std::vector<StoredAudit> a = AppendMany(kTenantA, 3);
    const std::vector<StoredAudit> b = AppendMany(kTenantB, 2);
    ASSERT_EQ(a.size(), 3u);
    ASSERT_EQ(b.size(), 2u);
    EXPECT_EQ(a[0].prev_hash, kGenesisHash);
    EXPECT_EQ(b[0].prev_hash, kGenesisHash);
    for (size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].seq, static_cast<int64_t>(i + 1));
        EXPECT_EQ(a[i].tenant, kTenantA);
        EXPECT_EQ(a[i].id.version(), 7);
        EXPECT_EQ(a[i].hash, AuditHash(a[i]));
        EXPECT_EQ(a[i].hash.size(), 64u);
        if (i > 0) {
            EXPECT_EQ(a[i].prev_hash, a[i - 1].hash);
        }
    }
    EXPECT_EQ(b[1].seq, 2);
    EXPECT_EQ(b[1].prev_hash, b[0].hash);
    EXPECT_EQ(a[0].summary, json({{"n", 1}, {"note", "ünïcode ✓"}}).dump());

    const ChainCheck ca = Verify(kTenantA);
    EXPECT_TRUE(ca.ok);
    EXPECT_EQ(ca.records_checked, 3);
    EXPECT_FALSE(ca.first_broken.has_value());
    EXPECT_EQ(Verify(kTenantB).records_checked, 2);
    const TenantId empty{ids_.NewV7()};
    const ChainCheck none = Verify(empty);
    EXPECT_TRUE(none.ok);
    EXPECT_EQ(none.records_checked, 0);
}

TEST_F(AuditLogTest, TheHashCoversEveryField) {
    const StoredAudit r = AppendMany(kTenantA, 1).at(0);
    const auto changed = [&](auto mutate) {
        StoredAudit copy = r;
        mutate(copy);
        return AuditHash(copy) != r.hash;
    };
    EXPECT_TRUE(changed([](StoredAudit& c) { c.tenant = kTenantB; }));
    EXPECT_TRUE(changed([](StoredAudit& c) { c.seq = 2; }));
    EXPECT_TRUE(changed([](StoredAudit& c) { c.id = Uuid(); }));
    EXPECT_TRUE(changed([](StoredAudit& c) { c.at_us += 1; }));
    EXPECT_TRUE(changed([](StoredAudit& c) { c.actor_type = "system"; }));
    EXPECT_TRUE(changed([](StoredAudit& c) { c.actor_id = "user-2"; }));
    EXPECT_TRUE(changed([](StoredAudit& c) { c.role = std::nullopt; }));
    EXPECT_TRUE(changed([](StoredAudit& c) { c.action = "things.delete"; }));
    EXPECT_TRUE(changed([](StoredAudit& c) { c.entity_type = ""; }));  // NULL is not ""
    EXPECT_TRUE(changed([](StoredAudit& c) { c.entity_id = "thing-2"; }));
    EXPECT_TRUE(changed([](StoredAudit& c) { c.summary = R"({"n":2})"; }));
    EXPECT_TRUE(changed([](StoredAudit& c) { c.request_id = std::nullopt; }));
    EXPECT_TRUE(changed([](StoredAudit& c) { c.client_address = "10.0.0.2"; }));
    EXPECT_TRUE(changed([](StoredAudit& c) { c.prev_hash = std::string(64, '1'); }));
    // Length prefixes: moving a character from one field to the next changes the hash.
    EXPECT_TRUE(changed([](StoredAudit& c) {
        c.actor_id = "user-1C";
        c.role = "ompanyAdmin";
    }));
    EXPECT_FALSE(changed([](StoredAudit&) {}));
}

TEST_F(AuditLogTest, EmptyOptionalFieldsAreStoredAsNull) {
    AuditEntry entry = Entry(1);
    entry.entity_type.clear();
    entry.entity_id.clear();
    entry.request_id.clear();
    ASSERT_TRUE(Append(kTenantA, entry).ok());
    auto rows = db::InTransaction(*tdb_, {.tenant = kTenantA}, [&](db::Transaction& tx) {
        return tx.Query(kReadNullables, {kTenantA, int64_t{1}});
    });
    ASSERT_TRUE(rows.ok());
    EXPECT_TRUE((*rows)[0].Bool(0));
    EXPECT_TRUE((*rows)[0].Bool(1));
    EXPECT_EQ((*rows)[0].Text(2), "CompanyAdmin");
    EXPECT_TRUE(Verify(kTenantA).ok);
}

TEST_F(AuditLogTest, BadEntriesAreRefusedNamingTheField) {
    const auto refused = [&](AuditEntry entry, const std::string& field) {
        auto r = Append(kTenantA, entry);
        ASSERT_FALSE(r.ok()) << field;
        EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << field;
        ASSERT_EQ(r.error().fields().size(), 1u) << field;
        EXPECT_EQ(r.error().fields()[0].field, field);
    };
    AuditEntry e = Entry(1);
    e.actor_type = "robot";
    refused(e, "actor_type");
    e = Entry(1);
    e.action.clear();
    refused(e, "action");
    e = Entry(1);
    e.action = std::string(kMaxActionLength + 1, 'a');
    refused(e, "action");
    e = Entry(1);
    e.actor_id = std::string(kMaxActorIdLength + 1, 'u');
    refused(e, "actor_id");
    e = Entry(1);
    e.entity_id = std::string(kMaxEntityIdLength + 1, 'e');
    refused(e, "entity_id");
    e = Entry(1);
    e.client_address = std::string(kMaxClientAddressLength + 1, '1');
    refused(e, "client_address");
    e = Entry(1);
    e.summary = json::array({1, 2});
    refused(e, "summary");
    e = Entry(1);
    e.summary = json{{"user", {{"new_Password", "hunter2"}}}};
    refused(e, "summary");
    e = Entry(1);
    e.summary = json{{"items", json::array({json{{"client_secret", "x"}}})}};
    refused(e, "summary");
    e = Entry(1);
    e.summary = json{{"blob", std::string(kMaxSummaryBytes, 'x')}};
    refused(e, "summary");
    // Nothing was written, and the head did not move: the next record is seq 1.
    auto first = Append(kTenantA, Entry(1));
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(first->seq, 1);
    // The longest allowed action is fine.
    e = Entry(2);
    e.action = std::string(kMaxActionLength, 'a');
    EXPECT_TRUE(Append(kTenantA, e).ok());
}

TEST_F(AuditLogTest, UpdateAndDeleteAreRefusedByTheDatabase) {
    AppendMany(kTenantA, 2);
    for (bool remove : {false, true}) {
        auto tx = tdb_->Begin({.tenant = kTenantA});
        ASSERT_TRUE(tx.ok());
        Result<int64_t> changed =
            remove ? (*tx)->Execute(kDeleteRecord, {kTenantA, int64_t{1}})
                   : (*tx)->Execute(kUpdateSummary, {kTenantA, int64_t{1}, R"({"n":99})"});
        ASSERT_FALSE(changed.ok()) << (remove ? "DELETE" : "UPDATE");
        EXPECT_NE(changed.error().detail().find("append-only"), std::string::npos)
            << changed.error().detail();
        (*tx)->Rollback();
    }
    if (IsPostgres()) {
        auto tx = tdb_->Begin({.tenant = kTenantA});
        ASSERT_TRUE(tx.ok());
        auto truncated = (*tx)->ExecScript("TRUNCATE audit_log");
        ASSERT_FALSE(truncated.ok());
        EXPECT_NE(truncated.error().detail().find("append-only"), std::string::npos);
    }
    auto rows = db::InTransaction(*tdb_, {.tenant = kTenantA}, [&](db::Transaction& tx) {
        return tx.Query(kCountRecords, {kTenantA});
    });
    ASSERT_TRUE(rows.ok());
    EXPECT_EQ((*rows)[0].Int(0), 2);
    EXPECT_TRUE(Verify(kTenantA).ok);
}

TEST_F(AuditLogTest, AnEditedRecordIsTheFirstBroken) {
    const std::vector<StoredAudit> records = AppendMany(kTenantA, 5);
    AppendMany(kTenantB, 2);
    ASSERT_EQ(records.size(), 5u);
    BehindTheAppsBack(kTenantA, [&](db::Transaction& tx) {
        return tx.Execute(kUpdateSummary, {kTenantA, int64_t{3}, R"({"n":3,"note":"edited"})"});
    });
    // The edit really happened, and the triggers are back.
    auto summary = db::InTransaction(*tdb_, {.tenant = kTenantA}, [&](db::Transaction& tx) {
        return tx.Query(kReadSummary, {kTenantA, int64_t{3}});
    });
    ASSERT_TRUE(summary.ok());
    EXPECT_EQ((*summary)[0].Text(0), R"({"n":3,"note":"edited"})");

    const ChainCheck check = Verify(kTenantA);
    EXPECT_FALSE(check.ok);
    ASSERT_TRUE(check.first_broken.has_value());
    EXPECT_EQ(check.first_broken->seq, 3);
    EXPECT_EQ(check.first_broken->id, records[2].id);
    EXPECT_EQ(check.first_broken->reason, "hash mismatch");
    EXPECT_EQ(check.records_checked, 3);
    // The other tenant's chain is untouched.
    EXPECT_TRUE(Verify(kTenantB).ok);
    if (IsPostgres()) {
        auto tx = tdb_->Begin({.tenant = kTenantA});
        ASSERT_TRUE(tx.ok());
        EXPECT_FALSE((*tx)->Execute(kDeleteRecord, {kTenantA, int64_t{1}}).ok());
    }
}

TEST_F(AuditLogTest, ARemovedRecordIsASequenceGap) {
    const std::vector<StoredAudit> records = AppendMany(kTenantA, 4);
    BehindTheAppsBack(kTenantA, [&](db::Transaction& tx) {
        return tx.Execute(kDeleteRecord, {kTenantA, int64_t{2}});
    });
    const ChainCheck check = Verify(kTenantA);
    EXPECT_FALSE(check.ok);
    ASSERT_TRUE(check.first_broken.has_value());
    EXPECT_EQ(check.first_broken->seq, 3);
    EXPECT_EQ(check.first_broken->id, records[2].id);
    EXPECT_EQ(check.first_broken->reason, "sequence gap");
}

TEST_F(AuditLogTest, ARemovedTailIsCaughtByTheHead) {
    const std::vector<StoredAudit> records = AppendMany(kTenantA, 3);
    BehindTheAppsBack(kTenantA, [&](db::Transaction& tx) {
        return tx.Execute(kDeleteRecord, {kTenantA, int64_t{3}});
    });
    const ChainCheck check = Verify(kTenantA);
    EXPECT_FALSE(check.ok);
    ASSERT_TRUE(check.first_broken.has_value());
    EXPECT_EQ(check.first_broken->seq, 2);
    EXPECT_EQ(check.first_broken->id, records[1].id);
    EXPECT_EQ(check.first_broken->reason, "head does not match the last record");
    EXPECT_EQ(check.records_checked, 2);
}

TEST_F(AuditLogTest, ARewrittenRecordBreaksTheLinkToTheNext) {
    // Someone who edits a record and recomputes its hash still breaks the next record's link.
    const std::vector<StoredAudit> records = AppendMany(kTenantA, 3);
    StoredAudit forged = records[1];
    forged.summary = R"({"n":2,"note":"forged"})";
    forged.hash = AuditHash(forged);
    constexpr db::Query kForge{"test.audit_forge",
                               "UPDATE audit_log SET summary = $3, hash = $4 "
                               "WHERE tenant_id = $1 AND seq = $2"};
    BehindTheAppsBack(kTenantA, [&](db::Transaction& tx) {
        return tx.Execute(kForge, {kTenantA, int64_t{2}, forged.summary, forged.hash});
    });
    const ChainCheck check = Verify(kTenantA);
    ASSERT_TRUE(check.first_broken.has_value());
    EXPECT_EQ(check.first_broken->seq, 3);
    EXPECT_EQ(check.first_broken->reason, "prev_hash does not match the record before");
}

TEST_F(AuditLogTest, ConcurrentAppendersOfOneTenantMakeOneChain) {
    constexpr int kThreads = 4;
    constexpr int kPerThread = 25;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                auto r = Append(kTenantA, Entry(t * 100 + i));
                if (!r.ok()) {
                    ADD_FAILURE() << r.error().message() << " " << r.error().detail();
                    ++failures;
                }
            }
        });
    }
    for (std::thread& t : threads) t.join();
    ASSERT_EQ(failures.load(), 0);
    const ChainCheck check = Verify(kTenantA);
    EXPECT_TRUE(check.ok);
    EXPECT_EQ(check.records_checked, kThreads * kPerThread);
    auto tx = tdb_->Begin({.tenant = kTenantA, .read_only = true});
    ASSERT_TRUE(tx.ok());
    auto page = ListAudit(**tx, kTenantA, {}, std::nullopt, kMaxListLimit);
    ASSERT_TRUE(page.ok());
    ASSERT_EQ(page->records.size(), static_cast<size_t>(kThreads * kPerThread));
    std::set<std::string> entities;
    for (size_t i = 0; i < page->records.size(); ++i) {
        EXPECT_EQ(page->records[i].seq, static_cast<int64_t>(kThreads * kPerThread - i));
        entities.insert(*page->records[i].entity_id);
    }
    EXPECT_EQ(entities.size(), static_cast<size_t>(kThreads * kPerThread));
}

TEST_F(AuditLogTest, ListFiltersAndPagesNewestFirst) {
    for (int i = 1; i <= 6; ++i) {
        clock_.AdvanceUs(1'000'000);
        AuditEntry e = Entry(i);
        e.actor_id = i % 2 ? "alice" : "bob";
        e.entity_id = i <= 3 ? "thing-x" : "thing-y";
        if (i == 6) e.action = "things.delete";
        ASSERT_TRUE(Append(kTenantA, e).ok());
    }
    ASSERT_TRUE(Append(kTenantB, Entry(1)).ok());
    auto tx = tdb_->Begin({.tenant = kTenantA, .read_only = true});
    ASSERT_TRUE(tx.ok());
    const auto seqs = [&](const AuditFilter& f, std::optional<int64_t> before, int limit,
                          std::optional<int64_t>* next = nullptr) {
        auto page = ListAudit(**tx, kTenantA, f, before, limit);
        EXPECT_TRUE(page.ok());
        std::vector<int64_t> out;
        if (!page.ok()) return out;
        for (const StoredAudit& r : page->records) {
            EXPECT_EQ(r.tenant, kTenantA);
            out.push_back(r.seq);
        }
        if (next != nullptr) *next = page->next_before_seq;
        return out;
    };
    using V = std::vector<int64_t>;
    std::optional<int64_t> next;
    EXPECT_EQ(seqs({}, std::nullopt, 50, &next), (V{6, 5, 4, 3, 2, 1}));
    EXPECT_FALSE(next.has_value());
    EXPECT_EQ(seqs({.actor_id = "alice"}, std::nullopt, 50), (V{5, 3, 1}));
    EXPECT_EQ(seqs({.entity_type = "thing", .entity_id = "thing-y"}, std::nullopt, 50),
              (V{6, 5, 4}));
    EXPECT_EQ(seqs({.action = "things.delete"}, std::nullopt, 50), (V{6}));
    const TimestampUs t0 = testing::FakeClock::kDefaultStartUs;
    EXPECT_EQ(seqs({.from_us = t0 + 2'000'000, .to_us = t0 + 4'000'000}, std::nullopt, 50),
              (V{3, 2}));
    EXPECT_EQ(seqs({.actor_id = "bob", .to_us = t0 + 5'000'000}, std::nullopt, 50), (V{4, 2}));
    EXPECT_EQ(seqs({}, std::nullopt, 4, &next), (V{6, 5, 4, 3}));
    ASSERT_EQ(next, 3);
    EXPECT_EQ(seqs({}, next, 4, &next), (V{2, 1}));
    EXPECT_FALSE(next.has_value());
    EXPECT_EQ(seqs({.actor_id = "alice"}, 5, 1, &next), (V{3}));
    EXPECT_EQ(next, 3);
    EXPECT_EQ(seqs({.actor_id = "nobody"}, std::nullopt, 50), V{});
    EXPECT_FALSE(ListAudit(**tx, kTenantA, {}, std::nullopt, 0).ok());
    EXPECT_FALSE(ListAudit(**tx, kTenantA, {}, std::nullopt, kMaxListLimit + 1).ok());
}

}  // namespace
}  // namespace omc::audit
