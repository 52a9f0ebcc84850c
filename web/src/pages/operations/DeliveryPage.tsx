// Record a delivery received into a tank, as POST /api/v1/deliveries takes it: the waybill and
// BRV, the compartments loaded (adding up to the loaded volume), the loading temperature and
// density, and the tank's dips before and after the drop. Field errors from the API show by the
// field they name, compartments included.
import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { Card } from '../../components/Page';
import { FormError, SelectField, TextField, useSubmission } from '../../components/Form';
import { Empty } from '../../components/States';
import { addDecimals } from '../../lib/decimal';
import { formatCedis, formatDateTime, formatLitres, ghanaToday } from '../../lib/format';
import { StationLink, StationSelect, SubmitError, TankSelect, decimalProblem, useTankForm } from './common';
import type { Delivery, Dip } from './types';

interface Compartment {
  number: string;
  volume: string;
}

const TEXT_FIELDS = [
  ['waybill_no', 'Waybill number'],
  ['supplier', 'Supplier (BDC)'],
  ['depot', 'Loading depot'],
  ['transporter', 'Transporter'],
  ['brv_registration', 'BRV registration'],
  ['driver_name', 'Driver'],
] as const;

type TextKey = (typeof TEXT_FIELDS)[number][0];

// "2026-11-22T08:30" typed in Ghana time (UTC+0 all year) -> RFC 3339 UTC.
export function ghanaLocalToIso(local: string): string {
  return local ? `${local.length === 16 ? local + ':00' : local}Z` : '';
}

function nowLocal(): string {
  return new Date().toISOString().slice(0, 16);
}

export function DeliveryPage() {
  const { choice, stationId, tanks, tankId, setTankId, qc, key } = useTankForm();
  const [text, setText] = useState<Record<TextKey, string>>({
    waybill_no: '',
    supplier: '',
    depot: '',
    transporter: '',
    brv_registration: '',
    driver_name: '',
  });
  const [compartments, setCompartments] = useState<Compartment[]>([{ number: '1', volume: '' }]);
  const [loadedVolume, setLoadedVolume] = useState('');
  const [loadedAt, setLoadedAt] = useState(`${ghanaToday()}T06:00`);
  const [deliveredAt, setDeliveredAt] = useState(nowLocal());
  const [temperature, setTemperature] = useState('');
  const [density, setDensity] = useState('');
  const [dipBefore, setDipBefore] = useState('');
  const [dipAfter, setDipAfter] = useState('');
  const [salesDuring, setSalesDuring] = useState('');
  const [claimPrice, setClaimPrice] = useState('');
  const [unitCost, setUnitCost] = useState('');
  const form = useSubmission();
  const [recorded, setRecorded] = useState<Delivery | null>(null);

  const dips = useQuery({
    queryKey: ['dips', 'tank', tankId],
    queryFn: () => api.all<Dip>('/api/v1/dips', { tank_id: tankId }),
    enabled: !!tankId,
  });
  const recent = useMemo(() => [...(dips.data ?? [])].sort((a, b) => b.taken_at.localeCompare(a.taken_at)), [dips.data]);
  const dipOptions = (purpose: string) =>
    recent
      .filter((d) => d.purpose === purpose)
      .slice(0, 15)
      .map((d) => ({ value: d.id, label: `${formatDateTime(d.taken_at)} — ${d.height_mm} mm, ${formatLitres(d.gross)} gross` }));
  const compartmentSum = addDecimals(
    compartments.map((c) => (decimalProblem(c.volume, 3) ? '0' : c.volume.trim())),
    3,
  );

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!tankId) problems.tank_id = 'choose a tank';
    for (const [k] of TEXT_FIELDS) if (!text[k].trim()) problems[k] = 'is required';
    compartments.forEach((c, i) => {
      const n = decimalProblem(c.number, 0);
      if (n) problems[`compartments[${i}].number`] = n;
      const v = decimalProblem(c.volume, 3);
      if (v) problems[`compartments[${i}].volume`] = v;
    });
    const lv = decimalProblem(loadedVolume, 3);
    if (lv) problems.loaded_volume = lv;
    if (!/^-?\d+(\.\d{1,2})?$/.test(temperature.trim())) problems.loading_temperature = 'must be a number with at most 2 decimals';
    const dn = decimalProblem(density, 1);
    if (dn) problems.density15 = dn;
    if (!dipBefore) problems.dip_before_id = 'choose the dip taken before the drop';
    if (!dipAfter) problems.dip_after_id = 'choose the dip taken after the drop';
    if (!loadedAt) problems.loaded_at = 'is required';
    if (!deliveredAt) problems.delivered_at = 'is required';
    for (const [k, v, d] of [
      ['sales_during', salesDuring, 3],
      ['claim_unit_price', claimPrice, 6],
      ['unit_cost', unitCost, 6],
    ] as const) {
      const p = decimalProblem(v, d, false);
      if (p) problems[k] = p;
    }
    await form.run(problems, async () => {
      const body: Record<string, unknown> = {
        tank_id: tankId,
        ...Object.fromEntries(TEXT_FIELDS.map(([k]) => [k, text[k].trim()])),
        compartments: compartments.map((c) => ({ number: Number(c.number.trim()), volume: c.volume.trim() })),
        loaded_volume: loadedVolume.trim(),
        loaded_at: ghanaLocalToIso(loadedAt),
        delivered_at: ghanaLocalToIso(deliveredAt),
        loading_temperature: temperature.trim(),
        density15: density.trim(),
        dip_before_id: dipBefore,
        dip_after_id: dipAfter,
      };
      if (salesDuring.trim()) body.sales_during = salesDuring.trim();
      if (claimPrice.trim()) body.claim_unit_price = claimPrice.trim();
      if (unitCost.trim()) body.unit_cost = unitCost.trim();
      const delivery = await api.post<Delivery>('/api/v1/deliveries', body, key.for(body));
      key.renew();
      setRecorded(delivery);
      await qc.invalidateQueries({ queryKey: ['tanks', stationId] });
    });
  }

  const err = form.err;
  const shown = [
    'tank_id',
    ...TEXT_FIELDS.map(([k]) => k),
    'compartments',
    ...compartments.flatMap((_, i) => [`compartments[${i}].number`, `compartments[${i}].volume`, `compartments[${i}].product_id`]),
    'loaded_volume',
    'loaded_at',
    'delivered_at',
    'loading_temperature',
    'density15',
    'dip_before_id',
    'dip_after_id',
    'sales_during',
    'claim_unit_price',
    'unit_cost',
  ];
  return (
    <div className="ops-form">
      <form onSubmit={submit} noValidate aria-label="Record a delivery">
        <Card title="Record a delivery">
          <StationSelect choice={choice} />
          {!stationId ? (
            <Empty>Choose a station to record a delivery into one of its tanks.</Empty>
          ) : (
            <>
              <TankSelect
                tanks={tanks}
                value={tankId}
                onChange={(id) => {
                  setTankId(id);
                  setDipBefore('');
                  setDipAfter('');
                }}
                error={err('tank_id')}
              />
              <h3>Waybill</h3>
              <div className="form-row">
                {TEXT_FIELDS.map(([k, label]) => (
                  <TextField key={k} label={label} value={text[k]} onChange={(e) => setText({ ...text, [k]: e.target.value })} error={err(k)} />
                ))}
                <TextField label="Loaded at (Ghana time)" type="datetime-local" value={loadedAt} onChange={(e) => setLoadedAt(e.target.value)} error={err('loaded_at')} />
                <TextField label="Delivered at (Ghana time)" type="datetime-local" value={deliveredAt} onChange={(e) => setDeliveredAt(e.target.value)} error={err('delivered_at')} />
              </div>
              <h3>Compartments</h3>
              {err('compartments') && (
                <div className="field-error" role="alert">
                  {err('compartments')}
                </div>
              )}
              {compartments.map((c, i) => (
                <div className="form-row compartment" key={i}>
                  <TextField
                    label={`Compartment ${i + 1} number`}
                    inputMode="numeric"
                    value={c.number}
                    onChange={(e) => setCompartments(compartments.map((x, j) => (j === i ? { ...x, number: e.target.value } : x)))}
                    error={err(`compartments[${i}].number`)}
                  />
                  <TextField
                    label={`Compartment ${i + 1} volume (litres)`}
                    inputMode="decimal"
                    value={c.volume}
                    onChange={(e) => setCompartments(compartments.map((x, j) => (j === i ? { ...x, volume: e.target.value } : x)))}
                    error={err(`compartments[${i}].volume`) ?? err(`compartments[${i}].product_id`)}
                  />
                  <div className="compartment-actions">
                    {compartments.length > 1 && (
                      <button type="button" className="btn btn-quiet" onClick={() => setCompartments(compartments.filter((_, j) => j !== i))}>
                        Remove compartment {i + 1}
                      </button>
                    )}
                  </div>
                </div>
              ))}
              {compartments.length < 12 && (
                <button
                  type="button"
                  className="btn"
                  onClick={() => setCompartments([...compartments, { number: String(compartments.length + 1), volume: '' }])}
                >
                  Add a compartment
                </button>
              )}
              <div className="form-row">
                <TextField
                  label="Loaded volume (litres, ambient at the gantry)"
                  inputMode="decimal"
                  value={loadedVolume}
                  onChange={(e) => setLoadedVolume(e.target.value)}
                  hint={
                    <>
                      Compartments add up to {formatLitres(compartmentSum, 3)}{' '}
                      <button type="button" className="btn-link" onClick={() => setLoadedVolume(compartmentSum)}>
                        Use this
                      </button>
                    </>
                  }
                  error={err('loaded_volume')}
                />
                <TextField label="Loading temperature (°C)" inputMode="decimal" value={temperature} onChange={(e) => setTemperature(e.target.value)} error={err('loading_temperature')} />
                <TextField label="Density at 15 °C (kg/m³)" inputMode="decimal" value={density} onChange={(e) => setDensity(e.target.value)} error={err('density15')} />
              </div>
              <h3>Dips</h3>
              {dips.isError && <FormError error={dips.error} />}
              <div className="form-row">
                <SelectField
                  label="Dip before the drop"
                  value={dipBefore}
                  onChange={(e) => setDipBefore(e.target.value)}
                  placeholder={!tankId ? 'Choose the tank first' : dips.isPending ? 'Loading dips…' : 'Choose a before-delivery dip'}
                  options={dipOptions('before_delivery')}
                  hint="Record it on the Dip form with the purpose “Before a delivery”."
                  error={err('dip_before_id')}
                />
                <SelectField
                  label="Dip after the drop"
                  value={dipAfter}
                  onChange={(e) => setDipAfter(e.target.value)}
                  placeholder={!tankId ? 'Choose the tank first' : dips.isPending ? 'Loading dips…' : 'Choose an after-delivery dip'}
                  options={dipOptions('after_delivery')}
                  error={err('dip_after_id')}
                />
              </div>
              <h3>Optional</h3>
              <div className="form-row">
                <TextField
                  label="Sold during the drop (litres at 15 °C)"
                  inputMode="decimal"
                  value={salesDuring}
                  onChange={(e) => setSalesDuring(e.target.value)}
                  hint="Default 0"
                  error={err('sales_during')}
                />
                <TextField
                  label="Claim price (GH₵ per litre)"
                  inputMode="decimal"
                  value={claimPrice}
                  onChange={(e) => setClaimPrice(e.target.value)}
                  hint="Default: the station's price at delivery"
                  error={err('claim_unit_price')}
                />
                <TextField
                  label="Unit cost (GH₵ per litre)"
                  inputMode="decimal"
                  value={unitCost}
                  onChange={(e) => setUnitCost(e.target.value)}
                  hint="Default: the ex-depot price of the day's build-up"
                  error={err('unit_cost')}
                />
              </div>
              <SubmitError error={form.error} shownFields={shown} />
              <button type="submit" className="btn btn-primary" disabled={form.busy}>
                {form.busy ? 'Recording…' : 'Record the delivery'}
              </button>
            </>
          )}
        </Card>
      </form>
      {recorded && (
        <div className="form-success" role="status" aria-label="Delivery recorded">
          Delivery {recorded.waybill_no} recorded: loaded {formatLitres(recorded.loaded_standard, 3)} at 15 °C, received{' '}
          <strong data-testid="received-standard">{formatLitres(recorded.received_standard, 3)}</strong>, shortage{' '}
          {formatLitres(recorded.shortage, 3)} (allowance {formatLitres(recorded.allowance, 3)}), claimable{' '}
          {formatLitres(recorded.claimable, 3)} = {formatCedis(recorded.claim_amount)}
          {recorded.uncosted ? '. Uncosted: no ex-depot price, no inventory entry posted' : ''}.{' '}
          <StationLink stationId={recorded.station_id} />
        </div>
      )}
    </div>
  );
}
