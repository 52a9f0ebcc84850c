#include "domains/pricing/window_proposals.hpp"

#include <functional>
#include <set>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "domains/forecourt/catalog.hpp"
#include "domains/forecourt/common.hpp"
#include "domains/identity/identity_api.hpp"
#include "domains/pricing/window_buildup.hpp"
#include "platform/base/assert.hpp"
#include "platform/events/outbox.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/params.hpp"

namespace omc::pricing {
namespace {

using forecourt::FormatUnitPrice;
using forecourt::kUnitPriceScale;
using forecourt::OptionalId;
using forecourt::OptionalText;
using nlohmann::json;

#define OMC_PROPOSAL_COLUMNS                                                                    \
    "id, window_start, status, note, proposed_by, proposed_at_us, decided_by, decided_at_us, "  \
    "reason, scheduled_at_us, in_force_at_us, submitted_by, submitted_at_us, submission_late, " \
    "withdrawn_by, withdrawn_at_us"

constexpr db::Query kProposalsBetween{"pricing.proposals_between",
                                      "SELECT " OMC_PROPOSAL_COLUMNS R"sql(
    FROM pricing_proposals
    WHERE tenant_id = $1 AND window_start >= $2 AND window_start <= $3
    ORDER BY window_start, proposed_at_us, id)sql"};
constexpr db::Query kActiveProposal{"pricing.active_proposal", "SELECT " OMC_PROPOSAL_COLUMNS R"sql(
    FROM pricing_proposals
    WHERE tenant_id = $1 AND window_start = $2
      AND status IN ('approved', 'scheduled', 'in_force'))sql"};
// Locks the proposal for a transition (concurrent approvals of one list wait here).
constexpr db::Query kLockProposal{"pricing.lock_proposal", R"sql(
    UPDATE pricing_proposals SET status = status WHERE tenant_id = $1 AND id = $2
    RETURNING )sql" OMC_PROPOSAL_COLUMNS};
constexpr db::Query kFindProposal{"pricing.find_proposal", "SELECT " OMC_PROPOSAL_COLUMNS R"sql(
    FROM pricing_proposals WHERE tenant_id = $1 AND id = $2)sql"};
// $4 window start, $5 status (each optional).
constexpr db::Query kListProposals{"pricing.list_proposals", "SELECT " OMC_PROPOSAL_COLUMNS R"sql(
    FROM pricing_proposals
    WHERE tenant_id = $1 AND id > $2
      AND (window_start = $4 OR CAST($4 AS TEXT) IS NULL)
      AND (status = $5 OR CAST($5 AS TEXT) IS NULL)
    ORDER BY id LIMIT $3)sql"};
constexpr db::Query kInsertProposal{"pricing.insert_proposal", R"sql(
    INSERT INTO pricing_proposals (tenant_id, id, window_start, status, note, proposed_by,
                                   proposed_at_us)
    VALUES ($1, $2, $3, 'proposed', $4, $5, $6))sql"};
constexpr db::Query kDecideProposal{"pricing.decide_proposal", R"sql(
    UPDATE pricing_proposals SET status = $3, decided_by = $4, decided_at_us = $5, reason = $6
    WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kWithdrawProposal{"pricing.withdraw_proposal", R"sql(
    UPDATE pricing_proposals SET status = 'withdrawn', withdrawn_by = $3, withdrawn_at_us = $4,
                                 reason = $5
    WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kScheduleProposal{"pricing.schedule_proposal", R"sql(
    UPDATE pricing_proposals SET status = 'scheduled', scheduled_by = $3, scheduled_at_us = $4
    WHERE tenant_id = $1 AND id = $2 AND status = 'approved')sql"};
constexpr db::Query kSubmitProposal{"pricing.submit_proposal", R"sql(
    UPDATE pricing_proposals SET submitted_by = $3, submitted_at_us = $4, submission_late = $5
    WHERE tenant_id = $1 AND id = $2)sql"};
// Every scheduled list whose window has started ($2: today, Ghana time) comes into force.
constexpr db::Query kActivate{"pricing.activate_proposals", R"sql(
    UPDATE pricing_proposals SET status = 'in_force', in_force_at_us = $3
    WHERE tenant_id = $1 AND status = 'scheduled' AND window_start <= $2
    RETURNING id, window_start)sql"};

#undef OMC_PROPOSAL_COLUMNS

constexpr db::Query kInsertLine{"pricing.insert_proposal_line", R"sql(
    INSERT INTO pricing_proposal_lines (tenant_id, proposal_id, line_no, product_id, scope,
                                        zone_id, station_id, mode, unit_price,
                                        regulated_unit_price, marketer_margin, dealer_margin)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12))sql"};
constexpr db::Query kLines{"pricing.proposal_lines", R"sql(
    SELECT line_no, product_id, scope, zone_id, station_id, mode, unit_price,
           regulated_unit_price, marketer_margin, dealer_margin
    FROM pricing_proposal_lines WHERE tenant_id = $1 AND proposal_id = $2 ORDER BY line_no)sql"};

constexpr db::Query kFloorsOf{"pricing.floors_of", R"sql(
    SELECT product_id, unit_price FROM pricing_floors
    WHERE tenant_id = $1 AND window_start = $2)sql"};

constexpr db::Query kFindZone{"pricing.find_zone", R"sql(
    SELECT id, code, name, created_at_us, updated_at_us FROM pricing_zones
    WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kLockZone{"pricing.lock_zone", R"sql(
    UPDATE pricing_zones SET updated_at_us = updated_at_us WHERE tenant_id = $1 AND id = $2
    RETURNING id, code, name, created_at_us, updated_at_us)sql"};
constexpr db::Query kListZones{"pricing.list_zones", R"sql(
    SELECT id, code, name, created_at_us, updated_at_us FROM pricing_zones
    WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3)sql"};
constexpr db::Query kZoneCodeTaken{
    "pricing.zone_code_taken", "SELECT 1 FROM pricing_zones WHERE tenant_id = $1 AND code = $2"};
constexpr db::Query kInsertZone{"pricing.insert_zone", R"sql(
    INSERT INTO pricing_zones (tenant_id, id, code, name, created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $5))sql"};
constexpr db::Query kUpdateZone{"pricing.update_zone", R"sql(
    UPDATE pricing_zones SET name = $3, updated_at_us = $4 WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kZoneStations{"pricing.zone_stations", R"sql(
    SELECT station_id FROM pricing_zone_stations WHERE tenant_id = $1 AND zone_id = $2
    ORDER BY station_id)sql"};
constexpr db::Query kZoneOfStation{"pricing.zone_of_station", R"sql(
    SELECT zone_id FROM pricing_zone_stations WHERE tenant_id = $1 AND station_id = $2)sql"};
constexpr db::Query kClearZone{"pricing.clear_zone",
                               "DELETE FROM pricing_zone_stations WHERE tenant_id = $1 AND "
                               "zone_id = $2"};
constexpr db::Query kAddZoneStation{"pricing.add_zone_station", R"sql(
    INSERT INTO pricing_zone_stations (tenant_id, zone_id, station_id) VALUES ($1, $2, $3))sql"};

// The forecourt's price table, written here by scheduling (the pricing workflow is what the
// table was made for, migration 0006): the stations that have a price of their own for the
// product (they would keep it over a network price), and the insert.
constexpr db::Query kStationsWithOwnPrice{"pricing.stations_with_own_price", R"sql(
    SELECT DISTINCT station_id FROM station_prices
    WHERE tenant_id = $1 AND product_id = $2 AND station_id IS NOT NULL)sql"};
constexpr db::Query kInsertStationPrice{"pricing.insert_station_price", R"sql(
    INSERT INTO station_prices (tenant_id, id, product_id, station_id, unit_price,
                                effective_from_us, created_by, created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8))sql"};

Proposal ProposalFromRow(const db::Row& row) {
    Proposal p;
    p.id = row.Id(0);
    p.window_start = row.Text(1);
    p.status = row.Text(2);
    p.note = row.OptText(3);
    p.proposed_by = row.Text(4);
    p.proposed_at_us = row.Int(5);
    p.decided_by = row.OptText(6);
    p.decided_at_us = row.OptInt(7);
    p.reason = row.OptText(8);
    p.scheduled_at_us = row.OptInt(9);
    p.in_force_at_us = row.OptInt(10);
    p.submitted_by = row.OptText(11);
    p.submitted_at_us = row.OptInt(12);
    if (!row.IsNull(13)) p.submission_late = row.Bool(13);
    if (!row.IsNull(14)) p.withdrawn_by = row.Text(14);
    if (!row.IsNull(15)) p.withdrawn_at_us = row.Int(15);
    return p;
}

json OptionalTime(const std::optional<TimestampUs>& t) {
    return t ? json(FormatTimestamp(*t)) : json(nullptr);
}
json OptionalPrice(const std::optional<int64_t>& p) {
    return p ? json(FormatUnitPrice(*p)) : json(nullptr);
}

json LineJson(const ProposalLine& l) {
    return json{{"line_no", l.line_no},
                {"product_id", l.product_id.ToString()},
                {"scope", l.scope},
                {"zone_id", OptionalId(l.zone_id)},
                {"station_id", OptionalId(l.station_id)},
                {"mode", l.mode},
                {"unit_price", FormatUnitPrice(l.unit_price)},
                {"regulated_unit_price", OptionalPrice(l.regulated_unit_price)},
                {"marketer_margin", OptionalPrice(l.marketer_margin)},
                {"dealer_margin", OptionalPrice(l.dealer_margin)}};
}

Result<Proposal> LockedProposal(db::Transaction& tx, const TenantId& tenant, const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kLockProposal, {tenant, id}));
    if (rows.empty()) return NotFound("price proposal");
    return ProposalFromRow(rows[0]);
}

PriceWindow WindowOf(const Proposal& p) {
    const std::optional<PriceWindow> w = ParseWindowId(p.window_start);
    ERP_INVARIANT(w.has_value(), "a stored window start is a window's first day");
    return *w;
}

// Every line at or above NPA's floor for its product in the window (a product without a floor
// is not floored: NPA floors only the deregulated products). 422 naming each line below.
Result<void> CheckFloors(db::Transaction& tx, const TenantId& tenant, const Proposal& p) {
    OMC_ASSIGN_OR_RETURN(const auto floors, FloorsOf(tx, tenant, p.window_start));
    std::vector<FieldError> below;
    for (size_t i = 0; i < p.lines.size(); ++i) {
        const ProposalLine& line = p.lines[i];
        const auto floor = floors.find(line.product_id);
        if (floor == floors.end() || line.unit_price >= floor->second) continue;
        const std::string field = line.mode == "margins" ? "marketer_margin" : "unit_price";
        below.push_back({fmt::format("lines[{}].{}", i, field),
                         fmt::format("the ex-pump price {} is below NPA's price floor of {} for "
                                     "window {}",
                                     FormatUnitPrice(line.unit_price),
                                     FormatUnitPrice(floor->second), WindowId(WindowOf(p)))});
    }
    if (below.empty()) return Ok();
    return Error(ErrorCode::kUnprocessable, "below the NPA price floor", std::move(below));
}

Error StatusConflict(const Proposal& p, std::string_view wanted) {
    return FieldConflict(
        "status", fmt::format("is {}; only a {} price list can be moved so", p.status, wanted));
}

Result<void> RequireNotStarted(const WindowDeps& deps, const Proposal& p) {
    if (WindowStartUs(WindowOf(p)) <= deps.clock->NowUs()) {
        return FieldConflict("window", "has already started");
    }
    return Ok();
}

// ---- reading a proposal body ----

struct LineInput {
    ProposalLine line;
    std::optional<int64_t> unit_price;
};

std::vector<LineInput> ReadLines(http::JsonBody& body) {
    std::vector<LineInput> out;
    for (http::JsonBody& l : body.RequiredObjectArray("lines", 1, kMaxProposalLines)) {
        l.RejectUnknown({"product_id", "zone_id", "station_id", "unit_price", "marketer_margin",
                         "dealer_margin"});
        LineInput in;
        in.line.line_no = static_cast<int64_t>(out.size()) + 1;
        in.line.product_id = l.RequiredUuid("product_id");
        in.line.zone_id = l.OptionalUuid("zone_id");
        in.line.station_id = l.OptionalUuid("station_id");
        in.unit_price = l.OptionalDecimal("unit_price", kUnitPriceScale, 1, kMaxUnitPrice);
        in.line.marketer_margin =
            l.OptionalDecimal("marketer_margin", kUnitPriceScale, 0, kMaxUnitPrice);
        in.line.dealer_margin =
            l.OptionalDecimal("dealer_margin", kUnitPriceScale, 0, kMaxUnitPrice);
        if (in.line.zone_id && in.line.station_id) {
            l.AddError("station_id", "give a zone_id or a station_id, not both");
        }
        in.line.scope = in.line.zone_id ? "zone" : in.line.station_id ? "station" : "network";
        const bool margins = l.Has("marketer_margin") || l.Has("dealer_margin");
        if (margins && l.Has("unit_price")) {
            l.AddError("unit_price", "give a unit_price or the margins, not both");
        } else if (margins && !(l.Has("marketer_margin") && l.Has("dealer_margin"))) {
            l.AddError(l.Has("marketer_margin") ? "dealer_margin" : "marketer_margin",
                       "is required with the other margin");
        } else if (!margins && !l.Has("unit_price")) {
            l.AddError("unit_price", "is required (or marketer_margin and dealer_margin)");
        }
        in.line.mode = margins ? "margins" : "price";
        out.push_back(std::move(in));
    }
    // One price per product and place.
    std::set<std::tuple<Uuid, std::string, std::string>> seen;
    for (size_t i = 0; i < out.size(); ++i) {
        const ProposalLine& line = out[i].line;
        const std::string target =
            line.zone_id ? line.zone_id->ToString()
                         : (line.station_id ? line.station_id->ToString() : std::string());
        if (!seen.insert({line.product_id, line.scope, target}).second) {
            body.AddError(fmt::format("lines[{}].product_id", i),
                          "the same product and place appear twice");
        }
    }
    return out;
}

// Checks the references of each line and fixes its price (margins on top of the build-up).
Result<void> ResolveLines(db::Transaction& tx, const http::RequestContext& ctx,
                          const PriceWindow& window, std::vector<LineInput>& inputs,
                          std::vector<ProposalLine>& lines) {
    std::vector<FieldError> errors;
    for (size_t i = 0; i < inputs.size(); ++i) {
        LineInput& in = inputs[i];
        const std::string prefix = fmt::format("lines[{}].", i);
        OMC_ASSIGN_OR_RETURN(const std::optional<forecourt::Product> product,
                             forecourt::FindProduct(tx, ctx.tenant(), in.line.product_id));
        if (!product || product->kind != forecourt::ProductKind::kFuel) {
            errors.push_back({prefix + "product_id", "no such fuel product"});
            continue;
        }
        if (in.line.zone_id) {
            OMC_ASSIGN_OR_RETURN(const db::Rows zone,
                                 tx.Query(kFindZone, {ctx.tenant(), *in.line.zone_id}));
            if (zone.empty()) errors.push_back({prefix + "zone_id", "no such price zone"});
        }
        if (in.line.station_id) {
            OMC_ASSIGN_OR_RETURN(
                const std::optional<identity::StationRef> station,
                identity::FindVisibleStation(tx, forecourt::CallerOf(ctx), *in.line.station_id));
            if (!station) errors.push_back({prefix + "station_id", "no such station"});
        }
        if (in.line.mode == "margins") {
            OMC_ASSIGN_OR_RETURN(
                const std::optional<int64_t> regulated,
                RegulatedExPump(tx, ctx.tenant(), in.line.product_id, window.first_day));
            if (!regulated) {
                errors.push_back({prefix + "marketer_margin",
                                  "no price build-up for this product on " +
                                      WindowStartDate(window) + "; give a unit_price"});
                continue;
            }
            in.line.regulated_unit_price = *regulated;
            in.line.unit_price = *regulated + *in.line.marketer_margin + *in.line.dealer_margin;
            if (in.line.unit_price <= 0 || in.line.unit_price > kMaxUnitPrice) {
                errors.push_back({prefix + "marketer_margin", "gives an impossible price"});
                continue;
            }
        } else {
            in.line.unit_price = *in.unit_price;
        }
        lines.push_back(in.line);
    }
    if (errors.empty()) return Ok();
    return Error(ErrorCode::kUnprocessable, "unknown reference", std::move(errors));
}

// ---- handlers ----

Result<http::Reply> CreateProposal(const WindowDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"window", "note", "lines"});
    const std::string window_text = body.RequiredString("window", 10);
    const std::optional<std::string> note = body.OptionalString("note", kNoteMaxLength);
    std::vector<LineInput> inputs = ReadLines(body);
    const std::optional<PriceWindow> window = ParseWindowId(window_text);
    if (!body.HasErrors() && !window) body.AddError("window", std::string(kWindowFormat));
    OMC_TRY(body.Finish());
    const TimestampUs now = deps.clock->NowUs();
    if (WindowStartUs(*window) <= now) {
        return FieldUnprocessable("window",
                                  "has already started: a window in the past cannot "
                                  "get proposals");
    }
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    Proposal p;
    p.id = deps.ids->NewV7();
    p.window_start = WindowStartDate(*window);
    p.status = "proposed";
    p.note = note;
    p.proposed_by = forecourt::CallerOf(ctx).subject;
    p.proposed_at_us = now;
    OMC_TRY(ResolveLines(*tx, ctx, *window, inputs, p.lines));
    OMC_TRY(CheckFloors(*tx, ctx.tenant(), p));
    OMC_TRY(tx->Execute(kInsertProposal, {ctx.tenant(), p.id, p.window_start, p.note, p.proposed_by,
                                          p.proposed_at_us}));
    for (const ProposalLine& l : p.lines) {
        OMC_TRY(tx->Execute(
            kInsertLine,
            {ctx.tenant(), p.id, l.line_no, l.product_id, l.scope, l.zone_id, l.station_id, l.mode,
             l.unit_price, l.regulated_unit_price, l.marketer_margin, l.dealer_margin}));
    }
    json state = ProposalJson(p);
    OMC_TRY(RecordPricingChange(deps, ctx, *tx, "pricing.proposal_created", "price_proposal", p.id,
                                state));
    return http::Created(std::move(state), "/api/v1/pricing/proposals", p.id);
}

Result<http::Reply> ListProposals(const WindowDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, http::PageAfter(page));
    std::optional<std::string> window_start;
    if (const auto text = ctx.request().QueryParam("window")) {
        const std::optional<PriceWindow> w = ParseWindowId(*text);
        if (!w) return InvalidArgument("window", std::string(kWindowFormat));
        window_start = WindowStartDate(*w);
    }
    const std::optional<std::string> status = ctx.request().QueryParam("status");
    if (status && *status != "proposed" && *status != "approved" && *status != "scheduled" &&
        *status != "in_force" && *status != "rejected" && *status != "withdrawn") {
        return InvalidArgument("status",
                               "must be one of: proposed, approved, scheduled, in_force, "
                               "rejected, withdrawn");
    }
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(
        const db::Rows rows,
        tx->Query(kListProposals, {ctx.tenant(), after, page.limit + 1, window_start, status}));
    std::vector<Proposal> proposals;
    for (const db::Row& row : rows) proposals.push_back(ProposalFromRow(row));
    for (Proposal& p : proposals) OMC_TRY(LoadLines(*tx, ctx.tenant(), p));
    return http::PageReply(std::move(proposals), page.limit, ProposalJson);
}

Result<http::Reply> GetProposal(const WindowDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx->Query(kFindProposal, {ctx.tenant(), id}));
    if (rows.empty()) return NotFound("price proposal");
    Proposal p = ProposalFromRow(rows[0]);
    OMC_TRY(LoadLines(*tx, ctx.tenant(), p));
    return http::Answer(ProposalJson(p));
}

Result<http::Reply> Decided(const WindowDeps& deps, http::RequestContext& ctx, db::Transaction& tx,
                            Proposal& p, std::string status, std::optional<std::string> reason,
                            std::string event) {
    p.status = std::move(status);
    p.decided_by = forecourt::CallerOf(ctx).subject;
    p.decided_at_us = deps.clock->NowUs();
    p.reason = std::move(reason);
    OMC_TRY(tx.Execute(kDecideProposal,
                       {ctx.tenant(), p.id, p.status, p.decided_by, p.decided_at_us, p.reason}));
    OMC_TRY(LoadLines(tx, ctx.tenant(), p));
    json state = ProposalJson(p);
    OMC_TRY(RecordPricingChange(deps, ctx, tx, std::move(event), "price_proposal", p.id, state));
    return http::Answer(std::move(state));
}

Result<http::Reply> ApproveProposal(const WindowDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(Proposal p, LockedProposal(*tx, ctx.tenant(), id));
    if (p.status != "proposed") return StatusConflict(p, "proposed");
    OMC_TRY(RequireNotStarted(deps, p));
    OMC_ASSIGN_OR_RETURN(const std::optional<Proposal> active,
                         ActiveProposal(*tx, ctx.tenant(), p.window_start));
    if (active) {
        return FieldConflict("window", "already has an " + active->status + " price list (" +
                                           active->id.ToString() + ")");
    }
    OMC_TRY(LoadLines(*tx, ctx.tenant(), p));
    OMC_TRY(CheckFloors(*tx, ctx.tenant(), p));  // NPA may have set a floor since
    return Decided(deps, ctx, *tx, p, "approved", std::nullopt, "pricing.proposal_approved");
}

Result<std::string> ReadReason(http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"reason"});
    std::string reason = body.RequiredString("reason", kReasonMaxLength);
    OMC_TRY(body.Finish());
    return reason;
}

Result<http::Reply> RejectProposal(const WindowDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(std::string reason, ReadReason(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(Proposal p, LockedProposal(*tx, ctx.tenant(), id));
    if (p.status != "proposed") return StatusConflict(p, "proposed");
    return Decided(deps, ctx, *tx, p, "rejected", std::move(reason), "pricing.proposal_rejected");
}

Result<http::Reply> WithdrawProposal(const WindowDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(std::string reason, ReadReason(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(Proposal p, LockedProposal(*tx, ctx.tenant(), id));
    if (p.status != "proposed" && p.status != "approved") {
        return StatusConflict(p, "proposed or approved");
    }
    // The approval (if any) stays: who approved the list and when is part of its history.
    p.status = "withdrawn";
    p.withdrawn_by = forecourt::CallerOf(ctx).subject;
    p.withdrawn_at_us = deps.clock->NowUs();
    p.reason = std::move(reason);
    OMC_TRY(tx->Execute(kWithdrawProposal,
                        {ctx.tenant(), p.id, p.withdrawn_by, p.withdrawn_at_us, p.reason}));
    OMC_TRY(LoadLines(*tx, ctx.tenant(), p));
    json state = ProposalJson(p);
    OMC_TRY(RecordPricingChange(deps, ctx, *tx, "pricing.proposal_withdrawn", "price_proposal",
                                p.id, state));
    return http::Answer(std::move(state));
}

// The station_prices rows a list expands to, per product: the network price (station NULL),
// then each station's own: station lines first, then zone members, then, when the network
// price changes, the stations that hold a price of their own (which would otherwise win over
// the new network price: forecourt::PriceAt prefers a station's row).
struct PriceRow {
    Uuid product_id;
    std::optional<Uuid> station_id;
    int64_t unit_price = 0;
};

Result<std::vector<PriceRow>> Expand(db::Transaction& tx, const TenantId& tenant,
                                     const Proposal& p) {
    std::vector<PriceRow> rows;
    std::set<Uuid> products;
    for (const ProposalLine& l : p.lines) products.insert(l.product_id);
    for (const Uuid& product : products) {
        std::map<Uuid, int64_t> stations;  // station -> price
        std::optional<int64_t> network;
        for (const ProposalLine& l : p.lines) {
            if (l.product_id != product) continue;
            if (l.scope == "station") stations[*l.station_id] = l.unit_price;
            if (l.scope == "network") network = l.unit_price;
        }
        for (const ProposalLine& l : p.lines) {
            if (l.product_id != product || l.scope != "zone") continue;
            OMC_ASSIGN_OR_RETURN(const db::Rows members,
                                 tx.Query(kZoneStations, {tenant, *l.zone_id}));
            for (const db::Row& m : members) stations.emplace(m.Id(0), l.unit_price);
        }
        if (network) {
            rows.push_back({product, std::nullopt, *network});
            OMC_ASSIGN_OR_RETURN(const db::Rows own,
                                 tx.Query(kStationsWithOwnPrice, {tenant, product}));
            for (const db::Row& s : own) stations.emplace(s.Id(0), *network);
        }
        for (const auto& [station, price] : stations) rows.push_back({product, station, price});
    }
    return rows;
}

Result<http::Reply> ScheduleProposal(const WindowDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(Proposal p, LockedProposal(*tx, ctx.tenant(), id));
    if (p.status != "approved") return StatusConflict(p, "approved");
    OMC_TRY(RequireNotStarted(deps, p));
    OMC_TRY(LoadLines(*tx, ctx.tenant(), p));
    OMC_TRY(CheckFloors(*tx, ctx.tenant(), p));
    const PriceWindow window = WindowOf(p);
    const TimestampUs from = WindowStartUs(window);
    const TimestampUs now = deps.clock->NowUs();
    const std::string by = forecourt::CallerOf(ctx).subject;
    OMC_ASSIGN_OR_RETURN(const std::vector<PriceRow> rows, Expand(*tx, ctx.tenant(), p));
    json prices = json::array();
    for (const PriceRow& r : rows) {
        const Uuid price_id = deps.ids->NewV7();
        OMC_TRY(tx->Execute(kInsertStationPrice, {ctx.tenant(), price_id, r.product_id,
                                                  r.station_id, r.unit_price, from, by, now}));
        prices.push_back({{"price_id", price_id.ToString()},
                          {"product_id", r.product_id.ToString()},
                          {"station_id", OptionalId(r.station_id)},
                          {"unit_price", FormatUnitPrice(r.unit_price)}});
    }
    OMC_TRY(tx->Execute(kScheduleProposal, {ctx.tenant(), p.id, by, now}));
    p.status = "scheduled";
    p.scheduled_at_us = now;
    // The announcement to stations: every price they will charge from the window's start.
    OMC_TRY(RecordPricingChange(deps, ctx, *tx, "pricing.prices_scheduled", "price_proposal", p.id,
                                json{{"proposal_id", p.id.ToString()},
                                     {"window", WindowId(window)},
                                     {"effective_from", FormatTimestamp(from)},
                                     {"prices", prices}}));
    json state = ProposalJson(p);
    state["prices"] = std::move(prices);
    return http::Answer(std::move(state));
}

// Every scheduled list of `tenant` whose window has started comes into force; `record` writes
// each one's pricing.prices_in_force event. Returns the lists, as their events carry them.
Result<std::vector<std::pair<Uuid, json>>> ActivateDue(
    db::Transaction& tx, const TenantId& tenant, TimestampUs now,
    const std::function<Result<void>(const Uuid&, const json&)>& record) {
    const std::string today = FormatDate(int64_t{GhanaDay(now)} * kUsPerDay);
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kActivate, {tenant, today, now}));
    std::vector<std::pair<Uuid, json>> activated;
    for (const db::Row& row : rows) {
        const std::optional<PriceWindow> w = ParseWindowId(row.Text(1));
        ERP_INVARIANT(w.has_value(), "a stored window start is a window's first day");
        json state{{"proposal_id", row.Id(0).ToString()},
                   {"window", WindowId(*w)},
                   {"in_force_from", FormatTimestamp(WindowStartUs(*w))}};
        OMC_TRY(record(row.Id(0), state));
        activated.emplace_back(row.Id(0), std::move(state));
    }
    return activated;
}

// The tenants with a scheduled list whose window has started ($1: today, Ghana time), read as
// the platform (every tenant) by the background sweep.
constexpr db::Query kTenantsWithDueLists{"pricing.tenants_with_due_lists", R"sql(
    SELECT DISTINCT tenant_id FROM pricing_proposals
    WHERE status = 'scheduled' AND window_start <= $1)sql"};

// The sweep by hand: the caller's tenant (one pricing.prices_in_force event per list).
// Idempotent; the App runs the same for every tenant each minute (SweepPricesInForce).
Result<http::Reply> Activate(const WindowDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(
        const auto lists,
        ActivateDue(*tx, ctx.tenant(), deps.clock->NowUs(), [&](const Uuid& id, const json& state) {
            return RecordPricingChange(deps, ctx, *tx, "pricing.prices_in_force", "price_proposal",
                                       id, state);
        }));
    json activated = json::array();
    for (const auto& [id, state] : lists) activated.push_back(state);
    // One audit record for the sweep (RecordChange noted the last list only).
    ctx.audit().entity_type = "price_proposal";
    ctx.audit().entity_id.clear();
    ctx.audit().summary = json{{"activated", activated}};
    return http::Answer(json{{"activated", std::move(activated)}});
}

// ---- zones ----

json ZoneJson(const db::Row& row, const std::vector<Uuid>& stations) {
    json ids = json::array();
    for (const Uuid& s : stations) ids.push_back(s.ToString());
    return json{{"id", row.Id(0).ToString()},
                {"code", row.Text(1)},
                {"name", row.Text(2)},
                {"station_ids", std::move(ids)},
                {"created_at", FormatTimestamp(row.Int(3))},
                {"updated_at", FormatTimestamp(row.Int(4))}};
}

Result<std::vector<Uuid>> ZoneStations(db::Transaction& tx, const TenantId& tenant,
                                       const Uuid& zone) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kZoneStations, {tenant, zone}));
    std::vector<Uuid> out;
    for (const db::Row& row : rows) out.push_back(row.Id(0));
    return out;
}

// Replaces the zone's stations: each must exist and belong to no other zone.
Result<void> SetZoneStations(db::Transaction& tx, const http::RequestContext& ctx, const Uuid& zone,
                             const std::vector<Uuid>& stations) {
    std::vector<FieldError> errors;
    std::set<Uuid> seen;
    for (size_t i = 0; i < stations.size(); ++i) {
        const std::string field = fmt::format("station_ids[{}]", i);
        if (!seen.insert(stations[i]).second) {
            return InvalidArgument(field, "appears twice");
        }
        OMC_ASSIGN_OR_RETURN(
            const std::optional<identity::StationRef> station,
            identity::FindVisibleStation(tx, forecourt::CallerOf(ctx), stations[i]));
        if (!station) return FieldUnprocessable(field, "no such station");
        OMC_ASSIGN_OR_RETURN(const db::Rows other,
                             tx.Query(kZoneOfStation, {ctx.tenant(), stations[i]}));
        if (!other.empty() && other[0].Id(0) != zone) {
            return FieldConflict(field, "already belongs to zone " + other[0].Id(0).ToString());
        }
    }
    OMC_TRY(tx.Execute(kClearZone, {ctx.tenant(), zone}));
    for (const Uuid& s : stations) OMC_TRY(tx.Execute(kAddZoneStation, {ctx.tenant(), zone, s}));
    return Ok();
}

Result<http::Reply> CreateZone(const WindowDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"code", "name", "station_ids"});
    const std::string code_text = body.RequiredString("code", 32);
    const std::string name_text = body.RequiredString("name", 120);
    const std::vector<Uuid> stations =
        body.Has("station_ids") ? body.RequiredUuidArray("station_ids", 0, kMaxProposalLines)
                                : std::vector<Uuid>{};
    const std::optional<std::string> code = identity::NormaliseCode(code_text);
    const std::optional<std::string> name = identity::NormaliseName(name_text);
    if (!body.HasErrors() && !code) body.AddError("code", "1-32 letters, digits, _ or -");
    if (!body.HasErrors() && !name) body.AddError("name", "must not be blank");
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows taken, tx->Query(kZoneCodeTaken, {ctx.tenant(), *code}));
    if (!taken.empty()) return FieldConflict("code", "is taken");
    const Uuid id = deps.ids->NewV7();
    OMC_TRY(tx->Execute(kInsertZone, {ctx.tenant(), id, *code, *name, deps.clock->NowUs()}));
    OMC_TRY(SetZoneStations(*tx, ctx, id, stations));
    OMC_ASSIGN_OR_RETURN(const db::Rows row, tx->Query(kFindZone, {ctx.tenant(), id}));
    json state = ZoneJson(row[0], stations);
    OMC_TRY(RecordPricingChange(deps, ctx, *tx, "pricing.zone_created", "price_zone", id, state));
    return http::Created(std::move(state), "/api/v1/pricing/zones", id);
}

Result<http::Reply> UpdateZone(const WindowDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"name", "station_ids"});
    const std::optional<std::string> name_text = body.OptionalString("name", 120);
    const std::optional<std::vector<Uuid>> stations =
        body.Has("station_ids") ? std::optional<std::vector<Uuid>>(
                                      body.RequiredUuidArray("station_ids", 0, kMaxProposalLines))
                                : std::nullopt;
    const std::optional<std::string> name =
        name_text ? identity::NormaliseName(*name_text) : std::nullopt;
    if (!body.HasErrors() && name_text && !name) body.AddError("name", "must not be blank");
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows locked, tx->Query(kLockZone, {ctx.tenant(), id}));
    if (locked.empty()) return NotFound("price zone");
    const TimestampUs now = deps.clock->NowUs();
    OMC_TRY(tx->Execute(kUpdateZone, {ctx.tenant(), id, name.value_or(locked[0].Text(2)), now}));
    if (stations) OMC_TRY(SetZoneStations(*tx, ctx, id, *stations));
    OMC_ASSIGN_OR_RETURN(const db::Rows row, tx->Query(kFindZone, {ctx.tenant(), id}));
    OMC_ASSIGN_OR_RETURN(const std::vector<Uuid> members, ZoneStations(*tx, ctx.tenant(), id));
    json state = ZoneJson(row[0], members);
    OMC_TRY(RecordPricingChange(deps, ctx, *tx, "pricing.zone_updated", "price_zone", id, state));
    return http::Answer(std::move(state));
}

Result<http::Reply> GetZone(const WindowDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows row, tx->Query(kFindZone, {ctx.tenant(), id}));
    if (row.empty()) return NotFound("price zone");
    OMC_ASSIGN_OR_RETURN(const std::vector<Uuid> members, ZoneStations(*tx, ctx.tenant(), id));
    return http::Answer(ZoneJson(row[0], members));
}

struct ZoneItem {
    Uuid id;
    json body;
};

Result<http::Reply> ListZones(const WindowDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, http::PageAfter(page));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kListZones, {ctx.tenant(), after, page.limit + 1}));
    std::vector<ZoneItem> zones;
    for (const db::Row& row : rows) {
        OMC_ASSIGN_OR_RETURN(const std::vector<Uuid> members,
                             ZoneStations(*tx, ctx.tenant(), row.Id(0)));
        zones.push_back({row.Id(0), ZoneJson(row, members)});
    }
    return http::PageReply(std::move(zones), page.limit, [](const ZoneItem& z) { return z.body; });
}

}  // namespace

Result<std::vector<Proposal>> ProposalsBetween(db::Transaction& tx, const TenantId& tenant,
                                               const std::string& first, const std::string& last) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kProposalsBetween, {tenant, first, last}));
    std::vector<Proposal> out;
    for (const db::Row& row : rows) out.push_back(ProposalFromRow(row));
    return out;
}

Result<std::optional<Proposal>> ActiveProposal(db::Transaction& tx, const TenantId& tenant,
                                               const std::string& window_start) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kActiveProposal, {tenant, window_start}));
    ERP_ASSERT(rows.size() <= 1, "at most one active price list per window");
    if (rows.empty()) return std::optional<Proposal>();
    return std::optional<Proposal>(ProposalFromRow(rows[0]));
}

Result<void> LoadLines(db::Transaction& tx, const TenantId& tenant, Proposal& proposal) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kLines, {tenant, proposal.id}));
    proposal.lines.clear();
    for (const db::Row& row : rows) {
        proposal.lines.push_back(ProposalLine{.line_no = row.Int(0),
                                              .product_id = row.Id(1),
                                              .scope = row.Text(2),
                                              .zone_id = row.OptId(3),
                                              .station_id = row.OptId(4),
                                              .mode = row.Text(5),
                                              .unit_price = row.Int(6),
                                              .regulated_unit_price = row.OptInt(7),
                                              .marketer_margin = row.OptInt(8),
                                              .dealer_margin = row.OptInt(9)});
    }
    return Ok();
}

Result<void> MarkSubmitted(db::Transaction& tx, const TenantId& tenant, const Uuid& proposal,
                           const std::string& by, TimestampUs at_us, bool late) {
    OMC_TRY(tx.Execute(kSubmitProposal, {tenant, proposal, by, at_us, late}));
    return Ok();
}

Result<std::map<Uuid, int64_t>> FloorsOf(db::Transaction& tx, const TenantId& tenant,
                                         const std::string& window_start) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kFloorsOf, {tenant, window_start}));
    std::map<Uuid, int64_t> floors;
    for (const db::Row& row : rows) floors[row.Id(0)] = row.Int(1);
    return floors;
}

json ProposalJson(const Proposal& p) {
    json lines = json::array();
    for (const ProposalLine& l : p.lines) lines.push_back(LineJson(l));
    const std::optional<PriceWindow> w = ParseWindowId(p.window_start);
    return json{{"id", p.id.ToString()},
                {"window", w ? WindowId(*w) : p.window_start},
                {"window_start", p.window_start},
                {"status", p.status},
                {"note", OptionalText(p.note)},
                {"proposed_by", p.proposed_by},
                {"proposed_at", FormatTimestamp(p.proposed_at_us)},
                {"decided_by", OptionalText(p.decided_by)},
                {"decided_at", OptionalTime(p.decided_at_us)},
                {"reason", OptionalText(p.reason)},
                {"scheduled_at", OptionalTime(p.scheduled_at_us)},
                {"in_force_at", OptionalTime(p.in_force_at_us)},
                {"submitted_by", OptionalText(p.submitted_by)},
                {"submitted_at", OptionalTime(p.submitted_at_us)},
                {"submission_late", p.submission_late ? json(*p.submission_late) : json(nullptr)},
                {"withdrawn_by", OptionalText(p.withdrawn_by)},
                {"withdrawn_at", OptionalTime(p.withdrawn_at_us)},
                {"lines", std::move(lines)}};
}

void RegisterProposalRoutes(http::Router& router, const WindowDeps& deps) {
    using http::Method;
    router.Add(PricingRoute(Method::kGet, "/api/v1/pricing/proposals", "pricing.proposals.list",
                            "pricing.read", deps, ListProposals));
    router.Add(PricingRoute(Method::kPost, "/api/v1/pricing/proposals", "pricing.proposals.create",
                            "pricing.write", deps, CreateProposal));
    router.Add(PricingRoute(Method::kGet, "/api/v1/pricing/proposals/{id}", "pricing.proposals.get",
                            "pricing.read", deps, GetProposal));
    router.Add(PricingRoute(Method::kPost, "/api/v1/pricing/proposals/{id}/approve",
                            "pricing.proposals.approve", "pricing.approve", deps, ApproveProposal));
    router.Add(PricingRoute(Method::kPost, "/api/v1/pricing/proposals/{id}/reject",
                            "pricing.proposals.reject", "pricing.approve", deps, RejectProposal));
    router.Add(PricingRoute(Method::kPost, "/api/v1/pricing/proposals/{id}/withdraw",
                            "pricing.proposals.withdraw", "pricing.write", deps, WithdrawProposal));
    router.Add(PricingRoute(Method::kPost, "/api/v1/pricing/proposals/{id}/schedule",
                            "pricing.proposals.schedule", "pricing.approve", deps,
                            ScheduleProposal));
    router.Add(PricingRoute(Method::kPost, "/api/v1/pricing/windows/activate",
                            "pricing.windows.activate", "pricing.write", deps, Activate));
}

void RegisterZoneRoutes(http::Router& router, const WindowDeps& deps) {
    using http::Method;
    router.Add(PricingRoute(Method::kGet, "/api/v1/pricing/zones", "pricing.zones.list",
                            "pricing.read", deps, ListZones));
    router.Add(PricingRoute(Method::kPost, "/api/v1/pricing/zones", "pricing.zones.create",
                            "pricing.write", deps, CreateZone));
    router.Add(PricingRoute(Method::kGet, "/api/v1/pricing/zones/{id}", "pricing.zones.get",
                            "pricing.read", deps, GetZone));
    router.Add(PricingRoute(Method::kPatch, "/api/v1/pricing/zones/{id}", "pricing.zones.update",
                            "pricing.write", deps, UpdateZone));
}

Result<int64_t> SweepPricesInForce(db::Database& database, IdGenerator& ids, const Clock& clock) {
    const TimestampUs now = clock.NowUs();
    const std::string today = FormatDate(int64_t{GhanaDay(now)} * kUsPerDay);
    OMC_ASSIGN_OR_RETURN(
        const db::Rows tenants,
        db::InTransaction(
            database, db::TxOptions{.system = true, .read_only = true},
            [&](db::Transaction& tx) { return tx.Query(kTenantsWithDueLists, {today}); }));
    int64_t activated = 0;
    for (const db::Row& row : tenants) {
        const TenantId tenant{row.Id(0)};
        OMC_ASSIGN_OR_RETURN(
            const auto lists,
            db::InTransaction(database, db::TxOptions{.tenant = tenant}, [&](db::Transaction& tx) {
                return ActivateDue(
                    tx, tenant, now, [&](const Uuid& id, const json& state) -> Result<void> {
                        OMC_TRY(
                            events::AppendEvent(tx, tenant, ids, clock,
                                                events::NewEvent{.type = "pricing.prices_in_force",
                                                                 .aggregate_type = "price_proposal",
                                                                 .aggregate_id = id.ToString(),
                                                                 .payload = state}));
                        return Ok();
                    });
            }));
        activated += static_cast<int64_t>(lists.size());
    }
    return activated;
}

}  // namespace omc::pricing
