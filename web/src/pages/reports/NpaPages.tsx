// NPA monthly returns: the sales return (by station, region and product) and the stock return
// (opening, receipts, sales, adjustments, closing and variance per station and product), each
// previewed from the API's JSON and downloadable as CSV, XLSX or PDF.
import type { ColumnDef } from '@tanstack/react-table';
import { DataTable } from '../../components/DataTable';
import { Card } from '../../components/Page';
import { addDecimals } from '../../lib/decimal';
import { formatCedis, formatDate, formatNumber } from '../../lib/format';
import { MonthReturn } from './MonthReturn';
import type { ReportFilter } from './ReportsSection';
import type { NpaSales, NpaSalesRow, NpaStock, NpaStockLine } from './types';
import { formatQuantity } from './reportUtil';
import { ScrollRegion } from '../pricing/ScrollRegion';

const num = { meta: { numeric: true } };

const salesColumns = (place: 'station' | 'region'): ColumnDef<NpaSalesRow, any>[] => [
  place === 'station'
    ? { id: 'place', header: 'Station', accessorFn: (r) => `${r.station_code} ${r.station_name}` }
    : { id: 'place', header: 'Region', accessorFn: (r) => `${r.region_code} ${r.region_name}` },
  ...(place === 'station' ? [{ id: 'region', header: 'Region', accessorFn: (r: NpaSalesRow) => r.region_code } as ColumnDef<NpaSalesRow, any>] : []),
  { id: 'product', header: 'Product', accessorFn: (r) => r.product_code },
  { id: 'count', header: 'Sales', accessorFn: (r) => r.sales_count, cell: (c) => formatNumber(c.getValue()), ...num },
  { id: 'quantity', header: 'Quantity', accessorFn: (r) => Number(r.quantity), cell: (c) => formatQuantity(c.row.original.quantity, c.row.original.unit), ...num },
  { id: 'amount', header: 'Amount', accessorFn: (r) => Number(r.amount), cell: (c) => formatCedis(c.row.original.amount), ...num },
];

export function NpaSalesPage({ filter }: { filter: ReportFilter }) {
  return (
    <MonthReturn<NpaSales>
      name="npa-sales"
      path="/api/v1/reports/npa/sales"
      what="the NPA sales return"
      filter={filter}
      isEmpty={(r) => r.totals.length === 0}
      empty={`No petroleum sales in ${filter.month}.`}
      loadingLabel="Computing the sales return…"
    >
      {(r) => {
        const totalAmount = addDecimals(r.totals.map((t) => t.amount), 2);
        const totalCount = r.totals.reduce((n, t) => n + t.sales_count, 0);
        return (
          <>
            <Card title={`Sales return ${formatDate(r.from)} – ${formatDate(r.to)}: totals by product`}>
              <ScrollRegion label="Sales totals by product">
                <table data-testid="npa-sales-totals">
                  <caption className="sr-only">Totals by product</caption>
                  <thead>
                    <tr>
                      <th scope="col">Product</th>
                      <th scope="col" className="num">Sales</th>
                      <th scope="col" className="num">Quantity</th>
                      <th scope="col" className="num">Amount</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.totals.map((t) => (
                      <tr key={t.product_id} data-product={t.product_code}>
                        <td>
                          {t.product_code} <span className="muted">{t.product_name}</span>
                        </td>
                        <td className="num">{formatNumber(t.sales_count)}</td>
                        <td className="num">{formatQuantity(t.quantity, t.unit)}</td>
                        <td className="num" data-testid={`amount-${t.product_code}`}>
                          {formatCedis(t.amount)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr>
                      <td>All products</td>
                      <td className="num" data-testid="npa-sales-total-count">
                        {formatNumber(totalCount)}
                      </td>
                      <td className="num muted">not added (L and kg)</td>
                      <td className="num" data-testid="npa-sales-total-amount">
                        {formatCedis(totalAmount)}
                      </td>
                    </tr>
                  </tfoot>
                </table>
              </ScrollRegion>
            </Card>
            <Card title="By station">
              <DataTable data={r.by_station} columns={salesColumns('station')} caption="Sales by station and product" pageSize={50} />
            </Card>
            <Card title="By region">
              <DataTable data={r.by_region} columns={salesColumns('region')} caption="Sales by region and product" pageSize={50} />
            </Card>
          </>
        );
      }}
    </MonthReturn>
  );
}

const qty = (key: keyof NpaStockLine, header: string): ColumnDef<NpaStockLine, any> => ({
  id: key,
  header,
  accessorFn: (r) => (r[key] === null ? null : Number(r[key] as string)),
  cell: (c) => formatQuantity(c.row.original[key] as string | null, c.row.original.unit),
  ...num,
});

const stockColumns: ColumnDef<NpaStockLine, any>[] = [
  { id: 'station', header: 'Station', accessorFn: (r) => `${r.station_code} ${r.station_name}`, cell: (c) => <span title={c.row.original.station_name}>{c.row.original.station_code}</span> },
  { id: 'product', header: 'Product', accessorFn: (r) => r.product_code },
  { id: 'tanks', header: 'Tanks', accessorFn: (r) => r.tanks, ...num },
  qty('opening', 'Opening'),
  qty('receipts', 'Receipts'),
  qty('sales', 'Sales'),
  qty('adjustments', 'Adjustments'),
  qty('book_closing', 'Book closing'),
  qty('closing', 'Closing (dips)'),
  {
    id: 'variance',
    header: 'Variance (loss +)',
    accessorFn: (r) => (r.variance === null ? null : Number(r.variance)),
    cell: (c) => {
      const v = c.row.original.variance;
      return <span className={v && !v.startsWith('-') && v !== '0.000' ? 'neg' : undefined}>{formatQuantity(v, c.row.original.unit)}</span>;
    },
    ...num,
  },
  {
    id: 'missing',
    header: 'Dips',
    accessorFn: (r) => r.missing.length,
    cell: (c) => (c.row.original.missing.length ? <span className="badge badge-bad">{c.row.original.missing.length} missing</span> : <span className="badge badge-ok">complete</span>),
  },
];

export function NpaStockPage({ filter }: { filter: ReportFilter }) {
  return (
    <MonthReturn<NpaStock>
      name="npa-stock"
      path="/api/v1/reports/npa/stock"
      what="the NPA stock return"
      filter={filter}
      isEmpty={(r) => r.lines.length === 0}
      empty={`No tanks to report for ${filter.month}.`}
      loadingLabel="Computing the stock return…"
    >
      {(r) => (
        <>
          <Card title={`Stock return ${formatDate(r.from)} – ${formatDate(r.to)}`}>
            <DataTable data={r.lines} columns={stockColumns} caption="Stock by station and product" pageSize={50} />
          </Card>
          {r.lines.some((l) => l.missing.length > 0) && (
            <Card title="Missing dips">
              <p className="muted">Without a dip at a month boundary the opening or closing, the book closing and the variance cannot be stated.</p>
              <ul data-testid="missing-dips">
                {r.lines
                  .filter((l) => l.missing.length > 0)
                  .map((l) => (
                    <li key={`${l.station_id}-${l.product_id}`}>
                      <strong>
                        {l.station_code} {l.station_name}, {l.product_code}
                      </strong>
                      : {l.missing.join('; ')}
                    </li>
                  ))}
              </ul>
            </Card>
          )}
          <Card title="Where each figure comes from">
            <dl className="sources">
              {Object.entries(r.sources).map(([k, v]) => (
                <div key={k}>
                  <dt>{k.replace(/_/g, ' ')}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          </Card>
        </>
      )}
    </MonthReturn>
  );
}
