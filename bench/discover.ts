/**
 * Learns what each scenario costs upstream: runs every GraphQL request once
 * through the built gateway over a fresh emulator and keeps the calls the
 * emulator recorded. Those become the direct and proxy workloads, so the
 * three subjects always ask the API for exactly the same thing.
 */
import { DEMO_TOKEN, startEmulator } from '../src/emulator/index.js';
import { startGateway } from './children.js';
import { postJson } from './http.js';
import type { Scenario, ScenarioId } from './scenarios.js';
import { BENCH_TOKEN_PREFIX, DASHBOARD_IDS_QUERY, SCENARIOS } from './scenarios.js';
import type { DiscoveredVariant, RecordedRpc } from './workload.js';

export interface FoundVariant {
  /** The variant's variables, S3's node ids filled in. */
  readonly variables: Readonly<Record<string, unknown>>;
  /** Index into the upstream's tokens. */
  readonly token: number;
  /** The calls the gateway made for it, in order (with the demo token). */
  readonly calls: readonly RecordedRpc[];
}

export interface Discovered {
  readonly scenario: Scenario;
  readonly variants: readonly FoundVariant[];
}

/**
 * The static upstream answers any `bench-token-N` as the demo token (see
 * upstream/main.ts); the emulator knows only its own, so there every variant
 * carries the demo token.
 */
export function tokensFor(kind: 'static' | 'emulator', count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    kind === 'static' && i > 0 ? `${BENCH_TOKEN_PREFIX}${i}` : DEMO_TOKEN,
  );
}

/** The variants with their tokens, as every workload builder takes them. */
export function variantsWith(found: Discovered, tokens: readonly string[]): DiscoveredVariant[] {
  return found.variants.map((variant) => ({
    variables: variant.variables,
    token: tokens[variant.token % tokens.length] ?? DEMO_TOKEN,
    calls: variant.calls,
  }));
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function query(url: string, text: string, variables: Json): Promise<Json> {
  const reply = await postJson(url, JSON.stringify({ query: text, variables }));
  const parsed: unknown = JSON.parse(reply.text);
  if (reply.status !== 200 || !isObject(parsed) || parsed.errors !== undefined) {
    throw new Error(`discovery query failed (HTTP ${reply.status}): ${reply.text.slice(0, 500)}`);
  }
  if (!isObject(parsed.data)) throw new Error('discovery query returned no data');
  return parsed.data;
}

function idsOf(data: Json, field: string): string[] {
  const connection = data[field];
  const nodes = isObject(connection) && Array.isArray(connection.nodes) ? connection.nodes : [];
  return nodes.map((node: unknown) => {
    if (!isObject(node) || typeof node.id !== 'string') throw new Error(`no id in ${field}`);
    return node.id;
  });
}

/** Global ids of three numbers and two groups, for S3's look-ups. */
async function dashboardIds(url: string): Promise<Json> {
  const data = await query(url, DASHBOARD_IDS_QUERY, {});
  const [n1, n2, n3] = idsOf(data, 'availableNumbers');
  const [g1, g2] = idsOf(data, 'virtualNumberGroups');
  if (n3 === undefined || g2 === undefined) throw new Error('not enough seeded rows for S3');
  return { n1, n2, n3, g1, g2 };
}

export async function discover(
  entry: string,
  env: Readonly<Record<string, string>>,
  ids: readonly ScenarioId[],
): Promise<Map<ScenarioId, Discovered>> {
  const emulator = await startEmulator({ host: '127.0.0.1' });
  try {
    const gateway = await startGateway({ entry, upstreamUrl: emulator.url, env });
    try {
      const found = new Map<ScenarioId, Discovered>();
      const s3Ids = await dashboardIds(gateway.url);
      for (const id of ids) {
        const scenario = SCENARIOS[id];
        const variants: FoundVariant[] = [];
        for (const variant of scenario.variants) {
          const variables = id === 'S3' ? { ...variant.variables, ...s3Ids } : variant.variables;
          emulator.resetCalls();
          await query(gateway.url, scenario.query, variables);
          const calls = emulator.calls.map(({ method, params }) => ({ method, params }));
          if (calls.length === 0) throw new Error(`${id} made no upstream call`);
          if (calls.some((call) => call.params.access_token !== DEMO_TOKEN)) {
            throw new Error(`${id}: a call did not carry the demo token`);
          }
          variants.push({ variables, token: variant.token, calls });
        }
        found.set(id, { scenario, variants });
      }
      return found;
    } finally {
      await gateway.stop();
    }
  } finally {
    await emulator.close();
  }
}
