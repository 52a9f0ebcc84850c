// Your account (/account, every signed-in user): the profile, changing the password, and the second
// factor (enrol an authenticator app, new recovery codes, turn it off). When the session is
// restricted (a password to change, a second factor to enrol) this page says why the rest of the
// console is closed and is the way out.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, session, type Tokens } from '../../api/client';
import type { Profile } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { CodeField, FormError, TextField, fieldError, useSubmission } from '../../components/Form';
import { Card, PageHeader } from '../../components/Page';
import { Loading } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { ShownOnceNote, describeScope, useCopy, useScopeOptions } from '../admin/ui';
import '../admin/admin.css';
import './account.css';

export interface TotpSetup {
  secret: string;
  otpauth_uri: string;
  qr_svg: string;
}

// The QR code is SVG text from our API: shown as an image (a data: URL), never parsed into the
// page's DOM, so nothing in it can run.
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

// "JBSWY3DPEHPK3PXP" -> "JBSW Y3DP EHPK 3PXP" for typing into an app.
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

export function AccountPage() {
  const { profile } = useAuth();
  if (!profile) return <Loading label="Loading your account…" />;
  return (
    <div className="account">
      <PageHeader title="Your account" subtitle={`${profile.display_name} · ${profile.username}`} />
      <RestrictionNotice profile={profile} />
      <div className="account-grid">
        <ProfileCard profile={profile} />
        <PasswordCard profile={profile} />
        <MfaCard profile={profile} />
      </div>
    </div>
  );
}

function RestrictionNotice({ profile }: { profile: Profile }) {
  if (profile.restriction === 'password_change') {
    return (
      <div className="restriction" role="alert">
        <h2>Choose a new password to continue</h2>
        <p>
          Your account was just created, or an administrator reset your password, so you signed in with a temporary
          password. The rest of the console stays closed until you choose your own password below.
        </p>
      </div>
    );
  }
  if (profile.restriction === 'mfa_enrollment') {
    return (
      <div className="restriction" role="alert">
        <h2>Set up a second factor to continue</h2>
        <p>
          Your company requires an authenticator app for the {profile.role} role. The rest of the console stays closed until
          you set one up below (it takes a minute: you need your password and a phone with an authenticator app).
        </p>
      </div>
    );
  }
  if (profile.restriction) {
    return (
      <div className="restriction" role="alert">
        <h2>Your session is restricted</h2>
        <p>The server restricted this session ({profile.restriction}); only this page is open.</p>
      </div>
    );
  }
  return null;
}

function ProfileCard({ profile }: { profile: Profile }) {
  // A restricted session may read only its own account, so places are named once it is full.
  const scope = useScopeOptions(!profile.restriction);
  return (
    <Card title="Profile">
      <dl className="facts">
        <dt>Name</dt>
        <dd>{profile.display_name}</dd>
        <dt>Username</dt>
        <dd>{profile.username}</dd>
        <dt>Email</dt>
        <dd>{profile.email}</dd>
        <dt>Role</dt>
        <dd>{profile.role}</dd>
        <dt>Scope</dt>
        <dd>
          {profile.restriction && profile.scope_ids.length > 0
            ? `${profile.scope_ids.length} ${profile.scope_kind}${profile.scope_ids.length === 1 ? '' : 's'}`
            : describeScope(profile.scope_kind, profile.scope_ids, scope.options)}
        </dd>
        <dt>Second factor</dt>
        <dd>
          {profile.mfa_enabled ? 'Authenticator app' : 'None'}
          {profile.mfa_required && ' (required for your role)'}
        </dd>
        <dt>Last sign-in</dt>
        <dd>{formatDateTime(profile.last_login_at)}</dd>
      </dl>
    </Card>
  );
}

// After a change that starts a new session (a password change) or lifts a restriction (enrolment),
// the console carries on with the new tokens and the re-read profile.
function useSessionUpdate() {
  const { reloadProfile } = useAuth();
  const queryClient = useQueryClient();
  return async (tokens?: Tokens) => {
    if (tokens) session.set(tokens);
    else await session.refresh();
    await reloadProfile();
    await queryClient.invalidateQueries();
  };
}

function PasswordCard({ profile }: { profile: Profile }) {
  const update = useSessionUpdate();
  const form = useSubmission();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [done, setDone] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!current) errs.current_password = 'Enter your current password.';
    if (next.length < 12) errs.new_password = 'At least 12 characters.';
    else if (next === current) errs.new_password = 'Choose a password different from the current one.';
    if (repeat !== next) errs.repeat = 'The two new passwords differ.';
    await form.run(errs, async () => {
      setDone(false);
      const tokens = await api.post<Tokens>('/api/v1/auth/password', { current_password: current, new_password: next });
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
      await update(tokens);
    });
  }
  return (
    <Card title={profile.restriction === 'password_change' ? 'Choose your password' : 'Change password'}>
      <form onSubmit={submit} noValidate>
        <input type="text" name="username" autoComplete="username" value={profile.username} readOnly hidden />
        <TextField
          label={profile.restriction === 'password_change' ? 'Temporary password' : 'Current password'}
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={form.err('current_password')}
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          error={form.err('new_password')}
          hint="At least 12 characters; not your username or email, not a common password. A short sentence works well."
        />
        <TextField
          label="New password again"
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          error={form.err('repeat')}
        />
        {done && (
          <div className="form-success" role="status">
            Password changed. Your other sessions have been signed out.
          </div>
        )}
        <FormError error={form.error} shownFields={['current_password', 'new_password']} />
        <button type="submit" className="btn btn-primary" disabled={form.busy}>
          {form.busy ? 'Changing…' : 'Change password'}
        </button>
      </form>
    </Card>
  );
}

type MfaStep =
  | { step: 'idle' }
  | { step: 'password' }
  | { step: 'scan'; setup: TotpSetup }
  | { step: 'codes'; codes: string[]; title: string }
  | { step: 'new-codes' }
  | { step: 'disable' };

function MfaCard({ profile }: { profile: Profile }) {
  const [state, setState] = useState<MfaStep>({ step: 'idle' });
  const update = useSessionUpdate();
  const restricted = profile.restriction === 'mfa_enrollment';
  const passwordFirst = profile.restriction === 'password_change';
  return (
    <Card title="Second factor (authenticator app)">
      {state.step === 'codes' ? (
        <RecoveryCodes codes={state.codes} title={state.title} onDone={() => setState({ step: 'idle' })} />
      ) : profile.mfa_enabled ? (
        <>
          <p>
            Signing in asks for a 6-digit code from your authenticator app. If you lose your phone, a recovery code lets you
            in once.
          </p>
          {state.step === 'new-codes' ? (
            <NewRecoveryCodes
              onCancel={() => setState({ step: 'idle' })}
              onDone={(codes) => setState({ step: 'codes', codes, title: 'Your new recovery codes' })}
            />
          ) : state.step === 'disable' ? (
            <DisableMfa
              onCancel={() => setState({ step: 'idle' })}
              onDone={async () => {
                setState({ step: 'idle' });
                await update();
              }}
            />
          ) : (
            <div className="row-actions">
              <button type="button" className="btn" onClick={() => setState({ step: 'new-codes' })}>
                New recovery codes
              </button>
              {profile.mfa_required ? (
                <p className="muted">Your company requires a second factor for your role, so it cannot be turned off.</p>
              ) : (
                <button type="button" className="btn" onClick={() => setState({ step: 'disable' })}>
                  Turn off
                </button>
              )}
            </div>
          )}
        </>
      ) : passwordFirst ? (
        <p className="muted">Choose your password first; then you can set up an authenticator app here.</p>
      ) : state.step === 'password' ? (
        <StartSetup onCancel={() => setState({ step: 'idle' })} onStarted={(setup) => setState({ step: 'scan', setup })} />
      ) : state.step === 'scan' ? (
        <ConfirmSetup
          setup={state.setup}
          onCancel={() => setState({ step: 'idle' })}
          onConfirmed={async (codes) => {
            setState({ step: 'codes', codes, title: 'Your recovery codes' });
            await update();
          }}
        />
      ) : (
        <>
          <p>
            {restricted
              ? 'Your role requires it.'
              : 'Not set up. A second factor keeps your account safe if your password is ever guessed or stolen.'}{' '}
            You need an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, FreeOTP, …).
          </p>
          <button type="button" className="btn btn-primary" onClick={() => setState({ step: 'password' })}>
            Set up an authenticator app
          </button>
        </>
      )}
    </Card>
  );
}

// The steps' forms end alike: the submit button (its label while busy) and Cancel.
function StepActions({ busy, label, busyLabel, danger, disabled, onCancel }: { busy: boolean; label: string; busyLabel: string; danger?: boolean; disabled?: boolean; onCancel: () => void }) {
  return (
    <div className="row-actions">
      <button type="submit" className={danger ? 'btn btn-danger' : 'btn btn-primary'} disabled={busy || disabled}>
        {busy ? busyLabel : label}
      </button>
      <button type="button" className="btn" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

// A step of the second factor: a form whose submission is `action` once `checks` pass.
function Step({
  form,
  checks,
  action,
  className,
  children,
}: {
  form: ReturnType<typeof useSubmission>;
  checks?: () => Record<string, string | undefined>;
  action: () => Promise<unknown>;
  className?: string;
  children: ReactNode;
}) {
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void form.run(checks?.() ?? {}, action);
      }}
      noValidate
      className={className}
    >
      {children}
    </form>
  );
}

const PASSWORD = { label: 'Your password', type: 'password', autoComplete: 'current-password' } as const;
const CODE_FIELDS = ['code', 'totp_code'];

function codeError(form: ReturnType<typeof useSubmission>): string | undefined {
  return form.local.code ?? fieldError(form.error, 'code') ?? fieldError(form.error, 'totp_code');
}

function StartSetup({ onCancel, onStarted }: { onCancel: () => void; onStarted: (s: TotpSetup) => void }) {
  const [password, setPassword] = useState('');
  const form = useSubmission();
  return (
    <Step
      form={form}
      checks={() => ({ password: password ? undefined : 'Enter your password.' })}
      action={async () => onStarted(await api.post<TotpSetup>('/api/v1/auth/mfa/totp/setup', { password }))}
    >
      <p>First confirm it is you.</p>
      <TextField {...PASSWORD} value={password} onChange={(e) => setPassword(e.target.value)} error={form.err('password')} />
      <FormError error={form.error} shownFields={['password']} />
      <StepActions busy={form.busy} label="Continue" busyLabel="Starting…" onCancel={onCancel} />
    </Step>
  );
}

function ConfirmSetup({
  setup,
  onCancel,
  onConfirmed,
}: {
  setup: TotpSetup;
  onCancel: () => void;
  onConfirmed: (codes: string[]) => Promise<void>;
}) {
  const [code, setCode] = useState('');
  const form = useSubmission();
  return (
    <Step
      form={form}
      className="totp-setup"
      checks={() => ({ code: /^\d{6}$/.test(code) ? undefined : 'Enter the 6 digits your app shows.' })}
      action={async () => {
        const answer = await api.post<{ recovery_codes: string[] }>('/api/v1/auth/mfa/totp/confirm', { code });
        await onConfirmed(answer.recovery_codes);
      }}
    >
      <ol className="steps">
        <li>
          Scan this code with your authenticator app:
          <div className="qr">
            <img src={svgDataUrl(setup.qr_svg)} alt="QR code to add OMC ERP to an authenticator app" width={200} height={200} />
          </div>
        </li>
        <li>
          Or type this key into the app (time-based, 6 digits):
          <div>
            <code className="totp-secret" data-testid="totp-secret" data-secret={setup.secret}>
              {groupSecret(setup.secret)}
            </code>
          </div>
        </li>
        <li>Enter the code the app now shows.</li>
      </ol>
      <CodeField label="6-digit code" maxLength={6} value={code} onValue={setCode} error={codeError(form)} />
      <FormError error={form.error} shownFields={CODE_FIELDS} />
      <StepActions busy={form.busy} label="Turn on" busyLabel="Checking…" onCancel={onCancel} />
    </Step>
  );
}

function RecoveryCodes({ codes, title, onDone }: { codes: string[]; title: string; onDone: () => void }) {
  const { copy, said } = useCopy('Copying is not available here: write the codes down.');
  return (
    <div className="recovery-codes">
      <h3>{title}</h3>
      <ShownOnceNote>
        Keep them somewhere safe, away from your phone. Each code signs you in once if you lose the authenticator app; earlier
        codes no longer work.
      </ShownOnceNote>
      <ol className="codes" aria-label="Recovery codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <div className="row-actions">
        <button type="button" className="btn" onClick={() => void copy(codes.join('\n'))}>
          Copy codes
        </button>
        <button type="button" className="btn btn-primary" onClick={onDone}>
          I have stored them
        </button>
      </div>
      <div aria-live="polite" className="muted">
        {said}
      </div>
    </div>
  );
}

function NewRecoveryCodes({ onCancel, onDone }: { onCancel: () => void; onDone: (codes: string[]) => void }) {
  const [code, setCode] = useState('');
  const form = useSubmission();
  return (
    <Step
      form={form}
      action={async () => {
        const answer = await api.post<{ recovery_codes: string[] }>('/api/v1/auth/mfa/recovery-codes', { code });
        onDone(answer.recovery_codes);
      }}
    >
      <p>New codes replace all earlier ones. Confirm with a current code from your app.</p>
      <CodeField label="6-digit code" maxLength={6} value={code} onValue={setCode} error={codeError(form)} />
      <FormError error={form.error} shownFields={CODE_FIELDS} />
      <StepActions busy={form.busy} label="Make new codes" busyLabel="Working…" disabled={code.length === 0} onCancel={onCancel} />
    </Step>
  );
}

function DisableMfa({ onCancel, onDone }: { onCancel: () => void; onDone: () => Promise<void> }) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const form = useSubmission();
  return (
    <Step
      form={form}
      action={async () => {
        await api.post('/api/v1/auth/mfa/totp/disable', { password, code });
        await onDone();
      }}
    >
      <p className="secret-warning" role="note">
        Turning the second factor off makes your account easier to break into, and your recovery codes stop working.
      </p>
      <TextField {...PASSWORD} value={password} onChange={(e) => setPassword(e.target.value)} error={form.err('password')} />
      <CodeField label="6-digit code" maxLength={6} value={code} onValue={setCode} error={codeError(form)} />
      <FormError error={form.error} shownFields={['password', ...CODE_FIELDS]} />
      <StepActions
        busy={form.busy}
        label="Turn off the second factor"
        busyLabel="Turning off…"
        danger
        disabled={!password || !code}
        onCancel={onCancel}
      />
    </Step>
  );
}
