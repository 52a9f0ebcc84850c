// Pieces every finance page shares: the period and as-of controls (kept in the URL so a page can be
// bookmarked and survives a reload), exact money cells, and the CSV/XLSX/PDF export buttons.
import { useState, type ReactNode } from 'react';
import { useUrlParams } from '../../lib/urlParams';
import { useQuery } from '@tanstack/react-query';
import { api, download, type Query } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { fieldError } from '../../components/Form';
import { describeError } from '../../components/States';
import { parseDecimal } from '../../lib/decimal';
import { formatCedis, ghanaToday } from '../../lib/format';
import { byId, useProducts, useStations } from '../../lib/queries';
import type { Customer, Supplier } from './types';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const isDate = (text: string | null | undefined): text is string =>
  !!text && DATE.test(text) && !Number.isNaN(new Date(`${text}T00:00:00Z`).getTime());

export function firstOfMonth(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

// One date in the URL (?as_of=…), today by default.
export function useAsOf(param = 'as_of'): [string, (value: string) => void] {
  const [params, patch] = useUrlParams();
  const value = params.get(param);
  const asOf = isDate(value) ? value : ghanaToday();
  const set = (v: string) => patch({ [param]: v });
  return [asOf, set];
}

// A period in the URL (?from=…&to=…), the current month to today by default.
export function usePeriod(): { from: string; to: string; set: (from: string, to: string) => void } {
  const [params, patch] = useUrlParams();
  const today = ghanaToday();
  const to = isDate(params.get('to')) ? params.get('to')! : today;
  const from = isDate(params.get('from')) ? params.get('from')! : firstOfMonth(to);
  const set = (f: string, t: string) => patch({ from: f, to: t });
  return { from, to, set };
}

// A labelled date input with its message under it (ids fixed: one of each control on a page).
function DateInput({ id, label, value, message, max, onChange }: { id: string; label: string; value: string; message?: string; max?: string; onChange: (v: string) => void }) {
  return (
    <div className={`field date-field${message ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="date"
        value={value}
        max={max}
        aria-invalid={message ? true : undefined}
        aria-describedby={message ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {message && (
        <div id={`${id}-error`} className="field-error" role="alert">
          {message}
        </div>
      )}
    </div>
  );
}

const notADate = (text: string) => (text && !isDate(text) ? 'Enter a date (YYYY-MM-DD).' : undefined);

// The as-of control: applies a complete date as it is picked; the API's complaint about it (if
// any) shows under the field.
export function AsOfControl({ value, onChange, error, label = 'As of' }: { value: string; onChange: (v: string) => void; error?: unknown; label?: string }) {
  const [text, setText] = useState(value);
  return (
    <DateInput
      id="fin-as-of"
      label={label}
      value={text}
      max="9999-12-31"
      message={fieldError(error, 'as_of') ?? notADate(text)}
      onChange={(v) => {
        setText(v);
        if (isDate(v)) onChange(v);
      }}
    />
  );
}

// From/to controls: a period whose start is after its end is not asked for; the message says why.
export function PeriodControl({
  from,
  to,
  onChange,
  error,
}: {
  from: string;
  to: string;
  onChange: (from: string, to: string) => void;
  error?: unknown;
}) {
  const [f, setF] = useState(from);
  const [t, setT] = useState(to);
  const order = isDate(f) && isDate(t) && f > t ? 'The start must not be after the end.' : undefined;
  const apply = (nf: string, nt: string) => {
    if (isDate(nf) && isDate(nt) && nf <= nt) onChange(nf, nt);
  };
  return (
    <div className="period-control">
      <DateInput
        id="fin-from"
        label="From"
        value={f}
        message={fieldError(error, 'from') ?? notADate(f)}
        onChange={(v) => {
          setF(v);
          apply(v, t);
        }}
      />
      <DateInput
        id="fin-to"
        label="To"
        value={t}
        message={order ?? fieldError(error, 'to') ?? notADate(t)}
        onChange={(v) => {
          setT(v);
          apply(f, v);
        }}
      />
    </div>
  );
}

// A money figure: GH₵ with thousands separators, negative in red with a minus sign.
export function Money({ value, strong }: { value: string | null | undefined; strong?: boolean }) {
  const negative = !!value && parseDecimal(value, 2) < 0n;
  const text = formatCedis(value);
  return <span className={negative ? 'neg' : undefined}>{strong ? <strong>{text}</strong> : text}</span>;
}

// A money figure without the currency sign, for wide tables whose column heads say "GH₵".
export function Amount({ value }: { value: string | null | undefined }) {
  const negative = !!value && parseDecimal(value, 2) < 0n;
  return <span className={negative ? 'neg' : undefined}>{formatAmount(value)}</span>;
}
export function formatAmount(value: string | null | undefined): string {
  return formatCedis(value).replace('GH₵ ', '');
}

// A table's head: the text columns, then the figures' columns (aligned right).
export function TableHead({ text, numeric }: { text: string[]; numeric: string[] }) {
  return (
    <thead>
      <tr>
        {text.map((label) => (
          <th key={label} scope="col">
            {label}
          </th>
        ))}
        {numeric.map((label) => (
          <th key={label} scope="col" className="num">
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}

// A row of totals: its label across `span` columns, then a cell for each figure.
export function TotalsRow({
  label,
  span = 1,
  className,
  cells,
}: {
  label: ReactNode;
  span?: number;
  className?: string;
  cells: Array<{ value: ReactNode; testId?: string }>;
}) {
  return (
    <tr className={className}>
      <td colSpan={span > 1 ? span : undefined}>{label}</td>
      {cells.map((c, i) => (
        <td key={i} className="num" data-testid={c.testId}>
          {c.value}
        </td>
      ))}
    </tr>
  );
}

// A group of a statement (P&L, balance sheet): its head, its lines (code, account, amount) and its
// total. `headScope` is "rowgroup" when the group is its own tbody; `bare` leaves out head and total.
export function StatementGroup({
  group,
  lines,
  headScope = 'row',
  bare,
}: {
  group: { section: string; total: string };
  lines: Array<{ code: string; name: string; amount: string }>;
  headScope?: 'row' | 'rowgroup';
  bare?: boolean;
}) {
  return (
    <>
      {!bare && (
        <tr className="section-head">
          <th scope={headScope} colSpan={3}>
            {group.section}
          </th>
        </tr>
      )}
      {lines.map((l) => (
        <tr key={l.code + l.name}>
          <td>{l.code || '—'}</td>
          <td>{l.name}</td>
          <td className="num">
            <Money value={l.amount} />
          </td>
        </tr>
      ))}
      {!bare && <TotalsRow className="subtotal" label={`Total ${group.section.toLowerCase()}`} span={2} cells={[{ value: <Money value={group.total} /> }]} />}
    </>
  );
}

// Downloads of a report in the API's file formats, with the failure said next to the buttons.
export function ExportButtons({ path, query, name }: { path: string; query?: Query; name: string }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const get = async (format: string) => {
    setBusy(format);
    setError(null);
    try {
      await download(path, { ...query, format }, `${name}.${format}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="export-buttons" role="group" aria-label={`Download ${name.replace(/-/g, ' ')}`}>
      {(['csv', 'xlsx', 'pdf'] as const).map((f) => (
        <button key={f} type="button" className="btn" disabled={busy !== null} onClick={() => void get(f)}>
          {busy === f ? 'Downloading…' : f.toUpperCase()}
        </button>
      ))}
      {error != null && (
        <span className="field-error" role="alert">
          Download failed: {describeError(error)}
        </span>
      )}
    </div>
  );
}

// A ledger account's dimensions by name: station, product and party (a credit customer or a
// supplier, as far as the role may read them), the id's start where a name is unknown.
export function useDimensionNames(): (d: { station_id?: string | null; product_id?: string | null; party_id?: string | null }) => string {
  const { can } = useAuth();
  const stations = byId(useStations().data);
  const products = byId(useProducts().data);
  const customers = useQuery({
    queryKey: ['finance', 'customers'],
    queryFn: () => api.all<Customer>('/api/v1/customers'),
    enabled: can('customers.read'),
    staleTime: 60_000,
  });
  const suppliers = useQuery({
    queryKey: ['finance', 'suppliers'],
    queryFn: () => api.all<Supplier>('/api/v1/suppliers'),
    enabled: can('suppliers.read'),
    staleTime: 60_000,
  });
  const parties = new Map<string, string>([...(customers.data ?? []), ...(suppliers.data ?? [])].map((p) => [p.id, p.name]));
  return (d) => {
    const parts: string[] = [];
    if (d.station_id) parts.push(stations.get(d.station_id)?.name ?? `station ${d.station_id.slice(0, 8)}…`);
    if (d.product_id) parts.push(products.get(d.product_id)?.name ?? `product ${d.product_id.slice(0, 8)}…`);
    if (d.party_id) parts.push(parties.get(d.party_id) ?? `party ${d.party_id.slice(0, 8)}…`);
    return parts.join(' · ');
  };
}
