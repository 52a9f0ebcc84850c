// The audit log: who did what, when, to which record — filtered as GET /api/v1/audit takes it
// (actor, action, entity, time range), newest first, a page at a time from the server.
import { useMemo, useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { api } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { DataTable } from '../../components/DataTable';
import { SelectField, TextField } from '../../components/Form';
import { Card } from '../../components/Page';
import { Empty, ErrorState, Loading } from '../../components/States';
import { addDays, formatDateTime } from '../../lib/format';
import { useCursorPages } from '../../lib/cursorPages';
import { byId } from '../../lib/queries';
import type { AuditRecord } from './types';
import { useUsers } from './UsersPage';

export interface AuditFilters {
  user: string;
  action: string;
  entity_type: string;
  entity_id: string;
  from: string; // YYYY-MM-DD, Ghana date (UTC+0)
  to: string; // YYYY-MM-DD, inclusive
}

export const NO_FILTERS: AuditFilters = { user: '', action: '', entity_type: '', entity_id: '', from: '', to: '' };

// The query GET /api/v1/audit takes: dates become the RFC 3339 start of the day in Ghana time
// (UTC+0); `to` is exclusive on the server, so the day after the chosen last day.
export function auditQuery(f: AuditFilters): Record<string, string | undefined> {
  return {
    user: f.user.trim() || undefined,
    action: f.action.trim() || undefined,
    entity_type: f.entity_type.trim() || undefined,
    entity_id: f.entity_id.trim() || undefined,
    from: f.from ? `${f.from}T00:00:00Z` : undefined,
    to: f.to ? `${addDays(f.to, 1)}T00:00:00Z` : undefined,
  };
}

// Suggestions for the filters (any other value may be typed): actions are the API's route names.
const ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.password_changed',
  'users.create',
  'users.update',
  'users.reset_password',
  'api_keys.create',
  'api_keys.revoke',
  'security.set_mfa_policy',
  'webhooks.endpoints.create',
  'webhooks.endpoints.update',
  'webhooks.endpoints.delete',
  'webhooks.endpoints.rotate_secret',
];
const ENTITY_TYPES = ['user', 'api_key', 'mfa_policy', 'webhook_endpoint', 'webhook_delivery', 'sale', 'price_proposal', 'payment_intent', 'setting'];

function withSeen(base: string[], seen: Array<string | null | undefined>): string[] {
  return [...new Set([...base, ...seen.filter((x): x is string => !!x)])].sort();
}

export function AuditPage() {
  const { can } = useAuth();
  const users = useUsers(can('users.read'));
  const userById = useMemo(() => byId(users.data), [users.data]);
  const [draft, setDraft] = useState<AuditFilters>(NO_FILTERS);
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const pages = useCursorPages();
  const { page, pageSize, cursor } = pages;
  const [dateError, setDateError] = useState<string | null>(null);

  const records = useQuery({
    queryKey: ['admin', 'audit', filters, pageSize, cursor],
    queryFn: () => api.page<AuditRecord>('/api/v1/audit', { ...auditQuery(filters), limit: pageSize, cursor }),
    placeholderData: keepPreviousData,
  });

  function apply(e: FormEvent) {
    e.preventDefault();
    if (draft.from && draft.to && draft.to < draft.from) {
      setDateError('The last day is before the first day.');
      return;
    }
    setDateError(null);
    setFilters(draft);
    pages.reset();
  }

  function clear() {
    setDraft(NO_FILTERS);
    setFilters(NO_FILTERS);
    setDateError(null);
    pages.reset();
  }

  const actorName = (r: AuditRecord): string => {
    if (!r.actor_id) return r.actor_type === 'system' ? 'System' : '—';
    if (r.actor_type === 'api_key') return `API key ${r.actor_id.slice(0, 8)}…`;
    if (r.actor_type === 'system') return `System (${r.actor_id})`;
    const u = userById.get(r.actor_id);
    return u ? `${u.display_name} (${u.username})` : r.actor_id;
  };

  // Rows carry the actor's name: TanStack Table caches accessor values per row, so names that
  // load after the records must come with new rows.
  const rows = useMemo(
    () => records.data?.items.map((r) => ({ ...r, actor: actorName(r) })) ?? [],
    [records.data, userById],
  );
  type Row = (typeof rows)[number];

  const columns: ColumnDef<Row, any>[] = [
    { id: 'at', header: 'Time (Ghana)', accessorFn: (r) => r.at_us, cell: ({ row }) => formatDateTime(row.original.at) },
    {
      id: 'actor',
      header: 'Who',
      accessorKey: 'actor',
      cell: ({ row }) => (
        <>
          <span>{row.original.actor}</span>
          {row.original.role && <div className="muted">{row.original.role}</div>}
        </>
      ),
    },
    { accessorKey: 'action', header: 'Action', cell: ({ getValue }) => <code>{getValue()}</code> },
    {
      id: 'entity',
      header: 'Record',
      accessorFn: (r) => `${r.entity_type ?? ''} ${r.entity_id ?? ''}`,
      cell: ({ row }) =>
        row.original.entity_type ? (
          <>
            {row.original.entity_type}
            {row.original.entity_id && (
              <div>
                <code className="muted id">{row.original.entity_id}</code>
              </div>
            )}
          </>
        ) : (
          '—'
        ),
    },
    {
      id: 'summary',
      header: 'What changed',
      enableSorting: false,
      cell: ({ row }) => <SummaryView record={row.original} />,
    },
  ];

  const data = records.data;
  const filtered = Object.values(filters).some(Boolean);
  return (
    <Card title="Audit log">
      <p className="muted">
        Every change made in the company, newest first. Records cannot be edited or deleted; each is chained to the one
        before it by its hash.
      </p>
      <form className="filters audit-filters" onSubmit={apply} aria-label="Audit log filters">
        {can('users.read') ? (
          <SelectField
            label="Who"
            value={draft.user}
            onChange={(e) => setDraft({ ...draft, user: e.target.value })}
            options={[...(users.data ?? [])]
              .sort((a, b) => a.display_name.localeCompare(b.display_name))
              .map((u) => ({ value: u.id, label: `${u.display_name} (${u.username})` }))}
            placeholder="Anyone"
          />
        ) : (
          <TextField label="Actor id" value={draft.user} onChange={(e) => setDraft({ ...draft, user: e.target.value })} />
        )}
        <TextField
          label="Action"
          value={draft.action}
          onChange={(e) => setDraft({ ...draft, action: e.target.value })}
          placeholder="e.g. users.create"
          list="audit-actions"
        />
        <datalist id="audit-actions">
          {withSeen(ACTIONS, data?.items.map((r) => r.action) ?? []).map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <TextField
          label="Record type"
          value={draft.entity_type}
          onChange={(e) => setDraft({ ...draft, entity_type: e.target.value })}
          placeholder="e.g. user"
          list="audit-entities"
        />
        <datalist id="audit-entities">
          {withSeen(ENTITY_TYPES, data?.items.map((r) => r.entity_type) ?? []).map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <TextField label="Record id" value={draft.entity_id} onChange={(e) => setDraft({ ...draft, entity_id: e.target.value })} />
        <TextField label="From (day)" type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        <TextField
          label="To (day, included)"
          type="date"
          value={draft.to}
          onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          error={dateError ?? undefined}
        />
        <div className="filter-buttons">
          <button type="submit" className="btn btn-primary">
            Apply filters
          </button>
          <button type="button" className="btn" onClick={clear} disabled={!filtered && !Object.values(draft).some(Boolean)}>
            Clear
          </button>
        </div>
      </form>
      {records.isPending ? (
        <Loading label="Loading the audit log…" />
      ) : records.isError ? (
        <ErrorState error={records.error} onRetry={() => records.refetch()} />
      ) : data && data.items.length === 0 && page === 0 ? (
        <Empty>{filtered ? 'No audit records match these filters.' : 'The audit log is empty.'}</Empty>
      ) : (
        <DataTable
          data={rows}
          columns={columns}
          caption="Audit records"
          getRowId={(r) => r.id}
          filterPlaceholder="Filter this page…"
          serverPaging={pages.paging(data?.nextCursor)}
        />
      )}
    </Card>
  );
}

// The record's summary as indented JSON, folded until opened, with the request and chain facts.
export function SummaryView({ record }: { record: AuditRecord }) {
  const text = JSON.stringify(record.summary ?? {}, null, 2);
  const empty = text === '{}' || text === 'null';
  return (
    <details className="audit-summary">
      <summary>{empty ? 'Details' : summaryHeadline(record.summary)}</summary>
      {!empty && (
        // Focusable so a keyboard can scroll a long summary.
        <pre tabIndex={0} aria-label={`Summary of ${record.action}`}>
          {text}
        </pre>
      )}
      <dl className="facts small">
        <dt>Sequence</dt>
        <dd>{record.seq}</dd>
        {record.request_id && (
          <>
            <dt>Request id</dt>
            <dd>
              <code>{record.request_id}</code>
            </dd>
          </>
        )}
        {record.client_address && (
          <>
            <dt>Client address</dt>
            <dd>{record.client_address}</dd>
          </>
        )}
        <dt>Hash</dt>
        <dd>
          <code className="id">{record.hash}</code>
        </dd>
      </dl>
    </details>
  );
}

// A one-line hint of what the summary holds: its top-level fields.
export function summaryHeadline(summary: unknown): string {
  if (!summary || typeof summary !== 'object') return 'Details';
  const keys = Object.keys(summary as object);
  if (keys.length === 0) return 'Details';
  const shown = keys.slice(0, 4).join(', ');
  return keys.length > 4 ? `${shown}, … (${keys.length} fields)` : shown;
}
