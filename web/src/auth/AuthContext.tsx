// Who is signed in: the session (tokens), the profile with its permissions, sign-in with the
// second factor, a refresh before the access token expires, and sign-out.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, request, session, type Tokens } from '../api/client';
import type { Profile } from '../api/types';

export interface SignIn {
  login: string;
  password: string;
  totp_code?: string;
  recovery_code?: string;
}

interface AuthState {
  profile: Profile | null;
  loading: boolean;
  expired: boolean;
  signIn: (creds: SignIn) => Promise<void>;
  signOut: () => Promise<void>;
  reloadProfile: () => Promise<void>;
  can: (...permissions: string[]) => boolean;
}

const AuthContext = createContext<AuthState | null>(null);

// True when the API asks for the second factor (a 401 naming totp_code).
export function needsSecondFactor(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && error.details.some((d) => d.field === 'totp_code');
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [profile, setProfile] = useState<Profile | null>(null);
  const [loading, setLoading] = useState<boolean>(session.get() !== null);
  const [expired, setExpired] = useState(false);

  const reloadProfile = useCallback(async () => {
    const p = await request<Profile>('GET', '/api/v1/auth/profile');
    setProfile(p);
  }, []);

  useEffect(() => {
    const off = session.subscribe((event) => {
      if (event === 'expired') setExpired(true);
      if (event === 'restored') setExpired(false);
    });
    if (session.get()) {
      reloadProfile()
        .catch(() => {
          session.clear();
          setProfile(null);
        })
        .finally(() => setLoading(false));
    }
    return () => {
      off();
    };
  }, [reloadProfile]);

  // Renew the access token a minute before it expires, while the page is open.
  useEffect(() => {
    if (!profile) return;
    let timer: ReturnType<typeof setTimeout>;
    const schedule = () => {
      const tokens = session.get();
      if (!tokens) return;
      const due = new Date(tokens.expires_at).getTime() - Date.now() - 60_000;
      timer = setTimeout(async () => {
        if (await session.refresh()) schedule();
      }, Math.max(due, 5_000));
    };
    schedule();
    return () => clearTimeout(timer);
  }, [profile]);

  const signIn = useCallback(
    async (creds: SignIn) => {
      const body: Record<string, string> = { login: creds.login, password: creds.password };
      if (creds.totp_code) body.totp_code = creds.totp_code;
      if (creds.recovery_code) body.recovery_code = creds.recovery_code;
      const tokens = await request<Tokens & { user: Profile }>('POST', '/api/v1/auth/login', {
        body,
        anonymous: true,
      });
      const previous = profile;
      if (session.expired && previous && tokens.user.id !== previous.id) {
        // Someone else signed in on the expired page: nothing of the first user's may remain.
        session.clear();
        queryClient.clear();
      }
      if (session.expired) session.restore(tokens);
      else session.set(tokens);
      await reloadProfile();
      setExpired(false);
    },
    [profile, queryClient, reloadProfile],
  );

  const signOut = useCallback(async () => {
    const tokens = session.get();
    if (tokens) {
      try {
        await request('POST', '/api/v1/auth/logout', { body: { refresh_token: tokens.refresh_token } });
      } catch {
        /* signing out locally is what matters */
      }
    }
    session.clear();
    queryClient.clear();
    setProfile(null);
    setExpired(false);
  }, [queryClient]);

  const can = useCallback(
    (...permissions: string[]) => !!profile && permissions.some((p) => profile.permissions.includes(p)),
    [profile],
  );

  const value = useMemo(
    () => ({ profile, loading, expired, signIn, signOut, reloadProfile, can }),
    [profile, loading, expired, signIn, signOut, reloadProfile, can],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
