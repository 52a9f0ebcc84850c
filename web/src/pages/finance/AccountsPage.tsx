// Account drill-down: the accounts of a chart code (one per station, product or party it carries)
// with their balances, and an account's statement over a period: opening balance, each posting
// with its running balance, closing balance.
import { useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { Link, useParams } from 'react-router-dom';
import { useUrlParams } from '../../lib/urlParams';
import { api } from '../../api/client';
import { DataTable } from '../../components/DataTable';
import { SelectField } from '../../components/Form';
import { Card } from '../../components/Page';
import { QueryView } from '../../components/States';
import { formatCedis, formatDate } from '../../lib/format';
import { ExportButtons, Money, PeriodControl, useDimensionNames, usePeriod } from './common';
import type { AccountStatement, AccountStatementLine, ChartLine, LedgerAccount } from './types';

// Company-wide when the account carries no station, product or party.
function useAccountDimensions() {
  const names = useDimensionNames();
  return (a: LedgerAccount) => names(a) || 'Company-wide';
}

export function AccountsPage() {
  const [params, patch] = useUrlParams();
  const code = params.get('code') ?? '';
  const chart = useQuery({
    queryKey: ['finance', 'chart'],
    queryFn: () => api.get<{ lines: ChartLine[] }>('/api/v1/ledger/chart'),
    staleTime: 5 * 60_000,
  });
  const accounts = useQuery({
    queryKey: ['finance', 'accounts', code],
    queryFn: () => api.all<LedgerAccount>('/api/v1/ledger/accounts', { code }),
    enabled: code !== '',
  });
  const describe = useAccountDimensions();
  const columns: ColumnDef<LedgerAccount, any>[] = [
    {
      id: 'account',
      header: 'Account',
      accessorFn: (a) => describe(a),
      cell: (c) => <Link to={`/finance/accounts/${c.row.original.id}`}>{c.getValue() as string}</Link>,
    },
    { id: 'debits', header: 'Debits posted', accessorFn: (a) => Number(a.debits_posted), cell: (c) => formatCedis(c.row.original.debits_posted), meta: { numeric: true } },
    { id: 'credits', header: 'Credits posted', accessorFn: (a) => Number(a.credits_posted), cell: (c) => formatCedis(c.row.original.credits_posted), meta: { numeric: true } },
    {
      id: 'pending',
      header: 'Pending (Dr / Cr)',
      accessorFn: (a) => `${a.debits_pending}/${a.credits_pending}`,
      cell: (c) =>
        c.row.original.debits_pending === '0.00' && c.row.original.credits_pending === '0.00'
          ? '—'
          : `${formatCedis(c.row.original.debits_pending)} / ${formatCedis(c.row.original.credits_pending)}`,
      meta: { numeric: true },
    },
    { id: 'balance', header: 'Balance', accessorFn: (a) => Number(a.balance), cell: (c) => <Money value={c.row.original.balance} />, meta: { numeric: true } },
  ];
  const options = (chart.data?.lines ?? []).map((l) => ({ value: l.code, label: `${l.code} ${l.name}` }));
  return (
    <>
      <Card>
        <div className="fin-controls">
          <SelectField
            label="Chart code"
            value={code}
            placeholder={chart.isPending ? 'Loading the chart…' : 'Choose a code'}
            options={options}
            onChange={(e) => patch({ code: e.target.value })}
          />
        </div>
      </Card>
      {code === '' ? (
        <p className="muted">Choose a chart code, or open one from the trial balance, to see its accounts and their statements.</p>
      ) : (
        <QueryView query={accounts} empty={`No account under code ${code} has been opened yet.`} loadingLabel="Loading the accounts…">
          {(rows) => (
            <Card title={`Accounts under ${code} ${rows[0]?.name ?? ''}`}>
              <DataTable data={rows} columns={columns} caption={`Accounts under ${code}`} getRowId={(a) => a.id} initialSorting={[{ id: 'account', desc: false }]} />
            </Card>
          )}
        </QueryView>
      )}
    </>
  );
}

const KIND_LABELS: Record<string, string> = {
  sale_batch: 'Sales',
  delivery: 'Delivery',
  transit_loss_claim: 'Transit-loss claim',
  stock_adjustment: 'Stock adjustment',
  cash_up: 'Cash-up',
  cash_up_adjustment: 'Cash-up adjustment',
  uppf_claim: 'UPPF claim',
  uppf_settlement: 'UPPF settlement',
  opening_balance: 'Opening balance',
  manual: 'Journal',
  reversal: 'Reversal',
};

export function AccountStatementPage() {
  const { id = '' } = useParams();
  const { from, to, set } = usePeriod();
  const describe = useAccountDimensions();
  const query = useQuery({
    queryKey: ['finance', 'account-statement', id, from, to],
    queryFn: () => api.get<AccountStatement>(`/api/v1/ledger/accounts/${id}/statement`, { from, to }),
  });
  const columns: ColumnDef<AccountStatementLine, any>[] = [
    { id: 'booked_on', header: 'Date', accessorKey: 'booked_on', cell: (c) => formatDate(c.getValue() as string) },
    { id: 'kind', header: 'Kind', accessorFn: (l) => KIND_LABELS[l.kind] ?? l.kind },
    { id: 'memo', header: 'Memo', accessorKey: 'memo', enableSorting: false },
    { id: 'debit', header: 'Debit', accessorFn: (l) => Number(l.debit), cell: (c) => (c.row.original.debit === '0.00' ? '' : formatCedis(c.row.original.debit)), meta: { numeric: true } },
    { id: 'credit', header: 'Credit', accessorFn: (l) => Number(l.credit), cell: (c) => (c.row.original.credit === '0.00' ? '' : formatCedis(c.row.original.credit)), meta: { numeric: true } },
    { id: 'balance', header: 'Balance', accessorFn: (l) => Number(l.balance), cell: (c) => <Money value={c.row.original.balance} />, meta: { numeric: true }, enableSorting: false },
  ];
  return (
    <>
      <p>
        <Link to={query.data ? `/finance/accounts?code=${encodeURIComponent(query.data.account.code)}` : '/finance/accounts'}>
          ← {query.data ? `Accounts under ${query.data.account.code}` : 'Accounts'}
        </Link>
      </p>
      <Card>
        <div className="fin-controls">
          <PeriodControl from={from} to={to} onChange={set} error={query.error} />
          <ExportButtons path={`/api/v1/ledger/accounts/${id}/statement`} query={{ from, to }} name={`account-statement-${from}-${to}`} />
        </div>
      </Card>
      <QueryView query={query} loadingLabel="Loading the statement…">
        {(s) => (
          <Card title={`${s.account.code} ${s.account.name} — ${describe(s.account)}`}>
            <dl className="fin-summary">
              <div>
                <dt>Opening balance ({formatDate(s.from)})</dt>
                <dd>
                  <Money value={s.opening} />
                </dd>
              </div>
              <div>
                <dt>Closing balance ({formatDate(s.to)})</dt>
                <dd data-testid="statement-closing">
                  <Money value={s.closing} />
                </dd>
              </div>
              <div>
                <dt>Type</dt>
                <dd className="capitalize">{s.account.type}</dd>
              </div>
            </dl>
            <DataTable
              data={s.lines}
              columns={columns}
              caption={`Postings to ${s.account.code} ${s.account.name}`}
              getRowId={(l) => l.transfer_id}
              empty="No postings in this period."
              pageSize={50}
            />
          </Card>
        )}
      </QueryView>
    </>
  );
}
