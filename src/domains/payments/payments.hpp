// The payments module: per-tenant mobile-money provider settings, MoMo sales (a payment intent
// sent as a request to pay, confirmed by polling and by callbacks, and only then recorded as a
// sale through the forecourt's SalesService), and the daily reconciliation of a provider's
// statement. README.md in this folder lists its tables, invariants, routes and events.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "domains/forecourt/forecourt_api.hpp"
#include "domains/payments/breaker.hpp"
#include "domains/payments/provider.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"
#include "platform/log/metrics.hpp"

namespace omc::payments {

struct PaymentsDeps {
    db::Database* database = nullptr;
    IdGenerator* ids = nullptr;
    const Clock* clock = nullptr;
    std::shared_ptr<forecourt::SalesService> sales;
    metrics::Registry* metrics = nullptr;  // nullable
};

// The poller's pacing: the first poll this long after the request, then exponential backoff
// with jitter up to the cap; a pass takes at most this many due intents.
inline constexpr int64_t kFirstPollMs = 2'000;
inline constexpr int64_t kPollCapMs = 60'000;
inline constexpr int64_t kPollBatch = 100;
inline constexpr int64_t kPollerIntervalMs = 1'000;
// After the payer's timeout the provider is asked once more; a request still PENDING this long
// after it is expired here (MTN: about 5 minutes, then COULD_NOT_PERFORM_TRANSACTION).
inline constexpr int64_t kExpiryGraceS = 60;
static_assert(kFirstPollMs < kPollCapMs);

// A payment intent (table payment_intents).
struct Intent {
    TenantId tenant;
    Uuid id;
    Uuid sale_id;
    ProviderKind provider = ProviderKind::kMtn;
    Uuid reference;
    Uuid station_id;
    std::string payer_msisdn;
    int64_t amount = 0;
    std::string currency;
    std::string external_id;
    forecourt::PendingSale sale;
    std::string sale_body;      // the sale as stored (JSON)
    std::string status;         // pending, successful, failed, expired
    std::string request_state;  // sending, accepted, refused
    std::optional<std::string> reason;
    std::optional<std::string> financial_transaction_id;
    std::string sale_state;  // none, recorded, error
    std::optional<std::string> sale_error;
    int64_t attempts = 0;
    int64_t callbacks = 0;
    TimestampUs next_poll_at_us = 0;
    std::string created_by;
    TimestampUs created_at_us = 0;
    TimestampUs updated_at_us = 0;
    std::optional<TimestampUs> finished_at_us;
};
nlohmann::json IntentJson(const Intent& intent);

// What the routes and the poller share: the settings store, the token cache, the breakers and
// the one place a confirmed payment becomes a sale. Thread-safe.
class Payments {
  public:
    explicit Payments(PaymentsDeps deps);

    const PaymentsDeps& deps() const { return deps_; }
    TokenCache& tokens() { return tokens_; }
    Breakers& breakers() { return breakers_; }

    // The tenant's settings for `kind`; nullopt when none are stored.
    static Result<std::optional<ProviderSettings>> LoadSettings(db::Transaction& tx,
                                                                const TenantId& tenant,
                                                                ProviderKind kind);
    std::unique_ptr<Provider> MakeProvider(const TenantId& tenant,
                                           const ProviderSettings& settings);
    static std::string BreakerKey(const TenantId& tenant, ProviderKind kind);

    // Asks the provider about `intent` (re-sending a request it never received) and applies the
    // answer; reschedules it with backoff when there is no final answer. Breaker-guarded. True
    // when the intent became final.
    Result<bool> Check(const Intent& intent, TimestampUs now_us);
    // Applies a confirmed final status: FAILED records the reason; SUCCESSFUL records the sale
    // (exactly once: the sale id is the intent's, and only the update that moves the intent out
    // of `pending` appends the event). False when the intent was already final.
    Result<bool> Apply(const Intent& intent, const PaymentStatus& status);
    // Sends the intent's request to pay (again, under the same reference) and stores what came
    // of it.
    Result<void> Send(const Intent& intent, const ProviderSettings& settings, TimestampUs now_us);

    double Random01();

  private:
    Result<void> Reschedule(const Intent& intent, TimestampUs now_us,
                            std::optional<std::string> note);
    Result<bool> Finish(const Intent& intent, std::string status, std::optional<std::string> reason,
                        std::optional<std::string> ftid, std::string sale_state,
                        std::optional<std::string> sale_error, std::string event_type);

    PaymentsDeps deps_;
    TokenCache tokens_;
    Breakers breakers_;
    std::mutex random_mu_;
    std::mt19937_64 random_;  // GUARDED_BY(random_mu_)
};

// Reads an intent by tenant and id, or by reference alone (the callback, system transaction).
Result<std::optional<Intent>> FindIntent(db::Transaction& tx, const TenantId& tenant,
                                         const Uuid& id);
Result<std::optional<Intent>> FindIntentByReference(db::Transaction& tx,
                                                    std::string_view reference);

// The background poller of `omc serve`: every second, the pending intents that are due, for
// every tenant. RunOnce is the pass, callable from tests with the time they choose.
class Poller {
  public:
    explicit Poller(std::shared_ptr<Payments> payments);
    ~Poller();
    void Start();
    void Stop();
    // One pass at `now_us`: checks up to kPollBatch due intents; returns how many became final.
    Result<int64_t> RunOnce(TimestampUs now_us);
    Payments& payments() { return *payments_; }

  private:
    void Loop();

    std::shared_ptr<Payments> payments_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;  // GUARDED_BY(mu_)
    std::thread thread_;
};

// Stores `settings` as `tenant`'s settings for its provider, in the caller's transaction (the
// demo points MTN at the local simulator with it; the API's PUT does the same).
Result<void> SaveProviderSettings(db::Transaction& tx, const TenantId& tenant,
                                  const ProviderSettings& settings, const std::string& who,
                                  TimestampUs now_us);

// Registers the module's routes; returns its poller (not started).
std::shared_ptr<Poller> RegisterPayments(http::Router& router, PaymentsDeps deps);

// ---- inside the module ----
void RegisterProviderRoutes(http::Router& router, std::shared_ptr<Payments> payments);
void RegisterMomoRoutes(http::Router& router, std::shared_ptr<Payments> payments);
void RegisterReconciliationRoutes(http::Router& router, std::shared_ptr<Payments> payments);

}  // namespace omc::payments
