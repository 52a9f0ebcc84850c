// Routes of the reports module: the NPA monthly returns.
#include <string>

#include "domains/identity/identity_api.hpp"
#include "domains/reports/npa_returns.hpp"
#include "domains/reports/reports.hpp"
#include "platform/base/assert.hpp"
#include "platform/http/params.hpp"
#include "platform/report/report_reply.hpp"

namespace omc::reports {
namespace {

// The request's month, format and stations (the one named by ?station=, else every station the
// caller sees).
struct ReportRequest {
    report::Format format = report::Format::kJson;
    report::Period period;
    std::vector<identity::StationRef> stations;
    bool whole_tenant = false;
};

Result<ReportRequest> ParseRequest(http::RequestContext& ctx, db::Transaction& tx) {
    ERP_ASSERT(ctx.principal().has_value(), "report routes are authenticated");
    const http::Principal& caller = *ctx.principal();
    ReportRequest r;
    OMC_ASSIGN_OR_RETURN(r.format, report::RequestedFormat(ctx.request()));
    const std::optional<std::string> month = ctx.request().QueryParam("month");
    if (!month) return InvalidArgument("month", "required: YYYY-MM");
    OMC_ASSIGN_OR_RETURN(r.period, report::MonthPeriod(*month));
    OMC_ASSIGN_OR_RETURN(const std::optional<Uuid> station, http::QueryUuid(ctx, "station"));
    if (station) {
        OMC_ASSIGN_OR_RETURN(const auto found, identity::FindVisibleStation(tx, caller, *station));
        if (!found) return NotFound("station");
        r.stations.push_back(*found);
    } else {
        OMC_ASSIGN_OR_RETURN(r.stations, identity::VisibleStations(tx, caller, &r.whole_tenant));
    }
    return r;
}

Result<http::Reply> NpaSalesRoute(http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const ReportRequest r, ParseRequest(ctx, *tx));
    OMC_ASSIGN_OR_RETURN(const NpaSales sales,
                         ComputeNpaSales(*tx, ctx.tenant(), r.period, r.stations, r.whole_tenant));
    if (r.format == report::Format::kJson) return http::Answer(NpaSalesJson(sales));
    return report::FileReply(NpaSalesReport(sales), r.format, "npa-sales-" + r.period.month);
}

Result<http::Reply> NpaStockRoute(http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const ReportRequest r, ParseRequest(ctx, *tx));
    OMC_ASSIGN_OR_RETURN(const NpaStock stock,
                         ComputeNpaStock(*tx, ctx.tenant(), r.period, r.stations, r.whole_tenant));
    if (r.format == report::Format::kJson) return http::Answer(NpaStockJson(stock));
    return report::FileReply(NpaStockReport(stock), r.format, "npa-stock-" + r.period.month);
}

}  // namespace

void RegisterReportRoutes(http::Router& router) {
    using http::Method;
    router.Add(http::TenantRoute(Method::kGet, "/api/v1/reports/npa/sales", "reports.npa_sales",
                                 "reports.read", NpaSalesRoute));
    router.Add(http::TenantRoute(Method::kGet, "/api/v1/reports/npa/stock", "reports.npa_stock",
                                 "reports.read", NpaStockRoute));
}

}  // namespace omc::reports
