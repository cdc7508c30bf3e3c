import { describe, expect, it } from 'vitest';
import { virtualNumberGroups } from '../../../src/api/index.js';
import type { Row } from '../../../src/api/wire.js';
import { EmulatorError } from '../../../src/emulator/errors.js';
import { compileFilter, MAX_FILTER_DEPTH } from '../../../src/emulator/filter.js';

/** The emulator's filter bounds and type checks, exactly at each edge and one past it. */
const ROWS: readonly Row[] = [
  { id: 1, number: 'g1', name: 'Sales' },
  { id: 2, number: 'g2', name: null },
];

const leaf = { field: 'id', operator: '=', value: 1 };

/** `levels` nested `and` trees around `leaf`. */
function nested(levels: number): unknown {
  let filter: unknown = leaf;
  for (let i = 0; i < levels; i += 1) filter = { condition: 'and', filters: [filter] };
  return filter;
}

function matching(filter: unknown): unknown[] {
  return ROWS.filter(compileFilter(virtualNumberGroups, filter)).map((row) => row.id);
}

function refusal(filter: unknown): Pick<EmulatorError, 'mnemonic' | 'field' | 'value'> {
  try {
    compileFilter(virtualNumberGroups, filter);
  } catch (error) {
    if (error instanceof EmulatorError) {
      return { mnemonic: error.mnemonic, field: error.field, value: error.value };
    }
    throw error;
  }
  throw new Error('expected an EmulatorError');
}

describe('filter tree depth', () => {
  it(`accepts exactly ${MAX_FILTER_DEPTH} nested trees`, () => {
    expect(matching(nested(MAX_FILTER_DEPTH))).toEqual([1]);
  });

  it(`refuses ${MAX_FILTER_DEPTH + 1}`, () => {
    expect(refusal(nested(MAX_FILTER_DEPTH + 1))).toMatchObject({
      mnemonic: 'invalid_parameter_value',
      field: 'filter.filters',
    });
  });
});

describe('filter trees', () => {
  it('with one item match as that item, for and and or', () => {
    expect(matching({ condition: 'and', filters: [leaf] })).toEqual([1]);
    expect(matching({ condition: 'or', filters: [leaf] })).toEqual([1]);
  });

  it('and needs every item, or any', () => {
    const other = { field: 'number', operator: '=', value: 'g2' };
    expect(matching({ condition: 'and', filters: [leaf, other] })).toEqual([]);
    expect(matching({ condition: 'or', filters: [leaf, other] })).toEqual([1, 2]);
  });

  it('refuse keys beside filters and condition, naming the key', () => {
    expect(refusal({ condition: 'and', filters: [leaf], field: 'id' })).toEqual({
      mnemonic: 'unexpected_parameters',
      field: 'filter',
      value: 'field',
    });
  });

  it('refuse a child that is not an object', () => {
    expect(refusal({ condition: 'and', filters: ['id = 1'] })).toEqual({
      mnemonic: 'data_type_error',
      field: 'filter',
      value: 'id = 1',
    });
  });
});

describe('simple filters', () => {
  it('refuse a field that is not a string', () => {
    expect(refusal({ field: 7, operator: '=', value: 1 })).toEqual({
      mnemonic: 'data_type_error',
      field: 'filter.field',
      value: 7,
    });
  });

  it('refuse an operator that is not a string', () => {
    expect(refusal({ field: 'id', operator: ['='], value: 1 })).toEqual({
      mnemonic: 'data_type_error',
      field: 'filter.operator',
      value: ['='],
    });
  });

  it('refuse keys beside field, operator and value, naming the key', () => {
    expect(refusal({ ...leaf, order: 'asc' })).toEqual({
      mnemonic: 'unexpected_parameters',
      field: 'filter',
      value: 'order',
    });
  });

  it('refuse a field inherited from Object.prototype', () => {
    expect(refusal({ field: 'toString', operator: '=', value: 1 })).toEqual({
      mnemonic: 'unexpected_parameters',
      field: 'filter.field',
      value: 'toString',
    });
  });
});
