/** Global ids and entity keys as they come from outside, read into a method and a key value. */
import { decodeGlobalID } from '@pothos/plugin-relay';
import { METHODS } from '../api/index.js';
import type { MethodDescription } from '../api/types.js';

const METHOD_BY_TYPE = new Map([...METHODS.values()].map((m) => [m.typeName, m]));

/** The method whose rows are of the named GraphQL type, if any. */
export function methodOfType(typeName: string): MethodDescription | undefined {
  return METHOD_BY_TYPE.get(typeName);
}

export interface NodeRef {
  readonly method: MethodDescription;
  readonly key: string | number;
}

/** Decodes a global id to a method and key value; null when it names nothing we serve. */
export function parseNodeId(globalId: string): NodeRef | null {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(globalId);
  } catch {
    return null;
  }
  const method = methodOfType(decoded.typename);
  if (!method) return null;
  const key = parseKey(method, decoded.id);
  return key === null ? null : { method, key };
}

/**
 * A value of the method's key column as it came from outside (a global id's
 * text, a federation entity representation); null when it cannot name a row,
 * so no call is spent on it. Integer keys also accept their decimal text:
 * routers may pass a representation's `Int` through as a string.
 */
export function parseKey(method: MethodDescription, raw: unknown): string | number | null {
  if (method.columns[method.key]?.type === 'int') {
    if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : null;
    return typeof raw === 'string' && /^-?\d{1,15}$/.test(raw) ? Number(raw) : null;
  }
  return typeof raw === 'string' ? raw : null;
}
