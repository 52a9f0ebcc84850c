// Answers of the dashboard APIs for the tests (the exact JSON of h-overview's spec).
import type { Overview } from './types';

export const ACCRA = 'st-accra';
export const KUMASI = 'st-kumasi';
export const TAMALE = 'st-tamale';

const product = (id: string, code: string, name: string, litres: string, revenue: string, sales: number) => ({ product_id: id, code, name, litres, revenue, sales });
const station = (id: string, code: string, name: string, litres: string, revenue: string, sales: number) => ({ station_id: id, code, name, litres, revenue, sales });

export function overviewFixture(date = '2026-11-22'): Overview {
  return {
    date,
    window: { name: '2026-11-2', starts_on: '2026-11-16', ends_on: '2026-11-30' },
    periods: {
      today: {
        from: date,
        to: date,
        current: {
          litres: '3000.500',
          revenue: '45678.90',
          sales: 120,
          by_product: [product('p-ago', 'AGO', 'Diesel', '1800.250', '27000.40', 70), product('p-pms', 'PMS', 'Petrol', '1200.250', '18678.50', 50)],
          by_station: [station(ACCRA, 'ACC-01', 'Accra Central', '2000.250', '30000.45', 80), station(KUMASI, 'KSI-01', 'Kumasi Adum', '1000.250', '15678.45', 40)],
        },
        previous: {
          litres: '2727.727',
          revenue: '50000.00',
          sales: 110,
          by_product: [product('p-ago', 'AGO', 'Diesel', '1500.000', '25000.00', 60), product('p-pms', 'PMS', 'Petrol', '1227.727', '25000.00', 50)],
          by_station: [station(ACCRA, 'ACC-01', 'Accra Central', '1727.727', '30000.45', 70), station(TAMALE, 'TML-01', 'Tamale Road', '1000.000', '19999.55', 40)],
        },
      },
      window: {
        from: '2026-11-16',
        to: date,
        current: { litres: '21000.000', revenue: '315000.00', sales: 800, by_product: [], by_station: [] },
        previous: { litres: '21000.000', revenue: '300000.00', sales: 790, by_product: [], by_station: [] },
      },
    },
    stations: [
      { id: ACCRA, code: 'ACC-01', name: 'Accra Central', region_id: 'r-ga', latitude: '5.603717', longitude: '-0.186964', status: 'variance', flags: ['variance', 'stock_low'], last_sale_at: '2026-11-22T09:15:00Z', open_alerts: 2 },
      { id: KUMASI, code: 'KSI-01', name: 'Kumasi Adum', region_id: 'r-as', latitude: '6.688', longitude: '-1.624', status: 'ok', flags: [], last_sale_at: '2026-11-22T09:10:00Z', open_alerts: 0 },
      { id: TAMALE, code: 'TML-01', name: 'Tamale Road', region_id: 'r-no', latitude: null, longitude: null, status: 'offline', flags: ['offline'], last_sale_at: null, open_alerts: 1 },
    ],
    alerts: {
      open: 3,
      latest: [
        { id: 'a1', station_id: ACCRA, tank_id: 't1', kind: 'variance', severity: 'critical', status: 'open', message: 'Tank T1 lost 240 L against the books', raised_at: '2026-11-22T08:00:00Z' },
        { id: 'a2', station_id: TAMALE, tank_id: null, kind: 'low_stock', severity: 'warning', status: 'open', message: 'Tank T2 under its low level', raised_at: '2026-11-21T18:30:00Z' },
      ],
    },
  };
}
