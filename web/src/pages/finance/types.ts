// Shapes of the finance API answers (docs/api/openapi.json; src/domains/ledger, arap, payments).
// Money is a decimal string with 2 decimals ("1234.50"); dates "YYYY-MM-DD".

export interface TrialBalanceLine {
  code: string;
  name: string;
  type: string;
  dimensions: string; // "" per code; "station=…;product=…;party=…" per account
  account_id: string | null; // per account: the account whose statement the line opens
  debit: string;
  credit: string;
}
export interface TrialBalance {
  as_of: string;
  lines: TrialBalanceLine[];
  total_debit: string;
  total_credit: string;
  balanced: boolean;
}

// The profit and loss and the balance sheet share the report shape.
export interface ReportLine {
  code: string;
  name: string;
  section: string;
  amount: string;
}
export interface Report {
  title: string;
  subtitle: string[];
  lines: ReportLine[];
  sections: Array<{ section: string; total: string }>;
  results: Record<string, string>;
}

export interface ProfitRow {
  station_id?: string;
  product_id?: string;
  name: string;
  revenue: string;
  cost_of_sales: string;
  gross_profit: string;
  other_income: string;
  other_expenses: string;
  net_profit: string;
}
export interface ProfitBy {
  from: string;
  to: string;
  rows: ProfitRow[];
}

export interface ChartLine {
  code: string;
  name: string;
  type: string;
  dimensions: string;
  report_group: string;
  active: boolean;
}

export interface LedgerAccount {
  id: string;
  code: string;
  name: string;
  type: string;
  currency: string;
  station_id: string | null;
  product_id: string | null;
  party_id: string | null;
  debits_pending: string;
  debits_posted: string;
  credits_pending: string;
  credits_posted: string;
  balance: string;
  flags: { closed: boolean; debits_must_not_exceed_credits: boolean; credits_must_not_exceed_debits: boolean };
}
export interface AccountStatementLine {
  transfer_id: string;
  entry_id: string;
  booked_on: string;
  kind: string;
  memo: string;
  debit: string;
  credit: string;
  balance: string;
}
export interface AccountStatement {
  account: LedgerAccount;
  from: string;
  to: string;
  opening: string;
  closing: string;
  lines: AccountStatementLine[];
}

export interface Customer {
  id: string;
  code: string;
  name: string;
  tin: string | null;
  contact_name: string | null;
  phone: string | null;
  email: string | null;
  credit_limit: string;
  payment_terms_days: number;
  status: 'active' | 'on_hold';
  exposure?: string;
  available?: string;
  vehicles?: Array<{ id: string; registration: string; limit_period: string | null; limit: string | null; active: boolean }>;
  drivers?: Array<{ id: string; name: string; phone: string | null; active: boolean }>;
}

export type BucketKey = '0_30' | '31_60' | '61_90' | 'over_90';
export const BUCKETS: Array<{ key: BucketKey; label: string }> = [
  { key: '0_30', label: '0–30 days' },
  { key: '31_60', label: '31–60 days' },
  { key: '61_90', label: '61–90 days' },
  { key: 'over_90', label: 'Over 90 days' },
];
export interface AgingRow {
  customer_id?: string;
  supplier_id?: string;
  name: string;
  buckets: Record<BucketKey, string>;
  unapplied_credit: string;
  balance: string;
}
export interface Aging {
  as_of: string;
  rows: AgingRow[];
  totals: { buckets: Record<BucketKey, string>; unapplied_credit: string; balance: string };
}

export interface Invoice {
  id: string;
  invoice_no: string;
  number: number;
  customer_id: string;
  period_from: string;
  period_to: string;
  issued_on: string;
  due_on: string;
  total: string;
  line_count: number;
  paid: string;
  outstanding: string;
  status: 'open' | 'paid';
}
export interface CustomerPayment {
  id: string;
  customer_id: string;
  method: 'cash' | 'bank' | 'momo' | 'cheque';
  reference: string | null;
  station_id: string | null;
  amount: string;
  received_on: string;
  allocations: Array<{ invoice_id: string; invoice_no: string; amount: string }>;
  unallocated: string;
}
export interface CustomerStatement {
  customer_id: string;
  from: string;
  to: string;
  opening_balance: string;
  lines: Array<{ date: string; document: 'invoice' | 'payment'; reference: string; debit: string | null; credit: string | null; balance: string }>;
  total_debits: string;
  total_credits: string;
  closing_balance: string;
  uninvoiced_sales: string;
}

export interface Reconciliation {
  id: string;
  provider: string;
  date: string;
  source: 'provider' | 'upload';
  statement_lines: number;
  intents: number;
  matched: number;
  mismatches: number;
  statement_amount: string;
  sales_amount: string;
  created_at: string;
  created_by: string;
  items?: ReconciliationItem[];
}
export interface ReconciliationItem {
  line_no: number | null;
  kind: 'missing_sale' | 'missing_statement' | 'amount_differs' | 'status_differs';
  reference: string | null;
  financial_transaction_id: string | null;
  statement_amount: string | null;
  statement_status: string | null;
  intent_id: string | null;
  intent_status: string | null;
  sale_id: string | null;
  sale_amount: string | null;
  detail: string;
}

export interface Supplier {
  id: string;
  code: string;
  kind: string;
  name: string;
  payment_terms_days: number;
}
