// UUIDs. Records get UUIDv7 ids (RFC 9562): 48 bits of Unix milliseconds, then randomness, so
// ids made on any device sort roughly by creation and never collide. The time inside an id
// orders the index, never the business.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "platform/base/clock.hpp"

namespace omc {

class Uuid {
  public:
    Uuid() = default;  // the nil UUID
    explicit Uuid(const std::array<uint8_t, 16>& bytes) : bytes_(bytes) {}

    // Accepts the canonical 8-4-4-4-12 hex form, either case. nullopt for anything else.
    static std::optional<Uuid> Parse(std::string_view text);
    std::string ToString() const;  // lowercase canonical form
    const std::array<uint8_t, 16>& bytes() const { return bytes_; }
    int version() const { return bytes_[6] >> 4; }
    bool IsNil() const;
    // For v7 ids: the embedded creation time in Unix milliseconds.
    int64_t UnixMs() const;

    auto operator<=>(const Uuid&) const = default;

  private:
    std::array<uint8_t, 16> bytes_{};
};

// A strongly typed id so a TenantId cannot be passed where a StationId is expected.
template <typename Tag>
struct TypedId {
    Uuid value;
    auto operator<=>(const TypedId&) const = default;
    std::string ToString() const { return value.ToString(); }
    static std::optional<TypedId> Parse(std::string_view text) {
        auto u = Uuid::Parse(text);
        if (!u) return std::nullopt;
        return TypedId{*u};
    }
};

struct TenantTag {};
using TenantId = TypedId<TenantTag>;

// Makes UUIDv7 ids. Monotonic within one generator: ids made in the same millisecond use the
// 12-bit rand_a field as a counter (RFC 9562 section 6.2, method 1), so they still sort.
class IdGenerator {
  public:
    virtual ~IdGenerator() = default;
    virtual Uuid NewV7() = 0;
};

class RandomIdGenerator final : public IdGenerator {
  public:
    explicit RandomIdGenerator(const Clock& clock) : clock_(clock) {}
    Uuid NewV7() override;

  private:
    const Clock& clock_;
    std::mutex mu_;
    int64_t last_ms_ = 0;   // GUARDED_BY(mu_)
    uint16_t counter_ = 0;  // GUARDED_BY(mu_)
};

// Fills `out` with cryptographically secure random bytes (libsodium).
void RandomBytes(uint8_t* out, size_t size);
std::string RandomHex(size_t bytes);

}  // namespace omc
