// The page's state in its URL (?station_id=…&from=…): filters survive a reload and can be shared.
// A patch is merged into the URL including the patches not yet rendered, so two changes made
// before the page re-renders (a quick user, a test driving the form) both stick. React Router's
// own functional setSearchParams hands the callback the parameters of the last render, which
// loses the first of two such changes. null or undefined removes a key; an empty string is kept
// (`?from=` can mean "no bound").
import { useRef } from 'react';
import { useSearchParams } from 'react-router-dom';

export type ParamPatch = Record<string, string | null | undefined>;

export function useUrlParams(): [URLSearchParams, (patch: ParamPatch) => void] {
  const [params, setParams] = useSearchParams();
  const latest = useRef(params);
  const rendered = useRef(params);
  // A new render (a navigation included) is the new base.
  if (rendered.current !== params) {
    rendered.current = params;
    latest.current = params;
  }
  const patch = (p: ParamPatch) => {
    const next = new URLSearchParams(latest.current);
    for (const [k, v] of Object.entries(p)) {
      if (v === null || v === undefined) next.delete(k);
      else next.set(k, v);
    }
    latest.current = next;
    setParams(next, { replace: true });
  };
  return [params, patch];
}
