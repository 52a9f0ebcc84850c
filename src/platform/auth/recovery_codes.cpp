#include "platform/auth/recovery_codes.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "platform/auth/token.hpp"
#include "platform/base/assert.hpp"
#include "platform/base/id.hpp"

namespace omc::auth {
namespace {

// 32 symbols, so each takes exactly 5 random bits and all are equally likely.
constexpr std::string_view kAlphabet = "23456789abcdefghijkmnpqrstuvwxyz";
static_assert(kAlphabet.size() == 32);
constexpr int kBitsPerSymbol = 5;
// 60 bits fit in 8 random bytes.
static_assert(kRecoveryCodeSymbols * kBitsPerSymbol <= 64);

std::string NewCode() {
    std::array<uint8_t, 8> bytes{};
    RandomBytes(bytes.data(), bytes.size());
    uint64_t bits = 0;
    for (uint8_t b : bytes) bits = bits << 8 | b;
    std::string code;
    code.reserve(kRecoveryCodeSymbols + kRecoveryCodeSymbols / kRecoveryCodeGroupSymbols);
    for (size_t i = 0; i < kRecoveryCodeSymbols; ++i) {
        if (i > 0 && i % kRecoveryCodeGroupSymbols == 0) code += '-';
        code += kAlphabet[bits & 0x1F];
        bits >>= kBitsPerSymbol;
    }
    return code;
}

}  // namespace

std::vector<std::string> GenerateRecoveryCodes(int count) {
    ERP_ASSERT(count >= 1 && count <= kMaxRecoveryCodeCount, "recovery code count out of range");
    count = std::clamp(count, 1, kMaxRecoveryCodeCount);
    // Two equal codes in one set are a 2^-60 event per pair; refusing them costs nothing and
    // means "each code works once" never has an exception.
    std::set<std::string> seen;
    std::vector<std::string> codes;
    codes.reserve(static_cast<size_t>(count));
    while (codes.size() < static_cast<size_t>(count)) {
        std::string code = NewCode();
        if (seen.insert(code).second) codes.push_back(std::move(code));
    }
    return codes;
}

std::string NormalizeRecoveryCode(std::string_view code) {
    std::string out;
    out.reserve(code.size());
    for (char c : code) {
        if (c == ' ' || c == '-') continue;
        out += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

std::string HashRecoveryCode(std::string_view normalized) { return Sha256Hex(normalized); }

}  // namespace omc::auth
