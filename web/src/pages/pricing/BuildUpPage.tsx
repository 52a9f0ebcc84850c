// The price build-up of a product on a day: every component line in order with its exact figure
// (pesewas per unit, NPA's 4 decimals) and running total, the ex-refinery, ex-depot and ex-pump
// totals, a waterfall chart beside the table, and the day's figures as CSV, XLSX or PDF.
import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ApiError, api } from '../../api/client';
import type { Product } from '../../api/types';
import { Card } from '../../components/Page';
import { SelectField, TextField } from '../../components/Form';
import { Empty, ErrorState, Loading } from '../../components/States';
import { formatDate, ghanaToday } from '../../lib/format';
import { useProducts } from '../../lib/queries';
import { DownloadButtons } from '../reports/DownloadButtons';
import { useAuth } from '../../auth/AuthContext';
import { BuildUpImport } from './BuildUpImport';
import type { BuildUp, BuildUpLine, Subtotal } from './types';
import { KIND_LABEL, SUBTOTAL_LABEL, formatPesewas, formatPrice, pesewasToCedis } from './pricingUtil';
import { ScrollRegion } from './ScrollRegion';

export function fuelProducts(products: Product[] | undefined): Product[] {
  return (products ?? []).filter((p) => p.kind === 'fuel' && p.active !== false);
}

const SUBTOTALS: Subtotal[] = ['ex_refinery', 'ex_depot', 'ex_pump'];

export interface WaterfallBar {
  label: string;
  name: string;
  range: [number, number];
  kind: 'up' | 'down' | 'total';
  amount: string;
}

// Each line is a floating bar from the running total before it to the one after it; each
// subtotal is a bar from zero. Number() is only for drawing: the figures shown are the strings.
export function waterfall(b: BuildUp): WaterfallBar[] {
  const bars: WaterfallBar[] = [];
  let before = 0;
  for (const s of SUBTOTALS) {
    for (const l of b.lines.filter((x) => x.subtotal === s)) {
      const after = Number(l.running_total);
      bars.push({
        label: l.code,
        name: l.name,
        range: [Math.min(before, after), Math.max(before, after)],
        kind: after >= before ? 'up' : 'down',
        amount: l.amount,
      });
      before = after;
    }
    bars.push({ label: SUBTOTAL_LABEL[s].replace(' price', ''), name: SUBTOTAL_LABEL[s], range: [0, Number(b.totals[s])], kind: 'total', amount: b.totals[s] });
  }
  return bars;
}

const BAR_COLOUR = { up: '#1f4e8c', down: '#b3261e', total: '#0b5d3b' };

export function BuildUpPage() {
  const { can } = useAuth();
  const products = useProducts();
  const fuels = fuelProducts(products.data);
  const [productId, setProductId] = useState('');
  const [date, setDate] = useState(ghanaToday());
  const product = fuels.find((p) => p.id === productId) ?? fuels[0];
  const buildUp = useQuery({
    queryKey: ['pricing', 'build-up', product?.id, date],
    queryFn: async () => {
      try {
        return await api.get<BuildUp>('/api/v1/pricing/build-up', { product: product!.id, date });
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null; // nothing in force that day
        throw e;
      }
    },
    enabled: !!product && /^\d{4}-\d{2}-\d{2}$/.test(date),
  });

  return (
    <div className="buildup">
      <Card>
        <div className="form-row filter-row">
          <SelectField
            label="Product"
            value={product?.id ?? ''}
            onChange={(e) => setProductId(e.target.value)}
            options={fuels.map((p) => ({ value: p.id, label: `${p.code} — ${p.name}` }))}
            disabled={!fuels.length}
          />
          <TextField label="Date" type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
        </div>
        <DownloadButtons
          path="/api/v1/pricing/build-up/export"
          query={{ date }}
          what={`the build-up of every product on ${date}`}
          fallbackName={`build-up-${date}`}
          disabled={!/^\d{4}-\d{2}-\d{2}$/.test(date)}
        />
        <p className="field-hint">The files hold every product's components in force on the date (the import layout).</p>
        {can('pricing.write') && <BuildUpImport />}
      </Card>
      {products.isPending ? (
        <Loading label="Loading products…" />
      ) : products.isError ? (
        <ErrorState error={products.error} onRetry={() => products.refetch()} />
      ) : !product ? (
        <Empty>No fuel products are set up.</Empty>
      ) : buildUp.isPending ? (
        <Loading label="Loading the build-up…" />
      ) : buildUp.isError ? (
        <ErrorState error={buildUp.error} onRetry={() => buildUp.refetch()} />
      ) : !buildUp.data ? (
        <Empty>
          No price build-up for {product.code} on {formatDate(date)}: NPA's figures for that day have not been loaded{can('pricing.write') ? ' (import them above)' : ''}.
        </Empty>
      ) : (
        <BuildUpView b={buildUp.data} productName={product.name} />
      )}
    </div>
  );
}

function BuildUpView({ b, productName }: { b: BuildUp; productName: string }) {
  const bars = useMemo(() => waterfall(b), [b]);
  return (
    <div className="buildup-body">
      <Card title={`${b.product_code} on ${formatDate(b.date)}`}>
        <p className="muted">
          {productName}. Amounts in pesewas per {b.unit === 'kg' ? 'kilogram' : 'litre'} ({b.amount_unit}), as NPA's build-up sheet prints them.
        </p>
        <BuildUpTable b={b} />
      </Card>
      <Card title="Waterfall">
        <div className="chart" role="img" aria-label={`Waterfall of the ${b.product_code} build-up up to the ex-pump price of ${formatPesewas(b.totals.ex_pump)} ${b.amount_unit}`}>
          <ResponsiveContainer width="100%" height={360}>
            <BarChart data={bars} margin={{ top: 8, right: 8, bottom: 40, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" angle={-40} textAnchor="end" interval={0} height={60} tick={{ fontSize: 12 }} />
              <YAxis tick={{ fontSize: 12 }} />
              <Tooltip
                formatter={(_v, _n, item) => [`${formatPesewas((item.payload as WaterfallBar).amount)} ${b.amount_unit}`, (item.payload as WaterfallBar).name]}
                labelFormatter={() => ''}
              />
              <Bar dataKey="range" isAnimationActive={false}>
                {bars.map((bar, i) => (
                  <Cell key={i} fill={BAR_COLOUR[bar.kind]} />
                ))}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </div>
        <ul className="legend">
          <li>
            <span className="swatch" style={{ background: BAR_COLOUR.up }} aria-hidden="true" /> adds to the price
          </li>
          <li>
            <span className="swatch" style={{ background: BAR_COLOUR.down }} aria-hidden="true" /> takes off (recovery, subsidy)
          </li>
          <li>
            <span className="swatch" style={{ background: BAR_COLOUR.total }} aria-hidden="true" /> subtotal
          </li>
        </ul>
      </Card>
    </div>
  );
}

export function BuildUpTable({ b }: { b: BuildUp }) {
  const groups = SUBTOTALS.map((s) => ({ s, lines: b.lines.filter((l) => l.subtotal === s) }));
  return (
    <>
      <ScrollRegion label={`Price build-up of ${b.product_code}`}>
        <table className="buildup-table">
          <caption className="sr-only">Price build-up of {b.product_code}</caption>
          <thead>
            <tr>
              <th scope="col">Component</th>
              <th scope="col" className="num">
                Amount
              </th>
              <th scope="col" className="num">
                Running total
              </th>
              <th scope="col">In floor</th>
            </tr>
          </thead>
          <tbody>
            {groups.map(({ s, lines }) => [
              ...lines.map((l: BuildUpLine) => (
                <tr key={l.component_id}>
                  <td>
                    <code>{l.code}</code> {l.name}
                    <div className="muted small">
                      {KIND_LABEL[l.kind] ?? l.kind}
                      {l.gra_levy_code ? ` · GRA ${l.gra_levy_code}` : ''}
                    </div>
                  </td>
                  <td className={`num${l.amount.startsWith('-') ? ' neg' : ''}`}>{formatPesewas(l.amount)}</td>
                  <td className="num">{formatPesewas(l.running_total)}</td>
                  <td>{l.in_floor ? 'Yes' : 'No'}</td>
                </tr>
              )),
              <tr key={s} className="subtotal-row" data-subtotal={s}>
                <th scope="row" colSpan={2}>
                  {SUBTOTAL_LABEL[s]}
                </th>
                <td className="num">{formatPesewas(b.totals[s])}</td>
                <td />
              </tr>,
            ])}
          </tbody>
        </table>
      </ScrollRegion>
      <dl className="facts buildup-totals">
        <dt>Ex-pump price</dt>
        <dd data-testid="ex-pump-total">
          <strong>
            {formatPesewas(b.totals.ex_pump)} {b.amount_unit}
          </strong>{' '}
          = {formatPrice(pesewasToCedis(b.totals.ex_pump))} per {b.unit}
        </dd>
        <dt>Price-floor base</dt>
        <dd>
          {formatPesewas(b.floor_base)} {b.amount_unit} <span className="muted">(the lines in the floor)</span>
        </dd>
      </dl>
    </>
  );
}
