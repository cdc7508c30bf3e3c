import { availableVirtualNumbers } from './availableVirtualNumbers.js';
import type { MethodDescription } from './types.js';
import { virtualNumberGroups } from './virtualNumberGroups.js';

export { availableVirtualNumbers, virtualNumberGroups };

/** Every described `get` method, by JSON-RPC method name. */
export const METHODS: ReadonlyMap<string, MethodDescription> = new Map(
  [availableVirtualNumbers, virtualNumberGroups].map((m) => [m.method, m]),
);

/** Columns of a method's row: what one row costs in the query cost (QUERY_MAX_COST). */
export function rowWidth(method: MethodDescription): number {
  return Object.keys(method.columns).length;
}

/** Columns of the widest row: a full page of it is the dearest single list field. */
export const WIDEST_ROW = Math.max(...[...METHODS.values()].map(rowWidth));
