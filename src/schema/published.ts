/**
 * The two SDL files published in schema/ (written by `npm run codegen`,
 * checked for drift by `npm run schema:check`):
 *
 * - `schema.graphql`, the schema as clients see it: no federation internals
 *   (`_entities`, `_service`, `_Any`, `_Entity`, `_Service`, `@key`, `@link`),
 *   so plain graphql-js `buildSchema`, codegen and IDE plugins read it as is.
 * - `subgraph.graphql`, the Federation v2 subgraph: the served schema with its
 *   applied directives and the definitions of those directives, so it builds in
 *   graphql-js too, and composers read it as a subgraph.
 */
import type { GraphQLNamedType, GraphQLSchema } from 'graphql';
import {
  DirectiveLocation,
  GraphQLBoolean,
  GraphQLDirective,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema as Schema,
  GraphQLString,
} from 'graphql';

/** Query fields and types the federation spec adds for routers, not for clients. */
const FEDERATION_FIELDS = new Set(['_entities', '_service']);
const FEDERATION_TYPES = new Set(['_Any', '_Entity', '_Service']);

/** The served schema without what only a federation router uses. */
export function clientSchema(served: GraphQLSchema): GraphQLSchema {
  const query = served.getQueryType();
  if (!query) throw new Error('the schema has no Query type');
  const { fields, ...queryConfig } = query.toConfig();
  const clientQuery = new GraphQLObjectType({
    ...queryConfig,
    fields: Object.fromEntries(
      Object.entries(fields).filter(([name]) => !FEDERATION_FIELDS.has(name)),
    ),
  });
  const types = served.toConfig().types.flatMap((type): GraphQLNamedType[] => {
    if (type === query) return [clientQuery];
    return FEDERATION_TYPES.has(type.name) ? [] : [type];
  });
  const { directives } = served.toConfig();
  // Without extensions: they carry the schema's `@link`, which is federation's.
  return new Schema({ query: clientQuery, types, directives });
}

// Definitions of the directives a Federation v2 subgraph applies, as the
// federation and link specs write them (https://specs.apollo.dev/federation/v2.6).
const linkImport = new GraphQLScalarType({ name: 'link__Import' });
const linkPurpose = new GraphQLScalarType({
  name: 'link__Purpose',
  description: 'The role of a linked schema (SECURITY or EXECUTION).',
});
const fieldSet = new GraphQLScalarType({ name: 'federation__FieldSet' });

const link = new GraphQLDirective({
  name: 'link',
  isRepeatable: true,
  locations: [DirectiveLocation.SCHEMA],
  args: {
    url: { type: new GraphQLNonNull(GraphQLString) },
    as: { type: GraphQLString },
    for: { type: linkPurpose },
    import: { type: new GraphQLList(linkImport) },
  },
});

const key = new GraphQLDirective({
  name: 'key',
  isRepeatable: true,
  locations: [DirectiveLocation.OBJECT, DirectiveLocation.INTERFACE],
  args: {
    fields: { type: new GraphQLNonNull(fieldSet) },
    resolvable: { type: GraphQLBoolean, defaultValue: true },
  },
});

/** The served schema with definitions of the federation directives it applies. */
export function subgraphSchema(served: GraphQLSchema): GraphQLSchema {
  const config = served.toConfig();
  return new Schema({
    ...config,
    types: [...config.types, linkImport, linkPurpose, fieldSet],
    directives: [...config.directives, link, key],
  });
}
