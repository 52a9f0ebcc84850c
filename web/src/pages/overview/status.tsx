// A station's status as the overview shows it: a label and a shape as well as a colour, so the
// map's legend never relies on colour alone.
import type { StationStatus } from './types';

export interface StatusStyle {
  label: string;
  shape: 'circle' | 'triangle' | 'diamond' | 'square';
  className: string; // the colour class (badge-*, status-*)
  description: string;
}

export const STATUS: Record<StationStatus, StatusStyle> = {
  ok: { label: 'OK', shape: 'circle', className: 'ok', description: 'selling, no stock or variance alert open' },
  stock_low: { label: 'Stock low', shape: 'triangle', className: 'warn', description: 'a low-stock alert is open' },
  variance: { label: 'Variance', shape: 'diamond', className: 'bad', description: 'a wet-stock variance alert is open' },
  offline: { label: 'Offline', shape: 'square', className: 'off', description: 'no sale recorded for some hours' },
};

// Worst first, as the API ranks them.
export const STATUS_ORDER: StationStatus[] = ['offline', 'variance', 'stock_low', 'ok'];

export function statusOf(status: string | undefined): StatusStyle {
  return STATUS[(status as StationStatus) ?? 'ok'] ?? { label: status ?? 'Unknown', shape: 'circle', className: 'off', description: '' };
}

export function StatusBadge({ status }: { status: string | undefined }) {
  const s = statusOf(status);
  return (
    <span className={`badge badge-${s.className} status-badge`}>
      <StatusShape shape={s.shape} className={`status-${s.className}`} size={10} />
      {s.label}
    </span>
  );
}

// The status's shape as a small inline SVG (decorative: the label says the same).
export function StatusShape({ shape, className, size = 12 }: { shape: StatusStyle['shape']; className?: string; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="-6 -6 12 12" aria-hidden="true" focusable="false" className={`status-shape ${className ?? ''}`}>
      <path d={shapePath(shape, 5)} />
    </svg>
  );
}

// An SVG path of the shape centred on 0,0 with radius r.
export function shapePath(shape: StatusStyle['shape'], r: number): string {
  switch (shape) {
    case 'triangle':
      return `M0,${-r * 1.15}L${r * 1.1},${r * 0.8}L${-r * 1.1},${r * 0.8}Z`;
    case 'diamond':
      return `M0,${-r * 1.25}L${r * 1.25},0L0,${r * 1.25}L${-r * 1.25},0Z`;
    case 'square':
      return `M${-r * 0.9},${-r * 0.9}H${r * 0.9}V${r * 0.9}H${-r * 0.9}Z`;
    default:
      return `M${r},0A${r},${r} 0 1,1 ${-r},0A${r},${r} 0 1,1 ${r},0Z`;
  }
}
