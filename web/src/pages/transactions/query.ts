// The filters as the API takes them (the list and the CSV export share them): dates are Ghana
// days (UTC+0 all year), `to` included, so the API's half-open `to` is the next day's midnight.
// Newest first, as a manager reads them: the sale just made is on the first page.
import { addDays } from '../../lib/format';
import type { Query } from '../../api/client';
import type { SaleFilters } from './types';

export function apiFilters(f: SaleFilters): Query {
  return {
    station_id: f.station_id || undefined,
    from: f.from ? `${f.from}T00:00:00Z` : undefined,
    to: f.to ? `${addDays(f.to, 1)}T00:00:00Z` : undefined,
    product_id: f.product_id || undefined,
    payment_method: f.payment_method || undefined,
    kind: f.kind || undefined,
    order: 'desc',
  };
}
