import type { EnumRef } from '@pothos/core';
import type { EnumType } from '../api/types.js';
import { builder } from './builder.js';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

const refs = new Map<string, EnumRef<Types, string>>();

/**
 * The GraphQL enum of an API enum. Its internal values are the API's spelling
 * (`GOLD` ↔ `gold`), so resolvers and translation never convert them.
 */
export function enumRefFor(type: EnumType): EnumRef<Types, string> {
  let ref = refs.get(type.name);
  if (!ref) {
    ref = builder.enumType(type.name, {
      description: type.description,
      values: Object.fromEntries(
        type.values.map((value) => [
          value.toUpperCase(),
          { value, description: `\`${value}\` in the Data API.` },
        ]),
      ),
    });
    refs.set(type.name, ref);
  }
  return ref;
}

export const OrderDirection = builder.enumType('OrderDirection', {
  description: 'Sort direction.',
  values: {
    ASC: { value: 'asc', description: 'Ascending.' },
    DESC: { value: 'desc', description: 'Descending.' },
  } as const,
});
