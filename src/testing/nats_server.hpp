// A real nats-server with JetStream for tests, run as a child process on a free local port with
// its own store directory:  nats-server -js -a 127.0.0.1 -p <port> -sd <dir>
//
//   omc::testing::NatsServer nats;
//   ASSERT_TRUE(nats.Start().ok()) << ...;   // fails (never skips) when nats-server is missing
//   relay_options.nats_url = nats.url();
//   nats.Stop(); ... nats.Restart();         // same port, same store: a broker outage
//
// The binary is $OMC_NATS_SERVER, else /usr/sbin/nats-server, else nats-server on PATH.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "platform/base/result.hpp"

namespace omc::testing {

class NatsServer {
  public:
    NatsServer() = default;
    ~NatsServer();  // stops the server and deletes its store directory
    NatsServer(const NatsServer&) = delete;
    NatsServer& operator=(const NatsServer&) = delete;

    // Picks a free port and a fresh store directory, starts the server and waits until it
    // accepts connections. kUnavailable naming the binary, or with the server's log, otherwise.
    Result<void> Start();
    // SIGTERM, then waits for the process to exit (SIGKILL after a few seconds).
    void Stop();
    // Starts again on the same port and store directory, so JetStream streams survive.
    Result<void> Restart();

    bool running() const { return pid_ > 0; }
    int port() const { return port_; }
    std::string url() const;  // "nats://127.0.0.1:<port>"
    const std::string& store_dir() const { return store_dir_; }

  private:
    Result<void> Launch();
    std::string ReadLog() const;

    std::string binary_;
    std::string work_dir_;  // temp dir holding the store and the server's log
    std::string store_dir_;
    int port_ = 0;
    pid_t pid_ = -1;
};

// One message read back from a JetStream stream (tests check what the relay published).
struct StreamMessage {
    uint64_t sequence = 0;
    std::string subject;
    std::string msg_id;  // the Nats-Msg-Id header
    std::string data;
};

// Every message in `stream` in stream order, read with JetStream's get-message API. kNotFound if
// the stream does not exist; kUnavailable if the server cannot be reached.
Result<std::vector<StreamMessage>> ReadStream(const std::string& url, const std::string& stream);

}  // namespace omc::testing
