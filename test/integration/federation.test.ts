import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import type { GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph, serviceSdl } from '../../examples/federation/compose.js';
import type { Team } from '../../examples/federation/teams.js';
import { createTeamsSchema, TEAMS_SDL } from '../../examples/federation/teams.js';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { TABLES } from '../../src/emulator/data.js';
import { schema } from '../../src/schema/index.js';
import { AVAILABLE, GROUPS, useStack } from '../helpers/stack.js';

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[] }[];
}

async function post(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<GraphQLBody> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLBody;
}

/** What composition reads from a running subgraph, as `rover` or a registry would. */
async function fetchServiceSdl(url: string): Promise<string> {
  const { data } = await post(url, '{ _service { sdl } }', undefined, {
    authorization: `Bearer ${DEMO_TOKEN}`,
  });
  const sdl = (data?._service as { sdl?: unknown } | undefined)?.sdl;
  if (typeof sdl !== 'string') throw new Error(`${url}: no _service.sdl`);
  return sdl;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
}

const groupRows = TABLES.get(GROUPS) ?? [];
const numberRows = TABLES.get(AVAILABLE) ?? [];
// The emulator seeds ids in increasing order with gaps; take the first six.
const groupIds = groupRows.slice(0, 6).map((row) => row.id as number);
const [g0, g1, g2, g3, g4, g5] = groupIds;
if (g0 === undefined || g1 === undefined || g2 === undefined) throw new Error('no seeded groups');
if (g3 === undefined || g4 === undefined || g5 === undefined) throw new Error('no seeded groups');
const TEAMS: Team[] = [
  { name: 'Sales', groupIds: [g0, g1, g2] },
  // g4 has no team.
  { name: 'Support', groupIds: [g3, g5] },
];
const groupById = new Map(groupRows.map((row) => [row.id, row]));

// The gateway runs without a default token: each request's token has to come
// through the router, as in production behind one.
const stack = useStack({ gateway: { dataApiToken: undefined } });
const auth = { authorization: `Bearer ${DEMO_TOKEN}` };
let teamsServer: Server;
let routerServer: Server;
let router: GatewayRuntime;
let routerUrl: string;

beforeAll(async () => {
  const teams = createYoga({
    schema: createTeamsSchema(TEAMS),
    graphqlEndpoint: '/graphql',
    logging: false,
  });
  // Yoga's handler returns a promise that settles when the response is sent.
  teamsServer = createServer((req, res) => void teams(req, res));
  const teamsUrl = await listen(teamsServer);
  const supergraph = composeSupergraph([
    { name: 'data-api', url: stack().url, sdl: await fetchServiceSdl(stack().url) },
    { name: 'teams', url: teamsUrl, sdl: await fetchServiceSdl(teamsUrl) },
  ]);
  router = createGatewayRuntime({
    supergraph,
    logging: false,
    // Subgraph errors reach the client as they are, for the assertions below.
    maskedErrors: false,
    // The Hive Gateway CLI bundles its transports; the runtime alone needs them named.
    transports: { http: import('@graphql-mesh/transport-http') },
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({
        authorization: request.headers.get('authorization'),
      }),
    },
  });
  routerServer = createServer((req, res) => void router(req, res));
  routerUrl = await listen(routerServer);
});

afterAll(async () => {
  await close(routerServer);
  await router.dispose();
  await close(teamsServer);
});

describe('the subgraph', () => {
  it('serves its SDL with @key on the key column of each method, without calling the API', async () => {
    const sdl = await fetchServiceSdl(stack().url);
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.6"');
    expect(sdl).toMatch(/type VirtualNumberGroup implements Node\s+@key\(fields: "databaseId"\)/);
    expect(sdl).toMatch(/type AvailableNumber implements Node\s+@key\(fields: "phoneNumber"\)/);
    expect(sdl).not.toContain('_entities');
    expect(stack().calls()).toHaveLength(0);
  });

  it('resolves _entities of both types in order, one call per type, null for unknown keys and BAD_USER_INPUT for malformed ones', async () => {
    const number = numberRows[0]?.phone_number as string;
    const representations = [
      { __typename: 'VirtualNumberGroup', databaseId: g1 },
      { __typename: 'AvailableNumber', phoneNumber: number },
      // Some routers pass Int keys through as text.
      { __typename: 'VirtualNumberGroup', databaseId: String(g0) },
      { __typename: 'AvailableNumber', phoneNumber: '70000000000' },
      { __typename: 'VirtualNumberGroup', databaseId: 'not a number' },
      { __typename: 'VirtualNumberGroup', databaseId: g1 },
    ];
    const { body } = await stack().query(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          __typename
          ... on VirtualNumberGroup { databaseId name }
          ... on AvailableNumber { phoneNumber category }
        }
      }`,
      { representations },
      auth,
    );
    expect(body.errors).toEqual([
      expect.objectContaining({
        path: ['_entities', 4],
        extensions: { code: 'BAD_USER_INPUT', argument: 'representations' },
      }),
    ]);
    const group = (id: number) => ({
      __typename: 'VirtualNumberGroup',
      databaseId: id,
      name: groupById.get(id)?.name,
    });
    expect(body.data?._entities).toEqual([
      group(g1),
      {
        __typename: 'AvailableNumber',
        phoneNumber: number,
        category: String(numberRows[0]?.category).toUpperCase(),
      },
      group(g0),
      null,
      null,
      group(g1),
    ]);
    expect(stack().calls(GROUPS)).toHaveLength(1);
    expect(stack().calls(GROUPS)[0]?.params).toMatchObject({
      filter: { field: 'id', operator: 'in', value: [g1, g0] },
      limit: 2,
      fields: ['id', 'name'],
    });
    expect(stack().calls(AVAILABLE)).toHaveLength(1);
    expect(stack().calls(AVAILABLE)[0]?.params).toMatchObject({
      filter: { field: 'phone_number', operator: 'in', value: [number, '70000000000'] },
      fields: ['phone_number', 'category'],
    });
  });
});

describe('composed with a second subgraph behind Hive Gateway', () => {
  it('resolves N group references from the other subgraph with one API call', async () => {
    const body = await post(
      routerUrl,
      `{ teams { name groups { databaseId name number owningTeam { name } } } }`,
      undefined,
      auth,
    );
    expect(body.errors).toBeUndefined();
    const group = (id: number, team: string) => ({
      databaseId: id,
      name: groupById.get(id)?.name,
      number: groupById.get(id)?.number,
      owningTeam: { name: team },
    });
    expect(body.data).toEqual({
      teams: [
        { name: 'Sales', groups: [group(g0, 'Sales'), group(g1, 'Sales'), group(g2, 'Sales')] },
        { name: 'Support', groups: [group(g3, 'Support'), group(g5, 'Support')] },
      ],
    });
    const calls = stack().calls(GROUPS);
    expect(calls).toHaveLength(1);
    const params = calls[0]?.params as { filter: { value: number[] }; fields: string[] };
    expect(params.filter).toMatchObject({ field: 'id', operator: 'in' });
    expect([...params.filter.value].sort((a, b) => a - b)).toEqual([g0, g1, g2, g3, g5]);
    // Only the columns the query selected on this subgraph's fields.
    expect([...params.fields].sort()).toEqual(['id', 'name', 'number']);
  });

  it("adds the other subgraph's field to a page of groups listed here", async () => {
    const body = await post(
      routerUrl,
      `{
        virtualNumberGroups(first: 6, orderBy: [{ field: DATABASE_ID }]) {
          totalCount
          nodes { databaseId name owningTeam { name } }
        }
      }`,
      undefined,
      auth,
    );
    expect(body.errors).toBeUndefined();
    const team = (id: number) => TEAMS.find((t) => t.groupIds.includes(id));
    expect(body.data?.virtualNumberGroups).toEqual({
      totalCount: groupRows.length,
      nodes: groupIds.map((id) => ({
        databaseId: id,
        name: groupById.get(id)?.name,
        owningTeam: team(id) ? { name: team(id)?.name } : null,
      })),
    });
    expect(stack().calls(GROUPS)).toHaveLength(1);
    expect(stack().calls(GROUPS)[0]?.params).toMatchObject({ offset: 0, limit: 6 });
  });

  it("passes this subgraph's errors through the router: no token, no call", async () => {
    const body = await post(routerUrl, `{ teams { groups { name } } }`);
    expect(body.errors?.[0]?.message).toMatch(/token/i);
    expect(stack().calls(GROUPS)).toHaveLength(0);
  });
});

describe('composition', () => {
  it('fails with the composition errors when the subgraphs disagree', async () => {
    const sdl = await serviceSdl(schema);
    const conflicting = TEAMS_SDL.replace('databaseId: Int!', 'databaseId: String!');
    expect(conflicting).not.toBe(TEAMS_SDL);
    expect(() =>
      composeSupergraph([
        { name: 'data-api', url: 'http://127.0.0.1:1/graphql', sdl },
        { name: 'teams', url: 'http://127.0.0.1:2/graphql', sdl: conflicting },
      ]),
    ).toThrow(/supergraph composition failed:\n {2}- .*databaseId/);
  });

  it('`npm run supergraph` prints the example supergraph', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'supergraph'], {
      env: {
        ...process.env,
        DATA_API_SUBGRAPH_URL: 'http://data-api.internal/graphql',
        TEAMS_SUBGRAPH_URL: 'http://teams.internal/graphql',
      },
    });
    expect(stdout).toMatch(/^schema @link/);
    expect(stdout).toContain(
      '@join__graph(name: "data-api", url: "http://data-api.internal/graphql")',
    );
    expect(stdout).toContain('@join__graph(name: "teams", url: "http://teams.internal/graphql")');
    expect(stdout).toContain('@join__type(graph: TEAMS, key: "databaseId")');
  });
});
