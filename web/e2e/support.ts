// What every end-to-end test uses: the browser (Debian's chromium through playwright-core), signing
// in as a demo user through the login page, the API as that user, and screenshots kept as
// test artifacts (web/test-artifacts/screenshots/).
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';
import type { DemoUser } from './global-setup';

export const env = () => inject('omc');

// Flags for a sandboxed, offline machine: no first-run, no background networking (a closed network
// refuses those connections), no GPU.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

export function user(role: string): DemoUser {
  const u = env().users[role];
  if (!u) throw new Error(`no demo user for role ${role}`);
  return u;
}

// A new page (own cookies and storage) signed in as `role` through the login form; on the overview
// (or the first page the role may open) when it returns. Tablet-sized by default.
export async function signIn(browser: Browser, role: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport, acceptDownloads: true, timezoneId: 'Africa/Accra', locale: 'en-GB' });
  const page = await context.newPage();
  const u = user(role);
  await page.goto(`${env().baseUrl}/login`);
  await page.getByLabel('Username or email').fill(u.login);
  await page.getByLabel('Password').fill(u.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
  return page;
}

// Saves a screenshot of the page as a test artifact, and checks the page against WCAG 2.1 A and AA
// with axe-core (labels, names, contrast, ARIA): a serious or critical violation fails the test;
// every finding is written to test-artifacts/a11y/<name>.json.
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(env().artifactsDir, 'screenshots', `${name}.png`), fullPage: true });
  await checkAccessibility(page, name);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

export async function checkAccessibility(page: Page, name: string): Promise<void> {
  // Evaluated through the DevTools protocol, not as a <script>: the console's Content-Security-Policy
  // rightly refuses inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations;
  })) as AxeViolation[];
  const dir = path.join(env().artifactsDir, 'a11y');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(violations, null, 2));
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (blocking.length > 0) {
    const text = blocking
      .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`)
      .join('\n');
    throw new Error(`accessibility violations on ${name}:\n${text}`);
  }
}

// The API as a demo user, for checking what the pages show against what the API answers.
export async function apiAs(role: string) {
  const u = user(role);
  const base = env().baseUrl;
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: u.login, password: u.password }),
  });
  if (!res.ok) throw new Error(`login as ${role}: ${res.status} ${await res.text()}`);
  const token = (await res.json()).data.access_token as string;
  const call = async (method: string, p: string, body?: unknown) => {
    const r = await fetch(`${base}${p}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };
  return {
    token,
    get: (p: string) => call('GET', p),
    post: (p: string, body?: unknown) => call('POST', p, body ?? {}),
  };
}
