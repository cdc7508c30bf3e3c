import type { EnumRef, InputObjectRef } from '@pothos/core';
import type { ColumnType } from '../api/types.js';
import { isEnumType } from '../api/types.js';
import type { FilterKind } from '../translate/operators.js';
import { FILTER_OPERATORS, OPERATORS_BY_KIND, filterKindOf } from '../translate/operators.js';
import { builder } from './builder.js';
import { enumRefFor } from './enums.js';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
export type FilterInputRef = InputObjectRef<Types, Record<string, unknown>>;

const SCALAR_NAMES = { string: 'String', int: 'Int', float: 'Float' } as const;

const refs = new Map<string, FilterInputRef>();

/**
 * The shared filter input for a column type (`StringFilter`, `IntFilter`,
 * `NumberCategoryFilter`...), created on first use so that the schema only
 * holds the ones some method needs. Operators come from OPERATORS_BY_KIND.
 */
export function filterInputFor(type: ColumnType): FilterInputRef | undefined {
  const kind: FilterKind | undefined = filterKindOf(type);
  if (!kind) return undefined;
  const valueType: EnumRef<Types, string> | 'String' | 'Int' | 'Float' = isEnumType(type)
    ? enumRefFor(type)
    : SCALAR_NAMES[kind as keyof typeof SCALAR_NAMES];
  const name = `${isEnumType(type) ? type.name : (valueType as string)}Filter`;
  const existing = refs.get(name);
  if (existing) return existing;

  const ref = builder.inputRef<Record<string, unknown>>(name).implement({
    description: `Conditions on a ${isEnumType(type) ? type.name : (valueType as string)} field; several are joined with "and".`,
    fields: (t) =>
      Object.fromEntries(
        OPERATORS_BY_KIND[kind].map((op) => {
          const spec = FILTER_OPERATORS[op];
          const description = spec.description;
          if (spec.arity === 'flag') return [op, t.boolean({ description })];
          if (spec.arity === 'list') {
            return [
              op,
              t.field({ type: [valueType], required: { list: false, items: true }, description }),
            ];
          }
          return [op, t.field({ type: valueType, description })];
        }),
      ),
  });
  refs.set(name, ref);
  return ref;
}
