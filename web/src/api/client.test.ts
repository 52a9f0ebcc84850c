import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, session, withQuery, type Tokens } from './client';

const tokens = (access: string): Tokens => ({
  access_token: access,
  refresh_token: `refresh-${access}`,
  expires_at: '2026-11-22T10:00:00Z',
  refresh_expires_at: '2026-11-23T10:00:00Z',
});

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

afterEach(() => {
  vi.restoreAllMocks();
  session.clear();
});

describe('api client', () => {
  it('unwraps the envelope and sends the bearer token', async () => {
    session.set(tokens('a1'));
    const fetchMock = vi.spyOn(globalThis, 'fetch').mockResolvedValue(json(200, { success: true, data: { id: 's1' } }));
    await expect(api.get('/api/v1/stations/s1')).resolves.toEqual({ id: 's1' });
    const [, init] = fetchMock.mock.calls[0];
    expect((init!.headers as Record<string, string>).Authorization).toBe('Bearer a1');
  });

  it('turns an error envelope into an ApiError with its field details', async () => {
    session.set(tokens('a1'));
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      json(422, {
        success: false,
        error: { code: 'unprocessable', message: 'below the NPA floor', details: [{ field: 'price', message: 'floor is 14.50' }] },
        metadata: { request_id: 'r-9' },
      }),
    );
    const error = (await api.post('/api/v1/pricing/proposals', {}).catch((e) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(422);
    expect(error.fieldError('price')).toBe('floor is 14.50');
    expect(error.requestId).toBe('r-9');
  });

  it('refreshes an expired access token once and retries', async () => {
    session.set(tokens('old'));
    const fetchMock = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const url = String(input);
      if (url === '/api/v1/auth/refresh') return json(200, { success: true, data: tokens('new') });
      const auth = (init!.headers as Record<string, string>).Authorization;
      return auth === 'Bearer new' ? json(200, { success: true, data: 'ok' }) : json(401, { success: false, error: { code: 'unauthenticated', message: 'expired' } });
    });
    await expect(api.get('/api/v1/x')).resolves.toBe('ok');
    expect(fetchMock.mock.calls.map((c) => String(c[0]))).toEqual(['/api/v1/x', '/api/v1/auth/refresh', '/api/v1/x']);
    expect(session.get()!.access_token).toBe('new');
  });

  it('waits for a new sign-in when the session is gone, then retries with the same idempotency key', async () => {
    session.set(tokens('old'));
    const seen: Array<{ url: string; auth?: string; key?: string }> = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const url = String(input);
      const headers = (init!.headers ?? {}) as Record<string, string>;
      seen.push({ url, auth: headers.Authorization, key: headers['Idempotency-Key'] });
      if (url === '/api/v1/auth/refresh') return json(401, { success: false, error: { code: 'unauthenticated', message: 'gone' } });
      return headers.Authorization === 'Bearer fresh'
        ? json(201, { success: true, data: { recorded: true } })
        : json(401, { success: false, error: { code: 'unauthenticated', message: 'expired' } });
    });
    const expired = vi.fn();
    const off = session.subscribe((e) => e === 'expired' && expired());
    const pending = api.post('/api/v1/dips', { level_mm: 1200 }, 'key-1');
    await vi.waitFor(() => expect(expired).toHaveBeenCalled());
    session.restore(tokens('fresh'));
    await expect(pending).resolves.toEqual({ recorded: true });
    off();
    const posts = seen.filter((s) => s.url === '/api/v1/dips');
    expect(posts.map((p) => p.auth)).toEqual(['Bearer old', 'Bearer fresh']);
    expect(posts.every((p) => p.key === 'key-1')).toBe(true);
  });

  it('fails the waiting requests when the user signs out instead', async () => {
    session.set(tokens('old'));
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () => json(401, { success: false, error: { code: 'unauthenticated', message: 'x' } }));
    const pending = api.get('/api/v1/x').catch((e) => e);
    await vi.waitFor(() => expect(session.expired).toBe(true));
    session.clear();
    const error = (await pending) as ApiError;
    expect(error.status).toBe(401);
  });

  it('builds query strings without empty values', () => {
    expect(withQuery('/a', { station_id: 's', from: '', limit: 50, cursor: null })).toBe('/a?station_id=s&limit=50');
  });
});
