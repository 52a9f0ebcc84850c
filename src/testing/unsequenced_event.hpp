// Tests of the relay's sequencing step: an outbox row with no cursor yet, as AppendEvent writes
// every event on PostgreSQL. (On SQLite AppendEvent numbers an event as it inserts it, so the
// relay sequences only rows written otherwise; these tests write such rows on both engines to
// check the same sequencing on each.)
#pragma once

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"
#include "platform/events/outbox.hpp"

namespace omc::testing {

inline Result<Uuid> AppendUnsequencedEvent(db::Transaction& tx, const TenantId& tenant,
                                           IdGenerator& ids, const Clock& clock,
                                           const events::NewEvent& event) {
    const Uuid id = ids.NewV7();
    OMC_ASSIGN_OR_RETURN(const auto insert, events::EventInsert(tenant, id, clock, event));
    OMC_TRY(tx.Execute(insert.first, insert.second));
    return id;
}

}  // namespace omc::testing
