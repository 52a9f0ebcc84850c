// A table that may scroll sideways on a narrow screen: a named region reachable by keyboard, so
// its hidden columns can be scrolled to without a mouse (WCAG 2.1.1).
import type { ReactNode } from 'react';

export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
