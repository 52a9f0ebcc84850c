#include "app/demo_network.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numbers>
#include <optional>
#include <random>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "app/demo_finance.hpp"
#include "app/demo_ledger.hpp"
#include "app/demo_places.hpp"
#include "app/demo_support.hpp"
#include "domains/forecourt/common.hpp"
#include "domains/forecourt/delivery_model.hpp"
#include "domains/forecourt/dip.hpp"
#include "domains/forecourt/sales.hpp"
#include "domains/forecourt/strapping.hpp"
#include "domains/forecourt/vcf.hpp"
#include "domains/identity/tenants.hpp"
#include "platform/auth/password.hpp"
#include "platform/base/assert.hpp"
#include "platform/base/money.hpp"

namespace omc::app {
namespace {

using demo::Bulk;
using demo::Rng;
using demo::SiteSize;
using forecourt::Density;
using forecourt::LevelMm;
using forecourt::StrappingChart;
using forecourt::StrappingPoint;

constexpr int64_t kUsPerMinute = 60 * kUsPerSecond;
constexpr int64_t kUsPerHour = 60 * kUsPerMinute;
constexpr int64_t kUsPerDay = 24 * kUsPerHour;
constexpr int64_t kDayStartMin = 6 * 60;  // the business day starts at 06:00 Africa/Accra
constexpr int64_t kMilliPerLitre = 1'000;
constexpr int64_t kPriceRawPerPesewa = 10'000;  // unit prices are 10^-4 pesewa
constexpr int64_t kTransitAllowanceBp = 50;     // the settings' default (ForecourtSettings)
constexpr int64_t kCompartmentMilli = 4'500 * kMilliPerLitre;
constexpr int64_t kMaxLoadMilli = 45'000 * kMilliPerLitre;
constexpr int64_t kMinLoadMilli = 9'000 * kMilliPerLitre;
constexpr int64_t kSafeFillBp = 9'500;
constexpr int64_t kLeakMilliPerDay = 40 * kMilliPerLitre;
constexpr int64_t kShortChangePesewas = 4'000;  // GH₵ 40 kept back every shift
constexpr int64_t kShortDeliveryBp = 130;       // 1.3 % lost in transit: beyond the 0.5 %
constexpr int64_t kDipNoiseMm = 2;
// History was not posted as requests, so there is no body to hash; a client reusing one of
// these ids gets 409 like any other id it does not own.
constexpr std::string_view kHistoryRequestHash = "demo-history";

constexpr db::Query kRegion{"demo.region", R"sql(
    INSERT INTO regions (tenant_id, id, code, name, created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $5))sql"};
constexpr db::Query kDealer{"demo.dealer", R"sql(
    INSERT INTO dealers (tenant_id, id, code, name, phone, email, active, created_at_us,
                         updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7, $7))sql"};
constexpr db::Query kStation{"demo.station", R"sql(
    INSERT INTO stations (tenant_id, id, code, name, region_id, operating_model, dealer_id, active,
                          created_at_us, updated_at_us, latitude_e6, longitude_e6, address,
                          npa_licence_no, npa_licence_expires_on, business_day_start_min,
                          time_zone)
    VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8, $8, $9, $10, $11, $12, $13, $14,
            'Africa/Accra'))sql"};
constexpr db::Query kProduct{"demo.product", R"sql(
    INSERT INTO products (tenant_id, id, code, name, kind, unit, density15_x10, active,
                          created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8, $8))sql"};
constexpr db::Query kPrice{"demo.price", R"sql(
    INSERT INTO station_prices (tenant_id, id, product_id, station_id, unit_price,
                                effective_from_us, created_by, created_at_us)
    VALUES ($1, $2, $3, NULL, $4, $5, 'omc demo', $5))sql"};
constexpr db::Query kTank{"demo.tank", R"sql(
    INSERT INTO tanks (tenant_id, id, station_id, code, product_id, capacity_milli,
                       safe_fill_milli, low_level_milli, water_limit_mm, book_stock_milli, active,
                       created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, TRUE, $11, $11))sql"};
constexpr db::Query kChart{"demo.chart", R"sql(
    INSERT INTO tank_charts (tenant_id, id, tank_id, effective_from_us, points, max_height_mm,
                             created_by, created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, 'omc demo', $4))sql"};
constexpr db::Query kPump{"demo.pump", R"sql(
    INSERT INTO pumps (tenant_id, id, station_id, code, active, created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, TRUE, $5, $5))sql"};
constexpr db::Query kNozzle{"demo.nozzle", R"sql(
    INSERT INTO nozzles (tenant_id, id, station_id, pump_id, number, tank_id, totalizer_milli,
                         active, created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8, $9))sql"};
constexpr db::Query kStationCount{"demo.station_count",
                                  "SELECT COUNT(*) FROM stations WHERE tenant_id = $1"};
constexpr db::Query kReceipts{"demo.receipts", R"sql(
    INSERT INTO station_receipts (tenant_id, station_id, next_receipt) VALUES ($1, $2, $3))sql"};

// ---- the network in memory ----

enum class Fuel { kPms, kAgo, kLpg, kPremix, kKerosene };
constexpr size_t kFuels = 5;

struct Product {
    Uuid id;
    demo::ProductDef def;
    std::vector<std::pair<TimestampUs, int64_t>> prices;  // window start, unit price (raw)
};

struct Tank {
    Uuid id;
    std::string code;
    Fuel fuel = Fuel::kPms;
    int64_t capacity_milli = 0;
    std::optional<StrappingChart> chart;  // none for LPG (sold by mass, no dips)
    Uuid chart_id;
    int64_t water_mm = 0;
    int64_t truth_std_milli = 0;  // what is really in the tank, at 15 °C
    int64_t book_milli = 0;       // what the books say: as the API moves it
    int64_t leak_milli_per_day = 0;
    int64_t temperature_c100 = 2'850;
    int64_t vcf_e4 = 10'000;  // today's, from the tank's temperature to 15 °C
    int64_t sold_today_milli = 0;
    int64_t average_daily_milli = 0;
    // A delivery in progress: its dip before, and the ambient litres sold since.
    std::optional<forecourt::DipReading> before;
    Uuid before_id;
    TimestampUs before_at = 0;
    int64_t book_before = 0;
    int64_t during_milli = 0;
    int64_t load_milli = 0;
    TimestampUs delivery_at = 0;  // planned for today (0: none)
    int64_t opening_milli = 0;    // the stock when the history starts
};

struct Nozzle {
    Uuid id;
    size_t pump = 0;
    size_t tank = 0;
    int64_t number = 0;
    int64_t totalizer_milli = 0;
    int64_t shift_milli = 0;
};

struct Pump {
    Uuid id;
    std::string code;
};

struct Station {
    Uuid id;
    std::string code;
    std::string name;
    const demo::TownDef* town = nullptr;
    SiteSize size = SiteSize::kMedium;
    bool open_all_night = false;
    std::vector<Tank> tanks;
    std::vector<Pump> pumps;
    std::vector<Nozzle> nozzles;
    std::array<std::vector<size_t>, kFuels> nozzles_of;  // by fuel
    std::array<double, kFuels> fuel_weight{};
    std::vector<Uuid> staff;
    int64_t next_receipt = 1;
    int64_t shifts_worked = 0;
    std::optional<Uuid> open_shift;
};

struct Sale {
    TimestampUs at = 0;
    bool shop = false;
    size_t nozzle = 0;
    size_t product = 0;  // shop
    int64_t quantity = 0;
    int64_t amount = 0;
    bool by_amount = false;
    size_t method = 0;
};
constexpr std::array<std::string_view, 4> kMethods{"cash", "momo", "card", "account"};
constexpr std::array<double, 4> kMethodWeights{52, 33, 7, 8};

// Sales per hour of the business day (06:00 first): morning and evening peaks, quiet nights.
constexpr std::array<double, 24> kHourWeights{1.2, 2.0, 2.2, 1.6, 1.2, 1.1, 1.2, 1.1,
                                              1.0, 1.1, 1.5, 2.1, 2.2, 1.6, 1.0, 0.7,
                                              0.5, 0.4, 0.3, 0.2, 0.2, 0.2, 0.3, 0.6};

// A horizontal cylinder of `capacity` litres, 2.5 to 2.9 m across: height every 20 mm to the
// volume of the segment, V(h) = L·(R²·acos((R−h)/R) − (R−h)·√(2Rh − h²)).
Result<StrappingChart> CylinderChart(int64_t capacity_milli) {
    const double volume_m3 = static_cast<double>(capacity_milli) / 1e6;
    const double diameter_mm = capacity_milli >= 40'000'000 ? 2'900 : 2'500;
    const double r = diameter_mm / 2'000.0;  // metres
    const double length = volume_m3 / (std::numbers::pi * r * r);
    std::vector<StrappingPoint> points;
    const int64_t top = static_cast<int64_t>(diameter_mm);
    for (int64_t h_mm = 20; h_mm <= top; h_mm = h_mm + 20 > top && h_mm < top ? top : h_mm + 20) {
        const double h = static_cast<double>(h_mm) / 1'000.0;
        const double area =
            r * r * std::acos((r - h) / r) - (r - h) * std::sqrt(std::max(0.0, 2 * r * h - h * h));
        points.push_back({LevelMm(h_mm), Volume(std::llround(area * length * 1e6))});
    }
    return StrappingChart::Create(std::move(points));
}

std::string ChartPointsJson(const StrappingChart& chart) {
    nlohmann::json points = nlohmann::json::array();
    for (const StrappingPoint& p : chart.points()) {
        points.push_back(nlohmann::json::array({p.height.raw(), p.volume.raw()}));
    }
    return points.dump();
}

std::string DateText(TimestampUs at) { return FormatTimestamp(at).substr(0, 10); }

// The business day's 06:00 (UTC: Africa/Accra is UTC+0) on or before `at`.
TimestampUs DayStart(TimestampUs at) {
    const TimestampUs shifted = at - kDayStartMin * kUsPerMinute;
    return shifted - (shifted % kUsPerDay) + kDayStartMin * kUsPerMinute;
}

// NPA pricing windows start on the 1st and the 16th; prices move at the business day's start.
std::vector<TimestampUs> PricingWindows(TimestampUs from, TimestampUs to) {
    using namespace std::chrono;
    const sys_days first_day{floor<days>(sys_time<microseconds>(microseconds(from)))};
    year_month_day ymd{first_day};
    ymd = ymd.day() >= day(16) ? ymd.year() / ymd.month() / 16 : ymd.year() / ymd.month() / 1;
    std::vector<TimestampUs> starts;
    while (true) {
        const TimestampUs start =
            duration_cast<microseconds>(sys_days(ymd).time_since_epoch()).count() +
            kDayStartMin * kUsPerMinute;
        if (start > to) break;
        starts.push_back(start);
        ymd = ymd.day() == day(1) ? ymd.year() / ymd.month() / 16
                                  : (ymd.year() / ymd.month() + months(1)) / 1;
    }
    return starts;
}

class Builder {
  public:
    Builder(db::Transaction& tx, identity::Identity& identity, const TenantId& tenant,
            const DemoOptions& options, TimestampUs now)
        : tx_(tx),
          identity_(identity),
          tenant_(tenant),
          options_(options),
          now_(now),
          rng_(options.seed),
          start_(DayStart(now) - int64_t{options.days} * kUsPerDay),
          ledger_(tenant, now),
          // Sales on account a day: 8 % of the fuel sales (kMethodWeights) of every station.
          receivables_(tenant, options.seed, start_, now,
                       int64_t{options.stations} * options.sales_per_day * 8 / 100),
          payables_(tenant, options.seed, now),
          momo_(tenant, options.seed, now),
          sales_(
              "sales",
              {"tenant_id",      "id",         "station_id",     "receipt_no",     "kind",
               "product_id",     "nozzle_id",  "tank_id",        "shift_id",       "attendant_id",
               "quantity_milli", "unit_price", "amount",         "payment_method", "payment_ref",
               "customer_id",    "sold_at_us", "recorded_at_us", "recorded_by",    "request_hash"}),
          daily_("sales_daily", {"tenant_id", "station_id", "product_id", "business_date",
                                 "sales_count", "quantity_milli", "amount"}),
          shifts_("shifts", {"tenant_id", "id", "station_id", "status", "business_date",
                             "opened_at_us", "opened_by", "closed_at_us", "closed_by"}),
          shift_attendants_("shift_attendants",
                            {"tenant_id", "shift_id", "pump_id", "attendant_id"}),
          shift_nozzles_("shift_nozzles",
                         {"tenant_id", "shift_id", "nozzle_id", "opening_milli", "closing_milli"}),
          collections_("shift_collections",
                       {"tenant_id", "shift_id", "attendant_id", "cash", "momo", "card"}),
          dips_("dips", {"tenant_id",
                         "id",
                         "station_id",
                         "tank_id",
                         "chart_id",
                         "taken_at_us",
                         "height_mm",
                         "water_height_mm",
                         "temperature_c100",
                         "density15_x10",
                         "reference_temperature_c100",
                         "gross_milli",
                         "water_milli",
                         "net_observed_milli",
                         "vcf_x10000",
                         "standard_milli",
                         "book_stock_milli",
                         "purpose",
                         "recorded_by",
                         "recorded_at_us"}),
          deliveries_("deliveries", {"tenant_id",
                                     "id",
                                     "station_id",
                                     "tank_id",
                                     "product_id",
                                     "waybill_no",
                                     "depot",
                                     "supplier",
                                     "transporter",
                                     "brv_registration",
                                     "driver_name",
                                     "compartments",
                                     "loaded_at_us",
                                     "delivered_at_us",
                                     "loaded_ambient_milli",
                                     "loading_temperature_c100",
                                     "density15_x10",
                                     "loaded_vcf_x10000",
                                     "loaded_standard_milli",
                                     "dip_before_id",
                                     "dip_after_id",
                                     "sales_during_milli",
                                     "received_standard_milli",
                                     "shortage_milli",
                                     "allowance_milli",
                                     "claimable_milli",
                                     "claim_unit_price",
                                     "claim_amount",
                                     "recorded_by",
                                     "recorded_at_us",
                                     "unit_cost"}),
          movements_("stock_movements",
                     {"tenant_id", "id", "station_id", "tank_id", "kind", "quantity_milli",
                      "reference_id", "reason", "occurred_at_us", "recorded_by"}) {}

    Result<DemoSummary> Run(const std::function<void(const DemoProgress&)>& progress) {
        if (tx_.engine() == db::Engine::kSqlite) {
            // Half a million rows into six indexes: a page cache of 256 MB (the default is
            // 2 MB) keeps their hot pages in memory. This process's connection only.
            OMC_TRY(tx_.ExecScript("PRAGMA cache_size = -262144"));
        }
        // The history's engine drew five fleet ids here before the customers were real; the
        // draws are kept so a seed's history stays the same.
        for (int i = 0; i < 5; ++i) (void)rng_.IdAt(start_);
        OMC_TRY(MakeOrganisation());
        OMC_TRY(MakeProducts());
        OMC_TRY(MakeStaff());
        OMC_TRY(ledger_.LoadRates(tx_));
        for (const Station& s : stations_) {
            ledger_.OpeningCash(s.id);
            for (const Tank& t : s.tanks) {
                ledger_.Opening(s.id, ProductOf(t).id, t.opening_milli,
                                CostOn(static_cast<size_t>(t.fuel), start_));
            }
        }
        OMC_TRY(PlantLosses());
        for (int day = 0; day <= options_.days; ++day) {
            const TimestampUs day_start = start_ + int64_t{day} * kUsPerDay;
            for (Station& s : stations_) OMC_TRY(SimulateDay(s, day, day_start));
            if (progress) progress({.day = day, .days = options_.days, .sales = sales_.total()});
        }
        OMC_TRY(WriteEquipment());
        for (Bulk* bulk : {&sales_, &daily_, &shifts_, &shift_attendants_, &shift_nozzles_,
                           &collections_, &dips_, &deliveries_, &movements_}) {
            OMC_TRY(bulk->Flush(tx_));
        }
        summary_.sales = sales_.total();
        summary_.shifts = shifts_.total();
        summary_.dips = dips_.total();
        summary_.deliveries = deliveries_.total();
        // The history's ledger entries, after the rows they record.
        OMC_ASSIGN_OR_RETURN(summary_.ledger_entries, ledger_.Post(tx_, DateText(start_)));
        // Receivables, payables and pricing from the same history (demo_finance.hpp).
        DemoIds ids(now_);
        OMC_TRY(receivables_.Finish(tx_, ids, summary_.planted, summary_.finance));
        OMC_TRY(payables_.Finish(tx_, ids, summary_.planted, summary_.finance));
        OMC_TRY(momo_.Finish(tx_, summary_.planted, summary_.finance));
        std::vector<DemoPricedProduct> fuels;
        for (const Product& p : products_) {
            if (p.def.kind == "fuel") fuels.push_back({p.id, std::string(p.def.code), p.prices});
        }
        OMC_TRY(SeedDemoPricing(tx_, tenant_, fuels, options_.seed, now_, summary_.finance));
        return summary_;
    }

  private:
    // ---- master data ----

    Result<void> MakeOrganisation() {
        std::map<std::string_view, Uuid> regions;
        const size_t site_count = demo::Sites().size();
        std::set<std::string_view> used_regions;
        for (int i = 0; i < options_.stations; ++i) {
            used_regions.insert(
                TownOf(demo::Sites()[static_cast<size_t>(i) % site_count]).region_code);
        }
        for (const demo::RegionDef& r : demo::Regions()) {
            if (!used_regions.count(r.code)) continue;
            const Uuid id = rng_.IdAt(start_);
            OMC_TRY(tx_.Execute(kRegion, {tenant_, id, r.code, r.name, start_}));
            regions[r.code] = id;
            ++summary_.regions;
        }
        summary_.accra_region = regions.count("GAR") ? regions["GAR"] : regions.begin()->second;
        std::vector<Uuid> dealers;
        for (size_t i = 0; i < demo::Dealers().size(); ++i) {
            const Uuid id = rng_.IdAt(start_);
            OMC_TRY(tx_.Execute(kDealer,
                                {tenant_, id, fmt::format("D-{:02}", i + 1), demo::Dealers()[i],
                                 fmt::format("+23324{:07}", rng_.Between(0, 9'999'999)),
                                 fmt::format("dealer{}@demo.omc.example", i + 1), start_}));
            dealers.push_back(id);
        }
        summary_.first_dealer = dealers.front();
        std::map<std::string_view, int> per_town;
        for (int i = 0; i < options_.stations; ++i) {
            const demo::SiteDef& site = demo::Sites()[static_cast<size_t>(i) % site_count];
            const demo::TownDef& town = TownOf(site);
            const int n = ++per_town[town.name];
            Station s;
            s.id = rng_.IdAt(start_);
            s.code = fmt::format("{}-{:02}", town.code, n);
            s.name = fmt::format("{} {}", town.name, site.area);
            if (i >= static_cast<int>(site_count)) s.name += fmt::format(" {}", i / site_count + 1);
            s.town = &town;
            s.size = site.size;
            s.open_all_night = site.size == SiteSize::kLarge;
            // Every third station from the sixth on is a dealer's (DODO); the rest are COCO.
            const bool dodo = i >= 5 && i % 3 == 2;
            const std::optional<Uuid> dealer =
                dodo ? std::optional<Uuid>(dealers[static_cast<size_t>(i / 3) % dealers.size()])
                     : std::nullopt;
            OMC_TRY(InsertStation(s, regions.at(town.region_code), dealer, i));
            if (town.region_code == "GAR") summary_.accra_stations.push_back(s.id);
            stations_.push_back(std::move(s));
        }
        summary_.first_station = stations_.front().id;
        summary_.stations = options_.stations;
        return Ok();
    }

    static const demo::TownDef& TownOf(const demo::SiteDef& site) {
        for (const demo::TownDef& t : demo::Towns()) {
            if (t.name == site.town) return t;
        }
        FailInvariant("town", "a site names a town of the list", __FILE__, __LINE__);
    }

    Result<void> InsertStation(const Station& s, const Uuid& region,
                               const std::optional<Uuid>& dealer, int index) {
        // Licences run a year or two; two stations' expire within the 60-day warning.
        const int last = options_.stations - 1;
        const int64_t expires_in_days = index == std::min(3, last)   ? 21
                                        : index == std::min(7, last) ? 45
                                                                     : rng_.Between(120, 700);
        const int64_t jitter_e6 = index < static_cast<int>(demo::Sites().size())
                                      ? rng_.Between(-6'000, 6'000)
                                      : rng_.Between(-20'000, 20'000);
        OMC_TRY(tx_.Execute(
            kStation,
            {tenant_, s.id, s.code, s.name, region, dealer ? "DODO" : "COCO", dealer, start_,
             s.town->latitude_e6 + jitter_e6, s.town->longitude_e6 - jitter_e6 / 2,
             fmt::format("{}, {}", s.name, s.town->name),
             fmt::format("NPA/RT/{}/{:04}", s.town->region_code, rng_.Between(100, 9'999)),
             DateText(now_ + expires_in_days * kUsPerDay), kDayStartMin}));
        return Ok();
    }

    Result<void> MakeProducts() {
        const std::vector<TimestampUs> windows = PricingWindows(start_, now_);
        for (const demo::ProductDef& def : demo::Products()) {
            Product p{.id = rng_.IdAt(start_), .def = def, .prices = {}};
            const bool fuel = def.kind == "fuel";
            const std::string_view unit = def.unit == demo::DemoUnit::kLitre ? "L"
                                          : def.unit == demo::DemoUnit::kKg  ? "kg"
                                                                             : "each";
            OMC_TRY(tx_.Execute(
                kProduct, {tenant_, p.id, def.code, def.name, def.kind, unit,
                           fuel ? db::Param(def.density15_x10) : db::Param(db::Null{}), start_}));
            // Fuel prices move a little every window (newest last = today's price); the rest
            // keep one price. Regulated premix moves less.
            int64_t price = def.price_pesewas;
            std::vector<int64_t> back;
            for (size_t w = 0; w < (fuel ? windows.size() : 1); ++w) {
                back.push_back(price);
                const double step = def.code == "PREMIX" ? 0.01 : 0.035;
                price = std::llround(static_cast<double>(price) *
                                     (1.0 + (rng_.Uniform() * 2 - 1) * step) / 5.0) *
                        5;
            }
            std::reverse(back.begin(), back.end());
            for (size_t w = 0; w < back.size(); ++w) {
                const TimestampUs from = fuel ? windows[w] : windows.front();
                p.prices.emplace_back(from, back[w] * kPriceRawPerPesewa);
                OMC_TRY(tx_.Execute(
                    kPrice, {tenant_, rng_.IdAt(from), p.id, back[w] * kPriceRawPerPesewa, from}));
            }
            products_.push_back(std::move(p));
        }
        return Ok();
    }

    // The demo's cost of a fuel: kDemoCostBp of the pump price (the build-up does not set it).
    int64_t CostOn(size_t product, TimestampUs at) const {
        return PriceOn(product, at) * kDemoCostBp / 10'000;
    }

    int64_t PriceOn(size_t product, TimestampUs at) const {
        const auto& prices = products_[product].prices;
        int64_t price = prices.front().second;
        for (const auto& [from, unit_price] : prices) {
            if (from <= at) price = unit_price;
        }
        return price;
    }

    // Tanks, pumps, nozzles and attendants of every station (rows written at the end, with the
    // book stock and totalizers the history leaves).
    Result<void> MakeStaff() {
        const std::string password = auth::GeneratePassword();
        OMC_ASSIGN_OR_RETURN(const std::string hash, identity_.auth().HashPassword(password));
        int person = 0;
        for (Station& s : stations_) {
            OMC_TRY(MakeEquipment(s));
            const size_t groups = s.open_all_night ? 3 : 2;
            const size_t staff = s.pumps.size() * groups + 1;
            for (size_t i = 0; i < staff; ++i, ++person) {
                const std::string_view given = demo::GivenNames()[static_cast<size_t>(
                    (person * 7 + 3) % static_cast<int>(demo::GivenNames().size()))];
                const std::string_view family = demo::FamilyNames()[static_cast<size_t>(
                    (person * 11 + 5) % static_cast<int>(demo::FamilyNames().size()))];
                std::string code = s.code;
                std::transform(code.begin(), code.end(), code.begin(),
                               [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                identity::NewUser user{
                    .username = fmt::format("att-{}-{}", code, i + 1),
                    .email = fmt::format("att-{}-{}@demo.omc.example", code, i + 1),
                    .display_name = fmt::format("{} {}", given, family),
                    .role = identity::Role::kOperator,
                    .scope_ids = {s.id},
                    .password = password,
                    .password_hash = hash};
                OMC_ASSIGN_OR_RETURN(const identity::CreatedUser made,
                                     identity::CreateUser(tx_, identity_, tenant_, user));
                s.staff.push_back(made.user.id);
                ++summary_.attendants;
            }
        }
        return Ok();
    }

    Result<void> AddTank(Station& s, Fuel fuel, int64_t litres) {
        Tank t;
        t.id = rng_.IdAt(start_);
        t.code = fmt::format("T{}", s.tanks.size() + 1);
        t.fuel = fuel;
        t.capacity_milli = litres * kMilliPerLitre;
        if (fuel != Fuel::kLpg) {
            OMC_ASSIGN_OR_RETURN(StrappingChart chart, CylinderChart(t.capacity_milli));
            t.capacity_milli = chart.capacity().raw();
            t.chart = std::move(chart);
            t.chart_id = rng_.IdAt(start_);
            t.water_mm = rng_.Chance(0.3) ? rng_.Between(5, 15) : 0;
        }
        t.truth_std_milli = t.capacity_milli * rng_.Between(55, 85) / 100;
        t.book_milli = t.truth_std_milli;
        t.opening_milli = t.book_milli;
        s.tanks.push_back(std::move(t));
        return Ok();
    }

    Result<void> MakeEquipment(Station& s) {
        const bool large = s.size == SiteSize::kLarge, small = s.size == SiteSize::kSmall;
        const bool lpg = large || (!small && rng_.Chance(0.5));
        const bool kerosene = rng_.Chance(small ? 0.6 : 0.3);
        const bool premix = s.town->premix;
        OMC_TRY(AddTank(s, Fuel::kPms, small ? 30'000 : 45'000));
        if (large) OMC_TRY(AddTank(s, Fuel::kPms, 45'000));
        OMC_TRY(AddTank(s, Fuel::kAgo, small ? 30'000 : 45'000));
        if (large) OMC_TRY(AddTank(s, Fuel::kAgo, 30'000));
        if (kerosene) OMC_TRY(AddTank(s, Fuel::kKerosene, 30'000));
        if (premix) OMC_TRY(AddTank(s, Fuel::kPremix, 30'000));
        if (lpg) OMC_TRY(AddTank(s, Fuel::kLpg, 20'000));  // kg, a 20 t bullet
        const size_t dispensers = large ? 4 : small ? 2 : 3;
        auto tanks_of = [&](Fuel fuel) {
            std::vector<size_t> found;
            for (size_t i = 0; i < s.tanks.size(); ++i) {
                if (s.tanks[i].fuel == fuel) found.push_back(i);
            }
            return found;
        };
        auto add_nozzle = [&](size_t pump, Fuel fuel, int64_t number) {
            const std::vector<size_t> tanks = tanks_of(fuel);
            Nozzle n{.id = rng_.IdAt(start_),
                     .pump = pump,
                     .tank = tanks[pump % tanks.size()],
                     .number = number,
                     .totalizer_milli = rng_.Between(1'000'000, 9'000'000) * kMilliPerLitre};
            s.nozzles_of[static_cast<size_t>(fuel)].push_back(s.nozzles.size());
            s.nozzles.push_back(n);
        };
        auto add_pump = [&](std::string code) {
            s.pumps.push_back({.id = rng_.IdAt(start_), .code = std::move(code)});
            return s.pumps.size() - 1;
        };
        for (size_t p = 0; p < dispensers; ++p) {
            const size_t pump = add_pump(fmt::format("P{}", p + 1));
            add_nozzle(pump, Fuel::kPms, 1);
            add_nozzle(pump, Fuel::kAgo, 2);
        }
        if (kerosene || premix) {
            const size_t pump = add_pump(fmt::format("P{}", dispensers + 1));
            if (kerosene) add_nozzle(pump, Fuel::kKerosene, 1);
            if (premix) add_nozzle(pump, Fuel::kPremix, 2);
        }
        if (lpg) add_nozzle(add_pump("LPG1"), Fuel::kLpg, 1);
        // Shares of the fuel sales by count.
        s.fuel_weight = {62, 26, lpg ? 5.0 : 0.0, premix ? 5.0 : 0.0, kerosene ? 3.0 : 0.0};
        for (Tank& t : s.tanks) {
            t.average_daily_milli = ExpectedDailyMilli(s, t);
        }
        return Ok();
    }

    int64_t SalesPerDay(const Station& s) const {
        const double factor = s.size == SiteSize::kLarge   ? 1.6
                              : s.size == SiteSize::kSmall ? 0.6
                                                           : 1.0;
        return std::llround(options_.sales_per_day * factor);
    }

    int64_t ExpectedDailyMilli(const Station& s, const Tank& t) const {
        static constexpr std::array<int64_t, kFuels> kAverageMilli{25'000, 70'000, 9'000, 60'000,
                                                                   3'000};
        const size_t f = static_cast<size_t>(t.fuel);
        double total = 0;
        for (double w : s.fuel_weight) total += w;
        size_t same = 0;
        for (const Tank& other : s.tanks) same += other.fuel == t.fuel ? 1 : 0;
        return std::llround(static_cast<double>(SalesPerDay(s)) * s.fuel_weight[f] / total *
                            static_cast<double>(kAverageMilli[f]) / static_cast<double>(same));
    }

    // ---- planted losses ----

    Result<void> PlantLosses() {
        const size_t last = stations_.size() - 1;
        Station& leaking = stations_[std::min<size_t>(1, last)];
        std::string leaking_code;
        for (Tank& t : leaking.tanks) {
            if (t.fuel == Fuel::kAgo && summary_.leaking_tank.IsNil()) {
                t.leak_milli_per_day = kLeakMilliPerDay;
                summary_.leaking_tank = t.id;
                leaking_code = t.code;
            } else if (t.fuel == Fuel::kPms && summary_.healthy_tank.IsNil()) {
                summary_.healthy_tank = t.id;
            }
        }
        summary_.planted.push_back(fmt::format("a slow leak of {} L a day from tank {} (AGO) at {}",
                                               kLeakMilliPerDay / 1'000, leaking_code,
                                               leaking.name));
        const Station& short_station = stations_[std::min<size_t>(2, last)];
        summary_.short_attendant = short_station.staff.front();
        summary_.planted.push_back(fmt::format(
            "attendant att-{}-1 at {} hands over GH₵ {}.00 less cash than taken, every shift",
            ToLower(short_station.code), short_station.name, kShortChangePesewas / 100));
        return Ok();
    }

    static std::string ToLower(std::string text) {
        std::transform(text.begin(), text.end(), text.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return text;
    }

    // ---- one station's business day ----

    Result<void> SimulateDay(Station& s, int day, TimestampUs day_start) {
        if (day_start > now_) return Ok();
        const int64_t price_day = day_start;
        for (Tank& t : s.tanks) {
            if (day > 0) {
                t.truth_std_milli = std::max<int64_t>(0, t.truth_std_milli - t.leak_milli_per_day);
                t.average_daily_milli = (t.average_daily_milli * 4 + t.sold_today_milli) / 5;
            }
            t.sold_today_milli = 0;
            t.temperature_c100 = 2'850 + rng_.Between(-120, 120);
            if (t.chart) {
                OMC_ASSIGN_OR_RETURN(
                    const forecourt::VolumeCorrection vcf,
                    forecourt::ComputeVcf(
                        Density(ProductOf(t).def.density15_x10), Temperature(t.temperature_c100),
                        forecourt::ReferenceTemperature::k15Celsius, forecourt::kTable54B));
                t.vcf_e4 = vcf.vcf_e4;
                OMC_ASSIGN_OR_RETURN(const auto routine, Dip(s, t, day_start, "routine"));
                (void)routine;
            }
            PlanDelivery(t, day_start);
        }
        OMC_TRY(RefillLpg(s, day_start));
        std::vector<Sale> sales = MakeSales(s, day_start);
        const std::string business_date = forecourt::BusinessDate(day_start, kDayStartMin);
        std::map<size_t, std::array<int64_t, 3>> daily;  // product -> count, quantity, amount
        const int shifts = s.open_all_night ? 3 : 2;
        size_t next = 0;
        for (int k = 0; k < shifts; ++k) {
            const TimestampUs from = day_start + int64_t{k} * 8 * kUsPerHour;
            if (from > now_) break;
            const TimestampUs to = from + 8 * kUsPerHour - kUsPerSecond;
            OMC_TRY(RunShift(s, from, to, business_date, price_day, sales, next, daily));
        }
        for (const auto& [product, totals] : daily) {
            OMC_TRY(daily_.Add(tx_, {tenant_, s.id, products_[product].id, business_date, totals[0],
                                     totals[1], totals[2]}));
        }
        return Ok();
    }

    const Product& ProductOf(const Tank& t) const { return products_[static_cast<size_t>(t.fuel)]; }

    void PlanDelivery(Tank& t, TimestampUs day_start) {
        t.delivery_at = 0;
        if (!t.chart) return;
        const int64_t after_today = t.truth_std_milli - t.average_daily_milli * 13 / 10;
        if (after_today < t.capacity_milli * 35 / 100) {
            t.delivery_at = day_start + rng_.Between(3 * 60, 7 * 60) * kUsPerMinute;
        }
    }

    // LPG arrives by weighbridge ticket, recorded as a stock adjustment (a delivery needs dips,
    // and LPG is not dipped).
    Result<void> RefillLpg(Station& s, TimestampUs day_start) {
        for (Tank& t : s.tanks) {
            if (t.fuel != Fuel::kLpg || t.book_milli > t.capacity_milli * 30 / 100) continue;
            const int64_t load = t.capacity_milli * 85 / 100 - t.book_milli;
            const TimestampUs at = day_start + 4 * kUsPerHour;
            if (at > now_) continue;
            t.book_milli += load;
            t.truth_std_milli += load;
            const Uuid id = rng_.IdAt(at);
            ledger_.Refill(id, s.id, ProductOf(t).id, load,
                           CostOn(static_cast<size_t>(t.fuel), day_start), DateText(at));
            OMC_TRY(
                movements_.Add(tx_, {tenant_, id, s.id, t.id, "adjustment", load, db::Null{},
                                     fmt::format("LPG bulk delivery, weighbridge ticket WT-{:06}",
                                                 rng_.Between(1, 999'999)),
                                     at, "omc demo"}));
        }
        return Ok();
    }

    std::vector<Sale> MakeSales(const Station& s, TimestampUs day_start) {
        const int weekday = static_cast<int>((day_start / kUsPerDay + 4) % 7);  // 0 = Sunday
        const double week = weekday == 0 ? 0.7 : weekday == 6 ? 1.1 : weekday == 5 ? 1.05 : 1.0;
        const int64_t n =
            std::llround(static_cast<double>(SalesPerDay(s)) * week * (0.9 + rng_.Uniform() * 0.2));
        std::array<double, 24> hours = kHourWeights;
        if (!s.open_all_night) std::fill(hours.begin() + 16, hours.end(), 0.0);
        std::vector<Sale> sales;
        sales.reserve(static_cast<size_t>(n + n / 10));
        for (int64_t i = 0; i < n + n / 10; ++i) {
            Sale sale;
            const size_t hour = rng_.Weighted(hours);
            sale.at = day_start + static_cast<int64_t>(hour) * kUsPerHour +
                      rng_.Between(kUsPerSecond, kUsPerHour - 2 * kUsPerSecond);
            if (i >= n) {  // one shop or lubricant sale for every ten fuel sales
                sale.shop = true;
                sale.product = static_cast<size_t>(rng_.Between(5, 10));
                sale.quantity = rng_.Between(1, 3) * kMilliPerLitre;
                sale.method = rng_.Chance(0.7) ? 0 : 1;
            } else {
                const size_t fuel = rng_.Weighted(s.fuel_weight);
                const auto& choices = s.nozzles_of[fuel];
                sale.nozzle = choices[static_cast<size_t>(
                    rng_.Between(0, static_cast<int64_t>(choices.size()) - 1))];
                Size(static_cast<Fuel>(fuel), sale);
                sale.method = rng_.Weighted(kMethodWeights);
            }
            sales.push_back(sale);
        }
        std::sort(sales.begin(), sales.end(),
                  [](const Sale& a, const Sale& b) { return a.at < b.at; });
        return sales;
    }

    // Litres or cedis per sale, as customers ask: "GH₵ 50 of petrol", "fill 40 litres".
    void Size(Fuel fuel, Sale& sale) {
        static constexpr std::array<int64_t, 6> kPmsAmounts{2'000,  5'000,  10'000,
                                                            15'000, 20'000, 30'000};
        static constexpr std::array<int64_t, 6> kAgoAmounts{10'000, 20'000, 30'000,
                                                            50'000, 80'000, 100'000};
        switch (fuel) {
            case Fuel::kPms:
                sale.by_amount = rng_.Chance(0.7);
                if (sale.by_amount) {
                    sale.amount = rng_.Pick<int64_t>(kPmsAmounts);
                } else {
                    sale.quantity = rng_.Between(10, 60) * kMilliPerLitre;
                }
                break;
            case Fuel::kAgo:
                sale.by_amount = rng_.Chance(0.5);
                if (sale.by_amount) {
                    sale.amount = rng_.Pick<int64_t>(kAgoAmounts);
                } else {
                    sale.quantity = rng_.Between(30, 200) * kMilliPerLitre;
                }
                break;
            case Fuel::kLpg:
                sale.quantity = rng_.Chance(0.5) ? 14'500 : rng_.Between(3, 12) * kMilliPerLitre;
                break;
            case Fuel::kPremix:
                sale.quantity = rng_.Between(20, 120) * kMilliPerLitre;
                break;
            case Fuel::kKerosene:
                sale.by_amount = true;
                sale.amount = rng_.Between(1, 5) * 1'000;
                break;
        }
    }

    // ---- a shift: open, sell, deliver, close ----

    struct Till {
        std::array<int64_t, 4> by_method{};  // cash, momo, card, account
    };

    Result<void> RunShift(Station& s, TimestampUs from, TimestampUs to,
                          const std::string& business_date, TimestampUs price_day,
                          const std::vector<Sale>& sales, size_t& next,
                          std::map<size_t, std::array<int64_t, 3>>& daily) {
        const Uuid shift = rng_.IdAt(from);
        std::vector<Uuid> on_pump(s.pumps.size());
        for (size_t p = 0; p < s.pumps.size(); ++p) {
            // The staff rotate: each shift the next attendants of the list take the pumps.
            const size_t who = (static_cast<size_t>(s.shifts_worked) * s.pumps.size() + p);
            on_pump[p] = s.staff[who % s.staff.size()];
            OMC_TRY(shift_attendants_.Add(tx_, {tenant_, shift, s.pumps[p].id, on_pump[p]}));
        }
        ++s.shifts_worked;
        const Uuid& lead = on_pump.front();
        std::vector<int64_t> opening;
        for (Nozzle& n : s.nozzles) {
            opening.push_back(n.totalizer_milli);
            n.shift_milli = 0;
        }
        std::map<Uuid, Till> tills;
        for (; next < sales.size() && sales[next].at <= to; ++next) {
            const Sale& sale = sales[next];
            if (sale.at > now_) break;
            OMC_TRY(DeliveriesUntil(s, sale.at, price_day));
            OMC_TRY(RecordSale(s, shift, on_pump, sale, business_date, price_day, tills, daily));
        }
        OMC_TRY(DeliveriesUntil(s, std::min(to, now_), price_day));
        const bool closed = to <= now_;
        OMC_TRY(shifts_.Add(tx_, {tenant_, shift, s.id, closed ? "closed" : "open", business_date,
                                  from, lead, closed ? db::Param(to) : db::Param(db::Null{}),
                                  closed ? db::Param(lead) : db::Param(db::Null{})}));
        for (size_t i = 0; i < s.nozzles.size(); ++i) {
            Nozzle& n = s.nozzles[i];
            const int64_t closing = opening[i] + n.shift_milli;
            OMC_TRY(shift_nozzles_.Add(tx_, {tenant_, shift, n.id, opening[i],
                                             closed ? db::Param(closing) : db::Param(db::Null{})}));
            if (closed) n.totalizer_milli = closing;
        }
        if (!closed) {
            s.open_shift = shift;
            return Ok();
        }
        for (const Uuid& person : std::set<Uuid>(on_pump.begin(), on_pump.end())) {
            const Till& till = tills[person];
            int64_t cash = till.by_method[0];
            if (person == summary_.short_attendant)
                cash = std::max<int64_t>(0, cash - kShortChangePesewas);
            OMC_TRY(collections_.Add(
                tx_, {tenant_, shift, person, cash, till.by_method[1], till.by_method[2]}));
        }
        return CashUp(s, shift, on_pump, tills, business_date, to);
    }

    // The cash-up the shift report computes (BuildShiftReport): per attendant the meters of
    // their pump's nozzles at the price at close, less account sales, against the money handed
    // over (as collected above); the shortfalls and overs go to the ledger like a close's.
    Result<void> CashUp(const Station& s, const Uuid& shift, const std::vector<Uuid>& on_pump,
                        std::map<Uuid, Till>& tills, const std::string& business_date,
                        TimestampUs closed_at) {
        std::map<Uuid, int64_t> expected;
        for (const Nozzle& n : s.nozzles) {
            const size_t product = static_cast<size_t>(s.tanks[n.tank].fuel);
            OMC_ASSIGN_OR_RETURN(const Money value,
                                 AmountForVolume(UnitPrice(PriceOn(product, closed_at)),
                                                 Volume(n.shift_milli), RoundingMode::kHalfUp));
            expected[on_pump[n.pump]] += value.raw();
        }
        int64_t short_total = 0, over_total = 0;
        for (const auto& [person, meter_value] : expected) {
            const Till& till = tills[person];
            int64_t cash = till.by_method[0];
            if (person == summary_.short_attendant)
                cash = std::max<int64_t>(0, cash - kShortChangePesewas);
            const int64_t collected = cash + till.by_method[1] + till.by_method[2];
            const int64_t owed = meter_value - till.by_method[3];  // account sales bring no money
            if (collected < owed) short_total += owed - collected;
            if (collected > owed) over_total += collected - owed;
        }
        ledger_.CashUp(shift, s.id, business_date, short_total, over_total);
        return Ok();
    }

    Result<void> RecordSale(Station& s, const Uuid& shift, const std::vector<Uuid>& on_pump,
                            const Sale& sale, const std::string& business_date,
                            TimestampUs price_day, std::map<Uuid, Till>& tills,
                            std::map<size_t, std::array<int64_t, 3>>& daily) {
        const Uuid id = rng_.IdAt(sale.at);
        const size_t product = sale.shop
                                   ? sale.product
                                   : static_cast<size_t>(s.tanks[s.nozzles[sale.nozzle].tank].fuel);
        const int64_t unit_price = PriceOn(product, price_day);
        int64_t quantity = sale.quantity;
        int64_t amount = sale.amount;
        // As SalesService prices a sale: half up to the pesewa by quantity; by amount the
        // quantity it buys, half-even to the millilitre.
        if (sale.by_amount) {
            OMC_ASSIGN_OR_RETURN(
                const Volume q,
                VolumeForAmount(UnitPrice(unit_price), Money(amount), RoundingMode::kHalfEven));
            quantity = q.raw();
        } else {
            OMC_ASSIGN_OR_RETURN(
                const Money a,
                AmountForVolume(UnitPrice(unit_price), Volume(quantity), RoundingMode::kHalfUp));
            amount = a.raw();
        }
        const std::string_view method = kMethods[sale.method];
        std::optional<Uuid> nozzle_id, tank_id, attendant;
        if (!sale.shop) {
            Nozzle& n = s.nozzles[sale.nozzle];
            Tank& t = s.tanks[n.tank];
            nozzle_id = n.id;
            tank_id = t.id;
            attendant = on_pump[n.pump];
            n.shift_milli += quantity;
            t.book_milli -= quantity;
            t.sold_today_milli += quantity;
            const int64_t standard =
                t.chart ? forecourt::CorrectVolume(Volume(quantity), t.vcf_e4).raw() : quantity;
            t.truth_std_milli = std::max<int64_t>(0, t.truth_std_milli - standard);
            if (t.before) t.during_milli += quantity;
            tills[*attendant].by_method[sale.method] += amount;
        }
        std::optional<std::string> payment_ref;
        if (method == "momo") payment_ref = fmt::format("MM{:010}", rng_.Between(0, 9'999'999'999));
        if (method == "card") payment_ref = fmt::format("POS{:08}", rng_.Between(0, 99'999'999));
        std::optional<Uuid> customer;
        size_t fleet = 0;
        if (method == "account") {
            fleet = receivables_.CustomerFor(static_cast<size_t>(rng_.Between(0, 4)), sale.at);
            customer = receivables_.CustomerId(fleet);
        }
        const Uuid& recorder = attendant ? *attendant : on_pump.front();
        OMC_TRY(ledger_.Sale({.station = s.id,
                              .business_date = business_date,
                              .receipt_no = s.next_receipt,
                              .product = products_[product].id,
                              .fuel = !sale.shop,
                              .quantity_milli = quantity,
                              .amount = amount,
                              .method = method,
                              .customer = customer}));
        OMC_TRY(sales_.Add(tx_, {tenant_,
                                 id,
                                 s.id,
                                 s.next_receipt++,
                                 sale.shop ? "shop" : "fuel",
                                 products_[product].id,
                                 nozzle_id,
                                 tank_id,
                                 shift,
                                 attendant,
                                 quantity,
                                 unit_price,
                                 amount,
                                 std::string(method),
                                 payment_ref,
                                 customer,
                                 sale.at,
                                 sale.at,
                                 recorder,
                                 std::string(kHistoryRequestHash)}));
        if (customer) OMC_TRY(receivables_.Sale(tx_, id, fleet, s.id, amount, sale.at));
        if (method == "momo" && momo_.Wants(sale.at)) {
            momo_.Sale({.sale = id,
                        .station = s.id,
                        .station_code = s.code,
                        .shop = sale.shop,
                        .nozzle = nozzle_id,
                        .product = products_[product].id,
                        .attendant = attendant,
                        .shift = shift,
                        .quantity_milli = quantity,
                        .unit_price = unit_price,
                        .amount = amount,
                        .sold_at = sale.at,
                        .financial_transaction_id = *payment_ref});
        }
        std::array<int64_t, 3>& d = daily[product];
        d[0] += 1;
        d[1] += quantity;
        d[2] += amount;
        return Ok();
    }

    // ---- dips and deliveries ----

    // A dip of the tank's real contents, read with a few millimetres' error, computed like
    // POST /api/v1/dips.
    Result<std::pair<Uuid, forecourt::DipReading>> Dip(const Station& s, const Tank& t,
                                                       TimestampUs at, std::string_view purpose) {
        const StrappingChart& chart = *t.chart;
        OMC_ASSIGN_OR_RETURN(const Volume water, chart.VolumeAtHeight(LevelMm(t.water_mm)));
        const int64_t net_observed = t.truth_std_milli * 10'000 / t.vcf_e4;
        const int64_t gross = std::min(net_observed + water.raw(), chart.capacity().raw());
        OMC_ASSIGN_OR_RETURN(const LevelMm true_height, chart.HeightForVolume(Volume(gross)));
        const int64_t height =
            std::clamp(true_height.raw() + rng_.Between(-kDipNoiseMm, kDipNoiseMm), t.water_mm,
                       chart.top_height().raw());
        const forecourt::DipInput input{
            .height = LevelMm(height),
            .water_height = LevelMm(t.water_mm),
            .temperature = Temperature(t.temperature_c100),
            .product_density15 = Density(ProductOf(t).def.density15_x10),
            .density15 = std::nullopt,
            .reference = forecourt::ReferenceTemperature::k15Celsius};
        OMC_ASSIGN_OR_RETURN(const forecourt::DipReading r,
                             forecourt::ComputeDip(input, chart, forecourt::kTable54B));
        const Uuid id = rng_.IdAt(at);
        OMC_TRY(dips_.Add(tx_, {tenant_,
                                id,
                                s.id,
                                t.id,
                                t.chart_id,
                                at,
                                r.height.raw(),
                                r.water_height.raw(),
                                r.temperature.raw(),
                                r.density15.raw(),
                                int64_t{1'500},
                                r.gross_observed.raw(),
                                r.water.raw(),
                                r.net_observed.raw(),
                                r.vcf_e4,
                                r.net_standard.raw(),
                                t.book_milli,
                                std::string(purpose),
                                s.staff.front(),
                                at}));
        return std::make_pair(id, r);
    }

    // Deliveries of the station whose drop starts (dip before) or ends (dip after, 45 minutes
    // later) by `until`.
    Result<void> DeliveriesUntil(Station& s, TimestampUs until, TimestampUs price_day) {
        for (Tank& t : s.tanks) {
            if (t.delivery_at != 0 && !t.before && t.delivery_at <= until) {
                OMC_TRY(StartDelivery(s, t));
            }
            if (t.before && t.before_at + 45 * kUsPerMinute <= until) {
                OMC_TRY(FinishDelivery(s, t, price_day));
            }
        }
        return Ok();
    }

    Result<void> StartDelivery(Station& s, Tank& t) {
        const TimestampUs at = t.delivery_at;
        t.delivery_at = 0;
        if (at + 45 * kUsPerMinute > now_) return Ok();
        OMC_ASSIGN_OR_RETURN(auto before, Dip(s, t, at, "before_delivery"));
        const int64_t safe_fill = t.capacity_milli * kSafeFillBp / 10'000;
        const int64_t room = safe_fill - before.second.gross_observed.raw();
        const int64_t load = std::min(kMaxLoadMilli, room / kCompartmentMilli * kCompartmentMilli);
        if (load < kMinLoadMilli) return Ok();
        t.before = before.second;
        t.before_id = before.first;
        t.before_at = at;
        t.book_before = t.book_milli;
        t.load_milli = load;
        t.during_milli = 0;
        return Ok();
    }

    Result<void> FinishDelivery(Station& s, Tank& t, TimestampUs price_day) {
        const TimestampUs at = t.before_at + 45 * kUsPerMinute;
        const Product& product = ProductOf(t);
        const int64_t ticket_temperature = rng_.Between(2'600, 3'100);
        const int64_t ticket_density = product.def.density15_x10 + rng_.Between(-30, 30);
        OMC_ASSIGN_OR_RETURN(
            const forecourt::VolumeCorrection loaded_vcf,
            forecourt::ComputeVcf(Density(ticket_density), Temperature(ticket_temperature),
                                  forecourt::ReferenceTemperature::k15Celsius,
                                  forecourt::kTable54B));
        const int64_t loaded_std =
            forecourt::CorrectVolume(Volume(t.load_milli), loaded_vcf.vcf_e4).raw();
        // Transit loss: a little evaporation and clingage, except on the planted short load.
        const bool planted = summary_.short_delivery.IsNil() && &s == &stations_.front() &&
                             t.fuel != Fuel::kLpg &&
                             t.before_at >= start_ + int64_t{options_.days} / 3 * kUsPerDay;
        const int64_t loss_bp = planted ? kShortDeliveryBp : rng_.Between(2, 35);
        t.truth_std_milli += loaded_std - loaded_std * loss_bp / 10'000;
        OMC_ASSIGN_OR_RETURN(auto after, Dip(s, t, at, "after_delivery"));
        const int64_t unit_price = PriceOn(static_cast<size_t>(t.fuel), price_day);
        const forecourt::DeliveryInput input{
            .ticket = {.loaded_volume = Volume(t.load_milli),
                       .temperature = Temperature(ticket_temperature),
                       .density15 = Density(ticket_density)},
            .dip_before = *t.before,
            .dip_after = after.second,
            .sales_during_delivery = forecourt::CorrectVolume(Volume(t.during_milli), t.vcf_e4),
            .claim_price_per_litre = UnitPrice(unit_price)};
        OMC_ASSIGN_OR_RETURN(
            const forecourt::DeliveryShortage d,
            forecourt::ComputeDeliveryShortage(input, {.allowance_bp = kTransitAllowanceBp},
                                               forecourt::kTable54B));
        const Uuid id = rng_.IdAt(at);
        if (planted) {
            summary_.short_delivery = id;
            summary_.planted.push_back(
                fmt::format("a delivery {} L short (allowance {} L) into tank {} at {} on {}",
                            d.shortage.raw() / kMilliPerLitre, d.allowance.raw() / kMilliPerLitre,
                            t.code, s.name, DateText(at)));
        }
        OMC_TRY(WriteDelivery(s, t, id, after.first, at, input, d, unit_price,
                              CostOn(static_cast<size_t>(t.fuel), price_day)));
        t.book_milli += d.received_standard.raw();
        t.before.reset();
        return Ok();
    }

    Result<void> WriteDelivery(const Station& s, const Tank& t, const Uuid& id,
                               const Uuid& dip_after, TimestampUs at,
                               const forecourt::DeliveryInput& input,
                               const forecourt::DeliveryShortage& d, int64_t unit_price,
                               int64_t unit_cost) {
        const demo::RegionDef* region = &demo::Regions().front();
        for (const demo::RegionDef& r : demo::Regions()) {
            if (r.code == s.town->region_code) region = &r;
        }
        nlohmann::json compartments = nlohmann::json::array();
        int64_t left = t.load_milli;
        for (int64_t number = 1; left > 0; ++number) {
            const int64_t volume = std::min(left, 2 * kCompartmentMilli);
            compartments.push_back(nlohmann::json{{"number", number},
                                                  {"product_id", ProductOf(t).id.ToString()},
                                                  {"volume", forecourt::FormatQuantity(volume)}});
            left -= volume;
        }
        const TimestampUs loaded_at = at - rng_.Between(2 * 60, 8 * 60) * kUsPerMinute;
        const std::string plate =
            fmt::format("{} {}-{}", std::array{"GR", "GT", "AS", "WR", "NR"}[rng_.Between(0, 4)],
                        rng_.Between(1'000, 9'999), rng_.Between(15, 24));
        const std::string driver =
            fmt::format("{} {}", rng_.Pick(demo::GivenNames()), rng_.Pick(demo::FamilyNames()));
        // Drawn in the order the row lists them (the seeded history stays the same).
        const std::string_view& supplier_name = rng_.Pick(demo::Suppliers());
        const std::string supplier(supplier_name);
        const auto supplier_index = static_cast<size_t>(&supplier_name - demo::Suppliers().data());
        const std::string transporter(rng_.Pick(demo::Transporters()));
        OMC_TRY(deliveries_.Add(
            tx_, {tenant_,
                  id,
                  s.id,
                  t.id,
                  ProductOf(t).id,
                  fmt::format("WB-{}-{:06}", region->depot.substr(0, 3), ++waybills_),
                  std::string(region->depot),
                  supplier,
                  transporter,
                  plate,
                  driver,
                  compartments.dump(),
                  loaded_at,
                  at,
                  t.load_milli,
                  input.ticket.temperature.raw(),
                  input.ticket.density15.raw(),
                  d.loaded_vcf_e4,
                  d.loaded_standard.raw(),
                  t.before_id,
                  dip_after,
                  input.sales_during_delivery.raw(),
                  d.received_standard.raw(),
                  d.shortage.raw(),
                  d.allowance.raw(),
                  d.claimable.raw(),
                  unit_price,
                  d.claim_amount.raw(),
                  s.staff.front(),
                  at,
                  unit_cost}));
        payables_.Delivery({.id = id,
                            .supplier = supplier_index,
                            .product = ProductOf(t).id,
                            .depot = std::string(region->depot),
                            .loaded_ambient_milli = t.load_milli,
                            .unit_cost = unit_cost,
                            .delivered_at = at,
                            .planted_short = id == summary_.short_delivery,
                            .shortage_milli = d.shortage.raw()});
        ledger_.Delivery({.delivery_id = id,
                          .station_id = s.id,
                          .product_id = ProductOf(t).id,
                          .transporter = transporter,
                          .booked_on = DateText(at),
                          .received_standard_milli = d.received_standard.raw(),
                          .shortage_milli = d.shortage.raw(),
                          .claim_amount = d.claim_amount.raw(),
                          .unit_cost = unit_cost});
        return movements_.Add(
            tx_, {tenant_, rng_.IdAt(at), s.id, t.id, "delivery", d.received_standard.raw(), id,
                  db::Null{}, at, s.staff.front()});
    }

    // The equipment rows, with the book stock and totalizers the history left, and each tank's
    // opening stock as the adjustment it started from.
    Result<void> WriteEquipment() {
        for (const Station& s : stations_) {
            for (const Tank& t : s.tanks) {
                OMC_TRY(
                    tx_.Execute(kTank, {tenant_, t.id, s.id, t.code, ProductOf(t).id,
                                        t.capacity_milli, t.capacity_milli * kSafeFillBp / 10'000,
                                        t.capacity_milli / 10, int64_t{50}, t.book_milli, start_}));
                if (t.chart) {
                    OMC_TRY(tx_.Execute(kChart,
                                        {tenant_, t.chart_id, t.id, start_ - kUsPerDay,
                                         ChartPointsJson(*t.chart), t.chart->top_height().raw()}));
                }
                OMC_TRY(movements_.Add(
                    tx_, {tenant_, rng_.IdAt(start_), s.id, t.id, "adjustment", t.opening_milli,
                          db::Null{}, "opening stock when the demo history starts", start_,
                          "omc demo"}));
                ++summary_.tanks;
            }
            for (const Pump& p : s.pumps) {
                OMC_TRY(tx_.Execute(kPump, {tenant_, p.id, s.id, p.code, start_}));
            }
            for (const Nozzle& n : s.nozzles) {
                OMC_TRY(
                    tx_.Execute(kNozzle, {tenant_, n.id, s.id, s.pumps[n.pump].id, n.number,
                                          s.tanks[n.tank].id, n.totalizer_milli, start_, now_}));
                ++summary_.nozzles;
            }
            OMC_TRY(tx_.Execute(kReceipts, {tenant_, s.id, s.next_receipt}));
        }
        return Ok();
    }

    db::Transaction& tx_;
    identity::Identity& identity_;
    const TenantId& tenant_;
    const DemoOptions& options_;
    const TimestampUs now_;
    Rng rng_;
    const TimestampUs start_;
    DemoLedger ledger_;
    std::vector<Station> stations_;
    std::vector<Product> products_;
    DemoReceivables receivables_;
    DemoPayables payables_;
    DemoMomo momo_;
    int64_t waybills_ = 0;
    DemoSummary summary_;
    Bulk sales_, daily_, shifts_, shift_attendants_, shift_nozzles_, collections_, dips_,
        deliveries_, movements_;
};

}  // namespace

Result<DemoSummary> BuildDemoNetwork(db::Database& database, identity::Identity& identity,
                                     const TenantId& tenant, const DemoOptions& options,
                                     TimestampUs now,
                                     const std::function<void(const DemoProgress&)>& progress) {
    if (options.stations < 1 || options.stations > kDemoMaxStations) {
        return InvalidArgument("--stations", fmt::format("must be 1 to {}", kDemoMaxStations));
    }
    if (options.days < 1 || options.days > kDemoMaxDays) {
        return InvalidArgument("--days", fmt::format("must be 1 to {}", kDemoMaxDays));
    }
    if (options.sales_per_day < 1 || options.sales_per_day > kDemoMaxSalesPerDay) {
        return InvalidArgument("--sales-per-day",
                               fmt::format("must be 1 to {}", kDemoMaxSalesPerDay));
    }
    return db::InTransaction(
        database, {.tenant = tenant}, [&](db::Transaction& tx) -> Result<DemoSummary> {
            OMC_ASSIGN_OR_RETURN(const db::Rows stations, tx.Query(kStationCount, {tenant}));
            if (stations[0].Int(0) > 0) {
                return Error(ErrorCode::kConflict, "the tenant already has stations");
            }
            Builder builder(tx, identity, tenant, options, now);
            return builder.Run(progress);
        });
}

}  // namespace omc::app
