// Ledger reports from posted transfers (pending amounts are not yet booked): trial balance,
// profit and loss, balance sheet, account statement, profit per station and per product. Each
// is computed in integers and returned as a report::Report (CSV, XLSX, PDF with the shared
// writers) and as JSON by the routes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domains/ledger/ledger.hpp"
#include "platform/report/report.hpp"

namespace omc::ledger {

// One account's posted movement over a date range, with its chart line.
struct AccountMovement {
    Account account;
    std::string report_group;
    int64_t debits = 0;
    int64_t credits = 0;
    // On the account's normal side (see Account::Balance).
    int64_t Net() const;
};

// Movements of every account with postings booked in [from, to] (from = nullopt: since the
// beginning). Accounts with no postings are left out.
Result<std::vector<AccountMovement>> Movements(db::Transaction& tx, const TenantId& tenant,
                                               const std::optional<std::string>& from,
                                               const std::string& to);

struct TrialBalance {
    std::string as_of;
    struct Line {
        std::string code;
        std::string name;
        std::string type;
        std::string account;             // dimension label when per account, empty per code
        std::optional<Uuid> account_id;  // when per account
        int64_t debit = 0;               // debit balance
        int64_t credit = 0;              // credit balance
    };
    std::vector<Line> lines;
    int64_t total_debit = 0;
    int64_t total_credit = 0;
};
Result<TrialBalance> ComputeTrialBalance(db::Transaction& tx, const TenantId& tenant,
                                         const std::string& as_of, bool per_account);
report::Report TrialBalanceReport(const TrialBalance& tb);

struct StatementLine {
    std::string booked_on;
    Uuid transfer_id;
    Uuid entry_id;
    std::string kind;
    std::optional<std::string> memo;
    int64_t debit = 0;
    int64_t credit = 0;
    int64_t balance = 0;  // running, on the account's normal side
};
struct Statement {
    Account account;
    std::string from;
    std::string to;
    int64_t opening = 0;
    std::vector<StatementLine> lines;
    int64_t closing = 0;
};
Result<Statement> ComputeStatement(db::Transaction& tx, const TenantId& tenant, const Uuid& account,
                                   const std::string& from, const std::string& to);
report::Report StatementReport(const Statement& s);

// Profit and loss, balance sheet and the per-station / per-product profit: one shape, lines in
// sections with a total per section.
struct FinancialStatement {
    std::string title;
    std::vector<std::string> subtitle;
    struct Line {
        std::string section;
        std::string code;
        std::string name;
        int64_t amount = 0;
    };
    std::vector<Line> lines;
    std::vector<std::pair<std::string, int64_t>> section_totals;
    std::vector<std::pair<std::string, int64_t>> results;  // "Net profit", "Check", ...
};
Result<FinancialStatement> ComputeProfitAndLoss(db::Transaction& tx, const TenantId& tenant,
                                                const std::string& from, const std::string& to);
Result<FinancialStatement> ComputeBalanceSheet(db::Transaction& tx, const TenantId& tenant,
                                               const std::string& as_of);

struct SegmentProfit {
    std::string id;  // station or product id
    std::string name;
    int64_t revenue = 0;
    int64_t cost_of_sales = 0;
    int64_t other_expenses = 0;  // station-dimension expenses (cash short, stock losses)
    int64_t other_income = 0;    // station-dimension income (cash over)
    int64_t Gross() const { return revenue - cost_of_sales; }
    int64_t Net() const { return revenue - cost_of_sales - other_expenses + other_income; }
};
enum class Segment { kStation, kProduct };
Result<std::vector<SegmentProfit>> ComputeSegmentProfit(db::Transaction& tx, const TenantId& tenant,
                                                        Segment segment, const std::string& from,
                                                        const std::string& to);

report::Report FinancialStatementReport(const FinancialStatement& s);
report::Report SegmentReport(const std::vector<SegmentProfit>& rows, Segment segment,
                             const std::string& from, const std::string& to);

}  // namespace omc::ledger
