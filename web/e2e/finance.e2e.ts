// Finance against the real API with demo data: the trial balance's totals, the P&L's net and the
// receivables aging's totals as the API gives them; the account drill-down; a MoMo reconciliation
// run from an uploaded statement; the auditor (read-only) offered no run or posting buttons.
// Screenshots of every page (test-artifacts/screenshots/finance-*.png).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiAs, env, launch, shot, signIn } from './support';
import { formatCedis, ghanaToday } from '../src/lib/format';
import { subtractDecimals } from '../src/lib/decimal';

let browser: Browser;
let admin: Page;
const today = ghanaToday();
const monthStart = `${today.slice(0, 7)}-01`;
let customerId = '';

function uuidv7(): string {
  const b = Buffer.concat([Buffer.from(Date.now().toString(16).padStart(12, '0'), 'hex'), randomBytes(10)]);
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// Wide tables (aging, profit by station) say GH₵ in their column heads, not in each cell.
const amount = (v: string) => formatCedis(v).replace('GH₵ ', '');
const text = async (page: Page, testId: string) => (await page.getByTestId(testId).first().textContent())?.trim();

beforeAll(async () => {
  // The demo has fleet customers with history; one more is made here with two sales on account
  // (by the station manager, at their station), an invoice and a part payment, so this test
  // knows one customer's figures exactly.
  const a = await apiAs('admin');
  const m = await apiAs('manager');
  const profile = await m.get('/api/v1/auth/profile');
  const stationId = profile.body.data.scope_ids[0] as string;
  const products = await a.get('/api/v1/products?limit=500');
  const shop = (products.body.data as Array<{ id: string; kind: string }>).find((p) => p.kind === 'shop')!;
  const created = await a.post('/api/v1/customers', {
    code: `E2E${Date.now() % 100000}`,
    name: 'Volta Fleet Services',
    credit_limit: '25000.00',
    payment_terms_days: 14,
  });
  expect(created.status).toBe(201);
  customerId = created.body.data.id;
  for (const quantity of ['7', '12']) {
    const sale = await m.post('/api/v1/transactions', {
      id: uuidv7(),
      station_id: stationId,
      kind: 'shop',
      product_id: shop.id,
      quantity,
      payment_method: 'account',
      customer_id: customerId,
    });
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);
  }
  const invoice = await a.post(`/api/v1/customers/${customerId}/invoices`, { from: monthStart, to: today });
  expect(invoice.status, JSON.stringify(invoice.body)).toBe(201);
  const payment = await a.post(`/api/v1/customers/${customerId}/payments`, { method: 'bank', amount: '10.25', reference: 'GCB-E2E-1' });
  expect(payment.status, JSON.stringify(payment.body)).toBe(201);

  browser = await launch();
  admin = await signIn(browser, 'admin');
});
afterAll(async () => {
  await browser?.close();
});

describe('finance as the company admin', () => {
  it('shows a trial balance whose debits equal its credits and the API totals', async () => {
    const api = await apiAs('admin');
    await admin.goto(`${env().baseUrl}/finance/trial-balance?as_of=${today}`);
    await admin.getByTestId('tb-total-debit').waitFor();
    const tb = (await api.get(`/api/v1/ledger/reports/trial-balance?as_of=${today}`)).body.data;
    expect(tb.total_debit).toBe(tb.total_credit);
    expect(await text(admin, 'tb-total-debit')).toBe(formatCedis(tb.total_debit));
    expect(await text(admin, 'tb-total-credit')).toBe(formatCedis(tb.total_credit));
    await expect(admin.getByText('Balanced: total debits equal total credits').count()).resolves.toBe(1);
    await shot(admin, 'finance-trial-balance');
    // The box follows the URL (?accounts=true), which the router updates in a transition: click,
    // then wait for the per-account lines rather than for the box's state at once.
    await admin.getByLabel('One line per account (station, product, party)').click();
    await admin.getByText('Kumasi Adum').first().waitFor();
    // Per account the totals are larger where a code's accounts differ in sign (a customer in
    // credit beside customers in debit): they are the API's per-account totals, still balanced.
    const perAccount = (await api.get(`/api/v1/ledger/reports/trial-balance?as_of=${today}&accounts=true`)).body.data;
    expect(perAccount.total_debit).toBe(perAccount.total_credit);
    expect(await text(admin, 'tb-total-debit')).toBe(formatCedis(perAccount.total_debit));
    await shot(admin, 'finance-trial-balance-accounts');
    // Per account, a line opens that account's statement.
    await admin.getByRole('table', { name: 'Trial balance' }).getByRole('link', { name: 'Fuel inventory', exact: true }).first().click();
    await admin.getByTestId('statement-closing').waitFor();
    await admin.getByRole('heading', { name: /^1200 Fuel inventory — / }).waitFor();
  });

  it('drills down from a code to its accounts and an account statement', async () => {
    const api = await apiAs('admin');
    await admin.goto(`${env().baseUrl}/finance/trial-balance?as_of=${today}`);
    await admin.getByRole('link', { name: /^Accounts of 1010 / }).click();
    await admin.getByRole('heading', { name: /Accounts under 1010/ }).waitFor();
    await shot(admin, 'finance-accounts');
    const accounts = (await api.get('/api/v1/ledger/accounts?code=1010')).body.data as Array<{ id: string; station_id: string; balance: string }>;
    const stations = (await api.get('/api/v1/stations?limit=500')).body.data as Array<{ id: string; name: string }>;
    const first = accounts[0];
    const name = stations.find((s) => s.id === first.station_id)!.name;
    await admin.getByRole('link', { name, exact: true }).click();
    await admin.getByTestId('statement-closing').waitFor();
    const st = (await api.get(`/api/v1/ledger/accounts/${first.id}/statement?from=${monthStart}&to=${today}`)).body.data;
    expect(await text(admin, 'statement-closing')).toBe(formatCedis(st.closing));
    expect(st.closing).toBe(first.balance);
    await shot(admin, 'finance-account-statement');
  });

  it("shows the profit and loss with the API's net, and by station and product", async () => {
    const api = await apiAs('admin');
    await admin.goto(`${env().baseUrl}/finance/profit-and-loss?from=${monthStart}&to=${today}`);
    await admin.getByTestId('pnl-net').waitFor();
    const pnl = (await api.get(`/api/v1/ledger/reports/profit-and-loss?from=${monthStart}&to=${today}`)).body.data;
    expect(await text(admin, 'pnl-net')).toBe(formatCedis(pnl.results['Net profit']));
    await shot(admin, 'finance-profit-and-loss');
    await admin.getByRole('tab', { name: 'By station' }).click();
    await admin.getByTestId('by-total-net_profit').waitFor();
    const byStation = (await api.get(`/api/v1/ledger/reports/profit-by-station?from=${monthStart}&to=${today}`)).body.data;
    const revenue = (byStation.rows as Array<{ revenue: string }>).reduce((s, r) => s + BigInt(r.revenue.replace('.', '')), 0n);
    expect(await text(admin, 'by-total-revenue')).toBe(amount(`${revenue / 100n}.${(revenue % 100n).toString().padStart(2, '0')}`));
    await shot(admin, 'finance-profit-by-station');
    await admin.getByRole('tab', { name: 'By product' }).click();
    await admin.getByRole('table', { name: 'Profit by product' }).waitFor();
    await shot(admin, 'finance-profit-by-product');
  });

  it('shows a balance sheet where assets equal liabilities plus equity', async () => {
    const api = await apiAs('admin');
    await admin.goto(`${env().baseUrl}/finance/balance-sheet?as_of=${today}`);
    await admin.getByTestId('bs-asset').waitFor();
    const bs = (await api.get(`/api/v1/ledger/reports/balance-sheet?as_of=${today}`)).body.data;
    expect(await text(admin, 'bs-asset')).toBe(formatCedis(bs.results['Total assets']));
    expect(await text(admin, 'bs-liability')).toBe(formatCedis(bs.results['Total liabilities']));
    expect(await text(admin, 'bs-equity')).toBe(formatCedis(bs.results['Total equity']));
    await admin.getByText(/^✓ ?Assets \(/).waitFor();
    await shot(admin, 'finance-balance-sheet');
  });

  it("shows the customers and the receivables aging with the API's totals", async () => {
    const api = await apiAs('admin');
    await admin.goto(`${env().baseUrl}/finance/customers?as_of=${today}`);
    await admin.getByTestId('aging-total-balance').waitFor();
    const aging = (await api.get(`/api/v1/receivables/aging?as_of=${today}`)).body.data;
    expect(aging.rows.length).toBeGreaterThan(0);
    for (const b of ['0_30', '31_60', '61_90', 'over_90']) {
      expect(await text(admin, `aging-total-${b}`)).toBe(amount(aging.totals.buckets[b]));
    }
    expect(await text(admin, 'aging-total-balance')).toBe(amount(aging.totals.balance));
    expect(await text(admin, 'aging-total-unapplied')).toBe(amount(aging.totals.unapplied_credit));
    await admin.getByRole('table', { name: 'Credit customers' }).getByText('Volta Fleet Services').waitFor();
    await shot(admin, 'finance-customers');
    // 45 days on, the invoice (due in 14 days) is 31–60 days past due.
    const later = new Date(Date.parse(`${today}T00:00:00Z`) + 45 * 86400_000).toISOString().slice(0, 10);
    await admin.goto(`${env().baseUrl}/finance/customers?as_of=${later}`);
    await admin.getByTestId('aging-total-balance').waitFor();
    const agingLater = (await api.get(`/api/v1/receivables/aging?as_of=${later}`)).body.data;
    expect(await text(admin, 'aging-total-31_60')).toBe(amount(agingLater.totals.buckets['31_60']));
    expect(agingLater.totals.buckets['31_60']).not.toBe('0.00');
    await shot(admin, 'finance-customers-aging-later');
  });

  it("shows a customer's statement, invoices and payments", async () => {
    const api = await apiAs('admin');
    await admin.goto(`${env().baseUrl}/finance/customers/${customerId}`);
    await admin.getByTestId('customer-exposure').waitFor();
    const c = (await api.get(`/api/v1/customers/${customerId}`)).body.data;
    expect(await text(admin, 'customer-exposure')).toBe(formatCedis(c.exposure));
    await admin.getByRole('table', { name: 'Customer statement' }).getByText('GCB-E2E-1').waitFor();
    await admin.getByRole('table', { name: 'Invoices' }).getByText('INV-').first().waitFor();
    await admin.getByRole('table', { name: 'Payments' }).getByText('GCB-E2E-1').waitFor();
    await shot(admin, 'finance-customer');
  });

  it('records a customer payment through the page, confirmed, and the exposure follows', async () => {
    const api = await apiAs('admin');
    const before = (await api.get(`/api/v1/customers/${customerId}`)).body.data.exposure as string;
    await admin.goto(`${env().baseUrl}/finance/customers/${customerId}`);
    const form = admin.getByRole('form', { name: 'Record a payment' });
    await form.getByLabel('Amount (GH₵)').fill('20.00');
    await form.getByLabel('Reference (optional)').fill('GCB-E2E-2');
    await form.getByRole('button', { name: 'Record payment…' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Record this payment?' });
    await dialog.waitFor();
    await shot(admin, 'finance-customer-payment-confirm');
    await dialog.getByRole('button', { name: 'Record payment' }).click();
    await form.getByText(/^Recorded GH₵ 20.00/).waitFor();
    const c = (await api.get(`/api/v1/customers/${customerId}`)).body.data;
    expect(c.exposure).toBe(subtractDecimals(before, '20.00', 2));
    await admin.getByTestId('customer-exposure').getByText(formatCedis(c.exposure)).waitFor();
    await admin.getByRole('table', { name: 'Payments' }).getByText('GCB-E2E-2').waitFor();
    await shot(admin, 'finance-customer-after-payment');
  });

  it('runs a MoMo reconciliation from an uploaded statement and shows its mismatches', async () => {
    await admin.goto(`${env().baseUrl}/finance/reconciliations`);
    await admin.getByRole('button', { name: 'Run reconciliation' }).waitFor();
    // The demo's run for yesterday is listed, and opens with its two planted mismatches.
    const api = await apiAs('admin');
    const runs = (await api.get('/api/v1/payments/reconciliations')).body.data as Array<{ id: string; mismatches: number }>;
    const demoRun = runs.find((r) => r.mismatches === 2);
    expect(demoRun, JSON.stringify(runs)).toBeTruthy();
    const list = admin.getByRole('table', { name: 'Reconciliations' });
    await list.locator(`a[href="/finance/reconciliations/${demoRun!.id}"]`).click();
    await admin.getByText('2 mismatches to resolve.').waitFor();
    await shot(admin, 'finance-reconciliation-demo');
    await admin.getByRole('link', { name: '← All reconciliations' }).click();
    await admin.getByRole('button', { name: 'Run reconciliation' }).waitFor();
    const csv =
      'reference,financial_transaction_id,external_id,amount,currency,status,completed_at\n' +
      `3fa85f64-5717-4562-b3fc-2c963f66afa6,9001,ext-1,150.50,GHS,SUCCESSFUL,${today}T10:00:00Z\n`;
    // Submitting without a file says so by the field.
    await admin.getByRole('button', { name: 'Run reconciliation' }).click();
    await admin.getByText('Choose the statement file (CSV).').waitFor();
    await admin.getByLabel('Day', { exact: true }).fill(today);
    await admin.getByLabel('Statement file').setInputFiles({ name: 'mtn-statement.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await admin.getByRole('button', { name: 'Run reconciliation' }).click();
    await admin.getByRole('heading', { name: /MTN MoMo reconciliation for/ }).waitFor();
    await admin.getByText('1 mismatch to resolve.').waitFor();
    await admin.getByRole('table', { name: 'Mismatches' }).getByText('Paid, no sale recorded').waitFor();
    await shot(admin, 'finance-reconciliation');
    await admin.getByRole('link', { name: '← All reconciliations' }).click();
    await admin.getByRole('table', { name: 'Reconciliations' }).getByRole('link').first().waitFor();
    await shot(admin, 'finance-reconciliations');
  });

  it('shows the payables aging', async () => {
    await admin.goto(`${env().baseUrl}/finance/payables`);
    await admin.getByText(/No supplier invoice is outstanding|Total/).first().waitFor();
    await shot(admin, 'finance-payables');
  });
});

describe('finance as the auditor (read-only)', () => {
  it('reads every finance page and is offered no run or posting button', async () => {
    const page = await signIn(browser, 'auditor', { width: 1024, height: 768 });
    await page.goto(`${env().baseUrl}/finance`);
    await page.getByTestId('tb-total-debit').waitFor();
    const tabs = page.getByRole('navigation', { name: 'Finance pages' });
    for (const label of ['Trial balance', 'Profit and loss', 'Balance sheet', 'Customer accounts', 'MoMo reconciliation', 'Payables aging']) {
      await expect(tabs.getByRole('link', { name: label }).count()).resolves.toBe(1);
    }
    await shot(page, 'finance-auditor-trial-balance-tablet');
    await page.goto(`${env().baseUrl}/finance/reconciliations`);
    await page.getByRole('heading', { name: 'Reconciliations' }).waitFor();
    await page.waitForLoadState('networkidle');
    await expect(page.getByRole('button', { name: 'Run reconciliation' }).count()).resolves.toBe(0);
    await expect(page.getByRole('form', { name: 'Run a reconciliation' }).count()).resolves.toBe(0);
    await shot(page, 'finance-auditor-reconciliations');
    for (const path of ['trial-balance', 'profit-and-loss', 'balance-sheet', 'customers', `customers/${customerId}`, 'payables']) {
      await page.goto(`${env().baseUrl}/finance/${path}`);
      await page.locator('.finance .card').first().waitFor();
      await page.waitForLoadState('networkidle');
      const names = await page.locator('main button').allTextContents();
      expect(names.filter((n) => /^(run|post|record|issue|pay|reverse|close|create|save|approve|put|release)\b/i.test(n)), `${path}: ${names.join(', ')}`).toEqual([]);
    }
    await shot(page, 'finance-auditor-payables');
    await page.context().close();
  });
});
