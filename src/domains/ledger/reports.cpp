#include "domains/ledger/reports.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace omc::ledger {
namespace {

// Posted transfers only: (flags & 10) = 0 leaves out pending transfers (2) and voids (8).
constexpr db::Query kMovements{"ledger.movements", R"sql(
    SELECT a.id, a.code, a.station_id, a.product_id, a.party_id, a.name, a.type, a.currency,
           a.flags, a.debits_pending, a.debits_posted, a.credits_pending, a.credits_posted,
           c.report_group, m.debits, m.credits
    FROM (SELECT account_id, SUM(d) AS debits, SUM(c) AS credits FROM (
              SELECT debit_account_id AS account_id, amount AS d, 0 AS c
              FROM ledger_transfers
              WHERE tenant_id = $1 AND (flags & 10) = 0 AND booked_on >= $2 AND booked_on <= $3
              UNION ALL
              SELECT credit_account_id AS account_id, 0 AS d, amount AS c
              FROM ledger_transfers
              WHERE tenant_id = $1 AND (flags & 10) = 0 AND booked_on >= $2 AND booked_on <= $3
          ) x GROUP BY account_id) m
    JOIN ledger_accounts a ON a.tenant_id = $1 AND a.id = m.account_id
    LEFT JOIN ledger_chart c ON c.tenant_id = $1 AND c.code = a.code
    ORDER BY a.code, a.id)sql"};

constexpr db::Query kAccount{"ledger.statement_account", R"sql(
    SELECT id, code, station_id, product_id, party_id, name, type, currency, flags,
           debits_pending, debits_posted, credits_pending, credits_posted
    FROM ledger_accounts WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kOpening{"ledger.statement_opening", R"sql(
    SELECT COALESCE(SUM(CASE WHEN debit_account_id = $2 THEN amount ELSE 0 END), 0),
           COALESCE(SUM(CASE WHEN credit_account_id = $2 THEN amount ELSE 0 END), 0)
    FROM ledger_transfers
    WHERE tenant_id = $1 AND (debit_account_id = $2 OR credit_account_id = $2)
      AND (flags & 10) = 0 AND booked_on < $3)sql"};
constexpr db::Query kLines{"ledger.statement_lines", R"sql(
    SELECT id, entry_id, kind, memo, booked_on, debit_account_id, amount FROM ledger_transfers
    WHERE tenant_id = $1 AND (debit_account_id = $2 OR credit_account_id = $2)
      AND (flags & 10) = 0 AND booked_on >= $3 AND booked_on <= $4
    ORDER BY booked_on, created_at_us, id LIMIT 100001)sql"};
constexpr db::Query kStationNames{"ledger.station_names", R"sql(
    SELECT id, name FROM stations WHERE tenant_id = $1)sql"};
constexpr db::Query kProductNames{"ledger.product_names", R"sql(
    SELECT id, name FROM products WHERE tenant_id = $1)sql"};

bool DebitNormal(AccountType t) { return t == AccountType::kAsset || t == AccountType::kExpense; }

std::string DimensionLabel(const Account& a) {
    std::string out;
    auto add = [&](std::string_view name, const std::optional<Uuid>& id) {
        if (!id) return;
        if (!out.empty()) out += ' ';
        out += fmt::format("{}={}", name, id->ToString());
    };
    add("station", a.station_id);
    add("product", a.product_id);
    add("party", a.party_id);
    return out;
}

Result<std::map<std::string, std::string>> Names(db::Transaction& tx, const TenantId& tenant,
                                                 const db::Query& query) {
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx.Query(query, {tenant}));
    std::map<std::string, std::string> out;
    for (const db::Row& r : rows) out[r.Text(0)] = r.Text(1);
    return out;
}

}  // namespace

int64_t AccountMovement::Net() const {
    return DebitNormal(account.type) ? debits - credits : credits - debits;
}

Result<std::vector<AccountMovement>> Movements(db::Transaction& tx, const TenantId& tenant,
                                               const std::optional<std::string>& from,
                                               const std::string& to) {
    OMC_ASSIGN_OR_RETURN(db::Rows rows,
                         tx.Query(kMovements, {tenant, from.value_or("0000-00-00"), to}));
    std::vector<AccountMovement> out;
    out.reserve(rows.size());
    for (const db::Row& r : rows) {
        AccountMovement m;
        m.account = AccountFromRow(r);
        m.report_group = r.OptText(13).value_or("Other");
        m.debits = r.Int(14);
        m.credits = r.Int(15);
        out.push_back(std::move(m));
    }
    return out;
}

Result<TrialBalance> ComputeTrialBalance(db::Transaction& tx, const TenantId& tenant,
                                         const std::string& as_of, bool per_account) {
    OMC_ASSIGN_OR_RETURN(auto movements, Movements(tx, tenant, std::nullopt, as_of));
    TrialBalance tb;
    tb.as_of = as_of;
    std::map<std::string, TrialBalance::Line> per_code;
    std::map<std::string, int64_t> net_by_code;  // debits − credits
    for (const AccountMovement& m : movements) {
        const int64_t net = m.debits - m.credits;
        if (per_account) {
            TrialBalance::Line line{m.account.code,
                                    m.account.name,
                                    std::string(AccountTypeName(m.account.type)),
                                    DimensionLabel(m.account),
                                    m.account.id,
                                    net > 0 ? net : 0,
                                    net < 0 ? -net : 0};
            tb.lines.push_back(std::move(line));
        } else {
            auto& line = per_code[m.account.code];
            line.code = m.account.code;
            line.name = m.account.name;
            line.type = AccountTypeName(m.account.type);
            net_by_code[m.account.code] += net;
        }
    }
    if (!per_account) {
        for (auto& [code, line] : per_code) {
            const int64_t net = net_by_code[code];
            line.debit = net > 0 ? net : 0;
            line.credit = net < 0 ? -net : 0;
            tb.lines.push_back(line);
        }
    }
    for (const auto& line : tb.lines) {
        tb.total_debit += line.debit;
        tb.total_credit += line.credit;
    }
    return tb;
}

report::Report TrialBalanceReport(const TrialBalance& tb) {
    report::Report r;
    r.title = "Trial balance";
    r.subtitle = {"As of " + tb.as_of};
    r.columns = {{"code", "Code", report::ColumnType::kText},
                 {"name", "Account", report::ColumnType::kText},
                 {"type", "Type", report::ColumnType::kText},
                 {"dimensions", "Dimensions", report::ColumnType::kText},
                 {"debit", "Debit (GH₵)", report::ColumnType::kMoney},
                 {"credit", "Credit (GH₵)", report::ColumnType::kMoney}};
    for (const auto& l : tb.lines) {
        r.AddRow({l.code, l.name, l.type, l.account, l.debit, l.credit});
    }
    r.totals = report::Row{std::string("Total"), std::monostate{}, std::monostate{},
                           std::monostate{},     tb.total_debit,   tb.total_credit};
    return r;
}

Result<Statement> ComputeStatement(db::Transaction& tx, const TenantId& tenant, const Uuid& account,
                                   const std::string& from, const std::string& to) {
    OMC_ASSIGN_OR_RETURN(db::Rows found, tx.Query(kAccount, {tenant, account}));
    if (found.empty()) return NotFound("ledger account");
    Statement s;
    s.account = AccountFromRow(found[0]);
    s.from = from;
    s.to = to;
    const bool debit_normal = DebitNormal(s.account.type);
    OMC_ASSIGN_OR_RETURN(db::Rows opening, tx.Query(kOpening, {tenant, account, from}));
    const int64_t od = opening[0].Int(0);
    const int64_t oc = opening[0].Int(1);
    s.opening = debit_normal ? od - oc : oc - od;
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx.Query(kLines, {tenant, account, from, to}));
    if (rows.size() > 100'000) {
        return InvalidArgument("from", "more than 100000 postings: ask for a shorter period");
    }
    int64_t balance = s.opening;
    for (const db::Row& r : rows) {
        StatementLine l;
        l.transfer_id = r.Id(0);
        l.entry_id = r.Id(1);
        l.kind = r.Text(2);
        l.memo = r.OptText(3);
        l.booked_on = r.Text(4);
        const bool is_debit = r.Id(5) == account;
        (is_debit ? l.debit : l.credit) = r.Int(6);
        balance += debit_normal ? l.debit - l.credit : l.credit - l.debit;
        l.balance = balance;
        s.lines.push_back(std::move(l));
    }
    s.closing = balance;
    return s;
}

report::Report StatementReport(const Statement& s) {
    report::Report r;
    r.title = fmt::format("Account statement: {} {}", s.account.code, s.account.name);
    r.subtitle = {fmt::format("Period: {} to {}", s.from, s.to), DimensionLabel(s.account)};
    r.columns = {{"booked_on", "Date", report::ColumnType::kDate},
                 {"kind", "Kind", report::ColumnType::kText},
                 {"memo", "Memo", report::ColumnType::kText},
                 {"entry_id", "Entry", report::ColumnType::kText},
                 {"debit", "Debit (GH₵)", report::ColumnType::kMoney},
                 {"credit", "Credit (GH₵)", report::ColumnType::kMoney},
                 {"balance", "Balance (GH₵)", report::ColumnType::kMoney}};
    r.AddRow({s.from, std::string("opening"), std::string("Opening balance"), std::monostate{},
              std::monostate{}, std::monostate{}, s.opening});
    int64_t debits = 0;
    int64_t credits = 0;
    for (const auto& l : s.lines) {
        r.AddRow({l.booked_on, l.kind, l.memo.value_or(""), l.entry_id.ToString(),
                  l.debit ? report::Cell(l.debit) : report::Cell(std::monostate{}),
                  l.credit ? report::Cell(l.credit) : report::Cell(std::monostate{}), l.balance});
        debits += l.debit;
        credits += l.credit;
    }
    r.totals = report::Row{s.to,
                           std::string("closing"),
                           std::string("Closing balance"),
                           std::monostate{},
                           debits,
                           credits,
                           s.closing};
    return r;
}

Result<FinancialStatement> ComputeProfitAndLoss(db::Transaction& tx, const TenantId& tenant,
                                                const std::string& from, const std::string& to) {
    OMC_ASSIGN_OR_RETURN(auto movements, Movements(tx, tenant, from, to));
    FinancialStatement fs;
    fs.title = "Profit and loss";
    fs.subtitle = {fmt::format("Period: {} to {}", from, to)};
    std::map<std::pair<int, std::string>, int64_t> by_code;  // (section order, code)
    std::map<std::string, std::string> names;
    std::map<std::string, std::string> groups;
    for (const AccountMovement& m : movements) {
        if (m.account.type != AccountType::kRevenue && m.account.type != AccountType::kExpense) {
            continue;
        }
        by_code[{m.account.type == AccountType::kRevenue ? 0 : 1, m.account.code}] += m.Net();
        names[m.account.code] = m.account.name;
        groups[m.account.code] = m.report_group;
    }
    int64_t revenue = 0;
    int64_t expenses = 0;
    std::map<std::string, int64_t> group_totals;
    std::vector<std::string> group_order;
    for (const auto& [key, amount] : by_code) {
        const std::string& group = groups[key.second];
        fs.lines.push_back({group, key.second, names[key.second], amount});
        if (!group_totals.contains(group)) group_order.push_back(group);
        group_totals[group] += amount;
        (key.first == 0 ? revenue : expenses) += amount;
    }
    for (const std::string& g : group_order) fs.section_totals.emplace_back(g, group_totals[g]);
    fs.results = {{"Total income", revenue},
                  {"Total expenses", expenses},
                  {"Net profit", revenue - expenses}};
    return fs;
}

Result<FinancialStatement> ComputeBalanceSheet(db::Transaction& tx, const TenantId& tenant,
                                               const std::string& as_of) {
    OMC_ASSIGN_OR_RETURN(auto movements, Movements(tx, tenant, std::nullopt, as_of));
    FinancialStatement fs;
    fs.title = "Balance sheet";
    fs.subtitle = {"As of " + as_of};
    std::map<std::pair<int, std::string>, int64_t> by_code;
    std::map<std::string, std::string> names;
    std::map<std::string, std::string> groups;
    int64_t profit = 0;
    for (const AccountMovement& m : movements) {
        int order = 0;
        switch (m.account.type) {
            case AccountType::kAsset:
                order = 0;
                break;
            case AccountType::kLiability:
                order = 1;
                break;
            case AccountType::kEquity:
                order = 2;
                break;
            case AccountType::kRevenue:
                profit += m.Net();
                continue;
            case AccountType::kExpense:
                profit -= m.Net();
                continue;
        }
        by_code[{order, m.account.code}] += m.Net();
        names[m.account.code] = m.account.name;
        groups[m.account.code] = m.report_group;
    }
    int64_t totals[3] = {0, 0, 0};
    std::map<std::string, int64_t> group_totals;
    std::vector<std::string> group_order;
    for (const auto& [key, amount] : by_code) {
        const std::string& group = groups[key.second];
        fs.lines.push_back({group, key.second, names[key.second], amount});
        if (!group_totals.contains(group)) group_order.push_back(group);
        group_totals[group] += amount;
        totals[key.first] += amount;
    }
    // Profit not yet closed to retained earnings is part of equity.
    fs.lines.push_back(
        {"Equity", "", "Profit to date (not yet closed to retained earnings)", profit});
    if (!group_totals.contains("Equity")) group_order.push_back("Equity");
    group_totals["Equity"] += profit;
    totals[2] += profit;
    for (const std::string& g : group_order) fs.section_totals.emplace_back(g, group_totals[g]);
    fs.results = {{"Total assets", totals[0]},
                  {"Total liabilities", totals[1]},
                  {"Total equity", totals[2]},
                  {"Assets − (liabilities + equity)", totals[0] - totals[1] - totals[2]}};
    return fs;
}

report::Report FinancialStatementReport(const FinancialStatement& s) {
    report::Report r;
    r.title = s.title;
    r.subtitle = s.subtitle;
    r.section_key = "section";
    r.columns = {{"code", "Code", report::ColumnType::kText},
                 {"name", "Account", report::ColumnType::kText},
                 {"amount", "Amount (GH₵)", report::ColumnType::kMoney}};
    std::string current;
    bool first = true;
    for (const auto& l : s.lines) {
        if (first || l.section != current) {
            r.AddSection(l.section);
            current = l.section;
            first = false;
            for (const auto& [group, total] : s.section_totals) {
                if (group == l.section) {
                    r.sections.back().subtotal =
                        report::Row{std::string("Total"), l.section, total};
                }
            }
        }
        r.AddRow({l.code, l.name, l.amount});
    }
    r.AddSection("Result");
    for (const auto& [label, amount] : s.results) {
        r.AddRow({std::string(), label, amount});
    }
    return r;
}

Result<std::vector<SegmentProfit>> ComputeSegmentProfit(db::Transaction& tx, const TenantId& tenant,
                                                        Segment segment, const std::string& from,
                                                        const std::string& to) {
    OMC_ASSIGN_OR_RETURN(auto movements, Movements(tx, tenant, from, to));
    OMC_ASSIGN_OR_RETURN(
        auto names,
        Names(tx, tenant, segment == Segment::kStation ? kStationNames : kProductNames));
    std::map<std::string, SegmentProfit> out;
    for (const AccountMovement& m : movements) {
        const auto& id = segment == Segment::kStation ? m.account.station_id : m.account.product_id;
        if (!id) continue;
        if (m.account.type != AccountType::kRevenue && m.account.type != AccountType::kExpense) {
            continue;
        }
        SegmentProfit& p = out[id->ToString()];
        p.id = id->ToString();
        p.name = names.contains(p.id) ? names[p.id] : p.id;
        if (m.account.type == AccountType::kRevenue) {
            if (m.report_group == "Revenue") {
                p.revenue += m.Net();
            } else {
                p.other_income += m.Net();
            }
        } else if (m.report_group == "Cost of sales" && m.account.product_id) {
            p.cost_of_sales += m.Net();
        } else {
            p.other_expenses += m.Net();
        }
    }
    std::vector<SegmentProfit> rows;
    for (auto& [id, p] : out) rows.push_back(std::move(p));
    std::sort(rows.begin(), rows.end(),
              [](const SegmentProfit& a, const SegmentProfit& b) { return a.name < b.name; });
    return rows;
}

report::Report SegmentReport(const std::vector<SegmentProfit>& rows, Segment segment,
                             const std::string& from, const std::string& to) {
    report::Report r;
    const bool station = segment == Segment::kStation;
    r.title = station ? "Profit per station" : "Profit per product";
    r.subtitle = {fmt::format("Period: {} to {}", from, to)};
    r.columns = {{station ? "station_id" : "product_id", "Id", report::ColumnType::kText},
                 {"name", station ? "Station" : "Product", report::ColumnType::kText},
                 {"revenue", "Revenue (GH₵)", report::ColumnType::kMoney},
                 {"cost_of_sales", "Cost of sales (GH₵)", report::ColumnType::kMoney},
                 {"gross_profit", "Gross profit (GH₵)", report::ColumnType::kMoney},
                 {"other_income", "Other income (GH₵)", report::ColumnType::kMoney},
                 {"other_expenses", "Other expenses (GH₵)", report::ColumnType::kMoney},
                 {"net_profit", "Net profit (GH₵)", report::ColumnType::kMoney}};
    int64_t t[6] = {0, 0, 0, 0, 0, 0};
    for (const auto& p : rows) {
        r.AddRow({p.id, p.name, p.revenue, p.cost_of_sales, p.Gross(), p.other_income,
                  p.other_expenses, p.Net()});
        t[0] += p.revenue;
        t[1] += p.cost_of_sales;
        t[2] += p.Gross();
        t[3] += p.other_income;
        t[4] += p.other_expenses;
        t[5] += p.Net();
    }
    r.totals =
        report::Row{std::string("Total"), std::monostate{}, t[0], t[1], t[2], t[3], t[4], t[5]};
    return r;
}

}  // namespace omc::ledger
