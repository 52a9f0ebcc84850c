// ERP_ASSERT: checked in debug and test builds only, for pre- and postconditions that only a
// programming mistake can break. ERP_INVARIANT: always checked; in release it throws
// InvariantViolation, which the HTTP layer turns into a rollback, a 500 and a log line, so one
// tenant's bad request cannot stop the process for every tenant.
#pragma once

#include <stdexcept>
#include <string>

namespace omc {

class InvariantViolation : public std::logic_error {
  public:
    using std::logic_error::logic_error;
};

[[noreturn]] void FailInvariant(const char* expr, const char* message, const char* file, int line);

}  // namespace omc

#define ERP_INVARIANT(cond, message)                                    \
    do {                                                                \
        if (!(cond)) [[unlikely]] {                                     \
            ::omc::FailInvariant(#cond, (message), __FILE__, __LINE__); \
        }                                                               \
    } while (false)

#ifdef NDEBUG
#define ERP_ASSERT(cond, message) \
    do {                          \
    } while (false)
#else
#define ERP_ASSERT(cond, message) ERP_INVARIANT(cond, message)
#endif
