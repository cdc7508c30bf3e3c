/**
 * The total order every list call sends, and what the gateway does with it:
 * compare a cursor with rows in the API's order, or turn a cursor into a
 * filter (keyset) where the API can range-filter every sort key.
 */
import { compareCells } from '../api/order.js';
import type { MethodDescription } from '../api/types.js';
import type { ApiFilter, ApiSort, Row, SimpleFilter } from '../api/wire.js';
import type { OrderInput } from './sort.js';
import { toApiSort } from './sort.js';

/** A sort key's value in a row or a cursor; empty values are null. */
export type SortValue = string | number | null;

/**
 * `orderBy` (a field named twice counts once: the second could never decide),
 * then the method's key ascending unless `orderBy` has it. The key is unique,
 * so the order is total: without it rows that tie on `orderBy` come back in
 * any order on each call, and pages overlap. No `orderBy`: the key ascending.
 */
export function totalOrder(
  method: MethodDescription,
  orderBy: readonly OrderInput[] | null | undefined,
): ApiSort[] {
  const sort: ApiSort[] = [];
  for (const key of toApiSort(orderBy) ?? []) {
    if (!sort.some(({ field }) => field === key.field)) sort.push(key);
  }
  if (!sort.some(({ field }) => field === method.key))
    sort.push({ field: method.key, order: 'asc' });
  return sort;
}

/** The same keys, each in the other direction: the exact reverse order (nulls included). */
export function reverseSort(sort: readonly ApiSort[]): ApiSort[] {
  return sort.map(({ field, order }) => ({ field, order: order === 'asc' ? 'desc' : 'asc' }));
}

export function sortValues(row: Row, sort: readonly ApiSort[]): SortValue[] {
  return sort.map(({ field }) => {
    const value = row[field];
    return typeof value === 'string' || typeof value === 'number' ? value : null;
  });
}

/** Sign of `row` against a cursor's values, in the order of `sort` (see api/order.ts). */
export function compareWithValues(
  method: MethodDescription,
  sort: readonly ApiSort[],
  row: Row,
  values: readonly SortValue[],
): number {
  for (const [i, { field, order }] of sort.entries()) {
    const column = method.columns[field];
    if (!column) continue;
    const sign = compareCells(row[field] ?? null, values[i] ?? null, column.type);
    if (sign !== 0) return order === 'desc' ? -sign : sign;
  }
  return 0;
}

/**
 * Keyset paging needs `<`/`>` on every sort key: the API allows them on numbers
 * and iso8601 only (data-api.md), so e.g. groups by `id`, not numbers by
 * `phone_number`.
 */
export function keysetCapable(method: MethodDescription, sort: readonly ApiSort[]): boolean {
  return sort.every(({ field }) => {
    const column = method.columns[field];
    return column?.filterable === true && (column.type === 'int' || column.type === 'float');
  });
}

type Condition = ApiFilter | boolean;

function join(a: Condition, b: Condition, condition: 'and' | 'or'): Condition {
  const neutral = condition === 'and';
  if (a === neutral) return b;
  if (b === neutral) return a;
  if (typeof a === 'boolean') return a;
  if (typeof b === 'boolean') return b;
  const parts = (f: ApiFilter) => ('filters' in f && f.condition === condition ? f.filters : [f]);
  return { filters: [...parts(a), ...parts(b)], condition };
}

const simple = (field: string, operator: SimpleFilter['operator'], value: SortValue) => ({
  field,
  operator,
  value,
});

/**
 * The rows strictly after (or before) a cursor's values, as a filter: for keys
 * k1..kn, `k1 beyond v1 or (k1 = v1 and (k2 beyond v2 or ...))`. Nulls follow
 * api/order.ts (greater than any value); `= null`/`!= null` are the API's
 * emptiness tests. Only the key is known never to be empty.
 */
export function keysetFilter(
  method: MethodDescription,
  sort: readonly ApiSort[],
  values: readonly SortValue[],
  side: 'after' | 'before',
): ApiFilter {
  let rest: Condition = false;
  for (const [i, key] of [...sort.entries()].reverse()) {
    const value = values[i] ?? null;
    const ascending = (key.order === 'asc') === (side === 'after');
    const nullable = key.field !== method.key;
    let beyond: Condition;
    if (value === null) {
      beyond = ascending ? false : simple(key.field, '!=', null);
    } else if (ascending) {
      const greater = simple(key.field, '>', value);
      beyond = nullable ? join(greater, simple(key.field, '=', null), 'or') : greater;
    } else {
      beyond = simple(key.field, '<', value);
    }
    rest = join(beyond, join(simple(key.field, '=', value), rest, 'and'), 'or');
  }
  // Nothing can follow: "key is empty" matches no row, as every row has its key.
  return typeof rest === 'boolean' ? simple(method.key, '=', null) : rest;
}
