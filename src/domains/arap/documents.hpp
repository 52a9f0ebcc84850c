// Gap-free document numbers of receivables and payables (table arap_counters, migration 0014):
// what an invoice takes in its own transaction, for the invoice route and for `omc demo`'s
// history (src/app/demo_finance.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::arap {

// Takes the tenant's next number of `counter` ("invoice"), 1 first. The counter's row stays
// locked until the transaction ends, so a rolled-back document gives its number back.
Result<int64_t> TakeDocumentNumber(db::Transaction& tx, const TenantId& tenant,
                                   std::string_view counter);

// A customer invoice's number as printed: INV-000001.
std::string InvoiceNo(int64_t number);

}  // namespace omc::arap
