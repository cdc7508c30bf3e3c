/**
 * The TypeScript type of one row, derived from a method description, so the
 * seeded tables are checked against the columns instead of restating them.
 */
import type { MethodDescription } from '../api/types.js';

type ScalarValue<T> = T extends 'string' | 'code'
  ? string
  : T extends 'int' | 'float'
    ? number
    : never;

type ColumnValue<T> = T extends { readonly kind: 'enum'; readonly values: readonly (infer V)[] }
  ? V | null
  : T extends { readonly kind: 'objectList'; readonly fields: infer F }
    ? // Empty lists come back as `[]`, never `null` (data-api.md, "Transport").
      readonly {
        readonly [K in keyof F]: F[K] extends { readonly type: infer S } ? ScalarValue<S> : never;
      }[]
    : ScalarValue<T> | null;

export type RowOf<M extends MethodDescription> = {
  readonly [K in keyof M['columns']]: M['columns'][K] extends { readonly type: infer T }
    ? ColumnValue<T>
    : never;
};
