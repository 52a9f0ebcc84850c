// Litres and revenue by product or by station for a period, against the same days last week: a
// chart (recharts) and a sortable table, with the table's total (exact decimal sums).
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import type { ColumnDef, SortingFn } from '@tanstack/react-table';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { DataTable } from '../../components/DataTable';
import { addDecimals, parseDecimal } from '../../lib/decimal';
import { formatCedis, formatLitres, formatNumber } from '../../lib/format';
import { ARROW, describeChange } from './change';
import type { Period, ProductTotals, StationTotals } from './types';

export interface BreakdownRow {
  id: string;
  code: string;
  name: string;
  litres: string;
  revenue: string;
  sales: number;
  previousLitres: string;
  previousRevenue: string;
  unit: string; // L, kg or each (stations: L)
  kind: string; // fuel or shop (stations: fuel)
}

// A product's quantity in its own unit: litres, kilograms (LPG) or items (shop).
export function formatQuantity(value: string, unit: string): string {
  if (unit === 'kg') return `${formatNumber(value, 3)} kg`;
  if (unit === 'each') return `${formatNumber(value, 0)} items`;
  return formatLitres(value, 3);
}

const isLitres = (r: BreakdownRow) => r.unit === 'L' && r.kind === 'fuel';

type Kind = 'product' | 'station';

// Joins this period's rows with last week's by id; a product or station sold only last week
// still appears (with nothing now).
export function breakdownRows(period: Period, kind: Kind): BreakdownRow[] {
  const idOf = (r: { product_id?: string; station_id?: string }) => (kind === 'product' ? r.product_id : r.station_id) ?? '';
  const unitOf = (r: ProductTotals | StationTotals) => ({ unit: ('unit' in r && r.unit) || 'L', kind: ('kind' in r && r.kind) || 'fuel' });
  const current = kind === 'product' ? period.current.by_product : period.current.by_station;
  const previous = kind === 'product' ? period.previous.by_product : period.previous.by_station;
  const rows = new Map<string, BreakdownRow>();
  for (const r of current) {
    rows.set(idOf(r), { id: idOf(r), code: r.code, name: r.name, litres: r.litres, revenue: r.revenue, sales: r.sales, previousLitres: '0.000', previousRevenue: '0.00', ...unitOf(r) });
  }
  for (const r of previous) {
    const row = rows.get(idOf(r));
    if (row) {
      row.previousLitres = r.litres;
      row.previousRevenue = r.revenue;
    } else {
      rows.set(idOf(r), { id: idOf(r), code: r.code, name: r.name, litres: '0.000', revenue: '0.00', sales: 0, previousLitres: r.litres, previousRevenue: r.revenue, ...unitOf(r) });
    }
  }
  return [...rows.values()];
}

const decimalSort =
  (scale: number): SortingFn<BreakdownRow> =>
  (a, b, columnId) => {
    const x = parseDecimal(a.getValue<string>(columnId), scale);
    const y = parseDecimal(b.getValue<string>(columnId), scale);
    return x < y ? -1 : x > y ? 1 : 0;
  };

function ChangeCell({ row }: { row: BreakdownRow }) {
  const c = describeChange(row.revenue, row.previousRevenue, 2);
  return (
    <span className={`change-${c.direction} nowrap`}>
      <span aria-hidden="true">{ARROW[c.direction]} </span>
      {c.percent === null ? (c.direction === 'same' ? 'none either week' : 'new') : c.direction === 'same' ? 'no change' : `${c.percent}% ${c.direction}`}
    </span>
  );
}

export function Breakdown({ period, kind, label }: { period: Period; kind: Kind; label: string }) {
  const rows = useMemo(() => breakdownRows(period, kind), [period, kind]);
  const columns = useMemo<ColumnDef<BreakdownRow, any>[]>(
    () => [
      {
        accessorKey: 'name',
        header: kind === 'product' ? 'Product' : 'Station',
        cell: (c) =>
          kind === 'station' ? <Link to={`/stations/${c.row.original.id}`}>{c.row.original.name}</Link> : c.row.original.name,
      },
      { accessorKey: 'code', header: 'Code', cell: (c) => <span className="nowrap">{c.getValue()}</span> },
      {
        accessorKey: 'litres',
        header: kind === 'product' ? 'Quantity' : 'Litres',
        sortingFn: decimalSort(3),
        meta: { numeric: true },
        cell: (c) => formatQuantity(c.getValue(), c.row.original.unit),
      },
      { accessorKey: 'revenue', header: 'Revenue', sortingFn: decimalSort(2), meta: { numeric: true }, cell: (c) => formatCedis(c.getValue()) },
      { accessorKey: 'sales', header: 'Sales', meta: { numeric: true } },
      {
        accessorKey: 'previousRevenue',
        header: 'Revenue last week',
        sortingFn: decimalSort(2),
        meta: { numeric: true },
        cell: (c) => formatCedis(c.getValue()),
      },
      { id: 'change', header: 'Change', enableSorting: false, cell: (c) => <ChangeCell row={c.row.original} /> },
    ],
    [kind],
  );
  const chartData = useMemo(
    () =>
      [...rows]
        .sort((a, b) => Number(b.revenue) - Number(a.revenue))
        .slice(0, kind === 'station' ? 10 : 20)
        .map((r) => ({ name: kind === 'station' ? r.code : r.code || r.name, current: Number(r.revenue), previous: Number(r.previousRevenue) })),
    [rows, kind],
  );
  // Litres add up fuel sold by the litre only (LPG is in kg, shop items are counted).
  const totalLitres = addDecimals(rows.filter(isLitres).map((r) => r.litres), 3);
  const otherUnits = rows.some((r) => !isLitres(r));
  const totalRevenue = addDecimals(rows.map((r) => r.revenue), 2);
  const totalSales = rows.reduce((n, r) => n + r.sales, 0);
  if (rows.length === 0) {
    return <p className="state state-empty">No sales in this period or the same days last week.</p>;
  }
  return (
    <div className="breakdown">
      <figure className="chart" aria-label={`Revenue by ${kind}, this period and last week${kind === 'station' && rows.length > 10 ? ' (top 10 stations)' : ''}`}>
        <ResponsiveContainer width="100%" height={kind === 'station' ? Math.max(220, chartData.length * 34) : 240}>
          <BarChart data={chartData} layout={kind === 'station' ? 'vertical' : 'horizontal'} margin={{ left: 8, right: 16, top: 8, bottom: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            {kind === 'station' ? (
              <>
                <XAxis type="number" tickFormatter={(v: number) => v.toLocaleString('en-GB')} />
                <YAxis type="category" dataKey="name" width={80} interval={0} />
              </>
            ) : (
              <>
                <XAxis dataKey="name" />
                <YAxis tickFormatter={(v: number) => v.toLocaleString('en-GB')} width={80} />
              </>
            )}
            <Tooltip formatter={(v) => formatCedis(Number(v).toFixed(2))} />
            <Legend formatter={(value) => <span className="chart-legend-text">{value}</span>} />
            <Bar dataKey="current" name="This period (GH₵)" fill="#0b5d3b" />
            <Bar dataKey="previous" name="Same days last week (GH₵)" fill="#8a96a3" />
          </BarChart>
        </ResponsiveContainer>
        {kind === 'station' && rows.length > 10 && <figcaption className="muted">The 10 stations with the most revenue; the table lists all.</figcaption>}
      </figure>
      <DataTable
        data={rows}
        columns={columns}
        caption={label}
        getRowId={(r) => r.id}
        initialSorting={[{ id: 'revenue', desc: true }]}
        pageSize={kind === 'station' ? 10 : 25}
      />
      <p className="breakdown-total" data-testid={`total-by-${kind}`}>
        Total of the {rows.length} {kind === 'product' ? (rows.length === 1 ? 'product' : 'products') : rows.length === 1 ? 'station' : 'stations'}:{' '}
        <strong data-testid={`total-by-${kind}-litres`}>{formatLitres(totalLitres, 3)}</strong>
        {otherUnits && ' of fuel by the litre'},{' '}
        <strong data-testid={`total-by-${kind}-revenue`}>{formatCedis(totalRevenue)}</strong>, {totalSales} sales
      </p>
    </div>
  );
}
