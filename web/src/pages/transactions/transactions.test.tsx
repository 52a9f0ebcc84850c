import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { Providers, dataRoutes, mockApi, signedIn } from '../../test/kit';
import { atStation } from '../operations/fixtures';
import { TransactionsSection } from './TransactionsSection';
import { apiFilters } from './query';
import { uuidv7 } from './uuid7';

vi.setConfig({ testTimeout: 30_000 });
afterEach(() => vi.restoreAllMocks());

const T = { timeout: 8000 };

function sale(n: number, extra: Record<string, unknown> = {}) {
  return {
    id: `sale-${n}`,
    station_id: 's-1',
    receipt_no: n,
    kind: 'fuel',
    product_id: 'pms',
    nozzle_id: 'n1',
    tank_id: 't1',
    shift_id: 'sh',
    attendant_id: 'a1',
    quantity: '20.000',
    unit_price: '14.95',
    amount: '299.00',
    payment_method: 'cash',
    payment_ref: null,
    customer_id: null,
    sold_at: '2026-11-22T09:30:00Z',
    recorded_at: '2026-11-22T09:30:01Z',
    recorded_by: 'op',
    reverses_id: null,
    reason: null,
    approved_by: null,
    ...extra,
  };
}

function App({ path }: { path: string }) {
  return (
    <Providers path={path}>
      <Routes>
        <Route path="/transactions/*" element={<TransactionsSection />} />
      </Routes>
    </Providers>
  );
}

describe('filters', () => {
  it('sends Ghana days as the half-open UTC range the API takes', () => {
    expect(apiFilters({ station_id: 's', from: '2026-11-01', to: '2026-11-30', product_id: '', payment_method: 'momo', kind: '' })).toEqual({
      station_id: 's',
      from: '2026-11-01T00:00:00Z',
      to: '2026-12-01T00:00:00Z',
      product_id: undefined,
      payment_method: 'momo',
      kind: undefined,
      order: 'desc',
    });
  });
  it('makes UUIDv7 ids', () => {
    const id = uuidv7(Date.UTC(2026, 10, 22));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id.slice(0, 13).replace('-', '')).toBe(Date.UTC(2026, 10, 22).toString(16).padStart(12, '0'));
  });
});

describe('the sales table', () => {
  it('lists a page with the filters, follows the cursor and exports the same filters', async () => {
    signedIn();
    const { sent: calls } = mockApi(
      atStation(['forecourt.read'], [{ id: 'pms', code: 'PMS', name: 'Super' }]),
      dataRoutes({
        'GET /api/v1/transactions': (c: any) =>
          c.query.get('cursor') === 'sale-1' ? { data: [sale(2, { amount: '1234.50', payment_method: 'momo' })] } : { data: [sale(1)], next_cursor: 'sale-1' },
      }),
    );
    const user = userEvent.setup();
    render(<App path="/transactions?from=2026-11-22&to=2026-11-22&payment_method=momo" />);
    expect(await screen.findByRole('link', { name: '#1' }, T)).toHaveAttribute('href', '/transactions/sale-1');
    expect(screen.getByText('GH₵ 299.00')).toBeInTheDocument();
    const first = calls.find((c) => c.path === '/api/v1/transactions')!;
    expect(first.query.get('from')).toBe('2026-11-22T00:00:00Z');
    expect(first.query.get('to')).toBe('2026-11-23T00:00:00Z');
    expect(first.query.get('payment_method')).toBe('momo');
    expect(first.query.get('order')).toBe('desc');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByText('GH₵ 1,234.50', {}, T)).toBeInTheDocument();
    expect(screen.getByText('Page 2')).toBeInTheDocument();

    // The CSV export: the same filters, no cursor.
    const createObjectURL = vi.fn(() => 'blob:x');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const spy = globalThis.fetch as any;
    const inner = spy.getMockImplementation();
    spy.mockImplementation(async (input: any, init: any) => {
      if (String(input).startsWith('/api/v1/transactions/export.csv')) {
        calls.push({ method: 'GET', url: String(input), path: '/api/v1/transactions/export.csv', query: new URL(String(input), 'http://x').searchParams, body: undefined, headers: init?.headers ?? {} });
        return new Response('id\r\n', { status: 200, headers: { 'Content-Disposition': 'attachment; filename="transactions.csv"' } });
      }
      return inner(input, init);
    });
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    await screen.findByText(/Downloaded transactions.csv/, {}, T);
    const exp = calls.find((c) => c.path === '/api/v1/transactions/export.csv')!;
    expect(Object.fromEntries(exp.query)).toEqual({ from: '2026-11-22T00:00:00Z', to: '2026-11-23T00:00:00Z', payment_method: 'momo', order: 'desc' });
  });
  it('keeps both of two filter changes made before the page re-renders', async () => {
    signedIn();
    const { sent: calls } = mockApi(
      atStation(['forecourt.read'], []),
      dataRoutes({
        'GET /api/v1/transactions': [sale(1)],
      }),
    );
    render(<App path="/transactions?from=2026-11-22&to=2026-11-22" />);
    await screen.findByRole('link', { name: '#1' }, T);
    await screen.findByRole('option', { name: /ACC01/ }, T);
    const form = screen.getByRole('form', { name: 'Filter sales' });
    // One batch: the second handler runs before React renders the first change.
    act(() => {
      fireEvent.change(within(form).getByLabelText('Station'), { target: { value: 's-1' } });
      fireEvent.change(within(form).getByLabelText('Payment'), { target: { value: 'cash' } });
    });
    await waitFor(() => {
      const last = calls.filter((c) => c.path === '/api/v1/transactions').at(-1)!;
      expect(Object.fromEntries(last.query)).toMatchObject({ station_id: 's-1', payment_method: 'cash', from: '2026-11-22T00:00:00Z' });
    }, T);
  });
});

describe('voiding a sale', () => {
  it('needs a reason, confirms, posts the void with a UUIDv7 and shows the reversal', async () => {
    signedIn();
    const { sent: calls } = mockApi(
      atStation(['forecourt.read', 'sales.reverse'], [{ id: 'pms', code: 'PMS', name: 'Super' }]),
      dataRoutes({
        'GET /api/v1/transactions/sale-7': sale(7),
        'GET /api/v1/stations/s-1/staff': [{ id: 'a1', username: 'kwame', display_name: 'Kwame Mensah', role: 'Operator', active: true }],
        'POST /api/v1/transactions/sale-7/void': (c: any) => ({
          status: 201,
          data: sale(8, { id: c.body.id, kind: 'void', quantity: '-20.000', amount: '-299.00', reverses_id: 'sale-7', reason: c.body.reason }),
        }),
      }),
    );
    const user = userEvent.setup();
    render(<App path="/transactions/sale-7" />);
    await screen.findByRole('heading', { name: 'Receipt #7' }, T);
    // The attendant by name (the station's staff list), the recorder by id where it has none.
    expect(await screen.findByText('Kwame Mensah', {}, T)).toBeInTheDocument();
    expect(screen.getByText('op')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Void…' }));
    expect(screen.getByLabelText('Reason').closest('.field')).toHaveTextContent('is required');
    expect(screen.queryByRole('dialog')).toBeNull();
    await user.type(screen.getByLabelText('Reason'), 'Pumped into the wrong car');
    await user.click(screen.getByRole('button', { name: 'Void…' }));
    const dialog = screen.getByRole('dialog', { name: 'Void receipt #7?' });
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Void the sale' }));
    const done = await screen.findByRole('status', { name: 'Sale voided' }, T);
    expect(done).toHaveTextContent('reversal receipt #8');
    expect(done).toHaveTextContent('−GH₵ 299.00');
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body.reason).toBe('Pumped into the wrong car');
    expect(post.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it('offers no void without sales.reverse', async () => {
    signedIn();
    mockApi(
      atStation(['forecourt.read'], []),
      dataRoutes({
        'GET /api/v1/transactions/sale-7': sale(7),
      }),
    );
    render(<App path="/transactions/sale-7" />);
    await screen.findByRole('heading', { name: 'Receipt #7' }, T);
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Void…' })).toBeNull());
  });
});
