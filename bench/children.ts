/**
 * The measured processes: upstreams and the proxy are forked children reporting over IPC (the
 * measured ports carry only measured traffic); the gateway and Mesh are spawned and polled until
 * healthy. Every wait is bounded; every child is stopped by its own pid.
 */
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { on, once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startNodeFlags } from '../scripts/startCommand.js';

/** `url`: the JSON-RPC endpoint, or a GraphQL one. */
export type Child = { pid: number; url: string; stop: () => Promise<void> };
export type UpstreamKind = 'emulator' | 'static';
/** `stats`: the responses and bytes it has served. */
export type Upstream = Child & { kind: UpstreamKind; stats: () => Promise<Traffic> };
type Traffic = { responses: number; bytes: number };

/** Where the heap probe writes (heapProbe.cjs, preloaded); one file, as one subject runs at a time. */
export const HEAP_FILE = join(tmpdir(), `bench-heap-${process.pid}.json`);
const PROBE = fileURLToPath(new URL('./heapProbe.cjs', import.meta.url));
export const HEAP_PROBE = ['--expose-gc', '--require', PROBE];

/** Every child started and not yet exited, for `stopAllChildren` on an interrupted run. */
const live = new Set<ChildProcess>();

/** SIGTERM, then SIGKILL if it lingers 5 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const kill = () => child.kill('SIGKILL');
  await Promise.race([exited, sleep(5_000, null, { ref: false }).then(kill)]);
}

export const stopAllChildren = () => Promise.all([...live].map(stopChild));

function started(child: ChildProcess) {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (child.pid === undefined) throw new Error('a child did not start');
  return { pid: child.pid, stop: () => stopChild(child) };
}

/** The next IPC message of `type` from a forked child, within `ms`. */
async function nextMessage(child: ChildProcess, type: string, ms: number) {
  for await (const event of on(child, 'message', { signal: AbortSignal.timeout(ms) })) {
    const message = (event as (Record<string, unknown> | null)[])[0];
    if (message?.type === type) return message;
  }
  throw new Error(`no "${type}" message`);
}

async function forkTs(script: string, ...args: string[]) {
  const env = { ...process.env, BENCH_HEAP_FILE: HEAP_FILE };
  const execArgv = [...HEAP_PROBE, '--import', 'tsx'];
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), args, { execArgv, env });
  const handle = started(child);
  const { url } = await nextMessage(child, 'ready', 120_000);
  return { ...handle, child, url: String(url) };
}

export async function startUpstream(kind: UpstreamKind): Promise<Upstream> {
  const { child, ...upstream } = await forkTs('./servers.ts', kind);
  // The IPC channel is ordered and the bench asks one question at a time.
  const stats = async () => {
    const answer = nextMessage(child, 'stats', 5_000);
    child.send({ type: 'stats' });
    const { responses, bytes } = await answer;
    return { responses: Number(responses), bytes: Number(bytes) };
  };
  return { ...upstream, kind, stats };
}

export async function startProxy(upstreamUrl: string): Promise<Child> {
  const { pid, url, stop } = await forkTs('./servers.ts', 'proxy', upstreamUrl);
  return { pid, url, stop };
}

/**
 * `node args` on a port of its own (HOST, PORT), polled on `health` until it answers 200 (2 minutes
 * at most); `onLine`: each line it writes.
 */
type Spawn = { cwd?: string; health: string; onLine: (line: string) => void };
export async function spawnUntilHealthy(args: string[], env: NodeJS.ProcessEnv, options: Spawn) {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve)); // free now; the child binds it a moment later
  const base = `http://127.0.0.1:${port}`;
  const more = { HOST: '127.0.0.1', PORT: String(port), BENCH_HEAP_FILE: HEAP_FILE };
  const stdio = ['ignore', 'pipe', 'pipe'] as ('ignore' | 'pipe')[];
  const child = spawn(process.execPath, args, {
    env: { ...env, ...more },
    cwd: options.cwd,
    stdio,
  });
  const handle = started(child);
  for (const input of [child.stdout, child.stderr]) {
    if (input) createInterface({ input }).on('line', options.onLine);
  }
  const exited = once(child, 'exit').then((event: unknown[]) => event[0] as number | null);
  for (let tries = 0; tries < 1200 && child.exitCode === null; tries += 1) {
    const health = await fetch(`${base}${options.health}`, { signal: AbortSignal.timeout(1000) })
      .then((response) => response.arrayBuffer().then(() => response.ok))
      .catch(() => false); // not listening yet
    if (health) return { ...handle, base, exited };
    await sleep(100);
  }
  await handle.stop();
  throw new Error(`${args.at(-1) ?? 'a child'} did not become healthy (exit ${child.exitCode})`);
}

/**
 * The gateway as `npm start` runs it (its node flags, which are the image's command, unless `nodeFlags`)
 * but at log level `warn`: at `info` it logs a line per request and per API call, which the proxy
 * does not pay. Lines at warn and above, or not pino's (a crash's stack), go to stderr.
 */
export async function startGateway(start: {
  entry: string;
  upstreamUrl: string;
  env: Readonly<Record<string, string>>;
  cpuProfileDir?: string | undefined;
  nodeFlags?: readonly string[];
}) {
  const { entry, nodeFlags, cpuProfileDir: dir } = start;
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATA_API_URL: start.upstreamUrl,
    DATA_API_TOKEN: 'demo-token',
    // S4 and the abandoning clients ask for 10 000 rows, the API's maximum; the default cap is 1 000.
    PAGE_SIZE_MAX: '10000',
    // npm start's flags alone (the image's command): nothing inherited from the shell.
    NODE_OPTIONS: '',
    ...start.env,
  };
  const args = [...(nodeFlags ?? startNodeFlags()), ...HEAP_PROBE];
  if (dir) args.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  if (entry.endsWith('.ts')) args.push('--import', 'tsx');
  const onLine = (line: string) => {
    const level = /"level":(\d+)/.exec(line)?.[1]; // pino's, without parsing the line
    if (level === undefined || Number(level) >= 40) process.stderr.write(`[gateway] ${line}\n`);
  };
  const child = await spawnUntilHealthy([...args, entry], env, { health: '/health', onLine });
  return { ...child, url: `${child.base}/graphql` };
}
