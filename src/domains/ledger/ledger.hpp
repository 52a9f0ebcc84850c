// The double-entry ledger, modelled on TigerBeetle's (tables: ledger_chart, ledger_accounts,
// ledger_transfers, ledger_pending, ledger_periods; migration 0013). README.md in this folder
// lists the invariants, routes and events; docs/finance.md what each business fact posts.
//
// Two layers:
//   - CreateTransfers: TigerBeetle's primitive. A transfer debits one account and credits
//     another of the same currency by a positive amount; its id is the client's, so a repeat
//     with the same fields is a no-op (kExists) and with different fields an error. Flags make a
//     transfer pending (two-phase, with a timeout), post or void a pending one (posting possibly
//     a smaller amount), or link it to the next one so a chain succeeds or fails together.
//     Account flags enforce "debits must not exceed credits" (and the reverse) over posted plus
//     pending amounts, which is how credit limits are held.
//   - PostEntries: a business fact as a journal entry of debit and credit lines naming accounts
//     by chart code and dimensions (station, product, party). The lines must balance (Σ debits =
//     Σ credits, checked before anything is written); accounts are created from the chart on
//     first use; the entry becomes linked transfers whose ids derive from the entry id, so
//     posting the same entry twice is a no-op.
//
// Both take a whole batch, lock each account it touches once (in id order, so two batches never
// deadlock), insert the transfers in multi-row statements and update each account once: the cost
// per batch does not grow with the number of transfers touching one hot account (a station's
// cash). Nothing is written unless the whole call succeeds, except that failed transfers of
// CreateTransfers are reported per index (as TigerBeetle does) while the others are applied.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::ledger {

enum class AccountType { kAsset, kLiability, kEquity, kRevenue, kExpense };
std::string_view AccountTypeName(AccountType type);
std::optional<AccountType> ParseAccountType(std::string_view name);

namespace account_flags {
// Refuse a transfer that would make debits (posted + pending) exceed credits (posted): a
// liability or prepaid account that must not go negative, or a customer credit line funded by
// a credit-limit transfer.
inline constexpr int64_t kDebitsMustNotExceedCredits = 1;
inline constexpr int64_t kCreditsMustNotExceedDebits = 2;
// Closed: refuses every new transfer.
inline constexpr int64_t kClosed = 4;
}  // namespace account_flags

namespace transfer_flags {
inline constexpr int64_t kLinked = 1;       // succeeds or fails with the next transfer
inline constexpr int64_t kPending = 2;      // reserves the amount; post or void later
inline constexpr int64_t kPostPending = 4;  // posts pending_id (amount ≤ the pending amount)
inline constexpr int64_t kVoidPending = 8;  // voids pending_id
}  // namespace transfer_flags

inline constexpr std::string_view kCurrency = "GHS";

struct Account {
    Uuid id;
    std::string code;
    std::optional<Uuid> station_id;
    std::optional<Uuid> product_id;
    std::optional<Uuid> party_id;
    std::string name;
    AccountType type = AccountType::kAsset;
    std::string currency{kCurrency};
    int64_t flags = 0;
    int64_t debits_pending = 0;
    int64_t debits_posted = 0;
    int64_t credits_pending = 0;
    int64_t credits_posted = 0;
    // Posted balance on the account's normal side: debits − credits for assets and expenses,
    // credits − debits for liabilities, equity and revenue.
    int64_t Balance() const;
};

// An account from a row whose first 13 columns are OMC_LEDGER_ACCOUNT_COLUMNS.
#define OMC_LEDGER_ACCOUNT_COLUMNS                                                              \
    "id, code, station_id, product_id, party_id, name, type, currency, flags, debits_pending, " \
    "debits_posted, credits_pending, credits_posted"
Account AccountFromRow(const db::Row& row);

// How a posting names an account: a chart code and the dimensions the code carries.
struct AccountKey {
    std::string code;
    std::optional<Uuid> station_id;
    std::optional<Uuid> product_id;
    std::optional<Uuid> party_id;  // customer, supplier, dealer or transporter
    std::string DimensionKey() const;
};

// The account for `key`, created from the tenant's chart (copied from the template on first
// use) when it does not exist yet. kNotFound for a code the chart does not have; kInvalidArgument
// when the dimensions do not match the code's.
Result<Account> ResolveAccount(db::Transaction& tx, const TenantId& tenant, const AccountKey& key,
                               IdGenerator& ids, TimestampUs now);

// The accounts of `keys` that exist (by dimension key), in one query; none is created.
Result<std::map<std::string, Account>> FindAccounts(db::Transaction& tx, const TenantId& tenant,
                                                    std::span<const AccountKey> keys);

struct TransferSpec {
    Uuid id;
    Uuid debit_account_id;
    Uuid credit_account_id;
    int64_t amount = 0;  // pesewas, > 0 (a post may give 0: the full pending amount)
    int64_t flags = 0;
    std::optional<Uuid> pending_id;  // with kPostPending or kVoidPending
    int64_t timeout_s = 0;           // with kPending: expires (is voided) after it; 0 = never
    Uuid entry_id;                   // the journal entry (defaults to the transfer's own id)
    std::string kind;                // "manual", "sale_batch", "delivery", ...
    std::optional<Uuid> source_id;
    std::string booked_on;  // YYYY-MM-DD
    std::optional<std::string> memo;
};

// TigerBeetle's create_transfer results, the ones that apply here.
enum class TransferResult {
    kOk,
    kExists,  // same id, same fields: nothing done
    kExistsWithDifferentFields,
    kLinkedEventFailed,
    kLinkedEventChainOpen,
    kAmountMustNotBeZero,
    kAccountsMustBeDifferent,
    kDebitAccountNotFound,
    kCreditAccountNotFound,
    kAccountClosed,
    kCurrenciesMustBeEqual,
    kPendingTransferNotFound,
    kPendingTransferNotPending,
    kPendingTransferAlreadyPosted,
    kPendingTransferAlreadyVoided,
    kPendingTransferExpired,
    kExceedsPendingTransferAmount,
    kPendingIdRequired,
    kFlagsAreMutuallyExclusive,
    kExceedsCredits,  // the debit account's kDebitsMustNotExceedCredits
    kExceedsDebits,   // the credit account's kCreditsMustNotExceedDebits
    kPeriodClosed,
    kInvalidDate,
};
std::string_view TransferResultName(TransferResult result);

struct TransferOutcome {
    size_t index = 0;
    TransferResult result = TransferResult::kOk;
};

// Applies `transfers` in order; returns one outcome per transfer that did not succeed (kExists
// counts as success). A failed transfer fails its whole linked chain.
Result<std::vector<TransferOutcome>> CreateTransfers(db::Transaction& tx, const TenantId& tenant,
                                                     std::span<const TransferSpec> transfers,
                                                     std::string_view created_by, TimestampUs now);

// One line of a journal entry: exactly one of debit and credit is positive.
struct EntryLine {
    AccountKey account;
    int64_t debit = 0;
    int64_t credit = 0;
    std::optional<std::string> memo;
};

struct Entry {
    Uuid id;                        // the entry's id; its transfers' ids derive from it
    std::string kind;               // what business fact it records (docs/finance.md)
    std::optional<Uuid> source_id;  // the fact's id (sale batch, delivery, invoice, ...)
    std::string booked_on;          // YYYY-MM-DD, the accounting date
    std::optional<std::string> memo;
    std::vector<EntryLine> lines;
};

struct PostOptions {
    // A business fact dated in a closed period is booked on the first day of the next open
    // period (its own date stays in the memo), since refusing it would lose a sale or a
    // delivery; a manual journal is refused instead (kConflict naming booked_on).
    bool late_to_open_period = true;
};

// Posts each entry as linked transfers, all or nothing: kInvalidArgument ("lines") when an
// entry does not balance or has a line that is not exactly one positive side, kNotFound for an
// unknown chart code, kConflict for a closed period (unless late_to_open_period), kUnprocessable
// when an account flag refuses it (the credit limit). An entry already posted with the same lines
// is skipped; with different lines it is kConflict.
Result<void> PostEntries(db::Transaction& tx, const TenantId& tenant,
                         std::span<const Entry> entries, IdGenerator& ids,
                         std::string_view created_by, TimestampUs now, PostOptions options = {});

// Posts the mirror image of entry `original_id` as entry `reversal_id` (booked on `booked_on`):
// how a posting in a closed period is corrected.
Result<void> ReverseEntry(db::Transaction& tx, const TenantId& tenant, const Uuid& original_id,
                          const Uuid& reversal_id, std::string_view booked_on,
                          std::string_view reason, IdGenerator& ids, std::string_view created_by,
                          TimestampUs now);

// Voids pending transfers whose timeout passed (all tenants); returns how many.
Result<int64_t> ExpirePendingTransfers(db::Database& database, const Clock& clock);

// Checks every tenant's ledger: Σ debits = Σ credits (posted and pending), every account's four
// totals equal the sums of its transfers, every pending state matches its transfers. Returns the
// problems found (empty when sound).
Result<std::vector<std::string>> Verify(db::Database& database);

}  // namespace omc::ledger
