/**
 * The targets of issues 14, 17 and 23 as data, a row each (groups, comparison, threshold, what it
 * reads, name, goal), all judged by `evaluate`; what the plan did not measure is "not measured".
 */
import type { CellResult } from './measure.js';
import type { RunResults } from './run.js';
import { GROWTH_SERIES } from './scenarios.js';
import { median, sum } from './stats.js';

export const GROUPS = {
  issue14: 'Targets of issue 14 (distinct traffic, static upstream):',
  issue17: 'Targets of issue 17 (memory):',
  issue23: 'Targets of issue 23 (abandoning clients):',
  reported: 'Reported:',
} as const;
export type Group = keyof typeof GROUPS;
export type Measured = Pick<RunResults, 'cells' | 'warmUps' | 'pushDown' | 'soaks' | 'abandon'>;
/** The figure compared with the threshold, and its text; undefined when the run did not measure it. */
type Reader = (run: Measured) => readonly [value: number, text: string] | undefined;
export interface TargetDefinition {
  readonly groups: readonly Group[];
  /** `report`: printed, never judged. */
  readonly comparison: '<' | '≤' | '≥' | 'report';
  readonly threshold: number;
  readonly read: Reader;
  readonly name: string;
  readonly goal: string;
}
/** `met`: null when not measured, or reported and never judged. */
export type Target = { name: string; goal: string; measured: string; met: boolean | null };
export const NOT_MEASURED = 'not measured by this plan';

/** A cell of the static upstream by "scenario subject connections", e.g. "S1 gateway 32". */
const keyOf = (c: CellResult) => `${c.upstream} ${c.scenario} ${c.subject} ${c.connections}`;
const cellOf = (cells: readonly CellResult[], key: string) =>
  cells.find((c) => keyOf(c) === `static ${key}`);
const fixed = (value: number, digits = 0) => value.toFixed(digits);

const FIGURES = {
  'req/s': [0, (c: CellResult) => c.requestsPerSecond],
  µs: [0, (c: CellResult) => c.subjectCpuMicrosPerRequest],
  ms: [2, (c: CellResult) => c.latencyMs.p50],
} as const;

/** `a` ÷ `b` or `a` − `b`: one figure of two cells, each "scenario subject connections". */
function pair(how: '÷' | '−', unit: keyof typeof FIGURES, a: string, b: string): Reader {
  const [digits, of] = FIGURES[unit];
  return ({ cells }) => {
    const [x, y] = [cellOf(cells, a), cellOf(cells, b)].map((cell) => cell && of(cell));
    if (x == null || y == null) return undefined;
    const both = `${fixed(x, digits)} ${how === '÷' ? '/' : '−'} ${fixed(y, digits)} ${unit}`;
    if (how === '÷') return [x / y, `${both} = ${fixed(x / y, 2)}`];
    return [x - y, `${both} = ${x >= y ? '+' : ''}${fixed(x - y, digits)} ${unit}`];
  };
}

/** S4's growth at 1 connection (the least contended figures): gateway − proxy CPU per row. */
export function rowCosts(cells: readonly CellResult[]) {
  const costs = [];
  let last: { rows: number; added: number } | undefined;
  for (const scenario of GROWTH_SERIES) {
    const cpu = (subject: string) =>
      cellOf(cells, `${scenario} ${subject} 1`)?.subjectCpuMicrosPerRequest;
    const [gatewayCpuMicros, proxyCpuMicros] = [cpu('gateway'), cpu('proxy')];
    const rows = cellOf(cells, `${scenario} gateway 1`)?.rows;
    if (!rows || gatewayCpuMicros == null || proxyCpuMicros == null) continue;
    const added = gatewayCpuMicros - proxyCpuMicros;
    const marginal = last && rows > last.rows ? (added - last.added) / (rows - last.rows) : null;
    const perRow = { addedMicrosPerRow: added / rows, marginalMicrosPerRow: marginal };
    costs.push({ scenario, rows, gatewayCpuMicros, proxyCpuMicros, ...perRow });
    last = { rows, added };
  }
  return costs;
}

const perRow: Reader = ({ cells }) => {
  const costs = rowCosts(cells);
  const largest = costs.find((c) => c.scenario === 'S4-10000');
  const average = costs.map((c) => `${c.rows}: ${fixed(c.addedMicrosPerRow, 2)}`);
  const marginal = costs.flatMap(({ rows, marginalMicrosPerRow: m }) =>
    m === null ? [] : [`→${rows}: ${fixed(m, 2)}`],
  );
  const text = `average µs/row ${average.join(', ')}; marginal ${marginal.join(', ')}`;
  return largest && [largest.addedMicrosPerRow, text];
};

/** Every load of the run, with whose it was and its errors. */
function runsOf(r: Measured) {
  const runs = [...r.cells, ...r.warmUps, ...r.soaks];
  return r.abandon ? [...runs, r.abandon] : runs;
}
export const totalErrors = (r: Measured): number => sum(runsOf(r).map((run) => run.errors));

/** Judged on what we build and measure against; the Mesh peer's own failures are reported. */
const errors: Reader = (r) => {
  const by = new Map<string, number>();
  for (const run of runsOf(r)) by.set(run.subject, (by.get(run.subject) ?? 0) + run.errors);
  const split = [...by].flatMap(([s, n]) => (n > 0 ? [`${s} ${n}`] : [])).join(', ');
  const failing = [...r.cells, ...r.warmUps].filter((c) => c.errors > 0).length;
  const text =
    `${totalErrors(r)} errors in ${failing} of ${r.cells.length} cells` +
    (r.warmUps.length > 0 ? ` and ${r.warmUps.length} warm-ups` : '') +
    (r.soaks.length > 0 ? ` and ${r.soaks.length} soaks` : '') +
    (r.abandon ? ' and the abandoning clients' : '') +
    (split ? ` (${split})` : '');
  return [sum([...by].flatMap(([s, n]) => (s === 'mesh' ? [] : [n]))), text];
};

const gatewaySoak = (r: Measured) => r.soaks.find((s) => s.subject === 'gateway');

/**
 * A trend, not one sample (a sample at a GC's peak moves RSS by tens of MB): the median of the last
 * third of the samples after 10 s against the first third's; the figure is the growth beyond max(5
 * MB, 5 %).
 */
const rssGrowth: Reader = (r) => {
  const settled = (gatewaySoak(r)?.rssMb ?? []).filter(([at]) => at >= 10).map(([, mb]) => mb);
  const third = Math.floor(settled.length / 3);
  if (third < 1) return undefined;
  const [early, late] = [median(settled.slice(0, third)), median(settled.slice(-third))];
  const growth = `${late >= early ? '+' : ''}${fixed(late - early, 1)} MB`;
  const range = `${fixed(Math.min(...settled))}–${fixed(Math.max(...settled))} MB`;
  const text = `${fixed(early)} → ${fixed(late)} MB (${growth}); settled samples ${range}`;
  return [late - early - Math.max(5, early * 0.05), text];
};

const rssUnderLoad: Reader = (r) => {
  const cell = cellOf(r.cells, 'S1 gateway 32')?.subjectRssMb;
  const soak = gatewaySoak(r);
  const soakMax = Math.max(0, ...(soak?.rssMb ?? []).map(([, mb]) => mb));
  const ofCell = cell && `S1 cell end ${fixed(cell.end)} MB (peak ${fixed(cell.peak)})`;
  const text = [ofCell, soak && `soak max sample ${fixed(soakMax)} MB`].filter(Boolean).join('; ');
  return text ? [Math.max(cell?.end ?? 0, soakMax), text] : undefined;
};

const bigPagePeak: Reader = ({ cells }) => {
  const rss = cellOf(cells, 'S4-10000 gateway 32')?.subjectRssMb;
  return rss ? [rss.peak, `peak ${fixed(rss.peak)} MB (end ${fixed(rss.end)} MB)`] : undefined;
};

const flagCost: Reader = ({ cells }) => {
  const [tuned, plain] = [cellOf(cells, 'S1 gateway 32'), cellOf(cells, 'S1 gateway-noflags 32')];
  if (!tuned || !plain) return undefined;
  const cost = 1 - tuned.requestsPerSecond / plain.requestsPerSecond;
  const peak = (c: CellResult) => c.subjectRssMb?.peak.toFixed(0) ?? '?';
  const rps = `${fixed(tuned.requestsPerSecond)} vs ${fixed(plain.requestsPerSecond)} req/s`;
  const text = `${rps} = ${fixed(cost * 100, 1)} % (peak RSS ${peak(tuned)} vs ${peak(plain)} MB)`;
  return [cost, text];
};

const probeP99: Reader = ({ abandon: a }) => {
  if (!a) return undefined;
  const { during: d, after } = a.probe;
  const text = `during ${fixed(d.p99)} ms (${d.requests} queries), after ${fixed(after.p99)} ms (${after.requests})`;
  return [Math.max(d.p99, after.p99), text];
};

const idleAfter: Reader = ({ abandon: a }) => {
  if (!a) return undefined;
  const idle = a.idleAfterSeconds;
  if (idle !== null) return [idle, `idle ${fixed(idle, 1)} s after it`];
  const last = `${fixed((a.cpuAfter.at(-1) ?? 0) * 100)} % of a core in the last window`;
  const exited = a.gatewayExited ? '; the gateway exited' : '';
  const text = `not idle ${a.cpuAfter.length / 2} s after it (${last})${exited}`;
  return [Number.POSITIVE_INFINITY, text];
};

const coalescing: Reader = ({ cells }) => {
  const [gateway, proxy] = ['gateway', 'proxy'].map((s) => cellOf(cells, `S1-same ${s} 32`));
  if (!gateway || !proxy) return undefined;
  const ratio = gateway.requestsPerSecond / proxy.requestsPerSecond;
  const rps = `gateway ${fixed(gateway.requestsPerSecond)} / proxy ${fixed(proxy.requestsPerSecond)}`;
  const calls = fixed(gateway.upstreamCallsPerRequest, 2);
  return [ratio, `${rps} req/s = ${fixed(ratio, 2)}; ${calls} API calls per request`];
};

const pushDown: Reader = ({ pushDown: all }) => {
  const ratios = all.map((p) => p.selectedFieldsBytes / p.everyFieldBytes);
  const one = (p: Measured['pushDown'][number], i: number) =>
    `${p.upstream}: ${p.selectedFieldsBytes} vs ${p.everyFieldBytes} B (${fixed(ratios[i] ?? NaN, 2)})`;
  return all.length > 0 ? [Math.max(...ratios), all.map(one).join('; ')] : undefined;
};

// prettier-ignore
const ERRORS: TargetDefinition = { groups: ['issue14'], comparison: '≤', threshold: 0, read: errors,
  name: 'errors in any cell of the gateway and the JSON-RPC subjects (the Mesh peer reported)', goal: 'none' };

// A row per target: groups, comparison, threshold, what it reads; then its name and goal.
// prettier-ignore
export const TARGETS: readonly TargetDefinition[] = [
  { groups: ['issue14'], comparison: '≥', threshold: 0.7, read: pair('÷', 'req/s', 'S1 gateway 32', 'S1 proxy 32'),
    name: 'S1 throughput, distinct, 32 connections', goal: 'gateway ≥ 0.7 × proxy' },
  { groups: ['issue14'], comparison: '≥', threshold: 3, read: pair('÷', 'req/s', 'S1 gateway 32', 'S1 mesh 32'),
    name: 'S1 throughput vs GraphQL Mesh, distinct, 32 connections', goal: 'gateway ≥ 3 × Mesh + Hive Gateway' },
  { groups: ['issue14'], comparison: '≤', threshold: 1.5, read: pair('÷', 'µs', 'S1 gateway 32', 'S1 proxy 32'),
    name: 'S1 CPU per request, distinct, 32 connections', goal: 'gateway ≤ 1.5 × proxy' },
  { groups: ['issue14'], comparison: '≤', threshold: 0.4, read: pair('−', 'ms', 'S1 gateway 1', 'S1 proxy 1'),
    name: 'S1 p50 at 1 connection, distinct', goal: 'gateway ≤ proxy + 0.4 ms' },
  { groups: ['issue14'], comparison: '≤', threshold: 1.5, read: perRow,
    name: 'S2/S4 added CPU per row (gateway − proxy), 1 connection',
    goal: '≤ 1.5 µs per row up to 10 000 rows (judged on the 10 000-row page)' },
  ERRORS,
  { groups: ['issue14', 'issue17'], comparison: '≤', threshold: 0, read: rssGrowth,
    name: 'gateway RSS flat across the soak (distinct S1, 32 connections)',
    goal: 'no growth beyond noise: median RSS of the last third ≤ first third + max(5 MB, 5 %), after 10 s' },
  { groups: ['issue17'], comparison: '≤', threshold: 200, read: rssUnderLoad,
    name: 'gateway RSS under 32-connection distinct load', goal: '≤ 200 MB (end of the S1 cell and every soak sample)' },
  { groups: ['issue17'], comparison: '≤', threshold: 400, read: bigPagePeak,
    name: 'gateway peak RSS on 32 concurrent 10 000-row pages', goal: '≤ 400 MB' },
  { groups: ['issue17'], comparison: '≤', threshold: 0.05, read: flagCost, goal: '≤ 5 %',
    name: "throughput cost of the memory flags (npm start's, the image's command, vs none), S1 distinct, 32 connections" },
  { groups: ['issue23'], comparison: '≤', threshold: 1000, read: probeP99,
    name: 'one-row query p99 during the attack and in the 5 s after it', goal: '≤ 1 s each' },
  { groups: ['issue23'], comparison: '≤', threshold: 2, read: idleAfter, goal: 'within 2 s',
    name: "gateway CPU back to idle (< 5 % of a core over 500 ms windows) after the last client's hang-up" },
  { groups: ['issue23'], comparison: '≤', threshold: 250, read: ({ abandon: a }) => a && [a.rssEndMb, `${fixed(a.rssEndMb)} MB (peak ${fixed(a.peakRssMb)} MB)`],
    name: 'gateway RSS at the end of the abandoning clients', goal: '≤ 250 MB' },
  { groups: ['reported'], comparison: 'report', threshold: 0, read: coalescing,
    name: 'coalescing (S1-same: identical requests, 32 connections), reported', goal: 'none (identical requests share one API call)' },
  { groups: ['reported'], comparison: '<', threshold: 1, read: pushDown,
    name: 'S1 upstream bytes per call, selected fields vs every field', goal: 'reported; selected < every field' },
];

export function evaluate(target: TargetDefinition, run: Measured): Target {
  const { name, goal, comparison: is, threshold: limit } = target;
  const [value, measured] = target.read(run) ?? [Number.NaN, NOT_MEASURED];
  const met = is === '<' ? value < limit : is === '≤' ? value <= limit : value >= limit;
  return { name, goal, measured, met: measured === NOT_MEASURED || is === 'report' ? null : met };
}

export const errorTarget = (run: Measured): Target => evaluate(ERRORS, run);

/** Every group's targets, in the table's order. */
export function judge(run: Measured): Record<Group, Target[]> {
  const of = (g: Group) => TARGETS.filter((t) => t.groups.includes(g)).map((t) => evaluate(t, run));
  return {
    issue14: of('issue14'),
    issue17: of('issue17'),
    issue23: of('issue23'),
    reported: of('reported'),
  };
}
