// Reports in a real browser against omc serve with demo data: the NPA sales return previewed with
// totals equal to the API's JSON and downloaded through the page as CSV, XLSX and PDF (the bytes
// checked); the stock return; the VAT return's totals equal to the API's; UPPF claims with a
// claim's export; and the tabs a StationManager and an Operator get. Screenshots of every page.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { formatCedis, formatNumber } from '../src/lib/format';
import { addDecimals } from '../src/lib/decimal';
import { formatMoney } from '../src/pages/reports/reportUtil';
import { apiAs, env, launch, shot, signIn } from './support';

let browser: Browser;
let admin: Awaited<ReturnType<typeof apiAs>>;
// The demo holds five weeks up to today: the current month has sales whatever the date.
const month = new Date().toISOString().slice(0, 7);

beforeAll(async () => {
  browser = await launch();
  admin = await apiAs('admin');
});
afterAll(async () => {
  await browser?.close();
});

async function downloadBytes(page: Page, button: RegExp): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
}

describe('reports', () => {
  it('previews the NPA sales return with the API totals and downloads it as CSV, XLSX and PDF', async () => {
    const page = await signIn(browser, 'admin');
    await page.goto(`${env().baseUrl}/reports`);
    await page.getByLabel('Month').fill(month);
    const api = (await admin.get(`/api/v1/reports/npa/sales?month=${month}`)).body.data as {
      totals: Array<{ product_code: string; amount: string; sales_count: number }>;
    };
    expect(api.totals.length).toBeGreaterThan(0);
    const totalCell = page.getByTestId('npa-sales-total-amount');
    await totalCell.waitFor();
    await expect(totalCell.textContent()).resolves.toBe(formatCedis(addDecimals(api.totals.map((t) => t.amount), 2)));
    await expect(page.getByTestId('npa-sales-total-count').textContent()).resolves.toBe(formatNumber(api.totals.reduce((n, t) => n + t.sales_count, 0)));
    for (const t of api.totals) await expect(page.getByTestId(`amount-${t.product_code}`).textContent()).resolves.toBe(formatCedis(t.amount));
    await shot(page, 'reports-npa-sales');

    const csv = await downloadBytes(page, /NPA sales return .* as CSV$/);
    expect(csv.name).toBe(`npa-sales-${month}.csv`);
    const header = csv.bytes.toString('utf8').split(/\r?\n/)[0];
    expect(header).toBe('section,level,region,station,station_name,product,unit,sales_count,quantity,amount');
    // The file's total rows are the preview's figures.
    const totalRows = csv.bytes
      .toString('utf8')
      .split(/\r?\n/)
      .filter((l) => l.split(',')[1] === 'total');
    expect(totalRows.length).toBe(api.totals.length);
    const xlsx = await downloadBytes(page, /NPA sales return .* as XLSX$/);
    expect(xlsx.name).toBe(`npa-sales-${month}.xlsx`);
    expect(xlsx.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const pdf = await downloadBytes(page, /NPA sales return .* as PDF$/);
    expect(pdf.name).toBe(`npa-sales-${month}.pdf`);
    expect(pdf.bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    await page.getByText(`Saved npa-sales-${month}.pdf`).waitFor();
    await page.context().close();
  });

  it('shows the stock return with its sources', async () => {
    const page = await signIn(browser, 'admin');
    await page.goto(`${env().baseUrl}/reports/npa-stock`);
    await page.getByLabel('Month').fill(month);
    await page.getByText('Where each figure comes from').waitFor();
    const api = (await admin.get(`/api/v1/reports/npa/stock?month=${month}`)).body.data as { lines: unknown[] };
    await expect(page.getByText(`${api.lines.length} rows`).count()).resolves.toBe(1);
    await shot(page, 'reports-npa-stock');
    await page.setViewportSize({ width: 1024, height: 768 });
    await shot(page, 'reports-npa-stock-tablet');
    await page.context().close();
  });

  it('previews the VAT return with the API totals, and downloads its PDF', async () => {
    const page = await signIn(browser, 'admin');
    await page.goto(`${env().baseUrl}/reports/vat`);
    await page.getByLabel('Month').fill(month);
    const api = (await admin.get(`/api/v1/tax/vat-return?month=${month}`)).body.data as {
      taxes: Array<{ code: string }>;
      totals: { standard_rated: { amount: string; taxable_value: string; taxes: Record<string, string>; total_tax: string }; exempt: { amount: string }; total_sales: string };
    };
    const totals = page.getByTestId('vat-totals');
    await totals.waitFor();
    const cells = await totals.locator('td').allTextContents();
    const t = api.totals;
    expect(cells.slice(2)).toEqual([
      formatMoney(t.standard_rated.amount),
      formatMoney(t.standard_rated.taxable_value),
      ...api.taxes.map((x) => formatMoney(t.standard_rated.taxes[x.code] ?? '0.00')),
      formatMoney(t.standard_rated.total_tax),
      formatMoney(t.exempt.amount),
      formatMoney(t.total_sales),
    ]);
    await shot(page, 'reports-vat');
    const csv = await downloadBytes(page, /VAT return .* as CSV$/);
    expect(csv.bytes.toString('utf8').split(/\r?\n/)[0]).toMatch(/^station_code,station_name,standard_lines,standard_rated_amount,taxable_value,/);
    const pdf = await downloadBytes(page, /VAT return .* as PDF$/);
    expect(pdf.bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    await page.context().close();
  });

  it('lists UPPF claims and exports one', async () => {
    const opened = await admin.post('/api/v1/uppf/claims', { period: month, note: 'e2e' });
    expect(opened.status).toBe(201);
    const page = await signIn(browser, 'admin');
    await page.goto(`${env().baseUrl}/reports/uppf`);
    await page.getByRole('cell', { name: month, exact: true }).waitFor();
    await expect(page.locator('td .badge').allTextContents()).resolves.toEqual(['Draft']);
    await shot(page, 'reports-uppf');
    const xlsx = await downloadBytes(page, new RegExp(`UPPF claim ${month} as XLSX$`));
    expect(xlsx.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const csv = await downloadBytes(page, new RegExp(`UPPF claim ${month} as CSV$`));
    expect(csv.bytes.toString('utf8').split(/\r?\n/)[0].length).toBeGreaterThan(0);
    await page.context().close();
  });

  it('shows a StationManager the returns of their stations, without UPPF; an Operator none', async () => {
    const page = await signIn(browser, 'manager');
    await page.goto(`${env().baseUrl}/reports`);
    const tabs = page.getByRole('navigation', { name: 'Reports' });
    await tabs.getByRole('link', { name: 'NPA sales' }).waitFor();
    await expect(tabs.getByRole('link').allTextContents()).resolves.toEqual(['NPA sales', 'NPA stock', 'VAT return']);
    await page.getByTestId('npa-sales-total-amount').waitFor();
    await shot(page, 'reports-manager');
    await page.context().close();

    const op = await signIn(browser, 'operator');
    await op.goto(`${env().baseUrl}/reports`);
    await op.getByRole('heading', { name: 'Not available for your role' }).waitFor();
    await op.context().close();
  });
});
