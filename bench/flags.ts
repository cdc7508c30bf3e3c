/**
 * `npm run bench:flags`: what node flags cost and save, side by side. One
 * static upstream; for each round, each flag set in turn (the order rotated
 * every round, so drift of a shared machine spreads over all of them): a fresh
 * gateway, a warm-up, then the distinct S1 cell at 32 connections and,
 * optionally, 32 concurrent 10 000-row pages. Prints per set the median
 * throughput, CPU per request, RSS at the end of the S1 cell, the peak RSS,
 * and each one's ratio to the first set.
 *
 *   npm run bench:flags [-- --rounds 3 --seconds 10 --big
 *                          --set "npm start=" --set "none=" --set "semi 16=--max-semi-space-size=16"]
 *
 * A set is `label=flags` (space-separated node flags); `npm start=` with
 * nothing after it means npm start's own flags, `deployed=` those plus the
 * image's NODE_OPTIONS (the Dockerfile's heap cap). Environment variables that
 * change memory (e.g. MALLOC_ARENA_MAX) go in as `env:NAME=VALUE` words.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { imageNodeOptions, startNodeFlags } from '../scripts/startCommand.js';
import type { CellResult } from './cell.js';
import { measureCell } from './cell.js';
import { startGateway, startUpstream, stopAllChildren } from './children.js';
import type { Discovered } from './discover.js';
import { discover, tokensFor, variantsWith } from './discover.js';
import { runWorkload } from './load.js';
import { prime } from './run.js';
import type { ScenarioId } from './scenarios.js';
import { TOKEN_COUNT } from './scenarios.js';
import type { Workload } from './workload.js';
import { median } from './targets.js';
import { graphqlWorkload } from './workload.js';

interface FlagSet {
  readonly label: string;
  readonly nodeFlags: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

const NPM_START = 'npm start';
const DEPLOYED = 'deployed';

export function parseSet(text: string): FlagSet {
  const at = text.indexOf('=');
  if (at <= 0) throw new Error(`--set must be label=flags, got "${text}"`);
  const label = text.slice(0, at);
  const words = text
    .slice(at + 1)
    .split(/\s+/)
    .filter(Boolean);
  const env: Record<string, string> = {};
  const nodeFlags: string[] = [];
  for (const word of words) {
    const assignment = /^env:([A-Z_][A-Z0-9_]*)=(.*)$/.exec(word);
    if (assignment?.[1] !== undefined) env[assignment[1]] = assignment[2] ?? '';
    else nodeFlags.push(word);
  }
  if (words.length === 0 && label === DEPLOYED) {
    const options = imageNodeOptions();
    return {
      label,
      nodeFlags: startNodeFlags(),
      env: options === undefined ? {} : { NODE_OPTIONS: options },
    };
  }
  const flags = label === NPM_START && words.length === 0 ? startNodeFlags() : nodeFlags;
  return { label, nodeFlags: flags, env };
}

interface Measured {
  readonly s1: CellResult;
  readonly big: CellResult | undefined;
}

function workloadOf(found: Discovered | undefined): Workload {
  if (!found) throw new Error('scenario not discovered');
  return graphqlWorkload(
    found.scenario.id,
    found.scenario.query,
    variantsWith(found, tokensFor('static', TOKEN_COUNT)),
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      entry: { type: 'string', default: 'dist/index.js' },
      rounds: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '5' },
      big: { type: 'boolean', default: false },
      set: { type: 'string', multiple: true },
    },
  });
  const entry = resolve(values.entry);
  const sets = (values.set ?? [`${NPM_START}=`, 'none=', 'semi 16=--max-semi-space-size=16']).map(
    parseSet,
  );
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  const warmup = Number(values.warmup);
  const scenarios: ScenarioId[] = values.big ? ['S1', 'S4-10000'] : ['S1'];
  const log = (line: string) => process.stderr.write(`${line}\n`);

  log('discovering the calls of each variant…');
  const discovered = await discover(entry, {}, scenarios);
  const upstream = await startUpstream('static');
  const results = new Map<string, Measured[]>(sets.map((set) => [set.label, []]));
  try {
    // Every distinct call once, so no cell measures the static upstream's first computations.
    await prime(upstream, discovered);
    const s1 = workloadOf(discovered.get('S1'));
    const big = values.big ? workloadOf(discovered.get('S4-10000')) : undefined;
    for (let round = 0; round < rounds; round += 1) {
      const order = sets.map((_, i) => sets[(i + round) % sets.length]);
      for (const set of order) {
        if (!set) continue;
        const gateway = await startGateway({
          entry,
          upstreamUrl: upstream.url,
          env: set.env,
          nodeFlags: set.nodeFlags,
        });
        try {
          await runWorkload(gateway.url, s1, 32, warmup);
          const cell = (workload: Workload) =>
            measureCell({
              subject: 'gateway',
              upstreamKind: 'static',
              upstream,
              subjectPid: gateway.pid,
              url: gateway.url,
              workload,
              connections: 32,
              warmupSeconds: 0,
              seconds,
            });
          const measured: Measured = { s1: await cell(s1), big: big ? await cell(big) : undefined };
          results.get(set.label)?.push(measured);
          log(
            `round ${round + 1} ${set.label}: ${measured.s1.requestsPerSecond.toFixed(0)} req/s, ` +
              `RSS ${measured.s1.subjectRssMb?.end.toFixed(0)} MB` +
              (measured.big
                ? `, 10 000-row peak ${measured.big.subjectRssMb?.peak.toFixed(0)} MB`
                : ''),
          );
        } finally {
          await gateway.stop();
        }
      }
    }
  } finally {
    await upstream.stop();
    await stopAllChildren();
  }

  const summary = sets.map((set) => {
    const runs = results.get(set.label) ?? [];
    return {
      set,
      rps: median(runs.map((r) => r.s1.requestsPerSecond)),
      cpu: median(runs.map((r) => r.s1.subjectCpuMicrosPerRequest ?? NaN)),
      rssEnd: median(runs.map((r) => r.s1.subjectRssMb?.end ?? NaN)),
      peak: Math.max(...runs.map((r) => r.s1.subjectRssMb?.peak ?? NaN)),
      bigPeak: Math.max(...runs.map((r) => r.big?.subjectRssMb?.peak ?? NaN)),
      errors: runs.reduce((n, r) => n + r.s1.errors + (r.big?.errors ?? 0), 0),
    };
  });
  const base = summary[0];
  const ratio = (value: number, of: number | undefined) =>
    of === undefined ? '' : ` (${(value / of).toFixed(2)})`;
  const lines = [
    `Node flags side by side: distinct S1, 32 connections, static upstream, ${rounds} interleaved rounds of ${seconds} s (medians; ratio to "${base?.set.label}")`,
    '',
    `| flags | req/s | CPU µs/req | RSS MB end of S1 | peak RSS MB S1 |${values.big ? ' peak RSS MB 32 × 10 000 rows |' : ''} errors |`,
    `|---|---:|---:|---:|---:|${values.big ? '---:|' : ''}---:|`,
    ...summary.map(
      (s) =>
        `| ${s.set.label}: \`${[...Object.entries(s.set.env).map(([k, v]) => `${k}=${v}`), ...s.set.nodeFlags].join(' ') || '(none)'}\` ` +
        `| ${s.rps.toFixed(0)}${ratio(s.rps, base?.rps)} | ${s.cpu.toFixed(0)}${ratio(s.cpu, base?.cpu)} ` +
        `| ${s.rssEnd.toFixed(0)} | ${s.peak.toFixed(0)} |${values.big ? ` ${s.bigPeak.toFixed(0)} |` : ''} ${s.errors} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  await main();
}
