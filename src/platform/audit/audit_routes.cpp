#include "platform/audit/audit_routes.hpp"

#include <charconv>
#include <string>

#include <fmt/format.h>

#include "platform/audit/audit.hpp"

namespace omc::audit {
namespace {

constexpr size_t kMaxSeqDigits = 19;  // INT64_MAX has 19 digits

// A text filter: absent, or 1..max_length characters.
Result<std::optional<std::string>> TextFilter(const http::RequestContext& ctx,
                                              std::string_view name, size_t max_length) {
    std::optional<std::string> value = ctx.request().QueryParam(name);
    if (!value) return value;
    if (value->empty() || value->size() > max_length) {
        return InvalidArgument(std::string(name),
                               fmt::format("must be 1 to {} characters", max_length));
    }
    return value;
}

Result<std::optional<TimestampUs>> TimeFilter(const http::RequestContext& ctx,
                                              std::string_view name) {
    std::optional<std::string> value = ctx.request().QueryParam(name);
    if (!value) return std::optional<TimestampUs>();
    // An unencoded '+' in a query string arrives as a space ("...05 01:00"): read it as the
    // offset's sign it was meant to be.
    if (value->size() > 19 && (*value)[value->size() - 6] == ' ') {
        (*value)[value->size() - 6] = '+';
    }
    std::optional<TimestampUs> parsed = ParseTimestamp(*value);
    if (!parsed) {
        return InvalidArgument(std::string(name),
                               "must be an RFC 3339 timestamp, e.g. 2026-01-31T08:00:00Z");
    }
    return parsed;
}

// The cursor is the seq of the last record of the previous page: a positive decimal integer.
Result<std::optional<int64_t>> BeforeSeq(const http::Page& page) {
    if (!page.cursor) return std::optional<int64_t>();
    const std::string& text = *page.cursor;
    const auto invalid = [] {
        return InvalidArgument("cursor", "must be the next_cursor of a previous page");
    };
    if (text.empty() || text.size() > kMaxSeqDigits) return invalid();
    for (char c : text) {
        if (c < '0' || c > '9') return invalid();
    }
    int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 1) return invalid();
    return std::optional<int64_t>(value);
}

Result<http::Reply> HandleListAudit(http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const std::optional<int64_t> before, BeforeSeq(page));
    AuditFilter filter;
    OMC_ASSIGN_OR_RETURN(filter.actor_id, TextFilter(ctx, "user", kMaxActorIdLength));
    OMC_ASSIGN_OR_RETURN(filter.entity_type, TextFilter(ctx, "entity_type", kMaxEntityTypeLength));
    OMC_ASSIGN_OR_RETURN(filter.entity_id, TextFilter(ctx, "entity_id", kMaxEntityIdLength));
    OMC_ASSIGN_OR_RETURN(filter.action, TextFilter(ctx, "action", kMaxActionLength));
    OMC_ASSIGN_OR_RETURN(filter.from_us, TimeFilter(ctx, "from"));
    OMC_ASSIGN_OR_RETURN(filter.to_us, TimeFilter(ctx, "to"));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(AuditPage found, ListAudit(*tx, ctx.tenant(), filter, before, page.limit));
    nlohmann::json items = nlohmann::json::array();
    for (const StoredAudit& record : found.records) items.push_back(AuditJson(record));
    std::optional<std::string> next_cursor;
    if (found.next_before_seq) next_cursor = std::to_string(*found.next_before_seq);
    return http::Reply::PageOf(std::move(items), std::move(next_cursor));
}

}  // namespace

Result<void> AuditLogSink::Record(db::Transaction& tx, const TenantId& tenant,
                                  const http::AuditRecord& record) {
    AuditEntry entry{
        .actor_type = record.actor_type,
        .actor_id = record.actor_id,
        .role = record.role,
        .action = record.action,
        .entity_type = record.entity_type,
        .entity_id = record.entity_id,
        .summary = record.summary,
        .request_id = record.request_id,
        .client_address = record.client_address,
    };
    OMC_TRY(AppendAudit(tx, tenant, ids_, clock_, entry));
    return Ok();
}

void RegisterAuditRoutes(http::Router& router) {
    router.Add(http::Route{
        .method = http::Method::kGet,
        .pattern = "/api/v1/audit",
        .name = "audit.list",
        .auth = http::Auth::kAuthenticated,
        .rate = http::RateClass::kRead,
        .idempotent = false,
        .tenant_owned = true,
        .permission = "audit.read",
        .handler = HandleListAudit,
    });
}

}  // namespace omc::audit
