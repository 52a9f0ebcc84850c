#include "domains/payments/reconciliation.hpp"

#include <map>
#include <set>

#include "domains/payments/provider.hpp"
#include "platform/report/csv_reader.hpp"

namespace omc::payments {

Result<std::vector<StatementLine>> ParseStatement(std::string_view csv) {
    OMC_ASSIGN_OR_RETURN(const report::CsvTable table,
                         report::CsvTable::Read(csv, {{"reference", true},
                                                      {"financial_transaction_id", false},
                                                      {"external_id", false},
                                                      {"amount", true},
                                                      {"currency", true},
                                                      {"status", true},
                                                      {"completed_at", false}}));
    std::vector<StatementLine> out;
    for (const report::CsvRow& row : table.rows()) {
        StatementLine line;
        line.row = row.row();
        OMC_ASSIGN_OR_RETURN(line.reference, row.RequiredText("reference"));
        line.financial_transaction_id = std::string(row.Text("financial_transaction_id"));
        line.external_id = std::string(row.Text("external_id"));
        OMC_ASSIGN_OR_RETURN(line.amount, row.Money("amount"));
        if (line.amount <= 0) return row.Invalid("amount", "must be positive");
        OMC_ASSIGN_OR_RETURN(line.currency, row.RequiredText("currency"));
        OMC_ASSIGN_OR_RETURN(line.status, row.RequiredText("status"));
        if (line.status != "SUCCESSFUL" && line.status != "FAILED" && line.status != "PENDING") {
            return row.Invalid("status", "must be SUCCESSFUL, FAILED or PENDING");
        }
        out.push_back(std::move(line));
    }
    return out;
}

ReconcileResult Reconcile(const std::vector<StatementLine>& lines,
                          const std::vector<IntentFacts>& day_intents,
                          const std::vector<IntentFacts>& other_intents) {
    std::map<std::string, const IntentFacts*> by_reference;
    std::map<std::string, const IntentFacts*> by_ftid;
    for (const auto* list : {&other_intents, &day_intents}) {
        for (const IntentFacts& i : *list) {
            by_reference[i.reference] = &i;
            if (!i.financial_transaction_id.empty()) by_ftid[i.financial_transaction_id] = &i;
        }
    }
    ReconcileResult out;
    std::set<Uuid> seen;
    for (const StatementLine& line : lines) {
        const bool paid = line.status == "SUCCESSFUL";
        if (paid) out.statement_amount += line.amount;
        const IntentFacts* intent = nullptr;
        if (auto it = by_reference.find(line.reference); it != by_reference.end()) {
            intent = it->second;
        } else if (auto f = by_ftid.find(line.financial_transaction_id);
                   !line.financial_transaction_id.empty() && f != by_ftid.end()) {
            intent = f->second;
        }
        if (intent == nullptr) {
            if (paid) {
                out.mismatches.push_back({"missing_sale", line, std::nullopt,
                                          "paid on the statement, but no MoMo sale has this "
                                          "reference"});
            }
            continue;
        }
        seen.insert(intent->id);
        const bool recorded = intent->status == "successful" && intent->sale_state == "recorded";
        if (paid && intent->status == "successful" && !recorded) {
            out.mismatches.push_back({"missing_sale", line, *intent,
                                      "paid, but the sale was refused: settle it by hand"});
        } else if (paid && !recorded) {
            out.mismatches.push_back({"status_differs", line, *intent,
                                      "SUCCESSFUL on the statement, " + intent->status + " here"});
        } else if (!paid && intent->status == "successful") {
            out.mismatches.push_back({"status_differs", line, *intent,
                                      line.status + " on the statement, successful here"});
        } else if (paid && line.amount != intent->amount) {
            out.mismatches.push_back(
                {"amount_differs", line, *intent, "the statement's amount is not the sale's"});
        } else {
            ++out.matched;
        }
    }
    for (const IntentFacts& i : day_intents) {
        if (i.status == "successful" && i.sale_state == "recorded") out.sales_amount += i.amount;
        if (seen.count(i.id) || i.status != "successful") continue;
        out.mismatches.push_back(
            {"missing_statement", std::nullopt, i, "a MoMo sale with no line on the statement"});
    }
    return out;
}

}  // namespace omc::payments
