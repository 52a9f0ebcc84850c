#include "domains/payments/simulator.hpp"

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "domains/payments/provider.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/db/database.hpp"
#include "platform/http/client.hpp"
#include "platform/http/router.hpp"
#include "platform/http/server.hpp"

namespace omc::payments {
namespace {

using nlohmann::json;

constexpr size_t kMessageMaxLength = 160;
constexpr int64_t kTokenLifetimeS = 3600;
constexpr int64_t kCallbackTimeoutMs = 5'000;
constexpr int64_t kTickMs = 20;

struct ApiUser {
    std::string callback_host;  // empty: any
    std::string api_key;
};

struct Payment {
    std::string reference;
    std::string amount;
    std::string currency;
    std::string external_id;
    std::string msisdn;
    std::string payer_message;
    std::string payee_note;
    std::string callback_url;
    SimOutcome outcome;
    TimestampUs created_us = 0;
    TimestampUs final_us = 0;  // when the outcome shows; 0: never (ongoing)
    std::string status = "PENDING";
    std::string reason;
    std::string ftid;
    bool callback_done = false;
    TimestampUs completed_us = 0;
};

std::string Host(const std::string& url) {
    const size_t scheme = url.find("://");
    if (scheme == std::string::npos) return "";
    const size_t start = scheme + 3;
    const size_t end = url.find_first_of(":/?", start);
    return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

http::Reply Raw(int status, const json& body) {
    http::Reply reply;
    reply.status = status;
    reply.raw_body = body.is_null() ? std::string() : body.dump();
    reply.content_type = "application/json";
    return reply;
}
http::Reply Fail(int status, std::string code, std::string message) {
    return Raw(status, {{"code", std::move(code)}, {"message", std::move(message)}});
}

class Simulator {
  public:
    Simulator(SimOptions options, const Clock& clock)
        : options_(std::move(options)), clock_(clock) {
        users_[options_.api_user] = {"", options_.api_key};
    }

    void Register(http::Router& router) {
        using http::Method;
        Add(router, Method::kPost, "/v1_0/apiuser", &Simulator::CreateUser);
        Add(router, Method::kGet, "/v1_0/apiuser/{id}", &Simulator::GetUser);
        Add(router, Method::kPost, "/v1_0/apiuser/{id}/apikey", &Simulator::CreateKey);
        Add(router, Method::kPost, "/collection/token/", &Simulator::Token);
        Add(router, Method::kPost, "/collection/token", &Simulator::Token);
        Add(router, Method::kPost, "/collection/v1_0/requesttopay", &Simulator::RequestToPay);
        Add(router, Method::kGet, "/collection/v1_0/requesttopay/{id}", &Simulator::GetPayment);
        Add(router, Method::kGet, "/sim/v1_0/statement", &Simulator::Statement);
        Add(router, Method::kGet, "/sim/health", &Simulator::Health);
    }

    // Moves payments whose time has come to their outcome and sends their callbacks, once.
    void Tick() {
        std::vector<Payment> to_call;
        {
            std::lock_guard lock(mu_);
            const TimestampUs now = clock_.NowUs();
            for (auto& [ref, p] : payments_) {
                Settle(p, now);
                if (p.status != "PENDING" && !p.callback_done) {
                    p.callback_done = true;
                    if (!p.callback_url.empty() && !options_.drop_callbacks) to_call.push_back(p);
                }
            }
        }
        for (const Payment& p : to_call) {
            http::ClientRequest request;
            request.method = "POST";
            request.url = p.callback_url;
            // One connection per callback, closed after it: a callback is sent once, and a
            // kept-alive connection would outlive nothing useful.
            request.headers = {{"Content-Type", "application/json"}, {"Connection", "close"}};
            request.body = StatusJson(p).dump();
            request.timeout = std::chrono::milliseconds(kCallbackTimeoutMs);
            Result<http::ClientResponse> sent = callback_client_.Send(request);
            std::cerr << "momo-sim: callback " << p.reference << " -> "
                      << (sent.ok() ? std::to_string(sent->status) : std::string("no answer"))
                      << "\n";
        }
    }

  private:
    using Endpoint = http::Reply (Simulator::*)(http::RequestContext&);

    void Add(http::Router& router, http::Method method, std::string pattern, Endpoint handler) {
        router.Add(http::Route{.method = method,
                               .pattern = pattern,
                               .name = "momo_sim." + pattern,
                               .auth = http::Auth::kPublic,
                               .rate = http::RateClass::kNone,
                               .idempotent = false,
                               .tenant_owned = false,
                               .permission = "",
                               .handler = [this, handler](http::RequestContext& ctx)
                                   -> Result<http::Reply> { return (this->*handler)(ctx); }});
    }

    std::string Header(const http::RequestContext& ctx, std::string_view name) const {
        return std::string(ctx.request().Header(name).value_or(""));
    }

    bool KeyOk(const http::RequestContext& ctx) const {
        return Header(ctx, "Ocp-Apim-Subscription-Key") == options_.subscription_key;
    }

    // The bearer token's user, when the token is one we issued and still valid.
    bool TokenOk(const http::RequestContext& ctx) {
        const std::string auth = Header(ctx, "Authorization");
        if (auth.rfind("Bearer ", 0) != 0) return false;
        std::lock_guard lock(mu_);
        const auto it = tokens_.find(auth.substr(7));
        return it != tokens_.end() && it->second > clock_.NowUs();
    }

    void Settle(Payment& p, TimestampUs now) {
        if (p.status != "PENDING" || p.final_us == 0 || now < p.final_us) return;
        p.status = p.outcome.status;
        p.reason = p.outcome.reason;
        p.completed_us = now;
        if (p.status == "SUCCESSFUL") {
            p.reason.clear();
            p.ftid = std::to_string(1'000'000'000 + (next_ftid_++));
        }
    }

    static json StatusJson(const Payment& p) {
        json body = {{"amount", p.amount},
                     {"currency", p.currency},
                     {"externalId", p.external_id},
                     {"payer", {{"partyIdType", "MSISDN"}, {"partyId", p.msisdn}}},
                     {"payerMessage", p.payer_message},
                     {"payeeNote", p.payee_note},
                     {"status", p.status},
                     {"referenceId", p.reference}};
        if (!p.ftid.empty()) body["financialTransactionId"] = p.ftid;
        if (!p.reason.empty()) body["reason"] = p.reason;
        return body;
    }

    http::Reply Health(http::RequestContext& /*ctx*/) {
        return Raw(200, {{"status", "ok"}, {"mode", options_.mode}});
    }

    http::Reply CreateUser(http::RequestContext& ctx) {
        if (!KeyOk(ctx)) return Fail(401, "UNAUTHORIZED", "invalid subscription key");
        const std::string ref = Header(ctx, "X-Reference-Id");
        if (!IsUuidV4(ref))
            return Fail(400, "INVALID_REFERENCE_ID", "X-Reference-Id must be a UUIDv4");
        const json body = json::parse(ctx.request().body, nullptr, false);
        if (!body.is_object() || !body.contains("providerCallbackHost") ||
            !body["providerCallbackHost"].is_string()) {
            return Fail(400, "INVALID_BODY", "providerCallbackHost is required");
        }
        std::lock_guard lock(mu_);
        if (users_.count(ref))
            return Fail(409, "RESOURCE_ALREADY_EXIST", "duplicated reference id");
        users_[ref] = {body["providerCallbackHost"].get<std::string>(), ""};
        return Raw(201, nullptr);
    }

    http::Reply GetUser(http::RequestContext& ctx) {
        if (!KeyOk(ctx)) return Fail(401, "UNAUTHORIZED", "invalid subscription key");
        std::lock_guard lock(mu_);
        const auto it = users_.find(std::string(ctx.PathParam("id").value_or("")));
        if (it == users_.end()) return Fail(404, "RESOURCE_NOT_FOUND", "no such API user");
        return Raw(200, {{"providerCallbackHost", it->second.callback_host},
                         {"targetEnvironment", options_.mode}});
    }

    http::Reply CreateKey(http::RequestContext& ctx) {
        if (!KeyOk(ctx)) return Fail(401, "UNAUTHORIZED", "invalid subscription key");
        std::lock_guard lock(mu_);
        const auto it = users_.find(std::string(ctx.PathParam("id").value_or("")));
        if (it == users_.end()) return Fail(404, "RESOURCE_NOT_FOUND", "no such API user");
        it->second.api_key = NewUuidV4().ToString();
        return Raw(201, {{"apiKey", it->second.api_key}});
    }

    http::Reply Token(http::RequestContext& ctx) {
        if (!KeyOk(ctx)) return Fail(401, "UNAUTHORIZED", "invalid subscription key");
        const std::string auth = Header(ctx, "Authorization");
        const std::optional<std::string> pair =
            auth.rfind("Basic ", 0) == 0 ? Base64Decode(auth.substr(6)) : std::nullopt;
        const size_t colon = pair ? pair->find(':') : std::string::npos;
        if (colon == std::string::npos)
            return Fail(401, "UNAUTHORIZED", "Basic credentials required");
        std::lock_guard lock(mu_);
        const auto it = users_.find(pair->substr(0, colon));
        if (it == users_.end() || it->second.api_key.empty() ||
            it->second.api_key != pair->substr(colon + 1)) {
            return Fail(401, "UNAUTHORIZED", "invalid API user or key");
        }
        const std::string token = "sim-" + NewUuidV4().ToString();
        tokens_[token] = clock_.NowUs() + kTokenLifetimeS * 1'000'000;
        token_users_[token] = it->first;
        ++tokens_issued_;
        return Raw(200, {{"access_token", token},
                         {"token_type", "access_token"},
                         {"expires_in", kTokenLifetimeS}});
    }

    std::optional<http::Reply> CheckCall(http::RequestContext& ctx) {
        if (!KeyOk(ctx)) return Fail(401, "UNAUTHORIZED", "invalid subscription key");
        if (!TokenOk(ctx)) return Fail(401, "UNAUTHORIZED", "invalid or expired access token");
        if (Header(ctx, "X-Target-Environment") != options_.mode) {
            return Fail(400, "NOT_ALLOWED_TARGET_ENVIRONMENT",
                        "X-Target-Environment must be " + options_.mode);
        }
        return std::nullopt;
    }

    http::Reply RequestToPay(http::RequestContext& ctx) {
        if (auto refused = CheckCall(ctx)) return *refused;
        const std::string ref = Header(ctx, "X-Reference-Id");
        if (!IsUuidV4(ref))
            return Fail(400, "INVALID_REFERENCE_ID", "X-Reference-Id must be a UUIDv4");
        const json body = json::parse(ctx.request().body, nullptr, false);
        if (!body.is_object()) return Fail(400, "INVALID_BODY", "the body must be a JSON object");
        const auto text = [&](const char* name) {
            const auto it = body.find(name);
            return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
        };
        Payment p;
        p.reference = ref;
        p.amount = text("amount");
        p.currency = text("currency");
        p.external_id = text("externalId");
        p.payer_message = text("payerMessage");
        p.payee_note = text("payeeNote");
        p.callback_url = Header(ctx, "X-Callback-Url");
        if (body.contains("amount") && !body["amount"].is_string()) {
            return Fail(400, "INVALID_AMOUNT", "amount must be a string");
        }
        const std::optional<int64_t> amount = ParseAmount(p.amount);
        if (!amount || *amount <= 0) return Fail(400, "INVALID_AMOUNT", "amount must be positive");
        const std::string currency = options_.mode == "sandbox" ? "EUR" : "GHS";
        if (p.currency != currency) {
            return Fail(400, "INVALID_CURRENCY", "currency must be " + currency + " here");
        }
        if (!body.contains("payer") || !body["payer"].is_object() ||
            body["payer"].value("partyIdType", std::string()) != "MSISDN" ||
            body["payer"].value("partyId", std::string()).empty()) {
            return Fail(400, "INVALID_PAYER", "payer must be {partyIdType: MSISDN, partyId}");
        }
        p.msisdn = body["payer"]["partyId"].get<std::string>();
        if (p.payer_message.size() > kMessageMaxLength || p.payee_note.size() > kMessageMaxLength) {
            return Fail(400, "INVALID_MESSAGE",
                        "payerMessage and payeeNote are at most 160 characters");
        }
        std::lock_guard lock(mu_);
        if (!p.callback_url.empty()) {
            const auto user = token_users_.find(Header(ctx, "Authorization").substr(7));
            const std::string host =
                user == token_users_.end() ? "" : users_[user->second].callback_host;
            if (!host.empty() && Host(p.callback_url) != host) {
                return Fail(400, "INVALID_CALLBACK_URL_HOST",
                            "the callback host is not the API user's");
            }
        }
        if (payments_.count(ref))
            return Fail(409, "RESOURCE_ALREADY_EXIST", "duplicated reference id");
        p.outcome = SimOutcomeFor(p.msisdn);
        p.created_us = clock_.NowUs();
        p.final_us = p.outcome.status == "PENDING"
                         ? 0
                         : p.created_us + options_.delay_ms * 1000 * p.outcome.delay_factor;
        payments_[ref] = std::move(p);
        return Raw(202, nullptr);
    }

    http::Reply GetPayment(http::RequestContext& ctx) {
        if (auto refused = CheckCall(ctx)) return *refused;
        std::lock_guard lock(mu_);
        const auto it = payments_.find(std::string(ctx.PathParam("id").value_or("")));
        if (it == payments_.end())
            return Fail(404, "RESOURCE_NOT_FOUND", "requested resource was not found");
        Settle(it->second, clock_.NowUs());
        return Raw(200, StatusJson(it->second));
    }

    http::Reply Statement(http::RequestContext& ctx) {
        if (auto refused = CheckCall(ctx)) return *refused;
        const std::string date = ctx.request().QueryParam("date").value_or("");
        if (!ParseDateDays(date)) return Fail(400, "INVALID_DATE", "date must be YYYY-MM-DD");
        std::string csv =
            "reference,financial_transaction_id,external_id,amount,currency,status,completed_"
            "at\r\n";
        std::lock_guard lock(mu_);
        const TimestampUs now = clock_.NowUs();
        for (auto& [ref, p] : payments_) {
            Settle(p, now);
            if (p.status == "PENDING" || FormatDate(p.completed_us) != date) continue;
            csv += p.reference + "," + p.ftid + "," + p.external_id + "," + p.amount + "," +
                   p.currency + "," + p.status + "," + FormatTimestamp(p.completed_us) + "\r\n";
        }
        http::Reply reply;
        reply.raw_body = std::move(csv);
        reply.content_type = "text/csv; charset=utf-8";
        return reply;
    }

    SimOptions options_;
    const Clock& clock_;
    http::Client callback_client_;  // the ticker's thread only
    std::mutex mu_;
    std::map<std::string, ApiUser> users_;            // GUARDED_BY(mu_)
    std::map<std::string, TimestampUs> tokens_;       // GUARDED_BY(mu_)
    std::map<std::string, std::string> token_users_;  // GUARDED_BY(mu_)
    std::map<std::string, Payment> payments_;         // GUARDED_BY(mu_)
    int64_t next_ftid_ = 1;                           // GUARDED_BY(mu_)
    int64_t tokens_issued_ = 0;                       // GUARDED_BY(mu_)
};

}  // namespace

SimOutcome SimOutcomeFor(const std::string& msisdn) {
    static const std::map<std::string, SimOutcome> kTestNumbers = {
        {"46733123450", {"FAILED", "INTERNAL_PROCESSING_ERROR"}},
        {"46733123451", {"FAILED", "APPROVAL_REJECTED"}},
        {"46733123452", {"FAILED", "EXPIRED"}},
        {"46733123453", {"PENDING", "ONGOING"}},
        {"46733123454", {"SUCCESSFUL", "", 5}},
        {"46733123455", {"FAILED", "PAYER_NOT_FOUND"}},
        {"46733123456", {"FAILED", "PAYEE_NOT_ALLOWED_TO_RECEIVE"}},
        {"46733123457", {"FAILED", "NOT_ALLOWED"}},
        {"46733123458", {"FAILED", "NOT_ALLOWED_TARGET_ENVIRONMENT"}},
        {"46733123459", {"FAILED", "INVALID_CALLBACK_URL_HOST"}},
        {"46733123460", {"FAILED", "INVALID_CURRENCY"}},
        {"46733123461", {"FAILED", "INTERNAL_PROCESSING_ERROR"}},
        {"46733123462", {"FAILED", "SERVICE_UNAVAILABLE"}},
        {"46733123463", {"FAILED", "COULD_NOT_PERFORM_TRANSACTION"}},
        {"46733123464", {"FAILED", "TRANSFER_TYPE_UNKNOWN"}},
    };
    const auto it = kTestNumbers.find(msisdn);
    return it == kTestNumbers.end() ? SimOutcome{"SUCCESSFUL", "", 1} : it->second;
}

int RunMomoSim(const SimOptions& options) {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    const size_t colon = options.listen.rfind(':');
    const int port =
        colon == std::string::npos ? -1 : std::atoi(options.listen.c_str() + colon + 1);
    if (port <= 0 || port > 65535 || (options.mode != "sandbox" && options.mode != "mtnghana") ||
        options.delay_ms < 0) {
        std::cerr << "momo-sim: --listen host:port, --mode sandbox|mtnghana, --delay-ms >= 0\n";
        return 2;
    }
    // The router wants a database for request transactions; the simulator never opens one.
    auto database = db::Open({.url = "sqlite::memory:", .pool_size = 1});
    if (!database.ok()) {
        std::cerr << "momo-sim: " << database.error().message() << "\n";
        return 1;
    }
    SystemClock clock;
    RandomIdGenerator ids(clock);
    http::RouterDeps deps;
    deps.database = database->get();
    deps.clock = &clock;
    deps.ids = &ids;
    http::Router router(deps);
    Simulator sim(options, clock);
    sim.Register(router);
    http::ServerOptions server_options;
    server_options.address = options.listen.substr(0, colon);
    server_options.port = static_cast<uint16_t>(port);
    server_options.worker_threads = 2;
    http::Server server(router, server_options);
    if (Result<void> started = server.Start(); !started.ok()) {
        std::cerr << "momo-sim: " << started.error().message() << " " << started.error().detail()
                  << "\n";
        return 1;
    }
    std::cerr << "momo-sim: listening on " << options.listen << " (mode " << options.mode
              << ", delay " << options.delay_ms << " ms"
              << (options.drop_callbacks ? ", callbacks dropped" : "") << ")\n";
    std::atomic<bool> stopping{false};
    std::thread ticker([&] {
        while (!stopping.load()) {
            sim.Tick();
            std::this_thread::sleep_for(std::chrono::milliseconds(kTickMs));
        }
    });
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    stopping = true;
    ticker.join();
    server.Stop();
    return 0;
}

}  // namespace omc::payments
