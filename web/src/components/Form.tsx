// Labelled form controls that show the API's field errors next to the field they name.
import { useId, useState, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';
import { ApiError } from '../api/client';

interface FieldProps {
  label: string;
  error?: string;
  hint?: ReactNode;
  children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode;
}

export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const described = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': described })}
      {hint && (
        <div id={`${id}-hint`} className="field-hint">
          {hint}
        </div>
      )}
      {error && (
        <div id={`${id}-error`} className="field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

export function TextField({
  label,
  error,
  hint,
  ...input
}: { label: string; error?: string; hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Field label={label} error={error} hint={hint}>
      {(a11y) => <input {...input} {...a11y} />}
    </Field>
  );
}

// A one-time code: an authenticator app's (digits, spaces dropped as typed) or, with `recovery`, a
// recovery code (trimmed).
export function CodeField({
  recovery,
  onValue,
  ...field
}: { label: string; error?: string; hint?: ReactNode; recovery?: boolean; onValue: (code: string) => void } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'onChange'
>) {
  return (
    <TextField
      autoComplete="one-time-code"
      inputMode={recovery ? 'text' : 'numeric'}
      {...field}
      onChange={(e) => onValue(recovery ? e.target.value.trim() : e.target.value.replace(/\s/g, ''))}
    />
  );
}

export function SelectField({
  label,
  error,
  hint,
  options,
  placeholder,
  ...select
}: {
  label: string;
  error?: string;
  hint?: ReactNode;
  options: Array<{ value: string; label: string }>;
  placeholder?: string;
} & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <Field label={label} error={error} hint={hint}>
      {(a11y) => (
        <select {...select} {...a11y}>
          {placeholder !== undefined && <option value="">{placeholder}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

// The error of a failed submission: the message, and the field errors no field on the form shows.
export function FormError({ error, shownFields = [] }: { error: unknown; shownFields?: string[] }) {
  if (!error) return null;
  const api = error instanceof ApiError ? error : null;
  const rest = api ? api.details.filter((d) => !shownFields.includes(d.field)) : [];
  return (
    <div className="form-error" role="alert">
      {api ? api.message : error instanceof Error ? error.message : String(error)}
      {rest.length > 0 && (
        <ul>
          {rest.map((d) => (
            <li key={d.field + d.message}>
              <code>{d.field}</code>: {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

// The message for `field` from a failed submission, if the API named it.
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fieldError(field) : undefined;
}

// A form's submission: the form's own checks first (a message by field; none where it passed), then the request, busy
// while it runs. `err(field)` is the message to show by a field: the form's, else the API's.
export function useSubmission() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  async function run(checks: Record<string, string | undefined>, action: () => Promise<unknown>) {
    const failed = Object.fromEntries(Object.entries(checks).filter(([, message]) => message)) as Record<string, string>;
    setLocal(failed);
    if (Object.keys(failed).length) return;
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const err = (field: string) => local[field] ?? fieldError(error, field);
  // Typing anew clears the form's own messages (where a form wants that).
  const clearChecks = () => setLocal({});
  return { busy, error, local, err, run, clearChecks };
}
