/**
 * Runs a plan: discovery, then for each upstream every subject in turn (one
 * process alive at a time besides the upstream, so they never compete), then
 * the memory soak. Every child is stopped whatever happens.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CellResult, SubjectKind } from './cell.js';
import { measureCell } from './cell.js';
import type { Child, Upstream, UpstreamKind } from './children.js';
import { heapProbeFlags, startGateway, startProxy, startUpstream } from './children.js';
import type { Discovered } from './discover.js';
import { discover, tokensFor, variantsWith } from './discover.js';
import { postJson } from './http.js';
import { loadErrors, runWorkload } from './load.js';
import { meshWorkload, startMesh } from './mesh.js';
import type { Plan } from './plan.js';
import { groupsFor, subjectsOf } from './plan.js';
import type { PushDown } from './pushdown.js';
import { measurePushDown } from './pushdown.js';
import type { ScenarioId } from './scenarios.js';
import { TOKEN_COUNT } from './scenarios.js';
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
  readonly soaks: Soak[];
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

/** What `subject` sends for a scenario on this upstream; undefined when it has no form of it. */
function workloadFor(
  subject: SubjectKind,
  found: Discovered,
  upstream: UpstreamKind,
): Workload | undefined {
  const id = found.scenario.id;
  const variants = variantsWith(found, tokensFor(upstream, TOKEN_COUNT));
  if (subject === 'direct' || subject === 'proxy') return jsonRpcWorkload(id, variants);
  if (subject === 'mesh') return meshWorkload(id, variants);
  return graphqlWorkload(id, found.scenario.query, variants);
}

/** Long enough that every cell after the first in a process is served from the cache. */
const CACHE_TTL_MS = '60000';

function get(discovered: ReadonlyMap<ScenarioId, Discovered>, id: ScenarioId): Discovered {
  const found = discovered.get(id);
  if (!found) throw new Error(`scenario ${id} was not discovered`);
  return found;
}

interface Started {
  readonly child: Child | undefined;
  readonly url: string;
}

/** Where a subject's heap probe writes (one file per run and subject). */
function heapFileFor(subject: SubjectKind): string {
  return join(tmpdir(), `bench-heap-${process.pid}-${subject}.json`);
}

async function startSubject(
  subject: SubjectKind,
  upstream: Upstream,
  options: RunOptions,
  warnings: string[],
): Promise<Started> {
  const heapFile = heapFileFor(subject);
  if (subject === 'direct') return { child: undefined, url: upstream.url };
  if (subject === 'proxy') {
    const proxy = await startProxy(upstream.url, heapFile);
    return { child: proxy, url: proxy.url };
  }
  if (subject === 'mesh') {
    const mesh = await startMesh({
      upstreamUrl: upstream.url,
      nodeFlags: heapProbeFlags(),
      heapFile,
      log: options.log,
    });
    return { child: mesh, url: mesh.url };
  }
  const cache = subject === 'gateway-cache' ? { DATA_API_CACHE_TTL_MS: CACHE_TTL_MS } : {};
  const gateway = await startGateway({
    entry: options.entry,
    upstreamUrl: upstream.url,
    env: { ...options.gatewayEnv, ...cache },
    cpuProfileDir: options.cpuProfileDir,
    heapFile,
    ...(subject === 'gateway-noflags' ? { nodeFlags: [] } : {}),
  });
  // Its warnings join the run's once it has stopped (lines may arrive until then).
  const stop = async () => {
    await gateway.stop();
    warnings.push(...gateway.warnings);
  };
  return { child: { pid: gateway.pid, url: gateway.url, stop }, url: gateway.url };
}

/** Every scenario of the subject at its largest connection count, not measured. */
async function warmUp(
  subject: SubjectKind,
  upstream: UpstreamKind,
  url: string,
  discovered: ReadonlyMap<ScenarioId, Discovered>,
  plan: Plan,
): Promise<WarmUp[]> {
  const seconds = plan.subjectWarmupSeconds;
  const warmUps: WarmUp[] = [];
  for (const group of groupsFor(plan, subject)) {
    const workload = workloadFor(subject, get(discovered, group.scenario), upstream);
    if (!workload) continue;
    const run = await runWorkload(url, workload, Math.max(...group.connections), seconds);
    warmUps.push({ subject, upstream, scenario: group.scenario, seconds, errors: loadErrors(run) });
  }
  return warmUps;
}

/**
 * The static upstream computes each distinct call once (through its emulator)
 * and serves bytes thereafter; every distinct call is asked once here, so no
 * cell measures those first computations.
 */
export async function prime(upstream: Upstream, discovered: ReadonlyMap<ScenarioId, Discovered>) {
  const items = [...discovered.values()].flatMap(
    (found) =>
      jsonRpcWorkload(found.scenario.id, variantsWith(found, tokensFor('static', TOKEN_COUNT)))
        .items,
  );
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item) await postJson(upstream.url, item.body);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
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
    if (kind === 'static') {
      log('static upstream: filling its replies for every variant…');
      await prime(upstream, discovered);
    }
    const s1 = discovered.get('S1')?.variants[0]?.calls[0];
    if (s1) results.pushDown.push(await measurePushDown(upstream, kind, s1));
    for (const subject of subjectsOf(plan)) {
      const started = await startSubject(subject, upstream, options, results.gatewayWarnings);
      try {
        if (plan.subjectWarmupSeconds > 0) {
          log(`${kind} ${subject}: warming up on every scenario…`);
          results.warmUps.push(...(await warmUp(subject, kind, started.url, discovered, plan)));
        }
        for (const group of groupsFor(plan, subject)) {
          const workload = workloadFor(subject, get(discovered, group.scenario), kind);
          if (!workload) continue;
          for (const connections of group.connections) {
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
            const rss = cell.subjectRssMb ? `, RSS ${cell.subjectRssMb.end.toFixed(0)} MB` : '';
            log(
              `${kind} ${subject} ${group.scenario} c=${connections}: ${cell.requestsPerSecond.toFixed(0)} req/s, ` +
                `p50 ${cell.latencyMs.p50.toFixed(2)} ms, errors ${cell.errors}${rss}`,
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

/** Soaked subjects: the gateway for the full soak, the peers for theirs. */
const SOAKED: readonly SubjectKind[] = ['gateway', 'proxy', 'mesh'];

async function runSoaks(
  discovered: ReadonlyMap<ScenarioId, Discovered>,
  options: RunOptions,
  warnings: string[],
): Promise<Soak[]> {
  const { plan, log } = options;
  const upstream = await startUpstream('static');
  const soaks: Soak[] = [];
  try {
    await prime(upstream, discovered);
    for (const subject of SOAKED) {
      const main = subject === 'gateway';
      const seconds = main ? plan.soakSeconds : plan.peerSoakSeconds;
      if (seconds <= 0) continue;
      const workload = workloadFor(subject, get(discovered, 'S1'), 'static');
      if (!workload) continue;
      const warmupSeconds = main ? plan.soakWarmupSeconds : Math.min(5, plan.soakWarmupSeconds);
      log(
        `soak: ${subject}, distinct S1 at 32 connections for ${seconds} s after ${warmupSeconds} s…`,
      );
      const started = await startSubject(subject, upstream, options, warnings);
      try {
        const pid = started.child?.pid;
        if (pid === undefined) continue;
        soaks.push(
          await soak({
            subject,
            pid,
            url: started.url,
            workload,
            seconds,
            connections: 32,
            warmupSeconds,
            heapFile: heapFileFor(subject),
          }),
        );
      } finally {
        await started.child?.stop();
      }
    }
  } finally {
    await upstream.stop();
  }
  return soaks;
}

export async function runPlan(options: RunOptions): Promise<RunResults> {
  const { plan, log } = options;
  // S1 is always discovered: the push-down figures and the soaks are made of it.
  const wanted: ScenarioId[] = [
    ...new Set<ScenarioId>(['S1', ...plan.groups.map((group) => group.scenario)]),
  ];
  log('discovering the calls each scenario variant makes…');
  const discovered = await discover(options.entry, options.gatewayEnv, wanted);
  const results: RunResults = {
    discovered,
    cells: [],
    warmUps: [],
    pushDown: [],
    soaks: [],
    gatewayWarnings: [],
  };
  for (const kind of plan.upstreams) await runUpstream(kind, discovered, options, results);
  if (plan.soakSeconds <= 0) return results;
  return { ...results, soaks: await runSoaks(discovered, options, results.gatewayWarnings) };
}
