import { describe, expect, it } from 'vitest';
import { API_LIMITS } from '../../../src/api/wire.js';
import type { Row } from '../../../src/api/wire.js';
import type { Cursor } from '../../../src/translate/cursor.js';
import type {
  CursorTest,
  Fetch,
  PageCursors,
  PageSize,
  PageSizes,
} from '../../../src/translate/paging.js';
import { CURSOR_SLACK, pageSize, planFetch, resolvePage } from '../../../src/translate/paging.js';
import { refusal } from '../../helpers/refusal.js';

const sizes: PageSizes = { defaultPageSize: 20, maxPageSize: 100 };

describe('page sizes', () => {
  it('default to the configured size, forwards', () => {
    expect(pageSize({}, sizes)).toEqual({ forward: true, size: 20 });
    expect(pageSize({ first: null, last: null }, sizes)).toEqual({ forward: true, size: 20 });
  });

  it('take last as a backward page', () => {
    expect(pageSize({ last: 7 }, sizes)).toEqual({ forward: false, size: 7 });
  });

  it.each([
    [{ first: 1, last: 1 }, 'Pass "first" or "last", not both.'],
    [{ first: 0, last: 0 }, 'Pass "first" or "last", not both.'],
    [{ first: -1 }, '"first" must not be negative.'],
    [{ last: -5 }, '"last" must not be negative.'],
    [{ first: 101 }, '"first" must be at most 100 (the maximum page size).'],
    [{ last: 101 }, '"last" must be at most 100 (the maximum page size).'],
  ])('refuses %j', (args, message) => {
    expect(refusal(() => pageSize(args, sizes)).message).toBe(message);
  });
});

const at = (position: number): Cursor => ({ position, values: [position] });
const forward = (size: number): PageSize => ({ forward: true, size });
const backward = (size: number): PageSize => ({ forward: false, size });

describe('what is fetched', () => {
  it('reads from the start without after, from the end (reversed) without before', () => {
    expect(planFetch(forward(10), { before: at(5) }, false)).toEqual({
      kind: 'head',
      offset: 0,
      limit: 10,
      reversed: false,
    });
    expect(planFetch(backward(10), { after: at(5) }, false)).toEqual({
      kind: 'tail',
      offset: 0,
      limit: 10,
      reversed: true,
    });
  });

  it('fetches one row for a page of size 0, so that pageInfo stays right', () => {
    expect(planFetch(forward(0), {}, false).limit).toBe(1);
  });

  it('turns the cursor into a filter when keyset paging is possible', () => {
    expect(planFetch(forward(10), { after: at(500) }, true)).toEqual({
      kind: 'keyset',
      offset: 0,
      limit: 10,
      reversed: false,
      keyset: { side: 'after', cursor: at(500) },
    });
    expect(planFetch(backward(10), { before: at(500) }, true)).toMatchObject({
      kind: 'keyset',
      reversed: true,
      keyset: { side: 'before' },
    });
  });

  it('fetches CURSOR_SLACK rows on each side of the page after a cursor', () => {
    expect(planFetch(forward(10), { after: at(99) }, false)).toEqual({
      kind: 'window',
      offset: 100 - CURSOR_SLACK - 1,
      limit: 10 + 2 * CURSOR_SLACK + 1,
      reversed: false,
    });
    expect(planFetch(forward(10), { after: at(3) }, false)).toEqual({
      kind: 'window',
      offset: 0,
      limit: 4 + CURSOR_SLACK + 10,
      reversed: false,
    });
  });

  it('fetches CURSOR_SLACK rows on each side of the page before a cursor', () => {
    expect(planFetch(backward(10), { before: at(100) }, false)).toEqual({
      kind: 'window',
      offset: 90 - CURSOR_SLACK - 1,
      limit: 10 + 2 * CURSOR_SLACK + 2,
      reversed: false,
    });
  });

  it('refuses, before any call, a window past the maximum offset', () => {
    const far = API_LIMITS.maxOffset + CURSOR_SLACK + 1;
    expect(planFetch(forward(5), { after: at(far - 1) }, false).offset).toBe(API_LIMITS.maxOffset);
    expect(refusal(() => planFetch(forward(5), { after: at(far) }, false)).message).toBe(
      "The page starts at row 100001, past the Data API's maximum offset of 100000.",
    );
    expect(refusal(() => planFetch(backward(5), { before: at(far + 10) }, false)).message).toMatch(
      /past the Data API's maximum offset/,
    );
  });

  it('refuses a window cursor without a position', () => {
    expect(
      refusal(() => planFetch(forward(5), { after: { values: [1] } }, false)).extensions,
    ).toEqual({ code: 'BAD_USER_INPUT', argument: 'after' });
  });
});

/** A model of the API: rows are `{ k }`, sorted by `k`, `k` the key. */
function fetchFrom(list: readonly number[], fetch: Fetch): { rows: Row[]; total: number } {
  const ordered = fetch.reversed ? [...list].reverse() : list;
  const after = fetch.keyset?.side === 'after' ? fetch.keyset.cursor.values[0] : undefined;
  const before = fetch.keyset?.side === 'before' ? fetch.keyset.cursor.values[0] : undefined;
  const matches = ordered.filter(
    (k) => (typeof after !== 'number' || k > after) && (typeof before !== 'number' || k < before),
  );
  return {
    rows: matches.slice(fetch.offset, fetch.offset + fetch.limit).map((k) => ({ k })),
    total: matches.length,
  };
}

const test: CursorTest = {
  compare: (row, cursor) => (row.k as number) - (cursor.values[0] as number),
  isRowOf: (row, cursor) => row.k === cursor.values[0],
};

function page(list: readonly number[], size: PageSize, cursors: PageCursors, keyset = false) {
  const fetch = planFetch(size, cursors, keyset);
  const { rows, total } = fetchFrom(list, fetch);
  const resolved = resolvePage(fetch, size, cursors, rows, total, test);
  return { ...resolved, keys: resolved.rows.map((r) => r.k) };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const LIST = range(0, 200).map((i) => i * 10);
const cursorOf = (k: number): Cursor => ({ position: LIST.indexOf(k), values: [k] });

describe('a page after a cursor, on a list that does not change', () => {
  it('is the rows right after it, with their positions', () => {
    const p = page(LIST, forward(5), { after: cursorOf(990) });
    expect(p.keys).toEqual([1000, 1010, 1020, 1030, 1040]);
    expect(p).toMatchObject({ position: 100, hasNextPage: true, hasPreviousPage: true });
  });

  it('ends at before', () => {
    const p = page(LIST, forward(50), { after: cursorOf(990), before: cursorOf(1030) });
    expect(p.keys).toEqual([1000, 1010, 1020]);
    expect(p.hasNextPage).toBe(true);
  });

  it('is short and last at the end of the list', () => {
    const p = page(LIST, forward(50), { after: cursorOf(1960) });
    expect(p.keys).toEqual([1970, 1980, 1990]);
    expect(p.hasNextPage).toBe(false);
  });

  it('before a cursor is the rows right before it', () => {
    const p = page(LIST, backward(3), { before: cursorOf(1000) });
    expect(p.keys).toEqual([970, 980, 990]);
    expect(p).toMatchObject({ position: 97, hasNextPage: true, hasPreviousPage: true });
    const first = page(LIST, backward(30), { before: cursorOf(20) });
    expect(first.keys).toEqual([0, 10]);
    expect(first.hasPreviousPage).toBe(false);
  });

  it('from the end, stops at after and knows its position', () => {
    const p = page(LIST, backward(5), { after: cursorOf(1970) });
    expect(p.keys).toEqual([1980, 1990]);
    expect(p).toMatchObject({ position: 198, hasNextPage: false, hasPreviousPage: true });
  });

  it('from the end with an after cursor beyond the last row is empty', () => {
    const p = page(LIST, backward(5), { after: { position: 90_000, values: [1_000_000] } });
    expect(p.keys).toEqual([]);
    expect(p).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });
});

describe('a page after a cursor, when rows were removed or added before it', () => {
  const cursor = cursorOf(990);
  const without = (removed: number) => LIST.filter((k) => k < 990 - removed * 10 || k >= 990);

  it.each([1, 10, CURSOR_SLACK])('resumes after the cursor with %i rows removed', (removed) => {
    expect(page(without(removed), forward(5), { after: cursor }).keys).toEqual([
      1000, 1010, 1020, 1030, 1040,
    ]);
  });

  it('resumes after the cursor when its own row was removed too', () => {
    const list = LIST.filter((k) => k < 900 || k > 990);
    expect(page(list, forward(3), { after: cursor }).keys).toEqual([1000, 1010, 1020]);
  });

  it.each([1, CURSOR_SLACK])('resumes after the cursor with %i rows added', (added) => {
    const list = [
      ...range(0, added)
        .map((i) => -1 - i)
        .reverse(),
      ...LIST,
    ];
    expect(page(list, forward(4), { after: cursor }).keys).toEqual([1000, 1010, 1020, 1030]);
  });

  it('refuses the cursor as stale beyond CURSOR_SLACK removed rows when its row is gone', () => {
    const list = LIST.filter((k) => k < 990 - (CURSOR_SLACK + 2) * 10 || k > 990);
    expect(refusal(() => page(list, forward(5), { after: cursor })).message).toMatch(
      /^"after" is stale: more than 25 rows were added or removed before it/,
    );
  });

  it('refuses the cursor as stale beyond CURSOR_SLACK + page size added rows', () => {
    const list = [
      ...range(0, CURSOR_SLACK + 6)
        .map((i) => -1 - i)
        .reverse(),
      ...LIST,
    ];
    expect(refusal(() => page(list, forward(5), { after: cursor })).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argument: 'after',
    });
  });

  it('backwards, resumes before the cursor with rows removed and added', () => {
    const removed = without(CURSOR_SLACK);
    expect(page(removed, backward(3), { before: cursorOf(990) }).keys).toEqual([710, 720, 730]);
    const added = [
      ...range(0, CURSOR_SLACK)
        .map((i) => -1 - i)
        .reverse(),
      ...LIST,
    ];
    expect(page(added, backward(3), { before: cursorOf(990) }).keys).toEqual([960, 970, 980]);
  });
});

describe('keyset pages', () => {
  it('forwards: flags that need the total are left to it', () => {
    const p = page(LIST, forward(3), { after: cursorOf(990) }, true);
    expect(p.keys).toEqual([1000, 1010, 1020]);
    expect(p.position).toBeUndefined();
    expect(p.hasNextPage).toBe(true);
    expect(p.hasPreviousPage).toEqual({ totalAbove: 100 });
  });

  it('backwards: reverses the rows, knows what precedes', () => {
    const p = page(LIST, backward(3), { before: cursorOf(30), after: cursorOf(0) }, true);
    expect(p.keys).toEqual([10, 20]);
    expect(p.hasPreviousPage).toBe(true);
    expect(p.hasNextPage).toEqual({ totalAbove: 3 });
  });

  it('holds whatever was removed before the cursor', () => {
    const list = LIST.filter((k) => k > 990);
    expect(page(list, forward(2), { after: cursorOf(990) }, true).keys).toEqual([1000, 1010]);
  });
});

describe('page size limits', () => {
  it('accept 0 and exactly the maximum, refuse one past each', () => {
    expect(pageSize({ first: 0 }, sizes)).toEqual({ forward: true, size: 0 });
    expect(pageSize({ last: 0 }, sizes)).toEqual({ forward: false, size: 0 });
    expect(pageSize({ first: 100 }, sizes)).toEqual({ forward: true, size: 100 });
    expect(pageSize({ last: 100 }, sizes)).toEqual({ forward: false, size: 100 });
    expect(refusal(() => pageSize({ first: 101 }, sizes)).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argument: 'first',
    });
    expect(refusal(() => pageSize({ last: -1 }, sizes)).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argument: 'last',
    });
  });

  it('name "first" when both are given', () => {
    expect(refusal(() => pageSize({ first: 1, last: 1 }, sizes)).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argument: 'first',
    });
  });
});

describe('cursors without a position', () => {
  it('are refused for a window, naming the argument', () => {
    const noPosition = { values: [1] };
    expect(refusal(() => planFetch(forward(5), { after: noPosition }, false))).toEqual({
      code: 'BAD_USER_INPUT',
      message: '"after" is not a valid cursor: it has no position.',
      extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
    });
    expect(refusal(() => planFetch(backward(5), { before: noPosition }, false))).toEqual({
      code: 'BAD_USER_INPUT',
      message: '"before" is not a valid cursor: it has no position.',
      extensions: { code: 'BAD_USER_INPUT', argument: 'before' },
    });
  });

  it('need none for keyset pages, nor where no window is fetched', () => {
    const noPosition = { values: [1] };
    expect(planFetch(forward(5), { after: noPosition }, true).kind).toBe('keyset');
    expect(planFetch(backward(5), { after: noPosition }, false).kind).toBe('tail');
  });
});

/** The whole resolved page, rows as their keys. */
function whole(list: readonly number[], size: PageSize, cursors: PageCursors, keyset = false) {
  const { keys, position, hasNextPage, hasPreviousPage, totalIsList } = page(
    list,
    size,
    cursors,
    keyset,
  );
  return { keys, position, hasNextPage, hasPreviousPage, totalIsList };
}

const SHORT = [0, 10, 20];

describe('the first page (no cursor to find)', () => {
  it('is the head of the list; hasNextPage while rows are left', () => {
    expect(whole(LIST, forward(3), {})).toEqual({
      keys: [0, 10, 20],
      position: 0,
      hasNextPage: true,
      hasPreviousPage: false,
      totalIsList: true,
    });
    expect(whole(SHORT, forward(3), {}).hasNextPage).toBe(false);
    expect(whole(SHORT, forward(2), {}).hasNextPage).toBe(true);
  });

  it('of size 0 shows no row, though one is fetched', () => {
    expect(whole(LIST, forward(0), {})).toEqual({
      keys: [],
      position: 0,
      hasNextPage: true,
      hasPreviousPage: false,
      totalIsList: true,
    });
  });

  it('stops at before', () => {
    expect(whole(LIST, forward(5), { before: cursorOf(20) })).toEqual({
      keys: [0, 10],
      position: 0,
      hasNextPage: true,
      hasPreviousPage: false,
      totalIsList: true,
    });
  });
});

describe('the last page (no cursor to find)', () => {
  it('is the tail of the list, with its position', () => {
    expect(whole(LIST, backward(3), {})).toEqual({
      keys: [1970, 1980, 1990],
      position: 197,
      hasNextPage: false,
      hasPreviousPage: true,
      totalIsList: true,
    });
  });

  it('of the whole list, or more, has nothing before it', () => {
    expect(whole(SHORT, backward(3), {})).toMatchObject({ position: 0, hasPreviousPage: false });
    expect(whole(SHORT, backward(5), {})).toMatchObject({
      keys: [0, 10, 20],
      position: 0,
      hasPreviousPage: false,
    });
    expect(whole(SHORT, backward(2), {})).toMatchObject({ position: 1, hasPreviousPage: true });
  });

  it('of size 0 shows no row, though one is fetched', () => {
    expect(whole(LIST, backward(0), {})).toEqual({
      keys: [],
      position: 200,
      hasNextPage: false,
      hasPreviousPage: true,
      totalIsList: true,
    });
  });

  it('with last and an after cursor far past the end is empty, without refusal', () => {
    // `after` needs no position here: the page is read from the end and cut at the cursor.
    const far: Cursor = { position: 900_000, values: [9_000_000] };
    expect(planFetch(backward(5), { after: far }, false)).toEqual({
      kind: 'tail',
      offset: 0,
      limit: 5,
      reversed: true,
    });
    expect(whole(LIST, backward(5), { after: far })).toEqual({
      keys: [],
      position: 200,
      hasNextPage: false,
      hasPreviousPage: true,
      totalIsList: true,
    });
  });
});

describe('keyset pages, flag by flag', () => {
  it('forwards: stop at before; hasNextPage exactly while rows are left', () => {
    expect(
      whole(LIST, forward(50), { after: cursorOf(990), before: cursorOf(1030) }, true),
    ).toEqual({
      keys: [1000, 1010, 1020],
      position: undefined,
      hasNextPage: true,
      hasPreviousPage: { totalAbove: 100 },
      totalIsList: false,
    });
    expect(whole(LIST, forward(3), { after: cursorOf(1960) }, true).hasNextPage).toBe(false);
    expect(whole(LIST, forward(2), { after: cursorOf(1960) }, true).hasNextPage).toBe(true);
  });

  it('backwards: hasPreviousPage exactly while rows are left before the page', () => {
    expect(whole(LIST, backward(3), { before: cursorOf(30) }, true)).toEqual({
      keys: [0, 10, 20],
      position: undefined,
      hasNextPage: { totalAbove: 3 },
      hasPreviousPage: false,
      totalIsList: false,
    });
    expect(whole(LIST, backward(3), { before: cursorOf(100) }, true).hasPreviousPage).toBe(true);
    expect(whole(LIST, backward(4), { before: cursorOf(30) }, true).hasPreviousPage).toBe(false);
  });

  it('forwards, of size 0, show no row', () => {
    expect(whole(LIST, forward(0), { after: cursorOf(990) }, true)).toMatchObject({
      keys: [],
      hasNextPage: true,
    });
  });

  it('backwards, of size 0, show no row', () => {
    expect(whole(LIST, backward(0), { before: cursorOf(100) }, true)).toMatchObject({
      keys: [],
      hasPreviousPage: true,
    });
  });
});

describe('window pages, at the edges of the slack', () => {
  const added = (count: number) => [
    ...range(0, count)
      .map((i) => -1 - i)
      .reverse(),
    ...LIST,
  ];
  const removedBefore990 = (count: number) => LIST.filter((k) => k < 990 - count * 10 || k >= 990);

  it('forwards: exactly CURSOR_SLACK rows added before the cursor still pages; one more is stale', () => {
    expect(whole(added(CURSOR_SLACK), forward(5), { after: cursorOf(990) })).toEqual({
      keys: [1000, 1010, 1020, 1030, 1040],
      position: 100 + CURSOR_SLACK,
      hasNextPage: true,
      hasPreviousPage: true,
      totalIsList: true,
    });
    // One more, and the cursor's row is at the window's edge: the page would come out short.
    for (const count of [CURSOR_SLACK + 1, CURSOR_SLACK + 5]) {
      expect(refusal(() => page(added(count), forward(5), { after: cursorOf(990) }))).toEqual({
        code: 'BAD_USER_INPUT',
        message: `"after" is stale: more than ${CURSOR_SLACK} rows were added or removed before it since it was made. Page again from the start.`,
        extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
      });
    }
  });

  it('backwards: CURSOR_SLACK + 1 rows removed before the cursor still pages; one more is stale', () => {
    expect(
      whole(removedBefore990(CURSOR_SLACK + 1), backward(3), { before: cursorOf(990) }),
    ).toEqual({
      keys: [700, 710, 720],
      position: 70,
      hasNextPage: true,
      hasPreviousPage: true,
      totalIsList: true,
    });
    for (const count of [CURSOR_SLACK + 2, CURSOR_SLACK + 4]) {
      expect(
        refusal(() => page(removedBefore990(count), backward(3), { before: cursorOf(990) }))
          .extensions,
      ).toEqual({ code: 'BAD_USER_INPUT', argument: 'before' });
    }
  });

  it('forwards: the cursor row and all before it gone, at the list start, pages from row 0', () => {
    const list = LIST.filter((k) => k > 50);
    expect(whole(list, forward(2), { after: cursorOf(50) })).toEqual({
      keys: [60, 70],
      position: 0,
      hasNextPage: true,
      hasPreviousPage: false,
      totalIsList: true,
    });
  });

  it('forwards: the cursor row gone and nothing after it, at the list end, is an empty last page', () => {
    const list = LIST.filter((k) => k < 1990);
    expect(whole(list, forward(3), { after: cursorOf(1990) })).toEqual({
      keys: [],
      position: 199,
      hasNextPage: false,
      hasPreviousPage: true,
      totalIsList: true,
    });
  });

  it('backwards: the cursor row gone and nothing after it is the last rows', () => {
    const list = LIST.filter((k) => k < 1990);
    expect(whole(list, backward(3), { before: cursorOf(1990) })).toEqual({
      keys: [1960, 1970, 1980],
      position: 196,
      hasNextPage: false,
      hasPreviousPage: true,
      totalIsList: true,
    });
  });

  it('backwards: stops at after, and counts the rows it drops into the position', () => {
    expect(whole(LIST, backward(5), { before: cursorOf(1000), after: cursorOf(970) })).toEqual({
      keys: [980, 990],
      position: 98,
      hasNextPage: true,
      hasPreviousPage: true,
      totalIsList: true,
    });
  });

  it('of size 0: the cursor row gone, the window must still hold rows on both sides', () => {
    // Every row of the window lies before the cursor, and the list goes on past it.
    const list = added(40).filter((k) => k !== 990);
    expect(refusal(() => page(list, forward(0), { after: cursorOf(990) })).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argument: 'after',
    });
    // Every row of the window lies after the cursor, and the list starts before it.
    const after = LIST.filter((k) => k < 200 || k > 990);
    expect(refusal(() => page(after, backward(0), { before: cursorOf(990) })).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argument: 'before',
    });
  });

  it('of size 0: the cursor row found at the window edge is an empty page, not stale', () => {
    // A page of size 0 still fetches one row: CURSOR_SLACK + 1 added rows put the cursor's row last.
    expect(whole(added(CURSOR_SLACK + 1), forward(0), { after: cursorOf(990) })).toEqual({
      keys: [],
      position: 100 + CURSOR_SLACK + 1,
      hasNextPage: true,
      hasPreviousPage: true,
      totalIsList: true,
    });
  });

  it('without its cursor is a bug, not a page', () => {
    const window: Fetch = { kind: 'window', offset: 0, limit: 5, reversed: false };
    expect(() => resolvePage(window, forward(5), {}, [{ k: 0 }], 1, test)).toThrow(
      'unreachable: a window without its cursor',
    );
  });
});
