// Open and close a station's shift. Opening takes every active nozzle's totalizer (prefilled with
// the nozzle's last reading, which the last close left) and an attendant per pump; closing takes
// the closing totalizers and each attendant's cash-up, shows the computed litres, expected money
// and variance for confirmation, and only then closes.
import { useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { Card } from '../../components/Page';
import { FormError, SelectField, TextField, fieldError, useSubmission } from '../../components/Form';
import { Empty, QueryView } from '../../components/States';
import { addDecimals, parseDecimal } from '../../lib/decimal';
import { formatCedis, formatDateTime, formatLitres, formatUnitPrice } from '../../lib/format';
import { useStationStaff } from '../../lib/queries';
import {
  StationLink,
  SubmitError,
  StationSelect,
  decimalProblem,
  useEquipment,
  useProductNames,
  useStationChoice,
  useSubmissionKey,
} from './common';
import { previewClose, varianceWord, type ClosePreview, type Collected } from './shiftMath';
import type { PriceInForce, Shift } from './types';

export function ShiftPage() {
  const choice = useStationChoice();
  const stationId = choice.stationId;
  const open = useQuery({
    queryKey: ['shifts', 'open', stationId],
    queryFn: async () => {
      const page = await api.page<Shift>('/api/v1/shifts', { station_id: stationId, status: 'open', limit: 1 });
      return page.items[0] ?? null;
    },
    enabled: !!stationId,
  });
  const [closed, setClosed] = useState<Shift | null>(null);
  const [opened, setOpened] = useState<Shift | null>(null);
  return (
    <div className="ops-form">
      <Card title="Station">
        <StationSelect choice={choice} />
      </Card>
      {closed && <ClosedResult shift={closed} onDismiss={() => setClosed(null)} />}
      {opened && (
        <div className="form-success" role="status">
          Shift opened at {formatDateTime(opened.opened_at)} (business day {opened.business_date}), id{' '}
          <code>{opened.id}</code>. <StationLink stationId={opened.station_id} />
        </div>
      )}
      {!stationId ? (
        <Empty>Choose a station to open or close its shift.</Empty>
      ) : (
        <QueryView query={open} isEmpty={() => false} loadingLabel="Looking for the open shift…">
          {(shift) =>
            shift ? (
              <CloseShiftForm
                key={shift.id}
                shiftId={shift.id}
                onClosed={(s) => {
                  setOpened(null);
                  setClosed(s);
                }}
              />
            ) : (
              <OpenShiftForm
                key={stationId}
                stationId={stationId}
                onOpened={(s) => {
                  setClosed(null);
                  setOpened(s);
                }}
              />
            )
          }
        </QueryView>
      )}
    </div>
  );
}

// ---- attendants ----

// Who can be put on a pump. The API takes a user id (an active user of the tenant): the choices
// are the station's active people (GET /stations/{id}/staff, which a manager may read), the
// attendants of its recent shifts and the signed-in user; each pump starts with whoever worked
// it at the last close.
function useAttendantChoices(stationId: string) {
  const { profile } = useAuth();
  const lastClosed = useQuery({
    queryKey: ['shifts', 'last-closed', stationId],
    queryFn: async () => {
      const closed = await api.all<Shift>('/api/v1/shifts', { station_id: stationId, status: 'closed' });
      const recent = closed.slice(-3).reverse();
      return Promise.all(recent.map((s) => api.get<Shift>(`/api/v1/shifts/${s.id}`)));
    },
    enabled: !!stationId,
  });
  const staff = useStationStaff(stationId);
  const names = new Map((staff.data ?? []).map((u) => [u.id, u.display_name || u.username]));
  const left = new Set((staff.data ?? []).filter((u) => !u.active).map((u) => u.id));
  const nameOf = (id: string) => names.get(id) ?? `Attendant …${id.slice(-8)}`;
  const options = new Map<string, string>();
  for (const u of staff.data ?? []) if (u.active) options.set(u.id, nameOf(u.id));
  const lastOfPump: Record<string, string> = {};
  for (const s of lastClosed.data ?? []) {
    for (const n of s.report?.nozzles ?? []) {
      // Someone who has left (deactivated) is neither offered nor put back on their pump.
      if (!n.attendant_id || left.has(n.attendant_id)) continue;
      if (!(n.pump_id in lastOfPump) && s === lastClosed.data?.[0]) lastOfPump[n.pump_id] = n.attendant_id;
      if (!options.has(n.attendant_id)) options.set(n.attendant_id, nameOf(n.attendant_id));
    }
  }
  if (profile && !options.has(profile.id)) options.set(profile.id, `Me — ${profile.display_name || profile.username}`);
  return {
    loading: lastClosed.isPending || staff.isPending,
    lastOfPump,
    lastShift: lastClosed.data?.[0] ?? null,
    options: [...options].map(([value, label]) => ({ value, label })),
    label: (id: string) => options.get(id) ?? nameOf(id),
  };
}

// ---- open ----

function OpenShiftForm({ stationId, onOpened }: { stationId: string; onOpened: (s: Shift) => void }) {
  const qc = useQueryClient();
  const { pumps, nozzles } = useEquipment(stationId);
  const attendants = useAttendantChoices(stationId);
  const productName = useProductNames();
  const key = useSubmissionKey();
  const [totalizers, setTotalizers] = useState<Record<string, string>>({});
  const [people, setPeople] = useState<Record<string, string>>({});
  const [note, setNote] = useState('');
  const form = useSubmission();

  const activeNozzles = useMemo(
    () => {
      const code = (id: string) => pumps.data?.find((p) => p.id === id)?.code ?? id;
      return (nozzles.data ?? [])
        .filter((n) => n.active)
        .sort((a, b) => code(a.pump_id).localeCompare(code(b.pump_id), undefined, { numeric: true }) || a.number - b.number);
    },
    [nozzles.data, pumps.data],
  );
  const activePumps = useMemo(
    () => (pumps.data ?? []).filter((p) => p.active && activeNozzles.some((n) => n.pump_id === p.id)).sort((a, b) => a.code.localeCompare(b.code, undefined, { numeric: true })),
    [pumps.data, activeNozzles],
  );
  const pumpCode = (id: string) => pumps.data?.find((p) => p.id === id)?.code ?? id.slice(0, 8);
  const reading = (id: string) => totalizers[id] ?? activeNozzles.find((n) => n.id === id)?.totalizer ?? '';
  const personOf = (pumpId: string) => people[pumpId] ?? attendants.lastOfPump[pumpId] ?? '';

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    activeNozzles.forEach((n, i) => {
      const p = decimalProblem(reading(n.id), 3);
      if (p) problems[`totalizers[${i}].totalizer`] = p;
    });
    activePumps.forEach((p, i) => {
      if (!personOf(p.id)) problems[`attendants[${i}].attendant_id`] = 'choose who works this pump';
    });
    await form.run(problems, async () => {
      const body = {
        station_id: stationId,
        totalizers: activeNozzles.map((n) => ({ nozzle_id: n.id, totalizer: reading(n.id).trim() })),
        attendants: activePumps.map((p) => ({ pump_id: p.id, attendant_id: personOf(p.id) })),
        ...(note.trim() ? { note: note.trim() } : {}),
      };
      const shift = await api.post<Shift>('/api/v1/shifts', body, key.for(body));
      key.renew();
      onOpened(shift);
      await qc.invalidateQueries({ queryKey: ['shifts'] });
      await qc.invalidateQueries({ queryKey: ['nozzles', stationId] });
    });
  }
  const err = form.err;
  const shown = [...activeNozzles.map((_, i) => `totalizers[${i}].totalizer`), ...activePumps.flatMap((_, i) => [`attendants[${i}].attendant_id`, `attendants[${i}].pump_id`]), 'note', 'station_id'];

  if (nozzles.isPending || pumps.isPending) return <QueryView query={nozzles}>{() => null}</QueryView>;
  if (nozzles.isError) return <QueryView query={nozzles}>{() => null}</QueryView>;
  if (pumps.isError) return <QueryView query={pumps}>{() => null}</QueryView>;
  if (activeNozzles.length === 0) return <Empty>This station has no active nozzle: there is nothing to open a shift on.</Empty>;
  const last = attendants.lastShift;
  return (
    <form onSubmit={submit} noValidate aria-label="Open a shift">
      <Card title="Open a shift">
        <p className="muted">
          No shift is open at this station. Opening totalizers are prefilled with each nozzle's last reading
          {last?.closed_at ? ` (the close of ${formatDateTime(last.closed_at)})` : ''}; a totalizer never runs backwards.
        </p>
        <h3>Opening totalizers</h3>
        <div className="form-row">
          {activeNozzles.map((n, i) => (
            <TextField
              key={n.id}
              label={`Pump ${pumpCode(n.pump_id)} nozzle ${n.number} (${productName(n.product_id)}), litres`}
              inputMode="decimal"
              value={reading(n.id)}
              onChange={(e) => setTotalizers({ ...totalizers, [n.id]: e.target.value })}
              hint={`Last reading ${formatLitres(n.totalizer, 3)}`}
              error={err(`totalizers[${i}].totalizer`) ?? err(`totalizers[${i}].nozzle_id`)}
            />
          ))}
        </div>
        <h3>Attendants</h3>
        <div className="form-row">
          {activePumps.map((p, i) => (
            <SelectField
              key={p.id}
              label={`Attendant on pump ${p.code}`}
              value={personOf(p.id)}
              onChange={(e) => setPeople({ ...people, [p.id]: e.target.value })}
              placeholder={attendants.loading ? 'Loading…' : 'Choose…'}
              options={attendants.options}
              error={err(`attendants[${i}].attendant_id`) ?? err(`attendants[${i}].pump_id`)}
            />
          ))}
        </div>
        <TextField label="Note (optional)" value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} error={err('note')} />
        <SubmitError error={form.error} shownFields={shown} />
        <button type="submit" className="btn btn-primary" disabled={form.busy}>
          {form.busy ? 'Opening…' : 'Open the shift'}
        </button>
      </Card>
    </form>
  );
}

// ---- close ----

function CloseShiftForm({ shiftId, onClosed }: { shiftId: string; onClosed: (s: Shift) => void }) {
  const qc = useQueryClient();
  const shift = useQuery({
    queryKey: ['shift', shiftId],
    queryFn: () => api.get<Shift>(`/api/v1/shifts/${shiftId}`),
  });
  return (
    <QueryView query={shift} loadingLabel="Loading the open shift…">
      {(s) => (
        <CloseShiftFields
          shift={s}
          onClosed={async (closed) => {
            onClosed(closed);
            await qc.invalidateQueries({ queryKey: ['shifts'] });
            // The close set each nozzle's last reading: the next opening starts from it.
            await qc.invalidateQueries({ queryKey: ['nozzles', closed.station_id] });
          }}
        />
      )}
    </QueryView>
  );
}

function CloseShiftFields({ shift, onClosed }: { shift: Shift; onClosed: (s: Shift) => void }) {
  const { pumps } = useEquipment(shift.station_id);
  const attendants = useAttendantChoices(shift.station_id);
  const productName = useProductNames();
  const key = useSubmissionKey();
  const report = shift.report!;
  const codeOf = (id: string) => pumps.data?.find((p) => p.id === id)?.code ?? id;
  // Pump by pump, nozzle by nozzle, as they stand on the forecourt.
  const lines = [...report.nozzles].sort((a, b) => codeOf(a.pump_id).localeCompare(codeOf(b.pump_id), undefined, { numeric: true }) || a.number - b.number);
  const products = [...new Set(lines.map((n) => n.product_id))];
  const prices = useQuery({
    queryKey: ['prices-now', shift.station_id, products],
    queryFn: async () => {
      const entries = await Promise.all(
        products.map(async (p) => {
          try {
            const price = await api.get<PriceInForce>('/api/v1/prices/current', { station_id: shift.station_id, product_id: p });
            return [p, price.unit_price] as const;
          } catch (e) {
            if (e instanceof ApiError && e.status === 404) return [p, null] as const;
            throw e;
          }
        }),
      );
      return Object.fromEntries(entries) as Record<string, string | null>;
    },
  });
  const attendantOfPump: Record<string, string> = {};
  for (const n of lines) if (n.attendant_id) attendantOfPump[n.pump_id] = n.attendant_id;
  const people = [...new Set(Object.values(attendantOfPump))].sort();
  const [closing, setClosing] = useState<Record<string, string>>({});
  const [money, setMoney] = useState<Record<string, Collected>>({});
  const [local, setLocal] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<ClosePreview | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const pumpCode = (id: string) => pumps.data?.find((p) => p.id === id)?.code ?? id.slice(0, 8);
  const collectedOf = (id: string) => money[id] ?? { cash: '', momo: '', card: '' };

  const [reviewing, setReviewing] = useState(false);
  async function review(e: React.FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    lines.forEach((n, i) => {
      const p = decimalProblem(closing[n.nozzle_id] ?? '', 3);
      if (p) problems[`totalizers[${i}].totalizer`] = p;
      else if (compareDecimal(closing[n.nozzle_id]!, n.opening_totalizer) < 0)
        problems[`totalizers[${i}].totalizer`] = `is below the opening reading (${n.opening_totalizer})`;
    });
    people.forEach((id, i) => {
      for (const m of ['cash', 'momo', 'card'] as const) {
        const p = decimalProblem(collectedOf(id)[m], 2);
        if (p) problems[`collections[${i}].${m}`] = p;
      }
    });
    setLocal(problems);
    setError(null);
    if (Object.keys(problems).length) return;
    // Sales go on while the shift is open and a price may have changed: the figures to confirm
    // are computed from the shift's sales and the prices in force as they are now.
    setReviewing(true);
    let fresh: Shift;
    let priceOfProduct: Record<string, string | null>;
    try {
      const [latest, latestPrices] = await Promise.all([api.get<Shift>(`/api/v1/shifts/${shift.id}`), prices.refetch({ throwOnError: true })]);
      fresh = latest;
      priceOfProduct = latestPrices.data!;
    } catch (err) {
      setError(err);
      return;
    } finally {
      setReviewing(false);
    }
    const recordedByPayment: Record<string, Record<string, string>> = {};
    for (const a of fresh.report?.attendants ?? []) recordedByPayment[a.attendant_id] = a.recorded_by_payment;
    setPreview(
      previewClose({
        readings: lines.map((n) => ({
          nozzle_id: n.nozzle_id,
          pump_id: n.pump_id,
          product_id: n.product_id,
          opening: n.opening_totalizer,
          closing: closing[n.nozzle_id]!.trim(),
        })),
        attendantOfPump,
        priceOfProduct,
        recordedByPayment,
        collected: Object.fromEntries(people.map((id) => [id, collectedOf(id)])),
      }),
    );
  }

  async function confirm() {
    setSending(true);
    setError(null);
    try {
      const body = {
        totalizers: lines.map((n) => ({ nozzle_id: n.nozzle_id, totalizer: closing[n.nozzle_id]!.trim() })),
        collections: people.map((id) => ({
          attendant_id: id,
          cash: collectedOf(id).cash.trim(),
          momo: collectedOf(id).momo.trim(),
          card: collectedOf(id).card.trim(),
        })),
      };
      const closed = await api.post<Shift>(`/api/v1/shifts/${shift.id}/close`, body, key.for(body));
      key.renew();
      setPreview(null);
      onClosed(closed);
    } catch (err) {
      setError(err);
      setPreview(null);
    } finally {
      setSending(false);
    }
  }

  const err = (field: string) => local[field] ?? fieldError(error, field);
  const shown = [
    ...lines.flatMap((_, i) => [`totalizers[${i}].totalizer`, `totalizers[${i}].nozzle_id`]),
    ...people.flatMap((_, i) => ['cash', 'momo', 'card', 'attendant_id'].map((m) => `collections[${i}].${m}`)),
  ];
  return (
    <>
      <form onSubmit={review} noValidate aria-label="Close the shift">
        <Card title="Close the shift">
          <p className="muted">
            Open since {formatDateTime(shift.opened_at)} (business day {shift.business_date}), shift <code>{shift.id}</code>.
          </p>
          <h3>Closing totalizers</h3>
          <div className="form-row">
            {lines.map((n, i) => (
              <TextField
                key={n.nozzle_id}
                label={`Pump ${pumpCode(n.pump_id)} nozzle ${n.number} (${productName(n.product_id)}), litres`}
                inputMode="decimal"
                value={closing[n.nozzle_id] ?? ''}
                onChange={(e) => {
                  setClosing({ ...closing, [n.nozzle_id]: e.target.value });
                  setPreview(null);
                }}
                hint={`Opening ${formatLitres(n.opening_totalizer, 3)}`}
                error={err(`totalizers[${i}].totalizer`) ?? err(`totalizers[${i}].nozzle_id`)}
              />
            ))}
          </div>
          <h3>Cash-up</h3>
          {people.length === 0 && <p className="muted">No attendant is on this shift's pumps.</p>}
          {people.map((id, i) => (
            <fieldset key={id} className="cashup">
              <legend>{attendants.label(id)}</legend>
              <div className="form-row">
                {(['cash', 'momo', 'card'] as const).map((m) => (
                  <TextField
                    key={m}
                    label={`${m === 'cash' ? 'Cash counted' : m === 'momo' ? 'MoMo' : 'Card'}, GH₵`}
                    inputMode="decimal"
                    value={collectedOf(id)[m]}
                    onChange={(e) => {
                      setMoney({ ...money, [id]: { ...collectedOf(id), [m]: e.target.value } });
                      setPreview(null);
                    }}
                    error={err(`collections[${i}].${m}`)}
                  />
                ))}
              </div>
            </fieldset>
          ))}
          {prices.isError && <FormError error={prices.error} />}
          <SubmitError error={error} shownFields={shown} />
          <button type="submit" className="btn btn-primary" disabled={sending || reviewing || prices.isPending}>
            {prices.isPending ? 'Loading prices…' : reviewing ? 'Computing…' : 'Review the close'}
          </button>
        </Card>
      </form>
      {preview && (
        <ConfirmClose
          preview={preview}
          lines={lines.map((n) => ({ ...n, pump: pumpCode(n.pump_id), product: productName(n.product_id) }))}
          label={attendants.label}
          sending={sending}
          onCancel={() => setPreview(null)}
          onConfirm={confirm}
        />
      )}
    </>
  );
}

function compareDecimal(a: string, b: string): number {
  const x = parseDecimal(a.trim(), 3);
  const y = parseDecimal(b.trim(), 3);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function VarianceText({ variance }: { variance: string }) {
  const word = varianceWord(variance);
  const amount = formatCedis(variance.replace(/^-/, ''));
  return (
    <span className={word === 'short' ? 'neg variance' : 'pos variance'} data-variance={variance}>
      {word === 'balanced' ? (
        'Balanced (GH₵ 0.00)'
      ) : (
        <>
          {word === 'short' ? 'Short by ' : 'Over by '}
          <span className="nowrap">{amount}</span>
        </>
      )}
    </span>
  );
}

function ConfirmClose({
  preview,
  lines,
  label,
  sending,
  onCancel,
  onConfirm,
}: {
  preview: ClosePreview;
  lines: Array<{ nozzle_id: string; pump: string; number: number; product: string; opening_totalizer: string }>;
  label: (id: string) => string;
  sending: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  return (
    <div className="modal-backdrop">
      <div className="modal modal-wide" role="dialog" aria-modal="true" aria-labelledby="confirm-close-title">
        <h2 id="confirm-close-title">Confirm the close</h2>
        <p className="muted">
          Computed here as the API's shift report computes it: meter litres × the price in force now (half up to the
          pesewa), less account and voucher sales. Nothing is recorded until you confirm.
        </p>
        <table className="ops-table">
          <caption>Cash-up per attendant</caption>
          <thead>
            <tr>
              <th scope="col">Attendant</th>
              <th scope="col" className="num">Expected</th>
              <th scope="col" className="num">Counted</th>
              <th scope="col">Variance</th>
            </tr>
          </thead>
          <tbody>
            {preview.attendants.map((a) => (
              <tr key={a.attendant_id}>
                <td>{label(a.attendant_id)}</td>
                <td className="num">
                  {formatCedis(a.expected)}
                  {a.not_money !== '0.00' && <div className="muted small">after {formatCedis(a.not_money)} on account/voucher</div>}
                </td>
                <td className="num">{formatCedis(a.collected)}</td>
                <td>
                  <VarianceText variance={a.variance} />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td className="num" data-testid="expected-total">{formatCedis(preview.expected)}</td>
              <td className="num" data-testid="collected-total">{formatCedis(preview.collected)}</td>
              <td data-testid="variance-total">
                <VarianceText variance={preview.variance} />
              </td>
            </tr>
          </tfoot>
        </table>
        <table className="ops-table">
          <caption>Litres per nozzle</caption>
          <thead>
            <tr>
              <th scope="col">Nozzle</th>
              <th scope="col" className="num">Litres</th>
              <th scope="col" className="num">Price</th>
              <th scope="col" className="num">Value</th>
            </tr>
          </thead>
          <tbody>
            {preview.nozzles.map((n) => {
              const line = lines.find((l) => l.nozzle_id === n.nozzle_id)!;
              return (
                <tr key={n.nozzle_id}>
                  <td>
                    Pump {line.pump} nozzle {line.number} ({line.product})
                  </td>
                  <td className="num" data-litres={n.litres}>{formatLitres(n.litres, 3)}</td>
                  <td className="num">{n.unit_price ? formatUnitPrice(n.unit_price) : 'no price'}</td>
                  <td className="num">{formatCedis(n.value)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onCancel} disabled={sending}>
            Back to the form
          </button>
          <button type="button" className="btn btn-primary" onClick={onConfirm} disabled={sending} autoFocus>
            {sending ? 'Closing…' : 'Confirm and close the shift'}
          </button>
        </div>
      </div>
    </div>
  );
}

function ClosedResult({ shift, onDismiss }: { shift: Shift; onDismiss: () => void }) {
  const report = shift.report;
  const total = addDecimals((report?.attendants ?? []).map((a) => a.variance_amount), 2);
  return (
    <div className="form-success" role="status" aria-label="Shift closed">
      <p>
        Shift closed at {formatDateTime(shift.closed_at)}. Recorded cash-up variance:{' '}
        <strong data-testid="recorded-variance" data-variance={total}>
          <VarianceText variance={total} />
        </strong>
        . <StationLink stationId={shift.station_id} />
      </p>
      <ul>
        {(report?.attendants ?? []).map((a) => (
          <li key={a.attendant_id}>
            …{a.attendant_id.slice(-8)}: expected {formatCedis(a.expected_money)}, handed over {formatCedis(a.collected?.total)} —{' '}
            {a.variance_amount ? <VarianceText variance={a.variance_amount} /> : 'nothing handed over'}
          </li>
        ))}
      </ul>
      <button type="button" className="btn" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}

