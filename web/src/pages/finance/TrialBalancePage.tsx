// Trial balance as of a date: every chart code (or every account) with its debit or credit
// balance, the totals recomputed here exactly from the lines and checked against the API's, and
// whether the ledger balances. A code opens its accounts and their statements.
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useUrlParams } from '../../lib/urlParams';
import { api } from '../../api/client';
import { Card } from '../../components/Page';
import { QueryView } from '../../components/States';
import { addDecimals, subtractDecimals } from '../../lib/decimal';
import { formatCedis, formatDate } from '../../lib/format';
import { AsOfControl, ExportButtons, Money, TableHead, TotalsRow, useAsOf, useDimensionNames } from './common';
import type { TrialBalance, TrialBalanceLine } from './types';

export interface TrialBalanceCheck {
  totalDebit: string;
  totalCredit: string;
  difference: string; // debits − credits
  balanced: boolean;
  matchesApi: boolean;
}

// Sums the lines exactly (pesewas as BigInt) and compares with the API's own totals.
export function checkTrialBalance(tb: TrialBalance): TrialBalanceCheck {
  const totalDebit = addDecimals(tb.lines.map((l) => l.debit), 2);
  const totalCredit = addDecimals(tb.lines.map((l) => l.credit), 2);
  const difference = subtractDecimals(totalDebit, totalCredit, 2);
  return {
    totalDebit,
    totalCredit,
    difference,
    balanced: difference === '0.00' && tb.balanced,
    matchesApi: totalDebit === addDecimals([tb.total_debit], 2) && totalCredit === addDecimals([tb.total_credit], 2),
  };
}

// "station=…;product=…;party=…" -> readable names where the console knows them.
export function parseDimensions(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(/[;,&\s]+/)) {
    const [k, v] = part.split('=');
    if (k && v) out[k] = v;
  }
  return out;
}

export function TrialBalancePage() {
  const [asOf, setAsOf] = useAsOf();
  const [params, patch] = useUrlParams();
  const perAccount = params.get('accounts') === 'true';
  const query = useQuery({
    queryKey: ['finance', 'trial-balance', asOf, perAccount],
    queryFn: () => api.get<TrialBalance>('/api/v1/ledger/reports/trial-balance', { as_of: asOf, accounts: perAccount ? 'true' : undefined }),
  });
  const names = useDimensionNames();
  const dimensionText = (line: TrialBalanceLine) => {
    const d = parseDimensions(line.dimensions);
    return names({ station_id: d.station, product_id: d.product, party_id: d.party });
  };


  return (
    <>
      <Card>
        <div className="fin-controls">
          <AsOfControl value={asOf} onChange={setAsOf} error={query.error} />
          <label className="checkbox">
            <input
              type="checkbox"
              checked={perAccount}
              onChange={(e) => patch({ accounts: e.target.checked ? 'true' : null })}
            />{' '}
            One line per account (station, product, party)
          </label>
          <ExportButtons path="/api/v1/ledger/reports/trial-balance" query={{ as_of: asOf, accounts: perAccount ? 'true' : undefined }} name={`trial-balance-${asOf}`} />
        </div>
      </Card>
      <QueryView query={query} isEmpty={(tb) => tb.lines.length === 0} empty={`Nothing is posted on or before ${formatDate(asOf)}.`} loadingLabel="Loading the trial balance…">
        {(tb) => {
          const check = checkTrialBalance(tb);
          return (
            <Card title={`Trial balance as of ${formatDate(tb.as_of)}`}>
              <BalanceStatus check={check} />
              <div className="table-scroll">
                <table className="fin-table" aria-label="Trial balance">
                  <TableHead text={['Code', 'Account', 'Type']} numeric={['Debit', 'Credit']} />
                  <tbody>
                    {tb.lines.map((l, i) => (
                      <tr key={`${l.code}-${l.dimensions}-${i}`}>
                        <td>
                          <Link to={`/finance/accounts?code=${encodeURIComponent(l.code)}`} aria-label={`Accounts of ${l.code} ${l.name}`}>
                            {l.code}
                          </Link>
                        </td>
                        <td>
                          {l.account_id ? <Link to={`/finance/accounts/${l.account_id}`}>{l.name}</Link> : l.name}
                          {perAccount && l.dimensions && <div className="muted small">{dimensionText(l)}</div>}
                        </td>
                        <td className="capitalize">{l.type}</td>
                        <td className="num">{l.debit !== '0.00' ? <Money value={l.debit} /> : ''}</td>
                        <td className="num">{l.credit !== '0.00' ? <Money value={l.credit} /> : ''}</td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <TotalsRow
                      label="Totals"
                      span={3}
                      cells={[
                        { value: formatCedis(check.totalDebit), testId: 'tb-total-debit' },
                        { value: formatCedis(check.totalCredit), testId: 'tb-total-credit' },
                      ]}
                    />
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

function BalanceStatus({ check }: { check: TrialBalanceCheck }) {
  return (
    <div className="fin-checks">
      {check.balanced ? (
        <p className="check check-ok" role="status">
          <span aria-hidden="true">✓ </span>Balanced: total debits equal total credits ({formatCedis(check.totalDebit)}).
        </p>
      ) : (
        <p className="check check-bad" role="alert">
          <span aria-hidden="true">✗ </span>Out of balance: debits − credits = {formatCedis(check.difference)}.
        </p>
      )}
      {!check.matchesApi && (
        <p className="check check-bad" role="alert">
          The lines do not add up to the totals the server reports. Do not rely on this report; tell the administrator.
        </p>
      )}
    </div>
  );
}
