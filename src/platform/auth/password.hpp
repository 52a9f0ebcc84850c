// Passwords: Argon2id hashing (libsodium), the rules a new password must meet, and generated
// passwords for administrator resets and demo users. docs/adr/0010-passwords-and-second-factor.md
// explains the parameters and why sign-ins are bounded.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "platform/base/result.hpp"

namespace omc::auth {

// A password holds at least this many characters (Unicode code points), as NIST SP 800-63B asks
// of a password chosen without a second factor, and at most this many bytes: a limit on
// everything, and long enough for any passphrase a person types.
inline constexpr size_t kMinPasswordChars = 12;
inline constexpr size_t kMaxPasswordBytes = 256;
inline constexpr size_t kGeneratedPasswordChars = 20;
static_assert(kGeneratedPasswordChars >= kMinPasswordChars);
static_assert(kGeneratedPasswordChars <= kMaxPasswordBytes);

// Argon2id cost. The defaults are OWASP's first recommendation (19 MiB, 2 passes, 1 lane;
// libsodium's crypto_pwhash always uses one lane). Stored hashes carry the parameters they were
// made with, so raising these upgrades each user's hash at their next sign-in.
struct PasswordParams {
    uint64_t ops_limit = 2;
    size_t mem_limit_bytes = size_t{19} * 1024 * 1024;
};

struct VerifyOutcome {
    bool matches = false;
    // The hash was made with other parameters (or Argon2i): store Hash(password) now, while the
    // plain password is at hand.
    bool needs_rehash = false;
};

// Hashes and verifies passwords. Thread-safe; meant to be shared by every request thread.
// Each hash or verify holds `mem_limit_bytes` for tens of milliseconds, so at most
// `max_concurrent` run at once: a burst of sign-ins waits its turn instead of exhausting memory,
// and a caller that waits longer than `wait_timeout` gets kUnavailable (503).
class PasswordHasher {
  public:
    static constexpr int kDefaultMaxConcurrent = 2;
    static constexpr std::chrono::milliseconds kDefaultWaitTimeout{5'000};

    // `params` must be at least libsodium's Argon2id minimums (1 pass, 8 KiB) and max_concurrent
    // at least 1; anything less is a programming mistake (ERP_INVARIANT). Computes the dummy hash
    // for VerifyDummy, so constructing costs one hash.
    explicit PasswordHasher(PasswordParams params = {}, int max_concurrent = kDefaultMaxConcurrent,
                            std::chrono::milliseconds wait_timeout = kDefaultWaitTimeout);

    // The PHC-format string "$argon2id$v=19$m=...,t=...,p=1$salt$hash" with a fresh random salt.
    // kInvalidArgument for a password over kMaxPasswordBytes; kUnavailable when no slot frees up
    // in time or libsodium cannot get the memory.
    Result<std::string> Hash(std::string_view password) const;

    // Checks `password` against a stored `encoded` hash, in constant time for a given hash.
    // A malformed or unsupported `encoded`, or a password over kMaxPasswordBytes, does not match
    // (never an error). needs_rehash is only ever true when the password matches.
    // kUnavailable when no slot frees up in time.
    Result<VerifyOutcome> Verify(std::string_view encoded, std::string_view password) const;

    // Does the work of a failed Verify against a hash of a random password made at construction.
    // Call it when the user does not exist, so that an unknown user costs the same time as a known
    // one and response times do not reveal who has an account. kUnavailable as for Verify.
    Result<void> VerifyDummy(std::string_view password) const;

    const PasswordParams& params() const { return params_; }

    // Test hook: runs inside every hash and verify, while the slot is held, before libsodium.
    // Set it before the hasher is shared between threads.
    void TEST_SetInsideSlotHook(std::function<void()> hook) { inside_slot_hook_ = std::move(hook); }

  private:
    class Slot;
    // Waits up to wait_timeout_ for a free slot; kUnavailable when none frees up.
    Result<Slot> AcquireSlot() const;
    void Release() const;

    PasswordParams params_;
    int max_concurrent_;
    std::chrono::milliseconds wait_timeout_;
    std::string dummy_hash_;
    std::function<void()> inside_slot_hook_;

    // A counting semaphore: slots_free_ of max_concurrent_ slots are free.
    mutable std::mutex mu_;
    mutable std::condition_variable slot_freed_;
    mutable int slots_free_;  // GUARDED_BY(mu_)
};

// NIST SP 800-63B rules for a password a user chooses: kMinPasswordChars to kMaxPasswordBytes of
// valid UTF-8, not one character repeated, not (ignoring ASCII case) the username, the email or
// the email's part before '@', and not one of the most common passwords. No composition rules
// (NIST advises against them). kInvalidArgument naming the field "new_password" with the reason.
Result<void> ValidateNewPassword(std::string_view password, std::string_view username,
                                 std::string_view email);

// A random password of `length` characters (kMinPasswordChars..kMaxPasswordBytes) drawn uniformly
// from letters and digits that cannot be misread: no 0, O, 1, l or I. 20 characters carry about
// 117 bits. For administrator resets and demo users.
std::string GeneratePassword(size_t length = kGeneratedPasswordChars);

}  // namespace omc::auth
