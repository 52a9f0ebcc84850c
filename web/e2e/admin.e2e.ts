// Administration and the account page against the real API: an administrator creates a station
// user, who signs in with the initial password, must choose their own, sees only their station,
// enrols an authenticator app (codes computed here, RFC 6238) and signs in with it; API keys are
// created and revoked, a webhook endpoint added, and the audit log shows all of it.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiAs, env, launch, shot, signIn } from './support';

// RFC 4648 Base32 (no padding) to bytes.
function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.replace(/[\s=]/g, '').toUpperCase()) {
    const idx = alphabet.indexOf(ch);
    if (idx < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// RFC 6238: HMAC-SHA1 over the 30 s step counter, dynamic truncation, 6 digits.
function totp(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return code.toString().padStart(6, '0');
}
const currentStep = () => Math.floor(Date.now() / 1000 / 30);

let browser: Browser;
let admin: Page;
const stamp = Date.now().toString(36);
const newUser = { username: `kofi.e2e.${stamp}`, email: `kofi.e2e.${stamp}@example.com`, name: 'Kofi Mensah (e2e)' };
let initialPassword = '';
const newPassword = 'forecourt lanterns at dawn';
let station = { id: '', name: '', code: '' };
let otherStations: string[] = [];
let totpSecret = '';
let lastStep = 0;

beforeAll(async () => {
  browser = await launch();
  admin = await signIn(browser, 'admin');
  const api = await apiAs('admin');
  const stations = (await api.get('/api/v1/stations')).body.data as Array<{ id: string; name: string; code: string }>;
  station = stations[0];
  otherStations = stations.slice(1).map((s) => s.name);
});
afterAll(async () => {
  await browser?.close();
});

async function goAdmin(page: Page, tab: string) {
  await page.goto(`${env().baseUrl}/admin/${tab}`);
}

describe('administration and account', () => {
  it('lists users and creates a station user whose initial password is shown once', async () => {
    await goAdmin(admin, 'users');
    await admin.getByRole('table', { name: 'Users' }).waitFor();
    await admin.getByRole('searchbox', { name: 'Filter Users' }).fill('demo-');
    await admin.getByText('demo-manager', { exact: true }).waitFor();
    await shot(admin, 'admin-users');
    await admin.getByRole('searchbox', { name: 'Filter Users' }).fill('');

    await admin.getByRole('button', { name: 'New user' }).click();
    const dialog = admin.getByRole('dialog', { name: 'New user' });
    // Submitting empty says what is missing next to each field.
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.getByText('Enter a username.').waitFor();
    await dialog.getByLabel('Username').fill(newUser.username);
    await dialog.getByLabel('Display name').fill(newUser.name);
    await dialog.getByLabel('Email').fill(newUser.email);
    await dialog.getByLabel('Role').selectOption('Operator');
    await dialog.getByRole('group', { name: /Stations/ }).waitFor();
    await dialog.getByLabel(`${station.name} (${station.code})`).check();
    await shot(admin, 'admin-user-new');
    await dialog.getByRole('button', { name: 'Create user' }).click();

    const created = admin.getByRole('dialog', { name: 'User created' });
    await created.waitFor();
    initialPassword = await created.getByLabel('Initial password').inputValue();
    expect(initialPassword.length).toBeGreaterThanOrEqual(12);
    await expect(created.getByText('Shown only once.').count()).resolves.toBe(1);
    await shot(admin, 'admin-user-created');
    await created.getByRole('button', { name: 'Done' }).click();

    // The table shows the new user with their station and the pending password change.
    await admin.getByRole('searchbox', { name: 'Filter Users' }).fill(newUser.username);
    const row = admin.getByRole('row').filter({ hasText: newUser.username });
    await row.getByText('Must change password').waitFor();
    await expect(row.textContent()).resolves.toContain(station.name);

    const api = await apiAs('admin');
    const users = (await api.get('/api/v1/users?limit=500')).body.data as Array<{ username: string; scope_ids: string[]; role: string }>;
    const made = users.find((u) => u.username === newUser.username);
    expect(made?.role).toBe('Operator');
    expect(made?.scope_ids).toEqual([station.id]);
  });

  it('the new user must change the password first, then sees only their station', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, timezoneId: 'Africa/Accra', locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${env().baseUrl}/login`);
    await page.getByLabel('Username or email').fill(newUser.username);
    await page.getByLabel('Password').fill(initialPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // A restricted session lands on the account page, which says why.
    await page.getByRole('heading', { name: 'Choose a new password to continue' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account');
    await page.goto(`${env().baseUrl}/stations`);
    await page.getByRole('heading', { name: 'Choose a new password to continue' }).waitFor();
    await shot(page, 'account-restricted-password');

    await page.getByLabel('Temporary password').fill(initialPassword);
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('New password again').fill('short');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('At least 12 characters.').waitFor();

    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('New password again').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed.').waitFor();
    // The restriction lifts once the new session's profile is read.
    await page.getByRole('heading', { name: 'Choose a new password to continue' }).waitFor({ state: 'detached' });
    // The profile names the one station of the user's scope.
    await page.getByText(`${station.name} (${station.code})`).waitFor();
    await shot(page, 'account');

    // The console is open now, and its stations are the user's one station.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Stations' }).click();
    await page.waitForURL(/\/stations/);
    await page.getByRole('heading', { name: 'Stations' }).first().waitFor();
    const visible = await page.evaluate(async () => {
      const tokens = JSON.parse(sessionStorage.getItem('omc.session') ?? '{}');
      const res = await fetch('/api/v1/stations', { headers: { Authorization: `Bearer ${tokens.access_token}` } });
      return ((await res.json()).data as Array<{ id: string }>).map((s) => s.id);
    });
    expect(visible).toEqual([station.id]);
    const text = (await page.textContent('main')) ?? '';
    for (const other of otherStations) expect(text).not.toContain(other);
    await shot(page, 'stations-as-new-operator');
    await context.close();
  });

  it('enrols an authenticator app and signs in with the second factor', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Africa/Accra', locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${env().baseUrl}/login`);
    await page.getByLabel('Username or email').fill(newUser.username);
    await page.getByLabel('Password').fill(newPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    await page.goto(`${env().baseUrl}/account`);

    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await page.getByLabel('Your password').fill(newPassword);
    await page.getByRole('button', { name: 'Continue' }).click();
    const qr = page.getByRole('img', { name: 'QR code to add OMC ERP to an authenticator app' });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,/);
    // The image decoded: the SVG is valid and shown as an image, not as markup in the page.
    await expect(qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).resolves.toBe(true);
    totpSecret = (await page.getByTestId('totp-secret').getAttribute('data-secret')) ?? '';
    expect(totpSecret).toMatch(/^[A-Z2-7]+$/);
    await shot(page, 'account-mfa-setup');

    await page.getByLabel('6-digit code').fill('000000' === totp(totpSecret, currentStep()) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('alert').filter({ hasText: /code|valid/i }).first().waitFor();

    lastStep = currentStep();
    await page.getByLabel('6-digit code').fill(totp(totpSecret, lastStep));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByRole('list', { name: 'Recovery codes' });
    await codes.waitFor();
    await expect(codes.getByRole('listitem').count()).resolves.toBe(10);
    await shot(page, 'account-recovery-codes');
    await page.getByRole('button', { name: 'I have stored them' }).click();
    await page.getByRole('button', { name: 'New recovery codes' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();

    // Sign in again through the login page: password, then the code (the next step: a step can
    // be used only once, and the server accepts one step either side of now).
    await page.getByLabel('Username or email').fill(newUser.username);
    await page.getByLabel('Password').fill(newPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Authenticator code').waitFor();
    await shot(page, 'login-second-factor');
    lastStep = Math.max(lastStep + 1, currentStep());
    await page.getByLabel('Authenticator code').fill(totp(totpSecret, lastStep));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    await page.goto(`${env().baseUrl}/account`);
    await page.getByText('Authenticator app', { exact: true }).waitFor();
    await context.close();
  });

  it('shows the roles and their permissions (or says the server lacks the catalogue)', async () => {
    await goAdmin(admin, 'users');
    await admin.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Roles and scopes' }).click();
    await admin.waitForURL(/\/admin\/roles$/);
    const outcome = await Promise.race([
      admin.getByRole('table', { name: 'Which role has which permission' }).waitFor().then(() => 'matrix'),
      admin.getByText('The role catalogue is not available from this server.').waitFor().then(() => 'missing'),
    ]);
    if (outcome === 'matrix') {
      await admin.getByRole('columnheader', { name: 'CompanyAdmin' }).waitFor();
      await expect(admin.getByLabel('Operator has sales.write').count()).resolves.toBe(1);
      await expect(admin.getByLabel('Operator has ledger.read').count()).resolves.toBe(0);
    }
    await shot(admin, 'admin-roles');
  });

  it('shows and keeps the MFA policy', async () => {
    await goAdmin(admin, 'mfa');
    await admin.getByRole('group', { name: 'Roles that must sign in with a second factor' }).waitFor();
    await admin.getByLabel('Auditor').check();
    await admin.getByRole('button', { name: 'Save policy' }).click();
    await admin.getByRole('dialog', { name: 'Change the MFA policy?' }).getByRole('button', { name: 'Save policy' }).click();
    await admin.getByText('MFA policy saved.').waitFor();
    const api = await apiAs('admin');
    expect((await api.get('/api/v1/security/mfa-policy')).body.data.required_roles).toEqual(['Auditor']);
    await shot(admin, 'admin-mfa-policy');
    // Put it back: the auditor signs in elsewhere in the suite.
    await admin.getByLabel('Auditor').uncheck();
    await admin.getByRole('button', { name: 'Save policy' }).click();
    await admin.getByRole('dialog', { name: 'Change the MFA policy?' }).getByRole('button', { name: 'Save policy' }).click();
    await admin.getByText('MFA policy saved.').waitFor();
    expect((await api.get('/api/v1/security/mfa-policy')).body.data.required_roles).toEqual([]);
  });

  it('creates an API key (shown once) and revokes it after a confirmation', async () => {
    await goAdmin(admin, 'api-keys');
    await admin.getByRole('button', { name: 'New API key' }).click();
    const dialog = admin.getByRole('dialog', { name: 'New API key' });
    await dialog.getByLabel('Name').fill('Tank gauge e2e');
    await dialog.getByLabel('Role').selectOption('Operator');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await dialog.getByText('Choose the station the key works at.').waitFor();
    await dialog.getByLabel('Station').selectOption(station.id);
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const created = admin.getByRole('dialog', { name: 'API key created' });
    const key = await created.getByLabel('API key').inputValue();
    expect(key).toMatch(/^omck_[0-9a-f]{32}_/);
    await shot(admin, 'admin-api-key-created');
    await created.getByRole('button', { name: 'Done' }).click();

    // The key works until it is revoked.
    const asKey = () => fetch(`${env().baseUrl}/api/v1/stations`, { headers: { Authorization: `Bearer ${key}` } });
    expect((await asKey()).status).toBe(200);
    const row = admin.getByRole('row').filter({ hasText: 'Tank gauge e2e' });
    await row.getByText('Active').waitFor();
    await shot(admin, 'admin-api-keys');
    await row.getByRole('button', { name: /Revoke/ }).click();
    const confirm = admin.getByRole('dialog', { name: 'Revoke “Tank gauge e2e”?' });
    await confirm.getByRole('button', { name: 'Revoke key' }).click();
    await admin.getByText('Revoked “Tank gauge e2e”.').waitFor();
    await row.getByText(/Revoked/).waitFor();
    expect((await asKey()).status).toBe(401);
  });

  it('adds a webhook endpoint, sends a test event and shows its deliveries', async () => {
    await goAdmin(admin, 'webhooks');
    await admin.getByText('No webhook endpoints yet.').waitFor();
    await admin.getByRole('button', { name: 'Add endpoint' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Add a webhook endpoint' });
    await dialog.getByLabel('URL').fill('http://127.0.0.1:9/omc-hook');
    await dialog.getByLabel('Description (optional)').fill('ERP bridge (e2e)');
    await dialog.getByLabel('forecourt.sale_recorded').check();
    await dialog.getByLabel('forecourt.delivery_recorded').check();
    await shot(admin, 'admin-webhook-new');
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();
    const created = admin.getByRole('dialog', { name: 'Endpoint added' });
    expect(await created.getByLabel('Signing secret').inputValue()).toMatch(/^whsec_/);
    await created.getByRole('link', { name: 'Open the endpoint' }).click();
    await admin.getByRole('heading', { name: 'Deliveries' }).waitFor();
    await admin.getByRole('button', { name: 'Send test event' }).click();
    await admin.getByText(/webhooks\.test event is queued/).waitFor();
    await admin.getByRole('table', { name: 'Deliveries' }).getByText('webhooks.test').waitFor();
    await admin.getByRole('button', { name: 'Show attempts' }).first().click();
    await admin.getByRole('region', { name: 'Attempts of the delivery' }).waitFor();
    await shot(admin, 'admin-webhook-endpoint');

    await admin.getByRole('button', { name: 'Rotate secret' }).click();
    await admin.getByRole('dialog', { name: 'Rotate the signing secret?' }).getByRole('button', { name: 'Rotate secret' }).click();
    expect(await admin.getByRole('dialog', { name: 'New signing secret' }).getByLabel('Signing secret').inputValue()).toMatch(/^whsec_/);
    await admin.getByRole('dialog', { name: 'New signing secret' }).getByRole('button', { name: 'Done' }).click();

    await goAdmin(admin, 'webhooks');
    await admin.getByRole('table', { name: 'Webhook endpoints' }).getByRole('link', { name: 'http://127.0.0.1:9/omc-hook', exact: true }).waitFor();
    await shot(admin, 'admin-webhooks');
  });

  it('the audit log shows those actions, filtered on the server', async () => {
    await goAdmin(admin, 'audit');
    await admin.getByRole('table', { name: 'Audit records' }).waitFor();
    await shot(admin, 'admin-audit');
    for (const action of ['users.create', 'api_keys.create', 'api_keys.revoke', 'webhooks.endpoints.create', 'auth.password_changed']) {
      await admin.getByLabel('Action').fill(action);
      await admin.getByRole('button', { name: 'Apply filters' }).click();
      await admin.getByRole('table', { name: 'Audit records' }).getByText(action, { exact: true }).first().waitFor();
      const actions = await admin.getByRole('table', { name: 'Audit records' }).locator('tbody tr td:nth-child(3)').allTextContents();
      expect(actions.length).toBeGreaterThan(0);
      expect(new Set(actions)).toEqual(new Set([action]));
    }
    // users.create of our user: its summary is readable JSON.
    await admin.getByLabel('Action').fill('users.create');
    await admin.getByRole('button', { name: 'Apply filters' }).click();
    const row = admin.getByRole('row').filter({ hasText: newUser.username }).first();
    await row.waitFor();
    await row.locator('summary').click();
    await expect(row.locator('pre').textContent()).resolves.toContain(newUser.username);
    await shot(admin, 'admin-audit-filtered');
  });

  it('an Auditor reads administration but is offered no changes', async () => {
    const page = await signIn(browser, 'auditor', { width: 1024, height: 768 });
    await page.goto(`${env().baseUrl}/admin/users`);
    await page.getByRole('table', { name: 'Users' }).waitFor();
    await expect(page.getByRole('button', { name: 'New user' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /^Edit/ }).count()).resolves.toBe(0);
    await page.goto(`${env().baseUrl}/admin/api-keys`);
    await page.getByRole('table', { name: 'API keys' }).getByText(station.name, { exact: true }).waitFor();
    await expect(page.getByRole('button', { name: 'New API key' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /Revoke/ }).count()).resolves.toBe(0);
    await shot(page, 'admin-users-auditor-tablet');
    await page.context().close();
  });
});
