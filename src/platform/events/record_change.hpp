// What every write handler does after changing a record: note the change for the audit record
// (the router writes it with the commit) and append its outbox event in the same transaction.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace omc::events {

// Sets ctx.audit()'s entity and summary to (aggregate_type, id, state) and appends the event
// `type` with `state` as its payload.
Result<void> RecordChange(http::RequestContext& ctx, db::Transaction& tx, IdGenerator& ids,
                          const Clock& clock, std::string type, std::string aggregate_type,
                          const Uuid& id, const nlohmann::json& state);

}  // namespace omc::events
