// The reports module: NPA monthly returns (sales, stock) from the forecourt's stored facts, as
// JSON, CSV, XLSX or PDF. README.md beside this file.
#pragma once

#include "platform/http/router.hpp"

namespace omc::reports {

void RegisterReportRoutes(http::Router& router);

}  // namespace omc::reports
