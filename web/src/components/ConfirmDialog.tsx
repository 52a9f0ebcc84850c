// The console's one confirmation dialog, for destructive or money-moving actions: states what
// will happen, optionally asks for a reason, and shows the API's refusal inside itself. Escape or
// Cancel closes it; focus starts on its first control and goes back where it was when it closes.
// `onConfirm` may show its result elsewhere (a secret shown once), so the dialog closes itself on
// success only with `closeOnSuccess`. With `busy` the parent runs the action (a mutation) and
// closes the dialog itself, showing the outcome and any refusal in its own form.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { FormError, fieldError } from './Form';

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  danger,
  busy: busyProp,
  askReason,
  closeOnSuccess,
  reasonMissingMessage = 'Give a reason: it is kept with the record.',
  onConfirm,
  onClose,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  askReason?: boolean;
  closeOnSuccess?: boolean;
  reasonMissingMessage?: string;
  onConfirm: (reason: string) => unknown;
  onClose: () => void;
}) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [running, setBusy] = useState(false);
  const busy = busyProp ?? running;
  const [error, setError] = useState<unknown>(null);
  const [reasonMissing, setReasonMissing] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    box.current?.querySelector<HTMLElement>('textarea, button')?.focus();
    return () => before?.focus?.();
  }, []);
  const submit = async () => {
    if (askReason && !reason.trim()) {
      setReasonMissing(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onConfirm(reason.trim());
      setBusy(false);
      if (closeOnSuccess) onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const reasonError = reasonMissing ? reasonMissingMessage : fieldError(error, 'reason');
  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && !busy && onClose()}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} ref={box}>
        <h2 id={`${id}-title`}>{title}</h2>
        <div className="confirm-body">{children}</div>
        {askReason && (
          <div className={`field${reasonError ? ' field-invalid' : ''}`}>
            <label htmlFor={`${id}-reason`}>Reason</label>
            <textarea
              id={`${id}-reason`}
              value={reason}
              rows={3}
              maxLength={500}
              aria-invalid={reasonError ? true : undefined}
              aria-describedby={reasonError ? `${id}-reason-error` : undefined}
              onChange={(e) => {
                setReason(e.target.value);
                setReasonMissing(false);
              }}
            />
            {reasonError && (
              <div id={`${id}-reason-error`} className="field-error" role="alert">
                {reasonError}
              </div>
            )}
          </div>
        )}
        <FormError error={error} shownFields={askReason ? ['reason'] : []} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="button" className={danger ? 'btn btn-danger' : 'btn btn-primary'} onClick={() => void submit()} disabled={busy}>
            {busy ? 'Working…' : confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
