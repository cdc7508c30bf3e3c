import type { InputFieldRef, InputObjectRef } from '@pothos/core';
import type { ColumnType } from '../api/types.js';
import type { FilterValue } from '../api/wire.js';
import { isEnumType } from '../api/types.js';
import type { FilterKind } from '../translate/operators.js';
import { FILTER_OPERATORS, OPERATORS_BY_KIND, filterKindOf } from '../translate/operators.js';
import { builder } from './builder.js';
import { enumRefFor } from './enums.js';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
export type FilterInputRef = InputObjectRef<Types, Record<string, unknown>>;

/** Filter input name (`<name>Filter`) and GraphQL value type of each scalar kind. */
const SCALAR_NAMES = { string: 'String', code: 'Code', int: 'Int', float: 'Float' } as const;
const VALUE_TYPES = { string: 'String', code: 'String', int: 'Int', float: 'Float' } as const;

const refs = new Map<string, FilterInputRef>();

/**
 * The shared filter input for a column type (`StringFilter`, `IntFilter`,
 * `NumberCategoryFilter`...), created on first use so that the schema only
 * holds the ones some method needs. Operators come from OPERATORS_BY_KIND.
 */
export function filterInputFor(type: ColumnType): FilterInputRef | undefined {
  const kind: FilterKind | undefined = filterKindOf(type);
  if (!kind) return undefined;
  const typeName = isEnumType(type) ? type.name : SCALAR_NAMES[kind as keyof typeof SCALAR_NAMES];
  const valueType = isEnumType(type)
    ? enumRefFor(type)
    : VALUE_TYPES[kind as keyof typeof VALUE_TYPES];
  const name = `${typeName}Filter`;
  const existing = refs.get(name);
  if (existing) return existing;

  const ref = builder.inputRef<Record<string, unknown>>(name).implement({
    description:
      kind === 'code'
        ? 'Conditions on a code field (an enum whose values the Data API does not list, e.g. region codes): the enum operators only; several are joined with "and".'
        : `Conditions on a ${typeName} field; several are joined with "and".`,
    fields: (t) => {
      const fields: Record<string, InputFieldRef<Types, FilterValue | null | undefined>> = {};
      for (const op of OPERATORS_BY_KIND[kind]) {
        const { arity, description } = FILTER_OPERATORS[op];
        fields[op] =
          arity === 'flag'
            ? t.boolean({ description })
            : arity === 'list'
              ? t.field({ type: [valueType], required: { list: false, items: true }, description })
              : t.field({ type: valueType, description });
      }
      return fields;
    },
  });
  refs.set(name, ref);
  return ref;
}
