// The Ghana OMC chart of accounts template: the codes business postings use. Each tenant gets a
// copy (ledger_chart) on first use and may rename codes, add its own and deactivate unused ones;
// the codes below must stay, since the modules post to them. docs/finance.md explains each.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domains/ledger/ledger.hpp"

namespace omc::ledger::chart {

// Assets
inline constexpr std::string_view kCashAtStation = "1010";  // station
inline constexpr std::string_view kBank = "1020";
inline constexpr std::string_view kMomoClearing = "1030";
inline constexpr std::string_view kCardClearing = "1040";
inline constexpr std::string_view kCashInTransit = "1050";   // station: banked, not cleared
inline constexpr std::string_view kReceivables = "1100";     // party: credit customer
inline constexpr std::string_view kDealerAccounts = "1110";  // party: dealer
inline constexpr std::string_view kUppfReceivable = "1120";
inline constexpr std::string_view kTransitLossClaims = "1130";  // party: transporter
inline constexpr std::string_view kStaffShortages = "1140";     // station: attendant shortages
inline constexpr std::string_view kInputVat = "1150";
inline constexpr std::string_view kFuelInventory = "1200";  // station, product
inline constexpr std::string_view kShopInventory = "1210";  // station, product
// Liabilities
inline constexpr std::string_view kBdcPayables = "2010";          // party: BDC
inline constexpr std::string_view kTransporterPayables = "2020";  // party: transporter
inline constexpr std::string_view kOtherPayables = "2030";        // party: supplier
inline constexpr std::string_view kGoodsReceivedNotInvoiced = "2050";
inline constexpr std::string_view kCustomerDeposits = "2060";  // party: customer
inline constexpr std::string_view kVouchersOutstanding = "2070";
inline constexpr std::string_view kVatPayable = "2100";
inline constexpr std::string_view kNhilPayable = "2110";
inline constexpr std::string_view kGetFundPayable = "2120";
inline constexpr std::string_view kCovidLevyPayable = "2130";
inline constexpr std::string_view kPayePayable = "2200";
inline constexpr std::string_view kSsnitPayable = "2210";
inline constexpr std::string_view kNetPayPayable = "2220";
// Equity
inline constexpr std::string_view kOwnersEquity = "3000";
inline constexpr std::string_view kRetainedEarnings = "3100";
// Revenue
inline constexpr std::string_view kFuelRevenue = "4010";     // station, product
inline constexpr std::string_view kNonFuelRevenue = "4020";  // station, product
inline constexpr std::string_view kUppfFreightIncome = "4030";
inline constexpr std::string_view kCashOver = "4040";  // station
inline constexpr std::string_view kOtherIncome = "4090";
// Expenses
inline constexpr std::string_view kFuelCostOfSales = "5010";     // station, product
inline constexpr std::string_view kNonFuelCostOfSales = "5020";  // station, product
inline constexpr std::string_view kFreightCost = "5030";
inline constexpr std::string_view kStockLosses = "5040";  // station, product
inline constexpr std::string_view kCashShort = "5050";    // station
inline constexpr std::string_view kPriceVariance = "5060";
inline constexpr std::string_view kBankCharges = "5070";
inline constexpr std::string_view kSalaries = "5100";
inline constexpr std::string_view kEmployerSsnit = "5110";

struct ChartLine {
    std::string_view code;
    std::string_view name;
    AccountType type;
    std::string_view dimensions;    // "", "station", "station,product", "party"
    int64_t flags;                  // account_flags
    std::string_view report_group;  // the line of the balance sheet or P&L it adds to
};

// The template, in code order.
const std::vector<ChartLine>& Template();

// The payable account of a GRA tax code ("VAT", "NHIL", "GETFUND", "COVID").
std::optional<std::string_view> TaxPayableCode(std::string_view tax_code);

}  // namespace omc::ledger::chart
