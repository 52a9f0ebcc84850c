// The overview's data: one request (GET /api/v1/dashboard/overview), polled while it shows today.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { LIVE_INTERVAL_MS } from '../../lib/queries';
import type { Overview } from './types';

export function overviewKey(date: string) {
  return ['dashboard', 'overview', date] as const;
}

// `live`: refetch every LIVE_INTERVAL_MS (today's figures move; a past day's hardly do).
export function useOverview(date: string, live: boolean) {
  return useQuery({
    queryKey: overviewKey(date),
    queryFn: () => api.get<Overview>('/api/v1/dashboard/overview', { date }),
    refetchInterval: live ? LIVE_INTERVAL_MS : false,
    placeholderData: keepPreviousData,
  });
}
