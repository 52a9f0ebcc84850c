#include "app/demo_finance.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <set>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/demo_places.hpp"
#include "domains/arap/common.hpp"
#include "domains/arap/documents.hpp"
#include "domains/arap/model.hpp"
#include "domains/arap/postings.hpp"
#include "domains/payments/reconciliation.hpp"
#include "platform/base/money.hpp"

namespace omc::app {
namespace {

constexpr int64_t kUsPerHour = 3'600 * kUsPerSecond;
constexpr int64_t kUsPerDay = 24 * kUsPerHour;
constexpr std::string_view kCreatedBy = "omc demo";
constexpr int64_t kCedi = 100;  // pesewas

// ---- receivables: the fleet customers ----

struct FleetDef {
    std::string_view code;
    std::string_view name;
    std::string_view tin;  // TIN-like, marked DEMO: not a real taxpayer's number
    std::string_view contact;
    int64_t terms_days;
    std::string_view method;  // how they pay: bank, momo, cheque
    int64_t pay_delay_days;   // the payment's date − the invoice's due date
    bool rounds_down;         // pays round thousands, leaving a little on each invoice
    bool near_limit;          // the limit is set just above what they owe now
    bool slow;                // stops paying after a part payment; put on hold
    double fleet_share;       // vehicles, relative to the others
};

constexpr std::array<FleetDef, kDemoFleets> kFleets{{
    {"FLT-ADOM", "Adom Haulage & Logistics Ltd", "DEMO-C0004718263", "Kofi Adomako", 30, "bank", -3,
     false, false, false, 1.6},
    {"FLT-SIKA", "Sika Intercity Transport Ltd", "DEMO-C0009125570", "Abena Sika Owusu", 21, "momo",
     0, false, true, false, 1.2},
    {"FLT-KWAHU", "Kwahu Ridge Construction Ltd", "DEMO-C0003386142", "Yaw Boakye", 30, "cheque",
     12, false, false, false, 0.8},
    {"FLT-VOLTA", "Volta Agro-Logistics Co. Ltd", "DEMO-C0006651908", "Esi Agbeko", 14, "bank", 2,
     true, false, false, 1.0},
    {"FLT-OKYE", "Okyeman Quarry & Construction Ltd", "DEMO-C0002290471", "Kwame Ofori-Atta", 7,
     "cheque", 20, false, false, true, 0.6},
}};
constexpr std::array<std::string_view, 10> kPlatePrefixes{"GR", "GT", "GN", "GE", "GW",
                                                          "AS", "WR", "ER", "CR", "VR"};

constexpr db::Query kInsertCustomer{"demo.arap_customer", R"sql(
    INSERT INTO arap_customers (tenant_id, id, code, name, tin, contact_name, phone, email,
                                credit_limit, payment_terms_days, status, created_by,
                                created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14))sql"};
constexpr db::Query kInsertVehicle{"demo.arap_vehicle", R"sql(
    INSERT INTO arap_vehicles (tenant_id, id, customer_id, registration, limit_period,
                               limit_amount, active, created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7))sql"};
constexpr db::Query kInsertDriver{"demo.arap_driver", R"sql(
    INSERT INTO arap_drivers (tenant_id, id, customer_id, name, phone, active, created_at_us)
    VALUES ($1, $2, $3, $4, $5, TRUE, $6))sql"};
constexpr db::Query kInsertDriverVehicle{"demo.arap_driver_vehicle", R"sql(
    INSERT INTO arap_driver_vehicles (tenant_id, driver_id, vehicle_id) VALUES ($1, $2, $3))sql"};
constexpr db::Query kInsertInvoice{"demo.arap_invoice", R"sql(
    INSERT INTO arap_invoices (tenant_id, id, number, invoice_no, customer_id, period_from,
                               period_to, issued_on, due_on, total, line_count, created_by,
                               created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13))sql"};
constexpr db::Query kInsertCustomerPayment{"demo.arap_customer_payment", R"sql(
    INSERT INTO arap_customer_payments (tenant_id, id, customer_id, method, reference,
                                        station_id, amount, received_on, created_by,
                                        created_at_us)
    VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8, $9))sql"};
constexpr db::Query kInsertCustomerAllocation{"demo.arap_customer_allocation", R"sql(
    INSERT INTO arap_customer_allocations (tenant_id, payment_id, invoice_id, amount)
    VALUES ($1, $2, $3, $4))sql"};

// ---- payables ----

struct SupplierDef {
    std::string_view code;
    std::string_view prefix;  // of the supplier's own invoice numbers
    std::string_view tin;
    int64_t terms_days;
    std::string_view method;  // bank, cheque
    int64_t pay_lead_days;    // a pay run pays what falls due within this many days (< 0: late)
};
// The BDCs, in the order of demo::Suppliers() (the deliveries' supplier names).
constexpr std::array<SupplierDef, 3> kBdcs{{
    {"BDC-01", "BOI", "DEMO-C0001187364", 30, "bank", 7},
    {"BDC-02", "CPG", "DEMO-C0005529013", 21, "bank", 0},
    {"BDC-03", "JEL", "DEMO-C0007740215", 14, "cheque", -21},
}};

constexpr db::Query kInsertSupplier{"demo.arap_supplier", R"sql(
    INSERT INTO arap_suppliers (tenant_id, id, code, kind, name, tin, contact_name, phone,
                                payment_terms_days, created_by, created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11))sql"};
constexpr db::Query kInsertSettings{"demo.arap_settings", R"sql(
    INSERT INTO arap_settings (tenant_id, quantity_tolerance_bp, price_tolerance_bp,
                               mismatch_action, updated_at_us)
    VALUES ($1, $2, $3, 'flag', $4))sql"};
constexpr db::Query kInsertOrder{"demo.arap_purchase_order", R"sql(
    INSERT INTO arap_purchase_orders (tenant_id, id, po_no, supplier_id, depot, product_id,
                                      quantity_milli, unit_price, status, ordered_on, created_by,
                                      created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12))sql"};
constexpr db::Query kInsertSupplierInvoice{"demo.arap_supplier_invoice", R"sql(
    INSERT INTO arap_supplier_invoices (tenant_id, id, supplier_id, invoice_no, purchase_order_id,
                                        invoice_date, due_on, quantity_milli, unit_price,
                                        net_amount, vat_amount, total, match_status, match_notes,
                                        created_by, created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $10, $11, $12, $13, $14))sql"};
constexpr db::Query kInsertInvoiceDelivery{"demo.arap_supplier_invoice_delivery", R"sql(
    INSERT INTO arap_supplier_invoice_deliveries (tenant_id, invoice_id, delivery_id,
                                                  quantity_milli)
    VALUES ($1, $2, $3, $4))sql"};
constexpr db::Query kInsertSupplierPayment{"demo.arap_supplier_payment", R"sql(
    INSERT INTO arap_supplier_payments (tenant_id, id, supplier_id, method, reference, amount,
                                        paid_on, created_by, created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9))sql"};
constexpr db::Query kInsertSupplierAllocation{"demo.arap_supplier_allocation", R"sql(
    INSERT INTO arap_supplier_allocations (tenant_id, payment_id, invoice_id, amount)
    VALUES ($1, $2, $3, $4))sql"};

// ---- pricing ----

constexpr db::Query kInsertComponent{"demo.price_component", R"sql(
    INSERT INTO price_components (tenant_id, id, product_id, code, name, kind, subtotal, position,
                                  amount, valid_from_days, valid_to_days, in_floor, gra_levy_code,
                                  source_ref, created_by, created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16))sql"};
constexpr db::Query kInsertFloor{"demo.pricing_floor", R"sql(
    INSERT INTO pricing_floors (tenant_id, id, window_start, product_id, unit_price,
                                ex_refinery_unit_price, reference, created_by, created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9))sql"};
constexpr db::Query kInsertProposal{"demo.pricing_proposal", R"sql(
    INSERT INTO pricing_proposals (tenant_id, id, window_start, status, note, proposed_by,
                                   proposed_at_us, decided_by, decided_at_us, reason,
                                   scheduled_by, scheduled_at_us, in_force_at_us, submitted_by,
                                   submitted_at_us, submission_late)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16))sql"};
constexpr db::Query kInsertProposalLine{"demo.pricing_proposal_line", R"sql(
    INSERT INTO pricing_proposal_lines (tenant_id, proposal_id, line_no, product_id, scope,
                                        zone_id, station_id, mode, unit_price,
                                        regulated_unit_price, marketer_margin, dealer_margin)
    VALUES ($1, $2, $3, $4, 'network', NULL, NULL, 'price', $5, NULL, NULL, NULL))sql"};

// ---- dates ----

TimestampUs DayStartUs(const std::string& date) { return *ParseDateDays(date) * kUsPerDay; }

// The half-month (1st–15th, 16th–last) holding `date`: its first and last days.
std::pair<std::string, std::string> HalfMonth(const std::string& date) {
    const std::string month = date.substr(0, 8);  // "YYYY-MM-"
    if (date.substr(8) <= "15") return {month + "01", month + "15"};
    const std::string next = arap::AddDays(month + "01", 31).substr(0, 8) + "01";
    return {month + "16", arap::AddDays(next, -1)};
}

int64_t RoundUp(int64_t value, int64_t step) { return (value + step - 1) / step * step; }

}  // namespace

// ======================================================================================
// Receivables
// ======================================================================================

DemoReceivables::DemoReceivables(const TenantId& tenant, uint64_t seed, TimestampUs start,
                                 TimestampUs now, int64_t account_sales_per_day)
    : tenant_(tenant),
      start_(start),
      now_(now),
      today_(FormatDate(now)),
      rng_(seed ^
           0x41524150'46494e41ULL),  // "ARAPFINA": its own engine, the history's is untouched
      credit_sales_("arap_credit_sales",
                    {"tenant_id", "sale_id", "customer_id", "vehicle_id", "driver_id", "station_id",
                     "amount", "sold_at_us", "invoice_id"}) {
    std::set<std::string> plates;
    const double per_customer =
        static_cast<double>(account_sales_per_day) / static_cast<double>(kDemoFleets);
    for (size_t i = 0; i < kDemoFleets; ++i) {
        const FleetDef& def = kFleets[i];
        Customer c;
        c.id = rng_.IdAt(start - 60 * kUsPerDay);
        c.def = i;
        // About three fills per vehicle a day.
        const int64_t vehicles =
            std::clamp<int64_t>(std::llround(per_customer / 3.0 * def.fleet_share), 4, 40);
        for (int64_t v = 0; v < vehicles; ++v) {
            Vehicle vehicle;
            vehicle.id = rng_.IdAt(start - 60 * kUsPerDay);
            do {
                vehicle.registration =
                    fmt::format("{}-{:04}-{:02}", rng_.Pick<std::string_view>(kPlatePrefixes),
                                rng_.Between(1'000, 9'999), rng_.Between(12, 25));
            } while (!plates.insert(vehicle.registration).second);
            // The first two of each fleet have no limit of their own (the pool cars); then
            // every third a daily limit, every fifth a monthly one.
            if (v >= 2 && v % 3 == 2) {
                vehicle.limit_period = "day";
                vehicle.limit_amount = rng_.Between(5, 8) * 500 * kCedi;
            } else if (v >= 2 && v % 5 == 4) {
                vehicle.limit_period = "month";
                vehicle.limit_amount = rng_.Between(3, 6) * 10'000 * kCedi;
            }
            c.vehicles.push_back(std::move(vehicle));
        }
        for (size_t v = 0; v < c.vehicles.size() + 2; ++v) {
            const bool relief = v >= c.vehicles.size();
            if (!relief && !rng_.Chance(0.85)) continue;
            Driver d;
            d.id = rng_.IdAt(start - 60 * kUsPerDay);
            d.name =
                fmt::format("{} {}", rng_.Pick(demo::GivenNames()), rng_.Pick(demo::FamilyNames()));
            d.phone = fmt::format("+23324{:07}", rng_.Between(0, 9'999'999));
            if (!relief) {
                d.vehicle = v;
                c.vehicles[v].driver = d.id;
            }
            c.drivers.push_back(std::move(d));
        }
        if (def.slow) {
            // Put on hold three weeks after its first invoice fell due unpaid.
            const auto [from, to] = HalfMonth(FormatDate(start));
            const std::string due = arap::AddDays(arap::AddDays(to, 1), def.terms_days);
            const TimestampUs hold = DayStartUs(arap::AddDays(due, 21)) + 9 * kUsPerHour;
            c.hold_at = hold <= now ? hold : 0;
        }
        customers_.push_back(std::move(c));
    }
}

size_t DemoReceivables::CustomerFor(size_t draw, TimestampUs at) const {
    const Customer& c = customers_[draw % kDemoFleets];
    if (c.hold_at != 0 && at >= c.hold_at) return (draw + 1) % kDemoFleets;
    return draw % kDemoFleets;
}

Result<void> DemoReceivables::Sale(db::Transaction& tx, const Uuid& sale, size_t customer,
                                   const Uuid& station, int64_t amount, TimestampUs at) {
    Customer& c = customers_[customer];
    const std::string date = FormatDate(at);
    auto key = [&](size_t v) {
        const Vehicle& vehicle = c.vehicles[v];
        return std::make_tuple(customer, v,
                               *vehicle.limit_period == "day" ? date : date.substr(0, 7));
    };
    auto fits = [&](size_t v) {
        const Vehicle& vehicle = c.vehicles[v];
        if (!vehicle.limit_period) return true;
        const auto found = used_.find(key(v));
        const int64_t used = found == used_.end() ? 0 : found->second;
        return used + amount <= vehicle.limit_amount;
    };
    const int64_t count = static_cast<int64_t>(c.vehicles.size());
    std::optional<size_t> chosen;
    for (int attempt = 0; attempt < 3 && !chosen; ++attempt) {
        const size_t v = static_cast<size_t>(rng_.Between(0, count - 1));
        if (fits(v)) chosen = v;
    }
    if (!chosen) chosen = static_cast<size_t>(rng_.Between(0, 1));  // a pool car: no limit
    const Vehicle& vehicle = c.vehicles[*chosen];
    if (vehicle.limit_period) used_[key(*chosen)] += amount;
    c.daily_change[*ParseDateDays(date)] += amount;

    const auto [from, to] = HalfMonth(date);
    const std::string issued_on = arap::AddDays(to, 1);
    std::optional<Uuid> invoice_id;
    if (issued_on <= today_) {
        auto [it, fresh] = invoices_.try_emplace({from, customer});
        Invoice& invoice = it->second;
        if (fresh) {
            invoice.id = rng_.IdAt(DayStartUs(issued_on) + 8 * kUsPerHour);
            invoice.customer = customer;
            invoice.from = from;
            invoice.to = to;
            invoice.issued_on = issued_on;
            invoice.due_on = arap::AddDays(issued_on, kFleets[c.def].terms_days);
        }
        invoice.lines.push_back({at, sale, station, vehicle.id, vehicle.driver, amount});
        invoice_id = invoice.id;
    }
    return credit_sales_.Add(
        tx, {tenant_, sale, c.id, vehicle.id, vehicle.driver, station, amount, at, invoice_id});
}

Result<void> DemoReceivables::Finish(db::Transaction& tx, IdGenerator& ids,
                                     std::vector<std::string>& planted, DemoFinanceCounts& counts) {
    OMC_TRY(credit_sales_.Flush(tx));
    counts.credit_sales = credit_sales_.total();

    // Invoices in the order they were issued (then the customers'), numbered by arap's counter.
    std::vector<Invoice*> issued;
    for (auto& [key, invoice] : invoices_) issued.push_back(&invoice);
    std::sort(issued.begin(), issued.end(), [](const Invoice* a, const Invoice* b) {
        return std::tie(a->issued_on, a->customer) < std::tie(b->issued_on, b->customer);
    });
    demo::Bulk lines("arap_invoice_lines",
                     {"tenant_id", "invoice_id", "line_no", "sale_id", "station_id", "vehicle_id",
                      "driver_id", "sold_at_us", "amount"});
    for (Invoice* invoice : issued) {
        OMC_ASSIGN_OR_RETURN(invoice->number, arap::TakeDocumentNumber(tx, tenant_, "invoice"));
        std::sort(invoice->lines.begin(), invoice->lines.end(), [](const Line& a, const Line& b) {
            return std::tie(a.at, a.sale) < std::tie(b.at, b.sale);
        });
        for (const Line& l : invoice->lines) invoice->total += l.amount;
        invoice->outstanding = invoice->total;
        OMC_TRY(tx.Execute(
            kInsertInvoice,
            {tenant_, invoice->id, invoice->number, arap::InvoiceNo(invoice->number),
             customers_[invoice->customer].id, invoice->from, invoice->to, invoice->issued_on,
             invoice->due_on, invoice->total, static_cast<int64_t>(invoice->lines.size()),
             std::string(kCreatedBy), DayStartUs(invoice->issued_on) + 8 * kUsPerHour}));
        int64_t line_no = 0;
        for (const Line& l : invoice->lines) {
            OMC_TRY(lines.Add(tx, {tenant_, invoice->id, ++line_no, l.sale, l.station, l.vehicle,
                                   l.driver, l.at, l.amount}));
        }
    }
    OMC_TRY(lines.Flush(tx));
    counts.invoices = static_cast<int64_t>(issued.size());

    // Payments, as each customer pays: on (or around) the due date, the slow payer once in part.
    struct Planned {
        std::string date;
        size_t customer = 0;
        int64_t amount = 0;
    };
    std::vector<Planned> planned;
    std::vector<bool> first_seen(kDemoFleets, false);
    for (const Invoice* invoice : issued) {
        const FleetDef& def = kFleets[customers_[invoice->customer].def];
        int64_t amount = invoice->total;
        if (def.slow) {
            if (first_seen[invoice->customer]) continue;
            amount = invoice->total * 4 / 10 / (100 * kCedi) * (100 * kCedi);
        } else if (def.rounds_down) {
            amount = invoice->total / (1'000 * kCedi) * (1'000 * kCedi);
        }
        first_seen[invoice->customer] = true;
        const std::string date = arap::AddDays(invoice->due_on, def.pay_delay_days);
        if (amount > 0 && date <= today_) planned.push_back({date, invoice->customer, amount});
    }
    std::stable_sort(planned.begin(), planned.end(), [](const Planned& a, const Planned& b) {
        return std::tie(a.date, a.customer) < std::tie(b.date, b.customer);
    });
    for (const Planned& p : planned) {
        Customer& c = customers_[p.customer];
        const FleetDef& def = kFleets[c.def];
        std::vector<arap::OpenDocument> open;
        for (const Invoice* invoice : issued) {
            if (invoice->customer == p.customer && invoice->issued_on <= p.date &&
                invoice->outstanding > 0) {
                open.push_back(
                    {invoice->id, invoice->due_on, invoice->number, invoice->outstanding});
            }
        }
        OMC_ASSIGN_OR_RETURN(const std::vector<arap::Allocation> allocations,
                             arap::Allocate(p.amount, std::move(open), std::nullopt));
        const TimestampUs at = DayStartUs(p.date) + 10 * kUsPerHour;
        const Uuid id = rng_.IdAt(at);
        const std::string ref =
            def.method == "momo"     ? fmt::format("MM{:010}", rng_.Between(0, 9'999'999'999))
            : def.method == "cheque" ? fmt::format("CHQ {:06}", rng_.Between(1, 999'999))
                                     : fmt::format("GCB/TRF/{:06}", rng_.Between(1, 999'999));
        OMC_TRY(
            tx.Execute(kInsertCustomerPayment, {tenant_, id, c.id, std::string(def.method), ref,
                                                p.amount, p.date, std::string(kCreatedBy), at}));
        for (const arap::Allocation& a : allocations) {
            OMC_TRY(tx.Execute(kInsertCustomerAllocation, {tenant_, id, a.document_id, a.amount}));
            for (Invoice* invoice : issued) {
                if (invoice->id == a.document_id) invoice->outstanding -= a.amount;
            }
        }
        OMC_TRY(arap::PostCustomerPayment(
            tx, tenant_, {.ids = &ids, .created_by = std::string(kCreatedBy), .now = now_},
            {.payment_id = id,
             .customer_id = c.id,
             .method = std::string(def.method),
             .station_id = std::nullopt,
             .amount = p.amount,
             .received_on = p.date}));
        c.daily_change[*ParseDateDays(p.date)] -= p.amount;
    }
    counts.customer_payments = static_cast<int64_t>(planned.size());

    // The accounts, with limits that fit what the history made them owe.
    for (Customer& c : customers_) {
        const FleetDef& def = kFleets[c.def];
        int64_t running = 0, peak = 0;
        for (const auto& [day, change] : c.daily_change) {
            running += change;
            peak = std::max(peak, running);
        }
        int64_t limit = 0;
        if (def.near_limit) {
            limit = std::max<int64_t>(RoundUp(running * 103 / 100, 1'000 * kCedi), 20'000 * kCedi);
        } else if (def.slow) {
            limit = std::max<int64_t>(RoundUp(peak, 10'000 * kCedi), 20'000 * kCedi);
        } else {
            limit = std::max<int64_t>(RoundUp(peak * 3 / 2, 10'000 * kCedi), 50'000 * kCedi);
        }
        const bool on_hold = c.hold_at != 0;
        const TimestampUs created = start_ - 60 * kUsPerDay;
        std::string email(def.code.substr(4));
        std::transform(email.begin(), email.end(), email.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        OMC_TRY(tx.Execute(
            kInsertCustomer,
            {tenant_, c.id, std::string(def.code), std::string(def.name), std::string(def.tin),
             std::string(def.contact), fmt::format("+23330{:07}", rng_.Between(0, 9'999'999)),
             fmt::format("accounts@{}.demo.omc.example", email), limit, def.terms_days,
             on_hold ? "on_hold" : "active", std::string(kCreatedBy), created,
             on_hold ? c.hold_at : created}));
        ++counts.customers;
        for (const Vehicle& v : c.vehicles) {
            OMC_TRY(tx.Execute(
                kInsertVehicle,
                {tenant_, v.id, c.id, v.registration, v.limit_period,
                 v.limit_period ? db::Param(v.limit_amount) : db::Param(db::Null{}), created}));
            ++counts.vehicles;
        }
        for (const Driver& d : c.drivers) {
            OMC_TRY(tx.Execute(kInsertDriver, {tenant_, d.id, c.id, d.name, d.phone, created}));
            if (d.vehicle) {
                OMC_TRY(
                    tx.Execute(kInsertDriverVehicle, {tenant_, d.id, c.vehicles[*d.vehicle].id}));
            }
        }
        if (def.near_limit && running > 0) {
            planted.push_back(fmt::format(
                "customer {} owes GH₵ {} of its GH₵ {} credit limit: its next large fills are "
                "refused",
                def.name, running / kCedi, limit / kCedi));
        }
        if (on_hold) {
            int64_t overdue = 0;
            for (const Invoice* invoice : issued) {
                if (invoice->customer == static_cast<size_t>(&c - customers_.data()) &&
                    invoice->due_on < today_) {
                    overdue += invoice->outstanding;
                }
            }
            planted.push_back(fmt::format(
                "customer {} is on hold since {} with GH₵ {} overdue (a part payment, then "
                "nothing): its account sales are refused",
                def.name, FormatDate(c.hold_at), overdue / kCedi));
        }
    }
    return Ok();
}

// ======================================================================================
// Payables
// ======================================================================================

DemoPayables::DemoPayables(const TenantId& tenant, uint64_t seed, TimestampUs now)
    : tenant_(tenant), now_(now), rng_(seed ^ 0x50415941'424c4553ULL) {}  // "PAYABLES"

Result<void> DemoPayables::Finish(db::Transaction& tx, IdGenerator& ids,
                                  std::vector<std::string>& planted, DemoFinanceCounts& counts) {
    const std::string today = FormatDate(now_);
    TimestampUs first = now_;
    for (const DeliveryFact& d : deliveries_) first = std::min(first, d.delivered_at);
    const TimestampUs created = first - 90 * kUsPerDay;

    // The BDCs (the deliveries' suppliers) and the transporter most loads come with.
    std::vector<Uuid> bdcs;
    for (size_t i = 0; i < kBdcs.size(); ++i) {
        const SupplierDef& def = kBdcs[i];
        const Uuid id = rng_.IdAt(created);
        OMC_TRY(tx.Execute(
            kInsertSupplier,
            {tenant_, id, std::string(def.code), "bdc", std::string(demo::Suppliers()[i]),
             std::string(def.tin),
             fmt::format("{} {}", rng_.Pick(demo::GivenNames()), rng_.Pick(demo::FamilyNames())),
             fmt::format("+23330{:07}", rng_.Between(0, 9'999'999)), def.terms_days,
             std::string(kCreatedBy), created}));
        bdcs.push_back(id);
    }
    OMC_TRY(tx.Execute(kInsertSupplier, {tenant_, rng_.IdAt(created), "TRN-01", "transporter",
                                         std::string(demo::Transporters()[0]), "DEMO-C0008813526",
                                         fmt::format("{} {}", rng_.Pick(demo::GivenNames()),
                                                     rng_.Pick(demo::FamilyNames())),
                                         fmt::format("+23332{:07}", rng_.Between(0, 9'999'999)),
                                         int64_t{30}, std::string(kCreatedBy), created}));
    counts.suppliers = static_cast<int64_t>(kBdcs.size()) + 1;
    // Mismatched invoices are kept for review (flag), with arap's default tolerances.
    const arap::MatchTolerances tolerances{.quantity_bp = 50, .price_bp = 10, .refuse = false};
    OMC_TRY(tx.Execute(kInsertSettings,
                       {tenant_, tolerances.quantity_bp, tolerances.price_bp, created}));

    // A purchase order per BDC, depot, product, week (Monday) and cost.
    using GroupKey = std::tuple<std::string, size_t, std::string, Uuid, int64_t>;
    std::map<GroupKey, std::vector<const DeliveryFact*>> groups;
    for (const DeliveryFact& d : deliveries_) {
        const int64_t day = *ParseDateDays(FormatDate(d.delivered_at));
        const int64_t monday = day - (day + 3) % 7;  // 1970-01-01 was a Thursday
        groups[{FormatDate(monday * kUsPerDay), d.supplier % kBdcs.size(), d.depot, d.product,
                d.unit_cost}]
            .push_back(&d);
    }
    struct SupplierInvoice {
        Uuid id;
        size_t supplier = 0;
        std::string invoice_date, due_on;
        int64_t number = 0;
        int64_t total = 0;
        int64_t outstanding = 0;
        bool flagged = false;
    };
    std::vector<SupplierInvoice> invoices;
    std::array<int64_t, kBdcs.size()> invoice_seq{};
    int64_t po_seq = 0;
    for (const auto& [key, items] : groups) {
        const auto& [week, supplier, depot, product, cost] = key;
        int64_t ordered = 0;
        for (const DeliveryFact* d : items) ordered += d->loaded_ambient_milli;
        const std::string ordered_on = arap::AddDays(week, -3);
        const Uuid order_id = rng_.IdAt(DayStartUs(ordered_on) + 9 * kUsPerHour);
        const std::string po_no = fmt::format("PO-{}-{:05}", week.substr(0, 4), ++po_seq);
        // The BDC invoices the Monday after the week: up to 50 loads an invoice, the planted
        // short load on its own (billed at the depot's figure, beyond its waybill).
        const std::string invoice_date = arap::AddDays(week, 7);
        std::vector<std::vector<const DeliveryFact*>> chunks;
        if (invoice_date <= today) {
            for (const DeliveryFact* d : items) {
                if (d->planted_short) {
                    chunks.push_back({d});
                    continue;
                }
                if (chunks.empty() || chunks.back().size() >= 50 ||
                    chunks.back().front()->planted_short) {
                    chunks.emplace_back();
                }
                chunks.back().push_back(d);
            }
        }
        int64_t invoiced = 0;
        for (const auto& chunk : chunks) {
            int64_t waybills = 0;
            bool short_load = false;
            for (const DeliveryFact* d : chunk) {
                waybills += d->loaded_ambient_milli;
                short_load = short_load || d->planted_short;
            }
            const int64_t quantity =
                short_load ? RoundUp(waybills + chunk.front()->shortage_milli, 1'000) : waybills;
            const std::vector<FieldError> mismatches =
                arap::MatchInvoice({.order_quantity_milli = ordered,
                                    .order_unit_price = cost,
                                    .invoiced_before_milli = invoiced,
                                    .invoice_quantity_milli = quantity,
                                    .invoice_unit_price = cost,
                                    .delivered_milli = waybills},
                                   tolerances);
            nlohmann::json notes = nlohmann::json::array();
            for (const FieldError& m : mismatches) {
                notes.push_back({{"field", m.field}, {"message", m.message}});
            }
            OMC_ASSIGN_OR_RETURN(const Money net, AmountForVolume(UnitPrice(cost), Volume(quantity),
                                                                  RoundingMode::kHalfUp));
            const SupplierDef& def = kBdcs[supplier];
            SupplierInvoice invoice{.id = rng_.IdAt(DayStartUs(invoice_date) + 11 * kUsPerHour),
                                    .supplier = supplier,
                                    .invoice_date = invoice_date,
                                    .due_on = arap::AddDays(invoice_date, def.terms_days),
                                    .number = ++invoice_seq[supplier],
                                    .total = net.raw(),
                                    .outstanding = net.raw(),
                                    .flagged = !mismatches.empty()};
            const std::string invoice_no =
                fmt::format("{}/{}/{:05}", def.prefix, invoice_date.substr(2, 2), invoice.number);
            OMC_TRY(
                tx.Execute(kInsertSupplierInvoice,
                           {tenant_, invoice.id, bdcs[supplier], invoice_no, order_id, invoice_date,
                            invoice.due_on, quantity, cost, net.raw(),
                            invoice.flagged ? "flagged" : "matched", notes.dump(),
                            std::string(kCreatedBy), DayStartUs(invoice_date) + 11 * kUsPerHour}));
            for (const DeliveryFact* d : chunk) {
                OMC_TRY(tx.Execute(kInsertInvoiceDelivery,
                                   {tenant_, invoice.id, d->id, d->loaded_ambient_milli}));
            }
            OMC_TRY(arap::PostSupplierInvoice(
                tx, tenant_, {.ids = &ids, .created_by = std::string(kCreatedBy), .now = now_},
                {.invoice_id = invoice.id,
                 .supplier_id = bdcs[supplier],
                 .supplier_kind = "bdc",
                 .order_cost = net.raw(),
                 .net_amount = net.raw(),
                 .vat_amount = 0,
                 .invoice_date = invoice_date}));
            if (invoice.flagged) {
                planted.push_back(fmt::format(
                    "supplier invoice {} of {} is flagged: it bills {} L for the short delivery "
                    "whose waybill says {} L, and is withheld from payment",
                    invoice_no, demo::Suppliers()[supplier], quantity / 1'000, waybills / 1'000));
            }
            invoiced += quantity;
            invoices.push_back(std::move(invoice));
        }
        OMC_TRY(tx.Execute(kInsertOrder,
                           {tenant_, order_id, po_no, bdcs[supplier], depot, product, ordered, cost,
                            invoiced >= ordered ? "closed" : "open", ordered_on,
                            std::string(kCreatedBy), DayStartUs(ordered_on) + 9 * kUsPerHour}));
        ++counts.purchase_orders;
    }
    counts.supplier_invoices = static_cast<int64_t>(invoices.size());

    // Pay runs on Fridays: each BDC's matched invoices falling due by its lead; flagged ones
    // wait for the dispute.
    if (!invoices.empty()) {
        std::string first_date = invoices.front().invoice_date;
        for (const SupplierInvoice& i : invoices) first_date = std::min(first_date, i.invoice_date);
        int64_t day = *ParseDateDays(first_date);
        day += (5 - (day + 4) % 7 + 7) % 7;  // the first Friday on or after
        for (; FormatDate(day * kUsPerDay) <= today; day += 7) {
            const std::string friday = FormatDate(day * kUsPerDay);
            for (size_t s = 0; s < kBdcs.size(); ++s) {
                const SupplierDef& def = kBdcs[s];
                std::vector<arap::OpenDocument> open;
                std::vector<arap::Allocation> requested;
                int64_t amount = 0;
                for (const SupplierInvoice& i : invoices) {
                    if (i.supplier != s || i.invoice_date > friday || i.outstanding <= 0) continue;
                    open.push_back({i.id, i.due_on, i.number, i.outstanding});
                    if (!i.flagged && i.due_on <= arap::AddDays(friday, def.pay_lead_days)) {
                        requested.push_back({i.id, i.outstanding});
                        amount += i.outstanding;
                    }
                }
                if (amount == 0) continue;
                OMC_ASSIGN_OR_RETURN(const std::vector<arap::Allocation> allocations,
                                     arap::Allocate(amount, std::move(open), requested));
                const TimestampUs at = day * kUsPerDay + 14 * kUsPerHour;
                const Uuid id = rng_.IdAt(at);
                const std::string ref =
                    def.method == "cheque" ? fmt::format("CHQ {:06}", rng_.Between(1, 999'999))
                                           : fmt::format("ECO/TRF/{:06}", rng_.Between(1, 999'999));
                OMC_TRY(tx.Execute(kInsertSupplierPayment,
                                   {tenant_, id, bdcs[s], std::string(def.method), ref, amount,
                                    friday, std::string(kCreatedBy), at}));
                for (const arap::Allocation& a : allocations) {
                    OMC_TRY(tx.Execute(kInsertSupplierAllocation,
                                       {tenant_, id, a.document_id, a.amount}));
                    for (SupplierInvoice& i : invoices) {
                        if (i.id == a.document_id) i.outstanding -= a.amount;
                    }
                }
                OMC_TRY(arap::PostSupplierPayment(
                    tx, tenant_, {.ids = &ids, .created_by = std::string(kCreatedBy), .now = now_},
                    {.payment_id = id,
                     .supplier_id = bdcs[s],
                     .supplier_kind = "bdc",
                     .amount = amount,
                     .paid_on = friday}));
                ++counts.supplier_payments;
            }
        }
    }
    return Ok();
}

// ======================================================================================
// MoMo: yesterday's intents and their reconciliation
// ======================================================================================

namespace {

nlohmann::json OptIdText(const std::optional<Uuid>& id) {
    return id ? nlohmann::json(id->ToString()) : nlohmann::json();
}

}  // namespace

DemoMomo::DemoMomo(const TenantId& tenant, uint64_t seed, TimestampUs now)
    : tenant_(tenant),
      now_(now),
      day_start_(now - now % kDay - kDay),
      rng_(seed ^ 0x4d4f4d4f'5245434fULL) {}  // "MOMORECO"

Result<void> DemoMomo::Finish(db::Transaction& tx, std::vector<std::string>& planted,
                              DemoFinanceCounts& counts) {
    if (sales_.empty()) return Ok();
    demo::Bulk intents("payment_intents", {"tenant_id",       "id",
                                           "sale_id",         "provider",
                                           "reference",       "station_id",
                                           "payer_msisdn",    "amount",
                                           "currency",        "external_id",
                                           "sale_body",       "principal",
                                           "status",          "request_state",
                                           "reason",          "financial_transaction_id",
                                           "sale_state",      "sale_error",
                                           "attempts",        "callbacks",
                                           "next_poll_at_us", "created_by",
                                           "created_at_us",   "updated_at_us",
                                           "finished_at_us"});
    constexpr std::array<std::string_view, 4> kMtnPrefixes{"23324", "23354", "23355", "23359"};
    // The statement line whose amount differs: a sale of at least GH₵ 20, picked by the seed.
    size_t differs = static_cast<size_t>(rng_.Between(0, static_cast<int64_t>(sales_.size()) - 1));
    for (size_t i = 0; i < sales_.size() && sales_[differs].amount < 2'000; ++i) {
        differs = (differs + 1) % sales_.size();
    }
    std::vector<payments::IntentFacts> facts;
    std::string csv =
        "reference,financial_transaction_id,external_id,amount,currency,status,completed_at\n";
    for (size_t i = 0; i < sales_.size(); ++i) {
        const SaleFact& s = sales_[i];
        const TimestampUs asked = s.sold_at - rng_.Between(20, 90) * kUsPerSecond;
        const Uuid id = rng_.IdAt(asked);
        const Uuid reference = rng_.IdAt(asked);
        const std::string external_id = s.station_code + "-" + s.sale.ToString();
        const std::string subject = s.attendant ? s.attendant->ToString() : "omc demo";
        const nlohmann::json body{{"shop", s.shop},
                                  {"nozzle_id", OptIdText(s.nozzle)},
                                  {"product_id", s.product.ToString()},
                                  {"quantity_milli", s.quantity_milli},
                                  {"amount", s.amount},
                                  {"unit_price", s.unit_price},
                                  {"customer_id", nullptr},
                                  {"attendant_id", OptIdText(s.attendant)},
                                  {"shift_id", s.shift.ToString()},
                                  {"sold_at_us", s.sold_at},
                                  {"request_hash", "demo-history"}};
        const nlohmann::json principal{{"subject", subject},
                                       {"role", "Operator"},
                                       {"is_api_key", false},
                                       {"scopes", {s.station.ToString()}}};
        OMC_TRY(intents.Add(tx, {tenant_,
                                 id,
                                 s.sale,
                                 "mtn",
                                 reference.ToString(),
                                 s.station,
                                 fmt::format("{}{:07}", rng_.Pick<std::string_view>(kMtnPrefixes),
                                             rng_.Between(0, 9'999'999)),
                                 s.amount,
                                 "GHS",
                                 external_id,
                                 body.dump(),
                                 principal.dump(),
                                 "successful",
                                 "accepted",
                                 db::Null{},
                                 s.financial_transaction_id,
                                 "recorded",
                                 db::Null{},
                                 int64_t{1},
                                 int64_t{1},
                                 s.sold_at,
                                 subject,
                                 asked,
                                 s.sold_at,
                                 s.sold_at}));
        facts.push_back({.id = id,
                         .sale_id = s.sale,
                         .reference = reference.ToString(),
                         .financial_transaction_id = s.financial_transaction_id,
                         .amount = s.amount,
                         .status = "successful",
                         .sale_state = "recorded"});
        const int64_t on_statement = i == differs ? s.amount - 500 : s.amount;
        csv += fmt::format("{},{},{},{},GHS,SUCCESSFUL,{}\n", reference.ToString(),
                           s.financial_transaction_id, external_id, arap::FormatMoney(on_statement),
                           FormatTimestamp(s.sold_at));
    }
    OMC_TRY(intents.Flush(tx));
    // A payment the provider took that no sale recorded (the payer's phone, not the till's).
    const TimestampUs stray_at = day_start_ + 19 * 3'600 * kUsPerSecond;
    const Uuid stray = rng_.IdAt(stray_at);
    const std::string stray_ftid = fmt::format("{:010}", rng_.Between(0, 9'999'999'999));
    csv += fmt::format("{},{},,150.00,GHS,SUCCESSFUL,{}\n", stray.ToString(), stray_ftid,
                       FormatTimestamp(stray_at));
    OMC_ASSIGN_OR_RETURN(const std::vector<payments::StatementLine> lines,
                         payments::ParseStatement(csv));
    const payments::ReconcileResult result = payments::Reconcile(lines, facts, {});
    const std::string date = FormatDate(day_start_);
    const TimestampUs run_at = std::min(now_, day_start_ + kDay + 7 * 3'600 * kUsPerSecond);
    OMC_TRY(payments::SaveReconciliation(tx, tenant_,
                                         {.id = rng_.IdAt(run_at),
                                          .provider = "mtn",
                                          .business_date = date,
                                          .source = "upload",
                                          .statement_lines = static_cast<int64_t>(lines.size()),
                                          .intents = static_cast<int64_t>(facts.size()),
                                          .created_by = std::string(kCreatedBy),
                                          .created_at_us = run_at},
                                         result));
    counts.momo_intents = static_cast<int64_t>(facts.size());
    counts.momo_mismatches = static_cast<int64_t>(result.mismatches.size());
    planted.push_back(fmt::format(
        "the MoMo reconciliation of {} ({} intents, {} matched) finds a statement line GH₵ 5.00 "
        "below its sale (external id {}) and a paid GH₵ 150.00 line with no sale",
        date, facts.size(), result.matched,
        sales_[differs].station_code + "-" + sales_[differs].sale.ToString()));
    return Ok();
}

// ======================================================================================
// Pricing
// ======================================================================================

namespace {

struct ComponentDef {
    std::string_view code;
    std::string_view name;
    std::string_view kind;
    std::string_view subtotal;
    int64_t amount;  // 10^-4 pesewa per litre (kg)
    std::string_view gra_levy_code;
};

constexpr int64_t P(int64_t pesewas) { return pesewas * 10'000; }

// The lines after the ex-refinery price (GHANA_REFERENCE §2.2, §2.3). DEMO FIGURES: shaped like
// NPA's price build-up and close to its published levels, but not a published NPA sheet.
const std::vector<ComponentDef>& ComponentsOf(std::string_view product) {
    static const std::vector<ComponentDef> kPetrol{
        {"SPT", "Special Petroleum Tax", "tax", "ex_depot", P(46), "ESSDRL"},
        {"EDRL", "Energy Debt Recovery Levy", "levy", "ex_depot", P(49), "ESSDRL"},
        {"RFL", "Road Fund Levy", "levy", "ex_depot", P(48), ""},
        {"EFL", "Energy Fund Levy", "levy", "ex_depot", P(1), ""},
        {"PSRL", "Price Stabilisation & Recovery Levy", "levy", "ex_depot", P(16), "ESSDRL"},
        {"SPL", "Sanitation & Pollution Levy", "levy", "ex_depot", P(10), "ESSDRL"},
        {"ESRL", "Energy Sector Recovery Levy", "levy", "ex_depot", P(20), "ESSDRL"},
        {"ESSDRL1", "GH¢1 Energy Sector Shortfall & Debt Repayment Levy", "levy", "ex_depot",
         P(100), "ESSDRL"},
        {"BOST", "BOST margin", "regulated_margin", "ex_depot", P(12), ""},
        {"FMM", "Fuel marking margin", "regulated_margin", "ex_depot", P(9), ""},
        {"PDM", "Primary distribution margin", "regulated_margin", "ex_pump", P(26), ""},
        {"UPPF", "UPPF margin", "regulated_margin", "ex_pump", P(90), ""},
        {"OMC", "Marketer's margin", "omc_margin", "ex_pump", P(60), ""},
        {"DEALER", "Dealer's margin", "dealer_margin", "ex_pump", P(35), ""},
    };
    static const std::vector<ComponentDef> kDiesel = [] {
        std::vector<ComponentDef> lines = kPetrol;
        for (ComponentDef& c : lines) {
            if (c.code == "PSRL") c.amount = P(14);
            if (c.code == "OMC") c.amount = P(65);
            if (c.code == "DEALER") c.amount = P(40);
        }
        return lines;
    }();
    static const std::vector<ComponentDef> kKerosene{
        {"EDRL", "Energy Debt Recovery Levy", "levy", "ex_depot", P(49), "ESSDRL"},
        {"RFL", "Road Fund Levy", "levy", "ex_depot", P(48), ""},
        {"EFL", "Energy Fund Levy", "levy", "ex_depot", P(1), ""},
        {"PSRL", "Price Stabilisation & Recovery Levy", "levy", "ex_depot", P(14), "ESSDRL"},
        {"SPL", "Sanitation & Pollution Levy", "levy", "ex_depot", P(10), "ESSDRL"},
        {"ESRL", "Energy Sector Recovery Levy", "levy", "ex_depot", P(20), "ESSDRL"},
        {"BOST", "BOST margin", "regulated_margin", "ex_depot", P(12), ""},
        {"FMM", "Fuel marking margin", "regulated_margin", "ex_depot", P(9), ""},
        {"PDM", "Primary distribution margin", "regulated_margin", "ex_pump", P(26), ""},
        {"UPPF", "UPPF margin", "regulated_margin", "ex_pump", P(48), ""},
        {"OMC", "Marketer's margin", "omc_margin", "ex_pump", P(50), ""},
        {"DEALER", "Dealer's margin", "dealer_margin", "ex_pump", P(30), ""},
    };
    static const std::vector<ComponentDef> kLpg{
        {"EDRL", "Energy Debt Recovery Levy", "levy", "ex_depot", P(41), "ESSDRL"},
        {"PSRL", "Price Stabilisation & Recovery Levy", "levy", "ex_depot", P(14), "ESSDRL"},
        {"ESRL", "Energy Sector Recovery Levy", "levy", "ex_depot", P(18), "ESSDRL"},
        {"UPPF", "UPPF margin", "regulated_margin", "ex_pump", P(27), ""},
        {"OMC", "LPG marketer's margin", "omc_margin", "ex_pump", P(90), ""},
        {"DEALER", "Dealer's margin", "dealer_margin", "ex_pump", P(50), ""},
    };
    static const std::vector<ComponentDef> kPremix{
        {"RECOVERY", "Recovery margin (subsidy)", "ex_refinery", "ex_refinery", -5'304'720, ""},
        {"FMM", "Fuel marking margin", "regulated_margin", "ex_depot", P(9), ""},
        {"UPPF", "UPPF margin", "regulated_margin", "ex_pump", P(68), ""},
        {"ADMIN", "Premix administrative cost", "regulated_margin", "ex_pump", 723'000, ""},
        {"OMC", "Marketer's margin", "omc_margin", "ex_pump", 271'555, ""},
        {"DEALER", "Dealer's margin", "dealer_margin", "ex_pump", P(19), ""},
    };
    if (product == "PMS") return kPetrol;
    if (product == "AGO") return kDiesel;
    if (product == "LPG") return kLpg;
    if (product == "PREMIX") return kPremix;
    return kKerosene;
}

constexpr std::string_view kDemoSource =
    "DEMO FIGURES (omc demo): shaped like NPA's price build-up, not published NPA figures";

// The next window's first day after the window starting on `first` (a 1st or a 16th).
std::string NextWindow(const std::string& first) {
    if (first.substr(8) == "01") return first.substr(0, 8) + "16";
    return arap::AddDays(first.substr(0, 8) + "01", 31).substr(0, 8) + "01";
}

}  // namespace

Result<void> SeedDemoPricing(db::Transaction& tx, const TenantId& tenant,
                             const std::vector<DemoPricedProduct>& fuels, uint64_t seed,
                             TimestampUs now, DemoFinanceCounts& counts) {
    if (fuels.empty() || fuels.front().prices.empty()) return Ok();
    demo::Rng rng(seed ^ 0x50524943'494e4721ULL);  // "PRICING!"
    const std::vector<std::pair<TimestampUs, int64_t>>& windows = fuels.front().prices;
    const std::string current = FormatDate(windows.back().first);
    const std::string next = NextWindow(current);
    const TimestampUs created = windows.back().first - 4 * kUsPerDay;

    // The next window's prices: a small move from today's, to 5 pesewas.
    std::map<Uuid, int64_t> next_price;
    for (const DemoPricedProduct& f : fuels) {
        const int64_t today_price = f.prices.back().second;
        const int64_t step = f.code == "PREMIX" ? 0 : rng.Between(-25, 35);  // pesewas
        next_price[f.id] = std::max<int64_t>(today_price + P(step / 5 * 5), P(100));
    }

    // Build-up and floor of each fuel for the window in force and the next, each to its last day
    // as NPA publishes them: the ex-refinery price is what the pump price leaves after the other
    // lines. The window after is left for NPA's next figures (an import).
    for (const DemoPricedProduct& f : fuels) {
        const std::vector<ComponentDef>& lines = ComponentsOf(f.code);
        for (const auto& [window, pump] :
             {std::pair<std::string, int64_t>{current, f.prices.back().second},
              std::pair<std::string, int64_t>{next, next_price[f.id]}}) {
            const int64_t from = *ParseDateDays(window);
            const std::optional<int64_t> to = *ParseDateDays(NextWindow(window)) - 1;
            int64_t others = 0, margins = 0, ex_refinery = 0;
            for (const ComponentDef& c : lines) {
                others += c.amount;
                if (c.kind == "omc_margin" || c.kind == "dealer_margin") margins += c.amount;
                if (c.subtotal == "ex_refinery") ex_refinery += c.amount;
            }
            const int64_t core = pump - others;
            ex_refinery += core;
            const TimestampUs at = window == current ? created : now;
            auto insert = [&](std::string_view code, std::string_view name, std::string_view kind,
                              std::string_view subtotal, int64_t position, int64_t amount,
                              std::string_view gra) -> Result<void> {
                OMC_TRY(
                    tx.Execute(kInsertComponent,
                               {tenant, rng.IdAt(at), f.id, std::string(code), std::string(name),
                                std::string(kind), std::string(subtotal), position, amount, from,
                                to, kind != "omc_margin" && kind != "dealer_margin",
                                gra.empty() ? db::Param(db::Null{}) : db::Param(std::string(gra)),
                                std::string(kDemoSource), std::string(kCreatedBy), at}));
                ++counts.price_components;
                return Ok();
            };
            OMC_TRY(insert("XREF", "Ex-refinery price", "ex_refinery", "ex_refinery", 1, core, ""));
            int64_t position = 1;
            for (const ComponentDef& c : lines) {
                OMC_TRY(insert(c.code, c.name, c.kind, c.subtotal, ++position, c.amount,
                               c.gra_levy_code));
            }
            // NPA's ex-pump floor leaves out the marketer's and dealer's margins (§3).
            OMC_TRY(tx.Execute(kInsertFloor,
                               {tenant, rng.IdAt(at), window, f.id, pump - margins, ex_refinery,
                                std::string(kDemoSource), std::string(kCreatedBy), at}));
        }
    }

    // The price lists: every window of the history's in force as the station prices say; a
    // rejected first try at the current window's; the next window's proposed, awaiting approval.
    auto proposal =
        [&](const std::string& window, std::string_view status,
            const std::optional<std::string>& reason,
            const std::function<int64_t(const DemoPricedProduct&)>& price) -> Result<void> {
        const TimestampUs start = DayStartUs(window);
        const bool proposed_only = status == "proposed";
        const bool in_force = status == "in_force";
        const TimestampUs proposed_at =
            proposed_only ? now - 2 * kUsPerHour : start - 4 * kUsPerDay + 9 * kUsPerHour;
        const TimestampUs decided_at = start - 3 * kUsPerDay + 15 * kUsPerHour;
        const Uuid id = rng.IdAt(proposed_at);
        OMC_TRY(tx.Execute(
            kInsertProposal,
            {tenant, id, window, std::string(status),
             proposed_only ? "next window's list (omc demo): approve it before the deadline"
                           : "omc demo",
             std::string(kCreatedBy), proposed_at,
             proposed_only ? db::Param(db::Null{}) : db::Param(std::string(kCreatedBy)),
             proposed_only ? db::Param(db::Null{}) : db::Param(decided_at), reason,
             in_force ? db::Param(std::string(kCreatedBy)) : db::Param(db::Null{}),
             in_force ? db::Param(decided_at + kUsPerHour) : db::Param(db::Null{}),
             in_force ? db::Param(start) : db::Param(db::Null{}),
             in_force ? db::Param(std::string(kCreatedBy)) : db::Param(db::Null{}),
             in_force ? db::Param(start - 2 * kUsPerDay + 10 * kUsPerHour) : db::Param(db::Null{}),
             in_force ? db::Param(false) : db::Param(db::Null{})}));
        int64_t line_no = 0;
        for (const DemoPricedProduct& f : fuels) {
            OMC_TRY(tx.Execute(kInsertProposalLine, {tenant, id, ++line_no, f.id, price(f)}));
        }
        ++counts.price_lists;
        return Ok();
    };
    for (size_t w = 0; w < windows.size(); ++w) {
        const std::string window = FormatDate(windows[w].first);
        if (w + 1 == windows.size()) {
            OMC_TRY(proposal(window, "rejected",
                             "AGO above the competition's board price in Accra: resubmit with a "
                             "thinner margin",
                             [&](const DemoPricedProduct& f) {
                                 return f.prices[w].second + (f.code == "AGO" ? P(20) : 0);
                             }));
        }
        OMC_TRY(proposal(window, "in_force", std::nullopt,
                         [&](const DemoPricedProduct& f) { return f.prices[w].second; }));
    }
    return proposal(next, "proposed", std::nullopt,
                    [&](const DemoPricedProduct& f) { return next_price.at(f.id); });
}

}  // namespace omc::app
