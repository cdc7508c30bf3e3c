import { API_LIMITS } from '../api/wire.js';
import { BadUserInputError } from '../errors.js';

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

/** A window of rows `[start, start + count)`. */
export interface Window {
  readonly start: number;
  readonly count: number;
}

/**
 * What to fetch. `fromEnd` windows (`last` without `before`) can only be placed
 * once the total is known, which costs one extra call.
 */
export type PagePlan =
  | { readonly kind: 'window'; readonly window: Window }
  | { readonly kind: 'fromEnd'; readonly last: number; readonly lowerBound: number };

const CURSOR_PREFIX = 'offset:';

/** Cursors are opaque to clients: base64 of the row's offset. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${offset}`).toString('base64');
}

export function decodeCursor(cursor: string, argument: 'after' | 'before'): number {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  const match = /^offset:(0|[1-9]\d{0,8})$/.exec(text);
  // Re-encoding guards against base64 that decodes leniently (e.g. junk characters).
  if (!match?.[1] || encodeCursor(Number(match[1])) !== cursor) {
    throw new BadUserInputError(`"${argument}" is not a valid cursor.`, argument);
  }
  return Number(match[1]);
}

function checkSize(value: number | null | undefined, argument: string, sizes: PageSizes): void {
  if (value === null || value === undefined) return;
  if (value < 0) throw new BadUserInputError(`"${argument}" must not be negative.`, argument);
  if (value > sizes.maxPageSize) {
    throw new BadUserInputError(
      `"${argument}" must be at most ${sizes.maxPageSize} (the maximum page size).`,
      argument,
    );
  }
}

export function checkOffset(window: Window): Window {
  if (window.start > API_LIMITS.maxOffset) {
    throw new BadUserInputError(
      `The page starts at row ${window.start}, past the Data API's maximum offset of ${API_LIMITS.maxOffset}.`,
    );
  }
  return window;
}

/** Validates the arguments and plans the window, before any call. */
export function planPage(args: PagingArgs, sizes: PageSizes): PagePlan {
  const { first, last, after, before } = args;
  if (first != null && last != null) {
    throw new BadUserInputError('Pass "first" or "last", not both.', 'first');
  }
  checkSize(first, 'first', sizes);
  checkSize(last, 'last', sizes);
  const lowerBound = after != null ? decodeCursor(after, 'after') + 1 : 0;
  const upperBound = before != null ? decodeCursor(before, 'before') : undefined;

  if (last != null) {
    if (upperBound === undefined) {
      // The window starts at lowerBound or later: refuse it now rather than after the count call.
      checkOffset({ start: lowerBound, count: 0 });
      return { kind: 'fromEnd', last, lowerBound };
    }
    const start = Math.max(lowerBound, upperBound - last);
    return {
      kind: 'window',
      window: checkOffset({ start, count: Math.max(0, upperBound - start) }),
    };
  }
  const size = first ?? sizes.defaultPageSize;
  const end =
    upperBound === undefined ? lowerBound + size : Math.min(upperBound, lowerBound + size);
  return {
    kind: 'window',
    window: checkOffset({ start: lowerBound, count: Math.max(0, end - lowerBound) }),
  };
}

/** Places a `fromEnd` plan once the total is known. */
export function placeFromEnd(plan: { last: number; lowerBound: number }, total: number): Window {
  const start = Math.max(plan.lowerBound, total - plan.last);
  return checkOffset({ start, count: Math.max(0, total - start) });
}

export interface PageInfo {
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly startCursor: string | null;
  readonly endCursor: string | null;
}

/** Rows the window holds, given the total (used when rows were not fetched). */
export function rowsInWindow(window: Window, total: number): number {
  return Math.max(0, Math.min(window.count, total - window.start));
}

export function pageInfo(window: Window, rows: number, total: number): PageInfo {
  return {
    hasNextPage: window.start + rows < total,
    hasPreviousPage: Math.min(window.start, total) > 0,
    startCursor: rows > 0 ? encodeCursor(window.start) : null,
    endCursor: rows > 0 ? encodeCursor(window.start + rows - 1) : null,
  };
}
