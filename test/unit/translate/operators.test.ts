import { describe, expect, it } from 'vitest';
import { availableVirtualNumbers, virtualNumberGroups } from '../../../src/api/index.js';
import type { ApiOperator } from '../../../src/api/operators.js';
import { operatorsFor } from '../../../src/api/operators.js';
import type { ColumnType } from '../../../src/api/types.js';
import type { FilterKind, FilterOperatorName } from '../../../src/translate/operators.js';
import {
  FILTER_OPERATORS,
  OPERATORS_BY_KIND,
  escapeLike,
  filterKindOf,
} from '../../../src/translate/operators.js';

const KINDS: readonly FilterKind[] = ['string', 'code', 'int', 'float', 'enum'];

/** A column type of each kind, taken from the method descriptions. */
const TYPE_OF_KIND: Readonly<Record<FilterKind, ColumnType>> = {
  string: 'string',
  code: 'code',
  int: 'int',
  float: 'float',
  enum: availableVirtualNumbers.columns.category.type,
};

describe('FILTER_OPERATORS', () => {
  it('maps each GraphQL operator to its API operator', () => {
    const apiByName = Object.fromEntries(
      Object.entries(FILTER_OPERATORS).map(([name, spec]) => [name, spec.api]),
    );
    expect(apiByName).toEqual({
      eq: '=',
      ne: '!=',
      lt: '<',
      lte: '<=',
      gt: '>',
      gte: '>=',
      in: 'in',
      notIn: 'not_in',
      like: 'like',
      ilike: 'ilike',
      notLike: 'not_like',
      notIlike: 'not_ilike',
      regexp: 'regexp',
      startsWith: 'like',
      endsWith: 'like',
      contains: 'like',
      isNull: 'is_null',
    });
  });

  it('gives lists to in and notIn, a flag to isNull and one value to the rest', () => {
    const arityByName = Object.fromEntries(
      Object.entries(FILTER_OPERATORS).map(([name, spec]) => [name, spec.arity]),
    );
    expect(arityByName).toEqual({
      eq: 'scalar',
      ne: 'scalar',
      lt: 'scalar',
      lte: 'scalar',
      gt: 'scalar',
      gte: 'scalar',
      in: 'list',
      notIn: 'list',
      like: 'scalar',
      ilike: 'scalar',
      notLike: 'scalar',
      notIlike: 'scalar',
      regexp: 'scalar',
      startsWith: 'scalar',
      endsWith: 'scalar',
      contains: 'scalar',
      isNull: 'flag',
    });
  });

  it('has a pattern only for startsWith, endsWith and contains', () => {
    const withPattern = Object.entries(FILTER_OPERATORS)
      .filter(([, spec]) => 'pattern' in spec)
      .map(([name]) => name);
    expect(withPattern).toEqual(['startsWith', 'endsWith', 'contains']);
  });

  it('builds literal LIKE patterns', () => {
    expect(FILTER_OPERATORS.startsWith.pattern('a_b')).toBe('a\\_b%');
    expect(FILTER_OPERATORS.endsWith.pattern('a%b')).toBe('%a\\%b');
    expect(FILTER_OPERATORS.contains.pattern('a\\b')).toBe('%a\\\\b%');
  });

  it('describes every operator', () => {
    const undescribed = Object.entries(FILTER_OPERATORS)
      .filter(([, spec]) => spec.description.trim() === '')
      .map(([name]) => name);
    expect(undescribed).toEqual([]);
  });
});

describe('OPERATORS_BY_KIND', () => {
  it('has the five kinds', () => {
    expect(Object.keys(OPERATORS_BY_KIND).sort()).toEqual([
      'code',
      'enum',
      'float',
      'int',
      'string',
    ]);
  });

  it('offers only the enum operators on codes (an enum whose values are not listed)', () => {
    expect(OPERATORS_BY_KIND.code).toEqual(['eq', 'ne', 'in', 'notIn', 'isNull']);
    expect(filterKindOf(availableVirtualNumbers.columns.location_mnemonic.type)).toBe('code');
  });

  it.each(KINDS)('lists only existing operators for %s', (kind) => {
    const unknown = OPERATORS_BY_KIND[kind].filter(
      (name) => !Object.hasOwn(FILTER_OPERATORS, name),
    );
    expect(unknown).toEqual([]);
  });

  it.each(KINDS)('lists each operator once for %s', (kind) => {
    const names = OPERATORS_BY_KIND[kind];
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(KINDS)('lists only operators the API accepts on %s columns', (kind) => {
    const accepted = operatorsFor(TYPE_OF_KIND[kind]);
    const sent = OPERATORS_BY_KIND[kind].flatMap((name): ApiOperator[] =>
      // isNull: false sends is_not_null.
      name === 'isNull' ? ['is_null', 'is_not_null'] : [FILTER_OPERATORS[name].api],
    );
    expect(sent.filter((api) => !accepted.includes(api))).toEqual([]);
  });

  // data-api.md: `is_null`/`is_not_null` apply to "any" type, enums included.
  it('gives enums exactly eq, ne, in, notIn and isNull', () => {
    expect(OPERATORS_BY_KIND.enum).toEqual(['eq', 'ne', 'in', 'notIn', 'isNull']);
  });

  it('gives strings equality, lists, LIKE, regexp, the literal shortcuts and isNull', () => {
    expect(OPERATORS_BY_KIND.string).toEqual([
      'eq',
      'ne',
      'in',
      'notIn',
      'like',
      'ilike',
      'notLike',
      'notIlike',
      'regexp',
      'startsWith',
      'endsWith',
      'contains',
      'isNull',
    ]);
  });

  it.each(['int', 'float'] as const)('gives %s comparisons, lists and isNull', (kind) => {
    const expected: FilterOperatorName[] = [
      'eq',
      'ne',
      'lt',
      'lte',
      'gt',
      'gte',
      'in',
      'notIn',
      'isNull',
    ];
    expect(OPERATORS_BY_KIND[kind]).toEqual(expected);
  });
});

describe('escapeLike', () => {
  it('escapes %', () => {
    expect(escapeLike('%')).toBe('\\%');
  });

  it('escapes _', () => {
    expect(escapeLike('_')).toBe('\\_');
  });

  it('escapes the backslash itself', () => {
    expect(escapeLike('\\')).toBe('\\\\');
  });

  it('escapes every occurrence, each with one backslash', () => {
    expect(escapeLike('50%_a\\b')).toBe('50\\%\\_a\\\\b');
    expect(escapeLike('%%__\\\\')).toBe('\\%\\%\\_\\_\\\\\\\\');
  });

  it('leaves text without special characters unchanged', () => {
    expect(escapeLike('Sales team 7 (Moscow)')).toBe('Sales team 7 (Moscow)');
  });

  it('leaves characters special only to regular expressions unchanged', () => {
    expect(escapeLike('.*+?^$[](){}|')).toBe('.*+?^$[](){}|');
  });

  it('leaves the empty text empty', () => {
    expect(escapeLike('')).toBe('');
  });
});

describe('filterKindOf', () => {
  it.each(['string', 'code', 'int', 'float'] as const)(
    'gives the %s kind to columns of that type',
    (type) => {
      expect(filterKindOf(type)).toBe(type);
    },
  );

  it('gives the enum kind to enum columns', () => {
    expect(filterKindOf(availableVirtualNumbers.columns.category.type)).toBe('enum');
  });

  it('gives no kind to lists of objects', () => {
    expect(filterKindOf(virtualNumberGroups.columns.employees.type)).toBeUndefined();
  });
});
