// Lookups most pages need, cached by TanStack Query, and the polling interval of live data.
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Product, StaffMember, Station } from '../api/types';

// Live data (sales, alerts, the overview) is polled every 15 s while the page is visible:
// docs/adr/0016-web-console.md explains why polling is enough.
export const LIVE_INTERVAL_MS = 15_000;

export function useStations() {
  return useQuery({
    queryKey: ['stations'],
    queryFn: () => api.all<Station>('/api/v1/stations'),
    staleTime: 5 * 60_000,
  });
}

export function useProducts() {
  return useQuery({
    queryKey: ['products'],
    queryFn: () => api.all<Product>('/api/v1/products'),
    staleTime: 5 * 60_000,
  });
}

// The people of a station (its attendants and manager, inactive ones too so past shifts keep
// their names): what a manager, who may not list users, sees of them.
export function useStationStaff(stationId: string | undefined) {
  return useQuery({
    queryKey: ['stations', stationId, 'staff'],
    queryFn: () => api.get<StaffMember[]>(`/api/v1/stations/${stationId}/staff`),
    enabled: !!stationId,
    staleTime: 5 * 60_000,
  });
}

// id -> item, for showing names in tables that carry ids.
export function byId<T extends { id: string }>(items: T[] | undefined): Map<string, T> {
  return new Map((items ?? []).map((i) => [i.id, i]));
}
