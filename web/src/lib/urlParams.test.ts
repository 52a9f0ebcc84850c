import { describe, expect, it } from 'vitest';
import { applyPatch, applyRender, type UrlBase } from './urlParams';

const start: UrlBase = { latest: 'from=2026-11-20', asked: [], rendered: 'from=2026-11-20' };

describe('URL parameters patched faster than the page renders', () => {
  it('keeps every patch when a render shows an earlier one while later ones are on their way', () => {
    let b = applyPatch(start, { station_id: 's-1' });
    b = applyPatch(b, { payment_method: 'cash' });
    // The router's first navigation is rendered on its own (a transition)...
    b = applyRender(b, 'from=2026-11-20&station_id=s-1');
    // ... and a third change made now still builds on the second.
    b = applyPatch(b, { to: '2026-11-21' });
    expect(new URLSearchParams(b.latest).get('station_id')).toBe('s-1');
    expect(new URLSearchParams(b.latest).get('payment_method')).toBe('cash');
    expect(new URLSearchParams(b.latest).get('to')).toBe('2026-11-21');
    // A render of the newest, then an urgent one of an older committed URL: still ours.
    b = applyRender(b, b.latest);
    b = applyRender(b, 'from=2026-11-20&station_id=s-1');
    b = applyPatch(b, { kind: 'fuel' });
    expect(Object.fromEntries(new URLSearchParams(b.latest))).toEqual({ from: '2026-11-20', station_id: 's-1', payment_method: 'cash', to: '2026-11-21', kind: 'fuel' });
  });

  it("takes someone else's navigation (a link, back) as the new base", () => {
    let b = applyPatch(start, { station_id: 's-1' });
    b = applyRender(b, 'kind=void');
    expect(b).toEqual({ latest: 'kind=void', asked: [], rendered: 'kind=void' });
    b = applyPatch(b, { station_id: null, payment_method: 'momo' });
    expect(b.latest).toBe('kind=void&payment_method=momo');
  });

  it('drops a key for null and keeps an empty string', () => {
    const b = applyPatch(start, { from: '', station_id: null });
    expect(b.latest).toBe('from=');
  });
});
