/**
 * `npm run bench`: measures direct, proxy and gateway on the static and
 * emulator upstreams, prints the table and the targets, writes JSON. Exits 1
 * if any cell saw an error (the quick mode's only assertion), 2 on misuse.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { stopAllChildren } from './children.js';
import { parseCli, USAGE } from './cli.js';
import type { Cli } from './cli.js';
import { CPU_RESOLUTION_MICROS } from './procstat.js';
import type { RunResults } from './run.js';
import { runPlan } from './run.js';
import { cellTable, pushDownLines, soakLine, targetLines } from './table.js';
import { errorTarget, judge, rowCosts, totalErrors } from './targets.js';

const started = performance.now();

/** Progress on stderr, stamped with the seconds since start (stdout carries the report). */
function log(line: string): void {
  const elapsed = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[${elapsed} s] ${line}\n`);
}

/** Which code was measured: the commit, and whether the tree had local changes. */
function revision(): string {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** Other work on the machine skews every figure; the load averages say how much there was. */
const loadAtStart = loadavg();

function report(cli: Cli, results: RunResults, startedAt: Date) {
  const targets = judge(results.cells, results.warmUps, results.pushDown, results.soaks);
  const errors = totalErrors(results.cells, results.warmUps, results.soaks);
  return {
    meta: {
      startedAt: startedAt.toISOString(),
      minutes: (Date.now() - startedAt.getTime()) / 60_000,
      revision: revision(),
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      cpuResolutionMicros: CPU_RESOLUTION_MICROS,
      loadAverage: { atStart: loadAtStart, atEnd: loadavg() },
      entry: cli.entry,
      gatewayEnv: cli.gatewayEnv,
      plan: cli.plan,
    },
    scenarios: [...results.discovered.values()].map((found) => ({
      id: found.scenario.id,
      title: found.scenario.title,
      query: found.scenario.query,
      variants: found.variants.length,
      firstVariant: {
        variables: found.variants[0]?.variables,
        jsonRpcCalls: (found.variants[0]?.calls ?? []).map((call) => ({
          method: call.method,
          params: { ...call.params, access_token: '[demo token]' },
        })),
      },
    })),
    cells: results.cells,
    warmUps: results.warmUps,
    pushDown: results.pushDown,
    rowCosts: rowCosts(results.cells),
    soaks: results.soaks,
    targets,
    gatewayWarnings: results.gatewayWarnings,
    errors,
  };
}

async function main(): Promise<number> {
  let cli: Cli;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (error) {
    log(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (!existsSync(cli.entry)) {
    log(`${cli.entry} does not exist: run \`npm run build\` first (npm run bench does).`);
    return 2;
  }
  const startedAt = new Date();
  const results = await runPlan({
    plan: cli.plan,
    entry: resolve(cli.entry),
    gatewayEnv: cli.gatewayEnv,
    cpuProfileDir: cli.cpuProfileDir === undefined ? undefined : resolve(cli.cpuProfileDir),
    log,
  });
  const output = report(cli, results, startedAt);

  const lines = [
    cellTable(results.cells),
    '',
    ...pushDownLines(results.pushDown),
    ...results.soaks.map(soakLine),
    '',
    'Targets of issue 14 (distinct traffic, static upstream):',
    ...targetLines(output.targets.issue14),
    '',
    'Targets of issue 17 (memory):',
    ...targetLines(output.targets.issue17),
    '',
    'Reported:',
    ...targetLines(output.targets.reported),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  await mkdir(dirname(resolve(cli.jsonFile)), { recursive: true });
  await writeFile(cli.jsonFile, `${JSON.stringify(output, null, 2)}\n`);
  const [start1] = output.meta.loadAverage.atStart;
  const [end1] = output.meta.loadAverage.atEnd;
  log(
    `results written to ${cli.jsonFile} (${output.meta.minutes.toFixed(1)} min; ` +
      `1-min load average ${start1?.toFixed(1) ?? '?'} at start, ${end1?.toFixed(1) ?? '?'} at end, ${cpus().length} CPUs)`,
  );
  if (output.errors > 0) log(`${output.errors} errors: see errorDetail in ${cli.jsonFile}`);
  // Fails on errors of what we build and measure against; the Mesh peer's own are reported.
  return errorTarget(results.cells, results.warmUps, results.soaks).met ? 0 : 1;
}

const interrupt = (signal: NodeJS.Signals) => {
  log(`${signal}: stopping the processes this bench started`);
  void stopAllChildren().finally(() => process.exit(130));
};
process.once('SIGINT', interrupt);
process.once('SIGTERM', interrupt);

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    void stopAllChildren().finally(() => {
      process.exitCode = 1;
    });
  },
);
