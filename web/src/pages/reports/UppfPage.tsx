// UPPF freight claims: every monthly claim with its totals and settlement, and each claim's
// export (CSV, XLSX, PDF) for NPA.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { Card } from '../../components/Page';
import { SelectField } from '../../components/Form';
import { QueryView } from '../../components/States';
import { formatCedis, formatDateTime, formatNumber } from '../../lib/format';
import { DownloadButtons } from './DownloadButtons';
import type { UppfClaim } from './types';
import { ScrollRegion } from '../pricing/ScrollRegion';

const STATUS: Record<UppfClaim['status'], { label: string; badge: string }> = {
  draft: { label: 'Draft', badge: 'badge badge-off' },
  submitted: { label: 'Submitted', badge: 'badge badge-warn' },
  partly_settled: { label: 'Partly settled', badge: 'badge badge-warn' },
  settled: { label: 'Settled', badge: 'badge badge-ok' },
};

export function UppfPage() {
  const [status, setStatus] = useState('');
  const claims = useQuery({
    queryKey: ['reports', 'uppf-claims', status],
    queryFn: async () => (await api.all<UppfClaim>('/api/v1/uppf/claims', { status })).sort((a, b) => b.period.localeCompare(a.period)),
  });
  return (
    <>
      <Card>
        <div className="form-row filter-row">
          <SelectField
            label="Status"
            value={status}
            onChange={(e) => setStatus(e.target.value)}
            options={Object.entries(STATUS).map(([value, s]) => ({ value, label: s.label }))}
            placeholder="Any status"
          />
        </div>
      </Card>
      <QueryView query={claims} empty="No UPPF claim has been opened yet." loadingLabel="Loading UPPF claims…">
        {(list) => (
          <Card title="UPPF freight claims">
            <ScrollRegion label="UPPF claims">
              <table>
                <caption className="sr-only">UPPF claims</caption>
                <thead>
                  <tr>
                    <th scope="col">Month</th>
                    <th scope="col">Status</th>
                    <th scope="col" className="num">Trips</th>
                    <th scope="col" className="num">Amount</th>
                    <th scope="col" className="num">Claimable</th>
                    <th scope="col" className="num">Settled</th>
                    <th scope="col" className="num">Outstanding</th>
                    <th scope="col" className="num">Shortfall</th>
                    <th scope="col">Submitted</th>
                    <th scope="col">Export</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((c) => (
                    <tr key={c.id}>
                      <td>{c.period}</td>
                      <td>
                        <span className={STATUS[c.status]?.badge ?? 'badge'}>{STATUS[c.status]?.label ?? c.status}</span>
                      </td>
                      <td className="num">
                        {formatNumber(c.line_count)}
                        {c.diverted_line_count > 0 && <div className="field-error">{c.diverted_line_count} diverted (not claimable)</div>}
                      </td>
                      <td className="num">{formatCedis(c.amount)}</td>
                      <td className="num">{formatCedis(c.claimable_amount)}</td>
                      <td className="num">{formatCedis(c.settled_amount)}</td>
                      <td className="num">{formatCedis(c.outstanding_amount)}</td>
                      <td className="num">{formatCedis(c.shortfall_amount)}</td>
                      <td>
                        {c.submitted_at ? formatDateTime(c.submitted_at) : '—'}
                        {c.submission_reference && <div className="muted">Ref. {c.submission_reference}</div>}
                      </td>
                      <td>
                        <DownloadButtons path={`/api/v1/uppf/claims/${c.id}/export`} query={{}} what={`the UPPF claim ${c.period}`} fallbackName={`uppf-claim-${c.period}`} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          </Card>
        )}
      </QueryView>
    </>
  );
}
