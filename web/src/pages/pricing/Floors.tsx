// NPA's ex-pump price floors of a window: shown on the window, and recorded (pricing.write) as NPA
// publishes them — one per product and window; a proposed price under it is refused.
import { useId, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, newIdempotencyKey } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { FormError, SelectField, TextField, fieldError } from '../../components/Form';
import { useProducts } from '../../lib/queries';
import { fuelProducts } from './BuildUpPage';
import type { PricingWindow } from './types';
import { formatPrice } from './pricingUtil';

const PRICE = /^\d+(\.\d{1,6})?$/;

export function useWindowDetail(id: string) {
  return useQuery({
    queryKey: ['pricing', 'window', id],
    queryFn: () => api.get<PricingWindow>(`/api/v1/pricing/windows/${id}`),
  });
}

export function WindowFloors({ window: w }: { window: PricingWindow }) {
  const { can } = useAuth();
  const detail = useWindowDetail(w.id);
  const floors = detail.data?.floors ?? [];
  const started = new Date(w.starts_at).getTime() <= Date.now();
  return (
    <div className="floors">
      <h3 className="subhead">NPA price floors</h3>
      <p data-testid={`floors-${w.id}`}>
        {detail.isPending
          ? 'Loading…'
          : detail.isError
            ? <span className="field-error">Could not load the floors.</span>
            : floors.length === 0
              ? 'None recorded'
              : floors.map((f) => `${f.product_code} ${formatPrice(f.unit_price)}`).join('; ')}
      </p>
      {can('pricing.write') && !started && <FloorForm window={w} taken={floors.map((f) => f.product_id)} />}
    </div>
  );
}

function FloorForm({ window: w, taken }: { window: PricingWindow; taken: string[] }) {
  const id = useId();
  const products = fuelProducts(useProducts().data).filter((p) => !taken.includes(p.id));
  const [productId, setProductId] = useState('');
  const [price, setPrice] = useState('');
  const [exRefinery, setExRefinery] = useState('');
  const [reference, setReference] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const key = useRef<string | null>(null);
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (body: Record<string, string>) => {
      key.current ??= newIdempotencyKey();
      return api.post('/api/v1/pricing/floors', body, key.current);
    },
    onSuccess: async () => {
      key.current = null;
      setSaved(`Floor recorded: ${products.find((p) => p.id === productId)?.code ?? ''} ${formatPrice(price)}.`);
      setProductId('');
      setPrice('');
      setExRefinery('');
      setReference('');
      await queryClient.invalidateQueries({ queryKey: ['pricing', 'window', w.id] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    const errors: Record<string, string> = {};
    if (!productId) errors.product_id = 'Choose the product.';
    if (!PRICE.test(price.trim())) errors.unit_price = 'Give the floor in GH₵ per unit, e.g. 13.02.';
    if (exRefinery.trim() && !PRICE.test(exRefinery.trim())) errors.ex_refinery_unit_price = 'Give it in GH₵ per unit, e.g. 9.04, or leave it empty.';
    setLocal(errors);
    if (Object.keys(errors).length) return;
    save.mutate({
      window: w.id,
      product_id: productId,
      unit_price: price.trim(),
      ...(exRefinery.trim() ? { ex_refinery_unit_price: exRefinery.trim() } : {}),
      ...(reference.trim() ? { reference: reference.trim() } : {}),
    });
  };
  const err = (f: string) => local[f] ?? fieldError(save.error, f);
  const changed = () => {
    key.current = null;
  };
  if (products.length === 0) return null;
  return (
    <details className="floor-form">
      <summary>Record a floor for {w.id}</summary>
      <form onSubmit={submit} noValidate aria-label={`Record an NPA floor for ${w.id}`} id={id}>
        <div className="form-row">
          <SelectField
            label="Product"
            value={productId}
            onChange={(e) => {
              changed();
              setProductId(e.target.value);
            }}
            options={products.map((p) => ({ value: p.id, label: p.code }))}
            placeholder="Choose…"
            error={err('product_id')}
          />
          <TextField
            label="Ex-pump floor (GH₵ per unit)"
            inputMode="decimal"
            value={price}
            onChange={(e) => {
              changed();
              setPrice(e.target.value);
            }}
            error={err('unit_price')}
          />
          <TextField
            label="Ex-refinery floor (optional)"
            inputMode="decimal"
            value={exRefinery}
            onChange={(e) => {
              changed();
              setExRefinery(e.target.value);
            }}
            error={err('ex_refinery_unit_price')}
          />
          <TextField
            label="NPA reference (optional)"
            value={reference}
            maxLength={200}
            onChange={(e) => {
              changed();
              setReference(e.target.value);
            }}
            error={err('reference')}
          />
        </div>
        <FormError error={save.error} shownFields={['product_id', 'unit_price', 'ex_refinery_unit_price', 'reference']} />
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? 'Recording…' : 'Record floor'}
        </button>
      </form>
      {saved && (
        <div className="form-success" role="status">
          {saved}
        </div>
      )}
    </details>
  );
}
