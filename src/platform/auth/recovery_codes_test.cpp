#include "platform/auth/recovery_codes.hpp"

#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "platform/auth/token.hpp"
#include "platform/base/assert.hpp"

namespace omc::auth {
namespace {

// Three groups of four from 2-9 and a-z without l and o.
const std::regex kCodeFormat("^[2-9a-km-np-z]{4}-[2-9a-km-np-z]{4}-[2-9a-km-np-z]{4}$");

TEST(RecoveryCodesTest, TenByDefaultAndAsManyAsAsked) {
    EXPECT_EQ(GenerateRecoveryCodes().size(), 10u);
    EXPECT_EQ(GenerateRecoveryCodes(1).size(), 1u);
    EXPECT_EQ(GenerateRecoveryCodes(kMaxRecoveryCodeCount).size(),
              static_cast<size_t>(kMaxRecoveryCodeCount));
}

TEST(RecoveryCodesTest, FormatIsThreeGroupsOfFourUnambiguousSymbols) {
    for (const std::string& code : GenerateRecoveryCodes(kMaxRecoveryCodeCount)) {
        EXPECT_EQ(code.size(), 14u) << code;
        EXPECT_TRUE(std::regex_match(code, kCodeFormat)) << code;
        EXPECT_EQ(code.find_first_of("01lo"), std::string::npos) << code;
    }
}

TEST(RecoveryCodesTest, CodesAreUniqueWithinAndAcrossSets) {
    std::set<std::string> seen;
    for (int set = 0; set < 20; ++set) {
        for (const std::string& code : GenerateRecoveryCodes()) {
            EXPECT_TRUE(seen.insert(code).second) << code;
        }
    }
    EXPECT_EQ(seen.size(), 200u);
}

TEST(RecoveryCodesTest, UsesAllThirtyTwoSymbolsInEveryPosition) {
    // 1000 codes: a given symbol is missing from a given position with probability ~e^-31.
    std::vector<std::set<char>> by_position(14);
    for (int i = 0; i < 20; ++i) {
        for (const std::string& code : GenerateRecoveryCodes(kMaxRecoveryCodeCount)) {
            for (size_t p = 0; p < code.size(); ++p) by_position[p].insert(code[p]);
        }
    }
    for (size_t p = 0; p < by_position.size(); ++p) {
        EXPECT_EQ(by_position[p].size(), p == 4 || p == 9 ? 1u : 32u) << p;
    }
}

#ifndef NDEBUG
TEST(RecoveryCodesTest, CountOutOfRangeIsAProgrammingMistake) {
    EXPECT_THROW((void)GenerateRecoveryCodes(0), InvariantViolation);
    EXPECT_THROW((void)GenerateRecoveryCodes(kMaxRecoveryCodeCount + 1), InvariantViolation);
}
#endif

TEST(RecoveryCodesTest, NormalizeStripsSpacesAndDashesAndLowerCases) {
    EXPECT_EQ(NormalizeRecoveryCode("k7mq-x2fp-9hwd"), "k7mqx2fp9hwd");
    EXPECT_EQ(NormalizeRecoveryCode("K7MQ X2FP 9HWD"), "k7mqx2fp9hwd");
    EXPECT_EQ(NormalizeRecoveryCode("  k7mq--x2fp - 9Hwd "), "k7mqx2fp9hwd");
    EXPECT_EQ(NormalizeRecoveryCode(""), "");
    // Anything else is kept, so it simply fails to match.
    EXPECT_EQ(NormalizeRecoveryCode("k7mq_x2fp"), "k7mq_x2fp");
}

TEST(RecoveryCodesTest, HowEverItIsTypedItHashesToTheStoredHash) {
    for (const std::string& code : GenerateRecoveryCodes()) {
        const std::string stored = HashRecoveryCode(NormalizeRecoveryCode(code));
        std::string shouted;
        for (char c : code) shouted += c == '-' ? ' ' : static_cast<char>(std::toupper(c));
        EXPECT_EQ(HashRecoveryCode(NormalizeRecoveryCode(shouted)), stored) << shouted;
        EXPECT_EQ(NormalizeRecoveryCode(NormalizeRecoveryCode(code)), NormalizeRecoveryCode(code));
    }
}

TEST(RecoveryCodesTest, HashIsHexSha256OfTheNormalizedCode) {
    EXPECT_EQ(HashRecoveryCode("k7mqx2fp9hwd"), Sha256Hex("k7mqx2fp9hwd"));
    // FIPS 180-2 vector: SHA-256("abc").
    EXPECT_EQ(HashRecoveryCode("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_NE(HashRecoveryCode("k7mqx2fp9hwd"), HashRecoveryCode("k7mqx2fp9hwe"));
}

}  // namespace
}  // namespace omc::auth
