// What receivables.write may do on a customer's page: record a payment (allocated oldest invoice
// first by the API; posted to the ledger) and issue an invoice of the uninvoiced credit sales of a
// period. Both are confirmed before they are sent, each submission with its own idempotency key
// (kept across a retry of that submission), and the API's field errors show by their fields.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { api, newIdempotencyKey } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormError, SelectField, TextField, fieldError } from '../../components/Form';
import { Card } from '../../components/Page';
import { parseDecimal } from '../../lib/decimal';
import { formatCedis, formatDate, ghanaToday } from '../../lib/format';
import { useStations } from '../../lib/queries';
import { firstOfMonth, isDate } from './common';
import type { Customer, CustomerPayment, Invoice } from './types';

const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;

const METHODS = [
  { value: 'bank', label: 'Bank transfer' },
  { value: 'cheque', label: 'Cheque' },
  { value: 'momo', label: 'Mobile money' },
  { value: 'cash', label: 'Cash at a station' },
];

// A money-moving submission, confirmed before it is sent: the form's own checks, the
// confirmation, one idempotency key per submission (kept across a retry, renewed after a success
// or an edit), the finance figures refreshed after it, and its result until the next edit.
function useConfirmedPost<T>(send: (key: string) => Promise<T>, after?: (result: T) => void) {
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<T | null>(null);
  const key = useRef(newIdempotencyKey());
  const mutation = useMutation({
    mutationFn: () => send(key.current),
    onSuccess: (result) => {
      setConfirming(false);
      setDone(result);
      key.current = newIdempotencyKey();
      after?.(result);
      void queryClient.invalidateQueries({ queryKey: ['finance'] });
    },
    onError: () => setConfirming(false),
  });
  return {
    mutation,
    confirming,
    cancel: () => setConfirming(false),
    done,
    // A changed field is a new submission.
    edit:
      <V,>(set: (v: V) => void) =>
      (v: V) => {
        set(v);
        setDone(null);
        mutation.reset();
        key.current = newIdempotencyKey();
      },
    // The form's checks: the confirmation opens when none failed.
    check: (problems: Record<string, string>) => {
      setErrors(problems);
      if (Object.keys(problems).length === 0) setConfirming(true);
    },
    err: (f: string) => errors[f] ?? fieldError(mutation.error, f),
  };
}

export function RecordPayment({ customer }: { customer: Customer }) {
  const stations = useStations();
  const [method, setMethod] = useState('bank');
  const [amount, setAmount] = useState('');
  const [receivedOn, setReceivedOn] = useState(ghanaToday());
  const [reference, setReference] = useState('');
  const [stationId, setStationId] = useState('');
  const post = useConfirmedPost(
    (key) =>
      api.post<CustomerPayment>(
        `/api/v1/customers/${customer.id}/payments`,
        {
          method,
          amount,
          received_on: receivedOn,
          ...(reference.trim() ? { reference: reference.trim() } : {}),
          ...(method === 'cash' ? { station_id: stationId } : {}),
        },
        key,
      ),
    () => {
      setAmount('');
      setReference('');
    },
  );
  const { mutation: save, done, edit, err } = post;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (!AMOUNT.test(amount.trim())) next.amount = 'Enter the amount in cedis, e.g. 1500 or 1500.50.';
    else if (parseDecimal(amount.trim(), 2) <= 0n) next.amount = 'The amount must be more than zero.';
    if (!isDate(receivedOn)) next.received_on = 'Enter the date the money was received.';
    else if (receivedOn > ghanaToday()) next.received_on = 'The date must not be in the future.';
    if (method === 'cash' && !stationId) next.station_id = 'Choose the station that took the cash.';
    post.check(next);
  };
  const methodLabel = METHODS.find((m) => m.value === method)?.label ?? method;
  const stationName = stations.data?.find((s) => s.id === stationId)?.name;
  return (
    <Card title="Record a payment">
      <form onSubmit={submit} noValidate aria-label="Record a payment">
        <div className="form-row">
          <SelectField label="Method" value={method} options={METHODS} error={err('method')} onChange={(e) => edit(setMethod)(e.target.value)} />
          <TextField label="Amount (GH₵)" inputMode="decimal" value={amount} error={err('amount')} onChange={(e) => edit(setAmount)(e.target.value)} />
          <TextField label="Received on" type="date" value={receivedOn} max={ghanaToday()} error={err('received_on')} onChange={(e) => edit(setReceivedOn)(e.target.value)} />
          <TextField label="Reference (optional)" value={reference} error={err('reference')} onChange={(e) => edit(setReference)(e.target.value)} />
          {method === 'cash' && (
            <SelectField
              label="Station"
              value={stationId}
              placeholder={stations.isPending ? 'Loading…' : 'Choose a station'}
              options={(stations.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
              error={err('station_id')}
              onChange={(e) => edit(setStationId)(e.target.value)}
            />
          )}
        </div>
        <p className="muted small">The payment pays the oldest open invoices first; what is left stays with the customer as credit.</p>
        <FormError error={save.error} shownFields={['method', 'amount', 'received_on', 'reference', 'station_id']} />
        {done && (
          <p className="form-success" role="status">
            Recorded {formatCedis(done.amount)} on {formatDate(done.received_on)}
            {done.allocations.length > 0 && <> — applied to {done.allocations.map((a) => `${a.invoice_no} (${formatCedis(a.amount)})`).join(', ')}</>}
            {done.unallocated !== '0.00' && <>; {formatCedis(done.unallocated)} kept as credit</>}.
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          Record payment…
        </button>
      </form>
      {post.confirming && (
        <ConfirmDialog title="Record this payment?" confirmLabel="Record payment" busy={save.isPending} onConfirm={() => save.mutate()} onClose={post.cancel}>
          <p>
            <strong>{formatCedis(amount.trim())}</strong> from <strong>{customer.name}</strong> by {methodLabel.toLowerCase()}
            {method === 'cash' && stationName ? ` at ${stationName}` : ''}, received on {formatDate(receivedOn)}
            {reference.trim() ? `, reference ${reference.trim()}` : ''}.
          </p>
          <p className="muted">It is posted to the ledger at once; a mistake is corrected by a reversing entry.</p>
        </ConfirmDialog>
      )}
    </Card>
  );
}

export function IssueInvoice({ customer }: { customer: Customer }) {
  const today = ghanaToday();
  const [from, setFrom] = useState(firstOfMonth(today));
  const [to, setTo] = useState(today);
  const post = useConfirmedPost((key) => api.post<Invoice>(`/api/v1/customers/${customer.id}/invoices`, { from, to }, key));
  const { mutation: issue, done, edit, err } = post;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (!isDate(from)) next.from = 'Enter the first day of the period.';
    if (!isDate(to)) next.to = 'Enter the last day of the period.';
    else if (isDate(from) && from > to) next.to = 'The period must not end before it starts.';
    else if (to > today) next.to = 'The period must not end in the future.';
    post.check(next);
  };
  return (
    <Card title="Issue an invoice">
      <form onSubmit={submit} noValidate aria-label="Issue an invoice">
        <div className="form-row">
          <TextField label="Sales from" type="date" value={from} error={err('from')} onChange={(e) => edit(setFrom)(e.target.value)} />
          <TextField label="Sales to" type="date" value={to} max={today} error={err('to')} onChange={(e) => edit(setTo)(e.target.value)} />
        </div>
        <p className="muted small">
          Bills every credit sale of the period not yet invoiced, issued today and due in {customer.payment_terms_days} days.
        </p>
        <FormError error={issue.error} shownFields={['from', 'to']} />
        {done && (
          <p className="form-success" role="status">
            Issued {done.invoice_no}: {done.line_count} sale{done.line_count === 1 ? '' : 's'}, {formatCedis(done.total)}, due {formatDate(done.due_on)}.
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={issue.isPending}>
          Issue invoice…
        </button>
      </form>
      {post.confirming && (
        <ConfirmDialog title="Issue this invoice?" confirmLabel="Issue invoice" busy={issue.isPending} onConfirm={() => issue.mutate()} onClose={post.cancel}>
          <p>
            An invoice to <strong>{customer.name}</strong> for its uninvoiced credit sales from {formatDate(from)} to {formatDate(to)}. Invoice numbers
            are consecutive and an invoice cannot be withdrawn.
          </p>
        </ConfirmDialog>
      )}
    </Card>
  );
}

// customers.manage: put an account on hold (sales on account are refused) or release it.
export function HoldToggle({ customer }: { customer: Customer }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const next = customer.status === 'on_hold' ? 'active' : 'on_hold';
  const change = useMutation({
    mutationFn: () => api.patch<Customer>(`/api/v1/customers/${customer.id}`, { status: next }),
    onSuccess: () => {
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: ['finance'] });
    },
    onError: () => setConfirming(false),
  });
  return (
    <span className="hold-toggle">
      <button type="button" className={next === 'on_hold' ? 'btn btn-danger' : 'btn'} onClick={() => setConfirming(true)} disabled={change.isPending}>
        {next === 'on_hold' ? 'Put on hold…' : 'Release hold…'}
      </button>
      {change.error != null && <FormError error={change.error} />}
      {confirming && (
        <ConfirmDialog
          title={next === 'on_hold' ? `Put ${customer.name} on hold?` : `Release ${customer.name}?`}
          confirmLabel={next === 'on_hold' ? 'Put on hold' : 'Release hold'}
          busy={change.isPending}
          onConfirm={() => change.mutate()}
          onClose={() => setConfirming(false)}
        >
          <p>
            {next === 'on_hold'
              ? 'Every station will refuse sales on this account until the hold is released. Payments can still be recorded.'
              : 'Stations may sell on this account again, within its credit limit.'}
          </p>
        </ConfirmDialog>
      )}
    </span>
  );
}
