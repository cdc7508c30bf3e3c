import { describe, expect, it } from 'vitest';
import { availableVirtualNumbers, virtualNumberGroups } from '../../../src/api/index.js';
import type { MethodDescription } from '../../../src/api/types.js';
import type { Row } from '../../../src/api/wire.js';
import { EmulatorError } from '../../../src/emulator/errors.js';
import { MAX_FILTER_DEPTH } from '../../../src/emulator/filter.js';
import { runQuery } from '../../../src/emulator/query.js';
import type { QueryParams } from '../../../src/emulator/query.js';

/** A small made-up method covering every column type, so rows stay obvious. */
const people = {
  method: 'get.people',
  typeName: 'Person',
  listField: 'people',
  description: 'test method',
  key: 'id',
  columns: {
    id: { type: 'int', description: '', filterable: true, sortable: true },
    name: { type: 'string', description: '', filterable: true, sortable: true },
    score: { type: 'float', description: '', filterable: true, sortable: true },
    tier: {
      type: { kind: 'enum', name: 'Tier', description: '', values: ['low', 'mid', 'high'] },
      description: '',
      filterable: true,
      sortable: true,
    },
    note: { type: 'string', description: '', sortable: true },
    secret: { type: 'string', description: '', filterable: true },
    tags: {
      type: {
        kind: 'objectList',
        name: 'Tag',
        description: '',
        fields: { id: { type: 'int', description: '', key: true } },
      },
      description: '',
    },
  },
} as const satisfies MethodDescription;

const ROWS: readonly Row[] = [
  { id: 1, name: 'Anna', score: 3.5, tier: 'low', note: 'b', secret: 's', tags: [{ id: 1 }] },
  { id: 2, name: 'anna%', score: 1, tier: 'high', note: 'a', secret: 's', tags: [] },
  { id: 3, name: 'Boris_x', score: null, tier: 'mid', note: 'a', secret: 's', tags: [] },
  { id: 4, name: null, score: 2, tier: null, note: null, secret: 's', tags: [] },
  { id: 5, name: 'Борис', score: 10, tier: 'mid', note: 'b', secret: 's', tags: [] },
  { id: 6, name: 'back\\slash', score: 0, tier: 'low', note: 'a', secret: 's', tags: [] },
];

function run(params: QueryParams) {
  return runQuery(people, ROWS, params);
}

function ids(params: QueryParams): unknown[] {
  return run(params).data.map((row) => row.id);
}

function where(field: string, operator: string, value?: unknown): unknown[] {
  return ids({ filter: value === undefined ? { field, operator } : { field, operator, value } });
}

function failure(params: QueryParams, method: MethodDescription = people): EmulatorError {
  try {
    runQuery(method, ROWS, params);
  } catch (error) {
    if (error instanceof EmulatorError) return error;
    throw error;
  }
  throw new Error('expected an EmulatorError');
}

function expectError(
  params: QueryParams,
  expected: { mnemonic: string; field?: string; value?: unknown; code?: number },
  method?: MethodDescription,
): void {
  const error = failure(params, method);
  expect({
    mnemonic: error.mnemonic,
    ...(expected.field === undefined ? {} : { field: error.field }),
    ...('value' in expected ? { value: error.value } : {}),
    ...(expected.code === undefined ? {} : { code: error.code }),
  }).toEqual(expected);
}

describe('equality', () => {
  it('= and != compare values', () => {
    expect(where('name', '=', 'Anna')).toEqual([1]);
    expect(where('id', '=', 3)).toEqual([3]);
    expect(where('tier', '=', 'mid')).toEqual([3, 5]);
    expect(where('score', '=', 3.5)).toEqual([1]);
  });

  it('!= skips null cells, as SQL does', () => {
    expect(where('tier', '!=', 'mid')).toEqual([1, 2, 6]);
  });

  it('= null and an absent value test emptiness; != null tests presence', () => {
    expect(where('tier', '=', null)).toEqual([4]);
    expect(where('tier', '=')).toEqual([4]);
    expect(where('name', '!=', null)).toEqual([1, 2, 3, 5, 6]);
    expect(where('name', '!=')).toEqual([1, 2, 3, 5, 6]);
  });
});

describe('comparisons', () => {
  it('< > <= >= on numbers, never matching null', () => {
    expect(where('score', '<', 2)).toEqual([2, 6]);
    expect(where('score', '<=', 2)).toEqual([2, 4, 6]);
    expect(where('score', '>', 2)).toEqual([1, 5]);
    expect(where('score', '>=', 3.5)).toEqual([1, 5]);
    expect(where('id', '>', 4)).toEqual([5, 6]);
  });
});

describe('like family', () => {
  it('% matches any run and _ exactly one character', () => {
    expect(where('name', 'like', 'A%')).toEqual([1]);
    expect(where('name', 'like', '%nna%')).toEqual([1, 2]);
    expect(where('name', 'like', 'Ann_')).toEqual([1]);
    expect(where('name', 'like', 'Bori_')).toEqual([]);
    expect(where('name', 'like', 'Бори_')).toEqual([5]);
    expect(where('name', 'like', 'Boris_x')).toEqual([3]);
  });

  it('a backslash makes %, _ and itself literal', () => {
    expect(where('name', 'like', 'anna\\%')).toEqual([2]);
    expect(where('name', 'like', '%\\%')).toEqual([2]);
    expect(where('name', 'like', 'Boris\\_%')).toEqual([3]);
    expect(where('name', 'like', 'Anna\\%')).toEqual([]);
    expect(where('name', 'like', 'back\\\\slash')).toEqual([6]);
  });

  it('treats regular-expression characters literally', () => {
    expect(where('name', 'like', 'A.*')).toEqual([]);
    expect(where('name', 'like', '(%')).toEqual([]);
  });

  it('is case-sensitive; ilike is not (Cyrillic included)', () => {
    expect(where('name', 'like', 'anna%')).toEqual([2]);
    expect(where('name', 'ilike', 'anna%')).toEqual([1, 2]);
    expect(where('name', 'ilike', 'БОРИС')).toEqual([5]);
  });

  it('not_like and not_ilike negate, still skipping null cells', () => {
    expect(where('name', 'not_like', 'anna%')).toEqual([1, 3, 5, 6]);
    expect(where('name', 'not_ilike', 'anna%')).toEqual([3, 5, 6]);
    expect(where('name', 'like', '%')).toEqual([1, 2, 3, 5, 6]);
  });

  it('refuses a pattern ending in a lone escape', () => {
    expectError(
      { filter: { field: 'name', operator: 'like', value: 'ab\\' } },
      { mnemonic: 'invalid_parameter_value', field: 'filter.value' },
    );
  });
});

describe('regexp', () => {
  it('searches (unanchored, case-sensitive) and skips nulls', () => {
    expect(where('name', 'regexp', '^[AB]')).toEqual([1, 3]);
    expect(where('name', 'regexp', 'nn')).toEqual([1, 2]);
    expect(where('name', 'regexp', '_x$')).toEqual([3]);
  });

  it('refuses an invalid pattern', () => {
    expectError(
      { filter: { field: 'name', operator: 'regexp', value: '(' } },
      { mnemonic: 'invalid_parameter_value', field: 'filter.value', value: '(' },
    );
  });
});

describe('in / not_in', () => {
  it('match membership; null cells match neither', () => {
    expect(where('id', 'in', [2, 4, 99])).toEqual([2, 4]);
    expect(where('tier', 'in', ['low', 'high'])).toEqual([1, 2, 6]);
    expect(where('tier', 'not_in', ['low', 'high'])).toEqual([3, 5]);
    expect(where('id', 'in', [])).toEqual([]);
  });

  it('need an array of values of the column type', () => {
    expectError(
      { filter: { field: 'id', operator: 'in', value: 2 } },
      { mnemonic: 'invalid_parameter_value', field: 'filter.value', value: 2 },
    );
    expectError(
      { filter: { field: 'id', operator: 'in', value: [1, '2'] } },
      { mnemonic: 'invalid_parameter_value', field: 'filter.value', value: '2' },
    );
    expectError(
      { filter: { field: 'tier', operator: 'not_in', value: ['low', 'gold'] } },
      { mnemonic: 'invalid_parameter_value', field: 'filter.value' },
    );
  });
});

describe('is_null / is_not_null', () => {
  it('test emptiness with a null or absent value', () => {
    expect(where('score', 'is_null')).toEqual([3]);
    expect(where('score', 'is_null', null)).toEqual([3]);
    expect(where('score', 'is_not_null')).toEqual([1, 2, 4, 5, 6]);
  });

  it('refuse any other value', () => {
    expectError(
      { filter: { field: 'score', operator: 'is_null', value: 1 } },
      { mnemonic: 'invalid_parameter_value', field: 'filter.value' },
    );
  });
});

describe('filter trees', () => {
  it('and / or combine', () => {
    const lowOrHigh = {
      condition: 'or',
      filters: [
        { field: 'tier', operator: '=', value: 'low' },
        { field: 'tier', operator: '=', value: 'high' },
      ],
    };
    expect(ids({ filter: lowOrHigh })).toEqual([1, 2, 6]);
    expect(
      ids({
        filter: {
          condition: 'and',
          filters: [lowOrHigh, { field: 'score', operator: '>', value: 0.5 }],
        },
      }),
    ).toEqual([1, 2]);
  });

  it('nest three levels deep', () => {
    // (id > 1 and (name ilike 'a%' or (tier = mid and score >= 5))) → 2, 5
    const filter = {
      condition: 'and',
      filters: [
        { field: 'id', operator: '>', value: 1 },
        {
          condition: 'or',
          filters: [
            { field: 'name', operator: 'ilike', value: 'a%' },
            {
              condition: 'and',
              filters: [
                { field: 'tier', operator: '=', value: 'mid' },
                { field: 'score', operator: '>=', value: 5 },
              ],
            },
          ],
        },
      ],
    };
    expect(ids({ filter })).toEqual([2, 5]);
  });

  it('validate condition, filters and depth', () => {
    const leaf = { field: 'id', operator: '=', value: 1 };
    expectError(
      { filter: { condition: 'xor', filters: [leaf] } },
      { mnemonic: 'invalid_parameter_value', field: 'filter.condition', value: 'xor' },
    );
    expectError(
      { filter: { filters: [leaf] } },
      { mnemonic: 'required_parameter_missed', field: 'filter.condition' },
    );
    expectError(
      { filter: { condition: 'and', filters: [] } },
      { mnemonic: 'invalid_parameter_value', field: 'filter.filters' },
    );
    expectError(
      { filter: { condition: 'and', filters: leaf } },
      { mnemonic: 'data_type_error', field: 'filter.filters' },
    );
    let deep: unknown = leaf;
    for (let i = 0; i <= MAX_FILTER_DEPTH; i += 1) deep = { condition: 'and', filters: [deep] };
    expectError({ filter: deep }, { mnemonic: 'invalid_parameter_value', field: 'filter.filters' });
  });

  it('report errors of nested filters with the flat field name', () => {
    expectError(
      {
        filter: {
          condition: 'or',
          filters: [{ condition: 'and', filters: [{ field: 'nope', operator: '=', value: 1 }] }],
        },
      },
      { mnemonic: 'unexpected_parameters', field: 'filter.field', value: 'nope', code: -32602 },
    );
  });
});

describe('filter validation', () => {
  it('unknown column → unexpected_parameters', () => {
    expectError(
      { filter: { field: 'nope', operator: '=', value: 1 } },
      { mnemonic: 'unexpected_parameters', field: 'filter.field', value: 'nope' },
    );
  });

  it('known but not filterable → filter_prohibited', () => {
    expectError(
      { filter: { field: 'note', operator: '=', value: 'a' } },
      { mnemonic: 'filter_prohibited', field: 'filter.field', value: 'note' },
    );
    expectError(
      { filter: { field: 'monthly_charge', operator: '>', value: 1 } },
      { mnemonic: 'filter_prohibited', field: 'filter.field', value: 'monthly_charge' },
      availableVirtualNumbers,
    );
  });

  it('operator unknown or not for the column type → invalid_parameter_value', () => {
    expectError(
      { filter: { field: 'id', operator: '~~', value: 1 } },
      { mnemonic: 'invalid_parameter_value', field: 'filter.operator', value: '~~' },
    );
    expectError(
      { filter: { field: 'id', operator: 'like', value: '1%' } },
      { mnemonic: 'invalid_parameter_value', field: 'filter.operator', value: 'like' },
    );
    expectError(
      { filter: { field: 'tier', operator: '<', value: 'mid' } },
      { mnemonic: 'invalid_parameter_value', field: 'filter.operator', value: '<' },
    );
    expectError(
      { filter: { field: 'name', operator: 'overlap', value: ['a'] } },
      { mnemonic: 'invalid_parameter_value', field: 'filter.operator', value: 'overlap' },
    );
  });

  it('value of the wrong type → invalid_parameter_value', () => {
    expectError(
      { filter: { field: 'id', operator: '=', value: '1' } },
      { mnemonic: 'invalid_parameter_value', field: 'filter.value', value: '1' },
    );
    expectError(
      { filter: { field: 'id', operator: '=', value: 1.5 } },
      { mnemonic: 'invalid_parameter_value', field: 'filter.value' },
    );
    expectError(
      { filter: { field: 'name', operator: '=', value: 5 } },
      { mnemonic: 'invalid_parameter_value', field: 'filter.value' },
    );
    expectError(
      { filter: { field: 'tier', operator: '=', value: 'gold' } },
      { mnemonic: 'invalid_parameter_value', field: 'filter.value', value: 'gold' },
    );
    expectError(
      { filter: { field: 'name', operator: 'like', value: ['a'] } },
      { mnemonic: 'invalid_parameter_value', field: 'filter.value' },
    );
    expectError(
      { filter: { field: 'score', operator: '>', value: true } },
      { mnemonic: 'invalid_parameter_value', field: 'filter.value' },
    );
  });

  it('malformed simple filters', () => {
    expectError({ filter: 'id=1' }, { mnemonic: 'data_type_error', field: 'filter' });
    expectError(
      { filter: { operator: '=', value: 1 } },
      { mnemonic: 'required_parameter_missed', field: 'filter.field' },
    );
    expectError(
      { filter: { field: 'id', value: 1 } },
      { mnemonic: 'required_parameter_missed', field: 'filter.operator' },
    );
    expectError(
      { filter: { field: 'id', operator: '=', value: 1, extra: true } },
      { mnemonic: 'unexpected_parameters', field: 'filter', value: 'extra' },
    );
  });

  it('list operators are refused on the real methods (no filterable list column)', () => {
    expectError(
      { filter: { field: 'employees', operator: 'overlap', value: ['x'] } },
      { mnemonic: 'filter_prohibited', field: 'filter.field' },
      virtualNumberGroups,
    );
  });
});

describe('sort', () => {
  it('defaults to asc and puts nulls last', () => {
    expect(ids({ sort: [{ field: 'score' }] })).toEqual([6, 2, 4, 1, 5, 3]);
    expect(ids({ sort: [{ field: 'score', order: 'asc' }] })).toEqual([6, 2, 4, 1, 5, 3]);
  });

  it('desc puts nulls first', () => {
    expect(ids({ sort: [{ field: 'score', order: 'desc' }] })).toEqual([3, 5, 1, 4, 2, 6]);
  });

  it('uses several keys in turn', () => {
    expect(
      ids({
        sort: [
          { field: 'note', order: 'desc' },
          { field: 'id', order: 'desc' },
        ],
      }),
    ).toEqual([4, 5, 1, 6, 3, 2]);
  });

  it('orders enums by declaration and strings by code unit', () => {
    expect(ids({ sort: [{ field: 'tier' }, { field: 'id' }] })).toEqual([1, 6, 3, 5, 2, 4]);
    expect(ids({ sort: [{ field: 'name' }] })).toEqual([1, 3, 2, 6, 5, 4]);
  });

  it('keeps table order on ties', () => {
    expect(ids({ sort: [{ field: 'note' }] })).toEqual([2, 3, 6, 1, 5, 4]);
  });

  it('validates', () => {
    expectError(
      { sort: [{ field: 'nope' }] },
      { mnemonic: 'unexpected_parameters', field: 'sort.field', value: 'nope' },
    );
    expectError(
      { sort: [{ field: 'secret' }] },
      { mnemonic: 'sort_prohibited', field: 'sort.field', value: 'secret' },
    );
    expectError(
      { sort: [{ field: 'monthly_charge' }] },
      { mnemonic: 'sort_prohibited', field: 'sort.field', value: 'monthly_charge' },
      availableVirtualNumbers,
    );
    expectError(
      { sort: [{ field: 'id', order: 'up' }] },
      { mnemonic: 'invalid_parameter_value', field: 'sort.order', value: 'up' },
    );
    expectError({ sort: { field: 'id' } }, { mnemonic: 'data_type_error', field: 'sort' });
    expectError({ sort: [{}] }, { mnemonic: 'required_parameter_missed', field: 'sort.field' });
  });
});

describe('fields', () => {
  it('absent returns every column in description order', () => {
    expect(Object.keys(run({ limit: 1 }).data[0] ?? {})).toEqual(Object.keys(people.columns));
  });

  it('returns only the listed columns, in the listed order', () => {
    expect(run({ fields: ['tier', 'id'], limit: 2 }).data).toEqual([
      { tier: 'low', id: 1 },
      { tier: 'high', id: 2 },
    ]);
    expect(Object.keys(run({ fields: ['tier', 'id'] }).data[0] ?? {})).toEqual(['tier', 'id']);
  });

  it('validates', () => {
    expectError(
      { fields: ['id', 'nope'] },
      { mnemonic: 'unexpected_parameters', field: 'fields', value: 'nope' },
    );
    expectError({ fields: 'id' }, { mnemonic: 'data_type_error', field: 'fields' });
    expectError({ fields: [1] }, { mnemonic: 'data_type_error', field: 'fields' });
  });
});

describe('paging', () => {
  const many: Row[] = Array.from({ length: 2500 }, (_, i) => ({ id: i }));
  const big = (params: QueryParams) => runQuery(people, many, params);

  it('defaults to offset 0, limit 1000, and counts every match', () => {
    const result = big({});
    expect(result.total_items).toBe(2500);
    expect(result.data).toHaveLength(1000);
    expect(result.data[0]?.id).toBe(0);
  });

  it('applies offset and limit after filter and sort', () => {
    const result = big({
      filter: { field: 'id', operator: '<', value: 100 },
      sort: [{ field: 'id', order: 'desc' }],
      offset: 10,
      limit: 3,
      fields: ['id'],
    });
    expect(result).toEqual({ total_items: 100, data: [{ id: 89 }, { id: 88 }, { id: 87 }] });
  });

  it('accepts the maxima and an offset past the end', () => {
    expect(big({ limit: 10_000 }).data).toHaveLength(2500);
    expect(big({ offset: 100_000 })).toEqual({ total_items: 2500, data: [] });
    expect(big({ limit: 0 }).data).toEqual([]);
  });

  it('refuses values out of range or not integers', () => {
    expectError(
      { limit: 10_001 },
      { mnemonic: 'invalid_parameter_value', field: 'limit', value: 10_001 },
    );
    expect(failure({ limit: 10_001 }).params).toEqual({ min: 0, max: 10_000 });
    expectError({ limit: -1 }, { mnemonic: 'invalid_parameter_value', field: 'limit' });
    expectError({ offset: 100_001 }, { mnemonic: 'invalid_parameter_value', field: 'offset' });
    expect(failure({ offset: 100_001 }).params).toEqual({ min: 0, max: 100_000 });
    expectError({ offset: -5 }, { mnemonic: 'invalid_parameter_value', field: 'offset' });
    expectError({ limit: 2.5 }, { mnemonic: 'data_type_error', field: 'limit', value: 2.5 });
    expectError({ offset: '10' }, { mnemonic: 'data_type_error', field: 'offset' });
  });

  it('reads null as not given', () => {
    expect(
      big({ limit: null, offset: null, filter: null, sort: null, fields: null }).data,
    ).toHaveLength(1000);
  });
});

describe('location_mnemonic, an enum whose values are not listed', () => {
  it('takes the enum operators only', () => {
    const filter = (operator: string, value: unknown) => ({
      filter: { field: 'location_mnemonic', operator, value },
    });
    expect(() => runQuery(availableVirtualNumbers, [], filter('in', ['msk']))).not.toThrow();
    expect(failure(filter('like', 'm%'), availableVirtualNumbers).mnemonic).toBe(
      'invalid_parameter_value',
    );
    expect(failure(filter('regexp', 'm'), availableVirtualNumbers).mnemonic).toBe(
      'invalid_parameter_value',
    );
  });
});
