#include "platform/auth/password.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include "platform/base/assert.hpp"

namespace omc::auth {
namespace {

constexpr char kPasswordField[] = "new_password";

void EnsureSodium() {
    static const int init = sodium_init();  // thread-safe; idempotent
    ERP_INVARIANT(init >= 0, "libsodium failed to initialise");
}

// libsodium reads C strings and pointers; an empty string_view may have a null data().
const char* Bytes(std::string_view s) { return s.empty() ? "" : s.data(); }

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return AsciiLower(x) == AsciiLower(y);
           });
}

// Well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF) decoded to code
// points, or nullopt.
std::optional<std::u32string> DecodeUtf8(std::string_view text) {
    std::u32string out;
    for (size_t i = 0; i < text.size();) {
        const auto lead = static_cast<uint8_t>(text[i]);
        size_t extra = 0;
        char32_t cp = 0;
        char32_t min = 0;
        if (lead < 0x80) {
            cp = lead;
        } else if ((lead & 0xE0) == 0xC0) {
            extra = 1;
            cp = lead & 0x1F;
            min = 0x80;
        } else if ((lead & 0xF0) == 0xE0) {
            extra = 2;
            cp = lead & 0x0F;
            min = 0x800;
        } else if ((lead & 0xF8) == 0xF0) {
            extra = 3;
            cp = lead & 0x07;
            min = 0x10000;
        } else {
            return std::nullopt;
        }
        if (i + extra >= text.size()) return std::nullopt;  // truncated sequence
        for (size_t k = 1; k <= extra; ++k) {
            const auto next = static_cast<uint8_t>(text[i + k]);
            if ((next & 0xC0) != 0x80) return std::nullopt;
            cp = cp << 6 | (next & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
        out.push_back(cp);
        i += extra + 1;
    }
    return out;
}

// The most common passwords of at least kMinPasswordChars from public breach corpora, plus local
// favourites; shorter ones are already refused by length. Lowercase: compared ignoring case.
// NIST asks for a blocklist, not a huge one: the aim is to stop the guesses tried first.
constexpr std::array<std::string_view, 56> kCommonPasswords = {
    "123456789012", "1234567890123", "12345678901234",   "123456123456", "123123123123",
    "121212121212", "123412341234",  "987654321012",     "password1234", "password12345",
    "password123!", "password@123",  "passwordpassword", "p@ssw0rd1234", "p@ssword1234",
    "passw0rd1234", "qwertyuiop12",  "qwertyuiop123",    "qwerty123456", "123456qwerty",
    "qwertyqwerty", "1q2w3e4r5t6y",  "q1w2e3r4t5y6",     "1qaz2wsx3edc", "zaq12wsxcde3",
    "asdfghjkl123", "asdfasdfasdf",  "1234qwerasdf",     "abc123abc123", "abcd12345678",
    "123456789abc", "iloveyou1234",  "iloveyou123!",     "welcome12345", "welcome@1234",
    "admin1234567", "administrator", "letmein12345",     "changeme1234", "football1234",
    "princess1234", "sunshine1234",  "monkey123456",     "superman1234", "accra1234567",
    "ghana1234567", "ghana@123456",  "kumasi123456",     "blackstars12", "blackstars123",
    "akwaaba12345", "godisgood123",  "jesuschrist1",     "jesuslovesme", "godislove123",
    "omcerp123456",
};

constexpr bool IsLowercaseAndLongEnough(std::string_view s) {
    if (s.size() < kMinPasswordChars) return false;
    for (char c : s) {
        if (c >= 'A' && c <= 'Z') return false;
    }
    return true;
}
constexpr bool CommonPasswordsWellFormed() {
    for (std::string_view p : kCommonPasswords) {
        if (!IsLowercaseAndLongEnough(p)) return false;
    }
    return true;
}
static_assert(CommonPasswordsWellFormed(), "blocklist entries are lowercase, >= 12 characters");

bool IsCommonPassword(std::string_view password) {
    return std::any_of(kCommonPasswords.begin(), kCommonPasswords.end(),
                       [&](std::string_view p) { return EqualsIgnoringAsciiCase(p, password); });
}

}  // namespace

// Holds one of the hasher's slots until destroyed.
class PasswordHasher::Slot {
  public:
    explicit Slot(const PasswordHasher* owner) : owner_(owner) {}
    Slot(Slot&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)) {}
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() {
        if (owner_ != nullptr) owner_->Release();
    }

  private:
    const PasswordHasher* owner_;
};

PasswordHasher::PasswordHasher(PasswordParams params, int max_concurrent,
                               std::chrono::milliseconds wait_timeout)
    : params_(params),
      max_concurrent_(max_concurrent),
      wait_timeout_(wait_timeout),
      slots_free_(max_concurrent) {
    EnsureSodium();
    ERP_INVARIANT(params_.ops_limit >= crypto_pwhash_argon2id_OPSLIMIT_MIN &&
                      params_.ops_limit <= crypto_pwhash_argon2id_OPSLIMIT_MAX,
                  "Argon2id ops_limit out of range");
    ERP_INVARIANT(params_.mem_limit_bytes >= crypto_pwhash_argon2id_MEMLIMIT_MIN &&
                      params_.mem_limit_bytes <= crypto_pwhash_argon2id_MEMLIMIT_MAX,
                  "Argon2id mem_limit_bytes out of range");
    ERP_INVARIANT(max_concurrent_ >= 1, "PasswordHasher needs at least one slot");
    ERP_INVARIANT(wait_timeout_.count() >= 0, "negative wait_timeout");
    // Hashed with the current parameters, so a dummy verify costs what a real one does for every
    // user whose hash is up to date.
    auto dummy = Hash(GeneratePassword());
    ERP_INVARIANT(dummy.ok(), "could not compute the dummy password hash");
    dummy_hash_ = std::move(dummy).value();
}

Result<PasswordHasher::Slot> PasswordHasher::AcquireSlot() const {
    {
        std::unique_lock lock(mu_);
        if (!slot_freed_.wait_for(lock, wait_timeout_, [this] { return slots_free_ > 0; })) {
            return Error(ErrorCode::kUnavailable, "too many sign-ins at once; try again")
                .WithDetail("no password hashing slot free within " +
                            std::to_string(wait_timeout_.count()) + " ms");
        }
        --slots_free_;
        ERP_ASSERT(slots_free_ >= 0, "password slot count went negative");
    }
    Slot slot(this);
    if (inside_slot_hook_) inside_slot_hook_();
    return slot;
}

void PasswordHasher::Release() const {
    {
        std::lock_guard lock(mu_);
        ++slots_free_;
        ERP_ASSERT(slots_free_ <= max_concurrent_, "password slot released twice");
    }
    slot_freed_.notify_one();
}

Result<std::string> PasswordHasher::Hash(std::string_view password) const {
    if (password.size() > kMaxPasswordBytes) {
        return InvalidArgument("password",
                               "must be at most " + std::to_string(kMaxPasswordBytes) + " bytes");
    }
    OMC_ASSIGN_OR_RETURN(Slot slot, AcquireSlot());
    std::array<char, crypto_pwhash_STRBYTES> out{};
    if (crypto_pwhash_str_alg(out.data(), Bytes(password), password.size(), params_.ops_limit,
                              params_.mem_limit_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        // The only failure for valid parameters is failing to allocate mem_limit_bytes.
        return Error(ErrorCode::kUnavailable, "could not check the password; try again")
            .WithDetail("crypto_pwhash_str_alg failed (out of memory?)");
    }
    return std::string(out.data());
}

Result<VerifyOutcome> PasswordHasher::Verify(std::string_view encoded,
                                             std::string_view password) const {
    // A string longer than libsodium's buffer, or with a NUL inside, cannot be one we made;
    // libsodium parses the rest and refuses what is malformed. The cost parameters inside a
    // well-formed hash are trusted: hashes come from our own database.
    if (password.size() > kMaxPasswordBytes || encoded.size() >= crypto_pwhash_STRBYTES ||
        encoded.find('\0') != std::string_view::npos) {
        return VerifyOutcome{};
    }
    const std::string encoded_c(encoded);
    OMC_ASSIGN_OR_RETURN(Slot slot, AcquireSlot());
    VerifyOutcome outcome;
    outcome.matches =
        crypto_pwhash_str_verify(encoded_c.c_str(), Bytes(password), password.size()) == 0;
    if (outcome.matches) {
        // libsodium compares an Argon2i hash's costs with Argon2i's and would keep it; our policy
        // is Argon2id, so any other algorithm is upgraded too.
        const bool argon2id = encoded.starts_with(crypto_pwhash_argon2id_STRPREFIX);
        outcome.needs_rehash =
            !argon2id || crypto_pwhash_str_needs_rehash(encoded_c.c_str(), params_.ops_limit,
                                                        params_.mem_limit_bytes) != 0;
    }
    return outcome;
}

Result<void> PasswordHasher::VerifyDummy(std::string_view password) const {
    // The outcome is thrown away: nobody can know the random password behind the dummy hash.
    OMC_TRY(Verify(dummy_hash_, password));
    return Ok();
}

Result<void> ValidateNewPassword(std::string_view password, std::string_view username,
                                 std::string_view email) {
    if (password.size() > kMaxPasswordBytes) {
        return InvalidArgument(kPasswordField,
                               "must be at most " + std::to_string(kMaxPasswordBytes) + " bytes");
    }
    const auto chars = DecodeUtf8(password);
    if (!chars) return InvalidArgument(kPasswordField, "must be valid UTF-8 text");
    // Characters, not bytes: "ɛɔŋ" is three letters to the person typing it.
    if (chars->size() < kMinPasswordChars) {
        return InvalidArgument(
            kPasswordField,
            "must be at least " + std::to_string(kMinPasswordChars) + " characters");
    }
    if (std::all_of(chars->begin(), chars->end(),
                    [&](char32_t c) { return c == chars->front(); })) {
        return InvalidArgument(kPasswordField, "must not be one character repeated");
    }
    if (!username.empty() && EqualsIgnoringAsciiCase(password, username)) {
        return InvalidArgument(kPasswordField, "must not be your username");
    }
    if (!email.empty()) {
        const size_t at = email.rfind('@');
        const std::string_view local = at == std::string_view::npos ? email : email.substr(0, at);
        if (EqualsIgnoringAsciiCase(password, email) ||
            (!local.empty() && EqualsIgnoringAsciiCase(password, local))) {
            return InvalidArgument(kPasswordField, "must not be your email address");
        }
    }
    if (IsCommonPassword(password)) {
        return InvalidArgument(kPasswordField, "is too common; choose another");
    }
    return Ok();
}

std::string GeneratePassword(size_t length) {
    ERP_ASSERT(length >= kMinPasswordChars && length <= kMaxPasswordBytes,
               "generated password length out of range");
    length = std::clamp(length, kMinPasswordChars, kMaxPasswordBytes);
    // 57 symbols: A-Z without I and O, a-z without l, 2-9.
    static constexpr std::string_view kAlphabet =
        "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    EnsureSodium();
    std::string out(length, '\0');
    for (char& c : out) {
        // randombytes_uniform rejects and redraws, so every symbol is equally likely.
        c = kAlphabet[randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()))];
    }
    return out;
}

}  // namespace omc::auth
