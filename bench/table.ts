/** The printed report: one row per cell, then the push-down figures and the targets. */
import type { CellResult } from './cell.js';
import type { PushDown } from './pushdown.js';
import type { Soak } from './soak.js';
import type { Target } from './targets.js';

const HEADERS = [
  'upstream',
  'scenario',
  'subject',
  'conns',
  'req/s',
  'p50 ms',
  'p99 ms',
  'errors',
  'CPU µs/req',
  'upstream CPU µs/req',
  'RSS MB end',
  'peak RSS MB',
  'calls/req',
  'upstream KB/req',
  'rows',
] as const;

function fixed(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
}

function rowOf(cell: CellResult): string[] {
  const rss = cell.subjectRssMb;
  return [
    cell.upstream,
    cell.scenario,
    cell.httpPerRequest > 1 ? `${cell.subject} (×${cell.httpPerRequest})` : cell.subject,
    String(cell.connections),
    fixed(cell.requestsPerSecond, 0),
    fixed(cell.latencyMs.p50, 2),
    fixed(cell.latencyMs.p99, 2),
    String(cell.errors),
    fixed(cell.subjectCpuMicrosPerRequest, 0),
    fixed(cell.upstreamCpuMicrosPerRequest, 0),
    rss ? rss.end.toFixed(0) : '–',
    rss ? rss.peak.toFixed(0) : '–',
    fixed(cell.upstreamCallsPerRequest, 2),
    fixed(cell.upstreamBytesPerRequest / 1024, 1),
    String(cell.rows),
  ];
}

/** A Markdown table: readable in a terminal and pasted as is into the README. */
export function cellTable(cells: readonly CellResult[]): string {
  const rows = cells.map(rowOf);
  const widths = HEADERS.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const numeric = (i: number) => i >= 3;
  const line = (cols: readonly string[]) =>
    `| ${cols.map((col, i) => (numeric(i) ? col.padStart(widths[i] ?? 0) : col.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(HEADERS), rule, ...rows.map(line)].join('\n');
}

export function pushDownLines(pushDown: readonly PushDown[]): string[] {
  return pushDown.map(
    (p) =>
      `S1 upstream bytes per call (${p.upstream}): ${p.selectedFieldsBytes} B with the selected fields, ` +
      `${p.everyFieldBytes} B with every field (${((1 - p.selectedFieldsBytes / p.everyFieldBytes) * 100).toFixed(0)} % saved)`,
  );
}

/** V8's heap spaces as young generation, old generation, code, large objects, the rest. */
const SPACE_GROUPS: readonly (readonly [string, readonly string[]])[] = [
  ['young', ['new_space', 'new_large_object_space']],
  ['old', ['old_space']],
  ['code', ['code_space', 'code_large_object_space']],
  ['large objects', ['large_object_space']],
];

export function spacesText(spaces: {
  readonly beforeGc: Readonly<Record<string, number>>;
  readonly afterGc: Readonly<Record<string, number>>;
}): string {
  const grouped = new Set(SPACE_GROUPS.flatMap(([, names]) => names));
  const sum = (of: Readonly<Record<string, number>>, names: readonly string[]) =>
    names.reduce((total, name) => total + (of[name] ?? 0), 0);
  const rest = (of: Readonly<Record<string, number>>) =>
    sum(
      of,
      Object.keys(of).filter((name) => !grouped.has(name)),
    );
  const parts = SPACE_GROUPS.map(
    ([label, names]) =>
      `${label} ${sum(spaces.beforeGc, names).toFixed(0)} → ${sum(spaces.afterGc, names).toFixed(0)}`,
  );
  parts.push(`other ${rest(spaces.beforeGc).toFixed(0)} → ${rest(spaces.afterGc).toFixed(0)}`);
  return `V8 heap spaces held, MB before → after the GC: ${parts.join(', ')}`;
}

export function soakLine(soak: Soak): string {
  const series = soak.rssMb.map(([at, mb]) => `${at}s ${mb.toFixed(0)}`).join(', ');
  const heap = soak.liveHeapMb;
  const live = heap
    ? `after a full GC: heap used ${heap.heapUsed.toFixed(0)} of ${heap.heapTotal.toFixed(0)} MB, ` +
      `external ${heap.external.toFixed(0)} MB (array buffers ${heap.arrayBuffers.toFixed(0)}), RSS ${heap.rss.toFixed(0)} MB`
    : 'live heap: probe did not answer';
  const spaces = heap?.spaces ? `; ${spacesText(heap.spaces)}` : '';
  return (
    `Soak ${soak.subject} (static, distinct S1, ${soak.connections} conns, ${soak.seconds.toFixed(0)} s after ` +
    `${soak.warmupSeconds} s of warm-up): ${soak.requestsPerSecond.toFixed(0)} req/s, ${soak.errors} errors; ` +
    `peak RSS ${soak.peakRssMb.toFixed(0)} MB; RSS MB: ${series}; ${live}${spaces}`
  );
}

export function targetLines(targets: readonly Target[]): string[] {
  return targets.map((t) => {
    const verdict = t.met === null ? 'NOT MEASURED' : t.met ? 'MET' : 'NOT MET';
    return `- ${verdict}: ${t.name} (${t.goal}): ${t.measured}`;
  });
}
