// Time-based one-time passwords (RFC 6238) for a second sign-in factor, with the parameters every
// authenticator app understands: HMAC-SHA1, 6 digits, 30-second steps. Secrets are raw bytes here;
// Base32 is only for showing them to a person or an app.
// docs/adr/0010-passwords-and-second-factor.md
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/base/clock.hpp"

namespace omc::auth {

inline constexpr int kTotpDigits = 6;
inline constexpr int64_t kTotpStepSeconds = 30;
// RFC 4226 asks for at least 128 bits and recommends 160: the size of an SHA-1 block's key.
inline constexpr size_t kTotpSecretBytes = 20;
// Steps either side of now still accepted: a phone clock a little off, or a code typed as it
// turned over. RFC 6238 section 5.2 recommends at most one.
inline constexpr int64_t kTotpWindowSteps = 1;

// RFC 4648 Base32 (A-Z, 2-7) without '=' padding, as otpauth URIs carry secrets.
std::string Base32Encode(std::string_view data);
// Accepts upper or lower case and ignores spaces and '=' (people copy secrets in groups, apps pad
// them). nullopt on any other character. Trailing bits short of a byte are dropped.
std::optional<std::string> Base32Decode(std::string_view text);

// kTotpSecretBytes random bytes (libsodium).
std::string GenerateTotpSecret();

// The 30-second step containing `now` (floor of Unix seconds / 30).
int64_t TotpStep(TimestampUs now);

// The kTotpDigits-digit code for `step`, zero-padded.
std::string TotpCode(std::string_view secret, int64_t step);

// RFC 4226 HOTP with HMAC-SHA1: the low `digits` (6 to 8) decimal digits of the dynamically
// truncated HMAC of the big-endian `counter`, zero-padded. TOTP is HOTP of the step; exposed to
// test against the RFCs' 8-digit vectors.
std::string HotpCode(std::string_view secret, uint64_t counter, int digits);

// Checks `code` against the steps within kTotpWindowSteps of `now`. Returns the step it matched
// only if that step is later than `last_used_step`, so a code, or any code older than the last one
// used, cannot be replayed: the caller stores the returned step as the new last_used_step (in the
// same transaction that lets the user in). nullopt for no match, a replay, an empty secret, or a
// code that is not exactly kTotpDigits ASCII digits. Codes are compared in constant time.
std::optional<int64_t> VerifyTotp(std::string_view secret, std::string_view code, TimestampUs now,
                                  int64_t last_used_step);

// The enrolment URI an authenticator app reads from a QR code:
// otpauth://totp/<issuer>:<account>?secret=<BASE32>&issuer=<issuer>&algorithm=SHA1&digits=6&period=30
// with issuer and account percent-encoded (RFC 3986 unreserved characters kept).
std::string OtpauthUri(std::string_view issuer, std::string_view account, std::string_view secret);

}  // namespace omc::auth
