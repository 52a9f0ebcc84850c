// Pieces every finance page shares: the period and as-of controls (kept in the URL so a page can be
// bookmarked and survives a reload), exact money cells, and the CSV/XLSX/PDF export buttons.
import { useState } from 'react';
import { useUrlParams } from '../../lib/urlParams';
import { download, type Query } from '../../api/client';
import { fieldError } from '../../components/Form';
import { describeError } from '../../components/States';
import { parseDecimal } from '../../lib/decimal';
import { formatCedis, ghanaToday } from '../../lib/format';

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

// The as-of control: applies a complete date as it is picked; the API's complaint about it (if
// any) shows under the field.
export function AsOfControl({ value, onChange, error, label = 'As of' }: { value: string; onChange: (v: string) => void; error?: unknown; label?: string }) {
  const [text, setText] = useState(value);
  const message = fieldError(error, 'as_of') ?? (text && !isDate(text) ? 'Enter a date (YYYY-MM-DD).' : undefined);
  return (
    <div className={`field date-field${message ? ' field-invalid' : ''}`}>
      <label htmlFor="fin-as-of">{label}</label>
      <input
        id="fin-as-of"
        type="date"
        value={text}
        max="9999-12-31"
        aria-invalid={message ? true : undefined}
        aria-describedby={message ? 'fin-as-of-error' : undefined}
        onChange={(e) => {
          setText(e.target.value);
          if (isDate(e.target.value)) onChange(e.target.value);
        }}
      />
      {message && (
        <div id="fin-as-of-error" className="field-error" role="alert">
          {message}
        </div>
      )}
    </div>
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
  const fromMessage = fieldError(error, 'from') ?? (f && !isDate(f) ? 'Enter a date (YYYY-MM-DD).' : undefined);
  const toMessage = order ?? fieldError(error, 'to') ?? (t && !isDate(t) ? 'Enter a date (YYYY-MM-DD).' : undefined);
  const apply = (nf: string, nt: string) => {
    if (isDate(nf) && isDate(nt) && nf <= nt) onChange(nf, nt);
  };
  return (
    <div className="period-control">
      <div className={`field date-field${fromMessage ? ' field-invalid' : ''}`}>
        <label htmlFor="fin-from">From</label>
        <input
          id="fin-from"
          type="date"
          value={f}
          aria-invalid={fromMessage ? true : undefined}
          aria-describedby={fromMessage ? 'fin-from-error' : undefined}
          onChange={(e) => {
            setF(e.target.value);
            apply(e.target.value, t);
          }}
        />
        {fromMessage && (
          <div id="fin-from-error" className="field-error" role="alert">
            {fromMessage}
          </div>
        )}
      </div>
      <div className={`field date-field${toMessage ? ' field-invalid' : ''}`}>
        <label htmlFor="fin-to">To</label>
        <input
          id="fin-to"
          type="date"
          value={t}
          aria-invalid={toMessage ? true : undefined}
          aria-describedby={toMessage ? 'fin-to-error' : undefined}
          onChange={(e) => {
            setT(e.target.value);
            apply(f, e.target.value);
          }}
        />
        {toMessage && (
          <div id="fin-to-error" className="field-error" role="alert">
            {toMessage}
          </div>
        )}
      </div>
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
