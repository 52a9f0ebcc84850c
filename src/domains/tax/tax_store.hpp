// The tax_rates table (migration 0011): a tenant's effective-dated rates, or the defaults in
// code (DefaultRates) while it has none.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domains/tax/tax_model.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::tax {

struct StoredRate {
    std::optional<Uuid> id;  // nullopt: a default from code, not yet stored
    TaxRate rate;
};

// The tenant's rates in (code, valid_from) order; the defaults when it has stored none
// (`*from_defaults` says which).
Result<std::vector<StoredRate>> RatesInUse(db::Transaction& tx, const TenantId& tenant,
                                           bool* from_defaults = nullptr);

// Stores the defaults as the tenant's rows (its first write), with ids from `ids`.
Result<void> CopyDefaults(db::Transaction& tx, const TenantId& tenant, IdGenerator& ids,
                          const std::string& created_by, TimestampUs now_us);

Result<void> InsertRate(db::Transaction& tx, const TenantId& tenant, const Uuid& id,
                        const TaxRate& rate, const std::string& created_by, TimestampUs now_us);
// Ends an open-ended rate on `valid_to` (inclusive).
Result<void> CloseRate(db::Transaction& tx, const TenantId& tenant, const Uuid& id,
                       const std::string& valid_to);

}  // namespace omc::tax
