import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { session } from '../../api/client';
import { UsersPage } from './UsersPage';
import { RolesPage, permissionRows } from './RolesPage';
import { ApiKeysPage, keyState } from './ApiKeysPage';
import { AuditPage, auditQuery, NO_FILTERS, summaryHeadline } from './AuditPage';
import { WebhooksPage } from './WebhooksPage';
import { MfaPolicyPage } from './MfaPolicyPage';
import { AdminSection } from './AdminSection';
import { fail, ok, renderAt } from '../../test/kit';
import { makeProfile, mockAs } from './fixtures';

// These tests type whole forms; the shared machine is slow, so allow them time.
vi.setConfig({ testTimeout: 20_000 });

afterEach(() => {
  vi.restoreAllMocks();
  session.clear();
});

const kofi = {
  id: 'u-kofi',
  username: 'kofi',
  email: 'kofi@omc.example',
  display_name: 'Kofi Boateng',
  role: 'StationManager',
  scope_kind: 'station',
  scope_ids: ['st-kum'],
  active: true,
  must_change_password: false,
  mfa_enabled: true,
  created_at: '2026-11-01T08:00:00Z',
  updated_at: '2026-11-01T08:00:00Z',
  last_login_at: null,
};

describe('Users', () => {
  it('lists users with their scope named, and creates a station user whose initial password is shown once', async () => {
    const created = { ...kofi, id: 'u-new', username: 'esi', email: 'esi@omc.example', display_name: 'Esi Owusu', role: 'Operator', scope_ids: ['st-osu'], must_change_password: true, mfa_enabled: false, initial_password: 'Temp-Pass-1234567' };
    let users = [kofi];
    const sent = mockAs(makeProfile(), (req) => {
      if (req.url.startsWith('/api/v1/users') && req.method === 'GET') return ok(users);
      if (req.url === '/api/v1/users' && req.method === 'POST') {
        users = [...users, created];
        return ok(created, 201);
      }
    });
    renderAt('/', <UsersPage />);
    const row = (await screen.findByText('Kofi Boateng')).closest('tr')!;
    expect(within(row).getByText('Kumasi Adum (KUM-01)')).toBeInTheDocument();
    expect(within(row).getByText('MFA on')).toBeInTheDocument();

    await userEvent.click(await screen.findByRole('button', { name: 'New user' }));
    const dialog = screen.getByRole('dialog', { name: 'New user' });
    // Empty: each missing field says so, and nothing is sent.
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create user' }));
    expect(within(dialog).getByText('Enter a username.')).toBeInTheDocument();
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(0);

    await userEvent.type(within(dialog).getByLabelText('Username'), 'esi');
    await userEvent.type(within(dialog).getByLabelText('Display name'), 'Esi Owusu');
    await userEvent.type(within(dialog).getByLabelText('Email'), 'esi@omc.example');
    await userEvent.selectOptions(within(dialog).getByLabelText('Role'), 'Operator');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create user' }));
    expect(within(dialog).getByText('Choose at least one station.')).toBeInTheDocument();
    await userEvent.click(within(dialog).getByLabelText('Accra Osu (ACC-01)'));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create user' }));

    const done = await screen.findByRole('dialog', { name: 'User created' });
    expect(within(done).getByLabelText('Initial password')).toHaveValue('Temp-Pass-1234567');
    expect(within(done).getByText('Shown only once.')).toBeInTheDocument();
    const post = sent.find((r) => r.method === 'POST' && r.url === '/api/v1/users')!;
    expect(post.body).toEqual({ username: 'esi', email: 'esi@omc.example', display_name: 'Esi Owusu', role: 'Operator', scope_ids: ['st-osu'] });
  });

  it("shows the API's refusal next to the field it names", async () => {
    mockAs(makeProfile(), (req) => {
      if (req.url.startsWith('/api/v1/users') && req.method === 'GET') return ok([kofi]);
      if (req.method === 'POST') return fail(409, 'already taken', [{ field: 'username', message: 'is already taken' }], 'conflict');
    });
    renderAt('/', <UsersPage />);
    await userEvent.click(await screen.findByRole('button', { name: 'New user' }));
    const dialog = screen.getByRole('dialog', { name: 'New user' });
    await userEvent.type(within(dialog).getByLabelText('Username'), 'kofi');
    await userEvent.type(within(dialog).getByLabelText('Display name'), 'Kofi Two');
    await userEvent.type(within(dialog).getByLabelText('Email'), 'k2@omc.example');
    await userEvent.selectOptions(within(dialog).getByLabelText('Role'), 'Auditor');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create user' }));
    const field = await within(dialog).findByText('is already taken');
    expect(within(dialog).getByLabelText('Username')).toHaveAttribute('aria-describedby', expect.stringContaining(field.id));
  });

  it('changes a role and scope with only the changed fields, and deactivates after a confirmation', async () => {
    const sent = mockAs(makeProfile(), (req) => {
      if (req.url.startsWith('/api/v1/users') && req.method === 'GET') return ok([kofi]);
      if (req.method === 'PATCH') return ok({ ...kofi, ...req.body });
    });
    renderAt('/', <UsersPage />);
    await userEvent.click(await screen.findByRole('button', { name: 'Edit kofi' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit kofi' });
    await userEvent.selectOptions(within(dialog).getByLabelText('Role'), 'RegionalManager');
    await userEvent.click(within(dialog).getByLabelText('Greater Accra (GAR)'));
    expect(within(dialog).getByText(/signs Kofi Boateng out everywhere/)).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    await screen.findByText('Saved Kofi Boateng (kofi).');
    expect(sent.find((r) => r.method === 'PATCH')!.body).toEqual({ role: 'RegionalManager', scope_ids: ['r-gar'] });

    await userEvent.click(screen.getByRole('button', { name: 'Deactivate kofi' }));
    const confirm = screen.getByRole('dialog', { name: 'Deactivate kofi?' });
    await userEvent.click(within(confirm).getByRole('button', { name: 'Deactivate' }));
    await waitFor(() => expect(sent.filter((r) => r.method === 'PATCH').at(-1)!.body).toEqual({ active: false }));
  });

  it('resets a password (and the second factor when asked) and shows the temporary password once', async () => {
    const sent = mockAs(makeProfile(), (req) => {
      if (req.url.startsWith('/api/v1/users') && req.method === 'GET') return ok([kofi]);
      if (req.url === '/api/v1/users/u-kofi/reset-password') return ok({ ...kofi, must_change_password: true, temporary_password: 'Fresh-Temp-987654' });
    });
    renderAt('/', <UsersPage />);
    await userEvent.click(await screen.findByRole('button', { name: 'Reset password of kofi' }));
    const confirm = screen.getByRole('dialog', { name: 'Reset the password of kofi?' });
    await userEvent.click(within(confirm).getByLabelText(/Also remove their second factor/));
    await userEvent.click(within(confirm).getByRole('button', { name: 'Reset password' }));
    const done = await screen.findByRole('dialog', { name: 'Password reset' });
    expect(within(done).getByLabelText('Temporary password')).toHaveValue('Fresh-Temp-987654');
    expect(sent.find((r) => r.url.endsWith('/reset-password'))!.body).toEqual({ reset_mfa: true });
  });

  it('offers an Auditor no changes', async () => {
    mockAs(makeProfile({ role: 'Auditor', permissions: ['users.read', 'org.read', 'forecourt.read'] }), (req) => {
      if (req.url.startsWith('/api/v1/users')) return ok([kofi]);
    });
    renderAt('/', <UsersPage />);
    await screen.findByText('Kofi Boateng');
    expect(screen.queryByRole('button', { name: 'New user' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Edit/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Reset password/ })).toBeNull();
  });
});

describe('Roles and scopes', () => {
  it('says clearly when the server has no role catalogue (404)', async () => {
    mockAs(makeProfile());
    renderAt('/', <RolesPage />);
    expect(await screen.findByText('The role catalogue is not available from this server.')).toBeInTheDocument();
  });

  it('draws the permission matrix from GET /api/v1/roles', async () => {
    mockAs(makeProfile(), (req) => {
      if (req.url === '/api/v1/roles')
        return ok([
          { role: 'CompanyAdmin', description: 'Runs the company', permissions: ['users.read', 'ledger.read'], scopes: ['tenant'] },
          { role: 'Operator', description: 'Forecourt staff', permissions: ['sales.write'], scopes: ['station'] },
        ]);
    });
    renderAt('/', <RolesPage />);
    const matrix = await screen.findByRole('table', { name: 'Which role has which permission' });
    expect(within(matrix).getByLabelText('Operator has sales.write')).toBeInTheDocument();
    expect(within(matrix).queryByLabelText('Operator has ledger.read')).toBeNull();
    expect(within(matrix).getByText('Operator does not have ledger.read')).toBeInTheDocument();
    expect(screen.getByText('chosen stations')).toBeInTheDocument();
    expect(permissionRows([{ role: 'A', permissions: ['x', 'y'] }, { role: 'B', permissions: ['y', 'z'] }])).toEqual(['x', 'y', 'z']);
  });
});

describe('MFA policy', () => {
  it('saves the roles that must use a second factor after a confirmation', async () => {
    const sent = mockAs(makeProfile(), (req) => {
      if (req.url === '/api/v1/security/mfa-policy' && req.method === 'GET') return ok({ required_roles: ['CompanyAdmin'] });
      if (req.method === 'PUT') return ok({ required_roles: [...req.body.required_roles].sort() });
    });
    renderAt('/', <MfaPolicyPage />);
    expect(await screen.findByLabelText('CompanyAdmin')).toBeChecked();
    await userEvent.click(screen.getByLabelText('Operator'));
    await userEvent.click(screen.getByRole('button', { name: 'Save policy' }));
    const confirm = screen.getByRole('dialog', { name: 'Change the MFA policy?' });
    expect(within(confirm).getByText(/Operator\. Their users/)).toBeInTheDocument();
    await userEvent.click(within(confirm).getByRole('button', { name: 'Save policy' }));
    await screen.findByText('MFA policy saved.');
    expect(sent.find((r) => r.method === 'PUT')!.body).toEqual({ required_roles: ['CompanyAdmin', 'Operator'] });
  });
});

describe('API keys', () => {
  const key = { id: 'k1', name: 'Tank gauge Osu', role: 'Operator', station_id: 'st-osu', created_by: null, created_at: '2026-11-20T10:00:00Z', expires_at: null, revoked_at: null, last_used_at: null };

  it('creates a key, shows it once, and revokes one after a confirmation', async () => {
    const sent = mockAs(makeProfile(), (req) => {
      if (req.url.startsWith('/api/v1/api-keys') && req.method === 'GET') return ok([key]);
      if (req.url === '/api/v1/api-keys' && req.method === 'POST') return ok({ ...key, id: 'k2', name: 'Tablet', key: 'omck_0123_secret' }, 201);
      if (req.method === 'DELETE') return ok({ ...key, revoked_at: '2026-11-22T09:00:00Z' });
    });
    renderAt('/', <ApiKeysPage />);
    const row = (await screen.findAllByText('Tank gauge Osu'))[0].closest('tr')!;
    expect(within(row).getByText('Accra Osu')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'New API key' }));
    const dialog = screen.getByRole('dialog', { name: 'New API key' });
    await userEvent.type(within(dialog).getByLabelText('Name'), 'Tablet');
    await userEvent.selectOptions(within(dialog).getByLabelText('Role'), 'StationManager');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create key' }));
    expect(within(dialog).getByText('Choose the station the key works at.')).toBeInTheDocument();
    await userEvent.selectOptions(within(dialog).getByLabelText('Station'), 'st-osu');
    await userEvent.type(within(dialog).getByLabelText('Expires after (days)'), '90');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create key' }));
    const created = await screen.findByRole('dialog', { name: 'API key created' });
    expect(within(created).getByLabelText('API key')).toHaveValue('omck_0123_secret');
    expect(sent.find((r) => r.method === 'POST')!.body).toEqual({ name: 'Tablet', role: 'StationManager', station_id: 'st-osu', expires_in_days: 90 });
    await userEvent.click(within(created).getByRole('button', { name: 'Done' }));

    await userEvent.click(screen.getByRole('button', { name: 'Revoke Tank gauge Osu' }));
    expect(sent.some((r) => r.method === 'DELETE')).toBe(false);
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Revoke “Tank gauge Osu”?' })).getByRole('button', { name: 'Revoke key' }));
    await screen.findByText('Revoked “Tank gauge Osu”.');
    expect(sent.find((r) => r.method === 'DELETE')!.url).toBe('/api/v1/api-keys/k1');
  });

  it('tells active, expired and revoked keys apart', () => {
    const now = Date.parse('2026-11-22T12:00:00Z');
    expect(keyState({ ...key, role: 'Operator' } as never, now)).toBe('active');
    expect(keyState({ ...key, expires_at: '2026-11-22T11:59:59Z' } as never, now)).toBe('expired');
    expect(keyState({ ...key, revoked_at: '2026-11-21T00:00:00Z' } as never, now)).toBe('revoked');
  });
});

describe('Webhooks', () => {
  it('adds an endpoint with the event types chosen as checkboxes and shows its secret once', async () => {
    const sent = mockAs(makeProfile(), (req) => {
      if (req.url.startsWith('/api/v1/webhooks/endpoints') && req.method === 'GET') return ok([]);
      if (req.url === '/api/v1/webhooks/event-types') return ok(['*', 'forecourt.sale_recorded', 'forecourt.dip_recorded', 'ledger.entry_posted']);
      if (req.method === 'POST')
        return ok({ id: 'e1', url: req.body.url, description: null, event_types: req.body.event_types, enabled: true, disabled_reason: null, created_at: '2026-11-22T08:00:00Z', updated_at: '2026-11-22T08:00:00Z', secret: 'whsec_abc' }, 201);
    });
    renderAt('/', <WebhooksPage />);
    expect(await screen.findByText('No webhook endpoints yet.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    const dialog = screen.getByRole('dialog', { name: 'Add a webhook endpoint' });
    const url = within(dialog).getByLabelText('URL');
    await userEvent.clear(url);
    await userEvent.type(url, 'https://erp.example.com/hooks');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add endpoint' }));
    expect(within(dialog).getByText('Choose at least one event type, or all events.')).toBeInTheDocument();
    await userEvent.click(await within(dialog).findByLabelText('forecourt.sale_recorded'));
    await userEvent.click(within(dialog).getByLabelText('ledger.entry_posted'));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add endpoint' }));
    const added = await screen.findByRole('dialog', { name: 'Endpoint added' });
    expect(within(added).getByLabelText('Signing secret')).toHaveValue('whsec_abc');
    const post = sent.find((r) => r.method === 'POST')!;
    expect(post.body).toEqual({ url: 'https://erp.example.com/hooks', event_types: ['forecourt.sale_recorded', 'ledger.entry_posted'] });
  });

  it('shows an endpoint with its deliveries and every attempt, and redelivers one', async () => {
    const endpoint = { id: 'e1', url: 'https://erp.example.com/hooks', description: 'ERP', event_types: ['*'], enabled: true, disabled_reason: null, secrets: [{ id: 's1', primary: true, created_at: '2026-11-20T08:00:00Z', expires_at: null }], created_at: '2026-11-20T08:00:00Z', updated_at: '2026-11-20T08:00:00Z' };
    const delivery = { id: 'd1', endpoint_id: 'e1', event_id: 'ev1', event_type: 'forecourt.sale_recorded', status: 'failed', attempts: 2, first_attempt_at: '2026-11-21T08:00:00Z', next_attempt_at: null, last_attempt_at: '2026-11-21T08:05:00Z', last_status_code: 500, last_error: 'HTTP 500', delivered_at: null, held_reason: null, created_at: '2026-11-21T08:00:00Z', updated_at: '2026-11-21T08:05:00Z' };
    const sent = mockAs(makeProfile(), (req) => {
      if (req.url === '/api/v1/webhooks/endpoints/e1') return ok(endpoint);
      if (req.url.startsWith('/api/v1/webhooks/endpoints/e1/deliveries')) return ok([delivery], 200, 'next-page');
      if (req.url === '/api/v1/webhooks/deliveries/d1')
        return ok({ ...delivery, attempt_log: [{ attempt: 1, attempted_at: '2026-11-21T08:00:00Z', status_code: 500, duration_ms: 120, error: 'HTTP 500', response_body: 'oops' }] });
      if (req.url === '/api/v1/webhooks/deliveries/d1/redeliver') return ok({ ...delivery, status: 'pending' }, 202);
      if (req.url === '/api/v1/webhooks/endpoints/e1/redeliver-failed') return ok({ endpoint_id: 'e1', since: req.body.since, requeued: 3 }, 202);
    });
    renderAt('/admin/webhooks/e1', <AdminSection />, '/admin/*');
    await screen.findByText('forecourt.sale_recorded');
    expect(within(screen.getByRole('table', { name: 'Deliveries' })).getByText('Failed (dead-lettered)')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next' })).toBeEnabled();
    await userEvent.click(screen.getByRole('button', { name: 'Show attempts' }));
    const attempts = await screen.findByRole('region', { name: 'Attempts of the delivery' });
    expect(await within(attempts).findByText('oops')).toBeInTheDocument();
    expect(within(attempts).getByText('120 ms')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Redeliver' }));
    await screen.findByText(/queued again/);
    expect(sent.some((r) => r.method === 'POST' && r.url === '/api/v1/webhooks/deliveries/d1/redeliver')).toBe(true);

    await userEvent.click(screen.getByRole('button', { name: 'Redeliver failed since…' }));
    const bulk = screen.getByRole('dialog', { name: 'Redeliver failed deliveries?' });
    await userEvent.clear(within(bulk).getByLabelText('Failed since (day)'));
    await userEvent.type(within(bulk).getByLabelText('Failed since (day)'), '2026-11-20');
    await userEvent.click(within(bulk).getByRole('button', { name: 'Redeliver' }));
    await screen.findByText('3 failed deliveries are queued again.');
    expect(sent.find((r) => r.url === '/api/v1/webhooks/endpoints/e1/redeliver-failed')!.body).toEqual({ since: '2026-11-20T00:00:00Z' });

    await userEvent.selectOptions(screen.getByLabelText('Status'), 'failed');
    await waitFor(() => expect(sent.some((r) => r.url.includes('/deliveries?status=failed'))).toBe(true));
  });
});

describe('Audit log', () => {
  it('turns the filters into the query GET /api/v1/audit takes (Ghana days, the last one included)', () => {
    expect(auditQuery({ ...NO_FILTERS, action: ' users.create ', from: '2026-11-01', to: '2026-11-30' })).toEqual({
      user: undefined,
      action: 'users.create',
      entity_type: undefined,
      entity_id: undefined,
      from: '2026-11-01T00:00:00Z',
      to: '2026-12-01T00:00:00Z',
    });
    expect(summaryHeadline({ a: 1, b: 2 })).toBe('a, b');
    expect(summaryHeadline({})).toBe('Details');
  });

  it('filters on the server, pages with the cursor, and shows each summary as JSON', async () => {
    const record = (seq: number, action: string) => ({ seq, id: `a${seq}`, tenant_id: 't1', at: '2026-11-22T08:00:00Z', at_us: seq, actor_type: 'user', actor_id: 'u-kofi', role: 'StationManager', action, entity_type: 'user', entity_id: 'u-x', summary: { username: 'esi', role: 'Operator' }, request_id: 'req1', client_address: '127.0.0.1', prev_hash: '0', hash: 'h' });
    const sent = mockAs(makeProfile(), (req) => {
      if (req.url.startsWith('/api/v1/users')) return ok([kofi]);
      if (req.url.startsWith('/api/v1/audit')) {
        const q = new URL(req.url, 'http://x').searchParams;
        if (q.get('cursor') === 'c2') return ok([record(1, 'users.create')]);
        return ok([record(2, q.get('action') ?? 'auth.login')], 200, 'c2');
      }
    });
    renderAt('/', <AuditPage />);
    const table = await screen.findByRole('table', { name: 'Audit records' });
    expect(await within(table).findByText('Kofi Boateng (kofi)')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Action'), 'users.update');
    await userEvent.type(screen.getByLabelText('From (day)'), '2026-11-20');
    await userEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    await within(table).findByText('users.update');
    const filtered = sent.filter((r) => r.url.startsWith('/api/v1/audit')).at(-1)!;
    expect(filtered.url).toContain('action=users.update');
    expect(filtered.url).toContain('from=2026-11-20T00%3A00%3A00Z');

    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    await within(screen.getByRole('table', { name: 'Audit records' })).findByText('users.create');
    expect(sent.filter((r) => r.url.startsWith('/api/v1/audit')).at(-1)!.url).toContain('cursor=c2');
    const summary = screen.getByText('username, role');
    await userEvent.click(summary);
    expect(summary.closest('details')!.querySelector('pre')!.textContent).toBe(JSON.stringify({ username: 'esi', role: 'Operator' }, null, 2));
  });
});

describe('Administration section', () => {
  it('shows only the tabs the role may open', async () => {
    mockAs(makeProfile({ role: 'Auditor', permissions: ['audit.read', 'api_keys.read'] }), (req) => {
      if (req.url.startsWith('/api/v1/audit')) return ok([]);
    });
    renderAt('/admin', <AdminSection />, '/admin/*');
    const tabs = await screen.findByRole('navigation', { name: 'Administration' });
    await within(tabs).findByRole('link', { name: 'API keys' });
    expect(within(tabs).getAllByRole('link').map((a) => a.textContent)).toEqual(['API keys', 'Audit log']);
    expect(within(tabs).getByRole('link', { name: 'Audit log' })).toHaveAttribute('href', '/admin/audit');
  });
});
