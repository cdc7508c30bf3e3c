import { describe, expect, it } from 'vitest';
import { availableVirtualNumbers, virtualNumberGroups } from '../../../src/api/index.js';
import type { ApiFilter } from '../../../src/api/wire.js';
import { BadUserInputError } from '../../../src/api/errors.js';
import type { FilterInput } from '../../../src/translate/filter.js';
import { toApiFilter } from '../../../src/translate/filter.js';
import { refusal } from '../../helpers/refusal.js';

const groups = (input: FilterInput | null | undefined): ApiFilter | undefined =>
  toApiFilter(virtualNumberGroups, input);
const numbers = (input: FilterInput | null | undefined): ApiFilter | undefined =>
  toApiFilter(availableVirtualNumbers, input);

describe('a single condition', () => {
  it('becomes a simple filter, not a tree', () => {
    expect(groups({ name: { eq: 'Sales' } })).toEqual({
      field: 'name',
      operator: '=',
      value: 'Sales',
    });
  });

  it('sends nothing else beside the condition', () => {
    expect(groups({ number: { ne: 'g1' } })).toStrictEqual({
      field: 'number',
      operator: '!=',
      value: 'g1',
    });
  });
});

describe('GraphQL field names map to API columns', () => {
  it('maps databaseId to id on virtual number groups', () => {
    expect(groups({ databaseId: { eq: 7 } })).toEqual({ field: 'id', operator: '=', value: 7 });
  });

  it('maps phoneNumber to phone_number on available numbers', () => {
    expect(numbers({ phoneNumber: { eq: '74950000001' } })).toEqual({
      field: 'phone_number',
      operator: '=',
      value: '74950000001',
    });
  });

  it('maps locationMnemonic to location_mnemonic on available numbers', () => {
    expect(numbers({ locationMnemonic: { in: ['msk', 'spb'] } })).toEqual({
      field: 'location_mnemonic',
      operator: 'in',
      value: ['msk', 'spb'],
    });
  });

  it('does not accept the API column name in place of the GraphQL name', () => {
    expect(() => numbers({ phone_number: { eq: '1' } })).toThrow(
      'phone_number is not a filterable field of AvailableNumber',
    );
  });

  it('does not take the relay id for the API id', () => {
    expect(() => groups({ id: { eq: 1 } })).toThrow(
      'id is not a filterable field of VirtualNumberGroup',
    );
  });

  it('treats a column the API cannot filter as a programming error, not bad input', () => {
    const attempt = (): unknown => numbers({ locationName: { eq: 'Moscow' } });
    expect(attempt).toThrow('locationName is not a filterable field of AvailableNumber');
    expect(attempt).not.toThrow(BadUserInputError);
  });
});

describe('comparison and matching operators', () => {
  const cases: readonly (readonly [string, FilterInput, ApiFilter])[] = [
    ['eq', { databaseId: { eq: 3 } }, { field: 'id', operator: '=', value: 3 }],
    ['ne', { databaseId: { ne: 3 } }, { field: 'id', operator: '!=', value: 3 }],
    ['lt', { databaseId: { lt: 3 } }, { field: 'id', operator: '<', value: 3 }],
    ['lte', { databaseId: { lte: 3 } }, { field: 'id', operator: '<=', value: 3 }],
    ['gt', { databaseId: { gt: 3 } }, { field: 'id', operator: '>', value: 3 }],
    ['gte', { databaseId: { gte: 3 } }, { field: 'id', operator: '>=', value: 3 }],
    ['in', { databaseId: { in: [1, 2] } }, { field: 'id', operator: 'in', value: [1, 2] }],
    [
      'notIn',
      { databaseId: { notIn: [1, 2] } },
      { field: 'id', operator: 'not_in', value: [1, 2] },
    ],
    ['like', { name: { like: 'Sa%' } }, { field: 'name', operator: 'like', value: 'Sa%' }],
    ['ilike', { name: { ilike: 'sa%' } }, { field: 'name', operator: 'ilike', value: 'sa%' }],
    [
      'notLike',
      { name: { notLike: '%x_' } },
      { field: 'name', operator: 'not_like', value: '%x_' },
    ],
    [
      'notIlike',
      { name: { notIlike: '%X_' } },
      { field: 'name', operator: 'not_ilike', value: '%X_' },
    ],
    [
      'regexp',
      { name: { regexp: '^g[0-9]+$' } },
      { field: 'name', operator: 'regexp', value: '^g[0-9]+$' },
    ],
  ];

  it.each(cases)('maps %s to the API operator', (_name, input, expected) => {
    expect(groups(input)).toEqual(expected);
  });

  it('passes user LIKE patterns through unescaped', () => {
    expect(groups({ name: { like: '50%\\_' } })).toEqual({
      field: 'name',
      operator: 'like',
      value: '50%\\_',
    });
  });

  it('keeps falsy values that are not null', () => {
    expect(groups({ databaseId: { eq: 0 } })).toEqual({ field: 'id', operator: '=', value: 0 });
    expect(groups({ name: { eq: '' } })).toEqual({ field: 'name', operator: '=', value: '' });
  });
});

describe('isNull', () => {
  it('sends is_null with a null value for true', () => {
    expect(groups({ name: { isNull: true } })).toStrictEqual({
      field: 'name',
      operator: 'is_null',
      value: null,
    });
  });

  it('sends is_not_null with a null value for false', () => {
    expect(groups({ name: { isNull: false } })).toStrictEqual({
      field: 'name',
      operator: 'is_not_null',
      value: null,
    });
  });
});

describe('startsWith, endsWith and contains', () => {
  it('turns startsWith into a like prefix', () => {
    expect(groups({ name: { startsWith: 'Sal' } })).toEqual({
      field: 'name',
      operator: 'like',
      value: 'Sal%',
    });
  });

  it('turns endsWith into a like suffix', () => {
    expect(groups({ name: { endsWith: 'les' } })).toEqual({
      field: 'name',
      operator: 'like',
      value: '%les',
    });
  });

  it('turns contains into a like infix', () => {
    expect(groups({ name: { contains: 'ale' } })).toEqual({
      field: 'name',
      operator: 'like',
      value: '%ale%',
    });
  });

  it('takes the text literally: %, _ and \\ are each escaped with one backslash', () => {
    // The text is 50%_a\b; the pattern is 50\%\_a\\b%.
    expect(groups({ name: { startsWith: '50%_a\\b' } })).toEqual({
      field: 'name',
      operator: 'like',
      value: '50\\%\\_a\\\\b%',
    });
  });

  it('escapes literally in endsWith and contains too', () => {
    expect(groups({ name: { endsWith: '_1' } })).toEqual({
      field: 'name',
      operator: 'like',
      value: '%\\_1',
    });
    expect(groups({ name: { contains: '100%' } })).toEqual({
      field: 'name',
      operator: 'like',
      value: '%100\\%%',
    });
  });
});

describe('enum values', () => {
  it('sends the API spelling received from GraphQL', () => {
    expect(numbers({ category: { eq: 'gold' } })).toEqual({
      field: 'category',
      operator: '=',
      value: 'gold',
    });
  });

  it('sends lists of enum values as they are', () => {
    expect(numbers({ category: { notIn: ['usual', 'bronze'] } })).toEqual({
      field: 'category',
      operator: 'not_in',
      value: ['usual', 'bronze'],
    });
  });
});

describe('several conditions in one filter object', () => {
  it('joins several operators on one field with and', () => {
    expect(groups({ databaseId: { gt: 1, lte: 10 } })).toEqual({
      condition: 'and',
      filters: [
        { field: 'id', operator: '>', value: 1 },
        { field: 'id', operator: '<=', value: 10 },
      ],
    });
  });

  it('joins conditions on several fields with and, in input order', () => {
    expect(
      numbers({
        locationMnemonic: { eq: 'spb' },
        category: { in: ['gold', 'silver'] },
        phoneNumber: { startsWith: '7812' },
      }),
    ).toEqual({
      condition: 'and',
      filters: [
        { field: 'location_mnemonic', operator: '=', value: 'spb' },
        { field: 'category', operator: 'in', value: ['gold', 'silver'] },
        { field: 'phone_number', operator: 'like', value: '7812%' },
      ],
    });
  });

  it('sends eq: null and ne: null as the API emptiness tests, never dropping them', () => {
    expect(groups({ name: { eq: null, ne: 'x', like: undefined } })).toEqual({
      filters: [
        { field: 'name', operator: '=', value: null },
        { field: 'name', operator: '!=', value: 'x' },
      ],
      condition: 'and',
    });
    expect(groups({ number: { ne: null } })).toEqual({
      field: 'number',
      operator: '!=',
      value: null,
    });
  });

  it.each([
    ['isNull', '"isNull" must be true or false, not null.'],
    [
      'startsWith',
      '"startsWith: null" is not a condition; to match empty values use "eq: null" (non-empty: "ne: null").',
    ],
    [
      'in',
      '"in: null" is not a condition; to match empty values use "eq: null" (non-empty: "ne: null").',
    ],
  ])('refuses %s: null rather than dropping it', (operator, message) => {
    expect(refusal(() => groups({ name: { [operator]: null } }))).toEqual({
      code: 'BAD_USER_INPUT',
      message,
      extensions: { code: 'BAD_USER_INPUT', argument: 'filter' },
    });
  });
});

describe('and lists', () => {
  it('become an and tree', () => {
    expect(groups({ and: [{ name: { eq: 'a' } }, { number: { eq: 'g1' } }] })).toEqual({
      condition: 'and',
      filters: [
        { field: 'name', operator: '=', value: 'a' },
        { field: 'number', operator: '=', value: 'g1' },
      ],
    });
  });

  it('with a single item become that item', () => {
    expect(groups({ and: [{ name: { eq: 'a' } }] })).toEqual({
      field: 'name',
      operator: '=',
      value: 'a',
    });
  });

  it('stay nested beside field conditions', () => {
    expect(
      groups({
        databaseId: { gt: 5 },
        and: [{ name: { eq: 'a' } }, { number: { eq: 'g1' } }],
      }),
    ).toEqual({
      condition: 'and',
      filters: [
        { field: 'id', operator: '>', value: 5 },
        {
          condition: 'and',
          filters: [
            { field: 'name', operator: '=', value: 'a' },
            { field: 'number', operator: '=', value: 'g1' },
          ],
        },
      ],
    });
  });

  it('drop items that constrain nothing', () => {
    expect(groups({ and: [{}, { name: { eq: 'a' } }, { number: null }] })).toEqual({
      field: 'name',
      operator: '=',
      value: 'a',
    });
  });

  it('that are empty constrain nothing', () => {
    expect(groups({ and: [] })).toBeUndefined();
  });
});

describe('or lists', () => {
  it('become an or tree', () => {
    expect(groups({ or: [{ name: { eq: 'a' } }, { number: { eq: 'g1' } }] })).toEqual({
      condition: 'or',
      filters: [
        { field: 'name', operator: '=', value: 'a' },
        { field: 'number', operator: '=', value: 'g1' },
      ],
    });
  });

  it('with a single alternative become that alternative', () => {
    expect(groups({ or: [{ number: { eq: 'g1' } }] })).toEqual({
      field: 'number',
      operator: '=',
      value: 'g1',
    });
  });

  it('are joined with and to sibling conditions', () => {
    expect(
      numbers({
        category: { eq: 'gold' },
        or: [{ locationMnemonic: { eq: 'msk' } }, { locationMnemonic: { eq: 'spb' } }],
      }),
    ).toEqual({
      condition: 'and',
      filters: [
        { field: 'category', operator: '=', value: 'gold' },
        {
          condition: 'or',
          filters: [
            { field: 'location_mnemonic', operator: '=', value: 'msk' },
            { field: 'location_mnemonic', operator: '=', value: 'spb' },
          ],
        },
      ],
    });
  });

  it('keep an alternative with several conditions as an and tree', () => {
    expect(
      groups({ or: [{ name: { eq: 'a' }, number: { eq: 'g1' } }, { databaseId: { eq: 2 } }] }),
    ).toEqual({
      condition: 'or',
      filters: [
        {
          condition: 'and',
          filters: [
            { field: 'name', operator: '=', value: 'a' },
            { field: 'number', operator: '=', value: 'g1' },
          ],
        },
        { field: 'id', operator: '=', value: 2 },
      ],
    });
  });

  it('that are empty are refused as bad input', () => {
    expect(refusal(() => groups({ or: [] }))).toEqual({
      code: 'BAD_USER_INPUT',
      message: '"or" needs at least one filter.',
      extensions: { code: 'BAD_USER_INPUT', argument: 'filter' },
    });
  });

  it('that are empty are refused even when nested', () => {
    expect(refusal(() => groups({ and: [{ name: { eq: 'a' } }, { or: [] }] })).code).toEqual(
      'BAD_USER_INPUT',
    );
  });

  it('with an alternative that constrains nothing constrain nothing', () => {
    expect(groups({ or: [{ name: { eq: 'a' } }, {}] })).toBeUndefined();
  });

  it('with an alternative testing emptiness keep it', () => {
    expect(groups({ or: [{ name: { eq: 'a' } }, { number: { eq: null } }] })).toEqual({
      filters: [
        { field: 'name', operator: '=', value: 'a' },
        { field: 'number', operator: '=', value: null },
      ],
      condition: 'or',
    });
  });

  it('that constrain nothing leave sibling conditions alone', () => {
    expect(groups({ databaseId: { lt: 9 }, or: [{}, { name: { eq: 'a' } }] })).toEqual({
      field: 'id',
      operator: '<',
      value: 9,
    });
  });
});

describe('nesting', () => {
  it('keeps an and inside an or', () => {
    expect(
      groups({
        or: [{ and: [{ name: { eq: 'a' } }, { number: { eq: 'g1' } }] }, { databaseId: { eq: 3 } }],
      }),
    ).toEqual({
      condition: 'or',
      filters: [
        {
          condition: 'and',
          filters: [
            { field: 'name', operator: '=', value: 'a' },
            { field: 'number', operator: '=', value: 'g1' },
          ],
        },
        { field: 'id', operator: '=', value: 3 },
      ],
    });
  });

  it('keeps three levels: and of or of and', () => {
    expect(
      numbers({
        and: [
          { category: { ne: 'usual' } },
          {
            or: [
              { locationMnemonic: { eq: 'msk' }, phoneNumber: { endsWith: '00' } },
              { locationMnemonic: { eq: 'spb' } },
            ],
          },
        ],
      }),
    ).toEqual({
      condition: 'and',
      filters: [
        { field: 'category', operator: '!=', value: 'usual' },
        {
          condition: 'or',
          filters: [
            {
              condition: 'and',
              filters: [
                { field: 'location_mnemonic', operator: '=', value: 'msk' },
                { field: 'phone_number', operator: 'like', value: '%00' },
              ],
            },
            { field: 'location_mnemonic', operator: '=', value: 'spb' },
          ],
        },
      ],
    });
  });

  it('keeps an or inside an or', () => {
    expect(
      groups({
        or: [{ or: [{ name: { eq: 'a' } }, { name: { eq: 'b' } }] }, { number: { eq: 'g1' } }],
      }),
    ).toEqual({
      condition: 'or',
      filters: [
        {
          condition: 'or',
          filters: [
            { field: 'name', operator: '=', value: 'a' },
            { field: 'name', operator: '=', value: 'b' },
          ],
        },
        { field: 'number', operator: '=', value: 'g1' },
      ],
    });
  });
});

describe('a filter that constrains nothing sends no filter', () => {
  const empty: readonly (readonly [string, FilterInput | null | undefined])[] = [
    ['null', null],
    ['undefined', undefined],
    ['an empty object', {}],
    ['a null field', { name: null }],
    ['a field with no operators', { name: {} }],
    ['null and/or lists', { and: null, or: null }],
    ['an and of empty objects', { and: [{}, {}] }],
  ];

  it.each(empty)('for %s', (_label, input) => {
    expect(groups(input)).toBeUndefined();
  });
});
