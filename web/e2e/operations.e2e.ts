// Operations forms against the real API as the demo StationManager: close the demo's open shift
// with a cash-up (the variance shown before confirming equals what the API records), open a new
// one, record a dip (the net litres shown while typing equal what the API stores) and a delivery
// (with an API field error shown by its field first).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiAs, env, launch, shot, signIn } from './support';

let browser: Browser;
let page: Page;
let api: Awaited<ReturnType<typeof apiAs>>;
let stationId = '';

beforeAll(async () => {
  browser = await launch();
  api = await apiAs('manager');
  const profile = (await api.get('/api/v1/auth/profile')).body.data;
  stationId = profile.scope_ids[0];
  page = await signIn(browser, 'manager', { width: 1024, height: 768 });
});
afterAll(async () => {
  await browser?.close();
});

// Exact decimal arithmetic for the test's own figures (thousandths).
const milli = (s: string) => BigInt(s.replace('.', '').replace(/^(-?)0+(?=\d)/, '$1')) * (s.includes('.') ? 10n ** BigInt(3 - s.split('.')[1].length) : 1000n);
const fromMilli = (v: bigint) => `${v / 1000n}.${(v % 1000n).toString().padStart(3, '0')}`;

// The station's tanks that have a strapping chart (the demo's LPG tanks have none: they are
// measured by weight, so a dip is refused for them).
async function chartedTanks(): Promise<Array<{ id: string; code: string }>> {
  const tanks = (await api.get(`/api/v1/tanks?station_id=${stationId}`)).body.data;
  const out = [];
  for (const t of tanks) if ((await api.get(`/api/v1/tanks/${t.id}/charts`)).body.data.length > 0) out.push(t);
  return out;
}

// A dialog is fixed to the viewport: its screenshot is of the viewport, not the whole page.
async function viewShot(p: Page, name: string) {
  await p.screenshot({ path: path.join(env().artifactsDir, 'screenshots', `${name}.png`) });
}

async function chooseStation(p: Page) {
  await p.getByLabel('Station', { exact: true }).selectOption(stationId);
}

describe('operations forms', () => {
  it('shows the landing with the three forms', async () => {
    await page.goto(`${env().baseUrl}/operations`);
    const tabs = page.getByRole('navigation', { name: 'Operations forms' });
    for (const name of ['Shift', 'Dip', 'Delivery']) await tabs.getByRole('link', { name }).waitFor();
    await shot(page, 'operations-landing');
  });

  it('closes the open shift with a cash-up: the variance shown before confirming is the one recorded', async () => {
    const open = (await api.get(`/api/v1/shifts?station_id=${stationId}&status=open`)).body.data;
    expect(open.length).toBe(1);
    const shift = (await api.get(`/api/v1/shifts/${open[0].id}`)).body.data;
    await page.goto(`${env().baseUrl}/operations/shift`);
    await chooseStation(page);
    const form = page.getByRole('form', { name: 'Close the shift' });
    await form.waitFor();
    const closings = form.getByRole('textbox', { name: /, litres$/ });
    await expect(closings.count()).resolves.toBe(shift.report.nozzles.length);
    const pumps = (await api.get(`/api/v1/pumps?station_id=${stationId}`)).body.data as Array<{ id: string; code: string }>;
    // Each nozzle metered its recorded sales plus 2.5 L, so the meters value a little more.
    for (const n of shift.report.nozzles) {
      const code = pumps.find((p) => p.id === n.pump_id)!.code;
      await form
        .getByRole('textbox', { name: new RegExp(`^Pump ${code} nozzle ${n.number} \\(`) })
        .fill(fromMilli(milli(n.opening_totalizer) + milli(n.recorded_quantity) + 2500n));
    }
    const people = form.locator('fieldset.cashup');
    const count = await people.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) {
      await people.nth(i).getByLabel('Cash counted, GH₵').fill(`${1000 + i * 17}.25`);
      await people.nth(i).getByLabel('MoMo, GH₵').fill('120.00');
      await people.nth(i).getByLabel('Card, GH₵').fill('0');
    }
    await form.getByRole('button', { name: 'Review the close' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm the close' });
    await dialog.waitFor();
    const shownVariance = await dialog.getByTestId('variance-total').locator('[data-variance]').getAttribute('data-variance');
    const shownWords = await dialog.getByTestId('variance-total').textContent();
    expect(shownWords).toMatch(/Short by GH₵|Over by GH₵|Balanced/);
    await viewShot(page, 'operations-shift-close-confirm');
    await dialog.getByRole('button', { name: 'Confirm and close the shift' }).click();
    const done = page.getByRole('status', { name: 'Shift closed' });
    await done.waitFor();
    const recorded = (await api.get(`/api/v1/shifts/${shift.id}`)).body.data;
    expect(recorded.status).toBe('closed');
    let total = 0n;
    for (const a of recorded.report.attendants) if (a.variance_amount) total += BigInt(a.variance_amount.replace('.', ''));
    const recordedVariance = `${total < 0n ? '-' : ''}${(total < 0n ? -total : total) / 100n}.${((total < 0n ? -total : total) % 100n).toString().padStart(2, '0')}`;
    expect(shownVariance).toBe(recordedVariance);
    expect(await done.getByTestId('recorded-variance').locator('[data-variance]').getAttribute('data-variance')).toBe(recordedVariance);
    await shot(page, 'operations-shift-closed');
  });

  it('opens a shift with the totalizers prefilled from the last close', async () => {
    const form = page.getByRole('form', { name: 'Open a shift' });
    await form.waitFor();
    const nozzles = (await api.get(`/api/v1/nozzles?station_id=${stationId}`)).body.data;
    const first = form.getByRole('textbox', { name: /, litres$/ }).first();
    const prefilled = await first.inputValue();
    expect(nozzles.map((n: { totalizer: string }) => n.totalizer)).toContain(prefilled);
    await shot(page, 'operations-shift-open');
    await form.getByRole('button', { name: 'Open the shift' }).click();
    await page.getByText(/Shift opened at/).waitFor();
    const open = (await api.get(`/api/v1/shifts?station_id=${stationId}&status=open`)).body.data;
    expect(open.length).toBe(1);
    await page.getByRole('form', { name: 'Close the shift' }).waitFor();
    await shot(page, 'operations-shift-opened');
  });

  it('records a dip: the net litres shown while typing are what the API stores', async () => {
    const tank = (await chartedTanks())[0];
    await page.goto(`${env().baseUrl}/operations/dip`);
    await chooseStation(page);
    await page.getByLabel('Tank').selectOption(tank.id);
    // A level above the tank first: the API's refusal shows by the field.
    await page.getByLabel('Product level (mm)').fill('99999');
    await page.getByLabel('Temperature (°C)').fill('28.50');
    await page.locator('.field-invalid').filter({ hasText: 'Product level (mm)' }).waitFor();
    await shot(page, 'operations-dip-field-error');
    await page.getByLabel('Product level (mm)').fill('1200');
    await page.getByLabel('Water level (mm)').fill('5');
    const net = page.getByTestId('net-litres');
    await page.waitForFunction(() => document.querySelector('[data-testid="net-litres"]')?.getAttribute('data-litres') !== '');
    const shown = await net.getAttribute('data-litres');
    const converted = (await api.get(`/api/v1/tanks/${tank.id}/dip-volume?height_mm=1200&water_height_mm=5&temperature=28.50`)).body.data;
    expect(shown).toBe(converted.standard);
    await shot(page, 'operations-dip-typing');
    await page.getByRole('button', { name: 'Record the dip' }).click();
    const done = page.getByRole('status', { name: 'Dip recorded' });
    await done.waitFor();
    const dips = (await api.get(`/api/v1/dips?tank_id=${tank.id}&limit=500`)).body.data;
    const latest = dips.sort((a: { recorded_at: string }, b: { recorded_at: string }) => b.recorded_at.localeCompare(a.recorded_at))[0];
    expect(latest.height_mm).toBe(1200);
    expect(latest.standard).toBe(shown);
    expect(await done.getByTestId('recorded-standard').getAttribute('data-litres')).toBe(shown);
    await shot(page, 'operations-dip-recorded');
  });

  it('records a delivery, showing an API field error by its field first', async () => {
    const charted = await chartedTanks();
    const tank = charted[charted.length - 1];
    // Dips before and after a 3,000 L drop, heights found with the dip-volume conversion.
    const gross = async (h: number) =>
      milli((await api.get(`/api/v1/tanks/${tank.id}/dip-volume?height_mm=${h}&water_height_mm=0&temperature=30.00`)).body.data.gross);
    const before = 300;
    const target = (await gross(before)) + 3_000_000n;
    let lo = before;
    let hi = 2000;
    while ((await gross(hi)) < target) hi += 500;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if ((await gross(mid)) < target) lo = mid;
      else hi = mid;
    }
    const b = await api.post('/api/v1/dips', { tank_id: tank.id, height_mm: before, water_height_mm: 0, temperature: '30.00', purpose: 'before_delivery' });
    expect(b.status).toBe(201);
    await new Promise((r) => setTimeout(r, 1100));
    const a = await api.post('/api/v1/dips', { tank_id: tank.id, height_mm: hi, water_height_mm: 0, temperature: '30.00', purpose: 'after_delivery' });
    expect(a.status).toBe(201);

    await page.goto(`${env().baseUrl}/operations/delivery`);
    await chooseStation(page);
    await page.getByLabel('Tank').selectOption(tank.id);
    const waybill = `WB-E2E-${Date.now()}`;
    await page.getByLabel('Waybill number').fill(waybill);
    await page.getByLabel('Supplier (BDC)').fill('Demo BDC');
    await page.getByLabel('Loading depot').fill('Tema');
    await page.getByLabel('Transporter').fill('Demo Haulage');
    await page.getByLabel('BRV registration').fill('GT 1234-20');
    await page.getByLabel('Driver').fill('Kwame Mensah');
    await page.getByLabel('Compartment 1 volume (litres)').fill('3000.000');
    await page.getByLabel('Loaded volume (litres, ambient at the gantry)').fill('3100.000');
    await page.getByLabel('Loading temperature (°C)').fill('30.00');
    await page.getByLabel('Density at 15 °C (kg/m³)').fill('745.0');
    await page.getByLabel('Dip before the drop').selectOption(b.body.data.id);
    await page.getByLabel('Dip after the drop').selectOption(a.body.data.id);
    await page.getByRole('button', { name: 'Record the delivery' }).click();
    // The compartments do not add up to the loaded volume: the API names the field.
    const loaded = page.locator('.field-invalid').filter({ hasText: 'Loaded volume' });
    await loaded.waitFor();
    await expect(loaded.textContent()).resolves.toContain('must equal the sum of the compartments');
    await shot(page, 'operations-delivery-field-error');
    await expect(page.getByRole('status', { name: 'Delivery recorded' }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Use this' }).click();
    await expect(page.getByLabel('Loaded volume (litres, ambient at the gantry)').inputValue()).resolves.toBe('3000.000');
    await page.getByRole('button', { name: 'Record the delivery' }).click();
    const done = page.getByRole('status', { name: 'Delivery recorded' });
    await done.waitFor({ timeout: 10000 }).catch(async (e) => {
      await shot(page, 'debug-delivery');
      throw e;
    });
    const list = (await api.get(`/api/v1/deliveries?station_id=${stationId}&limit=500`)).body.data;
    const recorded = list.find((d: { waybill_no: string }) => d.waybill_no === waybill);
    expect(recorded).toBeTruthy();
    expect(recorded.loaded_volume).toBe('3000.000');
    await expect(done.textContent()).resolves.toContain(waybill);
    await shot(page, 'operations-delivery-recorded');
  });
});
