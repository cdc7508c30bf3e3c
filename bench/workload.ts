/**
 * What one subject sends for one scenario: GraphQL requests for the gateway,
 * the equivalent JSON-RPC calls for direct and proxy, the equivalent Mesh
 * requests for the peer. All are made from the same discovered variants, so
 * every subject asks the API for exactly the same rows.
 */
import type { ScenarioId } from './scenarios.js';

export type Protocol = 'graphql' | 'jsonrpc' | 'mesh';

export interface RecordedRpc {
  readonly method: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** One HTTP request of a workload. */
export interface LoadItem {
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** `Id`: a scenario of the matrix, or another name (the load test's `mixed`). */
export interface Workload<Id extends string = ScenarioId> {
  readonly scenario: Id;
  readonly protocol: Protocol;
  /**
   * HTTP requests sent in turn on each connection, each connection starting at
   * its own place. For JSON-RPC, each GraphQL request's calls follow each other
   * (S3 makes several), so `items.length / requests` HTTP calls stand for one
   * GraphQL request (a "set").
   */
  readonly items: readonly LoadItem[];
  /** GraphQL requests the items stand for. */
  readonly requests: number;
}

/** A variant as discovered: the GraphQL variables, its token, and the calls the gateway made. */
export interface DiscoveredVariant {
  readonly variables: Readonly<Record<string, unknown>>;
  readonly token: string;
  readonly calls: readonly RecordedRpc[];
}

export function graphqlWorkload(
  scenario: ScenarioId,
  query: string,
  variants: readonly DiscoveredVariant[],
): Workload {
  return {
    scenario,
    protocol: 'graphql',
    items: variants.map((variant) => ({
      body: JSON.stringify({ query, variables: variant.variables }),
      headers: { authorization: `Bearer ${variant.token}` },
    })),
    requests: variants.length,
  };
}

export function jsonRpcBody(call: RecordedRpc, id = 1): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method: call.method, params: call.params });
}

/** The recorded calls with the variant's token in place of the one discovery used. */
export function callsOf(variant: DiscoveredVariant): RecordedRpc[] {
  return variant.calls.map((call) => ({
    method: call.method,
    params: { ...call.params, access_token: variant.token },
  }));
}

export function jsonRpcWorkload(
  scenario: ScenarioId,
  variants: readonly DiscoveredVariant[],
): Workload {
  return {
    scenario,
    protocol: 'jsonrpc',
    items: variants.flatMap((variant) =>
      callsOf(variant).map((call) => ({ body: jsonRpcBody(call) })),
    ),
    requests: variants.length,
  };
}
