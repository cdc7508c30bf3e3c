import type { ObjectRef } from '@pothos/core';
import type { Selection } from '@pothos/plugin-federation';
import { selectionShapeKey } from '@pothos/plugin-federation';
import type { GraphQLSchema } from 'graphql';
import type { MethodDescription } from '../api/types.js';
import { graphqlFieldName } from '../api/types.js';
import type { Row } from '../api/wire.js';
import { resolveEntity } from '../resolvers/node.js';
import { builder } from './builder.js';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** What a router sends in `_entities(representations:)`: `__typename` and the key field. */
type Representation = Readonly<Record<string, unknown>>;

/**
 * The Federation spec this subgraph links: the plugin's current default, pinned
 * so that a plugin upgrade cannot change what routers see without a schema diff.
 */
export const FEDERATION_SPEC = 'https://specs.apollo.dev/federation/v2.6';

/** The GraphQL field backing the method's key column: `databaseId`, `phoneNumber`. */
export function entityKeyField(method: MethodDescription): string {
  const spec = method.columns[method.key];
  if (!spec) throw new Error(`${method.method}: key column ${method.key} is not described`);
  return graphqlFieldName(method.key, spec);
}

/**
 * `builder.selection` wants the key's field names as a string literal type;
 * ours come from the method description at run time, so the selection is
 * spelled out (it is only the field text plus a type-level shape).
 */
function keySelection(field: string): Selection<Representation> {
  return { selection: field, [selectionShapeKey]: {} };
}

/**
 * Makes a row type a federation entity keyed by its method's key column, so
 * other subgraphs can reference and extend it. References are resolved by the
 * request's node loader: N references of one type in one `_entities` field
 * cost one API call (an `in` filter on the key), with the selected columns only.
 */
export function defineEntity(method: MethodDescription, ref: ObjectRef<Types, Row>): void {
  const keyField = entityKeyField(method);
  builder.asEntity(ref, {
    key: keySelection(keyField),
    resolveReference: (representation, ctx, info) =>
      resolveEntity(method, representation[keyField], ctx, info),
  });
}

/**
 * The schema the gateway serves: the plain schema plus `_service { sdl }` and
 * `_entities`, with `@link`/`@key` on it, types sorted so the printed SDL diffs
 * cleanly. Call once every type module has registered on the builder.
 */
export function buildSubgraphSchema(): GraphQLSchema {
  return builder.toSubGraphSchema({ linkUrl: FEDERATION_SPEC });
}
