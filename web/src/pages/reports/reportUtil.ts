import { formatDecimal, groupThousands, parseDecimal } from '../../lib/decimal';

// A quantity with its unit: "12,345.678 L", "2,902.000 kg".
export function formatQuantity(q: string | null | undefined, unit: string): string {
  if (q === null || q === undefined || q === '') return '—';
  return `${groupThousands(formatDecimal(parseDecimal(q, 3), 3)).replace(/^-/, '−')} ${unit}`;
}

// The month before `month` ("2026-01" -> "2025-12").
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

// An amount in cedis without the symbol, for wide tables whose headers say "(GH₵)": "1,234.50".
export function formatMoney(amount: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  return groupThousands(formatDecimal(parseDecimal(amount, 2), 2)).replace(/^-/, '−');
}
