#include "domains/pricing/window_buildup.hpp"

#include "domains/pricing/buildup.hpp"
#include "platform/base/assert.hpp"

namespace omc::pricing {

// The OMC's own margin lines (marketer's, dealer's) are what a margins proposal replaces;
// every other line (ex-refinery, taxes, levies, regulated margins such as UPPF, BOST, PDM and
// the premix admin cost) stays as NPA's build-up has it.
Result<std::optional<int64_t>> RegulatedExPump(db::Transaction& tx, const TenantId& tenant,
                                               const Uuid& product, int32_t day) {
    OMC_ASSIGN_OR_RETURN(const std::optional<BuildUp> build_up,
                         BuildUpAt(tx, tenant, product, day));
    if (!build_up) return std::optional<int64_t>();
    int64_t own_margins = 0;
    for (const BuildUpLine& line : build_up->lines) {
        if (line.kind == ComponentKind::kOmcMargin || line.kind == ComponentKind::kDealerMargin) {
            ERP_ASSERT(line.subtotal == Subtotal::kExPump, "the OMC's margins add to ex-pump");
            own_margins += line.amount;
        }
    }
    return std::optional<int64_t>(build_up->ex_pump - own_margins);
}

}  // namespace omc::pricing
