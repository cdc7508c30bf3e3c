/**
 * The one command line of bench/: `tsx bench/main.ts [loadtest] [options]` (USAGE below). `bench`
 * prints the table, the soak and abandon lines and every target, writes JSON, exits 1 on an error
 * of the gateway, direct or the proxy; `loadtest` exits 1 on any failed request; misuse exits 2.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { UpstreamKind } from './children.js';
import { stopAllChildren } from './children.js';
import { formatResult, runLoadTest } from './loadtest.js';
import { SUBJECTS } from './measure.js';
import type { Plan } from './plan.js';
import { FULL_PLAN, QUICK_PLAN, restrict } from './plan.js';
import { abandonLine, cellTable, pushDownLine, soakLine, targetLines } from './report.js';
import { runPlan } from './run.js';
import type { ScenarioId } from './scenarios.js';
import { SCENARIOS } from './scenarios.js';
import { errorTarget, judge, rowCosts, totalErrors } from './targets.js';

const SCENARIO_IDS = [...(Object.keys(SCENARIOS) as ScenarioId[]), 'abandon' as const];

/** Each option: its argument ('' for a switch) and what it does; the usage is made from this. */
const OPTIONS = {
  quick: ['', 'the quick plan'],
  json: ['FILE', 'where to write results (default bench/results.json)'],
  seconds: ['N', 'measured seconds per cell'],
  warmup: ['N', 'warm-up seconds per cell'],
  'subject-warmup': ['N', 'warm-up seconds per scenario when a subject starts'],
  soak: ['N', "seconds of the gateway's memory soak (0: skip every soak)"],
  'soak-warmup': ['N', "seconds of load before the soak's first sample"],
  'peer-soak': ['N', "seconds of the proxy's and Mesh's soaks"],
  scenarios: ['S1,S3,…', `of ${SCENARIO_IDS.join(' ')} (soaks come with S1)`],
  upstreams: ['static,emulator', 'the upstreams'],
  subjects: ['gateway,…', `of ${SUBJECTS.join(' ')}`],
  connections: ['1,32', "instead of each scenario's own; the load test's (default 64)"],
  entry: ['FILE', 'the built gateway (default dist/index.js; a .ts file runs through tsx)'],
  env: ['KEY=VALUE', 'extra gateway environment, repeatable (e.g. a cache switch)'],
  'cpu-prof': ['DIR', 'a V8 CPU profile of each measured gateway, written into DIR'],
  duration: ['N', "the load test's seconds (default 60)"],
} as const;

const USAGE = [
  'npm run bench [-- options]       the matrix, the soaks, the abandoning clients (8 minutes)',
  'npm run bench:quick [-- options] a second per cell; exits 1 on any error',
  'npm run loadtest [-- options]    bench/main.ts loadtest: a mixed workload on the gateway',
  '',
  ...Object.entries(OPTIONS).map(([name, [arg, what]]) => `  --${name} ${arg}`.padEnd(28) + what),
].join('\n');

type Command = ReturnType<typeof parseCli>;

function list<T extends string>(value: string | undefined, allowed: readonly T[], what: string) {
  const items = value?.split(',').map((item) => item.trim());
  const unknown = items?.find((item) => !(allowed as readonly string[]).includes(item));
  if (unknown !== undefined)
    throw new Error(`unknown ${what} "${unknown}" (one of ${allowed.join(', ')})`);
  return items as T[] | undefined;
}

function parseCli(args: readonly string[]) {
  const { values: v, positionals } = parseArgs({
    args: [...args],
    options: Object.fromEntries(
      Object.entries(OPTIONS).map(([name, [arg]]) => [
        name,
        { type: arg ? ('string' as const) : ('boolean' as const), multiple: name === 'env' },
      ]),
    ),
    allowPositionals: true,
  });
  const text = (name: keyof typeof OPTIONS) => {
    const value = v[name];
    return typeof value === 'string' ? value : undefined;
  };
  const number = (name: keyof typeof OPTIONS, fallback: number, positive = false) => {
    const value = Number(text(name) ?? fallback);
    if (!(value >= 0 && Number.isFinite(value)) || (positive && value === 0)) {
      throw new Error(`--${name} takes a number ${positive ? '>' : '≥'} 0`);
    }
    return value;
  };
  const [command = 'bench', ...extra] = positionals;
  if ((command !== 'bench' && command !== 'loadtest') || extra.length > 0) {
    throw new Error(`unknown command "${positionals.join(' ')}"`);
  }
  const entry = text('entry') ?? 'dist/index.js';
  const connections = text('connections')?.split(',').map(Number);
  if (connections?.some((c) => !Number.isInteger(c) || c < 1 || c > 1000)) {
    throw new Error('--connections takes integers from 1 to 1000');
  }
  const seconds = number('duration', 60, true);
  if (command === 'loadtest') {
    return { command: 'loadtest' as const, seconds, connections: connections?.[0] ?? 64, entry };
  }
  const base = v.quick === true ? QUICK_PLAN : FULL_PLAN;
  const upstreams = list<UpstreamKind>(text('upstreams'), ['static', 'emulator'], 'upstream');
  const timed: Plan = {
    ...base,
    seconds: number('seconds', base.seconds, true),
    warmupSeconds: number('warmup', base.warmupSeconds),
    subjectWarmupSeconds: number('subject-warmup', base.subjectWarmupSeconds),
    soakSeconds: number('soak', base.soakSeconds),
    soakWarmupSeconds: number('soak-warmup', base.soakWarmupSeconds),
    peerSoakSeconds: number('peer-soak', base.peerSoakSeconds),
    upstreams: upstreams ?? base.upstreams,
  };
  const scenarios = list(text('scenarios'), SCENARIO_IDS, 'scenario');
  const plan = restrict(timed, scenarios, list(text('subjects'), SUBJECTS, 'subject'), connections);
  const pairs = (Array.isArray(v.env) ? v.env.map(String) : []).map((pair) => pair.split('='));
  if (pairs.some(([key]) => !key)) throw new Error('--env takes KEY=VALUE');
  const entries = pairs.map(([key = '', ...value]): [string, string] => [key, value.join('=')]);
  const gatewayEnv = Object.fromEntries(entries);
  const [json, cpuProfileDir] = [text('json') ?? 'bench/results.json', text('cpu-prof')];
  return { command: 'bench' as const, plan, json, entry, gatewayEnv, cpuProfileDir };
}

const startedAt = new Date();
/** Other work on the machine skews every figure; the load averages say how much there was. */
const loadAtStart = loadavg();

/** Progress on stderr, stamped with the seconds since start (stdout carries the report). */
function log(line: string): void {
  const elapsed = ((Date.now() - startedAt.getTime()) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[${elapsed} s] ${line}\n`);
}

/** Which code was measured, and whether the tree had local changes. */
function revision(): string {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function bench(cli: Extract<Command, { command: 'bench' }>): Promise<number> {
  const { plan, gatewayEnv, cpuProfileDir: dir } = cli;
  const [entry, cpuProfileDir] = [resolve(cli.entry), dir === undefined ? undefined : resolve(dir)];
  const results = await runPlan({ plan, entry, gatewayEnv, cpuProfileDir, log });
  const targets = judge(results);
  const { discovered, cells, soaks, abandon } = results;
  const lines = [
    ...(cells.length > 0 ? [cellTable(cells), ''] : []),
    ...results.pushDown.map(pushDownLine),
    ...soaks.map(soakLine),
    ...(abandon ? [abandonLine(abandon)] : []),
    ...targetLines(targets),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  const minutes = (Date.now() - startedAt.getTime()) / 60_000;
  const loadAverage = { start: loadAtStart[0] ?? NaN, end: loadavg()[0] ?? NaN };
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model };
  const meta = { startedAt, minutes, revision: revision(), ...machine, loadAverage, entry, plan };
  const errors = totalErrors(results);
  const extra = { discovered: Object.fromEntries(discovered), rowCosts: rowCosts(cells) };
  const output = { meta, ...results, ...extra, targets, errors };
  await mkdir(dirname(resolve(cli.json)), { recursive: true });
  await writeFile(cli.json, `${JSON.stringify(output, null, 2)}\n`);
  const load = `${loadAverage.start.toFixed(1)} at start, ${loadAverage.end.toFixed(1)} at end`;
  log(`results written to ${cli.json} (${minutes.toFixed(1)} min; 1-min load average ${load})`);
  if (errors > 0) log(`${errors} errors: see errorDetail in ${cli.json}`);
  // Fails on errors of what we build and measure against; the Mesh peer's own are reported.
  return errorTarget(results).met ? 0 : 1;
}

async function main(): Promise<number> {
  let cli: Command;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (error) {
    log(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (!existsSync(cli.entry)) {
    log(`${cli.entry} does not exist: run \`npm run build\` first (the npm scripts do).`);
    return 2;
  }
  if (cli.command === 'bench') return bench(cli);
  const { seconds: durationSeconds, connections, entry } = cli;
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const result = await runLoadTest({ durationSeconds, connections, entry, progress });
  process.stdout.write(`${formatResult(result)}\n`);
  return result.soak.errors === 0 && result.gatewayExitCode === 0 ? 0 : 1;
}

const interrupt = (signal: NodeJS.Signals) => {
  log(`${signal}: stopping the processes this bench started`);
  void stopAllChildren().finally(() => process.exit(130));
};
process.once('SIGINT', interrupt).once('SIGTERM', interrupt);

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
    void stopAllChildren();
  },
);
