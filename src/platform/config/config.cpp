#include "platform/config/config.hpp"

#include <charconv>
#include <cstdlib>
#include <functional>
#include <set>

#include <fmt/format.h>
#include <sodium.h>
#include <toml++/toml.h>

extern char** environ;  // NOLINT: POSIX

namespace omc::config {
namespace {

// A raw setting from either source: TOML gives typed values, the environment gives text.
struct RawValue {
    std::optional<std::string> text;
    std::optional<int64_t> integer;
    std::optional<bool> boolean;
    std::optional<double> real;
    bool from_env = false;
};

using Setter = std::function<std::optional<std::string>(const RawValue&, Config&)>;

struct KeySpec {
    std::string key;
    std::string env;  // empty: no environment override
    Setter set;
};

std::optional<std::string> GetText(const RawValue& v, std::string* out) {
    if (!v.text) return "must be a string";
    *out = *v.text;
    return std::nullopt;
}

std::optional<std::string> GetInt(const RawValue& v, int64_t min, int64_t max, int64_t* out) {
    int64_t value = 0;
    if (v.integer) {
        value = *v.integer;
    } else if (v.from_env && v.text) {
        const std::string& s = *v.text;
        auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
        if (ec != std::errc() || ptr != s.data() + s.size()) return "must be an integer";
    } else {
        return "must be an integer";
    }
    if (value < min || value > max) {
        return fmt::format("must be an integer between {} and {}", min, max);
    }
    *out = value;
    return std::nullopt;
}

std::optional<std::string> GetBool(const RawValue& v, bool* out) {
    if (v.boolean) {
        *out = *v.boolean;
        return std::nullopt;
    }
    if (v.from_env && v.text) {
        if (*v.text == "true" || *v.text == "1") {
            *out = true;
            return std::nullopt;
        }
        if (*v.text == "false" || *v.text == "0") {
            *out = false;
            return std::nullopt;
        }
    }
    return "must be true or false";
}

std::optional<std::string> GetRate(const RawValue& v, double* out) {
    double value = 0;
    if (v.real) {
        value = *v.real;
    } else if (v.integer) {
        value = static_cast<double>(*v.integer);
    } else if (v.from_env && v.text) {
        char* end = nullptr;
        value = std::strtod(v.text->c_str(), &end);
        if (end == v.text->c_str() || *end != '\0') return "must be a number";
    } else {
        return "must be a number";
    }
    if (!(value >= 0 && value <= 1e9)) return "must be a number between 0 and 1e9";
    *out = value;
    return std::nullopt;
}

Setter IntSetter(int64_t min, int64_t max, std::function<void(Config&, int64_t)> apply) {
    return [=](const RawValue& v, Config& c) -> std::optional<std::string> {
        int64_t n = 0;
        if (auto e = GetInt(v, min, max, &n)) return e;
        apply(c, n);
        return std::nullopt;
    };
}

Setter MsSetter(int64_t min, int64_t max, std::chrono::milliseconds Config::*member) {
    return IntSetter(min, max,
                     [member](Config& c, int64_t n) { c.*member = std::chrono::milliseconds(n); });
}

Setter TextSetter(std::function<std::optional<std::string>(Config&, const std::string&)> apply) {
    return [=](const RawValue& v, Config& c) -> std::optional<std::string> {
        std::string s;
        if (auto e = GetText(v, &s)) return e;
        return apply(c, s);
    };
}

Setter BoolSetter(bool Config::*member) {
    return [=](const RawValue& v, Config& c) -> std::optional<std::string> {
        bool b = false;
        if (auto e = GetBool(v, &b)) return e;
        c.*member = b;
        return std::nullopt;
    };
}

std::optional<std::string> ApplyListen(Config& c, const std::string& s) {
    const auto colon = s.rfind(':');
    if (colon == std::string::npos || colon == 0) return "must be host:port, e.g. 0.0.0.0:8080";
    int port = 0;
    const std::string port_text = s.substr(colon + 1);
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port < 0 ||
        port > 65535) {
        return "port must be an integer between 0 and 65535";
    }
    std::string host = s.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    c.listen_address = host;
    c.listen_port = static_cast<uint16_t>(port);
    return std::nullopt;
}

std::optional<std::string> ApplyDatabaseUrl(Config& c, const std::string& s) {
    if (s.rfind("sqlite:", 0) != 0 && s.rfind("postgresql://", 0) != 0 &&
        s.rfind("postgres://", 0) != 0) {
        return "must start with sqlite: or postgresql://";
    }
    if (s == "sqlite:") return "sqlite: needs a file path, e.g. sqlite:omc.db";
    c.database_url = s;
    return std::nullopt;
}

std::optional<std::string> ApplyLogLevel(Config& c, const std::string& s) {
    static const std::set<std::string> kLevels = {"debug", "info", "warn", "error", "off"};
    if (!kLevels.count(s)) return "must be one of debug, info, warn, error, off";
    c.log_level = s;
    return std::nullopt;
}

std::optional<std::string> ApplyNatsUrl(Config& c, const std::string& s) {
    if (!s.empty() && s.rfind("nats://", 0) != 0 && s.rfind("tls://", 0) != 0) {
        return "must start with nats:// or tls:// (or be empty to disable)";
    }
    c.nats_url = s;
    return std::nullopt;
}

std::optional<std::string> CheckSecret(const std::string& secret) {
    if (secret.size() < 32) return "secret must be at least 32 characters";
    return std::nullopt;
}

// OMC_AUTH_JWT_KEYS="kid1:secret1,kid2:secret2"
std::optional<std::string> ApplyJwtKeysText(Config& c, const std::string& s) {
    std::map<std::string, std::string> keys;
    size_t start = 0;
    while (start <= s.size()) {
        size_t comma = s.find(',', start);
        if (comma == std::string::npos) comma = s.size();
        const std::string item = s.substr(start, comma - start);
        const size_t colon = item.find(':');
        if (colon == std::string::npos || colon == 0) return "must be kid:secret[,kid:secret...]";
        if (auto e = CheckSecret(item.substr(colon + 1))) return e;
        keys[item.substr(0, colon)] = item.substr(colon + 1);
        start = comma + 1;
    }
    c.jwt_keys = std::move(keys);
    return std::nullopt;
}

// 32 bytes as base64 (44 characters, standard alphabet) or hex (64 characters).
std::optional<std::string> ApplyWebhookSecretKey(Config& c, const std::string& s) {
    if (!s.empty()) {
        unsigned char key[33];
        size_t length = 0;
        const char* end = nullptr;
        const bool hex =
            s.size() == 64 &&
            sodium_hex2bin(key, sizeof(key), s.data(), s.size(), nullptr, &length, &end) == 0 &&
            end == s.data() + s.size() && length == 32;
        const bool b64 = !hex &&
                         sodium_base642bin(key, sizeof(key), s.data(), s.size(), nullptr, &length,
                                           &end, sodium_base64_VARIANT_ORIGINAL) == 0 &&
                         end == s.data() + s.size() && length == 32;
        sodium_memzero(key, sizeof(key));
        if (!hex && !b64) return "must be 32 bytes as base64 or hex";
    }
    c.webhook_secret_key = s;
    return std::nullopt;
}

std::vector<KeySpec> BuildSpecs() {
    std::vector<KeySpec> specs = {
        {"server.listen", "OMC_LISTEN", TextSetter(ApplyListen)},
        {"server.io_threads", "OMC_IO_THREADS",
         IntSetter(1, 64, [](Config& c, int64_t n) { c.io_threads = static_cast<int>(n); })},
        {"server.worker_threads", "OMC_WORKER_THREADS",
         IntSetter(1, 512, [](Config& c, int64_t n) { c.worker_threads = static_cast<int>(n); })},
        {"server.max_body_bytes", "OMC_MAX_BODY_BYTES",
         IntSetter(1024, 64 << 20,
                   [](Config& c, int64_t n) { c.max_body_bytes = static_cast<size_t>(n); })},
        {"server.max_connections", "OMC_MAX_CONNECTIONS",
         IntSetter(1, 1'000'000,
                   [](Config& c, int64_t n) { c.max_connections = static_cast<int>(n); })},
        {"server.read_timeout_ms", "", MsSetter(100, 3'600'000, &Config::read_timeout)},
        {"server.handle_timeout_ms", "", MsSetter(100, 3'600'000, &Config::handle_timeout)},
        {"server.shutdown_grace_ms", "", MsSetter(0, 600'000, &Config::shutdown_grace)},
        {"server.trust_forwarded_for", "OMC_TRUST_FORWARDED_FOR",
         BoolSetter(&Config::trust_forwarded_for)},
        {"database.url", "OMC_DATABASE_URL", TextSetter(ApplyDatabaseUrl)},
        {"database.pool_size", "OMC_DATABASE_POOL_SIZE",
         IntSetter(1, 256,
                   [](Config& c, int64_t n) { c.database_pool_size = static_cast<int>(n); })},
        {"database.acquire_timeout_ms", "",
         MsSetter(1, 600'000, &Config::database_acquire_timeout)},
        {"database.migrate_on_start", "OMC_MIGRATE_ON_START",
         BoolSetter(&Config::migrate_on_start)},
        {"log.level", "OMC_LOG_LEVEL", TextSetter(ApplyLogLevel)},
        {"events.nats_url", "OMC_EVENTS_NATS_URL", TextSetter(ApplyNatsUrl)},
        {"events.nats_stream", "OMC_EVENTS_NATS_STREAM",
         TextSetter([](Config& c, const std::string& s) -> std::optional<std::string> {
             if (s.empty() || s.find_first_of(" .*>") != std::string::npos)
                 return "must be a NATS stream name";
             c.nats_stream = s;
             return std::nullopt;
         })},
        {"events.relay_interval_ms", "", MsSetter(10, 60'000, &Config::relay_interval)},
        {"webhooks.secret_key", "OMC_WEBHOOKS_SECRET_KEY", TextSetter(ApplyWebhookSecretKey)},
        {"webhooks.dispatch_interval_ms", "",
         MsSetter(10, 60'000, &Config::webhook_dispatch_interval)},
        {"webhooks.dispatch_threads", "",
         IntSetter(1, 32,
                   [](Config& c, int64_t n) { c.webhook_dispatch_threads = static_cast<int>(n); })},
        {"idempotency.ttl_hours", "",
         IntSetter(1, 24 * 30,
                   [](Config& c, int64_t n) { c.idempotency_ttl = std::chrono::hours(n); })},
        {"auth.issuer", "",
         TextSetter([](Config& c, const std::string& s) -> std::optional<std::string> {
             if (s.empty()) return "must not be empty";
             c.jwt_issuer = s;
             return std::nullopt;
         })},
        {"auth.audience", "",
         TextSetter([](Config& c, const std::string& s) -> std::optional<std::string> {
             if (s.empty()) return "must not be empty";
             c.jwt_audience = s;
             return std::nullopt;
         })},
        {"auth.active_kid", "OMC_AUTH_ACTIVE_KID",
         TextSetter([](Config& c, const std::string& s) -> std::optional<std::string> {
             c.jwt_active_kid = s;
             return std::nullopt;
         })},
        {"auth.jwt_keys", "OMC_AUTH_JWT_KEYS", TextSetter(ApplyJwtKeysText)},
        {"auth.access_token_minutes", "",
         IntSetter(
             1, 60,
             [](Config& c, int64_t n) { c.access_token_lifetime = std::chrono::minutes(n); })},
        {"auth.refresh_token_days", "",
         IntSetter(
             1, 365,
             [](Config& c, int64_t n) { c.refresh_token_lifetime = std::chrono::hours(24 * n); })},
        {"auth.refresh_reuse_grace_seconds", "",
         IntSetter(0, 120,
                   [](Config& c, int64_t n) { c.refresh_reuse_grace = std::chrono::seconds(n); })},
        {"auth.password_hash_concurrency", "",
         IntSetter(
             1, 64,
             [](Config& c, int64_t n) { c.password_hash_concurrency = static_cast<int>(n); })},
        {"auth.lockout_account_failures", "",
         IntSetter(1, 1000,
                   [](Config& c, int64_t n) { c.lockout_account_failures = static_cast<int>(n); })},
        {"auth.lockout_address_failures", "",
         IntSetter(1, 100'000,
                   [](Config& c, int64_t n) { c.lockout_address_failures = static_cast<int>(n); })},
        {"auth.lockout_minutes", "",
         IntSetter(1, 24 * 60,
                   [](Config& c, int64_t n) { c.lockout_window = std::chrono::minutes(n); })},
        {"web.root", "OMC_WEB_ROOT",
         TextSetter([](Config& c, const std::string& s) -> std::optional<std::string> {
             c.web_root = s;
             return std::nullopt;
         })},
    };
    for (const char* cls : {"default", "auth", "write", "read"}) {
        const std::string name = cls;
        specs.push_back({"rate_limits." + name + ".per_second", "",
                         [name](const RawValue& v, Config& c) -> std::optional<std::string> {
                             return GetRate(v, &c.rate_limits[name].per_second);
                         }});
        specs.push_back({"rate_limits." + name + ".burst", "",
                         [name](const RawValue& v, Config& c) -> std::optional<std::string> {
                             return GetRate(v, &c.rate_limits[name].burst);
                         }});
    }
    return specs;
}

const std::vector<KeySpec>& Specs() {
    static const std::vector<KeySpec> kSpecs = BuildSpecs();
    return kSpecs;
}

RawValue FromToml(const toml::node& node) {
    RawValue v;
    if (auto s = node.value_exact<std::string>()) v.text = *s;
    if (auto i = node.value_exact<int64_t>()) v.integer = *i;
    if (auto b = node.value_exact<bool>()) v.boolean = *b;
    if (auto d = node.value_exact<double>()) v.real = *d;
    return v;
}

// Flattens the TOML document into dotted keys. [auth.jwt_keys] is a table of kid = "secret" and
// is flattened to one text value so both sources share one setter.
void Flatten(const toml::table& table, const std::string& prefix,
             std::vector<std::pair<std::string, RawValue>>& out, std::vector<FieldError>& errors) {
    for (const auto& [k, node] : table) {
        const std::string key =
            prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
        if (key == "auth.jwt_keys") {
            const toml::table* keys = node.as_table();
            if (!keys) {
                errors.push_back({key, "must be a table of kid = \"secret\""});
                continue;
            }
            std::string joined;
            for (const auto& [kid, secret] : *keys) {
                auto s = secret.value_exact<std::string>();
                if (!s) {
                    errors.push_back({key + "." + std::string(kid.str()), "must be a string"});
                    continue;
                }
                if (!joined.empty()) joined += ",";
                joined += std::string(kid.str()) + ":" + *s;
            }
            RawValue v;
            v.text = joined;
            out.emplace_back(key, v);
        } else if (const toml::table* sub = node.as_table()) {
            Flatten(*sub, key, out, errors);
        } else {
            out.emplace_back(key, FromToml(node));
        }
    }
}

Result<void> Validate(const Config& c) {
    std::vector<FieldError> errors;
    if (!c.jwt_active_kid.empty() && !c.jwt_keys.empty() && !c.jwt_keys.count(c.jwt_active_kid)) {
        errors.push_back({"auth.active_kid", "names no key in auth.jwt_keys"});
    }
    for (const auto& [name, rl] : c.rate_limits) {
        if (rl.per_second > 0 && rl.burst < 1) {
            errors.push_back(
                {"rate_limits." + name + ".burst", "must be at least 1 when per_second is set"});
        }
    }
    if (!errors.empty()) return Error(ErrorCode::kInvalidArgument, "invalid configuration", errors);
    return Ok();
}

// OMC_* variables that are not configuration: where the config file is, and the test and
// benchmark harness's own settings.
bool IsKnownEnvironmentName(const std::string& name) {
    if (name == "OMC_CONFIG" || name == "OMC_BINARY" || name == "OMC_SOURCE_DIR" ||
        name == "OMC_NATS_SERVER") {
        return true;
    }
    for (const char* prefix : {"OMC_TEST_", "OMC_BENCH_", "OMC_FUZZ_", "OMC_DEMO_"}) {
        if (name.rfind(prefix, 0) == 0) return true;
    }
    for (const auto& spec : Specs()) {
        if (spec.env == name) return true;
    }
    return false;
}

}  // namespace

Result<Config> Load(const std::string& path, const std::map<std::string, std::string>& env) {
    Config config;
    std::vector<FieldError> errors;
    std::vector<std::pair<std::string, RawValue>> values;
    if (!path.empty()) {
        try {
            toml::table doc = toml::parse_file(path);
            Flatten(doc, "", values, errors);
        } catch (const toml::parse_error& e) {
            return Error(ErrorCode::kInvalidArgument, "invalid configuration",
                         {{path, fmt::format("line {}, column {}: {}", e.source().begin.line,
                                             e.source().begin.column, e.description())}});
        }
    }
    for (const auto& [name, unused] : env) {
        if (!IsKnownEnvironmentName(name)) {
            errors.push_back({name, "unknown environment variable (OMC_* names are reserved)"});
        }
    }
    for (const auto& spec : Specs()) {
        if (spec.env.empty()) continue;
        auto it = env.find(spec.env);
        if (it == env.end()) continue;
        RawValue v;
        v.text = it->second;
        v.from_env = true;
        values.emplace_back(spec.key + "\x1f" + spec.env, v);  // marks the source for messages
    }
    for (auto& [key, value] : values) {
        std::string name = key;
        std::string source;
        if (auto sep = key.find('\x1f'); sep != std::string::npos) {
            name = key.substr(0, sep);
            source = key.substr(sep + 1);
        }
        const KeySpec* spec = nullptr;
        for (const auto& s : Specs()) {
            if (s.key == name) spec = &s;
        }
        if (!spec) {
            errors.push_back({name, "unknown configuration key"});
            continue;
        }
        if (auto e = spec->set(value, config)) {
            errors.push_back({source.empty() ? name : source + " (" + name + ")", *e});
        }
    }
    if (!errors.empty()) return Error(ErrorCode::kInvalidArgument, "invalid configuration", errors);
    OMC_TRY(Validate(config));
    return config;
}

std::map<std::string, std::string> ProcessEnvironment() {
    std::map<std::string, std::string> out;
    for (char** e = environ; e && *e; ++e) {
        std::string_view entry(*e);
        if (entry.rfind("OMC_", 0) != 0) continue;
        const size_t eq = entry.find('=');
        if (eq == std::string_view::npos) continue;
        out.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
    }
    return out;
}

const std::vector<std::pair<std::string, std::string>>& EnvironmentOverrides() {
    static const std::vector<std::pair<std::string, std::string>> kList = [] {
        std::vector<std::pair<std::string, std::string>> list;
        for (const auto& s : Specs()) {
            if (!s.env.empty()) list.emplace_back(s.env, s.key);
        }
        return list;
    }();
    return kList;
}

}  // namespace omc::config
