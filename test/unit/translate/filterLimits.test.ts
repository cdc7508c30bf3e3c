import { describe, expect, it } from 'vitest';
import { availableVirtualNumbers, virtualNumberGroups } from '../../../src/api/index.js';
import type { ApiFilter } from '../../../src/api/wire.js';
import type { FilterBounds, FilterInput } from '../../../src/translate/filter.js';
import { toApiFilter } from '../../../src/translate/filter.js';
import { refusal } from '../../helpers/refusal.js';

/**
 * Every bound of `toApiFilter`, exactly at it (accepted) and one past it
 * (refused, naming the limit). Small bounds keep the inputs readable; the
 * comparisons are the same whatever the configured numbers.
 */
const BOUNDS: FilterBounds = { maxDepth: 2, maxListInput: 3, maxStringInput: 5 };

const groups = (input: FilterInput): ApiFilter | undefined =>
  toApiFilter(virtualNumberGroups, input, BOUNDS);
const numbers = (input: FilterInput): ApiFilter | undefined =>
  toApiFilter(availableVirtualNumbers, input, BOUNDS);

const eqName = (value: string): FilterInput => ({ name: { eq: value } });

describe('values in one in/notIn list', () => {
  it('are accepted up to the limit', () => {
    expect(groups({ databaseId: { in: [1, 2, 3] } })).toEqual({
      field: 'id',
      operator: 'in',
      value: [1, 2, 3],
    });
  });

  it('are refused one past the limit, naming the operator and the limit', () => {
    expect(refusal(() => groups({ databaseId: { notIn: [1, 2, 3, 4] } }))).toEqual({
      code: 'BAD_USER_INPUT',
      message: '"notIn" has 4 values; the limit is 3 (MAX_LIST_INPUT).',
      extensions: { code: 'BAD_USER_INPUT', argument: 'filter' },
    });
  });
});

describe('characters in one string value', () => {
  it('are accepted up to the limit', () => {
    expect(groups(eqName('abcde'))).toEqual({ field: 'name', operator: '=', value: 'abcde' });
  });

  it('are refused one past the limit, naming the operator and the limit', () => {
    expect(refusal(() => groups(eqName('abcdef')))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'A "eq" value is 6 characters long; the limit is 5 (MAX_STRING_INPUT).',
      extensions: { code: 'BAD_USER_INPUT', argument: 'filter' },
    });
  });

  it('count the text before it becomes a LIKE pattern', () => {
    // `a%b_c` is 5 characters; its escaped pattern `%a\%b\_c%` is 9.
    expect(groups({ name: { contains: 'a%b_c' } })).toEqual({
      field: 'name',
      operator: 'like',
      value: '%a\\%b\\_c%',
    });
    expect(refusal(() => groups({ name: { startsWith: 'a%b_cd' } })).message).toBe(
      'A "startsWith" value is 6 characters long; the limit is 5 (MAX_STRING_INPUT).',
    );
  });

  it('are checked for each item of a list, at and one past the limit', () => {
    expect(numbers({ phoneNumber: { in: ['12345', '1'] } })).toEqual({
      field: 'phone_number',
      operator: 'in',
      value: ['12345', '1'],
    });
    expect(refusal(() => numbers({ phoneNumber: { in: ['1', '123456'] } })).message).toBe(
      'A "in" value is 6 characters long; the limit is 5 (MAX_STRING_INPUT).',
    );
  });

  it('apply to strings only: numbers and the isNull flag have no length', () => {
    const tight: FilterBounds = { ...BOUNDS, maxStringInput: 0 };
    expect(toApiFilter(virtualNumberGroups, { databaseId: { eq: 123456 } }, tight)).toEqual({
      field: 'id',
      operator: '=',
      value: 123456,
    });
    expect(toApiFilter(virtualNumberGroups, { name: { isNull: true } }, tight)).toEqual({
      field: 'name',
      operator: 'is_null',
      value: null,
    });
  });
});

describe('filters in one and/or list', () => {
  it.each(['and', 'or'] as const)('%s: accepted up to the limit', (key) => {
    expect(groups({ [key]: [eqName('a'), eqName('b'), eqName('c')] })).toEqual({
      condition: key,
      filters: ['a', 'b', 'c'].map((value) => ({ field: 'name', operator: '=', value })),
    });
  });

  it.each(['and', 'or'] as const)('%s: refused one past the limit', (key) => {
    const list = ['a', 'b', 'c', 'd'].map(eqName);
    expect(refusal(() => groups({ [key]: list }))).toEqual({
      code: 'BAD_USER_INPUT',
      message: `"${key}" has 4 filters; the limit is 3 (MAX_LIST_INPUT).`,
      extensions: { code: 'BAD_USER_INPUT', argument: 'filter' },
    });
  });
});

describe('and/or nesting depth', () => {
  const leaf = eqName('a');
  const twoLevels: FilterInput = { or: [{ and: [leaf, eqName('b')] }, leaf] };

  it('is accepted up to the limit', () => {
    expect(groups(twoLevels)).toEqual({
      condition: 'or',
      filters: [
        {
          condition: 'and',
          filters: [
            { field: 'name', operator: '=', value: 'a' },
            { field: 'name', operator: '=', value: 'b' },
          ],
        },
        { field: 'name', operator: '=', value: 'a' },
      ],
    });
  });

  it('is refused one past the limit, naming the limit', () => {
    expect(refusal(() => groups({ and: [twoLevels] }))).toEqual({
      code: 'BAD_USER_INPUT',
      message: '"filter" nests "and"/"or" more than 2 levels deep (MAX_FILTER_DEPTH).',
      extensions: { code: 'BAD_USER_INPUT', argument: 'filter' },
    });
  });

  it('counts levels, not lists: siblings at one level do not add up', () => {
    expect(groups({ and: [{ or: [leaf] }], or: [{ and: [leaf] }] })).toEqual({
      condition: 'and',
      filters: [
        { field: 'name', operator: '=', value: 'a' },
        { field: 'name', operator: '=', value: 'a' },
      ],
    });
  });
});

describe('without bounds', () => {
  it('accepts long lists, long strings and deep nesting', () => {
    let deep: FilterInput = eqName('x'.repeat(10_000));
    for (let i = 0; i < 50; i += 1) deep = { and: [deep] };
    const ids = Array.from({ length: 5_000 }, (_, i) => i);
    expect(toApiFilter(virtualNumberGroups, { ...deep, databaseId: { in: ids } })).toEqual({
      condition: 'and',
      filters: [
        { field: 'name', operator: '=', value: 'x'.repeat(10_000) },
        { field: 'id', operator: 'in', value: ids },
      ],
    });
  });
});
