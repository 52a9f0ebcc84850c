// The omc_webhook_receiver executable (tests/support/webhook_receiver.cpp) as a child process on
// a free loopback port, for the webhook tests: a real receiver that verifies signatures.
//
//   omc::testing::WebhookReceiver receiver;
//   ASSERT_TRUE(receiver.Start({secret})) << receiver.Log();
//   receiver.Tell({{"path", "/down"}, {"answer", 500}, {"times", 1}});
//   ... receiver.url("/down") as an endpoint URL ...
//   std::vector<nlohmann::json> got = receiver.Received();
//
// The binary is $OMC_WEBHOOK_RECEIVER, else omc_webhook_receiver beside $OMC_BINARY.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace omc::testing {

class WebhookReceiver {
  public:
    WebhookReceiver();
    ~WebhookReceiver();  // kills the process and removes its files
    WebhookReceiver(const WebhookReceiver&) = delete;
    WebhookReceiver& operator=(const WebhookReceiver&) = delete;

    // Starts it with `secrets` and waits until it answers. False (see Log()) otherwise.
    bool Start(const std::vector<std::string>& secrets);
    // POST /_control with `control`; true on 200.
    bool Tell(const nlohmann::json& control);
    // Every request received so far, oldest first (see the executable's header for the fields).
    std::vector<nlohmann::json> Received() const;
    std::string url(const std::string& path) const;
    int port() const { return port_; }
    std::string Log() const;

  private:
    std::string dir_;
    int port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace omc::testing
