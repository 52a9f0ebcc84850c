#include "domains/tax/tax_store.hpp"

#include "platform/base/error.hpp"

namespace omc::tax {
namespace {

constexpr db::Query kListRates{"tax.list_rates", R"sql(
    SELECT id, code, name, rate_bp, base, input_deductible, valid_from, valid_to, note
    FROM tax_rates WHERE tenant_id = $1 ORDER BY code, valid_from, id)sql"};

constexpr db::Query kInsertRate{"tax.insert_rate", R"sql(
    INSERT INTO tax_rates (tenant_id, id, code, name, rate_bp, base, input_deductible,
                           valid_from, valid_to, note, created_by, created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12))sql"};

constexpr db::Query kCloseRate{"tax.close_rate", R"sql(
    UPDATE tax_rates SET valid_to = $3
    WHERE tenant_id = $1 AND id = $2 AND valid_to IS NULL)sql"};

}  // namespace

Result<std::vector<StoredRate>> RatesInUse(db::Transaction& tx, const TenantId& tenant,
                                           bool* from_defaults) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kListRates, {tenant}));
    std::vector<StoredRate> out;
    if (from_defaults != nullptr) *from_defaults = rows.empty();
    if (rows.empty()) {
        for (const TaxRate& r : DefaultRates()) out.push_back(StoredRate{std::nullopt, r});
        return out;
    }
    for (const db::Row& row : rows) {
        TaxRate r;
        r.code = row.Text(1);
        r.name = row.Text(2);
        r.rate_bp = row.Int(3);
        r.base = ParseTaxBase(row.Text(4)).value_or(TaxBase::kValue);
        r.input_deductible = row.Bool(5);
        r.valid_from = row.Text(6);
        r.valid_to = row.OptText(7);
        r.note = row.OptText(8);
        out.push_back(StoredRate{row.Id(0), std::move(r)});
    }
    return out;
}

Result<void> InsertRate(db::Transaction& tx, const TenantId& tenant, const Uuid& id,
                        const TaxRate& rate, const std::string& created_by, TimestampUs now_us) {
    const Result<int64_t> n =
        tx.Execute(kInsertRate, {tenant, id, rate.code, rate.name, rate.rate_bp,
                                 std::string(TaxBaseName(rate.base)), rate.input_deductible,
                                 rate.valid_from, rate.valid_to, rate.note, created_by, now_us});
    if (!n.ok()) {
        if (n.error().code() == ErrorCode::kConflict) {
            return Error(ErrorCode::kConflict, "conflict", {{"id", "a tax rate has this id"}});
        }
        return n.error();
    }
    return {};
}

Result<void> CopyDefaults(db::Transaction& tx, const TenantId& tenant, IdGenerator& ids,
                          const std::string& created_by, TimestampUs now_us) {
    for (const TaxRate& r : DefaultRates()) {
        OMC_TRY(InsertRate(tx, tenant, ids.NewV7(), r, created_by, now_us));
    }
    return {};
}

Result<void> CloseRate(db::Transaction& tx, const TenantId& tenant, const Uuid& id,
                       const std::string& valid_to) {
    OMC_ASSIGN_OR_RETURN(const int64_t n, tx.Execute(kCloseRate, {tenant, id, valid_to}));
    if (n != 1) return Internal("tax: the open rate to close was not found");
    return {};
}

}  // namespace omc::tax
