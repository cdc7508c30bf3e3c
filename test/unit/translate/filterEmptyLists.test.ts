import { describe, expect, it } from 'vitest';
import { availableVirtualNumbers } from '../../../src/api/index.js';
import type { FilterInput } from '../../../src/translate/filter.js';
import { toApiFilter } from '../../../src/translate/filter.js';
import { refusal } from '../../helpers/refusal.js';

/**
 * An empty `and` is "all of nothing": it constrains nothing, beside other
 * conditions too (as the schema's description of `and` says). An empty `or`
 * ("one of nothing") is refused. Neither may leave a hole (`null`) in the
 * filter sent upstream.
 */
const numbers = (input: FilterInput) => toApiFilter(availableVirtualNumbers, input);
const phone = { field: 'phone_number', operator: '=', value: 'x' } as const;

describe('an empty and list beside other conditions', () => {
  it('leaves only the other conditions', () => {
    expect(numbers({ and: [], phoneNumber: { eq: 'x' } })).toStrictEqual(phone);
    expect(numbers({ phoneNumber: { eq: 'x' }, and: [] })).toStrictEqual(phone);
  });

  it('leaves only the other conditions when its items constrain nothing', () => {
    expect(numbers({ and: [{}, { and: [] }], phoneNumber: { eq: 'x' } })).toStrictEqual(phone);
  });

  it('leaves the other conditions of a nested and/or alone', () => {
    expect(
      numbers({ or: [{ and: [], phoneNumber: { eq: 'x' } }, { category: { eq: 'gold' } }] }),
    ).toStrictEqual({
      condition: 'or',
      filters: [phone, { field: 'category', operator: '=', value: 'gold' }],
    });
  });
});

describe('an empty or list beside other conditions', () => {
  it('is refused as bad input', () => {
    expect(refusal(() => numbers({ or: [], phoneNumber: { eq: 'x' } }))).toEqual({
      code: 'BAD_USER_INPUT',
      message: '"or" needs at least one filter.',
      extensions: { code: 'BAD_USER_INPUT', argument: 'filter' },
    });
  });
});

describe('undefined values', () => {
  it('constrain nothing, as null ones do', () => {
    // As a resolver can receive it from JavaScript callers, whatever the static type says.
    const input = {
      phoneNumber: undefined,
      and: undefined,
      or: undefined,
    } as unknown as FilterInput;
    expect(numbers(input)).toBeUndefined();
  });
});
