// The transactional outbox. A service that changes state others care about appends an event in
// the same transaction as the change, so the event exists if and only if the change committed.
// The relay (relay.hpp) later gives each event its `cursor`, the dense global position pull
// consumers page by, and publishes it to NATS JetStream. See README.md in this folder.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::events {

// Named limits. A payload is a small fact, not a document: 64 KiB keeps one NATS message well
// under the server's default 1 MiB max_payload, even with the envelope around it.
constexpr size_t kMaxPayloadBytes = 64 * 1024;
constexpr size_t kMaxTypeLength = 128;
constexpr size_t kMaxAggregateTypeLength = 64;
constexpr size_t kMaxAggregateIdLength = 128;
// Pull consumers page at most this many events at once (the API's page maximum).
constexpr int kMaxListLimit = 500;
static_assert(kMaxTypeLength + kMaxAggregateTypeLength + kMaxAggregateIdLength < kMaxPayloadBytes);

struct NewEvent {
    std::string type;            // "<domain>.<event>", e.g. "wetstock.dip_recorded"
    std::string aggregate_type;  // e.g. "tank"
    std::string aggregate_id;    // usually the aggregate's UUID text
    nlohmann::json payload;      // a JSON object
    // The payload already written as a JSON object's text, used in its place when set (a hot
    // write that answers with the same text need not build a JSON tree). The caller vouches
    // that it is one JSON object; only its size is checked.
    std::optional<std::string> payload_text;
};

// An event as stored, once sequenced.
struct StoredEvent {
    Uuid id;
    TenantId tenant;
    std::string type;
    std::string aggregate_type;
    std::string aggregate_id;
    nlohmann::json payload;
    TimestampUs created_at_us = 0;
    int64_t cursor = 0;
};

// True when `type` is dot-separated tokens, at least two, each [a-z][a-z0-9_]*, at most
// kMaxTypeLength long. This is the documented ^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$ without empty
// tokens ("a..b", "a.b."), which would make an invalid NATS subject.
bool IsValidEventType(std::string_view type);

// Checks an event before it is written: kInvalidArgument naming the field ("type",
// "aggregate_type", "aggregate_id", "payload") when it is malformed, too long, not an object or
// larger than kMaxPayloadBytes serialised.
Result<void> ValidateNewEvent(const NewEvent& event);

// Appends `event` for `tenant` inside the caller's transaction and returns its new id (UUIDv7
// from `ids`). It becomes visible to consumers only if that transaction commits, and gets its
// cursor from the relay's next sequencing step. Fails with kInvalidArgument (see
// ValidateNewEvent) or the database's error.
Result<Uuid> AppendEvent(db::Transaction& tx, const TenantId& tenant, IdGenerator& ids,
                         const Clock& clock, const NewEvent& event);

// The INSERT that AppendEvent runs, for a caller that sends several statements in one round trip
// (Transaction::ExecuteBatch): the same checks, the event's id given, nothing written yet.
Result<std::pair<db::Query, db::Params>> EventInsert(const TenantId& tenant, const Uuid& event_id,
                                                     const Clock& clock, const NewEvent& event);
// The inserts EventInsert made, as a few multi-row inserts (platform/db/multi_row.hpp) in the
// same order, appended to `out` to run in `tx`, and nothing else between: a batch of events in
// one statement or a few. On SQLite they carry their cursors (see outbox.cpp), read from `tx`
// now.
Result<void> AppendEventInserts(db::Transaction& tx,
                                std::vector<std::pair<db::Query, db::Params>> inserts,
                                std::vector<std::pair<db::Query, db::Params>>& out);

// The tenant's sequenced events with cursor > after_cursor, in cursor order, at most `limit`
// (1..kMaxListLimit, else kInvalidArgument naming "limit"). Unsequenced events are not returned:
// they have no position yet, and returning them would let a consumer's cursor skip them.
Result<std::vector<StoredEvent>> ListEvents(db::Transaction& tx, const TenantId& tenant,
                                            int64_t after_cursor, int limit);

// Maps a row selected as (cursor, tenant_id, id, type, aggregate_type, aggregate_id, payload,
// created_at_us), the order kListEvents and the relay use. kInternal if the payload is not JSON.
Result<StoredEvent> StoredEventFromRow(const db::Row& row);

// The JSON form consumers see, on the pull API and as the NATS message body:
// {"id","tenant_id","type","aggregate_type","aggregate_id","cursor","created_at","payload"}.
nlohmann::json EventEnvelope(const StoredEvent& event);
// The same envelope as JSON text appended to `out`, byte for byte DumpJson(EventEnvelope(event))
// (members in nlohmann's sorted order), written without building the JSON object: the pull API
// and the relay format every event they hand out.
void AppendEventJson(std::string& out, const StoredEvent& event);

// The NATS subject of an event: "omc.<tenant uuid>.<type>"; the dots in the type make
// sub-tokens, so "omc.*.wetstock.>" selects one domain across tenants.
std::string EventSubject(const TenantId& tenant, std::string_view type);

}  // namespace omc::events
