// The page's state in its URL (?station_id=…&from=…): filters survive a reload and can be shared.
// A patch is merged into the URL including the patches not yet rendered, so several changes made
// before the page re-renders (a quick user, a test driving the form) all stick. React Router's own
// functional setSearchParams hands the callback the parameters of the last render, and its
// navigations are transitions that React may render one at a time: a render can show an earlier
// patch while later ones are still on their way, or an older one after them. null or undefined
// removes a key; an empty string is kept (`?from=` can mean "no bound").
import { useRef } from 'react';
import { useSearchParams } from 'react-router-dom';

export type ParamPatch = Record<string, string | null | undefined>;

// What patches build on: the newest URL this hook asked for. A render may show any URL it asked
// for earlier (React renders the router's navigations as transitions, and an urgent render can
// still show the last committed one), so only a URL it never asked for (a link, back, a reload)
// becomes the new base.
export interface UrlBase {
  latest: string; // the query string the next patch merges into
  asked: string[]; // the query strings asked for, the newest 50
  rendered: string; // the query string of the last render
}

export function applyRender(base: UrlBase, rendered: string): UrlBase {
  if (rendered === base.rendered) return base; // a render for another reason
  if (rendered === base.latest || base.asked.includes(rendered)) return { ...base, rendered };
  return { latest: rendered, asked: [], rendered }; // someone else's navigation
}

export function applyPatch(base: UrlBase, patch: ParamPatch): UrlBase {
  const next = new URLSearchParams(base.latest);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === undefined) next.delete(k);
    else next.set(k, v);
  }
  const text = next.toString();
  return { ...base, latest: text, asked: [...base.asked, text].slice(-50) };
}

export function useUrlParams(): [URLSearchParams, (patch: ParamPatch) => void] {
  const [params, setParams] = useSearchParams();
  const shown = params.toString();
  const base = useRef<UrlBase>({ latest: shown, asked: [], rendered: shown });
  base.current = applyRender(base.current, shown);
  const patch = (p: ParamPatch) => {
    base.current = applyPatch(base.current, p);
    setParams(new URLSearchParams(base.current.latest), { replace: true });
  };
  return [params, patch];
}
