#include "domains/pricing/buildup.hpp"

#include <algorithm>
#include <utility>

#include "domains/identity/identity_api.hpp"
#include "platform/base/assert.hpp"
#include "platform/base/money.hpp"

namespace omc::pricing {
namespace {

constexpr int64_t kUsPerDay = 86'400LL * 1'000'000;
constexpr size_t kNameMaxLength = 120;
constexpr size_t kTextMaxLength = 200;

constexpr db::Query kProductOf{"pricing.product_of",
                               "SELECT code, unit FROM products WHERE tenant_id = $1 AND id = $2"};
constexpr db::Query kLinesAt{"pricing.lines_at", R"sql(
    SELECT id, code, name, kind, subtotal, position, amount, in_floor, gra_levy_code
    FROM price_components
    WHERE tenant_id = $1 AND product_id = $2 AND valid_from_days <= $3
      AND (valid_to_days IS NULL OR valid_to_days >= $3))sql"};

int SubtotalRank(Subtotal s) { return static_cast<int>(s); }

std::string Trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return std::string(text);
}

}  // namespace

std::string_view ComponentKindName(ComponentKind kind) {
    switch (kind) {
        case ComponentKind::kExRefinery:
            return "ex_refinery";
        case ComponentKind::kTax:
            return "tax";
        case ComponentKind::kLevy:
            return "levy";
        case ComponentKind::kRegulatedMargin:
            return "regulated_margin";
        case ComponentKind::kOmcMargin:
            return "omc_margin";
        case ComponentKind::kDealerMargin:
            return "dealer_margin";
    }
    FailInvariant("kind", "unknown component kind", __FILE__, __LINE__);
}

std::optional<ComponentKind> ParseComponentKind(std::string_view name) {
    for (ComponentKind kind : {ComponentKind::kExRefinery, ComponentKind::kTax,
                               ComponentKind::kLevy, ComponentKind::kRegulatedMargin,
                               ComponentKind::kOmcMargin, ComponentKind::kDealerMargin}) {
        if (ComponentKindName(kind) == name) return kind;
    }
    return std::nullopt;
}

std::string_view SubtotalName(Subtotal subtotal) {
    switch (subtotal) {
        case Subtotal::kExRefinery:
            return "ex_refinery";
        case Subtotal::kExDepot:
            return "ex_depot";
        case Subtotal::kExPump:
            return "ex_pump";
    }
    FailInvariant("subtotal", "unknown subtotal", __FILE__, __LINE__);
}

std::optional<Subtotal> ParseSubtotal(std::string_view name) {
    for (Subtotal s : {Subtotal::kExRefinery, Subtotal::kExDepot, Subtotal::kExPump}) {
        if (SubtotalName(s) == name) return s;
    }
    return std::nullopt;
}

bool PeriodsOverlap(int64_t a_from, std::optional<int64_t> a_to, int64_t b_from,
                    std::optional<int64_t> b_to) {
    return (!b_to || a_from <= *b_to) && (!a_to || b_from <= *a_to);
}

bool DefaultInFloor(ComponentKind kind) {
    return kind != ComponentKind::kOmcMargin && kind != ComponentKind::kDealerMargin;
}

Result<void> OrderAndTotal(BuildUp& build_up) {
    std::sort(build_up.lines.begin(), build_up.lines.end(),
              [](const BuildUpLine& a, const BuildUpLine& b) {
                  if (a.subtotal != b.subtotal) {
                      return SubtotalRank(a.subtotal) < SubtotalRank(b.subtotal);
                  }
                  if (a.position != b.position) return a.position < b.position;
                  return a.code < b.code;
              });
    UnitPrice totals[3];
    UnitPrice floor;
    for (const BuildUpLine& line : build_up.lines) {
        UnitPrice& total = totals[SubtotalRank(line.subtotal)];
        const std::optional<UnitPrice> sum = total.CheckedPlus(UnitPrice(line.amount));
        const std::optional<UnitPrice> floor_sum =
            line.in_floor ? floor.CheckedPlus(UnitPrice(line.amount)) : floor;
        if (!sum || !floor_sum) return InvalidArgument("amount", "the build-up overflows");
        total = *sum;
        floor = *floor_sum;
    }
    // Running totals: each subtotal carries the one before (bounded amounts cannot overflow
    // here once the per-subtotal sums did not).
    build_up.ex_refinery = totals[0].raw();
    build_up.ex_depot = build_up.ex_refinery + totals[1].raw();
    build_up.ex_pump = build_up.ex_depot + totals[2].raw();
    build_up.floor_base = floor.raw();
    return Ok();
}

std::string FormatAmount(int64_t raw) { return FormatScaled(raw, kAmountDecimals); }

std::optional<int64_t> ParseAmount(std::string_view text) {
    const Result<int64_t> raw = ParseScaled(text, kAmountDecimals);
    if (!raw.ok() || *raw > kMaxAmount || *raw < -kMaxAmount) return std::nullopt;
    return *raw;
}

std::string FormatDay(int64_t days) { return FormatDate(days * kUsPerDay); }

Result<std::optional<BuildUp>> BuildUpAt(db::Transaction& tx, const TenantId& tenant,
                                         const Uuid& product_id, int32_t date_days) {
    OMC_ASSIGN_OR_RETURN(const db::Rows product, tx.Query(kProductOf, {tenant, product_id}));
    if (product.empty()) return std::optional<BuildUp>();
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx.Query(kLinesAt, {tenant, product_id, int64_t{date_days}}));
    if (rows.empty()) return std::optional<BuildUp>();
    BuildUp build_up{.product_id = product_id,
                     .product_code = product[0].Text(0),
                     .unit = product[0].Text(1),
                     .date_days = date_days};
    for (const db::Row& row : rows) {
        build_up.lines.push_back(
            BuildUpLine{.component_id = row.Id(0),
                        .code = row.Text(1),
                        .name = row.Text(2),
                        .kind = ParseComponentKind(row.Text(3)).value_or(ComponentKind::kLevy),
                        .subtotal = ParseSubtotal(row.Text(4)).value_or(Subtotal::kExPump),
                        .position = row.Int(5),
                        .amount = row.Int(6),
                        .in_floor = row.Bool(7),
                        .gra_levy_code = row.OptText(8)});
    }
    OMC_TRY(OrderAndTotal(build_up));
    return std::optional<BuildUp>(std::move(build_up));
}

// ---- CSV ----

std::vector<CsvComponent> ReadCsvComponents(const std::vector<report::CsvRecord>& records,
                                            std::vector<FieldError>& errors) {
    std::vector<CsvComponent> out;
    if (records.empty()) {
        errors.push_back({"rows[1]", "row 1: the file is empty; the header is required"});
        return out;
    }
    const report::CsvRecord& header = records[0];
    const size_t columns = header.fields.size();
    auto header_error = [&](size_t i, std::string message) {
        const std::string_view expected = i < std::size(kCsvColumns) ? kCsvColumns[i] : "";
        errors.push_back(
            {"rows[" + std::to_string(header.row) + "]." +
                 (expected.empty() ? "column " + std::to_string(i + 1) : std::string(expected)),
             "row " + std::to_string(header.row) + ", column " + std::to_string(i + 1) + ": " +
                 message});
    };
    for (size_t i = 0; i < columns && i < std::size(kCsvColumns); ++i) {
        if (Trimmed(header.fields[i]) != kCsvColumns[i]) {
            header_error(i, "must be '" + std::string(kCsvColumns[i]) + "', found '" +
                                header.fields[i] + "'");
        }
    }
    if (columns < kCsvRequiredColumns) {
        header_error(columns, "missing column '" + std::string(kCsvColumns[columns]) + "'");
    }
    if (columns > std::size(kCsvColumns)) {
        header_error(std::size(kCsvColumns),
                     "unexpected column '" + header.fields[std::size(kCsvColumns)] + "'");
    }
    if (!errors.empty()) return out;
    if (records.size() - 1 > kCsvMaxRows) {
        errors.push_back({"rows[" + std::to_string(records[kCsvMaxRows + 1].row) + "]",
                          "at most " + std::to_string(kCsvMaxRows) + " rows per import"});
        return out;
    }
    for (size_t r = 1; r < records.size(); ++r) {
        const report::CsvRecord& record = records[r];
        const std::string row = std::to_string(record.row);
        auto error = [&](std::string_view column, std::string message) {
            errors.push_back({"rows[" + row + "]." + std::string(column),
                              "row " + row + ", column " + std::string(column) + ": " + message});
        };
        if (record.fields.size() != columns) {
            errors.push_back({"rows[" + row + "]",
                              "row " + row + ": has " + std::to_string(record.fields.size()) +
                                  " columns, the header " + std::to_string(columns)});
            continue;
        }
        auto cell = [&](size_t i) { return Trimmed(record.fields[i]); };
        CsvComponent c;
        c.row = static_cast<size_t>(record.row);
        PriceComponent& p = c.component;
        c.product = cell(0);
        if (c.product.empty()) error("product", "is required");
        const std::optional<std::string> code = identity::NormaliseCode(cell(1));
        if (!code) {
            error("component_code", "must be 1 to 32 of the characters A-Z, a-z, 0-9, _ and -");
        } else {
            p.code = *code;
        }
        const std::optional<std::string> name = identity::NormaliseName(cell(2));
        if (!name || name->size() > kNameMaxLength) {
            error("name", "must be 1 to 120 characters");
        } else {
            p.name = *name;
        }
        const std::optional<ComponentKind> kind = ParseComponentKind(cell(3));
        if (!kind) {
            error("kind",
                  "must be one of: ex_refinery, tax, levy, regulated_margin, omc_margin, "
                  "dealer_margin; found '" +
                      cell(3) + "'");
        } else {
            p.kind = *kind;
        }
        const std::optional<Subtotal> subtotal = ParseSubtotal(cell(4));
        if (!subtotal) {
            error("subtotal",
                  "must be one of: ex_refinery, ex_depot, ex_pump; found '" + cell(4) + "'");
        } else {
            p.subtotal = *subtotal;
        }
        const Result<int64_t> position = ParseScaled(cell(5), 0);
        if (!position.ok() || *position < 0 || *position > 1'000'000) {
            error("position", "must be a whole number from 0 to 1000000; found '" + cell(5) + "'");
        } else {
            p.position = *position;
        }
        const std::optional<int64_t> amount = ParseAmount(cell(6));
        if (!amount) {
            error("amount",
                  "must be pesewas per unit with at most 4 decimals (e.g. 9.0000 or -530.4720), "
                  "within +-1000000; found '" +
                      cell(6) + "'");
        } else {
            p.amount = *amount;
        }
        const std::optional<int64_t> from = ParseDateDays(cell(7));
        if (!from) {
            error("valid_from", "must be a date YYYY-MM-DD; found '" + cell(7) + "'");
        } else {
            p.valid_from_days = *from;
        }
        if (!cell(8).empty()) {
            const std::optional<int64_t> to = ParseDateDays(cell(8));
            if (!to) {
                error("valid_to", "must be a date YYYY-MM-DD or empty; found '" + cell(8) + "'");
            } else if (from && *to < *from) {
                error("valid_to", "must not be before valid_from");
            } else {
                p.valid_to_days = *to;
            }
        }
        p.in_floor = DefaultInFloor(p.kind);
        if (columns > 9 && !cell(9).empty()) {
            if (cell(9) == "true") {
                p.in_floor = true;
            } else if (cell(9) == "false") {
                p.in_floor = false;
            } else {
                error("in_floor", "must be true, false or empty; found '" + cell(9) + "'");
            }
            c.in_floor_given = true;
        }
        if (columns > 10 && !cell(10).empty()) {
            const std::optional<std::string> gra = identity::NormaliseCode(cell(10));
            if (!gra) {
                error("gra_levy_code", "must be 1 to 32 of the characters A-Z, a-z, 0-9, _ and -");
            } else {
                p.gra_levy_code = *gra;
            }
        }
        if (columns > 11 && !cell(11).empty()) {
            if (cell(11).size() > kTextMaxLength) {
                error("source_ref", "must be at most 200 characters");
            } else {
                p.source_ref = cell(11);
            }
        }
        out.push_back(std::move(c));
    }
    return out;
}

report::Report ComponentsReport(const std::vector<PriceComponent>& rows, std::string title) {
    using report::ColumnType;
    report::Report r;
    r.title = std::move(title);
    r.subtitle = {"Amounts in pesewas per litre (per kg for LPG), 4 decimals"};
    const ColumnType types[] = {ColumnType::kText,      ColumnType::kText, ColumnType::kText,
                                ColumnType::kText,      ColumnType::kText, ColumnType::kInteger,
                                ColumnType::kUnitPrice, ColumnType::kDate, ColumnType::kDate,
                                ColumnType::kText,      ColumnType::kText, ColumnType::kText};
    for (size_t i = 0; i < std::size(kCsvColumns); ++i) {
        r.columns.push_back({std::string(kCsvColumns[i]), "", types[i]});
    }
    auto text = [](const std::optional<std::string>& t) -> report::Cell {
        if (!t || t->empty()) return std::monostate{};
        return *t;
    };
    for (const PriceComponent& p : rows) {
        r.AddRow({p.product_code, p.code, p.name, std::string(ComponentKindName(p.kind)),
                  std::string(SubtotalName(p.subtotal)), p.position, p.amount,
                  FormatDay(p.valid_from_days),
                  p.valid_to_days ? report::Cell(FormatDay(*p.valid_to_days))
                                  : report::Cell(std::monostate{}),
                  std::string(p.in_floor ? "true" : "false"), text(p.gra_levy_code),
                  text(p.source_ref)});
    }
    return r;
}

Result<std::string> WriteCsvComponents(const std::vector<PriceComponent>& rows) {
    return report::WriteCsv(ComponentsReport(rows, "Price build-up"));
}

}  // namespace omc::pricing
