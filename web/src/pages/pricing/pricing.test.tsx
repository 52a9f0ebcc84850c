import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BuildUpPage, waterfall } from './BuildUpPage';
import { ProposalsPage, statusHistory } from './ProposalsPage';
import { WindowsPage } from './WindowsPage';
import { HistoryPage } from './HistoryPage';
import { addMonths, formatPesewas, formatPrice, pesewasToCedis, timeLeft } from './pricingUtil';
import { mockApi, renderAt } from '../../test/kit';
import { PMS, STATIONS, asUser } from './fixtures';
import type { BuildUp, Proposal, PricingWindow } from './types';

afterEach(() => vi.restoreAllMocks());

// NPA's published premix build-up of 1 Aug 2023 (src/domains/pricing/testdata), as the API answers it.
const PREMIX: BuildUp = {
  product_id: PMS.id,
  product_code: 'PMS',
  unit: 'L',
  amount_unit: 'GHp/L',
  date: '2023-08-01',
  lines: [
    ['EXREF_CORE', 'ex_refinery', 'ex_refinery', '742.2306', '742.2306'],
    ['MARINE_MIX', 'ex_refinery', 'ex_refinery', '72.1595', '814.3901'],
    ['BLUE_DYE', 'ex_refinery', 'ex_refinery', '0.1302', '814.5203'],
    ['RECOVERY', 'regulated_margin', 'ex_refinery', '-530.4720', '284.0483'],
    ['FMM', 'regulated_margin', 'ex_depot', '9.0000', '293.0483'],
    ['UPPF', 'regulated_margin', 'ex_pump', '68.0000', '361.0483'],
    ['MARKETERS', 'omc_margin', 'ex_pump', '27.1555', '388.2038'],
    ['DEALERS', 'dealer_margin', 'ex_pump', '19.0000', '407.2038'],
    ['PREMIX_ADMIN', 'regulated_margin', 'ex_pump', '72.3000', '479.5038'],
  ].map(([code, kind, subtotal, amount, running_total], i) => ({
    component_id: `c${i}`,
    code,
    name: `${code} name`,
    kind: kind as BuildUp['lines'][number]['kind'],
    subtotal: subtotal as BuildUp['lines'][number]['subtotal'],
    position: i,
    amount,
    running_total,
    in_floor: kind !== 'omc_margin' && kind !== 'dealer_margin',
    gra_levy_code: null,
  })),
  totals: { ex_refinery: '284.0483', ex_depot: '293.0483', ex_pump: '479.5038' },
  floor_base: '433.3483',
};

const WINDOW: PricingWindow = {
  id: '2099-12-1',
  first_day: '2099-12-01',
  last_day: '2099-12-15',
  starts_at: '2099-12-01T00:00:00.000Z',
  ends_at: '2099-12-16T00:00:00.000Z',
  submission_deadline: '2099-11-30T12:00:00.000Z',
  deadline_passed: false,
  current: false,
  status: 'open',
  proposals_waiting: 0,
  proposal_id: null,
  submitted_at: null,
  submission_late: null,
};

const proposal = (status: Proposal['status'], extra: Partial<Proposal> = {}): Proposal => ({
  id: 'pr1',
  window: WINDOW.id,
  window_start: WINDOW.first_day,
  status,
  note: null,
  proposed_by: 'u1',
  proposed_at: '2099-11-20T09:00:00.000Z',
  decided_by: null,
  decided_at: null,
  reason: null,
  scheduled_at: null,
  in_force_at: null,
  submitted_by: null,
  submitted_at: null,
  submission_late: null,
  lines: [{ line_no: 1, product_id: PMS.id, scope: 'network', zone_id: null, station_id: null, mode: 'price', unit_price: '13.45', regulated_unit_price: null, marketer_margin: null, dealer_margin: null }],
  ...extra,
});

describe('pricing figures', () => {
  it('converts pesewas to cedis exactly and formats prices', () => {
    expect(pesewasToCedis('479.5038')).toBe('4.795038');
    expect(pesewasToCedis('-530.4720')).toBe('-5.304720');
    expect(formatPesewas('-530.4720')).toBe('−530.4720');
    expect(formatPesewas('12345.5')).toBe('12,345.5000');
    expect(formatPrice('13.45')).toBe('GH₵ 13.45');
    expect(formatPrice('12.706234')).toBe('GH₵ 12.706234');
    expect(formatPrice('1234.5')).toBe('GH₵ 1,234.50');
    expect(formatPrice('-0.05')).toBe('−GH₵ 0.05');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(timeLeft('2026-01-03T12:00:00Z', new Date('2026-01-01T09:00:00Z'))).toBe('2 days 3 h');
    expect(timeLeft('2026-01-01T08:00:00Z', new Date('2026-01-01T09:00:00Z'))).toBeNull();
  });

  it('draws the waterfall from the running totals, a negative line going down', () => {
    const bars = waterfall(PREMIX);
    expect(bars.map((b) => b.label)).toEqual(['EXREF_CORE', 'MARINE_MIX', 'BLUE_DYE', 'RECOVERY', 'Ex-refinery', 'FMM', 'Ex-depot', 'UPPF', 'MARKETERS', 'DEALERS', 'PREMIX_ADMIN', 'Ex-pump']);
    const recovery = bars[3];
    expect(recovery.kind).toBe('down');
    expect(recovery.range).toEqual([284.0483, 814.5203]);
    expect(bars[bars.length - 1]).toMatchObject({ kind: 'total', range: [0, 479.5038], amount: '479.5038' });
  });

  it('puts a list’s steps in time order with the reason of a rejection', () => {
    const steps = statusHistory(proposal('rejected', { decided_at: '2099-11-21T10:00:00.000Z', decided_by: 'u2', reason: 'Too high' }), (id) => (id === 'u2' ? 'Ama' : 'Kofi'));
    expect(steps.map((s) => [s.label, s.by, s.detail])).toEqual([
      ['Proposed', 'Kofi', undefined],
      ['Rejected', 'Ama', 'Reason: Too high'],
    ]);
  });

  it('keeps the approval of a withdrawn list before its withdrawal', () => {
    const steps = statusHistory(
      proposal('withdrawn', { decided_at: '2099-11-21T10:00:00.000Z', decided_by: 'u2', withdrawn_at: '2099-11-21T11:30:00.000Z', withdrawn_by: 'u3', reason: 'Crude fell' }),
      (id) => ({ u2: 'Ama', u3: 'Yaw' })[id ?? ''] ?? 'Kofi',
    );
    expect(steps.map((s) => [s.label, s.by, s.detail])).toEqual([
      ['Proposed', 'Kofi', undefined],
      ['Approved', 'Ama', undefined],
      ['Withdrawn', 'Yaw', 'Reason: Crude fell'],
    ]);
    // A list withdrawn before the API kept both: decided_* is the withdrawal.
    const old = statusHistory(proposal('withdrawn', { decided_at: '2099-11-21T10:00:00.000Z', decided_by: 'u2', reason: 'x' }), () => 'Ama');
    expect(old.map((s) => s.label)).toEqual(['Proposed', 'Withdrawn']);
  });
});

describe('build-up page', () => {
  it('shows every line with its exact figure and the ex-pump price in pesewas and cedis', async () => {
    const { sent } = mockApi(asUser(['pricing.read']), {
      '/api/v1/products': { data: [PMS] },
      '/api/v1/pricing/build-up': { data: PREMIX },
    });
    renderAt('/', <BuildUpPage />);
    expect(await screen.findByTestId('ex-pump-total')).toHaveTextContent('479.5038 GHp/L = GH₵ 4.795038 per L');
    const table = screen.getByRole('table', { name: /Price build-up of PMS/ });
    expect(within(table).getByText('−530.4720')).toHaveClass('neg');
    expect(table.querySelector('tr[data-subtotal="ex_refinery"]')).toHaveTextContent('284.0483');
    expect(table.querySelector('tr[data-subtotal="ex_depot"]')).toHaveTextContent('293.0483');
    const req = sent.find((r) => r.path === '/api/v1/pricing/build-up')!;
    expect(req.query.get('product')).toBe(PMS.id);
    expect(req.query.get('date')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('says when no figures are loaded for the day (a 404), rather than failing', async () => {
    mockApi(asUser(['pricing.read']), {
      '/api/v1/products': { data: [PMS] },
      '/api/v1/pricing/build-up': { status: 404, error: { code: 'not_found', message: 'build-up of this product on that date not found' } },
    });
    renderAt('/', <BuildUpPage />);
    expect(await screen.findByText(/No price build-up for PMS on/)).toBeInTheDocument();
  });
});

describe('price lists', () => {
  const base = (lists: Proposal[], extra: Record<string, any> = {}) => ({
    '/api/v1/products': { data: [PMS] },
    '/api/v1/stations': { data: STATIONS },
    '/api/v1/pricing/zones': { data: [] },
    '/api/v1/users': { data: [] },
    '/api/v1/pricing/windows': { data: [WINDOW] },
    [`/api/v1/pricing/windows/${WINDOW.id}`]: { data: { ...WINDOW, floors: [{ product_id: PMS.id, product_code: 'PMS', unit_price: '13.02' }] } },
    'GET /api/v1/pricing/proposals': { data: lists },
    ...extra,
  });

  it('shows the API’s below-floor refusal by the price field, then proposes with an idempotency key', async () => {
    const user = userEvent.setup();
    let attempts = 0;
    const { sent } = mockApi(asUser(['pricing.read', 'pricing.write']), base([], {
      'POST /api/v1/pricing/proposals': () =>
        ++attempts === 1
          ? { status: 422, error: { code: 'unprocessable', message: 'below the NPA price floor', details: [{ field: 'lines[0].unit_price', message: "the ex-pump price 13.01 is below NPA's price floor of 13.02 for window 2099-12-1" }] } }
          : { status: 201, data: proposal('proposed') },
    }));
    renderAt('/', <ProposalsPage />);
    await user.click(await screen.findByRole('button', { name: 'Propose prices' }));
    const form = screen.getByRole('form', { name: 'Propose prices' });
    await waitFor(() => expect(within(form).getByLabelText('Window')).toHaveValue(WINDOW.id));
    await user.selectOptions(within(form).getByLabelText('Product'), PMS.id);
    expect(await within(form).findByText('NPA floor for 2099-12-1: GH₵ 13.02')).toBeInTheDocument();
    const price = within(form).getByLabelText('Ex-pump price (GH₵ per unit)');
    await user.type(price, '13.01');
    await user.click(within(form).getByRole('button', { name: 'Propose' }));
    const refusal = await within(form).findByText("the ex-pump price 13.01 is below NPA's price floor of 13.02 for window 2099-12-1");
    expect(price).toHaveAttribute('aria-invalid', 'true');
    expect(price.getAttribute('aria-describedby')).toContain(refusal.id);
    const first = sent.filter((r) => r.method === 'POST')[0];
    expect(first.body).toEqual({ window: WINDOW.id, lines: [{ product_id: PMS.id, unit_price: '13.01' }] });
    expect(first.headers['Idempotency-Key']).toBeTruthy();

    await user.clear(price);
    await user.type(price, '13.45');
    await user.click(within(form).getByRole('button', { name: 'Propose' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Propose prices' })).not.toBeInTheDocument());
    const posts = sent.filter((r) => r.method === 'POST');
    expect(posts[1].body.lines).toEqual([{ product_id: PMS.id, unit_price: '13.45' }]);
    expect(posts[1].headers['Idempotency-Key']).not.toBe(first.headers['Idempotency-Key']);
  });

  it('checks a line before sending: a station line needs its station, margins need both', async () => {
    const user = userEvent.setup();
    const { sent } = mockApi(asUser(['pricing.read', 'pricing.write']), base([]));
    renderAt('/', <ProposalsPage />);
    await user.click(await screen.findByRole('button', { name: 'Propose prices' }));
    const form = screen.getByRole('form', { name: 'Propose prices' });
    await waitFor(() => expect(within(form).getByLabelText('Window')).toHaveValue(WINDOW.id));
    await user.selectOptions(within(form).getByLabelText('Product'), PMS.id);
    await user.selectOptions(within(form).getByLabelText('Applies to'), 'station');
    await user.selectOptions(within(form).getByLabelText('Given as'), 'margins');
    await user.type(within(form).getByLabelText('Marketer margin (GH₵ per unit)'), '0.5');
    await user.click(within(form).getByRole('button', { name: 'Propose' }));
    expect(within(form).getByText('Choose the station.')).toBeInTheDocument();
    expect(within(form).getByText(/Give the dealer margin/)).toBeInTheDocument();
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(0);
    await user.selectOptions(within(form).getByLabelText('Station'), 's1');
    await user.type(within(form).getByLabelText('Dealer margin (GH₵ per unit)'), '0.25');
    await user.click(within(form).getByRole('button', { name: 'Propose' }));
    await waitFor(() => expect(sent.filter((r) => r.method === 'POST')).toHaveLength(1));
    expect(sent.find((r) => r.method === 'POST')!.body.lines).toEqual([{ product_id: PMS.id, station_id: 's1', marketer_margin: '0.5', dealer_margin: '0.25' }]);
  });

  it('approves after confirmation, and rejects only with a reason', async () => {
    const user = userEvent.setup();
    const { sent } = mockApi(asUser(['pricing.read', 'pricing.write', 'pricing.approve']), base([proposal('proposed')], {
      'POST /api/v1/pricing/proposals/pr1/approve': { data: proposal('approved') },
      'POST /api/v1/pricing/proposals/pr1/reject': { data: proposal('rejected') },
    }));
    renderAt('/', <ProposalsPage />);
    await user.click(await screen.findByRole('button', { name: 'Approve' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent('floors are checked again');
    expect(sent.some((r) => r.path.endsWith('/approve'))).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(sent.some((r) => r.method === 'POST' && r.path === '/api/v1/pricing/proposals/pr1/approve')).toBe(true));
    expect(await screen.findByText('Approved.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Reject' }));
    const reject = screen.getByRole('dialog');
    await user.click(within(reject).getByRole('button', { name: 'Reject' }));
    expect(within(reject).getByText(/Give a reason/)).toBeInTheDocument();
    expect(sent.some((r) => r.path.endsWith('/reject'))).toBe(false);
    await user.type(within(reject).getByLabelText('Reason'), 'Too high');
    await user.click(within(reject).getByRole('button', { name: 'Reject' }));
    await waitFor(() => expect(sent.find((r) => r.path.endsWith('/reject'))?.body).toEqual({ reason: 'Too high' }));
  });

  it('offers schedule, NPA submission and withdraw on an approved list; withdraw keeps the reason', async () => {
    const user = userEvent.setup();
    const { sent } = mockApi(asUser(['pricing.read', 'pricing.write', 'pricing.approve']), base([proposal('approved', { decided_at: '2099-11-21T10:00:00.000Z', decided_by: 'u1' })], {
      'POST /api/v1/pricing/proposals/pr1/withdraw': { data: proposal('withdrawn') },
    }));
    renderAt('/', <ProposalsPage />);
    await screen.findByRole('button', { name: 'Schedule' });
    expect(screen.getByRole('button', { name: 'Record NPA submission' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Download the NPA price submission of window 2099-12-1' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Withdraw' }));
    const dialog = screen.getByRole('dialog');
    await user.type(within(dialog).getByLabelText('Reason'), 'NPA moved the floor');
    await user.click(within(dialog).getByRole('button', { name: 'Withdraw' }));
    await waitFor(() => expect(sent.find((r) => r.path.endsWith('/withdraw'))?.body).toEqual({ reason: 'NPA moved the floor' }));
    expect(await screen.findByText('Withdrawn.')).toBeInTheDocument();
  });

  it('offers no action to a role that may only read', async () => {
    mockApi(asUser(['pricing.read']), base([proposal('proposed')]));
    renderAt('/', <ProposalsPage />);
    expect(await screen.findByText('GH₵ 13.45')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Propose prices|Approve|Reject|Withdraw|Schedule/ })).not.toBeInTheDocument();
  });
});

describe('window calendar', () => {
  it('lists the month’s windows with their deadline and price-list states', async () => {
    const w1 = { ...WINDOW, id: '2099-12-1', status: 'proposed' as const };
    const w2 = { ...WINDOW, id: '2099-12-2', first_day: '2099-12-16', last_day: '2099-12-31', submission_deadline: '2099-12-15T12:00:00.000Z', current: false };
    const { sent } = mockApi(asUser(['pricing.read']), {
      '/api/v1/pricing/windows': { data: [w1, w2, { ...WINDOW, id: '2100-01-1', first_day: '2100-01-01', submission_deadline: '2099-12-31T12:00:00.000Z' }] },
      '/api/v1/pricing/windows/2099-12-1': { data: { ...w1, floors: [{ product_id: PMS.id, product_code: 'PMS', unit_price: '13.02' }] } },
      '/api/v1/pricing/windows/2099-12-2': { data: { ...w2, floors: [] } },
      '/api/v1/pricing/holidays': { data: [{ date: '2099-12-25', name: 'Christmas Day', tentative: false, source: 'national' }] },
      '/api/v1/pricing/proposals': (r) => ({ data: r.query.get('window') === '2099-12-1' ? [proposal('proposed'), proposal('rejected', { id: 'pr2' })] : [] }),
    });
    renderAt('/pricing?month=2099-12', <WindowsPage />);
    expect(await screen.findByRole('heading', { name: /Window 2099-12-1/ })).toBeInTheDocument();
    expect(screen.getByText('Deadline 12:00 for 2099-12-2')).toBeInTheDocument();
    expect(screen.getByText('Deadline 12:00 for 2100-01-1')).toBeInTheDocument();
    expect(screen.getAllByText('Christmas Day', { exact: false }).length).toBeGreaterThan(0);
    expect(await screen.findByText('1 Rejected')).toBeInTheDocument();
    expect(screen.getByText('1 Proposed')).toBeInTheDocument();
    expect(await screen.findByTestId('floors-2099-12-1')).toHaveTextContent('PMS GH₵ 13.02');
    expect(await screen.findByTestId('floors-2099-12-2')).toHaveTextContent('None recorded');
    expect(sent.find((r) => r.path === '/api/v1/pricing/windows')!.query.get('from')).toBe('2099-12-01');
    fireEvent.click(screen.getByRole('button', { name: 'Next month →' }));
    await waitFor(() => expect(sent.some((r) => r.query.get('from') === '2100-01-01')).toBe(true));
  });
});

describe('NPA floors', () => {
  it('records a floor for a window that has not started, and shows the API refusal by its field', async () => {
    const user = userEvent.setup();
    const { sent } = mockApi(asUser(['pricing.read', 'pricing.write']), {
      '/api/v1/products': { data: [PMS] },
      '/api/v1/pricing/windows': { data: [WINDOW, { ...WINDOW, id: '2099-12-2' }, { ...WINDOW, id: '2100-01-1' }] },
      '/api/v1/pricing/windows/2099-12-1': { data: { ...WINDOW, floors: [] } },
      '/api/v1/pricing/windows/2099-12-2': { data: { ...WINDOW, id: '2099-12-2', floors: [] } },
      '/api/v1/pricing/holidays': { data: [] },
      '/api/v1/pricing/proposals': { data: [] },
      'POST /api/v1/pricing/floors': { status: 409, error: { code: 'conflict', message: 'already set', details: [{ field: 'product_id', message: 'a floor for this product and window exists' }] } },
    });
    renderAt('/pricing?month=2099-12', <WindowsPage />);
    const form = await screen.findByRole('form', { name: 'Record an NPA floor for 2099-12-1' });
    await user.click(screen.getAllByText(/Record a floor for/)[0]);
    await within(form).findByRole('option', { name: 'PMS' });
    await user.click(within(form).getByRole('button', { name: 'Record floor' }));
    expect(within(form).getByText('Choose the product.')).toBeInTheDocument();
    await user.selectOptions(within(form).getByLabelText('Product'), PMS.id);
    await user.type(within(form).getByLabelText('Ex-pump floor (GH₵ per unit)'), '13.02');
    await user.click(within(form).getByRole('button', { name: 'Record floor' }));
    expect(await within(form).findByText('a floor for this product and window exists')).toBeInTheDocument();
    expect(sent.find((r) => r.method === 'POST')!.body).toEqual({ window: '2099-12-1', product_id: PMS.id, unit_price: '13.02' });
  });
});

describe('price history', () => {
  it('answers what the pump charged at a time (Ghana time = UTC)', async () => {
    const user = userEvent.setup();
    const { sent } = mockApi(asUser(['pricing.read']), {
      '/api/v1/products': { data: [PMS] },
      '/api/v1/stations': { data: STATIONS },
      '/api/v1/nozzles': { data: [{ id: 'n1', number: 1, product_id: PMS.id, pump_id: 'pu2', station_id: 's1', active: true }] },
      '/api/v1/pumps': { data: [{ id: 'pu2', code: 'P2' }] },
      '/api/v1/pricing/history': {
        data: {
          station_id: 's1',
          product_id: PMS.id,
          unit: 'L',
          at: '2026-11-20T14:05:00.000Z',
          window: '2026-11-2',
          from: '2026-08-22T14:05:00.000Z',
          to: '2026-11-20T14:05:00.000Z',
          in_force: { price_id: 'x2', unit_price: '12.95', scope: 'station', effective_from: '2026-11-16T00:00:00.000Z' },
          changes: [
            { price_id: 'x1', unit_price: '12.90', scope: 'network', effective_from: '2026-11-01T00:00:00.000Z' },
            { price_id: 'x2', unit_price: '12.95', scope: 'station', effective_from: '2026-11-16T00:00:00.000Z' },
          ],
        },
      },
    });
    renderAt('/', <HistoryPage />);
    await screen.findByRole('option', { name: 'ACC-01 Accra Osu' });
    await screen.findByRole('option', { name: /^PMS/ });
    await user.selectOptions(screen.getByLabelText('Station'), 's1');
    await user.selectOptions(screen.getByLabelText('Product'), PMS.id);
    fireEvent.change(screen.getByLabelText('At (Ghana time)'), { target: { value: '2026-11-20T14:05' } });
    await user.click(screen.getByRole('button', { name: 'Show' }));
    expect(await screen.findByTestId('in-force-answer')).toHaveTextContent("ACC-01 Accra Osu charged GH₵ 12.95 per L for PMS: the station's own price");
    expect(screen.getByText('+GH₵ 0.05')).toBeInTheDocument();
    const req = sent.find((r) => r.path === '/api/v1/pricing/history')!;
    expect(req.query.get('at')).toBe('2026-11-20T14:05:00Z');
    expect(req.query.get('station_id')).toBe('s1');

    // One nozzle: asked by nozzle_id, its product taken from the nozzle.
    await user.selectOptions(screen.getByLabelText('Nozzle (optional)'), 'n1');
    expect(screen.getByLabelText('Product')).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Show' }));
    await waitFor(() => expect(sent.filter((r) => r.path === '/api/v1/pricing/history')).toHaveLength(2));
    const byNozzle = sent.filter((r) => r.path === '/api/v1/pricing/history')[1];
    expect(byNozzle.query.get('nozzle_id')).toBe('n1');
    expect(byNozzle.query.has('station_id')).toBe(false);
    expect(await screen.findByText(/P2 nozzle 1 at ACC-01 Accra Osu charged/)).toBeInTheDocument();
  });
});
