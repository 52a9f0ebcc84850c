-- Row-level security for the receivables and payables tables.
SELECT omc_enable_tenant_isolation('arap_customers');
SELECT omc_enable_tenant_isolation('arap_vehicles');
SELECT omc_enable_tenant_isolation('arap_drivers');
SELECT omc_enable_tenant_isolation('arap_driver_vehicles');
SELECT omc_enable_tenant_isolation('arap_credit_sales');
SELECT omc_enable_tenant_isolation('arap_counters');
SELECT omc_enable_tenant_isolation('arap_invoices');
SELECT omc_enable_tenant_isolation('arap_invoice_lines');
SELECT omc_enable_tenant_isolation('arap_customer_payments');
SELECT omc_enable_tenant_isolation('arap_customer_allocations');
SELECT omc_enable_tenant_isolation('arap_suppliers');
SELECT omc_enable_tenant_isolation('arap_purchase_orders');
SELECT omc_enable_tenant_isolation('arap_supplier_invoices');
SELECT omc_enable_tenant_isolation('arap_supplier_invoice_deliveries');
SELECT omc_enable_tenant_isolation('arap_supplier_payments');
SELECT omc_enable_tenant_isolation('arap_supplier_allocations');
SELECT omc_enable_tenant_isolation('arap_settings');
