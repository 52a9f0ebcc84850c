import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { ghanaToday } from '../../lib/format';
import { Providers, fail, mockApi, ok } from '../../test/kit';
import { Breakdown, breakdownRows } from './Breakdown';
import { describeChange } from './change';
import { ACCRA, TAMALE, overviewFixture } from './fixtures';
import { placeStations } from './GhanaMap';
import { OverviewPage } from './OverviewPage';

afterEach(() => {
  vi.restoreAllMocks();
});

// The overview for the date asked for.
const overviewRoute = { '/api/v1/dashboard/overview': (r: { query: URLSearchParams }) => ({ data: overviewFixture(r.query.get('date')!) }) };

function renderPage() {
  return render(
    <Providers>
      <OverviewPage />
    </Providers>,
  );
}

describe('describeChange', () => {
  it('words the change against last week with its direction', () => {
    expect(describeChange('110.00', '100.00', 2)).toMatchObject({ direction: 'up', text: '10.0% up on last week' });
    expect(describeChange('45678.90', '50000.00', 2)).toMatchObject({ direction: 'down', text: '8.6% down on last week' });
    expect(describeChange('100.00', '100.00', 2)).toMatchObject({ direction: 'same', text: 'no change on last week' });
    expect(describeChange('5.00', '0.00', 2)).toMatchObject({ direction: 'none', text: 'nothing last week to compare' });
    expect(describeChange('0.00', '0.00', 2)).toMatchObject({ direction: 'same' });
  });
});

describe('breakdownRows', () => {
  it("joins this period with last week's by id, keeping what sold only last week", () => {
    const rows = breakdownRows(overviewFixture().periods.today, 'station');
    expect(rows.map((r) => [r.code, r.revenue, r.previousRevenue])).toEqual([
      ['ACC-01', '30000.45', '30000.45'],
      ['KSI-01', '15678.45', '0.00'],
      ['TML-01', '0.00', '19999.55'],
    ]);
  });
});

describe('Breakdown by product', () => {
  it('shows LPG in kg and shop items counted, and adds up litres of fuel by the litre only', () => {
    const period = overviewFixture().periods.today;
    period.current.by_product = [
      { product_id: 'p-pms', code: 'PMS', name: 'Petrol', litres: '1200.250', revenue: '18678.50', sales: 50, unit: 'L', kind: 'fuel' },
      { product_id: 'p-lpg', code: 'LPG', name: 'LPG', litres: '80.500', revenue: '1200.00', sales: 9, unit: 'kg', kind: 'fuel' },
      { product_id: 'p-oil', code: 'OIL1', name: 'Engine oil 1 L', litres: '12.000', revenue: '840.00', sales: 12, unit: 'each', kind: 'shop' },
    ];
    render(
      <MemoryRouter>
        <Breakdown period={period} kind="product" label="Sales by product" />
      </MemoryRouter>,
    );
    const table = screen.getByRole('table', { name: 'Sales by product' });
    expect(within(table).getByRole('row', { name: /LPG/ })).toHaveTextContent('80.500 kg');
    expect(within(table).getByRole('row', { name: /OIL1/ })).toHaveTextContent('12 items');
    expect(within(table).getByRole('row', { name: /PMS/ })).toHaveTextContent('1,200.250 L');
    expect(screen.getByTestId('total-by-product')).toHaveTextContent('1,200.250 L of fuel by the litre, GH₵ 20,718.50, 71 sales');
  });
});

describe('placeStations', () => {
  it('puts stations with coordinates inside Ghana on the map and lists the others apart', () => {
    const { placed, unplaced } = placeStations(overviewFixture().stations);
    expect(placed.map((p) => p.station.code).sort()).toEqual(['ACC-01', 'KSI-01']);
    expect(unplaced.map((s) => s.code)).toEqual(['TML-01']);
    const accra = placed.find((p) => p.station.id === ACCRA)!;
    const kumasi = placed.find((p) => p.station.code === 'KSI-01')!;
    // Kumasi is north-west of Accra: left of it and above it on the drawing.
    expect(kumasi.x).toBeLessThan(accra.x);
    expect(kumasi.y).toBeLessThan(accra.y);
    const outside = placeStations([{ ...overviewFixture().stations[0], latitude: '51.5', longitude: '-0.12' }]);
    expect(outside.unplaced).toHaveLength(1);
  });
});

describe('OverviewPage', () => {
  it("shows today's and the window's figures against last week, the map, the alerts and the breakdown", async () => {
    const { sent } = mockApi(overviewRoute);
    renderPage();
    expect(await screen.findByTestId('kpi-today-revenue-value')).toHaveTextContent('GH₵ 45,678.90');
    expect(sent[0].url).toBe(`/api/v1/dashboard/overview?date=${ghanaToday()}`);
    expect(screen.getByTestId('kpi-today-litres-value')).toHaveTextContent('3,001 L');
    expect(screen.getByTestId('kpi-window-revenue-value')).toHaveTextContent('GH₵ 315,000.00');
    expect(screen.getByTestId('kpi-window-litres-value')).toHaveTextContent('21,000 L');
    expect(screen.getByTestId('kpi-today-revenue')).toHaveTextContent('▼ 8.6% down on last week');
    expect(screen.getByTestId('kpi-today-revenue')).toHaveTextContent('GH₵ 50,000.00');
    expect(screen.getByTestId('kpi-today-litres')).toHaveTextContent('10.0% up on last week');
    expect(screen.getByTestId('kpi-window-litres')).toHaveTextContent('no change on last week');
    expect(screen.getByTestId('kpi-window-revenue')).toHaveTextContent('5.0% up on last week');
    expect(screen.getByText(/window/i, { selector: 'p' })).toHaveTextContent('2026-11-2');
    expect(screen.getByText(/16 Nov 2026 – 30 Nov 2026/)).toBeInTheDocument();

    // The map: each placed station a link named by name and status; the one without coordinates listed.
    const dot = screen.getByRole('link', { name: 'Accra Central (ACC-01): Variance, 2 open alerts' });
    expect(dot).toHaveAttribute('href', `/stations/${ACCRA}`);
    expect(screen.getByRole('link', { name: 'Kumasi Adum (KSI-01): OK, 0 open alerts' })).toBeInTheDocument();
    const unplaced = screen.getByText('Not on the map (no coordinates)').nextElementSibling as HTMLElement;
    expect(within(unplaced).getByRole('link', { name: 'Tamale Road' })).toHaveAttribute('href', `/stations/${TAMALE}`);
    // The legend names every status (not colour alone).
    for (const label of ['Offline', 'Variance', 'Stock low', 'OK']) expect(screen.getAllByText(label, { selector: 'strong' }).length).toBeGreaterThan(0);
    // A focused dot shows its detail.
    dot.focus();
    expect(await screen.findByRole('tooltip')).toHaveTextContent('Accra Central');

    // Alerts: the count and the latest, linking to their station.
    expect(screen.getByTestId('alerts-open')).toHaveTextContent('3 open alerts');
    const alert = screen.getByText('Tank T1 lost 240 L against the books').closest('li')!;
    expect(within(alert).getByRole('link', { name: 'Accra Central' })).toHaveAttribute('href', `/stations/${ACCRA}`);

    // By station: sortable table with links, and the exact total of the rows.
    const table = screen.getByRole('table', { name: 'Sales by station, day' });
    expect(within(table).getByRole('link', { name: 'Kumasi Adum' })).toHaveAttribute('href', '/stations/st-kumasi');
    expect(screen.getByTestId('total-by-station-revenue')).toHaveTextContent('GH₵ 45,678.90');
    expect(screen.getByTestId('total-by-station-litres')).toHaveTextContent('3,000.500 L');
    const rows = () => within(table).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell')[1].textContent);
    expect(rows()).toEqual(['ACC-01', 'KSI-01', 'TML-01']); // revenue, highest first
    await userEvent.click(within(table).getByRole('button', { name: /Revenue last week/ }));
    expect(rows()).toEqual(['KSI-01', 'TML-01', 'ACC-01']);
    expect(screen.getByRole('table', { name: 'Sales by product, day' })).toHaveTextContent('GH₵ 27,000.40');
    expect(screen.getByTestId('refresh-status')).toHaveTextContent(/Updated at \d\d:\d\d · live/);
  }, 30_000);

  it('asks for the chosen date and stops calling it live', async () => {
    const { sent } = mockApi(overviewRoute);
    renderPage();
    await screen.findByTestId('kpi-today-revenue-value');
    const input = screen.getByLabelText('Date');
    fireEvent.change(input, { target: { value: '2026-11-05' } });
    expect(await screen.findByRole('button', { name: 'Back to today' })).toBeInTheDocument();
    await vi.waitFor(() => expect(sent.map((r) => r.url)).toContain('/api/v1/dashboard/overview?date=2026-11-05'));
    await vi.waitFor(() => expect(screen.getByTestId('refresh-status')).toHaveTextContent('past day, not refreshed'));
    expect(await screen.findByRole('heading', { name: /Revenue, 05 Nov 2026/ })).toBeInTheDocument();
  });

  it('shows the error with a retry when the overview fails', async () => {
    let calls = 0;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () => (++calls === 1 ? fail(500, 'database unavailable', [], 'internal', 'req-9') : ok(overviewFixture(ghanaToday()))));
    renderPage();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('database unavailable');
    expect(alert).toHaveTextContent('req-9');
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('kpi-today-revenue-value')).toHaveTextContent('GH₵ 45,678.90');
  });

  it('says so when there are no stations and no sales', async () => {
    const empty = overviewFixture(ghanaToday());
    const zero = { litres: '0.000', revenue: '0.00', sales: 0, by_product: [], by_station: [] };
    empty.periods.today.current = zero;
    empty.periods.today.previous = zero;
    empty.stations = [];
    empty.alerts = { open: 0, latest: [] };
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () => ok(empty));
    renderPage();
    expect(await screen.findByText('No stations in your scope.')).toBeInTheDocument();
    expect(screen.getByText('No open alerts.')).toBeInTheDocument();
    expect(screen.getAllByText('No sales in this period or the same days last week.')).toHaveLength(2);
    expect(screen.getByTestId('kpi-today-revenue')).toHaveTextContent('none now or last week');
  });
});
