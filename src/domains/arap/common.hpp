// What every receivables-and-payables handler shares: its dependencies, route builders, the JSON
// number forms and a few request helpers.
//
// API number forms (as the forecourt's): money is GH₵ with 2 decimals as a string ("150.25";
// stored as pesewas), quantities are litres with up to 3 decimals ("10000.000"; millilitres),
// unit prices are GH₵ per litre with up to 6 decimals ("14.95"; 10^-4 pesewa, NPA's scale).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace omc::arap {

struct ArapDeps {
    IdGenerator* ids = nullptr;
    const Clock* clock = nullptr;
};

inline constexpr int kMoneyScale = 2;
inline constexpr int kQuantityScale = 3;
inline constexpr int kUnitPriceScale = 6;
inline constexpr size_t kNameMaxLength = 120;
inline constexpr size_t kTextMaxLength = 128;
// GH₵ 1 billion: beyond any fleet account's limit or any one document.
inline constexpr int64_t kMaxMoneyPesewas = 100'000'000'000;
// 10 million litres: beyond any purchase order.
inline constexpr int64_t kMaxQuantityMilli = 10'000'000'000;
// GH₵ 1 000 per litre.
inline constexpr int64_t kMaxUnitPrice = 1'000'000'000;
inline constexpr int64_t kMaxTermsDays = 365;
inline constexpr size_t kMaxAllocations = 200;
inline constexpr size_t kMaxDeliveriesPerInvoice = 50;
// An invoice covers at most a year of sales.
inline constexpr int64_t kMaxInvoicePeriodDays = 366;
inline constexpr int64_t kUsPerDay = 86'400LL * 1'000'000;

std::string FormatMoney(int64_t pesewas);
std::string FormatQuantity(int64_t milli);
std::string FormatUnitPrice(int64_t raw);
nlohmann::json OptionalText(const std::optional<std::string>& text);
nlohmann::json OptionalId(const std::optional<Uuid>& id);
nlohmann::json OptionalMoney(const std::optional<int64_t>& pesewas);

const http::Principal& CallerOf(const http::RequestContext& ctx);

using Handler = Result<http::Reply> (*)(const ArapDeps&, http::RequestContext&);
// A route needing `permission`; POSTs honour Idempotency-Key.
http::Route Route(http::Method method, std::string pattern, std::string name,
                  std::string permission, const ArapDeps& deps, Handler handler);

// The change's audit note and its outbox event (events::RecordChange).
Result<void> RecordChange(const ArapDeps& deps, http::RequestContext& ctx, db::Transaction& tx,
                          std::string type, std::string aggregate_type, const Uuid& id,
                          const nlohmann::json& state);

// Today's date (UTC, which is Ghana's time) by the injected clock.
std::string Today(const ArapDeps& deps);
// `date` plus `days` ("2026-01-31" + 30 = "2026-03-02"); `date` must parse.
std::string AddDays(const std::string& date, int64_t days);
// Whole days from `from` to `to` (both must parse).
int64_t DaysBetween(const std::string& from, const std::string& to);
// A date query parameter, or `fallback` when absent; kInvalidArgument naming it when malformed.
Result<std::string> DateParam(const http::RequestContext& ctx, std::string_view name,
                              const std::string& fallback);

// Unique violations of a create become 409 naming `field`.
Result<void> InsertOrConflict(db::Transaction& tx, const db::Query& query, const db::Params& params,
                              std::string_view field, std::string_view message);

}  // namespace omc::arap
