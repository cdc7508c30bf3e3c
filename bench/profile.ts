/**
 * `npm run bench:profile`: where one request's CPU goes. Runs the gateway
 * (as `npm start` runs it) over the static upstream, warms it on distinct S1
 * at 32 connections, then records a V8 CPU profile of exactly the measured
 * load (heapProbe.cjs starts and stops it in process), and attributes every
 * sample to one stage of a request by the innermost frame that names one.
 * Prints a Markdown table in µs per request (the sampled CPU time divided by
 * the requests answered while profiling).
 *
 *   npm run bench:profile [-- --entry dist/index.js --seconds 15 --scenario S1 --json out.json
 *                            --save raw.cpuprofile]
 *
 * `--entry` profiles another build (e.g. an older commit's dist/) for a
 * before/after table.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startGateway, startUpstream, stopAllChildren } from './children.js';
import { discover, tokensFor, variantsWith } from './discover.js';
import { runWorkload } from './load.js';
import type { ScenarioId } from './scenarios.js';
import { SCENARIOS, TOKEN_COUNT } from './scenarios.js';
import { graphqlWorkload } from './workload.js';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export const STAGES = [
  'HTTP in (socket, HTTP parser, request object)',
  'GraphQL parse + validate',
  'plan (selection → call params)',
  'key building (loader, single-flight keys)',
  'upstream call: serialise the request',
  'upstream call: transport (undici / got / http)',
  'upstream call: parse the reply',
  'row mapping (resolvers of rows and connections)',
  'execution (graphql-js / graphql-jit, Yoga, Envelop plugins)',
  'response serialisation',
  'HTTP out (response, socket writes)',
  'garbage collection',
  'other (program, timers, unattributed)',
] as const;

export type Stage = (typeof STAGES)[number];

const [
  HTTP_IN,
  PARSE,
  PLAN,
  KEYS,
  SERIALISE,
  TRANSPORT,
  REPLY,
  ROWS,
  EXECUTION,
  RESPONSE,
  HTTP_OUT,
  GC,
  OTHER,
] = STAGES;

/** Project modules, by where they sit in dist/ (or src/). */
const OWN = /\/(?:dist|src)\//;

/**
 * The stage a frame names, or undefined when it says nothing by itself (a
 * native like JSON.stringify, or a generic helper): the caller then decides.
 */
function stageOf(frame: CallFrame): Stage | undefined {
  const { url, functionName: name } = frame;
  if (name === '(garbage collector)') return GC;
  if (name === '(program)' || name === '(root)') return OTHER;
  if (OWN.test(url) && !url.includes('node_modules')) {
    if (/\/rpc\/(?:client|transport)\./.test(url)) return undefined; // decided by the native below
    if (/\/(?:rpc\/sharedCalls|loaders\/|rpc\/responseCache)/.test(url)) return KEYS;
    if (/\/(?:translate\/|nodeMemo|resolvers\/node)/.test(url)) return PLAN;
    if (/\/(?:schema\/|resolvers\/)/.test(url)) return ROWS;
    return EXECUTION;
  }
  if (/fast-json-stable-stringify|dataloader/.test(url)) return KEYS;
  if (/node_modules\/undici\/|node_modules\/got\/|_http_client|_http_agent/.test(url)) {
    return TRANSPORT;
  }
  if (/graphql\/(?:language|validation)\//.test(url)) return PARSE;
  if (
    /graphql\/(?:execution|type|utilities|jsutils)\/|graphql-jit|@envelop|graphql-yoga\/|@graphql-yoga/.test(
      url,
    )
  ) {
    return EXECUTION;
  }
  if (/_http_outgoing|_http_server.*(?:writeHead|end)|node:net.*write/.test(url + name))
    return HTTP_OUT;
  if (/_http_server|_http_incoming|_http_common|@whatwg-node\/server/.test(url)) return HTTP_IN;
  if (/@whatwg-node\/node-fetch|@whatwg-node\/fetch/.test(url)) return HTTP_OUT;
  if (/node:net|node:stream|node:internal\/streams|stream_base_commons/.test(url)) return undefined;
  return undefined;
}

/** Which side of a JSON native the caller stands on. */
function jsonStage(name: string, caller: CallFrame | undefined): Stage | undefined {
  if (name !== 'stringify' && name !== 'parse') return undefined;
  const url = caller?.url ?? '';
  if (/\/rpc\/(?:client|transport)\./.test(url) || /undici/.test(url)) {
    return name === 'stringify' ? SERIALISE : REPLY;
  }
  if (name === 'stringify') {
    if (/graphql-yoga|@graphql-yoga|@whatwg-node/.test(url)) return RESPONSE;
    if (/fast-json-stable-stringify|sharedCalls|loaders/.test(url)) return KEYS;
  }
  if (name === 'parse' && /graphql-yoga|@whatwg-node/.test(url)) return HTTP_IN;
  return undefined;
}

/** Every sample's time (µs) attributed to one stage. */
export function attribute(profile: CpuProfile): Map<Stage, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const memo = new Map<number, Stage | null>();
  const classify = (id: number): Stage | null => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    let stage: Stage | null = null;
    if (node) {
      // Idle time, and the profiler's own work in process (stopping it serialises the profile).
      if (
        node.callFrame.functionName === '(idle)' ||
        /node:inspector|heapProbe\.cjs/.test(node.callFrame.url)
      ) {
        stage = null;
      } else {
        const up = parent.get(id);
        const caller = up === undefined ? undefined : byId.get(up)?.callFrame;
        stage =
          jsonStage(node.callFrame.functionName, caller) ??
          stageOf(node.callFrame) ??
          (up === undefined ? OTHER : classify(up));
      }
    }
    memo.set(id, stage);
    return stage;
  };
  const totals = new Map<Stage, number>(STAGES.map((stage) => [stage, 0]));
  profile.samples.forEach((id, i) => {
    const stage = classify(id);
    if (stage === null) return;
    totals.set(stage, (totals.get(stage) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return totals;
}

async function waitForFile(path: string): Promise<string> {
  for (let i = 0; i < 100; i += 1) {
    try {
      return await readFile(path, 'utf8');
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`no profile written to ${path}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      entry: { type: 'string', default: 'dist/index.js' },
      seconds: { type: 'string', default: '15' },
      warmup: { type: 'string', default: '10' },
      connections: { type: 'string', default: '32' },
      scenario: { type: 'string', default: 'S1' },
      json: { type: 'string' },
      save: { type: 'string' },
    },
  });
  const entry = resolve(values.entry);
  const scenario = values.scenario as ScenarioId;
  if (!(scenario in SCENARIOS)) throw new Error(`unknown scenario ${scenario}`);
  const connections = Number(values.connections);
  const found = (await discover(entry, {}, [scenario])).get(scenario);
  if (!found) throw new Error(`${scenario} was not discovered`);
  const workload = graphqlWorkload(
    scenario,
    found.scenario.query,
    variantsWith(found, tokensFor('static', TOKEN_COUNT)),
  );
  const profileFile = join(tmpdir(), `bench-profile-${process.pid}.cpuprofile`);
  await rm(profileFile, { force: true });
  const upstream = await startUpstream('static');
  try {
    const gateway = await startGateway({
      entry,
      upstreamUrl: upstream.url,
      env: { BENCH_PROFILE_FILE: profileFile },
    });
    try {
      await runWorkload(gateway.url, workload, connections, Number(values.warmup));
      process.kill(gateway.pid, 'SIGUSR2');
      await sleep(200);
      const run = await runWorkload(gateway.url, workload, connections, Number(values.seconds));
      process.kill(gateway.pid, 'SIGUSR2');
      const text = await waitForFile(profileFile);
      if (values.save) await writeFile(values.save, text);
      const profile = JSON.parse(text) as CpuProfile;
      const totals = attribute(profile);
      const requests = run.responses;
      const all = [...totals.values()].reduce((a, b) => a + b, 0);
      const lines = [
        `Gateway CPU per request by stage: ${entry}, ${scenario} distinct, ${connections} connections, ` +
          `${requests} requests in ${run.seconds} s (V8 CPU profile, 200 µs sampling)`,
        '',
        '| stage | µs/request | share |',
        '|---|---:|---:|',
        ...STAGES.map((stage) => {
          const micros = totals.get(stage) ?? 0;
          return `| ${stage} | ${(micros / requests).toFixed(0)} | ${((100 * micros) / all).toFixed(0)} % |`;
        }),
        `| **total (sampled, idle excluded)** | **${(all / requests).toFixed(0)}** | 100 % |`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      if (values.json) {
        await writeFile(
          values.json,
          `${JSON.stringify({ entry, scenario, connections, requests, micros: Object.fromEntries(totals) }, null, 2)}\n`,
        );
      }
    } finally {
      await gateway.stop();
    }
  } finally {
    await upstream.stop();
    await stopAllChildren();
    await rm(profileFile, { force: true });
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  await main();
}
