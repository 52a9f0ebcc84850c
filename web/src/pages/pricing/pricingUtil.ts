// Small exact helpers of the pricing pages: pesewas <-> cedis, months, windows, labels.
import { formatDecimal, groupThousands, parseDecimal } from '../../lib/decimal';
import { CEDI } from '../../lib/format';

// "479.5038" pesewas per unit -> "GH₵ 4.795038" (exact: 4 decimals of a pesewa are 6 of a cedi).
export function pesewasToCedis(pesewas: string): string {
  return formatDecimal(parseDecimal(pesewas, 4), 6);
}

// Pesewas with NPA's 4 decimals and thousands separators: "1,234.5000".
export function formatPesewas(pesewas: string | null | undefined): string {
  if (pesewas === null || pesewas === undefined || pesewas === '') return '—';
  return groupThousands(formatDecimal(parseDecimal(pesewas, 4), 4)).replace(/^-/, '−');
}

// A station price (GH₵ per unit, up to 6 decimals) shown with at least 2 and at most 6 decimals.
export function formatPrice(price: string | null | undefined): string {
  if (price === null || price === undefined || price === '') return '—';
  const exact = formatDecimal(parseDecimal(price, 6), 6);
  const negative = exact.startsWith('-');
  const [whole, frac] = (negative ? exact.slice(1) : exact).split('.');
  const trimmed = frac.replace(/0+$/, '').padEnd(2, '0');
  return `${negative ? '−' : ''}${CEDI} ${groupThousands(whole)}.${trimmed}`;
}

// "2026-11" -> the month after / before.
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function monthLabel(month: string): string {
  const d = new Date(`${month}-01T12:00:00Z`);
  return new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
}

export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

// 0 = Monday ... 6 = Sunday.
export function weekdayMondayFirst(date: string): number {
  return (new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7;
}

export const STATUS_LABEL: Record<string, string> = {
  open: 'Open',
  proposed: 'Proposed',
  approved: 'Approved',
  scheduled: 'Scheduled',
  in_force: 'In force',
  closed: 'Closed',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};

export function statusBadgeClass(status: string): string {
  switch (status) {
    case 'approved':
    case 'scheduled':
    case 'in_force':
      return 'badge badge-ok';
    case 'proposed':
    case 'open':
      return 'badge badge-warn';
    case 'rejected':
    case 'closed':
      return 'badge badge-bad';
    default:
      return 'badge badge-off';
  }
}

export const KIND_LABEL: Record<string, string> = {
  ex_refinery: 'Ex-refinery',
  tax: 'Tax',
  levy: 'Levy',
  regulated_margin: 'Regulated margin',
  omc_margin: "OMC's margin",
  dealer_margin: "Dealer's margin",
};

export const SUBTOTAL_LABEL: Record<string, string> = {
  ex_refinery: 'Ex-refinery price',
  ex_depot: 'Ex-depot price',
  ex_pump: 'Ex-pump price',
};

// Time left until `iso` from `now`, in words ("2 days 3 h", "45 min"); null once passed.
export function timeLeft(iso: string, now: Date = new Date()): string | null {
  const ms = new Date(iso).getTime() - now.getTime();
  if (ms <= 0) return null;
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days} day${days === 1 ? '' : 's'}${hours ? ` ${hours} h` : ''}`;
  if (hours > 0) return `${hours} h ${minutes % 60} min`;
  return `${minutes} min`;
}
