// An expired session: the sign-in dialog opens over the page, and after signing in again the form
// that was being typed is still there and its submission goes through — nothing is lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiAs, env, launch, shot, signIn, user } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('session expiry', () => {
  it('keeps the dip being typed through a new sign-in and records it once', async () => {
    const api = await apiAs('manager');
    const page = await signIn(browser, 'manager', { width: 1024, height: 768 });
    const stationId = (await api.get('/api/v1/auth/profile')).body.data.scope_ids[0] as string;
    const tanks = (await api.get(`/api/v1/tanks?station_id=${stationId}`)).body.data as Array<{ id: string }>;
    let tankId = '';
    for (const t of tanks) {
      if ((await api.get(`/api/v1/tanks/${t.id}/charts`)).body.data.length > 0) {
        tankId = t.id;
        break;
      }
    }
    expect(tankId).not.toBe('');
    await page.goto(`${env().baseUrl}/operations/dip`);
    await page.getByLabel('Station', { exact: true }).selectOption(stationId);
    await page.getByLabel('Tank').selectOption(tankId);
    await page.getByLabel('Temperature (°C)').fill('27.00');
    await page.getByLabel('Product level (mm)').fill('1111');
    await page.getByLabel('Water level (mm)').fill('3');
    const before = (await api.get(`/api/v1/dips?tank_id=${tankId}&limit=500`)).body.data.length as number;

    // The session ends: the access token and the refresh token are refused from now on.
    const stale = await page.evaluate(() => JSON.parse(sessionStorage.getItem('omc.session') ?? '{}').access_token as string);
    await page.route('**/api/v1/**', async (route) => {
      const req = route.request();
      const expired = req.url().endsWith('/api/v1/auth/refresh') || req.headers().authorization === `Bearer ${stale}`;
      if (!expired) return route.continue();
      return route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ success: false, error: { code: 'unauthenticated', message: 'token expired', details: [] } }),
      });
    });
    await page.getByRole('button', { name: 'Record the dip' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your session has expired' });
    await dialog.waitFor();
    await shot(page, 'session-expired-dialog');
    // What was typed is still on the page behind the dialog.
    expect(await page.getByLabel('Product level (mm)').inputValue()).toBe('1111');

    await dialog.getByLabel('Password').fill(user('manager').password);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('status', { name: 'Dip recorded' }).waitFor();
    await expect(dialog.count()).resolves.toBe(0);
    const dips = (await api.get(`/api/v1/dips?tank_id=${tankId}&limit=500`)).body.data as Array<{ height_mm: number }>;
    expect(dips.length).toBe(before + 1);
    expect(dips.filter((d) => d.height_mm === 1111).length).toBe(1);
    await page.context().close();
  });
});
