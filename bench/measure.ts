/**
 * What the bench measures of a subject under load. A cell (subject × upstream × scenario ×
 * connections): a warm-up, a few answers parsed, the timed run between two snapshots of CPU, memory
 * and the upstream's counters; requests in flight at the end land after it, so each snapshot waits
 * for quiet and costs are per request *sent*. A soak: RSS every 5 s over a long run (growth or
 * noise?), then the live heap after a full GC; its warm-up lets the old generation fill to its
 * working size, which is not growth.
 */
import { readFile, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Upstream } from './children.js';
import { HEAP_FILE } from './children.js';
import type { LoadResult } from './load.js';
import { failuresOf, postJson, runWorkload } from './load.js';
import { CPU_RESOLUTION_MICROS, sampleProcess } from './procstat.js';
import type { ScenarioId } from './scenarios.js';
import { mean, quantile, sum } from './stats.js';
import type { Workload } from './workload.js';

/** The gateway as deployed, without its node flags (what they cost), with its response cache on. */
const GATEWAYS = ['gateway', 'gateway-noflags', 'gateway-cache'] as const;
/** Direct and the proxy send JSON-RPC; `mesh`: the GraphQL Mesh peer. */
export const SUBJECTS = ['direct', 'proxy', ...GATEWAYS, 'mesh'] as const;
export type SubjectKind = (typeof SUBJECTS)[number];
export type CellResult = Awaited<ReturnType<typeof measureCell>>;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;
const length = (list: unknown) => (Array.isArray(list) ? list.length : 0);

/** An answer's rows (JSON-RPC's `result.data`; root fields' `nodes` or Mesh's `result.data`). */
function rowsOf({ status, text }: { status: number; text: string }): number | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const failure = `HTTP ${status}: ${text.slice(0, 300)}`;
  if (status !== 200 || !isObject(body) || body.error !== undefined || body.errors !== undefined)
    return failure;
  if (isObject(body.result)) return length(body.result.data);
  if (!isObject(body.data)) return failure;
  const lists = Object.values(body.data).map(
    (f) => isObject(f) && (isObject(f.result) ? f.result.data : f.nodes),
  );
  return sum(lists.map(length));
}

/** Six requests (sets) spread over the variants, parsed: the problems, and rows per set. */
async function sampleCheck(url: string, workload: Workload) {
  const perSet = Math.max(1, Math.round(workload.items.length / workload.requests));
  const sets = Math.min(6, workload.requests);
  const problems: string[] = [];
  const rows: number[] = [];
  for (let s = 0; s < sets; s += 1) {
    const first = Math.floor((s * workload.requests) / sets) * perSet;
    const items = workload.items.slice(first, first + perSet);
    const replies = await Promise.all(
      items.map((i) => postJson(url, i.body, i.headers).then(rowsOf, String)),
    );
    problems.push(...replies.filter((r) => typeof r === 'string'));
    rows.push(sum(replies.filter((r) => typeof r === 'number')));
  }
  return { problems, rows: Math.round(mean(rows)) };
}

/** `subjectPid`: undefined for direct, which has no process of its own. */
type Subject = { subject: SubjectKind; upstream: Upstream; subjectPid: number | undefined };
type Timing = { connections: number; warmupSeconds: number; seconds: number };
export type CellSetup = Subject & Timing & { url: string; workload: Workload<ScenarioId> };

async function snapshot({ upstream, subjectPid }: CellSetup) {
  const { responses, bytes } = await upstream.stats();
  const subject = subjectPid === undefined ? undefined : sampleProcess(subjectPid);
  return { subject, upstream: sampleProcess(upstream.pid), responses, bytes };
}

/** Once in-flight work is done: no upstream call and ≤ 1 CPU tick for 100 ms (at most 10 s). */
async function settledSnapshot(setup: CellSetup) {
  let last = await snapshot(setup);
  for (let polls = 0; polls < 100; polls += 1) {
    await sleep(100);
    const next = await snapshot(setup);
    const cpu = (next.subject?.cpuMicros ?? 0) - (last.subject?.cpuMicros ?? 0);
    if (next.responses === last.responses && cpu <= CPU_RESOLUTION_MICROS) return next;
    last = next;
  }
  return last;
}

const MB = 1024 * 1024;

export async function measureCell(setup: CellSetup) {
  const { workload, subjectPid: pid, connections } = setup;
  const runs: LoadResult[] = []; // every run's errors count, the warm-up's too
  const timed = async (seconds: number) => {
    const result = await runWorkload(setup.url, workload, connections, seconds);
    runs.push(result);
    return result;
  };
  if (setup.warmupSeconds > 0) await timed(setup.warmupSeconds);
  const sample = await sampleCheck(setup.url, workload);
  let peak = 0;
  const samplePeak = () => {
    if (pid !== undefined) peak = Math.max(peak, sampleProcess(pid).rssBytes);
  };
  const sampler = setInterval(samplePeak, 100).unref();
  let before = await settledSnapshot(setup);
  let run = await timed(setup.seconds);
  let after = await settledSnapshot(setup);
  if (run.responses < connections) {
    // Not one answer per connection (32 heavy pages can outlast the run): once more, longer.
    before = after;
    run = await timed(setup.seconds * 4);
    after = await settledSnapshot(setup);
  }
  clearInterval(sampler);
  samplePeak();
  const { errors, failures } = failuresOf(runs);
  // JSON-RPC calls per set (S3 makes five; 1 for GraphQL): what one "request" stands for.
  const perSet = workload.items.length / workload.requests;
  const per = (delta: number) => (delta * perSet) / Math.max(1, run.sent);
  const [start, end] = [before.subject, after.subject];
  const rss = start && end && { start: start.rssBytes / MB, end: end.rssBytes / MB };
  return {
    subject: setup.subject,
    upstream: setup.upstream.kind,
    scenario: workload.scenario,
    connections,
    httpPerRequest: perSet,
    requestsPerSecond: run.responses / perSet / run.seconds,
    requests: run.responses / perSet,
    seconds: run.seconds,
    /** Per HTTP request (a JSON-RPC call for direct and proxy). */
    latencyMs: { p50: quantile(run.latenciesMs, 0.5), p99: quantile(run.latenciesMs, 0.99) },
    errors: errors + sample.problems.length,
    errorDetail: { ...failures, sampleProblems: sample.problems },
    rows: sample.rows,
    subjectCpuMicrosPerRequest: start && end ? per(end.cpuMicros - start.cpuMicros) : null,
    upstreamCpuMicrosPerRequest: per(after.upstream.cpuMicros - before.upstream.cpuMicros),
    subjectRssMb: rss ? { ...rss, peak: Math.max(peak / MB, rss.start, rss.end) } : null,
    upstreamCallsPerRequest: per(after.responses - before.responses),
    upstreamBytesPerRequest: per(after.bytes - before.bytes),
  };
}
type Usage = 'rss' | 'heapTotal' | 'heapUsed' | 'external' | 'arrayBuffers';
type Spaces = Record<'beforeGc' | 'afterGc', Record<string, number>>;
/** `process.memoryUsage()` after a full GC, with V8's heap spaces before and after it (MB). */
export type LiveHeap = Record<Usage, number> & { spaces: Spaces };
export type Soak = Awaited<ReturnType<typeof soak>>;

/** SIGUSR2 to the subject, then what its heap probe wrote (null if nothing within 5 s). */
async function probeHeap(pid: number): Promise<LiveHeap | null> {
  await rm(HEAP_FILE, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let tries = 0; tries < 50; tries += 1) {
    await sleep(100);
    try {
      const inMb = (_: string, value: unknown) => (typeof value === 'number' ? value / MB : value);
      return JSON.parse(await readFile(HEAP_FILE, 'utf8'), inMb) as LiveHeap; // by heapProbe.cjs
    } catch {
      // Not written yet, or half-written.
    }
  }
  return null;
}

type SoakSetup = Timing & { subject: SubjectKind; pid: number; url: string; workload: Workload };
export async function soak(setup: SoakSetup) {
  const { subject, pid, connections, warmupSeconds } = setup;
  const load = (seconds: number) => runWorkload(setup.url, setup.workload, connections, seconds);
  const warmup = warmupSeconds > 0 ? [await load(warmupSeconds)] : [];
  const started = performance.now();
  const rssMb: [seconds: number, mb: number][] = [];
  let peakRssMb = 0;
  const rss = () => {
    const mb = sampleProcess(pid).rssBytes / MB;
    peakRssMb = Math.max(peakRssMb, mb);
    return mb;
  };
  const sample = () => {
    const at = Math.round((performance.now() - started) / 1000);
    if (rssMb.at(-1)?.[0] !== at) rssMb.push([at, rss()]); // the interval may just have sampled
  };
  const timers = [setInterval(rss, 250).unref(), setInterval(sample, 5_000).unref()];
  sample();
  const run = await load(setup.seconds);
  sample();
  timers.forEach(clearInterval);
  const { latenciesMs: ms } = run;
  return {
    subject,
    seconds: run.seconds,
    connections,
    requestsPerSecond: run.responses / run.seconds,
    ...failuresOf([...warmup, run]), // the warm-up's included
    latencyMs: { p50: quantile(ms, 0.5), p99: quantile(ms, 0.99), max: quantile(ms, 1) },
    rssMb,
    peakRssMb,
    warmupSeconds,
    liveHeapMb: await probeHeap(pid),
  };
}
