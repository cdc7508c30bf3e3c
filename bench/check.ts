/**
 * Is an answer a success? The load tool sees every body but can afford only a
 * substring test; one request per cell is also parsed in full, which also
 * tells how many rows the scenario really returns on that upstream.
 */
import { postJson } from './http.js';
import type { Protocol, Workload } from './workload.js';

/**
 * Cheap test run on every body under load. A GraphQL failure carries a
 * top-level `"errors"`, a JSON-RPC one an `"error"`; no column of either API
 * is named so, hence a row cannot match by accident.
 */
export function bodyLooksOk(protocol: Protocol): (body: string) => boolean {
  const marker = protocol === 'graphql' ? '"errors"' : '"error"';
  return (body) => body.length > 0 && !body.includes(marker);
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rows in a GraphQL answer: the `nodes` of every root connection. */
function graphqlRows(data: Json): number {
  let rows = 0;
  for (const field of Object.values(data)) {
    if (isObject(field) && Array.isArray(field.nodes)) rows += field.nodes.length;
  }
  return rows;
}

export interface SampleCheck {
  /** Empty when every sampled answer was a success. */
  readonly problems: string[];
  /** Rows the sampled answers carried (for per-row costs). */
  readonly rows: number;
}

function inspect(protocol: Protocol, status: number, text: string): number | string {
  if (status !== 200) return `HTTP ${status}: ${text.slice(0, 200)}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 200)}`;
  }
  if (!isObject(parsed)) return `not an object: ${text.slice(0, 200)}`;
  if (protocol === 'graphql') {
    if (parsed.errors !== undefined || !isObject(parsed.data)) {
      return `GraphQL errors: ${JSON.stringify(parsed.errors ?? null).slice(0, 300)}`;
    }
    return graphqlRows(parsed.data);
  }
  const { result } = parsed;
  if (parsed.error !== undefined || !isObject(result)) {
    return `JSON-RPC error: ${JSON.stringify(parsed.error ?? null).slice(0, 300)}`;
  }
  return Array.isArray(result.data) ? result.data.length : 0;
}

/** Sends each body of the workload once and parses the answers. */
export async function sampleCheck(url: string, workload: Workload): Promise<SampleCheck> {
  const problems: string[] = [];
  let rows = 0;
  for (const body of workload.bodies) {
    try {
      const reply = await postJson(url, body);
      const outcome = inspect(workload.protocol, reply.status, reply.text);
      if (typeof outcome === 'string') problems.push(outcome);
      else rows += outcome;
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { problems, rows };
}
