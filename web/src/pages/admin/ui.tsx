// Pieces the administration pages share: a dialog, a secret shown once with a copy
// button, the organisation lists a scope is chosen from, and the role catalogue.
import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import type { Station } from '../../api/types';
import type { Dealer, Region, RoleInfo, ScopeKind } from './types';

// The roles a tenant's users may hold and the kind of scope each is granted on (docs/security.md,
// identity's ScopeKindOf). GET /api/v1/roles is the source when the server has it.
export const TENANT_ROLES = ['CompanyAdmin', 'RegionalManager', 'StationManager', 'Operator', 'Dealer', 'Auditor'] as const;
export const ROLE_SCOPE: Record<string, ScopeKind> = {
  SuperAdmin: 'platform',
  CompanyAdmin: 'tenant',
  RegionalManager: 'region',
  StationManager: 'station',
  Operator: 'station',
  Dealer: 'dealer',
  Auditor: 'tenant',
};

export function useRoles() {
  return useQuery({
    queryKey: ['admin', 'roles'],
    queryFn: () => api.get<RoleInfo[]>('/api/v1/roles'),
    staleTime: 10 * 60_000,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
}

export function roleScopeKind(role: string, roles?: RoleInfo[]): ScopeKind {
  const info = roles?.find((r) => r.role === role);
  const kind = info?.scopes?.[0] ?? info?.scope_kinds?.[0];
  return (kind as ScopeKind | undefined) ?? ROLE_SCOPE[role] ?? 'tenant';
}

export const SCOPE_NOUN: Record<ScopeKind, { one: string; many: string }> = {
  platform: { one: 'platform', many: 'platform' },
  tenant: { one: 'whole company', many: 'whole company' },
  region: { one: 'region', many: 'regions' },
  station: { one: 'station', many: 'stations' },
  dealer: { one: 'dealer', many: 'dealers' },
};

export function useRegions(enabled = true) {
  return useQuery({
    queryKey: ['regions'],
    queryFn: () => api.all<Region>('/api/v1/regions'),
    staleTime: 5 * 60_000,
    enabled,
  });
}

export function useDealers(enabled = true) {
  return useQuery({
    queryKey: ['dealers'],
    queryFn: () => api.all<Dealer>('/api/v1/dealers'),
    staleTime: 5 * 60_000,
    enabled,
  });
}

export interface ScopeOption {
  id: string;
  label: string;
}

// The places of each scope kind, as options (name and code), for pickers and for naming ids.
export function useScopeOptions(enabled = true) {
  // The same query as useStations(), but it can wait (a restricted session may not read stations).
  const stations = useQuery({
    queryKey: ['stations'],
    queryFn: () => api.all<Station>('/api/v1/stations'),
    staleTime: 5 * 60_000,
    enabled,
  });
  const regions = useRegions(enabled);
  const dealers = useDealers(enabled);
  // Stable while the lists are: tables key their rows on it.
  const options = useMemo(() => {
    const o: Record<'region' | 'station' | 'dealer', ScopeOption[]> = {
      region: (regions.data ?? []).map((r) => ({ id: r.id, label: `${r.name} (${r.code})` })),
      station: (stations.data ?? []).map((s) => ({ id: s.id, label: `${s.name} (${s.code})` })),
      dealer: (dealers.data ?? []).map((d) => ({ id: d.id, label: `${d.name} (${d.code})` })),
    };
    for (const list of Object.values(o)) list.sort((a, b) => a.label.localeCompare(b.label));
    return o;
  }, [regions.data, stations.data, dealers.data]);
  const loading = stations.isPending || regions.isPending || dealers.isPending;
  const error = stations.error ?? regions.error ?? dealers.error;
  return { options, loading, error };
}

// "Accra Osu (ACC-01), Tema Community 1 (TEM-01)" for a user's scope; ids not found stay visible.
export function describeScope(kind: string, ids: string[], options: Record<string, ScopeOption[]>): string {
  if (kind === 'tenant') return 'Whole company';
  if (kind === 'platform') return 'Platform';
  if (ids.length === 0) return `No ${SCOPE_NOUN[kind as ScopeKind]?.many ?? kind}`;
  const list = options[kind] ?? [];
  return ids.map((id) => list.find((o) => o.id === id)?.label ?? `unknown ${kind} ${id.slice(0, 8)}…`).join(', ');
}

// Chooses the scope of a role: several regions or stations (checkboxes, with a filter when the
// list is long), or one dealer.
export function ScopePicker({
  kind,
  value,
  onChange,
  options,
  error,
  loading = false,
}: {
  kind: ScopeKind;
  value: string[];
  onChange: (ids: string[]) => void;
  options: Record<'region' | 'station' | 'dealer', ScopeOption[]>;
  error?: string;
  loading?: boolean;
}) {
  const id = useId();
  const [filter, setFilter] = useState('');
  if (kind === 'tenant' || kind === 'platform') {
    return <p className="muted">This role applies to the whole company: no scope to choose.</p>;
  }
  const list = options[kind];
  const noun = SCOPE_NOUN[kind];
  if (kind === 'dealer') {
    return (
      <div className={`field${error ? ' field-invalid' : ''}`}>
        <label htmlFor={`${id}-dealer`}>Dealer</label>
        <select
          id={`${id}-dealer`}
          value={value[0] ?? ''}
          onChange={(e) => onChange(e.target.value ? [e.target.value] : [])}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        >
          <option value="">{loading && list.length === 0 ? 'Loading dealers…' : 'Choose a dealer…'}</option>
          {list.map((o) => (
            <option key={o.id} value={o.id}>
              {o.label}
            </option>
          ))}
        </select>
        {error && (
          <div id={`${id}-error`} className="field-error" role="alert">
            {error}
          </div>
        )}
      </div>
    );
  }
  const shown = filter ? list.filter((o) => o.label.toLowerCase().includes(filter.toLowerCase())) : list;
  const toggle = (optionId: string, on: boolean) =>
    onChange(on ? [...value.filter((v) => v !== optionId), optionId] : value.filter((v) => v !== optionId));
  return (
    <fieldset className={`scope-picker${error ? ' field-invalid' : ''}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>
        {noun.many[0].toUpperCase() + noun.many.slice(1)} <span className="muted">({value.length} chosen)</span>
      </legend>
      {list.length > 8 && (
        <input
          type="search"
          aria-label={`Filter ${noun.many}`}
          placeholder={`Filter ${noun.many}…`}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      )}
      {list.length === 0 ? (
        <p className="muted">{loading ? `Loading ${noun.many}…` : `The company has no ${noun.many} yet.`}</p>
      ) : (
        <ul className="check-list">
          {shown.map((o) => (
            <li key={o.id}>
              <label>
                <input type="checkbox" checked={value.includes(o.id)} onChange={(e) => toggle(o.id, e.target.checked)} /> {o.label}
              </label>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <div id={`${id}-error`} className="field-error" role="alert">
          {error}
        </div>
      )}
    </fieldset>
  );
}

// The field error for scope_ids or any scope_ids[i] the API named.
export function scopeError(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const d = error.details.find((x) => x.field === 'scope_ids' || x.field.startsWith('scope_ids['));
  return d ? (d.field === 'scope_ids' ? d.message : `${d.field}: ${d.message}`) : undefined;
}

// A modal dialog: labelled, focus moves into it and back to where it was, Escape closes it.
export function Modal({
  title,
  onClose,
  children,
  wide,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('input:not([disabled]), select, textarea, button:not(.modal-close)');
    (first ?? ref.current)?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeRef.current();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      opener?.focus?.();
    };
  }, []);
  return (
    <div className="modal-backdrop">
      <div
        ref={ref}
        className={wide ? 'modal admin-modal admin-modal-wide' : 'modal admin-modal'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        tabIndex={-1}
      >
        <div className="admin-modal-head">
          <h2 id={`${id}-title`}>{title}</h2>
          <button type="button" className="btn btn-quiet modal-close" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}

// What an action just did, said once (nothing when there is nothing to say).
export function Notice({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <div className="form-success" role="status">
      {children}
    </div>
  );
}

// The end of a form in a dialog: Cancel, and the submit button (its label while busy).
export function FormActions({ busy, label, busyLabel, onCancel }: { busy: boolean; label: string; busyLabel: string; onCancel: () => void }) {
  return (
    <div className="dialog-actions">
      <button type="button" className="btn" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? busyLabel : label}
      </button>
    </div>
  );
}

// The warning over whatever the server shows only once.
export function ShownOnceNote({ children }: { children: ReactNode }) {
  return (
    <p className="secret-warning" role="note">
      <strong>Shown only once.</strong> {children}
    </p>
  );
}

// Copying to the clipboard, and what to say of it (for a live region): `unavailable` where the
// browser has no clipboard (an insecure origin or a refused permission), after `onUnavailable`.
export function useCopy(unavailable: string) {
  const [said, setSaid] = useState<string | null>(null);
  async function copy(text: string, onUnavailable?: () => void) {
    try {
      await navigator.clipboard.writeText(text);
      setSaid('Copied to the clipboard.');
    } catch {
      onUnavailable?.();
      setSaid(unavailable);
    }
  }
  return { copy, said };
}

// A secret the server shows once (a password, an API key, a signing secret): the value, a copy
// button, and the warning that it cannot be shown again.
export function OneTimeSecret({ label, value, warning }: { label: string; value: string; warning: ReactNode }) {
  const id = useId();
  const { copy, said } = useCopy('Copying is not available here: the text is selected, press Ctrl+C.');
  return (
    <div className="one-time-secret">
      <ShownOnceNote>{warning}</ShownOnceNote>
      <label htmlFor={`${id}-value`}>{label}</label>
      <div className="secret-row">
        <input id={`${id}-value`} readOnly value={value} className="secret-value" onFocus={(e) => e.currentTarget.select()} />
        <button
          type="button"
          className="btn"
          // No clipboard: select the text for Ctrl+C.
          onClick={() => void copy(value, () => (document.getElementById(`${id}-value`) as HTMLInputElement | null)?.select())}
        >
          Copy
        </button>
      </div>
      <div aria-live="polite" className="muted">
        {said ?? ''}
      </div>
    </div>
  );
}

// The dialog after something was made with a secret: what was made, the secret shown once (when
// there is one), and Done (after any other `actions`).
export function SecretModal({
  title,
  secret,
  actions,
  onClose,
  children,
}: {
  title: string;
  secret: { label: string; value: string | null | undefined; warning: ReactNode };
  actions?: ReactNode;
  onClose: () => void;
  children?: ReactNode;
}) {
  return (
    <Modal title={title} onClose={onClose}>
      {children}
      {secret.value && <OneTimeSecret label={secret.label} value={secret.value} warning={secret.warning} />}
      <div className="dialog-actions">
        {actions}
        <button type="button" className="btn btn-primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Modal>
  );
}

export function StatusBadge({ tone, children }: { tone: 'ok' | 'warn' | 'bad' | 'off'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
