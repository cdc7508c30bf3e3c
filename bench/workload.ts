/**
 * What one subject sends for one scenario: the GraphQL request for the
 * gateway, the equivalent JSON-RPC calls for direct and proxy.
 */
import type { ScenarioId } from './scenarios.js';

export type Protocol = 'graphql' | 'jsonrpc';

export interface RecordedRpc {
  readonly method: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export interface Workload {
  readonly scenario: ScenarioId;
  readonly protocol: Protocol;
  /**
   * HTTP bodies sent in turn on each connection. One for GraphQL; for JSON-RPC
   * one per call the gateway makes for the scenario (S3 makes several), so one
   * pass over them is the equivalent of one GraphQL request (a "set").
   */
  readonly bodies: readonly string[];
}

export function graphqlWorkload(
  scenario: ScenarioId,
  query: string,
  variables: Readonly<Record<string, unknown>>,
): Workload {
  return { scenario, protocol: 'graphql', bodies: [JSON.stringify({ query, variables })] };
}

export function jsonRpcBody(call: RecordedRpc, id = 1): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method: call.method, params: call.params });
}

export function jsonRpcWorkload(scenario: ScenarioId, calls: readonly RecordedRpc[]): Workload {
  return { scenario, protocol: 'jsonrpc', bodies: calls.map((call) => jsonRpcBody(call)) };
}
