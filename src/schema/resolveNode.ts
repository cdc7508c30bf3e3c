import type { GraphQLResolveInfo } from 'graphql';
import type { Row } from '../api/wire.js';
import type { GatewayContext } from './context.js';
import { nodeColumns } from '../translate/fields.js';
import { parseNodeId } from '../translate/nodeId.js';

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
