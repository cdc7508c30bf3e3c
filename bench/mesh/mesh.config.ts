// GraphQL Mesh v1 composition config: wraps the JSON-RPC 2.0 Data API (v2.0) as a JSON-Schema
// subgraph; `mesh-compose -o supergraph.graphql` writes the supergraph `hive-gateway supergraph` serves.
import { defineConfig } from '@graphql-mesh/compose-cli';
import { loadJSONSchemaSubgraph } from '@omnigraph/json-schema';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { GraphQLInt, GraphQLList, GraphQLNonNull, GraphQLScalarType, GraphQLSchema } from 'graphql';
import { GraphQLString, valueFromASTUntyped } from 'graphql';

const endpoint = process.env.DATA_API_URL ?? 'http://127.0.0.1:18555';

// The JSON-Schema loader only declares GraphQL arguments for `{args.x}` placeholders in `path`,
// `headers` or `queryParams`, never in `requestBaseBody` (nor from `argTypeMap` alone). For a
// POST-only JSON-RPC API they are added at composition time by this transform; requestBaseBody
// then copies them into `params` (a placeholder that is the whole string keeps its JSON type).
const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value, passed to the Data API as is',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: (ast, vars) => valueFromASTUntyped(ast, vars),
});

const rpcArgs = () => ({
  limit: { type: GraphQLInt, description: 'rows to return (API default 1000, max 10000)' },
  offset: { type: GraphQLInt, description: 'index of the first row (max 100000)' },
  filter: { type: JSONScalar, description: 'Data API filter object, passed through' },
  sort: { type: JSONScalar, description: 'Data API sort array [{field, order}], passed through' },
  fields: {
    type: new GraphQLList(new GraphQLNonNull(GraphQLString)),
    description: 'columns to return',
  },
  user_id: { type: GraphQLInt, description: 'agents only: act for this customer' },
});

function addRpcArgs(schema: GraphQLSchema): GraphQLSchema {
  const cfg = schema.toConfig();
  const withJSON = new GraphQLSchema({ ...cfg, types: [...cfg.types, JSONScalar] });
  return mapSchema(withJSON, {
    [MapperKind.ROOT_FIELD]: (field) => ({ ...field, args: { ...field.args, ...rpcArgs() } }),
  });
}

// Each operation: its Query field, JSON-RPC method and response schema. The access token comes
// from the x-access-token request header; every other param from the field's arguments.
const operations = [
  ['availableNumbers', 'get.available_virtual_numbers', 'AvailableNumbersResponse'],
  ['virtualNumberGroups', 'get.virtual_number_groups', 'VirtualNumberGroupsResponse'],
].map(([field, method, response]) => ({
  type: 'Query' as const,
  field,
  description: method,
  path: '/v2.0',
  method: 'POST' as const,
  requestBaseBody: {
    jsonrpc: '2.0',
    id: 1,
    method,
    'params.access_token': '{context.headers.x-access-token}',
    ...Object.fromEntries(
      ['user_id', 'limit', 'offset', 'filter', 'sort', 'fields'].map((p) => [
        `params.${p}`,
        `{args.${p}}`,
      ]),
    ),
  },
  responseSchema: `./json-schemas/data-api.json#/definitions/${response}`,
}));

export const composeConfig = defineConfig({
  subgraphs: [
    {
      sourceHandler: loadJSONSchemaSubgraph('DataAPI', {
        endpoint,
        operationHeaders: { 'Content-Type': 'application/json' },
        operations,
      }),
      transforms: [addRpcArgs],
    },
  ],
});
