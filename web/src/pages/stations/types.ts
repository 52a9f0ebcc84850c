// GET /api/v1/stations/{id}/summary (h-overview's spec): the station page in one request.
import type { Shift as OperationsShift, ShiftNozzleLine } from '../operations/types';

export type { ShiftNozzleLine };
export interface Dip {
  id: string;
  tank_id: string;
  taken_at: string;
  purpose: string;
  height_mm: number;
  water_height_mm: number;
  temperature: string;
  gross: string;
  water: string;
  net_observed: string;
  standard: string;
  book_stock: string;
  recorded_by: string;
  [key: string]: unknown;
}

export interface TankSummary {
  id: string;
  code: string;
  product_id: string;
  product_code: string;
  capacity: string;
  book_stock: string;
  ullage: string;
  low_level: string;
  low_stock?: boolean;
  fill_percent: string;
  avg_daily_litres: string;
  days_of_cover: string | null;
  latest_dip: Dip | null;
  water_alert: boolean;
  water_limit_mm?: number;
  active?: boolean;
}

export interface NozzleSummary {
  id: string;
  code?: string;
  number?: number;
  product_id: string;
  tank_id: string;
  totalizer?: string;
  active?: boolean;
}

export interface PumpSummary {
  id: string;
  code: string;
  active?: boolean;
  nozzles: NozzleSummary[];
}

// The summary's current shift: the shift as the operations forms know it, its report in part.
export type Shift = Omit<OperationsShift, 'closed_by' | 'report'> & {
  report?: { nozzles?: ShiftNozzleLine[]; attendants?: Array<{ attendant_id: string }> };
};

export interface VarianceDay {
  date: string;
  book_change: string | null;
  dip_change: string | null;
  variance: string | null;
  variance_percent: string | null;
}

export interface Sale {
  id: string;
  receipt_no: number;
  kind: 'fuel' | 'shop' | 'void' | 'refund';
  product_id: string;
  quantity: string;
  unit_price: string;
  amount: string;
  payment_method: string;
  sold_at: string;
}

export interface Delivery {
  id: string;
  tank_id: string;
  product_id: string;
  waybill_no: string;
  depot: string;
  delivered_at: string;
  loaded_standard: string;
  received_standard: string;
  shortage: string;
  claim_amount: string;
}

export interface StationSummary {
  station: {
    id: string;
    code: string;
    name: string;
    region_id: string;
    operating_model: string;
    latitude: string | null;
    longitude: string | null;
    active: boolean;
  };
  tanks: TankSummary[];
  pumps: PumpSummary[];
  current_shift: Shift | null;
  variance_30d: VarianceDay[];
  recent_sales: Sale[];
  recent_deliveries: Delivery[];
  recent_dips: Dip[];
}
