#include "app/demo_places.hpp"

#include <array>

namespace omc::app::demo {
namespace {

using enum SiteSize;

// The sixteen regions of Ghana (2019) and the depot (BOST or private) their stations load from.
constexpr std::array kRegions{
    RegionDef{"GAR", "Greater Accra", "Tema"},
    RegionDef{"ASH", "Ashanti", "Kumasi"},
    RegionDef{"WR", "Western", "Takoradi"},
    RegionDef{"CR", "Central", "Takoradi"},
    RegionDef{"ER", "Eastern", "Tema"},
    RegionDef{"VR", "Volta", "Akosombo"},
    RegionDef{"NR", "Northern", "Buipe"},
    RegionDef{"UER", "Upper East", "Bolgatanga"},
    RegionDef{"UWR", "Upper West", "Buipe"},
    RegionDef{"BR", "Bono", "Kumasi"},
    RegionDef{"BER", "Bono East", "Kumasi"},
    RegionDef{"AHR", "Ahafo", "Kumasi"},
    RegionDef{"WNR", "Western North", "Takoradi"},
    RegionDef{"OR", "Oti", "Akosombo"},
    RegionDef{"SR", "Savannah", "Buipe"},
    RegionDef{"NER", "North East", "Buipe"},
};

// Coordinates of the town centres (WGS84, degrees × 10^6).
constexpr std::array kTowns{
    TownDef{"Accra", "ACC", "GAR", 5'603'700, -187'000, false},
    TownDef{"Tema", "TEM", "GAR", 5'669'800, -16'600, true},
    TownDef{"Ada Foah", "ADA", "GAR", 5'783'300, 633'300, true},
    TownDef{"Kumasi", "KUM", "ASH", 6'688'500, -1'624'400, false},
    TownDef{"Obuasi", "OBU", "ASH", 6'202'300, -1'666'300, false},
    TownDef{"Konongo", "KON", "ASH", 6'616'700, -1'216'700, false},
    TownDef{"Ejisu", "EJS", "ASH", 6'723'500, -1'466'300, false},
    TownDef{"Mampong", "MAM", "ASH", 7'062'700, -1'400'100, false},
    TownDef{"Takoradi", "TKD", "WR", 4'884'500, -1'755'400, true},
    TownDef{"Sekondi", "SEK", "WR", 4'943'300, -1'704'000, true},
    TownDef{"Tarkwa", "TAR", "WR", 5'300'600, -1'995'900, false},
    TownDef{"Axim", "AXM", "WR", 4'869'900, -2'240'500, true},
    TownDef{"Prestea", "PRE", "WR", 5'433'300, -2'150'000, false},
    TownDef{"Cape Coast", "CPC", "CR", 5'105'300, -1'246'600, true},
    TownDef{"Kasoa", "KAS", "CR", 5'534'000, -424'400, false},
    TownDef{"Winneba", "WIN", "CR", 5'351'100, -623'100, true},
    TownDef{"Elmina", "ELM", "CR", 5'084'700, -1'350'900, true},
    TownDef{"Saltpond", "SLT", "CR", 5'209'100, -1'060'600, true},
    TownDef{"Agona Swedru", "SWE", "CR", 5'533'300, -700'000, false},
    TownDef{"Mankessim", "MNK", "CR", 5'273'100, -1'016'700, false},
    TownDef{"Dunkwa-on-Offin", "DUN", "CR", 5'966'700, -1'783'300, false},
    TownDef{"Koforidua", "KOF", "ER", 6'094'100, -259'100, false},
    TownDef{"Nkawkaw", "NKK", "ER", 6'550'800, -766'900, false},
    TownDef{"Akosombo", "AKS", "ER", 6'298'300, 51'900, true},
    TownDef{"Nsawam", "NSW", "ER", 5'808'900, -350'300, false},
    TownDef{"Somanya", "SOM", "ER", 6'104'700, -15'000, false},
    TownDef{"Ho", "HOO", "VR", 6'600'800, 471'300, false},
    TownDef{"Hohoe", "HOH", "VR", 7'151'900, 473'600, false},
    TownDef{"Aflao", "AFL", "VR", 6'116'500, 1'194'600, false},
    TownDef{"Keta", "KET", "VR", 5'917'900, 987'900, true},
    TownDef{"Anloga", "ANL", "VR", 5'794'700, 897'300, true},
    TownDef{"Kpando", "KPD", "VR", 6'995'300, 292'900, true},
    TownDef{"Tamale", "TAM", "NR", 9'400'800, -839'300, false},
    TownDef{"Yendi", "YEN", "NR", 9'442'700, -9'900, false},
    TownDef{"Bolgatanga", "BOL", "UER", 10'785'600, -851'400, false},
    TownDef{"Navrongo", "NAV", "UER", 10'895'600, -1'092'100, false},
    TownDef{"Bawku", "BAW", "UER", 11'061'600, -241'700, false},
    TownDef{"Wa", "WAA", "UWR", 10'060'100, -2'509'900, false},
    TownDef{"Sunyani", "SUN", "BR", 7'339'900, -2'326'800, false},
    TownDef{"Berekum", "BER", "BR", 7'453'400, -2'584'000, false},
    TownDef{"Techiman", "TEC", "BER", 7'590'900, -1'939'000, false},
    TownDef{"Kintampo", "KIN", "BER", 8'056'300, -1'730'600, false},
    TownDef{"Yeji", "YEJ", "BER", 8'223'900, -650'800, true},
    TownDef{"Goaso", "GOA", "AHR", 6'803'600, -2'517'200, false},
    TownDef{"Sefwi Wiawso", "SWW", "WNR", 6'205'800, -2'489'400, false},
    TownDef{"Bibiani", "BIB", "WNR", 6'463'200, -2'319'200, false},
    TownDef{"Dambai", "DAM", "OR", 8'069'100, 179'000, true},
    TownDef{"Damongo", "DMG", "SR", 9'083'300, -1'816'700, false},
    TownDef{"Nalerigu", "NAL", "NER", 10'527'300, -369'800, false},
};

constexpr std::array kSites{
    SiteDef{"Accra", "Osu", kLarge},
    SiteDef{"Kumasi", "Adum", kLarge},
    SiteDef{"Takoradi", "Market Circle", kLarge},
    SiteDef{"Tamale", "Central", kLarge},
    SiteDef{"Tema", "Community 1", kLarge},
    SiteDef{"Cape Coast", "Kotokuraba", kMedium},
    SiteDef{"Koforidua", "Central", kMedium},
    SiteDef{"Ho", "Civic Centre", kMedium},
    SiteDef{"Sunyani", "Nkwabeng", kMedium},
    SiteDef{"Bolgatanga", "Zaare Road", kMedium},
    SiteDef{"Wa", "Central", kMedium},
    SiteDef{"Techiman", "Market", kMedium},
    SiteDef{"Accra", "Achimota", kLarge},
    SiteDef{"Kumasi", "Suame", kLarge},
    SiteDef{"Kasoa", "Old Barrier", kLarge},
    SiteDef{"Obuasi", "Central", kMedium},
    SiteDef{"Tarkwa", "Station Road", kMedium},
    SiteDef{"Winneba", "Junction", kMedium},
    SiteDef{"Aflao", "Border", kMedium},
    SiteDef{"Nkawkaw", "Highway", kMedium},
    SiteDef{"Accra", "Spintex", kLarge},
    SiteDef{"Kumasi", "Ahodwo", kMedium},
    SiteDef{"Tema", "Fishing Harbour", kMedium},
    SiteDef{"Yendi", "Main", kSmall},
    SiteDef{"Hohoe", "Town", kSmall},
    SiteDef{"Elmina", "Castle Road", kSmall},
    SiteDef{"Goaso", "Town", kSmall},
    SiteDef{"Sefwi Wiawso", "Town", kSmall},
    SiteDef{"Dambai", "Town", kSmall},
    SiteDef{"Damongo", "Town", kSmall},
    SiteDef{"Nalerigu", "Town", kSmall},
    SiteDef{"Ada Foah", "Estuary", kSmall},
    SiteDef{"Axim", "Town", kSmall},
    SiteDef{"Akosombo", "Dam Road", kSmall},
    SiteDef{"Accra", "Madina", kLarge},
    SiteDef{"Kumasi", "Asokwa", kMedium},
    SiteDef{"Takoradi", "Harbour", kMedium},
    SiteDef{"Tamale", "Kalpohin", kMedium},
    SiteDef{"Accra", "East Legon", kMedium},
    SiteDef{"Kintampo", "Highway", kMedium},
    SiteDef{"Konongo", "Town", kSmall},
    SiteDef{"Ejisu", "Junction", kSmall},
    SiteDef{"Mampong", "Town", kSmall},
    SiteDef{"Navrongo", "Town", kSmall},
    SiteDef{"Bawku", "Town", kSmall},
    SiteDef{"Yeji", "Lakeside", kSmall},
    SiteDef{"Nsawam", "Road", kMedium},
    SiteDef{"Sekondi", "Esikado", kSmall},
    SiteDef{"Saltpond", "Junction", kSmall},
    SiteDef{"Keta", "Lagoon", kSmall},
    SiteDef{"Accra", "Kaneshie", kMedium},
    SiteDef{"Accra", "Dansoman", kMedium},
    SiteDef{"Kumasi", "Kejetia", kMedium},
    SiteDef{"Berekum", "Town", kSmall},
    SiteDef{"Prestea", "Town", kSmall},
    SiteDef{"Bibiani", "Town", kSmall},
    SiteDef{"Kpando", "Torkor", kSmall},
    SiteDef{"Somanya", "Town", kSmall},
    SiteDef{"Agona Swedru", "Town", kSmall},
    SiteDef{"Mankessim", "Junction", kSmall},
    SiteDef{"Anloga", "Town", kSmall},
    SiteDef{"Dunkwa-on-Offin", "Town", kSmall},
    SiteDef{"Accra", "Airport", kLarge},
    SiteDef{"Tema", "Community 25", kMedium},
    SiteDef{"Kasoa", "Galilea", kMedium},
};

constexpr std::array<std::string_view, 30> kGivenNames{
    "Kwame",  "Kofi",    "Kwabena", "Kwaku", "Yaw",      "Kojo",    "Kwesi",        "Ama",
    "Akosua", "Abena",   "Adwoa",   "Yaa",   "Efua",     "Esi",     "Afua",         "Nii",
    "Naa",    "Selorm",  "Edem",    "Dzifa", "Mawuli",   "Fuseini", "Abdul-Rahman", "Mohammed",
    "Amina",  "Ibrahim", "Zainab",  "Issah", "Sulemana", "Mariama"};
constexpr std::array<std::string_view, 30> kFamilyNames{
    "Mensah",     "Owusu",   "Boateng", "Asante",   "Osei",   "Agyeman", "Darko",  "Quaye",
    "Appiah",     "Sarpong", "Annan",   "Arthur",   "Agbeko", "Kpeli",   "Amegah", "Issah",
    "Alhassan",   "Seidu",   "Iddrisu", "Yakubu",   "Tetteh", "Lartey",  "Ofori",  "Addo",
    "Acheampong", "Nkrumah", "Danquah", "Frimpong", "Amoah",  "Gyamfi"};

// The BDCs the demo buys from: each is a supplier of the payables (demo_finance.cpp, same order).
constexpr std::array<std::string_view, 3> kSuppliers{
    "Blue Ocean Investments Ltd", "Chase Petroleum Ghana Ltd", "Juwel Energy Ltd"};
constexpr std::array<std::string_view, 5> kTransporters{
    "Asante Haulage Ltd", "Volta Tankers Ltd", "Northern Star Transport", "Coastline Logistics",
    "Kpone Bulk Haulage"};
constexpr std::array<std::string_view, 6> kDealers{
    "Kwabena Asante Ventures", "Adjoa Mensah Enterprise", "Alhaji Seidu & Sons",
    "Volta Star Energy",       "Takoradi Fuel Services",  "Nana Yaa Petroleum"};

// Ex-pump prices of late 2025 (GHANA_REFERENCE §2.2, §3: COPEC's projection and NPA floors);
// premix is NPA-set and subsidised. ρ15 typical of Ghana's products (depot tickets vary).
constexpr std::array kProducts{
    ProductDef{"PMS", "Premium Motor Spirit (petrol)", "fuel", DemoUnit::kLitre, 7'450, 1'295},
    ProductDef{"AGO", "Automotive Gas Oil (diesel)", "fuel", DemoUnit::kLitre, 8'320, 1'435},
    ProductDef{"LPG", "Liquefied Petroleum Gas", "fuel", DemoUnit::kKg, 5'400, 1'145},
    ProductDef{"PREMIX", "Premix (outboard motor fuel)", "fuel", DemoUnit::kLitre, 7'450, 990},
    ProductDef{"DPK", "Kerosene", "fuel", DemoUnit::kLitre, 8'000, 1'350},
    ProductDef{"LUB-EO1", "Engine oil 20W-50, 1 L", "lubricant", DemoUnit::kEach, 0, 9'500},
    ProductDef{"LUB-EO4", "Engine oil 20W-50, 4 L", "lubricant", DemoUnit::kEach, 0, 34'000},
    ProductDef{"LUB-2T", "Two-stroke outboard oil, 1 L", "lubricant", DemoUnit::kEach, 0, 6'500},
    ProductDef{"SHOP-WATER", "Bottled water 500 ml", "shop", DemoUnit::kEach, 0, 300},
    ProductDef{"SHOP-SODA", "Soft drink 330 ml", "shop", DemoUnit::kEach, 0, 800},
    ProductDef{"SHOP-BISC", "Biscuits", "shop", DemoUnit::kEach, 0, 500},
};

}  // namespace

std::span<const RegionDef> Regions() { return kRegions; }
std::span<const TownDef> Towns() { return kTowns; }
std::span<const SiteDef> Sites() { return kSites; }
std::span<const std::string_view> GivenNames() { return kGivenNames; }
std::span<const std::string_view> FamilyNames() { return kFamilyNames; }
std::span<const std::string_view> Suppliers() { return kSuppliers; }
std::span<const std::string_view> Transporters() { return kTransporters; }
std::span<const std::string_view> Dealers() { return kDealers; }
std::span<const ProductDef> Products() { return kProducts; }

}  // namespace omc::app::demo
