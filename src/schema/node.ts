import type { GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from './context.js';
import { BadUserInputError } from '../api/errors.js';
import { resolveNode } from './resolveNode.js';
import { builder } from './builder.js';
import { brandRow } from './rowType.js';

async function loadNode(
  id: string,
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  userId: number | null | undefined,
) {
  const loaded = await resolveNode(id, ctx, info, userId ?? undefined);
  return loaded ? brandRow(loaded.row, loaded.typeName) : null;
}

const USER_ID = "Agents only: the customer's user id (`user_id`), as on the list fields.";

// Defined here rather than by the relay plugin so that unknown or malformed ids
// resolve to null instead of failing the field.
builder.queryFields((t) => ({
  node: t.field({
    type: builder.nodeInterfaceRef(),
    description: 'Fetches an object by its global id; null when no such object exists.',
    args: {
      id: t.arg.id({ required: true, description: 'A global id.' }),
      userId: t.arg.int({ description: USER_ID }),
    },
    resolve: (_root, { id, userId }, ctx, info) => loadNode(id, ctx, info, userId),
  }),
  nodes: t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    description:
      'Fetches objects by their global ids, in order; null for each id that names no object. Look-ups of one type share one call.',
    args: {
      ids: t.arg.idList({ required: true, description: 'Global ids.' }),
      userId: t.arg.int({ description: USER_ID }),
    },
    resolve: (_root, { ids, userId }, ctx, info) => {
      if (ids.length > ctx.limits.maxListInput) {
        throw new BadUserInputError(
          `"ids" has ${ids.length} ids; the limit is ${ctx.limits.maxListInput} (MAX_LIST_INPUT).`,
          'ids',
        );
      }
      return ids.map((id) => loadNode(id, ctx, info, userId));
    },
  }),
}));
