// Running the real `omc` binary from tests: the binary ctest names (OMC_BINARY), a command line
// in a folder, a free loopback port, a bare HTTP GET, and `omc serve` in a child process.
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

namespace omc::testing {

// OMC_BINARY, or "" when unset (ctest sets it).
std::string OmcBinary();

struct CommandResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr together
};

// Runs a shell command line in `dir`, without OMC_TEST_ENGINE in its environment.
CommandResult RunCommand(const std::string& dir, const std::string& command);

// A TCP port on 127.0.0.1 that was free a moment ago.
int FreePort();

// A minimal HTTP GET over loopback; the status code, or -1.
int HttpGetStatus(int port, const std::string& path);

// Starts `omc serve` in `dir` on 127.0.0.1:`port` with the extra environment `env`, its stderr
// in dir/serve.log; waits up to 20 s for /health/ready to answer 200. The child's pid, or -1 when
// it never became ready (it is then stopped).
pid_t StartServe(const std::string& dir, int port,
                 const std::vector<std::pair<std::string, std::string>>& env = {});

}  // namespace omc::testing
