// Building a UUIDv7 from a given time and given bits (ids for history that is generated, not
// happening now: RandomIdGenerator in id.hpp makes the ids of live requests).
#pragma once

#include <array>
#include <cstdint>

#include "platform/base/id.hpp"

namespace omc {

// A UUIDv7 of `unix_ms`: the first 6 bytes of `bytes` become the time, bytes 6 and 8 get the
// version and variant bits, the rest is kept as given (random or seeded bits).
Uuid UuidV7At(int64_t unix_ms, std::array<uint8_t, 16> bytes);

}  // namespace omc
