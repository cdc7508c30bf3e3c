/**
 * Runs a plan: discovery, then for each upstream every subject in turn (one
 * process alive at a time besides the upstream, so they never compete), then
 * the memory soak. Every child is stopped whatever happens.
 */
import type { CellResult, SubjectKind } from './cell.js';
import { measureCell } from './cell.js';
import type { Child, Upstream, UpstreamKind } from './children.js';
import { startGateway, startProxy, startUpstream } from './children.js';
import type { Discovered } from './discover.js';
import { discover } from './discover.js';
import { loadErrors, runWorkload } from './load.js';
import type { Plan } from './plan.js';
import type { PushDown } from './pushdown.js';
import { measurePushDown } from './pushdown.js';
import type { ScenarioId } from './scenarios.js';
import type { Soak } from './soak.js';
import { soak } from './soak.js';
import type { Workload } from './workload.js';
import { graphqlWorkload, jsonRpcWorkload } from './workload.js';

export interface RunOptions {
  readonly plan: Plan;
  /** The built gateway, `dist/index.js`. */
  readonly entry: string;
  readonly gatewayEnv: Readonly<Record<string, string>>;
  /** Profile each measured gateway process into this directory (`--cpu-prof`). */
  readonly cpuProfileDir: string | undefined;
  /** Progress lines (stderr), one per cell. */
  readonly log: (line: string) => void;
}

export interface RunResults {
  readonly discovered: ReadonlyMap<ScenarioId, Discovered>;
  readonly cells: CellResult[];
  /** Each subject's warm-up runs: not measured, but their errors count. */
  readonly warmUps: WarmUp[];
  readonly pushDown: PushDown[];
  readonly soak: Soak | null;
  /** Warnings and errors the gateway logged during the run. */
  readonly gatewayWarnings: string[];
}

export interface WarmUp {
  readonly subject: SubjectKind;
  readonly upstream: UpstreamKind;
  readonly scenario: ScenarioId;
  readonly seconds: number;
  readonly errors: number;
}

function workloadFor(subject: SubjectKind, found: Discovered): Workload {
  const id = found.scenario.id;
  return subject === 'direct' || subject === 'proxy'
    ? jsonRpcWorkload(id, found.calls)
    : graphqlWorkload(id, found.scenario.query, found.variables);
}

/** Long enough that every cell after the first in a process is served from the cache. */
const CACHE_TTL_MS = '60000';

function scenariosFor(subject: SubjectKind, plan: Plan): readonly ScenarioId[] {
  if (subject !== 'gateway-cache') return plan.scenarios;
  return plan.scenarios.filter((id) => plan.cachedScenarios.includes(id));
}

function get(discovered: ReadonlyMap<ScenarioId, Discovered>, id: ScenarioId): Discovered {
  const found = discovered.get(id);
  if (!found) throw new Error(`scenario ${id} was not discovered`);
  return found;
}

interface Started {
  readonly child: Child | undefined;
  readonly url: string;
}

async function startSubject(
  subject: SubjectKind,
  upstream: Upstream,
  options: RunOptions,
  warnings: string[],
): Promise<Started> {
  if (subject === 'direct') return { child: undefined, url: upstream.url };
  if (subject === 'proxy') {
    const proxy = await startProxy(upstream.url);
    return { child: proxy, url: proxy.url };
  }
  const cache = subject === 'gateway-cache' ? { DATA_API_CACHE_TTL_MS: CACHE_TTL_MS } : {};
  const gateway = await startGateway({
    entry: options.entry,
    upstreamUrl: upstream.url,
    env: { ...options.gatewayEnv, ...cache },
    cpuProfileDir: options.cpuProfileDir,
  });
  // Its warnings join the run's once it has stopped (lines may arrive until then).
  const stop = async () => {
    await gateway.stop();
    warnings.push(...gateway.warnings);
  };
  return { child: { pid: gateway.pid, url: gateway.url, stop }, url: gateway.url };
}

/** Every scenario of the subject at the plan's largest connection count, not measured. */
async function warmUp(
  subject: SubjectKind,
  upstream: UpstreamKind,
  url: string,
  discovered: ReadonlyMap<ScenarioId, Discovered>,
  plan: Plan,
): Promise<WarmUp[]> {
  const connections = Math.max(...plan.connections);
  const seconds = plan.subjectWarmupSeconds;
  const warmUps: WarmUp[] = [];
  for (const scenario of scenariosFor(subject, plan)) {
    const workload = workloadFor(subject, get(discovered, scenario));
    const run = await runWorkload(url, workload, connections, seconds);
    warmUps.push({ subject, upstream, scenario, seconds, errors: loadErrors(run) });
  }
  return warmUps;
}

async function runUpstream(
  kind: UpstreamKind,
  discovered: ReadonlyMap<ScenarioId, Discovered>,
  options: RunOptions,
  results: RunResults,
): Promise<void> {
  const { plan, log } = options;
  const upstream = await startUpstream(kind);
  try {
    const s1 = discovered.get('S1')?.calls[0];
    if (s1) results.pushDown.push(await measurePushDown(upstream, kind, s1));
    for (const subject of plan.subjects) {
      const started = await startSubject(subject, upstream, options, results.gatewayWarnings);
      try {
        if (plan.subjectWarmupSeconds > 0) {
          log(`${kind} ${subject}: warming up on every scenario…`);
          results.warmUps.push(...(await warmUp(subject, kind, started.url, discovered, plan)));
        }
        for (const id of scenariosFor(subject, plan)) {
          const workload = workloadFor(subject, get(discovered, id));
          for (const connections of plan.connections) {
            const cell = await measureCell({
              subject,
              upstreamKind: kind,
              upstream,
              subjectPid: started.child?.pid,
              url: started.url,
              workload,
              connections,
              warmupSeconds: plan.warmupSeconds,
              seconds: plan.seconds,
            });
            results.cells.push(cell);
            log(
              `${kind} ${subject} ${id} c=${connections}: ${cell.requestsPerSecond.toFixed(0)} req/s, ` +
                `p50 ${cell.latencyMs.p50.toFixed(2)} ms, errors ${cell.errors}`,
            );
          }
        }
      } finally {
        await started.child?.stop();
      }
    }
  } finally {
    await upstream.stop();
  }
}

async function runSoak(
  discovered: ReadonlyMap<ScenarioId, Discovered>,
  options: RunOptions,
  warnings: string[],
): Promise<Soak> {
  const upstream = await startUpstream('static');
  try {
    const gateway = await startGateway({
      entry: options.entry,
      upstreamUrl: upstream.url,
      env: options.gatewayEnv,
    });
    try {
      const workload = workloadFor('gateway', get(discovered, 'S3'));
      const { soakSeconds, soakWarmupSeconds } = options.plan;
      return await soak(gateway.pid, gateway.url, workload, soakSeconds, 32, soakWarmupSeconds);
    } finally {
      await gateway.stop();
      warnings.push(...gateway.warnings);
    }
  } finally {
    await upstream.stop();
  }
}

export async function runPlan(options: RunOptions): Promise<RunResults> {
  const { plan, log } = options;
  // S1 is always discovered: the push-down figures are made of its call.
  const wanted: ScenarioId[] = [...new Set<ScenarioId>(['S1', 'S3', ...plan.scenarios])];
  log('discovering the calls each scenario makes…');
  const discovered = await discover(options.entry, options.gatewayEnv, wanted);
  const results: RunResults = {
    discovered,
    cells: [],
    warmUps: [],
    pushDown: [],
    soak: null,
    gatewayWarnings: [],
  };
  for (const kind of plan.upstreams) await runUpstream(kind, discovered, options, results);
  if (plan.soakSeconds <= 0) return results;
  log(
    `soak: gateway, static upstream, S3 at 32 connections for ${plan.soakSeconds} s ` +
      `after ${plan.soakWarmupSeconds} s of warm-up…`,
  );
  return { ...results, soak: await runSoak(discovered, options, results.gatewayWarnings) };
}
