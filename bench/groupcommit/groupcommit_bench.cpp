// Rows per second written by N threads, one transaction per row against the group committer.
//
//   omc_bench_groupcommit --url sqlite:/tmp/gc.db --threads 16 --seconds 3 --mode group
//   omc_bench_groupcommit --url postgresql://omc_app@127.0.0.1:55432/omc --mode single --hot-row
//
// Each "sale" inserts one row into bench_sales. With --hot-row it also adds its amount to the one
// row of bench_totals: in `single` mode in its own transaction (every transaction updates the
// same row, as a station till would), in `group` mode once per batch from the finish hook.
// `group` runs every row inside its own savepoint (ItemIsolation::kSavepoint); with --optimistic
// back to back (kOptimistic); with --no-savepoints the batch's rows go out in one pipeline.
// bench/groupcommit/run.sh runs the matrix; this prints one line of results per run.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "platform/db/database.hpp"
#include "platform/db/group_commit.hpp"

namespace {

using omc::Result;
using omc::TenantId;
namespace db = omc::db;

constexpr std::string_view kSchema = R"sql(
DROP TABLE IF EXISTS bench_sales;
DROP TABLE IF EXISTS bench_totals;
CREATE TABLE bench_sales (id BIGINT NOT NULL PRIMARY KEY, tenant_id TEXT NOT NULL,
                          amount_pesewas BIGINT NOT NULL);
CREATE TABLE bench_totals (tenant_id TEXT NOT NULL PRIMARY KEY, amount_pesewas BIGINT NOT NULL);
)sql";

constexpr db::Query kInsertSale{"bench.insert_sale", R"sql(
    INSERT INTO bench_sales (id, tenant_id, amount_pesewas) VALUES ($1, $2, $3))sql"};
constexpr db::Query kInsertTotal{
    "bench.insert_total", "INSERT INTO bench_totals (tenant_id, amount_pesewas) VALUES ($1, 0)"};
constexpr db::Query kAddToTotal{"bench.add_to_total", R"sql(
    UPDATE bench_totals SET amount_pesewas = amount_pesewas + $2 WHERE tenant_id = $1)sql"};
constexpr db::Query kCountSales{"bench.count_sales", "SELECT count(*) FROM bench_sales"};

struct Sale {
    int64_t id = 0;
    int64_t amount_pesewas = 0;
};

struct Args {
    std::string url;
    std::string mode = "group";  // single | group
    int threads = 16;
    int seconds = 3;
    int pool_size = 8;
    size_t max_batch = 256;
    int concurrent_batches = 1;
    bool hot_row = false;
    // group mode: the batch's inserts go out as one ExecuteBatch (a libpq pipeline) with no
    // savepoints, so one bad row would fail its batch: the ceiling savepoints are paid against.
    bool no_savepoints = false;
    // group mode: ItemIsolation::kOptimistic instead of a savepoint per row.
    bool optimistic = false;
};

[[noreturn]] void Usage(const char* why) {
    std::fprintf(stderr,
                 "%s\nusage: omc_bench_groupcommit --url URL [--mode single|group] [--threads N] "
                 "[--seconds S] [--pool N] [--max-batch N] [--concurrent N] [--hot-row] "
                 "[--no-savepoints|--optimistic]\n",
                 why);
    std::exit(2);
}

Args Parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const auto next = [&]() -> std::string {
            if (i + 1 >= argc) Usage("missing value");
            return argv[++i];
        };
        if (arg == "--url") {
            a.url = next();
        } else if (arg == "--mode") {
            a.mode = next();
        } else if (arg == "--threads") {
            a.threads = std::stoi(next());
        } else if (arg == "--seconds") {
            a.seconds = std::stoi(next());
        } else if (arg == "--pool") {
            a.pool_size = std::stoi(next());
        } else if (arg == "--max-batch") {
            a.max_batch = static_cast<size_t>(std::stoul(next()));
        } else if (arg == "--concurrent") {
            a.concurrent_batches = std::stoi(next());
        } else if (arg == "--hot-row") {
            a.hot_row = true;
        } else if (arg == "--no-savepoints") {
            a.no_savepoints = true;
        } else if (arg == "--optimistic") {
            a.optimistic = true;
        } else {
            Usage("unknown argument");
        }
    }
    if (a.url.empty()) Usage("--url is required");
    if (a.mode != "single" && a.mode != "group") Usage("--mode is single or group");
    if (a.threads < 1 || a.threads > 1024 || a.seconds < 1 || a.seconds > 600) {
        Usage("--threads 1..1024, --seconds 1..600");
    }
    return a;
}

void Check(const Result<void>& r, std::string_view what) {
    if (r.ok()) return;
    std::fprintf(
        stderr, "%.*s: %s\n", static_cast<int>(what.size()), what.data(),
        r.error().detail().empty() ? r.error().message().c_str() : r.error().detail().c_str());
    std::exit(1);
}

Result<int64_t> InsertSale(db::Transaction& tx, TenantId tenant, const Sale& sale) {
    OMC_TRY(tx.Execute(kInsertSale, {sale.id, tenant, sale.amount_pesewas}));
    return sale.id;
}

}  // namespace

int main(int argc, char** argv) {
    const Args args = Parse(argc, argv);
    auto opened = db::Open({.url = args.url, .pool_size = args.pool_size});
    if (!opened.ok()) Check(std::move(opened).error(), "open");
    db::Database& database = **opened;
    // The tenant only labels rows and sets app.tenant_id; these tables have no RLS.
    const TenantId tenant{*omc::Uuid::Parse("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")};
    Check(database.ExecScript(kSchema), "schema");
    Check(db::InTransaction(database, {},
                            [&](db::Transaction& tx) -> Result<void> {
                                OMC_TRY(tx.Execute(kInsertTotal, {tenant}));
                                return omc::Ok();
                            }),
          "seed");

    using Committer = db::GroupCommitter<Sale, int64_t>;
    const db::GroupCommitOptions options{.max_batch = args.max_batch,
                                         .max_queue = 65536,
                                         .max_concurrent_batches = args.concurrent_batches,
                                         .item_isolation = args.optimistic
                                                               ? db::ItemIsolation::kOptimistic
                                                               : db::ItemIsolation::kSavepoint};
    const Committer::FinishFn finish =
        [&](db::Transaction& tx, TenantId t, std::span<const Sale> sales,
            std::span<const Result<int64_t>> results) -> Result<void> {
        if (!args.hot_row) return omc::Ok();
        int64_t sum = 0;
        for (size_t i = 0; i < sales.size(); ++i) {
            if (results[i].ok()) sum += sales[i].amount_pesewas;
        }
        OMC_TRY(tx.Execute(kAddToTotal, {t, sum}));
        return omc::Ok();
    };
    // The item form (kSavepoint or kOptimistic), or --no-savepoints: every insert of the batch
    // in one pipeline.
    const auto pipelined = [&](db::Transaction& tx, TenantId t,
                               std::span<const Sale> sales) -> Result<Committer::ItemResults> {
        std::vector<std::pair<db::Query, db::Params>> inserts;
        for (const Sale& s : sales) inserts.push_back({kInsertSale, {s.id, t, s.amount_pesewas}});
        OMC_TRY(tx.ExecuteBatch(inserts));
        Committer::ItemResults results;
        for (const Sale& s : sales) results.emplace_back(s.id);
        return results;
    };
    auto committer =
        args.no_savepoints
            ? std::make_unique<Committer>(database, options, Committer::BatchFn(pipelined), finish)
            : std::make_unique<Committer>(database, options, Committer::ItemFn(InsertSale), finish);

    std::atomic<int64_t> next_id{1};
    std::atomic<int64_t> committed{0};
    std::atomic<int64_t> failed{0};
    std::atomic<bool> stop{false};
    const bool group = args.mode == "group";
    const auto work = [&] {
        while (!stop.load(std::memory_order_relaxed)) {
            const Sale sale{next_id.fetch_add(1), 1250};
            Result<int64_t> r =
                group ? committer->Submit(tenant, sale)
                      : db::InTransaction(
                            database, {.tenant = tenant},
                            [&](db::Transaction& tx) -> Result<int64_t> {
                                OMC_ASSIGN_OR_RETURN(int64_t id, InsertSale(tx, tenant, sale));
                                if (args.hot_row) {
                                    OMC_TRY(tx.Execute(kAddToTotal, {tenant, sale.amount_pesewas}));
                                }
                                return id;
                            });
            (r.ok() ? committed : failed).fetch_add(1, std::memory_order_relaxed);
        }
    };
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int i = 0; i < args.threads; ++i) threads.emplace_back(work);
    std::this_thread::sleep_for(std::chrono::seconds(args.seconds));
    stop = true;
    for (auto& t : threads) t.join();
    const double elapsed_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    committer->Stop();

    auto counted = db::InTransaction(database, {.read_only = true}, [&](db::Transaction& tx) {
        return tx.Query(kCountSales, {});
    });
    if (!counted.ok()) Check(std::move(counted).error(), "count");
    const int64_t rows = (*counted)[0].Int(0);
    if (rows != committed.load()) {
        std::fprintf(stderr, "rows in the table (%lld) differ from committed answers (%lld)\n",
                     static_cast<long long>(rows), static_cast<long long>(committed.load()));
        return 1;
    }
    const db::GroupCommitStats stats = committer->Stats();
    const double mean_batch = stats.batches_committed > 0
                                  ? static_cast<double>(stats.items_committed) /
                                        static_cast<double>(stats.batches_committed)
                                  : 0.0;
    fmt::print(
        "engine={} mode={}{} hot_row={} threads={} rows={} failed={} seconds={:.2f} "
        "rows_per_s={:.0f} batches={} mean_batch={:.1f}\n",
        db::EngineName(database.engine()), args.mode,
        !group               ? ""
        : args.no_savepoints ? "(no savepoints)"
        : args.optimistic    ? "(optimistic)"
                             : "(savepoints)",
        args.hot_row ? 1 : 0, args.threads, rows, failed.load(), elapsed_s,
        static_cast<double>(rows) / elapsed_s, stats.batches_committed, mean_batch);
    return failed.load() == 0 ? 0 : 1;
}
