// Test harness of the pricing and reports pages: a fetch that answers by route with the API's
// envelopes and records the requests, and the providers the pages need, signed in with a profile.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { vi } from 'vitest';
import { session } from '../../api/client';
import { AuthProvider } from '../../auth/AuthContext';

export interface Sent {
  method: string;
  url: URL;
  body: any;
  headers: Record<string, string>;
}

type Answer = { status?: number; data?: unknown; error?: { code: string; message: string; details?: Array<{ field: string; message: string }> }; raw?: BodyInit; headers?: Record<string, string> };
type Handler = (req: Sent) => Answer | undefined;

export function mockApi(permissions: string[], routes: Record<string, Handler | Answer>) {
  const sent: Sent[] = [];
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers = Object.fromEntries(Object.entries((init?.headers as Record<string, string>) ?? {}));
    const req: Sent = { method, url, body: init?.body ? JSON.parse(String(init.body)) : undefined, headers };
    sent.push(req);
    if (url.pathname === '/api/v1/auth/profile') {
      return json(200, { success: true, data: { id: 'u1', display_name: 'Test', role: 'CompanyAdmin', permissions, scope_ids: [], scope_kind: 'tenant', restriction: null } });
    }
    const key = `${method} ${url.pathname}`;
    const entry = routes[key] ?? routes[url.pathname];
    const answer = typeof entry === 'function' ? entry(req) : entry;
    if (!answer) return json(404, { success: false, error: { code: 'not_found', message: `no mock for ${key}`, details: [] } });
    if (answer.raw !== undefined) return new Response(answer.raw, { status: answer.status ?? 200, headers: answer.headers });
    if (answer.error) return json(answer.status ?? 422, { success: false, error: { details: [], ...answer.error } });
    return json(answer.status ?? 200, { success: true, data: answer.data, metadata: { pagination: { next_cursor: null } } });
  });
  return { sent, spy };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

export function renderAt(path: string, element: ReactNode, routePath = '*') {
  session.set({ access_token: 'a', refresh_token: 'r', expires_at: new Date(Date.now() + 3600_000).toISOString(), refresh_expires_at: new Date(Date.now() + 86400_000).toISOString() });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
        <AuthProvider>
          <Routes>
            <Route path={routePath} element={element} />
          </Routes>
        </AuthProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

export const PMS = { id: 'p-pms', code: 'PMS', name: 'Premium Motor Spirit', kind: 'fuel', unit: 'L', active: true };
export const LUBE = { id: 'p-lube', code: 'LUB', name: 'Engine oil', kind: 'lubricant', unit: 'each', active: true };
export const STATIONS = [{ id: 's1', code: 'ACC-01', name: 'Accra Osu', region_id: 'r1', operating_model: 'coco', dealer_id: null, active: true }];
