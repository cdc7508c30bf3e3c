/** Command line → what to run and where to write it. */
import { parseArgs } from 'node:util';
import type { SubjectKind } from './cell.js';
import { SUBJECTS } from './cell.js';
import type { UpstreamKind } from './children.js';
import type { Plan } from './plan.js';
import { FULL_PLAN, QUICK_PLAN, restrict } from './plan.js';
import type { ScenarioId } from './scenarios.js';
import { SCENARIOS } from './scenarios.js';

export const USAGE = `npm run bench [-- options]      full matrix (about nine minutes)
npm run bench:quick [-- options] a few seconds per cell; exits 1 on any error

  --quick                 the quick plan
  --json FILE             where to write results (default bench/results.json)
  --seconds N             measured seconds per cell
  --warmup N              warm-up seconds per cell
  --subject-warmup N      warm-up seconds per scenario when a subject starts
  --soak N                seconds of the gateway's memory soak (0: skip every soak)
  --soak-warmup N         seconds of load before the soak's first sample
  --peer-soak N           seconds of the proxy's and Mesh's soaks
  --scenarios S1,S3,...   subset of S1 S1-same S2 S3 S4-10 S4-100 S4-10000
  --upstreams static,emulator
  --subjects direct,proxy,gateway,gateway-noflags,gateway-cache,mesh
  --connections 1,32      instead of each scenario's own
  --entry FILE            the built gateway (default dist/index.js)
  --env KEY=VALUE         extra gateway environment, repeatable (e.g. a cache switch)
  --cpu-prof DIR          write a V8 CPU profile of each measured gateway into DIR`;

export interface Cli {
  readonly plan: Plan;
  readonly jsonFile: string;
  readonly entry: string;
  readonly gatewayEnv: Readonly<Record<string, string>>;
  readonly cpuProfileDir: string | undefined;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

function list<T extends string>(value: string, allowed: readonly T[], what: string): T[] {
  const items = value.split(',').map((item) => item.trim());
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new UsageError(`unknown ${what} "${item}" (one of ${allowed.join(', ')})`);
    }
  }
  return items as T[];
}

function seconds(value: string | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new UsageError(`--${what} must be ≥ 0`);
  return parsed;
}

function connections(value: string): number[] {
  return value.split(',').map((item) => {
    const parsed = Number(item);
    if (!Number.isInteger(parsed) || parsed < 1 || parsed > 1000) {
      throw new UsageError(`--connections takes integers from 1 to 1000, got "${item}"`);
    }
    return parsed;
  });
}

function environment(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new UsageError(`--env takes KEY=VALUE, got "${pair}"`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}

export function parseCli(args: readonly string[]): Cli {
  const { values } = parseArgs({
    args: [...args],
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'string', default: 'bench/results.json' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      'subject-warmup': { type: 'string' },
      soak: { type: 'string' },
      'soak-warmup': { type: 'string' },
      'peer-soak': { type: 'string' },
      scenarios: { type: 'string' },
      upstreams: { type: 'string' },
      subjects: { type: 'string' },
      connections: { type: 'string' },
      entry: { type: 'string', default: 'dist/index.js' },
      env: { type: 'string', multiple: true, default: [] },
      'cpu-prof': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const base = values.quick ? QUICK_PLAN : FULL_PLAN;
  const scenarioIds = Object.keys(SCENARIOS) as ScenarioId[];
  const timed: Plan = {
    ...base,
    seconds: seconds(values.seconds, base.seconds, 'seconds'),
    warmupSeconds: seconds(values.warmup, base.warmupSeconds, 'warmup'),
    subjectWarmupSeconds: seconds(
      values['subject-warmup'],
      base.subjectWarmupSeconds,
      'subject-warmup',
    ),
    soakSeconds: seconds(values.soak, base.soakSeconds, 'soak'),
    soakWarmupSeconds: seconds(values['soak-warmup'], base.soakWarmupSeconds, 'soak-warmup'),
    peerSoakSeconds: seconds(values['peer-soak'], base.peerSoakSeconds, 'peer-soak'),
    ...(values.upstreams
      ? { upstreams: list<UpstreamKind>(values.upstreams, ['static', 'emulator'], 'upstream') }
      : {}),
  };
  const plan = restrict(timed, {
    ...(values.scenarios ? { scenarios: list(values.scenarios, scenarioIds, 'scenario') } : {}),
    ...(values.subjects
      ? { subjects: list<SubjectKind>(values.subjects, SUBJECTS, 'subject') }
      : {}),
    ...(values.connections ? { connections: connections(values.connections) } : {}),
  });
  if (plan.seconds <= 0) throw new UsageError('--seconds must be > 0');
  return {
    plan,
    jsonFile: values.json,
    entry: values.entry,
    gatewayEnv: environment(values.env),
    cpuProfileDir: values['cpu-prof'],
  };
}
