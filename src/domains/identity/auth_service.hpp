// Sign-in and sessions: password and second-factor checks, throttling, access tokens and
// refresh-token families, password changes and TOTP enrolment. docs/security.md describes the
// model; this is its one implementation.
//
// Transactions: sign-in and refresh look credentials up across tenants (a system transaction,
// by unique login name or token hash only) and write in the user's tenant. Failures are
// recorded in their own transaction, since the request's would roll back with the error.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domains/identity/users.hpp"
#include "platform/auth/password.hpp"
#include "platform/auth/token.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/config/config.hpp"
#include "platform/db/database.hpp"

namespace omc::identity {

// Who asked, for throttling and the audit log.
struct RequestMeta {
    std::string request_id;
    std::string client_address;
};

struct Session {
    std::string access_token;
    TimestampUs access_expires_at_us = 0;
    std::string refresh_token;
    TimestampUs refresh_expires_at_us = 0;
    std::string restriction;  // "", "password_change" or "mfa_enrollment"
    User user;
};
nlohmann::json SessionJson(const Session& session);

struct LoginRequest {
    std::string login;  // username or email
    std::string password;
    std::optional<std::string> totp_code;
    std::optional<std::string> recovery_code;
};

struct TotpSetup {
    std::string secret_base32;
    std::string otpauth_uri;
    std::string qr_svg;
};

inline constexpr std::string_view kRestrictPasswordChange = "password_change";
inline constexpr std::string_view kRestrictMfaEnrollment = "mfa_enrollment";
inline constexpr int kRecoveryCodeCount = 10;

class AuthService {
  public:
    AuthService(db::Database& database, const Clock& clock, IdGenerator& ids,
                const config::Config& config, const auth::TokenCodec& tokens,
                auth::PasswordHasher& hasher);

    // Sign-in. kUnauthenticated with one generic message for an unknown login, a wrong
    // password, an inactive user or tenant, or a bad second factor (the field "totp_code" is
    // named only after a correct password, when a code is missing); kRateLimited with
    // Retry-After while the login name or client address is locked out.
    Result<Session> Login(const LoginRequest& request, const RequestMeta& meta);
    // Rotates a refresh token. A rotated token presented again revokes its whole family,
    // except the family's most recently rotated token within the reuse grace (a double
    // submit), which gets a fresh token of the same family.
    Result<Session> Refresh(std::string_view refresh_token, const RequestMeta& meta);
    // Ends the session family of `refresh_token` (kNotFound unless it is the caller's), or
    // every session of the caller when `all`.
    Result<void> Logout(db::Transaction& tx, const TenantId& tenant, const Uuid& user_id,
                        const std::optional<std::string>& refresh_token, bool all);

    // Changes the caller's password; every other session ends and a new one is returned.
    Result<Session> ChangePassword(const TenantId& tenant, const Uuid& user_id,
                                   std::string_view current_password, std::string_view new_password,
                                   const RequestMeta& meta);
    // Stores `password_hash` (of a generated password, hashed by the caller before its
    // transaction began, so the write lock is never held through Argon2) as one that must be
    // changed at next sign-in, ends the user's sessions, clears their lockout and, when
    // `reset_mfa`, their second factor.
    Result<void> AdminResetPassword(db::Transaction& tx, User& user,
                                    const std::string& password_hash, bool reset_mfa);

    // Re-authenticates the caller before a self-service change of their second factor, outside
    // any transaction: the password and/or a current code from their authenticator (checked
    // against the enabled or pending secret, not consumed here). Failures count toward the
    // account's lockout like failed sign-ins, so a stolen access token is no guessing oracle.
    Result<void> VerifySelf(const TenantId& tenant, const Uuid& user_id,
                            const std::optional<std::string>& password,
                            const std::optional<std::string>& code, const RequestMeta& meta);

    // TOTP enrolment: a new pending secret (kConflict when one is already enabled).
    Result<TotpSetup> BeginTotp(db::Transaction& tx, const TenantId& tenant, const Uuid& user_id);
    // Confirms the pending secret with a code from the app; returns fresh recovery codes.
    Result<std::vector<std::string>> ConfirmTotp(db::Transaction& tx, const TenantId& tenant,
                                                 const Uuid& user_id, std::string_view code);
    // Turns the second factor off, consuming a current code (the password was checked by
    // VerifySelf); refused when the tenant requires MFA for the user's role.
    Result<void> DisableTotp(db::Transaction& tx, const TenantId& tenant, const Uuid& user_id,
                             std::string_view code);
    // New recovery codes (the old ones stop working), after a current code.
    Result<std::vector<std::string>> RegenerateRecoveryCodes(db::Transaction& tx,
                                                             const TenantId& tenant,
                                                             const Uuid& user_id,
                                                             std::string_view code);

    // Hashes a new password for a user being created (the policy is checked by the caller).
    Result<std::string> HashPassword(std::string_view password) { return hasher_.Hash(password); }
    // Ends every session of a user (deactivation, role change, reset).
    Result<void> RevokeAllSessions(db::Transaction& tx, const TenantId& tenant, const Uuid& user,
                                   std::string_view reason);

    // A failure counter (auth_throttle row) and how many failures in a window lock it.
    struct ThrottleKey {
        std::string key;
        int limit = 0;
    };

  private:
    // kRateLimited with Retry-After while any of `keys` is locked.
    Result<void> CheckThrottle(const std::vector<ThrottleKey>& keys);
    Result<std::optional<int64_t>> LockedFor(db::Transaction& tx,
                                             const std::vector<ThrottleKey>& keys);
    // Counts a failure on every key, in its own transaction (the request's rolls back).
    void RecordFailure(const std::vector<ThrottleKey>& keys, const std::optional<User>& user,
                       std::string_view reason, const RequestMeta& meta);
    Result<std::string> Restriction(db::Transaction& tx, const User& user);
    Result<Session> IssueSession(db::Transaction& tx, const User& user,
                                 const std::optional<Uuid>& family);
    Result<User> LoadSelf(db::Transaction& tx, const TenantId& tenant, const Uuid& user_id);
    Result<int64_t> CheckTotp(const User& user, std::string_view code, std::string_view field);

    db::Database& database_;
    const Clock& clock_;
    IdGenerator& ids_;
    const config::Config& config_;
    const auth::TokenCodec& tokens_;
    auth::PasswordHasher& hasher_;
};

}  // namespace omc::identity
