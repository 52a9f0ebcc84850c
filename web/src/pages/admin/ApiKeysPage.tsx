// API keys: machine credentials for tank gauges, pump controllers, station tablets and
// integrations. List, create (the key shown once), revoke with a confirmation.
import { useMemo, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { api } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { DataTable } from '../../components/DataTable';
import { FormError, SelectField, TextField, useSubmission } from '../../components/Form';
import { Card } from '../../components/Page';
import { QueryView } from '../../components/States';
import { byId, useStations } from '../../lib/queries';
import { formatDateTime } from '../../lib/format';
import type { ApiKey, CreatedApiKey } from './types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormActions, Modal, Notice, SecretModal, StatusBadge } from './ui';
import { useUsers } from './UsersPage';

const KEY = ['admin', 'api-keys'];

type KeyRow = ApiKey & { stationName: string; creatorName: string | null };

export function keyState(k: ApiKey, now = Date.now()): 'revoked' | 'expired' | 'active' {
  if (k.revoked_at) return 'revoked';
  if (k.expires_at && new Date(k.expires_at).getTime() <= now) return 'expired';
  return 'active';
}

export function ApiKeysPage() {
  const { can } = useAuth();
  const keys = useQuery({ queryKey: KEY, queryFn: () => api.all<ApiKey>('/api/v1/api-keys') });
  const stations = useStations();
  const users = useUsers(can('users.read'));
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const canWrite = can('api_keys.write');
  const stationsLoading = stations.isPending;
  const stationById = useMemo(() => byId(stations.data), [stations.data]);
  const userById = useMemo(() => byId(users.data), [users.data]);
  // Rows carry the names of their station and creator: TanStack Table caches accessor values per
  // row, so names that load after the keys must come with new rows.
  const rows = useMemo<KeyRow[] | undefined>(
    () =>
      keys.data?.map((k) => ({
        ...k,
        stationName: !k.station_id
          ? 'Whole company (read-only)'
          : stationById.get(k.station_id)?.name ?? (stationsLoading ? 'Loading…' : `Station ${k.station_id}`),
        creatorName: k.created_by ? userById.get(k.created_by)?.display_name ?? 'an administrator' : null,
      })),
    [keys.data, stationById, userById, stationsLoading],
  );

  const columns = useMemo<ColumnDef<KeyRow, any>[]>(
    () => [
      { accessorKey: 'name', header: 'Name', cell: ({ getValue }) => <strong>{getValue()}</strong> },
      { accessorKey: 'role', header: 'Role' },
      {
        id: 'station',
        header: 'Station',
        accessorKey: 'stationName',
      },
      {
        id: 'state',
        header: 'Status',
        accessorFn: (k) => keyState(k),
        cell: ({ row }) => {
          const s = keyState(row.original);
          return s === 'active' ? (
            <StatusBadge tone="ok">Active</StatusBadge>
          ) : s === 'expired' ? (
            <StatusBadge tone="warn">Expired</StatusBadge>
          ) : (
            <>
              <StatusBadge tone="off">Revoked</StatusBadge>
              <div className="muted">{formatDateTime(row.original.revoked_at)}</div>
            </>
          );
        },
      },
      {
        id: 'created',
        header: 'Created',
        accessorFn: (k) => k.created_at,
        cell: ({ row }) => (
          <>
            {formatDateTime(row.original.created_at)}
            {row.original.creatorName && <div className="muted">by {row.original.creatorName}</div>}
          </>
        ),
      },
      {
        id: 'expires',
        header: 'Expires',
        accessorFn: (k) => k.expires_at ?? '',
        cell: ({ row }) => (row.original.expires_at ? formatDateTime(row.original.expires_at) : <span className="muted">Never</span>),
      },
      {
        id: 'last_used',
        header: 'Last used',
        accessorFn: (k) => k.last_used_at ?? '',
        cell: ({ row }) => (row.original.last_used_at ? formatDateTime(row.original.last_used_at) : <span className="muted">Never</span>),
      },
      ...(canWrite
        ? [
            {
              id: 'actions',
              header: 'Actions',
              enableSorting: false,
              cell: ({ row }: { row: { original: ApiKey } }) =>
                keyState(row.original) === 'revoked' ? null : (
                  <button type="button" className="btn" aria-label={`Revoke ${row.original.name}`} onClick={() => setRevoking(row.original)}>
                    Revoke
                  </button>
                ),
            } as ColumnDef<KeyRow, any>,
          ]
        : []),
    ],
    [canWrite],
  );

  return (
    <Card
      title="API keys"
      actions={
        canWrite && (
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            New API key
          </button>
        )
      }
    >
      <p className="muted">
        Keys let devices and integrations call the API: an Operator or StationManager key works at one station, an Auditor
        key reads the whole company. The server keeps only a hash of each key.
      </p>
      <Notice>{notice}</Notice>
      <QueryView query={keys} empty="No API keys yet." loadingLabel="Loading API keys…">
        {() => (
          <DataTable data={rows ?? []} columns={columns} caption="API keys" getRowId={(k) => k.id} initialSorting={[{ id: 'created', desc: true }]} />
        )}
      </QueryView>
      {creating && (
        <ApiKeyForm
          onClose={() => setCreating(false)}
          onCreated={async (k) => {
            await queryClient.invalidateQueries({ queryKey: KEY });
            setNotice(null);
            setCreating(false);
            setCreated(k);
          }}
        />
      )}
      {created && (
        <SecretModal
          title="API key created"
          onClose={() => setCreated(null)}
          secret={{
            label: 'API key',
            value: created.key,
            warning:
              'Copy it into the device or integration now: the server keeps only its hash, so it cannot be shown again. Send it as Authorization: Bearer … or X-API-Key.',
          }}
        >
          <p>
            <strong>{created.name}</strong>, {created.role}
            {created.station_id ? ` at ${stationById.get(created.station_id)?.name ?? created.station_id}` : ''}.
          </p>
        </SecretModal>
      )}
      {revoking && (
        <ConfirmDialog
          title={`Revoke “${revoking.name}”?`}
          confirmLabel="Revoke key"
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await api.del<ApiKey>(`/api/v1/api-keys/${revoking.id}`);
            await queryClient.invalidateQueries({ queryKey: KEY });
            setNotice(`Revoked “${revoking.name}”.`);
            setRevoking(null);
          }}
        >
          <p>
            Whatever uses this key stops working (within 30 seconds on every server). This cannot be undone: a new key would
            have to be created and installed.
          </p>
        </ConfirmDialog>
      )}
    </Card>
  );
}

function ApiKeyForm({ onClose, onCreated }: { onClose: () => void; onCreated: (k: CreatedApiKey) => Promise<void> }) {
  const stations = useStations();
  const [name, setName] = useState('');
  const [role, setRole] = useState('');
  const [stationId, setStationId] = useState('');
  const [expires, setExpires] = useState('');
  const form = useSubmission();
  const needsStation = role === 'Operator' || role === 'StationManager';

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!name.trim()) errs.name = 'Name the device or integration (e.g. “Tank gauge, Tema”).';
    if (!role) errs.role = 'Choose a role.';
    if (needsStation && !stationId) errs.station_id = 'Choose the station the key works at.';
    if (expires && !/^\d+$/.test(expires.trim())) errs.expires_in_days = 'A whole number of days, 1 to 3650.';
    else if (expires && (Number(expires) < 1 || Number(expires) > 3650)) errs.expires_in_days = 'A whole number of days, 1 to 3650.';
    await form.run(errs, async () => {
      const body: Record<string, unknown> = { name: name.trim(), role };
      if (needsStation) body.station_id = stationId;
      if (expires) body.expires_in_days = Number(expires);
      await onCreated(await api.post<CreatedApiKey>('/api/v1/api-keys', body));
    });
  }
  const err = form.err;
  return (
    <Modal title="New API key" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={err('name')} maxLength={120} />
        <SelectField
          label="Role"
          value={role}
          onChange={(e) => setRole(e.target.value)}
          placeholder="Choose a role…"
          options={[
            { value: 'Operator', label: 'Operator (records sales and dips at one station)' },
            { value: 'StationManager', label: 'StationManager (runs one station)' },
            { value: 'Auditor', label: 'Auditor (reads the whole company, changes nothing)' },
          ]}
          error={err('role')}
        />
        {needsStation && (
          <SelectField
            label="Station"
            value={stationId}
            onChange={(e) => setStationId(e.target.value)}
            placeholder={stations.isPending ? 'Loading stations…' : 'Choose a station…'}
            options={(stations.data ?? []).map((s) => ({ value: s.id, label: `${s.name} (${s.code})` }))}
            error={err('station_id')}
          />
        )}
        <TextField
          label="Expires after (days)"
          inputMode="numeric"
          value={expires}
          onChange={(e) => setExpires(e.target.value)}
          error={err('expires_in_days')}
          hint="Leave empty for a key valid until revoked."
        />
        <FormError error={form.error} shownFields={['name', 'role', 'station_id', 'expires_in_days']} />
        <FormActions busy={form.busy} label="Create key" busyLabel="Creating…" onCancel={onClose} />
      </form>
    </Modal>
  );
}
