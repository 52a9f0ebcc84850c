// The mobile-money provider interface and its one wire implementation: MTN MoMo Collections as
// published (GHANA_REFERENCE.md section 7.2), used as is for MTN and, with the paths and header
// names taken from the tenant's settings, for Telecel Cash and AT Money, whose merchant APIs
// are unconfirmed (section 7.1): they default to the MTN-compatible shape.
//
//   token           POST {base}{token_path}   Authorization: Basic base64(api_user:api_key)
//                   -> {access_token, token_type, expires_in}; cached until expires_in runs out
//   request to pay  POST {base}{request_path} X-Reference-Id: <UUIDv4>, X-Target-Environment,
//                   X-Callback-Url (optional), Bearer token, subscription key; body with the
//                   amount as a string -> 202 Accepted, no body
//   status          GET {base}{status_path with {referenceId}} -> 200 with status PENDING,
//                   SUCCESSFUL or FAILED (and reason); 200 does not mean paid
//   callback        the final result once, by POST or PUT, assumed shaped like the status body
//
// Errors: a provider's 400/401/404/409 answer ({code, message}) is kInvalidArgument,
// kUnauthenticated, kNotFound and kConflict with the provider's code in the message; no answer
// (refused, timed out) or a 5xx is kUnavailable, which is what the circuit breaker counts.
// All calls go through platform/http/client.hpp; a Provider is used by one thread at a time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/http/client.hpp"

namespace omc::payments {

enum class ProviderKind { kMtn, kTelecel, kAt };
std::string_view ProviderName(ProviderKind kind);  // "mtn", "telecel", "at"
std::optional<ProviderKind> ParseProvider(std::string_view name);

// A tenant's settings for one provider (table payment_providers).
struct ProviderSettings {
    ProviderKind kind = ProviderKind::kMtn;
    std::string base_url;                        // "https://sandbox.momodeveloper.mtn.com"
    std::string target_environment = "sandbox";  // X-Target-Environment: sandbox | mtnghana
    std::string currency = "EUR";                // EUR in the sandbox, GHS in mtnghana
    std::string api_user;                        // the API user id (a UUID for MTN)
    std::string api_key;                         // secret
    std::string subscription_key;                // secret: Ocp-Apim-Subscription-Key
    std::string callback_base_url;               // our public base URL; empty: no callbacks
    std::string token_path = "/collection/token/";
    std::string request_path = "/collection/v1_0/requesttopay";
    std::string status_path = "/collection/v1_0/requesttopay/{referenceId}";
    // The statement download; empty: not available, upload the CSV. The provider's real
    // statement format is unconfirmed: this is the simulator's stand-in (/sim/v1_0/statement).
    std::string statement_path;
    std::string subscription_header = "Ocp-Apim-Subscription-Key";
    std::string reference_header = "X-Reference-Id";
    std::string environment_header = "X-Target-Environment";
    std::string callback_header = "X-Callback-Url";
    int64_t request_timeout_ms = 5'000;
    int64_t payer_timeout_s = 300;  // the payer has about 5 minutes to approve
    int64_t breaker_failures = 5;   // consecutive failures that open the breaker
    int64_t breaker_cooldown_ms = 30'000;
    bool enabled = true;
};

// The fixed MTN shape (paths and header names) for `kind`'s defaults.
ProviderSettings DefaultSettings(ProviderKind kind);

enum class PayStatus { kPending, kSuccessful, kFailed };
std::string_view PayStatusName(PayStatus status);  // "PENDING", "SUCCESSFUL", "FAILED"
std::optional<PayStatus> ParsePayStatus(std::string_view name);

// What the provider says of a request to pay (the GET body, or a callback's).
struct PaymentStatus {
    PayStatus status = PayStatus::kPending;
    std::string reason;                    // set when FAILED
    std::string financial_transaction_id;  // set when SUCCESSFUL
    std::string external_id;
    std::string amount;  // as the provider wrote it ("150" or "150.50")
    std::string currency;
    std::string reference;  // the callback's referenceId when it carries one
};

struct PayRequest {
    Uuid reference;  // X-Reference-Id, a UUIDv4, new for every request
    int64_t amount_pesewas = 0;
    std::string currency;
    std::string external_id;
    std::string payer_msisdn;
    std::string payer_message;  // at most 160 characters
    std::string payee_note;     // at most 160 characters
    std::string callback_url;   // empty: no X-Callback-Url
};

// The amount as the request body writes it: whole units without decimals ("150"), else with
// two ("150.50"). Whether MTN takes decimals is unconfirmed [U].
std::string AmountText(int64_t pesewas);
// The provider's amount text back to pesewas; nullopt when it is not a decimal with at most 2
// places.
std::optional<int64_t> ParseAmount(std::string_view text);

// A random UUIDv4 (X-Reference-Id).
Uuid NewUuidV4();
bool IsUuidV4(std::string_view text);
std::string Base64(std::string_view data);
std::optional<std::string> Base64Decode(std::string_view text);

// The interface every provider implements.
class Provider {
  public:
    virtual ~Provider() = default;
    // A bearer token, from the cache while it is fresh.
    virtual Result<std::string> Token() = 0;
    // Sends the request to pay; ok on 202.
    virtual Result<void> RequestToPay(const PayRequest& request) = 0;
    // The request's status (kNotFound: the provider does not know the reference).
    virtual Result<PaymentStatus> GetStatus(const Uuid& reference) = 0;
    // The statement of `date` as CSV (see reconciliation.hpp for the columns).
    virtual Result<std::string> Statement(std::string_view date) = 0;
    // A callback body: only a hint, to be confirmed by GetStatus.
    virtual Result<PaymentStatus> ParseCallback(std::string_view body) const = 0;
};

// Bearer tokens shared by every thread, per (tenant, provider): kept until `expires_in` less a
// minute's margin has run out. Thread-safe.
class TokenCache {
  public:
    std::optional<std::string> Get(const std::string& key, TimestampUs now_us);
    void Put(const std::string& key, std::string token, TimestampUs expires_us);
    void Drop(const std::string& key);
    int64_t fetched_total() const;

  private:
    mutable std::mutex mu_;
    std::map<std::string, std::pair<std::string, TimestampUs>> tokens_;  // GUARDED_BY(mu_)
    int64_t fetched_total_ = 0;                                          // GUARDED_BY(mu_)
};

// MTN MoMo Collections on the wire, configured by `settings` (for Telecel and AT too). A short-
// lived object (one per use, on one thread); the token lives in `tokens` under `token_key`.
class CollectionProvider final : public Provider {
  public:
    CollectionProvider(ProviderSettings settings, const Clock& clock, TokenCache& tokens,
                       std::string token_key);
    Result<std::string> Token() override;
    Result<void> RequestToPay(const PayRequest& request) override;
    Result<PaymentStatus> GetStatus(const Uuid& reference) override;
    Result<std::string> Statement(std::string_view date) override;
    Result<PaymentStatus> ParseCallback(std::string_view body) const override;
    // Forgets the cached token (after a 401).
    void DropToken();

  private:
    Result<http::ClientResponse> Send(http::ClientRequest request);
    std::string Url(std::string_view path) const;

    ProviderSettings settings_;
    const Clock& clock_;
    TokenCache& tokens_;
    std::string token_key_;
    http::Client client_;
};

// Parses a status or callback body. kInvalidArgument when it is not one.
Result<PaymentStatus> ParseStatusBody(std::string_view body);

}  // namespace omc::payments
