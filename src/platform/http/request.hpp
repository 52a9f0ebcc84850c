// A framework-neutral HTTP request and response. The RESTinio adapter (server.cpp) converts to
// and from these; the router and every handler see only these, so handlers are tested without
// sockets by calling Router::Dispatch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/base/clock.hpp"

namespace omc::http {

enum class Method { kGet, kPost, kPut, kPatch, kDelete, kHead, kOptions };
std::string_view MethodName(Method method);
std::optional<Method> ParseMethod(std::string_view name);

struct Request {
    Method method = Method::kGet;
    std::string path;   // decoded path, no query string: "/api/v1/events"
    std::string query;  // raw query string without '?': "after=10&limit=5"
    std::vector<std::pair<std::string, std::string>> headers;  // names as received
    std::string body;
    std::string client_address;  // peer IP, no port

    // Case-insensitive header lookup; the first value wins.
    std::optional<std::string_view> Header(std::string_view name) const;
    // Percent-decoded query parameter; the first value wins.
    std::optional<std::string> QueryParam(std::string_view name) const;
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

}  // namespace omc::http
