import { Navigate, useLocation } from 'react-router-dom';
import { useAuth } from './AuthContext';
import { LoginForm } from './LoginForm';

export function LoginPage() {
  const { profile } = useAuth();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  if (profile) return <Navigate to={from} replace />;
  return (
    <div className="login-page">
      <main className="login-card" id="main">
        <h1>OMC ERP</h1>
        <p className="muted">Sign in to the console</p>
        <LoginForm />
      </main>
    </div>
  );
}

// Shown over the page when the session has expired: signing in again continues where the user
// was, with anything typed into the page's forms still there.
export function SessionExpiredDialog() {
  const { expired, profile, signOut } = useAuth();
  if (!expired) return null;
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="expired-title">
        <h2 id="expired-title">Your session has expired</h2>
        <p className="muted">Sign in again to carry on. What you typed on this page is kept.</p>
        <LoginForm presetLogin={profile?.username} />
        <button type="button" className="btn btn-quiet" onClick={() => void signOut()}>
          Sign out instead
        </button>
      </div>
    </div>
  );
}
