import { decodeGlobalID } from '@pothos/plugin-relay';
import type { GraphQLResolveInfo } from 'graphql';
import { METHODS } from '../api/index.js';
import type { MethodDescription } from '../api/types.js';
import type { Row } from '../api/wire.js';
import type { GatewayContext } from '../context.js';
import { nodeColumns } from '../translate/fields.js';

const METHOD_BY_TYPE = new Map([...METHODS.values()].map((m) => [m.typeName, m]));

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
  const method = METHOD_BY_TYPE.get(decoded.typename);
  if (!method) return null;
  const keyType = method.columns[method.key]?.type;
  if (keyType === 'int') {
    return /^-?\d{1,15}$/.test(decoded.id) ? { method, key: Number(decoded.id) } : null;
  }
  return { method, key: decoded.id };
}

export interface LoadedNode {
  readonly typeName: string;
  readonly row: Row;
}

/** Loads one node; look-ups made in the same tick share one call per type. */
export async function resolveNode(
  globalId: string,
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
): Promise<LoadedNode | null> {
  const ref = parseNodeId(globalId);
  if (!ref) return null;
  const row = await ctx.nodes(ref.method).load({
    key: ref.key,
    columns: nodeColumns(ref.method, info),
  });
  return row ? { typeName: ref.method.typeName, row } : null;
}
