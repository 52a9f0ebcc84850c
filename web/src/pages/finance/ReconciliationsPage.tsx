// MoMo reconciliation: the runs (provider, day, statement lines, matched, mismatches, totals), a
// run's mismatches with both sides, and — for payments.manage — running one for a provider and
// day from the provider's statement or an uploaded statement CSV, with the result shown.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, newIdempotencyKey } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { DataTable } from '../../components/DataTable';
import { Field, FormError, SelectField, TextField, fieldError } from '../../components/Form';
import { Card } from '../../components/Page';
import { QueryView } from '../../components/States';
import { subtractDecimals } from '../../lib/decimal';
import { addDays, formatCedis, formatDate, formatDateTime, ghanaToday } from '../../lib/format';
import { ExportButtons, Money, isDate } from './common';
import type { Reconciliation, ReconciliationItem } from './types';

export const PROVIDERS = [
  { value: 'mtn', label: 'MTN MoMo' },
  { value: 'telecel', label: 'Telecel Cash' },
  { value: 'at', label: 'AT Money' },
];
const providerName = (p: string) => PROVIDERS.find((x) => x.value === p)?.label ?? p;

export const KIND_LABELS: Record<ReconciliationItem['kind'], string> = {
  missing_sale: 'Paid, no sale recorded',
  missing_statement: 'Sale recorded, not on the statement',
  amount_differs: 'Amounts differ',
  status_differs: 'Statuses differ',
};

export function ReconciliationsPage() {
  const { can } = useAuth();
  const [date, setDate] = useState('');
  const list = useQuery({
    queryKey: ['finance', 'reconciliations', date],
    queryFn: () => api.all<Reconciliation>('/api/v1/payments/reconciliations', { date: isDate(date) ? date : undefined }),
  });
  const columns: ColumnDef<Reconciliation, any>[] = [
    { id: 'date', header: 'Day', accessorKey: 'date', cell: (c) => <Link className="nowrap" to={`/finance/reconciliations/${c.row.original.id}`}>{formatDate(c.getValue() as string)}</Link> },
    { id: 'provider', header: 'Provider', accessorFn: (r) => providerName(r.provider) },
    { id: 'source', header: 'Statement', accessorFn: (r) => (r.source === 'upload' ? 'Uploaded' : 'From provider') },
    { id: 'lines', header: 'Lines', accessorKey: 'statement_lines', meta: { numeric: true } },
    { id: 'matched', header: 'Matched', accessorKey: 'matched', meta: { numeric: true } },
    {
      id: 'mismatches',
      header: 'Mismatches',
      accessorKey: 'mismatches',
      meta: { numeric: true },
      cell: (c) => ((c.getValue() as number) > 0 ? <span className="badge badge-bad">{c.getValue() as number}</span> : <span className="badge badge-ok">0</span>),
    },
    { id: 'statement', header: 'Statement total', accessorFn: (r) => Number(r.statement_amount), cell: (c) => formatCedis(c.row.original.statement_amount), meta: { numeric: true } },
    { id: 'sales', header: 'MoMo sales total', accessorFn: (r) => Number(r.sales_amount), cell: (c) => formatCedis(c.row.original.sales_amount), meta: { numeric: true } },
    { id: 'run', header: 'Run at', accessorKey: 'created_at', cell: (c) => <span className="nowrap">{formatDateTime(c.getValue() as string)}</span> },
  ];
  return (
    <>
      {can('payments.manage') && <RunReconciliation />}
      <Card title="Reconciliations">
        <div className="fin-controls">
          <TextField label="Only the day" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </div>
        <QueryView query={list} empty={date ? `No reconciliation for ${formatDate(date)}.` : 'No reconciliation has been run yet.'} loadingLabel="Loading the reconciliations…">
          {(rows) => <DataTable data={rows} columns={columns} caption="Reconciliations" getRowId={(r) => r.id} initialSorting={[{ id: 'run', desc: true }]} />}
        </QueryView>
      </Card>
    </>
  );
}

// Where the statement comes from.
const SOURCES = [
  ['upload', "Upload the provider's statement (CSV)"],
  ['provider', 'Fetch it from the provider (needs the provider configured under payments)'],
] as const;

function RunReconciliation() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [provider, setProvider] = useState('mtn');
  const [date, setDate] = useState(addDays(ghanaToday(), -1));
  const [source, setSource] = useState<'provider' | 'upload'>('upload');
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [localError, setLocalError] = useState<Record<string, string>>({});
  const key = useRef(newIdempotencyKey());
  const fileInput = useRef<HTMLInputElement>(null);
  const run = useMutation({
    mutationFn: (body: { provider: string; date: string; statement_csv?: string }) =>
      api.post<Reconciliation>('/api/v1/payments/reconciliations', body, key.current),
    onSuccess: (rec) => {
      key.current = newIdempotencyKey();
      queryClient.setQueryData(['finance', 'reconciliation', rec.id], rec);
      void queryClient.invalidateQueries({ queryKey: ['finance', 'reconciliations'] });
      navigate(`/finance/reconciliations/${rec.id}`, { state: { justRun: true } });
    },
  });
  // A changed form is another submission: it gets its own idempotency key.
  const changed = () => {
    key.current = newIdempotencyKey();
    run.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errors: Record<string, string> = {};
    if (!isDate(date)) errors.date = 'Enter the day to reconcile.';
    else if (date > ghanaToday()) errors.date = 'The day must not be in the future.';
    if (source === 'upload' && !file) errors.statement_csv = 'Choose the statement file (CSV).';
    setLocalError(errors);
    if (Object.keys(errors).length) return;
    run.mutate({ provider, date, ...(source === 'upload' && file ? { statement_csv: file.text } : {}) });
  };
  const fileError = localError.statement_csv ?? fieldError(run.error, 'statement_csv') ?? fieldError(run.error, 'csv');
  return (
    <Card title="Run a reconciliation">
      <form onSubmit={submit} noValidate aria-label="Run a reconciliation">
        <div className="form-row">
          <SelectField
            label="Provider"
            value={provider}
            options={PROVIDERS}
            error={fieldError(run.error, 'provider')}
            onChange={(e) => {
              setProvider(e.target.value);
              changed();
            }}
          />
          <TextField
            label="Day"
            type="date"
            value={date}
            max={ghanaToday()}
            error={localError.date ?? fieldError(run.error, 'date')}
            onChange={(e) => {
              setDate(e.target.value);
              changed();
            }}
          />
        </div>
        <fieldset className="fin-fieldset">
          <legend>Statement</legend>
          {SOURCES.map(([value, label]) => (
            <label key={value} className="radio">
              <input
                type="radio"
                name="rec-source"
                value={value}
                checked={source === value}
                onChange={() => {
                  setSource(value);
                  changed();
                }}
              />{' '}
              {label}
            </label>
          ))}
        </fieldset>
        {source === 'upload' && (
          <Field
            label="Statement file"
            error={fileError}
            hint={
              <>
                CSV with the columns <code>reference,financial_transaction_id,external_id,amount,currency,status,completed_at</code>
                {file && (
                  <>
                    {' '}
                    · chosen: <strong>{file.name}</strong> ({file.text.split('\n').filter((l) => l.trim()).length - 1} lines)
                  </>
                )}
              </>
            }
          >
            {(a11y) => (
              <input
                {...a11y}
                ref={fileInput}
                type="file"
                accept=".csv,text/csv"
                onChange={async (e) => {
                  const f = e.target.files?.[0];
                  changed();
                  setFile(f ? { name: f.name, text: await f.text() } : null);
                }}
              />
            )}
          </Field>
        )}
        <FormError error={run.error} shownFields={['provider', 'date', 'statement_csv', 'csv']} />
        <button type="submit" className="btn btn-primary" disabled={run.isPending}>
          {run.isPending ? 'Reconciling…' : 'Run reconciliation'}
        </button>
      </form>
    </Card>
  );
}

export function ReconciliationPage() {
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: ['finance', 'reconciliation', id],
    queryFn: () => api.get<Reconciliation>(`/api/v1/payments/reconciliations/${id}`),
  });
  const columns: ColumnDef<ReconciliationItem, any>[] = [
    { id: 'line', header: 'Line', accessorFn: (i) => i.line_no ?? '', meta: { numeric: true } },
    {
      id: 'kind',
      header: 'Mismatch',
      accessorFn: (i) => KIND_LABELS[i.kind] ?? i.kind,
      cell: (c) => (
        <div className="mismatch">
          <strong>{c.getValue() as string}</strong>
          <div className="muted small">{c.row.original.detail}</div>
        </div>
      ),
    },
    { id: 'reference', header: 'Reference', accessorFn: (i) => i.reference ?? '', cell: (c) => <code className="ref">{(c.getValue() as string) || '—'}</code> },
    { id: 'ftid', header: 'Provider txn', accessorFn: (i) => i.financial_transaction_id ?? '—' },
    { id: 'st_amount', header: 'Statement amount', accessorFn: (i) => Number(i.statement_amount ?? 0), cell: (c) => formatCedis(c.row.original.statement_amount), meta: { numeric: true } },
    { id: 'st_status', header: 'Statement status', accessorFn: (i) => i.statement_status ?? '—' },
    { id: 'sale_amount', header: 'Sale amount', accessorFn: (i) => Number(i.sale_amount ?? 0), cell: (c) => formatCedis(c.row.original.sale_amount), meta: { numeric: true } },
    { id: 'intent_status', header: 'Payment status', accessorFn: (i) => i.intent_status ?? '—' },
  ];
  return (
    <>
      <p>
        <Link to="/finance/reconciliations">← All reconciliations</Link>
      </p>
      <QueryView query={query} loadingLabel="Loading the reconciliation…">
        {(r) => (
          <>
            <Card
              title={`${providerName(r.provider)} reconciliation for ${formatDate(r.date)}`}
              actions={<ExportButtons path={`/api/v1/payments/reconciliations/${r.id}`} name={`reconciliation-${r.provider}-${r.date}`} />}
            >
              {r.mismatches === 0 ? (
                <p className="check check-ok" role="status">
                  <span aria-hidden="true">✓ </span>Every statement line matched a MoMo sale, and every MoMo sale is on the statement.
                </p>
              ) : (
                <p className="check check-bad" role="status">
                  <span aria-hidden="true">✗ </span>
                  {r.mismatches} mismatch{r.mismatches === 1 ? '' : 'es'} to resolve.
                </p>
              )}
              <dl className="fin-summary" data-testid="rec-summary">
                <div>
                  <dt>Statement lines</dt>
                  <dd>{r.statement_lines}</dd>
                </div>
                <div>
                  <dt>MoMo payments of the day</dt>
                  <dd>{r.intents}</dd>
                </div>
                <div>
                  <dt>Matched</dt>
                  <dd>{r.matched}</dd>
                </div>
                <div>
                  <dt>Mismatches</dt>
                  <dd>{r.mismatches}</dd>
                </div>
                <div>
                  <dt>Statement total</dt>
                  <dd>{formatCedis(r.statement_amount)}</dd>
                </div>
                <div>
                  <dt>MoMo sales total</dt>
                  <dd>{formatCedis(r.sales_amount)}</dd>
                </div>
                <div>
                  <dt>Statement − sales</dt>
                  <dd>
                    <Money value={subtractDecimals(r.statement_amount, r.sales_amount, 2)} />
                  </dd>
                </div>
                <div>
                  <dt>Statement</dt>
                  <dd>{r.source === 'upload' ? 'Uploaded' : 'Fetched from the provider'}</dd>
                </div>
                <div>
                  <dt>Run at</dt>
                  <dd>{formatDateTime(r.created_at)}</dd>
                </div>
              </dl>
              <p className="muted small">
                The server stores the mismatches of a run; the matched lines are counted, not listed.
              </p>
            </Card>
            <Card title="Mismatches">
              {r.items && r.items.length > 0 ? (
                <DataTable data={r.items} columns={columns} caption="Mismatches" getRowId={(i) => `${i.kind}-${i.line_no ?? ''}-${i.reference ?? i.sale_id ?? ''}`} />
              ) : (
                <p className="muted">None.</p>
              )}
            </Card>
          </>
        )}
      </QueryView>
    </>
  );
}
