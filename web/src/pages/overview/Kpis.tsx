// The overview's four headline figures: today's and this window's litres and revenue, each
// against the same days a week earlier.
import { addDays, formatCedis, formatDate, formatLitres } from '../../lib/format';
import { ARROW, describeChange } from './change';
import type { Overview, Period } from './types';

function range(from: string, to: string): string {
  return from === to ? formatDate(from) : `${formatDate(from)} – ${formatDate(to)}`;
}

function Kpi({
  id,
  title,
  value,
  previous,
  current,
  scale,
  format,
  period,
}: {
  id: string;
  title: string;
  value: string;
  previous: string;
  current: string;
  scale: number;
  format: (v: string) => string;
  period: Period;
}) {
  const change = describeChange(current, previous, scale);
  const headingId = `kpi-${id}-title`;
  return (
    <section className="card kpi" aria-labelledby={headingId} data-testid={`kpi-${id}`}>
      <h2 id={headingId} className="kpi-title">
        {title}
      </h2>
      <p className="kpi-value" data-testid={`kpi-${id}-value`}>
        {value}
      </p>
      <p className={`kpi-change change-${change.direction}`}>
        <span aria-hidden="true">{ARROW[change.direction]} </span>
        {change.text}
      </p>
      <p className="kpi-previous muted">
        Same {period.from === period.to ? 'day' : 'days'} last week ({range(addDays(period.from, -7), addDays(period.to, -7))}):{' '}
        {format(previous)}
      </p>
    </section>
  );
}

export function Kpis({ overview }: { overview: Overview }) {
  const { today, window } = overview.periods;
  const litres = (v: string) => formatLitres(v);
  const cedis = (v: string) => formatCedis(v);
  return (
    <div className="kpis">
      <Kpi
        id="today-litres"
        title={`Litres, ${formatDate(today.from)}`}
        value={litres(today.current.litres)}
        current={today.current.litres}
        previous={today.previous.litres}
        scale={3}
        format={litres}
        period={today}
      />
      <Kpi
        id="today-revenue"
        title={`Revenue, ${formatDate(today.from)}`}
        value={cedis(today.current.revenue)}
        current={today.current.revenue}
        previous={today.previous.revenue}
        scale={2}
        format={cedis}
        period={today}
      />
      <Kpi
        id="window-litres"
        title={`Litres, window ${overview.window.name} so far`}
        value={litres(window.current.litres)}
        current={window.current.litres}
        previous={window.previous.litres}
        scale={3}
        format={litres}
        period={window}
      />
      <Kpi
        id="window-revenue"
        title={`Revenue, window ${overview.window.name} so far`}
        value={cedis(window.current.revenue)}
        current={window.current.revenue}
        previous={window.previous.revenue}
        scale={2}
        format={cedis}
        period={window}
      />
    </div>
  );
}
