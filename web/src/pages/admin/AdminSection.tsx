// Administration (/admin/*): users, roles and their permissions, the MFA policy, API keys,
// webhooks and the audit log. Each tab opens only to a role with its read permission; the actions
// inside need the matching write permission (the API enforces both).
import { Navigate, NavLink, Route, Routes } from 'react-router-dom';
import { useAuth } from '../../auth/AuthContext';
import { Forbidden } from '../../components/Layout';
import { PageHeader } from '../../components/Page';
import { UsersPage } from './UsersPage';
import { RolesPage } from './RolesPage';
import { MfaPolicyPage } from './MfaPolicyPage';
import { ApiKeysPage } from './ApiKeysPage';
import { WebhooksPage, WebhookEndpointPage } from './WebhooksPage';
import { AuditPage } from './AuditPage';
import './admin.css';

export const ADMIN_TABS = [
  { path: 'users', label: 'Users', permission: 'users.read' },
  { path: 'roles', label: 'Roles and scopes', permission: 'users.read' },
  { path: 'mfa', label: 'MFA policy', permission: 'security.read' },
  { path: 'api-keys', label: 'API keys', permission: 'api_keys.read' },
  { path: 'webhooks', label: 'Webhooks', permission: 'webhooks.read' },
  { path: 'audit', label: 'Audit log', permission: 'audit.read' },
] as const;

function Gate({ permission, children }: { permission: string; children: React.ReactNode }) {
  const { can } = useAuth();
  return can(permission) ? <>{children}</> : <Forbidden />;
}

export function AdminSection() {
  const { can } = useAuth();
  const tabs = ADMIN_TABS.filter((t) => can(t.permission));
  return (
    <div className="admin">
      <PageHeader title="Administration" subtitle="Users, access and security settings of the company, and the audit log." />
      <nav className="tabs" aria-label="Administration">
        {tabs.map((t) => (
          <NavLink key={t.path} to={`/admin/${t.path}`} className={({ isActive }) => (isActive ? 'tab active' : 'tab')}>
            {t.label}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route index element={tabs.length ? <Navigate to={`/admin/${tabs[0].path}`} replace /> : <Forbidden />} />
        <Route path="users" element={<Gate permission="users.read"><UsersPage /></Gate>} />
        <Route path="roles" element={<Gate permission="users.read"><RolesPage /></Gate>} />
        <Route path="mfa" element={<Gate permission="security.read"><MfaPolicyPage /></Gate>} />
        <Route path="api-keys" element={<Gate permission="api_keys.read"><ApiKeysPage /></Gate>} />
        <Route path="webhooks" element={<Gate permission="webhooks.read"><WebhooksPage /></Gate>} />
        <Route path="webhooks/:id" element={<Gate permission="webhooks.read"><WebhookEndpointPage /></Gate>} />
        <Route path="audit" element={<Gate permission="audit.read"><AuditPage /></Gate>} />
        <Route
          path="*"
          element={
            <div className="state" role="alert">
              <h2>Page not found</h2>
              <p>
                <NavLink to="/admin">Back to Administration</NavLink>
              </p>
            </div>
          }
        />
      </Routes>
    </div>
  );
}
