// Test helpers for the administration and account pages: a fetch that answers by method and path
// (recording every request), and the providers the pages need, signed in as a given profile.
import type { ReactNode } from 'react';
import { render } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { vi } from 'vitest';
import { session } from '../../api/client';
import type { Profile } from '../../api/types';
import { AuthProvider } from '../../auth/AuthContext';

export interface Sent {
  method: string;
  url: string;
  body: any;
}

type Handler = (req: Sent) => Response | Promise<Response> | undefined;

export const ok = (data: unknown, status = 200, nextCursor: string | null = null) =>
  new Response(JSON.stringify({ success: true, data, metadata: { request_id: 'r1', pagination: { next_cursor: nextCursor } } }), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

export const fail = (status: number, message: string, details: Array<{ field: string; message: string }> = [], code = 'invalid_argument') =>
  new Response(JSON.stringify({ success: false, error: { code, message, details }, metadata: { request_id: 'r2' } }), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

export const ALL_ADMIN = [
  'users.read',
  'users.write',
  'users.reset_password',
  'security.read',
  'security.write',
  'api_keys.read',
  'api_keys.write',
  'webhooks.read',
  'webhooks.manage',
  'audit.read',
  'org.read',
  'forecourt.read',
];

export function makeProfile(over: Partial<Profile> = {}): Profile {
  return {
    id: 'admin-1',
    username: 'ama.admin',
    email: 'ama@omc.example',
    display_name: 'Ama Owusu',
    role: 'CompanyAdmin',
    scope_kind: 'tenant',
    scope_ids: [],
    active: true,
    must_change_password: false,
    mfa_enabled: false,
    created_at: '2026-11-01T08:00:00Z',
    updated_at: '2026-11-01T08:00:00Z',
    last_login_at: '2026-11-22T07:30:00Z',
    tenant_id: 't1',
    mfa_required: false,
    restriction: null,
    permissions: ALL_ADMIN,
    ...over,
  };
}

export const STATIONS = [
  { id: 'st-osu', code: 'ACC-01', name: 'Accra Osu', region_id: 'r-gar', operating_model: 'COCO', dealer_id: null, active: true },
  { id: 'st-kum', code: 'KUM-01', name: 'Kumasi Adum', region_id: 'r-ash', operating_model: 'COCO', dealer_id: null, active: true },
];
export const REGIONS = [
  { id: 'r-gar', code: 'GAR', name: 'Greater Accra' },
  { id: 'r-ash', code: 'ASH', name: 'Ashanti' },
];
export const DEALERS = [{ id: 'd-1', code: 'D-01', name: 'Volta Star Energy', active: true }];

// Mocks fetch: `handler` answers first; the profile and the organisation lists have defaults.
export function mockApi(profile: Profile, handler: Handler = () => undefined): Sent[] {
  const sent: Sent[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    const req = { method, url, body: init?.body ? JSON.parse(String(init.body)) : undefined };
    sent.push(req);
    const answer = await handler(req);
    if (answer) return answer;
    const path = url.split('?')[0];
    if (path === '/api/v1/auth/profile') return ok(profile);
    if (path === '/api/v1/stations') return ok(STATIONS);
    if (path === '/api/v1/regions') return ok(REGIONS);
    if (path === '/api/v1/dealers') return ok(DEALERS);
    if (path === '/api/v1/roles') return fail(404, 'route not found', [], 'not_found');
    return fail(404, `no mock for ${method} ${url}`, [], 'not_found');
  });
  return sent;
}

export function signedIn() {
  session.set({
    access_token: 'access',
    refresh_token: 'refresh',
    // A real lifetime: the provider schedules a refresh a minute before expiry (a far-future time
    // would overflow setTimeout and fire at once).
    expires_at: new Date(Date.now() + 15 * 60_000).toISOString(),
    refresh_expires_at: new Date(Date.now() + 14 * 86_400_000).toISOString(),
  });
}

// Renders `element` at `path` (matched by `route`), signed in.
export function renderPage(element: ReactNode, { path = '/', route = '*' }: { path?: string; route?: string } = {}) {
  signedIn();
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
        <AuthProvider>
          <Routes>
            <Route path={route} element={element} />
          </Routes>
        </AuthProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}
