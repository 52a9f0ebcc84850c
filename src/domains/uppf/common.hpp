// What every UPPF handler shares: its dependencies, route builders and the JSON number forms.
//
// API number forms (as forecourt's): quantities are decimal strings in litres with 3 decimals
// ("10000.000"; stored as millilitres), money is GH₵ with 2 decimals ("2097.80"; pesewas),
// distances are km with 1 decimal ("123.4"; tenths of a km), the freight rate is GH₵ per litre
// per km with up to 6 decimals ("0.0017"; ten-thousandths of a pesewa, NPA's scale).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/http/router.hpp"

namespace omc::uppf {

struct UppfDeps {
    IdGenerator* ids = nullptr;
    const Clock* clock = nullptr;
};

inline constexpr int kQuantityScale = 3;  // millilitres
inline constexpr int kMoneyScale = 2;     // pesewas
inline constexpr int kDistanceScale = 1;  // tenths of a km
inline constexpr int kRateScale = 6;      // GH₵ with 6 decimals = 10^-4 pesewa
inline constexpr size_t kTextMaxLength = 128;
inline constexpr size_t kNoteMaxLength = 500;
// The longest road trip in Ghana is under 1 000 km; 3 000 km leaves room.
inline constexpr int64_t kMaxDistanceKmE1 = 30'000;
// GH₵ 1 per litre per km is far above any freight rate.
inline constexpr int64_t kMaxRatePerLitreKmE4 = 1'000'000;

std::string FormatQuantity(int64_t milli);
std::string FormatMoney(int64_t pesewas);
std::string FormatDistance(int64_t km_e1);
// At least two decimals, the other trailing zeros dropped: "0.0017", "0.20".
std::string FormatRate(int64_t rate_e4);
nlohmann::json OptionalText(const std::optional<std::string>& text);
nlohmann::json OptionalDistance(const std::optional<int64_t>& km_e1);

// A depot's name as routes match it: trimmed, upper-case ASCII.
std::string DepotKey(std::string_view depot);

const http::Principal& CallerOf(const http::RequestContext& ctx);

// Routes of the module: reads need uppf.read, writes uppf.write.
using Handler = Result<http::Reply> (*)(const UppfDeps&, http::RequestContext&);
http::Route ReadRoute(std::string pattern, std::string name, const UppfDeps& deps, Handler handler);
http::Route WriteRoute(http::Method method, std::string pattern, std::string name,
                       const UppfDeps& deps, Handler handler);

// The change's audit note and its outbox event (events::RecordChange).
Result<void> RecordChange(const UppfDeps& deps, http::RequestContext& ctx, db::Transaction& tx,
                          std::string type, std::string aggregate_type, const Uuid& id,
                          const nlohmann::json& state);

// Today's date (UTC, which is Ghana's time) by the injected clock.
std::string Today(const UppfDeps& deps);

}  // namespace omc::uppf
