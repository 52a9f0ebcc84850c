#include "domains/ledger/ledger.hpp"

#include <sodium.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <type_traits>
#include <unordered_map>

#include <fmt/format.h>

#include "domains/ledger/chart.hpp"
#include "platform/base/assert.hpp"
#include "platform/db/multi_row.hpp"

namespace omc::ledger {
namespace {

using namespace std::string_view_literals;

constexpr db::Query kLockAccountsPg{"ledger.lock_accounts", R"sql(
    SELECT id, code, station_id, product_id, party_id, name, type, currency, flags,
           debits_pending, debits_posted, credits_pending, credits_posted
    FROM ledger_accounts WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE)sql"};
constexpr std::string_view kReadAccountsSqlite =
    "SELECT id, code, station_id, product_id, party_id, name, type, currency, flags, "
    "debits_pending, debits_posted, credits_pending, credits_posted FROM ledger_accounts "
    "WHERE tenant_id = $1 AND id IN ";
constexpr db::Query kUpdateAccount{"ledger.update_account", R"sql(
    UPDATE ledger_accounts SET debits_pending = $3, debits_posted = $4, credits_pending = $5,
                               credits_posted = $6
    WHERE tenant_id = $1 AND id = $2)sql"};

constexpr db::Query kFindTransfersPg{"ledger.find_transfers", R"sql(
    SELECT t.id, t.debit_account_id, t.credit_account_id, t.amount, t.flags, t.pending_id,
           t.timeout_s, t.entry_id, t.kind, t.source_id, t.booked_on, t.memo, p.state,
           p.expires_at_us
    FROM ledger_transfers t
    LEFT JOIN ledger_pending p ON p.tenant_id = t.tenant_id AND p.transfer_id = t.id
    WHERE t.tenant_id = $1 AND t.id = ANY($2::uuid[]))sql"};
constexpr std::string_view kFindTransfersSqlite =
    "SELECT t.id, t.debit_account_id, t.credit_account_id, t.amount, t.flags, t.pending_id, "
    "t.timeout_s, t.entry_id, t.kind, t.source_id, t.booked_on, t.memo, p.state, "
    "p.expires_at_us FROM ledger_transfers t LEFT JOIN ledger_pending p "
    "ON p.tenant_id = t.tenant_id AND p.transfer_id = t.id WHERE t.tenant_id = $1 AND t.id IN ";

constexpr std::string_view kInsertTransferHead =
    "INSERT INTO ledger_transfers (tenant_id, id, debit_account_id, credit_account_id, amount, "
    "currency, flags, pending_id, timeout_s, entry_id, kind, source_id, booked_on, memo, "
    "created_at_us, created_by)";
constexpr size_t kTransferColumns = 16;
constexpr std::string_view kInsertPendingHead =
    "INSERT INTO ledger_pending (tenant_id, transfer_id, state, expires_at_us)";
constexpr db::Query kResolvePending{"ledger.resolve_pending", R"sql(
    UPDATE ledger_pending SET state = $3, resolved_by = $4, resolved_at_us = $5
    WHERE tenant_id = $1 AND transfer_id = $2 AND state = 'pending')sql"};

constexpr db::Query kClosedPeriods{"ledger.closed_periods", R"sql(
    SELECT period FROM ledger_periods WHERE tenant_id = $1 AND status = 'closed')sql"};

constexpr db::Query kFindAccountByKey{"ledger.find_account_by_key", R"sql(
    SELECT id, code, station_id, product_id, party_id, name, type, currency, flags,
           debits_pending, debits_posted, credits_pending, credits_posted
    FROM ledger_accounts WHERE tenant_id = $1 AND dimension_key = $2)sql"};
constexpr db::Query kFindAccountsByKeysPg{"ledger.find_accounts_by_keys", R"sql(
    SELECT id, code, station_id, product_id, party_id, name, type, currency, flags,
           debits_pending, debits_posted, credits_pending, credits_posted, dimension_key
    FROM ledger_accounts WHERE tenant_id = $1 AND dimension_key = ANY($2::text[]))sql"};
constexpr std::string_view kFindAccountsByKeysSqlite =
    "SELECT id, code, station_id, product_id, party_id, name, type, currency, flags, "
    "debits_pending, debits_posted, credits_pending, credits_posted, dimension_key "
    "FROM ledger_accounts WHERE tenant_id = $1 AND dimension_key IN ";
constexpr db::Query kFindChartLine{"ledger.find_chart_line", R"sql(
    SELECT name, type, dimensions, flags, active FROM ledger_chart
    WHERE tenant_id = $1 AND code = $2)sql"};
constexpr db::Query kChartCount{"ledger.chart_count", R"sql(
    SELECT COUNT(*) FROM ledger_chart WHERE tenant_id = $1)sql"};
constexpr std::string_view kInsertChartHead =
    "INSERT INTO ledger_chart (tenant_id, code, name, type, dimensions, flags, report_group, "
    "active, created_at_us)";
constexpr db::Query kInsertAccount{"ledger.insert_account", R"sql(
    INSERT INTO ledger_accounts (tenant_id, id, code, station_id, product_id, party_id,
                                 dimension_key, name, type, currency, flags, debits_pending,
                                 debits_posted, credits_pending, credits_posted, created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, 0, 0, 0, $12)
    ON CONFLICT (tenant_id, dimension_key) DO NOTHING)sql"};

constexpr db::Query kEntryTransfers{"ledger.entry_transfers", R"sql(
    SELECT id, debit_account_id, credit_account_id, amount, flags, kind, booked_on
    FROM ledger_transfers WHERE tenant_id = $1 AND entry_id = $2 ORDER BY id)sql"};
constexpr db::Query kReversalOf{"ledger.reversal_of", R"sql(
    SELECT entry_id FROM ledger_transfers
    WHERE tenant_id = $1 AND source_id = $2 AND kind = 'reversal' LIMIT 1)sql"};

Account AccountFromRowImpl(const db::Row& row) {
    Account a;
    a.id = row.Id(0);
    a.code = row.Text(1);
    a.station_id = row.OptId(2);
    a.product_id = row.OptId(3);
    a.party_id = row.OptId(4);
    a.name = row.Text(5);
    a.type = ParseAccountType(row.Text(6)).value_or(AccountType::kAsset);
    a.currency = row.Text(7);
    a.flags = row.Int(8);
    a.debits_pending = row.Int(9);
    a.debits_posted = row.Int(10);
    a.credits_pending = row.Int(11);
    a.credits_posted = row.Int(12);
    return a;
}

// A PostgreSQL array literal of `values` (UUIDs or dimension keys: nothing to quote).
template <typename T>
std::string PgArray(const std::vector<T>& values) {
    std::string out = "{";
    for (size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += ',';
        if constexpr (std::is_same_v<T, Uuid>) {
            out += values[i].ToString();
        } else {
            out += '"' + values[i] + '"';
        }
    }
    return out + "}";
}

// SQLite: `head` + "($2, ..., $n)" for `values`, in chunks of 8, 32, 128 or 512 placeholders
// (padded with the first value), so each text is prepared once and cached; the rows of every
// chunk together.
template <typename T>
Result<std::vector<db::Row>> SqliteIn(db::Transaction& tx, std::string_view name,
                                      std::string_view head, const TenantId& tenant,
                                      const std::vector<T>& values) {
    // The (name, text) of each (query, size), kept for the process: db::Query holds views.
    struct Text {
        std::string name;
        std::string sql;
    };
    static std::mutex mu;
    static std::map<std::pair<std::string, size_t>, std::unique_ptr<Text>> texts;
    std::vector<db::Row> out;
    for (size_t start = 0; start < values.size();) {
        const size_t left = values.size() - start;
        size_t size = 8;
        while (size < left && size < 512) size *= 4;
        const size_t take = std::min(left, size);
        const Text* text = nullptr;
        {
            std::lock_guard lock(mu);
            auto& slot = texts[{std::string(name), size}];
            if (!slot) {
                std::string sql(head);
                sql += '(';
                for (size_t i = 0; i < size; ++i) sql += fmt::format("{}${}", i ? ", " : "", i + 2);
                sql += ')';
                slot =
                    std::make_unique<Text>(Text{fmt::format("{}.{}", name, size), std::move(sql)});
            }
            text = slot.get();
        }
        db::Params params{tenant};
        for (size_t i = 0; i < size; ++i)
            params.emplace_back(values[start + std::min(i, take - 1)]);
        OMC_ASSIGN_OR_RETURN(db::Rows rows, tx.Query(db::Query{text->name, text->sql}, params));
        for (db::Row& r : rows.rows) out.push_back(std::move(r));
        start += take;
    }
    return out;
}

// The rows of `tenant` whose key is one of `values`: one query with an array on PostgreSQL, the
// cached IN lists of SqliteIn on SQLite.
template <typename T>
Result<std::vector<db::Row>> RowsWhereIn(db::Transaction& tx, const TenantId& tenant,
                                         const std::vector<T>& values, const db::Query& postgres,
                                         std::string_view sqlite_name,
                                         std::string_view sqlite_head) {
    if (tx.engine() == db::Engine::kPostgres) {
        OMC_ASSIGN_OR_RETURN(db::Rows found, tx.Query(postgres, {tenant, PgArray(values)}));
        return std::move(found.rows);
    }
    return SqliteIn(tx, sqlite_name, sqlite_head, tenant, values);
}

struct StoredTransfer {
    Uuid id;
    Uuid debit_account_id;
    Uuid credit_account_id;
    int64_t amount = 0;
    int64_t flags = 0;
    std::optional<Uuid> pending_id;
    int64_t timeout_s = 0;
    Uuid entry_id;
    std::string kind;
    std::optional<Uuid> source_id;
    std::string booked_on;
    std::optional<std::string> memo;
    std::optional<std::string> pending_state;  // for pending transfers
    std::optional<int64_t> expires_at_us;
};

StoredTransfer StoredFromRow(const db::Row& row) {
    StoredTransfer t;
    t.id = row.Id(0);
    t.debit_account_id = row.Id(1);
    t.credit_account_id = row.Id(2);
    t.amount = row.Int(3);
    t.flags = row.Int(4);
    t.pending_id = row.OptId(5);
    t.timeout_s = row.Int(6);
    t.entry_id = row.Id(7);
    t.kind = row.Text(8);
    t.source_id = row.OptId(9);
    t.booked_on = row.Text(10);
    t.memo = row.OptText(11);
    t.pending_state = row.OptText(12);
    t.expires_at_us = row.OptInt(13);
    return t;
}

StoredTransfer StoredFromSpec(const TransferSpec& s) {
    StoredTransfer t;
    t.id = s.id;
    t.debit_account_id = s.debit_account_id;
    t.credit_account_id = s.credit_account_id;
    t.amount = s.amount;
    t.flags = s.flags;
    t.pending_id = s.pending_id;
    t.timeout_s = s.timeout_s;
    t.entry_id = s.entry_id.IsNil() ? s.id : s.entry_id;
    t.kind = s.kind;
    t.source_id = s.source_id;
    t.booked_on = s.booked_on;
    t.memo = s.memo;
    return t;
}

bool SameFields(const StoredTransfer& a, const StoredTransfer& b) {
    return a.debit_account_id == b.debit_account_id && a.credit_account_id == b.credit_account_id &&
           a.amount == b.amount &&
           (a.flags & ~transfer_flags::kLinked) == (b.flags & ~transfer_flags::kLinked) &&
           a.pending_id == b.pending_id && a.timeout_s == b.timeout_s && a.entry_id == b.entry_id &&
           a.kind == b.kind && a.source_id == b.source_id && a.booked_on == b.booked_on &&
           a.memo == b.memo;
}

Result<std::map<Uuid, StoredTransfer>> FindTransfers(db::Transaction& tx, const TenantId& tenant,
                                                     const std::vector<Uuid>& ids) {
    std::map<Uuid, StoredTransfer> out;
    if (ids.empty()) return out;
    OMC_ASSIGN_OR_RETURN(const std::vector<db::Row> rows,
                         RowsWhereIn(tx, tenant, ids, kFindTransfersPg,
                                     "ledger.find_transfers_sqlite", kFindTransfersSqlite));
    for (const db::Row& row : rows) {
        StoredTransfer t = StoredFromRow(row);
        out.emplace(t.id, std::move(t));
    }
    return out;
}

Result<std::map<Uuid, Account>> LockAccounts(db::Transaction& tx, const TenantId& tenant,
                                             std::vector<Uuid> ids) {
    std::map<Uuid, Account> out;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (ids.empty()) return out;
    OMC_ASSIGN_OR_RETURN(
        const std::vector<db::Row> rows,
        RowsWhereIn(tx, tenant, ids, kLockAccountsPg, "ledger.read_accounts", kReadAccountsSqlite));
    for (const db::Row& row : rows) {
        Account a = AccountFromRowImpl(row);
        out.emplace(a.id, std::move(a));
    }
    return out;
}

// "YYYY-MM" of a "YYYY-MM-DD" date.
std::string PeriodOf(std::string_view date) { return std::string(date.substr(0, 7)); }

// The first day of the month after `period` ("YYYY-MM").
std::string NextPeriodStart(std::string_view period) {
    int year = std::stoi(std::string(period.substr(0, 4)));
    int month = std::stoi(std::string(period.substr(5, 2)));
    if (++month > 12) {
        month = 1;
        ++year;
    }
    return fmt::format("{:04d}-{:02d}-01", year, month);
}

Result<std::set<std::string>> ClosedPeriods(db::Transaction& tx, const TenantId& tenant) {
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx.Query(kClosedPeriods, {tenant}));
    std::set<std::string> out;
    for (const db::Row& row : rows) out.insert(row.Text(0));
    return out;
}

bool AddChecked(int64_t& target, int64_t delta) {
    int64_t result = 0;
    if (__builtin_add_overflow(target, delta, &result)) return false;
    target = result;
    return true;
}

// The whole batch, worked out in memory before anything is written.
struct Plan {
    std::vector<TransferOutcome> failures;
    std::vector<size_t> to_insert;  // indexes into the specs
    // pending transfer id -> (new state, resolved by)
    std::vector<std::tuple<Uuid, std::string, Uuid>> resolutions;
    std::map<Uuid, Account> accounts;
    std::set<Uuid> dirty;
    std::vector<StoredTransfer> resolved_specs;  // specs with post/void fields completed
};

Result<Plan> MakePlan(db::Transaction& tx, const TenantId& tenant,
                      std::span<const TransferSpec> specs, TimestampUs now,
                      const std::set<std::string>* closed_periods = nullptr) {
    using namespace transfer_flags;
    Plan plan;
    plan.resolved_specs.reserve(specs.size());
    std::vector<Uuid> transfer_ids;
    std::vector<Uuid> account_ids;
    for (const TransferSpec& s : specs) {
        transfer_ids.push_back(s.id);
        if (s.pending_id) transfer_ids.push_back(*s.pending_id);
        plan.resolved_specs.push_back(StoredFromSpec(s));
    }
    OMC_ASSIGN_OR_RETURN(auto stored, FindTransfers(tx, tenant, transfer_ids));
    for (size_t i = 0; i < specs.size(); ++i) {
        StoredTransfer& r = plan.resolved_specs[i];
        if (r.pending_id) {
            auto p = stored.find(*r.pending_id);
            if (p != stored.end()) {
                // A post or void names the pending transfer's accounts, or none.
                if (r.debit_account_id.IsNil()) r.debit_account_id = p->second.debit_account_id;
                if (r.credit_account_id.IsNil()) r.credit_account_id = p->second.credit_account_id;
                if ((r.flags & kPostPending) != 0 && r.amount == 0) r.amount = p->second.amount;
                if ((r.flags & kVoidPending) != 0 && r.amount == 0) r.amount = p->second.amount;
            }
        }
        account_ids.push_back(r.debit_account_id);
        account_ids.push_back(r.credit_account_id);
    }
    OMC_ASSIGN_OR_RETURN(plan.accounts, LockAccounts(tx, tenant, account_ids));
    std::set<std::string> closed;
    if (closed_periods != nullptr) {
        closed = *closed_periods;
    } else {
        OMC_ASSIGN_OR_RETURN(closed, ClosedPeriods(tx, tenant));
    }

    // Transfers created earlier in this batch, for duplicates and pending ids within it.
    std::map<Uuid, StoredTransfer> created;
    std::map<Uuid, std::string> pending_state_now;  // pending id -> state after this batch
    for (const auto& [id, t] : stored) {
        if (t.pending_state) pending_state_now[id] = *t.pending_state;
    }

    size_t chain_start = 0;
    // The accounts' values before the current chain touched them, to undo a failed chain.
    std::map<Uuid, Account> chain_undo;
    std::map<Uuid, std::string> chain_pending_snapshot = pending_state_now;
    std::vector<TransferOutcome> chain_results;
    size_t inserts_at_chain_start = 0;
    size_t resolutions_at_chain_start = 0;
    std::vector<Uuid> chain_created;

    auto check = [&](size_t i) -> TransferResult {
        const TransferSpec& s = specs[i];
        const StoredTransfer& r = plan.resolved_specs[i];
        const int64_t kinds = (s.flags & (kPending | kPostPending | kVoidPending));
        if (kinds != 0 && (kinds & (kinds - 1)) != 0)
            return TransferResult::kFlagsAreMutuallyExclusive;
        const bool post = (s.flags & kPostPending) != 0;
        const bool void_ = (s.flags & kVoidPending) != 0;
        if ((post || void_) && !s.pending_id) return TransferResult::kPendingIdRequired;
        if (!ParseDateDays(r.booked_on)) return TransferResult::kInvalidDate;
        if (auto it = stored.find(s.id); it != stored.end()) {
            return SameFields(it->second, r) ? TransferResult::kExists
                                             : TransferResult::kExistsWithDifferentFields;
        }
        if (auto it = created.find(s.id); it != created.end()) {
            return SameFields(it->second, r) ? TransferResult::kExists
                                             : TransferResult::kExistsWithDifferentFields;
        }
        if (r.amount <= 0 && !(post || void_)) return TransferResult::kAmountMustNotBeZero;
        if (r.debit_account_id == r.credit_account_id) {
            return TransferResult::kAccountsMustBeDifferent;
        }
        auto debit = plan.accounts.find(r.debit_account_id);
        if (debit == plan.accounts.end()) return TransferResult::kDebitAccountNotFound;
        auto credit = plan.accounts.find(r.credit_account_id);
        if (credit == plan.accounts.end()) return TransferResult::kCreditAccountNotFound;
        if (debit->second.currency != credit->second.currency) {
            return TransferResult::kCurrenciesMustBeEqual;
        }
        if (closed.contains(PeriodOf(r.booked_on))) return TransferResult::kPeriodClosed;
        Account& d = debit->second;
        Account& c = credit->second;
        chain_undo.try_emplace(d.id, d);
        chain_undo.try_emplace(c.id, c);
        if (((d.flags | c.flags) & account_flags::kClosed) != 0 && !void_) {
            return TransferResult::kAccountClosed;
        }
        if (post || void_) {
            const StoredTransfer* pending = nullptr;
            if (auto it = stored.find(*s.pending_id); it != stored.end()) pending = &it->second;
            if (auto it = created.find(*s.pending_id); it != created.end()) pending = &it->second;
            if (pending == nullptr) return TransferResult::kPendingTransferNotFound;
            if ((pending->flags & kPending) == 0) return TransferResult::kPendingTransferNotPending;
            if (pending->debit_account_id != r.debit_account_id ||
                pending->credit_account_id != r.credit_account_id) {
                return TransferResult::kPendingTransferNotFound;
            }
            const std::string& state = pending_state_now[*s.pending_id];
            if (state == "posted") return TransferResult::kPendingTransferAlreadyPosted;
            if (state == "voided") return TransferResult::kPendingTransferAlreadyVoided;
            if (state == "expired") return TransferResult::kPendingTransferExpired;
            auto expires = pending->expires_at_us;
            if (!expires && pending->timeout_s > 0) expires = now + pending->timeout_s * 1'000'000;
            if (post && expires && *expires <= now) return TransferResult::kPendingTransferExpired;
            if (r.amount > pending->amount) return TransferResult::kExceedsPendingTransferAmount;
            if (void_ && r.amount != pending->amount) {
                return TransferResult::kExceedsPendingTransferAmount;
            }
            // Release the pending amounts; a post books its amount.
            if (!AddChecked(d.debits_pending, -pending->amount) ||
                !AddChecked(c.credits_pending, -pending->amount)) {
                return TransferResult::kExceedsPendingTransferAmount;
            }
            if (post) {
                if ((d.flags & account_flags::kDebitsMustNotExceedCredits) != 0 &&
                    d.debits_posted + d.debits_pending + r.amount > d.credits_posted) {
                    return TransferResult::kExceedsCredits;
                }
                if ((c.flags & account_flags::kCreditsMustNotExceedDebits) != 0 &&
                    c.credits_posted + c.credits_pending + r.amount > c.debits_posted) {
                    return TransferResult::kExceedsDebits;
                }
                if (!AddChecked(d.debits_posted, r.amount) ||
                    !AddChecked(c.credits_posted, r.amount)) {
                    return TransferResult::kAmountMustNotBeZero;
                }
            }
            pending_state_now[*s.pending_id] = post ? "posted" : "voided";
            plan.resolutions.emplace_back(*s.pending_id, post ? "posted" : "voided", s.id);
        } else {
            if ((d.flags & account_flags::kDebitsMustNotExceedCredits) != 0 &&
                d.debits_posted + d.debits_pending + r.amount > d.credits_posted) {
                return TransferResult::kExceedsCredits;
            }
            if ((c.flags & account_flags::kCreditsMustNotExceedDebits) != 0 &&
                c.credits_posted + c.credits_pending + r.amount > c.debits_posted) {
                return TransferResult::kExceedsDebits;
            }
            const bool pending = (s.flags & kPending) != 0;
            int64_t& dt = pending ? d.debits_pending : d.debits_posted;
            int64_t& ct = pending ? c.credits_pending : c.credits_posted;
            if (!AddChecked(dt, r.amount) || !AddChecked(ct, r.amount)) {
                return TransferResult::kAmountMustNotBeZero;
            }
            if (pending) pending_state_now[s.id] = "pending";
        }
        plan.dirty.insert(d.id);
        plan.dirty.insert(c.id);
        created.emplace(s.id, r);
        chain_created.push_back(s.id);
        plan.to_insert.push_back(i);
        return TransferResult::kOk;
    };

    for (size_t i = 0; i < specs.size(); ++i) {
        TransferResult result = check(i);
        chain_results.push_back({i, result});
        const bool linked = (specs[i].flags & kLinked) != 0;
        const bool last = i + 1 == specs.size();
        if (linked && last) {
            // An open chain at the end of the batch fails whole.
            chain_results.back().result =
                result == TransferResult::kOk || result == TransferResult::kExists
                    ? TransferResult::kLinkedEventChainOpen
                    : result;
        }
        const bool chain_ends = !linked || last;
        bool chain_failed = false;
        for (const auto& o : chain_results) {
            if (o.result != TransferResult::kOk && o.result != TransferResult::kExists) {
                chain_failed = true;
            }
        }
        if (!linked || last || chain_failed) {
            if (chain_failed) {
                // Undo the chain: balances, pending states, inserts and resolutions.
                for (const auto& [id, acct] : chain_undo) plan.accounts[id] = acct;
                pending_state_now = chain_pending_snapshot;
                plan.to_insert.resize(inserts_at_chain_start);
                plan.resolutions.resize(resolutions_at_chain_start);
                for (const Uuid& id : chain_created) created.erase(id);
                // Every event of a failed chain fails; the ones that did not fail themselves
                // fail as kLinkedEventFailed. A chain that failed before its end skips the rest.
                size_t end = i;
                if (!chain_ends) {
                    while (end + 1 < specs.size() && (specs[end].flags & kLinked) != 0) ++end;
                }
                for (size_t j = chain_start; j <= end; ++j) {
                    TransferResult r = j - chain_start < chain_results.size()
                                           ? chain_results[j - chain_start].result
                                           : TransferResult::kLinkedEventFailed;
                    if (r == TransferResult::kOk || r == TransferResult::kExists) {
                        r = TransferResult::kLinkedEventFailed;
                    }
                    plan.failures.push_back({j, r});
                }
                i = end;
            }
            chain_start = i + 1;
            chain_results.clear();
            chain_created.clear();
            chain_undo.clear();
            chain_pending_snapshot = pending_state_now;
            inserts_at_chain_start = plan.to_insert.size();
            resolutions_at_chain_start = plan.resolutions.size();
        }
    }
    // Dirty marks of undone chains are harmless: the account is rewritten with its own values.
    return plan;
}

Result<void> WritePlan(db::Transaction& tx, const TenantId& tenant, const Plan& plan,
                       std::span<const TransferSpec> specs, std::string_view created_by,
                       TimestampUs now) {
    std::vector<std::pair<db::Query, db::Params>> statements;
    std::vector<db::Params> transfer_rows;
    std::vector<db::Params> pending_rows;
    transfer_rows.reserve(plan.to_insert.size());
    for (size_t i : plan.to_insert) {
        const StoredTransfer& r = plan.resolved_specs[i];
        const Account& debit = plan.accounts.at(r.debit_account_id);
        transfer_rows.push_back({tenant, r.id, r.debit_account_id, r.credit_account_id, r.amount,
                                 debit.currency, specs[i].flags, r.pending_id, r.timeout_s,
                                 r.entry_id, r.kind, r.source_id, r.booked_on, r.memo, int64_t{now},
                                 std::string(created_by)});
        if ((r.flags & transfer_flags::kPending) != 0) {
            pending_rows.push_back({tenant, r.id, "pending",
                                    r.timeout_s > 0 ? db::Param(now + r.timeout_s * 1'000'000)
                                                    : db::Param(db::Null{})});
        }
    }
    db::AppendInsertChunks("ledger.insert_transfers", kInsertTransferHead, "", kTransferColumns,
                           std::move(transfer_rows), statements);
    db::AppendInsertChunks("ledger.insert_pending", kInsertPendingHead, "", 4,
                           std::move(pending_rows), statements);
    for (const auto& [pending_id, state, by] : plan.resolutions) {
        statements.push_back({kResolvePending, {tenant, pending_id, state, by, int64_t{now}}});
    }
    for (const Uuid& id : plan.dirty) {
        const Account& a = plan.accounts.at(id);
        statements.push_back({kUpdateAccount,
                              {tenant, a.id, a.debits_pending, a.debits_posted, a.credits_pending,
                               a.credits_posted}});
    }
    if (statements.empty()) return Ok();
    OMC_ASSIGN_OR_RETURN(auto counts, tx.ExecuteBatch(statements));
    (void)counts;
    return Ok();
}

// A transfer id derived from the tenant, an entry id and a leg number: a version-8 UUID from a
// hash, so re-posting an entry makes the same ids, and two tenants' entries of the same id make
// different ones.
Uuid LegId(const TenantId& tenant, const Uuid& entry, uint32_t leg) {
    std::array<uint8_t, 36> input{};
    std::copy(tenant.value.bytes().begin(), tenant.value.bytes().end(), input.begin());
    std::copy(entry.bytes().begin(), entry.bytes().end(), input.begin() + 16);
    input[32] = static_cast<uint8_t>(leg >> 24);
    input[33] = static_cast<uint8_t>(leg >> 16);
    input[34] = static_cast<uint8_t>(leg >> 8);
    input[35] = static_cast<uint8_t>(leg);
    std::array<uint8_t, 16> out{};
    crypto_generichash(out.data(), out.size(), input.data(), input.size(), nullptr, 0);
    out[6] = static_cast<uint8_t>((out[6] & 0x0F) | 0x80);  // version 8
    out[8] = static_cast<uint8_t>((out[8] & 0x3F) | 0x80);  // RFC 9562 variant
    return Uuid(out);
}

Result<void> EnsureChart(db::Transaction& tx, const TenantId& tenant, TimestampUs now) {
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx.Query(kChartCount, {tenant}));
    if (rows[0].Int(0) > 0) return Ok();
    std::vector<db::Params> lines;
    for (const chart::ChartLine& line : chart::Template()) {
        lines.push_back({tenant, line.code, line.name, AccountTypeName(line.type), line.dimensions,
                         line.flags, line.report_group, true, int64_t{now}});
    }
    std::vector<std::pair<db::Query, db::Params>> statements;
    db::AppendInsertChunks("ledger.insert_chart", kInsertChartHead,
                           " ON CONFLICT (tenant_id, code) DO NOTHING", 9, std::move(lines),
                           statements);
    OMC_ASSIGN_OR_RETURN(auto counts, tx.ExecuteBatch(statements));
    (void)counts;
    return Ok();
}

bool HasDimension(std::string_view dimensions, std::string_view name) {
    size_t start = 0;
    while (start <= dimensions.size()) {
        size_t comma = dimensions.find(',', start);
        std::string_view part = dimensions.substr(
            start, comma == std::string_view::npos ? dimensions.npos : comma - start);
        if (part == name) return true;
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return false;
}

Error TransferRefusal(const Entry& entry, TransferResult result) {
    std::string message =
        fmt::format("entry {} was refused: {}", entry.id.ToString(), TransferResultName(result));
    switch (result) {
        case TransferResult::kExistsWithDifferentFields:
            return Error(ErrorCode::kConflict,
                         "an entry with this id was already posted with different lines")
                .WithField("id", message);
        case TransferResult::kPeriodClosed:
            return Error(ErrorCode::kConflict, "the accounting period is closed")
                .WithField("booked_on", fmt::format("{} falls in a closed period; post a "
                                                    "reversing entry in an open one instead",
                                                    entry.booked_on));
        case TransferResult::kExceedsCredits:
        case TransferResult::kExceedsDebits:
            return Error(ErrorCode::kUnprocessable, "an account limit refuses the entry")
                .WithField("lines", message);
        case TransferResult::kCurrenciesMustBeEqual:
            return Error(ErrorCode::kUnprocessable, "the accounts' currencies differ")
                .WithField("lines", message);
        case TransferResult::kAccountClosed:
            return Error(ErrorCode::kUnprocessable, "an account is closed")
                .WithField("lines", message);
        default:
            return Error(ErrorCode::kUnprocessable, "the entry was refused")
                .WithField("lines", message);
    }
}

}  // namespace

std::string_view AccountTypeName(AccountType type) {
    switch (type) {
        case AccountType::kAsset:
            return "asset";
        case AccountType::kLiability:
            return "liability";
        case AccountType::kEquity:
            return "equity";
        case AccountType::kRevenue:
            return "revenue";
        case AccountType::kExpense:
            return "expense";
    }
    FailInvariant("type", "unknown account type", __FILE__, __LINE__);
}

std::optional<AccountType> ParseAccountType(std::string_view name) {
    for (AccountType t : {AccountType::kAsset, AccountType::kLiability, AccountType::kEquity,
                          AccountType::kRevenue, AccountType::kExpense}) {
        if (AccountTypeName(t) == name) return t;
    }
    return std::nullopt;
}

Account AccountFromRow(const db::Row& row) { return AccountFromRowImpl(row); }

int64_t Account::Balance() const {
    switch (type) {
        case AccountType::kAsset:
        case AccountType::kExpense:
            return debits_posted - credits_posted;
        case AccountType::kLiability:
        case AccountType::kEquity:
        case AccountType::kRevenue:
            return credits_posted - debits_posted;
    }
    return 0;
}

std::string AccountKey::DimensionKey() const {
    auto part = [](const std::optional<Uuid>& id) { return id ? id->ToString() : std::string(); };
    return code + '|' + part(station_id) + '|' + part(product_id) + '|' + part(party_id);
}

std::string_view TransferResultName(TransferResult result) {
    switch (result) {
        case TransferResult::kOk:
            return "ok";
        case TransferResult::kExists:
            return "exists";
        case TransferResult::kExistsWithDifferentFields:
            return "exists_with_different_fields";
        case TransferResult::kLinkedEventFailed:
            return "linked_event_failed";
        case TransferResult::kLinkedEventChainOpen:
            return "linked_event_chain_open";
        case TransferResult::kAmountMustNotBeZero:
            return "amount_must_not_be_zero";
        case TransferResult::kAccountsMustBeDifferent:
            return "accounts_must_be_different";
        case TransferResult::kDebitAccountNotFound:
            return "debit_account_not_found";
        case TransferResult::kCreditAccountNotFound:
            return "credit_account_not_found";
        case TransferResult::kAccountClosed:
            return "account_closed";
        case TransferResult::kCurrenciesMustBeEqual:
            return "currencies_must_be_equal";
        case TransferResult::kPendingTransferNotFound:
            return "pending_transfer_not_found";
        case TransferResult::kPendingTransferNotPending:
            return "pending_transfer_not_pending";
        case TransferResult::kPendingTransferAlreadyPosted:
            return "pending_transfer_already_posted";
        case TransferResult::kPendingTransferAlreadyVoided:
            return "pending_transfer_already_voided";
        case TransferResult::kPendingTransferExpired:
            return "pending_transfer_expired";
        case TransferResult::kExceedsPendingTransferAmount:
            return "exceeds_pending_transfer_amount";
        case TransferResult::kPendingIdRequired:
            return "pending_id_required";
        case TransferResult::kFlagsAreMutuallyExclusive:
            return "flags_are_mutually_exclusive";
        case TransferResult::kExceedsCredits:
            return "exceeds_credits";
        case TransferResult::kExceedsDebits:
            return "exceeds_debits";
        case TransferResult::kPeriodClosed:
            return "period_closed";
        case TransferResult::kInvalidDate:
            return "invalid_date";
    }
    return "unknown";
}

Result<std::map<std::string, Account>> FindAccounts(db::Transaction& tx, const TenantId& tenant,
                                                    std::span<const AccountKey> keys) {
    std::map<std::string, Account> out;
    std::vector<std::string> list;
    for (const AccountKey& k : keys) list.push_back(k.DimensionKey());
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
    if (list.empty()) return out;
    OMC_ASSIGN_OR_RETURN(
        const std::vector<db::Row> rows,
        RowsWhereIn(tx, tenant, list, kFindAccountsByKeysPg, "ledger.find_accounts_by_keys_sqlite",
                    kFindAccountsByKeysSqlite));
    for (const db::Row& row : rows) out.emplace(row.Text(13), AccountFromRowImpl(row));
    return out;
}

Result<Account> ResolveAccount(db::Transaction& tx, const TenantId& tenant, const AccountKey& key,
                               IdGenerator& ids, TimestampUs now) {
    const std::string dimension_key = key.DimensionKey();
    OMC_ASSIGN_OR_RETURN(db::Rows found, tx.Query(kFindAccountByKey, {tenant, dimension_key}));
    if (!found.empty()) return AccountFromRowImpl(found[0]);
    OMC_TRY(EnsureChart(tx, tenant, now));
    OMC_ASSIGN_OR_RETURN(db::Rows line, tx.Query(kFindChartLine, {tenant, key.code}));
    if (line.empty()) return NotFound(fmt::format("chart of accounts code {}", key.code));
    const std::string& dimensions = line[0].Text(2);
    if (!line[0].Bool(4)) {
        return Error(ErrorCode::kUnprocessable, "the account code is inactive")
            .WithField("code", fmt::format("{} is inactive in the chart of accounts", key.code));
    }
    for (auto [name, value] : {std::pair{"station"sv, key.station_id.has_value()},
                               std::pair{"product"sv, key.product_id.has_value()},
                               std::pair{"party"sv, key.party_id.has_value()}}) {
        if (HasDimension(dimensions, name) != value) {
            return InvalidArgument("account", fmt::format("code {} {} a {}", key.code,
                                                          value ? "does not take" : "needs", name));
        }
    }
    OMC_TRY(tx.Execute(
        kInsertAccount,
        {tenant, ids.NewV7(), key.code, key.station_id, key.product_id, key.party_id, dimension_key,
         line[0].Text(0), line[0].Text(1), std::string(kCurrency), line[0].Int(3), int64_t{now}}));
    OMC_ASSIGN_OR_RETURN(db::Rows created, tx.Query(kFindAccountByKey, {tenant, dimension_key}));
    if (created.empty()) return Internal("ledger account vanished after insert");
    return AccountFromRowImpl(created[0]);
}

Result<std::vector<TransferOutcome>> CreateTransfers(db::Transaction& tx, const TenantId& tenant,
                                                     std::span<const TransferSpec> transfers,
                                                     std::string_view created_by, TimestampUs now) {
    if (transfers.empty()) return std::vector<TransferOutcome>{};
    OMC_ASSIGN_OR_RETURN(Plan plan, MakePlan(tx, tenant, transfers, now));
    OMC_TRY(WritePlan(tx, tenant, plan, transfers, created_by, now));
    return std::move(plan.failures);
}

Result<void> PostEntries(db::Transaction& tx, const TenantId& tenant,
                         std::span<const Entry> entries, IdGenerator& ids,
                         std::string_view created_by, TimestampUs now, PostOptions options) {
    if (entries.empty()) return Ok();
    // Check every entry before anything is written: lines one-sided and positive, Σ debits =
    // Σ credits.
    for (const Entry& e : entries) {
        if (e.lines.size() < 2) {
            return InvalidArgument("lines", "an entry needs at least one debit and one credit");
        }
        if (!ParseDateDays(e.booked_on)) {
            return InvalidArgument("booked_on", "must be a date YYYY-MM-DD");
        }
        if (e.kind.empty()) return InvalidArgument("kind", "must not be empty");
        int64_t debits = 0;
        int64_t credits = 0;
        for (size_t i = 0; i < e.lines.size(); ++i) {
            const EntryLine& l = e.lines[i];
            if (l.debit < 0 || l.credit < 0 || (l.debit > 0) == (l.credit > 0)) {
                return InvalidArgument(fmt::format("lines[{}]", i),
                                       "exactly one of debit and credit must be positive");
            }
            if (!AddChecked(debits, l.debit) || !AddChecked(credits, l.credit)) {
                return InvalidArgument(fmt::format("lines[{}]", i), "amount too large");
            }
        }
        if (debits != credits) {
            return InvalidArgument("lines",
                                   fmt::format("the entry does not balance: debits {} ≠ credits {} "
                                               "(pesewas)",
                                               debits, credits));
        }
    }
    // Accounts: the existing ones in one query, the others created from the chart.
    std::unordered_map<std::string, Uuid> accounts;
    {
        std::vector<AccountKey> keys;
        for (const Entry& e : entries) {
            for (const EntryLine& l : e.lines) keys.push_back(l.account);
        }
        OMC_ASSIGN_OR_RETURN(auto found, FindAccounts(tx, tenant, keys));
        for (const auto& [key, account] : found) accounts.emplace(key, account.id);
    }
    for (const Entry& e : entries) {
        for (const EntryLine& l : e.lines) {
            std::string key = l.account.DimensionKey();
            if (accounts.contains(key)) continue;
            OMC_ASSIGN_OR_RETURN(Account a, ResolveAccount(tx, tenant, l.account, ids, now));
            accounts.emplace(std::move(key), a.id);
        }
    }
    OMC_ASSIGN_OR_RETURN(auto closed, ClosedPeriods(tx, tenant));
    // Each entry as linked transfers: debit lines paired with credit lines in order.
    std::vector<TransferSpec> specs;
    std::vector<size_t> entry_of;  // spec index -> entry index
    for (size_t ei = 0; ei < entries.size(); ++ei) {
        const Entry& e = entries[ei];
        std::string booked_on = e.booked_on;
        std::optional<std::string> memo = e.memo;
        while (closed.contains(PeriodOf(booked_on))) {
            if (!options.late_to_open_period) {
                return TransferRefusal(e, TransferResult::kPeriodClosed);
            }
            booked_on = NextPeriodStart(PeriodOf(booked_on));
        }
        if (booked_on != e.booked_on) {
            memo = fmt::format("{}{}dated {} in a closed period", memo.value_or(""),
                               memo ? "; " : "", e.booked_on);
        }
        struct Side {
            Uuid account;
            int64_t left;
        };
        std::vector<Side> debits;
        std::vector<Side> credits;
        for (const EntryLine& l : e.lines) {
            const Uuid& account = accounts.at(l.account.DimensionKey());
            if (l.debit > 0) debits.push_back({account, l.debit});
            if (l.credit > 0) credits.push_back({account, l.credit});
        }
        size_t d = 0;
        size_t c = 0;
        uint32_t leg = 0;
        const size_t first = specs.size();
        while (d < debits.size() && c < credits.size()) {
            int64_t amount = std::min(debits[d].left, credits[c].left);
            if (debits[d].account != credits[c].account) {
                TransferSpec s;
                s.id = LegId(tenant, e.id, leg++);
                s.debit_account_id = debits[d].account;
                s.credit_account_id = credits[c].account;
                s.amount = amount;
                s.flags = transfer_flags::kLinked;
                s.entry_id = e.id;
                s.kind = e.kind;
                s.source_id = e.source_id;
                s.booked_on = booked_on;
                s.memo = memo;
                specs.push_back(std::move(s));
                entry_of.push_back(ei);
            }
            debits[d].left -= amount;
            credits[c].left -= amount;
            if (debits[d].left == 0) ++d;
            if (credits[c].left == 0) ++c;
        }
        if (specs.size() == first) {
            return InvalidArgument("lines",
                                   "the entry moves nothing (every debit and credit "
                                   "names the same account)");
        }
        specs.back().flags &= ~transfer_flags::kLinked;
    }
    OMC_ASSIGN_OR_RETURN(Plan plan, MakePlan(tx, tenant, specs, now, &closed));
    // An entry is all or nothing, and so is the call: the first refusal fails it.
    std::vector<int> legs_per_entry(entries.size(), 0);
    for (size_t i = 0; i < specs.size(); ++i) ++legs_per_entry[entry_of[i]];
    // The first failure that is not only a linked one names the cause.
    for (const TransferOutcome& o : plan.failures) {
        if (o.result != TransferResult::kLinkedEventFailed || &o == &plan.failures.back()) {
            return TransferRefusal(entries[entry_of[o.index]], o.result);
        }
    }
    // A re-posted entry: all its legs exist (nothing planned for it); some legs only is a
    // different entry under the same id.
    std::vector<int> planned(entries.size(), 0);
    for (size_t i : plan.to_insert) ++planned[entry_of[i]];
    for (size_t ei = 0; ei < entries.size(); ++ei) {
        if (planned[ei] != 0 && planned[ei] != legs_per_entry[ei]) {
            return TransferRefusal(entries[ei], TransferResult::kExistsWithDifferentFields);
        }
    }
    return WritePlan(tx, tenant, plan, specs, created_by, now);
}

Result<void> ReverseEntry(db::Transaction& tx, const TenantId& tenant, const Uuid& original_id,
                          const Uuid& reversal_id, std::string_view booked_on,
                          std::string_view reason, IdGenerator& /*ids*/,
                          std::string_view created_by, TimestampUs now) {
    if (!ParseDateDays(booked_on)) return InvalidArgument("booked_on", "must be a date YYYY-MM-DD");
    if (reason.empty()) return InvalidArgument("reason", "must say why the entry is reversed");
    OMC_ASSIGN_OR_RETURN(db::Rows legs, tx.Query(kEntryTransfers, {tenant, original_id}));
    if (legs.empty()) return NotFound("journal entry");
    OMC_ASSIGN_OR_RETURN(db::Rows earlier, tx.Query(kReversalOf, {tenant, original_id}));
    if (!earlier.empty() && earlier[0].Id(0) != reversal_id) {
        return Error(ErrorCode::kConflict, "the entry was already reversed")
            .WithField("id", "reversed by entry " + earlier[0].Text(0));
    }
    std::vector<TransferSpec> specs;
    uint32_t leg = 0;
    for (const db::Row& row : legs) {
        if ((row.Int(4) & (transfer_flags::kPending | transfer_flags::kVoidPending)) != 0) {
            return Error(ErrorCode::kUnprocessable, "a two-phase entry cannot be reversed")
                .WithField("id", "post or void the pending transfer instead");
        }
        if (row.Text(5) == "reversal") {
            return Error(ErrorCode::kUnprocessable, "a reversal cannot be reversed")
                .WithField("id", "post a new entry instead");
        }
        TransferSpec s;
        s.id = LegId(tenant, reversal_id, leg++);
        s.debit_account_id = row.Id(2);
        s.credit_account_id = row.Id(1);
        s.amount = row.Int(3);
        s.flags = transfer_flags::kLinked;
        s.entry_id = reversal_id;
        s.kind = "reversal";
        s.source_id = original_id;
        s.booked_on = std::string(booked_on);
        s.memo = std::string(reason);
        specs.push_back(std::move(s));
    }
    specs.back().flags &= ~transfer_flags::kLinked;
    OMC_ASSIGN_OR_RETURN(Plan plan, MakePlan(tx, tenant, specs, now));
    Entry as_entry;
    as_entry.id = reversal_id;
    as_entry.booked_on = std::string(booked_on);
    for (const TransferOutcome& o : plan.failures) {
        if (o.result == TransferResult::kLinkedEventFailed) continue;
        return TransferRefusal(as_entry, o.result);
    }
    return WritePlan(tx, tenant, plan, specs, created_by, now);
}

Result<int64_t> ExpirePendingTransfers(db::Database& database, const Clock& clock) {
    constexpr db::Query kExpired{"ledger.expired_pending", R"sql(
        SELECT p.tenant_id, p.transfer_id, t.debit_account_id, t.credit_account_id, t.amount
        FROM ledger_pending p
        JOIN ledger_transfers t ON t.tenant_id = p.tenant_id AND t.id = p.transfer_id
        WHERE p.state = 'pending' AND p.expires_at_us <= $1
        ORDER BY p.tenant_id, p.transfer_id LIMIT 500)sql"};
    constexpr db::Query kExpire{"ledger.expire_pending", R"sql(
        UPDATE ledger_pending SET state = 'expired', resolved_at_us = $3
        WHERE tenant_id = $1 AND transfer_id = $2 AND state = 'pending')sql"};
    constexpr db::Query kReleaseDebit{"ledger.release_debit", R"sql(
        UPDATE ledger_accounts SET debits_pending = debits_pending - $3
        WHERE tenant_id = $1 AND id = $2)sql"};
    constexpr db::Query kReleaseCredit{"ledger.release_credit", R"sql(
        UPDATE ledger_accounts SET credits_pending = credits_pending - $3
        WHERE tenant_id = $1 AND id = $2)sql"};
    const TimestampUs now = clock.NowUs();
    db::Rows due;
    {
        OMC_ASSIGN_OR_RETURN(auto tx, database.Begin({.system = true, .read_only = true}));
        OMC_ASSIGN_OR_RETURN(due, tx->Query(kExpired, {int64_t{now}}));
        OMC_TRY(tx->Commit());
    }
    int64_t expired = 0;
    for (const db::Row& row : due) {
        // One transaction per pending transfer: the accounts are updated in id order, as
        // every batch locks them, so this never deadlocks with a batch.
        auto tenant = TenantId::Parse(row.Text(0));
        if (!tenant) continue;
        OMC_ASSIGN_OR_RETURN(auto tx, database.Begin({.tenant = *tenant}));
        OMC_ASSIGN_OR_RETURN(int64_t changed,
                             tx->Execute(kExpire, {*tenant, row.Id(1), int64_t{now}}));
        if (changed == 1) {
            const Uuid debit = row.Id(2);
            const Uuid credit = row.Id(3);
            const int64_t amount = row.Int(4);
            if (debit < credit) {
                OMC_TRY(tx->Execute(kReleaseDebit, {*tenant, debit, amount}));
                OMC_TRY(tx->Execute(kReleaseCredit, {*tenant, credit, amount}));
            } else {
                OMC_TRY(tx->Execute(kReleaseCredit, {*tenant, credit, amount}));
                OMC_TRY(tx->Execute(kReleaseDebit, {*tenant, debit, amount}));
            }
            ++expired;
        }
        OMC_TRY(tx->Commit());
    }
    return expired;
}

Result<std::vector<std::string>> Verify(db::Database& database) {
    constexpr db::Query kAccounts{"ledger.verify_accounts", R"sql(
        SELECT tenant_id, id, code, debits_pending, debits_posted, credits_pending,
               credits_posted
        FROM ledger_accounts ORDER BY tenant_id, id)sql"};
    // Posted: plain transfers and posts of pending ones (flags without kPending, kVoidPending);
    // pending: pending transfers whose state is still pending.
    constexpr db::Query kDebitSums{"ledger.verify_debits", R"sql(
        SELECT t.tenant_id, t.debit_account_id,
               SUM(CASE WHEN (t.flags & 10) = 0 THEN t.amount ELSE 0 END),
               SUM(CASE WHEN p.state = 'pending' THEN t.amount ELSE 0 END)
        FROM ledger_transfers t
        LEFT JOIN ledger_pending p ON p.tenant_id = t.tenant_id AND p.transfer_id = t.id
        GROUP BY t.tenant_id, t.debit_account_id)sql"};
    constexpr db::Query kCreditSums{"ledger.verify_credits", R"sql(
        SELECT t.tenant_id, t.credit_account_id,
               SUM(CASE WHEN (t.flags & 10) = 0 THEN t.amount ELSE 0 END),
               SUM(CASE WHEN p.state = 'pending' THEN t.amount ELSE 0 END)
        FROM ledger_transfers t
        LEFT JOIN ledger_pending p ON p.tenant_id = t.tenant_id AND p.transfer_id = t.id
        GROUP BY t.tenant_id, t.credit_account_id)sql"};
    constexpr db::Query kPendingWithoutState{"ledger.verify_pending_rows", R"sql(
        SELECT t.tenant_id, t.id FROM ledger_transfers t
        LEFT JOIN ledger_pending p ON p.tenant_id = t.tenant_id AND p.transfer_id = t.id
        WHERE (t.flags & 2) <> 0 AND p.transfer_id IS NULL)sql"};
    // Every stored sale is in exactly one sale-batch entry: per station, the batches' receipt
    // ranges hold as many receipts as the station has sales, and their amounts add up.
    constexpr db::Query kSalesPerStation{"ledger.verify_sales", R"sql(
        SELECT tenant_id, station_id, COUNT(*), COALESCE(SUM(amount), 0), MAX(receipt_no)
        FROM sales GROUP BY tenant_id, station_id)sql"};
    constexpr db::Query kBatchesPerStation{"ledger.verify_sale_batches", R"sql(
        SELECT tenant_id, station_id, SUM(sales_count), SUM(amount),
               SUM(last_receipt - first_receipt + 1), MAX(last_receipt)
        FROM ledger_sale_batches GROUP BY tenant_id, station_id)sql"};
    OMC_ASSIGN_OR_RETURN(auto tx, database.Begin({.system = true, .read_only = true}));
    OMC_ASSIGN_OR_RETURN(db::Rows sales, tx->Query(kSalesPerStation, {}));
    OMC_ASSIGN_OR_RETURN(db::Rows batches, tx->Query(kBatchesPerStation, {}));
    OMC_ASSIGN_OR_RETURN(db::Rows accounts, tx->Query(kAccounts, {}));
    OMC_ASSIGN_OR_RETURN(db::Rows debits, tx->Query(kDebitSums, {}));
    OMC_ASSIGN_OR_RETURN(db::Rows credits, tx->Query(kCreditSums, {}));
    OMC_ASSIGN_OR_RETURN(db::Rows orphans, tx->Query(kPendingWithoutState, {}));
    OMC_TRY(tx->Commit());
    struct Sums {
        int64_t posted = 0;
        int64_t pending = 0;
    };
    std::map<std::pair<std::string, std::string>, Sums> debit_sums;
    std::map<std::pair<std::string, std::string>, Sums> credit_sums;
    for (const db::Row& r : debits) debit_sums[{r.Text(0), r.Text(1)}] = {r.Int(2), r.Int(3)};
    for (const db::Row& r : credits) credit_sums[{r.Text(0), r.Text(1)}] = {r.Int(2), r.Int(3)};
    std::vector<std::string> problems;
    struct Totals {
        int64_t debits_posted = 0, credits_posted = 0, debits_pending = 0, credits_pending = 0;
    };
    std::map<std::string, Totals> per_tenant;
    for (const db::Row& a : accounts) {
        const std::pair<std::string, std::string> key{a.Text(0), a.Text(1)};
        const Sums d = debit_sums.contains(key) ? debit_sums.at(key) : Sums{};
        const Sums c = credit_sums.contains(key) ? credit_sums.at(key) : Sums{};
        debit_sums.erase(key);
        credit_sums.erase(key);
        Totals& t = per_tenant[a.Text(0)];
        t.debits_pending += a.Int(3);
        t.debits_posted += a.Int(4);
        t.credits_pending += a.Int(5);
        t.credits_posted += a.Int(6);
        auto differs = [&](std::string_view what, int64_t stored, int64_t summed) {
            if (stored != summed) {
                problems.push_back(
                    fmt::format("tenant {} account {} ({}): {} is {} but its transfers sum to {}",
                                key.first, key.second, a.Text(2), what, stored, summed));
            }
        };
        differs("debits_pending", a.Int(3), d.pending);
        differs("debits_posted", a.Int(4), d.posted);
        differs("credits_pending", a.Int(5), c.pending);
        differs("credits_posted", a.Int(6), c.posted);
    }
    for (const auto& [key, sums] : debit_sums) {
        problems.push_back(
            fmt::format("tenant {}: transfers debit unknown account {}", key.first, key.second));
    }
    for (const auto& [key, sums] : credit_sums) {
        problems.push_back(
            fmt::format("tenant {}: transfers credit unknown account {}", key.first, key.second));
    }
    for (const auto& [tenant, t] : per_tenant) {
        if (t.debits_posted != t.credits_posted) {
            problems.push_back(fmt::format("tenant {}: posted debits {} ≠ posted credits {}",
                                           tenant, t.debits_posted, t.credits_posted));
        }
        if (t.debits_pending != t.credits_pending) {
            problems.push_back(fmt::format("tenant {}: pending debits {} ≠ pending credits {}",
                                           tenant, t.debits_pending, t.credits_pending));
        }
    }
    std::map<std::pair<std::string, std::string>, const db::Row*> batch_rows;
    for (const db::Row& r : batches) batch_rows[{r.Text(0), r.Text(1)}] = &r;
    for (const db::Row& r : sales) {
        const std::pair<std::string, std::string> key{r.Text(0), r.Text(1)};
        auto it = batch_rows.find(key);
        const int64_t count = it == batch_rows.end() ? 0 : it->second->Int(2);
        const int64_t amount = it == batch_rows.end() ? 0 : it->second->Int(3);
        const int64_t receipts = it == batch_rows.end() ? 0 : it->second->Int(4);
        if (count != r.Int(2) || receipts != r.Int(2) || amount != r.Int(3)) {
            problems.push_back(fmt::format(
                "tenant {} station {}: {} sales of {} pesewas, but the ledger's sale batches "
                "cover {} sales ({} receipts) of {} pesewas",
                key.first, key.second, r.Int(2), r.Int(3), count, receipts, amount));
        }
        if (it != batch_rows.end()) batch_rows.erase(it);
    }
    for (const auto& [key, row] : batch_rows) {
        problems.push_back(
            fmt::format("tenant {} station {}: sale batches without sales", key.first, key.second));
    }
    for (const db::Row& r : orphans) {
        problems.push_back(
            fmt::format("tenant {}: pending transfer {} has no state", r.Text(0), r.Text(1)));
    }
    return problems;
}

}  // namespace omc::ledger
