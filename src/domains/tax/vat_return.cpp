#include "domains/tax/vat_return.hpp"

#include <algorithm>
#include <set>

#include "domains/forecourt/forecourt_api.hpp"
#include "domains/tax/tax_store.hpp"
#include "platform/base/error.hpp"
#include "platform/base/money.hpp"

namespace omc::tax {
namespace {

using nlohmann::json;

// The canonical order of the GRA taxes in the return; any other code follows, by name.
int CodeRank(const std::string& code) {
    static const std::vector<std::string> kOrder = {"VAT", "NHIL", "GETFUND", "COVID"};
    const auto it = std::find(kOrder.begin(), kOrder.end(), code);
    return it == kOrder.end() ? static_cast<int>(kOrder.size())
                              : static_cast<int>(it - kOrder.begin());
}

void SortCodes(std::vector<std::string>& codes) {
    std::sort(codes.begin(), codes.end(), [](const std::string& a, const std::string& b) {
        const int ra = CodeRank(a);
        const int rb = CodeRank(b);
        return ra != rb ? ra < rb : a < b;
    });
}

std::optional<std::vector<Uuid>> StationIds(const std::vector<identity::StationRef>& stations,
                                            bool whole_tenant) {
    if (whole_tenant) return std::nullopt;
    std::vector<Uuid> ids;
    for (const auto& s : stations) ids.push_back(s.id);
    return ids;
}

}  // namespace

int64_t VatFigures::TotalTax() const {
    int64_t total = 0;
    for (const auto& [code, amount] : taxes) total += amount;
    return total;
}

void VatFigures::Add(const VatFigures& other) {
    standard_lines += other.standard_lines;
    standard_amount += other.standard_amount;
    taxable_value += other.taxable_value;
    for (const auto& [code, amount] : other.taxes) taxes[code] += amount;
    exempt_amount += other.exempt_amount;
}

Result<VatReturn> ComputeVatReturn(db::Transaction& tx, const TenantId& tenant,
                                   const report::Period& period,
                                   const std::vector<identity::StationRef>& stations,
                                   bool whole_tenant) {
    VatReturn vat;
    vat.period = period;
    OMC_ASSIGN_OR_RETURN(const std::vector<StoredRate> stored, RatesInUse(tx, tenant));
    std::vector<TaxRate> rates;
    std::set<std::string> codes;
    for (const StoredRate& s : stored) {
        rates.push_back(s.rate);
        vat.tax_names.emplace(s.rate.code, s.rate.name);
        const bool in_month = s.rate.valid_from <= period.last_day &&
                              (!s.rate.valid_to || *s.rate.valid_to >= period.first_day);
        if (in_month) codes.insert(s.rate.code);
    }
    const auto scope = StationIds(stations, whole_tenant);
    std::map<Uuid, VatFigures> by_station;
    OMC_ASSIGN_OR_RETURN(const std::vector<forecourt::ProductInfo> products,
                         forecourt::TenantProducts(tx, tenant));
    std::set<Uuid> fuels;
    for (const auto& p : products) {
        if (p.kind == "fuel") fuels.insert(p.id);
    }
    OMC_ASSIGN_OR_RETURN(const auto totals,
                         forecourt::SalesTotals(tx, tenant, period.from_us, period.to_us, scope));
    for (const forecourt::SalesTotal& t : totals) {
        if (fuels.count(t.product_id) > 0)
            by_station[t.station_id].exempt_amount += t.amount_pesewas;
    }
    OMC_ASSIGN_OR_RETURN(const auto lines,
                         forecourt::NonFuelLines(tx, tenant, period.from_us, period.to_us, scope));
    std::map<std::string, std::vector<TaxRate>> rates_by_date;
    for (const forecourt::NonFuelLine& line : lines) {
        const std::string date = FormatDate(line.supply_at_us);
        auto it = rates_by_date.find(date);
        if (it == rates_by_date.end()) it = rates_by_date.emplace(date, RatesOn(rates, date)).first;
        Result<LineTaxes> taxed =
            ComputeLine(line.amount_pesewas, TaxCategory::kStandard, it->second);
        if (!taxed.ok()) {
            return Error(ErrorCode::kUnprocessable, "no tax rule",
                         {{"month", "sale " + line.id.ToString() + " of " + date +
                                        ": no tax rate is in force on its supply date"}});
        }
        VatFigures& f = by_station[line.station_id];
        f.standard_lines += 1;
        f.standard_amount += taxed->amount_pesewas;
        f.taxable_value += taxed->taxable_value_pesewas;
        for (const TaxAmount& t : taxed->taxes) {
            f.taxes[t.code] += t.amount_pesewas;
            codes.insert(t.code);
        }
    }
    vat.tax_codes.assign(codes.begin(), codes.end());
    SortCodes(vat.tax_codes);
    std::vector<identity::StationRef> sorted = stations;
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.code < b.code; });
    for (const identity::StationRef& s : sorted) {
        const auto it = by_station.find(s.id);
        if (it == by_station.end() && stations.size() != 1) continue;
        StationVat row{s, it == by_station.end() ? VatFigures{} : it->second};
        vat.totals.Add(row.figures);
        vat.stations.push_back(std::move(row));
    }
    return vat;
}

namespace {

json FiguresJson(const VatReturn& vat, const VatFigures& f) {
    json taxes = json::object();
    for (const std::string& code : vat.tax_codes) {
        const auto it = f.taxes.find(code);
        taxes[code] = FormatScaled(it == f.taxes.end() ? 0 : it->second, 2);
    }
    return json{{"standard_rated",
                 {{"lines", f.standard_lines},
                  {"amount", FormatScaled(f.standard_amount, 2)},
                  {"taxable_value", FormatScaled(f.taxable_value, 2)},
                  {"taxes", std::move(taxes)},
                  {"total_tax", FormatScaled(f.TotalTax(), 2)}}},
                {"exempt", {{"amount", FormatScaled(f.exempt_amount, 2)}}},
                {"total_sales", FormatScaled(f.standard_amount + f.exempt_amount, 2)}};
}

}  // namespace

json VatReturnJson(const VatReturn& vat) {
    json taxes = json::array();
    for (const std::string& code : vat.tax_codes) {
        taxes.push_back(
            {{"code", code}, {"name", vat.tax_names.count(code) ? vat.tax_names.at(code) : code}});
    }
    json stations = json::array();
    for (const StationVat& s : vat.stations) {
        json row = FiguresJson(vat, s.figures);
        row["station_id"] = s.station.id.ToString();
        row["station_code"] = s.station.code;
        row["station_name"] = s.station.name;
        stations.push_back(std::move(row));
    }
    return json{{"month", vat.period.month},       {"from", vat.period.first_day},
                {"to", vat.period.last_day},       {"taxes", std::move(taxes)},
                {"stations", std::move(stations)}, {"totals", FiguresJson(vat, vat.totals)}};
}

report::Report VatReturnReport(const VatReturn& vat) {
    using report::ColumnType;
    report::Report r;
    r.title = "VAT return summary " + vat.period.month;
    r.subtitle = {"Supplies from " + vat.period.first_day + " to " + vat.period.last_day +
                      " (UTC = Ghana time)",
                  "Amounts in GH₵; standard-rated sales are tax-inclusive; fuel is exempt",
                  "Taxes per line, half up to the pesewa, with the rules of the supply date"};
    r.columns = {{"station_code", "Station", ColumnType::kText},
                 {"station_name", "Name", ColumnType::kText},
                 {"standard_lines", "Lines", ColumnType::kInteger},
                 {"standard_rated_amount", "Standard-rated sales (GH₵)", ColumnType::kMoney},
                 {"taxable_value", "Taxable value (GH₵)", ColumnType::kMoney}};
    for (const std::string& code : vat.tax_codes) {
        r.columns.push_back({code, code + " (GH₵)", ColumnType::kMoney});
    }
    r.columns.push_back({"total_tax", "Total tax (GH₵)", ColumnType::kMoney});
    r.columns.push_back({"exempt_amount", "Exempt sales: fuel (GH₵)", ColumnType::kMoney});
    r.columns.push_back({"total_sales", "Total sales (GH₵)", ColumnType::kMoney});
    auto row_of = [&](report::Cell code, report::Cell name, const VatFigures& f) {
        report::Row row{std::move(code), std::move(name), f.standard_lines, f.standard_amount,
                        f.taxable_value};
        for (const std::string& c : vat.tax_codes) {
            const auto it = f.taxes.find(c);
            row.emplace_back(it == f.taxes.end() ? int64_t{0} : it->second);
        }
        row.emplace_back(f.TotalTax());
        row.emplace_back(f.exempt_amount);
        row.emplace_back(f.standard_amount + f.exempt_amount);
        return row;
    };
    for (const StationVat& s : vat.stations) {
        r.AddRow(row_of(s.station.code, s.station.name, s.figures));
    }
    if (r.sections.empty()) r.sections.emplace_back();
    r.totals = row_of(std::string("Total"), std::monostate{}, vat.totals);
    return r;
}

}  // namespace omc::tax
