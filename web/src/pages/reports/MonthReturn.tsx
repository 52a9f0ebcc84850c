// A month's return (the NPA sales and stock returns, the VAT return) for the filter's station or
// all of them: its download buttons, then the API's preview with its loading, error and empty states.
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { QueryView } from '../../components/States';
import { DownloadButtons } from './DownloadButtons';
import type { ReportFilter } from './ReportsSection';

export function MonthReturn<T>({
  name,
  path,
  what,
  filter,
  isEmpty,
  empty,
  loadingLabel,
  children,
}: {
  name: string; // the query's and the downloaded file's name: "npa-sales" -> npa-sales-2026-11.csv
  path: string;
  what: string; // "the NPA sales return": read out with each button, with the month
  filter: ReportFilter;
  isEmpty: (report: T) => boolean;
  empty: ReactNode;
  loadingLabel: string;
  children: (report: T) => ReactNode;
}) {
  const q = { month: filter.month, station: filter.station || undefined };
  const report = useQuery({
    queryKey: ['reports', name, q],
    queryFn: () => api.get<T>(path, q),
  });
  return (
    <>
      <DownloadButtons path={path} query={q} what={`${what} ${filter.month}`} fallbackName={`${name}-${filter.month}`} />
      <QueryView query={report} isEmpty={isEmpty} empty={empty} loadingLabel={loadingLabel}>
        {children}
      </QueryView>
    </>
  );
}
