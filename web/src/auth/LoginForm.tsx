// Sign-in: login and password, then the second factor when the account has one (a TOTP code from
// the authenticator app, or a recovery code).
import { useState, type FormEvent } from 'react';
import { needsSecondFactor, useAuth } from './AuthContext';
import { ApiError } from '../api/client';
import { CodeField, TextField, useSubmission } from '../components/Form';

// What a failed sign-in says.
function signInError(err: unknown, secondFactor: boolean): string {
  if (err instanceof ApiError && err.status === 429) return 'Too many attempts. Wait a minute and try again.';
  if (err instanceof ApiError && err.status === 401) return secondFactor ? 'That code is not valid.' : 'Wrong login or password.';
  return err instanceof Error ? err.message : 'Sign-in failed.';
}

export function LoginForm({ presetLogin, onDone }: { presetLogin?: string; onDone?: () => void }) {
  const { signIn } = useAuth();
  const form = useSubmission();
  const [login, setLogin] = useState(presetLogin ?? '');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const [secondFactor, setSecondFactor] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    await form.run({}, async () => {
      try {
        await signIn({
          login,
          password,
          totp_code: secondFactor && !useRecovery ? code : undefined,
          recovery_code: secondFactor && useRecovery ? code : undefined,
        });
      } catch (err) {
        // The password was right: ask for the second factor (not an error).
        if (needsSecondFactor(err) && !secondFactor) return setSecondFactor(true);
        throw err;
      }
      onDone?.();
    });
  }

  return (
    <form className="login-form" onSubmit={submit} noValidate>
      <TextField
        label="Username or email"
        name="username"
        autoComplete="username"
        value={login}
        onChange={(e) => setLogin(e.target.value)}
        required
        disabled={secondFactor}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        required
        disabled={secondFactor}
      />
      {secondFactor && (
        <>
          <CodeField
            label={useRecovery ? 'Recovery code' : 'Authenticator code'}
            recovery={useRecovery}
            name="one-time-code"
            value={code}
            onValue={setCode}
            autoFocus
            required
          />
          <button type="button" className="btn-link" onClick={() => setUseRecovery((r) => !r)}>
            {useRecovery ? 'Use the authenticator app instead' : 'Use a recovery code instead'}
          </button>
        </>
      )}
      {form.error != null && (
        <div className="form-error" role="alert">
          {signInError(form.error, secondFactor)}
        </div>
      )}
      <button type="submit" className="btn btn-primary" disabled={form.busy}>
        {form.busy ? 'Signing in…' : secondFactor ? 'Verify' : 'Sign in'}
      </button>
    </form>
  );
}
