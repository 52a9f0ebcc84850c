// Ledger throughput: transfers/s written in batches by ledger::CreateTransfers (ids checked,
// accounts locked, limits checked, transfers inserted, each touched account updated once per
// batch), against the same rows written raw (multi-row INSERT of the transfers and one delta
// UPDATE per touched account, no checks) through the same database layer.
//
//   omc_bench_ledger --url URL [--mode ledger|raw] [--batch 100] [--accounts 200]
//                    [--threads 1] [--seconds 5]
//
// Each thread is its own tenant (as separate OMCs would be), so threads never wait on each
// other's account locks; within a thread, batches run back to back.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "domains/ledger/chart.hpp"
#include "domains/ledger/ledger.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrator.hpp"
#include "platform/db/multi_row.hpp"

namespace {

namespace db = omc::db;
namespace ledger = omc::ledger;
using omc::TenantId;
using omc::Uuid;

struct Args {
    std::string url;
    std::string mode = "ledger";
    int batch = 100;
    int accounts = 200;
    int threads = 1;
    int seconds = 5;
};

[[noreturn]] void Usage(const char* why) {
    std::fprintf(stderr,
                 "%s\nusage: omc_bench_ledger --url URL [--mode ledger|raw] [--batch N] "
                 "[--accounts N] [--threads N] [--seconds S]\n",
                 why);
    std::exit(2);
}

Args Parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        std::string k = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) Usage(("missing value for " + k).c_str());
            return argv[++i];
        };
        if (k == "--url")
            a.url = next();
        else if (k == "--mode")
            a.mode = next();
        else if (k == "--batch")
            a.batch = std::stoi(next());
        else if (k == "--accounts")
            a.accounts = std::stoi(next());
        else if (k == "--threads")
            a.threads = std::stoi(next());
        else if (k == "--seconds")
            a.seconds = std::stoi(next());
        else
            Usage(("unknown option " + k).c_str());
    }
    if (a.url.empty()) Usage("--url is required");
    if (a.mode != "ledger" && a.mode != "raw") Usage("--mode is ledger or raw");
    return a;
}

constexpr db::Query kInsertTenant{"bench.insert_tenant", R"sql(
    INSERT INTO tenants (id, code, name, kind, active, created_at_us)
    VALUES ($1, $2, $3, 'omc', TRUE, 0))sql"};
constexpr std::string_view kRawInsertHead =
    "INSERT INTO ledger_transfers (tenant_id, id, debit_account_id, credit_account_id, amount, "
    "currency, flags, pending_id, timeout_s, entry_id, kind, source_id, booked_on, memo, "
    "created_at_us, created_by)";
constexpr db::Query kRawDebit{"bench.raw_debit", R"sql(
    UPDATE ledger_accounts SET debits_posted = debits_posted + $3 WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kRawCredit{"bench.raw_credit", R"sql(
    UPDATE ledger_accounts SET credits_posted = credits_posted + $3
    WHERE tenant_id = $1 AND id = $2)sql"};

int Fail(const omc::Error& e) {
    std::fprintf(stderr, "omc_bench_ledger: %s %s\n", e.message().c_str(), e.detail().c_str());
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    const Args args = Parse(argc, argv);
    omc::SystemClock clock;
    omc::RandomIdGenerator ids(clock);
    auto opened = db::Open({.url = args.url, .pool_size = args.threads + 1});
    if (!opened.ok()) return Fail(opened.error());
    db::Database& database = **opened;
    auto migrated = db::ApplyMigrations(database, db::EmbeddedMigrationFiles(), clock);
    if (!migrated.ok()) return Fail(migrated.error());

    // A tenant and its accounts per thread: station cash and fuel revenue accounts.
    struct Worker {
        TenantId tenant;
        std::vector<Uuid> accounts;
    };
    std::vector<Worker> workers(static_cast<size_t>(args.threads));
    for (Worker& w : workers) {
        w.tenant = TenantId{ids.NewV7()};
        auto tx = database.Begin({.system = true});
        if (!tx.ok()) return Fail(tx.error());
        const std::string code = "bench-" + w.tenant.ToString().substr(24);
        if (auto r = (*tx)->Execute(kInsertTenant, {w.tenant, code, code}); !r.ok()) {
            return Fail(r.error());
        }
        if (auto r = (*tx)->Commit(); !r.ok()) return Fail(r.error());
        auto atx = database.Begin({.tenant = w.tenant});
        if (!atx.ok()) return Fail(atx.error());
        for (int i = 0; i < args.accounts; ++i) {
            // One cash account per station: transfers between stations' tills.
            ledger::AccountKey key{std::string(ledger::chart::kCashAtStation), ids.NewV7(), {}, {}};
            auto a = ledger::ResolveAccount(**atx, w.tenant, key, ids, clock.NowUs());
            if (!a.ok()) return Fail(a.error());
            w.accounts.push_back(a->id);
        }
        if (auto r = (*atx)->Commit(); !r.ok()) return Fail(r.error());
    }

    std::atomic<bool> stop{false};
    std::atomic<int64_t> transfers{0};
    std::atomic<int64_t> batches{0};
    std::atomic<int64_t> errors{0};
    std::vector<std::thread> threads;
    const std::string booked_on = omc::FormatDate(clock.NowUs());
    for (Worker& w : workers) {
        threads.emplace_back([&, &w = w] {
            std::mt19937_64 rng(std::hash<std::string>{}(w.tenant.ToString()));
            while (!stop.load(std::memory_order_relaxed)) {
                std::vector<ledger::TransferSpec> specs;
                specs.reserve(static_cast<size_t>(args.batch));
                for (int i = 0; i < args.batch; ++i) {
                    ledger::TransferSpec s;
                    s.id = ids.NewV7();
                    const size_t d = rng() % w.accounts.size();
                    size_t c = rng() % w.accounts.size();
                    if (c == d) c = (c + 1) % w.accounts.size();
                    s.debit_account_id = w.accounts[d];
                    s.credit_account_id = w.accounts[c];
                    s.amount = 1 + static_cast<int64_t>(rng() % 100'000);
                    s.entry_id = s.id;
                    s.kind = "bench";
                    s.booked_on = booked_on;
                    specs.push_back(std::move(s));
                }
                auto tx = database.Begin({.tenant = w.tenant});
                if (!tx.ok()) {
                    ++errors;
                    continue;
                }
                bool ok = true;
                if (args.mode == "ledger") {
                    auto r = ledger::CreateTransfers(**tx, w.tenant, specs, "bench", clock.NowUs());
                    ok = r.ok() && r->empty();
                } else {
                    std::vector<db::Params> rows;
                    std::map<Uuid, std::pair<int64_t, int64_t>> deltas;
                    for (const auto& s : specs) {
                        rows.push_back({w.tenant, s.id, s.debit_account_id, s.credit_account_id,
                                        s.amount, "GHS", int64_t{0}, db::Null{}, int64_t{0},
                                        s.entry_id, s.kind, db::Null{}, s.booked_on, db::Null{},
                                        int64_t{clock.NowUs()}, "bench"});
                        deltas[s.debit_account_id].first += s.amount;
                        deltas[s.credit_account_id].second += s.amount;
                    }
                    std::vector<std::pair<db::Query, db::Params>> statements;
                    db::AppendInsertChunks("bench.raw_transfers", kRawInsertHead, "", 16,
                                           std::move(rows), statements);
                    for (const auto& [id, dc] : deltas) {
                        if (dc.first) statements.push_back({kRawDebit, {w.tenant, id, dc.first}});
                        if (dc.second)
                            statements.push_back({kRawCredit, {w.tenant, id, dc.second}});
                    }
                    ok = (*tx)->ExecuteBatch(statements).ok();
                }
                if (ok && (*tx)->Commit().ok()) {
                    transfers += args.batch;
                    ++batches;
                } else {
                    ++errors;
                }
            }
        });
    }
    const auto start = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(args.seconds));
    stop = true;
    for (auto& t : threads) t.join();
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf(
        "mode=%s engine=%s threads=%d batch=%d accounts=%d: %.0f transfers/s (%lld "
        "batches, %lld errors)\n",
        args.mode.c_str(), std::string(db::EngineName(database.engine())).c_str(), args.threads,
        args.batch, args.accounts, static_cast<double>(transfers.load()) / secs,
        static_cast<long long>(batches.load()), static_cast<long long>(errors.load()));
    // The ledger must still verify after the run (raw mode writes the same invariants).
    auto problems = ledger::Verify(database);
    if (!problems.ok()) return Fail(problems.error());
    if (!problems->empty()) {
        std::fprintf(stderr, "ledger verify: %s\n", problems->front().c_str());
        return 1;
    }
    return 0;
}
