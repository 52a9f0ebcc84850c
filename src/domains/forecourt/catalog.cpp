#include "domains/forecourt/catalog.hpp"

#include <utility>

#include "domains/forecourt/common.hpp"
#include "platform/base/assert.hpp"
#include "platform/base/money.hpp"
#include "platform/http/json_body.hpp"

namespace omc::forecourt {
namespace {

using nlohmann::json;

constexpr size_t kCodeMaxLength = 32;   // identity's code rule
constexpr size_t kNameMaxLength = 120;  // identity's name rule
// GH₵ 10,000 per unit: far above any fuel or lubricant price, below overflow of any amount.
constexpr int64_t kMaxUnitPrice = 10'000LL * 1'000'000;

#define OMC_PRODUCT_COLUMNS \
    "id, code, name, kind, unit, density15_x10, active, created_at_us, updated_at_us"

constexpr db::Query kFindProduct{"forecourt.find_product",
                                 "SELECT " OMC_PRODUCT_COLUMNS
                                 " FROM products WHERE tenant_id = $1 AND id = $2"};
constexpr db::Query kLockProduct{"forecourt.lock_product",
                                 "UPDATE products SET updated_at_us = updated_at_us "
                                 "WHERE tenant_id = $1 AND id = $2 RETURNING " OMC_PRODUCT_COLUMNS};
constexpr db::Query kListProducts{"forecourt.list_products", "SELECT " OMC_PRODUCT_COLUMNS R"sql(
    FROM products
    WHERE tenant_id = $1 AND id > $2 AND (kind = $4 OR $4 IS NULL) AND (active = $5 OR $5 IS NULL)
    ORDER BY id LIMIT $3)sql"};
constexpr db::Query kProductCodeTaken{"forecourt.product_code_taken",
                                      "SELECT 1 FROM products WHERE tenant_id = $1 AND code = $2"};
constexpr db::Query kInsertProduct{"forecourt.insert_product", R"sql(
    INSERT INTO products (tenant_id, id, code, name, kind, unit, density15_x10, active,
                          created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10))sql"};
constexpr db::Query kUpdateProduct{"forecourt.update_product", R"sql(
    UPDATE products SET name = $3, density15_x10 = $4, active = $5, updated_at_us = $6
    WHERE tenant_id = $1 AND id = $2)sql"};

#undef OMC_PRODUCT_COLUMNS

// The station's own price wins over the network's; among each, the latest effective one.
constexpr db::Query kPriceAt{"forecourt.price_at", R"sql(
    SELECT id, unit_price, station_id, effective_from_us FROM station_prices
    WHERE tenant_id = $1 AND product_id = $3 AND effective_from_us <= $4
      AND (station_id = $2 OR station_id IS NULL)
    ORDER BY CASE WHEN station_id IS NULL THEN 1 ELSE 0 END, effective_from_us DESC, id DESC
    LIMIT 1)sql"};
constexpr db::Query kInsertPrice{"forecourt.insert_price", R"sql(
    INSERT INTO station_prices (tenant_id, id, product_id, station_id, unit_price,
                                effective_from_us, created_by, created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8))sql"};
// $4: product filter; $5: station filter ("network" rows when $6 = 1); $7: the caller's
// stations comma-joined (NULL: tenant-wide) - network prices are visible to everyone.
constexpr db::Query kListPrices{"forecourt.list_prices", R"sql(
    SELECT id, product_id, station_id, unit_price, effective_from_us, created_by, created_at_us
    FROM station_prices
    WHERE tenant_id = $1 AND id > $2
      AND (product_id = $4 OR $4 IS NULL)
      AND (station_id = $5 OR $5 IS NULL)
      AND ($6 = 0 OR station_id IS NULL)
      AND (station_id IS NULL OR CAST($7 AS TEXT) IS NULL
           OR (',' || CAST($7 AS TEXT) || ',') LIKE ('%,' || station_id || ',%'))
    ORDER BY id LIMIT $3)sql"};

Product ProductFromRow(const db::Row& row) {
    Product p;
    p.id = row.Id(0);
    p.code = row.Text(1);
    p.name = row.Text(2);
    p.kind = ParseProductKind(row.Text(3)).value_or(ProductKind::kShop);
    p.unit = row.Text(4);
    p.density15_x10 = row.OptInt(5);
    p.active = row.Bool(6);
    p.created_at_us = row.Int(7);
    p.updated_at_us = row.Int(8);
    return p;
}

json ProductJson(const Product& p) {
    return json{
        {"id", p.id.ToString()},
        {"code", p.code},
        {"name", p.name},
        {"kind", std::string(ProductKindName(p.kind))},
        {"unit", p.unit},
        {"density15",
         p.density15_x10 ? json(FormatScaled(*p.density15_x10, kDensityDecimals)) : json(nullptr)},
        {"active", p.active},
        {"created_at", FormatTimestamp(p.created_at_us)},
        {"updated_at", FormatTimestamp(p.updated_at_us)}};
}

std::optional<int64_t> ReadDensity(http::JsonBody& body, bool required) {
    return required ? std::optional<int64_t>(body.RequiredDecimal(
                          "density15", kDensityDecimals, kMinDensity15X10, kMaxDensity15X10))
                    : body.OptionalDecimal("density15", kDensityDecimals, kMinDensity15X10,
                                           kMaxDensity15X10);
}

// ---- products ----

Result<http::Reply> ListProducts(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, PageAfter(page));
    const std::optional<std::string> kind = ctx.request().QueryParam("kind");
    if (kind && !ParseProductKind(*kind)) {
        return InvalidArgument("kind", "must be one of: fuel, lubricant, shop");
    }
    OMC_ASSIGN_OR_RETURN(const std::optional<bool> active, QueryBool(ctx, "active"));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(
        const db::Rows rows,
        tx->Query(kListProducts, {ctx.tenant(), after, page.limit + 1, kind, active}));
    std::vector<Product> products;
    for (const db::Row& row : rows) products.push_back(ProductFromRow(row));
    return PageReply(std::move(products), page.limit, ProductJson);
}

Result<http::Reply> GetProduct(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const std::optional<Product> product, FindProduct(*tx, ctx.tenant(), id));
    if (!product) return NotFoundError("product");
    return Answer(ProductJson(*product));
}

Result<http::Reply> CreateProduct(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"code", "name", "kind", "unit", "density15", "active"});
    const std::string raw_code = body.RequiredString("code", kCodeMaxLength);
    const std::string raw_name = body.RequiredString("name", kNameMaxLength);
    const std::string kind_text = body.RequiredEnum("kind", {"fuel", "lubricant", "shop"});
    const std::string unit = body.RequiredEnum("unit", {"L", "kg", "each"});
    const std::optional<ProductKind> kind = ParseProductKind(kind_text);
    std::optional<int64_t> density;
    if (kind == ProductKind::kFuel) {
        density = ReadDensity(body, /*required=*/true);
        if (unit == "each") body.AddError("unit", "a fuel is sold by L or kg");
    } else if (kind) {
        if (body.Has("density15")) body.AddError("density15", "only fuels have a density");
        if (!unit.empty() && unit != "each") {
            body.AddError("unit", "lubricants and shop items are sold by the item (each)");
        }
    }
    const bool active = body.OptionalBool("active").value_or(true);
    const std::optional<std::string> code = identity::NormaliseCode(raw_code);
    if (!raw_code.empty() && !code) {
        body.AddError("code", "must be 1 to 32 of the characters A-Z, a-z, 0-9, _ and -");
    }
    const std::optional<std::string> name = identity::NormaliseName(raw_name);
    if (!raw_name.empty() && !name) body.AddError("name", "must not be blank");
    OMC_TRY(body.Finish());

    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows taken, tx->Query(kProductCodeTaken, {ctx.tenant(), *code}));
    if (!taken.empty()) {
        return Error(ErrorCode::kConflict, "code already in use", {{"code", "is already in use"}});
    }
    const TimestampUs now = deps.clock->NowUs();
    const Product product{.id = deps.ids->NewV7(),
                          .code = *code,
                          .name = *name,
                          .kind = *kind,
                          .unit = unit,
                          .density15_x10 = density,
                          .active = active,
                          .created_at_us = now,
                          .updated_at_us = now};
    OMC_TRY(tx->Execute(kInsertProduct,
                        {ctx.tenant(), product.id, product.code, product.name, kind_text,
                         product.unit, product.density15_x10, product.active, now, now}));
    json state = ProductJson(product);
    OMC_TRY(
        RecordChange(deps, ctx, *tx, "forecourt.product_created", "product", product.id, state));
    return Created(std::move(state), "/api/v1/products", product.id);
}

Result<http::Reply> UpdateProduct(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"name", "density15", "active"});
    if (body.raw().is_object() && body.raw().empty()) {
        body.AddError("body", "must name at least one field to change");
    }
    const std::optional<std::string> raw_name = body.OptionalString("name", kNameMaxLength);
    std::optional<std::string> name;
    if (raw_name) {
        name = identity::NormaliseName(*raw_name);
        if (!name) body.AddError("name", "must not be blank");
    }
    const std::optional<int64_t> density = ReadDensity(body, /*required=*/false);
    const std::optional<bool> active = body.OptionalBool("active");
    OMC_TRY(body.Finish());

    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx->Query(kLockProduct, {ctx.tenant(), id}));
    if (rows.empty()) return NotFoundError("product");
    Product product = ProductFromRow(rows[0]);
    if (density && product.kind != ProductKind::kFuel) {
        return InvalidArgument("density15", "only fuels have a density");
    }
    if (name) product.name = *name;
    if (density) product.density15_x10 = density;
    if (active) product.active = *active;
    product.updated_at_us = deps.clock->NowUs();
    OMC_TRY(tx->Execute(kUpdateProduct, {ctx.tenant(), id, product.name, product.density15_x10,
                                         product.active, product.updated_at_us}));
    json state = ProductJson(product);
    OMC_TRY(RecordChange(deps, ctx, *tx, "forecourt.product_updated", "product", id, state));
    return Answer(std::move(state));
}

// ---- prices ----

json PriceJson(const db::Row& row) {
    return json{{"id", row.Id(0).ToString()},
                {"product_id", row.Id(1).ToString()},
                {"station_id", row.IsNull(2) ? json(nullptr) : json(row.Id(2).ToString())},
                {"unit_price", FormatUnitPrice(row.Int(3))},
                {"effective_from", FormatTimestamp(row.Int(4))},
                {"created_by", row.Text(5)},
                {"created_at", FormatTimestamp(row.Int(6))}};
}

struct PriceRow {
    Uuid id;
    json body;
};

Result<http::Reply> ListPrices(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, PageAfter(page));
    OMC_ASSIGN_OR_RETURN(const std::optional<Uuid> product, QueryUuid(ctx, "product_id"));
    OMC_ASSIGN_OR_RETURN(const std::optional<bool> network_only, QueryBool(ctx, "network"));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const StationFilter filter, ListFilter(*tx, ctx));
    OMC_ASSIGN_OR_RETURN(
        const db::Rows rows,
        tx->Query(kListPrices, {ctx.tenant(), after, page.limit + 1, product, filter.station,
                                int64_t{network_only.value_or(false) ? 1 : 0}, filter.scope_list}));
    std::vector<PriceRow> prices;
    for (const db::Row& row : rows) prices.push_back({row.Id(0), PriceJson(row)});
    return PageReply(std::move(prices), page.limit, [](const PriceRow& r) { return r.body; });
}

// "What did this pump charge at 14:05 on the 16th?": the price in force for a product at a
// station at a time (now by default).
Result<http::Reply> CurrentPrice(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const std::optional<Uuid> station, QueryUuid(ctx, "station_id"));
    OMC_ASSIGN_OR_RETURN(const std::optional<Uuid> product, QueryUuid(ctx, "product_id"));
    OMC_ASSIGN_OR_RETURN(const std::optional<TimestampUs> at, QueryTime(ctx, "at"));
    std::vector<FieldError> missing;
    if (!station) missing.push_back({"station_id", "is required"});
    if (!product) missing.push_back({"product_id", "is required"});
    if (!missing.empty()) {
        return Error(ErrorCode::kInvalidArgument, "invalid request", std::move(missing));
    }
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_TRY(VisibleStation(*tx, ctx, *station));
    OMC_ASSIGN_OR_RETURN(const std::optional<Product> found,
                         FindProduct(*tx, ctx.tenant(), *product));
    if (!found) return NotFoundError("product");
    const TimestampUs when = at.value_or(deps.clock->NowUs());
    OMC_ASSIGN_OR_RETURN(const std::optional<PriceInForce> price,
                         PriceAt(*tx, ctx.tenant(), *station, *product, when));
    if (!price) return NotFound("price for this product at this station at that time");
    return Answer(json{{"station_id", station->ToString()},
                       {"product_id", product->ToString()},
                       {"at", FormatTimestamp(when)},
                       {"price_id", price->id.ToString()},
                       {"unit_price", FormatUnitPrice(price->unit_price)},
                       {"unit", found->unit},
                       {"scope", price->station_id ? "station" : "network"},
                       {"effective_from", FormatTimestamp(price->effective_from_us)}});
}

Result<http::Reply> SetPrice(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"product_id", "station_id", "unit_price", "effective_from"});
    const Uuid product_id = body.RequiredUuid("product_id");
    const std::optional<Uuid> station_id = body.OptionalUuid("station_id");
    const int64_t unit_price =
        body.RequiredDecimal("unit_price", kUnitPriceScale, 1, kMaxUnitPrice);
    const std::optional<std::string> from_text = body.OptionalString("effective_from", 64);
    const TimestampUs now = deps.clock->NowUs();
    TimestampUs effective_from = now;
    if (from_text) {
        const std::optional<TimestampUs> parsed = ParseTimestamp(*from_text);
        if (!parsed) {
            body.AddError("effective_from",
                          "must be an RFC 3339 time such as 2026-12-01T00:00:00Z");
        } else if (*parsed < now) {
            // Sales already recorded at that time used the price then in force; history is
            // not rewritten.
            body.AddError("effective_from", "must not be in the past");
        } else {
            effective_from = *parsed;
        }
    }
    OMC_TRY(body.Finish());

    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const std::optional<Product> product,
                         FindProduct(*tx, ctx.tenant(), product_id));
    if (!product) {
        return Error(ErrorCode::kUnprocessable, "unknown reference",
                     {{"product_id", "no such product"}});
    }
    if (station_id) OMC_TRY(VisibleStation(*tx, ctx, *station_id, "station_id"));
    const Uuid id = deps.ids->NewV7();
    const std::string by = CallerOf(ctx).subject;
    OMC_TRY(tx->Execute(kInsertPrice, {ctx.tenant(), id, product_id, station_id, unit_price,
                                       effective_from, by, now}));
    json state{{"id", id.ToString()},
               {"product_id", product_id.ToString()},
               {"station_id", OptionalId(station_id)},
               {"unit_price", FormatUnitPrice(unit_price)},
               {"effective_from", FormatTimestamp(effective_from)},
               {"created_by", by},
               {"created_at", FormatTimestamp(now)}};
    OMC_TRY(RecordChange(deps, ctx, *tx, "forecourt.price_set", "price", id, state));
    return Created(std::move(state), "/api/v1/prices", id);
}

}  // namespace

std::string_view ProductKindName(ProductKind kind) {
    switch (kind) {
        case ProductKind::kFuel:
            return "fuel";
        case ProductKind::kLubricant:
            return "lubricant";
        case ProductKind::kShop:
            return "shop";
    }
    FailInvariant("kind", "unknown product kind", __FILE__, __LINE__);
}

std::optional<ProductKind> ParseProductKind(std::string_view name) {
    for (ProductKind kind : {ProductKind::kFuel, ProductKind::kLubricant, ProductKind::kShop}) {
        if (ProductKindName(kind) == name) return kind;
    }
    return std::nullopt;
}

Result<std::optional<Product>> FindProduct(db::Transaction& tx, const TenantId& tenant,
                                           const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kFindProduct, {tenant, id}));
    if (rows.empty()) return std::optional<Product>();
    return std::optional<Product>(ProductFromRow(rows[0]));
}

Result<std::optional<PriceInForce>> PriceAt(db::Transaction& tx, const TenantId& tenant,
                                            const Uuid& station, const Uuid& product,
                                            TimestampUs at) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kPriceAt, {tenant, station, product, at}));
    if (rows.empty()) return std::optional<PriceInForce>();
    const db::Row& row = rows[0];
    return std::optional<PriceInForce>(
        PriceInForce{.id = row.Id(0),
                     .unit_price = row.Int(1),
                     .station_id = row.IsNull(2) ? std::optional<Uuid>() : row.Id(2),
                     .effective_from_us = row.Int(3)});
}

void RegisterCatalogRoutes(http::Router& router, const ForecourtDeps& deps) {
    using http::Method;
    router.Add(ReadRoute("/api/v1/products", "forecourt.products.list", deps, ListProducts));
    router.Add(WriteRoute(Method::kPost, "/api/v1/products", "forecourt.products.create",
                          "forecourt.setup", deps, CreateProduct));
    router.Add(ReadRoute("/api/v1/products/{id}", "forecourt.products.get", deps, GetProduct));
    router.Add(WriteRoute(Method::kPatch, "/api/v1/products/{id}", "forecourt.products.update",
                          "forecourt.setup", deps, UpdateProduct));
    router.Add(ReadRoute("/api/v1/prices", "forecourt.prices.list", deps, ListPrices));
    router.Add(WriteRoute(Method::kPost, "/api/v1/prices", "forecourt.prices.set", "prices.write",
                          deps, SetPrice));
    router.Add(ReadRoute("/api/v1/prices/current", "forecourt.prices.current", deps, CurrentPrice));
}

}  // namespace omc::forecourt
