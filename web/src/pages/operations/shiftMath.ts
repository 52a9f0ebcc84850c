// The cash-up preview of a shift's close, computed exactly as the API's shift report does
// (src/domains/forecourt/shifts.cpp BuildShiftReport), because the API has no route that previews
// a close: per nozzle meter litres = closing − opening totalizer; its value = litres × the price in
// force (rounded half up to the pesewa, per nozzle); per attendant the money expected = the value
// of the nozzles of their pumps less what they sold on account or by voucher (no money comes in
// for those); variance = cash + MoMo + card handed over − expected (negative: short).
// All on BigInt: thousandths of a litre, 10⁻⁶ GH₵ for prices, pesewas for money.
import { formatDecimal, parseDecimal } from '../../lib/decimal';

const QTY = 3;
const MONEY = 2;
const PRICE = 6;

export function isDecimal(text: string, maxDecimals: number): boolean {
  return new RegExp(`^\\d+(\\.\\d{1,${maxDecimals}})?$`).test(text.trim());
}

// closing − opening, in litres with 3 decimals ("" when the closing is not a number yet).
export function meterLitres(opening: string, closing: string): string {
  if (!isDecimal(closing, QTY)) return '';
  return formatDecimal(parseDecimal(closing, QTY) - parseDecimal(opening, QTY), QTY);
}

// litres × unit price, half up to the pesewa (the API's AmountForVolume with kHalfUp).
export function meterValue(litres: string, unitPrice: string | null | undefined): string {
  if (!unitPrice || litres === '') return '0.00';
  const product = parseDecimal(litres, QTY) * parseDecimal(unitPrice, PRICE); // 10⁻⁹ GH₵
  const step = 10n ** BigInt(QTY + PRICE - MONEY);
  const half = step / 2n;
  const pesewas = product >= 0n ? (product + half) / step : -((-product + half) / step);
  return formatDecimal(pesewas, MONEY);
}

export interface NozzleReading {
  nozzle_id: string;
  pump_id: string;
  product_id: string;
  opening: string;
  closing: string;
}

export interface Collected {
  cash: string;
  momo: string;
  card: string;
}

export interface AttendantPreview {
  attendant_id: string;
  meter_value: string;
  not_money: string; // account + voucher sales
  expected: string;
  collected: string;
  variance: string;
}

export interface NozzlePreview {
  nozzle_id: string;
  litres: string;
  unit_price: string | null;
  value: string;
}

export interface ClosePreview {
  nozzles: NozzlePreview[];
  attendants: AttendantPreview[];
  expected: string;
  collected: string;
  variance: string;
}

export function previewClose(args: {
  readings: NozzleReading[];
  attendantOfPump: Record<string, string>;
  priceOfProduct: Record<string, string | null>;
  recordedByPayment: Record<string, Record<string, string>>; // attendant -> method -> amount
  collected: Record<string, Collected>; // attendant -> handed over
}): ClosePreview {
  const meterOf: Record<string, bigint> = {};
  const nozzles: NozzlePreview[] = args.readings.map((r) => {
    const litres = meterLitres(r.opening, r.closing);
    const price = args.priceOfProduct[r.product_id] ?? null;
    const value = meterValue(litres, price);
    const attendant = args.attendantOfPump[r.pump_id];
    if (attendant) meterOf[attendant] = (meterOf[attendant] ?? 0n) + parseDecimal(value, MONEY);
    return { nozzle_id: r.nozzle_id, litres, unit_price: price, value };
  });
  const people = new Set<string>([...Object.values(args.attendantOfPump), ...Object.keys(args.collected)]);
  let expectedTotal = 0n;
  let collectedTotal = 0n;
  const attendants = [...people].sort().map((id) => {
    const byMethod = args.recordedByPayment[id] ?? {};
    const notMoney = parseDecimal(byMethod.account, MONEY) + parseDecimal(byMethod.voucher, MONEY);
    const expected = (meterOf[id] ?? 0n) - notMoney;
    const c = args.collected[id] ?? { cash: '', momo: '', card: '' };
    const collected = [c.cash, c.momo, c.card].reduce(
      (sum, v) => sum + (isDecimal(v, MONEY) ? parseDecimal(v, MONEY) : 0n),
      0n,
    );
    expectedTotal += expected;
    collectedTotal += collected;
    return {
      attendant_id: id,
      meter_value: formatDecimal(meterOf[id] ?? 0n, MONEY),
      not_money: formatDecimal(notMoney, MONEY),
      expected: formatDecimal(expected, MONEY),
      collected: formatDecimal(collected, MONEY),
      variance: formatDecimal(collected - expected, MONEY),
    };
  });
  return {
    nozzles,
    attendants,
    expected: formatDecimal(expectedTotal, MONEY),
    collected: formatDecimal(collectedTotal, MONEY),
    variance: formatDecimal(collectedTotal - expectedTotal, MONEY),
  };
}

// "short", "over" or "balanced", for a variance in GH₵.
export function varianceWord(variance: string): 'short' | 'over' | 'balanced' {
  const v = parseDecimal(variance, MONEY);
  return v < 0n ? 'short' : v > 0n ? 'over' : 'balanced';
}
