/**
 * The peer: GraphQL Mesh (mesh-compose, JSON-Schema source) over the same
 * JSON-RPC upstream, served by Hive Gateway, in bench/mesh with its own
 * package.json and lockfile. Installed (`npm ci`) and composed on first use;
 * the composed supergraph is kept with the upstream's address as a
 * placeholder, so each run only substitutes the address of its upstream.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startEmulator } from '../src/emulator/index.js';
import type { Child } from './children.js';
import { freePort, stopChild, track, untilHttpOk, watchLines } from './children.js';
import type { ScenarioId } from './scenarios.js';
import type { DiscoveredVariant, Workload } from './workload.js';
import { callsOf } from './workload.js';

const run = promisify(execFile);
const DIR = fileURLToPath(new URL('./mesh/', import.meta.url));
const BIN = `${DIR}node_modules/@graphql-hive/gateway/dist/bin.js`;
const COMPOSE = `${DIR}node_modules/.bin/mesh-compose`;
/** The composed supergraph, the upstream's base URL replaced by PLACEHOLDER (not committed). */
const TEMPLATE = `${DIR}supergraph.template.graphql`;
/** What Hive Gateway serves in this run (gateway.config.ts reads it). */
const SUPERGRAPH = `${DIR}supergraph.graphql`;
const PLACEHOLDER = 'http://data-api.placeholder.invalid';
const MESH_START_TIMEOUT_MS = 120_000;

/** `npm ci` in bench/mesh when its packages are missing (minutes, once). */
async function install(log: (line: string) => void): Promise<void> {
  if (existsSync(BIN)) return;
  log('mesh: installing the peer (npm ci in bench/mesh; once)…');
  await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: DIR, maxBuffer: 64 * 1024 * 1024 });
}

/** mesh-compose against a private emulator, once per change of mesh.config.ts. */
async function compose(log: (line: string) => void): Promise<void> {
  const config = `${DIR}mesh.config.ts`;
  if (existsSync(TEMPLATE) && statSync(TEMPLATE).mtimeMs >= statSync(config).mtimeMs) return;
  log('mesh: composing the supergraph (once per mesh.config.ts)…');
  const emulator = await startEmulator({ host: '127.0.0.1' });
  try {
    const base = new URL(emulator.url).origin;
    const out = `${DIR}supergraph.composed.graphql`;
    await run(COMPOSE, ['-o', out], {
      cwd: DIR,
      env: { ...process.env, DATA_API_URL: base },
      maxBuffer: 16 * 1024 * 1024,
    });
    const text = await readFile(out, 'utf8');
    await writeFile(TEMPLATE, text.replaceAll(base, PLACEHOLDER));
  } finally {
    await emulator.close();
  }
}

export interface MeshStart {
  readonly upstreamUrl: string;
  /** Node flags before the entry (memory flags, the bench's heap probe). */
  readonly nodeFlags: readonly string[];
  /** Where the heap probe writes on SIGUSR2. */
  readonly heapFile?: string;
  readonly log: (line: string) => void;
}

export async function startMesh(start: MeshStart): Promise<Child> {
  await install(start.log);
  await compose(start.log);
  const template = await readFile(TEMPLATE, 'utf8');
  // The API base without /v2.0: the composed operations add the path.
  await writeFile(SUPERGRAPH, template.replaceAll(PLACEHOLDER, new URL(start.upstreamUrl).origin));
  const port = await freePort();
  const child = track(
    spawn(process.execPath, [...start.nodeFlags, BIN, 'supergraph'], {
      cwd: DIR,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'error',
        ...(start.heapFile ? { BENCH_HEAP_FILE: start.heapFile } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  watchLines(child, (line) => {
    process.stderr.write(`[mesh] ${line}\n`);
  });
  const base = `http://127.0.0.1:${port}`;
  // Hive Gateway loads its TypeScript config and the supergraph: slow to start on a busy machine.
  await untilHttpOk(`${base}/healthcheck`, child, 'mesh', MESH_START_TIMEOUT_MS).catch(
    async (error: unknown) => {
      await stopChild(child);
      throw error;
    },
  );
  if (child.pid === undefined) throw new Error('mesh did not start');
  return { pid: child.pid, url: `${base}/graphql`, stop: () => stopChild(child) };
}

const MESH_QUERY = (columns: readonly string[]) => /* GraphQL */ `
  query Page($l: Int, $o: Int, $f: JSON, $s: JSON, $c: [String!]) {
    availableNumbers(limit: $l, offset: $o, filter: $f, sort: $s, fields: $c) {
      result {
        data { ${columns.join(' ')} }
        metadata { total_items }
      }
    }
  }`;

/**
 * Each variant as the Mesh request carrying the same JSON-RPC params the
 * gateway sent; undefined when a variant needs anything but one call of
 * `get.available_virtual_numbers` (Mesh has no node look-ups or nested lists
 * over this API: S3 has no Mesh form).
 */
export function meshWorkload(
  scenario: ScenarioId,
  variants: readonly DiscoveredVariant[],
): Workload | undefined {
  const items = [];
  for (const variant of variants) {
    const [call, ...more] = callsOf(variant);
    if (!call || more.length > 0 || call.method !== 'get.available_virtual_numbers') {
      return undefined;
    }
    const { limit, offset, filter, sort, fields, access_token: token } = call.params;
    if (!Array.isArray(fields) || typeof token !== 'string') return undefined;
    items.push({
      body: JSON.stringify({
        query: MESH_QUERY(fields.map(String)),
        variables: { l: limit, o: offset, f: filter, s: sort, c: fields },
      }),
      headers: { 'x-access-token': token },
    });
  }
  return { scenario, protocol: 'mesh', items, requests: variants.length };
}
