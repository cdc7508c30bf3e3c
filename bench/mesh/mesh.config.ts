// GraphQL Mesh v1 composition config: wraps the JSON-RPC 2.0 Data API (v2.0) as a
// JSON-Schema subgraph. `mesh-compose -o supergraph.graphql` writes the supergraph
// that `hive-gateway supergraph` serves.
import { defineConfig } from '@graphql-mesh/compose-cli';
import { loadJSONSchemaSubgraph } from '@omnigraph/json-schema';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  valueFromASTUntyped,
} from 'graphql';

const endpoint = process.env.DATA_API_URL ?? 'http://127.0.0.1:18555';

// The JSON-Schema loader only creates GraphQL arguments for `{args.x}` placeholders
// found in `path`, `headers` or `queryParams`; placeholders inside `requestBaseBody`
// do NOT declare arguments (and `argTypeMap` alone declares nothing). For a POST-only
// JSON-RPC API the args therefore have to be added at composition time; this small
// subgraph transform does that. requestBaseBody below then copies them into `params`
// (a placeholder that is the whole string keeps its JSON type).
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
    [MapperKind.ROOT_FIELD]: (fieldConfig) => ({
      ...fieldConfig,
      args: { ...fieldConfig.args, ...rpcArgs() },
    }),
  });
}

const rpcBody = (method: string) => ({
  jsonrpc: '2.0',
  id: 1,
  method,
  // access_token comes from the x-access-token request header
  'params.access_token': '{context.headers.x-access-token}',
  'params.user_id': '{args.user_id}',
  'params.limit': '{args.limit}',
  'params.offset': '{args.offset}',
  'params.filter': '{args.filter}',
  'params.sort': '{args.sort}',
  'params.fields': '{args.fields}',
});

export const composeConfig = defineConfig({
  subgraphs: [
    {
      sourceHandler: loadJSONSchemaSubgraph('DataAPI', {
        endpoint,
        operationHeaders: { 'Content-Type': 'application/json' },
        operations: [
          {
            type: 'Query',
            field: 'availableNumbers',
            description: 'get.available_virtual_numbers',
            path: '/v2.0',
            method: 'POST',
            requestBaseBody: rpcBody('get.available_virtual_numbers'),
            responseSchema: './json-schemas/data-api.json#/definitions/AvailableNumbersResponse',
          },
          {
            type: 'Query',
            field: 'virtualNumberGroups',
            description: 'get.virtual_number_groups',
            path: '/v2.0',
            method: 'POST',
            requestBaseBody: rpcBody('get.virtual_number_groups'),
            responseSchema: './json-schemas/data-api.json#/definitions/VirtualNumberGroupsResponse',
          },
        ],
      }),
      transforms: [addRpcArgs],
    },
  ],
});
