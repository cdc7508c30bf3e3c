import { availableVirtualNumbers } from './availableVirtualNumbers.js';
import type { MethodDescription } from './types.js';
import { virtualNumberGroups } from './virtualNumberGroups.js';

export { availableVirtualNumbers, virtualNumberGroups };

/** Every described `get` method, by JSON-RPC method name. */
export const METHODS: ReadonlyMap<string, MethodDescription> = new Map(
  [availableVirtualNumbers, virtualNumberGroups].map((m) => [m.method, m]),
);
