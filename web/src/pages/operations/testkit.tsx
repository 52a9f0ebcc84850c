// Test helpers for the operations and transactions pages: a fetch mock answering API envelopes
// by method and path, and the providers the pages need.
import type { ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import { vi } from 'vitest';
import { session } from '../../api/client';
import { AuthProvider } from '../../auth/AuthContext';

export interface Call {
  method: string;
  path: string; // without the query
  query: URLSearchParams;
  body: any;
  headers: Record<string, string>;
}

type Responder = (call: Call) => { status?: number; data?: unknown; error?: unknown; next_cursor?: string | null } | undefined;

export function mockApi(routes: Record<string, Responder | unknown>) {
  const calls: Call[] = [];
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: any, init: any = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init.method ?? 'GET').toUpperCase();
    const call: Call = {
      method,
      path: url.pathname,
      query: url.searchParams,
      body: init.body ? JSON.parse(init.body) : undefined,
      headers: init.headers ?? {},
    };
    calls.push(call);
    const route = routes[`${method} ${url.pathname}`];
    if (route === undefined) {
      return new Response(JSON.stringify({ success: false, error: { code: 'not_found', message: `no mock for ${method} ${url.pathname}` } }), { status: 404 });
    }
    const answer = typeof route === 'function' ? (route as Responder)(call) : { data: route };
    const status = answer?.status ?? 200;
    const body =
      status >= 400
        ? { success: false, error: answer?.error }
        : { success: true, data: answer?.data, metadata: { request_id: 'r', pagination: { next_cursor: answer?.next_cursor ?? null } } };
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  });
  return { calls, spy };
}

export const STATION = { id: 's-1', code: 'ACC01', name: 'Accra Ring Road', region_id: 'r', operating_model: 'COCO', dealer_id: null, active: true };

export function profile(permissions: string[]) {
  return {
    id: 'u-manager',
    username: 'manager',
    email: 'm@x',
    display_name: 'Efua Manager',
    role: 'StationManager',
    scope_kind: 'station',
    scope_ids: ['s-1'],
    active: true,
    must_change_password: false,
    mfa_enabled: false,
    created_at: '',
    updated_at: '',
    last_login_at: null,
    tenant_id: 't',
    mfa_required: false,
    restriction: null,
    permissions,
  };
}

export function signedIn() {
  // An hour ahead: a far-future expiry would overflow the refresh timer (it fires at once).
  const later = new Date(Date.now() + 3_600_000).toISOString();
  session.set({ access_token: 'a', refresh_token: 'r', expires_at: later, refresh_expires_at: later });
}

export function Providers({ children, path = '/' }: { children: ReactNode; path?: string }) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return (
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={[path]}>
        <AuthProvider>{children}</AuthProvider>
      </MemoryRouter>
    </QueryClientProvider>
  );
}
