// The window calendar: a month's two pricing windows (1st-15th, 16th-end) on a month grid and as
// cards, each with its NPA submission deadline (12:00 of the last working day before; holidays
// from the API), whether it has passed, a late submission, and the state of its price lists.
import { useQueries, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import { Card } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { formatDate, formatDateTime, ghanaToday } from '../../lib/format';
import type { Holiday, PricingWindow, Proposal } from './types';
import { WindowFloors } from './Floors';
import {
  STATUS_LABEL,
  addMonths,
  daysInMonth,
  monthLabel,
  statusBadgeClass,
  timeLeft,
  weekdayMondayFirst,
} from './pricingUtil';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function useHolidays() {
  return useQuery({
    queryKey: ['pricing', 'holidays'],
    queryFn: () => api.get<Holiday[]>('/api/v1/pricing/holidays'),
    staleTime: 10 * 60_000,
  });
}

export function WindowsPage() {
  const [params, setParams] = useSearchParams();
  const thisMonth = ghanaToday().slice(0, 7);
  const month = /^\d{4}-\d{2}$/.test(params.get('month') ?? '') ? params.get('month')! : thisMonth;
  const go = (m: string) => setParams(m === thisMonth ? {} : { month: m });

  const windows = useQuery({
    queryKey: ['pricing', 'windows', month],
    // Three: the month's two and the next one, whose deadline may fall at this month's end.
    queryFn: () => api.get<PricingWindow[]>('/api/v1/pricing/windows', { from: `${month}-01`, count: 3 }),
  });
  const monthWindows = windows.data?.slice(0, 2) ?? [];
  const holidays = useHolidays();
  const lists = useQueries({
    queries: monthWindows.map((w) => ({
      queryKey: ['pricing', 'proposals', w.id],
      queryFn: () => api.all<Proposal>('/api/v1/pricing/proposals', { window: w.id }),
    })),
  });

  return (
    <div className="pricing-windows">
      <div className="month-nav" role="group" aria-label="Month">
        <button type="button" className="btn" onClick={() => go(addMonths(month, -1))}>
          ← Previous month
        </button>
        <h2 className="month-title" aria-live="polite">
          {monthLabel(month)}
        </h2>
        <button type="button" className="btn" onClick={() => go(addMonths(month, 1))}>
          Next month →
        </button>
        {month !== thisMonth && (
          <button type="button" className="btn btn-quiet" onClick={() => go(thisMonth)}>
            This month
          </button>
        )}
      </div>
      {windows.isPending ? (
        <Loading label="Loading the pricing windows…" />
      ) : windows.isError ? (
        <ErrorState error={windows.error} onRetry={() => windows.refetch()} />
      ) : (
        <div className="windows-layout">
          <MonthGrid month={month} windows={monthWindows} deadlineWindows={windows.data} holidays={holidays.data ?? []} />
          <div className="window-cards">
            {holidays.isError && <ErrorState error={holidays.error} onRetry={() => holidays.refetch()} />}
            {monthWindows.map((w, i) => (
              <WindowCard key={w.id} window={w} lists={lists[i]?.data} listsError={lists[i]?.error} holidays={holidays.data ?? []} />
            ))}
          </div>
        </div>
      )}
    </div>
  );
}

function MonthGrid({
  month,
  windows,
  deadlineWindows,
  holidays,
}: {
  month: string;
  windows: PricingWindow[];
  deadlineWindows: PricingWindow[];
  holidays: Holiday[];
}) {
  const today = ghanaToday();
  const days = daysInMonth(month);
  const lead = weekdayMondayFirst(`${month}-01`);
  const holidayOn = new Map(holidays.map((h) => [h.date, h]));
  const deadlines = new Map(deadlineWindows.map((w) => [w.submission_deadline.slice(0, 10), w]));
  const cells: Array<string | null> = [...Array(lead).fill(null)];
  for (let d = 1; d <= days; d++) cells.push(`${month}-${String(d).padStart(2, '0')}`);
  while (cells.length % 7) cells.push(null);
  const weeks: Array<Array<string | null>> = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return (
    <Card title="Calendar" className="month-grid-card">
      <table className="month-grid">
        <caption className="sr-only">Pricing windows of {monthLabel(month)}</caption>
        <thead>
          <tr>
            {WEEKDAYS.map((d) => (
              <th key={d} scope="col">
                {d}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week, i) => (
            <tr key={i}>
              {week.map((date, j) => {
                if (!date) return <td key={j} className="day-blank" />;
                const day = Number(date.slice(8));
                const w = windows.find((x) => date >= x.first_day && date <= x.last_day);
                const half = day <= 15 ? 'first' : 'second';
                const holiday = holidayOn.get(date);
                const deadline = deadlines.get(date);
                const classes = [
                  'day',
                  `day-${half}`,
                  w?.current ? 'day-current' : '',
                  date === today ? 'day-today' : '',
                  holiday ? 'day-holiday' : '',
                  j >= 5 ? 'day-weekend' : '',
                ]
                  .filter(Boolean)
                  .join(' ');
                return (
                  <td key={j} className={classes} aria-current={date === today ? 'date' : undefined}>
                    <span className="day-number">{day}</span>
                    {holiday && (
                      <span className="day-note" title={holiday.name}>
                        {holiday.tentative ? 'Holiday (tentative)' : 'Holiday'}
                        <span className="sr-only">: {holiday.name}</span>
                      </span>
                    )}
                    {deadline && <span className="day-note day-deadline">Deadline 12:00 for {deadline.id}</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="legend" aria-label="Legend">
        <li>
          <span className="swatch swatch-first" aria-hidden="true" /> 1st–15th
        </li>
        <li>
          <span className="swatch swatch-second" aria-hidden="true" /> 16th–end
        </li>
        <li>
          <span className="swatch swatch-current" aria-hidden="true" /> Window in force now
        </li>
        <li>
          <span className="swatch swatch-holiday" aria-hidden="true" /> Public holiday
        </li>
      </ul>
    </Card>
  );
}

function WindowCard({
  window: w,
  lists,
  listsError,
  holidays,
}: {
  window: PricingWindow;
  lists?: Proposal[];
  listsError?: unknown;
  holidays: Holiday[];
}) {
  const left = timeLeft(w.submission_deadline);
  const inWindow = holidays.filter((h) => h.date >= w.first_day && h.date <= w.last_day);
  const counts = new Map<string, number>();
  for (const p of lists ?? []) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  return (
    <Card
      className={w.current ? 'window-card window-current' : 'window-card'}
      title={
        <>
          Window {w.id} {w.current && <span className="badge badge-ok">In force now</span>}
        </>
      }
      actions={<span className={statusBadgeClass(w.status)}>{STATUS_LABEL[w.status] ?? w.status}</span>}
    >
      <dl className="facts">
        <dt>Dates</dt>
        <dd>
          {formatDate(w.first_day)} – {formatDate(w.last_day)}
        </dd>
        <dt>NPA submission deadline</dt>
        <dd>
          {formatDateTime(w.submission_deadline)} (Ghana time){' '}
          {w.deadline_passed ? <span className="badge badge-off">Passed</span> : left && <span className="badge badge-warn">{left} left</span>}
        </dd>
        <dt>Submitted to NPA</dt>
        <dd>
          {w.submitted_at ? (
            <>
              {formatDateTime(w.submitted_at)}{' '}
              {w.submission_late ? <span className="badge badge-bad">Late</span> : <span className="badge badge-ok">On time</span>}
            </>
          ) : w.status === 'closed' ? (
            '—'
          ) : w.deadline_passed && w.status !== 'open' ? (
            <span className="badge badge-bad">Not submitted, deadline passed</span>
          ) : (
            'Not yet'
          )}
        </dd>
        <dt>Price lists</dt>
        <dd>
          {listsError ? (
            <span className="field-error">Could not load the lists.</span>
          ) : !lists ? (
            'Loading…'
          ) : lists.length === 0 ? (
            'None proposed'
          ) : (
            [...counts.entries()].map(([s, n]) => (
              <span key={s} className={`${statusBadgeClass(s)} list-count`}>
                {n} {STATUS_LABEL[s] ?? s}
              </span>
            ))
          )}
        </dd>
        {inWindow.length > 0 && (
          <>
            <dt>Holidays in the window</dt>
            <dd>{inWindow.map((h) => `${formatDate(h.date)} ${h.name}${h.tentative ? ' (tentative)' : ''}`).join('; ')}</dd>
          </>
        )}
      </dl>
      <WindowFloors window={w} />
      <Link to={`/pricing/proposals?window=${w.id}`}>
        Price lists of {w.id}
      </Link>
    </Card>
  );
}
