import { describe, expect, it } from 'vitest';
import type { OrderInput } from '../../../src/translate/sort.js';
import { availableVirtualNumbers } from '../../../src/api/index.js';
import { columnEntries } from '../../../src/api/types.js';
import { checkOrderBy, toApiSort } from '../../../src/translate/sort.js';
import { refusal } from '../../helpers/refusal.js';

describe('no ordering', () => {
  it('sends no sort for undefined', () => {
    expect(toApiSort(undefined)).toBeUndefined();
  });

  it('sends no sort for null', () => {
    expect(toApiSort(null)).toBeUndefined();
  });

  it('sends no sort for an empty list', () => {
    expect(toApiSort([])).toBeUndefined();
  });
});

describe('direction', () => {
  it('sends desc as desc', () => {
    expect(toApiSort([{ field: 'name', direction: 'desc' }])).toStrictEqual([
      { field: 'name', order: 'desc' },
    ]);
  });

  it('sends asc as asc', () => {
    expect(toApiSort([{ field: 'name', direction: 'asc' }])).toStrictEqual([
      { field: 'name', order: 'asc' },
    ]);
  });

  it('defaults a null direction to asc', () => {
    expect(toApiSort([{ field: 'min_charge', direction: null }])).toStrictEqual([
      { field: 'min_charge', order: 'asc' },
    ]);
  });

  it('defaults an absent direction to asc', () => {
    expect(toApiSort([{ field: 'phone_number' }])).toStrictEqual([
      { field: 'phone_number', order: 'asc' },
    ]);
  });
});

describe('several keys', () => {
  it('keeps the order of the keys and each key its own direction', () => {
    const orderBy: OrderInput[] = [
      { field: 'category', direction: 'desc' },
      { field: 'location_name' },
      { field: 'min_charge', direction: 'asc' },
      { field: 'phone_number', direction: 'desc' },
    ];
    expect(toApiSort(orderBy)).toStrictEqual([
      { field: 'category', order: 'desc' },
      { field: 'location_name', order: 'asc' },
      { field: 'min_charge', order: 'asc' },
      { field: 'phone_number', order: 'desc' },
    ]);
  });

  it('does not change the input', () => {
    const orderBy: OrderInput[] = [{ field: 'number', direction: null }, { field: 'id' }];
    toApiSort(orderBy);
    expect(orderBy).toStrictEqual([{ field: 'number', direction: null }, { field: 'id' }]);
  });
});

describe('bounds on orderBy', () => {
  const sortable = columnEntries(availableVirtualNumbers)
    .filter(([, spec]) => spec.sortable)
    .map(([field]) => ({ field }));

  it('accepts no orderBy at all', () => {
    expect(() => {
      checkOrderBy(availableVirtualNumbers, null);
      checkOrderBy(availableVirtualNumbers, undefined);
      checkOrderBy(availableVirtualNumbers, []);
    }).not.toThrow();
  });

  it('accepts every sortable field once, in any order', () => {
    expect(() => {
      checkOrderBy(availableVirtualNumbers, [...sortable].reverse());
    }).not.toThrow();
  });

  it('refuses one key more than the sortable fields, naming the limit', () => {
    expect(
      refusal(() => {
        checkOrderBy(availableVirtualNumbers, [...sortable, { field: 'phone_number' }]);
      }),
    ).toEqual({
      code: 'BAD_USER_INPUT',
      message: `"orderBy" has ${sortable.length + 1} keys; the limit is ${sortable.length} (the sortable fields of AvailableNumber).`,
      extensions: { code: 'BAD_USER_INPUT', argument: 'orderBy' },
    });
  });

  it('refuses a field sorted twice', () => {
    expect(
      refusal(() => {
        checkOrderBy(availableVirtualNumbers, [
          { field: 'min_charge' },
          { field: 'min_charge', direction: 'desc' },
        ]);
      }),
    ).toEqual({
      code: 'BAD_USER_INPUT',
      message: '"orderBy" sorts by MIN_CHARGE twice.',
      extensions: { code: 'BAD_USER_INPUT', argument: 'orderBy' },
    });
  });
});
