// The dashboard API's answers (GET /api/v1/dashboard/overview, h-overview's spec). Money and
// litres are decimal strings; dates YYYY-MM-DD; times RFC 3339 UTC.

export interface ProductTotals {
  product_id: string;
  code: string;
  name: string;
  // The quantity in the product's own unit (`unit`: L, kg or each); only fuel in L is litres.
  litres: string;
  unit?: string;
  kind?: string;
  revenue: string;
  sales: number;
}

export interface StationTotals {
  station_id: string;
  code: string;
  name: string;
  litres: string;
  revenue: string;
  sales: number;
}

export interface Totals {
  litres: string;
  revenue: string;
  sales: number;
  by_product: ProductTotals[];
  by_station: StationTotals[];
}

export interface Period {
  from: string;
  to: string;
  current: Totals;
  previous: Totals;
}

export type StationStatus = 'ok' | 'stock_low' | 'variance' | 'offline';

export interface OverviewStation {
  id: string;
  code: string;
  name: string;
  region_id: string;
  latitude: string | null;
  longitude: string | null;
  status: StationStatus;
  flags: string[];
  last_sale_at: string | null;
  open_alerts: number;
}

export interface Alert {
  id: string;
  station_id: string;
  tank_id: string | null;
  kind: string;
  severity: 'info' | 'warning' | 'critical' | string;
  status: string;
  message: string;
  raised_at: string;
  [key: string]: unknown;
}

export interface Overview {
  date: string;
  generated_at?: string;
  window: { name: string; starts_on: string; ends_on: string };
  periods: { today: Period; window: Period };
  stations: OverviewStation[];
  alerts: { open: number; acknowledged?: number; latest: Alert[] };
}
