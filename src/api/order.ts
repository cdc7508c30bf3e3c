/**
 * How the Data API orders values in a `sort`. The docs say nothing beyond
 * "asc"/"desc", so this is an assumption, written once and shared by the
 * emulator (which sorts with it) and the gateway (which compares a cursor with
 * rows it fetched): PostgreSQL's defaults, i.e. a null is greater than every
 * value (last on `asc`, first on `desc`), strings compare by code unit (C
 * collation), enums by declaration order, numbers numerically. The gateway
 * only relies on it when a cursor's own row has left the list; while the row
 * is there it is found by its key, whatever the API's collation.
 */
import type { ColumnType } from './types.js';
import { isEnumType } from './types.js';

export function compareCells(a: unknown, b: unknown, type: ColumnType): number {
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  if (aNull || bNull) return aNull === bNull ? 0 : aNull ? 1 : -1;
  if (isEnumType(type) && typeof a === 'string' && typeof b === 'string') {
    return type.values.indexOf(a) - type.values.indexOf(b);
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return 0;
}
