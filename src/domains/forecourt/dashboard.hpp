// The dashboard's read APIs (issue 7): the network overview and one station's summary. Both
// only read: forecourt's own tables (the sales_daily rollup, sales, alerts, tanks, dips,
// deliveries, shifts) and the organisation's stations through identity_api.hpp. Each record is
// shown through the JSON writer of the route that owns it (a sale as GET /api/v1/transactions
// shows it, an alert as GET /api/v1/alerts, ...). README.md ("Dashboard") gives the rules.
#pragma once

#include "platform/http/router.hpp"

namespace omc::forecourt {

struct ForecourtDeps;

// GET /api/v1/dashboard/overview?date=YYYY-MM-DD and GET /api/v1/stations/{id}/summary, both
// forecourt.read and narrowed to the caller's stations.
void RegisterDashboardRoutes(http::Router& router, const ForecourtDeps& deps);

}  // namespace omc::forecourt
