// A sale's page: every field, and Void with a reason (sales.reverse: the StationManager) behind a
// confirmation; the reversal the API records is shown with a link to it.
import { useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { Field, FormError, fieldError } from '../../components/Form';
import { Card, PageHeader } from '../../components/Page';
import { QueryView } from '../../components/States';
import { byId, useProducts, useStationStaff, useStations } from '../../lib/queries';
import { formatCedis, formatDateTime, formatNumber, formatUnitPrice } from '../../lib/format';
import { PAYMENT_LABEL, type Sale } from './types';
import { uuidv7 } from './uuid7';

export function SaleDetail() {
  const { id = '' } = useParams();
  const sale = useQuery({ queryKey: ['transaction', id], queryFn: () => api.get<Sale>(`/api/v1/transactions/${id}`) });
  return (
    <>
      <PageHeader title="Sale" subtitle={<Link to="/transactions">Back to the transactions</Link>} />
      <QueryView query={sale} isEmpty={() => false} loadingLabel="Loading the sale…">
        {(s) => <SaleView sale={s} />}
      </QueryView>
    </>
  );
}

function SaleView({ sale }: { sale: Sale }) {
  const { can } = useAuth();
  const stations = useStations();
  const products = useProducts();
  const station = byId(stations.data).get(sale.station_id);
  const product = byId(products.data).get(sale.product_id);
  // People by name where the station's staff list knows them (the API records user ids).
  const staff = byId(useStationStaff(sale.station_id).data);
  const person = (id: string | null) => (id ? (staff.get(id)?.display_name ?? id) : '—');
  const [voided, setVoided] = useState<Sale | null>(null);
  const reversible = sale.kind === 'fuel' || sale.kind === 'shop';
  const facts: Array<[string, React.ReactNode]> = [
    ['Receipt', `#${sale.receipt_no}`],
    ['Kind', sale.kind],
    ['Station', station ? <Link to={`/stations/${station.id}`}>{`${station.code} — ${station.name}`}</Link> : sale.station_id],
    ['Product', product ? `${product.code} — ${product.name}` : sale.product_id],
    ['Quantity', formatNumber(sale.quantity, 3)],
    ['Unit price', formatUnitPrice(sale.unit_price)],
    ['Amount', <strong key="a">{formatCedis(sale.amount)}</strong>],
    ['Payment', `${PAYMENT_LABEL[sale.payment_method] ?? sale.payment_method}${sale.payment_ref ? ` (${sale.payment_ref})` : ''}`],
    ['Sold at', formatDateTime(sale.sold_at)],
    ['Recorded at', formatDateTime(sale.recorded_at)],
    ['Recorded by', person(sale.recorded_by)],
    ['Shift', sale.shift_id ?? '—'],
    ['Attendant', person(sale.attendant_id)],
    ['Customer', sale.customer_id ?? '—'],
  ];
  if (sale.reverses_id) facts.push(['Reverses', <Link key="r" to={`/transactions/${sale.reverses_id}`}>the original sale</Link>]);
  if (sale.reason) facts.push(['Reason', sale.reason]);
  if (sale.approved_by) facts.push(['Approved by', person(sale.approved_by)]);
  return (
    <div className="sale-page">
      <Card title={`Receipt #${sale.receipt_no}`}>
        <dl className="sale-facts">
          {facts.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </Card>
      {voided && (
        <div className="form-success" role="status" aria-label="Sale voided">
          Voided: reversal receipt #{voided.receipt_no}, {formatNumber(voided.quantity, 3)} for {formatCedis(voided.amount)}, reason “{voided.reason}”.{' '}
          <Link to={`/transactions/${voided.id}`}>Open the void</Link>
        </div>
      )}
      {reversible && can('sales.reverse') && !voided && <VoidForm sale={sale} onVoided={setVoided} />}
    </div>
  );
}

function VoidForm({ sale, onVoided }: { sale: Sale; onVoided: (v: Sale) => void }) {
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [local, setLocal] = useState<string | undefined>();
  // The reversal's id (a UUIDv7, the API's retry key) is kept until the void succeeds.
  const reversalId = useRef(uuidv7());

  function ask(e: React.FormEvent) {
    e.preventDefault();
    if (!reason.trim()) {
      setLocal('is required: say why the sale is voided');
      return;
    }
    setLocal(undefined);
    setConfirming(true);
  }
  async function confirm() {
    setSending(true);
    setError(null);
    try {
      const v = await api.post<Sale>(`/api/v1/transactions/${sale.id}/void`, { id: reversalId.current, reason: reason.trim() });
      reversalId.current = uuidv7();
      setConfirming(false);
      onVoided(v);
      await qc.invalidateQueries({ queryKey: ['transactions'] });
    } catch (e) {
      setError(e);
      setConfirming(false);
    } finally {
      setSending(false);
    }
  }
  return (
    <form className="void-form" onSubmit={ask} noValidate aria-label="Void this sale">
      <Card title="Void this sale">
        <p className="muted">
          A void reverses the whole sale ({formatCedis(sale.amount)}) while its shift is open; the fuel goes back to book stock. It is recorded
          in your name with the reason, and audited.
        </p>
        <Field label="Reason" error={local ?? fieldError(error, 'reason')}>
          {(a11y) => <textarea {...a11y} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <FormError error={error} shownFields={['reason']} />
        <button type="submit" className="btn btn-danger" disabled={sending}>
          Void…
        </button>
      </Card>
      {confirming && (
        <div className="modal-backdrop">
          <div className="modal" role="dialog" aria-modal="true" aria-labelledby="void-title">
            <h2 id="void-title">Void receipt #{sale.receipt_no}?</h2>
            <p>
              This records a reversal of {formatCedis(sale.amount)} with the reason “{reason.trim()}”. It cannot be undone.
            </p>
            <div className="modal-actions">
              <button type="button" className="btn" onClick={() => setConfirming(false)} disabled={sending}>
                Cancel
              </button>
              <button type="button" className="btn btn-danger" onClick={confirm} disabled={sending} autoFocus>
                {sending ? 'Voiding…' : 'Void the sale'}
              </button>
            </div>
          </div>
        </div>
      )}
    </form>
  );
}
