import { Suspense, useState, type ReactNode } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { SECTIONS } from '../nav';
import { Loading } from './States';

export function Layout() {
  const { profile, can, signOut } = useAuth();
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  const sections = SECTIONS.filter((s) => can(...s.anyOf));
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="sidenav"
          onClick={() => setMenuOpen((o) => !o)}
        >
          Menu
        </button>
        <span className="brand">OMC ERP</span>
        <div className="topbar-user">
          <NavLink to="/account" className="user-link">
            {profile?.display_name} <span className="role-badge">{profile?.role}</span>
          </NavLink>
          <button type="button" className="btn btn-quiet" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <nav id="sidenav" className={menuOpen ? 'sidenav open' : 'sidenav'} aria-label="Sections">
        <ul>
          {sections.map((s) => (
            <li key={s.path}>
              <NavLink to={s.path} end={s.path === '/'} onClick={() => setMenuOpen(false)}>
                {s.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1} key={location.pathname.split('/')[1]}>
        <Suspense fallback={<Loading label="Opening…" />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}

// Opens its children only to a role with any of `anyOf`; others see why not.
export function RequirePermission({ anyOf, children }: { anyOf: string[]; children: ReactNode }) {
  const { can } = useAuth();
  if (!can(...anyOf)) return <Forbidden />;
  return <>{children}</>;
}

export function Forbidden() {
  return (
    <div className="state state-forbidden" role="alert">
      <h1>Not available for your role</h1>
      <p>This part of the console is not open to your role. Ask a company administrator if you need it.</p>
    </div>
  );
}

export function NotFoundPage() {
  return (
    <div className="state" role="alert">
      <h1>Page not found</h1>
      <p>
        <NavLink to="/">Back to the overview</NavLink>
      </p>
    </div>
  );
}
