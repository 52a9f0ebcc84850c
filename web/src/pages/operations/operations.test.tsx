import { afterEach, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 30_000 });
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { meterLitres, meterValue, previewClose, varianceWord } from './shiftMath';
import { DipPage } from './DipPage';
import { ShiftPage } from './ShiftPage';
import { Providers, dataRoutes, mockApi, signedIn } from '../../test/kit';
import { atStation } from './fixtures';

afterEach(() => vi.restoreAllMocks());

describe('the cash-up preview (the API shift report, exactly)', () => {
  it('rounds each nozzle half up to the pesewa and subtracts account and voucher sales', () => {
    expect(meterLitres('1000.000', '1123.457')).toBe('123.457');
    // 123.457 L × GH₵ 14.95 = 1845.68215 -> 1845.68; 0.005 rounds up.
    expect(meterValue('123.457', '14.95')).toBe('1845.68');
    expect(meterValue('0.100', '14.95')).toBe('1.50'); // 1.495 -> 1.50
    expect(meterValue('1.000', '12.345678')).toBe('12.35');
    expect(meterValue('10.000', null)).toBe('0.00');
    const p = previewClose({
      readings: [
        { nozzle_id: 'n1', pump_id: 'p1', product_id: 'pms', opening: '1000.000', closing: '1123.457' },
        { nozzle_id: 'n2', pump_id: 'p1', product_id: 'ago', opening: '50.000', closing: '150.000' },
        { nozzle_id: 'n3', pump_id: 'p2', product_id: 'pms', opening: '0.000', closing: '0.100' },
      ],
      attendantOfPump: { p1: 'a1', p2: 'a2' },
      priceOfProduct: { pms: '14.95', ago: '15.10' },
      recordedByPayment: { a1: { cash: '100.00', account: '200.00', voucher: '10.50' } },
      collected: { a1: { cash: '3000.00', momo: '145.18', card: '0' }, a2: { cash: '1.50', momo: '0', card: '0' } },
    });
    // a1: 1845.68 + 1510.00 - 210.50 = 3145.18 expected; 3145.18 handed over.
    expect(p.attendants.find((a) => a.attendant_id === 'a1')).toMatchObject({ expected: '3145.18', collected: '3145.18', variance: '0.00' });
    expect(p.attendants.find((a) => a.attendant_id === 'a2')).toMatchObject({ expected: '1.50', variance: '0.00' });
    expect(p.variance).toBe('0.00');
    expect(varianceWord('-0.01')).toBe('short');
    expect(varianceWord('0.01')).toBe('over');
    expect(varianceWord('0.00')).toBe('balanced');
  });
});

const TANK = { id: 'tank-1', station_id: 's-1', code: 'T1', product_id: 'pms', capacity: '30000.000', safe_fill: '28500.000', book_stock: '12000.000', water_limit_mm: 50, active: true };
const PRODUCTS = [{ id: 'pms', code: 'PMS', name: 'Super' }];

describe('the dip form', () => {
  it('asks the API for the volumes once the typing stops, shows the net litres and records the dip with one key', async () => {
    signedIn();
    const { sent: calls } = mockApi(
      atStation(['forecourt.read', 'dips.write'], PRODUCTS),
      dataRoutes({
        'GET /api/v1/tanks': [TANK],
        'GET /api/v1/tanks/tank-1/dip-volume': (c: any) => ({
          data: {
            tank_id: 'tank-1',
            chart_id: 'c',
            taken_at: '2026-11-22T08:00:00Z',
            gross: '15000.000',
            water: c.query.get('water_height_mm') === '10' ? '150.000' : '0.000',
            net_observed: '14850.000',
            vcf: '0.9817',
            standard: '14578.245',
            density15: '745.0',
            reference_temperature: '15.00',
          },
        }),
        'POST /api/v1/dips': (c: any) => ({
          status: 201,
          data: { id: 'd1', station_id: 's-1', tank_id: 'tank-1', taken_at: '2026-11-22T08:00:00Z', gross: '15000.000', water: '150.000', net_observed: '14850.000', vcf: '0.9817', standard: '14578.245', reference_temperature: '15.00', ...c.body },
        }),
      }),
    );
    const user = userEvent.setup();
    render(
      <Providers>
        <DipPage />
      </Providers>,
    );
    await screen.findByRole('option', { name: /^T1/ }, { timeout: 8000 });
    await user.selectOptions(screen.getByLabelText('Tank'), 'tank-1');
    await user.type(screen.getByLabelText('Product level (mm)'), '1000');
    await user.clear(screen.getByLabelText('Water level (mm)'));
    await user.type(screen.getByLabelText('Water level (mm)'), '10');
    await user.type(screen.getByLabelText('Temperature (°C)'), '30.00');
    await waitFor(() => expect(screen.getByTestId('net-litres')).toHaveTextContent('14,578.245 L'), { timeout: 8000 });
    const previews = calls.filter((c) => c.path.endsWith('/dip-volume'));
    // Debounced: one request for the whole reading, not one per keystroke.
    expect(previews.length).toBe(1);
    expect(Object.fromEntries(previews[0].query)).toEqual({ height_mm: '1000', water_height_mm: '10', temperature: '30.00' });

    await user.click(screen.getByRole('button', { name: 'Record the dip' }));
    await screen.findByRole('status', { name: 'Dip recorded' }, { timeout: 8000 });
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).toEqual({ tank_id: 'tank-1', purpose: 'routine', height_mm: 1000, water_height_mm: 10, temperature: '30.00' });
    expect(post.headers['Idempotency-Key']).toBeTruthy();
    expect(screen.getByTestId('recorded-standard')).toHaveTextContent('14,578.245 L');
  });

  it('shows the API refusal of the reading next to its field', async () => {
    signedIn();
    mockApi(
      atStation(['forecourt.read', 'dips.write'], PRODUCTS),
      dataRoutes({
        'GET /api/v1/tanks': [TANK],
        'GET /api/v1/tanks/tank-1/dip-volume': () => ({ status: 400, error: { code: 'invalid_argument', message: 'invalid request', details: [{ field: 'height_mm', message: 'is above the chart top (2000 mm)' }] } }),
      }),
    );
    const user = userEvent.setup();
    render(
      <Providers>
        <DipPage />
      </Providers>,
    );
    await screen.findByRole('option', { name: /^T1/ }, { timeout: 8000 });
    await user.selectOptions(screen.getByLabelText('Tank'), 'tank-1');
    await user.type(screen.getByLabelText('Product level (mm)'), '2100');
    await user.type(screen.getByLabelText('Temperature (°C)'), '30');
    const field = screen.getByLabelText('Product level (mm)');
    await waitFor(() => expect(field).toHaveAttribute('aria-invalid', 'true'), { timeout: 8000 });
    expect(field.closest('.field')).toHaveTextContent('is above the chart top (2000 mm)');
  });
});

describe('opening a shift', () => {
  it("offers the station's active people by name and puts back whoever worked each pump last", async () => {
    signedIn();
    const nozzle = (pump: string, attendant: string) => ({ nozzle_id: `n-${pump}`, pump_id: pump, number: 1, product_id: 'pms', attendant_id: attendant, opening_totalizer: '0.000', closing_totalizer: '10.000', recorded_quantity: '10.000', recorded_amount: '149.50' });
    const last = { id: 'sh-0', station_id: 's-1', status: 'closed', business_date: '2026-11-21', opened_at: '2026-11-21T06:00:00Z', opened_by: 'm', closed_at: '2026-11-21T14:00:00Z', closed_by: 'm', note: null, report: { nozzles: [nozzle('p1', 'u-kwame'), nozzle('p2', 'u-esi')], attendants: [], adjustments: [], prices_at: '' } };
    mockApi(
      atStation(['forecourt.read', 'shifts.write'], PRODUCTS),
      dataRoutes({
        'GET /api/v1/shifts': (c: any) => ({ data: c.query.get('status') === 'closed' ? [last] : [] }),
        'GET /api/v1/shifts/sh-0': last,
        'GET /api/v1/stations/s-1/staff': [
          { id: 'u-esi', username: 'esi', display_name: 'Esi Boateng', role: 'Operator', active: false },
          { id: 'u-kwame', username: 'kwame', display_name: 'Kwame Mensah', role: 'Operator', active: true },
          { id: 'u-yaa', username: 'yaa', display_name: 'Yaa Asantewaa', role: 'Operator', active: true },
        ],
        'GET /api/v1/pumps': [
          { id: 'p1', station_id: 's-1', code: 'P1', active: true },
          { id: 'p2', station_id: 's-1', code: 'P2', active: true },
        ],
        'GET /api/v1/nozzles': ['p1', 'p2'].map((p) => ({ id: `n-${p}`, station_id: 's-1', pump_id: p, number: 1, tank_id: 't1', product_id: 'pms', totalizer: '10.000', active: true })),
        'GET /api/v1/prices/current': { unit_price: '14.95' },
      }),
    );
    render(
      <Providers>
        <ShiftPage />
      </Providers>,
    );
    const p1 = (await screen.findByLabelText('Attendant on pump P1', {}, { timeout: 8000 })) as HTMLSelectElement;
    await waitFor(() => expect(p1.value).toBe('u-kwame'), { timeout: 8000 });
    const p2 = screen.getByLabelText('Attendant on pump P2') as HTMLSelectElement;
    expect(p2.value).toBe(''); // Esi has left: not put back on P2
    const names = [...p2.options].map((o) => o.textContent);
    expect(names).toEqual(expect.arrayContaining(['Kwame Mensah', 'Yaa Asantewaa', 'Me — Efua Manager']));
    expect(names).not.toContain('Esi Boateng');
  });
});

describe('closing a shift', () => {
  it('shows litres, expected, counted and the variance before confirming, then posts the close', async () => {
    signedIn();
    const shift = {
      id: 'sh-1',
      station_id: 's-1',
      status: 'open',
      business_date: '2026-11-22',
      opened_at: '2026-11-22T06:00:00Z',
      opened_by: 'm',
      closed_at: null,
      closed_by: null,
      note: null,
      report: {
        nozzles: [{ nozzle_id: 'n1', pump_id: 'p1', number: 1, product_id: 'pms', attendant_id: 'a1', opening_totalizer: '1000.000', closing_totalizer: null, recorded_quantity: '0.000', recorded_amount: '0.00' }],
        attendants: [{ attendant_id: 'a1', recorded_by_payment: { account: '20.00' }, expected_money: '-20.00', handed_over: false }],
        adjustments: [],
        prices_at: '2026-11-22T08:00:00Z',
      },
    };
    const { sent: calls } = mockApi(
      atStation(['forecourt.read', 'shifts.write'], PRODUCTS),
      dataRoutes({
        'GET /api/v1/shifts': (c: any) => ({ data: c.query.get('status') === 'open' ? [shift] : [] }),
        'GET /api/v1/shifts/sh-1': shift,
        'GET /api/v1/pumps': [{ id: 'p1', station_id: 's-1', code: 'P1', active: true }],
        'GET /api/v1/nozzles': [],
        'GET /api/v1/prices/current': { unit_price: '14.95' },
        'POST /api/v1/shifts/sh-1/close': (c: any) => ({
          data: {
            ...shift,
            status: 'closed',
            closed_at: '2026-11-22T14:00:00Z',
            report: { ...shift.report, attendants: [{ attendant_id: 'a1', recorded_by_payment: { account: '20.00' }, expected_money: '1475.00', handed_over: true, collected: { cash: c.body.collections[0].cash, momo: '0.00', card: '0.00', total: '1470.00' }, variance_amount: '-5.00' }] },
          },
        }),
      }),
    );
    const user = userEvent.setup();
    render(
      <Providers path="/operations/shift">
        <Routes>
          <Route path="/operations/shift" element={<ShiftPage />} />
        </Routes>
      </Providers>,
    );
    const closing = await screen.findByLabelText(/Pump P1 nozzle 1/, {}, { timeout: 8000 });
    await user.type(closing, '1100.000'); // 100 L × 14.95 = 1495.00, less 20.00 on account = 1475.00
    await user.type(screen.getByLabelText('Cash counted, GH₵'), '1470.00');
    await user.type(screen.getByLabelText('MoMo, GH₵'), '0');
    await user.type(screen.getByLabelText('Card, GH₵'), '0');
    await user.click(screen.getByRole('button', { name: 'Review the close' }));
    const dialog = await screen.findByRole('dialog', { name: 'Confirm the close' }, { timeout: 8000 });
    expect(within(dialog).getByText('100.000 L')).toBeInTheDocument();
    expect(within(dialog).getByTestId('expected-total')).toHaveTextContent('GH₵ 1,475.00');
    expect(within(dialog).getByTestId('collected-total')).toHaveTextContent('GH₵ 1,470.00');
    expect(within(dialog).getByTestId('variance-total')).toHaveTextContent('Short by GH₵ 5.00');
    expect(within(dialog).getByTestId('variance-total').querySelector('.neg')).not.toBeNull();
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Confirm and close the shift' }));
    await screen.findByRole('status', { name: 'Shift closed' }, { timeout: 8000 });
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).toEqual({ totalizers: [{ nozzle_id: 'n1', totalizer: '1100.000' }], collections: [{ attendant_id: 'a1', cash: '1470.00', momo: '0', card: '0' }] });
    expect(post.headers['Idempotency-Key']).toBeTruthy();
    expect(screen.getByTestId('recorded-variance')).toHaveAttribute('data-variance', '-5.00');
  });

  it('names a closing totalizer below the opening by its field, without asking the API', async () => {
    signedIn();
    const shift = {
      id: 'sh-1', station_id: 's-1', status: 'open', business_date: '2026-11-22', opened_at: '2026-11-22T06:00:00Z', opened_by: 'm', closed_at: null, closed_by: null, note: null,
      report: { nozzles: [{ nozzle_id: 'n1', pump_id: 'p1', number: 1, product_id: 'pms', attendant_id: 'a1', opening_totalizer: '1000.000', closing_totalizer: null, recorded_quantity: '0.000', recorded_amount: '0.00' }], attendants: [], adjustments: [], prices_at: '' },
    };
    const { sent: calls } = mockApi(
      atStation(['forecourt.read', 'shifts.write'], PRODUCTS),
      dataRoutes({
        'GET /api/v1/shifts': (c: any) => ({ data: c.query.get('status') === 'open' ? [shift] : [] }),
        'GET /api/v1/shifts/sh-1': shift,
        'GET /api/v1/pumps': [],
        'GET /api/v1/nozzles': [],
        'GET /api/v1/prices/current': { unit_price: '14.95' },
      }),
    );
    const user = userEvent.setup();
    render(
      <Providers>
        <ShiftPage />
      </Providers>,
    );
    const closing = await screen.findByLabelText(/nozzle 1/, {}, { timeout: 8000 });
    await user.type(closing, '999.5');
    await user.click(screen.getByRole('button', { name: 'Review the close' }));
    expect(closing.closest('.field')).toHaveTextContent('is below the opening reading (1000.000)');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([]);
  });
});

describe('the submission key', () => {
  it('is kept for a retry of the same body and renewed for a corrected one or after success', async () => {
    const { renderHook } = await import('@testing-library/react');
    const { useSubmissionKey } = await import('./common');
    const { result } = renderHook(() => useSubmissionKey());
    const k1 = result.current.for({ a: 1 });
    expect(result.current.for({ a: 1 })).toBe(k1);
    const k2 = result.current.for({ a: 2 });
    expect(k2).not.toBe(k1);
    result.current.renew();
    expect(result.current.for({ a: 2 })).not.toBe(k2);
  });
});
