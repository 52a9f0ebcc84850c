// Balance sheet as of a date: assets, liabilities and equity by report group (the profit not yet
// closed to retained earnings is a line of equity), and the check assets = liabilities + equity,
// recomputed here exactly from the totals and shown with the difference when it does not hold.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { Card } from '../../components/Page';
import { QueryView } from '../../components/States';
import { addDecimals, subtractDecimals } from '../../lib/decimal';
import { formatCedis, formatDate } from '../../lib/format';
import { AsOfControl, ExportButtons, StatementGroup, TableHead, TotalsRow, useAsOf } from './common';
import type { ChartLine, Report } from './types';

type Side = 'asset' | 'liability' | 'equity';
const SIDES: Array<{ key: Side; label: string; result: string }> = [
  { key: 'asset', label: 'Assets', result: 'Total assets' },
  { key: 'liability', label: 'Liabilities', result: 'Total liabilities' },
  { key: 'equity', label: 'Equity', result: 'Total equity' },
];

// Which side a report group is on: the chart's type of its codes (a tenant may move codes between
// groups), else the code's first digit (1 assets, 2 liabilities, 3 equity); the profit to date
// (no code) is equity.
export function sideOf(code: string, chart: Map<string, ChartLine>): Side {
  const type = chart.get(code)?.type;
  if (type === 'asset' || type === 'liability' || type === 'equity') return type;
  if (code.startsWith('1')) return 'asset';
  if (code.startsWith('2')) return 'liability';
  return 'equity';
}

export interface BalanceCheck {
  assets: string;
  liabilities: string;
  equity: string;
  difference: string; // assets − (liabilities + equity)
}

export function checkBalanceSheet(report: Report, chart: Map<string, ChartLine>): BalanceCheck {
  const sum = (side: Side) => addDecimals(report.lines.filter((l) => sideOf(l.code, chart) === side).map((l) => l.amount), 2);
  const assets = sum('asset');
  const liabilities = sum('liability');
  const equity = sum('equity');
  return { assets, liabilities, equity, difference: subtractDecimals(assets, addDecimals([liabilities, equity], 2), 2) };
}

export function BalanceSheetPage() {
  const [asOf, setAsOf] = useAsOf();
  const query = useQuery({
    queryKey: ['finance', 'balance-sheet', asOf],
    queryFn: () => api.get<Report>('/api/v1/ledger/reports/balance-sheet', { as_of: asOf }),
  });
  const chart = useQuery({
    queryKey: ['finance', 'chart'],
    queryFn: () => api.get<{ lines: ChartLine[] }>('/api/v1/ledger/chart'),
    staleTime: 5 * 60_000,
  });
  const chartMap = new Map((chart.data?.lines ?? []).map((l) => [l.code, l]));
  return (
    <>
      <Card>
        <div className="fin-controls">
          <AsOfControl value={asOf} onChange={setAsOf} error={query.error} />
          <ExportButtons path="/api/v1/ledger/reports/balance-sheet" query={{ as_of: asOf }} name={`balance-sheet-${asOf}`} />
        </div>
      </Card>
      <QueryView query={query} isEmpty={(r) => r.lines.length === 0} empty={`Nothing is posted on or before ${formatDate(asOf)}.`} loadingLabel="Loading the balance sheet…">
        {(r) => {
          const check = checkBalanceSheet(r, chartMap);
          const apiAssets = r.results['Total assets'];
          const agrees = apiAssets === undefined || addDecimals([apiAssets], 2) === check.assets;
          return (
            <Card title={`Balance sheet as of ${formatDate(asOf)}`}>
              {check.difference === '0.00' ? (
                <p className="check check-ok" role="status">
                  <span aria-hidden="true">✓ </span>Assets ({formatCedis(check.assets)}) = liabilities ({formatCedis(check.liabilities)}) + equity (
                  {formatCedis(check.equity)}).
                </p>
              ) : (
                <p className="check check-bad" role="alert">
                  <span aria-hidden="true">✗ </span>Does not balance: assets − (liabilities + equity) = {formatCedis(check.difference)}.
                </p>
              )}
              {!agrees && (
                <p className="check check-bad" role="alert">
                  The lines do not add up to the total assets the server reports ({formatCedis(apiAssets)}).
                </p>
              )}
              <div className="table-scroll">
                <table className="fin-table" aria-label="Balance sheet">
                  <TableHead text={['Code', 'Account']} numeric={['Amount']} />
                  {SIDES.map((side) => {
                    const groups = r.sections.filter((s) =>
                      r.lines.some((l) => l.section === s.section && sideOf(l.code, chartMap) === side.key),
                    );
                    return (
                      <tbody key={side.key}>
                        <tr className="side-head">
                          <th scope="rowgroup" colSpan={3}>
                            {side.label}
                          </th>
                        </tr>
                        {groups.map((g) => (
                          <StatementGroup
                            key={g.section}
                            group={g}
                            lines={r.lines.filter((l) => l.section === g.section && sideOf(l.code, chartMap) === side.key)}
                            // A group named as its side (Equity) needs no head or subtotal of its own.
                            bare={g.section.toLowerCase() === side.label.toLowerCase()}
                          />
                        ))}
                        <TotalsRow
                          className="grand"
                          label={side.result}
                          span={2}
                          cells={[
                            {
                              value: formatCedis(side.key === 'asset' ? check.assets : side.key === 'liability' ? check.liabilities : check.equity),
                              testId: `bs-${side.key}`,
                            },
                          ]}
                        />
                      </tbody>
                    );
                  })}
                  <tfoot>
                    <TotalsRow label="Liabilities + equity" span={2} cells={[{ value: formatCedis(addDecimals([check.liabilities, check.equity], 2)) }]} />
                  </tfoot>
                </table>
              </div>
            </Card>
          );
        }}
      </QueryView>
    </>
  );
}
