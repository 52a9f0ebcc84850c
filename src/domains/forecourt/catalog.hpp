// Products (fuels, lubricants, shop items) and the ex-pump prices in force. Tables: products,
// station_prices (migration 0006). Sales read both through these functions, in their own
// transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace omc::forecourt {

struct ForecourtDeps;

enum class ProductKind { kFuel, kLubricant, kShop };
std::string_view ProductKindName(ProductKind kind);
std::optional<ProductKind> ParseProductKind(std::string_view name);

struct Product {
    Uuid id;
    std::string code;  // "PMS", "AGO", "LPG", or a shop SKU
    std::string name;
    ProductKind kind = ProductKind::kFuel;
    std::string unit;                      // "L", "kg" (fuels) or "each"
    std::optional<int64_t> density15_x10;  // fuels: kg/m³ at 15 °C, in tenths
    bool active = true;
    TimestampUs created_at_us = 0;
    TimestampUs updated_at_us = 0;
};

// Plausible densities at 15 °C, in tenths of kg/m³: LPG (about 500–580) up to heavy fuel oil.
// Volume correction itself accepts only 653–1075 kg/m³ (Table 54B); LPG is sold by mass.
inline constexpr int64_t kMinDensity15X10 = 4'000;
inline constexpr int64_t kMaxDensity15X10 = 10'750;

Result<std::optional<Product>> FindProduct(db::Transaction& tx, const TenantId& tenant,
                                           const Uuid& id);

// The price in force for `product` at `station` at time `at`: the station's own latest price
// with effective_from <= at, else the network's. nullopt when neither exists.
struct PriceInForce {
    Uuid id;
    int64_t unit_price = 0;  // 10^-4 pesewa per unit
    std::optional<Uuid> station_id;
    TimestampUs effective_from_us = 0;
};
Result<std::optional<PriceInForce>> PriceAt(db::Transaction& tx, const TenantId& tenant,
                                            const Uuid& station, const Uuid& product,
                                            TimestampUs at);

// GET/POST /api/v1/products, GET/PATCH /api/v1/products/{id}; GET/POST /api/v1/prices,
// GET /api/v1/prices/current.
void RegisterCatalogRoutes(http::Router& router, const ForecourtDeps& deps);

}  // namespace omc::forecourt
