// Regenerates src/assets/ghana.json, the bundled outline of Ghana the overview map draws (no map
// tiles: the console works offline). Source: Natural Earth 1:10m admin-0 countries (public domain)
// as packaged by the npm module world-atlas; Ghana is ISO 3166-1 numeric 288.
//   node scripts/ghana-outline.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';

const require = createRequire(import.meta.url);
const topology = JSON.parse(readFileSync(require.resolve('world-atlas/countries-10m.json'), 'utf8'));
const countries = feature(topology, topology.objects.countries);
const ghana = countries.features.find((f) => f.id === '288');
if (!ghana) throw new Error('Ghana (288) not found in world-atlas');
// Five decimals (about a metre) is far finer than the map is drawn.
const round = (value) => (Array.isArray(value) ? value.map(round) : Math.round(value * 1e5) / 1e5);
const out = {
  type: 'Feature',
  id: '288',
  properties: { name: 'Ghana', source: 'Natural Earth 1:10m via world-atlas 2.0.2 (public domain)' },
  geometry: { type: ghana.geometry.type, coordinates: round(ghana.geometry.coordinates) },
};
writeFileSync(new URL('../src/assets/ghana.json', import.meta.url), JSON.stringify(out) + '\n');
console.log('ghana.json written:', JSON.stringify(out).length, 'bytes');
