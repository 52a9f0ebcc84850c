// The overview's four headline figures: today's and this window's litres and revenue, each
// against the same days a week earlier.
import { addDays, formatCedis, formatDate, formatLitres } from '../../lib/format';
import { ARROW, describeChange } from './change';
import type { Overview, Period } from './types';

function range(from: string, to: string): string {
  return from === to ? formatDate(from) : `${formatDate(from)} – ${formatDate(to)}`;
}

// A figure of a period: its name, its field and how it is written.
const MEASURES = [
  { key: 'litres', title: 'Litres', scale: 3, format: (v: string) => formatLitres(v) },
  { key: 'revenue', title: 'Revenue', scale: 2, format: (v: string) => formatCedis(v) },
] as const;
type Measure = (typeof MEASURES)[number];

function Kpi({ id, title, measure, period }: { id: string; title: string; measure: Measure; period: Period }) {
  const current = period.current[measure.key];
  const previous = period.previous[measure.key];
  const change = describeChange(current, previous, measure.scale);
  const headingId = `kpi-${id}-title`;
  return (
    <section className="card kpi" aria-labelledby={headingId} data-testid={`kpi-${id}`}>
      <h2 id={headingId} className="kpi-title">
        {title}
      </h2>
      <p className="kpi-value" data-testid={`kpi-${id}-value`}>
        {measure.format(current)}
      </p>
      <p className={`kpi-change change-${change.direction}`}>
        <span aria-hidden="true">{ARROW[change.direction]} </span>
        {change.text}
      </p>
      <p className="kpi-previous muted">
        Same {period.from === period.to ? 'day' : 'days'} last week ({range(addDays(period.from, -7), addDays(period.to, -7))}):{' '}
        {measure.format(previous)}
      </p>
    </section>
  );
}

export function Kpis({ overview }: { overview: Overview }) {
  const { today, window } = overview.periods;
  const periods = [
    { key: 'today', name: formatDate(today.from), period: today },
    { key: 'window', name: `window ${overview.window.name} so far`, period: window },
  ];
  return (
    <div className="kpis">
      {periods.flatMap(({ key, name, period }) =>
        MEASURES.map((measure) => (
          <Kpi key={`${key}-${measure.key}`} id={`${key}-${measure.key}`} title={`${measure.title}, ${name}`} measure={measure} period={period} />
        )),
      )}
    </div>
  );
}
