// Credit customers (B2B fleet accounts): the customer master, its vehicles and drivers.
#include <cctype>
#include <string>
#include <vector>

#include "domains/arap/arap.hpp"
#include "domains/arap/common.hpp"
#include "domains/arap/credit.hpp"
#include "domains/identity/identity_api.hpp"
#include "platform/base/money.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/params.hpp"

namespace omc::arap {
namespace {

using nlohmann::json;

constexpr db::Query kInsertCustomer{"arap.insert_customer", R"sql(
    INSERT INTO arap_customers (tenant_id, id, code, name, tin, contact_name, phone, email,
                                credit_limit, payment_terms_days, status, created_by,
                                created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13))sql"};

#define OMC_ARAP_CUSTOMER_COLUMNS                                                         \
    "id, code, name, tin, contact_name, phone, email, credit_limit, payment_terms_days, " \
    "status"

constexpr db::Query kCustomer{"arap.customer",
                              "SELECT " OMC_ARAP_CUSTOMER_COLUMNS
                              " FROM arap_customers WHERE tenant_id = $1 AND id = $2"};
constexpr db::Query kCustomerPage{"arap.customer_page",
                                  "SELECT " OMC_ARAP_CUSTOMER_COLUMNS
                                  ", " OMC_ARAP_EXPOSURE_SQL("arap_customers.id")
                                  " FROM arap_customers WHERE tenant_id = $1 AND id > $2"
                                  " AND ($3 = '' OR status = $3) ORDER BY id LIMIT $4"};

constexpr db::Query kUpdateCustomer{"arap.update_customer", R"sql(
    UPDATE arap_customers SET name = $3, tin = $4, contact_name = $5, phone = $6, email = $7,
                              credit_limit = $8, payment_terms_days = $9, status = $10,
                              updated_at_us = $11
    WHERE tenant_id = $1 AND id = $2)sql"};

constexpr db::Query kInsertVehicle{"arap.insert_vehicle", R"sql(
    INSERT INTO arap_vehicles (tenant_id, id, customer_id, registration, limit_period,
                               limit_amount, active, created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8))sql"};
constexpr db::Query kVehicles{"arap.vehicles", R"sql(
    SELECT id, registration, limit_period, limit_amount, active FROM arap_vehicles
    WHERE tenant_id = $1 AND customer_id = $2 ORDER BY registration)sql"};
constexpr db::Query kVehicle{"arap.vehicle", R"sql(
    SELECT id, registration, limit_period, limit_amount, active FROM arap_vehicles
    WHERE tenant_id = $1 AND customer_id = $2 AND id = $3)sql"};
constexpr db::Query kUpdateVehicle{"arap.update_vehicle", R"sql(
    UPDATE arap_vehicles SET limit_period = $4, limit_amount = $5, active = $6
    WHERE tenant_id = $1 AND customer_id = $2 AND id = $3)sql"};

constexpr db::Query kInsertDriver{"arap.insert_driver", R"sql(
    INSERT INTO arap_drivers (tenant_id, id, customer_id, name, phone, active, created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7))sql"};
constexpr db::Query kInsertDriverVehicle{"arap.insert_driver_vehicle", R"sql(
    INSERT INTO arap_driver_vehicles (tenant_id, driver_id, vehicle_id) VALUES ($1, $2, $3))sql"};
constexpr db::Query kDrivers{"arap.drivers", R"sql(
    SELECT d.id, d.name, d.phone, d.active
    FROM arap_drivers d WHERE d.tenant_id = $1 AND d.customer_id = $2 ORDER BY d.name, d.id)sql"};
constexpr db::Query kDriverVehicles{"arap.driver_vehicles", R"sql(
    SELECT dv.driver_id, dv.vehicle_id FROM arap_driver_vehicles dv
    JOIN arap_drivers d ON d.tenant_id = dv.tenant_id AND d.id = dv.driver_id
    WHERE dv.tenant_id = $1 AND d.customer_id = $2 ORDER BY dv.vehicle_id)sql"};

json CustomerJson(const db::Row& r) {
    return json{{"id", r.Id(0).ToString()},
                {"code", r.Text(1)},
                {"name", r.Text(2)},
                {"tin", OptionalText(r.OptText(3))},
                {"contact_name", OptionalText(r.OptText(4))},
                {"phone", OptionalText(r.OptText(5))},
                {"email", OptionalText(r.OptText(6))},
                {"credit_limit", FormatMoney(r.Int(7))},
                {"payment_terms_days", r.Int(8)},
                {"status", r.Text(9)}};
}

json VehicleJson(const db::Row& r) {
    return json{{"id", r.Id(0).ToString()},
                {"registration", r.Text(1)},
                {"limit_period", OptionalText(r.OptText(2))},
                {"limit", OptionalMoney(r.OptInt(3))},
                {"active", r.Bool(4)}};
}

struct CustomerFields {
    std::string code;
    std::string name;
    std::optional<std::string> tin, contact_name, phone, email;
    int64_t credit_limit = 0;
    int64_t terms_days = 0;
    std::string status = "active";
};

// Body fields shared by create (all required but the optional texts) and update (all optional:
// the stored value stays).
void ReadCustomer(http::JsonBody& body, CustomerFields& f, bool create) {
    if (create) {
        f.code = body.RequiredString("code", 32);
        f.name = body.RequiredString("name", kNameMaxLength);
        f.credit_limit = body.RequiredDecimal("credit_limit", kMoneyScale, 0, kMaxMoneyPesewas);
        f.terms_days = body.RequiredInt64("payment_terms_days", 0, kMaxTermsDays);
    } else {
        if (auto v = body.OptionalString("name", kNameMaxLength)) f.name = *v;
        if (auto v = body.OptionalDecimal("credit_limit", kMoneyScale, 0, kMaxMoneyPesewas)) {
            f.credit_limit = *v;
        }
        if (auto v = body.OptionalInt64("payment_terms_days", 0, kMaxTermsDays)) f.terms_days = *v;
    }
    if (auto v = body.OptionalString("tin", 32)) f.tin = v;
    if (auto v = body.OptionalString("contact_name", kNameMaxLength)) f.contact_name = v;
    if (auto v = body.OptionalString("phone", 32)) f.phone = v;
    if (auto v = body.OptionalString("email", kNameMaxLength)) f.email = v;
    if (auto v = body.OptionalEnum("status", {"active", "on_hold"})) f.status = *v;
}

Result<json> LoadCustomer(db::Transaction& tx, const TenantId& tenant, const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kCustomer, {tenant, id}));
    if (rows.empty()) return NotFound("customer");
    return CustomerJson(rows[0]);
}

Result<http::Reply> CreateCustomer(const ArapDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"id", "code", "name", "tin", "contact_name", "phone", "email",
                        "credit_limit", "payment_terms_days", "status"});
    const std::optional<Uuid> id = body.OptionalUuid("id");
    CustomerFields f;
    ReadCustomer(body, f, /*create=*/true);
    if (!body.HasErrors()) {
        const std::optional<std::string> code = identity::NormaliseCode(f.code);
        if (!code) body.AddError("code", "must be 1..32 of A-Z, 0-9, _ and -");
        f.code = code.value_or("");
    }
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    const Uuid new_id = id.value_or(deps.ids->NewV7());
    OMC_TRY(InsertOrConflict(
        *tx, kInsertCustomer,
        {ctx.tenant(), new_id, f.code, f.name, f.tin, f.contact_name, f.phone, f.email,
         f.credit_limit, f.terms_days, f.status, CallerOf(ctx).subject, deps.clock->NowUs()},
        "code", "a customer has this code or id"));
    OMC_ASSIGN_OR_RETURN(const json state, LoadCustomer(*tx, ctx.tenant(), new_id));
    OMC_TRY(RecordChange(deps, ctx, *tx, "arap.customer_created", "customer", new_id, state));
    return http::Created(state, "/api/v1/customers", new_id);
}

// What the customer owes now (credit.hpp CustomerExposure) and what is left of the limit.
Result<void> AddExposure(int64_t exposure, json& out) {
    OMC_ASSIGN_OR_RETURN(const int64_t limit,
                         ParseScaled(out["credit_limit"].get<std::string>(), kMoneyScale));
    out["exposure"] = FormatMoney(exposure);
    out["available"] = FormatMoney(limit - exposure);
    return Ok();
}

Result<http::Reply> ListCustomers(const ArapDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, http::PageAfter(page));
    std::string status = ctx.request().QueryParam("status").value_or("");
    if (!status.empty() && status != "active" && status != "on_hold") {
        return InvalidArgument("status", "must be active or on_hold");
    }
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kCustomerPage, {ctx.tenant(), after, status,
                                                   static_cast<int64_t>(page.limit + 1)}));
    struct Item {
        Uuid id;
        json data;
    };
    std::vector<Item> items;
    for (const db::Row& r : rows) {
        Item item{r.Id(0), CustomerJson(r)};
        OMC_TRY(AddExposure(r.Int(10), item.data));  // the page query's exposure column
        items.push_back(std::move(item));
    }
    return http::PageReply(std::move(items), page.limit, [](const Item& i) { return i.data; });
}

Result<json> DriversJson(db::Transaction& tx, const TenantId& tenant, const Uuid& customer) {
    OMC_ASSIGN_OR_RETURN(const db::Rows drivers, tx.Query(kDrivers, {tenant, customer}));
    OMC_ASSIGN_OR_RETURN(const db::Rows links, tx.Query(kDriverVehicles, {tenant, customer}));
    json out = json::array();
    for (const db::Row& d : drivers) {
        json allowed = json::array();
        for (const db::Row& l : links) {
            if (l.Id(0) == d.Id(0)) allowed.push_back(l.Id(1).ToString());
        }
        out.push_back({{"id", d.Id(0).ToString()},
                       {"name", d.Text(1)},
                       {"phone", OptionalText(d.OptText(2))},
                       {"active", d.Bool(3)},
                       {"vehicle_ids", std::move(allowed)}});
    }
    return out;
}

Result<http::Reply> GetCustomer(const ArapDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(json out, LoadCustomer(*tx, ctx.tenant(), id));
    OMC_ASSIGN_OR_RETURN(const int64_t exposure, CustomerExposure(*tx, ctx.tenant(), id));
    OMC_TRY(AddExposure(exposure, out));
    OMC_ASSIGN_OR_RETURN(const db::Rows vehicles, tx->Query(kVehicles, {ctx.tenant(), id}));
    out["vehicles"] = json::array();
    for (const db::Row& v : vehicles) out["vehicles"].push_back(VehicleJson(v));
    OMC_ASSIGN_OR_RETURN(out["drivers"], DriversJson(*tx, ctx.tenant(), id));
    return http::Answer(std::move(out));
}

Result<http::Reply> UpdateCustomer(const ArapDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"name", "tin", "contact_name", "phone", "email", "credit_limit",
                        "payment_terms_days", "status"});
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx->Query(kCustomer, {ctx.tenant(), id}));
    if (rows.empty()) return NotFound("customer");
    const db::Row& r = rows[0];
    CustomerFields f{.code = r.Text(1),
                     .name = r.Text(2),
                     .tin = r.OptText(3),
                     .contact_name = r.OptText(4),
                     .phone = r.OptText(5),
                     .email = r.OptText(6),
                     .credit_limit = r.Int(7),
                     .terms_days = r.Int(8),
                     .status = r.Text(9)};
    ReadCustomer(body, f, /*create=*/false);
    OMC_TRY(body.Finish());
    OMC_TRY(tx->Execute(kUpdateCustomer,
                        {ctx.tenant(), id, f.name, f.tin, f.contact_name, f.phone, f.email,
                         f.credit_limit, f.terms_days, f.status, deps.clock->NowUs()}));
    OMC_ASSIGN_OR_RETURN(const json state, LoadCustomer(*tx, ctx.tenant(), id));
    OMC_TRY(RecordChange(deps, ctx, *tx, "arap.customer_updated", "customer", id, state));
    return http::Answer(state);
}

// The vehicle limit fields: limit_period and limit given together, or neither.
void ReadVehicleLimit(http::JsonBody& body, std::optional<std::string>& period,
                      std::optional<int64_t>& limit) {
    period = body.OptionalEnum("limit_period", {"day", "month"});
    limit = body.OptionalDecimal("limit", kMoneyScale, 0, kMaxMoneyPesewas);
    if (period.has_value() != limit.has_value()) {
        body.AddError(period ? "limit" : "limit_period",
                      "limit and limit_period go together (or neither: no vehicle limit)");
    }
}

Result<void> CustomerExists(db::Transaction& tx, const TenantId& tenant, const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kCustomer, {tenant, id}));
    if (rows.empty()) return NotFound("customer");
    return Ok();
}

Result<http::Reply> CreateVehicle(const ArapDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid customer, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"id", "registration", "limit_period", "limit", "active"});
    const std::optional<Uuid> id = body.OptionalUuid("id");
    std::string registration = body.RequiredString("registration", 32);
    std::optional<std::string> period;
    std::optional<int64_t> limit;
    ReadVehicleLimit(body, period, limit);
    const bool active = body.OptionalBool("active").value_or(true);
    OMC_TRY(body.Finish());
    for (char& c : registration) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_TRY(CustomerExists(*tx, ctx.tenant(), customer));
    const Uuid new_id = id.value_or(deps.ids->NewV7());
    OMC_TRY(InsertOrConflict(
        *tx, kInsertVehicle,
        {ctx.tenant(), new_id, customer, registration, period, limit, active, deps.clock->NowUs()},
        "registration", "the account has this vehicle (or the id is taken)"));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kVehicle, {ctx.tenant(), customer, new_id}));
    json state = VehicleJson(rows[0]);
    state["customer_id"] = customer.ToString();
    OMC_TRY(RecordChange(deps, ctx, *tx, "arap.vehicle_created", "vehicle", new_id, state));
    return http::Created(state, "/api/v1/customers/" + customer.ToString() + "/vehicles", new_id);
}

Result<http::Reply> UpdateVehicle(const ArapDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid customer, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx, "vehicle_id"));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"limit_period", "limit", "active"});
    std::optional<std::string> period;
    std::optional<int64_t> limit;
    ReadVehicleLimit(body, period, limit);
    const std::optional<bool> active = body.OptionalBool("active");
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx->Query(kVehicle, {ctx.tenant(), customer, id}));
    if (rows.empty()) return NotFound("vehicle");
    // Absent limit fields keep the stored limit; "limit_period": null with "limit": null clears.
    const bool limit_given = body.raw().contains("limit_period") || body.raw().contains("limit");
    const std::optional<std::string> new_period = limit_given ? period : rows[0].OptText(2);
    const std::optional<int64_t> new_limit = limit_given ? limit : rows[0].OptInt(3);
    OMC_TRY(tx->Execute(kUpdateVehicle, {ctx.tenant(), customer, id, new_period, new_limit,
                                         active.value_or(rows[0].Bool(4))}));
    OMC_ASSIGN_OR_RETURN(const db::Rows after, tx->Query(kVehicle, {ctx.tenant(), customer, id}));
    json state = VehicleJson(after[0]);
    state["customer_id"] = customer.ToString();
    OMC_TRY(RecordChange(deps, ctx, *tx, "arap.vehicle_updated", "vehicle", id, state));
    return http::Answer(state);
}

Result<http::Reply> CreateDriver(const ArapDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid customer, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"id", "name", "phone", "vehicle_ids", "active"});
    const std::optional<Uuid> id = body.OptionalUuid("id");
    const std::string name = body.RequiredString("name", kNameMaxLength);
    const std::optional<std::string> phone = body.OptionalString("phone", 32);
    std::vector<Uuid> vehicles;
    if (body.Has("vehicle_ids")) vehicles = body.RequiredUuidArray("vehicle_ids", 0, 100);
    const bool active = body.OptionalBool("active").value_or(true);
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_TRY(CustomerExists(*tx, ctx.tenant(), customer));
    const Uuid new_id = id.value_or(deps.ids->NewV7());
    OMC_TRY(
        InsertOrConflict(*tx, kInsertDriver,
                         {ctx.tenant(), new_id, customer, name, phone, active, deps.clock->NowUs()},
                         "id", "a driver has this id"));
    json allowed = json::array();
    for (size_t i = 0; i < vehicles.size(); ++i) {
        OMC_ASSIGN_OR_RETURN(const db::Rows v,
                             tx->Query(kVehicle, {ctx.tenant(), customer, vehicles[i]}));
        if (v.empty()) {
            return Error(ErrorCode::kUnprocessable, "invalid request",
                         {{"vehicle_ids[" + std::to_string(i) + "]",
                           "is not a vehicle of this customer's account"}});
        }
        OMC_TRY(InsertOrConflict(*tx, kInsertDriverVehicle, {ctx.tenant(), new_id, vehicles[i]},
                                 "vehicle_ids[" + std::to_string(i) + "]", "is listed twice"));
        allowed.push_back(vehicles[i].ToString());
    }
    json state{{"id", new_id.ToString()},
               {"customer_id", customer.ToString()},
               {"name", name},
               {"phone", OptionalText(phone)},
               {"active", active},
               {"vehicle_ids", std::move(allowed)}};
    OMC_TRY(RecordChange(deps, ctx, *tx, "arap.driver_created", "driver", new_id, state));
    return http::Created(state, "/api/v1/customers/" + customer.ToString() + "/drivers", new_id);
}

}  // namespace

void RegisterCustomerRoutes(http::Router& router, const ArapDeps& deps) {
    using http::Method;
    router.Add(Route(Method::kGet, "/api/v1/customers", "arap.customers.list", "customers.read",
                     deps, ListCustomers));
    router.Add(Route(Method::kPost, "/api/v1/customers", "arap.customers.create",
                     "customers.manage", deps, CreateCustomer));
    router.Add(Route(Method::kGet, "/api/v1/customers/{id}", "arap.customers.get", "customers.read",
                     deps, GetCustomer));
    router.Add(Route(Method::kPatch, "/api/v1/customers/{id}", "arap.customers.update",
                     "customers.manage", deps, UpdateCustomer));
    router.Add(Route(Method::kPost, "/api/v1/customers/{id}/vehicles", "arap.vehicles.create",
                     "customers.manage", deps, CreateVehicle));
    router.Add(Route(Method::kPatch, "/api/v1/customers/{id}/vehicles/{vehicle_id}",
                     "arap.vehicles.update", "customers.manage", deps, UpdateVehicle));
    router.Add(Route(Method::kPost, "/api/v1/customers/{id}/drivers", "arap.drivers.create",
                     "customers.manage", deps, CreateDriver));
}

}  // namespace omc::arap
