import { decodeGlobalID } from '@pothos/plugin-relay';
import type { GraphQLResolveInfo } from 'graphql';
import { METHODS } from '../api/index.js';
import type { MethodDescription } from '../api/types.js';
import type { Row } from '../api/wire.js';
import type { GatewayContext } from './context.js';
import { nodeColumns } from '../translate/fields.js';

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

export interface LoadedNode {
  readonly typeName: string;
  readonly row: Row;
}

/**
 * Loads one node; look-ups made in the same tick share one call per type (and
 * customer: `userId` is the agents' `user_id`, DATA_API_USER_ID when absent).
 */
export async function resolveNode(
  globalId: string,
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  userId?: number,
): Promise<LoadedNode | null> {
  const ref = parseNodeId(globalId);
  if (!ref) return null;
  const row = await ctx.nodes(ref.method, userId).load({
    key: ref.key,
    columns: nodeColumns(ref.method, info),
  });
  return row ? { typeName: ref.method.typeName, row } : null;
}
