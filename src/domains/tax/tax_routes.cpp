// Routes of the tax module: rates (list, create), the breakdown of one line, the VAT return.
#include <string>
#include <vector>

#include "domains/forecourt/forecourt_api.hpp"
#include "domains/identity/identity_api.hpp"
#include "domains/tax/tax.hpp"
#include "domains/tax/tax_model.hpp"
#include "domains/tax/tax_store.hpp"
#include "domains/tax/vat_return.hpp"
#include "platform/base/assert.hpp"
#include "platform/base/money.hpp"
#include "platform/events/record_change.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/params.hpp"
#include "platform/report/period.hpp"
#include "platform/report/report_reply.hpp"

namespace omc::tax {
namespace {

using nlohmann::json;

constexpr size_t kNameMaxLength = 120;
constexpr size_t kNoteMaxLength = 500;
// The largest line a quote takes: GH₵ 10 million.
constexpr int64_t kQuoteMaxPesewas = 1'000'000'000;
constexpr int64_t kUsPerDay = 86'400LL * 1'000'000;

struct TaxDeps {
    IdGenerator* ids = nullptr;
    const Clock* clock = nullptr;
};

const http::Principal& CallerOf(const http::RequestContext& ctx) {
    ERP_ASSERT(ctx.principal().has_value(), "tax routes are authenticated");
    return *ctx.principal();
}

json RateJson(const StoredRate& s) {
    const TaxRate& r = s.rate;
    return json{{"id", s.id ? json(s.id->ToString()) : json()},
                {"code", r.code},
                {"name", r.name},
                {"rate_bp", r.rate_bp},
                {"base", TaxBaseName(r.base)},
                {"input_deductible", r.input_deductible},
                {"valid_from", r.valid_from},
                {"valid_to", r.valid_to ? json(*r.valid_to) : json()},
                {"note", r.note ? json(*r.note) : json()}};
}

Result<http::Reply> ListRates(const TaxDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    bool defaults = false;
    OMC_ASSIGN_OR_RETURN(const std::vector<StoredRate> rates,
                         RatesInUse(*tx, ctx.tenant(), &defaults));
    json items = json::array();
    for (const StoredRate& s : rates) items.push_back(RateJson(s));
    return http::Answer(
        json{{"source", defaults ? "default" : "tenant"}, {"rates", std::move(items)}});
}

std::string DayBefore(const std::string& date) {
    return FormatDate((*ParseDateDays(date) - 1) * kUsPerDay);
}

Result<TaxRate> ParseRate(http::JsonBody& body, std::optional<Uuid>& id) {
    body.RejectUnknown({"id", "code", "name", "rate_bp", "base", "input_deductible", "valid_from",
                        "valid_to", "note"});
    TaxRate r;
    id = body.OptionalUuid("id");
    const std::string code = body.RequiredString("code", 32);
    r.name = body.RequiredString("name", kNameMaxLength);
    r.rate_bp = body.RequiredInt64("rate_bp", 0, kBasisPoints);
    const std::string base = body.RequiredEnum("base", {"value", "value_plus_levies"});
    r.input_deductible = body.RequiredBool("input_deductible");
    r.valid_from = body.RequiredString("valid_from", 10);
    r.valid_to = body.OptionalString("valid_to", 10);
    r.note = body.OptionalString("note", kNoteMaxLength);
    if (!body.HasErrors()) {
        const std::optional<std::string> normal = identity::NormaliseCode(code);
        if (!normal) body.AddError("code", "must be 1..32 of A-Z, 0-9, _ and -");
        r.code = normal.value_or("");
        r.base = ParseTaxBase(base).value_or(TaxBase::kValue);
        if (!ParseDateDays(r.valid_from)) body.AddError("valid_from", "must be a date YYYY-MM-DD");
        if (r.valid_to && !ParseDateDays(*r.valid_to)) {
            body.AddError("valid_to", "must be a date YYYY-MM-DD");
        } else if (r.valid_to && *r.valid_to < r.valid_from) {
            body.AddError("valid_to", "must not be before valid_from");
        }
    }
    OMC_TRY(body.Finish());
    return r;
}

// A new rate may not share a day with another rate of its tax, except that it supersedes an
// open-ended rate that began before it: that one is ended the day before (returned).
Result<std::optional<Uuid>> CheckOverlap(const std::vector<StoredRate>& existing,
                                         const TaxRate& rate) {
    std::optional<Uuid> superseded;
    for (const StoredRate& s : existing) {
        if (s.rate.code != rate.code || !Overlaps(s.rate, rate)) continue;
        if (!s.rate.valid_to && s.rate.valid_from < rate.valid_from && !superseded) {
            superseded = s.id;
            continue;
        }
        return Error(
            ErrorCode::kConflict, "overlapping tax rate",
            {{"valid_from", "overlaps the " + s.rate.code + " rate valid from " +
                                s.rate.valid_from + " to " + s.rate.valid_to.value_or("(open)")}});
    }
    return superseded;
}

// Two writes of one tenant's rates must not both pass the overlap check. PostgreSQL: each takes
// this transaction-scoped lock on the tenant's rates first, so the second reads the first's row.
// SQLite runs one write transaction at a time already.
constexpr db::Query kLockRates{"tax.lock_rates",
                               "SELECT pg_advisory_xact_lock(hashtext('tax_rates:' || $1::text))"};

Result<http::Reply> CreateRate(const TaxDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    std::optional<Uuid> id;
    OMC_ASSIGN_OR_RETURN(const TaxRate rate, ParseRate(body, id));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    const std::string& who = CallerOf(ctx).subject;
    const TimestampUs now = deps.clock->NowUs();
    if (tx->engine() == db::Engine::kPostgres) OMC_TRY(tx->Query(kLockRates, {ctx.tenant()}));
    bool defaults = false;
    OMC_ASSIGN_OR_RETURN(std::vector<StoredRate> existing,
                         RatesInUse(*tx, ctx.tenant(), &defaults));
    if (defaults) {
        OMC_TRY(CopyDefaults(*tx, ctx.tenant(), *deps.ids, who, now));
        OMC_ASSIGN_OR_RETURN(existing, RatesInUse(*tx, ctx.tenant()));
    }
    OMC_ASSIGN_OR_RETURN(const std::optional<Uuid> superseded, CheckOverlap(existing, rate));
    if (superseded) OMC_TRY(CloseRate(*tx, ctx.tenant(), *superseded, DayBefore(rate.valid_from)));
    const Uuid new_id = id.value_or(deps.ids->NewV7());
    OMC_TRY(InsertRate(*tx, ctx.tenant(), new_id, rate, who, now));
    json state = RateJson(StoredRate{new_id, rate});
    state["superseded_id"] = superseded ? json(superseded->ToString()) : json();
    state["defaults_copied"] = defaults;
    OMC_TRY(events::RecordChange(ctx, *tx, *deps.ids, *deps.clock, "tax.rate_created", "tax_rate",
                                 new_id, state));
    return http::Created(std::move(state), "/api/v1/tax/rates", new_id);
}

json LineJson(const LineTaxes& line, const std::vector<TaxRate>& rates) {
    json taxes = json::array();
    for (const TaxAmount& t : line.taxes) {
        json item{{"code", t.code},
                  {"rate_bp", t.rate_bp},
                  {"base", TaxBaseName(t.base)},
                  {"amount", FormatScaled(t.amount_pesewas, 2)}};
        for (const TaxRate& r : rates) {
            if (r.code == t.code) {
                item["name"] = r.name;
                item["input_deductible"] = r.input_deductible;
            }
        }
        taxes.push_back(std::move(item));
    }
    return json{{"category", TaxCategoryName(line.category)},
                {"amount", FormatScaled(line.amount_pesewas, 2)},
                {"taxable_value", FormatScaled(line.taxable_value_pesewas, 2)},
                {"taxes", std::move(taxes)},
                {"total_tax", FormatScaled(line.TotalTax(), 2)},
                {"rounding",
                 "per line: each tax half up to the pesewa; taxable value = amount "
                 "less the taxes"}};
}

Result<http::Reply> Quote(const TaxDeps& /*deps*/, http::RequestContext& ctx) {
    const std::optional<std::string> amount_text = ctx.request().QueryParam("amount");
    if (!amount_text) return InvalidArgument("amount", "required: GH₵ with up to 2 decimals");
    Result<int64_t> amount = ParseScaled(*amount_text, 2);
    if (!amount.ok() || *amount < -kQuoteMaxPesewas || *amount > kQuoteMaxPesewas) {
        return InvalidArgument("amount", "must be GH₵ with up to 2 decimals, at most 10000000");
    }
    OMC_ASSIGN_OR_RETURN(const std::optional<std::string> date, http::QueryDate(ctx, "date"));
    if (!date) return InvalidArgument("date", "required: the supply date YYYY-MM-DD");
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    TaxCategory category = TaxCategory::kStandard;
    json product = nullptr;
    if (const auto key = ctx.request().QueryParam("product")) {
        OMC_ASSIGN_OR_RETURN(const auto found, forecourt::FindProduct(*tx, ctx.tenant(), *key));
        if (!found) return InvalidArgument("product", "no such product (id or code)");
        if (found->kind == "fuel") category = TaxCategory::kExempt;
        product = json{{"id", found->id.ToString()}, {"code", found->code}, {"kind", found->kind}};
    }
    OMC_ASSIGN_OR_RETURN(const std::vector<StoredRate> stored, RatesInUse(*tx, ctx.tenant()));
    std::vector<TaxRate> rates;
    for (const StoredRate& s : stored) rates.push_back(s.rate);
    const std::vector<TaxRate> in_force = RatesOn(rates, *date);
    OMC_ASSIGN_OR_RETURN(const LineTaxes line, ComputeLine(*amount, category, in_force));
    json out = LineJson(line, in_force);
    out["date"] = *date;
    out["product"] = std::move(product);
    return http::Answer(std::move(out));
}

Result<http::Reply> VatReturnRoute(const TaxDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const report::Format format, report::RequestedFormat(ctx.request()));
    const std::optional<std::string> month = ctx.request().QueryParam("month");
    if (!month) return InvalidArgument("month", "required: YYYY-MM");
    OMC_ASSIGN_OR_RETURN(const report::Period period, report::MonthPeriod(*month));
    OMC_ASSIGN_OR_RETURN(const std::optional<Uuid> station, http::QueryUuid(ctx, "station"));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    std::vector<identity::StationRef> stations;
    bool whole_tenant = false;
    if (station) {
        OMC_ASSIGN_OR_RETURN(const auto found,
                             identity::FindVisibleStation(*tx, CallerOf(ctx), *station));
        if (!found) return NotFound("station");
        stations.push_back(*found);
    } else {
        OMC_ASSIGN_OR_RETURN(stations,
                             identity::VisibleStations(*tx, CallerOf(ctx), &whole_tenant));
    }
    OMC_ASSIGN_OR_RETURN(const VatReturn vat,
                         ComputeVatReturn(*tx, ctx.tenant(), period, stations, whole_tenant));
    if (format == report::Format::kJson) return http::Answer(VatReturnJson(vat));
    return report::FileReply(VatReturnReport(vat), format, "vat-return-" + period.month);
}

using TaxHandler = Result<http::Reply> (*)(const TaxDeps&, http::RequestContext&);

http::Route Route(http::Method method, std::string pattern, std::string name,
                  std::string permission, const TaxDeps& deps, TaxHandler handler) {
    return http::TenantRoute(
        method, std::move(pattern), std::move(name), std::move(permission),
        [deps, handler](http::RequestContext& ctx) { return handler(deps, ctx); },
        /*idempotent=*/true);
}

}  // namespace

void RegisterTaxRoutes(http::Router& router, IdGenerator& ids, const Clock& clock) {
    using http::Method;
    const TaxDeps deps{.ids = &ids, .clock = &clock};
    router.Add(
        Route(Method::kGet, "/api/v1/tax/rates", "tax.rates.list", "tax.read", deps, ListRates));
    router.Add(Route(Method::kPost, "/api/v1/tax/rates", "tax.rates.create", "tax.write", deps,
                     CreateRate));
    router.Add(Route(Method::kGet, "/api/v1/tax/quote", "tax.quote", "tax.read", deps, Quote));
    router.Add(Route(Method::kGet, "/api/v1/tax/vat-return", "tax.vat_return", "reports.read", deps,
                     VatReturnRoute));
}

}  // namespace omc::tax
