import { describe, expect, it } from 'vitest';
import type { MethodDescription } from '../../../src/api/types.js';
import type { Row } from '../../../src/api/wire.js';
import { EmulatorError } from '../../../src/emulator/errors.js';
import { runQuery } from '../../../src/emulator/query.js';
import type { QueryParams } from '../../../src/emulator/query.js';

/**
 * Corners of the emulator's `get` engine that query.test.ts leaves open:
 * sparse rows, empty `fields`, malformed `sort` items, a filterable list
 * column, numbers JSON cannot carry.
 */
const things = {
  method: 'get.things',
  typeName: 'Thing',
  listField: 'things',
  description: '',
  key: 'id',
  columns: {
    id: { type: 'int', description: '', filterable: true, sortable: true },
    score: { type: 'float', description: '', filterable: true, sortable: true },
    tags: {
      type: {
        kind: 'objectList',
        name: 'Tag',
        description: '',
        fields: { id: { type: 'int', description: '', key: true } },
      },
      description: '',
      filterable: true,
    },
  },
} as const satisfies MethodDescription;

const ROWS: readonly Row[] = [
  { id: 1, score: 1.5, tags: [{ id: 1 }] },
  { id: 2, tags: [] },
  { id: 3, score: 0.5, tags: null },
];

const run = (params: QueryParams) => runQuery(things, ROWS, params);
const ids = (params: QueryParams) => run(params).data.map((row) => row.id);

function failure(params: QueryParams): Pick<EmulatorError, 'mnemonic' | 'field' | 'value'> {
  try {
    run(params);
  } catch (error) {
    if (error instanceof EmulatorError) {
      return { mnemonic: error.mnemonic, field: error.field, value: error.value };
    }
    throw error;
  }
  throw new Error('expected an EmulatorError');
}

describe('fields', () => {
  it('empty means every column, as absent does', () => {
    expect(run({ fields: [], limit: 1 }).data).toEqual([{ id: 1, score: 1.5, tags: [{ id: 1 }] }]);
  });

  it('sends null for a column a row lacks', () => {
    expect(run({ fields: ['score'], offset: 1, limit: 1 }).data).toEqual([{ score: null }]);
  });

  it('lists a column asked twice once, where it was first asked', () => {
    expect(Object.keys(run({ fields: ['score', 'id', 'score'], limit: 1 }).data[0] ?? {})).toEqual([
      'score',
      'id',
    ]);
  });
});

describe('sort items', () => {
  it('refuse an item that is not an object', () => {
    expect(failure({ sort: ['id'] })).toEqual({
      mnemonic: 'data_type_error',
      field: 'sort',
      value: 'id',
    });
  });

  it('refuse keys beside field and order, naming the key', () => {
    expect(failure({ sort: [{ field: 'id', direction: 'asc' }] })).toEqual({
      mnemonic: 'unexpected_parameters',
      field: 'sort',
      value: 'direction',
    });
  });

  it('refuse a field that is not a string', () => {
    expect(failure({ sort: [{ field: 1 }] })).toEqual({
      mnemonic: 'data_type_error',
      field: 'sort.field',
      value: 1,
    });
  });

  it('refuse a field inherited from Object.prototype', () => {
    expect(failure({ sort: [{ field: 'constructor' }] })).toMatchObject({
      mnemonic: 'unexpected_parameters',
      field: 'sort.field',
    });
  });

  it('sort absent cells as nulls: last on asc, first on desc', () => {
    expect(ids({ sort: [{ field: 'score' }] })).toEqual([3, 1, 2]);
    expect(ids({ sort: [{ field: 'score', order: 'desc' }] })).toEqual([2, 1, 3]);
  });
});

describe('filter values', () => {
  it('refuse numbers JSON cannot carry', () => {
    for (const value of [Infinity, -Infinity, NaN]) {
      expect(failure({ filter: { field: 'score', operator: '<', value } })).toMatchObject({
        mnemonic: 'invalid_parameter_value',
        field: 'filter.value',
      });
    }
  });

  it('compare a float column with a fraction, an int column only with an integer', () => {
    expect(ids({ filter: { field: 'score', operator: '>', value: 0.75 } })).toEqual([1]);
    expect(failure({ filter: { field: 'id', operator: '>', value: 0.5 } })).toMatchObject({
      mnemonic: 'invalid_parameter_value',
      field: 'filter.value',
      value: 0.5,
    });
  });
});

describe('a filterable list column', () => {
  it('is empty when null or an empty list', () => {
    expect(ids({ filter: { field: 'tags', operator: 'is_null' } })).toEqual([2, 3]);
    expect(ids({ filter: { field: 'tags', operator: 'is_not_null' } })).toEqual([1]);
  });

  it('refuses the list operators the emulator does not implement, naming them', () => {
    for (const operator of ['jsquery', 'overlap', 'not_overlap']) {
      expect(failure({ filter: { field: 'tags', operator, value: [1] } })).toEqual({
        mnemonic: 'invalid_parameter_value',
        field: 'filter.operator',
        value: operator,
      });
    }
  });
});
