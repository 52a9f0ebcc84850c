#include "platform/auth/password.hpp"

#include <sodium.h>

#include <array>
#include <atomic>
#include <future>
#include <latch>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace omc::auth {
namespace {

using namespace std::chrono_literals;
using namespace std::string_view_literals;

// libsodium's Argon2id minimums: each hash takes well under a millisecond, even under ASan.
constexpr PasswordParams kCheap{crypto_pwhash_argon2id_OPSLIMIT_MIN,
                                crypto_pwhash_argon2id_MEMLIMIT_MIN};
constexpr PasswordParams kCheapButSlower{crypto_pwhash_argon2id_OPSLIMIT_MIN + 1,
                                         crypto_pwhash_argon2id_MEMLIMIT_MIN * 2};

constexpr char kGoodPassword[] = "correct horse battery staple";

TEST(PasswordHasherTest, HashThenVerifyMatches) {
    const PasswordHasher hasher(kCheap);
    auto encoded = hasher.Hash(kGoodPassword);
    ASSERT_TRUE(encoded.ok());
    EXPECT_EQ(encoded->rfind("$argon2id$v=19$m=8,t=1,p=1$", 0), 0u) << *encoded;
    auto outcome = hasher.Verify(*encoded, kGoodPassword);
    ASSERT_TRUE(outcome.ok());
    EXPECT_TRUE(outcome->matches);
    EXPECT_FALSE(outcome->needs_rehash);
}

TEST(PasswordHasherTest, WrongPasswordDoesNotMatch) {
    const PasswordHasher hasher(kCheap);
    auto encoded = hasher.Hash(kGoodPassword);
    ASSERT_TRUE(encoded.ok());
    for (std::string_view wrong :
         {"correct horse battery stapl", "Correct horse battery staple", "", "x"}) {
        auto outcome = hasher.Verify(*encoded, wrong);
        ASSERT_TRUE(outcome.ok());
        EXPECT_FALSE(outcome->matches) << wrong;
        EXPECT_FALSE(outcome->needs_rehash) << wrong;
    }
}

TEST(PasswordHasherTest, SamePasswordHashesDifferentlyEachTime) {
    const PasswordHasher hasher(kCheap);
    auto a = hasher.Hash(kGoodPassword);
    auto b = hasher.Hash(kGoodPassword);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_NE(*a, *b);  // a fresh salt every time
    EXPECT_TRUE(hasher.Verify(*b, kGoodPassword)->matches);
}

TEST(PasswordHasherTest, EmptyAndMultibytePasswordsRoundTrip) {
    const PasswordHasher hasher(kCheap);
    for (std::string_view password : {""sv, "Ɛyɛ dɛ sɛ wobɛba ɔkyena"sv, "pass\0word"sv}) {
        auto encoded = hasher.Hash(password);
        ASSERT_TRUE(encoded.ok());
        EXPECT_TRUE(hasher.Verify(*encoded, password)->matches) << password;
    }
}

TEST(PasswordHasherTest, DefaultParamsAreOwaspArgon2id) {
    const PasswordHasher hasher;  // 19 MiB, t=2: the one slow test
    EXPECT_EQ(hasher.params().ops_limit, 2u);
    EXPECT_EQ(hasher.params().mem_limit_bytes, 19u * 1024 * 1024);
    auto encoded = hasher.Hash(kGoodPassword);
    ASSERT_TRUE(encoded.ok());
    EXPECT_NE(encoded->find("$argon2id$v=19$m=19456,t=2,p=1$"), std::string::npos) << *encoded;
    EXPECT_TRUE(hasher.Verify(*encoded, kGoodPassword)->matches);
}

TEST(PasswordHasherTest, ChangedParamsFlagRehashOnlyWhenThePasswordMatches) {
    const PasswordHasher old_hasher(kCheap);
    const PasswordHasher new_hasher(kCheapButSlower);
    auto old_hash = old_hasher.Hash(kGoodPassword);
    ASSERT_TRUE(old_hash.ok());

    auto outcome = new_hasher.Verify(*old_hash, kGoodPassword);
    ASSERT_TRUE(outcome.ok());
    EXPECT_TRUE(outcome->matches);  // verified with the parameters inside the hash
    EXPECT_TRUE(outcome->needs_rehash);

    auto wrong = new_hasher.Verify(*old_hash, "not the password at all");
    ASSERT_TRUE(wrong.ok());
    EXPECT_FALSE(wrong->matches);
    EXPECT_FALSE(wrong->needs_rehash);

    // After the upgrade the new hash is current for the new hasher, stale for the old one.
    auto new_hash = new_hasher.Hash(kGoodPassword);
    ASSERT_TRUE(new_hash.ok());
    EXPECT_FALSE(new_hasher.Verify(*new_hash, kGoodPassword)->needs_rehash);
    EXPECT_TRUE(old_hasher.Verify(*new_hash, kGoodPassword)->needs_rehash);
}

TEST(PasswordHasherTest, Argon2iHashIsAcceptedAndUpgraded) {
    std::array<char, crypto_pwhash_STRBYTES> out{};
    ASSERT_EQ(
        crypto_pwhash_str_alg(out.data(), kGoodPassword, sizeof kGoodPassword - 1,
                              crypto_pwhash_argon2i_OPSLIMIT_MIN,
                              crypto_pwhash_argon2i_MEMLIMIT_MIN, crypto_pwhash_ALG_ARGON2I13),
        0);
    const PasswordHasher hasher(
        PasswordParams{crypto_pwhash_argon2i_OPSLIMIT_MIN, crypto_pwhash_argon2i_MEMLIMIT_MIN});
    auto outcome = hasher.Verify(out.data(), kGoodPassword);
    ASSERT_TRUE(outcome.ok());
    EXPECT_TRUE(outcome->matches);
    EXPECT_TRUE(outcome->needs_rehash);  // same costs, older algorithm
}

TEST(PasswordHasherTest, MalformedEncodedHashDoesNotMatch) {
    const PasswordHasher hasher(kCheap);
    auto good = hasher.Hash(kGoodPassword);
    ASSERT_TRUE(good.ok());
    std::string truncated = good->substr(0, good->size() - 10);
    std::string with_nul = *good;
    with_nul[20] = '\0';
    std::string wrong_algorithm = *good;
    wrong_algorithm.replace(0, 10, "$argon2d$");
    const std::string too_long = *good + std::string(200, 'A');
    for (const std::string& encoded :
         {std::string(), std::string("not a hash"), std::string("$argon2id$"),
          std::string("$argon2id$v=19$m=19456,t=2,p=1$$"),
          std::string("$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"), truncated,
          with_nul, wrong_algorithm, too_long}) {
        auto outcome = hasher.Verify(encoded, kGoodPassword);
        ASSERT_TRUE(outcome.ok()) << encoded;
        EXPECT_FALSE(outcome->matches) << encoded;
        EXPECT_FALSE(outcome->needs_rehash) << encoded;
    }
}

TEST(PasswordHasherTest, OverlongPasswordIsRefusedByHashAndNeverMatches) {
    const PasswordHasher hasher(kCheap);
    const std::string overlong(kMaxPasswordBytes + 1, 'a');
    auto hashed = hasher.Hash(overlong);
    ASSERT_FALSE(hashed.ok());
    EXPECT_EQ(hashed.error().code(), ErrorCode::kInvalidArgument);

    const std::string longest(kMaxPasswordBytes, 'a');
    auto encoded = hasher.Hash(longest);
    ASSERT_TRUE(encoded.ok());
    EXPECT_TRUE(hasher.Verify(*encoded, longest)->matches);
    auto outcome = hasher.Verify(*encoded, overlong);
    ASSERT_TRUE(outcome.ok());
    EXPECT_FALSE(outcome->matches);
}

TEST(PasswordHasherTest, VerifyDummySucceedsAndTakesASlot) {
    PasswordHasher hasher(kCheap);
    int calls = 0;
    hasher.TEST_SetInsideSlotHook([&] { ++calls; });
    EXPECT_TRUE(hasher.VerifyDummy(kGoodPassword).ok());
    EXPECT_TRUE(hasher.VerifyDummy("").ok());
    // It does the Argon2id work of a real verify, inside the same concurrency bound.
    EXPECT_EQ(calls, 2);
}

// One thread holds the only slot (parked inside it by the hook) while another asks for one: the
// second is refused after its timeout, and succeeds once the slot is released. Deterministic: the
// hook's latches, not sleeps, order the two threads.
TEST(PasswordHasherTest, CallerBeyondTheBoundGetsUnavailable) {
    PasswordHasher hasher(kCheap, /*max_concurrent=*/1, /*wait_timeout=*/10ms);
    std::latch holder_inside(1);
    std::latch release_holder(1);
    std::atomic<bool> park_next{true};
    hasher.TEST_SetInsideSlotHook([&] {
        if (park_next.exchange(false)) {
            holder_inside.count_down();
            release_holder.wait();
        }
    });
    auto holder = std::async(std::launch::async, [&] { return hasher.Hash(kGoodPassword); });
    holder_inside.wait();

    auto refused_hash = hasher.Hash(kGoodPassword);
    ASSERT_FALSE(refused_hash.ok());
    EXPECT_EQ(refused_hash.error().code(), ErrorCode::kUnavailable);
    EXPECT_EQ(refused_hash.error().message(), "too many sign-ins at once; try again");
    auto refused_verify = hasher.Verify("$argon2id$whatever", kGoodPassword);
    ASSERT_FALSE(refused_verify.ok());
    EXPECT_EQ(refused_verify.error().code(), ErrorCode::kUnavailable);
    auto refused_dummy = hasher.VerifyDummy(kGoodPassword);
    ASSERT_FALSE(refused_dummy.ok());
    EXPECT_EQ(refused_dummy.error().code(), ErrorCode::kUnavailable);

    release_holder.count_down();
    auto held = holder.get();
    ASSERT_TRUE(held.ok());
    // The slot came back: the next caller is served, and the holder's hash is good.
    auto outcome = hasher.Verify(*held, kGoodPassword);
    ASSERT_TRUE(outcome.ok());
    EXPECT_TRUE(outcome->matches);
}

// A caller that finds every slot busy waits, and is served when one frees within its timeout.
TEST(PasswordHasherTest, WaiterIsServedWhenASlotFrees) {
    PasswordHasher hasher(kCheap, /*max_concurrent=*/1, /*wait_timeout=*/10s);
    std::latch holder_inside(1);
    std::latch release_holder(1);
    std::atomic<bool> park_next{true};
    hasher.TEST_SetInsideSlotHook([&] {
        if (park_next.exchange(false)) {
            holder_inside.count_down();
            release_holder.wait();
        }
    });
    auto holder = std::async(std::launch::async, [&] { return hasher.Hash(kGoodPassword); });
    holder_inside.wait();
    auto waiter = std::async(std::launch::async, [&] { return hasher.Hash(kGoodPassword); });
    // The waiter cannot finish while the holder is parked, whatever the scheduling.
    EXPECT_EQ(waiter.wait_for(20ms), std::future_status::timeout);
    release_holder.count_down();
    EXPECT_TRUE(holder.get().ok());
    EXPECT_TRUE(waiter.get().ok());
}

TEST(PasswordHasherTest, NeverMoreThanMaxConcurrentInsideAtOnce) {
    constexpr int kMaxConcurrent = 2;
    constexpr int kThreads = 8;
    PasswordHasher hasher(kCheap, kMaxConcurrent, 30s);
    std::atomic<int> inside{0};
    std::atomic<int> peak{0};
    hasher.TEST_SetInsideSlotHook([&] {
        const int now = ++inside;
        int seen = peak.load();
        while (now > seen && !peak.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(2ms);  // widen the window in which a third could enter
        --inside;
    });
    std::vector<std::future<Result<std::string>>> results;
    results.reserve(kThreads);
    for (int i = 0; i < kThreads; ++i) {
        results.push_back(
            std::async(std::launch::async, [&] { return hasher.Hash(kGoodPassword); }));
    }
    for (auto& r : results) EXPECT_TRUE(r.get().ok());
    EXPECT_GE(peak.load(), 1);
    EXPECT_LE(peak.load(), kMaxConcurrent);
}

// ---- ValidateNewPassword ----

std::string RejectionReason(std::string_view password, std::string_view username = "kofi.mensah",
                            std::string_view email = "kofi.mensah@example.com.gh") {
    auto result = ValidateNewPassword(password, username, email);
    if (result.ok()) return "";
    EXPECT_EQ(result.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(result.error().fields().size(), 1u);
    if (result.error().fields().empty()) return "?";
    EXPECT_EQ(result.error().fields()[0].field, "new_password");
    return result.error().fields()[0].message;
}

TEST(PasswordValidationTest, AcceptsLongUncommonPasswords) {
    EXPECT_EQ(RejectionReason(kGoodPassword), "");
    EXPECT_EQ(RejectionReason("tema-harbour-at-dawn"), "");
    EXPECT_EQ(RejectionReason("abcdefghijk!"), "");               // exactly 12
    EXPECT_EQ(RejectionReason("            a"), "");              // spaces count: NIST allows them
    EXPECT_EQ(RejectionReason(std::string(255, 'a') + "b"), "");  // exactly 256 bytes
}

TEST(PasswordValidationTest, CountsCharactersNotBytes) {
    // 11 two-byte letters: 22 bytes but too short.
    EXPECT_EQ(RejectionReason("ɛɔŋɛɔŋɛɔŋɛɔ"), "must be at least 12 characters");
    // 12 of them: long enough.
    EXPECT_EQ(RejectionReason("ɛɔŋɛɔŋɛɔŋɛɔŋ"), "");
    // 12 four-byte emoji.
    EXPECT_EQ(RejectionReason("🇬🇭🇬🇭🇬🇭🇬🇭🇬🇭🇬🇭"), "");
}

TEST(PasswordValidationTest, RefusesShortAndOverlong) {
    EXPECT_EQ(RejectionReason(""), "must be at least 12 characters");
    EXPECT_EQ(RejectionReason("abcdefghijk"), "must be at least 12 characters");
    EXPECT_EQ(RejectionReason(std::string(256, 'a') + "b"), "must be at most 256 bytes");
    // 129 two-byte characters = 258 bytes: the byte limit applies, not the character count.
    std::string wide;
    for (int i = 0; i < 129; ++i) wide += "ɛ";
    EXPECT_EQ(RejectionReason(wide), "must be at most 256 bytes");
}

TEST(PasswordValidationTest, RefusesInvalidUtf8) {
    for (std::string_view bad : {std::string_view("abcdefghijkl\xff"),
                                 std::string_view("abcdefghijkl\xc3"),              // truncated
                                 std::string_view("abcdefghijkl\xc0\xaf"),          // overlong '/'
                                 std::string_view("abcdefghijkl\xed\xa0\x80"),      // surrogate
                                 std::string_view("abcdefghijkl\xf4\x90\x80\x80"),  // > U+10FFFF
                                 std::string_view("abcdefghijkl\x80")}) {
        EXPECT_EQ(RejectionReason(bad), "must be valid UTF-8 text");
    }
}

TEST(PasswordValidationTest, RefusesOneRepeatedCharacter) {
    EXPECT_EQ(RejectionReason("aaaaaaaaaaaa"), "must not be one character repeated");
    EXPECT_EQ(RejectionReason("ɛɛɛɛɛɛɛɛɛɛɛɛɛɛ"), "must not be one character repeated");
    EXPECT_EQ(RejectionReason("aaaaaaaaaaab"), "");
}

TEST(PasswordValidationTest, RefusesUsernameAndEmailIgnoringCase) {
    EXPECT_EQ(RejectionReason("Kofi.Mensah.Accra", "kofi.mensah.accra", ""),
              "must not be your username");
    EXPECT_EQ(RejectionReason("KOFI.MENSAH@EXAMPLE.COM.GH"), "must not be your email address");
    EXPECT_EQ(RejectionReason("abena.owusu.1990", "", "Abena.Owusu.1990@example.com"),
              "must not be your email address");  // the local part
    // Containing them is allowed: NIST asks for equality checks, not substring bans.
    EXPECT_EQ(RejectionReason("kofi.mensah is my name"), "");
    // No username or email given: nothing to compare.
    EXPECT_EQ(RejectionReason("kofi.mensah.accra", "", ""), "");
}

TEST(PasswordValidationTest, RefusesCommonPasswordsIgnoringCase) {
    for (std::string_view common : {"password1234", "123456789012", "qwertyuiop12", "accra1234567",
                                    "PassWord1234", "QWERTYUIOP12"}) {
        EXPECT_EQ(RejectionReason(common), "is too common; choose another") << common;
    }
}

// ---- GeneratePassword ----

TEST(PasswordGenerateTest, LengthAndUnambiguousAlphabet) {
    for (size_t length : {kMinPasswordChars, kGeneratedPasswordChars, size_t{64}}) {
        const std::string password = GeneratePassword(length);
        EXPECT_EQ(password.size(), length);
        EXPECT_EQ(password.find_first_of("0O1lI"), std::string::npos) << password;
        for (char c : password) {
            EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '2' && c <= '9'))
                << password;
        }
    }
    EXPECT_EQ(GeneratePassword().size(), kGeneratedPasswordChars);
}

TEST(PasswordGenerateTest, PassesValidationAndDoesNotRepeat) {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const std::string password = GeneratePassword();
        EXPECT_TRUE(ValidateNewPassword(password, "admin", "admin@example.com").ok()) << password;
        EXPECT_TRUE(seen.insert(password).second) << password;
    }
}

TEST(PasswordGenerateTest, UsesEveryAllowedSymbol) {
    // 57 symbols; 4000 draws miss a given one with probability about 57 * e^-70.
    std::set<char> symbols;
    for (int i = 0; i < 200; ++i) {
        for (char c : GeneratePassword()) symbols.insert(c);
    }
    EXPECT_EQ(symbols.size(), 57u);
}

}  // namespace
}  // namespace omc::auth
