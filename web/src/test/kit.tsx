// The one test kit of the console's Vitest tests: a fetch that answers API envelopes by method and
// path (recording every request), the envelopes themselves, a signed-in session, a profile, and
// the providers a page needs.
import { useState, type ReactNode } from 'react';
import { render } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { vi } from 'vitest';
import { session } from '../api/client';
import type { Profile } from '../api/types';
import { AuthProvider } from '../auth/AuthContext';

// A request the page sent: `url` as the page asked for it, `path` without the query.
export interface Sent {
  method: string;
  url: string;
  path: string;
  query: URLSearchParams;
  body: any;
  headers: Record<string, string>;
}

type Details = Array<{ field: string; message: string }>;

// What a mocked route answers: an envelope with `data` (and a next page), an error envelope
// (status 422 unless given), or a raw body (a file download).
export interface Answer {
  status?: number;
  data?: unknown;
  next_cursor?: string | null;
  error?: { code: string; message: string; details?: Details };
  raw?: BodyInit;
  headers?: Record<string, string>;
}
type Reply = Answer | Response | undefined;
export type Handler = (req: Sent) => Reply | Promise<Reply>;
// Keyed `METHOD /path` or `/path` (any method).
export type RouteTable = Record<string, Handler | Answer>;

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

export const ok = (data: unknown, status = 200, nextCursor: string | null = null) =>
  json(status, { success: true, data, metadata: { request_id: 'r1', pagination: { next_cursor: nextCursor } } });

export const fail = (status: number, message: string, details: Details = [], code = 'invalid_argument', requestId = 'r2') =>
  json(status, { success: false, error: { code, message, details }, metadata: { request_id: requestId } });

function toResponse(answer: Answer): Response {
  if (answer.raw !== undefined) return new Response(answer.raw, { status: answer.status ?? 200, headers: answer.headers });
  if (answer.error) return fail(answer.status ?? 422, answer.error.message, answer.error.details ?? [], answer.error.code);
  return ok(answer.data, answer.status ?? 200, answer.next_cursor ?? null);
}

// Mocks fetch: each request goes to the answerers in turn (a route table, or a function) until
// one answers; none answering is a 404 naming the request.
export function mockApi(...answerers: Array<RouteTable | Handler>) {
  const sent: Sent[] = [];
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = String(input);
    const parsed = new URL(url, 'http://localhost');
    const method = (init?.method ?? 'GET').toUpperCase();
    const req: Sent = {
      method,
      url,
      path: parsed.pathname,
      query: parsed.searchParams,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
      headers: { ...((init?.headers as Record<string, string>) ?? {}) },
    };
    sent.push(req);
    for (const answerer of answerers) {
      const entry = typeof answerer === 'function' ? answerer : (answerer[`${method} ${req.path}`] ?? answerer[req.path]);
      const reply = typeof entry === 'function' ? await entry(req) : entry;
      if (reply) return reply instanceof Response ? reply : toResponse(reply);
    }
    return fail(404, `no mock for ${method} ${req.path}`, [], 'not_found');
  });
  return { sent, spy };
}

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
    permissions: [],
    ...over,
  };
}

// A route table whose plain values are the data to answer with (functions answer as in mockApi).
export function dataRoutes(table: Record<string, unknown>): RouteTable {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [k, typeof v === 'function' ? (v as Handler) : { data: v }]));
}

// The profile route answering with `profile`, for mockApi.
export const profileRoute = (profile: Profile): RouteTable => ({ 'GET /api/v1/auth/profile': { data: profile } });

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

export function Providers({ children, path = '/' }: { children: ReactNode; path?: string }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: false } } }));
  return (
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
        <AuthProvider>{children}</AuthProvider>
      </MemoryRouter>
    </QueryClientProvider>
  );
}

// Renders `element` at `path` (matched by `route`), signed in.
export function renderAt(path: string, element: ReactNode, route = '*') {
  signedIn();
  return render(
    <Providers path={path}>
      <Routes>
        <Route path={route} element={element} />
      </Routes>
    </Providers>,
  );
}
