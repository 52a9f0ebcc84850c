#include "platform/base/assert.hpp"

#include <fmt/format.h>

namespace omc {

void FailInvariant(const char* expr, const char* message, const char* file, int line) {
    throw InvariantViolation(
        fmt::format("invariant failed: {} ({}) at {}:{}", message, expr, file, line));
}

}  // namespace omc
