#include "domains/pricing/window_buildup.hpp"

namespace omc::pricing {

// Until the build-up (h-buildup) is merged there is no build-up to read: margins proposals are
// refused (422) and a proposal gives its ex-pump price directly. The merged version is:
//     OMC_ASSIGN_OR_RETURN(const std::optional<BuildUp> b, BuildUpAt(tx, tenant, product, day));
//     if (!b) return std::optional<int64_t>();
//     int64_t own = 0;  // the OMC's margin lines, replaced by the proposal's
//     for (const BuildUpLine& l : b->lines)
//         if (l.kind == ComponentKind::kOmcMargin || l.kind == ComponentKind::kDealerMargin)
//             own += l.amount;
//     return std::optional<int64_t>(b->ex_pump - own);
Result<std::optional<int64_t>> RegulatedExPump(db::Transaction& /*tx*/, const TenantId& /*tenant*/,
                                               const Uuid& /*product*/, int32_t /*day*/) {
    return std::optional<int64_t>();
}

}  // namespace omc::pricing
