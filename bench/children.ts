/**
 * Starting and stopping the measured processes: upstreams and the proxy are
 * forked TypeScript children speaking IPC; the gateway is the built product,
 * started the way `npm start` starts it.
 */
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { StatsMessage } from './ipc.js';
import { isReadyMessage, isStatsMessage } from './ipc.js';
import { imageNodeOptions, startNodeFlags } from '../scripts/startCommand.js';

/** Bounds every wait on a child: a stuck child fails the run instead of hanging it. */
const START_TIMEOUT_MS = 120_000;
const STATS_TIMEOUT_MS = 5_000;
const STOP_TIMEOUT_MS = 5_000;

export interface Child {
  readonly pid: number;
  /** Where it listens: the JSON-RPC endpoint, or the gateway's /graphql. */
  readonly url: string;
  stop(): Promise<void>;
}

export interface Upstream extends Child {
  /** Cumulative responses and bytes the upstream has served. */
  stats(): Promise<StatsMessage>;
}

/** Every child this process started and that has not exited, for `stopAllChildren`. */
const live = new Set<ChildProcess>();

export function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** On an interrupted run: ends the children this bench started (each by its own pid). */
export function stopAllChildren(): Promise<void> {
  return Promise.all([...live].map(stopChild)).then(() => undefined);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what}: no answer within ${ms} ms`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

function pidOf(child: ChildProcess, what: string): number {
  if (child.pid === undefined) throw new Error(`${what} did not start`);
  return child.pid;
}

/** SIGTERM, then SIGKILL if it lingers; only ever this child, by its pid. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  child.kill('SIGTERM');
  return withTimeout(exited, STOP_TIMEOUT_MS, 'stop').catch(() => {
    child.kill('SIGKILL');
  });
}

function exitedEarly(child: ChildProcess, what: string): Promise<never> {
  return new Promise((_, reject) => {
    child.once('exit', (code, signal) => {
      reject(new Error(`${what} exited before it was ready (${signal ?? `code ${code}`})`));
    });
  });
}

function forkTs(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ChildProcess {
  const path = fileURLToPath(new URL(script, import.meta.url));
  return track(
    fork(path, args, { execArgv: [...heapProbeFlags(), '--import', 'tsx'], stdio: 'inherit', env }),
  );
}

async function readyUrl(child: ChildProcess, what: string): Promise<string> {
  const ready = new Promise<string>((resolve) => {
    const onMessage = (message: unknown) => {
      if (!isReadyMessage(message)) return;
      child.off('message', onMessage);
      resolve(message.url);
    };
    child.on('message', onMessage);
  });
  return withTimeout(Promise.race([ready, exitedEarly(child, what)]), START_TIMEOUT_MS, what);
}

export type UpstreamKind = 'emulator' | 'static';

export async function startUpstream(kind: UpstreamKind): Promise<Upstream> {
  const child = forkTs('./upstream/main.ts', [kind]);
  const url = await readyUrl(child, `${kind} upstream`);
  // The IPC channel is ordered and the bench asks one question at a time.
  const stats = () =>
    withTimeout(
      new Promise<StatsMessage>((resolve) => {
        const onMessage = (message: unknown) => {
          if (!isStatsMessage(message)) return;
          child.off('message', onMessage);
          resolve(message);
        };
        child.on('message', onMessage);
        child.send({ type: 'stats' });
      }),
      STATS_TIMEOUT_MS,
      `${kind} upstream stats`,
    );
  return { pid: pidOf(child, kind), url, stats, stop: () => stopChild(child) };
}

export async function startProxy(target: string, heapFile?: string): Promise<Child> {
  const env = heapFile ? { ...process.env, BENCH_HEAP_FILE: heapFile } : process.env;
  const child = forkTs('./proxy/main.ts', [target], env);
  const url = await readyUrl(child, 'proxy');
  return { pid: pidOf(child, 'proxy'), url, stop: () => stopChild(child) };
}

export interface GatewayStart {
  /** The built entry point, `dist/index.js` for the product; a `.ts` file runs through tsx. */
  readonly entry: string;
  readonly upstreamUrl: string;
  /** Extra environment (e.g. a cache switch) on top of the production defaults. */
  readonly env: Readonly<Record<string, string>>;
  /** Where the gateway writes a V8 CPU profile when it stops (`--cpu-prof`); none when unset. */
  readonly cpuProfileDir?: string | undefined;
  /**
   * Node flags instead of `npm start`'s and the image's NODE_OPTIONS (to
   * measure what the memory flags cost); `env` may still set NODE_OPTIONS.
   */
  readonly nodeFlags?: readonly string[];
  /** Where the heap probe writes on SIGUSR2. */
  readonly heapFile?: string;
}

/** Warnings and errors the gateway logged; a quiet run logs none. */
export interface GatewayChild extends Child {
  readonly warnings: string[];
  /** The exit code (null when ended by a signal), once it has exited. */
  readonly exited: Promise<number | null>;
}

const GATEWAY_LEVEL_WARN = 40;
const READY_POLL_MS = 100;

/** pino's numeric level, read without parsing the line (with LOG_LEVEL=info there is one per request). */
function logLevelOf(line: string): number | undefined {
  const match = /"level":(\d+)/.exec(line);
  return match ? Number(match[1]) : undefined;
}

function deployedNodeOptions(): Record<string, string> {
  const options = imageNodeOptions();
  return options === undefined ? {} : { NODE_OPTIONS: options };
}

/** A port free on loopback now; the gateway binds it a moment later. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

/** Polls a health endpoint until it answers 200, the child exits, or time runs out. */
export async function untilHttpOk(
  url: string,
  child: ChildProcess,
  what: string,
  timeoutMs = START_TIMEOUT_MS,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${what} exited before it was ready (${child.signalCode ?? `code ${child.exitCode}`})`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(READY_POLL_MS);
  }
  throw new Error(`${what}: not live within ${timeoutMs} ms`);
}

/** Every line a child writes on stdout and stderr. */
export function watchLines(child: ChildProcess, onLine: (line: string) => void): void {
  if (child.stdout) createInterface({ input: child.stdout }).on('line', onLine);
  if (child.stderr) createInterface({ input: child.stderr }).on('line', onLine);
}

/**
 * Node flags that let the bench ask a subject for its live heap: on SIGUSR2
 * the process runs a full GC and writes `process.memoryUsage()` to
 * BENCH_HEAP_FILE (see heapProbe.cjs). They change nothing else.
 */
export function heapProbeFlags(): string[] {
  return ['--expose-gc', '--require', fileURLToPath(new URL('./heapProbe.cjs', import.meta.url))];
}

/**
 * The gateway as `npm start` runs it (its node flags included), in production
 * mode, fronting `upstreamUrl`, except for the log level: at the default (`info`) the
 * gateway logs a line per request and per API call, which the proxy it is
 * compared with does not pay; `--env LOG_LEVEL=info` measures that too. At
 * `warn` the "ready" line is not logged, so the bench chooses the port and
 * polls `/health`.
 */
export async function startGateway(start: GatewayStart): Promise<GatewayChild> {
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_API_URL: start.upstreamUrl,
    DATA_API_TOKEN: 'demo-token',
    // S4 asks for 10 000 rows, the API's own maximum; the product's default cap is 1 000.
    PAGE_SIZE_MAX: '10000',
    // As the image runs it (the heap cap of the documented memory limit), unless flags are chosen.
    ...(start.nodeFlags === undefined ? deployedNodeOptions() : { NODE_OPTIONS: '' }),
    ...(start.heapFile ? { BENCH_HEAP_FILE: start.heapFile } : {}),
    ...start.env,
  };
  const profile = start.cpuProfileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${start.cpuProfileDir}`]
    : [];
  const tsx = start.entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = track(
    spawn(
      process.execPath,
      [
        ...(start.nodeFlags ?? startNodeFlags()),
        ...heapProbeFlags(),
        ...profile,
        ...tsx,
        start.entry,
      ],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ),
  );
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
  });
  const warnings: string[] = [];
  const onLine = (line: string) => {
    const level = logLevelOf(line);
    // Lines that are not pino's (a crash's stack trace) count as warnings too.
    if (level === undefined || level >= GATEWAY_LEVEL_WARN) {
      warnings.push(line);
      process.stderr.write(`[gateway] ${line}\n`);
    }
  };
  watchLines(child, onLine);
  const base = `http://127.0.0.1:${port}`;
  await untilHttpOk(`${base}/health`, child, 'gateway').catch(async (error: unknown) => {
    await stopChild(child);
    throw error;
  });
  return {
    pid: pidOf(child, 'gateway'),
    url: `${base}/graphql`,
    warnings,
    exited,
    stop: () => stopChild(child),
  };
}
