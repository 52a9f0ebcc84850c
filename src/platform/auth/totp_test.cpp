#include "platform/auth/totp.hpp"

#include <iterator>
#include <set>

#include <gtest/gtest.h>

namespace omc::auth {
namespace {

using namespace std::string_view_literals;

// RFC 4226 Appendix D and RFC 6238 Appendix B use this ASCII secret for HMAC-SHA1.
constexpr std::string_view kRfcSecret = "12345678901234567890";

TimestampUs AtSeconds(int64_t seconds) { return seconds * kUsPerSecond; }

// ---- Base32 ----

struct Base32Vector {
    std::string_view data;
    std::string_view padded;
    std::string_view unpadded;
};
// RFC 4648 section 10.
constexpr Base32Vector kRfc4648[] = {
    {"", "", ""},
    {"f", "MY======", "MY"},
    {"fo", "MZXQ====", "MZXQ"},
    {"foo", "MZXW6===", "MZXW6"},
    {"foob", "MZXW6YQ=", "MZXW6YQ"},
    {"fooba", "MZXW6YTB", "MZXW6YTB"},
    {"foobar", "MZXW6YTBOI======", "MZXW6YTBOI"},
};

TEST(Base32Test, EncodesRfc4648VectorsWithoutPadding) {
    for (const auto& v : kRfc4648) EXPECT_EQ(Base32Encode(v.data), v.unpadded) << v.data;
    EXPECT_EQ(Base32Encode(kRfcSecret), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST(Base32Test, DecodesRfc4648VectorsPaddedOrNot) {
    for (const auto& v : kRfc4648) {
        EXPECT_EQ(Base32Decode(v.padded), std::string(v.data)) << v.padded;
        EXPECT_EQ(Base32Decode(v.unpadded), std::string(v.data)) << v.unpadded;
    }
}

TEST(Base32Test, DecodeAcceptsLowerCaseAndSpaces) {
    EXPECT_EQ(Base32Decode("mzxw6ytboi"), "foobar");
    EXPECT_EQ(Base32Decode("MzXw 6YtB oI== ===="), "foobar");
    EXPECT_EQ(Base32Decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"), std::string(kRfcSecret));
}

TEST(Base32Test, DecodeRefusesCharactersOutsideTheAlphabet) {
    for (std::string_view bad : {"MZXW6YT0"sv, "MZXW6YT1"sv, "MZXW6YT8"sv, "MZXW-6YTB"sv,
                                 "MZXW6YTB\n"sv, "MZXW6YTB\t"sv, "M\0XW"sv, "MZXW6YTB\xc3\xa9"sv}) {
        EXPECT_EQ(Base32Decode(bad), std::nullopt) << bad;
    }
}

TEST(Base32Test, RoundTripsEveryByteValue) {
    std::string all;
    for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
    for (size_t n = 0; n <= all.size(); n += 7) {
        const std::string data = all.substr(0, n);
        EXPECT_EQ(Base32Decode(Base32Encode(data)), data) << n;
    }
}

// ---- HOTP / TOTP codes ----

TEST(TotpTest, HotpMatchesRfc4226Vectors) {
    constexpr std::string_view kExpected[] = {"755224", "287082", "359152", "969429", "338314",
                                              "254676", "287922", "162583", "399871", "520489"};
    for (uint64_t counter = 0; counter < std::size(kExpected); ++counter) {
        EXPECT_EQ(HotpCode(kRfcSecret, counter, 6), kExpected[counter]) << counter;
    }
}

TEST(TotpTest, MatchesRfc6238Sha1Vectors) {
    struct Vector {
        int64_t unix_seconds;
        int64_t step;
        std::string_view eight_digits;
    };
    constexpr Vector kVectors[] = {
        {59, 1, "94287082"},
        {1111111109, 37037036, "07081804"},
        {1111111111, 37037037, "14050471"},
        {1234567890, 41152263, "89005924"},
        {2000000000, 66666666, "69279037"},
        {20000000000, 666666666, "65353130"},
    };
    for (const auto& v : kVectors) {
        const int64_t step = TotpStep(AtSeconds(v.unix_seconds));
        EXPECT_EQ(step, v.step) << v.unix_seconds;
        EXPECT_EQ(HotpCode(kRfcSecret, static_cast<uint64_t>(step), 8), v.eight_digits);
        // Six digits are the last six of the eight (the same number, mod 10^6).
        EXPECT_EQ(TotpCode(kRfcSecret, step), v.eight_digits.substr(2)) << v.unix_seconds;
    }
}

TEST(TotpTest, CodesAreSixZeroPaddedDigits) {
    // 07081804 -> 081804: the leading zero is kept.
    EXPECT_EQ(TotpCode(kRfcSecret, 37037036), "081804");
    for (int64_t step = 0; step < 200; ++step) {
        const std::string code = TotpCode("another secret", step);
        ASSERT_EQ(code.size(), 6u);
        EXPECT_EQ(code.find_first_not_of("0123456789"), std::string::npos) << code;
    }
}

TEST(TotpTest, StepIsThirtySecondsFloored) {
    EXPECT_EQ(TotpStep(0), 0);
    EXPECT_EQ(TotpStep(AtSeconds(30) - 1), 0);
    EXPECT_EQ(TotpStep(AtSeconds(30)), 1);
    EXPECT_EQ(TotpStep(AtSeconds(59)), 1);
    EXPECT_EQ(TotpStep(-1), -1);  // before 1970 floors down, not towards zero
    EXPECT_EQ(TotpStep(AtSeconds(-30)), -1);
    EXPECT_EQ(TotpStep(AtSeconds(-31)), -2);
}

TEST(TotpTest, GeneratedSecretsAreTwentyRandomBytes) {
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        const std::string secret = GenerateTotpSecret();
        EXPECT_EQ(secret.size(), kTotpSecretBytes);
        EXPECT_TRUE(seen.insert(secret).second);
    }
    // 20 bytes are exactly 32 Base32 characters, with no padding to explain to anyone.
    EXPECT_EQ(Base32Encode(GenerateTotpSecret()).size(), 32u);
}

// ---- VerifyTotp ----

class TotpVerifyTest : public ::testing::Test {
  protected:
    // 1234567890 s: step 41152263, 0 s into it.
    const TimestampUs now_ = AtSeconds(1234567890);
    const int64_t step_ = 41152263;
    const int64_t never_used_ = -1;
};

TEST_F(TotpVerifyTest, AcceptsTheCurrentStep) {
    EXPECT_EQ(VerifyTotp(kRfcSecret, "005924", now_, never_used_), step_);
    // Anywhere inside the step.
    EXPECT_EQ(VerifyTotp(kRfcSecret, "005924", now_ + AtSeconds(29), never_used_), step_);
}

TEST_F(TotpVerifyTest, AcceptsOneStepEitherSide) {
    EXPECT_EQ(VerifyTotp(kRfcSecret, TotpCode(kRfcSecret, step_ - 1), now_, never_used_),
              step_ - 1);
    EXPECT_EQ(VerifyTotp(kRfcSecret, TotpCode(kRfcSecret, step_ + 1), now_, never_used_),
              step_ + 1);
}

TEST_F(TotpVerifyTest, RefusesStepsOutsideTheWindow) {
    for (int64_t offset : {-10, -3, -2, 2, 3, 10}) {
        const std::string code = TotpCode(kRfcSecret, step_ + offset);
        // Skip the rare code that happens to equal one inside the window.
        bool collides = false;
        for (int64_t near = -1; near <= 1; ++near) {
            collides = collides || code == TotpCode(kRfcSecret, step_ + near);
        }
        if (collides) continue;
        EXPECT_EQ(VerifyTotp(kRfcSecret, code, now_, never_used_), std::nullopt) << offset;
    }
}

TEST_F(TotpVerifyTest, RefusesAReplayOfTheSameStep) {
    const auto first = VerifyTotp(kRfcSecret, "005924", now_, never_used_);
    ASSERT_EQ(first, step_);
    EXPECT_EQ(VerifyTotp(kRfcSecret, "005924", now_, *first), std::nullopt);
    // Still refused ten seconds later, while the code is still on the user's screen.
    EXPECT_EQ(VerifyTotp(kRfcSecret, "005924", now_ + AtSeconds(10), *first), std::nullopt);
}

TEST_F(TotpVerifyTest, RefusesAnyStepNotLaterThanTheLastUsed) {
    // The user signed in with the next step's code (phone clock a little fast): the current and
    // previous codes, though inside the window, are now spent too.
    const auto used = VerifyTotp(kRfcSecret, TotpCode(kRfcSecret, step_ + 1), now_, never_used_);
    ASSERT_EQ(used, step_ + 1);
    EXPECT_EQ(VerifyTotp(kRfcSecret, TotpCode(kRfcSecret, step_), now_, *used), std::nullopt);
    EXPECT_EQ(VerifyTotp(kRfcSecret, TotpCode(kRfcSecret, step_ - 1), now_, *used), std::nullopt);
    // Two steps on, the next fresh code works.
    const TimestampUs later = now_ + AtSeconds(60);
    EXPECT_EQ(VerifyTotp(kRfcSecret, TotpCode(kRfcSecret, step_ + 2), later, *used), step_ + 2);
}

TEST_F(TotpVerifyTest, AcceptsALaterStepAfterAnEarlierOne) {
    const auto first = VerifyTotp(kRfcSecret, TotpCode(kRfcSecret, step_ - 1), now_, never_used_);
    ASSERT_EQ(first, step_ - 1);
    EXPECT_EQ(VerifyTotp(kRfcSecret, TotpCode(kRfcSecret, step_), now_, *first), step_);
}

TEST_F(TotpVerifyTest, RefusesWrongCodesAndBadFormats) {
    EXPECT_EQ(VerifyTotp(kRfcSecret, "005925", now_, never_used_), std::nullopt);
    for (std::string_view bad :
         {""sv, "05924"sv, "0059240"sv, "89005924"sv, " 005924"sv, "005924 "sv, "005 924"sv,
          "00592a"sv, "+05924"sv, "-05924"sv, "00592\0"sv, "００５９２４"sv}) {
        EXPECT_EQ(VerifyTotp(kRfcSecret, bad, now_, never_used_), std::nullopt) << bad;
    }
}

TEST_F(TotpVerifyTest, RefusesAnEmptySecret) {
    EXPECT_EQ(VerifyTotp("", TotpCode("", step_), now_, never_used_), std::nullopt);
}

TEST_F(TotpVerifyTest, AnotherSecretsCodeDoesNotVerify) {
    const std::string other = "abcdefghijklmnopqrst";
    const std::string code = TotpCode(other, step_);
    ASSERT_NE(code, TotpCode(kRfcSecret, step_));
    EXPECT_EQ(VerifyTotp(other, code, now_, never_used_), step_);
    EXPECT_EQ(VerifyTotp(kRfcSecret, code, now_, never_used_), std::nullopt);
}

// ---- otpauth URI ----

TEST(TotpTest, OtpauthUriHasTheKeyUriFormat) {
    EXPECT_EQ(OtpauthUri("OMC ERP", "kofi@example.com", kRfcSecret),
              "otpauth://totp/OMC%20ERP:kofi%40example.com"
              "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=OMC%20ERP"
              "&algorithm=SHA1&digits=6&period=30");
}

TEST(TotpTest, OtpauthUriPercentEncodesEverythingButUnreserved) {
    const std::string uri = OtpauthUri("A-Z_a.z~0", "x:y/?#&=+ é", "f");
    EXPECT_EQ(uri,
              "otpauth://totp/A-Z_a.z~0:x%3Ay%2F%3F%23%26%3D%2B%20%C3%A9"
              "?secret=MY&issuer=A-Z_a.z~0&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace omc::auth
