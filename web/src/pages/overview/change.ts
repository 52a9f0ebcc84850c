// "12.3% up on last week": the change against the same period a week earlier, in words and an
// arrow (never colour alone), computed exactly on the decimal strings.
import { percentChange } from '../../lib/decimal';

export type Direction = 'up' | 'down' | 'same' | 'none';

export interface Change {
  direction: Direction;
  percent: string | null; // "12.3", always positive; null when last week had nothing
  text: string;
}

export function describeChange(current: string, previous: string, scale: number, against = 'last week'): Change {
  const pct = percentChange(current, previous, scale);
  if (pct === null) {
    const nothingNow = /^-?0*(\.0*)?$/.test(current.trim());
    return nothingNow
      ? { direction: 'same', percent: null, text: `none now or ${against}` }
      : { direction: 'none', percent: null, text: `nothing ${against} to compare` };
  }
  if (/^-?0\.0$/.test(pct)) return { direction: 'same', percent: '0.0', text: `no change on ${against}` };
  const down = pct.startsWith('-');
  const abs = down ? pct.slice(1) : pct;
  return { direction: down ? 'down' : 'up', percent: abs, text: `${abs}% ${down ? 'down' : 'up'} on ${against}` };
}

export const ARROW: Record<Direction, string> = { up: '▲', down: '▼', same: '=', none: '–' };
