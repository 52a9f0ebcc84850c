// Shapes of the report answers (src/domains/reports/README.md, docs/pricing.md "Taxes", UPPF).

export interface NpaSalesRow {
  product_id: string;
  product_code: string;
  product_name: string;
  unit: string;
  sales_count: number;
  quantity: string;
  amount: string;
  region_id?: string;
  region_code?: string;
  region_name?: string;
  station_id?: string;
  station_code?: string;
  station_name?: string;
}

export interface NpaSales {
  month: string;
  from: string;
  to: string;
  by_station: NpaSalesRow[];
  by_region: NpaSalesRow[];
  totals: NpaSalesRow[];
}

export interface NpaStockLine {
  station_id: string;
  station_code: string;
  station_name: string;
  region_code: string;
  product_id: string;
  product_code: string;
  unit: string;
  tanks: number;
  opening: string | null;
  receipts: string;
  sales: string;
  adjustments: string;
  book_closing: string | null;
  closing: string | null;
  variance: string | null;
  missing: string[];
}

export interface NpaStock {
  month: string;
  from: string;
  to: string;
  lines: NpaStockLine[];
  sources: Record<string, string>;
}

export interface VatFigures {
  exempt: { amount: string };
  standard_rated: { amount: string; lines: number; taxable_value: string; taxes: Record<string, string>; total_tax: string };
  total_sales: string;
}

export interface VatReturn {
  month: string;
  from: string;
  to: string;
  taxes: Array<{ code: string; name: string }>;
  stations: Array<VatFigures & { station_id: string; station_code: string; station_name: string }>;
  totals: VatFigures;
}

export interface UppfClaim {
  id: string;
  period: string;
  status: 'draft' | 'submitted' | 'partly_settled' | 'settled';
  note: string | null;
  line_count: number;
  diverted_line_count: number;
  amount: string;
  claimable_amount: string;
  settled_amount: string;
  outstanding_amount: string;
  shortfall_amount: string;
  submitted_at: string | null;
  submission_reference: string | null;
  created_at: string;
}
