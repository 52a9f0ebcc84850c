#include "domains/ledger/chart.hpp"

namespace omc::ledger::chart {

const std::vector<ChartLine>& Template() {
    using enum AccountType;
    namespace f = account_flags;
    static const std::vector<ChartLine> kTemplate = {
        {kCashAtStation, "Cash at station", kAsset, "station", 0, "Cash and cash equivalents"},
        {kBank, "Bank", kAsset, "", 0, "Cash and cash equivalents"},
        {kMomoClearing, "Mobile money clearing", kAsset, "", 0, "Cash and cash equivalents"},
        {kCardClearing, "Card clearing", kAsset, "", 0, "Cash and cash equivalents"},
        {kCashInTransit, "Cash in transit to bank", kAsset, "station", 0,
         "Cash and cash equivalents"},
        {kReceivables, "Trade receivables: credit customers", kAsset, "party", 0,
         "Trade receivables"},
        {kDealerAccounts, "Dealer accounts", kAsset, "party", 0, "Trade receivables"},
        {kUppfReceivable, "UPPF receivable", kAsset, "", 0, "Other receivables"},
        {kTransitLossClaims, "Transit loss claims on transporters", kAsset, "party", 0,
         "Other receivables"},
        {kStaffShortages, "Attendant shortages recoverable", kAsset, "station", 0,
         "Other receivables"},
        {kInputVat, "Input VAT recoverable", kAsset, "", 0, "Other receivables"},
        {kFuelInventory, "Fuel inventory", kAsset, "station,product", 0, "Inventories"},
        {kShopInventory, "Shop and lubricant inventory", kAsset, "station,product", 0,
         "Inventories"},
        {kBdcPayables, "BDC payables", kLiability, "party", 0, "Trade payables"},
        {kTransporterPayables, "Transporter payables", kLiability, "party", 0, "Trade payables"},
        {kOtherPayables, "Other supplier payables", kLiability, "party", 0, "Trade payables"},
        {kGoodsReceivedNotInvoiced, "Goods received not invoiced", kLiability, "", 0,
         "Trade payables"},
        {kCustomerDeposits, "Customer deposits and prepayments", kLiability, "party",
         f::kDebitsMustNotExceedCredits, "Other payables"},
        {kVouchersOutstanding, "Fuel vouchers outstanding", kLiability, "", 0, "Other payables"},
        {kVatPayable, "VAT payable", kLiability, "", 0, "Taxes payable"},
        {kNhilPayable, "NHIL payable", kLiability, "", 0, "Taxes payable"},
        {kGetFundPayable, "GETFund levy payable", kLiability, "", 0, "Taxes payable"},
        {kCovidLevyPayable, "COVID-19 health recovery levy payable", kLiability, "", 0,
         "Taxes payable"},
        {kPayePayable, "PAYE payable", kLiability, "", 0, "Payroll liabilities"},
        {kSsnitPayable, "SSNIT payable", kLiability, "", 0, "Payroll liabilities"},
        {kNetPayPayable, "Net pay payable", kLiability, "", 0, "Payroll liabilities"},
        {kOwnersEquity, "Owners' equity", kEquity, "", 0, "Equity"},
        {kRetainedEarnings, "Retained earnings", kEquity, "", 0, "Equity"},
        {kFuelRevenue, "Fuel sales", kRevenue, "station,product", 0, "Revenue"},
        {kNonFuelRevenue, "Non-fuel sales (shop, lubricants)", kRevenue, "station,product", 0,
         "Revenue"},
        {kUppfFreightIncome, "UPPF freight income", kRevenue, "", 0, "Other income"},
        {kCashOver, "Cash over at cash-up", kRevenue, "station", 0, "Other income"},
        {kOtherIncome, "Other income", kRevenue, "", 0, "Other income"},
        {kFuelCostOfSales, "Cost of fuel sold", kExpense, "station,product", 0, "Cost of sales"},
        {kNonFuelCostOfSales, "Cost of non-fuel goods sold", kExpense, "station,product", 0,
         "Cost of sales"},
        {kFreightCost, "Freight and haulage", kExpense, "", 0, "Cost of sales"},
        {kStockLosses, "Stock losses and gains", kExpense, "station,product", 0, "Cost of sales"},
        {kCashShort, "Cash short at cash-up", kExpense, "station", 0, "Operating expenses"},
        {kPriceVariance, "Purchase price variance", kExpense, "", 0, "Cost of sales"},
        {kBankCharges, "Bank and MoMo charges", kExpense, "", 0, "Operating expenses"},
        {kSalaries, "Salaries and wages", kExpense, "", 0, "Operating expenses"},
        {kEmployerSsnit, "Employer SSNIT contribution", kExpense, "", 0, "Operating expenses"},
    };
    return kTemplate;
}

std::optional<std::string_view> TaxPayableCode(std::string_view tax_code) {
    if (tax_code == "VAT") return kVatPayable;
    if (tax_code == "NHIL") return kNhilPayable;
    if (tax_code == "GETFUND") return kGetFundPayable;
    if (tax_code == "COVID") return kCovidLevyPayable;
    return std::nullopt;
}

}  // namespace omc::ledger::chart
