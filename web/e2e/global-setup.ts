// Starts what the end-to-end tests run against: a fresh SQLite database in a temporary folder,
// `omc migrate`, `omc demo` (a small network with five weeks of history and one user per role,
// whose generated passwords are read from its output), and `omc serve` on a free loopback port
// serving the built console (web/dist) at / — the product exactly as the README's run command
// serves it. Nothing here downloads anything.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = path.resolve(webDir, '..');

export interface DemoUser {
  login: string;
  password: string;
}
export interface E2eEnv {
  baseUrl: string;
  users: Record<string, DemoUser>;
  artifactsDir: string;
  dataDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    omc: E2eEnv;
  }
}

function omcBinary(): string {
  const candidates = [
    process.env.OMC_BINARY,
    path.join(repoDir, 'build/release/omc'),
    path.join(repoDir, 'build/debug/omc'),
  ].filter((c): c is string => !!c);
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`no omc binary (tried ${candidates.join(', ')}); build it first`);
  return found;
}

// omc refuses OMC_* variables it does not know, so the children get only theirs.
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OMC_')) env[k] = v;
  return { ...env, ...extra };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitFor(url: string, child: ChildProcess, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not answer ${url} within ${timeoutMs} ms`);
}

let serve: ChildProcess | null = null;
let preview: ChildProcess | null = null;
let dataDir = '';

// Named exports: with a default export vitest ignores the named teardown (the servers would outlive the run).
export async function setup(project: TestProject) {
  const binary = omcBinary();
  if (!existsSync(path.join(webDir, 'dist/index.html'))) {
    throw new Error('web/dist is not built: run `npm run build` first');
  }
  dataDir = mkdtempSync(path.join(tmpdir(), 'omc-e2e-'));
  const artifactsDir = path.join(webDir, 'test-artifacts');
  mkdirSync(path.join(artifactsDir, 'screenshots'), { recursive: true });
  const env = childEnv({ OMC_DATABASE_URL: `sqlite:${path.join(dataDir, 'omc.db')}` });

  const migrate = spawnSync(binary, ['migrate'], { env, encoding: 'utf8' });
  if (migrate.status !== 0) throw new Error(`omc migrate failed: ${migrate.stderr}`);
  const demo = spawnSync(binary, ['demo', '--stations', '6', '--days', '35'], { env, encoding: 'utf8' });
  if (demo.status !== 0) throw new Error(`omc demo failed: ${demo.stderr}`);
  const users: Record<string, DemoUser> = {};
  const listed = demo.stdout.split('users and their new passwords:')[1] ?? '';
  for (const line of listed.split('\n')) {
    const m = /^\s+(demo-[a-z]+)\s+(\S+)\s*$/.exec(line);
    if (m) users[m[1].replace('demo-', '')] = { login: m[1], password: m[2] };
  }
  if (!users.admin || !users.operator) throw new Error(`could not read the demo users from:\n${demo.stdout}`);

  // Every test signs in through the login page, all from 127.0.0.1: the sign-in rate limit (one a
  // second per address by default) is raised for the run so the tests aren't throttled.
  const config = path.join(dataDir, 'omc.toml');
  writeFileSync(config, '[rate_limits.auth]\nper_second = 100\nburst = 200\n');
  const port = await freePort();
  const log = openSync(path.join(artifactsDir, 'omc-serve.log'), 'w');
  serve = spawn(binary, ['serve'], {
    env: childEnv({
      OMC_DATABASE_URL: `sqlite:${path.join(dataDir, 'omc.db')}`,
      OMC_LISTEN: `127.0.0.1:${port}`,
      OMC_CONFIG: config,
      ...(process.env.E2E_SERVE === 'vite' ? {} : { OMC_WEB_ROOT: path.join(webDir, 'dist') }),
    }),
    stdio: ['ignore', log, log],
  });
  let baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(`${baseUrl}/health/ready`, serve, 'omc serve');
  if (process.env.E2E_SERVE === 'vite') {
    // Development only: `vite preview` serves dist/ and proxies the API to omc serve.
    const previewPort = await freePort();
    preview = spawn(process.execPath, [path.join(webDir, 'node_modules/vite/bin/vite.js'), 'preview', '--port', String(previewPort), '--strictPort', '--host', '127.0.0.1'], {
      cwd: webDir,
      env: childEnv({ OMC_URL: baseUrl }),
      stdio: ['ignore', log, log],
    });
    baseUrl = `http://127.0.0.1:${previewPort}`;
    await waitFor(`${baseUrl}/`, preview, 'vite preview');
  }
  const index = await fetch(`${baseUrl}/`);
  if (!(index.headers.get('content-type') ?? '').includes('text/html')) {
    throw new Error(`omc serve does not serve the console at / (${index.status})`);
  }
  project.provide('omc', { baseUrl, users, artifactsDir, dataDir });
}

export async function teardown() {
  if (preview && preview.exitCode === null) preview.kill('SIGTERM');
  if (serve && serve.exitCode === null) {
    serve.kill('SIGTERM');
    await new Promise((r) => serve!.once('exit', r));
  }
  if (dataDir && !process.env.E2E_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
}
