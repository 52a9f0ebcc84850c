#include "platform/events/events_routes.hpp"

#include <charconv>
#include <string>
#include <vector>

#include "platform/events/outbox.hpp"

namespace omc::events {
namespace {

constexpr size_t kMaxCursorDigits = 19;  // INT64_MAX has 19 digits
static_assert(kMaxListLimit >= http::kPageLimitMax, "ListEvents accepts every page the API allows");

// The start position: `after`, or the generic `cursor` that ParsePage also reads (a client
// following next_cursor with the API's usual parameter); `after` wins when both are given.
Result<int64_t> AfterCursor(const http::RequestContext& ctx, const http::Page& page) {
    if (auto after = ctx.request().QueryParam("after")) return ParseCursor("after", *after);
    if (page.cursor) return ParseCursor("cursor", *page.cursor);
    return int64_t{0};
}

Result<http::Reply> HandleListEvents(http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const int64_t after, AfterCursor(ctx, page));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(std::vector<StoredEvent> events,
                         ListEvents(*tx, ctx.tenant(), after, page.limit));
    // Written as text (AppendEventJson): every consumer polls this route.
    std::string items = "[";
    for (const StoredEvent& event : events) {
        if (items.size() > 1) items += ',';
        AppendEventJson(items, event);
    }
    items += ']';
    // A full page may have more behind it; a short one is the end for now (more may arrive, and
    // the consumer asks again after its last event's cursor).
    std::optional<std::string> next_cursor;
    if (!events.empty() && static_cast<int>(events.size()) == page.limit) {
        next_cursor = std::to_string(events.back().cursor);
    }
    return http::Reply::PageOfText(std::move(items), std::move(next_cursor));
}

}  // namespace

Result<int64_t> ParseCursor(std::string_view field, std::string_view text) {
    const auto invalid = [&] {
        return InvalidArgument(std::string(field), "must be a non-negative integer cursor");
    };
    if (text.empty() || text.size() > kMaxCursorDigits) return invalid();
    for (char c : text) {
        if (c < '0' || c > '9') return invalid();
    }
    int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return invalid();
    return value;
}

void RegisterEventRoutes(http::Router& router) {
    router.Add(http::Route{
        .method = http::Method::kGet,
        .pattern = "/api/v1/events",
        .name = "events.list",
        .auth = http::Auth::kAuthenticated,
        .rate = http::RateClass::kRead,
        .idempotent = false,
        .tenant_owned = true,
        .permission = "events.read",
        .handler = HandleListEvents,
    });
}

}  // namespace omc::events
