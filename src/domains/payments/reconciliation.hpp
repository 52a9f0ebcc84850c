// The daily reconciliation of a provider's statement against the day's MoMo intents and the
// sales they recorded. The matching is pure (Reconcile); the routes fetch or take the
// statement, run it and store what it found.
//
// Statement CSV (ours: the providers' real statement formats are unconfirmed, and the
// simulator serves this one as its stand-in for the statement download):
//   reference,financial_transaction_id,external_id,amount,currency,status,completed_at
// amount in currency units with up to 2 decimals; status SUCCESSFUL, FAILED or PENDING.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::payments {

struct StatementLine {
    int64_t row = 0;  // the CSV row (1 is the header)
    std::string reference;
    std::string financial_transaction_id;
    std::string external_id;
    int64_t amount = 0;  // pesewas (or cents of the statement's currency)
    std::string currency;
    std::string status;  // SUCCESSFUL, FAILED, PENDING
};

// Parses the statement CSV; errors name the row and column (field "csv").
Result<std::vector<StatementLine>> ParseStatement(std::string_view csv);

// An intent as the reconciliation sees it.
struct IntentFacts {
    Uuid id;
    Uuid sale_id;
    std::string reference;
    std::string financial_transaction_id;
    int64_t amount = 0;
    std::string status;      // pending, successful, failed, expired
    std::string sale_state;  // none, recorded, error
};

struct Mismatch {
    std::string kind;  // missing_sale, missing_statement, amount_differs, status_differs
    std::optional<StatementLine> line;
    std::optional<IntentFacts> intent;
    std::string detail;
};

struct ReconcileResult {
    int64_t matched = 0;
    int64_t statement_amount = 0;  // successful statement lines
    int64_t sales_amount = 0;      // intents whose sale is recorded
    std::vector<Mismatch> mismatches;
};

// Matches lines to intents by reference, else by financial transaction id. `day_intents` are
// the intents of the day; `other_intents` those of other days that a line names (a payment
// approved after midnight), which count for matching but are not expected on the statement.
ReconcileResult Reconcile(const std::vector<StatementLine>& lines,
                          const std::vector<IntentFacts>& day_intents,
                          const std::vector<IntentFacts>& other_intents);

// A reconciliation run as stored: its day, where the statement came from, and who ran it.
struct ReconciliationRun {
    Uuid id;
    std::string provider;  // "mtn", ...
    std::string business_date;
    std::string source;  // "provider" or "upload"
    int64_t statement_lines = 0;
    int64_t intents = 0;  // the day's intents
    std::string created_by;
    TimestampUs created_at_us = 0;
};

// Writes the run with its counts and one item per mismatch (numbered from 1), in `tx`.
Result<void> SaveReconciliation(db::Transaction& tx, const TenantId& tenant,
                                const ReconciliationRun& run, const ReconcileResult& result);

}  // namespace omc::payments
