#include "platform/events/outbox.hpp"

#include <utility>

#include "platform/db/multi_row.hpp"
#include "platform/http/json_text.hpp"

namespace omc::events {
namespace {

// PostgreSQL: `cursor` stays NULL here and the relay's sequencing step assigns it once the
// transaction committed, since transactions commit in another order than they insert.
// SQLite runs one write transaction at a time, so insertion order is commit order and the event
// takes the next cursor as it is inserted (the rows of a transaction rolled back free their
// numbers for the next, and were never seen). That spares every event a second write, the
// relay's UPDATE, which cost a sale on SQLite as much as a tenth of its time (see README.md).
constexpr db::Query kInsertEvent{"events.insert_event", R"sql(
    INSERT INTO outbox_events (tenant_id, id, type, aggregate_type, aggregate_id, payload,
                               created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7))sql"};
constexpr size_t kInsertEventColumns = 7;
// The same insert for many rows (AppendEventInserts): the same columns in the same order, and
// on SQLite the cursor last.
constexpr std::string_view kInsertEventsHead =
    "INSERT INTO outbox_events (tenant_id, id, type, aggregate_type, aggregate_id, payload, "
    "created_at_us)";
constexpr std::string_view kInsertSequencedEventsHead =
    "INSERT INTO outbox_events (tenant_id, id, type, aggregate_type, aggregate_id, payload, "
    "created_at_us, cursor)";
constexpr db::Query kLastCursor{"events.last_cursor",
                                "SELECT COALESCE(MAX(cursor), 0) FROM outbox_events"};

// The tenant filter is written out even though PostgreSQL's row-level security would add it:
// SQLite has no second wall.
constexpr db::Query kListEvents{"events.list_events", R"sql(
    SELECT cursor, tenant_id, id, type, aggregate_type, aggregate_id, payload, created_at_us
    FROM outbox_events
    WHERE tenant_id = $1 AND cursor IS NOT NULL AND cursor > $2
    ORDER BY cursor
    LIMIT $3)sql"};

bool IsLowerAlpha(char c) { return c >= 'a' && c <= 'z'; }
bool IsTokenChar(char c) { return IsLowerAlpha(c) || (c >= '0' && c <= '9') || c == '_'; }

Result<void> ValidateText(std::string_view field, const std::string& value, size_t max_length) {
    if (value.empty()) return InvalidArgument(std::string(field), "must not be empty");
    if (value.size() > max_length) {
        return InvalidArgument(std::string(field),
                               "must be at most " + std::to_string(max_length) + " characters");
    }
    return Ok();
}

}  // namespace

bool IsValidEventType(std::string_view type) {
    if (type.empty() || type.size() > kMaxTypeLength) return false;
    int tokens = 0;
    size_t start = 0;
    while (start <= type.size()) {
        const size_t dot = type.find('.', start);
        const std::string_view token = type.substr(
            start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (token.empty() || !IsLowerAlpha(token.front())) return false;
        for (char c : token) {
            if (!IsTokenChar(c)) return false;
        }
        ++tokens;
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return tokens >= 2;
}

Result<void> ValidateNewEvent(const NewEvent& event) {
    if (!IsValidEventType(event.type)) {
        return InvalidArgument("type",
                               "must be <domain>.<event>: lowercase dot-separated tokens "
                               "matching [a-z][a-z0-9_]*, at most " +
                                   std::to_string(kMaxTypeLength) + " characters");
    }
    OMC_TRY(ValidateText("aggregate_type", event.aggregate_type, kMaxAggregateTypeLength));
    OMC_TRY(ValidateText("aggregate_id", event.aggregate_id, kMaxAggregateIdLength));
    if (!event.payload_text && !event.payload.is_object()) {
        return InvalidArgument("payload", "must be a JSON object");
    }
    if (event.payload_text) {
        ERP_ASSERT(event.payload_text->size() >= 2 && event.payload_text->front() == '{' &&
                       event.payload_text->back() == '}',
                   "an event's payload text is a JSON object");
    }
    return Ok();
}

Result<std::pair<db::Query, db::Params>> EventInsert(const TenantId& tenant, const Uuid& event_id,
                                                     const Clock& clock, const NewEvent& event) {
    OMC_TRY(ValidateNewEvent(event));
    ERP_ASSERT(!tenant.value.IsNil(), "an event needs a tenant");
    // Serialised once: the size limit applies to exactly the text that is stored and sent.
    std::string payload = event.payload_text ? *event.payload_text : event.payload.dump();
    if (payload.size() > kMaxPayloadBytes) {
        return InvalidArgument("payload",
                               "must be at most " + std::to_string(kMaxPayloadBytes) + " bytes");
    }
    return std::pair<db::Query, db::Params>(
        kInsertEvent, {tenant, event_id, event.type, event.aggregate_type, event.aggregate_id,
                       std::move(payload), clock.NowUs()});
}

Result<void> AppendEventInserts(db::Transaction& tx,
                                std::vector<std::pair<db::Query, db::Params>> inserts,
                                std::vector<std::pair<db::Query, db::Params>>& out) {
    if (inserts.empty()) return Ok();
    const bool sqlite = tx.engine() == db::Engine::kSqlite;
    int64_t cursor = 0;
    if (sqlite) {
        // This transaction holds SQLite's write lock from its BEGIN IMMEDIATE: nobody else can
        // take a cursor between this read and the statements that use it.
        OMC_ASSIGN_OR_RETURN(const db::Rows last, tx.Query(kLastCursor, {}));
        cursor = last[0].Int(0);
    }
    std::vector<db::Params> rows;
    rows.reserve(inserts.size());
    for (auto& [query, params] : inserts) {
        ERP_ASSERT(query.name == kInsertEvent.name && params.size() == kInsertEventColumns,
                   "AppendEventInserts takes EventInsert's statements");
        if (sqlite) params.emplace_back(++cursor);
        rows.push_back(std::move(params));
    }
    if (sqlite) {
        db::AppendInsertChunks("events.insert_sequenced_events", kInsertSequencedEventsHead, "",
                               kInsertEventColumns + 1, std::move(rows), out);
    } else {
        db::AppendInsertChunks("events.insert_events", kInsertEventsHead, "", kInsertEventColumns,
                               std::move(rows), out);
    }
    return Ok();
}

Result<Uuid> AppendEvent(db::Transaction& tx, const TenantId& tenant, IdGenerator& ids,
                         const Clock& clock, const NewEvent& event) {
    const Uuid id = ids.NewV7();
    OMC_ASSIGN_OR_RETURN(auto insert, EventInsert(tenant, id, clock, event));
    std::vector<std::pair<db::Query, db::Params>> statements;
    OMC_TRY(AppendEventInserts(tx, {std::move(insert)}, statements));
    ERP_INVARIANT(statements.size() == 1, "one event, one insert");
    OMC_ASSIGN_OR_RETURN(const int64_t inserted,
                         tx.Execute(statements[0].first, statements[0].second));
    ERP_INVARIANT(inserted == 1, "an outbox insert writes exactly one row");
    return id;
}

Result<StoredEvent> StoredEventFromRow(const db::Row& row) {
    StoredEvent event;
    event.cursor = row.Int(0);
    event.tenant = TenantId{row.Id(1)};
    event.id = row.Id(2);
    event.type = row.Text(3);
    event.aggregate_type = row.Text(4);
    event.aggregate_id = row.Text(5);
    // AppendEvent stored a serialised object, so a parse failure means the row was changed
    // behind our back: an error for this read, not a crash of the process.
    event.payload = nlohmann::json::parse(row.Text(6), nullptr, /*allow_exceptions=*/false);
    if (event.payload.is_discarded()) {
        return Internal("outbox event " + event.id.ToString() + " has a payload that is not JSON");
    }
    event.created_at_us = row.Int(7);
    ERP_INVARIANT(event.cursor > 0, "a sequenced event has a positive cursor");
    return event;
}

Result<std::vector<StoredEvent>> ListEvents(db::Transaction& tx, const TenantId& tenant,
                                            int64_t after_cursor, int limit) {
    if (limit < 1 || limit > kMaxListLimit) {
        return InvalidArgument("limit", "must be between 1 and " + std::to_string(kMaxListLimit));
    }
    if (after_cursor < 0) return InvalidArgument("after", "must be a non-negative integer");
    OMC_ASSIGN_OR_RETURN(
        db::Rows rows, tx.Query(kListEvents, {tenant, after_cursor, static_cast<int64_t>(limit)}));
    std::vector<StoredEvent> events;
    events.reserve(rows.size());
    for (const db::Row& row : rows) {
        OMC_ASSIGN_OR_RETURN(StoredEvent event, StoredEventFromRow(row));
        ERP_INVARIANT(event.tenant == tenant, "ListEvents returned another tenant's event");
        ERP_INVARIANT(events.empty() || events.back().cursor < event.cursor,
                      "events are listed in strictly increasing cursor order");
        events.push_back(std::move(event));
    }
    return events;
}

nlohmann::json EventEnvelope(const StoredEvent& event) {
    return nlohmann::json{
        {"id", event.id.ToString()},
        {"tenant_id", event.tenant.ToString()},
        {"type", event.type},
        {"aggregate_type", event.aggregate_type},
        {"aggregate_id", event.aggregate_id},
        {"cursor", event.cursor},
        {"created_at", FormatTimestamp(event.created_at_us)},
        {"payload", event.payload},
    };
}

void AppendEventJson(std::string& out, const StoredEvent& event) {
    // The keys in the order nlohmann's std::map gives EventEnvelope's object.
    out += R"({"aggregate_id":)";
    http::AppendJsonString(out, event.aggregate_id);
    out += R"(,"aggregate_type":)";
    http::AppendJsonString(out, event.aggregate_type);
    out += R"(,"created_at":")";
    out += FormatTimestamp(event.created_at_us);
    out += R"(","cursor":)";
    out += std::to_string(event.cursor);
    out += R"(,"id":")";
    out += event.id.ToString();
    out += R"(","payload":)";
    http::AppendJson(out, event.payload);
    out += R"(,"tenant_id":")";
    out += event.tenant.ToString();
    out += R"(","type":)";
    http::AppendJsonString(out, event.type);
    out += '}';
}

std::string EventSubject(const TenantId& tenant, std::string_view type) {
    std::string subject = "omc.";
    subject += tenant.ToString();
    subject += '.';
    subject += type;
    return subject;
}

}  // namespace omc::events
