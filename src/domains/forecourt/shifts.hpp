// Shifts: opened with attendants on pumps and every nozzle's opening totalizer, closed with the
// closing totalizers and what each attendant handed over (cash, MoMo, card). Tables: shifts,
// shift_attendants, shift_nozzles, shift_collections, shift_adjustments (migration 0006).
// A closed shift is locked: corrections are linked adjustments with a reason.
#pragma once

#include "platform/http/router.hpp"

namespace omc::forecourt {

struct ForecourtDeps;

// POST /api/v1/shifts (open), GET /api/v1/shifts, GET /api/v1/shifts/{id} (with its report),
// POST /api/v1/shifts/{id}/close, POST /api/v1/shifts/{id}/adjustments.
void RegisterShiftRoutes(http::Router& router, const ForecourtDeps& deps);

}  // namespace omc::forecourt
