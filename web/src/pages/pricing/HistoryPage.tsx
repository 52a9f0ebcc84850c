// Price history of a station and product: what the pump charged at an instant (the station's own
// price or the network's, and since when) and every change over a period, as a table and a step
// chart (a price holds until the next change).
import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../../api/client';
import { Card } from '../../components/Page';
import { SelectField, TextField } from '../../components/Form';
import { Empty, ErrorState, Loading } from '../../components/States';
import { formatDecimal, parseDecimal } from '../../lib/decimal';
import { formatDate, formatDateTime, ghanaToday } from '../../lib/format';
import { useProducts, useStations } from '../../lib/queries';
import type { PriceHistory } from './types';
import { formatPrice } from './pricingUtil';
import { ScrollRegion } from './ScrollRegion';

// "2026-11-22T08:30" typed in Ghana time (UTC+0) -> RFC 3339 UTC.
export function ghanaLocalToIso(local: string): string {
  return `${local.length === 16 ? `${local}:00` : local}Z`;
}

function nowLocal(): string {
  return new Date().toISOString().slice(0, 16);
}

interface Nozzle {
  id: string;
  number: number;
  product_id: string;
  pump_id: string;
  station_id: string;
  active: boolean;
}
interface Pump {
  id: string;
  code: string;
}

// The station's pumps and nozzles, for asking what one nozzle charged.
function useNozzles(stationId: string) {
  return useQuery({
    queryKey: ['stations', stationId, 'nozzles-with-pumps'],
    queryFn: async () => {
      const [nozzles, pumps] = await Promise.all([
        api.all<Nozzle>('/api/v1/nozzles', { station_id: stationId }),
        api.all<Pump>('/api/v1/pumps', { station_id: stationId }),
      ]);
      const pumpCode = new Map(pumps.map((p) => [p.id, p.code]));
      return nozzles
        .filter((n) => n.active !== false)
        .map((n) => ({ ...n, pump_code: pumpCode.get(n.pump_id) ?? 'pump' }))
        .sort((a, b) => a.pump_code.localeCompare(b.pump_code, undefined, { numeric: true }) || a.number - b.number);
    },
    enabled: !!stationId,
    staleTime: 5 * 60_000,
  });
}

interface Params {
  station_id: string;
  nozzle_id: string;
  product_id: string;
  at: string;
  from: string;
  to: string;
}

export function HistoryPage() {
  const stations = useStations();
  const products = useProducts();
  const [form, setForm] = useState<Params>({ station_id: '', nozzle_id: '', product_id: '', at: nowLocal(), from: '', to: '' });
  const nozzles = useNozzles(form.station_id);
  const [asked, setAsked] = useState<Params | null>(null);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const productList = (products.data ?? []).filter((p) => p.active !== false);
  const stationList = (stations.data ?? []).filter((s) => s.active !== false);
  const history = useQuery({
    queryKey: ['pricing', 'history', asked],
    queryFn: () =>
      api.get<PriceHistory>('/api/v1/pricing/history', {
        ...(asked!.nozzle_id ? { nozzle_id: asked!.nozzle_id } : { station_id: asked!.station_id, product_id: asked!.product_id }),
        at: ghanaLocalToIso(asked!.at),
        from: asked!.from ? `${asked!.from}T00:00:00Z` : undefined,
        to: asked!.to ? `${asked!.to}T23:59:59Z` : undefined,
      }),
    enabled: !!asked,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const m: Record<string, string> = {};
    if (!form.station_id) m.station_id = 'Choose the station.';
    if (!form.product_id && !form.nozzle_id) m.product_id = 'Choose the product (or a nozzle).';
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(form.at)) m.at = 'Give the date and time (Ghana time).';
    if (form.from && form.to && form.from > form.to) m.to = 'The end is before the start.';
    setMissing(m);
    if (Object.keys(m).length === 0) setAsked({ ...form });
  };
  const set = (k: keyof Params) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const station = stationList.find((s) => s.id === asked?.station_id);
  const askedNozzle = nozzles.data?.find((n) => n.id === asked?.nozzle_id);
  const product = productList.find((p) => p.id === (history.data?.product_id ?? asked?.product_id));
  const productCode = (id: string) => productList.find((p) => p.id === id)?.code ?? '';

  return (
    <div className="price-history">
      <Card title="What did this pump charge?">
        <form onSubmit={submit} noValidate aria-label="Price history">
          <div className="form-row">
            <SelectField
              label="Station"
              value={form.station_id}
              onChange={(e) => setForm((f) => ({ ...f, station_id: e.target.value, nozzle_id: '' }))}
              options={stationList.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
              placeholder={stations.isPending ? 'Loading…' : 'Choose…'}
              error={missing.station_id}
            />
            <SelectField
              label="Nozzle (optional)"
              value={form.nozzle_id}
              onChange={(e) => {
                const n = nozzles.data?.find((x) => x.id === e.target.value);
                setForm((f) => ({ ...f, nozzle_id: e.target.value, product_id: n ? n.product_id : f.product_id }));
              }}
              options={(nozzles.data ?? []).map((n) => ({ value: n.id, label: `${n.pump_code} nozzle ${n.number} — ${productCode(n.product_id)}` }))}
              placeholder={!form.station_id ? 'Choose the station first' : nozzles.isPending ? 'Loading…' : 'Any (by product)'}
              disabled={!form.station_id}
            />
            <SelectField
              label="Product"
              value={form.product_id}
              onChange={set('product_id')}
              disabled={!!form.nozzle_id}
              hint={form.nozzle_id ? "The nozzle's product." : undefined}
              options={productList.map((p) => ({ value: p.id, label: `${p.code} — ${p.name}` }))}
              placeholder={products.isPending ? 'Loading…' : 'Choose…'}
              error={missing.product_id}
            />
            <TextField label="At (Ghana time)" type="datetime-local" value={form.at} onChange={set('at')} error={missing.at} />
          </div>
          <div className="form-row">
            <TextField label="Changes from (optional)" type="date" value={form.from} max={ghanaToday()} onChange={set('from')} hint="Default: 90 days before the time above." />
            <TextField label="Changes to (optional)" type="date" value={form.to} onChange={set('to')} error={missing.to} hint="Default: the time above." />
            <div className="filter-action">
              <button type="submit" className="btn btn-primary">
                Show
              </button>
            </div>
          </div>
        </form>
      </Card>
      {(stations.isError || products.isError) && <ErrorState error={stations.error ?? products.error} />}
      {!asked ? (
        <Empty>Choose a station, a product and a time.</Empty>
      ) : history.isPending ? (
        <Loading label="Loading the price history…" />
      ) : history.isError ? (
        <ErrorState error={history.error} onRetry={() => history.refetch()} />
      ) : (
        <HistoryView
          h={history.data}
          stationName={`${askedNozzle ? `${askedNozzle.pump_code} nozzle ${askedNozzle.number} at ` : ''}${station ? `${station.code} ${station.name}` : 'the station'}`}
          productCode={product?.code ?? ''}
        />
      )}
    </div>
  );
}

function HistoryView({ h, stationName, productCode }: { h: PriceHistory; stationName: string; productCode: string }) {
  const points = h.changes.map((c) => ({ t: new Date(c.effective_from).getTime(), price: Number(c.unit_price), label: c.unit_price }));
  if (points.length) points.push({ t: new Date(h.to).getTime(), price: points[points.length - 1].price, label: points[points.length - 1].label });
  return (
    <>
      <Card title="In force at that time" className="in-force">
        {h.in_force ? (
          <p className="in-force-answer" data-testid="in-force-answer">
            At <strong>{formatDateTime(h.at)}</strong> {stationName} charged <strong className="big-figure">{formatPrice(h.in_force.unit_price)}</strong> per {h.unit} for{' '}
            {productCode}: {h.in_force.scope === 'station' ? "the station's own price" : 'the network price'}, in force since {formatDateTime(h.in_force.effective_from)} (window {h.window}).
          </p>
        ) : (
          <p className="in-force-answer" data-testid="in-force-answer">
            No price was in force for {productCode} at {stationName} at {formatDateTime(h.at)}: a sale then would have been refused.
          </p>
        )}
      </Card>
      <div className="grid-2">
        <Card title={`Changes ${formatDate(h.from.slice(0, 10))} – ${formatDate(h.to.slice(0, 10))}`}>
          {h.changes.length === 0 ? (
            <Empty>No price change in that period.</Empty>
          ) : (
            <ScrollRegion label="Price changes">
              <table>
                <caption className="sr-only">Price changes</caption>
                <thead>
                  <tr>
                    <th scope="col">From</th>
                    <th scope="col" className="num">
                      Price per {h.unit}
                    </th>
                    <th scope="col" className="num">
                      Change
                    </th>
                    <th scope="col">Set for</th>
                  </tr>
                </thead>
                <tbody>
                  {h.changes.map((c, i) => {
                    const prev = h.changes[i - 1];
                    const delta = prev ? parseDecimal(c.unit_price, 6) - parseDecimal(prev.unit_price, 6) : null;
                    return (
                      <tr key={c.price_id}>
                        <td>{formatDateTime(c.effective_from)}</td>
                        <td className="num">{formatPrice(c.unit_price)}</td>
                        <td className={`num${delta !== null && delta < 0n ? ' neg' : ''}`}>
                          {delta === null ? '—' : `${delta > 0n ? '+' : ''}${formatPrice(formatDecimal(delta, 6))}`}
                        </td>
                        <td>{c.scope === 'station' ? 'This station' : 'The network'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </ScrollRegion>
          )}
        </Card>
        <Card title="Price over time">
          {points.length === 0 ? (
            <Empty>Nothing to draw.</Empty>
          ) : (
            <div className="chart" role="img" aria-label={`Step chart of the ${productCode} price at ${stationName}`}>
              <ResponsiveContainer width="100%" height={300}>
                <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={(t) => formatDate(new Date(t).toISOString())} tick={{ fontSize: 12 }} />
                  <YAxis domain={['auto', 'auto']} tick={{ fontSize: 12 }} />
                  <Tooltip labelFormatter={(t) => formatDateTime(new Date(Number(t)).toISOString())} formatter={(_v, _n, item) => [formatPrice((item.payload as { label: string }).label), 'Price']} />
                  <Line type="stepAfter" dataKey="price" stroke="#0b5d3b" strokeWidth={2} dot isAnimationActive={false} />
                </LineChart>
              </ResponsiveContainer>
            </div>
          )}
        </Card>
      </div>
    </>
  );
}
