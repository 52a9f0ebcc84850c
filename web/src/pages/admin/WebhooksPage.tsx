// Webhooks: the company's endpoints (add, edit, disable, delete, rotate the signing secret, send a
// test event) and, per endpoint, its deliveries with every attempt, and redelivery.
// docs/webhooks.md is the integrator's guide these pages follow.
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { api, newIdempotencyKey } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { DataTable } from '../../components/DataTable';
import { FormError, SelectField, TextField, useSubmission } from '../../components/Form';
import { Card } from '../../components/Page';
import { Empty, ErrorState, Loading, QueryView } from '../../components/States';
import { addDays, formatDateTime, ghanaToday } from '../../lib/format';
import { useCursorPages } from '../../lib/cursorPages';
import { LIVE_INTERVAL_MS } from '../../lib/queries';
import type { WebhookDelivery, WebhookEndpoint } from './types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormActions, Modal, Notice, SecretModal, StatusBadge } from './ui';

const LIST_KEY = ['admin', 'webhooks'];

function useEventTypes() {
  return useQuery({
    queryKey: ['admin', 'webhook-event-types'],
    queryFn: () => api.get<string[]>('/api/v1/webhooks/event-types'),
    staleTime: 10 * 60_000,
  });
}

function eventsText(types: string[]): string {
  if (types.includes('*')) return 'All events';
  if (types.length <= 3) return types.join(', ');
  return `${types.slice(0, 2).join(', ')} and ${types.length - 2} more`;
}

function EndpointState({ e }: { e: WebhookEndpoint }) {
  return e.enabled ? (
    <StatusBadge tone="ok">Enabled</StatusBadge>
  ) : (
    <StatusBadge tone="off">Disabled{e.disabled_reason ? ` (${e.disabled_reason})` : ''}</StatusBadge>
  );
}

export function WebhooksPage() {
  const { can } = useAuth();
  const endpoints = useQuery({ queryKey: LIST_KEY, queryFn: () => api.all<WebhookEndpoint>('/api/v1/webhooks/endpoints') });
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<WebhookEndpoint | null>(null);
  const canManage = can('webhooks.manage');

  const columns = useMemo<ColumnDef<WebhookEndpoint, any>[]>(
    () => [
      {
        accessorKey: 'url',
        header: 'Endpoint',
        cell: ({ row }) => (
          <>
            <Link to={`/admin/webhooks/${row.original.id}`}>
              <code>{row.original.url}</code>
            </Link>
            {row.original.description && <div className="muted">{row.original.description}</div>}
          </>
        ),
      },
      { id: 'events', header: 'Events', accessorFn: (e) => eventsText(e.event_types) },
      { id: 'state', header: 'Status', accessorFn: (e) => (e.enabled ? 'enabled' : 'disabled'), cell: ({ row }) => <EndpointState e={row.original} /> },
      { id: 'created', header: 'Added', accessorFn: (e) => e.created_at, cell: ({ row }) => formatDateTime(row.original.created_at) },
      {
        id: 'open',
        header: 'Deliveries',
        enableSorting: false,
        cell: ({ row }) => (
          <Link className="btn" to={`/admin/webhooks/${row.original.id}`} aria-label={`Open ${row.original.url}`}>
            Open
          </Link>
        ),
      },
    ],
    [],
  );

  return (
    <Card
      title="Webhook endpoints"
      actions={
        canManage && (
          <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
            Add endpoint
          </button>
        )
      }
    >
      <p className="muted">
        OMC ERP calls these URLs when something happens in the company's data (a sale, a delivery, a price change), signed
        as Standard Webhooks. Open an endpoint for its deliveries, its secret and test events.
      </p>
      <QueryView query={endpoints} empty="No webhook endpoints yet." loadingLabel="Loading endpoints…">
        {(data) => <DataTable data={data} columns={columns} caption="Webhook endpoints" getRowId={(e) => e.id} />}
      </QueryView>
      {adding && (
        <EndpointForm
          onClose={() => setAdding(false)}
          onSaved={async (e) => {
            await queryClient.invalidateQueries({ queryKey: LIST_KEY });
            setAdding(false);
            setCreated(e);
          }}
        />
      )}
      {created && (
        <SecretModal
          title="Endpoint added"
          onClose={() => setCreated(null)}
          secret={{
            label: 'Signing secret',
            value: created.secret,
            warning: 'Store it in your receiver now to verify signatures (docs/webhooks.md): it is never shown again. Rotating makes a new one.',
          }}
          actions={
            <Link className="btn" to={`/admin/webhooks/${created.id}`}>
              Open the endpoint
            </Link>
          }
        >
          <p>
            <code>{created.url}</code> will receive {eventsText(created.event_types).toLowerCase()} from now on.
          </p>
        </SecretModal>
      )}
    </Card>
  );
}

// Add or change an endpoint: URL, description and the event types it subscribes to.
export function EndpointForm({
  endpoint,
  onClose,
  onSaved,
}: {
  endpoint?: WebhookEndpoint;
  onClose: () => void;
  onSaved: (e: WebhookEndpoint) => Promise<void>;
}) {
  const types = useEventTypes();
  const [url, setUrl] = useState(endpoint?.url ?? 'https://');
  const [description, setDescription] = useState(endpoint?.description ?? '');
  const [selected, setSelected] = useState<string[]>(endpoint?.event_types ?? []);
  const form = useSubmission();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const all = selected.includes('*');

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!/^https?:\/\/[^\s/]+/i.test(url.trim())) errs.url = 'Enter the full address, starting with https:// (or http://).';
    if (selected.length === 0) errs.event_types = 'Choose at least one event type, or all events.';
    await form.run(errs, async () => {
      const event_types = all ? ['*'] : selected;
      let saved: WebhookEndpoint;
      if (endpoint) {
        saved = await api.patch<WebhookEndpoint>(`/api/v1/webhooks/endpoints/${endpoint.id}`, {
          url: url.trim(),
          description: description.trim() || null,
          event_types,
        });
      } else {
        const body: Record<string, unknown> = { url: url.trim(), event_types };
        if (description.trim()) body.description = description.trim();
        saved = await api.post<WebhookEndpoint>('/api/v1/webhooks/endpoints', body, idempotencyKey);
      }
      await onSaved(saved);
    });
  }

  const groups = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const t of types.data ?? []) {
      if (t === '*') continue;
      const g = t.split('.')[0];
      map.set(g, [...(map.get(g) ?? []), t]);
    }
    return [...map.entries()];
  }, [types.data]);
  const eventsError = form.err('event_types') ?? prefixedFieldError(form.error, 'event_types[');

  return (
    <Modal title={endpoint ? 'Edit endpoint' : 'Add a webhook endpoint'} onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        <TextField
          label="URL"
          type="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          error={form.err('url')}
          hint="http:// or https://, without user:password@ or #fragment. Redirects are not followed."
        />
        <TextField
          label="Description (optional)"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          error={form.err('description')}
          maxLength={500}
        />
        <fieldset className={`check-fieldset${eventsError ? ' field-invalid' : ''}`}>
          <legend>Event types</legend>
          {types.isPending ? (
            <Loading label="Loading event types…" />
          ) : types.isError ? (
            <ErrorState error={types.error} onRetry={() => types.refetch()} />
          ) : (
            <>
              <label className="check">
                <input
                  type="checkbox"
                  checked={all}
                  onChange={(e) => setSelected(e.target.checked ? ['*'] : [])}
                />{' '}
                All events, including types added later
              </label>
              {!all && (
                <div className="event-groups">
                  {groups.map(([group, list]) => (
                    <fieldset key={group} className="event-group">
                      <legend>{group}</legend>
                      <ul className="check-list">
                        {list.map((t) => (
                          <li key={t}>
                            <label>
                              <input
                                type="checkbox"
                                checked={selected.includes(t)}
                                onChange={(e) =>
                                  setSelected(e.target.checked ? [...selected, t] : selected.filter((x) => x !== t))
                                }
                              />{' '}
                              <code>{t}</code>
                            </label>
                          </li>
                        ))}
                      </ul>
                    </fieldset>
                  ))}
                </div>
              )}
            </>
          )}
          {eventsError && (
            <div className="field-error" role="alert">
              {eventsError}
            </div>
          )}
        </fieldset>
        <FormError error={form.error} shownFields={['url', 'description', 'event_types']} />
        <FormActions busy={form.busy} label={endpoint ? 'Save changes' : 'Add endpoint'} busyLabel="Saving…" onCancel={onClose} />
      </form>
    </Modal>
  );
}

function prefixedFieldError(error: unknown, prefix: string): string | undefined {
  const details = (error as { details?: Array<{ field: string; message: string }> } | null)?.details;
  const d = details?.find((x) => x.field.startsWith(prefix));
  return d ? `${d.field}: ${d.message}` : undefined;
}

type Action = 'edit' | 'disable' | 'delete' | 'rotate' | null;

export function WebhookEndpointPage() {
  const { id = '' } = useParams();
  const { can } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const key = ['admin', 'webhook', id];
  const endpoint = useQuery({ queryKey: key, queryFn: () => api.get<WebhookEndpoint>(`/api/v1/webhooks/endpoints/${id}`) });
  const [action, setAction] = useState<Action>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [testing, setTesting] = useState(false);
  const canManage = can('webhooks.manage');

  async function refresh(next?: WebhookEndpoint) {
    if (next) queryClient.setQueryData(key, { ...next, secret: undefined });
    await queryClient.invalidateQueries({ queryKey: LIST_KEY });
    await queryClient.invalidateQueries({ queryKey: ['admin', 'webhook-deliveries', id] });
  }

  async function sendTest() {
    setTesting(true);
    setFailure(null);
    try {
      await api.post<WebhookDelivery>(`/api/v1/webhooks/endpoints/${id}/test`, {}, newIdempotencyKey());
      setNotice('A webhooks.test event is queued for this endpoint; it appears in the deliveries below.');
      await refresh();
    } catch (err) {
      setFailure(err);
    } finally {
      setTesting(false);
    }
  }

  async function enable() {
    setFailure(null);
    try {
      await refresh(await api.patch<WebhookEndpoint>(`/api/v1/webhooks/endpoints/${id}`, { enabled: true }));
      setNotice('Endpoint enabled: deliveries held while it was disabled are sent now.');
    } catch (err) {
      setFailure(err);
    }
  }

  return (
    <>
      <p>
        <Link to="/admin/webhooks">← All endpoints</Link>
      </p>
      <QueryView query={endpoint} isEmpty={() => false} loadingLabel="Loading the endpoint…">
        {(e) => (
          <>
            <Card
              title={<code className="endpoint-url">{e.url}</code>}
              actions={
                canManage && (
                  <div className="row-actions">
                    <button type="button" className="btn" onClick={() => setAction('edit')}>
                      Edit
                    </button>
                    <button type="button" className="btn" onClick={() => void sendTest()} disabled={testing || !e.enabled}>
                      {testing ? 'Sending…' : 'Send test event'}
                    </button>
                    <button type="button" className="btn" onClick={() => setAction('rotate')}>
                      Rotate secret
                    </button>
                    {e.enabled ? (
                      <button type="button" className="btn" onClick={() => setAction('disable')}>
                        Disable
                      </button>
                    ) : (
                      <button type="button" className="btn" onClick={() => void enable()}>
                        Enable
                      </button>
                    )}
                    <button type="button" className="btn btn-danger" onClick={() => setAction('delete')}>
                      Delete
                    </button>
                  </div>
                )
              }
            >
              <Notice>{notice}</Notice>
              <FormError error={failure} />
              <dl className="facts">
                <dt>Status</dt>
                <dd>
                  <EndpointState e={e} />
                </dd>
                <dt>Description</dt>
                <dd>{e.description ?? <span className="muted">None</span>}</dd>
                <dt>Events</dt>
                <dd>{e.event_types.includes('*') ? 'All events' : e.event_types.map((t) => <code key={t} className="chip">{t}</code>)}</dd>
                <dt>Signing secrets</dt>
                <dd>
                  {(e.secrets ?? []).length === 0
                    ? 'None'
                    : (e.secrets ?? []).map((s) => (
                        <div key={s.id}>
                          {s.primary ? 'Current' : 'Previous'} secret, made {formatDateTime(s.created_at)}
                          {s.expires_at ? `, valid until ${formatDateTime(s.expires_at)}` : ''}
                        </div>
                      ))}
                </dd>
                <dt>Added</dt>
                <dd>{formatDateTime(e.created_at)}</dd>
              </dl>
              {!e.enabled && <p className="muted">While disabled, new events are held, not sent; enabling sends them.</p>}
            </Card>
            <Deliveries endpointId={id} canManage={canManage} />
            {action === 'edit' && (
              <EndpointForm
                endpoint={e}
                onClose={() => setAction(null)}
                onSaved={async (next) => {
                  await refresh(next);
                  setNotice('Endpoint saved.');
                  setAction(null);
                }}
              />
            )}
            {action === 'disable' && (
              <ConfirmDialog
                title="Disable this endpoint?"
                confirmLabel="Disable"
                onClose={() => setAction(null)}
                onConfirm={async () => {
                  await refresh(await api.patch<WebhookEndpoint>(`/api/v1/webhooks/endpoints/${id}`, { enabled: false }));
                  setNotice('Endpoint disabled: its deliveries are held until it is enabled again.');
                  setAction(null);
                }}
              >
                <p>Nothing is sent to {e.url} while it is disabled; deliveries are held and sent when you enable it again.</p>
              </ConfirmDialog>
            )}
            {action === 'delete' && (
              <ConfirmDialog
                title="Delete this endpoint?"
                confirmLabel="Delete endpoint"
                onClose={() => setAction(null)}
                onConfirm={async () => {
                  await api.del(`/api/v1/webhooks/endpoints/${id}`);
                  await queryClient.invalidateQueries({ queryKey: LIST_KEY });
                  queryClient.removeQueries({ queryKey: key });
                  navigate('/admin/webhooks');
                }}
              >
                <p>
                  {e.url} stops receiving events at once and its pending deliveries are dead-lettered. This cannot be undone.
                </p>
              </ConfirmDialog>
            )}
            {action === 'rotate' && (
              <RotateDialog
                endpointId={id}
                onClose={() => setAction(null)}
                onRotated={async (next) => {
                  await refresh(next);
                  setAction(null);
                  setSecret(next.secret ?? null);
                }}
              />
            )}
            {secret && (
              <SecretModal
                title="New signing secret"
                onClose={() => setSecret(null)}
                secret={{
                  label: 'Signing secret',
                  value: secret,
                  warning: 'Put it in your receiver now: it is never shown again. Until the previous secret expires, deliveries are signed with both.',
                }}
              />
            )}
          </>
        )}
      </QueryView>
    </>
  );
}

const OVERLAPS = [
  { value: '86400', label: '24 hours (default)' },
  { value: '3600', label: '1 hour' },
  { value: '604800', label: '7 days' },
  { value: '0', label: 'End it now (the secret leaked)' },
];

function RotateDialog({
  endpointId,
  onClose,
  onRotated,
}: {
  endpointId: string;
  onClose: () => void;
  onRotated: (e: WebhookEndpoint) => Promise<void>;
}) {
  const [overlap, setOverlap] = useState('86400');
  return (
    <ConfirmDialog
      title="Rotate the signing secret?"
      confirmLabel="Rotate secret"
      danger={false}
      onClose={onClose}
      onConfirm={async () => {
        const next = await api.post<WebhookEndpoint>(
          `/api/v1/webhooks/endpoints/${endpointId}/rotate-secret`,
          { expires_in_seconds: Number(overlap) },
          newIdempotencyKey(),
        );
        await onRotated(next);
      }}
    >
      <p>A new secret is made and shown once. The previous one keeps signing for a while so your receiver keeps working while you deploy the new one.</p>
      <SelectField label="Keep the previous secret valid for" value={overlap} onChange={(e) => setOverlap(e.target.value)} options={OVERLAPS} />
    </ConfirmDialog>
  );
}

function deliveryTone(d: WebhookDelivery): 'ok' | 'warn' | 'bad' {
  return d.status === 'delivered' ? 'ok' : d.status === 'failed' ? 'bad' : 'warn';
}

const DELIVERY_STATUS_LABEL: Record<string, string> = { pending: 'Pending', delivered: 'Delivered', failed: 'Failed (dead-lettered)' };

function Deliveries({ endpointId, canManage }: { endpointId: string; canManage: boolean }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState('');
  const pages = useCursorPages();
  const { page, pageSize, cursor, reset } = pages;
  const [open, setOpen] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [bulk, setBulk] = useState(false);
  const deliveries = useQuery({
    queryKey: ['admin', 'webhook-deliveries', endpointId, status, pageSize, cursor],
    queryFn: () =>
      api.page<WebhookDelivery>(`/api/v1/webhooks/endpoints/${endpointId}/deliveries`, {
        status: status || undefined,
        limit: pageSize,
        cursor,
      }),
    placeholderData: keepPreviousData,
    // While a delivery is still being tried, its attempts appear without a reload.
    refetchInterval: (q) => (q.state.data?.items.some((d) => d.status === 'pending') ? LIVE_INTERVAL_MS : false),
  });

  async function redeliver(d: WebhookDelivery) {
    setFailure(null);
    try {
      await api.post(`/api/v1/webhooks/deliveries/${d.id}/redeliver`, {}, newIdempotencyKey());
      setNotice(`${d.event_type} is queued again (same webhook-id ${d.event_id}).`);
      await queryClient.invalidateQueries({ queryKey: ['admin', 'webhook-deliveries', endpointId] });
    } catch (err) {
      setFailure(err);
    }
  }

  const columns: ColumnDef<WebhookDelivery, any>[] = [
    { accessorKey: 'event_type', header: 'Event', cell: ({ getValue }) => <code>{getValue()}</code> },
    { accessorKey: 'created_at', header: 'Made', cell: ({ getValue }) => formatDateTime(getValue()) },
    {
      accessorKey: 'status',
      header: 'Status',
      cell: ({ row }) => (
        <>
          <StatusBadge tone={deliveryTone(row.original)}>{DELIVERY_STATUS_LABEL[row.original.status] ?? row.original.status}</StatusBadge>
          {row.original.held_reason && <div className="muted">Held: {row.original.held_reason}</div>}
        </>
      ),
    },
    { accessorKey: 'attempts', header: 'Attempts', meta: { numeric: true } },
    {
      id: 'last',
      header: 'Last attempt',
      accessorFn: (d) => d.last_attempt_at ?? '',
      cell: ({ row }) => {
        const d = row.original;
        if (!d.last_attempt_at) return <span className="muted">Not yet</span>;
        return (
          <>
            {formatDateTime(d.last_attempt_at)}
            <div className={d.last_error ? 'neg' : 'muted'}>
              {d.last_status_code !== null ? `HTTP ${d.last_status_code}` : 'No answer'}
              {d.last_error ? ` — ${d.last_error}` : ''}
            </div>
          </>
        );
      },
    },
    {
      id: 'next',
      header: 'Next attempt',
      accessorFn: (d) => d.next_attempt_at ?? '',
      cell: ({ row }) => (row.original.status === 'pending' && row.original.next_attempt_at ? formatDateTime(row.original.next_attempt_at) : '—'),
    },
    {
      id: 'actions',
      header: 'Actions',
      enableSorting: false,
      cell: ({ row }) => (
        <div className="row-actions">
          <button
            type="button"
            className="btn"
            aria-expanded={open === row.original.id}
            onClick={() => setOpen(open === row.original.id ? null : row.original.id)}
          >
            {open === row.original.id ? 'Hide attempts' : 'Show attempts'}
          </button>
          {canManage && row.original.status !== 'pending' && (
            <button type="button" className="btn" onClick={() => void redeliver(row.original)}>
              Redeliver
            </button>
          )}
        </div>
      ),
    },
  ];

  const data = deliveries.data;
  return (
    <Card
      title="Deliveries"
      actions={
        <div className="row-actions">
          {canManage && (
            <button type="button" className="btn" onClick={() => setBulk(true)}>
              Redeliver failed since…
            </button>
          )}
          <button type="button" className="btn" onClick={() => void deliveries.refetch()} disabled={deliveries.isFetching}>
            {deliveries.isFetching ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
      }
    >
      <div className="filters">
        <SelectField
          label="Status"
          value={status}
          onChange={(e) => {
            setStatus(e.target.value);
            reset();
          }}
          options={[
            { value: '', label: 'All' },
            { value: 'pending', label: 'Pending' },
            { value: 'delivered', label: 'Delivered' },
            { value: 'failed', label: 'Failed (dead-lettered)' },
          ]}
        />
      </div>
      <Notice>{notice}</Notice>
      <FormError error={failure} />
      {bulk && (
        <RedeliverFailedDialog
          endpointId={endpointId}
          onClose={() => setBulk(false)}
          onDone={async (count) => {
            setBulk(false);
            setNotice(count === 0 ? 'No failed deliveries since then: nothing to send again.' : `${count} failed ${count === 1 ? 'delivery is' : 'deliveries are'} queued again.`);
            await queryClient.invalidateQueries({ queryKey: ['admin', 'webhook-deliveries', endpointId] });
          }}
        />
      )}
      {deliveries.isPending ? (
        <Loading label="Loading deliveries…" />
      ) : deliveries.isError ? (
        <ErrorState error={deliveries.error} onRetry={() => deliveries.refetch()} />
      ) : data && data.items.length === 0 && page === 0 ? (
        <Empty>{status ? `No ${status} deliveries.` : 'No deliveries yet: send a test event to see one.'}</Empty>
      ) : (
        <>
          <DataTable
            data={data?.items ?? []}
            columns={columns}
            caption="Deliveries"
            getRowId={(d) => d.id}
            serverPaging={pages.paging(data?.nextCursor)}
          />
          {open && <DeliveryAttempts id={open} onClose={() => setOpen(null)} />}
        </>
      )}
    </Card>
  );
}

// After an outage on the receiver's side: every dead-lettered delivery made since a day, again.
function RedeliverFailedDialog({
  endpointId,
  onClose,
  onDone,
}: {
  endpointId: string;
  onClose: () => void;
  onDone: (count: number) => Promise<void>;
}) {
  const [since, setSince] = useState(addDays(ghanaToday(), -1));
  const [local, setLocal] = useState<string | undefined>();
  return (
    <ConfirmDialog
      title="Redeliver failed deliveries?"
      confirmLabel="Redeliver"
      danger={false}
      onClose={onClose}
      onConfirm={async () => {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(since)) {
          setLocal('Choose the first day.');
          throw new Error('Choose the first day of the outage.');
        }
        const answer = await api.post<{ requeued: number }>(
          `/api/v1/webhooks/endpoints/${endpointId}/redeliver-failed`,
          { since: `${since}T00:00:00Z` },
          newIdempotencyKey(),
        );
        await onDone(answer.requeued);
      }}
    >
      <p>Every dead-lettered delivery made since the start of this day (Ghana time) is sent again, with its original webhook-id.</p>
      <TextField label="Failed since (day)" type="date" value={since} onChange={(e) => setSince(e.target.value)} error={local} />
    </ConfirmDialog>
  );
}

function DeliveryAttempts({ id, onClose }: { id: string; onClose: () => void }) {
  const delivery = useQuery({ queryKey: ['admin', 'webhook-delivery', id], queryFn: () => api.get<WebhookDelivery>(`/api/v1/webhooks/deliveries/${id}`) });
  return (
    <section className="attempts" aria-label="Attempts of the delivery">
      <div className="card-head">
        <h3>Attempts</h3>
        <button type="button" className="btn btn-quiet" onClick={onClose}>
          Close
        </button>
      </div>
      <QueryView query={delivery} isEmpty={(d) => (d.attempt_log ?? []).length === 0} empty="No attempt yet: the first is due shortly.">
        {(d) => (
          <>
            <p className="muted">
              <code>{d.event_type}</code>, webhook-id <code>{d.event_id}</code>
            </p>
            <div className="table-scroll" role="region" aria-label="Attempts (scrolls)" tabIndex={0}>
              <table>
                <caption className="sr-only">Attempts of delivery {d.id}</caption>
                <thead>
                  <tr>
                    <th scope="col" className="num">#</th>
                    <th scope="col">Time</th>
                    <th scope="col">Answer</th>
                    <th scope="col" className="num">Duration</th>
                    <th scope="col">Error</th>
                    <th scope="col">Body (first 1 KiB)</th>
                  </tr>
                </thead>
                <tbody>
                  {(d.attempt_log ?? []).map((a) => (
                    <tr key={a.attempt}>
                      <td className="num">{a.attempt}</td>
                      <td>{formatDateTime(a.attempted_at)}</td>
                      <td>{a.status_code !== null ? `HTTP ${a.status_code}` : 'No answer'}</td>
                      <td className="num">{a.duration_ms} ms</td>
                      <td>{a.error ?? '—'}</td>
                      <td>{a.response_body ? <pre className="response-body" tabIndex={0} aria-label={`Answer to attempt ${a.attempt}`}>
                          {a.response_body}
                        </pre> : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </QueryView>
    </section>
  );
}

