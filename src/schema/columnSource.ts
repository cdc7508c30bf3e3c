/**
 * Resolvers that serve one column of a row as the API sent it (its value
 * checked, not changed), or the row's global id made from its key column.
 * Marked here so a page whose selection is only such fields can be written
 * from the reply's bytes (http/plugins/rowsFromBytes.ts): what each field
 * shows is then known from its resolver, not re-derived beside it.
 */
import type { ColumnType, EnumType, ScalarType } from '../api/types.js';

export type ColumnSource =
  /** The column's value, checked against its type (null allowed when `nullable`). */
  | {
      readonly kind: 'column';
      readonly column: string;
      readonly type: ScalarType | EnumType;
      readonly nullable: boolean;
    }
  /** `encodeGlobalID(typeName, key)` of the key column's value (never null). */
  | {
      readonly kind: 'global id';
      readonly column: string;
      readonly type: ColumnType;
      readonly typeName: string;
    };

const sources = new WeakMap<object, ColumnSource>();

export function readsColumn<F extends (parent: never) => unknown>(
  resolve: F,
  source: ColumnSource,
): F {
  sources.set(resolve, source);
  return resolve;
}

export function columnSourceOf(resolve: unknown): ColumnSource | undefined {
  return typeof resolve === 'function' ? sources.get(resolve) : undefined;
}
