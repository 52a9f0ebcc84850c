// The pull API for events: GET /api/v1/events?after=<cursor>&limit=<n> returns the caller's
// tenant's events with cursor > after, in cursor order. See README.md in this folder.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "platform/base/result.hpp"
#include "platform/http/router.hpp"

namespace omc::events {

// Adds GET /api/v1/events ("events.list", authenticated, read rate class, tenant-owned).
void RegisterEventRoutes(http::Router& router);

// Parses a cursor: a non-negative decimal integer that fits int64_t, no sign, no spaces.
// kInvalidArgument naming `field` otherwise. Exposed for tests.
Result<int64_t> ParseCursor(std::string_view field, std::string_view text);

}  // namespace omc::events
