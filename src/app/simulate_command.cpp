#include "app/simulate_command.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "domains/forecourt/strapping.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"

namespace omc::app {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr long kTimeoutMs = 30'000;
constexpr int kMaxAttempts = 6;
constexpr int kMaxRetryAfterS = 5;
constexpr size_t kLatencyWindow = 20'000;  // the percentiles are over the last this many sales
constexpr std::string_view kDefaultLogin = "demo-manager";

std::atomic<bool> g_stop{false};
extern "C" void OnStopSignal(int /*signal*/) { g_stop = true; }

// ---- one HTTP connection (a libcurl easy handle, kept alive between requests) ----

struct HttpResponse {
    long status = 0;  // 0: no answer (error says why)
    std::string body;
    int retry_after_s = 0;
    std::string error;
};

class HttpClient {
  public:
    explicit HttpClient(std::string base) : base_(std::move(base)), curl_(curl_easy_init()) {}
    ~HttpClient() { curl_easy_cleanup(curl_); }
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    HttpResponse Send(std::string_view method, const std::string& path, const std::string& body,
                      const std::string& token) {
        HttpResponse out;
        if (curl_ == nullptr) {
            out.error = "libcurl could not start";
            return out;
        }
        curl_easy_reset(curl_);
        const std::string url = base_ + path;
        curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, std::string(method).c_str());
        curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, kTimeoutMs);
        curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
        curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
        const std::string auth = "Authorization: Bearer " + token;
        if (!token.empty()) headers = curl_slist_append(headers, auth.c_str());
        curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
        if (method != "GET") {
            curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.c_str());
            curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
        }
        curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &HttpClient::OnBody);
        curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &out.body);
        curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &HttpClient::OnHeader);
        curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &out.retry_after_s);
        const CURLcode code = curl_easy_perform(curl_);
        curl_slist_free_all(headers);
        if (code != CURLE_OK) {
            out.error = curl_easy_strerror(code);
            return out;
        }
        curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &out.status);
        return out;
    }

  private:
    static size_t OnBody(char* data, size_t size, size_t count, void* user) {
        static_cast<std::string*>(user)->append(data, size * count);
        return size * count;
    }
    static size_t OnHeader(char* data, size_t size, size_t count, void* user) {
        const std::string_view line(data, size * count);
        constexpr std::string_view kName = "retry-after:";
        if (line.size() > kName.size()) {
            std::string head(line.substr(0, kName.size()));
            std::transform(head.begin(), head.end(), head.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (head == kName) {
                *static_cast<int*>(user) =
                    std::atoi(std::string(line.substr(kName.size())).c_str());
            }
        }
        return size * count;
    }

    std::string base_;
    CURL* curl_;
};

// ---- the signed-in session, shared by the workers ----

class Session {
  public:
    Session(std::string url, std::string login, std::string password)
        : http_(std::move(url)), login_(std::move(login)), password_(std::move(password)) {}

    // Signs in; the error message when refused.
    std::optional<std::string> SignIn() {
        std::lock_guard lock(mu_);
        return SignInLocked();
    }
    std::string Token() {
        std::lock_guard lock(mu_);
        return access_;
    }
    std::string UserId() {
        std::lock_guard lock(mu_);
        return user_id_;
    }
    // The token `stale` was refused (expired): refresh it, or sign in again, unless another
    // worker already did.
    void Renew(const std::string& stale) {
        std::lock_guard lock(mu_);
        if (stale != access_) return;
        const HttpResponse r = http_.Send("POST", "/api/v1/auth/refresh",
                                          json{{"refresh_token", refresh_}}.dump(), "");
        if (r.status == 200 && Take(r)) return;
        (void)SignInLocked();
    }

  private:
    std::optional<std::string> SignInLocked() {
        const HttpResponse r =
            http_.Send("POST", "/api/v1/auth/login",
                       json{{"login", login_}, {"password", password_}}.dump(), "");
        if (r.status == 200 && Take(r)) return std::nullopt;
        return r.status == 0 ? r.error : fmt::format("HTTP {}: {}", r.status, r.body);
    }
    bool Take(const HttpResponse& r) {
        const json body = json::parse(r.body, nullptr, false);
        if (body.is_discarded() || !body.contains("data")) return false;
        const json& data = body["data"];
        access_ = data.value("access_token", "");
        refresh_ = data.value("refresh_token", "");
        if (data.contains("user")) user_id_ = data["user"].value("id", "");
        return !access_.empty();
    }

    std::mutex mu_;
    HttpClient http_;  // GUARDED_BY(mu_)
    std::string login_, password_;
    std::string access_, refresh_, user_id_;  // GUARDED_BY(mu_)
};

// A request with the session's token: waits out a 429 (Retry-After, at most 5 s a time) and
// renews an expired token, then returns the last answer.
HttpResponse Call(HttpClient& http, Session& session, std::string_view method,
                  const std::string& path, const std::string& body = "") {
    HttpResponse r;
    for (int attempt = 0; attempt < kMaxAttempts && !g_stop; ++attempt) {
        const std::string token = session.Token();
        r = http.Send(method, path, body, token);
        if (r.status == 429) {
            std::this_thread::sleep_for(
                std::chrono::seconds(std::clamp(r.retry_after_s, 1, kMaxRetryAfterS)));
            continue;
        }
        if (r.status == 401 && attempt < 2) {
            session.Renew(token);
            continue;
        }
        break;
    }
    return r;
}

json Data(const HttpResponse& r) {
    const json body = json::parse(r.body, nullptr, false);
    if (body.is_discarded() || !body.contains("data")) return json();
    return body["data"];
}

// ---- what the signed-in user can sell from ----

struct NozzleInfo {
    std::string id;
    std::string pump_id;
    std::string product_id;
    std::string totalizer;
};
struct TankInfo {
    std::string id;
    forecourt::StrappingChart chart;
};
struct StationInfo {
    std::string id;
    std::vector<NozzleInfo> nozzles;
    std::vector<TankInfo> tanks;  // those with a chart: they can be dipped
};

struct Network {
    std::vector<StationInfo> stations;
    std::map<std::string, std::string> product_code;  // id -> code
    std::mutex price_mu;
    std::map<std::string, std::string> price;  // station|product -> unit price text
};

std::optional<forecourt::StrappingChart> ChartFrom(const json& chart) {
    std::vector<forecourt::StrappingPoint> points;
    for (const json& p : chart.value("points", json::array())) {
        const std::string volume = p.value("volume", "0");
        const auto dot = volume.find('.');
        const int64_t litres = std::atoll(volume.substr(0, dot).c_str());
        const int64_t milli =
            dot == std::string::npos
                ? 0
                : std::atoll((volume.substr(dot + 1) + "000").substr(0, 3).c_str());
        points.push_back(
            {forecourt::LevelMm(p.value("height_mm", int64_t{0})), Volume(litres * 1'000 + milli)});
    }
    auto made = forecourt::StrappingChart::Create(std::move(points));
    if (!made.ok()) return std::nullopt;
    return std::move(made).value();
}

// Opens a shift at the station when none is open, with the caller on every pump and the
// nozzles' last readings (what an opening handover would read).
std::optional<std::string> EnsureOpenShift(HttpClient& http, Session& session,
                                           const StationInfo& s) {
    const HttpResponse open =
        Call(http, session, "GET", "/api/v1/shifts?status=open&station_id=" + s.id);
    if (open.status != 200) return fmt::format("listing shifts: HTTP {}", open.status);
    if (!Data(open).empty()) return std::nullopt;
    json attendants = json::array(), totalizers = json::array();
    std::set<std::string> pumps;
    for (const NozzleInfo& n : s.nozzles) {
        if (pumps.insert(n.pump_id).second) {
            attendants.push_back({{"pump_id", n.pump_id}, {"attendant_id", session.UserId()}});
        }
        totalizers.push_back({{"nozzle_id", n.id}, {"totalizer", n.totalizer}});
    }
    const HttpResponse r = Call(http, session, "POST", "/api/v1/shifts",
                                json{{"station_id", s.id},
                                     {"attendants", attendants},
                                     {"totalizers", totalizers},
                                     {"note", "opened by omc simulate"}}
                                    .dump());
    if (r.status == 201 || r.status == 409) return std::nullopt;  // 409: someone else opened it
    return fmt::format("opening a shift: HTTP {} {}", r.status, r.body);
}

std::optional<std::string> LoadStation(HttpClient& http, Session& session, StationInfo& s) {
    const HttpResponse nozzles =
        Call(http, session, "GET", "/api/v1/nozzles?limit=500&station_id=" + s.id);
    for (const json& n : Data(nozzles)) {
        if (!n.value("active", false)) continue;
        s.nozzles.push_back({n.value("id", ""), n.value("pump_id", ""), n.value("product_id", ""),
                             n.value("totalizer", "0")});
    }
    if (s.nozzles.empty()) return std::nullopt;
    const HttpResponse tanks =
        Call(http, session, "GET", "/api/v1/tanks?limit=500&station_id=" + s.id);
    for (const json& t : Data(tanks)) {
        const std::string id = t.value("id", "");
        const json charts = Data(Call(http, session, "GET", "/api/v1/tanks/" + id + "/charts"));
        if (!charts.is_array() || charts.empty()) continue;
        if (auto chart = ChartFrom(charts[0])) s.tanks.push_back({id, std::move(*chart)});
    }
    return EnsureOpenShift(http, session, s);
}

std::optional<std::string> LoadNetwork(HttpClient& http, Session& session, Network& network) {
    const HttpResponse products = Call(http, session, "GET", "/api/v1/products?limit=500");
    for (const json& p : Data(products)) {
        network.product_code[p.value("id", "")] = p.value("code", "");
    }
    const HttpResponse stations = Call(http, session, "GET", "/api/v1/stations?limit=500");
    if (stations.status != 200) {
        return fmt::format("listing stations: HTTP {} {}", stations.status, stations.body);
    }
    for (const json& st : Data(stations)) {
        if (!st.value("active", true)) continue;
        StationInfo s{.id = st.value("id", ""), .nozzles = {}, .tanks = {}};
        if (auto failed = LoadStation(http, session, s)) return failed;
        if (!s.nozzles.empty()) network.stations.push_back(std::move(s));
    }
    if (network.stations.empty()) return "the user sees no station with an active nozzle";
    return std::nullopt;
}

std::string PriceOf(HttpClient& http, Session& session, Network& network,
                    const std::string& station, const std::string& product, bool refresh) {
    const std::string key = station + "|" + product;
    {
        std::lock_guard lock(network.price_mu);
        auto it = network.price.find(key);
        if (it != network.price.end() && !refresh) return it->second;
    }
    const json data =
        Data(Call(http, session, "GET",
                  "/api/v1/prices/current?station_id=" + station + "&product_id=" + product));
    const std::string price = data.is_object() ? data.value("unit_price", "") : "";
    std::lock_guard lock(network.price_mu);
    network.price[key] = price;
    return price;
}

// ---- the traffic ----

struct Stats {
    std::atomic<int64_t> sent{0}, ok{0}, errors{0}, dips{0}, dip_errors{0};
    std::mutex mu;
    std::vector<double> latency_ms;  // GUARDED_BY(mu), the last kLatencyWindow sales
    std::string last_error;          // GUARDED_BY(mu)

    void Record(double ms, bool good, const std::string& error) {
        std::lock_guard lock(mu);
        if (latency_ms.size() >= kLatencyWindow) latency_ms.erase(latency_ms.begin());
        latency_ms.push_back(ms);
        if (!good) last_error = error;
    }
    std::pair<double, double> Percentiles() {
        std::lock_guard lock(mu);
        if (latency_ms.empty()) return {0, 0};
        std::vector<double> sorted = latency_ms;
        std::sort(sorted.begin(), sorted.end());
        auto at = [&](double q) {
            return sorted[std::min(sorted.size() - 1,
                                   static_cast<size_t>(q * static_cast<double>(sorted.size())))];
        };
        return {at(0.50), at(0.99)};
    }
};

// A customer's sale at this nozzle: "GH₵ 50 of petrol", "40 litres of diesel", a 14.5 kg gas
// cylinder.
json SaleBody(std::mt19937_64& rng, const std::string& code, const std::string& station,
              const NozzleInfo& n, const std::string& price, IdGenerator& ids) {
    auto between = [&](int64_t lo, int64_t hi) {
        return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
    };
    // Half cash, a quarter mobile money, a quarter card.
    static constexpr std::array<std::string_view, 4> kMethods{"cash", "momo", "card", "cash"};
    json body{{"id", ids.NewV7().ToString()},
              {"station_id", station},
              {"nozzle_id", n.id},
              {"payment_method", kMethods[static_cast<size_t>(between(0, 3))]}};
    if (!price.empty()) body["unit_price"] = price;
    if (code == "LPG") {
        body["quantity"] = between(0, 1) == 0 ? "14.500" : fmt::format("{}.000", between(3, 12));
    } else if (code == "AGO" || code == "PREMIX") {
        body["quantity"] = fmt::format("{}.000", between(20, 150));
    } else {
        body["amount"] = fmt::format("{}.00", std::array{20, 50, 100, 150, 200}[between(0, 4)]);
    }
    return body;
}

void SellOne(HttpClient& http, Session& session, Network& network, Stats& stats,
             std::mt19937_64& rng, IdGenerator& ids) {
    const StationInfo& s =
        network
            .stations[std::uniform_int_distribution<size_t>(0, network.stations.size() - 1)(rng)];
    const NozzleInfo& n =
        s.nozzles[std::uniform_int_distribution<size_t>(0, s.nozzles.size() - 1)(rng)];
    std::string price = PriceOf(http, session, network, s.id, n.product_id, false);
    json body = SaleBody(rng, network.product_code[n.product_id], s.id, n, price, ids);
    const auto started = Clock::now();
    HttpResponse r = Call(http, session, "POST", "/api/v1/transactions", body.dump());
    if (r.status == 422 && r.body.find("unit_price") != std::string::npos) {
        // A new pricing window began: sell at the new price (the same sale id).
        body["unit_price"] = PriceOf(http, session, network, s.id, n.product_id, true);
        r = Call(http, session, "POST", "/api/v1/transactions", body.dump());
    } else if (r.status == 409 && r.body.find("no open shift") != std::string::npos) {
        (void)EnsureOpenShift(http, session, s);
        r = Call(http, session, "POST", "/api/v1/transactions", body.dump());
    }
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    const bool good = r.status == 201 || r.status == 200;
    ++(good ? stats.ok : stats.errors);
    stats.Record(ms, good, r.status == 0 ? r.error : fmt::format("HTTP {} {}", r.status, r.body));
}

// A routine dip of a random tank at about its book stock (observed litres run ~1 % above the
// 15 °C book in Ghana's heat), read to the millimetre.
void DipOne(HttpClient& http, Session& session, Network& network, Stats& stats,
            std::mt19937_64& rng, IdGenerator& ids) {
    std::vector<std::pair<const StationInfo*, const TankInfo*>> tanks;
    for (const StationInfo& s : network.stations) {
        for (const TankInfo& t : s.tanks) tanks.emplace_back(&s, &t);
    }
    if (tanks.empty()) return;
    const TankInfo& t =
        *tanks[std::uniform_int_distribution<size_t>(0, tanks.size() - 1)(rng)].second;
    const json tank = Data(Call(http, session, "GET", "/api/v1/tanks/" + t.id));
    const std::string book = tank.is_object() ? tank.value("book_stock", "0") : "0";
    const int64_t litres = std::max<int64_t>(0, std::atoll(book.c_str()));
    const int64_t observed = std::min(litres * 1'013, t.chart.capacity().raw());  // ml
    const auto height = t.chart.HeightForVolume(Volume(observed));
    const int64_t height_mm = height.ok() ? height->raw() : 0;
    const HttpResponse r =
        Call(http, session, "POST", "/api/v1/dips",
             json{{"id", ids.NewV7().ToString()},
                  {"tank_id", t.id},
                  {"height_mm", height_mm},
                  {"water_height_mm", 0},
                  {"temperature",
                   fmt::format("{}.{:02}", 27 + std::uniform_int_distribution<int>(0, 3)(rng),
                               std::uniform_int_distribution<int>(0, 99)(rng))},
                  {"purpose", "routine"}}
                 .dump());
    ++(r.status == 201 ? stats.dips : stats.dip_errors);
}

// The password of `login` from the lines `omc demo` prints ("  demo-manager   <password>").
std::optional<std::string> PasswordFromFile(const std::string& path, const std::string& login) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string name, password, extra;
        if (words >> name >> password && !(words >> extra) && name == login) return password;
    }
    return std::nullopt;
}

void PrintProgress(Stats& stats, double elapsed_s, bool final) {
    const auto [p50, p99] = stats.Percentiles();
    std::cerr << fmt::format(
        "\romc simulate: {:.0f} s, sent {}, ok {}, errors {}, {:.1f} sales/s, p50 {:.1f} ms, "
        "p99 {:.1f} ms, dips {}{}",
        elapsed_s, stats.sent.load(), stats.ok.load(), stats.errors.load(),
        elapsed_s > 0 ? static_cast<double>(stats.ok + stats.errors) / elapsed_s : 0.0, p50, p99,
        stats.dips.load(), final ? "\n" : "");
    std::cerr.flush();
}

}  // namespace

int RunSimulate(const SimulateOptions& options) {
    if (options.rate <= 0 || options.connections < 1 || options.dip_every_s < 1) {
        std::cerr << "omc: --rate, --connections and --dip-every must be positive\n";
        return kExitUsage;
    }
    const std::string login = options.login.empty() ? std::string(kDefaultLogin) : options.login;
    std::string password = options.password;
    if (password.empty()) {
        auto found = PasswordFromFile(options.users_file, login);
        if (!found) {
            std::cerr << fmt::format(
                "omc: no password for {} (give --password, or run `omc demo` and point "
                "--users-file at its output)\n",
                login);
            return kExitUsage;
        }
        password = *found;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    std::signal(SIGINT, OnStopSignal);
    std::signal(SIGTERM, OnStopSignal);
    Session session(options.url, login, password);
    if (auto refused = session.SignIn()) {
        std::cerr << "omc: cannot sign in as " << login << ": " << *refused << "\n";
        return kExitFailed;
    }
    Network network;
    {
        HttpClient http(options.url);
        if (auto failed = LoadNetwork(http, session, network)) {
            std::cerr << "omc: " << *failed << "\n";
            return kExitFailed;
        }
    }
    std::cerr << fmt::format("omc simulate: {} as {}: {} stations, {} sales/s{}\n", options.url,
                             login, network.stations.size(), options.rate,
                             options.duration_s > 0 ? fmt::format(" for {} s", options.duration_s)
                                                    : std::string(" until Ctrl-C"));
    Stats stats;
    SystemClock system_clock;
    RandomIdGenerator ids(system_clock);
    const auto started = Clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - started).count(); };
    std::atomic<int64_t> ticket{0};
    std::atomic<int> running{options.connections};
    std::vector<std::thread> workers;
    for (int w = 0; w < options.connections; ++w) {
        workers.emplace_back([&, w] {
            HttpClient http(options.url);
            std::mt19937_64 rng(std::random_device{}() + static_cast<uint64_t>(w));
            while (!g_stop) {
                // Sale i is due at i / rate seconds: the schedule holds the rate whatever the
                // latency, up to what the connections can carry.
                const int64_t i = ticket++;
                const double due_s = static_cast<double>(i) / options.rate;
                if (options.duration_s > 0 && due_s >= options.duration_s) break;
                while (!g_stop && elapsed() < due_s) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                }
                if (g_stop) break;
                ++stats.sent;
                SellOne(http, session, network, stats, rng, ids);
            }
            --running;
        });
    }
    std::thread dipper([&] {
        HttpClient http(options.url);
        std::mt19937_64 rng(std::random_device{}());
        for (int64_t n = 1; !g_stop; ++n) {
            while (!g_stop && elapsed() < static_cast<double>(n * options.dip_every_s)) {
                if (options.duration_s > 0 && elapsed() >= options.duration_s) return;
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
            if (!g_stop) DipOne(http, session, network, stats, rng, ids);
        }
    });
    while (!g_stop && running > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        PrintProgress(stats, elapsed(), false);
    }
    g_stop = true;
    for (std::thread& w : workers) w.join();
    dipper.join();
    PrintProgress(stats, elapsed(), true);
    if (stats.errors > 0) {
        std::lock_guard lock(stats.mu);
        std::cerr << "omc simulate: last error: " << stats.last_error << "\n";
    }
    curl_global_cleanup();
    return stats.errors == 0 && stats.ok > 0 ? kExitOk : kExitFailed;
}

}  // namespace omc::app
