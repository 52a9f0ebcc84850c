// `/stations`: every station the user can see, with its status and open alerts from today's
// overview (refreshed live).
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { api } from '../../api/client';
import type { Station } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { DataTable } from '../../components/DataTable';
import { Card, PageHeader } from '../../components/Page';
import { ErrorState, QueryView } from '../../components/States';
import { ghanaToday } from '../../lib/format';
import { LIVE_INTERVAL_MS, useStations } from '../../lib/queries';
import { useOverview } from '../overview/api';
import { STATUS_ORDER, StatusBadge } from '../overview/status';
import type { OverviewStation } from '../overview/types';

interface Region {
  id: string;
  code: string;
  name: string;
}

export const MODEL_LABEL: Record<string, string> = { coco: 'Company owned, company operated', codo: 'Company owned, dealer operated', dodo: 'Dealer owned, dealer operated' };

interface Row {
  station: Station;
  region: string;
  status: OverviewStation | undefined;
}

export function useRegions() {
  const { can } = useAuth();
  return useQuery({
    queryKey: ['regions'],
    queryFn: () => api.all<Region>('/api/v1/regions'),
    staleTime: 5 * 60_000,
    enabled: can('org.read'),
  });
}

export function StationsList() {
  const stations = useStations();
  const overview = useOverview(ghanaToday(), true);
  const regions = useRegions();
  const regionName = useMemo(() => new Map((regions.data ?? []).map((r) => [r.id, r.name])), [regions.data]);
  const statusById = useMemo(() => new Map((overview.data?.stations ?? []).map((s) => [s.id, s])), [overview.data]);

  const columns = useMemo<ColumnDef<Row, any>[]>(
    () => [
      { id: 'code', accessorFn: (r) => r.station.code, header: 'Code' },
      {
        id: 'name',
        accessorFn: (r) => r.station.name,
        header: 'Name',
        cell: (c) => <Link to={`/stations/${c.row.original.station.id}`}>{c.row.original.station.name}</Link>,
      },
      { id: 'region', accessorFn: (r) => r.region, header: 'Region' },
      {
        id: 'model',
        accessorFn: (r) => r.station.operating_model,
        header: 'Model',
        cell: (c) => <abbr title={MODEL_LABEL[String(c.getValue()).toLowerCase()] ?? ''}>{String(c.getValue()).toUpperCase()}</abbr>,
      },
      {
        id: 'status',
        // Sorted worst first: offline, variance, stock low, ok, inactive/unknown.
        accessorFn: (r) => (r.status ? STATUS_ORDER.indexOf(r.status.status) : r.station.active ? 8 : 9),
        header: 'Status',
        cell: (c) => {
          const r = c.row.original;
          if (!r.station.active) return <span className="badge badge-off">Inactive</span>;
          if (r.status) return <StatusBadge status={r.status.status} />;
          return <span className="muted">{overview.isPending ? 'Loading…' : '—'}</span>;
        },
      },
      {
        id: 'alerts',
        accessorFn: (r) => r.status?.open_alerts ?? -1,
        header: 'Open alerts',
        meta: { numeric: true },
        cell: (c) => (c.row.original.status ? c.row.original.status.open_alerts : '—'),
      },
    ],
    [overview.isPending],
  );

  return (
    <div>
      <PageHeader title="Stations" subtitle={`Status and open alerts as of now; refreshed every ${LIVE_INTERVAL_MS / 1000} s.`} />
      <Card>
        {overview.isError && (
          <ErrorState error={overview.error} onRetry={() => overview.refetch()} />
        )}
        <QueryView query={stations} loadingLabel="Loading the stations…" empty="No stations in your scope.">
          {(list) => (
            <DataTable
              data={list.map((s) => ({ station: s, region: regionName.get(s.region_id) ?? '—', status: statusById.get(s.id) }))}
              columns={columns}
              caption="Stations"
              filterPlaceholder="Filter by code, name, region…"
              getRowId={(r) => r.station.id}
              initialSorting={[{ id: 'code', desc: false }]}
            />
          )}
        </QueryView>
      </Card>
    </div>
  );
}
