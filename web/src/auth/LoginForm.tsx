// Sign-in: login and password, then the second factor when the account has one (a TOTP code from
// the authenticator app, or a recovery code).
import { useState, type FormEvent } from 'react';
import { needsSecondFactor, useAuth } from './AuthContext';
import { ApiError } from '../api/client';

export function LoginForm({ presetLogin, onDone }: { presetLogin?: string; onDone?: () => void }) {
  const { signIn } = useAuth();
  const [login, setLogin] = useState(presetLogin ?? '');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const [secondFactor, setSecondFactor] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn({
        login,
        password,
        totp_code: secondFactor && !useRecovery ? code : undefined,
        recovery_code: secondFactor && useRecovery ? code : undefined,
      });
      onDone?.();
    } catch (err) {
      if (needsSecondFactor(err) && !secondFactor) {
        setSecondFactor(true);
      } else if (err instanceof ApiError && err.status === 429) {
        setError('Too many attempts. Wait a minute and try again.');
      } else if (err instanceof ApiError && err.status === 401) {
        setError(secondFactor ? 'That code is not valid.' : 'Wrong login or password.');
      } else {
        setError(err instanceof Error ? err.message : 'Sign-in failed.');
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="login-form" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor="login-name">Username or email</label>
        <input
          id="login-name"
          name="username"
          autoComplete="username"
          value={login}
          onChange={(e) => setLogin(e.target.value)}
          required
          disabled={secondFactor}
        />
      </div>
      <div className="field">
        <label htmlFor="login-password">Password</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          disabled={secondFactor}
        />
      </div>
      {secondFactor && (
        <div className="field">
          <label htmlFor="login-code">{useRecovery ? 'Recovery code' : 'Authenticator code'}</label>
          <input
            id="login-code"
            name="one-time-code"
            autoComplete="one-time-code"
            inputMode={useRecovery ? 'text' : 'numeric'}
            value={code}
            onChange={(e) => setCode(e.target.value.trim())}
            autoFocus
            required
          />
          <button type="button" className="btn-link" onClick={() => setUseRecovery((r) => !r)}>
            {useRecovery ? 'Use the authenticator app instead' : 'Use a recovery code instead'}
          </button>
        </div>
      )}
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? 'Signing in…' : secondFactor ? 'Verify' : 'Sign in'}
      </button>
    </form>
  );
}
