// An aging table (receivables or payables): per party the outstanding amounts by days past due,
// unapplied credit and balance, a totals row recomputed here exactly and checked against the API's,
// and a stacked bar chart of the buckets per party.
import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { addDecimals } from '../../lib/decimal';
import { formatCedis, formatDate } from '../../lib/format';
import { Amount, TableHead, TotalsRow, formatAmount } from './common';
import { BUCKETS, type Aging, type AgingRow, type BucketKey } from './types';

// Bucket colours: ordered light to dark by age, each with ≥ 3:1 contrast against white.
const BUCKET_COLOURS: Record<BucketKey, string> = {
  '0_30': '#2e7d32',
  '31_60': '#8a5a00',
  '61_90': '#c2410c',
  over_90: '#b3261e',
};

export interface AgingTotals {
  buckets: Record<BucketKey, string>;
  unapplied_credit: string;
  balance: string;
  matchesApi: boolean;
}

export function agingTotals(aging: Aging): AgingTotals {
  const buckets = Object.fromEntries(BUCKETS.map((b) => [b.key, addDecimals(aging.rows.map((r) => r.buckets[b.key]), 2)])) as Record<BucketKey, string>;
  const unapplied_credit = addDecimals(aging.rows.map((r) => r.unapplied_credit), 2);
  const balance = addDecimals(aging.rows.map((r) => r.balance), 2);
  const same = (a: string, b: string) => addDecimals([a], 2) === addDecimals([b], 2);
  const matchesApi =
    BUCKETS.every((b) => same(buckets[b.key], aging.totals.buckets[b.key])) &&
    same(unapplied_credit, aging.totals.unapplied_credit) &&
    same(balance, aging.totals.balance);
  return { buckets, unapplied_credit, balance, matchesApi };
}

export function AgingTable({ aging, party, nameCell }: { aging: Aging; party: string; nameCell?: (row: AgingRow) => ReactNode }) {
  const totals = agingTotals(aging);
  const chart = aging.rows.map((r) => ({
    name: r.name,
    ...Object.fromEntries(BUCKETS.map((b) => [b.label, Number(r.buckets[b.key])])),
  }));
  return (
    <>
      {!totals.matchesApi && (
        <p className="check check-bad" role="alert">
          The rows do not add up to the totals the server reports. Do not rely on this report; tell the administrator.
        </p>
      )}
      <p className="muted small">All amounts in Ghana cedis (GH₵).</p>
      <div className="table-scroll">
        <table className="fin-table wide" aria-label={`${party} aging as of ${formatDate(aging.as_of)}`}>
          <TableHead text={[party]} numeric={[...BUCKETS.map((b) => b.label), 'Unapplied credit', 'Balance']} />
          <tbody>
            {aging.rows.map((r) => (
              <tr key={r.customer_id ?? r.supplier_id ?? r.name}>
                <th scope="row" className="row-name">
                  {nameCell ? nameCell(r) : r.name}
                </th>
                {BUCKETS.map((b) => (
                  <td key={b.key} className="num">
                    <Amount value={r.buckets[b.key]} />
                  </td>
                ))}
                <td className="num">
                  <Amount value={r.unapplied_credit} />
                </td>
                <td className="num">
                  <Amount value={r.balance} />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <TotalsRow
              label="Total"
              cells={[
                ...BUCKETS.map((b) => ({ value: formatAmount(totals.buckets[b.key]), testId: `aging-total-${b.key}` })),
                { value: formatAmount(totals.unapplied_credit), testId: 'aging-total-unapplied' },
                { value: formatAmount(totals.balance), testId: 'aging-total-balance' },
              ]}
            />
          </tfoot>
        </table>
      </div>
      <div
        className="chart"
        role="img"
        aria-label={`Stacked bar chart of the amounts outstanding per ${party.toLowerCase()} by days past due; the table has the figures`}
      >
        <ResponsiveContainer width="100%" height={Math.max(220, aging.rows.length * 40 + 80)}>
          <BarChart data={chart} layout="vertical" margin={{ left: 24, right: 24 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" tickFormatter={(v: number) => `GH₵ ${v.toLocaleString('en-GB')}`} />
            <YAxis type="category" dataKey="name" width={180} />
            <Tooltip formatter={(v) => formatCedis(Number(v).toFixed(2))} />
            <Legend />
            {BUCKETS.map((b) => (
              <Bar key={b.key} dataKey={b.label} stackId="aging" fill={BUCKET_COLOURS[b.key]} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </>
  );
}
