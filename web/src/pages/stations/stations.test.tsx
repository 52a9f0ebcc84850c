import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import { session } from '../../api/client';
import { fail, makeProfile, mockApi, ok, profileRoute, renderAt as renderPageAt } from '../../test/kit';
import { ACCRA, KUMASI, TAMALE, overviewFixture } from '../overview/fixtures';
import { StationsSection } from './StationsSection';
import type { StationSummary } from './types';

afterEach(() => {
  vi.restoreAllMocks();
  session.clear();
});

const profileWith = (permissions: string[]) => makeProfile({ id: 'u1', username: 'kofi', display_name: 'Kofi', role: 'StationManager', permissions });

const stations = [
  { id: ACCRA, code: 'ACC-01', name: 'Accra Central', region_id: 'r-ga', operating_model: 'COCO', dealer_id: null, active: true },
  { id: KUMASI, code: 'KSI-01', name: 'Kumasi Adum', region_id: 'r-as', operating_model: 'DODO', dealer_id: 'd1', active: true },
  { id: TAMALE, code: 'TML-01', name: 'Tamale Road', region_id: 'r-no', operating_model: 'CODO', dealer_id: null, active: true },
];
const regions = [
  { id: 'r-ga', code: 'GA', name: 'Greater Accra' },
  { id: 'r-as', code: 'AS', name: 'Ashanti' },
  { id: 'r-no', code: 'NO', name: 'Northern' },
];
const products = [
  { id: 'p-pms', code: 'PMS', name: 'Petrol' },
  { id: 'p-ago', code: 'AGO', name: 'Diesel' },
];

export function summaryFixture(): StationSummary {
  return {
    station: { id: ACCRA, code: 'ACC-01', name: 'Accra Central', region_id: 'r-ga', operating_model: 'COCO', latitude: '5.603717', longitude: '-0.186964', active: true },
    tanks: [
      {
        id: 't1', code: 'T1', product_id: 'p-pms', product_code: 'PMS', capacity: '30000.000', book_stock: '18960.000', ullage: '11040.000', low_level: '4000.000', low_stock: false,
        fill_percent: '63.2', avg_daily_litres: '4213.333', days_of_cover: '4.5', water_alert: true,
        latest_dip: { id: 'd1', tank_id: 't1', taken_at: '2026-11-22T06:00:00Z', purpose: 'opening', height_mm: 1520, water_height_mm: 35, temperature: '29.0', gross: '19000.000', water: '120.000', net_observed: '18880.000', standard: '18790.000', book_stock: '18960.000', recorded_by: 'kofi' },
      },
      {
        id: 't2', code: 'T2', product_id: 'p-ago', product_code: 'AGO', capacity: '20000.000', book_stock: '1500.000', ullage: '18500.000', low_level: '3000.000', low_stock: true,
        fill_percent: '7.5', avg_daily_litres: '0.000', days_of_cover: null, water_alert: false, latest_dip: null,
      },
    ],
    pumps: [{ id: 'pu1', code: 'P1', nozzles: [{ id: 'n1', number: 1, product_id: 'p-pms', tank_id: 't1', totalizer: '123456.789' }] }],
    current_shift: null,
    variance_30d: [
      { date: '2026-11-20', book_change: '-4000.000', dip_change: '-4012.345', variance: '12.345', variance_percent: '0.31' },
      { date: '2026-11-21', book_change: null, dip_change: null, variance: null, variance_percent: null },
    ],
    recent_sales: [
      { id: 's1', receipt_no: 1042, kind: 'fuel', product_id: 'p-pms', quantity: '40.000', unit_price: '14.2500', amount: '570.00', payment_method: 'momo', sold_at: '2026-11-22T09:15:00Z' },
      { id: 's2', receipt_no: 1043, kind: 'void', product_id: 'p-pms', quantity: '-40.000', unit_price: '14.2500', amount: '-570.00', payment_method: 'momo', sold_at: '2026-11-22T09:20:00Z' },
    ],
    recent_deliveries: [],
    recent_dips: [
      { id: 'd1', tank_id: 't1', taken_at: '2026-11-22T06:00:00Z', purpose: 'opening', height_mm: 1520, water_height_mm: 35, temperature: '29.0', gross: '19000.000', water: '120.000', net_observed: '18880.000', standard: '18790.000', book_stock: '18960.000', recorded_by: 'kofi' },
    ],
  };
}

function mockStations(permissions: string[], summary: () => Response) {
  const { sent } = mockApi(profileRoute(profileWith(permissions)), {
    '/api/v1/stations': { data: stations },
    '/api/v1/regions': { data: regions },
    '/api/v1/products': { data: products },
    '/api/v1/dashboard/overview': { data: overviewFixture() },
    [`/api/v1/stations/${ACCRA}/summary`]: summary,
  });
  return sent;
}

const renderAt = (path: string) => renderPageAt(path, <StationsSection />, '/stations/*');

describe('Stations list', () => {
  it('lists the stations with region, model, status and open alerts from the overview', async () => {
    mockStations(['forecourt.read', 'org.read'], () => ok(summaryFixture()));
    renderAt('/stations');
    const table = await screen.findByRole('table', { name: 'Stations' });
    const row = await within(table).findByRole('row', { name: /ACC-01/ });
    await vi.waitFor(() => expect(row).toHaveTextContent('Greater Accra'));
    await vi.waitFor(() => expect(row).toHaveTextContent('Variance'));
    expect(row).toHaveTextContent('COCO');
    expect(within(row).getAllByRole('cell')[5]).toHaveTextContent('2');
    expect(within(row).getByRole('link', { name: 'Accra Central' })).toHaveAttribute('href', `/stations/${ACCRA}`);
    expect(within(table).getByRole('row', { name: /TML-01/ })).toHaveTextContent('Offline');
    expect(within(table).getByRole('row', { name: /KSI-01/ })).toHaveTextContent('OK');
  }, 30_000);

  it('does not ask for regions without org.read', async () => {
    const sent = mockStations(['forecourt.read'], () => ok(summaryFixture()));
    renderAt('/stations');
    const table = await screen.findByRole('table', { name: 'Stations' });
    await within(table).findByRole('row', { name: /ACC-01/ });
    expect(sent.some((r) => r.url.startsWith('/api/v1/regions'))).toBe(false);
  }, 30_000);
});

describe('Station page', () => {
  it('shows tanks as meters with cover and water, pumps, variance and recent sales', async () => {
    const sent = mockStations(['forecourt.read', 'org.read', 'shifts.write'], () => ok(summaryFixture()));
    renderAt(`/stations/${ACCRA}`);
    expect(await screen.findByRole('heading', { name: 'Accra Central', level: 1 })).toBeInTheDocument();
    expect(sent.map((r) => r.url)).toContain(`/api/v1/stations/${ACCRA}/summary`);
    const t1 = screen.getByRole('meter', { name: 'Tank T1 (PMS) level' });
    expect(t1).toHaveAttribute('aria-valuenow', '63.2');
    expect(t1).toHaveAttribute('aria-valuetext', '63.2% full, 18,960 L of 30,000 L');
    const tank1 = t1.closest('article')!;
    expect(tank1).toHaveTextContent('4.5 days');
    expect(tank1).toHaveTextContent('4,213 L/day');
    expect(tank1).toHaveTextContent('35 mm');
    expect(tank1).toHaveTextContent('Water above limit');
    const tank2 = screen.getByRole('meter', { name: 'Tank T2 (AGO) level' }).closest('article')!;
    expect(tank2).toHaveTextContent('no sales in the last 7 days');
    expect(tank2).toHaveTextContent('Stock low');
    expect(tank2).toHaveTextContent('no dip recorded');
    expect(tank2).not.toHaveTextContent('Water above limit');

    expect(screen.getByText(/Nozzle 1 · PMS · tank T1/)).toHaveTextContent('123,456.789 L');
    // No open shift: the link to open one, for a role that may.
    expect(screen.getByText(/No open shift/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open a shift' })).toHaveAttribute('href', '/operations/shift');
    // Variance figures, a day without both dips said so.
    const variance = screen.getByRole('table', { name: 'Variance by day' });
    expect(variance).toHaveTextContent('12.345 L');
    expect(variance).toHaveTextContent('not reconciled');
    // Recent sales with GH₵ amounts; the void negative.
    const sales = screen.getByRole('table', { name: 'Recent sales' });
    expect(within(sales).getByRole('row', { name: /1042/ })).toHaveTextContent('GH₵ 570.00');
    expect(within(sales).getByRole('row', { name: /1043/ })).toHaveTextContent('−GH₵ 570.00');
    expect(within(sales).getByRole('row', { name: /1042/ })).toHaveTextContent('GH₵ 14.2500');
    expect(screen.getByText('No deliveries recorded.')).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Recent dips' })).toHaveTextContent('18,790.000 L');
    await vi.waitFor(() => expect(screen.getByText('Greater Accra', { exact: false })).toBeInTheDocument());
  }, 30_000);

  it('shows the open shift and offers no shift link without shifts.write', async () => {
    const withShift = summaryFixture();
    withShift.current_shift = {
      id: 'sh1', station_id: ACCRA, status: 'open', business_date: '2026-11-22', opened_at: '2026-11-22T06:00:00Z', opened_by: 'kofi', closed_at: null, note: null,
      report: {
        nozzles: [
          { nozzle_id: 'n1', pump_id: 'pu1', number: 1, product_id: 'p-pms', opening_totalizer: '123000.000', closing_totalizer: null, recorded_quantity: '400.500', recorded_amount: '5707.13', attendant_id: 'a1' },
          { nozzle_id: 'n2', pump_id: 'pu1', number: 2, product_id: 'p-ago', opening_totalizer: '5000.000', closing_totalizer: null, recorded_quantity: '100.250', recorded_amount: '1503.76', attendant_id: 'a1' },
        ],
        attendants: [{ attendant_id: 'a1' }],
      },
    };
    mockStations(['forecourt.read'], () => ok(withShift));
    renderAt(`/stations/${ACCRA}`);
    await screen.findByText(/Recorded so far/);
    const shift = screen.getByRole('heading', { name: 'Current shift' }).closest('section')!;
    expect(shift).toHaveTextContent('22 Nov 2026');
    expect(shift).toHaveTextContent('Recorded so far: 500.750 L, GH₵ 7,210.89 on 2 nozzles, 1 attendant');
    expect(within(shift).queryByRole('link')).toBeNull();
  }, 30_000);

  it('says when the station is not found or outside the scope', async () => {
    mockStations(['forecourt.read'], () => fail(404, 'station not found', [], 'not_found'));
    renderAt(`/stations/${ACCRA}`);
    expect(await screen.findByRole('alert')).toHaveTextContent('Not found (or outside the stations you can see).');
    expect(screen.queryByRole('meter')).toBeNull();
  });
});
