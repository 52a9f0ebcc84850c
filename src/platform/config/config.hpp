// Configuration: an optional TOML file, then environment overrides (OMC_*), validated at start.
// Unknown keys and bad values are rejected with the key named. With no file and no environment
// every default applies: SQLite file omc.db in the working directory, listening on 0.0.0.0:8080.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "platform/base/result.hpp"

namespace omc::config {

struct RateLimit {
    double per_second = 0;  // sustained rate; 0 disables the class
    double burst = 0;       // bucket size
};

struct Config {
    // [server]
    std::string listen_address = "0.0.0.0";
    uint16_t listen_port = 8080;
    int io_threads = 2;
    int worker_threads = 16;
    size_t max_body_bytes = 1 << 20;
    int max_connections = 10'000;
    std::chrono::milliseconds read_timeout{10'000};
    std::chrono::milliseconds handle_timeout{30'000};
    std::chrono::milliseconds shutdown_grace{20'000};
    // [database]
    std::string database_url = "sqlite:omc.db";
    int database_pool_size = 8;
    std::chrono::milliseconds database_acquire_timeout{5'000};
    bool migrate_on_start = true;
    // [log]
    std::string log_level = "info";
    // [events]
    std::string nats_url;  // empty: no NATS publishing (pull consumers still work)
    std::string nats_stream = "OMC";
    std::chrono::milliseconds relay_interval{200};
    // [webhooks]
    // The key that seals webhook signing secrets at rest (libsodium secretbox): 32 bytes as
    // base64 or hex. Empty: one is generated and kept in the database (docs/security.md).
    std::string webhook_secret_key;
    std::chrono::milliseconds webhook_dispatch_interval{1'000};  // poll interval when idle
    int webhook_dispatch_threads = 2;  // deliveries sent at once by one process
    // [idempotency]
    std::chrono::hours idempotency_ttl{24};
    // [auth]
    std::string jwt_issuer = "omc-erp";
    std::string jwt_audience = "omc-api";
    // kid -> secret (base64 or hex, at least 32 bytes). Empty: a key is generated and kept in
    // the database so every process sharing it agrees (docs/operations.md).
    std::map<std::string, std::string> jwt_keys;
    std::string jwt_active_kid;
    std::chrono::minutes access_token_lifetime{15};
    std::chrono::hours refresh_token_lifetime{14 * 24};  // each token; rotation renews it
    // A rotated refresh token presented again within this window is a double submit (two tabs,
    // a retried request), not theft: it gets a fresh token instead of revoking the family.
    std::chrono::seconds refresh_reuse_grace{10};
    int password_hash_concurrency = 2;  // Argon2id hashes at once (19 MiB each)
    int lockout_account_failures = 5;   // failed sign-ins per login name before a lockout
    int lockout_address_failures = 20;  // failed sign-ins per client address before a lockout
    std::chrono::minutes lockout_window{15};
    // [rate_limits.<class>] for default, auth, write, read
    std::map<std::string, RateLimit> rate_limits = {
        {"default", {50, 100}}, {"auth", {1, 10}}, {"write", {50, 100}}, {"read", {200, 400}}};
    // Per-client key for rate limiting when there is no API key or user.
    bool trust_forwarded_for = false;
    // [web]
    // The built web console (web/: `npm ci && npm run build`), served by `omc serve` at /.
    // Relative to the working directory; empty disables the console.
    std::string web_root = "web/dist";
};

// Loads `path` (may be empty: no file) and applies environment overrides from `env` (pass
// environ-derived pairs; tests pass their own). Every error names the key, e.g.
// "server.listen_port: must be an integer between 1 and 65535".
Result<Config> Load(const std::string& path, const std::map<std::string, std::string>& env);

// The process environment as a map (OMC_* variables only).
std::map<std::string, std::string> ProcessEnvironment();

// The environment variables Load() understands, with the key each overrides (for --help/docs).
const std::vector<std::pair<std::string, std::string>>& EnvironmentOverrides();

}  // namespace omc::config
