// Record a tank dip. While the reading is typed, the volumes (gross, water, net observed and the
// net litres at the reference temperature) are asked of GET /api/v1/tanks/{id}/dip-volume, which
// computes them with the same code the recording uses, ~300 ms after the last keystroke.
import { useEffect, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { Card } from '../../components/Page';
import { FormError, SelectField, TextField, fieldError, useSubmission } from '../../components/Form';
import { Empty } from '../../components/States';
import { formatDateTime, formatLitres } from '../../lib/format';
import { StationLink, StationSelect, SubmitError, TankSelect, decimalProblem, useTankForm } from './common';
import type { Dip, DipVolume } from './types';

export const DIP_DEBOUNCE_MS = 300;

export const PURPOSES = [
  { value: 'routine', label: 'Routine' },
  { value: 'opening', label: 'Opening (start of day)' },
  { value: 'closing', label: 'Closing (end of day)' },
  { value: 'before_delivery', label: 'Before a delivery' },
  { value: 'after_delivery', label: 'After a delivery' },
];

export interface DipReadingInput {
  height_mm: string;
  water_height_mm: string;
  temperature: string;
  density15: string;
}

// The reading's problems found before asking the API (the API checks the rest, e.g. the chart's top).
export function readingProblems(r: DipReadingInput): Record<string, string> {
  const out: Record<string, string> = {};
  const h = decimalProblem(r.height_mm, 0);
  if (h) out.height_mm = h;
  const w = decimalProblem(r.water_height_mm, 0);
  if (w) out.water_height_mm = w;
  const t = r.temperature.trim();
  if (t === '') out.temperature = 'is required';
  else if (!/^-?\d+(\.\d{1,2})?$/.test(t)) out.temperature = 'must be a number with at most 2 decimals';
  const d = decimalProblem(r.density15, 1, false);
  if (d) out.density15 = d;
  return out;
}

// The value once it has stopped changing for `ms` (compared by its JSON text, so a new object
// with the same fields is the same value).
function useDebounced<T>(value: T, ms: number): T {
  const text = JSON.stringify(value);
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const t = setTimeout(() => setSettled(text), ms);
    return () => clearTimeout(t);
  }, [text, ms]);
  return useMemo(() => JSON.parse(settled) as T, [settled]);
}

export function DipPage() {
  const { choice, stationId, tanks, tankId, setTankId, qc, key } = useTankForm();
  const [purpose, setPurpose] = useState('routine');
  const [reading, setReading] = useState<DipReadingInput>({ height_mm: '', water_height_mm: '0', temperature: '', density15: '' });
  const form = useSubmission();
  const [recorded, setRecorded] = useState<Dip | null>(null);

  const debounced = useDebounced({ tankId, ...reading }, DIP_DEBOUNCE_MS);
  const typedProblems = readingProblems(debounced);
  const canPreview = !!debounced.tankId && Object.keys(typedProblems).length === 0;
  const preview = useQuery({
    queryKey: ['dip-volume', debounced],
    queryFn: () =>
      api.get<DipVolume>(`/api/v1/tanks/${debounced.tankId}/dip-volume`, {
        height_mm: debounced.height_mm.trim(),
        water_height_mm: debounced.water_height_mm.trim(),
        temperature: debounced.temperature.trim(),
        density15: debounced.density15.trim() || undefined,
      }),
    enabled: canPreview,
    retry: false,
    staleTime: 60_000,
  });
  const previewError = canPreview && preview.isError ? preview.error : null;
  const settled = debounced.tankId === tankId && JSON.stringify(debounced) === JSON.stringify({ tankId, ...reading });

  const set = (k: keyof DipReadingInput) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setReading({ ...reading, [k]: e.target.value });
    form.clearChecks();
  };

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const problems = readingProblems(reading);
    if (!tankId) problems.tank_id = 'choose a tank';
    await form.run(problems, async () => {
      const body = {
        tank_id: tankId,
        purpose,
        height_mm: Number(reading.height_mm.trim()),
        water_height_mm: Number(reading.water_height_mm.trim()),
        temperature: reading.temperature.trim(),
        ...(reading.density15.trim() ? { density15: reading.density15.trim() } : {}),
      };
      const dip = await api.post<Dip>('/api/v1/dips', body, key.for(body));
      key.renew();
      setRecorded(dip);
      setReading({ height_mm: '', water_height_mm: '0', temperature: '', density15: '' });
      await qc.invalidateQueries({ queryKey: ['dips'] });
      await qc.invalidateQueries({ queryKey: ['tanks', stationId] });
    });
  }
  // Errors by the field: what the form found, what recording said, and what the conversion said.
  const err = (field: string) => form.err(field) ?? fieldError(previewError, field);
  return (
    <div className="ops-form">
      <form onSubmit={submit} noValidate aria-label="Record a dip">
        <Card title="Record a dip">
          <StationSelect choice={choice} />
          {!stationId ? (
            <Empty>Choose a station to dip one of its tanks.</Empty>
          ) : (
            <>
              <div className="form-row">
                <TankSelect
                  tanks={tanks}
                  value={tankId}
                  onChange={(id) => {
                    setTankId(id);
                    form.clearChecks();
                  }}
                  error={err('tank_id')}
                />
                <SelectField label="Purpose" value={purpose} onChange={(e) => setPurpose(e.target.value)} options={PURPOSES} error={err('purpose')} />
              </div>
              {tanks.isError && <FormError error={tanks.error} />}
              <div className="form-row">
                <TextField label="Product level (mm)" inputMode="numeric" value={reading.height_mm} onChange={set('height_mm')} error={err('height_mm')} />
                <TextField label="Water level (mm)" inputMode="numeric" value={reading.water_height_mm} onChange={set('water_height_mm')} error={err('water_height_mm')} />
                <TextField label="Temperature (°C)" inputMode="decimal" value={reading.temperature} onChange={set('temperature')} error={err('temperature')} />
                <TextField
                  label="Density at 15 °C (kg/m³, optional)"
                  inputMode="decimal"
                  value={reading.density15}
                  onChange={set('density15')}
                  hint="Leave empty to use the product's density."
                  error={err('density15')}
                />
              </div>
              <DipFigures
                figures={canPreview && preview.data ? preview.data : null}
                pending={canPreview && (preview.isFetching || !settled)}
                problem={previewError && !fieldErrorNamed(previewError) ? previewError : null}
                invalid={!!previewError}
              />
              <SubmitError error={form.error} shownFields={['tank_id', 'purpose', 'height_mm', 'water_height_mm', 'temperature', 'density15']} />
              <button type="submit" className="btn btn-primary" disabled={form.busy}>
                {form.busy ? 'Recording…' : 'Record the dip'}
              </button>
            </>
          )}
        </Card>
      </form>
      {recorded && (
        <div className="form-success" role="status" aria-label="Dip recorded">
          Dip recorded at {formatDateTime(recorded.taken_at)}: gross {formatLitres(recorded.gross, 3)}, water{' '}
          {formatLitres(recorded.water, 3)}, net at {recorded.reference_temperature} °C{' '}
          <strong data-testid="recorded-standard" data-litres={recorded.standard}>
            {formatLitres(recorded.standard, 3)}
          </strong>{' '}
          (VCF {recorded.vcf}). <StationLink stationId={recorded.station_id} />
        </div>
      )}
    </div>
  );
}

function fieldErrorNamed(error: unknown): boolean {
  return ['height_mm', 'water_height_mm', 'temperature', 'density15', 'tank_id'].some((f) => fieldError(error, f));
}

function DipFigures({ figures, pending, problem, invalid }: { figures: DipVolume | null; pending: boolean; problem: unknown; invalid: boolean }) {
  return (
    <div className="dip-figures" aria-live="polite" aria-busy={pending}>
      <dl>
        <div>
          <dt>Gross observed</dt>
          <dd>{figures ? formatLitres(figures.gross, 3) : '—'}</dd>
        </div>
        <div>
          <dt>Water</dt>
          <dd>{figures ? formatLitres(figures.water, 3) : '—'}</dd>
        </div>
        <div>
          <dt>Net observed</dt>
          <dd>{figures ? formatLitres(figures.net_observed, 3) : '—'}</dd>
        </div>
        <div className="dip-net">
          <dt>Net at {figures ? figures.reference_temperature : '15.00'} °C</dt>
          <dd data-testid="net-litres" data-litres={figures?.standard ?? ''}>
            {figures ? formatLitres(figures.standard, 3) : '—'}
          </dd>
        </div>
      </dl>
      <p className="muted small">
        {pending
          ? 'Computing…'
          : figures
            ? `VCF ${figures.vcf}, density ${figures.density15} kg/m³ at 15 °C; computed by the API as recording will.`
            : invalid
              ? 'No volumes: correct the field marked above.'
              : 'Type the tank, levels and temperature to see the volumes.'}
      </p>
      {problem ? <FormError error={problem} /> : null}
    </div>
  );
}
