/**
 * What each subject sends. Discovery runs every request once through the gateway over an emulator,
 * which records the calls: they become direct's, the proxy's and Mesh's, so every subject asks the
 * API for exactly the same rows.
 */
import { DEMO_TOKEN, startEmulator } from '../src/emulator/index.js';
import { startGateway } from './children.js';
import { postJson } from './load.js';
import type { Scenario, ScenarioId } from './scenarios.js';
import { BENCH_TOKEN_PREFIX, DASHBOARD_IDS_QUERY, SCENARIOS } from './scenarios.js';

type Json = Record<string, unknown>;
export type Protocol = 'graphql' | 'jsonrpc' | 'mesh';
export type RecordedRpc = { readonly method: string; readonly params: Readonly<Json> };
export type LoadItem = { readonly body: string; readonly headers?: Record<string, string> };

/**
 * HTTP requests sent in turn on each connection, each connection starting at its own place. For
 * JSON-RPC a GraphQL request's calls follow each other (S3 makes five), so `items.length /
 * requests` of them make one "set".
 */
export interface Workload<Id extends string = string> {
  readonly scenario: Id;
  readonly protocol: Protocol;
  readonly items: readonly LoadItem[];
  /** GraphQL requests the items stand for. */
  readonly requests: number;
}

/** Each variant's variables (S3's node ids filled in), its token's index and the calls it made. */
type Found = { variables: Json; token: number; calls: RecordedRpc[] };
export type Discovered = { scenario: Scenario; variants: readonly Found[] };
/** A variant with its token, as the workload builders take it. */
export type DiscoveredVariant = { variables: Json; token: string; calls: readonly RecordedRpc[] };

/** The static upstream answers any `bench-token-N` as the demo token; the emulator knows its own. */
export const tokensFor = (kind: 'static' | 'emulator', count: number): string[] =>
  Array.from({ length: count }, (_, i) =>
    kind === 'static' && i > 0 ? `${BENCH_TOKEN_PREFIX}${i}` : DEMO_TOKEN,
  );

export const variantsWith = (found: Discovered, tokens: readonly string[]): DiscoveredVariant[] =>
  found.variants.map((v) => ({ ...v, token: tokens[v.token % tokens.length] ?? DEMO_TOKEN }));

type Variants = readonly DiscoveredVariant[];

export const workload = <Id extends string>(
  scenario: Id,
  protocol: Protocol,
  items: LoadItem[],
  requests: number,
): Workload<Id> => ({ scenario, protocol, items, requests });

export function graphqlWorkload<Id extends string>(id: Id, query: string, variants: Variants) {
  const items = variants.map(({ variables, token }) => ({
    body: JSON.stringify({ query, variables }),
    headers: { authorization: `Bearer ${token}` },
  }));
  return workload(id, 'graphql', items, items.length);
}

export const jsonRpcBody = ({ method, params }: RecordedRpc): string =>
  JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });

/** The recorded calls with the variant's token in place of the one discovery used. */
export const callsOf = ({ calls, token }: DiscoveredVariant): RecordedRpc[] =>
  calls.map((call) => ({ ...call, params: { ...call.params, access_token: token } }));

export function jsonRpcWorkload<Id extends string>(id: Id, variants: Variants) {
  const items = variants.flatMap((v) => callsOf(v).map((call) => ({ body: jsonRpcBody(call) })));
  return workload(id, 'jsonrpc', items, variants.length);
}

/** One GraphQL request that must answer with data and no errors. */
export async function query(url: string, text: string, variables: Json = {}): Promise<Json> {
  const reply = await postJson(url, JSON.stringify({ query: text, variables }));
  const { data, errors } = JSON.parse(reply.text) as { data?: Json; errors?: unknown };
  if (reply.status === 200 && errors === undefined && data) return data;
  throw new Error(`query failed (HTTP ${reply.status}): ${reply.text.slice(0, 500)}`);
}

type Env = Readonly<Record<string, string>>;

export async function discover(entry: string, env: Env, ids: readonly ScenarioId[]) {
  const emulator = await startEmulator({ host: '127.0.0.1' });
  const started = startGateway({ entry, upstreamUrl: emulator.url, env });
  const gateway = await started.catch(async (error: unknown) => {
    await emulator.close();
    throw error;
  });
  try {
    // Global ids of three numbers and two groups, for S3's look-ups.
    const data = await query(gateway.url, DASHBOARD_IDS_QUERY);
    const nodeIds = (field: string) =>
      (data[field] as { nodes: { id: string }[] }).nodes.map((n) => n.id);
    const [[n1, n2, n3], [g1, g2]] = [nodeIds('availableNumbers'), nodeIds('virtualNumberGroups')];
    const found = new Map<ScenarioId, Discovered>();
    for (const id of ids) {
      const scenario = SCENARIOS[id];
      const variants = [];
      for (const { variables: given, token } of scenario.variants) {
        const variables = id === 'S3' ? { ...given, n1, n2, n3, g1, g2 } : given;
        emulator.resetCalls();
        await query(gateway.url, scenario.query, variables);
        const calls = emulator.calls.map(({ method, params }) => ({ method, params }));
        if (calls.length === 0 || calls.some((call) => call.params.access_token !== DEMO_TOKEN)) {
          throw new Error(`${id}: no upstream call, or one without the demo token`);
        }
        variants.push({ variables, token, calls });
      }
      found.set(id, { scenario, variants });
    }
    return found;
  } finally {
    await gateway.stop();
    await emulator.close();
  }
}
