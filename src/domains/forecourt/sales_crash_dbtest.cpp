// Nothing lost (issue 4): the real `omc serve` takes sales from several clients and is killed with
// SIGKILL in the middle of the load; restarted on the same database, the sales whose answers were
// lost are sent again with the same client ids. Then every sale answered 2xx is stored exactly
// once, receipts run 1..n per station, each tank's book stock is its delivery less its sales
// (net of voids; refunds are money only) and the daily rollup adds up to the sales. On SQLite and
// on PostgreSQL (OMC_TEST_ENGINE), like every db test.
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "domains/forecourt/forecourt_fixture.hpp"
#include "testing/omc_server.hpp"

namespace omc::forecourt {
namespace {

using http::Method;
using nlohmann::json;
using omc::testing::ApiResponse;
using omc::testing::HttpAnswer;
using omc::testing::HttpCall;

constexpr int kClientThreads = 8;
// Sales answered before the kill: enough for several batches on both engines, few enough to
// keep the test to seconds under ASan.
constexpr int kAnsweredBeforeKill = 300;
constexpr int kStations = 2;

struct Station {
    Uuid id;
    testing::FittedStation f;
    int64_t delivered_milli = 0;  // the tank's book stock after its delivery, before any sale
};

// One sale as a client sent it, and what came back.
struct SentSale {
    std::string id;
    std::string body;
    int status = -1;  // -1: the answer was lost
};

class SalesCrashTest : public testing::ForecourtApiTest {
  protected:
    void SetUp() override {
        ForecourtApiTest::SetUp();
        ASSERT_FALSE(omc::testing::OmcBinary().empty())
            << "OMC_BINARY must name the omc binary (ctest sets it)";
        const std::string admin = TokenFor("alpha-admin");
        std::vector<Uuid> scope;
        for (int i = 0; i < kStations; ++i) {
            Station s;
            s.id = AddRegionAndStation(tenant_a_, "CR" + std::to_string(i)).second;
            s.f = FitOut(admin, s.id, "PMS" + std::to_string(i));
            scope.push_back(s.id);
            stations_.push_back(std::move(s));
        }
        manager_ = AddUser(tenant_a_, "crash-manager", identity::Role::kStationManager, scope);
        const std::string token = TokenFor("crash-manager");
        for (Station& s : stations_) {
            ASSERT_NO_FATAL_FAILURE(Deliver(token, s));
            ApiResponse shift = As(
                token, Method::kPost, "/api/v1/shifts",
                {{"station_id", s.id.ToString()},
                 {"attendants",
                  json::array({{{"pump_id", s.f.pump}, {"attendant_id", manager_.id.ToString()}}})},
                 {"totalizers",
                  json::array({{{"nozzle_id", s.f.nozzle}, {"totalizer", "1000.000"}}})}});
            ASSERT_EQ(shift.status, 201) << shift.raw.body;
        }
        // From here on the server process is the only writer.
        app_.reset();
        char dir[] = "/tmp/omc-sales-crash-XXXXXX";
        ASSERT_NE(mkdtemp(dir), nullptr);
        dir_ = dir;
        std::ofstream(dir_ + "/omc.toml") << "[rate_limits.default]\nper_second = 0\nburst = 0\n"
                                             "[rate_limits.auth]\nper_second = 0\nburst = 0\n"
                                             "[rate_limits.write]\nper_second = 0\nburst = 0\n"
                                             "[rate_limits.read]\nper_second = 0\nburst = 0\n";
        // A fixed signing key, so the clients' token outlives the killed process.
        server_ = std::make_unique<omc::testing::OmcServer>(
            dir_,
            std::vector<std::pair<std::string, std::string>>{
                {"OMC_DATABASE_URL", database_->url()},
                {"OMC_LOG_LEVEL", "warn"},
                {"OMC_WORKER_THREADS", "8"},
                {"OMC_AUTH_JWT_KEYS", "crash:crash-test-secret-crash-test-secret-0042"},
                {"OMC_AUTH_ACTIVE_KID", "crash"}},
            dir_ + "/omc.toml");
    }

    void TearDown() override {
        server_.reset();
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
    }

    // A delivery into the station's tank (dip before, dip after, delivery), through the
    // in-process API; records the tank's book stock it leaves.
    void Deliver(const std::string& token, Station& s) {
        const auto dip = [&](int64_t height_mm, const char* purpose) {
            ApiResponse r = As(token, Method::kPost, "/api/v1/dips",
                               {{"tank_id", s.f.tank},
                                {"height_mm", height_mm},
                                {"water_height_mm", 0},
                                {"temperature", "30.00"},
                                {"purpose", purpose}});
            EXPECT_EQ(r.status, 201) << r.raw.body;
            return r.status == 201 ? r.data()["id"].get<std::string>() : std::string();
        };
        const std::string before = dip(200, "before_delivery");
        clock_.AdvanceUs(120'000'000);
        const std::string after = dip(860, "after_delivery");
        ApiResponse delivery =
            As(token, Method::kPost, "/api/v1/deliveries",
               {{"tank_id", s.f.tank},
                {"waybill_no", "WB-" + s.id.ToString().substr(0, 8)},
                {"depot", "Tema"},
                {"supplier", "BDC One"},
                {"transporter", "Haulage Ltd"},
                {"brv_registration", "GT 1234-20"},
                {"driver_name", "Kojo Mensah"},
                {"compartments", json::array({{{"number", 1}, {"volume", "10000"}}})},
                {"loaded_at", FormatTimestamp(clock_.NowUs() - 3'600'000'000)},
                {"delivered_at", FormatTimestamp(clock_.NowUs())},
                {"loaded_volume", "10000"},
                {"loading_temperature", "30.00"},
                {"density15", "745.0"},
                {"dip_before_id", before},
                {"dip_after_id", after}});
        ASSERT_EQ(delivery.status, 201) << delivery.raw.body;
        s.delivered_milli = TankStock(s);
        ASSERT_GT(s.delivered_milli, 0);
    }

    // One number read as tenant A (0 for no row or NULL); -1 and a failure when the read fails.
    int64_t QueryInt(const db::Query& query, const db::Params& params) {
        const Result<int64_t> n = db::InTransaction(
            *database_, {.tenant = tenant_a_, .read_only = true},
            [&](db::Transaction& tx) -> Result<int64_t> {
                OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(query, params));
                return rows.empty() || rows[0].IsNull(0) ? 0 : rows[0].Int(0);
            });
        EXPECT_TRUE(n.ok()) << query.name << ": " << n.error().detail();
        return n.ok() ? *n : -1;
    }

    int64_t TankStock(const Station& s) {
        return QueryInt({"test.crash_tank_stock",
                         "SELECT book_stock_milli FROM tanks WHERE tenant_id = $1 AND id = $2"},
                        {tenant_a_, *Uuid::Parse(s.f.tank)});
    }

    // A fuel sale of 1..20 L at a station chosen by `n`.
    SentSale NewSale(int n) {
        const Station& s = stations_[static_cast<size_t>(n) % stations_.size()];
        SentSale sale;
        sale.id = ids_.NewV7().ToString();
        sale.body =
            json{{"id", sale.id},
                 {"station_id", s.id.ToString()},
                 {"nozzle_id", s.f.nozzle},
                 {"quantity", std::to_string(1 + n % 20) + "." + std::to_string(100 + n % 900)},
                 {"payment_method", n % 3 == 0 ? "momo" : "cash"}}
                .dump();
        return sale;
    }

    std::string Login() {
        const HttpAnswer r = HttpCall(
            server_->port(), "POST", "/api/v1/auth/login", "",
            json{{"login", "crash-manager"}, {"password", omc::testing::kTestPassword}}.dump());
        EXPECT_EQ(r.status, 200) << r.body;
        const json body = json::parse(r.body, nullptr, false);
        return r.status == 200 ? body["data"]["access_token"].get<std::string>() : "";
    }

    std::vector<Station> stations_;
    identity::User manager_;
    std::string dir_;
    std::unique_ptr<omc::testing::OmcServer> server_;
};

TEST_F(SalesCrashTest, SalesAnsweredBeforeASigkillAreStoredOnceAndNothingIsLost) {
    ASSERT_TRUE(server_->Start()) << server_->Log();
    const std::string token = Login();
    ASSERT_FALSE(token.empty());

    // The load: each client posts sales one after another until its server is gone.
    std::atomic<int> answered{0};
    std::atomic<bool> killed{false};
    std::vector<std::vector<SentSale>> sent(kClientThreads);
    std::mutex ids_mu;
    std::vector<std::thread> clients;
    const int port = server_->port();
    for (int t = 0; t < kClientThreads; ++t) {
        clients.emplace_back([&, t] {
            for (int i = 0; !killed.load(); ++i) {
                SentSale sale;
                {
                    std::lock_guard<std::mutex> lock(ids_mu);
                    sale = NewSale(t * 100'000 + i);
                }
                sale.status = HttpCall(port, "POST", "/api/v1/transactions", token, sale.body,
                                       std::chrono::seconds(60))
                                  .status;
                if (sale.status / 100 == 2) ++answered;
                sent[static_cast<size_t>(t)].push_back(std::move(sale));
            }
        });
    }
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (answered.load() < kAnsweredBeforeKill && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    const int status = server_->Stop(SIGKILL);
    killed = true;
    for (std::thread& c : clients) c.join();
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << server_->Log();

    // Before the kill every sale got 2xx; around it some got no answer. Nothing else.
    std::vector<SentSale*> ok;
    std::vector<SentSale*> lost;
    for (auto& per_client : sent) {
        for (SentSale& s : per_client) {
            ASSERT_TRUE(s.status == -1 || s.status == 201) << s.status << " " << s.body;
            (s.status == 201 ? ok : lost).push_back(&s);
        }
    }
    ASSERT_GE(ok.size(), static_cast<size_t>(kAnsweredBeforeKill));
    ASSERT_FALSE(lost.empty());  // at least each client's sale in flight at the kill

    // Restarted on the same database, the lost sales are sent again: stored once either way.
    ASSERT_TRUE(server_->Start()) << server_->Log();
    int replayed = 0;
    for (SentSale* s : lost) {
        const HttpAnswer r =
            HttpCall(server_->port(), "POST", "/api/v1/transactions", token, s->body);
        ASSERT_TRUE(r.status == 201 || r.status == 200) << r.status << " " << r.body;
        replayed += r.status == 200 ? 1 : 0;
        s->status = r.status;
    }
    // Stored before the kill, answered or not: a retry answers the stored sale, receipt and all.
    for (size_t i = 0; i < 5 && i < ok.size(); ++i) {
        EXPECT_EQ(
            HttpCall(server_->port(), "POST", "/api/v1/transactions", token, ok[i]->body).status,
            200);
    }
    // A void and a partial refund after the restart (the fuel of the void goes back to its tank).
    const HttpAnswer voided =
        HttpCall(server_->port(), "POST", "/api/v1/transactions/" + ok[0]->id + "/void", token,
                 json{{"id", ids_.NewV7().ToString()}, {"reason", "keyed twice"}}.dump());
    ASSERT_EQ(voided.status, 201) << voided.body;
    const HttpAnswer refunded = HttpCall(
        server_->port(), "POST", "/api/v1/transactions/" + ok[1]->id + "/refund", token,
        json{{"id", ids_.NewV7().ToString()}, {"reason", "short fill"}, {"quantity", "0.500"}}
            .dump());
    ASSERT_EQ(refunded.status, 201) << refunded.body;
    const int stopped = server_->Stop(SIGTERM);
    EXPECT_TRUE(WIFEXITED(stopped) && WEXITSTATUS(stopped) == 0) << server_->Log();
    std::cout << "[ sales    ] " << ok.size() << " answered before SIGKILL, " << lost.size()
              << " answers lost, of which " << replayed << " had been stored\n";

    // Every sale sent is stored exactly once (ids are the primary key; the count rules out
    // anything else being stored), plus the two reversals.
    const size_t sales_sent = ok.size() + lost.size();
    EXPECT_EQ(QueryInt({"test.crash_count", "SELECT COUNT(*) FROM sales WHERE tenant_id = $1"},
                       {tenant_a_}),
              static_cast<int64_t>(sales_sent + 2));
    std::set<std::string> stored;
    auto rows = db::InTransaction(*database_, {.tenant = tenant_a_, .read_only = true},
                                  [&](db::Transaction& tx) {
                                      return tx.Query({"test.crash_ids",
                                                       "SELECT id FROM sales WHERE tenant_id = $1 "
                                                       "AND reverses_id IS NULL"},
                                                      {tenant_a_});
                                  });
    ASSERT_TRUE(rows.ok());
    for (const db::Row& row : *rows) stored.insert(row.Id(0).ToString());
    for (const SentSale* s : ok) EXPECT_TRUE(stored.count(s->id)) << s->id;
    for (const SentSale* s : lost) EXPECT_TRUE(stored.count(s->id)) << s->id;

    for (const Station& s : stations_) {
        // Receipts 1..n, no gap, no repeat; the counter at n + 1.
        const db::Params station{tenant_a_, s.id};
        const int64_t n = QueryInt(
            {"test.crash_n", "SELECT COUNT(*) FROM sales WHERE tenant_id = $1 AND station_id = $2"},
            station);
        EXPECT_GT(n, 0);
        EXPECT_EQ(
            QueryInt({"test.crash_distinct",
                      "SELECT COUNT(DISTINCT receipt_no) FROM sales WHERE tenant_id = $1 "
                      "AND station_id = $2 AND receipt_no BETWEEN 1 AND "
                      "(SELECT COUNT(*) FROM sales WHERE tenant_id = $1 AND station_id = $2)"},
                     station),
            n);
        EXPECT_EQ(QueryInt({"test.crash_next",
                            "SELECT next_receipt - 1 FROM station_receipts WHERE tenant_id = $1 "
                            "AND station_id = $2"},
                           station),
                  n);
        // Book stock: the delivery less fuel sold, voids giving it back; refunds are money only.
        const int64_t sold =
            QueryInt({"test.crash_sold",
                      "SELECT SUM(quantity_milli) FROM sales WHERE tenant_id = $1 AND tank_id = $2 "
                      "AND kind IN ('fuel', 'void')"},
                     {tenant_a_, *Uuid::Parse(s.f.tank)});
        EXPECT_GT(sold, 0);
        EXPECT_EQ(TankStock(s), s.delivered_milli - sold);
        // The rollup: sales counted (not reversals), quantity and amount net of reversals.
        for (const char* column : {"quantity_milli", "amount"}) {
            const std::string c = column;
            EXPECT_EQ(QueryInt({"test.crash_daily_" + c,
                                "SELECT SUM(" + c +
                                    ") FROM sales_daily WHERE tenant_id = $1 AND station_id = $2"},
                               station),
                      QueryInt({"test.crash_sales_" + c,
                                "SELECT SUM(" + c +
                                    ") FROM sales WHERE tenant_id = $1 AND station_id = $2"},
                               station))
                << column;
        }
        EXPECT_EQ(QueryInt({"test.crash_daily_count",
                            "SELECT SUM(sales_count) FROM sales_daily WHERE tenant_id = $1 AND "
                            "station_id = $2"},
                           station),
                  QueryInt({"test.crash_sales_count",
                            "SELECT COUNT(*) FROM sales WHERE tenant_id = $1 AND station_id = $2 "
                            "AND kind IN ('fuel', 'shop')"},
                           station));
    }
}

}  // namespace
}  // namespace omc::forecourt
