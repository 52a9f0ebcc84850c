// The PostgreSQL adapter (libpq). Private to platform/db: use db::Open().
#pragma once

#include <memory>

#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::db::internal {

// Opens options.pool_size connections to options.url up front. kUnavailable with libpq's reason
// when any of them fails.
Result<std::unique_ptr<Database>> OpenPostgres(const DatabaseOptions& options);

}  // namespace omc::db::internal
