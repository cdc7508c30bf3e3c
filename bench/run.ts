/**
 * Runs a plan: discovery; for each upstream every subject in turn (one process at a time besides
 * the upstream, so they never compete); the soaks; the abandoning clients.
 */
import { runAbandon } from './abandon.js';
import type { Upstream, UpstreamKind } from './children.js';
import { startGateway, startProxy, startUpstream } from './children.js';
import { failuresOf, postJson, runWorkload } from './load.js';
import { meshWorkload, startMesh } from './mesh.js';
import type { Plan } from './plan.js';
import type { ScenarioId } from './scenarios.js';
import { TOKEN_COUNT } from './scenarios.js';
import type { CellResult, Soak, SubjectKind } from './measure.js';
import { measureCell, soak } from './measure.js';
import type { Discovered } from './workload.js';
import { discover, graphqlWorkload, jsonRpcBody, jsonRpcWorkload } from './workload.js';
import { tokensFor, variantsWith } from './workload.js';

/** `entry`: the built gateway; `cpuProfileDir`: `--cpu-prof`; `log`: progress lines (stderr). */
export type RunOptions = { plan: Plan; entry: string; gatewayEnv: Record<string, string> } & Output;
type Output = { cpuProfileDir: string | undefined; log: (line: string) => void };
export type RunResults = Awaited<ReturnType<typeof runPlan>>;

/**
 * `warmUps`: a subject's first runs, not measured but their errors count; `pushDown`: S1's call
 * with its fields and without, weighed by the upstream.
 */
type Collected = {
  cells: CellResult[];
  warmUps: { subject: SubjectKind; upstream: UpstreamKind; scenario: ScenarioId; errors: number }[];
  pushDown: { upstream: UpstreamKind; selectedFieldsBytes: number; everyFieldBytes: number }[];
};
type Run = RunOptions & { found: ReadonlyMap<ScenarioId, Discovered>; results: Collected };

/** What `subject` sends for a scenario on this upstream; undefined when it has no form of it. */
function workloadFor(run: Run, subject: SubjectKind, id: ScenarioId, upstream: UpstreamKind) {
  const discovered = run.found.get(id);
  if (!discovered) throw new Error(`scenario ${id} was not discovered`);
  const variants = variantsWith(discovered, tokensFor(upstream, TOKEN_COUNT));
  if (subject === 'direct' || subject === 'proxy') return jsonRpcWorkload(id, variants);
  if (subject === 'mesh') return meshWorkload(id, variants);
  return graphqlWorkload(id, discovered.scenario.query, variants);
}

/** The subject in front of `upstream` (direct has no process of its own). */
async function startSubject(run: Run, subject: SubjectKind, upstream: Upstream) {
  const upstreamUrl = upstream.url;
  if (subject === 'direct') return { pid: undefined, url: upstreamUrl, stop: async () => {} };
  if (subject === 'proxy') return startProxy(upstreamUrl);
  if (subject === 'mesh') return startMesh(upstreamUrl, run.log);
  // gateway-cache: long enough that every cell after the first is served from the cache.
  const cache = subject === 'gateway-cache' ? { DATA_API_CACHE_TTL_MS: '60000' } : {};
  const flags = subject === 'gateway-noflags' ? { nodeFlags: [] } : {};
  const { entry, cpuProfileDir, gatewayEnv } = run;
  const env = { ...gatewayEnv, ...cache };
  return startGateway({ entry, upstreamUrl, env, cpuProfileDir, ...flags });
}

/**
 * The static upstream computes each distinct call once and serves bytes thereafter: every call is
 * asked once here, so no cell measures those first computations (the bench tokens share the demo
 * token's replies).
 */
async function prime(run: Run, upstream: Upstream) {
  const calls = [...run.found.values()].flatMap((f) => f.variants.flatMap((v) => v.calls));
  const send = async (): Promise<void> => {
    const call = calls.shift();
    if (call) await postJson(upstream.url, jsonRpcBody(call)).then(send);
  };
  await Promise.all([send(), send(), send(), send()]);
}

async function measurePushDown(run: Run, upstream: Upstream) {
  const call = run.found.get('S1')?.variants[0]?.calls[0];
  const { fields, ...everyField } = call?.params ?? {};
  if (!call || fields === undefined) return;
  const weigh = async (params: Record<string, unknown>) => {
    const before = (await upstream.stats()).bytes;
    const reply = await postJson(upstream.url, jsonRpcBody({ method: call.method, params }));
    if (reply.status !== 200 || reply.text.includes('"error"')) throw new Error(reply.text);
    return (await upstream.stats()).bytes - before;
  };
  const selectedFieldsBytes = await weigh(call.params);
  const everyFieldBytes = await weigh(everyField);
  run.results.pushDown.push({ upstream: upstream.kind, selectedFieldsBytes, everyFieldBytes });
}

/** A subject's warm-up on every scenario at its largest connection count, then its cells. */
async function measureSubject(run: Run, subject: SubjectKind, upstream: Upstream) {
  const { plan, log, results } = run;
  const kind = upstream.kind;
  const started = await startSubject(run, subject, upstream);
  try {
    const groups = plan.groups.flatMap((group) => {
      if (!group.subjects.includes(subject)) return [];
      const workload = workloadFor(run, subject, group.scenario, kind);
      return workload ? [{ ...group, workload }] : [];
    });
    const seconds = plan.subjectWarmupSeconds;
    if (seconds > 0) log(`${kind} ${subject}: warming up on every scenario…`);
    for (const { scenario, workload, connections } of seconds > 0 ? groups : []) {
      const warm = await runWorkload(started.url, workload, Math.max(...connections), seconds);
      const { errors } = failuresOf([warm]);
      results.warmUps.push({ subject, upstream: kind, scenario, errors });
    }
    const setup = { ...plan, subject, upstream, subjectPid: started.pid, url: started.url };
    for (const { scenario, workload, connections: counts } of groups) {
      for (const connections of counts) {
        const cell = await measureCell({ ...setup, workload, connections });
        results.cells.push(cell);
        const rss = cell.subjectRssMb ? `, RSS ${cell.subjectRssMb.end.toFixed(0)} MB` : '';
        const { requestsPerSecond: rps, latencyMs, errors } = cell;
        const figures = `${rps.toFixed(0)} req/s, p50 ${latencyMs.p50.toFixed(2)} ms`;
        log(`${kind} ${subject} ${scenario} c=${connections}: ${figures}, errors ${errors}${rss}`);
      }
    }
  } finally {
    await started.stop();
  }
}

/** Distinct S1 at 32 connections: the gateway for the full soak, the proxy and Mesh for theirs. */
async function runSoaks(run: Run, upstream: Upstream) {
  const { plan, log } = run;
  const soaks: Soak[] = [];
  for (const subject of ['gateway', 'proxy', 'mesh'] as const) {
    const main = subject === 'gateway';
    const seconds = main ? plan.soakSeconds : plan.peerSoakSeconds;
    const workload = workloadFor(run, subject, 'S1', 'static');
    if (seconds <= 0 || !workload) continue;
    const warmupSeconds = main ? plan.soakWarmupSeconds : Math.min(5, plan.soakWarmupSeconds);
    log(`soak: ${subject}, distinct S1 at 32 connections, ${seconds} s after ${warmupSeconds} s…`);
    const { pid, url, stop } = await startSubject(run, subject, upstream);
    try {
      const setup = { subject, url, workload, seconds, connections: 32, warmupSeconds };
      if (pid !== undefined) soaks.push(await soak({ ...setup, pid }));
    } finally {
      await stop();
    }
  }
  return soaks;
}

/** Starts an upstream (the static one primed), runs `body` with it, stops it. */
async function withUpstream<T>(run: Run, kind: UpstreamKind, body: (u: Upstream) => Promise<T>) {
  const upstream = await startUpstream(kind);
  try {
    if (kind === 'static') {
      run.log('static upstream: filling its replies for every variant…');
      await prime(run, upstream);
    }
    return await body(upstream);
  } finally {
    await upstream.stop();
  }
}

export async function runPlan(options: RunOptions) {
  const { plan, log, entry, gatewayEnv } = options;
  // S1 comes whenever anything runs: the push-down figures and the soaks are made of it.
  const wanted = new Set<ScenarioId>(plan.groups.length > 0 || plan.soakSeconds > 0 ? ['S1'] : []);
  for (const group of plan.groups) wanted.add(group.scenario);
  if (wanted.size > 0) log('discovering the calls each scenario variant makes…');
  const found = wanted.size > 0 ? await discover(entry, gatewayEnv, [...wanted]) : new Map();
  const results: Collected = { cells: [], warmUps: [], pushDown: [] };
  const run: Run = { ...options, found, results };
  for (const kind of plan.groups.length > 0 ? plan.upstreams : []) {
    await withUpstream(run, kind, async (upstream) => {
      await measurePushDown(run, upstream);
      for (const subject of new Set(plan.groups.flatMap((g) => g.subjects))) {
        await measureSubject(run, subject, upstream);
      }
    });
  }
  let soaks: Soak[] = [];
  if (plan.soakSeconds > 0) soaks = await withUpstream(run, 'static', (u) => runSoaks(run, u));
  const seconds = plan.abandonSeconds;
  const abandon = seconds > 0 ? await runAbandon({ ...options, seconds }) : undefined;
  return { discovered: run.found, ...results, soaks, abandon };
}
