// Delivery routes: an endpoint's deliveries (filtered by status), one delivery with every attempt,
// manual redelivery of one delivery or of every dead one since a time, and the test event.
#include <utility>

#include "domains/webhooks/limits.hpp"
#include "domains/webhooks/model.hpp"
#include "domains/webhooks/store.hpp"
#include "domains/webhooks/webhooks.hpp"
#include "platform/base/assert.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/params.hpp"

namespace omc::webhooks {
namespace {

using nlohmann::json;

#define OMC_DELIVERY_COLUMNS                                                                  \
    "id, endpoint_id, event_id, event_type, status, attempts, first_attempt_at_us, "          \
    "next_attempt_at_us, last_attempt_at_us, last_status_code, last_error, delivered_at_us, " \
    "held_reason, created_at_us, updated_at_us"
constexpr db::Query kListDeliveries{"webhooks.list_deliveries",
                                    "SELECT " OMC_DELIVERY_COLUMNS R"sql(
    FROM webhook_deliveries
    WHERE tenant_id = $1 AND endpoint_id = $2 AND id > $3
      AND (status = $5 OR $5 IS NULL) AND (event_type = $6 OR $6 IS NULL)
    ORDER BY id LIMIT $4)sql"};
constexpr db::Query kFindDelivery{"webhooks.find_delivery", "SELECT " OMC_DELIVERY_COLUMNS R"sql(
    FROM webhook_deliveries WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kInsertDelivery{"webhooks.insert_test_delivery", R"sql(
    INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_id, event_type, body, status,
                                    next_attempt_at_us, created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7, $7))sql"};
#undef OMC_DELIVERY_COLUMNS
constexpr db::Query kAttempts{"webhooks.list_attempts", R"sql(
    SELECT attempt, attempted_at_us, status_code, duration_us, error, response_body
    FROM webhook_attempts WHERE tenant_id = $1 AND delivery_id = $2 ORDER BY attempt)sql"};
// A redelivery is the same delivery queued again (same webhook-id, same body) with a fresh
// retry window; its earlier attempts stay in the log.
constexpr db::Query kRequeue{"webhooks.requeue_delivery", R"sql(
    UPDATE webhook_deliveries
    SET status = 'pending', first_attempt_at_us = NULL, next_attempt_at_us = $3,
        delivered_at_us = NULL, lease_until_us = NULL, held_reason = $4, updated_at_us = $3
    WHERE tenant_id = $1 AND id = $2 AND status <> 'pending')sql"};
constexpr db::Query kRequeueFailed{"webhooks.requeue_failed", R"sql(
    UPDATE webhook_deliveries
    SET status = 'pending', first_attempt_at_us = NULL, next_attempt_at_us = $4,
        lease_until_us = NULL, held_reason = $5, updated_at_us = $4
    WHERE tenant_id = $1 AND endpoint_id = $2 AND status = 'failed' AND created_at_us >= $3)sql"};
constexpr db::Query kCountFailed{"webhooks.count_failed", R"sql(
    SELECT COUNT(*) FROM webhook_deliveries
    WHERE tenant_id = $1 AND endpoint_id = $2 AND status = 'failed' AND created_at_us >= $3)sql"};

json OptTime(const std::optional<int64_t>& us) {
    return us ? json(FormatTimestamp(*us)) : json(nullptr);
}
json OptText(const std::optional<std::string>& text) { return text ? json(*text) : json(nullptr); }

struct DeliveryRow {
    Uuid id;
    json item;
};

DeliveryRow DeliveryFromRow(const db::Row& row) {
    const std::string status = row.Text(4);
    return DeliveryRow{
        .id = row.Id(0),
        .item = json{{"id", row.Id(0).ToString()},
                     {"endpoint_id", row.Id(1).ToString()},
                     {"event_id", row.Id(2).ToString()},
                     {"event_type", row.Text(3)},
                     {"status", status},
                     {"attempts", row.Int(5)},
                     {"first_attempt_at", OptTime(row.OptInt(6))},
                     {"next_attempt_at",
                      status == "pending" ? json(FormatTimestamp(row.Int(7))) : json(nullptr)},
                     {"last_attempt_at", OptTime(row.OptInt(8))},
                     {"last_status_code", row.OptInt(9) ? json(*row.OptInt(9)) : json(nullptr)},
                     {"last_error", OptText(row.OptText(10))},
                     {"delivered_at", OptTime(row.OptInt(11))},
                     {"held_reason", OptText(row.OptText(12))},
                     {"created_at", FormatTimestamp(row.Int(13))},
                     {"updated_at", FormatTimestamp(row.Int(14))}}};
}

Result<Endpoint> EndpointOr404(db::Transaction& tx, const TenantId& tenant, const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(std::optional<Endpoint> found, FindEndpoint(tx, tenant, id));
    if (!found) return NotFound("webhook endpoint");
    return std::move(*found);
}

// The delivery with its attempts, if its endpoint still exists.
Result<json> DeliveryOr404(db::Transaction& tx, const TenantId& tenant, const Uuid& id,
                           bool with_attempts) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kFindDelivery, {tenant, id}));
    if (rows.empty()) return NotFound("webhook delivery");
    DeliveryRow d = DeliveryFromRow(rows[0]);
    OMC_ASSIGN_OR_RETURN(const std::optional<Endpoint> endpoint,
                         FindEndpoint(tx, tenant, rows[0].Id(1)));
    if (!endpoint) return NotFound("webhook delivery");
    if (with_attempts) {
        OMC_ASSIGN_OR_RETURN(const db::Rows attempts, tx.Query(kAttempts, {tenant, id}));
        json list = json::array();
        for (const db::Row& a : attempts) {
            list.push_back({{"attempt", a.Int(0)},
                            {"attempted_at", FormatTimestamp(a.Int(1))},
                            {"status_code", a.OptInt(2) ? json(*a.OptInt(2)) : json(nullptr)},
                            {"duration_ms", a.Int(3) / 1000},
                            {"error", OptText(a.OptText(4))},
                            {"response_body", OptText(a.OptText(5))}});
        }
        d.item["attempt_log"] = std::move(list);
    }
    return std::move(d.item);
}

Result<http::Reply> ListDeliveries(const WebhookDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid endpoint_id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, http::PageAfter(page));
    std::optional<std::string> status = ctx.request().QueryParam("status");
    if (status == "dead") status = "failed";
    if (status && *status != "pending" && *status != "delivered" && *status != "failed") {
        return InvalidArgument("status", "must be pending, delivered, failed or dead");
    }
    std::optional<std::string> type = ctx.request().QueryParam("event_type");
    if (type && !IsKnownEventType(*type)) {
        return InvalidArgument("event_type", "unknown event type");
    }
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_TRY(EndpointOr404(*tx, ctx.tenant(), endpoint_id));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kListDeliveries, {ctx.tenant(), endpoint_id, after,
                                                     page.limit + 1, status, type}));
    std::vector<DeliveryRow> deliveries;
    for (const db::Row& row : rows) deliveries.push_back(DeliveryFromRow(row));
    return http::PageReply(std::move(deliveries), page.limit,
                           [](const DeliveryRow& d) { return d.item; });
}

Result<http::Reply> GetDelivery(const WebhookDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(json item, DeliveryOr404(*tx, ctx.tenant(), id, /*with_attempts=*/true));
    return http::Answer(std::move(item));
}

Result<http::Reply> Redeliver(const WebhookDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    const TenantId& tenant = ctx.tenant();
    OMC_ASSIGN_OR_RETURN(const json before, DeliveryOr404(*tx, tenant, id, false));
    OMC_ASSIGN_OR_RETURN(
        const Endpoint endpoint,
        EndpointOr404(*tx, tenant, *Uuid::Parse(before["endpoint_id"].get<std::string>())));
    const TimestampUs now = deps.clock->NowUs();
    OMC_ASSIGN_OR_RETURN(const int64_t changed,
                         tx->Execute(kRequeue, {tenant, id, now, endpoint.disabled_reason}));
    if (changed == 0) {
        return Error(ErrorCode::kConflict, "delivery is already pending",
                     {{"id", "the delivery is queued already; see next_attempt_at"}});
    }
    OMC_ASSIGN_OR_RETURN(json item, DeliveryOr404(*tx, tenant, id, false));
    ctx.audit().entity_type = "webhook_delivery";
    ctx.audit().entity_id = id.ToString();
    ctx.audit().summary = {{"endpoint_id", endpoint.id.ToString()},
                           {"event_id", item["event_id"]},
                           {"previous_status", before["status"]}};
    http::Reply reply = http::Answer(std::move(item));
    reply.status = 202;
    return reply;
}

// Queues again every dead-lettered delivery of the endpoint made at or after `since`.
Result<http::Reply> RedeliverFailed(const WebhookDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid endpoint_id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"since"});
    const std::string since_text = body.RequiredString("since", 64);
    const std::optional<TimestampUs> since = ParseTimestamp(since_text);
    if (!since_text.empty() && !since) {
        body.AddError("since", "must be a time such as 2026-11-21T15:04:05Z");
    }
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    const TenantId& tenant = ctx.tenant();
    OMC_ASSIGN_OR_RETURN(const Endpoint endpoint, EndpointOr404(*tx, tenant, endpoint_id));
    OMC_ASSIGN_OR_RETURN(const db::Rows count,
                         tx->Query(kCountFailed, {tenant, endpoint.id, *since}));
    if (count[0].Int(0) > kMaxBulkRedeliveries) {
        return Error(ErrorCode::kUnprocessable, "too many deliveries at once",
                     {{"since", "more than 10000 failed deliveries; choose a later time"}});
    }
    const TimestampUs now = deps.clock->NowUs();
    OMC_ASSIGN_OR_RETURN(
        const int64_t requeued,
        tx->Execute(kRequeueFailed, {tenant, endpoint.id, *since, now, endpoint.disabled_reason}));
    const json state{{"endpoint_id", endpoint.id.ToString()},
                     {"since", FormatTimestamp(*since)},
                     {"requeued", requeued}};
    ctx.audit().entity_type = "webhook_endpoint";
    ctx.audit().entity_id = endpoint.id.ToString();
    ctx.audit().summary = state;
    http::Reply reply = http::Answer(state);
    reply.status = 202;
    return reply;
}

// Queues a "webhooks.test" event for the endpoint alone, due now. Not an outbox event: nothing
// else subscribes to it.
Result<http::Reply> SendTest(const WebhookDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid endpoint_id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    const TenantId& tenant = ctx.tenant();
    OMC_ASSIGN_OR_RETURN(const Endpoint endpoint, EndpointOr404(*tx, tenant, endpoint_id));
    if (!endpoint.enabled) {
        return Error(ErrorCode::kConflict, "endpoint is disabled",
                     {{"enabled", "enable the endpoint before sending it a test event"}});
    }
    const TimestampUs now = deps.clock->NowUs();
    const Uuid id = deps.ids->NewV7();
    const Uuid event_id = deps.ids->NewV7();
    const std::string body = DeliveryBody(kTestEventType, now,
                                          {{"endpoint_id", endpoint.id.ToString()},
                                           {"message", "a test event sent at your request"},
                                           {"requested_by", ctx.principal()->subject}});
    OMC_TRY(tx->Execute(kInsertDelivery, {tenant, id, endpoint.id, event_id,
                                          std::string(kTestEventType), body, now}));
    OMC_ASSIGN_OR_RETURN(json item, DeliveryOr404(*tx, tenant, id, false));
    ctx.audit().entity_type = "webhook_delivery";
    ctx.audit().entity_id = id.ToString();
    ctx.audit().summary = {{"endpoint_id", endpoint.id.ToString()}, {"event_type", kTestEventType}};
    http::Reply reply = http::Answer(std::move(item));
    reply.status = 202;
    return reply;
}

}  // namespace

void RegisterDeliveryRoutes(http::Router& router, const WebhookDeps& deps) {
    using http::Method;
    const std::string endpoints = "/api/v1/webhooks/endpoints/{id}";
    router.Add(
        ReadRoute(endpoints + "/deliveries", "webhooks.deliveries.list", deps, ListDeliveries));
    router.Add(WriteRoute(Method::kPost, endpoints + "/redeliver-failed",
                          "webhooks.deliveries.redeliver_failed", deps, RedeliverFailed));
    router.Add(
        WriteRoute(Method::kPost, endpoints + "/test", "webhooks.endpoints.test", deps, SendTest));
    router.Add(ReadRoute("/api/v1/webhooks/deliveries/{id}", "webhooks.deliveries.get", deps,
                         GetDelivery));
    router.Add(WriteRoute(Method::kPost, "/api/v1/webhooks/deliveries/{id}/redeliver",
                          "webhooks.deliveries.redeliver", deps, Redeliver));
}

}  // namespace omc::webhooks
