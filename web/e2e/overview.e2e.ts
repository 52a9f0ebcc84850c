// The network overview and the station pages against a real `omc serve` with demo data: the
// overview's totals are exactly what the API answers, the map and the tables link to the
// stations, and a station's page shows its tanks as meters with the API's levels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addDecimals } from '../src/lib/decimal';
import { formatCedis, formatLitres } from '../src/lib/format';
import { apiAs, env, launch, shot, signIn } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();

describe('network overview', () => {
  it("shows today's and the window's totals exactly as the API answers them, by station too", async () => {
    const page = await signIn(browser, 'admin');
    await page.getByTestId('kpi-today-revenue-value').waitFor();
    const api = await apiAs('admin');
    const res = await api.get('/api/v1/dashboard/overview');
    expect(res.status).toBe(200);
    const overview = res.body.data;
    const { today, window } = overview.periods;

    expect(await text(page, 'kpi-today-litres-value')).toBe(formatLitres(today.current.litres));
    expect(await text(page, 'kpi-today-revenue-value')).toBe(formatCedis(today.current.revenue));
    expect(await text(page, 'kpi-window-litres-value')).toBe(formatLitres(window.current.litres));
    expect(await text(page, 'kpi-window-revenue-value')).toBe(formatCedis(window.current.revenue));
    // Last week's figures are shown beside them.
    expect(await text(page, 'kpi-today-revenue')).toContain(formatCedis(today.previous.revenue));
    expect(await text(page, 'kpi-window-litres')).toContain(formatLitres(window.previous.litres));

    // The stations add up to the total, in the API and on the page.
    expect(addDecimals(today.current.by_station.map((s: { revenue: string }) => s.revenue), 2)).toBe(today.current.revenue);
    expect(addDecimals(today.current.by_station.map((s: { litres: string }) => s.litres), 3)).toBe(today.current.litres);
    expect(await text(page, 'total-by-station-revenue')).toBe(formatCedis(today.current.revenue));
    expect(await text(page, 'total-by-station-litres')).toBe(formatLitres(today.current.litres, 3));

    // The window so far, by station.
    await page.getByRole('tab', { name: /Window so far/ }).click();
    expect(addDecimals(window.current.by_station.map((s: { revenue: string }) => s.revenue), 2)).toBe(window.current.revenue);
    expect(await text(page, 'total-by-station-revenue')).toBe(formatCedis(window.current.revenue));
    expect(await text(page, 'total-by-station-litres')).toBe(formatLitres(window.current.litres, 3));

    // Every station with coordinates is a named link on the map; the others are listed beside it.
    const map = page.getByRole('group', { name: 'Map of Ghana with the stations by status' });
    const withCoordinates = overview.stations.filter((s: { latitude: string | null }) => s.latitude !== null);
    expect(await map.getByRole('link').count()).toBe(withCoordinates.length);
    if (withCoordinates.length > 0) {
      const first = withCoordinates[0];
      const dot = map.getByRole('link', { name: new RegExp(`^${first.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(${first.code}\\)`) });
      await dot.focus();
      await expect(page.getByRole('tooltip').textContent()).resolves.toContain(first.name);
    }
    expect(await text(page, 'alerts-open')).toContain(`${overview.alerts.open} open alert`);
    await page.getByRole('tab', { name: /^Day/ }).click();
    await shot(page, 'overview');
    await page.context().close();
  });

  it('fits a tablet (1024×768)', async () => {
    const page = await signIn(browser, 'admin', { width: 1024, height: 768 });
    await page.getByTestId('kpi-today-revenue-value').waitFor();
    // Nothing wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, 'overview-tablet');
    await page.context().close();
  });
});

describe('stations', () => {
  it('lists the stations and opens a station page with its tanks as meters', async () => {
    const page = await signIn(browser, 'admin');
    const api = await apiAs('admin');
    const stations = (await api.get('/api/v1/stations?limit=500')).body.data as Array<{ id: string; name: string; code: string }>;
    await page.goto(`${env().baseUrl}/stations`);
    const table = page.getByRole('table', { name: 'Stations' });
    await table.getByRole('link').first().waitFor();
    await table.locator('.status-badge').first().waitFor();
    const shownRows = Math.min(stations.length, 25);
    expect(await table.locator('tbody tr').count()).toBe(shownRows);
    await shot(page, 'stations');

    const station = stations[0];
    await table.getByRole('link', { name: station.name, exact: true }).click();
    await page.getByRole('heading', { name: station.name, level: 1 }).waitFor();
    const summary = (await api.get(`/api/v1/stations/${station.id}/summary`)).body.data;
    const meters = page.getByRole('meter');
    await meters.first().waitFor();
    expect(await meters.count()).toBe(summary.tanks.length);
    for (const tank of summary.tanks) {
      const meter = page.getByRole('meter', { name: `Tank ${tank.code} (${tank.product_code}) level` });
      expect(await meter.getAttribute('aria-valuenow')).toBe(String(Number(tank.fill_percent)));
      expect(await meter.getAttribute('aria-valuetext')).toBe(`${tank.fill_percent}% full, ${formatLitres(tank.book_stock)} of ${formatLitres(tank.capacity)}`);
    }
    if (summary.recent_sales.length > 0) {
      const sales = page.getByRole('table', { name: 'Recent sales' });
      await expect(sales.textContent()).resolves.toContain(formatCedis(summary.recent_sales[0].amount));
    }
    await page.getByRole('heading', { name: 'Variance, last 30 days' }).waitFor();
    await shot(page, 'station');
    await page.context().close();
  });

  it("a station manager sees only their station, and the overview link to it", async () => {
    const page = await signIn(browser, 'manager');
    const api = await apiAs('manager');
    const profile = (await api.get('/api/v1/auth/profile')).body.data;
    const visible = (await api.get('/api/v1/stations?limit=500')).body.data as Array<{ id: string }>;
    const overview = (await api.get('/api/v1/dashboard/overview')).body.data;
    expect(profile.scope_kind).not.toBe('tenant');
    expect(overview.stations.map((s: { id: string }) => s.id).sort()).toEqual(visible.map((s) => s.id).sort());
    await page.getByTestId('kpi-today-revenue-value').waitFor();
    expect(await text(page, 'kpi-today-revenue-value')).toBe(formatCedis(overview.periods.today.current.revenue));
    await page.goto(`${env().baseUrl}/stations`);
    const table = page.getByRole('table', { name: 'Stations' });
    await table.getByRole('link').first().waitFor();
    expect(await table.locator('tbody tr').count()).toBe(visible.length);
    await page.context().close();
  });
});
