#include "domains/uppf/claims.hpp"

#include <algorithm>
#include <map>
#include <span>
#include <utility>
#include <vector>

#include "domains/forecourt/forecourt_api.hpp"
#include "domains/identity/identity_api.hpp"
#include "domains/ledger/chart.hpp"
#include "domains/ledger/ledger.hpp"
#include "domains/ledger/posting_ids.hpp"
#include "domains/uppf/claim_export.hpp"
#include "domains/uppf/claim_line.hpp"
#include "domains/uppf/claim_model.hpp"
#include "domains/uppf/settings.hpp"
#include "platform/base/assert.hpp"
#include "platform/events/outbox.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/params.hpp"
#include "platform/report/report_reply.hpp"

namespace omc::uppf {
namespace {

using nlohmann::json;

constexpr size_t kPeriodLength = 7;  // "YYYY-MM"

#define OMC_CLAIM_COLUMNS                                                             \
    "id, period, status, note, submitted_by, submitted_at_us, submission_reference, " \
    "created_by, created_at_us, updated_at_us"
constexpr db::Query kInsertClaim{
    "uppf.insert_claim", "INSERT INTO uppf_claims (tenant_id, " OMC_CLAIM_COLUMNS
                         ") VALUES ($1, $2, $3, 'draft', $4, NULL, NULL, NULL, $5, $6, $6)"};
constexpr db::Query kFindClaim{"uppf.find_claim",
                               "SELECT " OMC_CLAIM_COLUMNS
                               " FROM uppf_claims WHERE tenant_id = $1 AND id = $2"};
constexpr db::Query kListClaims{"uppf.list_claims", "SELECT " OMC_CLAIM_COLUMNS R"sql(
    FROM uppf_claims WHERE tenant_id = $1 AND id > $2 AND (status = $4 OR $4 IS NULL)
    ORDER BY id LIMIT $3)sql"};
#undef OMC_CLAIM_COLUMNS
constexpr db::Query kPeriodTaken{"uppf.claim_period_taken", R"sql(
    SELECT id FROM uppf_claims WHERE tenant_id = $1 AND period = $2)sql"};
constexpr db::Query kSetStatus{"uppf.set_claim_status", R"sql(
    UPDATE uppf_claims SET status = $3, updated_at_us = $4 WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kTouchClaim{"uppf.touch_claim", R"sql(
    UPDATE uppf_claims SET updated_at_us = $3 WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kSubmitClaim{"uppf.submit_claim", R"sql(
    UPDATE uppf_claims SET status = 'submitted', submitted_by = $3, submitted_at_us = $4,
                           submission_reference = $5, updated_at_us = $4
    WHERE tenant_id = $1 AND id = $2 AND status = 'draft')sql"};
constexpr db::Query kClaimTotals{"uppf.claim_totals", R"sql(
    SELECT COUNT(*), COALESCE(SUM(amount_pesewas), 0), COALESCE(SUM(claimable_pesewas), 0),
           COALESCE(SUM(CASE WHEN diverted THEN 1 ELSE 0 END), 0)
    FROM uppf_claim_lines WHERE tenant_id = $1 AND claim_id = $2)sql"};
constexpr db::Query kSettledTotal{"uppf.claim_settled_total", R"sql(
    SELECT COUNT(*), COALESCE(SUM(amount_pesewas), 0)
    FROM uppf_settlements WHERE tenant_id = $1 AND claim_id = $2)sql"};

#define OMC_LINE_COLUMNS                                                                      \
    "id, claim_id, delivery_id, station_id, intended_station_id, route_id, rate_id, "         \
    "loading_date, depot, bdc, product_id, product_code, loaded_milli, received_milli, "      \
    "quantity_basis, claimed_milli, brv_registration, transporter, omc_order_no, "            \
    "omc_invoice_no, waybill_no, distance_km_e1, paid_distance_km_e1, rate_per_litre_km_e4, " \
    "amount_pesewas, claimable_pesewas, diverted, exclusion, created_by, created_at_us"
constexpr db::Query kInsertLine{"uppf.insert_claim_line",
                                "INSERT INTO uppf_claim_lines (tenant_id, " OMC_LINE_COLUMNS R"sql()
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
            $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31))sql"};
constexpr db::Query kClaimLines{"uppf.claim_lines", "SELECT " OMC_LINE_COLUMNS R"sql(
    FROM uppf_claim_lines WHERE tenant_id = $1 AND claim_id = $2
    ORDER BY loading_date, id)sql"};
constexpr db::Query kFindLine{"uppf.find_claim_line", "SELECT " OMC_LINE_COLUMNS R"sql(
    FROM uppf_claim_lines WHERE tenant_id = $1 AND claim_id = $2 AND id = $3)sql"};
#undef OMC_LINE_COLUMNS
constexpr db::Query kDeleteLine{"uppf.delete_claim_line", R"sql(
    DELETE FROM uppf_claim_lines WHERE tenant_id = $1 AND claim_id = $2 AND id = $3)sql"};
constexpr db::Query kDeliveryClaimed{"uppf.delivery_claimed", R"sql(
    SELECT l.id, c.period FROM uppf_claim_lines l
    JOIN uppf_claims c ON c.tenant_id = l.tenant_id AND c.id = l.claim_id
    WHERE l.tenant_id = $1 AND l.delivery_id = $2)sql"};
// The same waybill from the same depot claimed for another station: the same trip twice (a
// split trip into two tanks of one station is two deliveries of one waybill, and is allowed).
constexpr db::Query kWaybillClaimed{"uppf.waybill_claimed", R"sql(
    SELECT l.id, c.period FROM uppf_claim_lines l
    JOIN uppf_claims c ON c.tenant_id = l.tenant_id AND c.id = l.claim_id
    WHERE l.tenant_id = $1 AND l.waybill_no = $2 AND UPPER(TRIM(l.depot)) = $3 AND l.station_id <> $4
    LIMIT 1)sql"};
constexpr db::Query kInsertSettlement{"uppf.insert_settlement", R"sql(
    INSERT INTO uppf_settlements (tenant_id, id, claim_id, amount_pesewas, settled_on, reference,
                                  final, note, recorded_by, recorded_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10))sql"};
constexpr db::Query kSettlements{"uppf.claim_settlements", R"sql(
    SELECT id, amount_pesewas, settled_on, reference, final, note, recorded_by, recorded_at_us
    FROM uppf_settlements WHERE tenant_id = $1 AND claim_id = $2
    ORDER BY settled_on, id)sql"};

struct Claim {
    Uuid id;
    std::string period;
    ClaimStatus status = ClaimStatus::kDraft;
    std::optional<std::string> note;
    std::optional<std::string> submitted_by;
    std::optional<int64_t> submitted_at_us;
    std::optional<std::string> submission_reference;
    std::string created_by;
    TimestampUs created_at_us = 0;
    TimestampUs updated_at_us = 0;
};

Claim ClaimFromRow(const db::Row& row) {
    const std::optional<ClaimStatus> status = ParseClaimStatus(row.Text(2));
    ERP_INVARIANT(status.has_value(), "a stored claim status is known");
    return Claim{.id = row.Id(0),
                 .period = row.Text(1),
                 .status = *status,
                 .note = row.OptText(3),
                 .submitted_by = row.OptText(4),
                 .submitted_at_us = row.OptInt(5),
                 .submission_reference = row.OptText(6),
                 .created_by = row.Text(7),
                 .created_at_us = row.Int(8),
                 .updated_at_us = row.Int(9)};
}

ClaimLine LineFromRow(const db::Row& row) {
    return ClaimLine{.id = row.Id(0),
                     .claim_id = row.Id(1),
                     .delivery_id = row.Id(2),
                     .station_id = row.Id(3),
                     .intended_station_id = row.Id(4),
                     .route_id = row.IsNull(5) ? std::nullopt : std::optional(row.Id(5)),
                     .rate_id = row.Id(6),
                     .loading_date = row.Text(7),
                     .depot = row.Text(8),
                     .bdc = row.Text(9),
                     .product_id = row.Id(10),
                     .product_code = row.Text(11),
                     .loaded_milli = row.Int(12),
                     .received_milli = row.Int(13),
                     .quantity_basis = row.Text(14),
                     .claimed_milli = row.Int(15),
                     .brv_registration = row.Text(16),
                     .transporter = row.Text(17),
                     .omc_order_no = row.Text(18),
                     .omc_invoice_no = row.Text(19),
                     .waybill_no = row.Text(20),
                     .distance_km_e1 = row.Int(21),
                     .paid_distance_km_e1 = row.Int(22),
                     .rate_per_litre_km_e4 = row.Int(23),
                     .amount_pesewas = row.Int(24),
                     .claimable_pesewas = row.Int(25),
                     .diverted = row.Bool(26),
                     .exclusion = row.OptText(27),
                     .created_by = row.Text(28),
                     .created_at_us = row.Int(29)};
}

json LineJson(const ClaimLine& l) {
    return json{{"id", l.id.ToString()},
                {"claim_id", l.claim_id.ToString()},
                {"delivery_id", l.delivery_id.ToString()},
                {"loading_date", l.loading_date},
                {"depot", l.depot},
                {"bdc", l.bdc},
                {"product_id", l.product_id.ToString()},
                {"product_code", l.product_code},
                {"loaded_volume", FormatQuantity(l.loaded_milli)},
                {"intended_station_id", l.intended_station_id.ToString()},
                {"station_id", l.station_id.ToString()},
                {"brv_registration", l.brv_registration},
                {"transporter", l.transporter},
                {"omc_order_no", l.omc_order_no},
                {"omc_invoice_no", l.omc_invoice_no},
                {"waybill_no", l.waybill_no},
                {"received_volume", FormatQuantity(l.received_milli)},
                {"quantity_basis", l.quantity_basis},
                {"claimed_volume", FormatQuantity(l.claimed_milli)},
                {"route_id", l.route_id ? json(l.route_id->ToString()) : json(nullptr)},
                {"distance_km", FormatDistance(l.distance_km_e1)},
                {"paid_distance_km", FormatDistance(l.paid_distance_km_e1)},
                {"rate_id", l.rate_id.ToString()},
                {"rate_per_litre_km", FormatRate(l.rate_per_litre_km_e4)},
                {"amount", FormatMoney(l.amount_pesewas)},
                {"claimable_amount", FormatMoney(l.claimable_pesewas)},
                {"diverted", l.diverted},
                {"exclusion", OptionalText(l.exclusion)},
                {"created_by", l.created_by},
                {"created_at", FormatTimestamp(l.created_at_us)}};
}

struct Totals {
    int64_t lines = 0;
    int64_t amount_pesewas = 0;
    int64_t claimable_pesewas = 0;
    int64_t diverted_lines = 0;
    int64_t settlements = 0;
    int64_t settled_pesewas = 0;
};

Result<Totals> LoadTotals(db::Transaction& tx, const TenantId& tenant, const Uuid& claim) {
    OMC_ASSIGN_OR_RETURN(const db::Rows lines, tx.Query(kClaimTotals, {tenant, claim}));
    OMC_ASSIGN_OR_RETURN(const db::Rows paid, tx.Query(kSettledTotal, {tenant, claim}));
    return Totals{.lines = lines[0].Int(0),
                  .amount_pesewas = lines[0].Int(1),
                  .claimable_pesewas = lines[0].Int(2),
                  .diverted_lines = lines[0].Int(3),
                  .settlements = paid[0].Int(0),
                  .settled_pesewas = paid[0].Int(1)};
}

json ClaimJson(const Claim& c, const Totals& t) {
    // What NPA did not pay of a claim closed as settled (a final settlement short of the total).
    const int64_t outstanding = t.claimable_pesewas - t.settled_pesewas;
    const bool closed = c.status == ClaimStatus::kSettled;
    return json{{"id", c.id.ToString()},
                {"period", c.period},
                {"status", std::string(ClaimStatusName(c.status))},
                {"note", OptionalText(c.note)},
                {"line_count", t.lines},
                {"diverted_line_count", t.diverted_lines},
                {"amount", FormatMoney(t.amount_pesewas)},
                {"claimable_amount", FormatMoney(t.claimable_pesewas)},
                {"settled_amount", FormatMoney(t.settled_pesewas)},
                {"outstanding_amount", FormatMoney(closed ? 0 : outstanding)},
                {"shortfall_amount", FormatMoney(closed ? outstanding : 0)},
                {"submitted_by", OptionalText(c.submitted_by)},
                {"submitted_at",
                 c.submitted_at_us ? json(FormatTimestamp(*c.submitted_at_us)) : json(nullptr)},
                {"submission_reference", OptionalText(c.submission_reference)},
                {"created_by", c.created_by},
                {"created_at", FormatTimestamp(c.created_at_us)},
                {"updated_at", FormatTimestamp(c.updated_at_us)}};
}

Result<std::vector<ClaimLine>> LoadLines(db::Transaction& tx, const TenantId& tenant,
                                         const Uuid& claim) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kClaimLines, {tenant, claim}));
    std::vector<ClaimLine> lines;
    for (const db::Row& row : rows) lines.push_back(LineFromRow(row));
    return lines;
}

Result<json> SettlementsJson(db::Transaction& tx, const TenantId& tenant, const Uuid& claim) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kSettlements, {tenant, claim}));
    json items = json::array();
    for (const db::Row& row : rows) {
        items.push_back(json{{"id", row.Id(0).ToString()},
                             {"amount", FormatMoney(row.Int(1))},
                             {"settled_on", row.Text(2)},
                             {"reference", row.Text(3)},
                             {"final", row.Bool(4)},
                             {"note", OptionalText(row.OptText(5))},
                             {"recorded_by", row.Text(6)},
                             {"recorded_at", FormatTimestamp(row.Int(7))}});
    }
    return items;
}

// The claim with its totals, lines and settlements.
Result<json> FullClaimJson(db::Transaction& tx, const TenantId& tenant, const Claim& c) {
    OMC_ASSIGN_OR_RETURN(const Totals totals, LoadTotals(tx, tenant, c.id));
    json out = ClaimJson(c, totals);
    OMC_ASSIGN_OR_RETURN(const std::vector<ClaimLine> lines, LoadLines(tx, tenant, c.id));
    json items = json::array();
    for (const ClaimLine& l : lines) items.push_back(LineJson(l));
    out["lines"] = std::move(items);
    OMC_ASSIGN_OR_RETURN(out["settlements"], SettlementsJson(tx, tenant, c.id));
    return out;
}

Result<Claim> FindClaim(db::Transaction& tx, const TenantId& tenant, const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kFindClaim, {tenant, id}));
    if (rows.empty()) return NotFound("claim");
    return ClaimFromRow(rows[0]);
}

// The claim, its row locked for the rest of the transaction (an UPDATE that only stamps it):
// two settlements, or a line and the submission, of one claim run one after the other, so the
// totals and the status each reads are the ones it changes.
Result<Claim> LockClaim(db::Transaction& tx, const TenantId& tenant, const Uuid& id,
                        TimestampUs now) {
    OMC_TRY(tx.Execute(kTouchClaim, {tenant, id, now}));
    return FindClaim(tx, tenant, id);
}

Error NotDraft(const Claim& c) {
    return Error(ErrorCode::kConflict, "claim not in draft",
                 {{"id", "the claim is " + std::string(ClaimStatusName(c.status)) +
                             ": lines are added and removed only while it is draft"}});
}

// ---- periods ----

Result<http::Reply> CreateClaim(const UppfDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"id", "period", "note"});
    const Uuid id = body.OptionalUuid("id").value_or(deps.ids->NewV7());
    const std::string period = body.RequiredString("period", kPeriodLength);
    const std::optional<std::string> note = body.OptionalString("note", kNoteMaxLength);
    if (!period.empty() && !ParseClaimPeriod(period)) {
        body.AddError("period", "must be a month YYYY-MM such as 2026-11");
    }
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows taken, tx->Query(kPeriodTaken, {ctx.tenant(), period}));
    if (!taken.empty()) {
        return Error(
            ErrorCode::kConflict, "claim period exists",
            {{"period", "the claim for this month exists (" + taken[0].Id(0).ToString() + ")"}});
    }
    OMC_TRY(tx->Execute(kInsertClaim, {ctx.tenant(), id, period, note, CallerOf(ctx).subject,
                                       deps.clock->NowUs()}));
    OMC_ASSIGN_OR_RETURN(const Claim c, FindClaim(*tx, ctx.tenant(), id));
    OMC_ASSIGN_OR_RETURN(json state, FullClaimJson(*tx, ctx.tenant(), c));
    OMC_TRY(RecordChange(deps, ctx, *tx, "uppf.claim_created", "uppf_claim", id, state));
    return http::Created(std::move(state), "/api/v1/uppf/claims", id);
}

Result<http::Reply> ListClaims(const UppfDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, http::PageAfter(page));
    const std::optional<std::string> status = ctx.request().QueryParam("status");
    if (status && !ParseClaimStatus(*status)) {
        return InvalidArgument("status", "must be draft, submitted, partly_settled or settled");
    }
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kListClaims, {ctx.tenant(), after, page.limit + 1, status}));
    std::vector<Claim> claims;
    for (const db::Row& row : rows) claims.push_back(ClaimFromRow(row));
    std::optional<std::string> next_cursor;
    if (claims.size() > static_cast<size_t>(page.limit)) {
        claims.resize(static_cast<size_t>(page.limit));
        next_cursor = claims.back().id.ToString();
    }
    json items = json::array();
    for (const Claim& c : claims) {
        OMC_ASSIGN_OR_RETURN(const Totals totals, LoadTotals(*tx, ctx.tenant(), c.id));
        items.push_back(ClaimJson(c, totals));
    }
    return http::Reply::PageOf(std::move(items), std::move(next_cursor));
}

Result<http::Reply> GetClaim(const UppfDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Claim c, FindClaim(*tx, ctx.tenant(), id));
    OMC_ASSIGN_OR_RETURN(json state, FullClaimJson(*tx, ctx.tenant(), c));
    return http::Answer(std::move(state));
}

// ---- lines ----

struct LineRequest {
    std::optional<Uuid> id;
    Uuid delivery_id;
    Uuid intended_station_id;
    std::string omc_order_no;
    std::string omc_invoice_no;
};

Result<LineRequest> ParseLine(const http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown(
        {"id", "delivery_id", "intended_station_id", "omc_order_no", "omc_invoice_no"});
    LineRequest r;
    r.id = body.OptionalUuid("id");
    r.delivery_id = body.RequiredUuid("delivery_id");
    r.intended_station_id = body.RequiredUuid("intended_station_id");
    r.omc_order_no = body.RequiredString("omc_order_no", kTextMaxLength);
    r.omc_invoice_no = body.RequiredString("omc_invoice_no", kTextMaxLength);
    OMC_TRY(body.Finish());
    return r;
}

Error Unreceived(std::string message) {
    return Error(ErrorCode::kUnprocessable, "no delivery evidence",
                 {{"delivery_id", std::move(message)}});
}

// The evidence rules: a delivery the caller sees, received at its station with both dips on
// record, loaded no later than the period's last day, and not claimed before (409).
Result<forecourt::DeliveryEvidence> Evidence(db::Transaction& tx, const http::RequestContext& ctx,
                                             const Claim& claim, const Uuid& delivery_id) {
    OMC_ASSIGN_OR_RETURN(const std::optional<forecourt::DeliveryEvidence> found,
                         forecourt::FindDeliveryEvidence(tx, ctx.tenant(), delivery_id));
    if (!found) return Unreceived("no such delivery: no claim without a received delivery");
    OMC_ASSIGN_OR_RETURN(const std::optional<identity::StationRef> station,
                         identity::FindVisibleStation(tx, CallerOf(ctx), found->station_id));
    if (!station) return Unreceived("no such delivery: no claim without a received delivery");
    if (!found->dip_before_found || !found->dip_after_found) {
        return Unreceived("the delivery's dips before and after are not on record");
    }
    if (found->received_standard_milli <= 0) {
        return Unreceived("the dips show nothing received at the station");
    }
    const std::optional<ClaimPeriod> period = ParseClaimPeriod(claim.period);
    ERP_INVARIANT(period.has_value(), "a stored period parses");
    if (FormatDate(found->loaded_at_us) > period->last_day) {
        return Error(ErrorCode::kUnprocessable, "trip after the period",
                     {{"delivery_id", "loaded on " + FormatDate(found->loaded_at_us) +
                                          ", after the period " + claim.period}});
    }
    OMC_ASSIGN_OR_RETURN(const db::Rows claimed,
                         tx.Query(kDeliveryClaimed, {ctx.tenant(), delivery_id}));
    if (!claimed.empty()) {
        return Error(ErrorCode::kConflict, "trip already claimed",
                     {{"delivery_id", "is already claimed in period " + claimed[0].Text(1) +
                                          " (line " + claimed[0].Id(0).ToString() + ")"}});
    }
    OMC_ASSIGN_OR_RETURN(const db::Rows waybill,
                         tx.Query(kWaybillClaimed, {ctx.tenant(), found->waybill_no,
                                                    DepotKey(found->depot), found->station_id}));
    if (!waybill.empty()) {
        return Error(ErrorCode::kConflict, "trip already claimed",
                     {{"delivery_id", "waybill " + found->waybill_no +
                                          " is already claimed for another station in period " +
                                          waybill[0].Text(1)}});
    }
    return *found;
}

// The line's figures: the rate and the route's distance on the loading date.
Result<ClaimLine> PrepareLine(const UppfDeps& deps, db::Transaction& tx,
                              const http::RequestContext& ctx, const Claim& claim,
                              const LineRequest& req) {
    OMC_ASSIGN_OR_RETURN(const forecourt::DeliveryEvidence d,
                         Evidence(tx, ctx, claim, req.delivery_id));
    OMC_ASSIGN_OR_RETURN(const std::optional<identity::StationRef> intended,
                         identity::FindVisibleStation(tx, CallerOf(ctx), req.intended_station_id));
    if (!intended) {
        return Error(ErrorCode::kUnprocessable, "unknown reference",
                     {{"intended_station_id", "no such station"}});
    }
    const std::string loading_date = FormatDate(d.loaded_at_us);
    OMC_ASSIGN_OR_RETURN(const std::optional<RateRow> rate, RateOn(tx, ctx.tenant(), loading_date));
    if (!rate) {
        return Error(ErrorCode::kUnprocessable, "no freight rate",
                     {{"delivery_id", "no UPPF rate is in force on the loading date " +
                                          loading_date + " (POST /api/v1/uppf/rates)"}});
    }
    const bool diverted = d.station_id != req.intended_station_id;
    OMC_ASSIGN_OR_RETURN(const std::optional<RouteDistance> route,
                         RouteDistanceOn(tx, ctx.tenant(), DepotKey(d.depot),
                                         req.intended_station_id, loading_date));
    // A diversion is kept (and flagged) even without a route; a claimable trip needs one.
    if (!route && !diverted) {
        return Error(ErrorCode::kUnprocessable, "no route",
                     {{"intended_station_id", "no active route from depot '" + d.depot +
                                                  "' to this station on " + loading_date}});
    }
    OMC_ASSIGN_OR_RETURN(const TripFreight f,
                         ComputeTripFreight({.loaded_milli = d.loaded_ambient_milli,
                                             .received_milli = d.received_standard_milli,
                                             .distance_km_e1 = route ? route->distance_km_e1 : 0,
                                             .diverted = diverted},
                                            rate->rate));
    const std::string_view exclusion = ExclusionName(f.exclusion);
    return ClaimLine{
        .id = req.id.value_or(deps.ids->NewV7()),
        .claim_id = claim.id,
        .delivery_id = d.id,
        .station_id = d.station_id,
        .intended_station_id = req.intended_station_id,
        .route_id = route ? std::optional(route->route_id) : std::nullopt,
        .rate_id = rate->id,
        .loading_date = loading_date,
        .depot = d.depot,
        .bdc = d.supplier,
        .product_id = d.product_id,
        .product_code = d.product_code,
        .loaded_milli = d.loaded_ambient_milli,
        .received_milli = d.received_standard_milli,
        .quantity_basis = std::string(QuantityBasisName(rate->rate.basis)),
        .claimed_milli = f.claimed_milli,
        .brv_registration = d.brv_registration,
        .transporter = d.transporter,
        .omc_order_no = req.omc_order_no,
        .omc_invoice_no = req.omc_invoice_no,
        .waybill_no = d.waybill_no,
        .distance_km_e1 = route ? route->distance_km_e1 : 0,
        .paid_distance_km_e1 = f.paid_distance_km_e1,
        .rate_per_litre_km_e4 = rate->rate.rate_per_litre_km_e4,
        .amount_pesewas = f.amount_pesewas,
        .claimable_pesewas = f.claimable_pesewas,
        .diverted = diverted,
        .exclusion = exclusion.empty() ? std::nullopt : std::optional(std::string(exclusion)),
        .created_by = CallerOf(ctx).subject,
        .created_at_us = deps.clock->NowUs()};
}

Result<void> InsertLine(db::Transaction& tx, const TenantId& tenant, const ClaimLine& l) {
    OMC_TRY(tx.Execute(kInsertLine, {tenant,
                                     l.id,
                                     l.claim_id,
                                     l.delivery_id,
                                     l.station_id,
                                     l.intended_station_id,
                                     l.route_id,
                                     l.rate_id,
                                     l.loading_date,
                                     l.depot,
                                     l.bdc,
                                     l.product_id,
                                     l.product_code,
                                     l.loaded_milli,
                                     l.received_milli,
                                     l.quantity_basis,
                                     l.claimed_milli,
                                     l.brv_registration,
                                     l.transporter,
                                     l.omc_order_no,
                                     l.omc_invoice_no,
                                     l.waybill_no,
                                     l.distance_km_e1,
                                     l.paid_distance_km_e1,
                                     l.rate_per_litre_km_e4,
                                     l.amount_pesewas,
                                     l.claimable_pesewas,
                                     l.diverted,
                                     l.exclusion,
                                     l.created_by,
                                     l.created_at_us}));
    return Ok();
}

Result<http::Reply> AddLine(const UppfDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid claim_id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(const LineRequest req, ParseLine(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Claim claim,
                         LockClaim(*tx, ctx.tenant(), claim_id, deps.clock->NowUs()));
    if (claim.status != ClaimStatus::kDraft) return NotDraft(claim);
    OMC_ASSIGN_OR_RETURN(const ClaimLine line, PrepareLine(deps, *tx, ctx, claim, req));
    OMC_TRY(InsertLine(*tx, ctx.tenant(), line));
    json state = LineJson(line);
    OMC_TRY(RecordChange(deps, ctx, *tx, "uppf.claim_line_added", "uppf_claim", claim.id, state));
    return http::Created(std::move(state), "/api/v1/uppf/claims/" + claim.id.ToString() + "/lines",
                         line.id);
}

Result<http::Reply> RemoveLine(const UppfDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid claim_id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(const Uuid line_id, http::PathUuid(ctx, "line_id"));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Claim claim,
                         LockClaim(*tx, ctx.tenant(), claim_id, deps.clock->NowUs()));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kFindLine, {ctx.tenant(), claim.id, line_id}));
    if (rows.empty()) return NotFound("claim line");
    if (claim.status != ClaimStatus::kDraft) return NotDraft(claim);
    OMC_TRY(tx->Execute(kDeleteLine, {ctx.tenant(), claim.id, line_id}));
    json state = LineJson(LineFromRow(rows[0]));
    OMC_TRY(RecordChange(deps, ctx, *tx, "uppf.claim_line_removed", "uppf_claim", claim.id, state));
    return http::Answer(std::move(state));
}

// ---- workflow ----

Result<http::Reply> SubmitClaim(const UppfDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body,
                         http::JsonBody::Parse(ctx.request().body.empty() ? std::string_view("{}")
                                                                          : ctx.request().body));
    body.RejectUnknown({"reference"});
    const std::optional<std::string> reference = body.OptionalString("reference", kTextMaxLength);
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Claim before, LockClaim(*tx, ctx.tenant(), id, deps.clock->NowUs()));
    if (before.status != ClaimStatus::kDraft) {
        return Error(ErrorCode::kConflict, "claim already submitted",
                     {{"id", "the claim is " + std::string(ClaimStatusName(before.status)) +
                                 ": only a draft is submitted"}});
    }
    OMC_ASSIGN_OR_RETURN(const Totals totals, LoadTotals(*tx, ctx.tenant(), id));
    if (totals.lines == 0) {
        return Error(ErrorCode::kUnprocessable, "empty claim",
                     {{"id", "the claim has no lines to submit"}});
    }
    OMC_TRY(tx->Execute(kSubmitClaim,
                        {ctx.tenant(), id, CallerOf(ctx).subject, deps.clock->NowUs(), reference}));
    OMC_ASSIGN_OR_RETURN(const Claim c, FindClaim(*tx, ctx.tenant(), id));
    ERP_INVARIANT(c.status == ClaimStatus::kSubmitted, "the claim is submitted");
    // The claimable amount is receivable from NPA from submission (docs/finance.md).
    if (totals.claimable_pesewas > 0) {
        namespace chart = ledger::chart;
        const ledger::Entry entry{
            .id = ledger::DerivedEntryId(id, "uppf_claim_submitted"),
            .kind = "uppf_claim",
            .source_id = id,
            .booked_on = Today(deps),
            .memo = "UPPF claim " + c.period + " submitted",
            .lines = {{{std::string(chart::kUppfReceivable)}, totals.claimable_pesewas, 0, {}},
                      {{std::string(chart::kUppfFreightIncome)}, 0, totals.claimable_pesewas, {}}}};
        OMC_TRY(ledger::PostEntries(*tx, ctx.tenant(), std::span(&entry, 1), *deps.ids,
                                    CallerOf(ctx).subject, deps.clock->NowUs()));
    }
    OMC_ASSIGN_OR_RETURN(json state, FullClaimJson(*tx, ctx.tenant(), c));
    OMC_TRY(RecordChange(deps, ctx, *tx, "uppf.claim_submitted", "uppf_claim", id, state));
    return http::Answer(std::move(state));
}

Result<http::Reply> AddSettlement(const UppfDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"id", "amount", "settled_on", "reference", "final", "note"});
    const Uuid settlement_id = body.OptionalUuid("id").value_or(deps.ids->NewV7());
    constexpr int64_t kMaxAmount = 100'000'000'000'000;  // GH₵ 1 000 000 000 000
    const int64_t amount = body.RequiredDecimal("amount", kMoneyScale, 0, kMaxAmount);
    const std::string settled_on = body.RequiredString("settled_on", 10);
    if (!settled_on.empty() && !ParseDateDays(settled_on)) {
        body.AddError("settled_on", "must be a date YYYY-MM-DD such as 2026-11-21");
    }
    const std::string reference = body.RequiredString("reference", kTextMaxLength);
    const bool final = body.OptionalBool("final").value_or(false);
    const std::optional<std::string> note = body.OptionalString("note", kNoteMaxLength);
    OMC_TRY(body.Finish());
    if (settled_on > Today(deps)) return InvalidArgument("settled_on", "must not be in the future");
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Claim before, LockClaim(*tx, ctx.tenant(), id, deps.clock->NowUs()));
    OMC_ASSIGN_OR_RETURN(const Totals totals, LoadTotals(*tx, ctx.tenant(), id));
    OMC_ASSIGN_OR_RETURN(const ClaimStatus next,
                         SettleClaim(before.status, totals.claimable_pesewas,
                                     totals.settled_pesewas, amount, final));
    const TimestampUs now = deps.clock->NowUs();
    OMC_TRY(tx->Execute(kInsertSettlement, {ctx.tenant(), settlement_id, id, amount, settled_on,
                                            reference, final, note, CallerOf(ctx).subject, now}));
    OMC_TRY(tx->Execute(kSetStatus, {ctx.tenant(), id, std::string(ClaimStatusName(next)), now}));
    // The money in the bank against the receivable; a claim closed short writes the rest off to
    // freight (docs/finance.md). Entry id = the settlement's.
    {
        namespace chart = ledger::chart;
        const int64_t shortfall = next == ClaimStatus::kSettled
                                      ? totals.claimable_pesewas - totals.settled_pesewas - amount
                                      : 0;
        ledger::Entry entry{.id = settlement_id,
                            .kind = "uppf_settlement",
                            .source_id = id,
                            .booked_on = settled_on,
                            .memo = "UPPF settlement " + reference,
                            .lines = {}};
        if (amount > 0) entry.lines.push_back({{std::string(chart::kBank)}, amount, 0, {}});
        if (shortfall > 0) {
            entry.lines.push_back({{std::string(chart::kFreightCost)}, shortfall, 0, {}});
        }
        if (amount + std::max<int64_t>(shortfall, 0) > 0) {
            entry.lines.push_back({{std::string(chart::kUppfReceivable)},
                                   0,
                                   amount + std::max<int64_t>(shortfall, 0),
                                   {}});
            OMC_TRY(ledger::PostEntries(*tx, ctx.tenant(), std::span(&entry, 1), *deps.ids,
                                        CallerOf(ctx).subject, now));
        }
    }
    OMC_ASSIGN_OR_RETURN(const Claim c, FindClaim(*tx, ctx.tenant(), id));
    OMC_ASSIGN_OR_RETURN(json state, FullClaimJson(*tx, ctx.tenant(), c));
    state["settlement_id"] = settlement_id.ToString();
    OMC_TRY(RecordChange(deps, ctx, *tx, "uppf.settlement_recorded", "uppf_claim", id, state));
    if (next == ClaimStatus::kSettled) {
        OMC_TRY(events::AppendEvent(*tx, ctx.tenant(), *deps.ids, *deps.clock,
                                    {"uppf.claim_settled", "uppf_claim", id.ToString(), state}));
    }
    return http::Created(std::move(state), "/api/v1/uppf/claims/" + id.ToString() + "/settlements",
                         settlement_id);
}

// ---- export ----

// The claim as a report: ?format=csv|xlsx|pdf (a file) or json (the report's generic form).
Result<http::Reply> ExportClaim(const UppfDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(const report::Format format, report::RequestedFormat(ctx.request()));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Claim c, FindClaim(*tx, ctx.tenant(), id));
    OMC_ASSIGN_OR_RETURN(const Totals totals, LoadTotals(*tx, ctx.tenant(), id));
    OMC_ASSIGN_OR_RETURN(std::vector<ClaimLine> lines, LoadLines(*tx, ctx.tenant(), id));
    // Station codes and names for the intended and actual delivery points.
    std::map<Uuid, std::string> stations;
    for (const ClaimLine& l : lines) {
        for (const Uuid& s : {l.intended_station_id, l.station_id}) {
            if (stations.contains(s)) continue;
            OMC_ASSIGN_OR_RETURN(const std::optional<identity::StationRef> ref,
                                 identity::FindStation(*tx, ctx.tenant(), s));
            stations[s] = ref ? ref->code + " " + ref->name : s.ToString();
        }
    }
    const report::Report sheet = ClaimReport({.period = c.period,
                                              .status = std::string(ClaimStatusName(c.status)),
                                              .submission_reference = c.submission_reference,
                                              .amount_pesewas = totals.amount_pesewas,
                                              .claimable_pesewas = totals.claimable_pesewas,
                                              .settled_pesewas = totals.settled_pesewas,
                                              .lines = std::move(lines),
                                              .station_names = std::move(stations)});
    if (format == report::Format::kJson) return http::Answer(report::ToJson(sheet));
    return report::FileReply(sheet, format, "uppf-claim-" + c.period);
}

}  // namespace

void RegisterClaimRoutes(http::Router& router, const UppfDeps& deps) {
    using http::Method;
    router.Add(ReadRoute("/api/v1/uppf/claims", "uppf.claims.list", deps, ListClaims));
    router.Add(
        WriteRoute(Method::kPost, "/api/v1/uppf/claims", "uppf.claims.create", deps, CreateClaim));
    router.Add(ReadRoute("/api/v1/uppf/claims/{id}", "uppf.claims.get", deps, GetClaim));
    router.Add(WriteRoute(Method::kPost, "/api/v1/uppf/claims/{id}/lines", "uppf.claims.add_line",
                          deps, AddLine));
    router.Add(WriteRoute(Method::kDelete, "/api/v1/uppf/claims/{id}/lines/{line_id}",
                          "uppf.claims.remove_line", deps, RemoveLine));
    router.Add(WriteRoute(Method::kPost, "/api/v1/uppf/claims/{id}/submit", "uppf.claims.submit",
                          deps, SubmitClaim));
    router.Add(WriteRoute(Method::kPost, "/api/v1/uppf/claims/{id}/settlements",
                          "uppf.claims.settle", deps, AddSettlement));
    router.Add(
        ReadRoute("/api/v1/uppf/claims/{id}/export", "uppf.claims.export", deps, ExportClaim));
}

}  // namespace omc::uppf
