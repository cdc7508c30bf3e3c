/** The printed report: a row per cell, the push-down, soak and abandon lines, the targets. */
import type { Abandon, Latencies } from './abandon.js';
import type { RunResults } from './run.js';
import type { CellResult, LiveHeap, Soak } from './measure.js';
import { mean, sum } from './stats.js';
import type { Group, Target } from './targets.js';
import { GROUPS, NOT_MEASURED } from './targets.js';

const fixed = (value: number | null | undefined, digits = 0): string =>
  value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);

/** The table's columns: heading, then the cell's figure (the first three left-aligned). */
const COLUMNS: readonly (readonly [string, (c: CellResult) => string])[] = [
  ['upstream', (c) => c.upstream],
  ['scenario', (c) => c.scenario],
  ['subject', (c) => (c.httpPerRequest > 1 ? `${c.subject} (×${c.httpPerRequest})` : c.subject)],
  ['conns', (c) => String(c.connections)],
  ['req/s', (c) => fixed(c.requestsPerSecond)],
  ['p50 ms', (c) => fixed(c.latencyMs.p50, 2)],
  ['p99 ms', (c) => fixed(c.latencyMs.p99, 2)],
  ['errors', (c) => String(c.errors)],
  ['CPU µs/req', (c) => fixed(c.subjectCpuMicrosPerRequest)],
  ['upstream CPU µs/req', (c) => fixed(c.upstreamCpuMicrosPerRequest)],
  ['RSS MB end', (c) => fixed(c.subjectRssMb?.end)],
  ['peak RSS MB', (c) => fixed(c.subjectRssMb?.peak)],
  ['calls/req', (c) => fixed(c.upstreamCallsPerRequest, 2)],
  ['upstream KB/req', (c) => fixed(c.upstreamBytesPerRequest / 1024, 1)],
  ['rows', (c) => String(c.rows)],
];

/** A Markdown table: readable in a terminal and pasted as is into the docs. */
export function cellTable(cells: readonly CellResult[]): string {
  const rows = [COLUMNS.map(([h]) => h), ...cells.map((c) => COLUMNS.map(([, of]) => of(c)))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)));
  const pad = (text: string, i: number) =>
    i < 3 ? text.padEnd(widths[i] ?? 0) : text.padStart(widths[i] ?? 0);
  const line = (row: readonly string[]) => `| ${row.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i < 3 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  const [head = [], ...body] = rows;
  return [line(head), rule, ...body.map(line)].join('\n');
}

export function pushDownLine(p: RunResults['pushDown'][number]): string {
  const saved = fixed((1 - p.selectedFieldsBytes / p.everyFieldBytes) * 100);
  return `S1 upstream bytes per call (${p.upstream}): ${p.selectedFieldsBytes} B with the selected fields, ${p.everyFieldBytes} B with every field (${saved} % saved)`;
}

/** V8's heap spaces grouped as young generation, old generation, code, large objects and the rest. */
const SPACES = {
  young: /^new_/,
  old: /^old_space$/,
  code: /^code_/,
  'large objects': /^large_obj/,
};
const groupOf = (space: string) =>
  Object.entries(SPACES).find(([, names]) => names.test(space))?.[0] ?? 'other';

export function spacesText({ beforeGc, afterGc }: LiveHeap['spaces']): string {
  const total = (of: Readonly<Record<string, number>>, group: string) => {
    const inGroup = Object.entries(of).filter(([name]) => groupOf(name) === group);
    return fixed(sum(inGroup.map(([, mb]) => mb)));
  };
  const groups = [...Object.keys(SPACES), 'other'];
  const parts = groups.map((g) => `${g} ${total(beforeGc, g)} → ${total(afterGc, g)}`);
  return `V8 heap spaces held, MB before → after the GC: ${parts.join(', ')}`;
}

export function soakLine(soak: Soak): string {
  const series = soak.rssMb.map(([at, mb]) => `${at}s ${fixed(mb)}`).join(', ');
  const heap = soak.liveHeapMb;
  const live = heap
    ? `after a full GC: heap used ${fixed(heap.heapUsed)} of ${fixed(heap.heapTotal)} MB, external ` +
      `${fixed(heap.external)} MB (array buffers ${fixed(heap.arrayBuffers)}), RSS ${fixed(heap.rss)} MB; ${spacesText(heap.spaces)}`
    : 'live heap: probe did not answer';
  return (
    `Soak ${soak.subject} (static, distinct S1, ${soak.connections} conns, ${fixed(soak.seconds)} s after ` +
    `${soak.warmupSeconds} s of warm-up): ${fixed(soak.requestsPerSecond)} req/s, ${soak.errors} errors; ` +
    `peak RSS ${fixed(soak.peakRssMb)} MB; RSS MB: ${series}; ${live}`
  );
}

const latencyText = (l: Latencies) =>
  `p50 ${fixed(l.p50, 1)}, p99 ${fixed(l.p99, 1)}, max ${fixed(l.max, 1)} ms (${l.requests} queries)`;

export function abandonLine(a: Abandon): string {
  // The gateway's CPU after the last hang-up, as means over spans of its 500 ms windows.
  const bounds = [0, 2, 10, 30, 60];
  const spans = bounds.slice(1).flatMap((to, i) => {
    const from = bounds[i] ?? 0;
    const windows = a.cpuAfter.slice(from * 2, to * 2);
    const span = `${from}–${from + windows.length / 2} s ${fixed(mean(windows) * 100)}`;
    return windows.length > 0 ? [span] : [];
  });
  return (
    `Abandoning clients (static, gateway): ${a.clients} clients hung up on 10 000-row pages after 50 ms ` +
    `for ${a.seconds} s (${a.attack.abandoned} hung up on, ${a.attack.answered} answered in time, ` +
    `${a.attack.failed} failed); one-row query every 100 ms: during ${latencyText(a.probe.during)}, ` +
    `5 s after ${latencyText(a.probe.after)}, ${a.errors} errors; gateway CPU after the last hang-up, ` +
    `% of a core: ${spans.join(', ')}; RSS ${fixed(a.rssEndMb)} MB at the end, peak ${fixed(a.peakRssMb)} MB` +
    (a.gatewayExited ? '; the gateway exited during the run' : '')
  );
}

export function targetLines(targets: Readonly<Record<Group, readonly Target[]>>): string[] {
  return Object.entries(GROUPS).flatMap(([group, heading]) => [
    '',
    heading,
    ...targets[group as Group].map(({ name, goal, measured, met }) => {
      const unjudged = measured === NOT_MEASURED ? 'NOT MEASURED' : 'REPORTED';
      const verdict = met === null ? unjudged : met ? 'MET' : 'NOT MET';
      return `- ${verdict}: ${name} (${goal}): ${measured}`;
    }),
  ]);
}
