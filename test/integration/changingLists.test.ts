/**
 * Paging on an emulator that behaves like the real API: rows in an unspecified
 * order on every call (ties broken at random), and rows sold or added between
 * two pages. Every row present throughout is shown exactly once.
 */
import { describe, expect, it } from 'vitest';
import { availableVirtualNumbers } from '../../src/api/index.js';
import type { Row } from '../../src/api/wire.js';
import { AVAILABLE, GROUPS, useStack } from '../helpers/stack.js';
import type { ListQuery } from '../helpers/walk.js';
import { listPage, walk } from '../helpers/walk.js';

const stack = useStack({ emulator: { order: 'unspecified', orderSeed: 12 } });

const MSK: ListQuery = {
  field: 'availableNumbers',
  filter: { locationMnemonic: { eq: 'msk' } },
};
const BY_CATEGORY: ListQuery = { ...MSK, orderBy: [{ field: 'CATEGORY', direction: 'DESC' }] };

/** The rows of a query in the order the gateway lists them (one big page). */
async function all(list: ListQuery): Promise<string[]> {
  const page = await listPage(stack(), list, { first: 1000 });
  expect(page.pageInfo.hasNextPage).toBe(false);
  return page.keys;
}

function unique(keys: readonly string[]): void {
  expect(new Set(keys).size).toBe(keys.length);
}

describe('a total order on every call', () => {
  it('sends the key as the default order and as the last tie-breaker', async () => {
    await listPage(stack(), MSK, { first: 3 });
    await listPage(stack(), BY_CATEGORY, { first: 3 });
    const sorts = stack()
      .calls(AVAILABLE)
      .map((c) => c.params.sort);
    expect(sorts).toEqual([
      [{ field: 'phone_number', order: 'asc' }],
      [
        { field: 'category', order: 'desc' },
        { field: 'phone_number', order: 'asc' },
      ],
    ]);
  });

  it.each([
    ['no orderBy', MSK],
    ['orderBy on a tied key', BY_CATEGORY],
  ])('with %s, pages forwards and backwards show every row once', async (_name, list) => {
    const expected = await all(list);
    expect(expected.length).toBeGreaterThan(500);
    expect(await walk(stack(), list, 40, true)).toEqual(expected);
    expect(await walk(stack(), list, 40, false)).toEqual(expected);
  });
});

function newNumber(phone: string, category: string): Row {
  return {
    phone_number: phone,
    category,
    location_mnemonic: 'msk',
    location_name: 'Moscow',
    onetime_payment: 0,
    monthly_charge: 290,
    min_charge: null,
  };
}

describe('rows sold and added between pages', () => {
  it.each([
    ['forwards, by phone number', MSK, true],
    ['backwards, by phone number', MSK, false],
    ['forwards, by category', BY_CATEGORY, true],
    ['backwards, by category', BY_CATEGORY, false],
  ] as const)('%s: every row never sold is shown once', async (_name, list, forward) => {
    const before = await all(list);
    const sold = new Set<string>();
    let added = 0;
    const categories = availableVirtualNumbers.columns.category.type.values;
    const shown = await walk(stack(), list, 30, forward, (seen) => {
      // 5 rows just shown are sold, 5 unseen ones too, and 5 new rows appear anywhere.
      const page = forward ? seen.slice(-30) : seen.slice(0, 30);
      const unseen = before.filter((key) => !seen.includes(key) && !sold.has(key));
      const victims = new Set([...page.slice(0, 5), ...unseen.slice(0, 5)]);
      for (const key of victims) sold.add(key);
      stack().emulator.removeRows(AVAILABLE, (row) => victims.has(String(row.phone_number)));
      stack().emulator.addRows(
        AVAILABLE,
        Array.from({ length: 5 }, (_, i) => {
          added += 1;
          const phone = `7499${String(added * 7919 + i).padStart(7, '0')}`;
          return newNumber(phone, categories[added % categories.length] ?? 'usual');
        }),
      );
    });
    unique(shown);
    const kept = before.filter((key) => !sold.has(key));
    expect(shown.filter((key) => before.includes(key) && !sold.has(key))).toEqual(kept);
    stack().emulator.resetRows();
  });
});

describe('keyset paging (every sort key takes range operators: groups by id)', () => {
  const GROUP_LIST: ListQuery = { field: 'virtualNumberGroups' };

  it('turns after into a filter on the key, and before into one with the order reversed', async () => {
    const first = await listPage(stack(), GROUP_LIST, { first: 5 });
    await listPage(stack(), GROUP_LIST, { first: 5, after: first.pageInfo.endCursor });
    await listPage(stack(), GROUP_LIST, { last: 2, before: first.pageInfo.endCursor });
    const [after, before] = stack()
      .calls(GROUPS)
      .map((c) => c.params)
      .filter((params) => params.filter !== undefined);
    expect(after).toMatchObject({
      filter: { field: 'id', operator: '>', value: Number(first.keys[4]) },
      sort: [{ field: 'id', order: 'asc' }],
      offset: 0,
      limit: 5,
    });
    expect(before).toMatchObject({
      filter: { field: 'id', operator: '<', value: Number(first.keys[4]) },
      sort: [{ field: 'id', order: 'desc' }],
      offset: 0,
      limit: 2,
    });
  });

  it('asks for the total with one more call only when totalCount or the flag needing it is selected', async () => {
    const first = await listPage(stack(), GROUP_LIST, { first: 5 });
    stack().emulator.resetCalls();
    const after = first.pageInfo.endCursor;
    const page = await listPage(stack(), GROUP_LIST, { first: 5, after });
    expect(stack().calls(GROUPS)).toHaveLength(2);
    expect(page.totalCount).toBe(first.totalCount);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    stack().emulator.resetCalls();
    const { body } = await stack().query(
      `query ($after: String) { virtualNumberGroups(first: 5, after: $after) {
         nodes { databaseId } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    expect(body.errors).toBeUndefined();
    expect(stack().calls(GROUPS)).toHaveLength(1);
  });

  it.each([true, false])(
    'forwards=%s: holds while any number of rows before the cursor go and come',
    async (forward) => {
      const before = await all(GROUP_LIST);
      const gone = new Set<string>();
      // Ids below and above the seeded ones (309 and up).
      let next = 100;
      const shown = await walk(stack(), GROUP_LIST, 4, forward, (seen) => {
        // Every row already shown goes, and as many new ones come at both ends.
        const victims = new Set(seen.filter((key) => !gone.has(key)));
        for (const key of victims) gone.add(key);
        stack().emulator.removeRows(GROUPS, (row) => victims.has(String(row.id)));
        stack().emulator.addRows(
          GROUPS,
          [0, 1_000_000].map((base) => ({
            id: base + (next += 1),
            name: `new ${next}`,
            number: `g${next}`,
            employees: [],
            employee_groups: [],
            virtual_phones: [],
          })),
        );
      });
      unique(shown);
      expect(shown.filter((key) => before.includes(key))).toEqual(before);
      stack().emulator.resetRows();
    },
  );
});
