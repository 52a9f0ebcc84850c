// The one way the console talks to the API: the envelope, errors with their field details,
// bearer tokens with a silent refresh, and a session that, once expired, waits for the user to
// sign in again (the page and its half-typed form stay as they are) and then retries.

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: FieldError[];
  readonly requestId?: string;
  constructor(status: number, code: string, message: string, details: FieldError[] = [], requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
  }
  fieldError(field: string): string | undefined {
    return this.details.find((d) => d.field === field)?.message;
  }
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_at: string;
  refresh_expires_at: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type SessionListener = (event: 'expired' | 'restored' | 'tokens') => void;

const STORAGE_KEY = 'omc.session';

// Tokens live in sessionStorage: they survive a reload of the tab, not the closing of the browser.
class Session {
  private tokens: Tokens | null = null;
  private listeners = new Set<SessionListener>();
  private refreshing: Promise<boolean> | null = null;
  private waiters: Array<(ok: boolean) => void> = [];
  expired = false;

  constructor() {
    try {
      const stored = globalThis.sessionStorage?.getItem(STORAGE_KEY);
      if (stored) this.tokens = JSON.parse(stored) as Tokens;
    } catch {
      this.tokens = null;
    }
  }
  get(): Tokens | null {
    return this.tokens;
  }
  set(tokens: Tokens | null) {
    this.tokens = tokens;
    try {
      if (tokens) globalThis.sessionStorage?.setItem(STORAGE_KEY, JSON.stringify(tokens));
      else globalThis.sessionStorage?.removeItem(STORAGE_KEY);
    } catch {
      /* storage unavailable: the session lasts as long as the page */
    }
    this.emit('tokens');
  }
  subscribe(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  private emit(event: 'expired' | 'restored' | 'tokens') {
    for (const l of this.listeners) l(event);
  }
  // Marks the session expired and waits until the user signs in again (true) or gives up (false).
  waitForSignIn(): Promise<boolean> {
    if (!this.expired) {
      this.expired = true;
      this.emit('expired');
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  // Called after a successful sign-in while expired: the waiting requests retry.
  restore(tokens: Tokens) {
    this.set(tokens);
    this.expired = false;
    this.emit('restored');
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(true);
  }
  // Signing out (or giving up the expired session): waiting requests fail.
  clear() {
    this.set(null);
    this.expired = false;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(false);
  }
  // One refresh at a time; every 401 in flight shares it.
  refresh(): Promise<boolean> {
    if (this.refreshing) return this.refreshing;
    const tokens = this.tokens;
    if (!tokens) return Promise.resolve(false);
    this.refreshing = (async () => {
      try {
        const res = await fetch('/api/v1/auth/refresh', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ refresh_token: tokens.refresh_token }),
        });
        if (!res.ok) return false;
        const body = await res.json();
        this.set(body.data as Tokens);
        return true;
      } catch {
        return false;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }
}

export const session = new Session();

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  // Sent as Idempotency-Key: a form keeps one key per submission so a retry can't double-post.
  idempotencyKey?: string;
  // Login and refresh must not trigger the session machinery.
  anonymous?: boolean;
  accept?: string;
  // A file sent as it is (CSV, XLSX) with its Content-Type, instead of a JSON body.
  raw?: { body: Blob | string; contentType: string };
}

async function errorFrom(res: Response): Promise<ApiError> {
  let body: any = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  const err = body?.error;
  return new ApiError(
    res.status,
    err?.code ?? `http_${res.status}`,
    err?.message ?? res.statusText ?? 'request failed',
    Array.isArray(err?.details) ? err.details : [],
    body?.metadata?.request_id,
  );
}

async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const headers: Record<string, string> = { Accept: opts.accept ?? 'application/json' };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    if (opts.raw) headers['Content-Type'] = opts.raw.contentType;
    if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
    const tokens = session.get();
    if (tokens && !opts.anonymous) headers.Authorization = `Bearer ${tokens.access_token}`;
    const res = await fetch(withQuery(path, opts.query), {
      method,
      headers,
      body: opts.raw ? opts.raw.body : opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    if (res.status !== 401 || opts.anonymous || attempt >= 3) return res;
    // An expired access token: refresh silently; an expired session: wait for a new sign-in.
    if (await session.refresh()) continue;
    if (!(await session.waitForSignIn())) return res;
  }
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(method, path, opts);
  if (!res.ok) throw await errorFrom(res);
  if (res.status === 204) return undefined as T;
  const body = await res.json();
  return body.data as T;
}

export async function requestPage<T>(path: string, query?: Query): Promise<Page<T>> {
  const res = await send('GET', path, { query });
  if (!res.ok) throw await errorFrom(res);
  const body = await res.json();
  return { items: body.data as T[], nextCursor: body.metadata?.pagination?.next_cursor ?? null };
}

// Follows next_cursor until the list ends (or `max` items): for short lists shown whole.
export async function requestAll<T>(path: string, query: Query = {}, max = 5000): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await requestPage<T>(path, { ...query, limit: 500, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown, idempotencyKey?: string) =>
    request<T>('POST', path, { body: body ?? {}, idempotencyKey }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  del: <T>(path: string) => request<T>('DELETE', path),
  upload: <T>(path: string, file: Blob | string, contentType: string, query?: Query) =>
    request<T>('POST', path, { raw: { body: file, contentType }, query }),
  page: requestPage,
  all: requestAll,
};

// Downloads a file answer (CSV, XLSX, PDF) with the caller's token and saves it under its name.
export async function download(path: string, query?: Query, fallbackName = 'download'): Promise<string> {
  const res = await send('GET', path, { query, accept: '*/*' });
  if (!res.ok) throw await errorFrom(res);
  const blob = await res.blob();
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const match = /filename="?([^";]+)"?/.exec(disposition);
  const name = match?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

export function newIdempotencyKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}
