/**
 * The plan of one list (connection) field: its arguments validated and
 * translated into the API's params before any call, the call of its page and
 * the call that gives its total, when a selected field needs one.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { MethodDescription } from '../api/types.js';
import type { ApiFilter, ApiSort, GetParams } from '../api/wire.js';
import type { InputLimits } from '../config/config.js';
import { decodeCursor, fingerprint } from '../translate/cursor.js';
import { connectionSelection } from '../translate/fields.js';
import type { FilterInput } from '../translate/filter.js';
import { toApiFilter } from '../translate/filter.js';
import { keysetCapable, keysetFilter, reverseSort, totalOrder } from '../translate/order.js';
import type { Fetch, PageCursors, PageSize, PageSizes, PagingArgs } from '../translate/paging.js';
import { pageSize, planFetch } from '../translate/paging.js';
import type { OrderInput } from '../translate/sort.js';
import { checkOrderBy } from '../translate/sort.js';
import type { CallBook, CallHandle } from './callBook.js';

export interface ListArgs extends PagingArgs {
  readonly filter?: FilterInput | null;
  readonly orderBy?: readonly OrderInput[] | null;
  readonly userId?: number | null;
}

/** How a page's rows become cursors: the query's fingerprint and order. */
export interface CursorMaker {
  readonly fingerprint: string;
  readonly sort: readonly ApiSort[];
}

export interface ListFieldPlan {
  readonly kind: 'list';
  readonly method: MethodDescription;
  readonly size: PageSize;
  readonly cursors: PageCursors;
  readonly fetch: Fetch;
  readonly maker: CursorMaker;
  /** The page's call; absent when only the total is selected and no cursor is given. */
  readonly page: CallHandle | undefined;
  /**
   * The call whose `total_items` is the list's total, when a selected field
   * needs it (the page's own call when its total is the list's).
   */
  readonly count: CallHandle | undefined;
}

export interface ListPlanOptions {
  readonly paging: PageSizes;
  readonly limits: InputLimits;
  readonly defaultUserId: number | undefined;
}

function both(a: ApiFilter | undefined, b: ApiFilter): ApiFilter {
  return a ? { filters: [a, b], condition: 'and' } : b;
}

/**
 * Validates and translates a list field's arguments (throwing the
 * BadUserInputError that execution reports at the field) and books its calls.
 */
export function planListField(
  method: MethodDescription,
  args: ListArgs,
  info: GraphQLResolveInfo,
  options: ListPlanOptions,
  book: CallBook,
): ListFieldPlan {
  const size = pageSize(args, options.paging);
  const userId = args.userId ?? options.defaultUserId;
  const filter = toApiFilter(method, args.filter, {
    maxDepth: options.limits.maxFilterDepth,
    maxListInput: options.limits.maxListInput,
    maxStringInput: options.limits.maxStringInput,
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
  const selection = connectionSelection(method, info);
  const plan = { kind: 'list', method, size, cursors, fetch, maker } as const;

  if (!selection.needsRows && !cursors.after && !cursors.before) {
    return { ...plan, page: undefined, count: book.count(method, userId, filter) };
  }
  const base: Omit<GetParams, 'fields'> = {
    ...(userId === undefined ? {} : { user_id: userId }),
    ...(filter ? { filter } : {}),
  };
  const keyset = fetch.keyset;
  const page = book.page(
    method.method,
    {
      ...base,
      ...(keyset
        ? { filter: both(filter, keysetFilter(method, sort, keyset.cursor.values, keyset.side)) }
        : {}),
      sort: fetch.reversed ? reverseSort(sort) : sort,
      offset: fetch.offset,
      limit: fetch.limit,
    },
    [...new Set([...selection.columns, ...sort.map(({ field }) => field)])],
  );
  if (!keyset) return { ...plan, page, count: page };
  // A keyset page counts the rows past the cursor: the list's total is another call,
  // made only when a selected field needs it.
  const needsTotal =
    selection.totalCount || (fetch.reversed ? selection.hasNextPage : selection.hasPreviousPage);
  return { ...plan, page, count: needsTotal ? book.count(method, userId, filter) : undefined };
}
