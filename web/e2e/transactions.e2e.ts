// Transactions against the real API as the demo StationManager: filter the sales table, download
// the CSV with the same filters (its rows are the API's), and void a sale of the open shift with
// a reason (the void row appears).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiAs, env, launch, shot, signIn } from './support';

let browser: Browser;
let page: Page;
let api: Awaited<ReturnType<typeof apiAs>>;
let stationId = '';

function uuidv7(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let ms = BigInt(Date.now());
  for (let i = 5; i >= 0; i--) {
    bytes[i] = Number(ms & 0xffn);
    ms >>= 8n;
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const h = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

beforeAll(async () => {
  browser = await launch();
  api = await apiAs('manager');
  stationId = (await api.get('/api/v1/auth/profile')).body.data.scope_ids[0];
  page = await signIn(browser, 'manager', { width: 1024, height: 768 });
});
afterAll(async () => {
  await browser?.close();
});

async function allSales(query: string): Promise<Array<{ id: string; amount: string }>> {
  const out: Array<{ id: string; amount: string }> = [];
  let cursor = '';
  do {
    const r = await api.get(`/api/v1/transactions?${query}&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    out.push(...r.body.data);
    cursor = r.body.metadata.pagination.next_cursor ?? '';
  } while (cursor);
  return out;
}

describe('transactions', () => {
  it('filters the sales table and downloads the same sales as CSV', async () => {
    // Two whole past days (the demo's history), so the rows do not depend on the hour the test
    // runs at: before 06:00 today has few sales or none.
    const day = (offset: number) => {
      const d = new Date();
      d.setUTCDate(d.getUTCDate() + offset);
      return d.toISOString().slice(0, 10);
    };
    await page.goto(`${env().baseUrl}/transactions`);
    await page.getByRole('table').waitFor();
    await shot(page, 'transactions-table');
    const filters = page.getByRole('form', { name: 'Filter sales' });
    await filters.getByLabel('Station').selectOption(stationId);
    await filters.getByLabel('Payment').selectOption('cash');
    await filters.getByLabel('From').fill(day(-2));
    await filters.getByLabel('To').fill(day(-1));
    // All four changes are in the URL (none lost to another made before the page re-rendered).
    await expect
      .poll(() => Object.fromEntries([...new URL(page.url()).searchParams].filter(([k]) => ['station_id', 'payment_method', 'from', 'to'].includes(k))))
      .toEqual({ station_id: stationId, payment_method: 'cash', from: day(-2), to: day(-1) });
    await page.waitForFunction(() => !!document.querySelector('table tbody a'));
    const query = `station_id=${stationId}&payment_method=cash&from=${day(-2)}T00:00:00Z&to=${day(0)}T00:00:00Z&order=desc`;
    const expected = await allSales(query);
    expect(expected.length).toBeGreaterThan(0);
    // The first page (50 rows) is the API's newest 50 filtered sales, once the filtered answer
    // replaced the unfiltered one; every row paid in cash.
    await expect
      .poll(async () => (await page.locator('table tbody tr td a[href^="/transactions/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).sort(), { timeout: 15_000 })
      .toEqual(expected.slice(0, 50).map((s) => `/transactions/${s.id}`).sort());
    await expect.poll(async () => new Set(await page.locator('table tbody tr td:last-child').allTextContents()), { timeout: 15_000 }).toEqual(new Set(['Cash']));
    await shot(page, 'transactions-filtered');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const file = await download.path();
    const lines = readFileSync(file!, 'utf8').trim().split('\r\n');
    expect(lines[0].startsWith('id,station_id,receipt_no,kind')).toBe(true);
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.map((r) => r[0]).sort()).toEqual(expected.map((s) => s.id).sort());
    expect(new Set(rows.map((r) => r[12]))).toEqual(new Set(['cash']));
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set([stationId]));
  });

  it('voids a sale with a reason, after confirming; the void row appears', async () => {
    const nozzle = (await api.get(`/api/v1/nozzles?station_id=${stationId}`)).body.data.find((n: { active: boolean }) => n.active);
    const open = (await api.get(`/api/v1/shifts?station_id=${stationId}&status=open`)).body.data;
    expect(open.length).toBe(1);
    const sold = await api.post('/api/v1/transactions', { id: uuidv7(), station_id: stationId, nozzle_id: nozzle.id, quantity: '12.500', payment_method: 'cash' });
    expect(sold.status).toBe(201);
    const sale = sold.body.data;
    await page.goto(`${env().baseUrl}/transactions/${sale.id}`);
    await page.getByRole('heading', { name: `Receipt #${sale.receipt_no}` }).waitFor();
    await page.getByRole('button', { name: 'Void…' }).click();
    await page.locator('.field-invalid').filter({ hasText: 'Reason' }).waitFor();
    await page.getByLabel('Reason').fill('Customer drove off before paying: test void');
    await page.getByRole('button', { name: 'Void…' }).click();
    const dialog = page.getByRole('dialog', { name: `Void receipt #${sale.receipt_no}?` });
    await dialog.waitFor();
    await page.screenshot({ path: path.join(env().artifactsDir, 'screenshots', 'transactions-void-confirm.png') });
    await dialog.getByRole('button', { name: 'Void the sale' }).click();
    const done = page.getByRole('status', { name: 'Sale voided' });
    await done.waitFor();
    await shot(page, 'transactions-voided');
    const voids = await allSales(`station_id=${stationId}&kind=void`);
    const v = (voids as Array<{ id: string; reverses_id: string; reason: string; amount: string }>).find((x) => x.reverses_id === sale.id);
    expect(v).toBeTruthy();
    expect(v!.reason).toBe('Customer drove off before paying: test void');
    expect(v!.amount).toBe(`-${sale.amount}`);
    // The void row in the table.
    await done.getByRole('link', { name: 'Open the void' }).click();
    await page.getByRole('heading', { name: /Receipt #/ }).waitFor();
    await expect(page.getByText('Customer drove off before paying: test void').count()).resolves.toBe(1);
    await page.goto(`${env().baseUrl}/transactions?station_id=${stationId}&kind=void`);
    await page.getByRole('link', { name: `#${(v as unknown as { receipt_no: number }).receipt_no}` }).waitFor();
    await shot(page, 'transactions-void-row');
  });
});
