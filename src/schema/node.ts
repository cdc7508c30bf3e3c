import type { Row } from '../api/wire.js';
import type { Lookup } from '../plan/lookupFields.js';
import type { GatewayContext } from './context.js';
import { builder } from './builder.js';
import { planned } from './planned.js';
import { resolveLookup } from './resolveLookup.js';
import { brandRow } from './rowType.js';

async function loadNode(lookup: Lookup | null, ctx: GatewayContext): Promise<Row | null> {
  if (!lookup) return null;
  const row = await resolveLookup(lookup, ctx.calls);
  return row ? brandRow(row, lookup.method.typeName) : null;
}

const USER_ID = "Agents only: the customer's user id (`user_id`), as on the list fields.";

/** Ids are read while planning: one that names nothing of ours is null, at no cost. */
function lookupOf(item: Lookup | null | Error): Lookup | null {
  if (item instanceof Error) throw item;
  return item;
}

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
    resolve: (_root, _args, ctx, info) => {
      const [item = null] = planned(ctx, info, 'lookup').items;
      return loadNode(lookupOf(item), ctx);
    },
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
    resolve: (_root, _args, ctx, info) =>
      planned(ctx, info, 'lookup').items.map((item) => loadNode(lookupOf(item), ctx)),
  }),
}));
