#include "platform/auth/token.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace omc::auth {
namespace {

class FixedClock final : public Clock {
  public:
    TimestampUs NowUs() const override { return now_us; }
    TimestampUs now_us = 1'800'000'000'000'000;
};

constexpr char kSecret1[] = "0123456789abcdef0123456789abcdef";
constexpr char kSecret2[] = "fedcba9876543210fedcba9876543210";

class TokenTest : public ::testing::Test {
  protected:
    TokenKeys Keys(const std::string& active = "k1") {
        return TokenKeys{{{"k1", kSecret1}, {"k2", kSecret2}}, active};
    }
    TokenClaims Claims() {
        TokenClaims c;
        c.subject = "user-1";
        c.tenant_id = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
        c.role = "StationManager";
        return c;
    }
    FixedClock clock_;
};

std::string Segment(const std::string& token, int index) {
    size_t start = 0;
    for (int i = 0; i < index; ++i) start = token.find('.', start) + 1;
    const size_t end = token.find('.', start);
    return token.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

TEST_F(TokenTest, SignThenVerifyRoundTrips) {
    TokenCodec codec(Keys(), {}, clock_);
    auto token = codec.Sign(Claims());
    ASSERT_TRUE(token.ok());
    auto claims = codec.Verify(*token);
    ASSERT_TRUE(claims.ok()) << claims.error().detail();
    EXPECT_EQ(claims->subject, "user-1");
    EXPECT_EQ(claims->tenant_id, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    EXPECT_EQ(claims->role, "StationManager");
    EXPECT_EQ(claims->expires_at_us - claims->issued_at_us, 15 * 60 * 1'000'000LL);
}

TEST_F(TokenTest, HeaderFieldsOfTheWrongTypeAreRefusedNotThrown) {
    TokenCodec codec(Keys(), {}, clock_);
    const std::string token = *codec.Sign(Claims());
    const std::string rest = token.substr(token.find('.'));
    for (const char* header :
         {R"({"alg":5,"typ":"JWT","kid":"k1"})", R"({"alg":"HS256","typ":["JWT"],"kid":"k1"})",
          R"({"alg":"HS256","typ":"JWT","kid":{"k":1}})", R"([1,2])"}) {
        auto verified = codec.Verify(Base64UrlEncode(header) + rest);
        ASSERT_FALSE(verified.ok()) << header;
        EXPECT_EQ(verified.error().code(), ErrorCode::kUnauthenticated) << header;
    }
}

TEST_F(TokenTest, ScopesAndRestrictionRoundTrip) {
    TokenCodec codec(Keys(), {}, clock_);
    TokenClaims claims = Claims();
    claims.scopes = {"station:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"};
    claims.restriction = "mfa_enrollment";
    auto verified = codec.Verify(*codec.Sign(claims));
    ASSERT_TRUE(verified.ok());
    EXPECT_EQ(verified->scopes, claims.scopes);
    EXPECT_EQ(verified->restriction, "mfa_enrollment");
}

TEST_F(TokenTest, ExpiredTokenIsRefused) {
    TokenCodec codec(Keys(), {}, clock_);
    auto token = codec.Sign(Claims());
    clock_.now_us += (15 * 60 + 31) * 1'000'000LL;  // lifetime + leeway + 1 s
    auto claims = codec.Verify(*token);
    ASSERT_FALSE(claims.ok());
    EXPECT_EQ(claims.error().code(), ErrorCode::kUnauthenticated);
    EXPECT_EQ(claims.error().detail(), "expired");
}

TEST_F(TokenTest, ACachedTokenStillExpires) {
    TokenCodec codec(Keys(), {}, clock_);
    auto token = codec.Sign(Claims());
    ASSERT_TRUE(codec.Verify(*token).ok());
    ASSERT_TRUE(codec.Verify(*token).ok());  // served from the cache
    clock_.now_us += (15 * 60 + 31) * 1'000'000LL;
    auto claims = codec.Verify(*token);
    ASSERT_FALSE(claims.ok());
    EXPECT_EQ(claims.error().detail(), "expired");
}

TEST_F(TokenTest, AnotherCodecDoesNotTrustThisCodecsCache) {
    TokenCodec codec(Keys(), {}, clock_);
    TokenCodec other(TokenKeys{{{"k1", kSecret2}}, "k1"}, {}, clock_);
    auto token = codec.Sign(Claims());
    ASSERT_TRUE(codec.Verify(*token).ok());
    EXPECT_FALSE(other.Verify(*token).ok());
}

TEST_F(TokenTest, NotYetValidIsRefused) {
    TokenCodec codec(Keys(), {}, clock_);
    TokenClaims c = Claims();
    c.issued_at_us = clock_.now_us;
    c.not_before_us = clock_.now_us + 3600LL * 1'000'000;
    c.expires_at_us = clock_.now_us + 7200LL * 1'000'000;
    auto claims = codec.Verify(*codec.Sign(c));
    ASSERT_FALSE(claims.ok());
    EXPECT_EQ(claims.error().detail(), "not yet valid");
}

TEST_F(TokenTest, AnotherKeysSignatureIsRefused) {
    TokenCodec signer(TokenKeys{{{"k1", kSecret2}}, "k1"}, {}, clock_);  // same kid, other secret
    TokenCodec verifier(Keys(), {}, clock_);
    auto claims = verifier.Verify(*signer.Sign(Claims()));
    ASSERT_FALSE(claims.ok());
    EXPECT_EQ(claims.error().detail(), "bad signature");
}

TEST_F(TokenTest, KeyRotationByKid) {
    TokenCodec old_signer(Keys("k1"), {}, clock_);
    TokenCodec new_signer(Keys("k2"), {}, clock_);
    TokenCodec verifier(Keys("k2"), {}, clock_);
    EXPECT_TRUE(verifier.Verify(*old_signer.Sign(Claims())).ok());
    EXPECT_TRUE(verifier.Verify(*new_signer.Sign(Claims())).ok());
    TokenCodec after_removal(TokenKeys{{{"k2", kSecret2}}, "k2"}, {}, clock_);
    EXPECT_EQ(after_removal.Verify(*old_signer.Sign(Claims())).error().detail(), "unknown kid");
}

TEST_F(TokenTest, AlgNoneIsRefused) {
    TokenCodec codec(Keys(), {}, clock_);
    const std::string token = *codec.Sign(Claims());
    const std::string header = Base64UrlEncode(R"({"alg":"none","typ":"JWT","kid":"k1"})");
    auto claims = codec.Verify(header + "." + Segment(token, 1) + ".");
    ASSERT_FALSE(claims.ok());
    EXPECT_EQ(claims.error().detail(), "alg not HS256");
}

TEST_F(TokenTest, OtherAlgorithmsAreRefusedBeforeVerifying) {
    TokenCodec codec(Keys(), {}, clock_);
    const std::string token = *codec.Sign(Claims());
    for (const char* alg : {"HS512", "RS256", "hs256", "ES256"}) {
        const std::string header =
            Base64UrlEncode(nlohmann::json{{"alg", alg}, {"typ", "JWT"}, {"kid", "k1"}}.dump());
        auto claims = codec.Verify(header + "." + Segment(token, 1) + "." + Segment(token, 2));
        ASSERT_FALSE(claims.ok()) << alg;
        EXPECT_EQ(claims.error().detail(), "alg not HS256") << alg;
    }
}

TEST_F(TokenTest, EditedPayloadIsRefused) {
    TokenCodec codec(Keys(), {}, clock_);
    const std::string token = *codec.Sign(Claims());
    auto payload = nlohmann::json::parse(*Base64UrlDecode(Segment(token, 1)));
    payload["tid"] = "0190a1b2-c3d4-7e5f-8a9b-ffffffffffff";  // another tenant
    auto claims = codec.Verify(Segment(token, 0) + "." + Base64UrlEncode(payload.dump()) + "." +
                               Segment(token, 2));
    ASSERT_FALSE(claims.ok());
    EXPECT_EQ(claims.error().detail(), "bad signature");
}

// The cache hashes a token by its signature's tail only; a token that shares the tail of a cached
// one (an edited payload under a copied signature) must still be verified in full, and refused.
TEST_F(TokenTest, ACachedSignatureDoesNotVouchForAnEditedPayload) {
    TokenCodec codec(Keys(), {}, clock_);
    const std::string token = *codec.Sign(Claims());
    ASSERT_TRUE(codec.Verify(token).ok());  // now cached
    auto payload = nlohmann::json::parse(*Base64UrlDecode(Segment(token, 1)));
    payload["tid"] = "0190a1b2-c3d4-7e5f-8a9b-ffffffffffff";
    const std::string edited =
        Segment(token, 0) + "." + Base64UrlEncode(payload.dump()) + "." + Segment(token, 2);
    ASSERT_EQ(edited.substr(edited.size() - 32), token.substr(token.size() - 32));
    auto claims = codec.Verify(edited);
    ASSERT_FALSE(claims.ok());
    EXPECT_EQ(claims.error().detail(), "bad signature");
    EXPECT_EQ(codec.Verify(token)->tenant_id, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
}

TEST_F(TokenTest, WrongIssuerOrAudienceIsRefused) {
    TokenCodec other_iss(Keys(), {.issuer = "someone-else"}, clock_);
    TokenCodec other_aud(Keys(), {.audience = "another-api"}, clock_);
    TokenCodec verifier(Keys(), {}, clock_);
    EXPECT_EQ(verifier.Verify(*other_iss.Sign(Claims())).error().detail(), "wrong iss");
    EXPECT_EQ(verifier.Verify(*other_aud.Sign(Claims())).error().detail(), "wrong aud");
}

TEST_F(TokenTest, GarbageIsRefused) {
    TokenCodec codec(Keys(), {}, clock_);
    for (const char* bad :
         {"", ".", "..", "a.b.c", "a.b", "a.b.c.d", "eyJ.eyJ.sig", "!!!.???.###"}) {
        auto claims = codec.Verify(bad);
        ASSERT_FALSE(claims.ok()) << bad;
        EXPECT_EQ(claims.error().code(), ErrorCode::kUnauthenticated);
        EXPECT_EQ(claims.error().message(), "invalid or expired token");
    }
}

TEST(Base64Url, RoundTripsAllLengths) {
    std::string data;
    for (int i = 0; i < 40; ++i) {
        EXPECT_EQ(*Base64UrlDecode(Base64UrlEncode(data)), data);
        data.push_back(static_cast<char>(i * 37));
    }
    EXPECT_EQ(Base64UrlEncode("hello"), "aGVsbG8");
    EXPECT_FALSE(Base64UrlDecode("aGVsbG8=").has_value());  // padding is not base64url
}

TEST(Hashes, KnownVectors) {
    EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // RFC 4231 test case 2.
    EXPECT_EQ(
        Sha256Hex(HmacSha256("Jefe", "what do ya want for nothing?")),
        Sha256Hex(std::string("\x5b\xdc\xc1\x46\xbf\x60\x75\x4e\x6a\x04\x24\x26\x08\x95\x75\xc7"
                              "\x5a\x00\x3f\x08\x9d\x27\x39\x83\x9d\xec\x58\xb9\x64\xec\x38\x43",
                              32)));
}

}  // namespace
}  // namespace omc::auth
