// Proposing a window's ex-pump prices: one line per product and place (the whole network, a price
// zone or one station), each either an ex-pump price or the OMC's and dealer's margins on the
// build-up. NPA's floor for the window is shown by the price; a price under it is refused by the
// API (422), and its message is shown by the field it names.
import { useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, newIdempotencyKey } from '../../api/client';
import { Card } from '../../components/Page';
import { FormError, SelectField, TextField, fieldError } from '../../components/Form';
import { formatDate, formatDateTime } from '../../lib/format';
import { useProducts, useStations } from '../../lib/queries';
import { fuelProducts } from './BuildUpPage';
import { useWindowsAhead, useZones } from './hooks';
import type { PricingWindow, Proposal } from './types';
import { formatPrice } from './pricingUtil';


interface LineDraft {
  key: number;
  product_id: string;
  scope: 'network' | 'zone' | 'station';
  place_id: string;
  mode: 'price' | 'margins';
  unit_price: string;
  marketer_margin: string;
  dealer_margin: string;
}

const PRICE = /^\d+(\.\d{1,6})?$/;

let nextKey = 1;
const blankLine = (): LineDraft => ({
  key: nextKey++,
  product_id: '',
  scope: 'network',
  place_id: '',
  mode: 'price',
  unit_price: '',
  marketer_margin: '',
  dealer_margin: '',
});

// What the form checks before sending (the API checks everything again).
export function checkLines(lines: LineDraft[]): Record<string, string> {
  const errors: Record<string, string> = {};
  lines.forEach((l, i) => {
    if (!l.product_id) errors[`lines[${i}].product_id`] = 'Choose the product.';
    if (l.scope !== 'network' && !l.place_id) errors[`lines[${i}].${l.scope}_id`] = `Choose the ${l.scope}.`;
    if (l.mode === 'price') {
      if (!PRICE.test(l.unit_price.trim())) errors[`lines[${i}].unit_price`] = 'Give the ex-pump price in GH₵ per unit, e.g. 13.45 (up to 6 decimals).';
      else if (/^0*(\.0*)?$/.test(l.unit_price.trim())) errors[`lines[${i}].unit_price`] = 'The price must be above zero.';
    } else {
      if (!PRICE.test(l.marketer_margin.trim())) errors[`lines[${i}].marketer_margin`] = 'Give the marketer margin in GH₵ per unit, e.g. 0.45.';
      if (!PRICE.test(l.dealer_margin.trim())) errors[`lines[${i}].dealer_margin`] = 'Give the dealer margin in GH₵ per unit, e.g. 0.30.';
    }
  });
  return errors;
}

export function toRequest(window: string, note: string, lines: LineDraft[]) {
  return {
    window,
    ...(note.trim() ? { note: note.trim() } : {}),
    lines: lines.map((l) => ({
      product_id: l.product_id,
      ...(l.scope === 'zone' ? { zone_id: l.place_id } : l.scope === 'station' ? { station_id: l.place_id } : {}),
      ...(l.mode === 'price'
        ? { unit_price: l.unit_price.trim() }
        : { marketer_margin: l.marketer_margin.trim(), dealer_margin: l.dealer_margin.trim() }),
    })),
  };
}

export function ProposalForm({ initialWindow, onDone }: { initialWindow?: string; onDone: (created: Proposal | null) => void }) {
  const windows = useWindowsAhead();
  const now = Date.now();
  const open = (windows.data ?? []).filter((w) => new Date(w.starts_at).getTime() > now);
  const [windowId, setWindowId] = useState(initialWindow && open.some((w) => w.id === initialWindow) ? initialWindow : '');
  const chosen = windowId || open[0]?.id || '';
  const detail = useQuery({
    queryKey: ['pricing', 'window', chosen],
    queryFn: () => api.get<PricingWindow>(`/api/v1/pricing/windows/${chosen}`),
    enabled: !!chosen,
  });
  const products = fuelProducts(useProducts().data);
  const stations = useStations().data ?? [];
  const zones = useZones().data ?? [];
  const [note, setNote] = useState('');
  const [lines, setLines] = useState<LineDraft[]>([blankLine()]);
  const [local, setLocal] = useState<Record<string, string>>({});
  const idempotency = useRef<string | null>(null);
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (body: ReturnType<typeof toRequest>) => {
      idempotency.current ??= newIdempotencyKey();
      return api.post<Proposal>('/api/v1/pricing/proposals', body, idempotency.current);
    },
    onSuccess: async (p) => {
      idempotency.current = null;
      await queryClient.invalidateQueries({ queryKey: ['pricing'] });
      onDone(p);
    },
  });
  const edited = () => {
    idempotency.current = null; // a changed form is a new submission
  };
  const update = (key: number, patch: Partial<LineDraft>) => {
    edited();
    setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));
  };
  const err = (field: string) => local[field] ?? fieldError(create.error, field);
  const floorOf = (productId: string) => detail.data?.floors?.find((f) => f.product_id === productId);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errors = checkLines(lines);
    if (!chosen) errors.window = 'Choose a window that has not started.';
    setLocal(errors);
    if (Object.keys(errors).length) return;
    create.mutate(toRequest(chosen, note, lines));
  };
  const shown = ['window', 'note', ...lines.flatMap((_, i) => ['product_id', 'zone_id', 'station_id', 'unit_price', 'marketer_margin', 'dealer_margin'].map((f) => `lines[${i}].${f}`))];
  const w = open.find((x) => x.id === chosen);

  return (
    <Card title="Propose prices" className="proposal-form">
      <form onSubmit={submit} noValidate aria-label="Propose prices">
        <div className="form-row">
          <SelectField
            label="Window"
            value={chosen}
            onChange={(e) => {
              edited();
              setWindowId(e.target.value);
            }}
            options={open.map((x) => ({ value: x.id, label: `${x.id} (${formatDate(x.first_day)} – ${formatDate(x.last_day)})` }))}
            error={err('window')}
            hint={
              w
                ? `NPA submission deadline ${formatDateTime(w.submission_deadline)}${w.deadline_passed ? ' — passed: a submission now is late' : ''}`
                : windows.isPending
                  ? 'Loading windows…'
                  : 'No window ahead is open for proposals.'
            }
          />
          <TextField
            label="Note (optional)"
            value={note}
            maxLength={500}
            onChange={(e) => {
              edited();
              setNote(e.target.value);
            }}
            error={err('note')}
          />
        </div>
        {lines.map((l, i) => {
          const floor = floorOf(l.product_id);
          const places = l.scope === 'zone' ? zones.map((z) => ({ value: z.id, label: `${z.code} ${z.name}` })) : stations.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }));
          return (
            <fieldset key={l.key} className="line-editor">
              <legend>Line {i + 1}</legend>
              <div className="form-row">
                <SelectField
                  label="Product"
                  value={l.product_id}
                  onChange={(e) => update(l.key, { product_id: e.target.value })}
                  options={products.map((p) => ({ value: p.id, label: `${p.code} — ${p.name}` }))}
                  placeholder="Choose…"
                  error={err(`lines[${i}].product_id`)}
                  hint={l.product_id ? (floor ? `NPA floor for ${chosen}: ${formatPrice(floor.unit_price)}` : `No NPA floor recorded for ${chosen || 'this window'}`) : undefined}
                />
                <SelectField
                  label="Applies to"
                  value={l.scope}
                  onChange={(e) => update(l.key, { scope: e.target.value as LineDraft['scope'], place_id: '' })}
                  options={[
                    { value: 'network', label: 'Whole network' },
                    { value: 'zone', label: 'A price zone' },
                    { value: 'station', label: 'One station' },
                  ]}
                />
                {l.scope !== 'network' && (
                  <SelectField
                    label={l.scope === 'zone' ? 'Zone' : 'Station'}
                    value={l.place_id}
                    onChange={(e) => update(l.key, { place_id: e.target.value })}
                    options={places}
                    placeholder={places.length ? 'Choose…' : l.scope === 'zone' ? 'No zones set up' : 'No stations'}
                    error={err(`lines[${i}].${l.scope}_id`)}
                  />
                )}
                <SelectField
                  label="Given as"
                  value={l.mode}
                  onChange={(e) => update(l.key, { mode: e.target.value as LineDraft['mode'] })}
                  options={[
                    { value: 'price', label: 'Ex-pump price' },
                    { value: 'margins', label: 'Margins on the build-up' },
                  ]}
                />
              </div>
              <div className="form-row">
                {l.mode === 'price' ? (
                  <TextField
                    label="Ex-pump price (GH₵ per unit)"
                    inputMode="decimal"
                    value={l.unit_price}
                    onChange={(e) => update(l.key, { unit_price: e.target.value })}
                    error={err(`lines[${i}].unit_price`)}
                  />
                ) : (
                  <>
                    <TextField
                      label="Marketer margin (GH₵ per unit)"
                      inputMode="decimal"
                      value={l.marketer_margin}
                      onChange={(e) => update(l.key, { marketer_margin: e.target.value })}
                      error={err(`lines[${i}].marketer_margin`)}
                      hint="Added to the build-up's regulated part on the window's first day."
                    />
                    <TextField
                      label="Dealer margin (GH₵ per unit)"
                      inputMode="decimal"
                      value={l.dealer_margin}
                      onChange={(e) => update(l.key, { dealer_margin: e.target.value })}
                      error={err(`lines[${i}].dealer_margin`)}
                    />
                  </>
                )}
                {lines.length > 1 && (
                  <div className="filter-action">
                    <button
                      type="button"
                      className="btn"
                      onClick={() => {
                        edited();
                        setLines((ls) => ls.filter((x) => x.key !== l.key));
                        setLocal({});
                      }}
                    >
                      Remove line {i + 1}
                    </button>
                  </div>
                )}
              </div>
            </fieldset>
          );
        })}
        <button
          type="button"
          className="btn"
          onClick={() => {
            edited();
            setLines((ls) => [...ls, blankLine()]);
          }}
        >
          Add a line
        </button>
        <FormError error={create.error} shownFields={shown} />
        <div className="card-actions">
          <button type="button" className="btn" onClick={() => onDone(null)} disabled={create.isPending}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={create.isPending || !chosen}>
            {create.isPending ? 'Proposing…' : 'Propose'}
          </button>
        </div>
      </form>
    </Card>
  );
}
