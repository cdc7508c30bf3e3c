import { describe, expect, it } from 'vitest';
import { availableVirtualNumbers, virtualNumberGroups } from '../../../src/api/index.js';
import type { ApiSort } from '../../../src/api/wire.js';
import { compileFilter } from '../../../src/emulator/filter.js';
import {
  compareWithValues,
  keysetCapable,
  keysetFilter,
  reverseSort,
  sortValues,
  totalOrder,
} from '../../../src/translate/order.js';

describe('the total order sent with every list call', () => {
  it('is the key ascending when there is no orderBy', () => {
    expect(totalOrder(availableVirtualNumbers, undefined)).toEqual([
      { field: 'phone_number', order: 'asc' },
    ]);
    expect(totalOrder(virtualNumberGroups, [])).toEqual([{ field: 'id', order: 'asc' }]);
  });

  it('ends with the key as tie-breaker unless orderBy has it', () => {
    expect(totalOrder(availableVirtualNumbers, [{ field: 'category', direction: 'desc' }])).toEqual(
      [
        { field: 'category', order: 'desc' },
        { field: 'phone_number', order: 'asc' },
      ],
    );
    expect(
      totalOrder(virtualNumberGroups, [{ field: 'id', direction: 'desc' }, { field: 'name' }]),
    ).toEqual([
      { field: 'id', order: 'desc' },
      { field: 'name', order: 'asc' },
    ]);
  });

  it('keeps the first of a field named twice', () => {
    expect(
      totalOrder(virtualNumberGroups, [
        { field: 'name', direction: 'desc' },
        { field: 'name', direction: 'asc' },
      ]),
    ).toEqual([
      { field: 'name', order: 'desc' },
      { field: 'id', order: 'asc' },
    ]);
  });

  it('reverses every key', () => {
    expect(
      reverseSort([
        { field: 'a', order: 'asc' },
        { field: 'b', order: 'desc' },
      ]),
    ).toEqual([
      { field: 'a', order: 'desc' },
      { field: 'b', order: 'asc' },
    ]);
  });
});

describe('comparing a row with a cursor, in the API order', () => {
  const sort: ApiSort[] = [
    { field: 'min_charge', order: 'asc' },
    { field: 'category', order: 'desc' },
    { field: 'phone_number', order: 'asc' },
  ];
  const row = { min_charge: 100, category: 'silver', phone_number: '7495' };
  const sign = (values: (string | number | null)[]) =>
    Math.sign(compareWithValues(availableVirtualNumbers, sort, row, values));

  it('compares numbers numerically, enums by declaration order, strings by code unit', () => {
    expect(sign([99.5, 'silver', '7495'])).toBe(1);
    expect(sign([100, 'gold', '7495'])).toBe(1);
    expect(sign([100, 'bronze', '7495'])).toBe(-1);
    expect(sign([100, 'silver', '74950'])).toBe(-1);
    expect(sign([100, 'silver', '7495'])).toBe(0);
  });

  it('puts empty values after every value ascending, before them descending', () => {
    expect(sign([null, 'silver', '7495'])).toBe(-1);
    expect(
      Math.sign(
        compareWithValues(availableVirtualNumbers, sort, { ...row, min_charge: null }, [
          1,
          'silver',
          '7495',
        ]),
      ),
    ).toBe(1);
    expect(sign([100, null, '7495'])).toBe(1);
  });
});

describe('keyset filters', () => {
  it('are possible only when every sort key takes range operators', () => {
    expect(keysetCapable(virtualNumberGroups, [{ field: 'id', order: 'desc' }])).toBe(true);
    expect(
      keysetCapable(virtualNumberGroups, [
        { field: 'name', order: 'asc' },
        { field: 'id', order: 'asc' },
      ]),
    ).toBe(false);
    expect(keysetCapable(availableVirtualNumbers, [{ field: 'phone_number', order: 'asc' }])).toBe(
      false,
    );
  });

  it('compare the key alone', () => {
    const byId: ApiSort[] = [{ field: 'id', order: 'asc' }];
    expect(keysetFilter(virtualNumberGroups, byId, [7], 'after')).toEqual({
      field: 'id',
      operator: '>',
      value: 7,
    });
    expect(keysetFilter(virtualNumberGroups, byId, [7], 'before')).toEqual({
      field: 'id',
      operator: '<',
      value: 7,
    });
    expect(keysetFilter(virtualNumberGroups, reverseSort(byId), [7], 'after')).toEqual({
      field: 'id',
      operator: '<',
      value: 7,
    });
  });

  // A method whose two sort keys both take range operators; `score` may be empty.
  const scored = {
    ...virtualNumberGroups,
    columns: {
      ...virtualNumberGroups.columns,
      score: { type: 'float', description: 'A score.', filterable: true, sortable: true },
    },
  } as const;
  const rows = [
    ...[1, 2, 3, 4, 5, 6].map((id) => ({ id, score: id % 3 === 0 ? null : id % 2 })),
    { id: 7, score: 0.5 },
  ];

  it.each([
    ['asc', 'asc'],
    ['asc', 'desc'],
    ['desc', 'asc'],
    ['desc', 'desc'],
  ] as const)(
    'select exactly the rows after/before any row (score %s, id %s), nulls included',
    (a, b) => {
      const sort: ApiSort[] = [
        { field: 'score', order: a },
        { field: 'id', order: b },
      ];
      const ordered = [...rows].sort((x, y) => compareWithValues(scored, sort, x, [y.score, y.id]));
      for (const [i, cursor] of ordered.entries()) {
        for (const side of ['after', 'before'] as const) {
          const matches = rows.filter(
            compileFilter(scored, keysetFilter(scored, sort, [cursor.score, cursor.id], side)),
          );
          const expected = side === 'after' ? ordered.slice(i + 1) : ordered.slice(0, i);
          expect(new Set(matches)).toEqual(new Set(expected));
        }
      }
    },
  );

  // Two nullable keys before the key: an `or` tree nested in an `and`, which must stay a tree.
  const ranked = {
    ...scored,
    columns: {
      ...scored.columns,
      rank: { type: 'int', description: 'A rank.', filterable: true, sortable: true },
    },
  } as const;
  const rankedRows = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((id) => ({
    id,
    score: id % 4 === 0 ? null : id % 2,
    rank: id % 3 === 0 ? null : id % 3,
  }));

  it.each(['after', 'before'] as const)(
    'select exactly the rows %s any row on three keys, nulls included',
    (side) => {
      const sort: ApiSort[] = [
        { field: 'score', order: 'asc' },
        { field: 'rank', order: 'desc' },
        { field: 'id', order: 'asc' },
      ];
      const valuesOf = (row: (typeof rankedRows)[number]) => [row.score, row.rank, row.id];
      const ordered = [...rankedRows].sort((x, y) =>
        compareWithValues(ranked, sort, x, valuesOf(y)),
      );
      for (const [i, cursor] of ordered.entries()) {
        const matches = rankedRows.filter(
          compileFilter(ranked, keysetFilter(ranked, sort, valuesOf(cursor), side)),
        );
        const expected = side === 'after' ? ordered.slice(i + 1) : ordered.slice(0, i);
        expect(new Set(matches)).toEqual(new Set(expected));
      }
    },
  );

  it('are possible on float keys only when the API filters them', () => {
    const sort: ApiSort[] = [
      { field: 'score', order: 'asc' },
      { field: 'id', order: 'asc' },
    ];
    expect(keysetCapable(scored, sort)).toBe(true);
    // min_charge is a sortable float the API does not filter.
    expect(keysetCapable(availableVirtualNumbers, [{ field: 'min_charge', order: 'asc' }])).toBe(
      false,
    );
    expect(keysetCapable(virtualNumberGroups, [{ field: 'no_such_column', order: 'asc' }])).toBe(
      false,
    );
  });

  it('flatten a condition into its parent only when both are the same (or in or, and in and)', () => {
    const sort: ApiSort[] = [
      { field: 'score', order: 'asc' },
      { field: 'id', order: 'asc' },
    ];
    expect(keysetFilter(scored, sort, [0.5, 7], 'after')).toEqual({
      condition: 'or',
      filters: [
        { field: 'score', operator: '>', value: 0.5 },
        { field: 'score', operator: '=', value: null },
        {
          condition: 'and',
          filters: [
            { field: 'score', operator: '=', value: 0.5 },
            { field: 'id', operator: '>', value: 7 },
          ],
        },
      ],
    });
  });

  it('with no key to follow match no row', () => {
    expect(keysetFilter(virtualNumberGroups, [], [], 'after')).toEqual({
      field: 'id',
      operator: '=',
      value: null,
    });
  });
});

describe('sort values of a row, as a cursor holds them', () => {
  it('keep strings and numbers in the order of the sort, anything else as null', () => {
    const sort: ApiSort[] = [
      { field: 'name', order: 'asc' },
      { field: 'id', order: 'desc' },
      { field: 'employees', order: 'asc' },
      { field: 'flag', order: 'asc' },
      { field: 'absent', order: 'asc' },
      { field: 'empty', order: 'asc' },
    ];
    const row = { id: 7, name: 'Sales', employees: [{ id: 1 }], flag: true, empty: null };
    expect(sortValues(row, sort)).toEqual(['Sales', 7, null, null, null, null]);
  });
});

describe('comparing with a sort key the method does not describe', () => {
  it('skips that key and decides on the next', () => {
    const sort: ApiSort[] = [
      { field: 'no_such_column', order: 'asc' },
      { field: 'id', order: 'asc' },
    ];
    expect(compareWithValues(virtualNumberGroups, sort, { id: 2 }, ['x', 1])).toBe(1);
    expect(compareWithValues(virtualNumberGroups, sort, { id: 1 }, ['x', 1])).toBe(0);
  });
});
