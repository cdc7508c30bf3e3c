/**
 * Measures one cell (subject × upstream × scenario × connections): a warm-up,
 * one parsed sample, then the timed run between two snapshots of the
 * processes' CPU and memory and of the upstream's counters.
 *
 * When the load tool stops, requests are still in flight in the subject; their
 * upstream calls and CPU land after it returns. So each snapshot waits for
 * the subject and the upstream to fall quiet, and costs are divided by the
 * requests *sent* (in-flight ones included), not only those answered.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sampleCheck } from './check.js';
import type { Upstream, UpstreamKind } from './children.js';
import { loadErrors, quantile, runWorkload } from './load.js';
import type { LoadResult } from './load.js';
import type { ProcSample } from './procstat.js';
import { CPU_RESOLUTION_MICROS, sampleProcess } from './procstat.js';
import type { ScenarioId } from './scenarios.js';
import type { Workload } from './workload.js';

/**
 * `gateway-cache`: the gateway with its response cache on (`DATA_API_CACHE_TTL_MS`);
 * `gateway-noflags`: the gateway without `npm start`'s node flags (what the memory flags cost);
 * `mesh`: the GraphQL Mesh + Hive Gateway peer.
 */
export type SubjectKind =
  'direct' | 'proxy' | 'gateway' | 'gateway-noflags' | 'gateway-cache' | 'mesh';

export const SUBJECTS: readonly SubjectKind[] = [
  'direct',
  'proxy',
  'gateway',
  'gateway-noflags',
  'gateway-cache',
  'mesh',
];

export interface CellSetup {
  readonly subject: SubjectKind;
  readonly upstreamKind: UpstreamKind;
  readonly upstream: Upstream;
  /** The subject's process, when it has one (direct has none). */
  readonly subjectPid: number | undefined;
  readonly url: string;
  readonly workload: Workload;
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
}

export interface CellResult {
  readonly subject: SubjectKind;
  readonly upstream: UpstreamKind;
  readonly scenario: ScenarioId;
  readonly connections: number;
  /** JSON-RPC calls per set (1 for GraphQL): what one "request" below stands for. */
  readonly httpPerRequest: number;
  /** GraphQL requests, or sets of JSON-RPC calls, completed per second. */
  readonly requestsPerSecond: number;
  /** Completed in the timed run (sets may be fractional: the run ends mid-set). */
  readonly requests: number;
  readonly seconds: number;
  /** Per HTTP request: a JSON-RPC call for direct and proxy, a GraphQL request for the gateway. */
  readonly latencyMs: { readonly p50: number; readonly p99: number };
  readonly errors: number;
  readonly errorDetail: {
    readonly connection: number;
    readonly timeouts: number;
    readonly non2xx: number;
    readonly badBodies: number;
    readonly sampleProblems: readonly string[];
  };
  /** Rows in one sampled answer (summed over a set's calls). */
  readonly rows: number;
  /** CPU of the subject's process per request; null for direct. */
  readonly subjectCpuMicrosPerRequest: number | null;
  readonly upstreamCpuMicrosPerRequest: number;
  /** Resident size at the start and end of the timed run, and its peak (sampled every 100 ms). */
  readonly subjectRssMb: {
    readonly start: number;
    readonly end: number;
    readonly peak: number;
  } | null;
  readonly upstreamCallsPerRequest: number;
  readonly upstreamBytesPerRequest: number;
}

interface Snapshot {
  readonly subject: ProcSample | undefined;
  readonly upstream: ProcSample;
  readonly responses: number;
  readonly bytes: number;
}

async function snapshot(setup: CellSetup): Promise<Snapshot> {
  const stats = await setup.upstream.stats();
  return {
    subject: setup.subjectPid === undefined ? undefined : sampleProcess(setup.subjectPid),
    upstream: sampleProcess(setup.upstream.pid),
    responses: stats.responses,
    bytes: stats.bytes,
  };
}

/** How much longer the one retry of a cell too short to finish a round runs. */
const EXTEND_FACTOR = 4;
const SETTLE_POLL_MS = 100;
/** A subject still busy after this is measured as it is (and the run goes on). */
const SETTLE_MAX_MS = 10_000;

function quiet(earlier: Snapshot, later: Snapshot): boolean {
  const subjectCpu =
    earlier.subject && later.subject ? later.subject.cpuMicros - earlier.subject.cpuMicros : 0;
  return later.responses === earlier.responses && subjectCpu <= CPU_RESOLUTION_MICROS;
}

/** The snapshot once in-flight work has finished: no upstream call and ≤ 1 CPU tick for 100 ms. */
async function settledSnapshot(setup: CellSetup): Promise<Snapshot> {
  let last = await snapshot(setup);
  const deadline = performance.now() + SETTLE_MAX_MS;
  while (performance.now() < deadline) {
    await sleep(SETTLE_POLL_MS);
    const next = await snapshot(setup);
    if (quiet(last, next)) return next;
    last = next;
  }
  return last;
}

const MB = 1024 * 1024;
const PEAK_SAMPLE_MS = 100;

export async function measureCell(setup: CellSetup): Promise<CellResult> {
  const { workload } = setup;
  // Every run's errors count, the warm-up's and a discarded short run's too.
  const runs: LoadResult[] = [];
  const timed = async (seconds: number) => {
    const result = await runWorkload(setup.url, workload, setup.connections, seconds);
    runs.push(result);
    return result;
  };
  if (setup.warmupSeconds > 0) await timed(setup.warmupSeconds);
  const sample = await sampleCheck(setup.url, workload);

  let peakRss = 0;
  const pid = setup.subjectPid;
  const samplePeak = () => {
    if (pid !== undefined) peakRss = Math.max(peakRss, sampleProcess(pid).rssBytes);
  };
  const sampler = setInterval(samplePeak, PEAK_SAMPLE_MS);
  let before: Snapshot;
  let run: LoadResult;
  let after: Snapshot;
  try {
    before = await settledSnapshot(setup);
    run = await timed(setup.seconds);
    after = await settledSnapshot(setup);
    if (run.responses < setup.connections) {
      // Not one answer per connection: with identical requests sharing one call,
      // a whole round of 32 heavy pages can finish after the run. Measure again, longer.
      before = after;
      run = await timed(setup.seconds * EXTEND_FACTOR);
      after = await settledSnapshot(setup);
    }
  } finally {
    clearInterval(sampler);
  }
  samplePeak();
  const sum = (pick: (result: LoadResult) => number) =>
    runs.reduce((total, result) => total + pick(result), 0);

  const perSet = workload.items.length / workload.requests;
  const requests = run.responses / perSet;
  const per = (delta: number) => (delta * perSet) / Math.max(1, run.sent);
  const subjectCpu =
    before.subject && after.subject
      ? per(after.subject.cpuMicros - before.subject.cpuMicros)
      : null;
  const subjectRssMb =
    before.subject && after.subject
      ? {
          start: before.subject.rssBytes / MB,
          end: after.subject.rssBytes / MB,
          peak: Math.max(peakRss, before.subject.rssBytes, after.subject.rssBytes) / MB,
        }
      : null;

  return {
    subject: setup.subject,
    upstream: setup.upstreamKind,
    scenario: workload.scenario,
    connections: setup.connections,
    httpPerRequest: perSet,
    requestsPerSecond: requests / run.seconds,
    requests,
    seconds: run.seconds,
    latencyMs: { p50: quantile(run.latenciesMs, 0.5), p99: quantile(run.latenciesMs, 0.99) },
    errors: sum(loadErrors) + sample.problems.length,
    errorDetail: {
      connection: sum((r) => r.connectionErrors),
      timeouts: sum((r) => r.timeouts),
      non2xx: sum((r) => r.non2xx),
      badBodies: sum((r) => r.badBodies),
      sampleProblems: sample.problems,
    },
    rows: sample.rows,
    subjectCpuMicrosPerRequest: subjectCpu,
    upstreamCpuMicrosPerRequest: per(after.upstream.cpuMicros - before.upstream.cpuMicros),
    subjectRssMb,
    upstreamCallsPerRequest: per(after.responses - before.responses),
    upstreamBytesPerRequest: per(after.bytes - before.bytes),
  };
}
