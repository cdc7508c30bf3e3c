import { describe, expect, it } from 'vitest';
import { rowWidth, virtualNumberGroups } from '../../src/api/index.js';
import { loadConfig } from '../../src/config/config.js';
import { TABLES } from '../../src/emulator/data.js';
import type { GraphQLResponse, Stack } from '../helpers/stack.js';
import { AVAILABLE, GROUPS, startStack, useStack } from '../helpers/stack.js';

const defaults = loadConfig({}).limits;
const stack = useStack();

const groupRows = TABLES.get(GROUPS) ?? [];
const groupIds = groupRows.map((row) => row.id as number);
const nameOf = (id: number) => groupRows.find((row) => row.id === id)?.name ?? null;
const phoneNumbers = (TABLES.get(AVAILABLE) ?? []).map((row) => row.phone_number as string);
const [g0, g1, g2] = groupIds;
const [n0] = phoneNumbers;
if (g0 === undefined || g1 === undefined || g2 === undefined || n0 === undefined)
  throw new Error('no seeded rows');

const ENTITIES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ... on VirtualNumberGroup {
        databaseId
        name
      }
      ... on AvailableNumber {
        phoneNumber
      }
    }
  }
`;

const group = (databaseId: unknown) => ({ __typename: 'VirtualNumberGroup', databaseId });
const number = (phoneNumber: unknown) => ({ __typename: 'AvailableNumber', phoneNumber });

function entities(s: Stack, representations: unknown[], query = ENTITIES) {
  return s.query(query, { representations });
}

/** Every error's code, path and message, for exact assertions. */
function errorsOf(r: GraphQLResponse) {
  return (r.body.errors ?? []).map((e) => ({
    code: e.extensions?.code,
    path: e.path,
    message: e.message,
  }));
}

async function withStack(
  gateway: Parameters<typeof startStack>[0],
  run: (s: Stack) => Promise<void>,
): Promise<void> {
  const local = await startStack(gateway);
  try {
    await run(local);
  } finally {
    await local.close();
  }
}

describe('_entities: each bad representation is BAD_USER_INPUT at its own index, without a call', () => {
  it('answers the good references around unknown types, missing, malformed and over-long keys', async () => {
    const longKey = '7'.repeat(defaults.maxStringInput + 1);
    const representations = [
      group(g0),
      { __typename: 'Nope', databaseId: g0 },
      number(n0),
      { databaseId: g1 },
      'not an object',
      { __typename: 'VirtualNumberGroup' },
      group('12x'),
      group(1.5),
      number(42),
      number(longKey),
      { __typename: `Q${'x'.repeat(1000)}` },
      group(g1),
    ];
    const r = await entities(stack(), representations);
    expect(r.status).toBe(200);
    expect(r.body.data?._entities).toEqual([
      { ...group(g0), name: nameOf(g0) },
      null,
      { __typename: 'AvailableNumber', phoneNumber: n0 },
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      { ...group(g1), name: nameOf(g1) },
    ]);
    const bad = (index: number, message: RegExp) => ({
      code: 'BAD_USER_INPUT',
      path: ['_entities', index],
      message: expect.stringMatching(message) as unknown,
    });
    expect(errorsOf(r)).toEqual([
      bad(1, /^"Nope" is not an entity type of this subgraph\.$/),
      bad(3, /object with a "__typename"/),
      bad(4, /object with a "__typename"/),
      bad(5, /needs its key "databaseId"/),
      bad(6, /"databaseId" must be an integer/),
      bad(7, /"databaseId" must be an integer/),
      bad(8, /"phoneNumber" must be a string/),
      bad(9, /is 257 characters long; the limit is 256 \(MAX_STRING_INPUT\)/),
      bad(10, /^The __typename is not an entity type/),
    ]);
    // The good references of each type: one call each, with the good keys only.
    expect(stack().calls(GROUPS)).toHaveLength(1);
    expect(stack().calls(GROUPS)[0]?.params).toMatchObject({
      filter: { field: 'id', operator: 'in', value: [g0, g1] },
    });
    expect(stack().calls(AVAILABLE)).toHaveLength(1);
    expect(stack().calls(AVAILABLE)[0]?.params).toMatchObject({
      filter: { field: 'phone_number', operator: 'in', value: [n0] },
    });
    expect(r.text).not.toContain('INTERNAL_SERVER_ERROR');
  });

  it('with only bad representations makes no call at all', async () => {
    const r = await entities(stack(), [
      { __typename: 'Query' },
      group(null),
      number('x'.repeat(300)),
    ]);
    expect(r.body.data?._entities).toEqual([null, null, null]);
    expect(errorsOf(r).map((e) => e.code)).toEqual([
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
    ]);
    expect(stack().calls()).toHaveLength(0);
  });
});

describe('_entities obeys the limits of every other entry, refused before any call', () => {
  it(`refuses more than MAX_LIST_INPUT (${defaults.maxListInput}) representations for the whole operation`, async () => {
    const many = Array.from({ length: defaults.maxListInput + 1 }, (_, i) => group(i + 1));
    const withList = /* GraphQL */ `
      query ($representations: [_Any!]!) {
        virtualNumberGroups(first: 1) {
          totalCount
        }
        _entities(representations: $representations) {
          __typename
        }
      }
    `;
    for (const query of [ENTITIES, withList]) {
      const r = await entities(stack(), many, query);
      expect(r.body.data ?? undefined).toBeUndefined();
      expect(r.body.errors).toEqual([
        {
          message: `"representations" has ${defaults.maxListInput + 1} entries; the limit is ${defaults.maxListInput} (MAX_LIST_INPUT).`,
          extensions: {
            code: 'BAD_USER_INPUT',
            argument: 'representations',
            limit: defaults.maxListInput,
          },
        },
      ]);
    }
    // Written inline instead of as a variable: the same refusal.
    const inline = many.map((_, i) => `{ __typename: "VirtualNumberGroup", databaseId: ${i + 1} }`);
    const r = await stack().query(
      `{ _entities(representations: [${inline.join(',')}]) { __typename } }`,
    );
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack().calls()).toHaveLength(0);

    // At the limit: served, with one call.
    const atLimit = await entities(stack(), many.slice(1));
    expect(atLimit.body.errors).toBeUndefined();
    expect(stack().calls(GROUPS)).toHaveLength(1);
  });

  it('counts its calls in MAX_API_CALLS_PER_REQUEST', async () => {
    await withStack({ gateway: { limits: { ...defaults, maxApiCalls: 1 } } }, async (s) => {
      const both = await entities(s, [group(g0), number(n0)]);
      expect(both.body.errors?.[0]).toMatchObject({
        extensions: { code: 'QUERY_TOO_COMPLEX', plannedCalls: 2, limit: 1 },
      });
      expect(s.calls()).toHaveLength(0);
      const one = await entities(s, [group(g0), group(g1)]);
      expect(one.body.errors).toBeUndefined();
      expect(s.calls()).toHaveLength(1);
    });
  });

  it('is held to the query cost limit like any other field: a row per entity', async () => {
    const width = rowWidth(virtualNumberGroups);
    await withStack({ gateway: { limits: { ...defaults, maxCost: 2 * width } } }, async (s) => {
      expect((await entities(s, [group(g0), group(g1)])).body.errors).toBeUndefined();
      s.emulator.resetCalls();
      const r = await entities(s, [group(g0), group(g1), group(g2)]);
      expect(r.body.errors?.[0]?.extensions).toMatchObject({
        code: 'QUERY_TOO_COMPLEX',
        setting: 'QUERY_MAX_COST',
        found: 3 * width,
      });
      expect(s.calls()).toHaveLength(0);
    });
  });
});
