// The SQLite adapter (sqlite3 C API). Private to platform/db: use db::Open().
#pragma once

#include <memory>
#include <string>

#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::db::internal {

// Opens a pool of options.pool_size connections to the file at `path`, or one connection to a
// private in-memory database when `path` is ":memory:". kUnavailable when the file cannot be
// opened or configured.
Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path,
                                             const DatabaseOptions& options);

}  // namespace omc::db::internal
