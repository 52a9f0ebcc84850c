// The fixed facts the demo network is drawn from: Ghana's regions, towns with their real
// coordinates, station sites, people's names, depots, BDCs, transporters and the products with
// their ρ15 and current-ish ex-pump prices (GHANA_REFERENCE.md §2, §3; prices are illustrative).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace omc::app::demo {

struct RegionDef {
    std::string_view code;
    std::string_view name;
    std::string_view depot;  // the depot its stations load from
};

struct TownDef {
    std::string_view name;
    std::string_view code;         // three letters, for station codes
    std::string_view region_code;  // RegionDef::code
    int64_t latitude_e6;
    int64_t longitude_e6;
    bool premix;  // a fishing town on the coast or the Volta lake: premix sells here
};

enum class SiteSize { kSmall, kMedium, kLarge };

struct SiteDef {
    std::string_view town;  // TownDef::name
    std::string_view area;  // "Adum": the station is "Kumasi Adum"
    SiteSize size;
};

enum class DemoUnit { kLitre, kKg, kEach };

struct ProductDef {
    std::string_view code;
    std::string_view name;
    std::string_view kind;  // fuel, lubricant, shop
    DemoUnit unit;
    int64_t density15_x10;  // fuels; 0 otherwise
    int64_t price_pesewas;  // the ex-pump price in force now, per unit
};

std::span<const RegionDef> Regions();
std::span<const TownDef> Towns();
// Ordered so that the first N sites spread over the country: the big cities first, then every
// regional capital, then more towns and more sites in the cities.
std::span<const SiteDef> Sites();
std::span<const std::string_view> GivenNames();
std::span<const std::string_view> FamilyNames();
std::span<const std::string_view> Suppliers();
std::span<const std::string_view> Transporters();
std::span<const std::string_view> Dealers();
std::span<const ProductDef> Products();

}  // namespace omc::app::demo
