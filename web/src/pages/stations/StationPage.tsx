// `/stations/:id`: a station's tanks as level gauges, pumps and nozzles, the current shift, the
// 30-day variance chart, and its recent sales (live), deliveries and dips.
import { useMemo, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { ColumnDef } from '@tanstack/react-table';
import type { UseQueryResult } from '@tanstack/react-query';
import { useAuth } from '../../auth/AuthContext';
import { DataTable } from '../../components/DataTable';
import { Card, PageHeader } from '../../components/Page';
import { Empty, ErrorState, Loading } from '../../components/States';
import { addDecimals } from '../../lib/decimal';
import { formatCedis, formatDate, formatDateTime, formatLitres, formatUnitPrice, ghanaToday } from '../../lib/format';
import { LIVE_INTERVAL_MS, byId, useProducts } from '../../lib/queries';
import { formatClock } from '../overview/OverviewPage';
import { useOverview } from '../overview/api';
import { StatusBadge } from '../overview/status';
import { useRegions, MODEL_LABEL } from './StationsList';
import { useStationSummary } from './api';
import { TankGauge } from './TankGauge';
import { VarianceChart } from './VarianceChart';
import type { Delivery, Dip, Sale, Shift, StationSummary } from './types';

// A block of the page: its own loading and empty states (the summary's error is shown once, above).
function Block<T>({
  title,
  query,
  select,
  isEmpty,
  empty,
  children,
  actions,
}: {
  title: string;
  query: UseQueryResult<StationSummary>;
  select: (s: StationSummary) => T;
  isEmpty?: (v: T) => boolean;
  empty: ReactNode;
  children: (v: T, s: StationSummary) => ReactNode;
  actions?: ReactNode;
}) {
  let body: ReactNode;
  if (query.isPending) body = <Loading label={`Loading ${title.toLowerCase()}…`} />;
  else if (!query.data) body = <p className="muted">Not available: the station could not be loaded.</p>;
  else {
    const value = select(query.data);
    const blank = isEmpty ? isEmpty(value) : Array.isArray(value) && value.length === 0;
    body = blank ? <Empty>{empty}</Empty> : children(value, query.data);
  }
  return (
    <Card title={title} actions={actions}>
      {body}
    </Card>
  );
}

const KIND_LABEL: Record<string, string> = { fuel: 'Fuel', shop: 'Shop', void: 'Void', refund: 'Refund' };
const PURPOSE_LABEL: Record<string, string> = {
  routine: 'Routine',
  opening: 'Opening',
  closing: 'Closing',
  before_delivery: 'Before delivery',
  after_delivery: 'After delivery',
};

export function StationPage() {
  const { id = '' } = useParams();
  const { can } = useAuth();
  const summary = useStationSummary(id);
  const products = useProducts();
  const regions = useRegions();
  const overview = useOverview(ghanaToday(), true);
  const productCode = useMemo(() => {
    const map = byId(products.data);
    return (pid: string) => map.get(pid)?.code ?? '—';
  }, [products.data]);
  const tankCode = useMemo(() => {
    const map = new Map((summary.data?.tanks ?? []).map((t) => [t.id, t.code]));
    return (tid: string | null | undefined) => (tid ? map.get(tid) ?? '—' : '—');
  }, [summary.data]);
  const status = overview.data?.stations.find((s) => s.id === id);
  const station = summary.data?.station;
  const region = station ? regions.data?.find((r) => r.id === station.region_id)?.name : undefined;

  const saleColumns = useMemo<ColumnDef<Sale, any>[]>(
    () => [
      { accessorKey: 'receipt_no', header: 'Receipt', meta: { numeric: true } },
      { accessorKey: 'sold_at', header: 'Sold at', cell: (c) => <span className="nowrap">{formatDateTime(c.getValue())}</span> },
      { accessorKey: 'kind', header: 'Kind', cell: (c) => KIND_LABEL[c.getValue()] ?? c.getValue() },
      { id: 'product', accessorFn: (r) => productCode(r.product_id), header: 'Product' },
      {
        accessorKey: 'quantity',
        header: 'Quantity',
        meta: { numeric: true },
        cell: (c) => (c.row.original.kind === 'shop' ? c.getValue() : formatLitres(c.getValue(), 3)),
      },
      { accessorKey: 'unit_price', header: 'Unit price', meta: { numeric: true }, cell: (c) => formatUnitPrice(c.getValue()) },
      { accessorKey: 'amount', header: 'Amount', meta: { numeric: true }, cell: (c) => formatCedis(c.getValue()) },
      { accessorKey: 'payment_method', header: 'Payment' },
    ],
    [productCode],
  );
  const deliveryColumns = useMemo<ColumnDef<Delivery, any>[]>(
    () => [
      { accessorKey: 'delivered_at', header: 'Delivered at', cell: (c) => <span className="nowrap">{formatDateTime(c.getValue())}</span> },
      { accessorKey: 'waybill_no', header: 'Waybill' },
      { id: 'tank', accessorFn: (r) => tankCode(r.tank_id), header: 'Tank' },
      { id: 'product', accessorFn: (r) => productCode(r.product_id), header: 'Product' },
      { accessorKey: 'depot', header: 'Depot' },
      { accessorKey: 'loaded_standard', header: 'Loaded (15 °C)', meta: { numeric: true }, cell: (c) => formatLitres(c.getValue(), 3) },
      { accessorKey: 'received_standard', header: 'Received (15 °C)', meta: { numeric: true }, cell: (c) => formatLitres(c.getValue(), 3) },
      { accessorKey: 'shortage', header: 'Shortage', meta: { numeric: true }, cell: (c) => formatLitres(c.getValue(), 3) },
      { accessorKey: 'claim_amount', header: 'Claim', meta: { numeric: true }, cell: (c) => formatCedis(c.getValue()) },
    ],
    [productCode, tankCode],
  );
  const dipColumns = useMemo<ColumnDef<Dip, any>[]>(
    () => [
      { accessorKey: 'taken_at', header: 'Taken at', cell: (c) => <span className="nowrap">{formatDateTime(c.getValue())}</span> },
      { id: 'tank', accessorFn: (r) => tankCode(r.tank_id), header: 'Tank' },
      { accessorKey: 'purpose', header: 'Purpose', cell: (c) => PURPOSE_LABEL[c.getValue()] ?? c.getValue() },
      { accessorKey: 'height_mm', header: 'Height (mm)', meta: { numeric: true } },
      { accessorKey: 'water_height_mm', header: 'Water (mm)', meta: { numeric: true } },
      { accessorKey: 'standard', header: 'Net (15 °C)', meta: { numeric: true }, cell: (c) => formatLitres(c.getValue(), 3) },
      { accessorKey: 'book_stock', header: 'Book stock', meta: { numeric: true }, cell: (c) => formatLitres(c.getValue(), 3) },
    ],
    [tankCode],
  );

  return (
    <div className="station-page">
      <p className="breadcrumb">
        <Link to="/stations">← All stations</Link>
      </p>
      <PageHeader
        title={station ? station.name : summary.isError ? 'Station' : 'Loading the station…'}
        subtitle={
          station ? (
            <>
              {station.code} · {region ?? 'region —'} ·{' '}
              <abbr title={MODEL_LABEL[station.operating_model.toLowerCase()] ?? ''}>{station.operating_model.toUpperCase()}</abbr>
              {!station.active && ' · inactive'}
              {status && (
                <>
                  {' · '}
                  <StatusBadge status={status.status} />
                </>
              )}
            </>
          ) : undefined
        }
        actions={
          summary.data ? (
            <p className="refresh-status muted">
              <span className={`refresh-dot${summary.isFetching ? ' refreshing' : ''}`} aria-hidden="true" />
              Updated at {formatClock(summary.dataUpdatedAt)} · live, every {LIVE_INTERVAL_MS / 1000} s
            </p>
          ) : undefined
        }
      />
      {summary.isError && <ErrorState error={summary.error} onRetry={() => summary.refetch()} />}
      {summary.isError && summary.data && <p className="muted">Showing the figures from {formatClock(summary.dataUpdatedAt)}.</p>}
      {(summary.isPending || summary.data) && (
        <>
          <Block title="Tanks" query={summary} select={(s) => s.tanks} empty="This station has no tanks.">
            {(tanks) => (
              <div className="tanks">
                {tanks.map((t) => (
                  <TankGauge key={t.id} tank={t} />
                ))}
              </div>
            )}
          </Block>
          <div className="grid-2 station-grid">
            <Block
              title="Current shift"
              query={summary}
              select={(s) => s.current_shift}
              isEmpty={(s) => s === null}
              empty={
                <>
                  No open shift.{' '}
                  {can('shifts.write') && <Link to="/operations/shift">Open a shift</Link>}
                </>
              }
            >
              {(shift) => <ShiftBlock shift={shift as Shift} canWrite={can('shifts.write')} productCode={productCode} />}
            </Block>
            <Block title="Pumps and nozzles" query={summary} select={(s) => s.pumps} empty="No pumps set up.">
              {(pumps) => (
                <ul className="pumps">
                  {pumps.map((p) => (
                    <li key={p.id}>
                      <strong>Pump {p.code}</strong>
                      {p.active === false && <span className="badge badge-off">inactive</span>}
                      {p.nozzles.length === 0 ? (
                        <div className="muted">no nozzles</div>
                      ) : (
                        <ul>
                          {p.nozzles.map((n) => (
                            <li key={n.id}>
                              Nozzle {n.code ?? n.number} · {productCode(n.product_id)} · tank {tankCode(n.tank_id)}
                              {n.totalizer !== undefined && <span className="muted"> · totalizer {formatLitres(n.totalizer, 3)}</span>}
                              {n.active === false && <span className="badge badge-off">inactive</span>}
                            </li>
                          ))}
                        </ul>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </Block>
          </div>
          <Block title="Variance, last 30 days" query={summary} select={(s) => s.variance_30d} empty="No variance figures for the last 30 days.">
            {(days) => <VarianceChart days={days} />}
          </Block>
          <Block title="Recent sales" query={summary} select={(s) => s.recent_sales} empty="No sales recorded yet.">
            {(sales) => <DataTable data={sales} columns={saleColumns} caption="Recent sales" getRowId={(r) => r.id} pageSize={20} />}
          </Block>
          <Block title="Recent deliveries" query={summary} select={(s) => s.recent_deliveries} empty="No deliveries recorded.">
            {(rows) => <DataTable data={rows} columns={deliveryColumns} caption="Recent deliveries" getRowId={(r) => r.id} pageSize={10} />}
          </Block>
          <Block title="Recent dips" query={summary} select={(s) => s.recent_dips} empty="No dips recorded.">
            {(rows) => <DataTable data={rows} columns={dipColumns} caption="Recent dips" getRowId={(r) => r.id} pageSize={10} />}
          </Block>
        </>
      )}
    </div>
  );
}

function ShiftBlock({ shift, canWrite, productCode }: { shift: Shift; canWrite: boolean; productCode: (id: string) => string }) {
  const lines = shift.report?.nozzles ?? [];
  const litres = addDecimals(lines.map((l) => l.recorded_quantity), 3);
  const amount = addDecimals(lines.map((l) => l.recorded_amount), 2);
  return (
    <div className="shift">
      <p>
        <span className="badge badge-ok">Open</span> business date <strong>{formatDate(shift.business_date)}</strong>, since{' '}
        {formatDateTime(shift.opened_at)}
        {/* opened_by is a user name, or a user id where the API has no name to give: an id says nothing here. */}
        {!/^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(shift.opened_by) && ` (opened by ${shift.opened_by})`}
      </p>
      <p>
        Recorded so far: <strong>{formatLitres(litres, 3)}</strong>, <strong>{formatCedis(amount)}</strong> on {lines.length} nozzle
        {lines.length === 1 ? '' : 's'}, {shift.report?.attendants?.length ?? 0} attendant{shift.report?.attendants?.length === 1 ? '' : 's'}.
      </p>
      {lines.length > 0 && (
        <div className="table-scroll" role="region" aria-label="The shift's nozzles" tabIndex={0}>
          <table>
            <caption className="sr-only">The shift's nozzles</caption>
            <thead>
              <tr>
                <th scope="col">Nozzle</th>
                <th scope="col">Product</th>
                <th scope="col" className="num">Opening totalizer</th>
                <th scope="col" className="num">Recorded</th>
                <th scope="col" className="num">Amount</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l) => (
                <tr key={l.nozzle_id}>
                  <td>{l.number}</td>
                  <td>{productCode(l.product_id)}</td>
                  <td className="num">{formatLitres(l.opening_totalizer, 3)}</td>
                  <td className="num">{formatLitres(l.recorded_quantity, 3)}</td>
                  <td className="num">{formatCedis(l.recorded_amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {shift.note && <p className="muted">Note: {shift.note}</p>}
      {canWrite && (
        <p>
          <Link to="/operations/shift">Close the shift (cash-up)</Link>
        </p>
      )}
    </div>
  );
}
