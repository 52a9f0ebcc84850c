// How numbers and times are shown: Ghana cedis (GH₵) with thousands separators, litres, dates
// and times in Ghana time (GMT, UTC+0 all year). Inputs are the API's decimal strings.
import { formatDecimal, groupThousands, parseDecimal } from './decimal';

export const CEDI = 'GH₵';
export const GHANA_TIME_ZONE = 'Africa/Accra';

export function formatCedis(amount: string | null | undefined, opts: { sign?: boolean } = {}): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const value = parseDecimal(amount, 2);
  const text = groupThousands(formatDecimal(value < 0n ? -value : value, 2));
  const sign = value < 0n ? '−' : opts.sign && value > 0n ? '+' : '';
  return `${sign}${CEDI} ${text}`;
}

export function formatLitres(quantity: string | null | undefined, digits = 0): string {
  if (quantity === null || quantity === undefined || quantity === '') return '—';
  const text = groupThousands(formatDecimal(parseDecimal(quantity, 3), 3, digits));
  return `${text.replace(/^-/, '−')} L`;
}

export function formatNumber(value: string | number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || value === '') return '—';
  const text = typeof value === 'number' ? value.toFixed(digits) : value;
  return groupThousands(formatDecimal(parseDecimal(text, Math.max(digits, 6)), Math.max(digits, 6), digits)).replace(/^-/, '−');
}

export function formatUnitPrice(price: string | null | undefined): string {
  if (price === null || price === undefined || price === '') return '—';
  return `${CEDI} ${groupThousands(formatDecimal(parseDecimal(price, 4), 4, 4))}`;
}

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: GHANA_TIME_ZONE,
  day: '2-digit',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const dateFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: GHANA_TIME_ZONE,
  day: '2-digit',
  month: 'short',
  year: 'numeric',
});

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTimeFormat.format(d);
}

// "2026-11-22" (a calendar date, no time zone) -> "22 Nov 2026".
export function formatDate(date: string | null | undefined): string {
  if (!date) return '—';
  const d = new Date(`${date.slice(0, 10)}T12:00:00Z`);
  return Number.isNaN(d.getTime()) ? date : dateFormat.format(d);
}

// Today's date in Ghana ("YYYY-MM-DD"); Ghana keeps UTC all year.
export function ghanaToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
