/**
 * `npm run loadtest [-- --duration 60 --connections 64]`: the gateway as
 * `npm start` runs it (`node dist/index.js`, its node flags, `LOG_LEVEL=info`),
 * over the bench's emulator upstream (its own process, rate limits lifted: the
 * run measures the gateway, not the API's quota), under the mixed workload of
 * bench/mixed.ts, everything on 127.0.0.1. It is the bench's soak on a mix:
 * the same autocannon run, RSS sampler and heap probe. Prints requests/s,
 * latency, failures by kind, RSS over the run, the live heap after a full GC,
 * the CPU seconds of gateway and emulator, and the gateway's exit code on
 * SIGTERM; exits 1 when any request failed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { GatewayChild, Upstream } from './children.js';
import { startGateway, startUpstream, stopAllChildren } from './children.js';
import { graphql, mixedOperations, mixedWorkload } from './mixed.js';
import { sampleProcess } from './procstat.js';
import type { Soak } from './soak.js';
import { soak } from './soak.js';
import { spacesText } from './table.js';

/** `dist` needs `npm run build` first; `source` runs `src/index.ts` through tsx. */
export type GatewayEntry = 'dist' | 'source';

const ENTRY_FILE: Readonly<Record<GatewayEntry, string>> = {
  dist: 'dist/index.js',
  source: 'src/index.ts',
};

export interface LoadTestOptions {
  readonly durationSeconds: number;
  readonly connections: number;
  readonly entry?: GatewayEntry;
  /** Progress lines; silent when omitted. */
  readonly progress?: (line: string) => void;
}

export interface LoadTestResult {
  readonly entry: GatewayEntry;
  readonly operations: number;
  readonly soak: Soak;
  /** CPU seconds each process used during the run: which side bounds the throughput here. */
  readonly cpuSeconds: { readonly gateway: number; readonly emulator: number };
  /** What the gateway exited with on SIGTERM after the run. */
  readonly gatewayExitCode: number | null;
}

/** Headroom on top of the run for start-up, warm-up and shutdown before the watchdog fires. */
const WATCHDOG_SLACK_MS = 90_000;

const cpuSeconds = (pid: number) => sampleProcess(pid).cpuMicros / 1e6;

/** Starts emulator and gateway, runs the mix, stops both; bounded in time whatever happens. */
export async function runLoadTest(options: LoadTestOptions): Promise<LoadTestResult> {
  const progress = options.progress ?? (() => undefined);
  const entry = options.entry ?? 'dist';
  const dir = await mkdtemp(join(tmpdir(), 'loadtest-'));
  const heapFile = join(dir, 'heap.json');
  let upstream: Upstream | undefined;
  let gateway: GatewayChild | undefined;
  const watchdog = setTimeout(
    () => {
      progress('watchdog: the run overran its time bound; stopping the processes');
      void stopAllChildren();
    },
    options.durationSeconds * 1000 + WATCHDOG_SLACK_MS,
  );
  try {
    upstream = await startUpstream('emulator');
    gateway = await startGateway({
      entry: ENTRY_FILE[entry],
      upstreamUrl: upstream.url,
      // As `npm start` runs: a log line per request and per API call is part of the cost.
      env: { LOG_LEVEL: 'info', PAGE_SIZE_MAX: '1000' },
      heapFile,
    });
    progress(
      `gateway (${entry}) pid ${gateway.pid} at ${gateway.url}, emulator at ${upstream.url}`,
    );

    const operations = await mixedOperations(gateway.url);
    // Every operation once before the clock starts, so a broken query is a
    // clear message here rather than thousands of anonymous failures.
    for (const op of operations) await graphql(gateway.url, op.query, op.variables);
    progress(
      `${options.connections} connections for ${options.durationSeconds} s, ${operations.length} operations in rotation`,
    );

    const cpuStart = [cpuSeconds(gateway.pid), cpuSeconds(upstream.pid)] as const;
    const result = await soak({
      subject: 'gateway',
      pid: gateway.pid,
      url: gateway.url,
      workload: mixedWorkload(operations),
      seconds: options.durationSeconds,
      connections: options.connections,
      warmupSeconds: 0,
      heapFile,
    });
    const cpu = {
      gateway: cpuSeconds(gateway.pid) - cpuStart[0],
      emulator: cpuSeconds(upstream.pid) - cpuStart[1],
    };
    await gateway.stop();
    return {
      entry,
      operations: operations.length,
      soak: result,
      cpuSeconds: cpu,
      gatewayExitCode: await gateway.exited,
    };
  } finally {
    clearTimeout(watchdog);
    await stopAllChildren();
    await rm(dir, { recursive: true, force: true });
  }
}

const mb = (value: number) => `${value.toFixed(1)} MB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

export function formatResult(r: LoadTestResult): string {
  const s = r.soak;
  const requests = Math.round(s.requestsPerSecond * s.seconds);
  const heap = s.liveHeapMb;
  return [
    `duration            ${s.seconds.toFixed(1)} s, ${s.connections} connections, ${r.operations} operations in rotation (${r.entry})`,
    `requests            ${requests} (${s.requestsPerSecond.toFixed(0)} req/s)`,
    `latency             p50 ${ms(s.latencyMs.p50)}, p99 ${ms(s.latencyMs.p99)}, max ${ms(s.latencyMs.max)}`,
    `failed              ${s.errors} (connection errors ${s.failures.connectionErrors}, of which timeouts ${s.failures.timeouts}; non-2xx ${s.failures.non2xx}; GraphQL errors ${s.failures.badBodies})`,
    `gateway RSS         ${s.rssMb.map(([at, rss]) => `${mb(rss)} (${at} s)`).join(', ')}; peak ${mb(s.peakRssMb)}`,
    `live heap after GC  ${heap ? `${mb(heap.heapUsed)} used of ${mb(heap.heapTotal)}, RSS ${mb(heap.rss)}` : 'the probe did not answer'}`,
    `heap spaces         ${heap?.spaces ? spacesText(heap.spaces) : 'not reported'}`,
    `CPU seconds         gateway ${r.cpuSeconds.gateway.toFixed(1)}, emulator ${r.cpuSeconds.emulator.toFixed(1)} (during the run)`,
    `gateway exit code   ${String(r.gatewayExitCode)} (SIGTERM after the run)`,
  ].join('\n');
}

function positiveInteger(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '60' },
      connections: { type: 'string', default: '64' },
      entry: { type: 'string', default: 'dist' },
    },
  });
  if (values.entry !== 'dist' && values.entry !== 'source') {
    throw new Error('--entry must be dist or source');
  }
  const result = await runLoadTest({
    durationSeconds: positiveInteger('duration', values.duration),
    connections: positiveInteger('connections', values.connections),
    entry: values.entry,
    progress: (line) => {
      process.stderr.write(`${line}\n`);
    },
  });
  process.stdout.write(`${formatResult(result)}\n`);
  process.exitCode = result.soak.errors === 0 && result.gatewayExitCode === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `load test failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
