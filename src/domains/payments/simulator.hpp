// `omc momo-sim`: a local MTN MoMo Collections simulator, a separate process on loopback with
// the public API's endpoints and behaviour (GHANA_REFERENCE.md section 7.2, "Local simulator,
// to be faithful"), for the tests and the demo. Not a mock inside the product: omc talks to it
// over HTTP exactly as it talks to MTN.
//
//   POST /v1_0/apiuser                      X-Reference-Id (UUIDv4), subscription key,
//                                           {"providerCallbackHost"} -> 201; reused id -> 409
//   GET  /v1_0/apiuser/{id}                 -> 200 {providerCallbackHost, targetEnvironment}
//   POST /v1_0/apiuser/{id}/apikey          -> 201 {"apiKey"}
//   POST /collection/token/                 Basic base64(user:key) -> 200 {access_token,
//                                           token_type, expires_in}
//   POST /collection/v1_0/requesttopay      Bearer, X-Reference-Id, X-Target-Environment,
//                                           optional X-Callback-Url -> 202
//   GET  /collection/v1_0/requesttopay/{id} -> 200 {amount, currency, financialTransactionId,
//                                           externalId, payer, payerMessage, payeeNote, status,
//                                           reason}
//   GET  /sim/v1_0/statement?date=          the simulator's stand-in for a statement download
//                                           (the real format is unconfirmed): CSV, see
//                                           reconciliation.hpp
//   GET  /sim/health                        200 once listening
//
// Validation: subscription key (401), token (401), UUIDv4 reference (400), target environment
// = the mode (400), currency EUR in sandbox mode and GHS in mtnghana mode (400
// INVALID_CURRENCY), amount a positive decimal string (400), payerMessage/payeeNote over 160
// characters (400), callback host = the API user's providerCallbackHost when it set one (400
// INVALID_CALLBACK_URL_HOST), reused reference (409 RESOURCE_ALREADY_EXIST), unknown reference
// (404 RESOURCE_NOT_FOUND). Errors are {"code","message"}.
//
// Outcomes: PENDING for --delay-ms, then by the payer's MSISDN (the sandbox test numbers;
// how each shows is unconfirmed [U], this is our reading):
//   46733123450 FAILED INTERNAL_PROCESSING_ERROR   ...451 FAILED APPROVAL_REJECTED
//   ...452 FAILED EXPIRED                          ...453 stays PENDING (ONGOING)
//   ...454 PENDING for 5 x delay, then SUCCESSFUL (PAYER_DELAYED: the payer approves late)
//   ...455 PAYER_NOT_FOUND  ...456 PAYEE_NOT_ALLOWED_TO_RECEIVE  ...457 NOT_ALLOWED
//   ...458 NOT_ALLOWED_TARGET_ENVIRONMENT  ...459 INVALID_CALLBACK_URL_HOST
//   ...460 INVALID_CURRENCY  ...461 INTERNAL_PROCESSING_ERROR  ...462 SERVICE_UNAVAILABLE
//   ...463 COULD_NOT_PERFORM_TRANSACTION  ...464 TRANSFER_TYPE_UNKNOWN (all FAILED)
//   any other number: SUCCESSFUL with a financialTransactionId.
// The final result is sent once to X-Callback-Url by POST (no retry), unless
// --drop-callbacks.
#pragma once

#include <cstdint>
#include <string>

namespace omc::payments {

struct SimOptions {
    std::string listen = "127.0.0.1:8091";
    std::string mode = "sandbox";  // sandbox | mtnghana
    int64_t delay_ms = 2'000;
    bool drop_callbacks = false;
    // A ready-made API user (the demo and tests skip the apiuser/apikey steps with it).
    std::string subscription_key = "omc-sim-subscription-key";
    std::string api_user = "5f3c2b1a-7d6e-4c8b-9a0f-1e2d3c4b5a69";
    std::string api_key = "omc-sim-api-key";
};

// Serves until SIGINT or SIGTERM; returns the process exit code.
int RunMomoSim(const SimOptions& options);

// The outcome the simulator gives a payer MSISDN: {status, reason} once final
// ("PENDING" for the ongoing number).
struct SimOutcome {
    std::string status;
    std::string reason;
    int64_t delay_factor = 1;  // times the configured delay
};
SimOutcome SimOutcomeFor(const std::string& msisdn);

}  // namespace omc::payments
