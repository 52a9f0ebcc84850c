// The JavaScript budget: every script the console ships, gzipped (level 9, as a server or CDN
// would send it), must total under 500 KB. Exits 1 above it. Run after `npm run build`.
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

const BUDGET = 500 * 1024;
const dir = new URL('../dist/assets/', import.meta.url).pathname;
let js = 0;
let css = 0;
for (const name of readdirSync(dir).sort()) {
  const bytes = readFileSync(path.join(dir, name));
  const gz = gzipSync(bytes, { level: 9 }).length;
  if (name.endsWith('.js')) js += gz;
  if (name.endsWith('.css')) css += gz;
  console.log(`${name.padEnd(40)} ${String(bytes.length).padStart(9)} B  ${String(gz).padStart(8)} B gzipped`);
}
console.log(`JavaScript: ${(js / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB); CSS: ${(css / 1024).toFixed(1)} KB gzipped`);
if (js > BUDGET) {
  console.error('size: over the JavaScript budget');
  process.exit(1);
}
