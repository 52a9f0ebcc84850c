// A small blocking HTTP client (libcurl) for calls the product makes to others: mobile-money
// providers and tenant webhook endpoints. One Client per thread (a curl easy handle keeps its
// connections alive between calls); no redirects are followed and every call has a deadline.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "platform/base/result.hpp"

namespace omc::http {

struct ClientRequest {
    std::string method = "GET";  // GET, POST, PUT, DELETE
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds timeout{10'000};
    std::chrono::milliseconds connect_timeout{3'000};
};

struct ClientResponse {
    long status = 0;
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
    std::string body;
    // The first header named `name` (lower-case), or empty.
    std::string Header(std::string_view name) const;
};

class Client {
  public:
    Client();
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // kUnavailable when no answer came (connection refused, timeout, TLS failure): the caller
    // cannot tell whether the request took effect. Any HTTP status is a successful call.
    Result<ClientResponse> Send(const ClientRequest& request);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace omc::http
