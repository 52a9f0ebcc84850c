// MoMo sales: POST /api/v1/payments/momo (the intent and its request to pay), reads, and the
// provider's callbacks.
#include <utility>

#include "domains/identity/identity_api.hpp"
#include "domains/payments/payments.hpp"
#include "platform/auth/token.hpp"
#include "platform/events/outbox.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/params.hpp"

namespace omc::payments {
namespace {

using nlohmann::json;

constexpr int64_t kMaxSaleAmount = 10'000'000;    // GH₵ 100,000, as for any sale
constexpr int64_t kMaxFuelSaleMilli = 5'000'000;  // 5,000 L
constexpr int64_t kMaxShopSaleMilli = 1'000'000;  // 1,000 items
constexpr int64_t kSoldAtSkewUs = 5LL * 60 * 1'000'000;
constexpr int kQuantityScale = 3;
constexpr int kMoneyScale = 2;
constexpr int kUnitPriceScale = 6;

constexpr db::Query kInsertIntent{"payments.insert_intent", R"sql(
    INSERT INTO payment_intents (tenant_id, id, sale_id, provider, reference, station_id,
        payer_msisdn, amount, currency, external_id, sale_body, principal, status, request_state,
        next_poll_at_us, created_by, created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'pending', 'sending', $13, $14,
            $15, $15))sql"};
constexpr db::Query kFindBySale{"payments.find_intent_by_sale", R"sql(
    SELECT id, sale_body, payer_msisdn, provider FROM payment_intents
    WHERE tenant_id = $1 AND sale_id = $2)sql"};
constexpr db::Query kListIntents{"payments.list_intents", R"sql(
    SELECT id FROM payment_intents
    WHERE tenant_id = $1 AND id > $2 AND (status = $4 OR $4 IS NULL)
      AND (station_id = $5 OR $5 IS NULL)
      AND (CAST($6 AS TEXT) IS NULL
           OR (',' || CAST($6 AS TEXT) || ',') LIKE ('%,' || station_id || ',%'))
    ORDER BY id LIMIT $3)sql"};
constexpr db::Query kCountCallback{"payments.count_callback", R"sql(
    UPDATE payment_intents SET callbacks = callbacks + 1 WHERE tenant_id = $1 AND id = $2)sql"};

json OptId(const std::optional<Uuid>& id) { return id ? json(id->ToString()) : json(nullptr); }
template <typename T>
json Opt(const std::optional<T>& v) {
    return v ? json(*v) : json(nullptr);
}

struct NewIntent {
    forecourt::PendingSale sale;
    ProviderKind provider = ProviderKind::kMtn;
    std::string payer_msisdn;
    std::string request_hash;
};

bool IsMsisdn(const std::string& text) {
    return text.size() >= 8 && text.size() <= 15 &&
           text.find_first_not_of("0123456789") == std::string::npos;
}

Result<NewIntent> ParseNewIntent(http::RequestContext& ctx, TimestampUs now) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"id", "station_id", "kind", "nozzle_id", "product_id", "quantity", "amount",
                        "unit_price", "customer_id", "attendant_id", "shift_id", "sold_at",
                        "payer_msisdn", "provider"});
    NewIntent n;
    forecourt::PendingSale& s = n.sale;
    s.principal = *ctx.principal();
    s.id = body.RequiredUuid("id");
    if (!body.HasErrors() && s.id.version() != 7) {
        body.AddError("id", "must be a UUIDv7 made by the client (the sale's id)");
    }
    s.station_id = body.RequiredUuid("station_id");
    s.shop = body.OptionalEnum("kind", {"fuel", "shop"}).value_or("fuel") == "shop";
    s.nozzle_id = body.OptionalUuid("nozzle_id");
    s.product_id = body.OptionalUuid("product_id");
    s.quantity_milli = body.OptionalDecimal("quantity", kQuantityScale, 1,
                                            s.shop ? kMaxShopSaleMilli : kMaxFuelSaleMilli);
    s.amount = body.OptionalDecimal("amount", kMoneyScale, 1, kMaxSaleAmount);
    s.unit_price = body.OptionalDecimal("unit_price", kUnitPriceScale, 1, INT64_MAX / 2);
    s.customer_id = body.OptionalUuid("customer_id");
    s.attendant_id = body.OptionalUuid("attendant_id");
    s.shift_id = body.OptionalUuid("shift_id");
    s.sold_at_us = now;
    if (std::optional<std::string> at = body.OptionalString("sold_at", 64)) {
        const std::optional<TimestampUs> parsed = ParseTimestamp(*at);
        // A MoMo sale is made now: the payer approves it on the spot.
        if (!parsed || *parsed > now + kSoldAtSkewUs || *parsed < now - kSoldAtSkewUs) {
            body.AddError("sold_at", "must be an RFC 3339 time within 5 minutes of now");
        } else {
            s.sold_at_us = *parsed;
        }
    }
    n.payer_msisdn = body.RequiredString("payer_msisdn", 15);
    if (!body.HasErrors() && !IsMsisdn(n.payer_msisdn)) {
        body.AddError("payer_msisdn", "must be 8 to 15 digits, such as 233241234567");
    }
    const std::string provider = body.RequiredEnum("provider", {"mtn", "telecel", "at"});
    n.provider = ParseProvider(provider).value_or(ProviderKind::kMtn);
    if (!s.shop) {
        if (!body.Has("nozzle_id")) body.AddError("nozzle_id", "is required for a fuel sale");
        if (body.Has("product_id")) body.AddError("product_id", "comes from the nozzle's tank");
        if (body.Has("quantity") == body.Has("amount")) {
            body.AddError("quantity", "give exactly one of quantity (litres or kg) and amount");
        }
    } else {
        if (!body.Has("product_id")) body.AddError("product_id", "is required for a shop sale");
        if (body.Has("nozzle_id")) body.AddError("nozzle_id", "is for fuel sales only");
        if (!body.Has("quantity")) body.AddError("quantity", "is required for a shop sale");
        if (body.Has("amount")) body.AddError("amount", "a shop sale is priced by quantity");
    }
    OMC_TRY(body.Finish());
    n.request_hash = auth::Sha256Hex(body.raw().dump());
    return n;
}

json SaleBody(const NewIntent& n) {
    const forecourt::PendingSale& s = n.sale;
    return {{"shop", s.shop},
            {"nozzle_id", OptId(s.nozzle_id)},
            {"product_id", OptId(s.product_id)},
            {"quantity_milli", Opt(s.quantity_milli)},
            {"amount", Opt(s.amount)},
            {"unit_price", Opt(s.unit_price)},
            {"customer_id", OptId(s.customer_id)},
            {"attendant_id", OptId(s.attendant_id)},
            {"shift_id", OptId(s.shift_id)},
            {"sold_at_us", s.sold_at_us},
            {"request_hash", n.request_hash}};
}

json PrincipalJson(const http::Principal& p) {
    return {{"subject", p.subject},
            {"role", p.role},
            {"is_api_key", p.is_api_key},
            {"scopes", p.scopes}};
}

struct Created {
    Uuid intent_id;
    bool replayed = false;
    ProviderSettings settings;
};

// One transaction: the checks, the price, the intent and its event. Nothing is sold yet.
Result<Created> StoreIntent(Payments& p, http::RequestContext& ctx, const NewIntent& n,
                            TimestampUs now) {
    const PaymentsDeps& deps = p.deps();
    return db::InTransaction(
        *deps.database, {.tenant = ctx.tenant()}, [&](db::Transaction& tx) -> Result<Created> {
            Created out;
            OMC_ASSIGN_OR_RETURN(
                const std::optional<identity::StationRef> station,
                identity::FindVisibleStation(tx, *ctx.principal(), n.sale.station_id));
            if (!station) {
                return Error(ErrorCode::kUnprocessable, "unknown reference",
                             {{"station_id", "no such station"}});
            }
            OMC_ASSIGN_OR_RETURN(const std::optional<ProviderSettings> settings,
                                 Payments::LoadSettings(tx, ctx.tenant(), n.provider));
            if (!settings || !settings->enabled) {
                return Error(ErrorCode::kUnprocessable, "cannot request this payment",
                             {{"provider", "is not configured for this tenant"}});
            }
            out.settings = *settings;
            OMC_ASSIGN_OR_RETURN(const db::Rows same,
                                 tx.Query(kFindBySale, {ctx.tenant(), n.sale.id}));
            if (!same.empty()) {
                const json stored = json::parse(same[0].Text(1), nullptr, false);
                if (!stored.is_object() ||
                    stored.value("request_hash", std::string()) != n.request_hash) {
                    return Error(ErrorCode::kConflict, "conflict",
                                 {{"id", "is already used by a different MoMo sale"}});
                }
                out.intent_id = same[0].Id(0);
                out.replayed = true;
                return out;
            }
            OMC_ASSIGN_OR_RETURN(const forecourt::SaleQuote quote,
                                 forecourt::QuoteSale(tx, ctx.tenant(), n.sale));
            out.intent_id = deps.ids->NewV7();
            const Uuid reference = NewUuidV4();
            const std::string external_id = station->code + "-" + n.sale.id.ToString();
            OMC_TRY(tx.Execute(kInsertIntent,
                               {ctx.tenant(), out.intent_id, n.sale.id, ProviderName(n.provider),
                                reference.ToString(), n.sale.station_id, n.payer_msisdn,
                                quote.amount, settings->currency, external_id, SaleBody(n).dump(),
                                PrincipalJson(n.sale.principal).dump(), now + kFirstPollMs * 1000,
                                ctx.principal()->subject, now}));
            OMC_ASSIGN_OR_RETURN(const std::optional<Intent> intent,
                                 FindIntent(tx, ctx.tenant(), out.intent_id));
            const json state = IntentJson(*intent);
            ctx.audit().entity_type = "payment_intent";
            ctx.audit().entity_id = out.intent_id.ToString();
            ctx.audit().summary = state;
            OMC_TRY(events::AppendEvent(
                tx, ctx.tenant(), *deps.ids, *deps.clock,
                {"payments.momo_requested", "payment_intent", out.intent_id.ToString(), state}));
            return out;
        });
}

Result<Intent> ReadIntent(Payments& p, const TenantId& tenant, const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(
        const std::optional<Intent> intent,
        db::InTransaction(*p.deps().database, {.tenant = tenant, .read_only = true},
                          [&](db::Transaction& tx) { return FindIntent(tx, tenant, id); }));
    if (!intent) return NotFound("payment");
    return *intent;
}

// The provider's request goes out after the intent committed (no connection is held across
// the network call, and a crash in between leaves an intent the poller sends again).
Result<http::Reply> RequestMomo(const std::shared_ptr<Payments>& p, http::RequestContext& ctx) {
    const TimestampUs now = p->deps().clock->NowUs();
    OMC_ASSIGN_OR_RETURN(const NewIntent n, ParseNewIntent(ctx, now));
    const BreakerSnapshot breaker =
        p->breakers().Snapshot(Payments::BreakerKey(ctx.tenant(), n.provider));
    if (breaker.state == BreakerState::kOpen && now < breaker.open_until_us) {
        return Error(ErrorCode::kUnavailable,
                     "the payment provider is unavailable; take another payment method")
            .WithRetryAfter(std::max<int64_t>(1, (breaker.open_until_us - now) / 1'000'000));
    }
    OMC_ASSIGN_OR_RETURN(const Created created, StoreIntent(*p, ctx, n, now));
    OMC_ASSIGN_OR_RETURN(Intent intent, ReadIntent(*p, ctx.tenant(), created.intent_id));
    if (!created.replayed && intent.status == "pending") {
        // No answer from the provider leaves the intent "sending": the poller asks and resends.
        Result<void> sent = p->Send(intent, created.settings, now);
        if (!sent.ok() && sent.error().code() != ErrorCode::kUnavailable) return sent.error();
        OMC_ASSIGN_OR_RETURN(intent, ReadIntent(*p, ctx.tenant(), created.intent_id));
    }
    http::Reply reply = http::Answer(IntentJson(intent));
    reply.status = created.replayed ? 200 : 202;
    reply.headers.emplace_back("Location", "/api/v1/payments/momo/" + intent.id.ToString());
    return reply;
}

Result<http::Reply> GetMomo(const std::shared_ptr<Payments>& p, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const std::optional<Intent> intent, FindIntent(*tx, ctx.tenant(), id));
    if (!intent) return NotFound("payment");
    OMC_ASSIGN_OR_RETURN(const auto station,
                         identity::FindVisibleStation(*tx, *ctx.principal(), intent->station_id));
    if (!station) return NotFound("payment");
    (void)p;
    return http::Answer(IntentJson(*intent));
}

Result<http::Reply> ListMomo(const std::shared_ptr<Payments>& /*p*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, http::PageAfter(page));
    OMC_ASSIGN_OR_RETURN(const std::optional<Uuid> station, http::QueryUuid(ctx, "station_id"));
    const std::optional<std::string> status = ctx.request().QueryParam("status");
    if (status && *status != "pending" && *status != "successful" && *status != "failed" &&
        *status != "expired") {
        return InvalidArgument("status", "must be one of: pending, successful, failed, expired");
    }
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    std::optional<std::string> scope;
    if (station) {
        OMC_ASSIGN_OR_RETURN(const auto visible,
                             identity::FindVisibleStation(*tx, *ctx.principal(), *station));
        if (!visible) return NotFound("station");
    } else {
        OMC_ASSIGN_OR_RETURN(const auto visible,
                             identity::VisibleStationIds(*tx, *ctx.principal()));
        if (visible) {
            std::string list = "none";
            for (const Uuid& id : *visible) list += "," + id.ToString();
            scope = list;
        }
    }
    OMC_ASSIGN_OR_RETURN(
        const db::Rows rows,
        tx->Query(kListIntents, {ctx.tenant(), after, page.limit + 1, status, station, scope}));
    std::vector<Intent> intents;
    for (const db::Row& row : rows) {
        OMC_ASSIGN_OR_RETURN(const std::optional<Intent> intent,
                             FindIntent(*tx, ctx.tenant(), row.Id(0)));
        if (intent) intents.push_back(*intent);
    }
    return http::PageReply(std::move(intents), page.limit, IntentJson);
}

// The provider's callback: no token, so only a hint. The intent is found by its reference, the
// status confirmed by GET before anything is recorded; an intent already final answers 409 and
// changes nothing, an unknown reference 404.
Result<http::Reply> Callback(const std::shared_ptr<Payments>& p, http::RequestContext& ctx) {
    ctx.audit().skip = true;  // the intent's own event records what the callback caused
    const std::optional<std::string_view> provider_name = ctx.PathParam("provider");
    const std::optional<ProviderKind> provider =
        provider_name ? ParseProvider(*provider_name) : std::nullopt;
    const std::optional<std::string_view> reference = ctx.PathParam("reference");
    if (!provider || !reference || !Uuid::Parse(*reference)) return NotFound("payment");
    const std::string ref = Uuid::Parse(*reference)->ToString();
    OMC_ASSIGN_OR_RETURN(
        const std::optional<Intent> found,
        db::InTransaction(*p->deps().database, {.system = true, .read_only = true},
                          [&](db::Transaction& tx) { return FindIntentByReference(tx, ref); }));
    if (!found || found->provider != *provider) return NotFound("payment");
    const Intent& intent = *found;
    const auto already_final = [&] {
        return Error(ErrorCode::kConflict, "this payment is already final",
                     {{"reference", "was already settled; the callback changes nothing"}});
    };
    if (intent.status != "pending") return already_final();
    const Result<void> counted = db::InTransaction(
        *p->deps().database, {.tenant = intent.tenant}, [&](db::Transaction& tx) -> Result<void> {
            OMC_TRY(tx.Execute(kCountCallback, {intent.tenant, intent.id}));
            return Ok();
        });
    if (!counted.ok()) return counted.error();
    OMC_ASSIGN_OR_RETURN(const bool finished, p->Check(intent, p->deps().clock->NowUs()));
    OMC_ASSIGN_OR_RETURN(const Intent now, ReadIntent(*p, intent.tenant, intent.id));
    if (!finished && now.status != "pending") return already_final();
    http::Reply reply = http::Answer({{"reference", ref}, {"status", now.status}});
    reply.status = finished ? 200 : 202;
    return reply;
}

using Handler = Result<http::Reply> (*)(const std::shared_ptr<Payments>&, http::RequestContext&);

http::Route Route(http::Method method, std::string pattern, std::string name,
                  std::string permission, const std::shared_ptr<Payments>& p, Handler handler,
                  bool idempotent = false) {
    return http::TenantRoute(
        method, std::move(pattern), std::move(name), std::move(permission),
        [p, handler](http::RequestContext& ctx) { return handler(p, ctx); }, idempotent);
}

http::Route CallbackRoute(http::Method method, std::string name,
                          const std::shared_ptr<Payments>& p) {
    return http::Route{.method = method,
                       .pattern = "/api/v1/payments/callbacks/{provider}/{reference}",
                       .name = std::move(name),
                       .auth = http::Auth::kPublic,
                       .rate = http::RateClass::kDefault,
                       .idempotent = false,
                       .tenant_owned = false,
                       .permission = "",
                       .handler = [p](http::RequestContext& ctx) { return Callback(p, ctx); }};
}

}  // namespace

void RegisterMomoRoutes(http::Router& router, std::shared_ptr<Payments> payments) {
    using http::Method;
    router.Add(Route(Method::kPost, "/api/v1/payments/momo", "payments.momo.request",
                     "payments.collect", payments, RequestMomo, /*idempotent=*/true));
    router.Add(Route(Method::kGet, "/api/v1/payments/momo", "payments.momo.list", "payments.read",
                     payments, ListMomo));
    router.Add(Route(Method::kGet, "/api/v1/payments/momo/{id}", "payments.momo.get",
                     "payments.read", payments, GetMomo));
    router.Add(CallbackRoute(Method::kPost, "payments.callbacks.post", payments));
    router.Add(CallbackRoute(Method::kPut, "payments.callbacks.put", payments));
}

}  // namespace omc::payments
