#include "domains/forecourt/stock_posting.hpp"

#include <fmt/format.h>

#include "domains/ledger/chart.hpp"
#include "domains/ledger/posting_ids.hpp"
#include "domains/pricing/buildup.hpp"
#include "platform/base/money.hpp"
#include "platform/base/rounding.hpp"

namespace omc::forecourt {
namespace {

namespace chart = ledger::chart;

constexpr int64_t kRawPerPesewaLitre = 10'000'000;  // 10^-4 pesewa × 1 000 mL

constexpr db::Query kStationProductStock{"forecourt.posting_station_product_stock", R"sql(
    SELECT COALESCE(SUM(book_stock_milli), 0) FROM tanks
    WHERE tenant_id = $1 AND station_id = $2 AND product_id = $3)sql"};

}  // namespace

void SignedLines::Add(const ledger::AccountKey& key, int64_t debit_minus_credit) {
    auto& slot = by_key_[key.DimensionKey()];
    slot.first = key;
    slot.second += debit_minus_credit;
}

std::vector<ledger::EntryLine> SignedLines::Lines() const {
    std::vector<ledger::EntryLine> lines;
    for (const auto& [dimension_key, slot] : by_key_) {
        if (slot.second > 0) lines.push_back({slot.first, slot.second, 0, {}});
        if (slot.second < 0) lines.push_back({slot.first, 0, -slot.second, {}});
    }
    return lines;
}

bool SignedLines::Empty() const {
    for (const auto& [dimension_key, slot] : by_key_) {
        if (slot.second != 0) return false;
    }
    return true;
}

ledger::AccountKey Account(std::string_view code, std::optional<Uuid> station,
                           std::optional<Uuid> product, std::optional<Uuid> party) {
    return ledger::AccountKey{std::string(code), station, product, party};
}

int64_t MulDivHalfUp(int64_t a, int64_t b, int64_t c) {
    // Every caller's product fits: amounts and volumes are bounded far below 2^63 / 2^63.
    return DivideRounded(static_cast<__int128>(a) * b, c, RoundingMode::kHalfUp).value_or(0);
}

int64_t ValueAtCost(int64_t milli, int64_t unit_cost) {
    return MulDivHalfUp(milli, unit_cost, kRawPerPesewaLitre);
}

std::vector<ledger::Entry> DeliveryEntries(const TenantId& tenant, const DeliveryPosting& d) {
    std::vector<ledger::Entry> entries;
    if (d.unit_cost) {
        // The tank's stock at cost; the BDC invoices the loaded quantity, so goods received
        // not invoiced takes the shortage too, and the shortage (or gain) goes to stock losses.
        const int64_t received = ValueAtCost(d.received_standard_milli, *d.unit_cost);
        const int64_t shortage = ValueAtCost(d.shortage_milli, *d.unit_cost);
        SignedLines lines;
        lines.Add(Account(chart::kFuelInventory, d.station_id, d.product_id), received);
        lines.Add(Account(chart::kStockLosses, d.station_id, d.product_id), shortage);
        lines.Add(Account(chart::kGoodsReceivedNotInvoiced), -(received + shortage));
        if (!lines.Empty()) {
            entries.push_back(ledger::Entry{
                .id = d.delivery_id,
                .kind = "delivery",
                .source_id = d.delivery_id,
                .booked_on = d.booked_on,
                .memo = fmt::format("delivery at {} per L ({} mL received, {} mL short)",
                                    FormatScaled(*d.unit_cost, 6), d.received_standard_milli,
                                    d.shortage_milli),
                .lines = lines.Lines()});
        }
    }
    if (d.claim_amount > 0) {
        const Uuid transporter = ledger::PartyIdFromName(tenant, "transporter", d.transporter);
        entries.push_back(ledger::Entry{
            .id = ledger::DerivedEntryId(d.delivery_id, "transit_loss_claim"),
            .kind = "transit_loss_claim",
            .source_id = d.delivery_id,
            .booked_on = d.booked_on,
            .memo = fmt::format("transit loss claimed from {}",
                                ledger::NormalisedPartyName(d.transporter)),
            .lines = {{Account(chart::kTransitLossClaims, std::nullopt, std::nullopt, transporter),
                       d.claim_amount, 0, std::nullopt},
                      {Account(chart::kStockLosses, d.station_id, d.product_id), 0, d.claim_amount,
                       std::nullopt}}});
    }
    return entries;
}

Result<std::optional<int64_t>> ExDepotUnitCost(db::Transaction& tx, const TenantId& tenant,
                                               const Uuid& product_id, int32_t date_days) {
    OMC_ASSIGN_OR_RETURN(const std::optional<pricing::BuildUp> build_up,
                         pricing::BuildUpAt(tx, tenant, product_id, date_days));
    if (!build_up || build_up->ex_depot <= 0) return std::optional<int64_t>();
    return std::optional<int64_t>(build_up->ex_depot);
}

Result<StockValue> StationStockValue(db::Transaction& tx, const TenantId& tenant, IdGenerator& ids,
                                     TimestampUs now, const Uuid& station, const Uuid& product) {
    OMC_ASSIGN_OR_RETURN(
        const ledger::Account inventory,
        ledger::ResolveAccount(tx, tenant, Account(chart::kFuelInventory, station, product), ids,
                               now));
    OMC_ASSIGN_OR_RETURN(const int64_t stock, StationBookStock(tx, tenant, station, product));
    return StockValue{.value = inventory.Balance(), .stock_milli = stock};
}

Result<int64_t> StationBookStock(db::Transaction& tx, const TenantId& tenant, const Uuid& station,
                                 const Uuid& product) {
    OMC_ASSIGN_OR_RETURN(const db::Rows stock,
                         tx.Query(kStationProductStock, {tenant, station, product}));
    return stock[0].Int(0);
}

int64_t AverageCostOf(const StockValue& before, int64_t quantity_milli) {
    if (before.value <= 0 || before.stock_milli <= 0) return 0;
    int64_t cost = MulDivHalfUp(before.value, quantity_milli, before.stock_milli);
    if (cost < -before.value) cost = -before.value;
    return cost;
}

Result<int64_t> PostStockAdjustment(db::Transaction& tx, const TenantId& tenant, IdGenerator& ids,
                                    TimestampUs now, const Uuid& movement_id, const Uuid& station,
                                    const Uuid& product, int64_t quantity_milli,
                                    const StockValue& before, const std::string& booked_on) {
    const int64_t cost = AverageCostOf(before, quantity_milli);
    if (cost == 0) return int64_t{0};
    SignedLines lines;
    lines.Add(Account(chart::kFuelInventory, station, product), cost);
    lines.Add(Account(chart::kStockLosses, station, product), -cost);
    const ledger::Entry entry{
        .id = movement_id,
        .kind = "stock_adjustment",
        .source_id = movement_id,
        .booked_on = booked_on,
        .memo = fmt::format("stock adjustment of {} mL at average cost", quantity_milli),
        .lines = lines.Lines()};
    OMC_TRY(ledger::PostEntries(tx, tenant, std::span(&entry, 1), ids, "system:stock", now));
    return cost;
}

Result<void> PostCashUp(db::Transaction& tx, const TenantId& tenant, IdGenerator& ids,
                        TimestampUs now, const Uuid& entry_id, const Uuid& shift_id,
                        const Uuid& station, const std::string& booked_on, int64_t short_delta,
                        int64_t over_delta, std::string_view kind) {
    SignedLines lines;
    lines.Add(Account(chart::kCashShort, station), short_delta);
    lines.Add(Account(chart::kCashOver, station), -over_delta);
    lines.Add(Account(chart::kCashAtStation, station), over_delta - short_delta);
    if (lines.Empty()) return Ok();
    const ledger::Entry entry{
        .id = entry_id,
        .kind = std::string(kind),
        .source_id = shift_id,
        .booked_on = booked_on,
        .memo = fmt::format("cash-up: short {} over {} (pesewas)", short_delta, over_delta),
        .lines = lines.Lines()};
    return ledger::PostEntries(tx, tenant, std::span(&entry, 1), ids, "system:shifts", now);
}

}  // namespace omc::forecourt
