// Exact decimal arithmetic on the API's decimal strings ("1234.56", "-0.125"): values are scaled
// BigInts, never floating point, so sums of cedis and litres are exact to the last digit.

export function parseDecimal(text: string | null | undefined, scale: number): bigint {
  if (text === null || text === undefined || text === '') return 0n;
  const match = /^(-)?(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!match) throw new Error(`not a decimal: ${text}`);
  const [, sign, whole = '', frac = ''] = match;
  if (frac.length > scale) {
    // Round half away from zero at `scale` digits.
    const kept = BigInt((whole || '0') + frac.slice(0, scale));
    const roundUp = frac.charCodeAt(scale) >= 53; /* '5' */
    const value = roundUp ? kept + 1n : kept;
    return sign ? -value : value;
  }
  const value = BigInt((whole || '0') + frac.padEnd(scale, '0'));
  return sign ? -value : value;
}

export function formatDecimal(value: bigint, scale: number, digits = scale): string {
  let v = value;
  if (digits < scale) {
    const step = 10n ** BigInt(scale - digits);
    const half = step / 2n;
    v = v >= 0n ? (v + half) / step : -((-v + half) / step);
  } else if (digits > scale) {
    v = v * 10n ** BigInt(digits - scale);
  }
  const negative = v < 0n;
  const abs = (negative ? -v : v).toString().padStart(digits + 1, '0');
  const whole = abs.slice(0, abs.length - digits);
  const frac = abs.slice(abs.length - digits);
  return (negative ? '-' : '') + whole + (digits > 0 ? '.' + frac : '');
}

// "1234567.5" -> "1,234,567.5" (the sign and fraction are kept as they are).
export function groupThousands(text: string): string {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const [whole, frac] = body.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (negative ? '-' : '') + grouped + (frac !== undefined ? '.' + frac : '');
}

export function addDecimals(values: Array<string | null | undefined>, scale: number): string {
  let total = 0n;
  for (const v of values) total += parseDecimal(v, scale);
  return formatDecimal(total, scale);
}

export function subtractDecimals(a: string, b: string, scale: number): string {
  return formatDecimal(parseDecimal(a, scale) - parseDecimal(b, scale), scale);
}

// (current - previous) / previous as a percentage with one decimal; null when previous is zero.
export function percentChange(current: string, previous: string, scale: number): string | null {
  const c = parseDecimal(current, scale);
  const p = parseDecimal(previous, scale);
  if (p === 0n) return null;
  // One decimal of percent: (c - p) * 1000 / p, rounded half away from zero.
  const num = (c - p) * 1000n;
  const q = num / p;
  const r = num % p;
  const twice = (r < 0n ? -r : r) * 2n;
  const absP = p < 0n ? -p : p;
  const sameSign = (num >= 0n) === (p > 0n);
  const rounded = twice >= absP ? q + (sameSign ? 1n : -1n) : q;
  return formatDecimal(rounded, 1);
}
