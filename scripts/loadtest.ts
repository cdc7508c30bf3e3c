/**
 * `npm run loadtest [-- --duration 60 --connections 64]`: autocannon against
 * the gateway process (`node dist/index.js`, as `npm start` runs it) over the
 * emulator, loopback only, bounded in time. Each connection cycles through a
 * mixed workload; a request fails when it times out, is not 2xx, or its JSON
 * has `errors` or no `data`. Prints requests/s, latency, failures, the
 * gateway's RSS and its live heap after each full GC (node's `--trace-gc`);
 * exits 1 when any request failed.
 */
import type { ChildProcessByStdio } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { GatewayEntry, GatewayProcess } from './gatewayProcess.js';
import { cpuSecondsOf, startGatewayProcess } from './gatewayProcess.js';

export interface LoadTestOptions {
  readonly durationSeconds: number;
  readonly connections: number;
  /** `dist` (default) needs `npm run build` first; `source` runs `src/` through tsx. */
  readonly entry?: GatewayEntry;
  /** Progress lines; silent when omitted. */
  readonly progress?: (line: string) => void;
}

export interface LoadTestResult {
  readonly durationSeconds: number;
  readonly connections: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Connection errors, including timeouts. */
  readonly connectionErrors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  /** Answers whose JSON has `errors` or no `data` (autocannon's `mismatches`). */
  readonly graphqlErrors: number;
  /** All of the above (an answer both non-2xx and without data counts twice). */
  readonly failed: number;
  /** The gateway's RSS in bytes: before the load, every 5 s during it, after it. */
  readonly rss: { readonly start: number; readonly end: number; readonly samples: number[] };
  /**
   * The gateway's V8 heap (MB) right after each full collection during the
   * load: what is really alive. RSS alone cannot tell a leak from V8 keeping
   * the room it grew into; a flat series here can.
   */
  readonly heapAfterFullGc: readonly { readonly atSeconds: number; readonly mb: number }[];
  /**
   * CPU seconds each process used during the run (Linux only): shows which
   * side bounds the throughput on this machine.
   */
  readonly cpuSeconds: {
    readonly gateway: number | undefined;
    readonly emulator: number | undefined;
  };
  /** What the gateway exited with on SIGTERM after the run. */
  readonly gatewayExitCode: number | null;
}

interface Emulator {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  readonly url: string;
}

/** Headroom on top of the run for start-up, warm-up and shutdown before the watchdog fires. */
const WATCHDOG_SLACK_MS = 60_000;
const RSS_SAMPLE_MS = 5_000;
/** `--trace-gc`'s line for a full collection: "Mark-Compact 256.0 (286.4) -> 64.3 (269.1) MB". */
const FULL_GC = /Mark-Compact [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/;
/**
 * Above the gateway's own deadline for a request (REQUEST_DEADLINE_MS, 30 s):
 * a slow API then shows as the gateway's error answer (a GraphQL error,
 * counted), and a client timeout means the gateway itself stopped answering.
 * On a busy shared 2-core machine single answers took up to ~10 s.
 */
const REQUEST_TIMEOUT_SECONDS = 40;

async function startEmulatorProcess(): Promise<Emulator> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/loadtestEmulator.ts'], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = createInterface({ input: child.stdout });
  const [first] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error('the emulator process exited before it was ready');
    }),
  ])) as [string];
  const { url } = JSON.parse(first) as { url: string };
  return { child, url };
}

async function graphql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  const body = JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: unknown };
  if (!response.ok || body.errors !== undefined || !body.data) {
    throw new Error(`workload query failed (${response.status}): ${text.slice(0, 500)}`);
  }
  return body.data;
}

/** A request is good when it is a GraphQL answer with data and no errors. */
function isGoodAnswer(body: string | Buffer | undefined): boolean {
  // autocannon hands over the body as a string; the type also allows a Buffer.
  if (body === undefined) return false;
  try {
    const parsed = JSON.parse(body.toString()) as { data?: unknown; errors?: unknown };
    return parsed.errors === undefined && typeof parsed.data === 'object' && parsed.data !== null;
  } catch {
    return false;
  }
}

interface Operation {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
}

/**
 * The rotation: list pages with filters and orders, paging by cursor and
 * backwards, node look-ups of both types, nested lists, a totalCount-only
 * list. Ids and cursors come from the data, as a client's would.
 */
async function buildWorkload(url: string): Promise<Operation[]> {
  const seed = await graphql(
    url,
    /* GraphQL */ `
      {
        availableNumbers(first: 40, orderBy: [{ field: PHONE_NUMBER }]) {
          nodes {
            id
          }
          pageInfo {
            endCursor
          }
        }
        virtualNumberGroups(first: 10) {
          nodes {
            id
          }
        }
      }
    `,
  );
  const numbers = seed.availableNumbers as {
    nodes: { id: string }[];
    pageInfo: { endCursor: string };
  };
  const groups = seed.virtualNumberGroups as { nodes: { id: string }[] };
  const numberIds = numbers.nodes.map((n) => n.id);
  const groupIds = groups.nodes.map((n) => n.id);

  const numberPage = /* GraphQL */ `
    query NumberPage($filter: AvailableNumberFilter, $after: String) {
      availableNumbers(
        first: 20
        after: $after
        filter: $filter
        orderBy: [{ field: MIN_CHARGE, direction: DESC }, { field: PHONE_NUMBER }]
      ) {
        totalCount
        edges {
          cursor
          node {
            id
            phoneNumber
            category
            locationName
            minCharge
            monthlyCharge
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `;
  // A cursor works only with the query it came from (its filter and order).
  const firstPage = (await graphql(url, numberPage)).availableNumbers as {
    pageInfo: { endCursor: string };
  };
  const nextPageCursor = firstPage.pageInfo.endCursor;
  const numberNode = /* GraphQL */ `
    query NumberNode($id: ID!) {
      node(id: $id) {
        id
        ... on AvailableNumber {
          phoneNumber
          category
          minCharge
          onetimePayment
        }
      }
    }
  `;
  const mixedNodes = /* GraphQL */ `
    query MixedNodes($ids: [ID!]!) {
      nodes(ids: $ids) {
        id
        ... on AvailableNumber {
          phoneNumber
          category
        }
        ... on VirtualNumberGroup {
          databaseId
          name
        }
      }
    }
  `;
  const groupsWithMembers = /* GraphQL */ `
    query GroupsWithMembers($filter: VirtualNumberGroupFilter) {
      virtualNumberGroups(first: 10, filter: $filter, orderBy: [{ field: NAME }]) {
        totalCount
        nodes {
          id
          databaseId
          name
          number
          employees {
            id
            fullName
          }
          employeeGroups {
            id
            name
          }
          virtualPhones {
            id
            number
          }
        }
      }
    }
  `;
  const lastGroups = /* GraphQL */ `
    {
      virtualNumberGroups(last: 5, orderBy: [{ field: DATABASE_ID }]) {
        nodes {
          name
        }
        pageInfo {
          hasPreviousPage
          startCursor
        }
      }
    }
  `;
  const counts = /* GraphQL */ `
    {
      gold: availableNumbers(filter: { category: { eq: GOLD } }) {
        totalCount
      }
      spb: availableNumbers(filter: { locationMnemonic: { eq: "spb" } }) {
        totalCount
      }
    }
  `;
  const pick = (ids: string[], index: number) => ids[index % ids.length] ?? '';

  return [
    {
      query: numberPage,
      variables: {
        filter: { locationMnemonic: { in: ['msk', 'spb'] }, category: { ne: 'USUAL' } },
      },
    },
    { query: numberNode, variables: { id: pick(numberIds, 0) } },
    { query: groupsWithMembers, variables: {} },
    { query: counts },
    {
      query: numberPage,
      variables: {
        filter: {
          or: [
            { phoneNumber: { startsWith: '7812' } },
            {
              and: [{ locationMnemonic: { eq: 'ekb' } }, { category: { in: ['GOLD', 'SILVER'] } }],
            },
          ],
        },
      },
    },
    {
      query: mixedNodes,
      variables: { ids: [pick(numberIds, 1), pick(groupIds, 0), pick(numberIds, 2)] },
    },
    { query: numberPage, variables: { after: nextPageCursor } },
    { query: numberNode, variables: { id: pick(numberIds, 3) } },
    { query: lastGroups },
    { query: groupsWithMembers, variables: { filter: { name: { contains: 'a' } } } },
    { query: mixedNodes, variables: { ids: numberIds.slice(4, 12) } },
  ];
}

function stopChild<T>(
  child: ChildProcessByStdio<null, Readable, Readable>,
  exited: Promise<T>,
): Promise<T> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  return exited;
}

/** Starts emulator and gateway, runs autocannon, stops both; everything on 127.0.0.1. */
export async function runLoadTest(options: LoadTestOptions): Promise<LoadTestResult> {
  const progress = options.progress ?? (() => undefined);
  const entry = options.entry ?? 'dist';
  let emulator: Emulator | undefined;
  let gateway: GatewayProcess | undefined;
  let loadStartedAt: number | undefined;
  const heapAfterFullGc: { atSeconds: number; mb: number }[] = [];
  // A hung child must not outlive the run, whatever happens to this process.
  const killChildren = () => {
    emulator?.child.kill('SIGKILL');
    gateway?.child.kill('SIGKILL');
  };
  process.once('exit', killChildren);
  const watchdog = setTimeout(
    () => {
      progress('watchdog: the run overran its time bound; killing the processes');
      killChildren();
    },
    options.durationSeconds * 1000 + WATCHDOG_SLACK_MS,
  );
  try {
    emulator = await startEmulatorProcess();
    const emulatorExited = once(emulator.child, 'exit');
    gateway = await startGatewayProcess({
      entry,
      // One line per collection on stdout, next to the JSON logs.
      nodeArgs: ['--trace-gc'],
      onLine: (line) => {
        const gc = FULL_GC.exec(line);
        if (gc && loadStartedAt !== undefined) {
          heapAfterFullGc.push({
            atSeconds: (performance.now() - loadStartedAt) / 1000,
            mb: Number(gc[1]),
          });
        }
      },
      env: { DATA_API_URL: emulator.url, DATA_API_TOKEN: 'demo-token' },
    });
    progress(
      `gateway (${entry}) pid ${gateway.pid} at ${gateway.url}, emulator at ${emulator.url}`,
    );

    const workload = await buildWorkload(gateway.url);
    // Every operation once before the clock starts, so a broken query is a
    // clear message here rather than thousands of anonymous failures.
    for (const op of workload) await graphql(gateway.url, op.query, op.variables);

    const rssStart = await gateway.rss();
    const emulatorPid = emulator.child.pid ?? 0;
    const cpuStart = [await cpuSecondsOf(gateway.pid), await cpuSecondsOf(emulatorPid)];
    const samples: number[] = [];
    const running = gateway;
    const sampler = setInterval(() => {
      void running.rss().then((bytes) => samples.push(bytes));
    }, RSS_SAMPLE_MS);
    progress(
      `${options.connections} connections for ${options.durationSeconds} s, ${workload.length} operations in rotation`,
    );
    let result: autocannon.Result;
    loadStartedAt = performance.now();
    try {
      result = await autocannon({
        url: gateway.url,
        connections: options.connections,
        duration: options.durationSeconds,
        timeout: REQUEST_TIMEOUT_SECONDS,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        requests: workload.map((op) => ({ body: JSON.stringify(op) })),
        verifyBody: isGoodAnswer,
      });
    } finally {
      clearInterval(sampler);
    }
    const rssEnd = await gateway.rss();
    loadStartedAt = undefined;
    const cpuEnd = [await cpuSecondsOf(gateway.pid), await cpuSecondsOf(emulatorPid)];
    const used = (i: number) => {
      const [start, end] = [cpuStart[i], cpuEnd[i]];
      return start === undefined || end === undefined ? undefined : end - start;
    };

    const gatewayExitCode = await stopChild(gateway.child, gateway.exited);
    await stopChild(emulator.child, emulatorExited);

    return {
      durationSeconds: result.duration,
      connections: result.connections,
      requests: result.requests.total,
      requestsPerSecond: result.requests.average,
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      connectionErrors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      graphqlErrors: result.mismatches,
      failed: result.errors + result.non2xx + result.mismatches,
      rss: { start: rssStart, end: rssEnd, samples },
      heapAfterFullGc,
      cpuSeconds: { gateway: used(0), emulator: used(1) },
      gatewayExitCode,
    };
  } finally {
    clearTimeout(watchdog);
    killChildren();
    process.off('exit', killChildren);
  }
}

const cpu = (seconds: number | undefined) => (seconds === undefined ? 'n/a' : seconds.toFixed(1));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function formatResult(r: LoadTestResult): string {
  return [
    `duration            ${r.durationSeconds.toFixed(1)} s, ${r.connections} connections`,
    `requests            ${r.requests} (${r.requestsPerSecond.toFixed(0)} req/s)`,
    `latency             p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms`,
    `failed              ${r.failed} (connection errors ${r.connectionErrors}, of which timeouts ${r.timeouts}; non-2xx ${r.non2xx}; GraphQL errors ${r.graphqlErrors})`,
    `gateway RSS         start ${mb(r.rss.start)}, end ${mb(r.rss.end)}`,
    `RSS every ${RSS_SAMPLE_MS / 1000} s      ${r.rss.samples.map(mb).join(', ')}`,
    `heap after full GC  ${
      r.heapAfterFullGc.length === 0
        ? 'none during the run'
        : r.heapAfterFullGc
            .map((gc) => `${gc.mb.toFixed(1)} MB (${gc.atSeconds.toFixed(0)} s)`)
            .join(', ')
    }`,
    `CPU seconds         gateway ${cpu(r.cpuSeconds.gateway)}, emulator ${cpu(r.cpuSeconds.emulator)} (during the run)`,
    `gateway exit code   ${String(r.gatewayExitCode)} (SIGTERM after the run)`,
  ].join('\n');
}

function positiveInteger(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '60' },
      connections: { type: 'string', default: '64' },
      entry: { type: 'string', default: 'dist' },
    },
  });
  if (values.entry !== 'dist' && values.entry !== 'source') {
    throw new Error('--entry must be dist or source');
  }
  const result = await runLoadTest({
    durationSeconds: positiveInteger('duration', values.duration),
    connections: positiveInteger('connections', values.connections),
    entry: values.entry,
    progress: (line) => {
      process.stderr.write(`${line}\n`);
    },
  });
  process.stdout.write(`${formatResult(result)}\n`);
  process.exitCode = result.failed === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `load test failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
