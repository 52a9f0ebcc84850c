#include "domains/arap/arap_reports.hpp"

#include <map>

#include "domains/arap/common.hpp"

namespace omc::arap {

using nlohmann::json;

StatementOutput BuildStatement(const StatementInput& in) {
    int64_t opening = 0;
    int64_t debits = 0;
    int64_t credits = 0;
    StatementOutput out;
    report::Report& r = out.report;
    r.title = in.title + ": " + in.party_name;
    r.subtitle = {"Period: " + in.from + " to " + in.to};
    r.columns = {{"date", "Date", report::ColumnType::kDate},
                 {"document", "Document", report::ColumnType::kText},
                 {"reference", "Reference", report::ColumnType::kText},
                 {"debit", "Debit (GH₵)", report::ColumnType::kMoney},
                 {"credit", "Credit (GH₵)", report::ColumnType::kMoney},
                 {"balance", "Balance (GH₵)", report::ColumnType::kMoney}};
    for (const StatementDoc& d : in.rows) {
        if (d.date >= in.from) break;
        opening += d.kind == in.debit_kind ? d.amount : -d.amount;
    }
    r.AddRow({in.from, std::string("opening balance"), std::string(), std::monostate{},
              std::monostate{}, opening});
    json lines = json::array();
    int64_t balance = opening;
    for (const StatementDoc& d : in.rows) {
        if (d.date < in.from || d.date > in.to) continue;
        const bool debit = d.kind == in.debit_kind;
        (debit ? debits : credits) += d.amount;
        balance += debit ? d.amount : -d.amount;
        r.AddRow({d.date, d.kind, d.reference, debit ? report::Cell(d.amount) : std::monostate{},
                  debit ? report::Cell(std::monostate{}) : report::Cell(d.amount), balance});
        lines.push_back({{"date", d.date},
                         {"document", d.kind},
                         {"reference", d.reference},
                         {"debit", debit ? json(FormatMoney(d.amount)) : json()},
                         {"credit", debit ? json() : json(FormatMoney(d.amount))},
                         {"balance", FormatMoney(balance)}});
    }
    r.totals =
        report::Row{in.to, std::string("closing balance"), std::string(), debits, credits, balance};
    out.json = json{{"from", in.from},
                    {"to", in.to},
                    {"opening_balance", FormatMoney(opening)},
                    {"lines", std::move(lines)},
                    {"total_debits", FormatMoney(debits)},
                    {"total_credits", FormatMoney(credits)},
                    {"closing_balance", FormatMoney(balance)}};
    return out;
}

AgingOutput BuildAging(const AgingInput& in) {
    struct Party {
        std::string name;
        std::array<int64_t, kAgingBuckets> buckets{};
        int64_t credit = 0;
    };
    std::map<Uuid, Party> parties;
    for (const AgingDoc& d : in.documents) {
        if (d.amount <= 0) continue;
        Party& p = parties[d.party_id];
        p.name = d.party_name;
        p.buckets[AgingBucket(DaysBetween(d.due_on, in.as_of))] += d.amount;
    }
    for (const AgingDoc& c : in.credits) {
        if (c.amount <= 0) continue;
        Party& p = parties[c.party_id];
        p.name = c.party_name;
        p.credit += c.amount;
    }
    AgingOutput out;
    report::Report& r = out.report;
    r.title = in.title;
    r.subtitle = {"As of " + in.as_of + ", by days past the due date"};
    r.columns = {{in.party_key + "_id", "Id", report::ColumnType::kText},
                 {in.party_key, in.party_key == "customer" ? "Customer" : "Supplier",
                  report::ColumnType::kText}};
    const auto& keys = AgingBucketKeys();
    const std::array<std::string, kAgingBuckets> titles = {"0-30 days", "31-60 days", "61-90 days",
                                                           "Over 90 days"};
    for (size_t b = 0; b < kAgingBuckets; ++b) {
        r.columns.push_back({"days_" + keys[b], titles[b], report::ColumnType::kMoney});
    }
    r.columns.push_back({"unapplied_credit", "Unapplied credit", report::ColumnType::kMoney});
    r.columns.push_back({"balance", "Balance", report::ColumnType::kMoney});
    std::array<int64_t, kAgingBuckets> totals{};
    int64_t total_credit = 0;
    int64_t total_balance = 0;
    json rows = json::array();
    for (const auto& [id, p] : parties) {
        report::Row row;
        row.reserve(kAgingBuckets + 4);  // no reallocation (and no GCC 12 false positive)
        row.emplace_back(id.ToString());
        row.emplace_back(p.name);
        json buckets = json::object();
        int64_t balance = -p.credit;
        for (size_t b = 0; b < kAgingBuckets; ++b) {
            row.push_back(p.buckets[b]);
            buckets[keys[b]] = FormatMoney(p.buckets[b]);
            totals[b] += p.buckets[b];
            balance += p.buckets[b];
        }
        row.push_back(p.credit);
        row.push_back(balance);
        total_credit += p.credit;
        total_balance += balance;
        r.AddRow(std::move(row));
        rows.push_back({{in.party_key + "_id", id.ToString()},
                        {"name", p.name},
                        {"buckets", std::move(buckets)},
                        {"unapplied_credit", FormatMoney(p.credit)},
                        {"balance", FormatMoney(balance)}});
    }
    report::Row total_row;
    total_row.reserve(kAgingBuckets + 4);
    total_row.emplace_back(std::string());
    total_row.emplace_back(std::string("Total"));
    json total_buckets = json::object();
    for (size_t b = 0; b < kAgingBuckets; ++b) {
        total_row.push_back(totals[b]);
        total_buckets[keys[b]] = FormatMoney(totals[b]);
    }
    total_row.push_back(total_credit);
    total_row.push_back(total_balance);
    r.totals = std::move(total_row);
    out.json = json{{"as_of", in.as_of},
                    {"rows", std::move(rows)},
                    {"totals",
                     {{"buckets", std::move(total_buckets)},
                      {"unapplied_credit", FormatMoney(total_credit)},
                      {"balance", FormatMoney(total_balance)}}}};
    return out;
}

}  // namespace omc::arap
