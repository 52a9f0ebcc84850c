// Pricing lookups shared by the pages.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { PriceZone, PricingWindow } from './types';

// The windows from today on (the one in force first).
export function useWindowsAhead(count = 8) {
  return useQuery({
    queryKey: ['pricing', 'windows', 'ahead', count],
    queryFn: () => api.get<PricingWindow[]>('/api/v1/pricing/windows', { count }),
  });
}

export function useZones() {
  return useQuery({
    queryKey: ['pricing', 'zones'],
    queryFn: () => api.all<PriceZone>('/api/v1/pricing/zones'),
    staleTime: 5 * 60_000,
  });
}
