#include "platform/events/record_change.hpp"

#include <utility>

#include "platform/events/outbox.hpp"

namespace omc::events {

Result<void> RecordChange(http::RequestContext& ctx, db::Transaction& tx, IdGenerator& ids,
                          const Clock& clock, std::string type, std::string aggregate_type,
                          const Uuid& id, const nlohmann::json& state) {
    ctx.audit().entity_type = aggregate_type;
    ctx.audit().entity_id = id.ToString();
    ctx.audit().summary = state;
    OMC_TRY(AppendEvent(tx, ctx.tenant(), ids, clock,
                        {std::move(type), std::move(aggregate_type), id.ToString(), state}));
    return Ok();
}

}  // namespace omc::events
