#include "domains/identity/auth_service.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <iterator>

#include <fmt/format.h>
#include <sodium.h>

#include "platform/audit/audit.hpp"
#include "platform/auth/qr.hpp"
#include "platform/auth/recovery_codes.hpp"
#include "platform/auth/totp.hpp"
#include "platform/base/assert.hpp"
#include "platform/log/log.hpp"

namespace omc::identity {
namespace {

constexpr std::string_view kTotpIssuer = "OMC ERP";
constexpr size_t kRefreshSecretBytes = 32;
// Expired throttle rows are swept on about one failure in this many.
constexpr int kThrottleSweepEvery = 64;

constexpr db::Query kThrottleLock{"identity.throttle_lock",
                                  "SELECT locked_until_us FROM auth_throttle WHERE key = $1"};
// Counts one failure in the database itself (concurrent failures each count), never touching a
// lock that is still running: failures while locked change nothing.
constexpr db::Query kThrottleCount{"identity.throttle_count", R"sql(
    INSERT INTO auth_throttle (key, failures, window_start_us, locked_until_us)
    VALUES ($1, 1, $2, 0)
    ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN auth_throttle.locked_until_us > $2 THEN auth_throttle.failures
                        WHEN auth_throttle.window_start_us <= $2 - $3 THEN 1
                        ELSE auth_throttle.failures + 1 END,
        window_start_us = CASE WHEN auth_throttle.locked_until_us > $2
                                   THEN auth_throttle.window_start_us
                               WHEN auth_throttle.window_start_us <= $2 - $3 THEN $2
                               ELSE auth_throttle.window_start_us END)sql"};
// Starts a lockout once the count reaches the limit.
constexpr db::Query kThrottleTrip{"identity.throttle_trip", R"sql(
    UPDATE auth_throttle SET locked_until_us = $2 + $3, failures = 0, window_start_us = $2
    WHERE key = $1 AND failures >= $4 AND locked_until_us <= $2)sql"};
constexpr db::Query kThrottleClear{"identity.throttle_clear",
                                   "DELETE FROM auth_throttle WHERE key = $1"};
constexpr db::Query kThrottleSweep{"identity.throttle_sweep", R"sql(
    DELETE FROM auth_throttle WHERE window_start_us < $1 AND locked_until_us < $2)sql"};

constexpr db::Query kInsertRefresh{"identity.insert_refresh", R"sql(
    INSERT INTO refresh_tokens (tenant_id, id, family_id, user_id, token_hash, issued_at_us,
                                expires_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7))sql"};
constexpr db::Query kFindRefresh{"identity.find_refresh", R"sql(
    SELECT tenant_id, id, family_id, user_id, expires_at_us, rotated_at_us, revoked_at_us
    FROM refresh_tokens WHERE token_hash = $1)sql"};
constexpr db::Query kLatestRotation{"identity.latest_rotation", R"sql(
    SELECT MAX(rotated_at_us) FROM refresh_tokens WHERE tenant_id = $1 AND family_id = $2)sql"};
constexpr db::Query kRotateRefresh{"identity.rotate_refresh", R"sql(
    UPDATE refresh_tokens SET rotated_at_us = $3
    WHERE tenant_id = $1 AND id = $2 AND rotated_at_us IS NULL AND revoked_at_us IS NULL)sql"};
constexpr db::Query kRevokeFamily{"identity.revoke_family", R"sql(
    UPDATE refresh_tokens SET revoked_at_us = $3, revoke_reason = $4
    WHERE tenant_id = $1 AND family_id = $2 AND revoked_at_us IS NULL)sql"};
// A family has one live token: issuing one retires any other unrotated token of the family.
constexpr db::Query kSupersede{"identity.supersede_refresh", R"sql(
    UPDATE refresh_tokens SET revoked_at_us = $3, revoke_reason = 'superseded'
    WHERE tenant_id = $1 AND family_id = $2 AND rotated_at_us IS NULL AND revoked_at_us IS NULL)sql"};
constexpr db::Query kRevokeUser{"identity.revoke_user_sessions", R"sql(
    UPDATE refresh_tokens SET revoked_at_us = $3, revoke_reason = $4
    WHERE tenant_id = $1 AND user_id = $2 AND revoked_at_us IS NULL)sql"};
constexpr db::Query kFamilyOfUser{"identity.family_of_user", R"sql(
    SELECT family_id FROM refresh_tokens WHERE tenant_id = $1 AND user_id = $2 AND token_hash = $3)sql"};

// Sign-in's only write to the user row, and only if nobody changed the password or deactivated
// the account since it was verified; the row is then read again for the session.
constexpr db::Query kRecordLogin{"identity.record_login", R"sql(
    UPDATE users SET last_login_at_us = $3, updated_at_us = $3, password_hash = $4
    WHERE tenant_id = $1 AND id = $2 AND active = TRUE AND password_hash = $5)sql"};
constexpr db::Query kSetPassword{"identity.set_password", R"sql(
    UPDATE users SET password_hash = $3, must_change_password = FALSE, password_changed_at_us = $4,
                     updated_at_us = $4
    WHERE tenant_id = $1 AND id = $2 AND active = TRUE AND password_hash = $5)sql"};
constexpr db::Query kTotpStep{"identity.consume_totp_step", R"sql(
    UPDATE users SET totp_last_step = $3
    WHERE tenant_id = $1 AND id = $2 AND totp_last_step < $3)sql"};
constexpr db::Query kUseRecoveryCode{"identity.use_recovery_code", R"sql(
    UPDATE recovery_codes SET used_at_us = $4
    WHERE tenant_id = $1 AND user_id = $2 AND code_hash = $3 AND used_at_us IS NULL)sql"};
constexpr db::Query kDeleteRecoveryCodes{
    "identity.delete_recovery_codes",
    "DELETE FROM recovery_codes WHERE tenant_id = $1 AND user_id = $2"};
constexpr db::Query kInsertRecoveryCode{"identity.insert_recovery_code", R"sql(
    INSERT INTO recovery_codes (tenant_id, user_id, code_hash) VALUES ($1, $2, $3))sql"};

Error InvalidCredentials() {
    return Error(ErrorCode::kUnauthenticated, "invalid login or password");
}
Error InvalidSecondFactor(std::string_view field) {
    return Error(ErrorCode::kUnauthenticated, "invalid second factor",
                 {{std::string(field), "is not valid"}});
}
Error InvalidRefresh() {
    return Error(ErrorCode::kUnauthenticated, "invalid or expired refresh token");
}

std::string AccountKey(std::string_view login) { return "login:" + std::string(login); }

// The address counter's key: an IPv4 address as it is, an IPv6 address by its /64 (one host
// usually holds a whole /64, and would otherwise get a fresh counter per address).
std::string AddressKey(const std::string& address) {
    in6_addr v6{};
    if (address.find(':') != std::string::npos && inet_pton(AF_INET6, address.c_str(), &v6) == 1) {
        std::fill(std::begin(v6.s6_addr) + 8, std::end(v6.s6_addr), uint8_t{0});
        char text[INET6_ADDRSTRLEN] = {};
        if (inet_ntop(AF_INET6, &v6, text, sizeof(text)) != nullptr) {
            return "addr:" + std::string(text) + "/64";
        }
    }
    return "addr:" + address;
}

// The counters a sign-in attempt is charged to: the login name typed, and once the account is
// known its username and email too (so trying both names does not double the allowance), and
// the client address when there is one (an unknown address would put every client in one
// bucket, and twenty failures would lock everyone out).
std::vector<AuthService::ThrottleKey> KeysFor(const config::Config& config, std::string_view login,
                                              const User* user, const RequestMeta& meta) {
    std::vector<AuthService::ThrottleKey> keys;
    const auto add = [&](std::string key, int limit) {
        for (const auto& k : keys) {
            if (k.key == key) return;
        }
        keys.push_back({std::move(key), limit});
    };
    add(AccountKey(login), config.lockout_account_failures);
    if (user != nullptr) {
        add(AccountKey(user->username), config.lockout_account_failures);
        add(AccountKey(user->email), config.lockout_account_failures);
    }
    if (!meta.client_address.empty() && meta.client_address != "unknown") {
        add(AddressKey(meta.client_address), config.lockout_address_failures);
    }
    return keys;
}

Error LockedOut(int64_t seconds) {
    return Error(ErrorCode::kRateLimited, "too many failed attempts; try again later")
        .WithRetryAfter(seconds);
}

// Security events go to the tenant's audit chain inside `tx`.
Result<void> AuditEvent(db::Transaction& tx, IdGenerator& ids, const Clock& clock, const User& user,
                        std::string_view action, nlohmann::json summary, const RequestMeta& meta) {
    audit::AuditEntry entry;
    entry.actor_type = "user";
    entry.actor_id = user.id.ToString();
    entry.role = std::string(RoleName(user.role));
    entry.action = std::string(action);
    entry.entity_type = "user";
    entry.entity_id = user.id.ToString();
    entry.summary = std::move(summary);
    entry.request_id = meta.request_id;
    entry.client_address = meta.client_address;
    OMC_TRY(audit::AppendAudit(tx, user.tenant, ids, clock, entry));
    return Ok();
}

// Salted with the user id: a stolen table then cannot test one guess against every user's codes.
std::string RecoveryHash(const User& user, std::string_view code) {
    return auth::HashRecoveryCode(user.id.ToString() + ":" + auth::NormalizeRecoveryCode(code));
}

Result<std::vector<std::string>> StoreRecoveryCodes(db::Transaction& tx, const User& user) {
    OMC_TRY(tx.Execute(kDeleteRecoveryCodes, {user.tenant, user.id}));
    std::vector<std::string> codes = auth::GenerateRecoveryCodes(kRecoveryCodeCount);
    for (const std::string& code : codes) {
        OMC_TRY(tx.Execute(kInsertRecoveryCode, {user.tenant, user.id, RecoveryHash(user, code)}));
    }
    return codes;
}

}  // namespace

nlohmann::json SessionJson(const Session& session) {
    return {{"access_token", session.access_token},
            {"token_type", "Bearer"},
            {"expires_at", FormatTimestamp(session.access_expires_at_us)},
            {"refresh_token", session.refresh_token},
            {"refresh_expires_at", FormatTimestamp(session.refresh_expires_at_us)},
            {"restriction", session.restriction.empty() ? nlohmann::json(nullptr)
                                                        : nlohmann::json(session.restriction)},
            {"user", UserJson(session.user)}};
}

AuthService::AuthService(db::Database& database, const Clock& clock, IdGenerator& ids,
                         const config::Config& config, const auth::TokenCodec& tokens,
                         auth::PasswordHasher& hasher)
    : database_(database),
      clock_(clock),
      ids_(ids),
      config_(config),
      tokens_(tokens),
      hasher_(hasher) {}

Result<std::optional<int64_t>> AuthService::LockedFor(db::Transaction& tx,
                                                      const std::vector<ThrottleKey>& keys) {
    const TimestampUs now = clock_.NowUs();
    int64_t wait_us = 0;
    for (const ThrottleKey& key : keys) {
        OMC_ASSIGN_OR_RETURN(db::Rows rows, tx.Query(kThrottleLock, {key.key}));
        if (!rows.empty()) wait_us = std::max(wait_us, rows[0].Int(0) - now);
    }
    if (wait_us <= 0) return std::optional<int64_t>();
    return std::optional<int64_t>((wait_us + kUsPerSecond - 1) / kUsPerSecond);
}

Result<void> AuthService::CheckThrottle(const std::vector<ThrottleKey>& keys) {
    OMC_ASSIGN_OR_RETURN(
        std::optional<int64_t> seconds,
        db::InTransaction(database_, {.system = true, .read_only = true},
                          [&](db::Transaction& tx) { return LockedFor(tx, keys); }));
    if (seconds) return LockedOut(*seconds);
    return Ok();
}

void AuthService::RecordFailure(const std::vector<ThrottleKey>& keys,
                                const std::optional<User>& user, std::string_view reason,
                                const RequestMeta& meta) {
    const TimestampUs now = clock_.NowUs();
    const int64_t window_us =
        std::chrono::duration_cast<std::chrono::microseconds>(config_.lockout_window).count();
    auto recorded =
        db::InTransaction(database_, {.system = true}, [&](db::Transaction& tx) -> Result<void> {
            for (const ThrottleKey& key : keys) {
                OMC_TRY(tx.Execute(kThrottleCount, {key.key, now, window_us}));
                OMC_TRY(tx.Execute(kThrottleTrip, {key.key, now, window_us, key.limit}));
            }
            if (randombytes_uniform(kThrottleSweepEvery) == 0) {
                OMC_TRY(tx.Execute(kThrottleSweep, {now - window_us, now}));
            }
            if (user) {
                OMC_TRY(AuditEvent(tx, ids_, clock_, *user, "auth.login_failed",
                                   {{"reason", reason}}, meta));
            }
            return Ok();
        });
    if (!recorded.ok()) {
        log::Warn("could not record a failed sign-in", {{"detail", recorded.error().detail()}});
    }
    log::Info("sign-in refused", {{"reason", reason}, {"client", meta.client_address}});
}

Result<std::string> AuthService::Restriction(db::Transaction& tx, const User& user) {
    if (user.must_change_password) return std::string(kRestrictPasswordChange);
    if (!user.totp_enabled) {
        OMC_ASSIGN_OR_RETURN(bool required, MfaRequired(tx, user.tenant, user.role));
        if (required) return std::string(kRestrictMfaEnrollment);
    }
    return std::string();
}

Result<Session> AuthService::IssueSession(db::Transaction& tx, const User& user,
                                          const std::optional<Uuid>& family) {
    const TimestampUs now = clock_.NowUs();
    Session session;
    session.user = user;
    OMC_ASSIGN_OR_RETURN(session.restriction, Restriction(tx, user));

    if (family) OMC_TRY(tx.Execute(kSupersede, {user.tenant, *family, now}));
    std::string secret(kRefreshSecretBytes, '\0');
    RandomBytes(reinterpret_cast<uint8_t*>(secret.data()), secret.size());
    const Uuid token_id = ids_.NewV7();
    session.refresh_token = token_id.ToString() + "." + auth::Base64UrlEncode(secret);
    session.refresh_expires_at_us =
        now + std::chrono::duration_cast<std::chrono::microseconds>(config_.refresh_token_lifetime)
                  .count();
    OMC_TRY(tx.Execute(kInsertRefresh, {user.tenant, token_id, family.value_or(token_id), user.id,
                                        auth::Sha256Hex(session.refresh_token), now,
                                        session.refresh_expires_at_us}));

    auth::TokenClaims claims;
    claims.subject = user.id.ToString();
    claims.tenant_id = user.tenant.ToString();
    claims.role = std::string(RoleName(user.role));
    claims.token_id = ids_.NewV7().ToString();
    claims.scopes = TokenScopes(user);
    claims.restriction = session.restriction;
    claims.issued_at_us = now;
    claims.expires_at_us =
        now + std::chrono::duration_cast<std::chrono::microseconds>(config_.access_token_lifetime)
                  .count();
    OMC_ASSIGN_OR_RETURN(session.access_token, tokens_.Sign(claims));
    session.access_expires_at_us = claims.expires_at_us;
    return session;
}

Result<int64_t> AuthService::CheckTotp(const User& user, std::string_view code,
                                       std::string_view field) {
    if (!user.totp_secret) return InvalidSecondFactor(field);
    const std::optional<int64_t> step =
        auth::VerifyTotp(*user.totp_secret, code, clock_.NowUs(), user.totp_last_step);
    if (!step) return InvalidSecondFactor(field);
    return *step;
}

Result<Session> AuthService::Login(const LoginRequest& request, const RequestMeta& meta) {
    const std::string login = NormalizeLogin(request.login);
    std::vector<ThrottleKey> keys = KeysFor(config_, login, nullptr, meta);
    OMC_TRY(CheckThrottle(keys));

    OMC_ASSIGN_OR_RETURN(std::optional<User> found,
                         db::InTransaction(database_, {.system = true, .read_only = true},
                                           [&](db::Transaction& tx) -> Result<std::optional<User>> {
                                               OMC_ASSIGN_OR_RETURN(std::optional<User> user,
                                                                    FindUserByLogin(tx, login));
                                               if (!user || !user->active)
                                                   return std::optional<User>();
                                               OMC_ASSIGN_OR_RETURN(bool active,
                                                                    TenantActive(tx, user->tenant));
                                               if (!active) return std::optional<User>();
                                               return user;
                                           }));
    if (!found) {
        // The same work as a real check, so the answer's timing does not say who exists.
        OMC_TRY(hasher_.VerifyDummy(request.password));
        RecordFailure(keys, std::nullopt, "unknown or inactive login", meta);
        return InvalidCredentials();
    }
    User user = std::move(*found);
    // The account's other name may be locked too.
    keys = KeysFor(config_, login, &user, meta);
    OMC_TRY(CheckThrottle(keys));
    OMC_ASSIGN_OR_RETURN(auth::VerifyOutcome outcome,
                         hasher_.Verify(user.password_hash, request.password));
    if (!outcome.matches) {
        RecordFailure(keys, user, "wrong password", meta);
        return InvalidCredentials();
    }

    std::optional<int64_t> totp_step;
    std::optional<std::string> recovery_hash;
    if (user.totp_enabled) {
        if (request.totp_code) {
            auto step = CheckTotp(user, *request.totp_code, "totp_code");
            if (!step.ok()) {
                RecordFailure(keys, user, "wrong second factor", meta);
                return std::move(step).error();
            }
            totp_step = *step;
        } else if (request.recovery_code) {
            recovery_hash = RecoveryHash(user, *request.recovery_code);
        } else {
            return Error(ErrorCode::kUnauthenticated, "a second factor is required",
                         {{"totp_code", "is required for this account"}});
        }
    }
    std::string stored_hash = user.password_hash;
    if (outcome.needs_rehash) {
        OMC_ASSIGN_OR_RETURN(stored_hash, hasher_.Hash(request.password));
    }

    const TimestampUs now = clock_.NowUs();
    std::optional<int64_t> locked;
    auto session = db::InTransaction(
        database_, {.tenant = user.tenant}, [&](db::Transaction& tx) -> Result<Session> {
            // Failures in flight may have locked the account since the first check.
            OMC_ASSIGN_OR_RETURN(locked, LockedFor(tx, keys));
            if (locked) return LockedOut(*locked);
            if (totp_step) {
                OMC_ASSIGN_OR_RETURN(int64_t n,
                                     tx.Execute(kTotpStep, {user.tenant, user.id, *totp_step}));
                if (n != 1) return InvalidSecondFactor("totp_code");  // replayed meanwhile
            }
            if (recovery_hash) {
                OMC_ASSIGN_OR_RETURN(
                    int64_t n,
                    tx.Execute(kUseRecoveryCode, {user.tenant, user.id, *recovery_hash, now}));
                if (n != 1) return InvalidSecondFactor("recovery_code");
            }
            OMC_ASSIGN_OR_RETURN(int64_t n,
                                 tx.Execute(kRecordLogin, {user.tenant, user.id, now, stored_hash,
                                                           user.password_hash}));
            if (n != 1) return InvalidCredentials();  // deactivated or reset meanwhile
            for (const ThrottleKey& key : keys) {
                if (key.key.rfind("login:", 0) == 0) OMC_TRY(tx.Execute(kThrottleClear, {key.key}));
            }
            // The session carries the role and places as they are now, not as first read.
            OMC_ASSIGN_OR_RETURN(std::optional<User> current, FindUser(tx, user.tenant, user.id));
            if (!current || !current->active) return InvalidCredentials();
            OMC_ASSIGN_OR_RETURN(Session s, IssueSession(tx, *current, std::nullopt));
            OMC_TRY(AuditEvent(tx, ids_, clock_, *current, "auth.login",
                               {{"second_factor", totp_step       ? "totp"
                                                  : recovery_hash ? "recovery_code"
                                                                  : "none"},
                                {"rehashed", outcome.needs_rehash}},
                               meta));
            return s;
        });
    if (!session.ok() && session.error().code() == ErrorCode::kUnauthenticated) {
        RecordFailure(keys, user, "second factor replayed or account changed", meta);
    }
    return session;
}

Result<Session> AuthService::Refresh(std::string_view refresh_token, const RequestMeta& meta) {
    const TimestampUs now = clock_.NowUs();
    const int64_t grace_us =
        std::chrono::duration_cast<std::chrono::microseconds>(config_.refresh_reuse_grace).count();
    // Reuse is detected and the family revoked in this transaction, which commits even though
    // the caller is refused; so the outcome is carried out of it rather than returned as error.
    std::optional<Error> refused;
    auto session = db::InTransaction(
        database_, {.system = true}, [&](db::Transaction& tx) -> Result<std::optional<Session>> {
            OMC_ASSIGN_OR_RETURN(db::Rows rows,
                                 tx.Query(kFindRefresh, {auth::Sha256Hex(refresh_token)}));
            if (rows.empty()) {
                refused = InvalidRefresh();
                return std::optional<Session>();
            }
            const db::Row& row = rows[0];
            const TenantId tenant = *TenantId::Parse(row.Text(0));
            const Uuid token_id = row.Id(1);
            const Uuid family = row.Id(2);
            const Uuid user_id = row.Id(3);
            const auto revoke = [&](std::string_view reason) -> Result<void> {
                OMC_TRY(tx.Execute(kRevokeFamily, {tenant, family, now, std::string(reason)}));
                refused = InvalidRefresh();
                return Ok();
            };
            if (!row.IsNull(6) || row.Int(4) <= now) {
                refused = InvalidRefresh();
                return std::optional<Session>();
            }
            OMC_ASSIGN_OR_RETURN(std::optional<User> user, FindUser(tx, tenant, user_id));
            if (!row.IsNull(5)) {
                OMC_ASSIGN_OR_RETURN(db::Rows latest, tx.Query(kLatestRotation, {tenant, family}));
                const bool double_submit =
                    latest[0].OptInt(0) == row.OptInt(5) && now - row.Int(5) <= grace_us;
                if (!double_submit) {
                    OMC_TRY(revoke("reuse"));
                    if (user) {
                        OMC_TRY(AuditEvent(tx, ids_, clock_, *user, "auth.refresh_reuse",
                                           {{"family_id", family.ToString()}}, meta));
                    }
                    log::Warn("refresh token reused: session family revoked",
                              {{"family", family.ToString()}, {"client", meta.client_address}});
                    return std::optional<Session>();
                }
            } else {
                OMC_ASSIGN_OR_RETURN(int64_t n,
                                     tx.Execute(kRotateRefresh, {tenant, token_id, now}));
                if (n != 1) {
                    refused = InvalidRefresh();
                    return std::optional<Session>();
                }
            }
            if (!user || !user->active) {
                OMC_TRY(revoke("user inactive"));
                return std::optional<Session>();
            }
            OMC_ASSIGN_OR_RETURN(bool active, TenantActive(tx, tenant));
            if (!active) {
                OMC_TRY(revoke("tenant inactive"));
                return std::optional<Session>();
            }
            OMC_ASSIGN_OR_RETURN(Session s, IssueSession(tx, *user, family));
            return std::optional<Session>(std::move(s));
        });
    if (!session.ok()) return std::move(session).error();
    if (refused || !session->has_value()) return refused.value_or(InvalidRefresh());
    return std::move(**session);
}

Result<void> AuthService::Logout(db::Transaction& tx, const TenantId& tenant, const Uuid& user_id,
                                 const std::optional<std::string>& refresh_token, bool all) {
    const TimestampUs now = clock_.NowUs();
    if (all) return RevokeAllSessions(tx, tenant, user_id, "logout all");
    if (!refresh_token) return InvalidArgument("refresh_token", "is required unless all is true");
    OMC_ASSIGN_OR_RETURN(
        db::Rows rows, tx.Query(kFamilyOfUser, {tenant, user_id, auth::Sha256Hex(*refresh_token)}));
    if (rows.empty()) return NotFound("session");
    OMC_TRY(tx.Execute(kRevokeFamily, {tenant, rows[0].Id(0), now, std::string("logout")}));
    return Ok();
}

Result<void> AuthService::RevokeAllSessions(db::Transaction& tx, const TenantId& tenant,
                                            const Uuid& user, std::string_view reason) {
    OMC_TRY(tx.Execute(kRevokeUser, {tenant, user, clock_.NowUs(), std::string(reason)}));
    return Ok();
}

Result<User> AuthService::LoadSelf(db::Transaction& tx, const TenantId& tenant,
                                   const Uuid& user_id) {
    OMC_ASSIGN_OR_RETURN(std::optional<User> user, FindUser(tx, tenant, user_id));
    if (!user || !user->active) return NotFound("user");
    return std::move(*user);
}

Result<Session> AuthService::ChangePassword(const TenantId& tenant, const Uuid& user_id,
                                            std::string_view current_password,
                                            std::string_view new_password,
                                            const RequestMeta& meta) {
    OMC_ASSIGN_OR_RETURN(
        User user,
        db::InTransaction(database_, {.tenant = tenant, .read_only = true},
                          [&](db::Transaction& tx) { return LoadSelf(tx, tenant, user_id); }));
    const std::vector<ThrottleKey> keys = KeysFor(config_, user.username, &user, meta);
    OMC_TRY(CheckThrottle(keys));
    OMC_ASSIGN_OR_RETURN(auth::VerifyOutcome outcome,
                         hasher_.Verify(user.password_hash, current_password));
    if (!outcome.matches) {
        RecordFailure(keys, user, "wrong current password", meta);
        return Error(ErrorCode::kUnauthenticated, "the current password is not right",
                     {{"current_password", "is not right"}});
    }
    OMC_TRY(auth::ValidateNewPassword(new_password, user.username, user.email));
    if (new_password == current_password) {
        return InvalidArgument("new_password", "must differ from the current password");
    }
    OMC_ASSIGN_OR_RETURN(std::string hash, hasher_.Hash(new_password));
    return db::InTransaction(
        database_, {.tenant = tenant}, [&](db::Transaction& tx) -> Result<Session> {
            // Only if the password verified is still the stored one and the account active.
            OMC_ASSIGN_OR_RETURN(
                int64_t n, tx.Execute(kSetPassword,
                                      {tenant, user.id, hash, clock_.NowUs(), user.password_hash}));
            if (n != 1) {
                return Error(ErrorCode::kConflict,
                             "the account changed meanwhile; sign in again and retry");
            }
            OMC_TRY(RevokeAllSessions(tx, tenant, user.id, "password changed"));
            OMC_ASSIGN_OR_RETURN(User current, LoadSelf(tx, tenant, user.id));
            OMC_ASSIGN_OR_RETURN(Session session, IssueSession(tx, current, std::nullopt));
            OMC_TRY(AuditEvent(tx, ids_, clock_, current, "auth.password_changed",
                               nlohmann::json::object(), meta));
            return session;
        });
}

Result<void> AuthService::AdminResetPassword(db::Transaction& tx, User& user,
                                             const std::string& password_hash, bool reset_mfa) {
    user.password_hash = password_hash;
    const TimestampUs now = clock_.NowUs();
    user.must_change_password = true;
    user.password_changed_at_us = now;
    user.updated_at_us = now;
    if (reset_mfa) {
        user.totp_enabled = false;
        user.totp_secret.reset();
        OMC_TRY(tx.Execute(kDeleteRecoveryCodes, {user.tenant, user.id}));
    }
    OMC_TRY(UpdateUser(tx, user));
    OMC_TRY(RevokeAllSessions(tx, user.tenant, user.id, "password reset"));
    OMC_TRY(tx.Execute(kThrottleClear, {AccountKey(user.username)}));
    OMC_TRY(tx.Execute(kThrottleClear, {AccountKey(user.email)}));
    return Ok();
}

Result<void> AuthService::VerifySelf(const TenantId& tenant, const Uuid& user_id,
                                     const std::optional<std::string>& password,
                                     const std::optional<std::string>& code,
                                     const RequestMeta& meta) {
    OMC_ASSIGN_OR_RETURN(
        User user,
        db::InTransaction(database_, {.tenant = tenant, .read_only = true},
                          [&](db::Transaction& tx) { return LoadSelf(tx, tenant, user_id); }));
    const std::vector<ThrottleKey> keys = KeysFor(config_, user.username, &user, meta);
    OMC_TRY(CheckThrottle(keys));
    if (password) {
        OMC_ASSIGN_OR_RETURN(auth::VerifyOutcome outcome,
                             hasher_.Verify(user.password_hash, *password));
        if (!outcome.matches) {
            RecordFailure(keys, user, "wrong password (self-service)", meta);
            return Error(ErrorCode::kUnauthenticated, "the password is not right",
                         {{"password", "is not right"}});
        }
    }
    if (code && user.totp_secret) {
        auto step = CheckTotp(user, *code, "code");
        if (!step.ok()) {
            RecordFailure(keys, user, "wrong second factor (self-service)", meta);
            return std::move(step).error();
        }
    }
    return Ok();
}

Result<TotpSetup> AuthService::BeginTotp(db::Transaction& tx, const TenantId& tenant,
                                         const Uuid& user_id) {
    OMC_ASSIGN_OR_RETURN(User user, LoadSelf(tx, tenant, user_id));
    if (user.totp_enabled) {
        return Error(ErrorCode::kConflict, "a second factor is already enabled; disable it first");
    }
    user.totp_secret = auth::GenerateTotpSecret();
    user.updated_at_us = clock_.NowUs();
    OMC_TRY(UpdateUser(tx, user));
    TotpSetup setup;
    setup.secret_base32 = auth::Base32Encode(*user.totp_secret);
    setup.otpauth_uri = auth::OtpauthUri(kTotpIssuer, user.username, *user.totp_secret);
    OMC_ASSIGN_OR_RETURN(setup.qr_svg, auth::QrSvg(setup.otpauth_uri));
    return setup;
}

Result<std::vector<std::string>> AuthService::ConfirmTotp(db::Transaction& tx,
                                                          const TenantId& tenant,
                                                          const Uuid& user_id,
                                                          std::string_view code) {
    OMC_ASSIGN_OR_RETURN(User user, LoadSelf(tx, tenant, user_id));
    if (user.totp_enabled) return Error(ErrorCode::kConflict, "the second factor is already on");
    if (!user.totp_secret) {
        return Error(ErrorCode::kUnprocessable, "start with /api/v1/auth/mfa/totp/setup");
    }
    OMC_ASSIGN_OR_RETURN(int64_t step, CheckTotp(user, code, "code"));
    user.totp_enabled = true;
    user.totp_last_step = step;
    user.updated_at_us = clock_.NowUs();
    OMC_TRY(UpdateUser(tx, user));
    return StoreRecoveryCodes(tx, user);
}

Result<void> AuthService::DisableTotp(db::Transaction& tx, const TenantId& tenant,
                                      const Uuid& user_id, std::string_view code) {
    OMC_ASSIGN_OR_RETURN(User user, LoadSelf(tx, tenant, user_id));
    if (!user.totp_enabled) return Error(ErrorCode::kConflict, "no second factor is enabled");
    OMC_ASSIGN_OR_RETURN(bool required, MfaRequired(tx, tenant, user.role));
    if (required) {
        return Error(ErrorCode::kUnprocessable,
                     "your role requires a second factor; ask an administrator to reset it");
    }
    OMC_ASSIGN_OR_RETURN(int64_t step, CheckTotp(user, code, "code"));
    OMC_ASSIGN_OR_RETURN(int64_t n, tx.Execute(kTotpStep, {tenant, user.id, step}));
    if (n != 1) return InvalidSecondFactor("code");
    user.totp_enabled = false;
    user.totp_secret.reset();
    user.updated_at_us = clock_.NowUs();
    OMC_TRY(UpdateUser(tx, user));
    OMC_TRY(tx.Execute(kDeleteRecoveryCodes, {tenant, user.id}));
    return Ok();
}

Result<std::vector<std::string>> AuthService::RegenerateRecoveryCodes(db::Transaction& tx,
                                                                      const TenantId& tenant,
                                                                      const Uuid& user_id,
                                                                      std::string_view code) {
    OMC_ASSIGN_OR_RETURN(User user, LoadSelf(tx, tenant, user_id));
    if (!user.totp_enabled) return Error(ErrorCode::kConflict, "no second factor is enabled");
    OMC_ASSIGN_OR_RETURN(int64_t step, CheckTotp(user, code, "code"));
    OMC_ASSIGN_OR_RETURN(int64_t n, tx.Execute(kTotpStep, {tenant, user.id, step}));
    if (n != 1) return InvalidSecondFactor("code");
    return StoreRecoveryCodes(tx, user);
}

}  // namespace omc::identity
