import { describe, expect, it } from 'vitest';
import { API_LIMITS } from '../../src/api/wire.js';
import { encodeCursor, fingerprint, MAX_CURSOR_LENGTH } from '../../src/translate/cursor.js';
import { CURSOR_SLACK } from '../../src/translate/paging.js';
import { AVAILABLE, startStack, useStack } from '../helpers/stack.js';

const stack = useStack();

interface Page {
  totalCount: number;
  edges: { cursor: string; node: { phoneNumber: string } }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

const PAGE = `
  query Page($first: Int, $after: String, $last: Int, $before: String) {
    availableNumbers(
      first: $first, after: $after, last: $last, before: $before
      filter: { locationMnemonic: { eq: "sam" } }
      orderBy: [{ field: PHONE_NUMBER }]
    ) {
      totalCount
      edges { cursor node { phoneNumber } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;

async function page(variables: Record<string, unknown>): Promise<Page> {
  const { body } = await stack().query(PAGE, variables);
  expect(body.errors).toBeUndefined();
  return body.data?.availableNumbers as Page;
}

async function everything(): Promise<string[]> {
  const all = await page({ first: 1000 });
  expect(all.pageInfo.hasNextPage).toBe(false);
  return all.edges.map((e) => e.node.phoneNumber);
}

describe('paging forward with first/after', () => {
  it('walks every row exactly once, with consistent pageInfo and offset/limit', async () => {
    const expected = await everything();
    stack().emulator.resetCalls();
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; ; i++) {
      const p: Page = await page({ first: 37, after });
      expect(p.pageInfo.hasPreviousPage).toBe(i > 0);
      // One call a page: from the start, then a window around the cursor's row.
      expect(stack().calls(AVAILABLE)).toHaveLength(i + 1);
      expect(stack().calls(AVAILABLE).at(-1)?.params).toMatchObject(
        i === 0
          ? { offset: 0, limit: 37 }
          : {
              offset: Math.max(0, i * 37 - CURSOR_SLACK - 1),
              sort: [{ field: 'phone_number', order: 'asc' }],
            },
      );
      seen.push(...p.edges.map((e) => e.node.phoneNumber));
      expect(p.pageInfo.startCursor).toBe(p.edges[0]?.cursor);
      expect(p.pageInfo.endCursor).toBe(p.edges.at(-1)?.cursor);
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    expect(expected.length).toBe((await page({ first: 1 })).totalCount);
  });
});

describe('paging backward with last/before', () => {
  it('walks every row from the end; last without before reads the end with the order reversed', async () => {
    const expected = await everything();
    stack().emulator.resetCalls();
    const first = await page({ last: 40 });
    // One call: the first rows of the reversed order are the last ones.
    const calls = stack().calls(AVAILABLE);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.params).toMatchObject({
      offset: 0,
      limit: 40,
      sort: [{ field: 'phone_number', order: 'desc' }],
    });
    expect(first.pageInfo.hasNextPage).toBe(false);
    expect(first.pageInfo.hasPreviousPage).toBe(true);

    const seen = first.edges.map((e) => e.node.phoneNumber);
    let before = first.pageInfo.startCursor;
    for (;;) {
      stack().emulator.resetCalls();
      const p = await page({ last: 40, before });
      expect(stack().calls(AVAILABLE)).toHaveLength(1);
      expect(p.pageInfo.hasNextPage).toBe(true);
      seen.unshift(...p.edges.map((e) => e.node.phoneNumber));
      if (!p.pageInfo.hasPreviousPage) break;
      before = p.pageInfo.startCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('pages between two cursors with after and before together', async () => {
    const expected = await everything();
    const tenth = (await page({ first: 10 })).pageInfo.endCursor;
    const twentieth = (await page({ first: 20 })).pageInfo.endCursor;
    const between = await page({ after: tenth, before: twentieth, first: 100 });
    expect(between.edges.map((e) => e.node.phoneNumber)).toEqual(expected.slice(10, 19));
    const lastThree = await page({ after: tenth, before: twentieth, last: 3 });
    expect(lastThree.edges.map((e) => e.node.phoneNumber)).toEqual(expected.slice(16, 19));
  });
});

describe('selections that need no rows', () => {
  it('asks for one column and one row when only totalCount is selected', async () => {
    const { body } = await stack().query('{ availableNumbers(first: 500) { totalCount } }');
    expect(body.errors).toBeUndefined();
    expect(stack().calls(AVAILABLE)).toHaveLength(1);
    expect(stack().calls(AVAILABLE)[0]?.params).toMatchObject({
      limit: 1,
      offset: 0,
      fields: ['phone_number'],
    });
    expect((body.data?.availableNumbers as Page).totalCount).toBeGreaterThan(1000);
  });

  it('computes pageInfo from the total without fetching rows', async () => {
    const expected = await everything();
    const withRows = await page({ first: 25 });
    stack().emulator.resetCalls();
    const { body } = await stack().query(
      `{ availableNumbers(first: 25, filter: { locationMnemonic: { eq: "sam" } }) {
          pageInfo { hasNextPage hasPreviousPage } } }`,
    );
    expect(stack().calls(AVAILABLE)[0]?.params).toMatchObject({ limit: 1 });
    expect((body.data?.availableNumbers as Page).pageInfo).toEqual({
      hasNextPage: withRows.pageInfo.hasNextPage,
      hasPreviousPage: withRows.pageInfo.hasPreviousPage,
    });
    expect(expected.length).toBeGreaterThan(25);
  });
});

/** The fingerprint of PAGE's query (the list, its filter and its order). */
const QUERY = fingerprint({
  method: AVAILABLE,
  userId: undefined,
  filter: { field: 'location_mnemonic', operator: '=', value: 'sam' },
  sort: [{ field: 'phone_number', order: 'asc' }],
});
const cursorAt = (position: number) => encodeCursor(QUERY, { position, values: ['79000000000'] });
const rawCursor = (body: unknown) => Buffer.from(JSON.stringify(body)).toString('base64url');

describe('a cursor far past the end', () => {
  it('with last and no before, answers an empty last page in one call (no count call)', async () => {
    const p = await page({ last: 5, after: cursorAt(API_LIMITS.maxOffset * 5) });
    expect(p.edges).toEqual([]);
    expect(p.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(stack().calls(AVAILABLE)).toHaveLength(1);
  });
});

describe('a cursor used with another query', () => {
  it.each([
    ['another filter', 'locationMnemonic: { eq: "spb" }', '{ field: PHONE_NUMBER }', 'null'],
    [
      'another order',
      'locationMnemonic: { eq: "sam" }',
      '{ field: PHONE_NUMBER, direction: DESC }',
      'null',
    ],
    ['another user', 'locationMnemonic: { eq: "sam" }', '{ field: PHONE_NUMBER }', '5'],
  ])('is refused with %s, before any call', async (_name, filter, order, userId) => {
    const cursor = (await page({ first: 3 })).pageInfo.endCursor;
    stack().emulator.resetCalls();
    const { body } = await stack().query(
      `query ($after: String) { availableNumbers(first: 3, after: $after, filter: { ${filter} },
         orderBy: [${order}], userId: ${userId}) { nodes { phoneNumber } } }`,
      { after: cursor },
    );
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(body.errors?.[0]?.message).toMatch(/cursor of another query/);
    expect(stack().calls()).toHaveLength(0);
  });
});

describe('paging arguments refused before any call', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['first with last', { first: 1, last: 1 }, /not both/],
    ['a negative first', { first: -1 }, /negative/],
    ['a negative last', { last: -5 }, /negative/],
    ['a page over the maximum', { first: 1001 }, /at most 1000/],
    ['an after cursor that does not decode', { after: 'bm9wZQ==' }, /not a valid cursor/],
    ['a before cursor that is not base64', { before: '***' }, /not a valid cursor/],
    [
      'a page past the API maximum offset',
      { first: 5, after: cursorAt(API_LIMITS.maxOffset + CURSOR_SLACK + 1) },
      /maximum offset of 100000/,
    ],
    [
      'a page before a cursor past the API maximum offset',
      { last: 5, before: cursorAt(API_LIMITS.maxOffset + CURSOR_SLACK + 7) },
      /maximum offset of 100000/,
    ],
    [
      'a cursor of the former format',
      { after: Buffer.from('offset:5').toString('base64') },
      /not a valid cursor/,
    ],
    [
      'an oversized cursor',
      { after: 'A'.repeat(MAX_CURSOR_LENGTH + 1) },
      /longer than 2048 characters/,
    ],
    [
      'a cursor of another version',
      { after: rawCursor({ v: 2, q: QUERY, p: 1, k: ['7'] }) },
      /not a valid cursor/,
    ],
    [
      'a cursor with values of the wrong type',
      { after: rawCursor({ v: 1, q: QUERY, p: 1, k: [7] }) },
      /do not fit the order/,
    ],
    [
      'a cursor of another query',
      { after: encodeCursor('0123456789abcdef', { position: 1, values: ['7'] }) },
      /cursor of another query/,
    ],
  ];
  it.each(cases)('refuses %s with BAD_USER_INPUT', async (_name, variables, message) => {
    const { body } = await stack().query(PAGE, variables);
    expect(body.data?.availableNumbers).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toMatch(message);
    expect(body.errors?.[0]?.path).toEqual(['availableNumbers']);
    expect(stack().calls()).toHaveLength(0);
  });

  it('honours a configured maximum page size', async () => {
    const small = await startStack({ gateway: { maxPageSize: 50, defaultPageSize: 10 } });
    try {
      const refused = await small.query('{ availableNumbers(first: 51) { totalCount } }');
      expect(refused.body.errors?.[0]?.message).toMatch(/at most 50/);
      const ok = await small.query('{ availableNumbers { nodes { phoneNumber } } }');
      expect((ok.body.data?.availableNumbers as { nodes: unknown[] }).nodes).toHaveLength(10);
      expect(small.calls()).toHaveLength(1);
    } finally {
      await small.close();
    }
  });
});
