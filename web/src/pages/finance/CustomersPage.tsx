// Customer accounts: every credit customer with limit, exposure (credit sales − payments, the
// figure the credit check uses), available credit, invoiced balance (from the aging) and status;
// the receivables aging as of a date; and a customer's page with its statement, invoices and
// payments.
import { useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { DataTable } from '../../components/DataTable';
import { Card } from '../../components/Page';
import { QueryView } from '../../components/States';
import { formatCedis, formatDate } from '../../lib/format';
import { byId, useStations } from '../../lib/queries';
import { AgingTable } from './Aging';
import { HoldToggle, IssueInvoice, RecordPayment } from './CustomerActions';
import { useAuth } from '../../auth/AuthContext';
import { AsOfControl, ExportButtons, Money, PeriodControl, TableHead, TotalsRow, useAsOf, usePeriod } from './common';
import type { Aging, Customer, CustomerPayment, CustomerStatement, Invoice } from './types';

interface CustomerRow extends Customer {
  balance?: string;
}

export function StatusBadge({ status }: { status: string }) {
  return status === 'on_hold' ? <span className="badge badge-bad">On hold</span> : <span className="badge badge-ok">Active</span>;
}

export function CustomersPage() {
  const [asOf, setAsOf] = useAsOf();
  const customers = useQuery({
    queryKey: ['finance', 'customers'],
    queryFn: () => api.all<Customer>('/api/v1/customers'),
  });
  const aging = useQuery({
    queryKey: ['finance', 'receivables-aging', asOf],
    queryFn: () => api.get<Aging>('/api/v1/receivables/aging', { as_of: asOf }),
  });
  const balances = new Map((aging.data?.rows ?? []).map((r) => [r.customer_id, r.balance]));
  // The list carries each customer's exposure and what is left of the limit.
  const rows: CustomerRow[] = (customers.data ?? []).map((c) => ({ ...c, balance: balances.get(c.id) ?? (aging.data ? '0.00' : undefined) }));

  const columns: ColumnDef<CustomerRow, any>[] = [
    { id: 'code', header: 'Code', accessorKey: 'code' },
    { id: 'name', header: 'Customer', accessorKey: 'name', cell: (c) => <Link to={`/finance/customers/${c.row.original.id}`}>{c.getValue() as string}</Link> },
    { id: 'limit', header: 'Credit limit', accessorFn: (r) => Number(r.credit_limit), cell: (c) => formatCedis(c.row.original.credit_limit), meta: { numeric: true } },
    {
      id: 'exposure',
      header: 'Exposure',
      accessorFn: (r) => Number(r.exposure ?? 0),
      cell: (c) => (c.row.original.exposure === undefined ? '—' : <Money value={c.row.original.exposure} />),
      meta: { numeric: true },
    },
    {
      id: 'available',
      header: 'Available',
      accessorFn: (r) => Number(r.available ?? 0),
      cell: (c) => (c.row.original.available === undefined ? '—' : <Money value={c.row.original.available} />),
      meta: { numeric: true },
    },
    {
      id: 'balance',
      header: 'Invoiced balance',
      accessorFn: (r) => Number(r.balance ?? 0),
      cell: (c) => (c.row.original.balance === undefined ? '…' : <Money value={c.row.original.balance} />),
      meta: { numeric: true },
    },
    { id: 'terms', header: 'Terms', accessorFn: (r) => r.payment_terms_days, cell: (c) => `${c.getValue()} days`, meta: { numeric: true } },
    { id: 'status', header: 'Status', accessorKey: 'status', cell: (c) => <StatusBadge status={c.getValue() as string} /> },
  ];

  return (
    <>
      <Card title="Credit customers">
        <QueryView query={customers} empty="No credit customers yet." loadingLabel="Loading the customers…">
          {() => (
            <>
              <DataTable data={rows} columns={columns} caption="Credit customers" getRowId={(r) => r.id} initialSorting={[{ id: 'name', desc: false }]} />
              <p className="muted small">
                Exposure is credit sales less payments (what the credit limit is checked against, uninvoiced sales included); the invoiced balance is what the
                invoices still hold, as in the aging below.
              </p>
            </>
          )}
        </QueryView>
      </Card>
      <Card title="Receivables aging" actions={<ExportButtons path="/api/v1/receivables/aging" query={{ as_of: asOf }} name={`receivables-aging-${asOf}`} />}>
        <div className="fin-controls">
          <AsOfControl value={asOf} onChange={setAsOf} error={aging.error} />
        </div>
        <QueryView query={aging} isEmpty={(a) => a.rows.length === 0} empty={`No invoice is outstanding as of ${formatDate(asOf)}.`} loadingLabel="Loading the aging…">
          {(a) => <AgingTable aging={a} party="Customer" nameCell={(r) => (r.customer_id ? <Link to={`/finance/customers/${r.customer_id}`}>{r.name}</Link> : r.name)} />}
        </QueryView>
      </Card>
    </>
  );
}

const METHOD_LABELS: Record<string, string> = { cash: 'Cash', bank: 'Bank transfer', momo: 'Mobile money', cheque: 'Cheque' };

export function CustomerPage() {
  const { id = '' } = useParams();
  const { can } = useAuth();
  const { from, to, set } = usePeriod();
  const stations = byId(useStations().data);
  const customer = useQuery({ queryKey: ['finance', 'customer', id], queryFn: () => api.get<Customer>(`/api/v1/customers/${id}`) });
  const statement = useQuery({
    queryKey: ['finance', 'customer-statement', id, from, to],
    queryFn: () => api.get<CustomerStatement>(`/api/v1/customers/${id}/statement`, { from, to }),
  });
  const invoices = useQuery({ queryKey: ['finance', 'customer-invoices', id], queryFn: () => api.all<Invoice>(`/api/v1/customers/${id}/invoices`) });
  const payments = useQuery({ queryKey: ['finance', 'customer-payments', id], queryFn: () => api.all<CustomerPayment>(`/api/v1/customers/${id}/payments`) });

  const invoiceColumns: ColumnDef<Invoice, any>[] = [
    { id: 'no', header: 'Invoice', accessorKey: 'invoice_no', cell: (c) => <span className="nowrap">{c.getValue() as string}</span> },
    { id: 'period', header: 'Period', accessorFn: (i) => i.period_from, cell: (c) => `${formatDate(c.row.original.period_from)} – ${formatDate(c.row.original.period_to)}` },
    { id: 'issued', header: 'Issued', accessorKey: 'issued_on', cell: (c) => <span className="nowrap">{formatDate(c.getValue() as string)}</span> },
    { id: 'due', header: 'Due', accessorKey: 'due_on', cell: (c) => <span className="nowrap">{formatDate(c.getValue() as string)}</span> },
    { id: 'lines', header: 'Sales', accessorKey: 'line_count', meta: { numeric: true } },
    { id: 'total', header: 'Total', accessorFn: (i) => Number(i.total), cell: (c) => formatCedis(c.row.original.total), meta: { numeric: true } },
    { id: 'paid', header: 'Paid', accessorFn: (i) => Number(i.paid), cell: (c) => formatCedis(c.row.original.paid), meta: { numeric: true } },
    { id: 'outstanding', header: 'Outstanding', accessorFn: (i) => Number(i.outstanding), cell: (c) => <Money value={c.row.original.outstanding} />, meta: { numeric: true } },
    {
      id: 'status',
      header: 'Status',
      accessorKey: 'status',
      cell: (c) => (c.getValue() === 'paid' ? <span className="badge badge-ok">Paid</span> : <span className="badge badge-warn">Open</span>),
    },
  ];
  const paymentColumns: ColumnDef<CustomerPayment, any>[] = [
    { id: 'received', header: 'Received', accessorKey: 'received_on', cell: (c) => formatDate(c.getValue() as string) },
    { id: 'method', header: 'Method', accessorFn: (p) => METHOD_LABELS[p.method] ?? p.method },
    { id: 'reference', header: 'Reference', accessorFn: (p) => p.reference ?? '' },
    { id: 'station', header: 'Station', accessorFn: (p) => (p.station_id ? (stations.get(p.station_id)?.name ?? p.station_id.slice(0, 8)) : '—') },
    { id: 'amount', header: 'Amount', accessorFn: (p) => Number(p.amount), cell: (c) => formatCedis(c.row.original.amount), meta: { numeric: true } },
    {
      id: 'allocations',
      header: 'Applied to',
      enableSorting: false,
      accessorFn: (p) => p.allocations.map((a) => `${a.invoice_no} ${formatCedis(a.amount)}`).join(', '),
      cell: (c) => (c.getValue() as string) || '—',
    },
    { id: 'unallocated', header: 'Unallocated', accessorFn: (p) => Number(p.unallocated), cell: (c) => formatCedis(c.row.original.unallocated), meta: { numeric: true } },
  ];

  return (
    <>
      <p>
        <Link to="/finance/customers">← All customers</Link>
      </p>
      <QueryView query={customer} loadingLabel="Loading the customer…">
        {(c) => (
          <Card
            title={`${c.name} (${c.code})`}
            actions={
              <span className="card-actions">
                <StatusBadge status={c.status} />
                {can('customers.manage') && <HoldToggle customer={c} />}
              </span>
            }
          >
            <dl className="fin-summary">
              <div>
                <dt>Credit limit</dt>
                <dd>{formatCedis(c.credit_limit)}</dd>
              </div>
              <div>
                <dt>Exposure</dt>
                <dd data-testid="customer-exposure">
                  <Money value={c.exposure} />
                </dd>
              </div>
              <div>
                <dt>Available</dt>
                <dd>
                  <Money value={c.available} />
                </dd>
              </div>
              <div>
                <dt>Payment terms</dt>
                <dd>{c.payment_terms_days} days</dd>
              </div>
              <div>
                <dt>Contact</dt>
                <dd>{[c.contact_name, c.phone, c.email].filter(Boolean).join(' · ') || '—'}</dd>
              </div>
              <div>
                <dt>TIN</dt>
                <dd>{c.tin ?? '—'}</dd>
              </div>
              <div>
                <dt>Vehicles / drivers</dt>
                <dd>
                  {c.vehicles?.filter((v) => v.active).length ?? 0} / {c.drivers?.filter((d) => d.active).length ?? 0} active
                </dd>
              </div>
            </dl>
          </Card>
        )}
      </QueryView>
      {can('receivables.write') && customer.data && (
        <div className="grid-2">
          <RecordPayment customer={customer.data} />
          <IssueInvoice customer={customer.data} />
        </div>
      )}
      <Card title="Statement" actions={<ExportButtons path={`/api/v1/customers/${id}/statement`} query={{ from, to }} name={`customer-statement-${from}-${to}`} />}>
        <div className="fin-controls">
          <PeriodControl from={from} to={to} onChange={set} error={statement.error} />
        </div>
        <QueryView query={statement} loadingLabel="Loading the statement…">
          {(s) => (
            <div className="table-scroll">
              <table className="fin-table" aria-label="Customer statement">
                <TableHead text={['Date', 'Document', 'Reference']} numeric={['Debit', 'Credit', 'Balance']} />
                <tbody>
                  <tr className="subtotal">
                    <td>{formatDate(s.from)}</td>
                    <td colSpan={4}>Opening balance</td>
                    <td className="num">
                      <Money value={s.opening_balance} />
                    </td>
                  </tr>
                  {s.lines.length === 0 && (
                    <tr>
                      <td colSpan={6} className="empty-cell">
                        No invoices or payments in this period.
                      </td>
                    </tr>
                  )}
                  {s.lines.map((l, i) => (
                    <tr key={`${l.reference}-${i}`}>
                      <td>{formatDate(l.date)}</td>
                      <td>{l.document === 'invoice' ? 'Invoice' : 'Payment'}</td>
                      <td>{l.reference}</td>
                      <td className="num">{l.debit ? formatCedis(l.debit) : ''}</td>
                      <td className="num">{l.credit ? formatCedis(l.credit) : ''}</td>
                      <td className="num">
                        <Money value={l.balance} />
                      </td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <TotalsRow
                    label={`Closing balance (${formatDate(s.to)})`}
                    span={3}
                    cells={[{ value: formatCedis(s.total_debits) }, { value: formatCedis(s.total_credits) }, { value: <Money value={s.closing_balance} /> }]}
                  />
                </tfoot>
              </table>
              <p className="muted small">Credit sales not yet invoiced: {formatCedis(s.uninvoiced_sales)} (part of the exposure, not of this balance).</p>
            </div>
          )}
        </QueryView>
      </Card>
      <Card title="Invoices">
        <QueryView query={invoices} empty="No invoices yet." loadingLabel="Loading the invoices…">
          {(rows) => <DataTable data={rows} columns={invoiceColumns} caption="Invoices" getRowId={(i) => i.id} initialSorting={[{ id: 'issued', desc: true }]} />}
        </QueryView>
      </Card>
      <Card title="Payments">
        <QueryView query={payments} empty="No payments yet." loadingLabel="Loading the payments…">
          {(rows) => <DataTable data={rows} columns={paymentColumns} caption="Payments" getRowId={(p) => p.id} initialSorting={[{ id: 'received', desc: true }]} />}
        </QueryView>
      </Card>
    </>
  );
}
