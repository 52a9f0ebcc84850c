// A station's page in one request (GET /api/v1/stations/{id}/summary), polled so recent sales
// and the open shift stay current.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { LIVE_INTERVAL_MS } from '../../lib/queries';
import type { StationSummary } from './types';

export function useStationSummary(id: string) {
  return useQuery({
    queryKey: ['stations', id, 'summary'],
    queryFn: () => api.get<StationSummary>(`/api/v1/stations/${encodeURIComponent(id)}/summary`),
    refetchInterval: LIVE_INTERVAL_MS,
  });
}
