#include "domains/webhooks/signature.hpp"

#include <gtest/gtest.h>

namespace omc::webhooks {
namespace {

// The test vector of the Standard Webhooks reference libraries.
constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* kId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr int64_t kTs = 1614265330;
constexpr const char* kBody = R"({"test": 2432232314})";
constexpr const char* kExpected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

WebhookHeaders Headers(std::string signature, int64_t ts = kTs) {
    return WebhookHeaders{.id = kId, .timestamp = std::to_string(ts), .signature = signature};
}

TEST(WebhookSignature, MatchesTheReferenceVector) {
    auto header = SignatureHeader({kSecret}, kId, kTs, kBody);
    ASSERT_TRUE(header.ok());
    EXPECT_EQ(*header, kExpected);
    EXPECT_TRUE(VerifySignature({kSecret}, Headers(kExpected), kBody, kTs).ok());
    // The prefix is optional on the receiving side, as in the reference libraries.
    EXPECT_TRUE(
        VerifySignature({"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}, Headers(kExpected), kBody, kTs).ok());
}

TEST(WebhookSignature, GeneratedSecretsAreWhsecOf32RandomBytes) {
    const std::string a = GenerateSecret();
    const std::string b = GenerateSecret();
    EXPECT_EQ(a.rfind("whsec_", 0), 0u);
    EXPECT_NE(a, b);
    auto key = DecodeSecret(a);
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(key->size(), 32u);
}

TEST(WebhookSignature, RefusesMalformedAndShortSecrets) {
    EXPECT_EQ(DecodeSecret("whsec_not base64!").error().fields().at(0).field, "secret");
    EXPECT_FALSE(DecodeSecret("whsec_AAAA").ok());  // 3 bytes
    EXPECT_FALSE(SignatureHeader({}, kId, kTs, kBody).ok());
}

TEST(WebhookSignature, RefusesForgedBodiesIdsAndSignatures) {
    auto forged = VerifySignature({kSecret}, Headers(kExpected), R"({"test": 2432232315})", kTs);
    ASSERT_FALSE(forged.ok());
    EXPECT_EQ(forged.error().code(), ErrorCode::kUnauthenticated);
    EXPECT_EQ(forged.error().fields().at(0).field, "webhook-signature");
    WebhookHeaders other_id = Headers(kExpected);
    other_id.id = "msg_other";
    EXPECT_FALSE(VerifySignature({kSecret}, other_id, kBody, kTs).ok());
    // Signed with another secret.
    EXPECT_FALSE(VerifySignature({GenerateSecret()}, Headers(kExpected), kBody, kTs).ok());
    EXPECT_FALSE(VerifySignature({kSecret},
                                 Headers("v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="), kBody,
                                 kTs)
                     .ok());
    // Only v1 entries count: the right MAC under another tag is not a signature.
    EXPECT_FALSE(VerifySignature({kSecret},
                                 Headers("v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="), kBody,
                                 kTs)
                     .ok());
    EXPECT_EQ(VerifySignature({kSecret}, Headers(""), kBody, kTs).error().fields().at(0).field,
              "webhook-signature");
    WebhookHeaders dotted = Headers(kExpected);
    dotted.id = "msg.1";
    EXPECT_EQ(VerifySignature({kSecret}, dotted, kBody, kTs).error().fields().at(0).field,
              "webhook-id");
}

TEST(WebhookSignature, RefusesTimestampsOutsideFiveMinutes) {
    auto sign = [](int64_t ts) { return *SignatureHeader({kSecret}, kId, ts, kBody); };
    const int64_t now = kTs + 10'000;
    // Exactly at the edges is accepted, a second beyond is not.
    EXPECT_TRUE(VerifySignature({kSecret}, Headers(sign(now - 300), now - 300), kBody, now).ok());
    EXPECT_TRUE(VerifySignature({kSecret}, Headers(sign(now + 300), now + 300), kBody, now).ok());
    auto old = VerifySignature({kSecret}, Headers(sign(now - 301), now - 301), kBody, now);
    ASSERT_FALSE(old.ok());
    EXPECT_EQ(old.error().fields().at(0).field, "webhook-timestamp");
    EXPECT_EQ(old.error().fields().at(0).message, "is too old");
    EXPECT_FALSE(VerifySignature({kSecret}, Headers(sign(now + 301), now + 301), kBody, now).ok());
    WebhookHeaders garbled = Headers(kExpected);
    garbled.timestamp = "16142653x0";
    EXPECT_EQ(VerifySignature({kSecret}, garbled, kBody, kTs).error().fields().at(0).field,
              "webhook-timestamp");
}

TEST(WebhookSignature, RotationSignsWithEverySecretAndEitherVerifies) {
    const std::string old_secret = GenerateSecret();
    const std::string new_secret = GenerateSecret();
    auto header = SignatureHeader({new_secret, old_secret}, "evt", kTs, kBody);
    ASSERT_TRUE(header.ok());
    const size_t space = header->find(' ');
    ASSERT_NE(space, std::string::npos);
    EXPECT_EQ(header->find(' ', space + 1), std::string::npos);  // exactly two
    EXPECT_EQ(header->substr(0, 3), "v1,");
    EXPECT_EQ(header->substr(space + 1, 3), "v1,");
    const WebhookHeaders h{.id = "evt", .timestamp = std::to_string(kTs), .signature = *header};
    EXPECT_TRUE(VerifySignature({old_secret}, h, kBody, kTs).ok());
    EXPECT_TRUE(VerifySignature({new_secret}, h, kBody, kTs).ok());
    EXPECT_FALSE(VerifySignature({GenerateSecret()}, h, kBody, kTs).ok());
}

}  // namespace
}  // namespace omc::webhooks
