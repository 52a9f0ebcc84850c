// Price lists (proposals) of the pricing windows: propose a window's ex-pump prices (network,
// zone or station lines; a price, or the OMC's and dealer's margins on the build-up), approve,
// reject with a reason, schedule, withdraw, record the NPA submission; each list's lines and its
// status history. What a role may do decides what is offered (pricing.write, pricing.approve).
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useUrlParams } from '../../lib/urlParams';
import { api } from '../../api/client';
import type { User } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { Card } from '../../components/Page';
import { SelectField } from '../../components/Form';
import { QueryView } from '../../components/States';
import { formatDate, formatDateTime } from '../../lib/format';
import { byId, useProducts, useStations } from '../../lib/queries';
import { DownloadButtons } from '../reports/DownloadButtons';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ProposalForm } from './ProposalForm';
import { useWindowsAhead, useZones } from './hooks';
import type { Proposal, ProposalStatus } from './types';
import { STATUS_LABEL, formatPrice, statusBadgeClass } from './pricingUtil';
import { ScrollRegion } from './ScrollRegion';

const STATUSES: ProposalStatus[] = ['proposed', 'approved', 'scheduled', 'in_force', 'rejected', 'withdrawn'];

// Names of the people who proposed and decided, when the role may read users.
function useUserNames() {
  const { can, profile } = useAuth();
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => api.all<User>('/api/v1/users'),
    enabled: can('users.read'),
    staleTime: 5 * 60_000,
  });
  return (id: string | null) => {
    if (!id) return '';
    if (id === profile?.id) return 'you';
    const u = users.data?.find((x) => x.id === id);
    return u ? u.display_name : `user ${id.slice(-8)}`;
  };
}

export function ProposalsPage() {
  const { can } = useAuth();
  const [params, patch] = useUrlParams();
  const window = params.get('window') ?? '';
  const status = params.get('status') ?? '';
  const [proposing, setProposing] = useState(false);
  const windows = useWindowsAhead();
  const set = (k: string, v: string) => patch({ [k]: v || null });
  const proposals = useQuery({
    queryKey: ['pricing', 'proposals', window || 'all', status],
    queryFn: async () => (await api.all<Proposal>('/api/v1/pricing/proposals', { window, status })).reverse(),
  });
  const windowOptions = (windows.data ?? []).map((w) => ({ value: w.id, label: `${w.id} (${formatDate(w.first_day)} – ${formatDate(w.last_day)})` }));
  if (window && !windowOptions.some((o) => o.value === window)) windowOptions.unshift({ value: window, label: window });

  return (
    <div className="proposals">
      <Card>
        <div className="form-row filter-row">
          <SelectField label="Window" value={window} onChange={(e) => set('window', e.target.value)} options={windowOptions} placeholder="All windows" />
          <SelectField
            label="Status"
            value={status}
            onChange={(e) => set('status', e.target.value)}
            options={STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] }))}
            placeholder="Any status"
          />
          {can('pricing.write') && !proposing && (
            <div className="filter-action">
              <button type="button" className="btn btn-primary" onClick={() => setProposing(true)}>
                Propose prices
              </button>
            </div>
          )}
        </div>
      </Card>
      {proposing && (
        <ProposalForm
          initialWindow={window}
          onDone={(p) => {
            setProposing(false);
            if (p) {
              patch({ window: p.window, status: null });
            }
          }}
        />
      )}
      <QueryView query={proposals} empty={window ? `No price list for window ${window} yet.` : 'No price list has been proposed yet.'} loadingLabel="Loading price lists…">
        {(list) => (
          <div className="proposal-list">
            {list.map((p) => (
              <ProposalCard key={p.id} proposal={p} />
            ))}
          </div>
        )}
      </QueryView>
    </div>
  );
}

type Action = 'approve' | 'reject' | 'schedule' | 'withdraw' | 'submit';

export function ProposalCard({ proposal: p }: { proposal: Proposal }) {
  const { can } = useAuth();
  const stations = byId(useStations().data);
  const productsQuery = useProducts();
  const products = byId(productsQuery.data);
  const zones = byId(useZones().data);
  const name = useUserNames();
  const queryClient = useQueryClient();
  const [action, setAction] = useState<Action | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const act = useMutation({
    mutationFn: ({ a, reason }: { a: Action; reason: string }) =>
      a === 'submit'
        ? api.post<unknown>(`/api/v1/pricing/windows/${p.window}/submit`, {})
        : api.post<Proposal>(`/api/v1/pricing/proposals/${p.id}/${a}`, a === 'reject' || a === 'withdraw' ? { reason } : {}),
    onSuccess: (_d, { a }) => {
      setDone(
        { approve: 'Approved.', reject: 'Rejected.', schedule: 'Scheduled: the station prices are written.', withdraw: 'Withdrawn.', submit: 'Submission to NPA recorded.' }[a],
      );
      return queryClient.invalidateQueries({ queryKey: ['pricing'] });
    },
  });
  const place = (l: Proposal['lines'][number]) =>
    l.scope === 'network'
      ? 'Whole network'
      : l.scope === 'zone'
        ? `Zone ${zones.get(l.zone_id ?? '')?.name ?? l.zone_id}`
        : (() => {
            const s = stations.get(l.station_id ?? '');
            return s ? `${s.code} ${s.name}` : `Station ${l.station_id}`;
          })();
  const history = statusHistory(p, name);
  const canApprove = can('pricing.approve');
  const canWrite = can('pricing.write');
  const active = p.status === 'approved' || p.status === 'scheduled' || p.status === 'in_force';
  const actions: Array<{ a: Action; label: string; danger?: boolean }> = [];
  if (p.status === 'proposed' && canApprove) actions.push({ a: 'approve', label: 'Approve' }, { a: 'reject', label: 'Reject', danger: true });
  if (p.status === 'approved' && canApprove) actions.push({ a: 'schedule', label: 'Schedule' });
  if (active && canWrite && !p.submitted_at) actions.push({ a: 'submit', label: 'Record NPA submission' });
  if ((p.status === 'proposed' || p.status === 'approved') && canWrite) actions.push({ a: 'withdraw', label: 'Withdraw', danger: true });

  return (
    <Card
      className="proposal-card"
      title={
        <>
          Window {p.window} <span className="muted">· list proposed {formatDateTime(p.proposed_at)}</span>
        </>
      }
      actions={
        <span className={statusBadgeClass(p.status)} data-testid="proposal-status">
          {STATUS_LABEL[p.status] ?? p.status}
        </span>
      }
    >
      {p.note && <p>Note: {p.note}</p>}
      <ScrollRegion label={`Lines of the price list for window ${p.window}`}>
        <table>
          <caption className="sr-only">Lines of the price list for window {p.window}</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Product</th>
              <th scope="col">Where</th>
              <th scope="col" className="num">Ex-pump price</th>
              <th scope="col">Made of</th>
            </tr>
          </thead>
          <tbody>
            {p.lines.map((l) => {
              const prod = products.get(l.product_id);
              return (
                <tr key={l.line_no}>
                  <td>{l.line_no}</td>
                  <td>{prod ? prod.code : productsQuery.isPending ? '…' : `product ${l.product_id}`}</td>
                  <td>{place(l)}</td>
                  <td className="num">
                    <strong>{formatPrice(l.unit_price)}</strong>
                    {prod?.unit ? <span className="muted"> /{String(prod.unit)}</span> : null}
                  </td>
                  <td>
                    {l.mode === 'margins' ? (
                      <>
                        build-up {formatPrice(l.regulated_unit_price)} + marketer {formatPrice(l.marketer_margin)} + dealer {formatPrice(l.dealer_margin)}
                      </>
                    ) : (
                      <span className="muted">price given</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollRegion>
      <h3 className="subhead">Status history</h3>
      <ol className="timeline">
        {history.map((h, i) => (
          <li key={i}>
            <span className={statusBadgeClass(h.status)}>{h.label}</span> {formatDateTime(h.at)}
            {h.by && <span className="muted"> by {h.by}</span>}
            {h.detail && <div className="timeline-detail">{h.detail}</div>}
          </li>
        ))}
      </ol>
      {p.status === 'withdrawn' && (
        <p className="muted small">The API keeps one decision time per list: an approval before the withdrawal is not shown.</p>
      )}
      {active && (
        <DownloadButtons
          path={`/api/v1/pricing/windows/${p.window}/submission`}
          query={{}}
          what={`the NPA price submission of window ${p.window}`}
          fallbackName={`npa-submission-${p.window}`}
          label="NPA submission file"
        />
      )}
      {done && (
        <div className="form-success" role="status">
          {done}
        </div>
      )}
      {actions.length > 0 && (
        <div className="card-actions">
          {actions.map((x) => (
            <button
              key={x.a}
              type="button"
              className={x.danger ? 'btn btn-danger' : x.a === 'approve' || x.a === 'schedule' ? 'btn btn-primary' : 'btn'}
              onClick={() => {
                setDone(null);
                setAction(x.a);
              }}
            >
              {x.label}
            </button>
          ))}
        </div>
      )}
      {action && (
        <ConfirmDialog
          closeOnSuccess
          reasonMissingMessage="Give a reason: it is kept with the list."
          title={
            {
              approve: `Approve the price list for ${p.window}?`,
              reject: `Reject the price list for ${p.window}?`,
              schedule: `Schedule the prices of ${p.window}?`,
              withdraw: `Withdraw the price list for ${p.window}?`,
              submit: `Record the submission of ${p.window} to NPA?`,
            }[action]
          }
          confirmLabel={{ approve: 'Approve', reject: 'Reject', schedule: 'Schedule', withdraw: 'Withdraw', submit: 'Record submission' }[action]}
          danger={action === 'reject' || action === 'withdraw'}
          askReason={action === 'reject' || action === 'withdraw'}
          onConfirm={(reason) => act.mutateAsync({ a: action, reason })}
          onClose={() => setAction(null)}
        >
          <p>
            {
              {
                approve: `${p.lines.length} line(s). NPA's floors are checked again; a window has only one approved list.`,
                reject: 'The list is kept with your reason and cannot be approved afterwards.',
                schedule: `This writes the station prices from 00:00 on ${formatDate(p.window_start)} (Ghana time): every sale from then on is charged at these prices.`,
                withdraw: 'The list is kept with your reason and takes no further step.',
                submit: 'Records that the approved list was submitted to NPA now; it is flagged late after the deadline. This can be done once.',
              }[action]
            }
          </p>
        </ConfirmDialog>
      )}
    </Card>
  );
}

interface HistoryStep {
  status: string;
  label: string;
  at: string;
  by?: string;
  detail?: string;
}

// The list's steps from the times the API keeps on it (proposed, decided, scheduled, submitted,
// in force), in time order.
export function statusHistory(p: Proposal, name: (id: string | null) => string = () => ''): HistoryStep[] {
  const steps: HistoryStep[] = [{ status: 'proposed', label: 'Proposed', at: p.proposed_at, by: name(p.proposed_by) }];
  // decided_* is the approval or the rejection; a withdrawal has its own time (and keeps the
  // approval before it). Lists withdrawn before the API kept both show the withdrawal alone.
  const withdrawnAt = p.withdrawn_at ?? (p.status === 'withdrawn' ? p.decided_at : null);
  const decidedIsWithdrawal = p.status === 'withdrawn' && !p.withdrawn_at;
  if (p.decided_at && !decidedIsWithdrawal) {
    const status = p.status === 'rejected' ? 'rejected' : 'approved';
    steps.push({ status, label: STATUS_LABEL[status], at: p.decided_at, by: name(p.decided_by), detail: status === 'rejected' && p.reason ? `Reason: ${p.reason}` : undefined });
  }
  if (withdrawnAt) {
    steps.push({ status: 'withdrawn', label: STATUS_LABEL.withdrawn, at: withdrawnAt, by: name(p.withdrawn_by ?? p.decided_by), detail: p.reason ? `Reason: ${p.reason}` : undefined });
  }
  if (p.scheduled_at) steps.push({ status: 'scheduled', label: 'Scheduled', at: p.scheduled_at });
  if (p.submitted_at)
    steps.push({
      status: p.submission_late ? 'rejected' : 'approved',
      label: p.submission_late ? 'Submitted to NPA (late)' : 'Submitted to NPA',
      at: p.submitted_at,
      by: name(p.submitted_by),
    });
  if (p.in_force_at) steps.push({ status: 'in_force', label: 'In force', at: p.in_force_at });
  return steps.sort((a, b) => a.at.localeCompare(b.at));
}
