// A deterministic IdGenerator: UUIDv7 ids whose timestamp comes from the given clock and whose
// random bits are a counter, so a test that creates the same records gets the same ids, and ids
// still sort in creation order.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"

namespace omc::testing {

class FakeIds final : public IdGenerator {
  public:
    explicit FakeIds(const Clock& clock) : clock_(clock) {}

    Uuid NewV7() override {
        const uint64_t n = ++counter_;
        const int64_t ms = clock_.NowUs() / 1000;
        std::array<uint8_t, 16> b{};
        for (int i = 0; i < 6; ++i) b[i] = static_cast<uint8_t>(ms >> (8 * (5 - i)));
        b[6] = 0x70;  // version 7, rand_a = 0
        b[7] = 0x00;
        // variant 0b10, then the counter in the remaining 62 bits
        for (int i = 0; i < 8; ++i) b[8 + i] = static_cast<uint8_t>(n >> (8 * (7 - i)));
        b[8] = static_cast<uint8_t>((b[8] & 0x3F) | 0x80);
        return Uuid(b);
    }

    // How many ids were handed out.
    uint64_t count() const { return counter_.load(); }

  private:
    const Clock& clock_;
    std::atomic<uint64_t> counter_{0};
};

}  // namespace omc::testing
