// Linked into every test binary: tests log at warn and above unless OMC_TEST_LOG_LEVEL says
// otherwise, so a failing test's output is not buried under one access-log line per request.
#include <cstdlib>

#include <gtest/gtest.h>

#include "platform/log/log.hpp"

namespace {

class QuietLogs : public ::testing::Environment {
  public:
    void SetUp() override {
        omc::log::Level level = omc::log::Level::kWarn;
        if (const char* wanted = std::getenv("OMC_TEST_LOG_LEVEL"))
            omc::log::ParseLevel(wanted, &level);
        omc::log::Init(level);
    }
};

[[maybe_unused]] ::testing::Environment* const kQuietLogs =
    ::testing::AddGlobalTestEnvironment(new QuietLogs);

}  // namespace
