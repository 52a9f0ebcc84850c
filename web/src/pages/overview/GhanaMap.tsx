// The network on a map of Ghana drawn from the bundled outline (src/assets/ghana.json, Natural
// Earth; no map tiles, so it works offline): each station a link shaped and coloured by its status,
// with a legend that names each shape, and the stations that have no coordinates listed beside it.
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { geoMercator, geoPath } from 'd3-geo';
import type { Feature, Geometry } from 'geojson';
import ghana from '../../assets/ghana.json';
import { formatDateTime } from '../../lib/format';
import { STATUS, STATUS_ORDER, StatusShape, shapePath, statusOf } from './status';
import type { OverviewStation } from './types';

const WIDTH = 360;
const HEIGHT = 480;
const outline = ghana as unknown as Feature<Geometry>;

export interface Placed {
  station: OverviewStation;
  x: number;
  y: number;
}

// Where each station falls on the drawing; stations without coordinates (or outside the outline's
// frame) are returned apart.
export function placeStations(stations: OverviewStation[]): { placed: Placed[]; unplaced: OverviewStation[] } {
  const projection = geoMercator().fitSize([WIDTH, HEIGHT], outline);
  const placed: Placed[] = [];
  const unplaced: OverviewStation[] = [];
  for (const s of stations) {
    const lat = s.latitude == null ? NaN : Number(s.latitude);
    const lon = s.longitude == null ? NaN : Number(s.longitude);
    const point = Number.isFinite(lat) && Number.isFinite(lon) ? projection([lon, lat]) : null;
    if (!point || point[0] < 0 || point[0] > WIDTH || point[1] < 0 || point[1] > HEIGHT) unplaced.push(s);
    else placed.push({ station: s, x: point[0], y: point[1] });
  }
  // Worse statuses drawn last, on top.
  placed.sort((a, b) => STATUS_ORDER.indexOf(b.station.status) - STATUS_ORDER.indexOf(a.station.status));
  return { placed, unplaced };
}

function accessibleName(s: OverviewStation): string {
  const alerts = s.open_alerts === 1 ? '1 open alert' : `${s.open_alerts} open alerts`;
  return `${s.name} (${s.code}): ${statusOf(s.status).label}, ${alerts}`;
}

export function GhanaMap({ stations }: { stations: OverviewStation[] }) {
  const outlinePath = useMemo(() => {
    const projection = geoMercator().fitSize([WIDTH, HEIGHT], outline);
    return geoPath(projection)(outline) ?? '';
  }, []);
  const { placed, unplaced } = useMemo(() => placeStations(stations), [stations]);
  const [active, setActive] = useState<string | null>(null);
  const shown = placed.find((p) => p.station.id === active);
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const s of stations) c[s.status] = (c[s.status] ?? 0) + 1;
    return c;
  }, [stations]);

  return (
    <div className="map-layout">
      <div className="map-frame">
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="ghana-map" role="group" aria-label="Map of Ghana with the stations by status">
          <path d={outlinePath} className="ghana-outline" aria-hidden="true" />
          {placed.map(({ station, x, y }) => {
            const st = statusOf(station.status);
            return (
              <Link
                key={station.id}
                to={`/stations/${station.id}`}
                aria-label={accessibleName(station)}
                className="map-dot-link"
                onMouseEnter={() => setActive(station.id)}
                onMouseLeave={() => setActive((a) => (a === station.id ? null : a))}
                onFocus={() => setActive(station.id)}
                onBlur={() => setActive((a) => (a === station.id ? null : a))}
              >
                <path
                  d={shapePath(st.shape, station.id === active ? 8 : 6)}
                  transform={`translate(${x.toFixed(1)},${y.toFixed(1)})`}
                  className={`map-dot status-${st.className}`}
                />
              </Link>
            );
          })}
        </svg>
        {shown && (
          <div
            className="map-tooltip"
            role="tooltip"
            style={{ left: `${(shown.x / WIDTH) * 100}%`, top: `${(shown.y / HEIGHT) * 100}%` }}
          >
            <strong>{shown.station.name}</strong> <span className="muted">{shown.station.code}</span>
            <div>
              <StatusShape shape={statusOf(shown.station.status).shape} className={`status-${statusOf(shown.station.status).className}`} />{' '}
              {statusOf(shown.station.status).label}
            </div>
            <div>
              {shown.station.open_alerts} open alert{shown.station.open_alerts === 1 ? '' : 's'}
            </div>
            <div className="muted">Last sale {shown.station.last_sale_at ? formatDateTime(shown.station.last_sale_at) : 'none recorded'}</div>
          </div>
        )}
      </div>
      <div className="map-side">
        <h3 className="map-side-title">Legend</h3>
        <ul className="map-legend">
          {STATUS_ORDER.map((key) => (
            <li key={key}>
              <StatusShape shape={STATUS[key].shape} className={`status-${STATUS[key].className}`} size={14} />
              <span>
                <strong>{STATUS[key].label}</strong> ({counts[key] ?? 0}) <span className="muted">— {STATUS[key].description}</span>
              </span>
            </li>
          ))}
        </ul>
        {unplaced.length > 0 && (
          <>
            <h3 className="map-side-title">Not on the map (no coordinates)</h3>
            <ul className="map-unplaced">
              {unplaced.map((s) => (
                <li key={s.id}>
                  <Link to={`/stations/${s.id}`}>{s.name}</Link> <span className="muted">{s.code}</span> —{' '}
                  <StatusShape shape={statusOf(s.status).shape} className={`status-${statusOf(s.status).className}`} /> {statusOf(s.status).label}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
