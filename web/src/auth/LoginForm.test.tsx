import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import { session } from '../api/client';
import { AuthProvider, useAuth } from './AuthContext';
import { LoginForm } from './LoginForm';

const ok = (data: unknown) => new Response(JSON.stringify({ success: true, data }), { status: 200 });
const fail = (status: number, details: Array<{ field: string; message: string }> = []) =>
  new Response(JSON.stringify({ success: false, error: { code: 'unauthenticated', message: 'no', details } }), { status });

const profile = { id: 'u1', username: 'ama', display_name: 'Ama', role: 'CompanyAdmin', permissions: ['ledger.read'], restriction: null };
const tokens = { access_token: 'a', refresh_token: 'r', expires_at: '2099-01-01T00:00:00Z', refresh_expires_at: '2099-01-02T00:00:00Z', user: profile };

function Who() {
  const { profile: p, can } = useAuth();
  return <div>{p ? `signed in as ${p.display_name}; finance ${can('ledger.read') ? 'open' : 'closed'}` : 'nobody'}</div>;
}

function renderLogin() {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter>
        <AuthProvider>
          <LoginForm />
          <Who />
        </AuthProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

afterEach(() => {
  vi.restoreAllMocks();
  session.clear();
});

describe('LoginForm', () => {
  it('asks for the second factor when the API requires it, then signs in with the code', async () => {
    const bodies: unknown[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const url = String(input);
      if (url === '/api/v1/auth/login') {
        const body = JSON.parse(String(init!.body));
        bodies.push(body);
        return body.totp_code === '123456' ? ok(tokens) : fail(401, [{ field: 'totp_code', message: 'is required for this account' }]);
      }
      if (url === '/api/v1/auth/profile') return ok(profile);
      return fail(404);
    });
    renderLogin();
    await userEvent.type(screen.getByLabelText('Username or email'), 'ama');
    await userEvent.type(screen.getByLabelText('Password'), 'secret-pass');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const code = await screen.findByLabelText('Authenticator code');
    await userEvent.type(code, '123456');
    await userEvent.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByText('signed in as Ama; finance open')).toBeInTheDocument();
    expect(bodies).toEqual([
      { login: 'ama', password: 'secret-pass' },
      { login: 'ama', password: 'secret-pass', totp_code: '123456' },
    ]);
    expect(session.get()?.access_token).toBe('a');
  });

  it('says so when the password is wrong', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(fail(401));
    renderLogin();
    await userEvent.type(screen.getByLabelText('Username or email'), 'ama');
    await userEvent.type(screen.getByLabelText('Password'), 'wrong');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong login or password.');
    expect(screen.getByText('nobody')).toBeInTheDocument();
  });
});
