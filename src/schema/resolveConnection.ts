import type { GraphQLResolveInfo } from 'graphql';
import type { MethodDescription } from '../api/types.js';
import type { ApiFilter, ApiSort, GetParams, GetResult, Row } from '../api/wire.js';
import type { GatewayContext } from './context.js';
import { ProtocolError } from '../rpc/errors.js';
import type { Cursor } from '../translate/cursor.js';
import { decodeCursor, encodeCursor, fingerprint } from '../translate/cursor.js';
import { connectionSelection } from '../translate/fields.js';
import type { FilterInput } from '../translate/filter.js';
import { toApiFilter } from '../translate/filter.js';
import {
  compareWithValues,
  keysetCapable,
  keysetFilter,
  reverseSort,
  sortValues,
  totalOrder,
} from '../translate/order.js';
import type { CursorTest, Flag, PageCursors, PagingArgs } from '../translate/paging.js';
import { pageSize, planFetch, resolvePage } from '../translate/paging.js';
import type { OrderInput } from '../translate/sort.js';
import { checkOrderBy } from '../translate/sort.js';

export interface ListArgs extends PagingArgs {
  readonly filter?: FilterInput | null;
  readonly orderBy?: readonly OrderInput[] | null;
  readonly userId?: number | null;
}

/** How a page's rows become cursors: the query's fingerprint and order. */
interface CursorMaker {
  readonly fingerprint: string;
  readonly sort: readonly ApiSort[];
}

/** An edge whose cursor is encoded only if the query selects it (most select `nodes`). */
class Edge {
  constructor(
    readonly node: Row,
    private readonly position: number | undefined,
    private readonly maker: CursorMaker,
  ) {}

  get cursor(): string {
    const values = sortValues(this.node, this.maker.sort);
    return encodeCursor(
      this.maker.fingerprint,
      this.position === undefined ? { values } : { position: this.position, values },
    );
  }
}

type MaybeLater<T> = T | Promise<T>;

/** Flags that need the list's total are worked out (one count call) only if selected. */
class PageInfo {
  constructor(
    private readonly edges: readonly Edge[],
    private readonly next: Flag,
    private readonly previous: Flag,
    private readonly total: () => Promise<number>,
  ) {}

  private flag(flag: Flag): MaybeLater<boolean> {
    return typeof flag === 'boolean' ? flag : this.total().then((n) => n > flag.totalAbove);
  }

  get hasNextPage(): MaybeLater<boolean> {
    return this.flag(this.next);
  }

  get hasPreviousPage(): MaybeLater<boolean> {
    return this.flag(this.previous);
  }

  get startCursor(): string | null {
    return this.edges[0]?.cursor ?? null;
  }

  get endCursor(): string | null {
    return this.edges.at(-1)?.cursor ?? null;
  }
}

export interface Connection {
  readonly edges: readonly Edge[];
  readonly pageInfo: PageInfo;
  readonly totalCount: MaybeLater<number>;
}

function totalOf(method: MethodDescription, result: GetResult): number {
  const total = result.metadata.total_items;
  if (typeof total !== 'number') throw new ProtocolError(method.method, 'no metadata.total_items');
  return total;
}

function both(a: ApiFilter | undefined, b: ApiFilter): ApiFilter {
  return a ? { filters: [a, b], condition: 'and' } : b;
}

/**
 * Resolves a list field: validates paging and cursors before any call,
 * translates arguments and selection into params, loads the page through the
 * request's list loader (identical lists in one request share a call) and
 * finds the cursor's place in it (translate/paging.ts).
 */
export async function resolveConnection(
  method: MethodDescription,
  args: ListArgs,
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
): Promise<Connection> {
  const size = pageSize(args, ctx.paging);
  const userId = args.userId ?? ctx.api.defaultUserId;
  const filter = toApiFilter(method, args.filter, {
    maxDepth: ctx.limits.maxFilterDepth,
    maxListInput: ctx.limits.maxListInput,
    maxStringInput: ctx.limits.maxStringInput,
  });
  checkOrderBy(method, args.orderBy);
  const sort = totalOrder(method, args.orderBy);
  const maker: CursorMaker = {
    fingerprint: fingerprint({ method: method.method, userId, filter, sort }),
    sort,
  };
  const cursors: PageCursors = {
    after: args.after != null ? decodeCursor(args.after, 'after', method, maker) : undefined,
    before: args.before != null ? decodeCursor(args.before, 'before', method, maker) : undefined,
  };
  const fetch = planFetch(size, cursors, keysetCapable(method, sort));

  const base: GetParams = {
    ...(userId === undefined ? {} : { user_id: userId }),
    ...(filter ? { filter } : {}),
    sort,
  };
  let listTotal: Promise<number> | undefined;
  // The total alone: one row of one column is the cheapest call that returns it.
  const countList = (): Promise<number> =>
    (listTotal ??= ctx.lists
      .load({
        method: method.method,
        params: { ...base, offset: 0, limit: 1, fields: [method.key] },
        countOnly: true,
      })
      .then((result) => totalOf(method, result)));

  const selection = connectionSelection(method, info);
  if (!selection.needsRows && !cursors.after && !cursors.before) {
    const total = await countList();
    const shown = Math.min(size.size, total);
    return {
      edges: [],
      pageInfo: new PageInfo(
        [],
        size.forward && shown < total,
        !size.forward && shown < total,
        countList,
      ),
      totalCount: total,
    };
  }

  const fields = [...new Set([...selection.columns, ...sort.map(({ field }) => field)])];
  const keyset = fetch.keyset;
  const result = await ctx.lists.load({
    method: method.method,
    params: {
      ...base,
      ...(keyset
        ? {
            filter: both(filter, keysetFilter(method, sort, keyset.cursor.values, keyset.side)),
          }
        : {}),
      sort: fetch.reversed ? reverseSort(sort) : sort,
      offset: fetch.offset,
      limit: fetch.limit,
      fields,
    },
  });
  const total = totalOf(method, result);
  const keyIndex = sort.findIndex(({ field }) => field === method.key);
  const test: CursorTest = {
    compare: (row: Row, cursor: Cursor) => compareWithValues(method, sort, row, cursor.values),
    isRowOf: (row: Row, cursor: Cursor) => row[method.key] === cursor.values[keyIndex],
  };
  const page = resolvePage(fetch, size, cursors, result.data, total, test);
  if (page.totalIsList) listTotal = Promise.resolve(total);
  const edges = page.rows.map(
    (row, i) => new Edge(row, page.position === undefined ? undefined : page.position + i, maker),
  );
  const connection = {
    edges,
    pageInfo: new PageInfo(edges, page.hasNextPage, page.hasPreviousPage, countList),
    get totalCount(): MaybeLater<number> {
      return countList();
    },
  };
  return connection;
}
