// The MoMo simulator (`omc momo-sim`, OMC_BINARY) as a child process on a free loopback port,
// for the payments tests: the product talks to it over HTTP exactly as to MTN.
//
//   omc::testing::MomoSim sim({.delay_ms = 0});
//   ASSERT_TRUE(sim.Start()) << sim.Log();
//   settings.base_url = sim.url();
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace omc::testing {

struct MomoSimOptions {
    int64_t delay_ms = 0;
    bool drop_callbacks = false;
    std::string mode = "sandbox";
};

class MomoSim {
  public:
    explicit MomoSim(MomoSimOptions options) : options_(std::move(options)) {}
    ~MomoSim();  // SIGKILL and wait, when still running
    MomoSim(const MomoSim&) = delete;
    MomoSim& operator=(const MomoSim&) = delete;

    // Starts it and waits (at most 20 s) until GET /sim/health answers 200.
    bool Start();
    void Stop();
    bool running() const { return pid_ > 0; }
    int port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    std::string Log() const;

    // The simulator's ready-made credentials (simulator.hpp's defaults).
    static constexpr const char* kSubscriptionKey = "omc-sim-subscription-key";
    static constexpr const char* kApiUser = "5f3c2b1a-7d6e-4c8b-9a0f-1e2d3c4b5a69";
    static constexpr const char* kApiKey = "omc-sim-api-key";

  private:
    MomoSimOptions options_;
    std::string log_path_;
    pid_t pid_ = -1;
    int port_ = 0;
};

}  // namespace omc::testing
