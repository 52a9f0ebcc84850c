// The build-up routes: components (list, get, create, end or suspend), a product's build-up on a
// date, and the CSV import and export of a window's figures. README.md in this folder lists them
// with their permission and event.
#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "domains/identity/identity_api.hpp"
#include "domains/pricing/buildup.hpp"
#include "platform/base/money.hpp"
#include "platform/events/record_change.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/params.hpp"
#include "platform/report/report_reply.hpp"
#include "platform/report/xlsx_reader.hpp"

namespace omc::pricing {
namespace {

using nlohmann::json;

constexpr int64_t kUsPerDay = 86'400LL * 1'000'000;
constexpr size_t kCodeMaxLength = 32;
constexpr size_t kNameMaxLength = 120;
constexpr size_t kTextMaxLength = 200;
constexpr size_t kMaxErrors = 50;  // of a refused import: enough to fix a file in one go
constexpr int64_t kMaxPosition = 1'000'000;

struct BuildUpDeps {
    IdGenerator* ids = nullptr;
    const Clock* clock = nullptr;
};

// ---- queries ----

#define OMC_COMPONENT_COLUMNS                                                                \
    "c.id, c.product_id, p.code, c.code, c.name, c.kind, c.subtotal, c.position, c.amount, " \
    "c.valid_from_days, c.valid_to_days, c.in_floor, c.gra_levy_code, c.source_ref, "        \
    "c.created_by, c.created_at_us, c.updated_at_us "                                        \
    "FROM price_components c JOIN products p ON p.tenant_id = c.tenant_id AND p.id = "       \
    "c.product_id "

constexpr db::Query kProductById{
    "pricing.product_by_id",
    "SELECT id, code, unit FROM products WHERE tenant_id = $1 AND id = $2"};
constexpr db::Query kProductByCode{
    "pricing.product_by_code",
    "SELECT id, code, unit FROM products WHERE tenant_id = $1 AND code = $2"};
// Writers of one product's components take its row lock first, so two concurrent writes cannot
// both pass the overlap check.
constexpr db::Query kLockProduct{
    "pricing.lock_product",
    "UPDATE products SET updated_at_us = updated_at_us WHERE tenant_id = $1 AND id = $2"};
constexpr db::Query kFindComponent{"pricing.find_component",
                                   "SELECT " OMC_COMPONENT_COLUMNS
                                   "WHERE c.tenant_id = $1 AND c.id = $2"};
constexpr db::Query kProductComponents{"pricing.product_components",
                                       "SELECT " OMC_COMPONENT_COLUMNS
                                       "WHERE c.tenant_id = $1 AND c.product_id = $2"};
constexpr db::Query kListComponents{"pricing.list_components",
                                    "SELECT " OMC_COMPONENT_COLUMNS R"sql(
    WHERE c.tenant_id = $1 AND c.id > $2
      AND (c.product_id = $4 OR $4 IS NULL)
      AND (CAST($5 AS BIGINT) IS NULL OR (c.valid_from_days <= CAST($5 AS BIGINT)
           AND (c.valid_to_days IS NULL OR c.valid_to_days >= CAST($5 AS BIGINT))))
      AND (c.code = $6 OR $6 IS NULL)
    ORDER BY c.id LIMIT $3)sql"};
constexpr db::Query kComponentsAt{"pricing.components_at", "SELECT " OMC_COMPONENT_COLUMNS R"sql(
    WHERE c.tenant_id = $1 AND c.valid_from_days <= $2
      AND (c.valid_to_days IS NULL OR c.valid_to_days >= $2))sql"};
constexpr db::Query kInsertComponent{"pricing.insert_component", R"sql(
    INSERT INTO price_components (tenant_id, id, product_id, code, name, kind, subtotal, position,
                                  amount, valid_from_days, valid_to_days, in_floor, gra_levy_code,
                                  source_ref, created_by, created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17))sql"};
constexpr db::Query kSetValidTo{"pricing.set_valid_to", R"sql(
    UPDATE price_components SET valid_to_days = $3, updated_at_us = $4
    WHERE tenant_id = $1 AND id = $2)sql"};

#undef OMC_COMPONENT_COLUMNS

struct ProductRef {
    Uuid id;
    std::string code;
    std::string unit;
};

PriceComponent ComponentFromRow(const db::Row& row) {
    PriceComponent c;
    c.id = row.Id(0);
    c.product_id = row.Id(1);
    c.product_code = row.Text(2);
    c.code = row.Text(3);
    c.name = row.Text(4);
    c.kind = ParseComponentKind(row.Text(5)).value_or(ComponentKind::kLevy);
    c.subtotal = ParseSubtotal(row.Text(6)).value_or(Subtotal::kExPump);
    c.position = row.Int(7);
    c.amount = row.Int(8);
    c.valid_from_days = row.Int(9);
    c.valid_to_days = row.OptInt(10);
    c.in_floor = row.Bool(11);
    c.gra_levy_code = row.OptText(12);
    c.source_ref = row.OptText(13);
    c.created_by = row.Text(14);
    c.created_at_us = row.Int(15);
    c.updated_at_us = row.Int(16);
    return c;
}

json OptionalText(const std::optional<std::string>& text) {
    return text ? json(*text) : json(nullptr);
}

json ComponentJson(const PriceComponent& c) {
    return json{{"id", c.id.ToString()},
                {"product_id", c.product_id.ToString()},
                {"product_code", c.product_code},
                {"code", c.code},
                {"name", c.name},
                {"kind", std::string(ComponentKindName(c.kind))},
                {"subtotal", std::string(SubtotalName(c.subtotal))},
                {"position", c.position},
                {"amount", FormatAmount(c.amount)},
                {"valid_from", FormatDay(c.valid_from_days)},
                {"valid_to", c.valid_to_days ? json(FormatDay(*c.valid_to_days)) : json(nullptr)},
                {"in_floor", c.in_floor},
                {"gra_levy_code", OptionalText(c.gra_levy_code)},
                {"source_ref", OptionalText(c.source_ref)},
                {"created_by", c.created_by},
                {"created_at", FormatTimestamp(c.created_at_us)},
                {"updated_at", FormatTimestamp(c.updated_at_us)}};
}

std::string AmountUnit(const std::string& product_unit) {
    return product_unit == "kg" ? "GHp/kg" : "GHp/L";
}

json BuildUpJson(const BuildUp& b) {
    json lines = json::array();
    int64_t running = 0;
    for (const BuildUpLine& line : b.lines) {
        running += line.amount;
        lines.push_back({{"component_id", line.component_id.ToString()},
                         {"code", line.code},
                         {"name", line.name},
                         {"kind", std::string(ComponentKindName(line.kind))},
                         {"subtotal", std::string(SubtotalName(line.subtotal))},
                         {"position", line.position},
                         {"amount", FormatAmount(line.amount)},
                         {"running_total", FormatAmount(running)},
                         {"in_floor", line.in_floor},
                         {"gra_levy_code", OptionalText(line.gra_levy_code)}});
    }
    return json{{"product_id", b.product_id.ToString()},
                {"product_code", b.product_code},
                {"unit", b.unit},
                {"amount_unit", AmountUnit(b.unit)},
                {"date", FormatDay(b.date_days)},
                {"lines", std::move(lines)},
                {"totals",
                 {{"ex_refinery", FormatAmount(b.ex_refinery)},
                  {"ex_depot", FormatAmount(b.ex_depot)},
                  {"ex_pump", FormatAmount(b.ex_pump)}}},
                {"floor_base", FormatAmount(b.floor_base)}};
}

const http::Principal& CallerOf(const http::RequestContext& ctx) { return *ctx.principal(); }

int64_t Today(const BuildUpDeps& deps) {
    // Ghana keeps UTC all year, so the UTC date is the Ghanaian date.
    const TimestampUs now = deps.clock->NowUs();
    return now >= 0 ? now / kUsPerDay : -((-now + kUsPerDay - 1) / kUsPerDay);
}

// The product named by an id or a code (PMS, AGO, LPG, premix: codes are upper-cased).
Result<std::optional<ProductRef>> FindProductRef(db::Transaction& tx, const TenantId& tenant,
                                                 std::string_view text) {
    db::Rows rows;
    if (const std::optional<Uuid> id = Uuid::Parse(text)) {
        OMC_ASSIGN_OR_RETURN(rows, tx.Query(kProductById, {tenant, *id}));
    } else if (const std::optional<std::string> code = identity::NormaliseCode(text)) {
        OMC_ASSIGN_OR_RETURN(rows, tx.Query(kProductByCode, {tenant, *code}));
    }
    if (rows.empty()) return std::optional<ProductRef>();
    return std::optional<ProductRef>(
        ProductRef{.id = rows[0].Id(0), .code = rows[0].Text(1), .unit = rows[0].Text(2)});
}

Result<std::optional<int64_t>> QueryDay(const http::RequestContext& ctx, std::string_view name) {
    OMC_ASSIGN_OR_RETURN(const std::optional<std::string> text, http::QueryDate(ctx, name));
    if (!text) return std::optional<int64_t>();
    const std::optional<int64_t> days = ParseDateDays(*text);
    if (!days) return InvalidArgument(std::string(name), "must be a date YYYY-MM-DD");
    return days;
}

Result<std::vector<PriceComponent>> ProductComponents(db::Transaction& tx, const TenantId& tenant,
                                                      const Uuid& product) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kProductComponents, {tenant, product}));
    std::vector<PriceComponent> out;
    for (const db::Row& row : rows) out.push_back(ComponentFromRow(row));
    return out;
}

std::string PeriodText(int64_t from, std::optional<int64_t> to) {
    return FormatDay(from) + " to " + (to ? FormatDay(*to) : std::string("open end"));
}

Result<void> InsertComponent(db::Transaction& tx, const TenantId& tenant, const PriceComponent& c) {
    OMC_TRY(tx.Execute(kInsertComponent,
                       {tenant, c.id, c.product_id, c.code, c.name, ComponentKindName(c.kind),
                        SubtotalName(c.subtotal), c.position, c.amount, c.valid_from_days,
                        c.valid_to_days, c.in_floor, c.gra_levy_code, c.source_ref, c.created_by,
                        c.created_at_us, c.updated_at_us}));
    return Ok();
}

// ---- build-up ----

Result<http::Reply> GetBuildUp(const BuildUpDeps& deps, http::RequestContext& ctx) {
    const std::optional<std::string> product_text = ctx.request().QueryParam("product");
    if (!product_text || product_text->empty()) {
        return InvalidArgument("product", "is required (a product id or code)");
    }
    OMC_ASSIGN_OR_RETURN(const std::optional<int64_t> date, QueryDay(ctx, "date"));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const std::optional<ProductRef> product,
                         FindProductRef(*tx, ctx.tenant(), *product_text));
    if (!product) return NotFound("product");
    const int64_t day = date.value_or(Today(deps));
    OMC_ASSIGN_OR_RETURN(const std::optional<BuildUp> build_up,
                         BuildUpAt(*tx, ctx.tenant(), product->id, static_cast<int32_t>(day)));
    if (!build_up) return NotFound("build-up of this product on that date");
    return http::Answer(BuildUpJson(*build_up));
}

// ---- components ----

Result<http::Reply> ListComponents(const BuildUpDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, http::PageAfter(page));
    OMC_ASSIGN_OR_RETURN(const std::optional<int64_t> date, QueryDay(ctx, "date"));
    std::optional<std::string> code = ctx.request().QueryParam("code");
    if (code) {
        code = identity::NormaliseCode(*code);
        if (!code) return InvalidArgument("code", "must be a component code");
    }
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    std::optional<Uuid> product_id;
    if (const std::optional<std::string> product_text = ctx.request().QueryParam("product")) {
        OMC_ASSIGN_OR_RETURN(const std::optional<ProductRef> product,
                             FindProductRef(*tx, ctx.tenant(), *product_text));
        if (!product) return NotFound("product");
        product_id = product->id;
    }
    OMC_ASSIGN_OR_RETURN(
        const db::Rows rows,
        tx->Query(kListComponents, {ctx.tenant(), after, page.limit + 1, product_id, date, code}));
    std::vector<PriceComponent> components;
    for (const db::Row& row : rows) components.push_back(ComponentFromRow(row));
    return http::PageReply(std::move(components), page.limit, ComponentJson);
}

Result<std::optional<PriceComponent>> FindComponent(db::Transaction& tx, const TenantId& tenant,
                                                    const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kFindComponent, {tenant, id}));
    if (rows.empty()) return std::optional<PriceComponent>();
    return std::optional<PriceComponent>(ComponentFromRow(rows[0]));
}

Result<http::Reply> GetComponent(const BuildUpDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const std::optional<PriceComponent> c,
                         FindComponent(*tx, ctx.tenant(), id));
    if (!c) return NotFound("component");
    return http::Answer(ComponentJson(*c));
}

std::optional<int64_t> ReadDay(http::JsonBody& body, std::string_view name, bool required) {
    const std::optional<std::string> text =
        required ? std::optional<std::string>(body.RequiredString(name, 10))
                 : body.OptionalString(name, 10);
    if (!text || text->empty()) return std::nullopt;
    const std::optional<int64_t> days = ParseDateDays(*text);
    if (!days) body.AddError(name, "must be a date YYYY-MM-DD");
    return days;
}

// The first component of the same product and code whose period shares a day with [from, to].
std::optional<PriceComponent> FirstOverlap(const std::vector<PriceComponent>& existing,
                                           const std::string& code, int64_t from,
                                           std::optional<int64_t> to,
                                           std::optional<Uuid> except = std::nullopt) {
    for (const PriceComponent& c : existing) {
        if (c.code != code || (except && c.id == *except)) continue;
        if (PeriodsOverlap(c.valid_from_days, c.valid_to_days, from, to)) return c;
    }
    return std::nullopt;
}

Error OverlapError(std::string field, const PriceComponent& other) {
    return Error(
        ErrorCode::kConflict, "overlapping effective dates",
        {{std::move(field), "overlaps component " + other.id.ToString() + " (" + other.code + ", " +
                                PeriodText(other.valid_from_days, other.valid_to_days) + ")"}});
}

Result<http::Reply> CreateComponent(const BuildUpDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"product", "code", "name", "kind", "subtotal", "position", "amount",
                        "valid_from", "valid_to", "in_floor", "gra_levy_code", "source_ref"});
    const std::string product_text = body.RequiredString("product", 64);
    const std::string raw_code = body.RequiredString("code", kCodeMaxLength);
    const std::string raw_name = body.RequiredString("name", kNameMaxLength);
    const std::string kind_text = body.RequiredEnum(
        "kind", {"ex_refinery", "tax", "levy", "regulated_margin", "omc_margin", "dealer_margin"});
    const std::string subtotal_text =
        body.RequiredEnum("subtotal", {"ex_refinery", "ex_depot", "ex_pump"});
    const int64_t position = body.RequiredInt64("position", 0, kMaxPosition);
    const int64_t amount = body.RequiredDecimal("amount", kAmountDecimals, -kMaxAmount, kMaxAmount);
    const std::optional<int64_t> from = ReadDay(body, "valid_from", /*required=*/true);
    const std::optional<int64_t> to = ReadDay(body, "valid_to", /*required=*/false);
    const std::optional<bool> in_floor = body.OptionalBool("in_floor");
    const std::optional<std::string> raw_gra = body.OptionalString("gra_levy_code", kCodeMaxLength);
    const std::optional<std::string> source_ref = body.OptionalString("source_ref", kTextMaxLength);
    const std::optional<std::string> code = identity::NormaliseCode(raw_code);
    if (!raw_code.empty() && !code) {
        body.AddError("code", "must be 1 to 32 of the characters A-Z, a-z, 0-9, _ and -");
    }
    const std::optional<std::string> name = identity::NormaliseName(raw_name);
    if (!raw_name.empty() && !name) body.AddError("name", "must not be blank");
    std::optional<std::string> gra;
    if (raw_gra) {
        gra = identity::NormaliseCode(*raw_gra);
        if (!gra) body.AddError("gra_levy_code", "must be a code (A-Z, a-z, 0-9, _ and -)");
    }
    if (from && to && *to < *from) body.AddError("valid_to", "must not be before valid_from");
    OMC_TRY(body.Finish());

    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const std::optional<ProductRef> product,
                         FindProductRef(*tx, ctx.tenant(), product_text));
    if (!product) {
        return Error(ErrorCode::kUnprocessable, "unknown reference",
                     {{"product", "no such product"}});
    }
    OMC_TRY(tx->Execute(kLockProduct, {ctx.tenant(), product->id}));
    OMC_ASSIGN_OR_RETURN(const std::vector<PriceComponent> existing,
                         ProductComponents(*tx, ctx.tenant(), product->id));
    if (const auto other = FirstOverlap(existing, *code, *from, to)) {
        return OverlapError("valid_from", *other);
    }
    const ComponentKind kind = *ParseComponentKind(kind_text);
    const TimestampUs now = deps.clock->NowUs();
    const PriceComponent c{.id = deps.ids->NewV7(),
                           .product_id = product->id,
                           .product_code = product->code,
                           .code = *code,
                           .name = *name,
                           .kind = kind,
                           .subtotal = *ParseSubtotal(subtotal_text),
                           .position = position,
                           .amount = amount,
                           .valid_from_days = *from,
                           .valid_to_days = to,
                           .in_floor = in_floor.value_or(DefaultInFloor(kind)),
                           .gra_levy_code = gra,
                           .source_ref = source_ref,
                           .created_by = CallerOf(ctx).subject,
                           .created_at_us = now,
                           .updated_at_us = now};
    OMC_TRY(InsertComponent(*tx, ctx.tenant(), c));
    json state = ComponentJson(c);
    OMC_TRY(events::RecordChange(ctx, *tx, *deps.ids, *deps.clock, "pricing.component_changed",
                                 "price_component", c.id,
                                 json{{"change", "created"}, {"component", state}}));
    return http::Created(std::move(state), "/api/v1/pricing/components", c.id);
}

// Ends a component (valid_to), or suspends it from a day, optionally reinstating it (a new row
// with the same figures) from a later day up to the old end.
Result<http::Reply> ChangeComponent(const BuildUpDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"valid_to", "suspend_from", "resume_on"});
    const bool ends = body.Has("valid_to");
    const bool suspends = body.Has("suspend_from");
    if (ends == suspends) {
        body.AddError(ends ? "suspend_from" : "valid_to",
                      "give either valid_to (end the component) or suspend_from (suspend it)");
    }
    if (!suspends && body.Has("resume_on")) {
        body.AddError("resume_on", "only with suspend_from");
    }
    const std::optional<int64_t> to = ReadDay(body, "valid_to", ends);
    const std::optional<int64_t> suspend_from = ReadDay(body, "suspend_from", suspends);
    const std::optional<int64_t> resume_on = ReadDay(body, "resume_on", /*required=*/false);
    if (suspend_from && resume_on && *resume_on <= *suspend_from) {
        body.AddError("resume_on", "must be after suspend_from");
    }
    OMC_TRY(body.Finish());

    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const std::optional<PriceComponent> found,
                         FindComponent(*tx, ctx.tenant(), id));
    if (!found) return NotFound("component");
    OMC_TRY(tx->Execute(kLockProduct, {ctx.tenant(), found->product_id}));
    OMC_ASSIGN_OR_RETURN(const std::optional<PriceComponent> locked,
                         FindComponent(*tx, ctx.tenant(), id));
    if (!locked) return NotFound("component");
    PriceComponent c = *locked;
    const TimestampUs now = deps.clock->NowUs();
    std::optional<PriceComponent> reinstated;
    std::string change;
    if (ends) {
        if (*to < c.valid_from_days) {
            return InvalidArgument(
                "valid_to", "must not be before valid_from (" + FormatDay(c.valid_from_days) + ")");
        }
        OMC_ASSIGN_OR_RETURN(const std::vector<PriceComponent> existing,
                             ProductComponents(*tx, ctx.tenant(), c.product_id));
        if (const auto other = FirstOverlap(existing, c.code, c.valid_from_days, to, c.id)) {
            return OverlapError("valid_to", *other);
        }
        c.valid_to_days = to;
        change = "ended";
    } else {
        if (*suspend_from <= c.valid_from_days) {
            return InvalidArgument(
                "suspend_from", "must be after valid_from (" + FormatDay(c.valid_from_days) + ")");
        }
        if (c.valid_to_days && *suspend_from > *c.valid_to_days) {
            return InvalidArgument(
                "suspend_from", "must not be after valid_to (" + FormatDay(*c.valid_to_days) + ")");
        }
        if (resume_on && c.valid_to_days && *resume_on > *c.valid_to_days) {
            return InvalidArgument(
                "resume_on", "must not be after valid_to (" + FormatDay(*c.valid_to_days) + ")");
        }
        if (resume_on) {
            PriceComponent again = c;
            again.id = deps.ids->NewV7();
            again.valid_from_days = *resume_on;
            again.created_by = CallerOf(ctx).subject;
            again.created_at_us = now;
            again.updated_at_us = now;
            reinstated = again;
        }
        c.valid_to_days = *suspend_from - 1;
        change = "suspended";
    }
    c.updated_at_us = now;
    OMC_TRY(tx->Execute(kSetValidTo, {ctx.tenant(), c.id, c.valid_to_days, now}));
    if (reinstated) OMC_TRY(InsertComponent(*tx, ctx.tenant(), *reinstated));
    json state = ComponentJson(c);
    json reinstated_json = reinstated ? ComponentJson(*reinstated) : json(nullptr);
    OMC_TRY(events::RecordChange(
        ctx, *tx, *deps.ids, *deps.clock, "pricing.component_changed", "price_component", c.id,
        json{{"change", change}, {"component", state}, {"reinstated", reinstated_json}}));
    state["reinstated"] = std::move(reinstated_json);
    return http::Answer(std::move(state));
}

// ---- import and export ----

Error ImportError(ErrorCode code, std::string message, std::vector<FieldError> errors) {
    if (errors.size() > kMaxErrors) errors.resize(kMaxErrors);
    return Error(code, std::move(message), std::move(errors));
}

constexpr std::string_view kXlsxMediaType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

std::string_view Stripped(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// The records of the uploaded file, CSV or XLSX (the router admits only these two media types).
// Of an XLSX sheet (the export's layout has a title, a subtitle and a blank row above the
// header), the rows above the first whose column A is "product" are dropped, and a date column
// holding a date serial number (a date cell) becomes "YYYY-MM-DD"; rows keep their sheet
// numbers, so errors name the rows a spreadsheet shows.
Result<std::vector<report::CsvRecord>> ImportRecords(http::RequestContext& ctx) {
    const auto type = ctx.request().Header("Content-Type");
    std::string media = type ? std::string(*type) : std::string();
    std::transform(media.begin(), media.end(), media.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (media.rfind(kXlsxMediaType, 0) != 0) {
        return report::ParseCsv(ctx.request().body,
                                {.max_bytes = 1 << 20, .max_rows = kCsvMaxRows});
    }
    OMC_ASSIGN_OR_RETURN(std::vector<report::CsvRecord> records,
                         report::ReadXlsx(ctx.request().body));  // 5 MB uncompressed, 10,000 rows
    const auto header = std::find_if(records.begin(), records.end(), [](const auto& r) {
        return !r.fields.empty() && Stripped(r.fields[0]) == kCsvColumns[0];
    });
    if (header != records.end()) records.erase(records.begin(), header);
    if (records.empty()) return std::vector<report::CsvRecord>();
    // The date columns, by the header's names (a misplaced header is reported by the checks).
    std::vector<size_t> dates;
    for (size_t i = 0; i < records[0].fields.size(); ++i) {
        const std::string_view name = Stripped(records[0].fields[i]);
        if (name == "valid_from" || name == "valid_to") dates.push_back(i);
    }
    for (size_t r = 1; r < records.size(); ++r) {
        for (const size_t i : dates) {
            std::string& cell = records[r].fields[i];
            if (auto date = report::ExcelSerialToDate(cell)) cell = std::move(*date);
        }
    }
    return records;
}

// All or nothing: every row is checked (form, product, overlaps within the file and with the
// stored components) before the first is written. With ?supersede=true an open-ended stored
// component that a row of the file follows (same product and code, starting earlier) is ended
// the day before the row starts, as a new window's figures replace the last window's.
Result<http::Reply> ImportBuildUp(const BuildUpDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const std::optional<bool> supersede_flag,
                         http::QueryBool(ctx, "supersede"));
    const bool supersede = supersede_flag.value_or(false);
    OMC_ASSIGN_OR_RETURN(const std::vector<report::CsvRecord> records, ImportRecords(ctx));
    std::vector<FieldError> errors;
    std::vector<CsvComponent> rows = ReadCsvComponents(records, errors);
    if (!errors.empty()) {
        return ImportError(ErrorCode::kInvalidArgument, "invalid file", std::move(errors));
    }
    if (rows.empty()) {
        return InvalidArgument("rows[2]", "row 2: the file has a header but no rows");
    }

    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    std::map<std::string, std::optional<ProductRef>> products;  // by the text as written
    for (CsvComponent& row : rows) {
        auto it = products.find(row.product);
        if (it == products.end()) {
            OMC_ASSIGN_OR_RETURN(std::optional<ProductRef> ref,
                                 FindProductRef(*tx, ctx.tenant(), row.product));
            it = products.emplace(row.product, std::move(ref)).first;
        }
        if (!it->second) {
            const std::string r = std::to_string(row.row);
            errors.push_back(
                {"rows[" + r + "].product",
                 "row " + r + ", column product: no such product '" + row.product + "'"});
            continue;
        }
        row.component.product_id = it->second->id;
        row.component.product_code = it->second->code;
    }
    if (!errors.empty()) {
        return ImportError(ErrorCode::kUnprocessable, "unknown reference", std::move(errors));
    }

    // Lock each product (in id order: two imports cannot deadlock) and load its components.
    std::set<Uuid> product_ids;
    for (const CsvComponent& row : rows) product_ids.insert(row.component.product_id);
    std::map<Uuid, std::vector<PriceComponent>> existing;
    for (const Uuid& product : product_ids) {
        OMC_TRY(tx->Execute(kLockProduct, {ctx.tenant(), product}));
        OMC_ASSIGN_OR_RETURN(existing[product], ProductComponents(*tx, ctx.tenant(), product));
    }

    // Within the file.
    for (size_t i = 0; i < rows.size(); ++i) {
        const PriceComponent& a = rows[i].component;
        for (size_t j = 0; j < i; ++j) {
            const PriceComponent& b = rows[j].component;
            if (a.product_id != b.product_id || a.code != b.code) continue;
            if (!PeriodsOverlap(a.valid_from_days, a.valid_to_days, b.valid_from_days,
                                b.valid_to_days)) {
                continue;
            }
            const std::string r = std::to_string(rows[i].row);
            errors.push_back(
                {"rows[" + r + "].valid_from", "row " + r + ", column valid_from: " + a.code +
                                                   " of " + a.product_code + " overlaps row " +
                                                   std::to_string(rows[j].row) + " of the file"});
            break;
        }
    }
    // With the stored components: first what superseding ends, then the overlaps left.
    std::map<Uuid, int64_t> ends;  // stored component -> its new valid_to
    if (supersede) {
        for (const CsvComponent& row : rows) {
            const PriceComponent& a = row.component;
            for (const PriceComponent& c : existing[a.product_id]) {
                if (c.code != a.code || c.valid_to_days || c.valid_from_days >= a.valid_from_days) {
                    continue;
                }
                auto [it, fresh] = ends.emplace(c.id, a.valid_from_days - 1);
                if (!fresh) it->second = std::min(it->second, a.valid_from_days - 1);
            }
        }
        for (auto& [product, list] : existing) {
            for (PriceComponent& c : list) {
                if (const auto it = ends.find(c.id); it != ends.end()) c.valid_to_days = it->second;
            }
        }
    }
    for (const CsvComponent& row : rows) {
        const PriceComponent& a = row.component;
        if (const auto other =
                FirstOverlap(existing[a.product_id], a.code, a.valid_from_days, a.valid_to_days)) {
            const std::string r = std::to_string(row.row);
            errors.push_back({"rows[" + r + "].valid_from",
                              "row " + r + ", column valid_from: " + a.code + " of " +
                                  a.product_code + " overlaps component " + other->id.ToString() +
                                  " (" + PeriodText(other->valid_from_days, other->valid_to_days) +
                                  ")"});
        }
    }
    if (!errors.empty()) {
        return ImportError(ErrorCode::kConflict, "overlapping effective dates", std::move(errors));
    }

    const TimestampUs now = deps.clock->NowUs();
    const std::string by = CallerOf(ctx).subject;
    json created = json::array();
    for (CsvComponent& row : rows) {
        PriceComponent& c = row.component;
        c.id = deps.ids->NewV7();
        c.created_by = by;
        c.created_at_us = now;
        c.updated_at_us = now;
        OMC_TRY(InsertComponent(*tx, ctx.tenant(), c));
        created.push_back(c.id.ToString());
    }
    json superseded = json::array();
    for (const auto& [component, valid_to] : ends) {
        OMC_TRY(tx->Execute(kSetValidTo, {ctx.tenant(), component, valid_to, now}));
        superseded.push_back({{"id", component.ToString()}, {"valid_to", FormatDay(valid_to)}});
    }
    json product_codes = json::array();
    for (const auto& [text, ref] : products) product_codes.push_back(ref->code);
    const Uuid import_id = deps.ids->NewV7();
    json state{{"import_id", import_id.ToString()},
               {"imported", rows.size()},
               {"products", std::move(product_codes)},
               {"components", std::move(created)},
               {"superseded", std::move(superseded)}};
    OMC_TRY(events::RecordChange(ctx, *tx, *deps.ids, *deps.clock, "pricing.build_up_imported",
                                 "price_build_up_import", import_id, state));
    return http::Answer(std::move(state));
}

// The components in force on a date (today by default), every product, in build-up order.
Result<http::Reply> ExportBuildUp(const BuildUpDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const std::optional<int64_t> date, QueryDay(ctx, "date"));
    // CSV unless ?format= asks for xlsx, pdf or json.
    report::Format format = report::Format::kCsv;
    if (ctx.request().QueryParam("format")) {
        OMC_ASSIGN_OR_RETURN(format, report::RequestedFormat(ctx.request()));
    }
    const int64_t day = date.value_or(Today(deps));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx->Query(kComponentsAt, {ctx.tenant(), day}));
    std::vector<PriceComponent> components;
    for (const db::Row& row : rows) components.push_back(ComponentFromRow(row));
    std::sort(components.begin(), components.end(),
              [](const PriceComponent& a, const PriceComponent& b) {
                  if (a.product_code != b.product_code) return a.product_code < b.product_code;
                  if (a.subtotal != b.subtotal) return a.subtotal < b.subtotal;
                  if (a.position != b.position) return a.position < b.position;
                  return a.code < b.code;
              });
    const report::Report table =
        ComponentsReport(components, "Price build-up components in force on " + FormatDay(day));
    if (format == report::Format::kJson) return http::Answer(report::ToJson(table));
    return report::FileReply(table, format, "build-up-" + FormatDay(day));
}

// ---- routes ----

using Handler = Result<http::Reply> (*)(const BuildUpDeps&, http::RequestContext&);

http::Route PricingRoute(http::Method method, std::string pattern, std::string name,
                         std::string permission, const BuildUpDeps& deps, Handler handler) {
    const bool reads = method == http::Method::kGet;
    return http::Route{
        .method = method,
        .pattern = std::move(pattern),
        .name = std::move(name),
        .auth = http::Auth::kAuthenticated,
        .rate = reads ? http::RateClass::kRead : http::RateClass::kWrite,
        .idempotent = method == http::Method::kPost,
        .tenant_owned = true,
        .permission = std::move(permission),
        .handler = [deps, handler](http::RequestContext& ctx) { return handler(deps, ctx); }};
}

}  // namespace

void RegisterBuildUpRoutes(http::Router& router, IdGenerator& ids, const Clock& clock) {
    using http::Method;
    const BuildUpDeps deps{.ids = &ids, .clock = &clock};
    router.Add(PricingRoute(Method::kGet, "/api/v1/pricing/build-up", "pricing.build_up.get",
                            "pricing.read", deps, GetBuildUp));
    router.Add(PricingRoute(Method::kGet, "/api/v1/pricing/build-up/export",
                            "pricing.build_up.export", "pricing.read", deps, ExportBuildUp));
    http::Route import =
        PricingRoute(Method::kPost, "/api/v1/pricing/build-up/import", "pricing.build_up.import",
                     "pricing.write", deps, ImportBuildUp);
    import.body_media_type = "text/csv";
    import.other_body_media_types = {std::string(kXlsxMediaType)};
    router.Add(std::move(import));
    router.Add(PricingRoute(Method::kGet, "/api/v1/pricing/components", "pricing.components.list",
                            "pricing.read", deps, ListComponents));
    router.Add(PricingRoute(Method::kPost, "/api/v1/pricing/components",
                            "pricing.components.create", "pricing.write", deps, CreateComponent));
    router.Add(PricingRoute(Method::kGet, "/api/v1/pricing/components/{id}",
                            "pricing.components.get", "pricing.read", deps, GetComponent));
    router.Add(PricingRoute(Method::kPatch, "/api/v1/pricing/components/{id}",
                            "pricing.components.change", "pricing.write", deps, ChangeComponent));
}

}  // namespace omc::pricing
