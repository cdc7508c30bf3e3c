import type { GraphQLResolveInfo } from 'graphql';
import type { MethodDescription } from '../api/types.js';
import type { GetParams, GetResult, Row } from '../api/wire.js';
import type { GatewayContext } from '../context.js';
import { ProtocolError } from '../rpc/errors.js';
import { connectionSelection } from '../translate/fields.js';
import type { FilterInput } from '../translate/filter.js';
import { toApiFilter } from '../translate/filter.js';
import type { PageInfo, PagingArgs, Window } from '../translate/paging.js';
import {
  encodeCursor,
  pageInfo,
  placeFromEnd,
  planPage,
  rowsInWindow,
} from '../translate/paging.js';
import type { OrderInput } from '../translate/sort.js';
import { checkOrderBy, toApiSort } from '../translate/sort.js';

export interface ListArgs extends PagingArgs {
  readonly filter?: FilterInput | null;
  readonly orderBy?: readonly OrderInput[] | null;
  readonly userId?: number | null;
}

/** An edge whose cursor is encoded only if the query selects it (most select `nodes`). */
class Edge {
  constructor(
    readonly node: Row,
    private readonly offset: number,
  ) {}

  get cursor(): string {
    return encodeCursor(this.offset);
  }
}

export interface Connection {
  readonly edges: readonly Edge[];
  readonly pageInfo: PageInfo;
  readonly totalCount: number;
}

function totalOf(method: MethodDescription, result: GetResult): number {
  const total = result.metadata.total_items;
  if (typeof total !== 'number') throw new ProtocolError(method.method, 'no metadata.total_items');
  return total;
}

/**
 * Resolves a list field: validates paging before any call, translates
 * arguments and selection into params, and loads through the request's
 * list loader (so identical lists in one request share a call).
 */
export async function resolveConnection(
  method: MethodDescription,
  args: ListArgs,
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
): Promise<Connection> {
  const plan = planPage(args, ctx.paging);
  const userId = args.userId ?? ctx.api.defaultUserId;
  const filter = toApiFilter(method, args.filter, {
    maxDepth: ctx.limits.maxFilterDepth,
    maxListInput: ctx.limits.maxListInput,
    maxStringInput: ctx.limits.maxStringInput,
  });
  checkOrderBy(method, args.orderBy);
  const sort = toApiSort(args.orderBy);
  const base: GetParams = {
    ...(userId === undefined ? {} : { user_id: userId }),
    ...(filter ? { filter } : {}),
    ...(sort ? { sort } : {}),
  };
  // The total alone: one row of one column is the cheapest call that returns it.
  const countCall = () =>
    ctx.lists.load({
      method: method.method,
      params: { ...base, offset: 0, limit: 1, fields: [method.key] },
      countOnly: true,
    });

  let counted: GetResult | undefined;
  let window: Window;
  if (plan.kind === 'fromEnd') {
    counted = await countCall();
    window = placeFromEnd(plan, totalOf(method, counted));
  } else {
    window = plan.window;
  }

  const selection = connectionSelection(method, info);
  if (selection.needsRows && window.count > 0) {
    const page = await ctx.lists.load({
      method: method.method,
      params: { ...base, offset: window.start, limit: window.count, fields: selection.columns },
    });
    const total = totalOf(method, page);
    return {
      edges: page.data.map((node, i) => new Edge(node, window.start + i)),
      pageInfo: pageInfo(window, page.data.length, total),
      totalCount: total,
    };
  }
  const total = totalOf(method, counted ?? (await countCall()));
  return {
    edges: [],
    pageInfo: pageInfo(window, rowsInWindow(window, total), total),
    totalCount: total,
  };
}
