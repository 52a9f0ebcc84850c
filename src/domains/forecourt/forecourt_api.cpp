#include "domains/forecourt/forecourt_api.hpp"

namespace omc::forecourt {
namespace {

// The dips are matched on the delivery's tank and their purpose, so a dip that was taken for
// another tank or purpose does not count as evidence.
constexpr db::Query kFindDeliveryEvidence{"forecourt.api.find_delivery_evidence", R"sql(
    SELECT d.id, d.station_id, d.tank_id, d.product_id, p.code, d.waybill_no, d.depot,
           d.supplier, d.transporter, d.brv_registration, d.loaded_at_us, d.delivered_at_us,
           d.loaded_ambient_milli, d.received_standard_milli, d.dip_before_id, d.dip_after_id,
           b.id, a.id
    FROM deliveries d
    JOIN products p ON p.tenant_id = d.tenant_id AND p.id = d.product_id
    LEFT JOIN dips b ON b.tenant_id = d.tenant_id AND b.id = d.dip_before_id
                    AND b.tank_id = d.tank_id AND b.purpose = 'before_delivery'
    LEFT JOIN dips a ON a.tenant_id = d.tenant_id AND a.id = d.dip_after_id
                    AND a.tank_id = d.tank_id AND a.purpose = 'after_delivery'
    WHERE d.tenant_id = $1 AND d.id = $2)sql"};

}  // namespace

Result<std::optional<DeliveryEvidence>> FindDeliveryEvidence(db::Transaction& tx,
                                                             const TenantId& tenant,
                                                             const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kFindDeliveryEvidence, {tenant, id}));
    if (rows.empty()) return std::optional<DeliveryEvidence>();
    const db::Row& row = rows[0];
    return std::optional<DeliveryEvidence>(DeliveryEvidence{.id = row.Id(0),
                                                            .station_id = row.Id(1),
                                                            .tank_id = row.Id(2),
                                                            .product_id = row.Id(3),
                                                            .product_code = row.Text(4),
                                                            .waybill_no = row.Text(5),
                                                            .depot = row.Text(6),
                                                            .supplier = row.Text(7),
                                                            .transporter = row.Text(8),
                                                            .brv_registration = row.Text(9),
                                                            .loaded_at_us = row.Int(10),
                                                            .delivered_at_us = row.Int(11),
                                                            .loaded_ambient_milli = row.Int(12),
                                                            .received_standard_milli = row.Int(13),
                                                            .dip_before_id = row.Id(14),
                                                            .dip_after_id = row.Id(15),
                                                            .dip_before_found = !row.IsNull(16),
                                                            .dip_after_found = !row.IsNull(17)});
}

}  // namespace omc::forecourt
