import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReportsSection } from './ReportsSection';
import { NpaSalesPage } from './NpaPages';
import { VatPage } from './VatPage';
import { formatMoney, formatQuantity, previousMonth } from './reportUtil';
import { mockApi, renderAt } from '../../test/kit';
import { STATIONS, asUser } from '../pricing/fixtures';
import type { NpaSales, VatReturn } from './types';

afterEach(() => vi.restoreAllMocks());

const row = (code: string, unit: string, count: number, quantity: string, amount: string) => ({
  product_id: `p-${code}`,
  product_code: code,
  product_name: `${code} name`,
  unit,
  sales_count: count,
  quantity,
  amount,
});

// Amounts whose float sum drifts (0.1 + 0.2 ...): the preview's total must be exact.
const SALES: NpaSales = {
  month: '2026-10',
  from: '2026-10-01',
  to: '2026-10-31',
  totals: [row('AGO', 'L', 1200, '1000.123', '1234567.10'), row('LPG', 'kg', 3, '12.500', '0.20'), row('PMS', 'L', 4000, '2000.000', '0.10')],
  by_station: [{ ...row('AGO', 'L', 1200, '1000.123', '1234567.10'), station_id: 's1', station_code: 'ACC-01', station_name: 'Accra Osu', region_code: 'GAR' }],
  by_region: [{ ...row('AGO', 'L', 1200, '1000.123', '1234567.10'), region_id: 'r1', region_code: 'GAR', region_name: 'Greater Accra' }],
};

const VAT: VatReturn = {
  month: '2026-10',
  from: '2026-10-01',
  to: '2026-10-31',
  taxes: [
    { code: 'VAT', name: 'Value added tax' },
    { code: 'NHIL', name: 'NHIL' },
  ],
  stations: [
    {
      station_id: 's1',
      station_code: 'ACC-01',
      station_name: 'Accra Osu',
      exempt: { amount: '2294385.60' },
      standard_rated: { amount: '121.90', lines: 1, taxable_value: '100.00', taxes: { VAT: '15.90', NHIL: '2.50' }, total_tax: '21.90' },
      total_sales: '2294507.50',
    },
  ],
  totals: {
    exempt: { amount: '2294385.60' },
    standard_rated: { amount: '121.90', lines: 1, taxable_value: '100.00', taxes: { VAT: '15.90', NHIL: '2.50' }, total_tax: '21.90' },
    total_sales: '2294507.50',
  },
};

describe('report helpers', () => {
  it('formats quantities with their unit and finds the month before', () => {
    expect(formatQuantity('12345.5', 'L')).toBe('12,345.500 L');
    expect(formatQuantity('-2.25', 'kg')).toBe('−2.250 kg');
    expect(formatQuantity(null, 'L')).toBe('—');
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(previousMonth('2026-11')).toBe('2026-10');
    expect(formatMoney('-1234567.5')).toBe('−1,234,567.50');
  });
});

describe('NPA sales return', () => {
  it('previews the totals exactly and asks for the chosen month and station', async () => {
    const { sent } = mockApi(asUser(['reports.read']), { '/api/v1/reports/npa/sales': { data: SALES } });
    renderAt('/', <NpaSalesPage filter={{ month: '2026-10', station: 's1' }} />);
    expect(await screen.findByTestId('npa-sales-total-amount')).toHaveTextContent('GH₵ 1,234,567.40');
    expect(screen.getByTestId('npa-sales-total-count')).toHaveTextContent('5,203');
    expect(screen.getByTestId('amount-LPG')).toHaveTextContent('GH₵ 0.20');
    expect(screen.getAllByText('12.500 kg').length).toBeGreaterThan(0);
    const req = sent.find((r) => r.path === '/api/v1/reports/npa/sales')!;
    expect(Object.fromEntries(req.query)).toEqual({ month: '2026-10', station: 's1' });
  });

  it('downloads the file the API writes, with the same filters and the chosen format', async () => {
    const user = userEvent.setup();
    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => {
      created.push(b);
      return 'blob:x';
    }) as typeof URL.createObjectURL;
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const { sent } = mockApi(asUser(['reports.read']), {
      '/api/v1/reports/npa/sales': (r) =>
        r.query.get('format') === 'csv'
          ? { raw: 'section,level\r\n', headers: { 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment; filename="npa-sales-2026-10.csv"' } }
          : { data: SALES },
    });
    renderAt('/', <NpaSalesPage filter={{ month: '2026-10', station: '' }} />);
    await user.click(await screen.findByRole('button', { name: 'Download the NPA sales return 2026-10 as CSV' }));
    expect(await screen.findByText('Saved npa-sales-2026-10.csv')).toBeInTheDocument();
    const req = sent.find((r) => r.query.get('format') === 'csv')!;
    expect(Object.fromEntries(req.query)).toEqual({ month: '2026-10', format: 'csv' });
    expect(click).toHaveBeenCalled();
    expect(await created[0].text()).toBe('section,level\r\n');
  });

  it('says what went wrong when a download is refused', async () => {
    const user = userEvent.setup();
    mockApi(asUser(['reports.read']), {
      '/api/v1/reports/npa/sales': (r) =>
        r.query.get('format') ? { status: 400, error: { code: 'invalid_argument', message: 'month must be YYYY-MM' } } : { data: SALES },
    });
    renderAt('/', <NpaSalesPage filter={{ month: '2026-10', station: '' }} />);
    await user.click(await screen.findByRole('button', { name: /as PDF$/ }));
    expect(await screen.findByText('Download failed: month must be YYYY-MM')).toBeInTheDocument();
  });

  it('shows the empty state for a month without sales', async () => {
    mockApi(asUser(['reports.read']), { '/api/v1/reports/npa/sales': { data: { ...SALES, totals: [], by_station: [], by_region: [] } } });
    renderAt('/', <NpaSalesPage filter={{ month: '2026-10', station: '' }} />);
    expect(await screen.findByText('No petroleum sales in 2026-10.')).toBeInTheDocument();
  });
});

describe('VAT return', () => {
  it('shows each tax as a column and the API totals in the footer', async () => {
    mockApi(asUser(['reports.read', 'tax.read']), { '/api/v1/tax/vat-return': { data: VAT } });
    renderAt('/', <VatPage filter={{ month: '2026-10', station: '' }} />);
    const totals = await screen.findByTestId('vat-totals');
    expect(within(totals).getAllByRole('cell').map((c) => c.textContent)).toEqual([
      'Total',
      '1',
      '121.90',
      '100.00',
      '15.90',
      '2.50',
      '21.90',
      '2,294,385.60',
      '2,294,507.50',
    ]);
    expect(screen.getByRole('columnheader', { name: 'NHIL' })).toBeInTheDocument();
  });
});

describe('reports section', () => {
  it('shows a role only the reports it may read', async () => {
    mockApi(asUser(['uppf.read']), { '/api/v1/uppf/claims': { data: [] }, '/api/v1/stations': { data: STATIONS } });
    renderAt('/reports', <ReportsSection />, '/reports/*');
    expect(await screen.findByText('No UPPF claim has been opened yet.')).toBeInTheDocument();
    const tabs = screen.getByRole('navigation', { name: 'Reports' });
    expect(within(tabs).getAllByRole('link').map((l) => l.textContent)).toEqual(['UPPF claims']);
  });

  it('lists UPPF claims with their money and an export per claim', async () => {
    mockApi(asUser(['reports.read', 'uppf.read', 'tax.read']), {
      '/api/v1/stations': { data: STATIONS },
      '/api/v1/uppf/claims': {
        data: [
          { id: 'c1', period: '2026-09', status: 'partly_settled', note: null, line_count: 12, diverted_line_count: 1, amount: '25173.60', claimable_amount: '23075.80', settled_amount: '20000.00', outstanding_amount: '3075.80', shortfall_amount: '0.00', submitted_at: '2026-10-02T10:00:00Z', submission_reference: 'NPA-1', created_at: '2026-10-01T08:00:00Z' },
        ],
      },
    });
    renderAt('/reports/uppf', <ReportsSection />, '/reports/*');
    await screen.findByRole('cell', { name: '2026-09' });
    expect(screen.getByText('Partly settled', { selector: '.badge' })).toBeInTheDocument();
    expect(screen.getByText('GH₵ 3,075.80')).toBeInTheDocument();
    expect(screen.getByText('1 diverted (not claimable)')).toBeInTheDocument();
    for (const f of ['CSV', 'XLSX', 'PDF']) expect(screen.getByRole('button', { name: `Download the UPPF claim 2026-09 as ${f}` })).toBeInTheDocument();
    await waitFor(() => expect(within(screen.getByRole('navigation', { name: 'Reports' })).getAllByRole('link')).toHaveLength(4));
  });
});
