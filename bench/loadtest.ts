/**
 * `npm run loadtest`: the bench's soak on a client's mix rather than one scenario, the gateway run
 * as `npm start` runs it with `LOG_LEVEL=info` (a log line per request is part of the cost), over
 * the emulator upstream with its rate limits lifted (the gateway is measured, not the API's quota).
 */
import { startGateway, startUpstream, stopAllChildren } from './children.js';
import { sampleProcess } from './procstat.js';
import { spacesText } from './report.js';
import { soak } from './measure.js';
import { query } from './workload.js';

type Json = Record<string, unknown>;

const NUMBER_PAGE = `query NumberPage($filter: AvailableNumberFilter, $after: String) {
  availableNumbers(first: 20, after: $after, filter: $filter,
    orderBy: [{ field: MIN_CHARGE, direction: DESC }, { field: PHONE_NUMBER }]) {
    totalCount
    edges { cursor node { id phoneNumber category locationName minCharge monthlyCharge } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const NUMBER_NODE = `query NumberNode($id: ID!) {
  node(id: $id) { id ... on AvailableNumber { phoneNumber category minCharge onetimePayment } }
}`;
const MIXED_NODES = `query MixedNodes($ids: [ID!]!) {
  nodes(ids: $ids) {
    id ... on AvailableNumber { phoneNumber category } ... on VirtualNumberGroup { databaseId name }
  }
}`;
const GROUPS = `query GroupsWithMembers($filter: VirtualNumberGroupFilter) {
  virtualNumberGroups(first: 10, filter: $filter, orderBy: [{ field: NAME }]) {
    totalCount
    nodes {
      id databaseId name number
      employees { id fullName } employeeGroups { id name } virtualPhones { id number }
    }
  }
}`;
const LAST_GROUPS = `{ virtualNumberGroups(last: 5, orderBy: [{ field: DATABASE_ID }]) {
  nodes { name } pageInfo { hasPreviousPage startCursor } } }`;
const COUNTS = `{ gold: availableNumbers(filter: { category: { eq: GOLD } }) { totalCount }
  spb: availableNumbers(filter: { locationMnemonic: { eq: "spb" } }) { totalCount } }`;
const SEED = `{ availableNumbers(first: 40, orderBy: [{ field: PHONE_NUMBER }]) { nodes { id } }
  virtualNumberGroups(first: 10) { nodes { id } } }`;
const FILTER_IN = { locationMnemonic: { in: ['msk', 'spb'] }, category: { ne: 'USUAL' } };
const FILTER_OR = {
  or: [
    { phoneNumber: { startsWith: '7812' } },
    { and: [{ locationMnemonic: { eq: 'ekb' } }, { category: { in: ['GOLD', 'SILVER'] } }] },
  ],
};

/**
 * The rotation: filtered and ordered pages (edges, cursors), a page after a cursor, `node` and mixed
 * `nodes` look-ups, groups with nested lists, the last groups, totalCount-only lists; ids and cursors
 * from the data. Each runs once first: a broken one is one clear message, not thousands of failures.
 */
async function mixedWorkload(url: string) {
  const seed = (await query(url, SEED)) as Record<string, { nodes: { id: string }[] }>;
  const ids = (field: string) => (seed[field]?.nodes ?? []).map((node) => node.id);
  const [numbers, groups] = [ids('availableNumbers'), ids('virtualNumberGroups')];
  // A cursor works only with the query it came from (its filter and order).
  const { pageInfo } = (await query(url, NUMBER_PAGE)).availableNumbers as { pageInfo: Json };
  const operations: { query: string; variables?: Json }[] = [
    { query: NUMBER_PAGE, variables: { filter: FILTER_IN } },
    { query: NUMBER_NODE, variables: { id: numbers[0] } },
    { query: GROUPS, variables: {} },
    { query: COUNTS },
    { query: NUMBER_PAGE, variables: { filter: FILTER_OR } },
    { query: MIXED_NODES, variables: { ids: [numbers[1], groups[0], numbers[2]] } },
    { query: NUMBER_PAGE, variables: { after: pageInfo.endCursor } },
    { query: NUMBER_NODE, variables: { id: numbers[3] } },
    { query: LAST_GROUPS },
    { query: GROUPS, variables: { filter: { name: { contains: 'a' } } } },
    { query: MIXED_NODES, variables: { ids: numbers.slice(4, 12) } },
  ];
  for (const op of operations) await query(url, op.query, op.variables);
  const items = operations.map((op) => ({ body: JSON.stringify(op) }));
  return { scenario: 'mixed', protocol: 'graphql' as const, items, requests: items.length };
}

export type LoadTestResult = Awaited<ReturnType<typeof runLoadTest>>;

/** Starts emulator and gateway (`entry`: dist/index.js, or src/index.ts through tsx), runs the mix, stops both. */
type Options = { durationSeconds: number; connections: number; entry: string };

export async function runLoadTest(options: Options & { progress?: (line: string) => void }) {
  const { durationSeconds: seconds, connections, entry, progress = () => undefined } = options;
  const bound = seconds * 1000 + 90_000; // start-up, warm-up and shutdown get 90 s on top of the run
  const watchdog = setTimeout(() => {
    progress('watchdog: the run overran its time bound; stopping the processes');
    void stopAllChildren();
  }, bound);
  try {
    const upstream = await startUpstream('emulator');
    const env = { LOG_LEVEL: 'info', PAGE_SIZE_MAX: '1000' };
    const gateway = await startGateway({ entry, upstreamUrl: upstream.url, env });
    const { pid, url } = gateway;
    progress(`gateway (${entry}) pid ${pid} at ${url}, emulator at ${upstream.url}`);
    const workload = await mixedWorkload(url);
    progress(`${connections} connections, ${seconds} s, ${workload.requests} operations in turn`);
    const cpu = () => [pid, upstream.pid].map((p) => sampleProcess(p).cpuMicros / 1e6);
    const before = cpu();
    const setup = { subject: 'gateway' as const, pid, url, workload, warmupSeconds: 0 };
    const result = await soak({ ...setup, seconds, connections });
    // CPU seconds of each process during the run: which side bounds the throughput.
    const [gatewayCpu = 0, emulatorCpu = 0] = cpu().map((value, i) => value - (before[i] ?? 0));
    await gateway.stop();
    const cpuSeconds = { gateway: gatewayCpu, emulator: emulatorCpu };
    const exitCode = await gateway.exited; // on SIGTERM
    return {
      entry,
      operations: workload.requests,
      soak: result,
      cpuSeconds,
      gatewayExitCode: exitCode,
    };
  } finally {
    clearTimeout(watchdog);
    await stopAllChildren();
  }
}

const mb = (value: number) => `${value.toFixed(1)} MB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

export function formatResult(r: LoadTestResult): string {
  const { seconds, connections, requestsPerSecond: rps, latencyMs: l, failures: f } = r.soak;
  const heap = r.soak.liveHeapMb;
  const failed = `connection errors ${f.connectionErrors}, of which timeouts ${f.timeouts}; non-2xx ${f.non2xx}`;
  return [
    `duration            ${seconds.toFixed(1)} s, ${connections} connections, ${r.operations} operations in rotation (${r.entry})`,
    `requests            ${Math.round(rps * seconds)} (${rps.toFixed(0)} req/s)`,
    `latency             p50 ${ms(l.p50)}, p99 ${ms(l.p99)}, max ${ms(l.max)}`,
    `failed              ${r.soak.errors} (${failed}; GraphQL errors ${f.badBodies})`,
    `gateway RSS         ${r.soak.rssMb.map(([at, rss]) => `${mb(rss)} (${at} s)`).join(', ')}; peak ${mb(r.soak.peakRssMb)}`,
    `live heap after GC  ${heap ? `${mb(heap.heapUsed)} used of ${mb(heap.heapTotal)}, RSS ${mb(heap.rss)}` : 'none'}`,
    `heap spaces         ${heap ? spacesText(heap.spaces) : 'not reported'}`,
    `CPU seconds         gateway ${r.cpuSeconds.gateway.toFixed(1)}, emulator ${r.cpuSeconds.emulator.toFixed(1)} (during the run)`,
    `gateway exit code   ${String(r.gatewayExitCode)} (SIGTERM after the run)`,
  ].join('\n');
}
