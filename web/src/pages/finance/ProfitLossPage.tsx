// Profit and loss over a period: the statement by report group (revenue, other income, cost of
// sales, operating expenses) with the API's net, recomputed here exactly as a check; and the same
// period by station and by product (profit-by-station / profit-by-product) with exact totals.
import { useQuery } from '@tanstack/react-query';
import { useUrlParams } from '../../lib/urlParams';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../../api/client';
import { Card, Tabs } from '../../components/Page';
import { QueryView } from '../../components/States';
import { addDecimals, subtractDecimals } from '../../lib/decimal';
import { formatCedis, formatDate } from '../../lib/format';
import { Amount, ExportButtons, Money, PeriodControl, StatementGroup, TableHead, TotalsRow, formatAmount, usePeriod } from './common';
import type { ProfitBy, ProfitRow, Report } from './types';

type View = 'statement' | 'station' | 'product';
const VIEWS: Array<{ key: View; label: string }> = [
  { key: 'statement', label: 'Statement' },
  { key: 'station', label: 'By station' },
  { key: 'product', label: 'By product' },
];

const INCOME_SECTIONS = ['Revenue', 'Other income'];

// Net profit recomputed from the sections: income sections less the others, exactly.
export function netFromSections(report: Report): { income: string; expenses: string; net: string } {
  const income = addDecimals(report.sections.filter((s) => INCOME_SECTIONS.includes(s.section)).map((s) => s.total), 2);
  const expenses = addDecimals(report.sections.filter((s) => !INCOME_SECTIONS.includes(s.section)).map((s) => s.total), 2);
  return { income, expenses, net: subtractDecimals(income, expenses, 2) };
}

export function ProfitLossPage() {
  const { from, to, set } = usePeriod();
  const [params, patch] = useUrlParams();
  const view = (VIEWS.find((v) => v.key === params.get('view'))?.key ?? 'statement') as View;
  const setView = (v: View) => patch({ view: v });
  const path =
    view === 'statement'
      ? '/api/v1/ledger/reports/profit-and-loss'
      : view === 'station'
        ? '/api/v1/ledger/reports/profit-by-station'
        : '/api/v1/ledger/reports/profit-by-product';
  const statement = useQuery({
    queryKey: ['finance', 'pnl', from, to],
    queryFn: () => api.get<Report>('/api/v1/ledger/reports/profit-and-loss', { from, to }),
    enabled: view === 'statement',
  });
  const by = useQuery({
    queryKey: ['finance', 'pnl-by', view, from, to],
    queryFn: () => api.get<ProfitBy>(path, { from, to }),
    enabled: view !== 'statement',
  });
  const active = view === 'statement' ? statement : by;

  return (
    <>
      <Card>
        <div className="fin-controls">
          <PeriodControl from={from} to={to} onChange={set} error={active.error} />
          <ExportButtons path={path} query={{ from, to }} name={`${path.split('/').pop()}-${from}-${to}`} />
        </div>
      </Card>
      <Tabs tabs={VIEWS} active={view} onChange={setView} label="Profit and loss views" />
      {view === 'statement' ? (
        <QueryView query={statement} isEmpty={(r) => r.lines.length === 0} empty="Nothing is posted to revenue or expenses in this period." loadingLabel="Loading the profit and loss…">
          {(r) => <Statement report={r} from={from} to={to} />}
        </QueryView>
      ) : (
        <QueryView query={by} isEmpty={(r) => r.rows.length === 0} empty="Nothing is posted in this period." loadingLabel="Loading…">
          {(r) => <ProfitByTable data={r} kind={view === 'station' ? 'Station' : 'Product'} />}
        </QueryView>
      )}
    </>
  );
}

function Statement({ report, from, to }: { report: Report; from: string; to: string }) {
  const check = netFromSections(report);
  const apiNet = report.results['Net profit'];
  const agrees = apiNet === undefined || addDecimals([apiNet], 2) === check.net;
  return (
    <Card title={`Profit and loss, ${formatDate(from)} – ${formatDate(to)}`}>
      {!agrees && (
        <p className="check check-bad" role="alert">
          The sections do not add up to the net profit the server reports ({formatCedis(apiNet)} against {formatCedis(check.net)}).
        </p>
      )}
      <div className="table-scroll">
        <table className="fin-table" aria-label="Profit and loss">
          <TableHead text={['Code', 'Account']} numeric={['Amount']} />
          {report.sections.map((s) => (
            <tbody key={s.section}>
              <StatementGroup group={s} lines={report.lines.filter((l) => l.section === s.section)} headScope="rowgroup" />
            </tbody>
          ))}
          <tfoot>
            {Object.entries(report.results)
              .filter(([k]) => k !== 'Net profit')
              .sort(([a], [b]) => (a === 'Total income' ? -1 : b === 'Total income' ? 1 : a.localeCompare(b)))
              .map(([k, v]) => (
                <TotalsRow key={k} className="result" label={k} span={2} cells={[{ value: <Money value={v} /> }]} />
              ))}
            <TotalsRow className="grand" label="Net profit" span={2} cells={[{ value: <Money value={apiNet ?? check.net} strong />, testId: 'pnl-net' }]} />
          </tfoot>
        </table>
      </div>
    </Card>
  );
}

const COLUMNS: Array<{ key: keyof ProfitRow; label: string }> = [
  { key: 'revenue', label: 'Revenue' },
  { key: 'cost_of_sales', label: 'Cost of sales' },
  { key: 'gross_profit', label: 'Gross profit' },
  { key: 'other_income', label: 'Other income' },
  { key: 'other_expenses', label: 'Other expenses' },
  { key: 'net_profit', label: 'Net profit' },
];

function ProfitByTable({ data, kind }: { data: ProfitBy; kind: 'Station' | 'Product' }) {
  const rows = [...data.rows].sort((a, b) => a.name.localeCompare(b.name));
  const totals = Object.fromEntries(COLUMNS.map((c) => [c.key, addDecimals(rows.map((r) => r[c.key] as string), 2)]));
  const chart = rows.map((r) => ({ name: r.name, 'Gross profit': Number(r.gross_profit), 'Net profit': Number(r.net_profit) }));
  return (
    <>
      <Card title={`Profit by ${kind.toLowerCase()}, ${formatDate(data.from)} – ${formatDate(data.to)}`}>
        <p className="muted small">All amounts in Ghana cedis (GH₵).</p>
        <div className="table-scroll">
          <table className="fin-table wide" aria-label={`Profit by ${kind.toLowerCase()}`}>
            <TableHead text={[kind]} numeric={COLUMNS.map((c) => c.label)} />
            <tbody>
              {rows.map((r) => (
                <tr key={r.station_id ?? r.product_id ?? r.name}>
                  <th scope="row" className="row-name">
                    {r.name}
                  </th>
                  {COLUMNS.map((c) => (
                    <td key={c.key} className="num">
                      <Amount value={r[c.key] as string} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <TotalsRow label="Total" cells={COLUMNS.map((c) => ({ value: formatAmount(totals[c.key]), testId: `by-total-${c.key}` }))} />
            </tfoot>
          </table>
        </div>
        <p className="muted small">
          Only postings that carry a {kind.toLowerCase()} are in this view; company-wide accounts (bank charges, freight, UPPF income) are in the statement, so
          the total here can differ from the statement's net profit.
        </p>
      </Card>
      <Card title={`Gross and net profit by ${kind.toLowerCase()}`}>
        <div className="chart" role="img" aria-label={`Bar chart of gross and net profit by ${kind.toLowerCase()}; the table above has the figures`}>
          <ResponsiveContainer width="100%" height={Math.max(260, rows.length * 34)}>
            <BarChart data={chart} layout="vertical" margin={{ left: 24, right: 24 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis type="number" tickFormatter={(v: number) => `GH₵ ${(v / 1000).toLocaleString('en-GB')}k`} />
              <YAxis type="category" dataKey="name" width={180} />
              <Tooltip formatter={(v) => formatCedis(Number(v).toFixed(2))} />
              <Legend />
              <Bar dataKey="Gross profit" fill="#1f4e8c" />
              <Bar dataKey="Net profit" fill="#0b5d3b" />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </Card>
    </>
  );
}
