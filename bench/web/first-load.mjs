// Cold first loads of the console in chromium: see run.sh. Arguments: base URL, login, password, runs.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../web/package.json'));
const { chromium } = require('playwright-core');
const [base, login, password, runsText] = process.argv.slice(2);
const runs = Number(runsText ?? 15);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});

const tokens = await (await fetch(`${base}/api/v1/auth/login`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ login, password }),
})).json();
if (!tokens.success) throw new Error(`sign-in failed: ${JSON.stringify(tokens)}`);

async function timed(prepare, url, ready) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (prepare) await context.addInitScript(prepare.script, prepare.arg);
  const page = await context.newPage();
  const start = performance.now();
  await page.goto(url, { waitUntil: 'commit' });
  await ready(page);
  const ms = performance.now() - start;
  await context.close();
  return ms;
}

// The server's first overview after start (caches, the alert sweep `omc serve` runs at start) is
// not what a user opening the console sees: ask for it once before measuring.
await fetch(`${base}/api/v1/dashboard/overview`, { headers: { Authorization: `Bearer ${tokens.data.access_token}` } });

const withSession = {
  script: (data) => sessionStorage.setItem('omc.session', data),
  arg: JSON.stringify(tokens.data),
};
const cases = {
  baseline: () => timed(null, `${base}/health/live`, (p) => p.waitForLoadState('load')),
  login: () => timed(null, `${base}/login`, (p) => p.getByRole('button', { name: 'Sign in' }).waitFor()),
  overview: () => timed(withSession, `${base}/`, (p) => p.locator('[data-testid="overview-ready"]').waitFor({ state: 'attached', timeout: 60_000 })),
};

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] };
};
const results = {};
for (const name of Object.keys(cases)) await cases[name](); // warm the server's caches once
for (let i = 0; i < runs; i++) {
  for (const [name, run] of Object.entries(cases)) (results[name] ??= []).push(await run());
}
const base0 = stats(results.baseline).median;
for (const [name, xs] of Object.entries(results)) {
  const { median, p95 } = stats(xs);
  console.log(`${name.padEnd(9)} median ${median.toFixed(0).padStart(5)} ms  p95 ${p95.toFixed(0).padStart(5)} ms  ratio to baseline ${(median / base0).toFixed(2)}`);
}
await browser.close();
