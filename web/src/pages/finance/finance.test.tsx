// The finance pages against a mocked API: exact totals and the checks they show, the run of a
// reconciliation (the request sent, the result shown, the API's field errors by their field), and
// what a read-only role is offered.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/client';
import { fail, makeProfile, mockApi, renderAt as renderPageAt, type Handler, type Sent } from '../../test/kit';
import { agingTotals } from './Aging';
import { checkBalanceSheet } from './BalanceSheetPage';
import { FinanceSection } from './FinanceSection';
import { netFromSections } from './ProfitLossPage';
import { checkTrialBalance } from './TrialBalancePage';
import type { Aging, Report, TrialBalance } from './types';

const ADMIN = [
  'ledger.read',
  'customers.read',
  'payments.reconciliations.read',
  'payments.manage',
  'suppliers.read',
];
const AUDITOR = ['ledger.read', 'customers.read', 'payments.reconciliations.read', 'payments.read', 'suppliers.read'];

let routes: Record<string, Handler> = {};
let calls: Sent[] = [];

function failure(status: number, code: string, message: string, details: Array<{ field: string; message: string }> = []) {
  return fail(status, message, details, code);
}
// Answers `method path` (path without the query) with the handler's data (201 to a POST), or its Response.
function on(method: string, path: string, handler: () => unknown) {
  routes[`${method} ${path}`] = () => {
    const out = handler();
    return out instanceof Response ? out : { status: method === 'POST' ? 201 : 200, data: out };
  };
}

function renderAt(path: string, permissions = ADMIN) {
  on('GET', '/api/v1/auth/profile', () => makeProfile({ id: 'u1', username: 'demo', display_name: 'Demo', permissions }));
  on('GET', '/api/v1/stations', () => []);
  on('GET', '/api/v1/products', () => []);
  return renderPageAt(path, <FinanceSection />, '/finance/*');
}

beforeEach(() => {
  routes = {};
  calls = mockApi((req) => routes[`${req.method} ${req.path}`]?.(req)).sent;
});
afterEach(() => {
  vi.restoreAllMocks();
  session.set(null);
});

const tb = (lines: Array<[string, string, string]>, total_debit: string, total_credit: string, balanced = true): TrialBalance => ({
  as_of: '2026-11-22',
  lines: lines.map(([code, debit, credit]) => ({ code, name: `Account ${code}`, type: 'asset', dimensions: '', account_id: null, debit, credit })),
  total_debit,
  total_credit,
  balanced,
});

describe('exact checks', () => {
  it('adds a trial balance to the pesewa, without floating-point drift', () => {
    const check = checkTrialBalance(
      tb(
        [
          ['1010', '0.10', '0.00'],
          ['1020', '0.20', '0.00'],
          ['4010', '0.00', '0.30'],
          ['1200', '1000000000000.01', '0.00'],
          ['3000', '0.00', '1000000000000.01'],
        ],
        '1000000000000.31',
        '1000000000000.31',
      ),
    );
    expect(check).toEqual({ totalDebit: '1000000000000.31', totalCredit: '1000000000000.31', difference: '0.00', balanced: true, matchesApi: true });
  });

  it('finds a trial balance out by one pesewa and totals that disagree with the lines', () => {
    const check = checkTrialBalance(tb([['1010', '10.01', '0.00'], ['4010', '0.00', '10.00']], '10.00', '10.00', false));
    expect(check.difference).toBe('0.01');
    expect(check.balanced).toBe(false);
    expect(check.matchesApi).toBe(false);
  });

  it("recomputes the P&L's net from its sections", () => {
    const report: Report = {
      title: 'Profit and loss',
      subtitle: [],
      lines: [],
      sections: [
        { section: 'Revenue', total: '1000.10' },
        { section: 'Other income', total: '0.20' },
        { section: 'Cost of sales', total: '800.05' },
        { section: 'Operating expenses', total: '250.00' },
      ],
      results: { 'Net profit': '-49.75' },
    };
    expect(netFromSections(report)).toEqual({ income: '1000.30', expenses: '1050.05', net: '-49.75' });
  });

  it('checks assets = liabilities + equity and gives the difference', () => {
    const report: Report = {
      title: 'Balance sheet',
      subtitle: [],
      sections: [],
      results: {},
      lines: [
        { code: '1010', name: 'Cash', section: 'Cash', amount: '100.00' },
        { code: '2050', name: 'GRNI', section: 'Trade payables', amount: '60.00' },
        { code: '3000', name: 'Equity', section: 'Equity', amount: '39.99' },
        { code: '', name: 'Profit to date', section: 'Equity', amount: '0.00' },
      ],
    };
    expect(checkBalanceSheet(report, new Map())).toEqual({ assets: '100.00', liabilities: '60.00', equity: '39.99', difference: '0.01' });
  });

  it("sums an aging's buckets and compares them with the API's totals", () => {
    const aging: Aging = {
      as_of: '2026-11-22',
      rows: [
        { customer_id: 'a', name: 'A', buckets: { '0_30': '0.10', '31_60': '0.00', '61_90': '5.00', over_90: '0.00' }, unapplied_credit: '0.00', balance: '5.10' },
        { customer_id: 'b', name: 'B', buckets: { '0_30': '0.20', '31_60': '1.00', '61_90': '0.00', over_90: '2.00' }, unapplied_credit: '1.50', balance: '1.70' },
      ],
      totals: { buckets: { '0_30': '0.30', '31_60': '1.00', '61_90': '5.00', over_90: '2.00' }, unapplied_credit: '1.50', balance: '6.80' },
    };
    expect(agingTotals(aging)).toMatchObject({ buckets: aging.totals.buckets, balance: '6.80', matchesApi: true });
    expect(agingTotals({ ...aging, totals: { ...aging.totals, balance: '6.81' } }).matchesApi).toBe(false);
  });
});

describe('trial balance page', () => {
  it('shows the lines, exact totals and that the ledger balances', async () => {
    on('GET', '/api/v1/ledger/reports/trial-balance', () =>
      tb([['1010', '1234567.89', '0.00'], ['1030', '0.11', '0.00'], ['4010', '0.00', '1234568.00']], '1234568.00', '1234568.00'),
    );
    renderAt('/finance/trial-balance?as_of=2026-11-20');
    expect(await screen.findByTestId('tb-total-debit')).toHaveTextContent('GH₵ 1,234,568.00');
    expect(screen.getByTestId('tb-total-credit')).toHaveTextContent('GH₵ 1,234,568.00');
    expect(screen.getByText(/Balanced: total debits equal total credits/)).toBeInTheDocument();
    expect(screen.getByText('GH₵ 1,234,567.89')).toBeInTheDocument();
    const request = calls.find((c) => c.path === '/api/v1/ledger/reports/trial-balance')!;
    expect(request.query.get('as_of')).toBe('2026-11-20');
    expect(screen.getByRole('link', { name: 'Accounts of 1010 Account 1010' })).toHaveAttribute('href', '/finance/accounts?code=1010');
  });

  it("per account, links each line to its account's statement by the id the API gives", async () => {
    on('GET', '/api/v1/ledger/reports/trial-balance', () => ({
      ...tb([['1010', '10.00', '0.00']], '10.00', '10.00'),
      lines: [{ code: '1010', name: 'Cash on hand', type: 'asset', dimensions: 'station=s-1', account_id: 'acc-1', debit: '10.00', credit: '0.00' }],
    }));
    renderAt('/finance/trial-balance?as_of=2026-11-20&accounts=true');
    expect(await screen.findByRole('link', { name: 'Cash on hand' })).toHaveAttribute('href', '/finance/accounts/acc-1');
    const request = calls.find((c) => c.path === '/api/v1/ledger/reports/trial-balance')!;
    expect(request.query.get('accounts')).toBe('true');
    expect(calls.some((c) => c.path === '/api/v1/ledger/accounts')).toBe(false);
  });

  it('names the parties of per-account lines: credit customers and suppliers', async () => {
    on('GET', '/api/v1/ledger/reports/trial-balance', () => ({
      ...tb([['1100', '10.00', '0.00']], '10.00', '10.00'),
      lines: [
        { code: '1100', name: 'Trade receivables', type: 'asset', dimensions: 'party=c-1', account_id: 'acc-1', debit: '10.00', credit: '0.00' },
        { code: '2000', name: 'Trade payables', type: 'liability', dimensions: 'party=sup-1', account_id: 'acc-2', debit: '0.00', credit: '10.00' },
      ],
    }));
    on('GET', '/api/v1/customers', () => [{ id: 'c-1', code: 'FLEET1', name: 'Ashanti Haulage Ltd', credit_limit: '1.00', payment_terms_days: 30, status: 'active' }]);
    on('GET', '/api/v1/suppliers', () => [{ id: 'sup-1', code: 'BDC1', kind: 'bdc', name: 'Chase Petroleum Ghana Ltd', payment_terms_days: 30 }]);
    renderAt('/finance/trial-balance?as_of=2026-11-20&accounts=true', [...ADMIN, 'customers.read', 'suppliers.read']);
    expect(await screen.findByText('Ashanti Haulage Ltd')).toBeInTheDocument();
    expect(await screen.findByText('Chase Petroleum Ghana Ltd')).toBeInTheDocument();
  });

  it('says by how much an unbalanced trial balance is out', async () => {
    on('GET', '/api/v1/ledger/reports/trial-balance', () => tb([['1010', '100.05', '0.00'], ['4010', '0.00', '100.00']], '100.05', '100.00', false));
    renderAt('/finance/trial-balance');
    expect(await screen.findByText(/Out of balance: debits − credits = GH₵ 0.05/)).toBeInTheDocument();
  });

  it("shows the API's error and the field it names", async () => {
    on('GET', '/api/v1/ledger/reports/trial-balance', () => failure(400, 'invalid_argument', 'invalid request', [{ field: 'as_of', message: 'required: a date YYYY-MM-DD' }]));
    renderAt('/finance/trial-balance');
    expect(await screen.findAllByText('required: a date YYYY-MM-DD')).not.toHaveLength(0);
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});

describe('profit and loss page', () => {
  it("shows the statement by section with the API's net", async () => {
    on('GET', '/api/v1/ledger/reports/profit-and-loss', () => ({
      title: 'Profit and loss',
      subtitle: [],
      lines: [
        { code: '4010', name: 'Fuel sales', section: 'Revenue', amount: '13128985.68' },
        { code: '5010', name: 'Cost of fuel sold', section: 'Cost of sales', amount: '11078125.54' },
      ],
      sections: [
        { section: 'Revenue', total: '13128985.68' },
        { section: 'Cost of sales', total: '11078125.54' },
      ],
      results: { 'Net profit': '2050860.14', 'Total expenses': '11078125.54', 'Total income': '13128985.68' },
    }));
    renderAt('/finance/profit-and-loss?from=2026-11-01&to=2026-11-22');
    expect(await screen.findByTestId('pnl-net')).toHaveTextContent('GH₵ 2,050,860.14');
    expect(screen.queryByText(/do not add up/)).not.toBeInTheDocument();
    const request = calls.find((c) => c.path === '/api/v1/ledger/reports/profit-and-loss')!;
    expect(request.query.get('from')).toBe('2026-11-01');
    expect(request.query.get('to')).toBe('2026-11-22');
  });

  it('does not ask for a period that ends before it starts', async () => {
    on('GET', '/api/v1/ledger/reports/profit-and-loss', () => ({ title: '', subtitle: [], lines: [], sections: [], results: {} }));
    renderAt('/finance/profit-and-loss?from=2026-11-01&to=2026-11-22');
    await screen.findByText('Nothing is posted to revenue or expenses in this period.');
    const before = calls.length;
    const user = userEvent.setup();
    const from = screen.getByLabelText('From');
    await user.clear(from);
    await user.type(from, '2026-12-01');
    expect(await screen.findByText('The start must not be after the end.')).toBeInTheDocument();
    expect(calls.slice(before).some((c) => c.query.get('from') === '2026-12-01')).toBe(false);
  });
});

const RECONCILIATION = {
  id: 'rec-1',
  provider: 'mtn',
  date: '2026-11-21',
  source: 'upload',
  statement_lines: 2,
  intents: 1,
  matched: 1,
  mismatches: 1,
  statement_amount: '300.50',
  sales_amount: '150.00',
  created_at: '2026-11-22T07:51:06.290Z',
  created_by: 'u1',
  items: [
    {
      line_no: 2,
      kind: 'missing_sale',
      reference: 'ref-2',
      financial_transaction_id: '9001',
      statement_amount: '150.50',
      statement_status: 'SUCCESSFUL',
      intent_id: null,
      intent_status: null,
      sale_id: null,
      sale_amount: null,
      detail: 'paid on the statement, but no MoMo sale has this reference',
    },
  ],
};

describe('MoMo reconciliation', () => {
  it('runs one from an uploaded statement and shows the result', async () => {
    on('GET', '/api/v1/payments/reconciliations', () => []);
    on('POST', '/api/v1/payments/reconciliations', () => RECONCILIATION);
    on('GET', '/api/v1/payments/reconciliations/rec-1', () => RECONCILIATION);
    renderAt('/finance/reconciliations');
    const user = userEvent.setup();
    const run = await screen.findByRole('button', { name: 'Run reconciliation' });
    await user.click(run);
    expect(await screen.findByText('Choose the statement file (CSV).')).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST' && c.path === '/api/v1/payments/reconciliations')).toBe(false);

    const day = screen.getByLabelText('Day');
    await user.clear(day);
    await user.type(day, '2026-11-21');
    const csv = 'reference,financial_transaction_id,external_id,amount,currency,status,completed_at\nref-2,9001,x,150.50,GHS,SUCCESSFUL,2026-11-21T10:00:00Z\n';
    await user.upload(screen.getByLabelText('Statement file'), new File([csv], 'mtn.csv', { type: 'text/csv' }));
    expect(await screen.findByText('mtn.csv')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Run reconciliation' }));

    expect(await screen.findByText('1 mismatch to resolve.')).toBeInTheDocument();
    const post = calls.find((c) => c.method === 'POST' && c.path === '/api/v1/payments/reconciliations')!;
    expect(post.body).toEqual({ provider: 'mtn', date: '2026-11-21', statement_csv: csv });
    expect(post.headers['Idempotency-Key']).toBeTruthy();
    const table = screen.getByRole('table', { name: 'Mismatches' });
    expect(within(table).getByText('Paid, no sale recorded')).toBeInTheDocument();
    expect(within(table).getByText('GH₵ 150.50')).toBeInTheDocument();
    expect(screen.getByText('GH₵ 300.50')).toBeInTheDocument();
  });

  it("shows the API's complaint about the statement by the file field", async () => {
    on('GET', '/api/v1/payments/reconciliations', () => []);
    on('POST', '/api/v1/payments/reconciliations', () =>
      failure(400, 'invalid_argument', 'invalid request', [{ field: 'csv', message: 'row 1, column garbage: unknown column' }]),
    );
    renderAt('/finance/reconciliations');
    const user = userEvent.setup();
    await screen.findByRole('button', { name: 'Run reconciliation' });
    await user.upload(screen.getByLabelText('Statement file'), new File(['garbage'], 'bad.csv', { type: 'text/csv' }));
    await user.click(screen.getByRole('button', { name: 'Run reconciliation' }));
    const message = await screen.findByText('row 1, column garbage: unknown column');
    expect(screen.getByLabelText('Statement file')).toHaveAttribute('aria-describedby', expect.stringContaining(message.id));
  });

  it('offers a read-only role no run', async () => {
    on('GET', '/api/v1/payments/reconciliations', () => [RECONCILIATION]);
    renderAt('/finance/reconciliations', AUDITOR);
    expect(await screen.findByRole('table', { name: 'Reconciliations' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Run reconciliation' })).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Statement file')).not.toBeInTheDocument();
  });
});

describe('permissions', () => {
  it('shows only the tabs a role may open and refuses the others', async () => {
    on('GET', '/api/v1/customers', () => []);
    on('GET', '/api/v1/receivables/aging', () => ({ as_of: '2026-11-22', rows: [], totals: { buckets: { '0_30': '0.00', '31_60': '0.00', '61_90': '0.00', over_90: '0.00' }, unapplied_credit: '0.00', balance: '0.00' } }));
    renderAt('/finance', ['customers.read']);
    const nav = await screen.findByRole('navigation', { name: 'Finance pages' });
    await waitFor(() => expect(within(nav).getAllByRole('link').map((l) => l.textContent)).toEqual(['Customer accounts']));
    expect(await screen.findByText('No credit customers yet.')).toBeInTheDocument();
    expect(calls.some((c) => c.path.startsWith('/api/v1/ledger'))).toBe(false);
  });

  it('refuses a page the role may not open', async () => {
    renderAt('/finance/trial-balance', ['customers.read']);
    expect(await screen.findByRole('heading', { name: 'Not available for your role' })).toBeInTheDocument();
    expect(calls.some((c) => c.path.startsWith('/api/v1/ledger'))).toBe(false);
  });
});

describe('customer list', () => {
  it("shows each customer's exposure and available credit from the list, and the invoiced balance from the aging", async () => {
    on('GET', '/api/v1/customers', () => [
      { id: 'c1', code: 'FLEET1', name: 'Ashanti Haulage Ltd', tin: null, contact_name: null, phone: null, email: null, credit_limit: '5000.00', payment_terms_days: 30, status: 'active', exposure: '1234.50', available: '3765.50' },
    ]);
    on('GET', '/api/v1/receivables/aging', () => ({
      as_of: '2026-11-22',
      rows: [{ customer_id: 'c1', code: 'FLEET1', name: 'Ashanti Haulage Ltd', buckets: { '0_30': '1000.00', '31_60': '0.00', '61_90': '0.00', over_90: '0.00' }, unapplied_credit: '0.00', balance: '1000.00' }],
      totals: { buckets: { '0_30': '1000.00', '31_60': '0.00', '61_90': '0.00', over_90: '0.00' }, unapplied_credit: '0.00', balance: '1000.00' },
    }));
    renderAt('/finance/customers', ['customers.read']);
    const table = await screen.findByRole('table', { name: 'Credit customers' });
    const row = await within(table).findByRole('row', { name: /Ashanti Haulage/ });
    expect(row).toHaveTextContent('GH₵ 1,234.50');
    expect(row).toHaveTextContent('GH₵ 3,765.50');
    await waitFor(() => expect(row).toHaveTextContent('GH₵ 1,000.00'));
    // One request for the list: no request per customer.
    expect(calls.filter((c) => c.path.startsWith('/api/v1/customers/')).length).toBe(0);
  });
});

describe('customer page', () => {
  const customer = {
    id: 'c1',
    code: 'FLEET1',
    name: 'Ashanti Haulage Ltd',
    tin: null,
    contact_name: null,
    phone: null,
    email: null,
    credit_limit: '50000.00',
    payment_terms_days: 30,
    status: 'on_hold',
    exposure: '1234.50',
    available: '48765.50',
    vehicles: [],
    drivers: [],
  };
  const mockCustomer = () => {
    on('GET', '/api/v1/customers/c1', () => customer);
    on('GET', '/api/v1/customers/c1/statement', () => ({
      customer_id: 'c1',
      from: '2026-11-01',
      to: '2026-11-22',
      opening_balance: '0.00',
      lines: [{ date: '2026-11-22', document: 'invoice', reference: 'INV-000001', debit: '1234.50', credit: null, balance: '1234.50' }],
      total_debits: '1234.50',
      total_credits: '0.00',
      closing_balance: '1234.50',
      uninvoiced_sales: '0.00',
    }));
    on('GET', '/api/v1/customers/c1/invoices', () => []);
    on('GET', '/api/v1/customers/c1/payments', () => []);
  };

  it('shows the account and records a payment after confirmation', async () => {
    mockCustomer();
    on('POST', '/api/v1/customers/c1/payments', () => ({
      id: 'p1',
      customer_id: 'c1',
      method: 'bank',
      reference: 'GCB 77',
      station_id: null,
      amount: '1000.10',
      received_on: '2026-11-20',
      allocations: [{ invoice_id: 'i1', invoice_no: 'INV-000001', amount: '1000.10' }],
      unallocated: '0.00',
    }));
    renderAt('/finance/customers/c1', [...ADMIN, 'receivables.write']);
    expect(await screen.findByTestId('customer-exposure')).toHaveTextContent('GH₵ 1,234.50');
    expect(screen.getByText('On hold')).toBeInTheDocument();
    const user = userEvent.setup();
    const form = screen.getByRole('form', { name: 'Record a payment' });
    await user.type(within(form).getByLabelText('Amount (GH₵)'), '1,000');
    await user.click(within(form).getByRole('button', { name: 'Record payment…' }));
    expect(await within(form).findByText('Enter the amount in cedis, e.g. 1500 or 1500.50.')).toBeInTheDocument();
    await user.clear(within(form).getByLabelText('Amount (GH₵)'));
    await user.type(within(form).getByLabelText('Amount (GH₵)'), '1000.10');
    const date = within(form).getByLabelText('Received on');
    await user.clear(date);
    await user.type(date, '2026-11-20');
    await user.type(within(form).getByLabelText('Reference (optional)'), 'GCB 77');
    await user.click(within(form).getByRole('button', { name: 'Record payment…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Record this payment?' });
    expect(dialog).toHaveTextContent('GH₵ 1,000.10 from Ashanti Haulage Ltd by bank transfer, received on 20 Nov 2026, reference GCB 77.');
    expect(calls.some((c) => c.method === 'POST' && c.path.endsWith('/payments'))).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Record payment' }));
    expect(await screen.findByText(/Recorded GH₵ 1,000.10 on 20 Nov 2026 — applied to INV-000001/)).toBeInTheDocument();
    const post = calls.find((c) => c.method === 'POST' && c.path.endsWith('/payments'))!;
    expect(post.body).toEqual({ method: 'bank', amount: '1000.10', received_on: '2026-11-20', reference: 'GCB 77' });
    expect(post.headers['Idempotency-Key']).toBeTruthy();
  });

  it('needs the station for a cash payment and shows the API refusal by its field', async () => {
    mockCustomer();
    on('POST', '/api/v1/customers/c1/invoices', () =>
      failure(422, 'unprocessable', 'nothing to invoice', [{ field: 'from', message: 'no uninvoiced credit sales in the period' }]),
    );
    renderAt('/finance/customers/c1', [...ADMIN, 'receivables.write']);
    const user = userEvent.setup();
    const pay = await screen.findByRole('form', { name: 'Record a payment' });
    await user.selectOptions(within(pay).getByLabelText('Method'), 'cash');
    await user.type(within(pay).getByLabelText('Amount (GH₵)'), '50');
    await user.click(within(pay).getByRole('button', { name: 'Record payment…' }));
    expect(await within(pay).findByText('Choose the station that took the cash.')).toBeInTheDocument();

    const invoice = screen.getByRole('form', { name: 'Issue an invoice' });
    await user.click(within(invoice).getByRole('button', { name: 'Issue invoice…' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Issue this invoice?' })).getByRole('button', { name: 'Issue invoice' }));
    expect(await within(invoice).findByText('no uninvoiced credit sales in the period')).toBeInTheDocument();
  });

  it('releases a hold after confirmation (customers.manage)', async () => {
    mockCustomer();
    on('PATCH', '/api/v1/customers/c1', () => ({ ...customer, status: 'active' }));
    renderAt('/finance/customers/c1', [...ADMIN, 'customers.manage']);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Release hold…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Release Ashanti Haulage Ltd?' });
    await user.click(within(dialog).getByRole('button', { name: 'Release hold' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    expect(calls.find((c) => c.method === 'PATCH')!.body).toEqual({ status: 'active' });
  });

  it('offers a read-only role no payment or invoice', async () => {
    mockCustomer();
    renderAt('/finance/customers/c1', AUDITOR);
    await screen.findByTestId('customer-exposure');
    expect(screen.queryByRole('form', { name: 'Record a payment' })).not.toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Issue an invoice' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /hold/ })).not.toBeInTheDocument();
  });
});
