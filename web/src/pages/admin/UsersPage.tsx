// Users: who may sign in, with which role and where. Create a user (the initial password shown
// once), change role and scope, deactivate or reactivate, reset a password (shown once).
import { useMemo, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { api } from '../../api/client';
import type { User } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { DataTable } from '../../components/DataTable';
import { FormError, SelectField, TextField, useSubmission } from '../../components/Form';
import { Card } from '../../components/Page';
import { QueryView } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import type { CreatedUser, ResetUser } from './types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import {
  FormActions,
  Modal,
  Notice,
  ScopePicker,
  SecretModal,
  StatusBadge,
  TENANT_ROLES,
  describeScope,
  roleScopeKind,
  scopeError,
  useRoles,
  useScopeOptions,
  type ScopeOption,
} from './ui';

export const USERS_KEY = ['admin', 'users'];

type UserRow = User & { scopeText: string };

export function useUsers(enabled = true) {
  return useQuery({ queryKey: USERS_KEY, queryFn: () => api.all<User>('/api/v1/users'), enabled });
}

type Dialog =
  | { kind: 'create' }
  | { kind: 'created'; user: CreatedUser }
  | { kind: 'edit'; user: User }
  | { kind: 'deactivate'; user: User }
  | { kind: 'reset'; user: User }
  | { kind: 'reset-done'; user: ResetUser };

export function UsersPage() {
  const { can, profile } = useAuth();
  const users = useUsers();
  const scope = useScopeOptions();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const canWrite = can('users.write');
  const canReset = can('users.reset_password');

  const refresh = () => queryClient.invalidateQueries({ queryKey: USERS_KEY });
  // Rows carry the names of their scope: TanStack Table caches accessor values per row, so names
  // that load after the users must come with new rows.
  const rows = useMemo<UserRow[] | undefined>(
    () => users.data?.map((u) => ({ ...u, scopeText: describeScope(u.scope_kind, u.scope_ids, scope.options) })),
    [users.data, scope.options],
  );

  async function setActive(user: User, active: boolean) {
    await api.patch<User>(`/api/v1/users/${user.id}`, { active });
    await refresh();
    setNotice(`${user.display_name} (${user.username}) is ${active ? 'active again' : 'deactivated: their sessions have ended'}.`);
    setDialog(null);
  }

  const columns = useMemo<ColumnDef<UserRow, any>[]>(
    () => [
      {
        id: 'name',
        header: 'Name',
        accessorFn: (u) => `${u.display_name} ${u.username}`,
        cell: ({ row }) => (
          <>
            <strong>{row.original.display_name}</strong>
            <div className="muted">{row.original.username}</div>
          </>
        ),
      },
      { accessorKey: 'email', header: 'Email' },
      { accessorKey: 'role', header: 'Role' },
      {
        id: 'scope',
        header: 'Scope',
        accessorKey: 'scopeText',
      },
      {
        id: 'status',
        header: 'Status',
        accessorFn: (u) => (u.active ? 'active' : 'inactive'),
        cell: ({ row }) => {
          const u = row.original;
          return (
            <div className="badges">
              {u.active ? <StatusBadge tone="ok">Active</StatusBadge> : <StatusBadge tone="off">Inactive</StatusBadge>}
              {u.must_change_password && <StatusBadge tone="warn">Must change password</StatusBadge>}
              {u.mfa_enabled && <StatusBadge tone="ok">MFA on</StatusBadge>}
            </div>
          );
        },
      },
      {
        id: 'last_login_at',
        header: 'Last sign-in',
        accessorFn: (u) => u.last_login_at ?? '',
        cell: ({ row }) => (row.original.last_login_at ? formatDateTime(row.original.last_login_at) : <span className="muted">Never</span>),
      },
      ...(canWrite || canReset
        ? [
            {
              id: 'actions',
              header: 'Actions',
              enableSorting: false,
              cell: ({ row }: { row: { original: User } }) => {
                const u = row.original;
                const self = u.id === profile?.id;
                return (
                  <div className="row-actions">
                    {canWrite && (
                      <button type="button" className="btn" aria-label={`Edit ${u.username}`} onClick={() => setDialog({ kind: 'edit', user: u })}>
                        Edit
                      </button>
                    )}
                    {canReset && (
                      <button type="button" className="btn" aria-label={`Reset password of ${u.username}`} onClick={() => setDialog({ kind: 'reset', user: u })}>
                        Reset password
                      </button>
                    )}
                    {canWrite && !self && u.active && (
                      <button type="button" className="btn" aria-label={`Deactivate ${u.username}`} onClick={() => setDialog({ kind: 'deactivate', user: u })}>
                        Deactivate
                      </button>
                    )}
                    {canWrite && !self && !u.active && (
                      <button
                        type="button"
                        className="btn"
                        aria-label={`Reactivate ${u.username}`}
                        onClick={() => void setActive(u, true).catch((e) => setNotice(`Could not reactivate: ${e.message}`))}
                      >
                        Reactivate
                      </button>
                    )}
                  </div>
                );
              },
            } as ColumnDef<UserRow, any>,
          ]
        : []),
    ],
    [canWrite, canReset, profile?.id],
  );

  return (
    <Card
      title="Users"
      actions={
        canWrite && (
          <button type="button" className="btn btn-primary" onClick={() => setDialog({ kind: 'create' })}>
            New user
          </button>
        )
      }
    >
      <Notice>{notice}</Notice>
      <QueryView query={users} empty="No users yet." loadingLabel="Loading users…">
        {() => (
          <DataTable
            data={rows ?? []}
            columns={columns}
            caption="Users"
            filterPlaceholder="Filter by name, email, role, scope…"
            getRowId={(u) => u.id}
            initialSorting={[{ id: 'name', desc: false }]}
          />
        )}
      </QueryView>

      {dialog?.kind === 'create' && (
        <UserForm
          options={scope.options}
          optionsLoading={scope.loading}
          onClose={() => setDialog(null)}
          onSaved={async (u) => {
            await refresh();
            setNotice(null);
            setDialog({ kind: 'created', user: u as CreatedUser });
          }}
        />
      )}
      {dialog?.kind === 'created' && (
        <SecretModal
          title="User created"
          onClose={() => setDialog(null)}
          secret={{
            label: 'Initial password',
            value: dialog.user.initial_password,
            warning: 'Give it to the user in person or over a trusted channel. They must choose a new password when they first sign in.',
          }}
        >
          <p>
            <strong>{dialog.user.display_name}</strong> ({dialog.user.username}) can now sign in as {dialog.user.role},{' '}
            {describeScope(dialog.user.scope_kind, dialog.user.scope_ids, scope.options)}.
          </p>
        </SecretModal>
      )}
      {dialog?.kind === 'edit' && (
        <UserForm
          user={dialog.user}
          self={dialog.user.id === profile?.id}
          options={scope.options}
          optionsLoading={scope.loading}
          onClose={() => setDialog(null)}
          onSaved={async (u) => {
            await refresh();
            setNotice(`Saved ${u.display_name} (${u.username}).`);
            setDialog(null);
          }}
        />
      )}
      {dialog?.kind === 'deactivate' && (
        <ConfirmDialog
          title={`Deactivate ${dialog.user.username}?`}
          confirmLabel="Deactivate"
          onClose={() => setDialog(null)}
          onConfirm={() => setActive(dialog.user, false)}
        >
          <p>
            {dialog.user.display_name} will no longer be able to sign in, and every session they have open ends now (an
            access token already issued lapses within 15 minutes). You can reactivate the account later.
          </p>
        </ConfirmDialog>
      )}
      {dialog?.kind === 'reset' && (
        <ResetPasswordDialog
          user={dialog.user}
          onClose={() => setDialog(null)}
          onDone={async (u) => {
            await refresh();
            setDialog({ kind: 'reset-done', user: u });
          }}
        />
      )}
      {dialog?.kind === 'reset-done' && (
        <SecretModal
          title="Password reset"
          onClose={() => setDialog(null)}
          secret={{
            label: 'Temporary password',
            value: dialog.user.temporary_password,
            warning: 'Give it to the user in person or over a trusted channel; it cannot be shown again.',
          }}
        >
          <p>
            {dialog.user.display_name} ({dialog.user.username}) is signed out everywhere and must choose a new password at
            the next sign-in.
          </p>
        </SecretModal>
      )}
    </Card>
  );
}

// Create a user, or change one (display name, email, role, scope).
export function UserForm({
  user,
  self = false,
  options,
  optionsLoading = false,
  onClose,
  onSaved,
}: {
  user?: User;
  self?: boolean;
  options: Record<'region' | 'station' | 'dealer', ScopeOption[]>;
  optionsLoading?: boolean;
  onClose: () => void;
  onSaved: (user: User) => Promise<void> | void;
}) {
  const roles = useRoles();
  const [username, setUsername] = useState(user?.username ?? '');
  const [email, setEmail] = useState(user?.email ?? '');
  const [displayName, setDisplayName] = useState(user?.display_name ?? '');
  const [role, setRole] = useState(user?.role ?? '');
  const [scopeIds, setScopeIds] = useState<string[]>(user?.scope_ids ?? []);
  const form = useSubmission();
  const kind = role ? roleScopeKind(role, roles.data) : 'tenant';
  const roleOptions = (roles.data?.map((r) => r.role).filter((r) => r !== 'SuperAdmin') ?? [...TENANT_ROLES]).map((r) => ({
    value: r,
    label: r,
  }));

  function changeRole(next: string) {
    // A role of another scope kind cannot keep the old places.
    if (roleScopeKind(next, roles.data) !== kind) setScopeIds([]);
    setRole(next);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!user && !username.trim()) local.username = 'Enter a username.';
    if (!email.trim()) local.email = 'Enter an email address.';
    if (!displayName.trim()) local.display_name = 'Enter the name people know them by.';
    if (!role) local.role = 'Choose a role.';
    if (role && kind !== 'tenant' && kind !== 'platform' && scopeIds.length === 0)
      local.scope_ids = kind === 'dealer' ? 'Choose the dealer.' : `Choose at least one ${kind}.`;
    await form.run(local, async () => {
      const scoped = kind === 'tenant' || kind === 'platform' ? [] : scopeIds;
      let saved: User;
      if (!user) {
        saved = await api.post<CreatedUser>('/api/v1/users', {
          username: username.trim(),
          email: email.trim(),
          display_name: displayName.trim(),
          role,
          scope_ids: scoped,
        });
      } else {
        const body: Record<string, unknown> = {};
        if (email.trim() !== user.email) body.email = email.trim();
        if (displayName.trim() !== user.display_name) body.display_name = displayName.trim();
        if (role !== user.role) body.role = role;
        const sameScope = scoped.length === user.scope_ids.length && scoped.every((s) => user.scope_ids.includes(s));
        if (!sameScope || role !== user.role) body.scope_ids = scoped;
        if (Object.keys(body).length === 0) {
          onClose();
          return;
        }
        saved = await api.patch<User>(`/api/v1/users/${user.id}`, body);
      }
      await onSaved(saved);
    });
  }

  const err = form.err;
  const changesAccess = user && (role !== user.role || scopeIds.join() !== user.scope_ids.join());
  return (
    <Modal title={user ? `Edit ${user.username}` : 'New user'} onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        <div className="form-row">
          {user ? (
            <div className="field">
              <span className="field-label">Username</span>
              <span>{user.username}</span>
            </div>
          ) : (
            <TextField
              label="Username"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              error={err('username')}
              hint="3–64 letters, digits, dots, dashes or underscores; used to sign in."
              autoComplete="off"
            />
          )}
          <TextField label="Display name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} error={err('display_name')} />
          <TextField label="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={err('email')} autoComplete="off" />
          <SelectField
            label="Role"
            value={role}
            onChange={(e) => changeRole(e.target.value)}
            options={roleOptions}
            placeholder="Choose a role…"
            error={err('role')}
            disabled={self}
            hint={self ? 'You cannot change your own role.' : undefined}
          />
        </div>
        {role && (
          <ScopePicker
            kind={kind}
            value={scopeIds}
            onChange={setScopeIds}
            options={options}
            loading={optionsLoading}
            error={form.local.scope_ids ?? scopeError(form.error)}
          />
        )}
        {changesAccess && (
          <p className="field-hint">Changing the role or scope signs {user?.display_name} out everywhere.</p>
        )}
        <FormError error={form.error} shownFields={['username', 'email', 'display_name', 'role', 'scope_ids']} />
        <FormActions busy={form.busy} label={user ? 'Save changes' : 'Create user'} busyLabel="Saving…" onCancel={onClose} />
      </form>
    </Modal>
  );
}

function ResetPasswordDialog({ user, onClose, onDone }: { user: User; onClose: () => void; onDone: (u: ResetUser) => Promise<void> }) {
  const [resetMfa, setResetMfa] = useState(false);
  return (
    <ConfirmDialog
      title={`Reset the password of ${user.username}?`}
      confirmLabel="Reset password"
      onClose={onClose}
      onConfirm={async () => {
        const u = await api.post<ResetUser>(`/api/v1/users/${user.id}/reset-password`, { reset_mfa: resetMfa });
        await onDone(u);
      }}
    >
      <p>
        {user.display_name} gets a temporary password, shown to you once, and must choose a new one at the next sign-in. Every
        session they have open ends now.
      </p>
      {user.mfa_enabled && (
        <label className="check">
          <input type="checkbox" checked={resetMfa} onChange={(e) => setResetMfa(e.target.checked)} /> Also remove their second
          factor (lost phone): they enrol again after signing in
        </label>
      )}
    </ConfirmDialog>
  );
}
