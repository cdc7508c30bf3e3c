/**
 * The peer: GraphQL Mesh over the same upstream, served by Hive Gateway from bench/mesh/ (its own
 * package and lockfile), installed and composed on first use; the supergraph is kept with a
 * placeholder for the upstream's address, which each run fills in.
 */
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startEmulator } from '../src/emulator/index.js';
import type { Child } from './children.js';
import { HEAP_PROBE, spawnUntilHealthy } from './children.js';
import type { DiscoveredVariant, LoadItem } from './workload.js';
import { callsOf, workload } from './workload.js';

const run = promisify(execFile);
const DIR = fileURLToPath(new URL('./mesh/', import.meta.url));
const BIN = `${DIR}node_modules/@graphql-hive/gateway/dist/bin.js`;
/** The composed supergraph with PLACEHOLDER for the upstream's base URL (not committed). */
const TEMPLATE = `${DIR}supergraph.template.graphql`;
const PLACEHOLDER = 'http://data-api.placeholder.invalid';

/** `npm ci` (minutes, once), then mesh-compose over a private emulator once per mesh.config.ts. */
async function prepare(log: (line: string) => void): Promise<void> {
  if (!existsSync(BIN)) {
    log('mesh: installing the peer (npm ci in bench/mesh; once)…');
    await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: DIR, maxBuffer: 64 << 20 });
  }
  const config = statSync(`${DIR}mesh.config.ts`).mtimeMs;
  if (existsSync(TEMPLATE) && statSync(TEMPLATE).mtimeMs >= config) return;
  log('mesh: composing the supergraph (once per mesh.config.ts)…');
  const emulator = await startEmulator({ host: '127.0.0.1' });
  try {
    const base = new URL(emulator.url).origin;
    const out = `${DIR}supergraph.composed.graphql`;
    const options = { cwd: DIR, env: { ...process.env, DATA_API_URL: base }, maxBuffer: 16 << 20 };
    await run(`${DIR}node_modules/.bin/mesh-compose`, ['-o', out], options);
    await writeFile(TEMPLATE, (await readFile(out, 'utf8')).replaceAll(base, PLACEHOLDER));
  } finally {
    await emulator.close();
  }
}

export async function startMesh(upstreamUrl: string, log: (line: string) => void): Promise<Child> {
  await prepare(log);
  // What gateway.config.ts serves: the API base without /v2.0 (the composed operations add it).
  const origin = new URL(upstreamUrl).origin;
  const supergraph = (await readFile(TEMPLATE, 'utf8')).replaceAll(PLACEHOLDER, origin);
  await writeFile(`${DIR}supergraph.graphql`, supergraph);
  const env = { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'error' };
  const child = await spawnUntilHealthy([...HEAP_PROBE, BIN, 'supergraph'], env, {
    cwd: DIR,
    health: '/healthcheck',
    onLine: (line) => process.stderr.write(`[mesh] ${line}\n`),
  });
  return { ...child, url: `${child.base}/graphql` };
}

const meshQuery = (columns: readonly string[]) => `
  query Page($l: Int, $o: Int, $f: JSON, $s: JSON, $c: [String!]) {
    availableNumbers(limit: $l, offset: $o, filter: $f, sort: $s, fields: $c) {
      result { data { ${columns.join(' ')} } metadata { total_items } }
    }
  }`;

/**
 * Each variant as the Mesh request carrying the gateway's JSON-RPC params; undefined unless each is
 * one call of `get.available_virtual_numbers` (Mesh has no node look-ups over this API: no S3).
 */
export function meshWorkload<Id extends string>(id: Id, variants: readonly DiscoveredVariant[]) {
  const items: LoadItem[] = [];
  for (const variant of variants) {
    const [call, ...more] = callsOf(variant);
    if (call?.method !== 'get.available_virtual_numbers' || more.length > 0) return undefined;
    const { limit, offset, filter, sort, fields, access_token: token } = call.params;
    if (!Array.isArray(fields) || typeof token !== 'string') return undefined;
    const variables = { l: limit, o: offset, f: filter, s: sort, c: fields };
    const query = meshQuery(fields.map(String));
    const body = JSON.stringify({ query, variables });
    items.push({ body, headers: { 'x-access-token': token } });
  }
  return workload(id, 'mesh', items, variants.length);
}
