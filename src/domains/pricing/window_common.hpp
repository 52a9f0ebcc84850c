// What the pricing-window handlers share (windows, floors, zones, proposals, holidays,
// history): their dependencies, route helpers and errors. Prices on the wire are the
// forecourt's form: GH₵ per litre or kg with up to 6 decimals ("14.95"), stored as
// ten-thousandths of a pesewa (domains/forecourt/common.hpp).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "domains/pricing/windows.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/http/router.hpp"

namespace omc::pricing {

struct WindowDeps {
    IdGenerator* ids = nullptr;
    const Clock* clock = nullptr;
};

// GH₵ 10,000 per unit: far above any fuel price (the forecourt's bound).
inline constexpr int64_t kMaxUnitPrice = 10'000LL * 1'000'000;
inline constexpr size_t kReasonMaxLength = 500;
inline constexpr size_t kNoteMaxLength = 500;
inline constexpr size_t kReferenceMaxLength = 200;

using WindowHandler = Result<http::Reply> (*)(const WindowDeps&, http::RequestContext&);
// A route of the pricing module: authenticated, tenant-owned, with `permission`. GET routes are
// reads; a POST honours Idempotency-Key.
http::Route PricingRoute(http::Method method, std::string pattern, std::string name,
                         std::string permission, const WindowDeps& deps, WindowHandler handler);

// The change's outbox event and audit note (events::RecordChange).
Result<void> RecordPricingChange(const WindowDeps& deps, http::RequestContext& ctx,
                                 db::Transaction& tx, std::string type, std::string aggregate_type,
                                 const Uuid& id, const nlohmann::json& state);

// A window named in the {id} path parameter: kInvalidArgument ("id") when malformed.
Result<PriceWindow> PathWindow(const http::RequestContext& ctx);
// A window named by a body or query field: nullopt when the text is not a window.
inline constexpr std::string_view kWindowFormat =
    "must be a window such as 2026-12-1 (1st-15th), 2026-12-2 (16th-end) or its first day "
    "2026-12-16";

Error FieldConflict(std::string field, std::string message);
Error FieldUnprocessable(std::string field, std::string message);

// Today in Ghana (days since 1970-01-01).
int32_t GhanaDay(TimestampUs now);

}  // namespace omc::pricing
