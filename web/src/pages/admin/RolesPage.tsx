// Roles and scopes: the permission matrix (which role may do what, and where) from
// GET /api/v1/roles. A server without that route gets a clear explanation, not an empty table.
import { ApiError } from '../../api/client';
import { Card } from '../../components/Page';
import { Empty, ErrorState, Loading } from '../../components/States';
import type { RoleInfo, ScopeKind } from './types';
import { SCOPE_NOUN, useRoles } from './ui';

// Permissions in the order the roles list them (docs/security.md's order), each once.
export function permissionRows(roles: RoleInfo[]): string[] {
  const seen = new Set<string>();
  const rows: string[] = [];
  for (const r of roles) {
    for (const p of r.permissions) {
      if (seen.has(p)) continue;
      seen.add(p);
      rows.push(p);
    }
  }
  return rows;
}

function scopeText(r: RoleInfo): string {
  const kinds = r.scopes ?? r.scope_kinds ?? [];
  if (kinds.length === 0) return '—';
  return kinds
    .map((k) => {
      const noun = SCOPE_NOUN[k as ScopeKind];
      if (!noun) return k;
      return k === 'tenant' || k === 'platform' ? noun.one : `chosen ${noun.many}`;
    })
    .join(', ');
}

export function RolesPage() {
  const roles = useRoles();
  if (roles.isPending) return <Loading label="Loading roles…" />;
  if (roles.isError) {
    if (roles.error instanceof ApiError && roles.error.status === 404) {
      return (
        <div className="state state-error" role="alert">
          <strong>The role catalogue is not available from this server.</strong> GET /api/v1/roles answered 404: this
          server is older than the console. The permission matrix is in the product documentation (docs/security.md) and{' '}
          <code>omc admin permissions</code> prints it; it appears here once the server is updated.
        </div>
      );
    }
    return <ErrorState error={roles.error} onRetry={() => roles.refetch()} />;
  }
  const list = roles.data.filter((r) => r.role !== 'SuperAdmin');
  if (list.length === 0) return <Empty>The server lists no roles.</Empty>;
  const rows = permissionRows(list);
  return (
    <>
      <Card title="Roles">
        <div className="table-scroll" role="region" aria-label="Roles (scrolls)" tabIndex={0}>
          <table>
            <caption className="sr-only">Roles, where they apply and what they are for</caption>
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Granted on</th>
                <th scope="col">What it is for</th>
                <th scope="col" className="num">
                  Permissions
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((r) => (
                <tr key={r.role}>
                  <th scope="row">{r.role}</th>
                  <td>{scopeText(r)}</td>
                  <td>{r.description ?? '—'}</td>
                  <td className="num">{r.permissions.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      <Card title="Permission matrix">
        <p className="muted">
          The permission says what a role may do; the scope says where (a StationManager of Accra Osu manages only that
          station). The server enforces exactly this matrix.
        </p>
        <div className="table-scroll matrix-scroll" role="region" aria-label="Permission matrix (scrolls)" tabIndex={0}>
          <table className="matrix">
            <caption className="sr-only">Which role has which permission</caption>
            <thead>
              <tr>
                <th scope="col">Permission</th>
                {list.map((r) => (
                  <th key={r.role} scope="col" className="matrix-role">
                    {r.role}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p}>
                  <th scope="row">
                    <code>{p}</code>
                  </th>
                  {list.map((r) => {
                    const has = r.permissions.includes(p);
                    return (
                      <td key={r.role} className={has ? 'matrix-yes' : 'matrix-no'}>
                        {has ? <span role="img" aria-label={`${r.role} has ${p}`}>✔</span> : <span className="sr-only">{`${r.role} does not have ${p}`}</span>}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </>
  );
}
