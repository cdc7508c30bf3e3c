import { describe, expect, it } from 'vitest';
import type { ColumnType, EnumType, ObjectListType } from '../../../src/api/types.js';
import { conformsTo } from '../../../src/api/values.js';

const category: EnumType = {
  kind: 'enum',
  name: 'Category',
  description: '',
  values: ['usual', 'gold'],
};
const employees: ObjectListType = {
  kind: 'objectList',
  name: 'Employee',
  description: '',
  fields: { id: { type: 'int', description: '', key: true } },
};

/** Which of `values` a column of `type` serves, nullable or not. */
function served(type: ColumnType, values: readonly unknown[]) {
  return {
    nullable: values.filter(conformsTo(type, true)),
    nonNull: values.filter(conformsTo(type, false)),
  };
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

describe('values the API sends, against the column type', () => {
  it('strings and codes: strings only', () => {
    for (const type of ['string', 'code'] as const) {
      expect(served(type, ['a', '', 1, true, null, undefined, ['a']])).toEqual({
        nullable: ['a', '', null, undefined],
        nonNull: ['a', ''],
      });
    }
  });

  it('ints: integers of GraphQL Int, bounds included', () => {
    expect(
      served('int', [0, INT_MIN, INT_MAX, INT_MIN - 1, INT_MAX + 1, 1.5, '1', null, NaN]),
    ).toEqual({ nullable: [0, INT_MIN, INT_MAX, null], nonNull: [0, INT_MIN, INT_MAX] });
  });

  it('floats: finite numbers', () => {
    expect(served('float', [1.5, 0, -2, Infinity, NaN, '1.5', null])).toEqual({
      nullable: [1.5, 0, -2, null],
      nonNull: [1.5, 0, -2],
    });
  });

  it('enums: the declared values only', () => {
    expect(served(category, ['gold', 'usual', 'GOLD', 'platinum', 0, null])).toEqual({
      nullable: ['gold', 'usual', null],
      nonNull: ['gold', 'usual'],
    });
  });

  it('object lists: arrays of plain objects', () => {
    const ok = [[], [{ id: 1 }], [{ id: 1 }, {}]];
    const bad = [[1], [null], [[]], [{ id: 1 }, 'x'], { id: 1 }, 'x', 0];
    expect(served(employees, [...ok, ...bad, null])).toEqual({
      nullable: [...ok, null],
      nonNull: ok,
    });
  });

  it('a column type nobody handles is a bug, not a value', () => {
    expect(() => conformsTo('date' as unknown as ColumnType, true)).toThrow(
      'No value check for column type date',
    );
  });
});
