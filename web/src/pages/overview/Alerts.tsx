// Open alerts: how many, and the latest, each linking to its station.
import { Link } from 'react-router-dom';
import { formatDateTime } from '../../lib/format';
import type { Alert, Overview } from './types';

const KIND: Record<string, string> = {
  low_stock: 'Low stock',
  water: 'Water in tank',
  variance: 'Variance',
  licence_expiry: 'Licence expiry',
  overfill: 'Overfill',
};
const SEVERITY_CLASS: Record<string, string> = { critical: 'bad', warning: 'warn', info: 'off' };

export function AlertsList({ overview }: { overview: Overview }) {
  const names = new Map(overview.stations.map((s) => [s.id, s.name]));
  const { open, acknowledged, latest } = overview.alerts;
  return (
    <div>
      <p className="alerts-count" data-testid="alerts-open">
        <strong>{open}</strong> open alert{open === 1 ? '' : 's'}
        {acknowledged ? <span className="muted"> ({acknowledged} acknowledged)</span> : null}
        {latest.length > 0 && latest.length < open && <span className="muted"> — the latest {latest.length} below</span>}
      </p>
      {latest.length === 0 ? (
        <p className="state state-empty">No open alerts.</p>
      ) : (
        <ul className="alert-list">
          {latest.map((a: Alert) => (
            <li key={a.id}>
              <span className={`badge badge-${SEVERITY_CLASS[a.severity] ?? 'off'}`}>{a.severity}</span>{' '}
              <strong>{KIND[a.kind] ?? a.kind}</strong> at{' '}
              <Link to={`/stations/${a.station_id}`}>{names.get(a.station_id) ?? 'station'}</Link>
              <div>{a.message}</div>
              <div className="muted">
                Raised {formatDateTime(a.raised_at)}
                {a.status !== 'open' && ` · ${a.status}`}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
