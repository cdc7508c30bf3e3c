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
  if (protocol === 'mesh') {
    // Mesh maps an upstream failure to a null result, sometimes without "errors".
    return (body) =>
      body.length > 0 && !body.includes('"errors"') && !body.includes('"result":null');
  }
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

/** Rows in a Mesh answer: `result.data` of every root field. */
function meshRows(data: Json): number {
  let rows = 0;
  for (const field of Object.values(data)) {
    const result = isObject(field) ? field.result : undefined;
    if (isObject(result) && Array.isArray(result.data)) rows += result.data.length;
  }
  return rows;
}

export interface SampleCheck {
  /** Empty when every sampled answer was a success. */
  readonly problems: string[];
  /** Rows per request (set) over the sampled ones (for per-row costs). */
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
  if (protocol === 'graphql' || protocol === 'mesh') {
    if (parsed.errors !== undefined || !isObject(parsed.data)) {
      return `GraphQL errors: ${JSON.stringify(parsed.errors ?? null).slice(0, 300)}`;
    }
    return protocol === 'graphql' ? graphqlRows(parsed.data) : meshRows(parsed.data);
  }
  const { result } = parsed;
  if (parsed.error !== undefined || !isObject(result)) {
    return `JSON-RPC error: ${JSON.stringify(parsed.error ?? null).slice(0, 300)}`;
  }
  return Array.isArray(result.data) ? result.data.length : 0;
}

/** Requests (sets) checked per cell: spread over the variants, few enough to stay quick. */
const SAMPLED_SETS = 6;

/** Sends a few requests of the workload, spread over its variants, and parses the answers. */
export async function sampleCheck(url: string, workload: Workload): Promise<SampleCheck> {
  const problems: string[] = [];
  const perSet = Math.max(1, Math.round(workload.items.length / workload.requests));
  const sets = Math.min(SAMPLED_SETS, workload.requests);
  let rows = 0;
  for (let s = 0; s < sets; s += 1) {
    const first = Math.floor((s * workload.requests) / sets) * perSet;
    for (const item of workload.items.slice(first, first + perSet)) {
      try {
        const reply = await postJson(url, item.body, item.headers);
        const outcome = inspect(workload.protocol, reply.status, reply.text);
        if (typeof outcome === 'string') problems.push(outcome);
        else rows += outcome;
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
  }
  return { problems, rows: Math.round(rows / sets) };
}
