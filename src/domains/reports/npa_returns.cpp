#include "domains/reports/npa_returns.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "platform/base/money.hpp"

namespace omc::reports {
namespace {

using nlohmann::json;

std::optional<std::vector<Uuid>> Scope(const std::vector<identity::StationRef>& stations,
                                       bool whole_tenant) {
    if (whole_tenant) return std::nullopt;
    std::vector<Uuid> ids;
    for (const auto& s : stations) ids.push_back(s.id);
    return ids;
}

// The lookups every return needs: stations, regions and fuel products by id.
struct Lookups {
    std::map<Uuid, identity::StationRef> stations;
    std::map<Uuid, identity::RegionRef> regions;
    std::map<Uuid, forecourt::ProductInfo> fuels;
};

Result<Lookups> Load(db::Transaction& tx, const TenantId& tenant,
                     const std::vector<identity::StationRef>& stations) {
    Lookups l;
    for (const auto& s : stations) l.stations.emplace(s.id, s);
    OMC_ASSIGN_OR_RETURN(const auto regions, identity::TenantRegions(tx, tenant));
    for (const auto& r : regions) l.regions.emplace(r.id, r);
    OMC_ASSIGN_OR_RETURN(const auto products, forecourt::TenantProducts(tx, tenant));
    for (const auto& p : products) {
        if (p.kind == "fuel") l.fuels.emplace(p.id, p);
    }
    return l;
}

std::optional<identity::RegionRef> RegionOf(const Lookups& l, const identity::StationRef& s) {
    const auto it = l.regions.find(s.region_id);
    return it == l.regions.end() ? std::nullopt : std::optional<identity::RegionRef>(it->second);
}

std::string RegionCode(const std::optional<identity::RegionRef>& r) { return r ? r->code : ""; }

std::string Qty(int64_t milli) { return FormatScaled(milli, 3); }
std::string Cedis(int64_t pesewas) { return FormatScaled(pesewas, 2); }
json OptQty(const std::optional<int64_t>& milli) { return milli ? json(Qty(*milli)) : json(); }

std::string UnitName(const forecourt::ProductInfo& p) { return p.unit == "kg" ? "kg" : "L"; }

}  // namespace

// ---- sales ----

Result<NpaSales> ComputeNpaSales(db::Transaction& tx, const TenantId& tenant,
                                 const report::Period& period,
                                 const std::vector<identity::StationRef>& stations,
                                 bool whole_tenant) {
    NpaSales out;
    out.period = period;
    OMC_ASSIGN_OR_RETURN(const Lookups l, Load(tx, tenant, stations));
    OMC_ASSIGN_OR_RETURN(const auto totals,
                         forecourt::SalesTotals(tx, tenant, period.from_us, period.to_us,
                                                Scope(stations, whole_tenant)));
    std::map<std::pair<std::string, std::string>, SalesLine> by_region;  // region, product code
    std::map<std::string, SalesLine> by_product;
    for (const forecourt::SalesTotal& t : totals) {
        const auto station = l.stations.find(t.station_id);
        const auto product = l.fuels.find(t.product_id);
        if (station == l.stations.end() || product == l.fuels.end()) continue;
        SalesLine line{.level = "station",
                       .station = station->second,
                       .region = RegionOf(l, station->second),
                       .product = product->second,
                       .sales_count = t.sales_count,
                       .quantity_milli = t.quantity_milli,
                       .amount_pesewas = t.amount_pesewas};
        auto add = [&](SalesLine& sum, std::string level) {
            if (sum.level.empty()) {
                sum = line;
                sum.level = std::move(level);
                sum.station.reset();
                sum.sales_count = sum.quantity_milli = sum.amount_pesewas = 0;
            }
            sum.sales_count += line.sales_count;
            sum.quantity_milli += line.quantity_milli;
            sum.amount_pesewas += line.amount_pesewas;
        };
        add(by_region[{RegionCode(line.region), line.product.code}], "region");
        SalesLine& total = by_product[line.product.code];
        add(total, "total");
        total.region.reset();
        out.by_station.push_back(std::move(line));
    }
    std::sort(out.by_station.begin(), out.by_station.end(), [](const auto& a, const auto& b) {
        return std::make_tuple(RegionCode(a.region), a.station->code, a.product.code) <
               std::make_tuple(RegionCode(b.region), b.station->code, b.product.code);
    });
    for (auto& [key, line] : by_region) out.by_region.push_back(std::move(line));
    for (auto& [key, line] : by_product) out.totals.push_back(std::move(line));
    return out;
}

namespace {

json SalesLineJson(const SalesLine& l) {
    json out{{"product_id", l.product.id.ToString()}, {"product_code", l.product.code},
             {"product_name", l.product.name},        {"unit", UnitName(l.product)},
             {"sales_count", l.sales_count},          {"quantity", Qty(l.quantity_milli)},
             {"amount", Cedis(l.amount_pesewas)}};
    if (l.region) {
        out["region_id"] = l.region->id.ToString();
        out["region_code"] = l.region->code;
        out["region_name"] = l.region->name;
    }
    if (l.station) {
        out["station_id"] = l.station->id.ToString();
        out["station_code"] = l.station->code;
        out["station_name"] = l.station->name;
    }
    return out;
}

}  // namespace

json NpaSalesJson(const NpaSales& sales) {
    json by_station = json::array();
    json by_region = json::array();
    json totals = json::array();
    for (const auto& l : sales.by_station) by_station.push_back(SalesLineJson(l));
    for (const auto& l : sales.by_region) by_region.push_back(SalesLineJson(l));
    for (const auto& l : sales.totals) totals.push_back(SalesLineJson(l));
    return json{{"month", sales.period.month},       {"from", sales.period.first_day},
                {"to", sales.period.last_day},       {"by_station", std::move(by_station)},
                {"by_region", std::move(by_region)}, {"totals", std::move(totals)}};
}

report::Report NpaSalesReport(const NpaSales& sales) {
    using report::ColumnType;
    report::Report r;
    r.title = "NPA monthly sales return " + sales.period.month;
    r.subtitle = {"Sales from " + sales.period.first_day + " to " + sales.period.last_day +
                      " (Ghana time), petroleum products only",
                  "Quantity: litres (LPG: kg) dispensed, net of voids; amount: GH₵ net of voids "
                  "and refunds"};
    r.columns = {{"level", "Level", ColumnType::kText},
                 {"region", "Region", ColumnType::kText},
                 {"station", "Station", ColumnType::kText},
                 {"station_name", "Station name", ColumnType::kText},
                 {"product", "Product", ColumnType::kText},
                 {"unit", "Unit", ColumnType::kText},
                 {"sales_count", "Sales", ColumnType::kInteger},
                 {"quantity", "Quantity", ColumnType::kQuantity},
                 {"amount", "Amount (GH₵)", ColumnType::kMoney}};
    auto row_of = [](const SalesLine& l) {
        return report::Row{l.level,
                           l.region ? report::Cell(l.region->code) : report::Cell(),
                           l.station ? report::Cell(l.station->code) : report::Cell(),
                           l.station ? report::Cell(l.station->name) : report::Cell(),
                           l.product.code,
                           UnitName(l.product),
                           l.sales_count,
                           l.quantity_milli,
                           l.amount_pesewas};
    };
    report::Section& stations = r.AddSection("By station");
    for (const auto& l : sales.by_station) stations.rows.push_back(row_of(l));
    report::Section& regions = r.AddSection("By region");
    for (const auto& l : sales.by_region) regions.rows.push_back(row_of(l));
    report::Section& totals = r.AddSection("Total");
    for (const auto& l : sales.totals) totals.rows.push_back(row_of(l));
    return r;
}

// ---- stock ----

const std::vector<std::pair<std::string, std::string>>& StockSources() {
    static const std::vector<std::pair<std::string, std::string>> kSources = {
        {"opening",
         "dips: each tank's last dip at or before 00:00 on the month's first day (net standard "
         "volume at the tenant's reference temperature)"},
        {"receipts",
         "deliveries: received standard volume (stock movements of kind delivery, dated by the "
         "after-delivery dip)"},
        {"sales", "sales: metered quantity net of voids, refunds excluded (ambient, as sold)"},
        {"adjustments", "stock adjustments: signed quantities recorded with a reason"},
        {"book_closing", "opening + receipts - sales + adjustments"},
        {"closing", "dips: each tank's last dip at or before 00:00 on the next month's first day"},
        {"variance", "book closing - closing (positive is a loss)"},
    };
    return kSources;
}

Result<NpaStock> ComputeNpaStock(db::Transaction& tx, const TenantId& tenant,
                                 const report::Period& period,
                                 const std::vector<identity::StationRef>& stations,
                                 bool whole_tenant) {
    NpaStock out;
    out.period = period;
    OMC_ASSIGN_OR_RETURN(const Lookups l, Load(tx, tenant, stations));
    OMC_ASSIGN_OR_RETURN(const auto tanks,
                         forecourt::TankStock(tx, tenant, period.from_us, period.to_us,
                                              Scope(stations, whole_tenant)));
    std::map<std::pair<Uuid, Uuid>, StockLine> groups;  // station, product
    for (const forecourt::TankPeriodStock& t : tanks) {
        const auto station = l.stations.find(t.station_id);
        const auto product = l.fuels.find(t.product_id);
        if (station == l.stations.end() || product == l.fuels.end()) continue;
        auto [it, fresh] = groups.try_emplace({t.station_id, t.product_id});
        StockLine& g = it->second;
        if (fresh) {
            g.station = station->second;
            g.region = RegionOf(l, station->second);
            g.product = product->second;
            g.opening_milli = 0;
            g.closing_milli = 0;
        }
        g.tanks += 1;
        g.receipts_milli += t.receipts_milli;
        g.sales_milli += t.sales_milli;
        g.adjustments_milli += t.adjustments_milli;
        if (t.opening && g.opening_milli) {
            *g.opening_milli += t.opening->standard_milli;
        } else if (!t.opening) {
            g.opening_milli.reset();
            g.missing.push_back(t.tank_code + ": no dip at or before " + period.first_day);
        }
        if (t.closing && g.closing_milli) {
            *g.closing_milli += t.closing->standard_milli;
        } else if (!t.closing) {
            g.closing_milli.reset();
            g.missing.push_back(t.tank_code + ": no dip before the month's end");
        }
    }
    for (auto& [key, g] : groups) {
        if (g.opening_milli) {
            g.book_closing_milli =
                *g.opening_milli + g.receipts_milli - g.sales_milli + g.adjustments_milli;
            if (g.closing_milli) g.variance_milli = *g.book_closing_milli - *g.closing_milli;
        }
        out.lines.push_back(std::move(g));
    }
    std::sort(out.lines.begin(), out.lines.end(), [](const auto& a, const auto& b) {
        return std::tie(a.station.code, a.product.code) < std::tie(b.station.code, b.product.code);
    });
    return out;
}

json NpaStockJson(const NpaStock& stock) {
    json lines = json::array();
    for (const StockLine& g : stock.lines) {
        lines.push_back(json{{"station_id", g.station.id.ToString()},
                             {"station_code", g.station.code},
                             {"station_name", g.station.name},
                             {"region_code", RegionCode(g.region)},
                             {"product_id", g.product.id.ToString()},
                             {"product_code", g.product.code},
                             {"unit", UnitName(g.product)},
                             {"tanks", g.tanks},
                             {"opening", OptQty(g.opening_milli)},
                             {"receipts", Qty(g.receipts_milli)},
                             {"sales", Qty(g.sales_milli)},
                             {"adjustments", Qty(g.adjustments_milli)},
                             {"book_closing", OptQty(g.book_closing_milli)},
                             {"closing", OptQty(g.closing_milli)},
                             {"variance", OptQty(g.variance_milli)},
                             {"missing", g.missing}});
    }
    json sources = json::object();
    for (const auto& [figure, source] : StockSources()) sources[figure] = source;
    return json{{"month", stock.period.month},
                {"from", stock.period.first_day},
                {"to", stock.period.last_day},
                {"sources", std::move(sources)},
                {"lines", std::move(lines)}};
}

report::Report NpaStockReport(const NpaStock& stock) {
    using report::ColumnType;
    report::Report r;
    r.title = "NPA monthly stock return " + stock.period.month;
    r.subtitle = {"Stock from " + stock.period.first_day + " to " + stock.period.last_day +
                  " (Ghana time), petroleum products only; litres (LPG: kg)"};
    for (const auto& [figure, source] : StockSources())
        r.subtitle.push_back(figure + ": " + source);
    r.columns = {{"station", "Station", ColumnType::kText},
                 {"region", "Region", ColumnType::kText},
                 {"product", "Product", ColumnType::kText},
                 {"unit", "Unit", ColumnType::kText},
                 {"tanks", "Tanks", ColumnType::kInteger},
                 {"opening", "Opening", ColumnType::kQuantity},
                 {"receipts", "Receipts", ColumnType::kQuantity},
                 {"sales", "Sales", ColumnType::kQuantity},
                 {"adjustments", "Adjustments", ColumnType::kQuantity},
                 {"book_closing", "Book closing", ColumnType::kQuantity},
                 {"closing", "Closing (dip)", ColumnType::kQuantity},
                 {"variance", "Variance", ColumnType::kQuantity},
                 {"missing", "Missing dips", ColumnType::kText}};
    auto opt = [](const std::optional<int64_t>& v) {
        return v ? report::Cell(*v) : report::Cell();
    };
    for (const StockLine& g : stock.lines) {
        std::string missing;
        for (const std::string& m : g.missing) missing += (missing.empty() ? "" : "; ") + m;
        r.AddRow({g.station.code, RegionCode(g.region), g.product.code, UnitName(g.product),
                  g.tanks, opt(g.opening_milli), g.receipts_milli, g.sales_milli,
                  g.adjustments_milli, opt(g.book_closing_milli), opt(g.closing_milli),
                  opt(g.variance_milli), missing});
    }
    if (r.sections.empty()) r.sections.emplace_back();
    return r;
}

}  // namespace omc::reports
