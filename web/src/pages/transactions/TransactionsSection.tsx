// /transactions/*: the sales table (filters, server-side cursor paging, sorting within the page,
// live refresh, CSV export with the same filters) and a sale's page with Void for sales.reverse.
import { useMemo, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, Route, Routes } from 'react-router-dom';
import { useUrlParams } from '../../lib/urlParams';
import type { ColumnDef } from '@tanstack/react-table';
import { api, download } from '../../api/client';
import { Card, PageHeader } from '../../components/Page';
import { DataTable } from '../../components/DataTable';
import { FormError, SelectField, TextField } from '../../components/Form';
import { ErrorState, Loading } from '../../components/States';
import { byId, LIVE_INTERVAL_MS, useProducts, useStations } from '../../lib/queries';
import { useCursorPages } from '../../lib/cursorPages';
import { formatCedis, formatDateTime, formatNumber, formatUnitPrice, ghanaToday } from '../../lib/format';
import { SaleDetail } from './SaleDetail';
import { apiFilters } from './query';
import { KINDS, PAYMENT_LABEL, PAYMENT_METHODS, type Sale, type SaleFilters } from './types';
import './transactions.css';

export function TransactionsSection() {
  return (
    <Routes>
      <Route index element={<SalesList />} />
      <Route path=":id" element={<SaleDetail />} />
    </Routes>
  );
}

function useFilters(): [SaleFilters, (patch: Partial<SaleFilters>) => void] {
  const [params, patch] = useUrlParams();
  const today = ghanaToday();
  const filters: SaleFilters = {
    station_id: params.get('station_id') ?? '',
    from: params.get('from') ?? today,
    to: params.get('to') ?? today,
    product_id: params.get('product_id') ?? '',
    payment_method: params.get('payment_method') ?? '',
    kind: params.get('kind') ?? '',
  };
  // The dates stay in the URL even when cleared (an empty From means "no lower bound", not
  // today); an empty choice drops its key.
  const set = (p: Partial<SaleFilters>) =>
    patch(Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v === '' && k !== 'from' && k !== 'to' ? null : v])));
  return [filters, set];
}

export function SalesList() {
  const [filters, setFilters] = useFilters();
  const stations = useStations();
  const products = useProducts();
  const stationById = byId(stations.data);
  const productById = byId(products.data);
  const pages = useCursorPages(50);
  const { page, pageSize, cursor } = pages;
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const [exported, setExported] = useState('');
  const query = apiFilters(filters);
  const sales = useQuery({
    queryKey: ['transactions', query, cursor, pageSize],
    queryFn: () => api.page<Sale>('/api/v1/transactions', { ...query, cursor, limit: pageSize }),
    placeholderData: keepPreviousData,
    // Live: the first page (the newest sales) refreshes every LIVE_INTERVAL_MS.
    refetchInterval: page === 0 ? LIVE_INTERVAL_MS : false,
  });
  const change = (patch: Partial<SaleFilters>) => {
    pages.reset();
    setFilters(patch);
  };
  const rangeProblem = filters.from && filters.to && filters.to < filters.from ? 'must not be before From' : undefined;

  const columns = useMemo<ColumnDef<Sale, any>[]>(
    () => [
      { id: 'sold_at', header: 'Sold at', accessorKey: 'sold_at', cell: (c) => formatDateTime(c.getValue()) },
      {
        id: 'receipt',
        header: 'Receipt',
        accessorKey: 'receipt_no',
        cell: (c) => <Link to={`/transactions/${c.row.original.id}`}>#{c.getValue()}</Link>,
      },
      { id: 'station', header: 'Station', accessorFn: (s) => stationById.get(s.station_id)?.code ?? s.station_id.slice(0, 8) },
      {
        id: 'kind',
        header: 'Kind',
        accessorKey: 'kind',
        cell: (c) => <span className={`badge ${c.getValue() === 'void' || c.getValue() === 'refund' ? 'badge-warn' : 'badge-ok'}`}>{c.getValue()}</span>,
      },
      { id: 'product', header: 'Product', accessorFn: (s) => (productById.get(s.product_id)?.code as string) ?? s.product_id.slice(0, 8) },
      {
        id: 'quantity',
        header: 'Quantity',
        accessorFn: (s) => Number(s.quantity),
        cell: (c) => formatNumber(c.row.original.quantity, 3),
        meta: { numeric: true },
      },
      { id: 'unit_price', header: 'Price', accessorFn: (s) => Number(s.unit_price), cell: (c) => formatUnitPrice(c.row.original.unit_price), meta: { numeric: true } },
      { id: 'amount', header: 'Amount', accessorFn: (s) => Number(s.amount), cell: (c) => formatCedis(c.row.original.amount), meta: { numeric: true } },
      { id: 'payment', header: 'Payment', accessorFn: (s) => PAYMENT_LABEL[s.payment_method] ?? s.payment_method },
    ],
    [stationById, productById],
  );

  async function exportCsv() {
    setExporting(true);
    setExportError(null);
    try {
      const name = await download('/api/v1/transactions/export.csv', query, 'transactions.csv');
      setExported(name);
    } catch (e) {
      setExportError(e);
    } finally {
      setExporting(false);
    }
  }

  return (
    <>
      <PageHeader
        title="Transactions"
        subtitle="Sales, voids and refunds, newest first. The first page refreshes every 15 seconds."
        actions={
          <button type="button" className="btn" onClick={exportCsv} disabled={exporting || !!rangeProblem}>
            {exporting ? 'Exporting…' : 'Export CSV'}
          </button>
        }
      />
      {exportError ? <FormError error={exportError} /> : null}
      {exported && !exportError ? (
        <p className="muted" role="status">
          Downloaded {exported} (the same filters, all pages).
        </p>
      ) : null}
      <Card>
        <form className="sales-filters" aria-label="Filter sales" onSubmit={(e) => e.preventDefault()}>
          <SelectField
            label="Station"
            value={filters.station_id}
            onChange={(e) => change({ station_id: e.target.value })}
            placeholder="All my stations"
            options={(stations.data ?? []).map((s) => ({ value: s.id, label: `${s.code} — ${s.name}` }))}
          />
          <TextField label="From" type="date" value={filters.from} onChange={(e) => change({ from: e.target.value })} />
          <TextField label="To" type="date" value={filters.to} onChange={(e) => change({ to: e.target.value })} error={rangeProblem} />
          <SelectField
            label="Product"
            value={filters.product_id}
            onChange={(e) => change({ product_id: e.target.value })}
            placeholder="All products"
            options={(products.data ?? []).map((p) => ({ value: p.id, label: `${p.code} — ${p.name}` }))}
          />
          <SelectField
            label="Payment"
            value={filters.payment_method}
            onChange={(e) => change({ payment_method: e.target.value })}
            placeholder="Any payment"
            options={PAYMENT_METHODS.map((m) => ({ value: m, label: PAYMENT_LABEL[m] }))}
          />
          <SelectField
            label="Kind"
            value={filters.kind}
            onChange={(e) => change({ kind: e.target.value })}
            placeholder="Any kind"
            options={KINDS.map((k) => ({ value: k, label: k }))}
          />
        </form>
      </Card>
      {rangeProblem ? null : sales.isPending ? (
        <Loading label="Loading sales…" />
      ) : sales.isError && !sales.data ? (
        <ErrorState error={sales.error} onRetry={() => sales.refetch()} />
      ) : (
        <Card className="sales-table">
          {sales.isError && <ErrorState error={sales.error} onRetry={() => sales.refetch()} />}
          <DataTable
            caption="Sales"
            data={sales.data?.items ?? []}
            columns={columns}
            getRowId={(s) => s.id}
            filterPlaceholder="Filter this page…"
            empty="No sale matches these filters."
            serverPaging={pages.paging(sales.data?.nextCursor)}
            toolbar={sales.isFetching ? <span className="muted" aria-live="polite">Refreshing…</span> : null}
          />
        </Card>
      )}
    </>
  );
}
