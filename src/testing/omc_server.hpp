// The real `omc` binary (OMC_BINARY, which ctest sets) as a child process, and a small blocking
// HTTP/1.1 client to talk to it over loopback: for tests of what only a process shows (start,
// drain on SIGTERM, a SIGKILL in the middle of a load, the demo and simulate commands).
//
//   omc::testing::OmcServer server(dir, {{"OMC_DATABASE_URL", url}});
//   ASSERT_TRUE(server.Start()) << server.Log();
//   HttpAnswer a = HttpCall(server.port(), "POST", "/api/v1/auth/login", "", body);
//   server.Kill(SIGKILL);
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace omc::testing {

// OMC_BINARY, or "" when unset.
std::string OmcBinary();

struct CommandResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr together
};

// Runs a shell command line in `dir`, without OMC_TEST_ENGINE in its environment.
CommandResult RunCommand(const std::string& dir, const std::string& command);

// A loopback TCP port that was free a moment ago (bound and closed again).
int FreeLoopbackPort();

struct HttpAnswer {
    int status = -1;  // -1: no answer (refused, reset, timed out or garbled)
    std::string body;
};

// One request on a connection of its own ("Connection: close"), waiting at most `timeout` for
// each read. `token`, when not empty, is sent as a bearer token; `body`, when not empty, as JSON.
HttpAnswer HttpCall(int port, std::string_view method, std::string_view path,
                    std::string_view token = "", std::string_view body = "",
                    std::chrono::milliseconds timeout = std::chrono::seconds(30));

// `omc [-c config] serve` on 127.0.0.1 at a free port, in `dir` (its log: dir/serve-N.log, one per
// start). `env` is added to the child's environment, which loses the test harness's own OMC_TEST_*
// variables. The server dies with the thread that started it (PR_SET_PDEATHSIG), and the
// destructor kills one still running (SIGKILL) and waits for it.
class OmcServer {
  public:
    OmcServer(std::string dir, std::vector<std::pair<std::string, std::string>> env,
              std::string config_path = "");
    ~OmcServer();
    OmcServer(const OmcServer&) = delete;
    OmcServer& operator=(const OmcServer&) = delete;

    // Starts the process and waits (at most `ready_within`) until /health/ready answers 200.
    // False when it could not start or never became ready (then it is killed; see Log()).
    bool Start(std::chrono::milliseconds ready_within = std::chrono::seconds(60));
    // Sends `signal` and waits for the process; returns its wait status. -1 when none runs.
    int Stop(int signal);
    bool running() const { return pid_ > 0; }
    int port() const { return port_; }
    // The log of the latest start.
    std::string Log() const;

  private:
    std::string dir_;
    std::vector<std::pair<std::string, std::string>> env_;
    std::string config_path_;
    pid_t pid_ = -1;
    int port_ = 0;
    int starts_ = 0;
};

}  // namespace omc::testing
