import type { ObjectRef } from '@pothos/core';
import type { Selection } from '@pothos/plugin-federation';
import { selectionShapeKey } from '@pothos/plugin-federation';
import type { GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import type { MethodDescription } from '../api/types.js';
import type { Row } from '../api/wire.js';
import type { GatewayContext } from './context.js';
import { entityKeyField } from '../plan/lookupFields.js';
import { resolveEntities } from './resolveEntities.js';
import { builder } from './builder.js';
import { planned } from './planned.js';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** What a router sends in `_entities(representations:)`: `__typename` and the key field. */
type Representation = Readonly<Record<string, unknown>>;

/**
 * The Federation spec this subgraph links: the plugin's current default, pinned
 * so that a plugin upgrade cannot change what routers see without a schema diff.
 */
export const FEDERATION_SPEC = 'https://specs.apollo.dev/federation/v2.6';

/**
 * `builder.selection` wants the key's field names as a string literal type;
 * ours come from the method description at run time, so the selection is
 * spelled out (it is only the field text plus a type-level shape).
 */
function keySelection(field: string): Selection<Representation> {
  return { selection: field, [selectionShapeKey]: {} };
}

/**
 * The library's per-reference resolver, which only its own `_entities`
 * resolver calls; ours (below) replaces that, so this is never reached.
 */
function resolveReference(
  _representation: Representation,
  _ctx: GatewayContext,
  info: GraphQLResolveInfo,
): Promise<Row | null> {
  return Promise.reject(new Error(`unreachable: resolveReference from ${info.fieldName}`));
}

/**
 * Makes a row type a federation entity keyed by its method's key column, so
 * other subgraphs can reference and extend it. References are resolved by the
 * operation's plan (plan/lookupFields.ts): N references of one type in one `_entities` field
 * cost one API call (an `in` filter on the key), with the selected columns only.
 */
export function defineEntity(method: MethodDescription, ref: ObjectRef<Types, Row>): void {
  builder.asEntity(ref, { key: keySelection(entityKeyField(method)), resolveReference });
}

/**
 * The schema the gateway serves: the plain schema plus `_service { sdl }` and
 * `_entities`, with `@link`/`@key` on it, types sorted so the printed SDL diffs
 * cleanly. Call once every type module has registered on the builder.
 */
export function buildSubgraphSchema(): GraphQLSchema {
  const schema = builder.toSubGraphSchema({ linkUrl: FEDERATION_SPEC });
  const entities = schema.getQueryType()?.getFields()._entities;
  if (!entities) throw new Error('the subgraph schema has no _entities field');
  // The library's resolver throws for the whole list at the first unknown
  // __typename (after the references before it queued their calls) and works
  // out each reference's selection anew; ours answers each one on its own.
  entities.resolve = (_root, _args, ctx: GatewayContext, info) =>
    resolveEntities(planned(ctx, info, 'lookup'), ctx.calls);
  return schema;
}
