/**
 * Issue 6's targets, judged from the measured cells. A target whose cells the
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
  const name = 'S1 throughput, static upstream, 32 connections';
  const goal = 'gateway ≥ 0.6 × proxy';
  const gateway = find(cells, 'static', 'S1', 'gateway', 32);
  const proxy = find(cells, 'static', 'S1', 'proxy', 32);
  if (!gateway || !proxy) return notMeasured(name, goal);
  const ratio = gateway.requestsPerSecond / proxy.requestsPerSecond;
  return {
    name,
    goal,
    measured: `${gateway.requestsPerSecond.toFixed(0)} / ${proxy.requestsPerSecond.toFixed(0)} req/s = ${ratio.toFixed(2)}`,
    met: ratio >= 0.6,
  };
}

function cpuTarget(cells: readonly CellResult[]): Target {
  const name = 'S1 CPU per request, static upstream, 32 connections';
  const goal = 'gateway ≤ 2 × proxy';
  const gateway = find(cells, 'static', 'S1', 'gateway', 32)?.subjectCpuMicrosPerRequest;
  const proxy = find(cells, 'static', 'S1', 'proxy', 32)?.subjectCpuMicrosPerRequest;
  if (gateway === undefined || gateway === null || !proxy) return notMeasured(name, goal);
  const ratio = gateway / proxy;
  return {
    name,
    goal,
    measured: `${gateway.toFixed(0)} / ${proxy.toFixed(0)} µs = ${ratio.toFixed(2)}`,
    met: ratio <= 2,
  };
}

function latencyTarget(cells: readonly CellResult[], upstream: UpstreamKind): Target {
  const name = `S1 p50 at 1 connection, ${upstream} upstream`;
  const goal = 'gateway adds ≤ 1 ms over proxy';
  const gateway = find(cells, upstream, 'S1', 'gateway', 1);
  const proxy = find(cells, upstream, 'S1', 'proxy', 1);
  if (!gateway || !proxy) return notMeasured(name, goal);
  const added = gateway.latencyMs.p50 - proxy.latencyMs.p50;
  return {
    name,
    goal,
    measured: `${gateway.latencyMs.p50.toFixed(2)} − ${proxy.latencyMs.p50.toFixed(2)} ms = +${added.toFixed(2)} ms`,
    met: added <= 1,
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

/**
 * "No worse than linear": each added row costs no more on the largest page
 * than on the one before it. The average per row cannot say so (at 10 rows it
 * is mostly the fixed cost), the marginal cost per row can.
 */
const ROW_COST_TOLERANCE = 1.25;

function rowTarget(costs: readonly RowCost[]): Target {
  const name = 'S2/S4 added CPU per row, static upstream, 1 connection';
  const goal = `linear: marginal µs/row from 1 000 to 10 000 rows ≤ ${ROW_COST_TOLERANCE} × from 100 to 1 000`;
  const thousand = costs.find((c) => c.scenario === 'S2')?.marginalMicrosPerRow;
  const largest = costs.find((c) => c.scenario === 'S4-10000')?.marginalMicrosPerRow;
  if (thousand === undefined || thousand === null || largest === undefined || largest === null) {
    return notMeasured(name, goal);
  }
  const average = costs.map((c) => `${c.rows}: ${c.addedMicrosPerRow.toFixed(1)}`).join(', ');
  const marginal = costs
    .filter((c) => c.marginalMicrosPerRow !== null)
    .map((c) => `→${c.rows}: ${(c.marginalMicrosPerRow ?? 0).toFixed(1)}`)
    .join(', ');
  return {
    name,
    goal,
    measured: `marginal µs/row ${marginal}; average µs/row ${average}`,
    met: largest <= thousand * ROW_COST_TOLERANCE,
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
  soak: Soak | null,
): number {
  const sum = (runs: readonly { readonly errors: number }[]) =>
    runs.reduce((total, run) => total + run.errors, 0);
  return sum(cells) + sum(warmUps) + (soak?.errors ?? 0);
}

function errorTarget(
  cells: readonly CellResult[],
  warmUps: readonly WarmUp[],
  soak: Soak | null,
): Target {
  const errors = totalErrors(cells, warmUps, soak);
  const failing = [...cells, ...warmUps].filter((c) => c.errors > 0).length;
  const runs = `${cells.length} cells${warmUps.length > 0 ? ` and ${warmUps.length} warm-ups` : ''}`;
  return {
    name: 'errors in any cell',
    goal: 'none',
    measured: `${errors} errors in ${failing} of ${runs}${soak ? ' and the soak' : ''}`,
    met: errors === 0,
  };
}

/** Noise allowance for RSS: V8 grows and shrinks its heap by several MB on its own. */
const RSS_NOISE_MB = 5;
const RSS_NOISE_SHARE = 0.05;
/** Growth is counted after the first seconds, which fill caches and grow the heap to its working size. */
const RSS_SETTLE_SECONDS = 10;

function median(values: readonly number[]): number {
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
function rssTarget(soak: Soak | null): Target {
  const name = 'gateway RSS across the S3 soak (static upstream, 32 connections)';
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

export function judge(
  cells: readonly CellResult[],
  warmUps: readonly WarmUp[],
  pushDown: readonly PushDown[],
  soak: Soak | null,
): Target[] {
  return [
    throughputTarget(cells),
    cpuTarget(cells),
    latencyTarget(cells, 'static'),
    latencyTarget(cells, 'emulator'),
    rowTarget(rowCosts(cells)),
    pushDownTarget(pushDown),
    errorTarget(cells, warmUps, soak),
    rssTarget(soak),
  ];
}
