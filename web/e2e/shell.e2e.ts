// The console shell: sign-in, the sections a role sees, and the refusal of a section it may not open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { env, launch, shot, signIn } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('console shell', () => {
  it('serves the console with its cache headers', async () => {
    const index = await fetch(`${env().baseUrl}/stations/some-client-route`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(index.headers.get('cache-control')).toContain('no-cache');
    const html = await index.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeTruthy();
    const js = await fetch(`${env().baseUrl}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');
  });

  it('refuses a wrong password on the login page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${env().baseUrl}/login`);
    await page.getByLabel('Username or email').fill('demo-admin');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Wrong login or password');
    await shot(page, 'login-refused');
    await context.close();
  });

  it('an Operator never sees finance', async () => {
    const page = await signIn(browser, 'operator');
    const nav = page.getByRole('navigation', { name: 'Sections' });
    await expect(nav.getByRole('link', { name: 'Overview' }).count()).resolves.toBe(1);
    await expect(nav.getByRole('link', { name: 'Finance' }).count()).resolves.toBe(0);
    await expect(nav.getByRole('link', { name: 'Administration' }).count()).resolves.toBe(0);
    await page.goto(`${env().baseUrl}/finance`);
    await page.getByRole('heading', { name: 'Not available for your role' }).waitFor();
    await shot(page, 'operator-finance-refused');
    await page.context().close();
  });

  it('signs out', async () => {
    const page = await signIn(browser, 'admin');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.goto(`${env().baseUrl}/finance`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.context().close();
  });
});
