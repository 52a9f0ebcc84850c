// The audit log's HTTP side: the sink the router writes each mutating request's record through,
// and GET /api/v1/audit. See README.md in this folder.
#pragma once

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/http/router.hpp"

namespace omc::audit {

// The router's AuditSink: appends each record with AppendAudit in the request transaction.
class AuditLogSink final : public http::AuditSink {
  public:
    AuditLogSink(IdGenerator& ids, const Clock& clock) : ids_(ids), clock_(clock) {}
    Result<void> Record(db::Transaction& tx, const TenantId& tenant,
                        const http::AuditRecord& record) override;

  private:
    IdGenerator& ids_;
    const Clock& clock_;
};

// Adds GET /api/v1/audit ("audit.list", authenticated, permission audit.read, read rate class,
// tenant-owned): the caller's tenant's records, newest first. Filters: user (actor id),
// entity_type, entity_id, action, from and to (RFC 3339; from <= at < to); cursor (a seq: records
// before it) and limit.
void RegisterAuditRoutes(http::Router& router);

}  // namespace omc::audit
