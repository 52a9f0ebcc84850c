// Statements and aging for both sides, built from rows the handlers read: JSON and the
// platform/report table (CSV, XLSX, PDF) from the same integers.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domains/arap/model.hpp"
#include "platform/base/id.hpp"
#include "platform/report/report.hpp"

namespace omc::arap {

// One document of a party's account: an invoice (debit_kind: adds to what is owed) or a payment.
struct StatementDoc {
    std::string date;  // YYYY-MM-DD
    std::string kind;  // "invoice" or "payment"
    std::string reference;
    int64_t amount = 0;  // pesewas, > 0
};

struct StatementInput {
    std::string title;
    std::string party_name;
    std::string from;  // inclusive
    std::string to;    // inclusive
    std::string debit_kind;
    std::vector<StatementDoc> rows;  // every document dated up to `to`, in date order
};

struct StatementOutput {
    nlohmann::json json;
    report::Report report;
};

// Opening balance = Σ the debit kind's documents − Σ the others' dated before `from`; then each
// document of [from, to] with the running balance; closing = opening + debits − credits.
StatementOutput BuildStatement(const StatementInput& in);

struct AgingDoc {
    Uuid party_id;
    std::string party_name;
    std::string due_on;  // "" for a credit (unapplied payment)
    int64_t amount = 0;  // outstanding (documents) or unapplied (credits), pesewas
};

struct AgingInput {
    std::string title;
    std::string party_key;  // "customer" or "supplier"
    std::string as_of;
    std::vector<AgingDoc> documents;
    std::vector<AgingDoc> credits;
};

struct AgingOutput {
    nlohmann::json json;
    report::Report report;
};

// Per party: outstanding by bucket of days past due at `as_of`, the unapplied credit, and the
// balance (Σ buckets − credit); totals over all parties. Parties with nothing are left out.
AgingOutput BuildAging(const AgingInput& in);

}  // namespace omc::arap
