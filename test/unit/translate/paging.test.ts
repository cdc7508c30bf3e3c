import { describe, expect, it } from 'vitest';
import { API_LIMITS } from '../../../src/api/wire.js';
import type { PagePlan, PageSizes, Window } from '../../../src/translate/paging.js';
import {
  checkOffset,
  decodeCursor,
  encodeCursor,
  pageInfo,
  placeFromEnd,
  planPage,
  rowsInWindow,
} from '../../../src/translate/paging.js';
import type { Refusal } from '../../helpers/refusal.js';
import { refusal } from '../../helpers/refusal.js';

const sizes: PageSizes = { defaultPageSize: 20, maxPageSize: 100 };

function badInput(message: string, argument?: string): Refusal {
  return {
    code: 'BAD_USER_INPUT',
    message,
    extensions:
      argument === undefined ? { code: 'BAD_USER_INPUT' } : { code: 'BAD_USER_INPUT', argument },
  };
}

const base64 = (text: string): string => Buffer.from(text).toString('base64');
const windowPlan = (start: number, count: number): PagePlan => ({
  kind: 'window',
  window: { start, count },
});

describe('cursors', () => {
  it('are the base64 of "offset:<n>"', () => {
    expect(encodeCursor(0)).toBe('b2Zmc2V0OjA=');
    expect(encodeCursor(5)).toBe('b2Zmc2V0OjU=');
    expect(encodeCursor(100_000)).toBe('b2Zmc2V0OjEwMDAwMA==');
  });

  it.each([0, 1, 9, 10, 19, 99_999, 100_000, 123_456_789, 999_999_999])(
    'round-trip offset %i',
    (offset) => {
      expect(decodeCursor(encodeCursor(offset), 'after')).toBe(offset);
      expect(decodeCursor(encodeCursor(offset), 'before')).toBe(offset);
    },
  );
});

describe('cursors that do not decode are refused', () => {
  const invalid: readonly (readonly [string, string])[] = [
    ['garbage', 'not a cursor!'],
    ['the empty string', ''],
    ['base64 of other text', base64('hello')],
    ['base64 of a prefix alone', base64('offset:')],
    ['base64 of a negative offset', base64('offset:-1')],
    ['base64 of a zero-padded offset', base64('offset:01')],
    ['base64 of a fractional offset', base64('offset:1.5')],
    ['base64 of an exponent', base64('offset:1e3')],
    ['base64 of an offset with a space', base64('offset: 1')],
    ['base64 of an offset with a trailing newline', base64('offset:1\n')],
    ['base64 of an upper-case prefix', base64('OFFSET:1')],
    ['base64 of a ten-digit offset', base64('offset:1234567890')],
    ['base64 without its padding', 'b2Zmc2V0OjU'],
    ['base64 with non-zero spare bits', 'b2Zmc2V0OjV='],
    ['base64 with surrounding whitespace', ' b2Zmc2V0OjU= '],
    ['base64 with junk inside', 'b2Zmc2V0*OjU='],
  ];

  it.each(invalid)('refuses %s as "after"', (_label, cursor) => {
    expect(refusal(() => decodeCursor(cursor, 'after'))).toEqual(
      badInput('"after" is not a valid cursor.', 'after'),
    );
  });

  it.each(invalid)('refuses %s as "before" when planning', (_label, cursor) => {
    expect(refusal(() => planPage({ last: 5, before: cursor }, sizes))).toEqual(
      badInput('"before" is not a valid cursor.', 'before'),
    );
  });

  it('refuses a bad "after" when planning', () => {
    expect(refusal(() => planPage({ first: 5, after: base64('offset:-1') }, sizes))).toEqual(
      badInput('"after" is not a valid cursor.', 'after'),
    );
  });
});

describe('default page size', () => {
  it('applies when neither first nor last is given', () => {
    expect(planPage({}, sizes)).toEqual(windowPlan(0, 20));
  });

  it('applies when every argument is null', () => {
    expect(planPage({ first: null, last: null, after: null, before: null }, sizes)).toEqual(
      windowPlan(0, 20),
    );
  });

  it('applies after a cursor', () => {
    expect(planPage({ after: encodeCursor(9) }, sizes)).toEqual(windowPlan(10, 20));
  });

  it('follows the configured default', () => {
    expect(planPage({}, { defaultPageSize: 7, maxPageSize: 10 })).toEqual(windowPlan(0, 7));
  });
});

describe('first and after', () => {
  it('takes the first rows', () => {
    expect(planPage({ first: 10 }, sizes)).toEqual(windowPlan(0, 10));
  });

  it('starts right after the cursor', () => {
    expect(planPage({ first: 10, after: encodeCursor(9) }, sizes)).toEqual(windowPlan(10, 10));
  });

  it('starts at 1 after the cursor of row 0', () => {
    expect(planPage({ first: 3, after: encodeCursor(0) }, sizes)).toEqual(windowPlan(1, 3));
  });

  it('accepts the maximum page size', () => {
    expect(planPage({ first: 100 }, sizes)).toEqual(windowPlan(0, 100));
  });

  it('stops at before when it comes first', () => {
    expect(planPage({ first: 10, before: encodeCursor(4) }, sizes)).toEqual(windowPlan(0, 4));
  });
});

describe('first: 0', () => {
  it('plans an empty window at the start', () => {
    expect(planPage({ first: 0 }, sizes)).toEqual(windowPlan(0, 0));
  });

  it('plans an empty window after the cursor', () => {
    expect(planPage({ first: 0, after: encodeCursor(4) }, sizes)).toEqual(windowPlan(5, 0));
  });
});

describe('last and before', () => {
  it('takes the rows just before the cursor', () => {
    expect(planPage({ last: 5, before: encodeCursor(20) }, sizes)).toEqual(windowPlan(15, 5));
  });

  it('stops at row 0 when fewer rows precede the cursor', () => {
    expect(planPage({ last: 30, before: encodeCursor(20) }, sizes)).toEqual(windowPlan(0, 20));
  });

  it('is empty before the cursor of row 0', () => {
    expect(planPage({ last: 5, before: encodeCursor(0) }, sizes)).toEqual(windowPlan(0, 0));
  });

  it('is empty for last: 0', () => {
    expect(planPage({ last: 0, before: encodeCursor(20) }, sizes)).toEqual(windowPlan(20, 0));
  });

  it('takes the default page size from the start for before alone', () => {
    expect(planPage({ before: encodeCursor(50) }, sizes)).toEqual(windowPlan(0, 20));
    expect(planPage({ before: encodeCursor(10) }, sizes)).toEqual(windowPlan(0, 10));
  });
});

describe('last alone', () => {
  it('is placed from the end once the total is known', () => {
    expect(planPage({ last: 5 }, sizes)).toEqual({ kind: 'fromEnd', last: 5, lowerBound: 0 });
  });

  it('keeps after as the lower bound', () => {
    expect(planPage({ last: 5, after: encodeCursor(9) }, sizes)).toEqual({
      kind: 'fromEnd',
      last: 5,
      lowerBound: 10,
    });
  });

  it('takes the last rows of the total', () => {
    expect(placeFromEnd({ last: 5, lowerBound: 0 }, 42)).toEqual({ start: 37, count: 5 });
  });

  it('takes every row when the total is less than last', () => {
    expect(placeFromEnd({ last: 5, lowerBound: 0 }, 3)).toEqual({ start: 0, count: 3 });
  });

  it('takes every row when the total equals last', () => {
    expect(placeFromEnd({ last: 5, lowerBound: 0 }, 5)).toEqual({ start: 0, count: 5 });
  });

  it('is empty when there are no rows', () => {
    expect(placeFromEnd({ last: 5, lowerBound: 0 }, 0)).toEqual({ start: 0, count: 0 });
  });

  it('does not reach back before after', () => {
    expect(placeFromEnd({ last: 5, lowerBound: 40 }, 42)).toEqual({ start: 40, count: 2 });
  });

  it('is empty when after is past the total', () => {
    expect(placeFromEnd({ last: 5, lowerBound: 50 }, 42)).toEqual({ start: 50, count: 0 });
  });

  it('is empty for last: 0', () => {
    expect(placeFromEnd({ last: 0, lowerBound: 0 }, 42)).toEqual({ start: 42, count: 0 });
  });

  it('accepts a window starting at the maximum offset', () => {
    expect(placeFromEnd({ last: 10, lowerBound: 0 }, 100_010)).toEqual({
      start: 100_000,
      count: 10,
    });
  });

  it('refuses a window starting past the maximum offset', () => {
    expect(refusal(() => placeFromEnd({ last: 10, lowerBound: 0 }, 100_011))).toEqual(
      badInput("The page starts at row 100001, past the Data API's maximum offset of 100000."),
    );
  });

  it('refuses the end of a very large result', () => {
    expect(refusal(() => placeFromEnd({ last: 10, lowerBound: 0 }, 200_000))).toEqual(
      badInput("The page starts at row 199990, past the Data API's maximum offset of 100000."),
    );
  });
});

describe('after and before together', () => {
  const after = encodeCursor(9);
  const before = encodeCursor(15);

  it('takes the rows between the cursors', () => {
    expect(planPage({ after, before }, sizes)).toEqual(windowPlan(10, 5));
  });

  it('takes the first rows between the cursors', () => {
    expect(planPage({ first: 3, after, before }, sizes)).toEqual(windowPlan(10, 3));
  });

  it('takes the last rows between the cursors', () => {
    expect(planPage({ last: 3, after, before }, sizes)).toEqual(windowPlan(12, 3));
  });

  it('takes all rows between the cursors when first is larger', () => {
    expect(planPage({ first: 10, after, before }, sizes)).toEqual(windowPlan(10, 5));
  });

  it('takes all rows between the cursors when last is larger', () => {
    expect(planPage({ last: 10, after, before }, sizes)).toEqual(windowPlan(10, 5));
  });

  it('is empty for adjacent cursors', () => {
    expect(planPage({ first: 5, after, before: encodeCursor(10) }, sizes)).toEqual(
      windowPlan(10, 0),
    );
  });
});

describe('before earlier than after', () => {
  const after = encodeCursor(20);
  const before = encodeCursor(10);

  it('is an empty window with first', () => {
    expect(planPage({ first: 5, after, before }, sizes)).toEqual(windowPlan(21, 0));
  });

  it('is an empty window with last', () => {
    expect(planPage({ last: 5, after, before }, sizes)).toEqual(windowPlan(21, 0));
  });

  it('is an empty window with the default size', () => {
    expect(planPage({ after, before }, sizes)).toEqual(windowPlan(21, 0));
  });
});

describe('page sizes that are refused', () => {
  it('refuses first with last', () => {
    expect(refusal(() => planPage({ first: 5, last: 5 }, sizes))).toEqual(
      badInput('Pass "first" or "last", not both.', 'first'),
    );
  });

  it('refuses first with last even when both are 0', () => {
    expect(refusal(() => planPage({ first: 0, last: 0 }, sizes))).toEqual(
      badInput('Pass "first" or "last", not both.', 'first'),
    );
  });

  it('refuses a negative first', () => {
    expect(refusal(() => planPage({ first: -1 }, sizes))).toEqual(
      badInput('"first" must not be negative.', 'first'),
    );
  });

  it('refuses a negative last', () => {
    expect(refusal(() => planPage({ last: -1, before: encodeCursor(5) }, sizes))).toEqual(
      badInput('"last" must not be negative.', 'last'),
    );
  });

  it('refuses a negative last alone', () => {
    expect(refusal(() => planPage({ last: -3 }, sizes))).toEqual(
      badInput('"last" must not be negative.', 'last'),
    );
  });

  it('refuses first over the maximum, naming it', () => {
    expect(refusal(() => planPage({ first: 101 }, sizes))).toEqual(
      badInput('"first" must be at most 100 (the maximum page size).', 'first'),
    );
  });

  it('refuses last over the maximum, naming it', () => {
    expect(refusal(() => planPage({ last: 101 }, sizes))).toEqual(
      badInput('"last" must be at most 100 (the maximum page size).', 'last'),
    );
  });

  it('names the configured maximum', () => {
    expect(
      refusal(() => planPage({ first: 251 }, { defaultPageSize: 50, maxPageSize: 250 })),
    ).toEqual(badInput('"first" must be at most 250 (the maximum page size).', 'first'));
  });
});

describe('offsets past the API maximum', () => {
  it('is 100 000', () => {
    expect(API_LIMITS.maxOffset).toBe(100_000);
  });

  it('accepts a page starting at the maximum offset', () => {
    expect(planPage({ first: 10, after: encodeCursor(99_999) }, sizes)).toEqual(
      windowPlan(100_000, 10),
    );
  });

  it('refuses a page starting after the maximum offset', () => {
    expect(refusal(() => planPage({ first: 10, after: encodeCursor(100_000) }, sizes))).toEqual(
      badInput("The page starts at row 100001, past the Data API's maximum offset of 100000."),
    );
  });

  it('refuses last before a cursor far past the maximum offset', () => {
    expect(refusal(() => planPage({ last: 10, before: encodeCursor(200_000) }, sizes))).toEqual(
      badInput("The page starts at row 199990, past the Data API's maximum offset of 100000."),
    );
  });

  it('accepts last before a cursor that puts the start at the maximum offset', () => {
    expect(planPage({ last: 10, before: encodeCursor(100_010) }, sizes)).toEqual(
      windowPlan(100_000, 10),
    );
  });

  it('checkOffset returns a window at the maximum unchanged', () => {
    const window: Window = { start: 100_000, count: 5 };
    expect(checkOffset(window)).toEqual({ start: 100_000, count: 5 });
  });

  it('checkOffset refuses a window past the maximum, even an empty one', () => {
    expect(refusal(() => checkOffset({ start: 100_001, count: 0 }))).toEqual(
      badInput("The page starts at row 100001, past the Data API's maximum offset of 100000."),
    );
  });
});

describe('rowsInWindow', () => {
  it('is the window size when the total covers it', () => {
    expect(rowsInWindow({ start: 0, count: 20 }, 42)).toBe(20);
  });

  it('is what is left at the end', () => {
    expect(rowsInWindow({ start: 40, count: 20 }, 42)).toBe(2);
  });

  it('is 0 past the total', () => {
    expect(rowsInWindow({ start: 50, count: 20 }, 42)).toBe(0);
  });

  it('is 0 for an empty window', () => {
    expect(rowsInWindow({ start: 0, count: 0 }, 42)).toBe(0);
  });
});

describe('pageInfo', () => {
  it('for the first page', () => {
    expect(pageInfo({ start: 0, count: 10 }, 10, 25)).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: encodeCursor(0),
      endCursor: encodeCursor(9),
    });
  });

  it('for a middle page', () => {
    expect(pageInfo({ start: 10, count: 10 }, 10, 25)).toEqual({
      hasNextPage: true,
      hasPreviousPage: true,
      startCursor: encodeCursor(10),
      endCursor: encodeCursor(19),
    });
  });

  it('for the last, partial page', () => {
    expect(pageInfo({ start: 20, count: 10 }, 5, 25)).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: encodeCursor(20),
      endCursor: encodeCursor(24),
    });
  });

  it('for a last page that is exactly full', () => {
    expect(pageInfo({ start: 15, count: 10 }, 10, 25)).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: encodeCursor(15),
      endCursor: encodeCursor(24),
    });
  });

  it('for one page holding every row', () => {
    expect(pageInfo({ start: 0, count: 10 }, 3, 3)).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: encodeCursor(0),
      endCursor: encodeCursor(2),
    });
  });

  it('for an empty result', () => {
    expect(pageInfo({ start: 0, count: 10 }, 0, 0)).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
  });

  it('for a start past the total', () => {
    expect(pageInfo({ start: 30, count: 10 }, 0, 25)).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: null,
      endCursor: null,
    });
  });

  it('for a start past an empty result', () => {
    expect(pageInfo({ start: 30, count: 10 }, 0, 0)).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
  });

  it('for an empty window inside the rows', () => {
    expect(pageInfo({ start: 21, count: 0 }, 0, 42)).toEqual({
      hasNextPage: true,
      hasPreviousPage: true,
      startCursor: null,
      endCursor: null,
    });
  });

  it('for the end placed by last alone', () => {
    const window = placeFromEnd({ last: 5, lowerBound: 0 }, 42);
    expect(pageInfo(window, rowsInWindow(window, 42), 42)).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: encodeCursor(37),
      endCursor: encodeCursor(41),
    });
  });
});

describe('cursors from pageInfo', () => {
  it('lead forward to the next page', () => {
    const { endCursor } = pageInfo({ start: 0, count: 10 }, 10, 25);
    expect(planPage({ first: 10, after: endCursor }, sizes)).toEqual(windowPlan(10, 10));
  });

  it('lead back to the previous page', () => {
    const { startCursor } = pageInfo({ start: 10, count: 10 }, 10, 25);
    expect(planPage({ last: 10, before: startCursor }, sizes)).toEqual(windowPlan(0, 10));
  });
});
