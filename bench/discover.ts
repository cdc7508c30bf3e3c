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
import { DASHBOARD_IDS_QUERY, SCENARIOS } from './scenarios.js';
import type { RecordedRpc } from './workload.js';

export interface Discovered {
  readonly scenario: Scenario;
  /** The scenario's variables, S3's node ids filled in. */
  readonly variables: Readonly<Record<string, unknown>>;
  /** The calls the gateway made for one request, in order. */
  readonly calls: readonly RecordedRpc[];
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
        const variables = id === 'S3' ? { ...scenario.variables, ...s3Ids } : scenario.variables;
        emulator.resetCalls();
        await query(gateway.url, scenario.query, variables);
        const calls = emulator.calls.map(({ method, params }) => ({ method, params }));
        if (calls.length === 0) throw new Error(`${id} made no upstream call`);
        if (calls.some((call) => call.params.access_token !== DEMO_TOKEN)) {
          throw new Error(`${id}: a call did not carry the demo token`);
        }
        found.set(id, { scenario, variables, calls });
      }
      return found;
    } finally {
      await gateway.stop();
    }
  } finally {
    await emulator.close();
  }
}
