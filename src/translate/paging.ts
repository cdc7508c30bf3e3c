/**
 * Relay paging over `offset`/`limit` on a list that changes between calls.
 *
 * Every call sends a total order (translate/order.ts) and every cursor holds
 * its row's sort values (translate/cursor.ts), so a page finds its place again
 * by value, not by offset alone:
 * - `after`/`before` become a filter (keyset) when every sort key takes range
 *   operators; the list may then change in any way between pages;
 * - otherwise the gateway fetches a window of CURSOR_SLACK rows on each side
 *   of the cursor's old offset and resumes next to the cursor's row (found by
 *   its key, or by comparing values when it is gone). While at most
 *   CURSOR_SLACK rows, net, were added or removed before the cursor, no row is
 *   skipped or repeated; beyond that the cursor is refused as stale.
 * - `first` without `after` reads from the start, `last` without `before`
 *   from the end (the order reversed), neither needing a position.
 */
import { API_LIMITS } from '../api/wire.js';
import type { Row } from '../api/wire.js';
import { BadUserInputError } from '../api/errors.js';
import type { Cursor } from './cursor.js';

/** Rows added or removed (net) before a cursor between two pages that paging absorbs. */
export const CURSOR_SLACK = 25;

/** Relay connection arguments. */
export interface PagingArgs {
  readonly first?: number | null;
  readonly after?: string | null;
  readonly last?: number | null;
  readonly before?: string | null;
}

export interface PageSizes {
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
}

export interface PageSize {
  readonly forward: boolean;
  readonly size: number;
}

function checkSize(value: number, argument: string, sizes: PageSizes): void {
  if (value < 0) throw new BadUserInputError(`"${argument}" must not be negative.`, argument);
  if (value > sizes.maxPageSize) {
    throw new BadUserInputError(
      `"${argument}" must be at most ${sizes.maxPageSize} (the maximum page size).`,
      argument,
    );
  }
}

/** Direction and size of the page, validated before any call. */
export function pageSize(args: PagingArgs, sizes: PageSizes): PageSize {
  const { first, last } = args;
  if (first != null && last != null) {
    throw new BadUserInputError('Pass "first" or "last", not both.', 'first');
  }
  // Absent is 0 here, which passes both bounds.
  checkSize(first ?? 0, 'first', sizes);
  checkSize(last ?? 0, 'last', sizes);
  return last != null
    ? { forward: false, size: last }
    : { forward: true, size: first ?? sizes.defaultPageSize };
}

export interface PageCursors {
  readonly after?: Cursor | undefined;
  readonly before?: Cursor | undefined;
}

/**
 * One call's shape. `reversed`: the order is sent reversed and rows come back
 * last first. `keyset`: the cursor becomes a filter.
 */
export interface Fetch {
  readonly kind: 'head' | 'tail' | 'window' | 'keyset';
  readonly offset: number;
  readonly limit: number;
  readonly reversed: boolean;
  readonly keyset?: { readonly side: 'after' | 'before'; readonly cursor: Cursor };
}

function checkOffset(offset: number): number {
  if (offset > API_LIMITS.maxOffset) {
    throw new BadUserInputError(
      `The page starts at row ${offset}, past the Data API's maximum offset of ${API_LIMITS.maxOffset}.`,
    );
  }
  return offset;
}

function cursorPosition(cursor: Cursor, argument: string): number {
  if (cursor.position === undefined) {
    throw new BadUserInputError(
      `"${argument}" is not a valid cursor: it has no position.`,
      argument,
    );
  }
  return cursor.position;
}

/**
 * What to fetch, before any call. A page of size 0 still fetches a row, so
 * that pageInfo is as right as for any other size.
 */
export function planFetch(page: PageSize, cursors: PageCursors, keyset: boolean): Fetch {
  const size = Math.max(1, page.size);
  const anchor = page.forward ? cursors.after : cursors.before;
  if (!anchor) {
    return {
      kind: page.forward ? 'head' : 'tail',
      offset: 0,
      limit: size,
      reversed: !page.forward,
    };
  }
  if (keyset) {
    const side = page.forward ? 'after' : 'before';
    return {
      kind: 'keyset',
      offset: 0,
      limit: size,
      reversed: !page.forward,
      keyset: { side, cursor: anchor },
    };
  }
  if (page.forward) {
    const next = cursorPosition(anchor, 'after') + 1;
    // One row more than the slack each side: the row at the window's edge shows the cursor's place lies inside.
    const offset = checkOffset(Math.max(0, next - CURSOR_SLACK - 1));
    return {
      kind: 'window',
      offset,
      limit: Math.min(API_LIMITS.maxLimit, next + CURSOR_SLACK + size - offset),
      reversed: false,
    };
  }
  const at = cursorPosition(anchor, 'before');
  const offset = checkOffset(Math.max(0, at - size - CURSOR_SLACK - 1));
  return {
    kind: 'window',
    offset,
    limit: Math.min(API_LIMITS.maxLimit, at + CURSOR_SLACK + 1 - offset),
    reversed: false,
  };
}

/** A pageInfo flag known now, or true exactly when the list's total exceeds `totalAbove`. */
export type Flag = boolean | { readonly totalAbove: number };

export interface ResolvedPage {
  readonly rows: readonly Row[];
  /** Offset of the first row (of where it would be, on an empty page); unknown on keyset pages. */
  readonly position?: number;
  readonly hasNextPage: Flag;
  readonly hasPreviousPage: Flag;
  /** `total_items` of the call is the list's total (false for keyset calls). */
  readonly totalIsList: boolean;
}

/** How a row stands against a cursor, and whether it is the cursor's own row. */
export interface CursorTest {
  compare(row: Row, cursor: Cursor): number;
  isRowOf(row: Row, cursor: Cursor): boolean;
}

/** Leading rows that do not pass `keep`... counted. Rows are in list order. */
function countWhile(rows: readonly Row[], test: (row: Row) => boolean): number {
  const index = rows.findIndex((row) => !test(row));
  return index === -1 ? rows.length : index;
}

function stale(argument: string): BadUserInputError {
  return new BadUserInputError(
    `"${argument}" is stale: more than ${CURSOR_SLACK} rows were added or removed before it since it was made. Page again from the start.`,
    argument,
  );
}

/**
 * Turns the fetched rows (as the API sent them) and the call's `total_items`
 * into the page: finds the cursor's place, applies the other cursor, works
 * out positions and pageInfo.
 */
export function resolvePage(
  fetch: Fetch,
  page: PageSize,
  cursors: PageCursors,
  fetched: readonly Row[],
  total: number,
  test: CursorTest,
): ResolvedPage {
  const rows = fetch.reversed ? [...fetched].reverse() : fetched;
  const { after, before } = cursors;
  const beforeCut = (list: readonly Row[]) =>
    before
      ? list.slice(
          0,
          countWhile(list, (row) => test.compare(row, before) < 0),
        )
      : list;
  const afterCut = (list: readonly Row[]) =>
    after ? countWhile(list, (row) => test.compare(row, after) <= 0) : 0;

  switch (fetch.kind) {
    case 'head': {
      const shown = beforeCut(rows).slice(0, page.size);
      return {
        rows: shown,
        position: 0,
        hasNextPage: shown.length < total,
        hasPreviousPage: false,
        totalIsList: true,
      };
    }
    case 'tail': {
      const kept = rows.slice(Math.max(0, rows.length - page.size));
      const dropped = afterCut(kept);
      const position = total - kept.length + dropped;
      return {
        rows: kept.slice(dropped),
        position,
        hasNextPage: false,
        hasPreviousPage: position > 0,
        totalIsList: true,
      };
    }
    case 'keyset': {
      if (page.forward) {
        const shown = beforeCut(rows).slice(0, page.size);
        return {
          rows: shown,
          hasNextPage: shown.length < total,
          hasPreviousPage: { totalAbove: total },
          totalIsList: false,
        };
      }
      const kept = rows.slice(Math.max(0, rows.length - page.size));
      const dropped = afterCut(kept);
      return {
        rows: kept.slice(dropped),
        hasNextPage: { totalAbove: total },
        hasPreviousPage: rows.length - kept.length + dropped > 0 || fetched.length < total,
        totalIsList: false,
      };
    }
    case 'window':
      return resolveWindow(fetch, page, cursors, rows, total, test, beforeCut, afterCut);
  }
}

function resolveWindow(
  fetch: Fetch,
  page: PageSize,
  cursors: PageCursors,
  rows: readonly Row[],
  total: number,
  test: CursorTest,
  beforeCut: (list: readonly Row[]) => readonly Row[],
  afterCut: (list: readonly Row[]) => number,
): ResolvedPage {
  const argument = page.forward ? 'after' : 'before';
  const anchor = page.forward ? cursors.after : cursors.before;
  if (!anchor) throw new Error('unreachable: a window without its cursor');
  // The cursor's own row, when still there, fixes the place whatever the API's collation.
  const own = rows.findIndex((row) => test.isRowOf(row, anchor));
  const boundary =
    own !== -1
      ? own + (page.forward ? 1 : 0)
      : countWhile(rows, (row) => test.compare(row, anchor) < 0);
  // Without the row, the place is known only if the window holds rows on both sides of it (or the list's ends).
  const reachesStart = fetch.offset === 0;
  const reachesEnd = fetch.offset + rows.length >= total;
  if (own === -1 && !((boundary > 0 || reachesStart) && (boundary < rows.length || reachesEnd))) {
    throw stale(argument);
  }
  // Found or not, the whole page must lie inside the window: past the slack the
  // cursor's row can sit at the window's edge, and the page would come out short
  // (or empty, with no cursor to page on from).
  const fits = page.forward
    ? boundary + page.size <= rows.length || reachesEnd
    : boundary >= page.size || reachesStart;
  if (!fits) throw stale(argument);
  if (page.forward) {
    const shown = beforeCut(rows.slice(boundary)).slice(0, page.size);
    const position = fetch.offset + boundary;
    return {
      rows: shown,
      position,
      hasNextPage: position + shown.length < total,
      hasPreviousPage: position > 0,
      totalIsList: true,
    };
  }
  const from = Math.max(0, boundary - page.size);
  const kept = rows.slice(from, boundary);
  const dropped = afterCut(kept);
  const position = fetch.offset + from + dropped;
  return {
    rows: kept.slice(dropped),
    position,
    hasNextPage: fetch.offset + boundary < total,
    hasPreviousPage: position > 0,
    totalIsList: true,
  };
}
