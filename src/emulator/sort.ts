/**
 * `sort` param → row comparator, in the value order of `api/order.ts`
 * (PostgreSQL's defaults). Ties keep the order the rows arrive in: the table
 * order, or a shuffled one when the emulator plays the real API.
 */
import { compareCells } from '../api/order.js';
import type { ColumnType, MethodDescription } from '../api/types.js';
import type { Row } from '../api/wire.js';
import { EmulatorError } from './errors.js';
import { isRecord } from './json.js';

export type Comparator = (a: Row, b: Row) => number;

const SORT_KEYS: ReadonlySet<string> = new Set(['field', 'order']);

interface SortKey {
  readonly field: string;
  readonly type: ColumnType;
  readonly descending: boolean;
}

export function compileSort(method: MethodDescription, raw: unknown): Comparator {
  if (!Array.isArray(raw))
    throw new EmulatorError('data_type_error', { field: 'sort', value: raw });
  const items: readonly unknown[] = raw;
  const keys = items.map((item) => sortKey(method, item));
  return (a, b) => {
    for (const key of keys) {
      const order = compareCells(a[key.field], b[key.field], key.type);
      if (order !== 0) return key.descending ? -order : order;
    }
    return 0;
  };
}

function sortKey(method: MethodDescription, item: unknown): SortKey {
  if (!isRecord(item)) throw new EmulatorError('data_type_error', { field: 'sort', value: item });
  for (const key of Object.keys(item)) {
    if (!SORT_KEYS.has(key))
      throw new EmulatorError('unexpected_parameters', { field: 'sort', value: key });
  }
  const { field, order } = item;
  if (field === undefined) {
    throw new EmulatorError('required_parameter_missed', { field: 'sort.field' });
  }
  if (typeof field !== 'string') {
    throw new EmulatorError('data_type_error', { field: 'sort.field', value: field });
  }
  const column = Object.hasOwn(method.columns, field) ? method.columns[field] : undefined;
  if (column === undefined) {
    throw new EmulatorError('unexpected_parameters', { field: 'sort.field', value: field });
  }
  if (column.sortable !== true) {
    throw new EmulatorError('sort_prohibited', { field: 'sort.field', value: field });
  }
  if (order !== undefined && order !== 'asc' && order !== 'desc') {
    throw new EmulatorError('invalid_parameter_value', { field: 'sort.order', value: order });
  }
  return { field, type: column.type, descending: order === 'desc' };
}
