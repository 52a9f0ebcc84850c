// What every forecourt handler shares: its dependencies, request helpers (path ids, query
// filters, pages, the caller's stations) and the JSON forms of quantities and prices.
//
// API number forms: quantities are decimal strings in the product's unit with up to 3 decimals
// ("12.345" litres, kg or items; stored as thousandths), money is GH₵ with 2 decimals ("150.25";
// stored as pesewas), unit prices are GH₵ per unit with up to 6 decimals ("14.95"; stored as
// ten-thousandths of a pesewa, NPA's scale). Strings, never JSON numbers, so no client rounds
// them through a double.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "domains/identity/identity_api.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/http/params.hpp"
#include "platform/http/router.hpp"

namespace omc::forecourt {

struct ForecourtDeps {
    IdGenerator* ids = nullptr;
    const Clock* clock = nullptr;
};

inline constexpr int kQuantityScale = 3;    // thousandths of a litre, kg or item
inline constexpr int kUnitPriceScale = 6;   // GH₵ with 6 decimals = 10^-4 pesewa
inline constexpr int kMoneyScale = 2;       // GH₵ with 2 decimals = pesewas
inline constexpr int kDensityDecimals = 1;  // kg/m³ with 1 decimal (Density raw)

std::string FormatQuantity(int64_t milli);
// Trailing zeros past the second decimal dropped: "14.95", "14.9512".
std::string FormatUnitPrice(int64_t raw);
std::string FormatMoney(int64_t pesewas);
nlohmann::json OptionalText(const std::optional<std::string>& text);
nlohmann::json OptionalId(const std::optional<Uuid>& id);

// ---- request helpers ----
// Path ids, pages and query values: platform/http/params.hpp.
using http::PageAfter;
using http::PathUuid;
using http::QueryBool;
using http::QueryTime;
using http::QueryUuid;
const http::Principal& CallerOf(const http::RequestContext& ctx);

// The station named by `station_id` if the caller sees it: kNotFound ("station") otherwise,
// or kUnprocessable naming `field` when the station comes from a request body.
Result<identity::StationRef> VisibleStation(db::Transaction& tx, const http::RequestContext& ctx,
                                            const Uuid& station_id,
                                            std::optional<std::string_view> field = std::nullopt);

// How a list is narrowed to the caller's stations: `station` when the request names one (it
// must be visible), else `scope_list`, the caller's stations comma-joined (nullopt for a
// tenant-wide caller). Queries test it with (',' || $n || ',') LIKE ('%,' || station_id || ',%').
struct StationFilter {
    std::optional<Uuid> station;
    std::optional<std::string> scope_list;
};
Result<StationFilter> ListFilter(db::Transaction& tx, const http::RequestContext& ctx);
// `stations` comma-joined as StationFilter::scope_list holds them ("none" when empty).
std::string ScopeList(const std::vector<Uuid>& stations);

// ---- answers ----
using http::Answer;
using http::Created;
using http::PageReply;
Error NotFoundError(std::string_view what);

// Routes of the module. Reads need forecourt.read; writes name their permission.
using Handler = Result<http::Reply> (*)(const ForecourtDeps&, http::RequestContext&);
http::Route ReadRoute(std::string pattern, std::string name, const ForecourtDeps& deps,
                      Handler handler);
http::Route WriteRoute(http::Method method, std::string pattern, std::string name,
                       std::string permission, const ForecourtDeps& deps, Handler handler);

// Appends the change's outbox event and fills the audit note (the router writes the audit
// record with the commit).
Result<void> RecordChange(const ForecourtDeps& deps, http::RequestContext& ctx, db::Transaction& tx,
                          std::string type, std::string aggregate_type, const Uuid& id,
                          const nlohmann::json& state);

}  // namespace omc::forecourt
