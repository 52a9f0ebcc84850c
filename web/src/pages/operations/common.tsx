// What the operations forms share: the station picker (the stations the caller's scope holds),
// the station's equipment, and a submission that keeps one Idempotency-Key until it succeeds.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { api, ApiError, newIdempotencyKey } from '../../api/client';
import { FormError, SelectField } from '../../components/Form';
import { formatLitres } from '../../lib/format';
import { useProducts, useStations, byId } from '../../lib/queries';
import type { Nozzle, Pump, Tank } from './types';

export function useStationChoice() {
  const stations = useStations();
  const active = useMemo(() => (stations.data ?? []).filter((s) => s.active), [stations.data]);
  const [stationId, setStationId] = useState('');
  // One station in scope (a station's manager): it is chosen already.
  useEffect(() => {
    if (!stationId && active.length === 1) setStationId(active[0].id);
  }, [active, stationId]);
  return { stations, active, stationId, setStationId };
}

export function StationSelect({
  choice,
  error,
}: {
  choice: ReturnType<typeof useStationChoice>;
  error?: string;
}) {
  return (
    <SelectField
      label="Station"
      value={choice.stationId}
      onChange={(e) => choice.setStationId(e.target.value)}
      placeholder={choice.stations.isPending ? 'Loading stations…' : 'Choose a station'}
      options={choice.active.map((s) => ({ value: s.id, label: `${s.code} — ${s.name}` }))}
      error={error}
      required
    />
  );
}

export function useTanks(stationId: string) {
  return useQuery({
    queryKey: ['tanks', stationId],
    queryFn: () => api.all<Tank>('/api/v1/tanks', { station_id: stationId }),
    enabled: !!stationId,
  });
}

// What a form on one tank of a station starts from: the station chosen, its tanks, the tank chosen,
// the query cache to refresh and the submission's key.
export function useTankForm() {
  const choice = useStationChoice();
  const tanks = useTanks(choice.stationId);
  const [tankId, setTankId] = useState('');
  return { choice, stationId: choice.stationId, tanks, tankId, setTankId, qc: useQueryClient(), key: useSubmissionKey() };
}

// The tank picker of a station's form: the active tanks by code and product, the chosen one's stock.
export function TankSelect({
  tanks,
  value,
  onChange,
  error,
}: {
  tanks: UseQueryResult<Tank[]>;
  value: string;
  onChange: (tankId: string) => void;
  error?: string;
}) {
  const productName = useProductNames();
  const tank = tanks.data?.find((t) => t.id === value);
  return (
    <SelectField
      label="Tank"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      placeholder={tanks.isPending ? 'Loading tanks…' : 'Choose a tank'}
      options={(tanks.data ?? []).filter((t) => t.active).map((t) => ({ value: t.id, label: `${t.code} — ${productName(t.product_id)}` }))}
      hint={tank ? `Book stock ${formatLitres(tank.book_stock)}, safe fill ${formatLitres(tank.safe_fill)}` : undefined}
      error={error}
    />
  );
}

export function useEquipment(stationId: string) {
  const pumps = useQuery({
    queryKey: ['pumps', stationId],
    queryFn: () => api.all<Pump>('/api/v1/pumps', { station_id: stationId }),
    enabled: !!stationId,
  });
  const nozzles = useQuery({
    queryKey: ['nozzles', stationId],
    queryFn: () => api.all<Nozzle>('/api/v1/nozzles', { station_id: stationId }),
    enabled: !!stationId,
  });
  return { pumps, nozzles };
}

export function useProductNames() {
  const products = useProducts();
  const map = byId(products.data);
  return (id: string) => {
    const p = map.get(id);
    return p ? `${p.code}` : id.slice(0, 8);
  };
}

// One Idempotency-Key per submission: the same body sent again (a retry after a lost answer or
// a network error) keeps its key, so the API answers the first result instead of recording twice;
// a changed body (the user corrected a field the API refused) is a new submission with a new key
// (the API refuses a key reused with a different request). Renewed after a success.
export function useSubmissionKey() {
  const last = useRef<{ body: string; key: string } | null>(null);
  return {
    for(body: unknown): string {
      const text = JSON.stringify(body);
      if (!last.current || last.current.body !== text) last.current = { body: text, key: newIdempotencyKey() };
      return last.current.key;
    },
    renew() {
      last.current = null;
    },
  };
}

export function StationLink({ stationId, children }: { stationId: string; children?: React.ReactNode }) {
  return <Link to={`/stations/${stationId}`}>{children ?? 'Open the station page'}</Link>;
}

// Empty text is "missing"; anything else must be a plain decimal with at most `decimals`.
export function decimalProblem(text: string, decimals: number, required = true): string | undefined {
  const t = text.trim();
  if (t === '') return required ? 'is required' : undefined;
  const pattern = decimals === 0 ? /^\d+$/ : new RegExp(`^\\d+(\\.\\d{1,${decimals}})?$`);
  if (!pattern.test(t)) {
    return decimals === 0 ? 'must be a whole number' : `must be a number with at most ${decimals} decimals`;
  }
  return undefined;
}

// The failed submission's message: when the API named only fields the form shows (each by its
// field already), a plain "nothing was recorded" instead of the API's generic "invalid request".
export function SubmitError({ error, shownFields }: { error: unknown; shownFields: string[] }) {
  if (!error) return null;
  if (error instanceof ApiError && error.details.length > 0 && error.details.every((d) => shownFields.includes(d.field))) {
    const n = error.details.length;
    return (
      <div className="form-error" role="alert">
        Nothing was recorded: correct the {n === 1 ? 'field' : `${n} fields`} marked above.
      </div>
    );
  }
  return <FormError error={error} shownFields={shownFields} />;
}
