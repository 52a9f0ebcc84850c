// The network overview (`/`): today's and this window's litres and revenue against the same days
// last week, by product and by station, the stations on a map of Ghana by status, and the open
// alerts. Today's figures refresh every LIVE_INTERVAL_MS.
import { useState } from 'react';
import { Card, PageHeader, Tabs } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { formatDate, ghanaToday } from '../../lib/format';
import { LIVE_INTERVAL_MS } from '../../lib/queries';
import { AlertsList } from './Alerts';
import { useOverview } from './api';
import { Breakdown } from './Breakdown';
import { GhanaMap } from './GhanaMap';
import { Kpis } from './Kpis';
import type { Overview } from './types';
import './overview.css';

const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Africa/Accra', hour: '2-digit', minute: '2-digit', hour12: false });

export function formatClock(ms: number): string {
  return timeFormat.format(new Date(ms));
}

type PeriodKey = 'today' | 'window';

export function OverviewPage() {
  // Unset = follow today's date (a page left open past midnight moves on to the new day).
  const [picked, setPicked] = useState<string | null>(null);
  const today = ghanaToday();
  const date = picked ?? today;
  const live = date === today;
  const query = useOverview(date, live);
  const [period, setPeriod] = useState<PeriodKey>('today');
  const data = query.data;
  const showing = data && data.date === date ? data : undefined;

  return (
    <div className="overview">
      <PageHeader
        title="Network overview"
        subtitle={
          data ? (
            <>
              {formatDate(data.date)} · window <strong>{data.window.name}</strong> ({formatDate(data.window.starts_on)} – {formatDate(data.window.ends_on)})
            </>
          ) : undefined
        }
        actions={
          <div className="overview-controls">
            <div className="field field-inline">
              <label htmlFor="overview-date">Date</label>
              <input
                id="overview-date"
                type="date"
                value={date}
                max={today}
                onChange={(e) => setPicked(e.target.value && e.target.value !== today ? e.target.value : null)}
              />
            </div>
            {picked && (
              <button type="button" className="btn" onClick={() => setPicked(null)}>
                Back to today
              </button>
            )}
            <RefreshStatus live={live} updatedAt={query.dataUpdatedAt} fetching={query.isFetching && !query.isPending} stale={!!data && !showing} />
          </div>
        }
      />
      {query.isPending ? (
        <Loading label="Loading the overview…" />
      ) : query.isError && !data ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : data ? (
        <>
          {query.isError && <ErrorState error={query.error} onRetry={() => query.refetch()} />}
          <OverviewBody overview={data} period={period} onPeriod={setPeriod} />
          {/* Marks the figures as shown, for bench/web's first-load measurement. */}
          <span data-testid="overview-ready" hidden />
        </>
      ) : null}
    </div>
  );
}

function RefreshStatus({ live, updatedAt, fetching, stale }: { live: boolean; updatedAt: number; fetching: boolean; stale: boolean }) {
  return (
    <p className="refresh-status muted" data-testid="refresh-status">
      <span className={`refresh-dot${fetching ? ' refreshing' : ''}`} aria-hidden="true" />
      {fetching && <span className="sr-only">Refreshing. </span>}
      {stale ? 'Loading the chosen date…' : updatedAt ? `Updated at ${formatClock(updatedAt)}` : ''}
      {live ? ` · live, every ${LIVE_INTERVAL_MS / 1000} s` : ' · past day, not refreshed'}
    </p>
  );
}

function OverviewBody({ overview, period, onPeriod }: { overview: Overview; period: PeriodKey; onPeriod: (p: PeriodKey) => void }) {
  const chosen = overview.periods[period];
  const periodTabs: Array<{ key: PeriodKey; label: string }> = [
    { key: 'today', label: `Day (${formatDate(overview.periods.today.from)})` },
    { key: 'window', label: `Window so far (${formatDate(overview.periods.window.from)} – ${formatDate(overview.periods.window.to)})` },
  ];
  return (
    <>
      <Kpis overview={overview} />
      <div className="overview-grid">
        <Card title="Stations on the map" className="map-card">
          {overview.stations.length === 0 ? <p className="state state-empty">No stations in your scope.</p> : <GhanaMap stations={overview.stations} />}
        </Card>
        <Card title="Open alerts" className="alerts-card">
          <AlertsList overview={overview} />
        </Card>
      </div>
      <Card title="Sales by product and by station">
        <Tabs tabs={periodTabs} active={period} onChange={onPeriod} label="Period of the breakdown" />
        <p className="muted">
          {formatDate(chosen.from)}
          {chosen.to !== chosen.from && ` – ${formatDate(chosen.to)}`}, against the same {chosen.to !== chosen.from ? 'days' : 'day'} last week. Litres count fuel
          only; revenue counts fuel and shop sales, net of voids and refunds.
        </p>
        <h3>By product</h3>
        <Breakdown period={chosen} kind="product" label={`Sales by product, ${period === 'today' ? 'day' : 'window so far'}`} />
        <h3>By station</h3>
        <Breakdown period={chosen} kind="station" label={`Sales by station, ${period === 'today' ? 'day' : 'window so far'}`} />
      </Card>
    </>
  );
}
