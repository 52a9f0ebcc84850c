// Recovery codes: single-use codes a user writes down when enrolling a second factor, to sign in
// when the phone is lost. Only their hashes are stored; a used code's hash is deleted (or marked
// used) in the transaction that lets the user in. docs/adr/0010-passwords-and-second-factor.md
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace omc::auth {

inline constexpr int kRecoveryCodeCount = 10;
// A limit on everything: nobody needs more codes than this on one sheet.
inline constexpr int kMaxRecoveryCodeCount = 50;
static_assert(kRecoveryCodeCount <= kMaxRecoveryCodeCount);
// 12 symbols of a 32-symbol alphabet: 60 random bits per code.
inline constexpr size_t kRecoveryCodeSymbols = 12;
inline constexpr size_t kRecoveryCodeGroupSymbols = 4;

// `count` (1..kMaxRecoveryCodeCount) distinct codes like "k7mq-x2fp-9hwd": 12 symbols from
// 2-9 and a-z without l and o (so nothing reads as 0, 1, l or o), grouped by four with dashes.
std::vector<std::string> GenerateRecoveryCodes(int count = kRecoveryCodeCount);

// What a person typed, made comparable: ASCII lower-cased, spaces and dashes removed.
// "K7MQ X2FP-9HWD" -> "k7mqx2fp9hwd".
std::string NormalizeRecoveryCode(std::string_view code);

// The stored form of a normalized code: hex SHA-256 (Sha256Hex in token.hpp). A fast hash is
// enough where a slow one (Argon2id) is needed for passwords because the code is 60 random bits,
// not something a person chose: one guess at one code succeeds with probability 2^-60, and codes
// are single use. Unsalted, though: a stolen table lets each guess be tested against every stored
// code at once (docs/adr/0010 puts a number on it); a hit yields only a second factor.
std::string HashRecoveryCode(std::string_view normalized);

}  // namespace omc::auth
