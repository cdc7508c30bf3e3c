import { describe, expect, it } from 'vitest';
import type { MethodDescription } from '../../../src/api/types.js';
import type { Row } from '../../../src/api/wire.js';
import { EmulatorError } from '../../../src/emulator/errors.js';
import { compileFilter, MAX_FILTER_DEPTH } from '../../../src/emulator/filter.js';
import { likeToRegExp } from '../../../src/emulator/like.js';
import { runQuery } from '../../../src/emulator/query.js';
import type { Random } from '../../../src/emulator/random.js';

/**
 * What the other emulator tests leave open: the params of refusals, cells a
 * row lacks, values outside an enum or of the wrong kind, regexp on empty
 * cells, code points in LIKE patterns, the shuffle of an unspecified order.
 */
const items = {
  method: 'get.items',
  typeName: 'Item',
  listField: 'items',
  description: '',
  key: 'id',
  columns: {
    id: { type: 'int', description: '', filterable: true, sortable: true },
    name: { type: 'string', description: '', filterable: true, sortable: true },
    price: { type: 'float', description: '', filterable: true, sortable: true },
    tier: {
      type: { kind: 'enum', name: 'Tier', description: '', values: ['low', 'high'] },
      description: '',
      filterable: true,
    },
  },
} as const satisfies MethodDescription;

const ROWS: readonly Row[] = [
  { id: 1, name: 'null', price: 1.5, tier: 'low' },
  { id: 2, name: null, price: null, tier: null },
  // A sparse row: the API would send these cells as null.
  { id: 3 },
];

const matching = (filter: unknown) =>
  ROWS.filter(compileFilter(items, filter)).map((row) => row.id);

function refusal(filter: unknown): EmulatorError {
  try {
    compileFilter(items, filter);
  } catch (error) {
    if (error instanceof EmulatorError) return error;
    throw error;
  }
  throw new Error('expected an EmulatorError');
}

describe('refusals carry their params', () => {
  it('a tree too deep names the maximum depth', () => {
    let filter: unknown = { field: 'id', operator: '=', value: 1 };
    for (let i = 0; i <= MAX_FILTER_DEPTH; i += 1) filter = { condition: 'and', filters: [filter] };
    expect(refusal(filter).params).toEqual({ max_depth: MAX_FILTER_DEPTH });
  });

  it('an operator the column does not take lists the ones it does', () => {
    const error = refusal({ field: 'tier', operator: '<', value: 'low' });
    expect(error.params).toEqual({
      allowed_operators: ['=', '!=', 'in', 'not_in', 'is_null', 'is_not_null'],
    });
  });
});

describe('cells a row lacks', () => {
  it('are empty: = null and is_null match them, != null does not', () => {
    expect(matching({ field: 'name', operator: '=', value: null })).toEqual([2, 3]);
    expect(matching({ field: 'name', operator: 'is_null' })).toEqual([2, 3]);
    expect(matching({ field: 'name', operator: '!=', value: null })).toEqual([1]);
  });
});

describe('filter values', () => {
  it('of an enum column must be one of its values', () => {
    expect(matching({ field: 'tier', operator: '=', value: 'low' })).toEqual([1]);
    expect(refusal({ field: 'tier', operator: '=', value: 'medium' })).toMatchObject({
      mnemonic: 'invalid_parameter_value',
      field: 'filter.value',
      value: 'medium',
    });
    expect(refusal({ field: 'tier', operator: 'in', value: ['low', 'LOW'] })).toMatchObject({
      field: 'filter.value',
      value: 'LOW',
    });
  });

  it('of a number column must be numbers, for every operator', () => {
    for (const operator of ['=', '!=', '<']) {
      expect(refusal({ field: 'price', operator, value: '1.5' })).toMatchObject({
        mnemonic: 'invalid_parameter_value',
        field: 'filter.value',
        value: '1.5',
      });
    }
    expect(refusal({ field: 'price', operator: 'in', value: [1.5, '2'] }).value).toBe('2');
  });
});

describe('regexp', () => {
  it('never matches an empty cell, not even by the text "null"', () => {
    expect(matching({ field: 'name', operator: 'regexp', value: '^null$' })).toEqual([1]);
    expect(matching({ field: 'name', operator: 'regexp', value: 'u' })).toEqual([1]);
  });
});

describe('operators the emulator does not implement', () => {
  it('are refused with a message naming them', () => {
    const lists = {
      ...items,
      columns: {
        tags: {
          type: { kind: 'objectList', name: 'Tag', description: '', fields: {} },
          description: '',
          filterable: true,
        },
      },
      key: 'tags',
    } as const satisfies MethodDescription;
    try {
      compileFilter(lists, { field: 'tags', operator: 'overlap', value: [1] });
      throw new Error('expected an EmulatorError');
    } catch (error) {
      expect(error).toBeInstanceOf(EmulatorError);
      expect((error as EmulatorError).message).toBe(
        'Operator overlap is not supported by the emulator',
      );
    }
  });
});

describe('LIKE patterns', () => {
  it('take _ as one code point, astral ones included, with or without case', () => {
    expect(likeToRegExp('a_b', false)?.test('a😀b')).toBe(true);
    expect(likeToRegExp('A_B', true)?.test('a😀b')).toBe(true);
    expect(likeToRegExp('a__b', false)?.test('a😀b')).toBe(false);
  });

  it('take what follows an escape literally, and only that one character', () => {
    expect(likeToRegExp('\\%a%', false)?.test('%abc')).toBe(true);
    expect(likeToRegExp('\\%a%', false)?.test('%a%')).toBe(true);
    expect(likeToRegExp('\\%a%', false)?.test('xabc')).toBe(false);
    expect(likeToRegExp('a\\', false)).toBeNull();
    expect(likeToRegExp('a\\\\', false)?.test('a\\')).toBe(true);
  });
});

describe('the shuffle of an unspecified order', () => {
  /** A Random that records its draws and always picks the lowest value. */
  function lowest(): { random: Random; draws: [number, number][] } {
    const draws: [number, number][] = [];
    const int = (min: number, max: number) => {
      draws.push([min, max]);
      return min;
    };
    const random: Random = {
      next: () => 0,
      int,
      pick: <T>(list: readonly T[]): T => list[0] as T,
      weighted: <T>(list: readonly T[]): T => list[0] as T,
      chance: () => false,
    };
    return { random, draws };
  }

  it('is Fisher–Yates: one draw per position from the last down to the second', () => {
    const rows: Row[] = [1, 2, 3, 4].map((id) => ({ id }));
    const { random, draws } = lowest();
    const result = runQuery(items, rows, { fields: ['id'] }, random);
    expect(draws).toEqual([
      [0, 3],
      [0, 2],
      [0, 1],
    ]);
    // Always swapping with the first: 1 2 3 4 → 4 2 3 1 → 3 2 4 1 → 2 3 4 1.
    expect(result.data.map((row) => row.id)).toEqual([2, 3, 4, 1]);
    expect(result.total_items).toBe(4);
    expect(rows.map((row) => row.id)).toEqual([1, 2, 3, 4]);
  });

  it('draws nothing for one row, and keeps every row', () => {
    const { random, draws } = lowest();
    expect(runQuery(items, [{ id: 7 }], { fields: ['id'] }, random).data).toEqual([{ id: 7 }]);
    expect(draws).toEqual([]);
  });
});
