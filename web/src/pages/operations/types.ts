// Shapes of the forecourt API answers the operations forms use (docs/api/openapi.json).
export interface Tank {
  id: string;
  station_id: string;
  code: string;
  product_id: string;
  capacity: string;
  safe_fill: string;
  book_stock: string;
  water_limit_mm: number;
  active: boolean;
}

export interface Pump {
  id: string;
  station_id: string;
  code: string;
  active: boolean;
}

export interface Nozzle {
  id: string;
  station_id: string;
  pump_id: string;
  number: number;
  tank_id: string;
  product_id: string;
  totalizer: string;
  active: boolean;
}

export interface ShiftNozzleLine {
  nozzle_id: string;
  pump_id: string;
  number: number;
  product_id: string;
  attendant_id: string | null;
  opening_totalizer: string;
  closing_totalizer: string | null;
  meter_quantity?: string;
  meter_amount?: string;
  recorded_quantity: string;
  recorded_amount: string;
  variance_quantity?: string;
  variance_amount?: string;
}

export interface ShiftAttendantLine {
  attendant_id: string;
  recorded_by_payment: Record<string, string>;
  expected_money: string;
  handed_over: boolean;
  collected?: { cash: string; momo: string; card: string; total: string };
  variance_amount?: string;
}

export interface ShiftReport {
  nozzles: ShiftNozzleLine[];
  attendants: ShiftAttendantLine[];
  adjustments: unknown[];
  prices_at: string;
}

export interface Shift {
  id: string;
  station_id: string;
  status: 'open' | 'closed';
  business_date: string;
  opened_at: string;
  opened_by: string;
  closed_at: string | null;
  closed_by: string | null;
  note: string | null;
  report?: ShiftReport;
}

export interface PriceInForce {
  unit_price: string;
  [key: string]: unknown;
}

export interface DipVolume {
  tank_id: string;
  chart_id: string;
  taken_at: string;
  gross: string;
  water: string;
  net_observed: string;
  vcf: string;
  standard: string;
  density15: string;
  reference_temperature: string;
}

export interface Dip extends DipVolume {
  id: string;
  station_id: string;
  purpose: string;
  height_mm: number;
  water_height_mm: number;
  temperature: string;
  book_stock: string;
  recorded_at: string;
}

export interface Delivery {
  id: string;
  station_id: string;
  tank_id: string;
  waybill_no: string;
  loaded_volume: string;
  loaded_standard: string;
  received_standard: string;
  shortage: string;
  allowance: string;
  claimable: string;
  claim_amount: string;
  unit_cost: string | null;
  uncosted: boolean;
  delivered_at: string;
}
