// `omc simulate`: live traffic against a running `omc serve` over HTTP (libcurl), as the demo
// tenant's station staff would make it: fuel sales at a set rate (POST /api/v1/transactions, a
// client UUIDv7 id each, at the price in force, into the station's open shift, opening one when
// none is open) and a tank dip every few seconds (POST /api/v1/dips). Prints a progress line
// (sent, ok, errors, achieved rate, p50/p99 latency). Honours 429 Retry-After, and signs in
// again when the access token expires.
#pragma once

#include <cstdint>
#include <string>

namespace omc::app {

struct SimulateOptions {
    std::string url = "http://127.0.0.1:8080";
    double rate = 20;       // sales per second
    double duration_s = 0;  // 0: until Ctrl-C
    int dip_every_s = 10;   // a dip on some tank this often
    int connections = 4;    // concurrent HTTP connections
    std::string login;      // default: demo-manager, with its password from users_file
    std::string password;
    std::string users_file = "omc-data/demo-users.txt";
};

// Exit code 0 when every request finally succeeded, 1 when some failed or the server could not
// be used (sign-in refused, no station with an active nozzle), 2 for unusable options.
int RunSimulate(const SimulateOptions& options);

}  // namespace omc::app
