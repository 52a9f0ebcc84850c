#include "domains/webhooks/model.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "domains/webhooks/limits.hpp"
#include "domains/webhooks/signature.hpp"

namespace omc::webhooks {
namespace {

constexpr int64_t kSecondUs = 1'000'000;

TEST(WebhookUrl, AcceptsHttpAndHttpsOnly) {
    EXPECT_TRUE(ValidateEndpointUrl("https://hooks.example.com/omc?x=1").ok());
    EXPECT_TRUE(ValidateEndpointUrl("HTTP://127.0.0.1:8080/in").ok());
    EXPECT_TRUE(ValidateEndpointUrl("https://[::1]:9000/").ok());
    for (const char* bad :
         {"ftp://example.com/", "example.com/hook", "https://user:pw@example.com/",
          "https://example.com/#frag", "https://", "https://exa mple.com/", "https://:80/",
          "https://example.com:0/", "https://example.com:70000/", "https://ex_ample.com/",
          "javascript:alert(1)", "https://[zz]/"}) {
        auto r = ValidateEndpointUrl(bad);
        EXPECT_FALSE(r.ok()) << bad;
        if (!r.ok()) {
            EXPECT_EQ(r.error().fields().at(0).field, "url") << bad;
        }
    }
    EXPECT_FALSE(ValidateEndpointUrl("https://e.com/" + std::string(kMaxUrlLength, 'a')).ok());
}

TEST(WebhookEventTypes, KnowsTheOutboxTypesAndMatchesTheWildcard) {
    EXPECT_TRUE(IsKnownEventType("forecourt.sale_recorded"));
    EXPECT_TRUE(IsKnownEventType("uppf.claim_settled"));
    EXPECT_FALSE(IsKnownEventType("forecourt.sale_exploded"));
    EXPECT_FALSE(IsKnownEventType("*"));
    const auto& types = KnownEventTypes();
    EXPECT_TRUE(std::is_sorted(types.begin(), types.end()));
    EXPECT_TRUE(Subscribes({"*"}, "anything.at_all"));
    EXPECT_TRUE(
        Subscribes({"org.station_created", "forecourt.sale_recorded"}, "forecourt.sale_recorded"));
    EXPECT_FALSE(Subscribes({"forecourt.sale_voided"}, "forecourt.sale_recorded"));
}

// A safety net for the catalogue: every event type named where the code appends an event
// (RecordChange, AppendEvent, NewEvent, ...) in src/domains must be subscribable. A domain that
// adds an event type and forgets model.cpp fails here.
TEST(WebhookEventTypes, TheCatalogueNamesEveryTypeTheDomainsAppend) {
    const char* source = std::getenv("OMC_SOURCE_DIR");
    ASSERT_NE(source, nullptr) << "OMC_SOURCE_DIR must name the source tree";
    const std::regex call(
        R"((RecordChange|AppendEvent|AppendAlertEvent|EventInsert)\(|NewEvent\{|\.type = )");
    const std::regex literal(R"re("([a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*)")re");
    std::set<std::string> missing;
    int files = 0;
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(std::string(source) + "/src/domains")) {
        const std::string path = entry.path().string();
        if (entry.path().extension() != ".cpp" || path.ends_with("_test.cpp") ||
            path.ends_with("_dbtest.cpp")) {
            continue;
        }
        ++files;
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        const std::string t = text.str();
        for (auto it = std::sregex_iterator(t.begin(), t.end(), call); it != std::sregex_iterator();
             ++it) {
            const size_t at = static_cast<size_t>(it->position() + it->length());
            std::string segment = t.substr(at, 240);
            const size_t lead = segment.find_first_not_of(" \n");
            if (lead != std::string::npos &&
                (segment.compare(lead, 6, "const ") == 0 ||
                 segment.compare(lead, 16, "db::Transaction&") == 0 ||
                 segment.compare(lead, 20, "http::RequestContext") == 0)) {
                continue;  // a declaration, not a call
            }
            std::smatch m;
            if (std::regex_search(segment, m, literal) && !IsKnownEventType(m[1].str())) {
                missing.insert(m[1].str() + " (" + path + ")");
            }
        }
    }
    EXPECT_GT(files, 10);
    EXPECT_TRUE(missing.empty()) << "add these to KnownEventTypes() in model.cpp: "
                                 << ::testing::PrintToString(missing);
}

TEST(WebhookRetry, FollowsTheScheduleWithinTwentyPercent) {
    EXPECT_EQ(BaseRetryDelay(1), std::chrono::seconds(5));
    EXPECT_EQ(BaseRetryDelay(2), std::chrono::minutes(5));
    EXPECT_EQ(BaseRetryDelay(3), std::chrono::minutes(30));
    EXPECT_EQ(BaseRetryDelay(4), std::chrono::hours(2));
    EXPECT_EQ(BaseRetryDelay(5), std::chrono::hours(5));
    EXPECT_EQ(BaseRetryDelay(6), std::chrono::hours(10));
    EXPECT_EQ(BaseRetryDelay(9), std::chrono::hours(24));
    EXPECT_EQ(BaseRetryDelay(50), std::chrono::hours(24));
    const TimestampUs first = 1'700'000'000 * kSecondUs;
    // random % 401 = 0 gives -20%, 400 gives +20%, 200 the exact delay.
    EXPECT_EQ(NextAttempt(first, 1, first, 0).next_attempt_at_us, first + 4 * kSecondUs);
    EXPECT_EQ(NextAttempt(first, 1, first, 400).next_attempt_at_us, first + 6 * kSecondUs);
    EXPECT_EQ(NextAttempt(first, 2, first, 200).next_attempt_at_us, first + 300 * kSecondUs);
    for (uint64_t r = 0; r < 2000; r += 7) {
        const TimestampUs next = NextAttempt(first, 3, first, r * 2654435761u).next_attempt_at_us;
        EXPECT_GE(next, first + 1440 * kSecondUs);
        EXPECT_LE(next, first + 2160 * kSecondUs);
    }
}

TEST(WebhookRetry, StopsThreeDaysAfterTheFirstAttempt) {
    const TimestampUs first = 1'700'000'000 * kSecondUs;
    const TimestampUs cutoff = first + 72 * 3600 * kSecondUs;
    // The attempt that would land past the cut-off is made at the cut-off instead...
    const RetryDecision late = NextAttempt(first, 9, cutoff - 3600 * kSecondUs, 400);
    EXPECT_FALSE(late.dead_letter);
    EXPECT_EQ(late.next_attempt_at_us, cutoff);
    // ...and a failure at or after it is the end.
    EXPECT_TRUE(NextAttempt(first, 10, cutoff, 0).dead_letter);
    EXPECT_TRUE(NextAttempt(first, 10, cutoff + 1, 0).dead_letter);
}

TEST(WebhookSeal, RoundTripsAndRefusesAnotherKey) {
    const std::optional<std::string> key = ParseSealKey(std::string(64, 'a'));
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(key->size(), 32u);
    EXPECT_TRUE(ParseSealKey("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").has_value());
    EXPECT_FALSE(ParseSealKey("too short").has_value());
    const std::string secret = GenerateSecret();
    const std::string sealed = Seal(*key, secret);
    EXPECT_EQ(sealed.find(secret), std::string::npos);
    EXPECT_NE(Seal(*key, secret), sealed);  // a fresh nonce each time
    auto opened = Unseal(*key, sealed);
    ASSERT_TRUE(opened.ok());
    EXPECT_EQ(*opened, secret);
    EXPECT_FALSE(Unseal(*ParseSealKey(std::string(64, 'b')), sealed).ok());
}

}  // namespace
}  // namespace omc::webhooks
