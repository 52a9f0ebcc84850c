// A tank as a level gauge: an accessible meter (role="meter", aria-valuenow = fill %) with book
// stock over capacity, the low level mark, days of cover, and the water of the latest dip.
import { formatLitres, formatNumber, formatDateTime } from '../../lib/format';
import type { TankSummary } from './types';

export function TankGauge({ tank }: { tank: TankSummary }) {
  const fill = Math.max(0, Math.min(100, Number(tank.fill_percent)));
  const lowMark = Number(tank.capacity) > 0 ? Math.max(0, Math.min(100, (Number(tank.low_level) / Number(tank.capacity)) * 100)) : 0;
  const low = tank.low_stock ?? Number(tank.book_stock) <= Number(tank.low_level);
  const label = `Tank ${tank.code} (${tank.product_code}) level`;
  const valueText = `${tank.fill_percent}% full, ${formatLitres(tank.book_stock)} of ${formatLitres(tank.capacity)}`;
  const dip = tank.latest_dip;
  return (
    <article className={`tank${low ? ' tank-low' : ''}`} aria-labelledby={`tank-${tank.id}-title`}>
      <h3 id={`tank-${tank.id}-title`} className="tank-title">
        {tank.code} <span className="muted">· {tank.product_code}</span>
      </h3>
      <div className="tank-body">
        <div
          className="gauge"
          role="meter"
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={fill}
          aria-valuetext={valueText}
        >
          <div className={`gauge-fill${low ? ' gauge-fill-low' : ''}`} style={{ height: `${fill}%` }} />
          <div className="gauge-low-mark" style={{ bottom: `${lowMark}%` }} title={`Low level ${formatLitres(tank.low_level)}`} />
          <span className="gauge-text">{tank.fill_percent}%</span>
        </div>
        <dl className="tank-facts">
          <dt>Book stock</dt>
          <dd>
            {formatLitres(tank.book_stock)} <span className="muted">of {formatLitres(tank.capacity)}</span>
          </dd>
          <dt>Ullage</dt>
          <dd>{formatLitres(tank.ullage)}</dd>
          <dt>Days of cover</dt>
          <dd data-testid={`tank-${tank.code}-cover`}>
            {tank.days_of_cover === null ? (
              <span className="muted">no sales in the last 7 days</span>
            ) : (
              <>
                {formatNumber(tank.days_of_cover, 1)} days <span className="muted">at {formatLitres(tank.avg_daily_litres)}/day</span>
              </>
            )}
          </dd>
          <dt>Water</dt>
          <dd>
            {dip ? (
              <>
                {dip.water_height_mm} mm
                {tank.water_alert && (
                  <div>
                    <span className="badge badge-bad tank-alert">
                      <span aria-hidden="true">⚠ </span>Water above limit
                    </span>
                  </div>
                )}
                <div className="muted">dip {formatDateTime(dip.taken_at)}</div>
              </>
            ) : (
              <span className="muted">no dip recorded</span>
            )}
          </dd>
        </dl>
      </div>
      {low && (
        <p className="badge badge-warn tank-alert">
          <span aria-hidden="true">▼ </span>Stock low (at or under {formatLitres(tank.low_level)})
        </p>
      )}
    </article>
  );
}
