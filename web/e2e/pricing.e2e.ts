// Pricing in a real browser against omc serve with demo data: the window calendar, the build-up
// (figures equal the API's), a price list refused under NPA's floor with the API's reason shown by
// the field, proposed, approved and scheduled; another rejected with a reason; the price history;
// and a StationManager who may read but not propose. Screenshots of every page.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { formatNumber } from '../src/lib/format';
import { apiAs, env, launch, shot, signIn } from './support';

let browser: Browser;
let admin: Awaited<ReturnType<typeof apiAs>>;
let pms: { id: string; code: string };
let nextWindow: { id: string; first_day: string }; // the window after the next: no demo figures
let currentWindowFirstDay: string;

const BUILD_UP_CSV = (from: string) =>
  [
    'product,component_code,name,kind,subtotal,position,amount,valid_from,valid_to,in_floor,gra_levy_code,source_ref',
    `PMS,EXREF,Ex-refinery price,ex_refinery,ex_refinery,10,850.1234,${from},,,,e2e`,
    `PMS,EDRL,Energy debt recovery levy,levy,ex_depot,10,49.0000,${from},,,,e2e`,
    `PMS,RFL,Road fund levy,levy,ex_depot,20,48.0000,${from},,,,e2e`,
    `PMS,PSRL,Price stabilisation and recovery levy,levy,ex_depot,30,16.0000,${from},,,,e2e`,
    `PMS,SUBSIDY,Recovery (negative),regulated_margin,ex_depot,40,-12.5000,${from},,,,e2e`,
    `PMS,UPPF,UPPF margin,regulated_margin,ex_pump,10,90.0000,${from},,,,e2e`,
    `PMS,MARKETERS,Marketers' margin,omc_margin,ex_pump,20,150.0000,${from},,,,e2e`,
    `PMS,DEALERS,Dealers' margin,dealer_margin,ex_pump,30,80.0000,${from},,,,e2e`,
  ].join('\n') + '\n';

beforeAll(async () => {
  browser = await launch();
  admin = await apiAs('admin');
  const products = (await admin.get('/api/v1/products?limit=500')).body.data as Array<{ id: string; code: string }>;
  pms = products.find((p) => p.code === 'PMS')!;
  const windows = (await admin.get('/api/v1/pricing/windows?count=3')).body.data as Array<{ id: string; first_day: string; starts_at: string }>;
  currentWindowFirstDay = windows[0].first_day;
  // The demo holds NPA figures (marked demo), a floor per fuel and price lists for the window in
  // force and the next one; the test records its own for the window after, through the pages.
  nextWindow = windows.filter((w) => new Date(w.starts_at).getTime() > Date.now())[1];
  expect(nextWindow, JSON.stringify(windows)).toBeTruthy();
});
afterAll(async () => {
  await browser?.close();
});

async function chooseOption(scope: Page | Locator, label: string, text: string | RegExp) {
  const select = scope.getByLabel(label, { exact: true });
  await select.locator('option', { hasText: text }).first().waitFor({ state: 'attached' });
  const options = await select.locator('option').allTextContents();
  const match = options.find((o) => (typeof text === 'string' ? o.startsWith(text) : text.test(o)));
  if (!match) throw new Error(`no option ${text} in ${label}: ${options.join(' | ')}`);
  await select.selectOption({ label: match });
}

describe('pricing', () => {
  it('shows the window calendar with deadlines and the window in force', async () => {
    const page = await signIn(browser, 'admin');
    await page.goto(`${env().baseUrl}/pricing`);
    const windows = (await admin.get(`/api/v1/pricing/windows?from=${currentWindowFirstDay.slice(0, 8)}01&count=2`)).body.data as Array<{ id: string; current: boolean }>;
    for (const w of windows) await page.getByRole('heading', { name: new RegExp(`Window ${w.id}`) }).waitFor();
    const current = windows.find((w) => w.current)!;
    await expect(page.getByRole('heading', { name: new RegExp(`Window ${current.id}`) }).textContent()).resolves.toContain('In force now');
    await expect(page.getByText('NPA submission deadline').count()).resolves.toBe(2);
    await shot(page, 'pricing-windows');
    await page.getByRole('button', { name: 'Next month →' }).click();
    await page.getByRole('heading', { name: /Window \d{4}-\d{2}-1/ }).first().waitFor();
    await page.setViewportSize({ width: 1024, height: 768 });
    await shot(page, 'pricing-windows-next-month-tablet');

    // NPA's floor for the next window, recorded on its card.
    await page.goto(`${env().baseUrl}/pricing?month=${nextWindow.first_day.slice(0, 7)}`);
    await page.getByText(`Record a floor for ${nextWindow.id}`).click();
    const form = page.getByRole('form', { name: `Record an NPA floor for ${nextWindow.id}` });
    await chooseOption(form, 'Product', 'PMS');
    await form.getByLabel('Ex-pump floor (GH₵ per unit)').fill('13.02');
    await form.getByLabel('NPA reference (optional)').fill('NPA circular (e2e)');
    await form.getByRole('button', { name: 'Record floor' }).click();
    await page.getByTestId(`floors-${nextWindow.id}`).getByText('PMS GH₵ 13.02').waitFor();
    const floors = (await admin.get(`/api/v1/pricing/floors?window=${nextWindow.id}`)).body.data as Array<{ unit_price: string; product_id: string }>;
    expect(floors.map((f) => [f.product_id, f.unit_price])).toEqual([[pms.id, '13.02']]);
    await shot(page, 'pricing-window-floor-recorded');
    await page.context().close();
  });

  it('imports NPA figures (a bad file refused by row and column), shows the build-up with the API totals, and exports it', async () => {
    const page = await signIn(browser, 'admin');
    await page.goto(`${env().baseUrl}/pricing/build-up`);
    await chooseOption(page, 'Product', 'PMS');
    // Today's build-up is the demo's, its ex-pump total the API's.
    const demoBuildUp = (await admin.get(`/api/v1/pricing/build-up?product=PMS&date=${new Date().toISOString().slice(0, 10)}`)).body.data;
    await expect
      .poll(async () => page.getByTestId('ex-pump-total').textContent(), { timeout: 15_000 })
      .toContain(`${formatNumber(demoBuildUp.totals.ex_pump, 4)} GHp/L`);
    await shot(page, 'pricing-build-up-demo');
    await page.getByText("Import NPA's figures (CSV or XLSX)").click();
    const bad = BUILD_UP_CSV(nextWindow.first_day).replace('49.0000', '49.00x');
    await page.getByLabel('Build-up file').setInputFiles({ name: 'pbu-bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Import' }).click();
    await dialog.getByText('rows[3].amount').waitFor();
    await shot(page, 'pricing-build-up-import-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // Nothing of the refused file was written: the components are the demo's alone.
    const before = (await admin.get('/api/v1/pricing/components?product=PMS&limit=500')).body.data as Array<{ source_ref: string | null }>;
    expect(before.length).toBeGreaterThan(0);
    expect(before.filter((c) => c.source_ref === 'e2e')).toEqual([]);
    await page.getByLabel('Build-up file').setInputFiles({ name: 'pbu.csv', mimeType: 'text/csv', buffer: Buffer.from(BUILD_UP_CSV(nextWindow.first_day)) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Import' }).click();
    await page.getByText('Imported 8 components for PMS').waitFor();
    const api = (await admin.get(`/api/v1/pricing/build-up?product=PMS&date=${nextWindow.first_day}`)).body.data;
    await page.getByLabel('Date').fill(nextWindow.first_day);
    const total = page.getByTestId('ex-pump-total');
    await total.waitFor();
    expect(api.totals.ex_pump).toBe('1270.6234');
    await expect(total.textContent()).resolves.toContain('1,270.6234 GHp/L = GH₵ 12.706234 per L');
    await expect(page.locator('tr[data-subtotal="ex_depot"]').textContent()).resolves.toContain('950.6234');
    await expect(page.getByRole('cell', { name: '−12.5000' }).count()).resolves.toBe(1);
    await page.locator('.recharts-bar-rectangle').first().waitFor();
    await shot(page, 'pricing-build-up');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /as CSV$/ }).click(),
    ]);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.split(/\r?\n/)[0]).toBe('product,component_code,name,kind,subtotal,position,amount,valid_from,valid_to,in_floor,gra_levy_code,source_ref');
    expect(text).toContain('850.1234');
    await page.getByLabel('Date').fill('2020-01-01');
    await page.getByText('No price build-up for PMS').waitFor();
    await shot(page, 'pricing-build-up-empty');
    await page.context().close();
  });

  it('refuses a price under the floor with the API reason, then proposes, approves and schedules', async () => {
    const page = await signIn(browser, 'admin');
    await page.goto(`${env().baseUrl}/pricing/proposals`);
    await page.getByRole('button', { name: 'Propose prices' }).click();
    const form = page.getByRole('form', { name: 'Propose prices' });
    await form.getByLabel('Window').selectOption(nextWindow.id);
    await chooseOption(page, 'Product', 'PMS');
    await form.getByText('NPA floor for').waitFor();
    await expect(form.getByText('NPA floor for').textContent()).resolves.toContain('GH₵ 13.02');
    await form.getByLabel('Ex-pump price (GH₵ per unit)').fill('13.01');
    await form.getByRole('button', { name: 'Propose' }).click();
    const refusal = form.locator('.field-error', { hasText: 'below NPA' });
    await refusal.waitFor();
    await expect(refusal.textContent()).resolves.toBe(`the ex-pump price 13.01 is below NPA's price floor of 13.02 for window ${nextWindow.id}`);
    // The message is the price field's own (linked by aria-describedby).
    const described = await form.getByLabel('Ex-pump price (GH₵ per unit)').getAttribute('aria-describedby');
    expect(await refusal.getAttribute('id')).toBe(described?.split(' ')[0]);
    await shot(page, 'pricing-propose-below-floor');

    await form.getByLabel('Ex-pump price (GH₵ per unit)').fill('13.45');
    await form.getByLabel('Note (optional)').fill('e2e: network price');
    await form.getByRole('button', { name: 'Propose' }).click();
    await form.waitFor({ state: 'detached' });
    const card = page.locator('.proposal-card').first();
    await expect(card.getByTestId('proposal-status').textContent()).resolves.toBe('Proposed');
    await expect(card.textContent()).resolves.toContain('GH₵ 13.45');
    await shot(page, 'pricing-proposed');

    await card.getByRole('button', { name: 'Approve' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.proposal-card [data-testid="proposal-status"]', { hasText: 'Approved' }).waitFor();
    const lists = (await admin.get(`/api/v1/pricing/proposals?window=${nextWindow.id}`)).body.data as Array<{ status: string; lines: Array<{ unit_price: string }> }>;
    expect(lists.map((l) => l.status)).toEqual(['approved']);
    expect(lists[0].lines[0].unit_price).toBe('13.45');
    await shot(page, 'pricing-approved');

    await page.locator('.proposal-card').first().getByRole('button', { name: 'Schedule' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Schedule' }).click();
    await page.locator('.proposal-card [data-testid="proposal-status"]', { hasText: 'Scheduled' }).waitFor();
    await expect(page.locator('.proposal-card').first().locator('.timeline').textContent()).resolves.toMatch(/Proposed.*Approved.*Scheduled/);
    await shot(page, 'pricing-scheduled');

    // The NPA submission: recorded once (late after the deadline), then exported.
    const scheduled = page.locator('.proposal-card').first();
    await scheduled.getByRole('button', { name: 'Record NPA submission' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Record submission' }).click();
    await scheduled.getByText(/Submitted to NPA/).waitFor();
    await expect(scheduled.getByRole('button', { name: 'Record NPA submission' }).count()).resolves.toBe(0);
    const [download] = await Promise.all([page.waitForEvent('download'), scheduled.getByRole('button', { name: /NPA price submission .* as CSV$/ }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8').split(/\r?\n/);
    expect(csv[0]).toMatch(/^window,first_day,last_day,product_code,/);
    expect(csv[1]).toContain('1345.0000');
    await page.context().close();
  });

  it('rejects a second list with its reason kept in the history', async () => {
    const page = await signIn(browser, 'admin', { width: 1024, height: 768 });
    await page.goto(`${env().baseUrl}/pricing/proposals?window=${nextWindow.id}`);
    await page.getByRole('button', { name: 'Propose prices' }).click();
    const form = page.getByRole('form', { name: 'Propose prices' });
    await form.getByLabel('Window').selectOption(nextWindow.id);
    await chooseOption(page, 'Product', 'PMS');
    await form.getByLabel('Given as').selectOption('margins');
    await form.getByLabel('Marketer margin (GH₵ per unit)').fill('2.00');
    await form.getByLabel('Dealer margin (GH₵ per unit)').fill('0.85');
    await form.getByRole('button', { name: 'Propose' }).click();
    await form.waitFor({ state: 'detached' });
    const card = page.locator('.proposal-card', { has: page.getByTestId('proposal-status').getByText('Proposed', { exact: true }) });
    // regulated part = ex-pump 1270.6234 less margins 150 + 80 = 1040.6234 GHp = GH₵ 10.406234; + 2.00 + 0.85
    await expect(card.textContent()).resolves.toContain('GH₵ 10.406234');
    await expect(card.textContent()).resolves.toContain('GH₵ 13.256234');
    await card.getByRole('button', { name: 'Reject' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Reject' }).click();
    await dialog.getByText('Give a reason').waitFor();
    await dialog.getByLabel('Reason').fill('Margins too high for this window');
    await dialog.getByRole('button', { name: 'Reject' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Reason: Margins too high for this window').waitFor();
    await shot(page, 'pricing-rejected-tablet');
    await page.context().close();
  });

  it('answers what a pump charged at a time, with the history chart', async () => {
    const page = await signIn(browser, 'admin');
    await page.goto(`${env().baseUrl}/pricing/history`);
    const stations = (await admin.get('/api/v1/stations')).body.data as Array<{ id: string; code: string }>;
    const at = new Date(Date.now() - 3600_000).toISOString().slice(0, 16);
    await chooseOption(page, 'Station', stations[0].code);
    await chooseOption(page, 'Product', 'PMS');
    await page.getByLabel('At (Ghana time)').fill(at);
    await page.getByRole('button', { name: 'Show' }).click();
    const answer = page.getByTestId('in-force-answer');
    await answer.waitFor();
    const api = (await admin.get(`/api/v1/pricing/history?station_id=${stations[0].id}&product_id=${pms.id}&at=${at}:00Z`)).body.data;
    const price = api.in_force.unit_price as string;
    await expect(answer.textContent()).resolves.toContain(`GH₵ ${Number(price).toFixed(2)}`);
    await expect(page.locator('.price-history tbody tr').count()).resolves.toBe(api.changes.length);
    await page.locator('.recharts-line-curve').waitFor();
    await shot(page, 'pricing-history');
    await page.context().close();
  });

  it('lets a StationManager read pricing but not propose or approve', async () => {
    const page = await signIn(browser, 'manager');
    await page.goto(`${env().baseUrl}/pricing/proposals`);
    await page.locator('.proposal-card').first().getByRole('cell', { name: 'PMS', exact: true }).waitFor();
    await expect(page.getByRole('button', { name: 'Propose prices' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /Approve|Reject|Schedule|Withdraw/ }).count()).resolves.toBe(0);
    await shot(page, 'pricing-lists-manager');
    await page.context().close();
  });
});
