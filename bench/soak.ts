/**
 * A subject's memory over a long run of distinct S1 at 32 connections: RSS
 * sampled every few seconds, to tell growth from noise, then the live heap
 * after a forced full GC (the heap probe, heapProbe.cjs). A warm-up run comes
 * first: V8 lets the old generation fill to its working size over the first
 * seconds (heap after each full GC stays flat meanwhile), which is not growth.
 */
import { readFile, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SubjectKind } from './cell.js';
import type { LoadResult } from './load.js';
import { loadErrors, quantile, runWorkload } from './load.js';
import { sampleProcess } from './procstat.js';
import type { Workload } from './workload.js';

const SAMPLE_EVERY_MS = 5_000;
const MB = 1024 * 1024;
const PROBE_TIMEOUT_MS = 5_000;

/** `process.memoryUsage()` of the subject after a full GC, in MB. */
export interface LiveHeap {
  readonly rss: number;
  readonly heapTotal: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
  /** Memory V8 holds per heap space (MB), before and after the GC; absent for older probes. */
  readonly spaces?: {
    readonly beforeGc: Readonly<Record<string, number>>;
    readonly afterGc: Readonly<Record<string, number>>;
  };
}

function spacesMb(value: unknown): Record<string, number> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  if (!entries.every(([, bytes]) => typeof bytes === 'number')) return undefined;
  return Object.fromEntries(entries.map(([name, bytes]) => [name, (bytes as number) / MB]));
}

export interface Soak {
  readonly subject: SubjectKind;
  readonly seconds: number;
  readonly connections: number;
  readonly requestsPerSecond: number;
  readonly errors: number;
  /** The errors by kind, the warm-up's included (timeouts are among the connection errors). */
  readonly failures: {
    readonly connectionErrors: number;
    readonly timeouts: number;
    readonly non2xx: number;
    readonly badBodies: number;
  };
  /** Of the measured run. */
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** [seconds since start, RSS in MB] every five seconds, first and last included. */
  readonly rssMb: readonly (readonly [number, number])[];
  readonly peakRssMb: number;
  readonly warmupSeconds: number;
  /** After the load, a full GC: null when the probe did not answer. */
  readonly liveHeapMb: LiveHeap | null;
}

function isUsage(value: unknown): value is Record<keyof LiveHeap, number> {
  if (typeof value !== 'object' || value === null) return false;
  const usage = value as Record<string, unknown>;
  return ['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'].every(
    (key) => typeof usage[key] === 'number',
  );
}

/** SIGUSR2 to the subject, then its `process.memoryUsage()` after a full GC, read from `file`. */
export async function probeHeap(pid: number, file: string): Promise<LiveHeap | null> {
  await rm(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  const deadline = performance.now() + PROBE_TIMEOUT_MS;
  while (performance.now() < deadline) {
    await sleep(100);
    try {
      const usage: unknown = JSON.parse(await readFile(file, 'utf8'));
      if (!isUsage(usage)) return null;
      const spaces = (usage as { spaces?: { beforeGc?: unknown; afterGc?: unknown } }).spaces;
      const beforeGc = spacesMb(spaces?.beforeGc);
      const afterGc = spacesMb(spaces?.afterGc);
      return {
        ...(beforeGc && afterGc ? { spaces: { beforeGc, afterGc } } : {}),
        rss: usage.rss / MB,
        heapTotal: usage.heapTotal / MB,
        heapUsed: usage.heapUsed / MB,
        external: usage.external / MB,
        arrayBuffers: usage.arrayBuffers / MB,
      };
    } catch {
      // Not written yet (or half-written).
    }
  }
  return null;
}

export interface SoakSetup {
  readonly subject: SubjectKind;
  readonly pid: number;
  readonly url: string;
  readonly workload: Workload<string>;
  readonly seconds: number;
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly heapFile: string;
}

export async function soak(setup: SoakSetup): Promise<Soak> {
  const { pid, url, workload, seconds, connections, warmupSeconds } = setup;
  const load = (duration: number) => runWorkload(url, workload, connections, duration);
  const warmup = warmupSeconds > 0 ? await load(warmupSeconds) : undefined;
  const started = performance.now();
  const rssMb: [number, number][] = [];
  let peak = 0;
  const sample = () => {
    const rss = sampleProcess(pid).rssBytes / MB;
    peak = Math.max(peak, rss);
    const elapsed = Math.round((performance.now() - started) / 1000);
    // The interval may just have sampled this second; one sample per second is enough.
    if (rssMb.at(-1)?.[0] === elapsed) return;
    rssMb.push([elapsed, rss]);
  };
  const peakSampler = setInterval(() => {
    peak = Math.max(peak, sampleProcess(pid).rssBytes / MB);
  }, 250);
  sample();
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  try {
    const run = await load(seconds);
    sample();
    const runs: LoadResult[] = warmup ? [warmup, run] : [run];
    const sum = (pick: (result: LoadResult) => number) =>
      runs.reduce((total, result) => total + pick(result), 0);
    return {
      subject: setup.subject,
      seconds: run.seconds,
      connections,
      requestsPerSecond: run.responses / run.seconds,
      errors: sum(loadErrors),
      failures: {
        connectionErrors: sum((r) => r.connectionErrors),
        timeouts: sum((r) => r.timeouts),
        non2xx: sum((r) => r.non2xx),
        badBodies: sum((r) => r.badBodies),
      },
      latencyMs: {
        p50: quantile(run.latenciesMs, 0.5),
        p99: quantile(run.latenciesMs, 0.99),
        max: quantile(run.latenciesMs, 1),
      },
      rssMb,
      peakRssMb: peak,
      warmupSeconds,
      liveHeapMb: await probeHeap(pid, setup.heapFile),
    };
  } finally {
    clearInterval(timer);
    clearInterval(peakSampler);
  }
}
