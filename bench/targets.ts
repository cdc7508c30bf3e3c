/**
 * Issues 14's and 17's targets, judged from the measured cells (distinct
 * traffic, static upstream). A target whose cells the
 * plan did not measure is `met: null` ("not measured"), never guessed.
 */
import type { CellResult, SubjectKind } from './cell.js';
import type { UpstreamKind } from './children.js';
import type { PushDown } from './pushdown.js';
import type { WarmUp } from './run.js';
import type { ScenarioId } from './scenarios.js';
import { GROWTH_SERIES } from './scenarios.js';
import type { Soak } from './soak.js';

export interface Target {
  readonly name: string;
  readonly goal: string;
  readonly measured: string;
  readonly met: boolean | null;
}

/** Rows of S4's growth series, in µs of CPU. */
export interface RowCost {
  readonly scenario: ScenarioId;
  readonly rows: number;
  readonly gatewayCpuMicros: number;
  readonly proxyCpuMicros: number;
  /** (gateway − proxy) / rows: the average, fixed costs included. */
  readonly addedMicrosPerRow: number;
  /** Growth of (gateway − proxy) since the previous page size, per added row; null for the first. */
  readonly marginalMicrosPerRow: number | null;
}

function find(
  cells: readonly CellResult[],
  upstream: UpstreamKind,
  scenario: ScenarioId,
  subject: SubjectKind,
  connections: number,
): CellResult | undefined {
  return cells.find(
    (c) =>
      c.upstream === upstream &&
      c.scenario === scenario &&
      c.subject === subject &&
      c.connections === connections,
  );
}

const notMeasured = (name: string, goal: string): Target => ({
  name,
  goal,
  measured: 'not measured by this plan',
  met: null,
});

function throughputTarget(cells: readonly CellResult[]): Target {
  const name = 'S1 throughput, distinct, 32 connections';
  const goal = 'gateway ≥ 0.7 × proxy';
  const gateway = find(cells, 'static', 'S1', 'gateway', 32);
  const proxy = find(cells, 'static', 'S1', 'proxy', 32);
  if (!gateway || !proxy) return notMeasured(name, goal);
  const ratio = gateway.requestsPerSecond / proxy.requestsPerSecond;
  return {
    name,
    goal,
    measured: `${gateway.requestsPerSecond.toFixed(0)} / ${proxy.requestsPerSecond.toFixed(0)} req/s = ${ratio.toFixed(2)}`,
    met: ratio >= 0.7,
  };
}

function meshTarget(cells: readonly CellResult[]): Target {
  const name = 'S1 throughput vs GraphQL Mesh, distinct, 32 connections';
  const goal = 'gateway ≥ 3 × Mesh + Hive Gateway';
  const gateway = find(cells, 'static', 'S1', 'gateway', 32);
  const mesh = find(cells, 'static', 'S1', 'mesh', 32);
  if (!gateway || !mesh) return notMeasured(name, goal);
  const ratio = gateway.requestsPerSecond / mesh.requestsPerSecond;
  return {
    name,
    goal,
    measured: `${gateway.requestsPerSecond.toFixed(0)} / ${mesh.requestsPerSecond.toFixed(0)} req/s = ${ratio.toFixed(2)}`,
    met: ratio >= 3,
  };
}

function cpuTarget(cells: readonly CellResult[]): Target {
  const name = 'S1 CPU per request, distinct, 32 connections';
  const goal = 'gateway ≤ 1.5 × proxy';
  const gateway = find(cells, 'static', 'S1', 'gateway', 32)?.subjectCpuMicrosPerRequest;
  const proxy = find(cells, 'static', 'S1', 'proxy', 32)?.subjectCpuMicrosPerRequest;
  if (gateway === undefined || gateway === null || !proxy) return notMeasured(name, goal);
  const ratio = gateway / proxy;
  return {
    name,
    goal,
    measured: `${gateway.toFixed(0)} / ${proxy.toFixed(0)} µs = ${ratio.toFixed(2)}`,
    met: ratio <= 1.5,
  };
}

function latencyTarget(cells: readonly CellResult[]): Target {
  const name = 'S1 p50 at 1 connection, distinct';
  const goal = 'gateway ≤ proxy + 0.4 ms';
  const gateway = find(cells, 'static', 'S1', 'gateway', 1);
  const proxy = find(cells, 'static', 'S1', 'proxy', 1);
  if (!gateway || !proxy) return notMeasured(name, goal);
  const added = gateway.latencyMs.p50 - proxy.latencyMs.p50;
  return {
    name,
    goal,
    measured: `${gateway.latencyMs.p50.toFixed(2)} − ${proxy.latencyMs.p50.toFixed(2)} ms = +${added.toFixed(2)} ms`,
    met: added <= 0.4,
  };
}

/** S4's growth on the static upstream at 1 connection (the least contended figures). */
export function rowCosts(cells: readonly CellResult[]): RowCost[] {
  const costs: RowCost[] = [];
  let previous: { rows: number; added: number } | undefined;
  for (const scenario of GROWTH_SERIES) {
    const gateway = find(cells, 'static', scenario, 'gateway', 1);
    const proxy = find(cells, 'static', scenario, 'proxy', 1);
    const gatewayCpu = gateway?.subjectCpuMicrosPerRequest;
    const proxyCpu = proxy?.subjectCpuMicrosPerRequest;
    if (!gateway || gatewayCpu === undefined || gatewayCpu === null) continue;
    if (proxyCpu === undefined || proxyCpu === null || gateway.rows === 0) continue;
    const added = gatewayCpu - proxyCpu;
    const rows = gateway.rows;
    costs.push({
      scenario,
      rows,
      gatewayCpuMicros: gatewayCpu,
      proxyCpuMicros: proxyCpu,
      addedMicrosPerRow: added / rows,
      marginalMicrosPerRow:
        previous && rows > previous.rows ? (added - previous.added) / (rows - previous.rows) : null,
    });
    previous = { rows, added };
  }
  return costs;
}

const ROW_BUDGET_MICROS = 1.5;

function rowTarget(costs: readonly RowCost[]): Target {
  const name = 'S2/S4 added CPU per row (gateway − proxy), 1 connection';
  const goal = `≤ ${ROW_BUDGET_MICROS} µs per row up to 10 000 rows (judged on the 10 000-row page)`;
  const largest = costs.find((c) => c.scenario === 'S4-10000');
  if (!largest) return notMeasured(name, goal);
  const average = costs.map((c) => `${c.rows}: ${c.addedMicrosPerRow.toFixed(2)}`).join(', ');
  const marginal = costs
    .filter((c) => c.marginalMicrosPerRow !== null)
    .map((c) => `→${c.rows}: ${(c.marginalMicrosPerRow ?? 0).toFixed(2)}`)
    .join(', ');
  return {
    name,
    goal,
    measured: `average µs/row ${average}; marginal ${marginal}`,
    met: largest.addedMicrosPerRow <= ROW_BUDGET_MICROS,
  };
}

function pushDownTarget(pushDown: readonly PushDown[]): Target {
  const name = 'S1 upstream bytes per call, selected fields vs every field';
  const goal = 'reported; selected < every field';
  const first = pushDown[0];
  if (!first) return notMeasured(name, goal);
  const measured = pushDown
    .map(
      (p) =>
        `${p.upstream}: ${p.selectedFieldsBytes} vs ${p.everyFieldBytes} B (${(p.selectedFieldsBytes / p.everyFieldBytes).toFixed(2)})`,
    )
    .join('; ');
  return {
    name,
    goal,
    measured,
    met: pushDown.every((p) => p.selectedFieldsBytes < p.everyFieldBytes),
  };
}

/** Errors of every load the run sent: cells, subject warm-ups and the soak. */
export function totalErrors(
  cells: readonly CellResult[],
  warmUps: readonly WarmUp[],
  soaks: readonly Soak[],
): number {
  const sum = (runs: readonly { readonly errors: number }[]) =>
    runs.reduce((total, run) => total + run.errors, 0);
  return sum(cells) + sum(warmUps) + sum(soaks);
}

export function errorTarget(
  cells: readonly CellResult[],
  warmUps: readonly WarmUp[],
  soaks: readonly Soak[],
): Target {
  const errors = totalErrors(cells, warmUps, soaks);
  const failing = [...cells, ...warmUps].filter((c) => c.errors > 0).length;
  const runs = `${cells.length} cells${warmUps.length > 0 ? ` and ${warmUps.length} warm-ups` : ''}`;
  // Judged on what we build and measure against (the peer's own failures are reported, not ours).
  const bySubject = new Map<string, number>();
  for (const run of [...cells, ...warmUps, ...soaks]) {
    bySubject.set(run.subject, (bySubject.get(run.subject) ?? 0) + run.errors);
  }
  const ours = [...bySubject].filter(([subject]) => subject !== 'mesh');
  const split = [...bySubject]
    .filter(([, n]) => n > 0)
    .map(([subject, n]) => `${subject} ${n}`)
    .join(', ');
  return {
    name: 'errors in any cell of the gateway and the JSON-RPC subjects (the Mesh peer reported)',
    goal: 'none',
    measured: `${errors} errors in ${failing} of ${runs}${soaks.length > 0 ? ` and ${soaks.length} soaks` : ''}${split ? ` (${split})` : ''}`,
    met: ours.every(([, n]) => n === 0),
  };
}

/** Noise allowance for RSS: V8 grows and shrinks its heap by several MB on its own. */
const RSS_NOISE_MB = 5;
const RSS_NOISE_SHARE = 0.05;
/** Growth is counted after the first seconds, which fill caches and grow the heap to its working size. */
const RSS_SETTLE_SECONDS = 10;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

/**
 * Trend, not a single sample: the median of the last third of the settled
 * samples against the median of the first third (a sample taken at a GC's
 * peak moves RSS by tens of MB on its own).
 */
function rssTarget(soak: Soak | undefined): Target {
  const name = 'gateway RSS flat across the soak (distinct S1, 32 connections)';
  const goal =
    `no growth beyond noise: median RSS of the last third ≤ first third + ` +
    `max(${RSS_NOISE_MB} MB, ${RSS_NOISE_SHARE * 100} %), after ${RSS_SETTLE_SECONDS} s`;
  if (!soak) return notMeasured(name, goal);
  const settled = soak.rssMb.filter(([at]) => at >= RSS_SETTLE_SECONDS).map(([, mb]) => mb);
  const third = Math.floor(settled.length / 3);
  if (third < 1) return notMeasured(name, goal);
  const early = median(settled.slice(0, third));
  const late = median(settled.slice(-third));
  const growth = late - early;
  const range = `${Math.min(...settled).toFixed(0)}–${Math.max(...settled).toFixed(0)} MB`;
  return {
    name,
    goal,
    measured:
      `${early.toFixed(0)} → ${late.toFixed(0)} MB (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB); ` +
      `settled samples ${range}`,
    met: growth <= Math.max(RSS_NOISE_MB, early * RSS_NOISE_SHARE),
  };
}

const RSS_BUDGET_MB = 200;
const PEAK_BUDGET_MB = 400;
const FLAG_COST_SHARE = 0.05;

function rssBudgetTarget(cells: readonly CellResult[], soak: Soak | undefined): Target {
  const name = 'gateway RSS under 32-connection distinct load';
  const goal = `≤ ${RSS_BUDGET_MB} MB (end of the S1 cell and every soak sample)`;
  const cell = find(cells, 'static', 'S1', 'gateway', 32)?.subjectRssMb;
  if (!cell && !soak) return notMeasured(name, goal);
  const soakMax = soak ? Math.max(...soak.rssMb.map(([, mb]) => mb)) : 0;
  const worst = Math.max(cell?.end ?? 0, soakMax);
  const parts = [
    cell ? `S1 cell end ${cell.end.toFixed(0)} MB (peak ${cell.peak.toFixed(0)})` : undefined,
    soak ? `soak max sample ${soakMax.toFixed(0)} MB` : undefined,
  ].filter((part) => part !== undefined);
  return { name, goal, measured: parts.join('; '), met: worst <= RSS_BUDGET_MB };
}

function peakTarget(cells: readonly CellResult[]): Target {
  const name = 'gateway peak RSS on 32 concurrent 10 000-row pages';
  const goal = `≤ ${PEAK_BUDGET_MB} MB`;
  const cell = find(cells, 'static', 'S4-10000', 'gateway', 32)?.subjectRssMb;
  if (!cell) return notMeasured(name, goal);
  return {
    name,
    goal,
    measured: `peak ${cell.peak.toFixed(0)} MB (end ${cell.end.toFixed(0)} MB)`,
    met: cell.peak <= PEAK_BUDGET_MB,
  };
}

function flagCostTarget(cells: readonly CellResult[]): Target {
  const name =
    "throughput cost of the memory flags (npm start's and the image's NODE_OPTIONS vs none), S1 distinct, 32 connections";
  const goal = `≤ ${FLAG_COST_SHARE * 100} %`;
  const tuned = find(cells, 'static', 'S1', 'gateway', 32);
  const plain = find(cells, 'static', 'S1', 'gateway-noflags', 32);
  if (!tuned || !plain) return notMeasured(name, goal);
  const cost = 1 - tuned.requestsPerSecond / plain.requestsPerSecond;
  const rss = (cell: CellResult) => cell.subjectRssMb?.peak.toFixed(0) ?? '?';
  return {
    name,
    goal,
    measured:
      `${tuned.requestsPerSecond.toFixed(0)} vs ${plain.requestsPerSecond.toFixed(0)} req/s = ` +
      `${(cost * 100).toFixed(1)} % (peak RSS ${rss(tuned)} vs ${rss(plain)} MB)`,
    met: cost <= FLAG_COST_SHARE,
  };
}

/** Not a target: what single flight makes of identical requests, for the record. */
function coalescingLine(cells: readonly CellResult[]): Target {
  const name = 'coalescing (S1-same: identical requests, 32 connections), reported';
  const goal = 'none (identical requests share one API call)';
  const gateway = find(cells, 'static', 'S1-same', 'gateway', 32);
  const proxy = find(cells, 'static', 'S1-same', 'proxy', 32);
  if (!gateway || !proxy) return notMeasured(name, goal);
  return {
    name,
    goal,
    measured:
      `gateway ${gateway.requestsPerSecond.toFixed(0)} / proxy ${proxy.requestsPerSecond.toFixed(0)} req/s = ` +
      `${(gateway.requestsPerSecond / proxy.requestsPerSecond).toFixed(2)}; ${gateway.upstreamCallsPerRequest.toFixed(2)} API calls per request`,
    met: null,
  };
}

export function judge(
  cells: readonly CellResult[],
  warmUps: readonly WarmUp[],
  pushDown: readonly PushDown[],
  soaks: readonly Soak[],
): { issue14: Target[]; issue17: Target[]; reported: Target[] } {
  const gatewaySoak = soaks.find((s) => s.subject === 'gateway');
  return {
    issue14: [
      throughputTarget(cells),
      meshTarget(cells),
      cpuTarget(cells),
      latencyTarget(cells),
      rowTarget(rowCosts(cells)),
      errorTarget(cells, warmUps, soaks),
      rssTarget(gatewaySoak),
    ],
    issue17: [
      rssBudgetTarget(cells, gatewaySoak),
      rssTarget(gatewaySoak),
      peakTarget(cells),
      flagCostTarget(cells),
    ],
    reported: [coalescingLine(cells), pushDownTarget(pushDown)],
  };
}
