// Monthly UPPF claim periods, their lines (one per delivery trip, with the evidence rules), the
// submission, the settlements and the export for submission.
#pragma once

#include "domains/uppf/common.hpp"

namespace omc::uppf {

// GET/POST /api/v1/uppf/claims, GET /api/v1/uppf/claims/{id}, POST .../{id}/lines,
// DELETE .../{id}/lines/{line_id}, POST .../{id}/submit, POST .../{id}/settlements,
// GET .../{id}/export?format=csv|xlsx|pdf.
void RegisterClaimRoutes(http::Router& router, const UppfDeps& deps);

}  // namespace omc::uppf
