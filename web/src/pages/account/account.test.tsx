import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { session } from '../../api/client';
import { AccountPage, groupSecret, svgDataUrl } from './AccountPage';
import { fail, ok, renderAt } from '../../test/kit';
import { makeProfile, mockAs } from '../admin/fixtures';

// These tests type whole forms; the shared machine is slow, so allow them time.
vi.setConfig({ testTimeout: 20_000 });

afterEach(() => {
  vi.restoreAllMocks();
  session.clear();
});

const newTokens = {
  access_token: 'access-2',
  refresh_token: 'refresh-2',
  expires_at: new Date(Date.now() + 15 * 60_000).toISOString(),
  refresh_expires_at: new Date(Date.now() + 14 * 86_400_000).toISOString(),
  token_type: 'Bearer',
  restriction: null,
};

describe('Account', () => {
  it('shows the profile with the scope named', async () => {
    mockAs(makeProfile({ role: 'Operator', scope_kind: 'station', scope_ids: ['st-kum'], permissions: ['forecourt.read'] }));
    renderAt('/', <AccountPage />);
    expect(await screen.findByText('Kumasi Adum (KUM-01)')).toBeInTheDocument();
    expect(screen.getByText('Operator')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: /to continue/ })).toBeNull();
  });

  it('explains a must-change-password session, changes the password and carries on with the new session', async () => {
    let restricted = true;
    const sent = mockAs(makeProfile({ restriction: 'password_change', must_change_password: true, permissions: [] }), (req) => {
      if (req.url === '/api/v1/auth/profile' && !restricted) return ok(makeProfile());
      if (req.url === '/api/v1/auth/password') {
        if (req.body.current_password !== 'Temp-Pass-1234') return fail(401, 'the current password is not right', [{ field: 'current_password', message: 'is not right' }], 'unauthenticated');
        restricted = false;
        return ok(newTokens);
      }
    });
    renderAt('/', <AccountPage />);
    expect(await screen.findByRole('heading', { name: 'Choose a new password to continue' })).toBeInTheDocument();
    expect(screen.getByText('Choose your password first; then you can set up an authenticator app here.')).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText('Temporary password'), 'wrong');
    await userEvent.type(screen.getByLabelText('New password'), 'palm wine at sunset');
    await userEvent.type(screen.getByLabelText('New password again'), 'palm wine at sunsett');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(screen.getByText('The two new passwords differ.')).toBeInTheDocument();
    expect(sent.some((r) => r.url === '/api/v1/auth/password')).toBe(false);

    await userEvent.clear(screen.getByLabelText('New password again'));
    await userEvent.type(screen.getByLabelText('New password again'), 'palm wine at sunset');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    // A wrong current password is shown by its field, and asked once (no refresh-and-retry).
    expect(await screen.findByText('is not right')).toBeInTheDocument();
    expect(sent.filter((r) => r.url === '/api/v1/auth/password')).toHaveLength(1);
    expect(sent.some((r) => r.url === '/api/v1/auth/refresh')).toBe(false);

    await userEvent.clear(screen.getByLabelText('Temporary password'));
    await userEvent.type(screen.getByLabelText('Temporary password'), 'Temp-Pass-1234');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    await screen.findByText(/Password changed/);
    expect(sent.find((r) => r.url === '/api/v1/auth/password' && r.body.current_password === 'Temp-Pass-1234')!.body).toEqual({
      current_password: 'Temp-Pass-1234',
      new_password: 'palm wine at sunset',
    });
    expect(session.get()?.access_token).toBe('access-2');
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Choose a new password to continue' })).toBeNull());
  });

  it('enrols TOTP: the QR code as an image (never markup), the secret, then the recovery codes once', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>';
    let enabled = false;
    const sent = mockAs(makeProfile({ restriction: 'mfa_enrollment', mfa_required: true, permissions: [] }), (req) => {
      if (req.url === '/api/v1/auth/profile' && enabled) return ok(makeProfile({ mfa_enabled: true, mfa_required: true }));
      if (req.url === '/api/v1/auth/mfa/totp/setup') return ok({ secret: 'JBSWY3DPEHPK3PXP', otpauth_uri: 'otpauth://totp/x', qr_svg: svg });
      if (req.url === '/api/v1/auth/mfa/totp/confirm') {
        if (req.body.code !== '492039') return fail(401, 'the code is not valid', [{ field: 'totp_code', message: 'is not valid' }], 'unauthenticated');
        enabled = true;
        return ok({ mfa_enabled: true, recovery_codes: Array.from({ length: 10 }, (_, i) => `code-${i}`) });
      }
      if (req.url === '/api/v1/auth/refresh') return ok(newTokens);
    });
    const { container } = renderAt('/', <AccountPage />);
    expect(await screen.findByRole('heading', { name: 'Set up a second factor to continue' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Set up an authenticator app' }));
    await userEvent.type(screen.getByLabelText('Your password'), 'my password');
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    const img = await screen.findByRole('img', { name: 'QR code to add OMC ERP to an authenticator app' });
    expect(img.getAttribute('src')).toBe(svgDataUrl(svg));
    expect(container.querySelector('svg')).toBeNull();
    expect(screen.getByText('JBSW Y3DP EHPK 3PXP')).toBeInTheDocument();
    expect(sent.find((r) => r.url === '/api/v1/auth/mfa/totp/setup')!.body).toEqual({ password: 'my password' });

    await userEvent.type(screen.getByLabelText('6-digit code'), '12');
    await userEvent.click(screen.getByRole('button', { name: 'Turn on' }));
    expect(screen.getByText('Enter the 6 digits your app shows.')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('6-digit code'), '3456');
    await userEvent.click(screen.getByRole('button', { name: 'Turn on' }));
    expect(await screen.findByText('is not valid')).toBeInTheDocument();
    await userEvent.clear(screen.getByLabelText('6-digit code'));
    await userEvent.type(screen.getByLabelText('6-digit code'), '492039');
    await userEvent.click(screen.getByRole('button', { name: 'Turn on' }));
    const codes = await screen.findByRole('list', { name: 'Recovery codes' });
    expect(codes.querySelectorAll('li')).toHaveLength(10);
    expect(screen.getByText('Shown only once.')).toBeInTheDocument();
    // The restriction is lifted by a refresh, and the page says so.
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Set up a second factor to continue' })).toBeNull());
    expect(sent.some((r) => r.url === '/api/v1/auth/refresh')).toBe(true);
    await userEvent.click(screen.getByRole('button', { name: 'I have stored them' }));
    expect(screen.getByText(/cannot be turned off/)).toBeInTheDocument();
  });

  it('makes new recovery codes with a current code, and turns the second factor off with password and code', async () => {
    const sent = mockAs(makeProfile({ mfa_enabled: true }), (req) => {
      if (req.url === '/api/v1/auth/mfa/recovery-codes') return ok({ recovery_codes: Array.from({ length: 10 }, (_, i) => `new-${i}`) });
      if (req.url === '/api/v1/auth/mfa/totp/disable') return ok({ mfa_enabled: false });
    });
    renderAt('/', <AccountPage />);
    await userEvent.click(await screen.findByRole('button', { name: 'New recovery codes' }));
    await userEvent.type(screen.getByLabelText('6-digit code'), '123456');
    await userEvent.click(screen.getByRole('button', { name: 'Make new codes' }));
    expect(await screen.findByText('new-9')).toBeInTheDocument();
    expect(sent.find((r) => r.url === '/api/v1/auth/mfa/recovery-codes')!.body).toEqual({ code: '123456' });
    await userEvent.click(screen.getByRole('button', { name: 'I have stored them' }));

    await userEvent.click(screen.getByRole('button', { name: 'Turn off' }));
    await userEvent.type(screen.getByLabelText('Your password'), 'pw');
    await userEvent.type(screen.getByLabelText('6-digit code'), '654321');
    await userEvent.click(screen.getByRole('button', { name: 'Turn off the second factor' }));
    await waitFor(() => expect(sent.find((r) => r.url === '/api/v1/auth/mfa/totp/disable')!.body).toEqual({ password: 'pw', code: '654321' }));
  });

  it('formats the secret in groups and builds a data: URL for the QR code', () => {
    expect(groupSecret('ABCDEFGHIJ')).toBe('ABCD EFGH IJ');
    expect(svgDataUrl('<svg a="1"/>')).toBe('data:image/svg+xml;charset=utf-8,%3Csvg%20a%3D%221%22%2F%3E');
  });
});
