import { Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { DEMO_TOKEN, startEmulator } from '../../../src/emulator/index.js';
import type { Gateway } from '../../../src/http/server.js';
import { createGateway } from '../../../src/http/server.js';
import { createLogger } from '../../../src/observability/logger.js';

/**
 * The plan of an operation is the one account of the calls it makes: for
 * generated operations (aliases, fragments, @include, keyset and window
 * cursors, totalCount, pageInfo, node/nodes, _entities), the calls the plan
 * lists (its log line's `apiCalls`) are the calls the API receives, and the
 * call budget admits the operation at exactly that many and refuses it, before
 * any call, at one fewer. The API is the emulator over HTTP, which records
 * every call; the shuffling mode keeps the gateway from leaning on row order.
 */

const defaults = loadConfig({});
let emulator: RunningEmulator;
const logs: string[] = [];
const gateways = new Map<number, Gateway>();

/** A gateway whose budget is `maxCalls` calls (and nothing else binds). */
function gatewayWith(maxCalls: number): Gateway {
  let gateway = gateways.get(maxCalls);
  if (!gateway) {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    gateway = createGateway({
      ...defaults,
      dataApiUrl: emulator.url,
      dataApiToken: DEMO_TOKEN,
      limits: {
        ...defaults.limits,
        maxApiCalls: maxCalls,
        maxCost: Number.MAX_SAFE_INTEGER,
        maxAliases: 100,
      },
      logger: createLogger('info', sink),
    });
    gateways.set(maxCalls, gateway);
  }
  return gateway;
}

interface Answer {
  readonly status: number;
  readonly body: {
    data?: unknown;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

async function send(
  maxCalls: number,
  query: string,
  variables: Record<string, unknown>,
): Promise<Answer> {
  const response = await gatewayWith(maxCalls).fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'plan-property' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const HIGH = 1_000;

/** The calls the last executed operation's plan listed, from its log line. */
function lastPlannedCalls(): number {
  for (let i = logs.length - 1; i >= 0; i -= 1) {
    const line = JSON.parse(logs[i] as string) as { msg?: string; apiCalls?: number };
    if (line.msg === 'graphql operation') return line.apiCalls ?? -1;
  }
  throw new Error('no operation was logged');
}

type List = 'availableNumbers' | 'virtualNumberGroups';
const LISTS: readonly List[] = ['availableNumbers', 'virtualNumberGroups'];
const FILTERS: Readonly<Record<List, readonly string[]>> = {
  availableNumbers: ['', 'filter: { locationMnemonic: { eq: "spb" } }'],
  virtualNumberGroups: ['', 'filter: { name: { contains: "a" } }'],
};
// The key order pages by keyset; a CATEGORY or NAME order by a window of offsets.
const ORDERS: Readonly<Record<List, readonly string[]>> = {
  availableNumbers: ['', 'orderBy: [{ field: CATEGORY, direction: DESC }]'],
  virtualNumberGroups: ['', 'orderBy: [{ field: NAME }]'],
};
const ROW_FIELDS: Readonly<Record<List, readonly string[]>> = {
  availableNumbers: ['id', 'phoneNumber', 'category', 'minCharge'],
  virtualNumberGroups: ['id', 'databaseId', 'name', 'number'],
};

/** Real cursors of each list, filter and order (from the middle of the list), by that triple. */
const cursors = new Map<string, string[]>();
const cursorKey = (list: List, filter: number, order: number) => `${list}|${filter}|${order}`;
/** Global ids of rows, and keys for representations. */
const ids: string[] = [];
const groupIds: number[] = [];
const phoneNumbers: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ order: 'unspecified', orderSeed: 7 });
  for (const list of LISTS) {
    for (const [f, filter] of FILTERS[list].entries()) {
      for (const [o, order] of ORDERS[list].entries()) {
        const args = [filter, order, 'first: 8'].filter(Boolean).join(', ');
        const r = await send(HIGH, `{ l: ${list}(${args}) { edges { cursor } nodes { id } } }`, {});
        const page = (
          r.body.data as { l: { edges: { cursor: string }[]; nodes: { id: string }[] } }
        ).l;
        cursors.set(
          cursorKey(list, f, o),
          page.edges.slice(2, 6).map((e) => e.cursor),
        );
        ids.push(...page.nodes.slice(0, 3).map((n) => n.id));
      }
    }
  }
  const groups = await send(HIGH, '{ virtualNumberGroups(first: 5) { nodes { databaseId } } }', {});
  groupIds.push(
    ...(
      groups.body.data as { virtualNumberGroups: { nodes: { databaseId: number }[] } }
    ).virtualNumberGroups.nodes.map((n) => n.databaseId),
  );
  const numbers = await send(HIGH, '{ availableNumbers(first: 5) { nodes { phoneNumber } } }', {});
  phoneNumbers.push(
    ...(
      numbers.body.data as { availableNumbers: { nodes: { phoneNumber: string }[] } }
    ).availableNumbers.nodes.map((n) => n.phoneNumber),
  );
});

afterAll(async () => {
  for (const gateway of gateways.values()) await gateway.dispose();
  await emulator.close();
});

/** One root field: its name and arguments, and its selection. */
type FieldText = readonly [head: string, selection: string];

const listField: fc.Arbitrary<FieldText> = fc
  .record({
    list: fc.constantFrom(...LISTS),
    filter: fc.nat({ max: 1 }),
    order: fc.nat({ max: 1 }),
    size: fc.option(
      fc.record({ side: fc.constantFrom('first', 'last'), n: fc.integer({ min: 0, max: 4 }) }),
    ),
    cursor: fc.option(
      fc.record({ side: fc.constantFrom('after', 'before'), pick: fc.nat({ max: 4 }) }),
    ),
    selection: fc.subarray(
      [
        'totalCount',
        'pageInfo { hasNextPage }',
        'pageInfo { hasPreviousPage }',
        'pageInfo { startCursor endCursor }',
        'edges { cursor }',
        'edges { node { ROW } }',
        'nodes { ROW }',
        '__typename',
      ],
      { minLength: 1 },
    ),
    row: fc.nat({ max: 3 }),
  })
  .map(({ list, filter, order, size, cursor, selection, row }) => {
    const pool = cursors.get(cursorKey(list, filter, order)) ?? [];
    // One pick past the pool is a cursor of another query (refused, no call).
    const otherQuery = cursors.get(cursorKey(list, 1 - filter, order))?.[0] ?? 'junk';
    const cursorText = cursor === null ? undefined : (pool[cursor.pick] ?? otherQuery);
    const args = [
      FILTERS[list][filter],
      ORDERS[list][order],
      size ? `${size.side}: ${size.n}` : '',
      cursor && cursorText ? `${cursor.side}: ${JSON.stringify(cursorText)}` : '',
    ].filter(Boolean);
    const columns = ROW_FIELDS[list];
    const text = selection.join(' ').replaceAll('ROW', columns[row % columns.length] as string);
    return [`${list}${args.length > 0 ? `(${args.join(', ')})` : ''}`, text] as const;
  });

const idOf = (pick: number) => ids[pick % Math.max(1, ids.length)] ?? 'none';
const lookupField: fc.Arbitrary<FieldText> = fc.oneof(
  fc
    .nat({ max: 20 })
    .map((pick): FieldText => [
      `node(id: ${JSON.stringify(pick === 20 ? 'not-an-id' : idOf(pick))})`,
      'id ... on AvailableNumber { category } ... on VirtualNumberGroup { name }',
    ]),
  fc
    .array(fc.nat({ max: 20 }), { maxLength: 5 })
    .map((picks): FieldText => [
      `nodes(ids: ${JSON.stringify(picks.map((p) => (p === 20 ? 'bad' : idOf(p))))})`,
      '__typename ... on AvailableNumber { phoneNumber }',
    ]),
  fc
    .array(
      fc.oneof(
        fc.nat({ max: 4 }).map((i) => ({
          __typename: 'VirtualNumberGroup',
          databaseId: groupIds[i] ?? 1,
        })),
        fc.nat({ max: 4 }).map((i) => ({
          __typename: 'AvailableNumber',
          phoneNumber: phoneNumbers[i] ?? '7000',
        })),
        fc.constant({ __typename: 'Nope', id: 1 }),
      ),
      { maxLength: 4 },
    )
    .map((representations): FieldText => [
      `_entities(representations: ${toGraphQL(representations)})`,
      '__typename ... on VirtualNumberGroup { name } ... on AvailableNumber { category }',
    ]),
);

/** A JSON value as a GraphQL literal. */
function toGraphQL(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(toGraphQL).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k}: ${toGraphQL(v)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** An operation of 1–4 root fields, aliased, some behind fragments or `@include($on)`. */
const operation = fc
  .record({
    fields: fc.array(
      fc.record({
        text: fc.oneof({ weight: 3, arbitrary: listField }, { weight: 1, arbitrary: lookupField }),
        wrap: fc.constantFrom('plain', 'inline', 'spread', 'include'),
        // Mostly aliased: unaliased fields of one name with other arguments conflict.
        aliased: fc.nat({ max: 4 }).map((n) => n > 0),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    on: fc.nat({ max: 3 }).map((n) => n > 0),
  })
  .map(({ fields, on }) => {
    const fragments: string[] = [];
    const selections = fields.map(({ text: [head, selection], wrap, aliased }, i) => {
      const name = aliased ? `a${i}: ${head}` : head;
      const field = `${name}${wrap === 'include' ? ' @include(if: $on)' : ''} { ${selection} }`;
      if (wrap === 'inline') return `... on Query { ${field} }`;
      if (wrap === 'spread') {
        fragments.push(`fragment F${i} on Query { ${field} }`);
        return `...F${i}`;
      }
      return field;
    });
    return {
      // `__typename` uses $on whatever the fields do: an unused variable is invalid.
      query: `query Generated($on: Boolean!) { __typename @include(if: $on) ${selections.join(' ')} } ${fragments.join(' ')}`,
      variables: { on },
      rootFields: fields.length,
    };
  });

describe('the plan of an operation is the calls it makes', () => {
  it('on generated operations: planned = made; admitted at the plan, refused one below before any call', async () => {
    const runs = Number(process.env.PROP_RUNS ?? 150);
    let withCalls = 0;
    let merged = 0;
    await fc.assert(
      fc.asyncProperty(operation, async ({ query, variables, rootFields }) => {
        emulator.resetCalls();
        logs.length = 0;
        const free = await send(HIGH, query, variables);
        if (free.body.data === undefined) {
          // Only validation may refuse a generated operation: two fields of one
          // response key with other arguments conflict.
          expect(free.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
          return;
        }
        const made = emulator.calls.length;
        const planned = lastPlannedCalls();
        expect({ query, variables, made }).toEqual({ query, variables, made: planned });
        if (planned === 0) return;
        withCalls += 1;
        // Some fields shared a call (or needed none): the cases a per-field count gets wrong.
        if (planned < rootFields) merged += 1;

        emulator.resetCalls();
        const atLimit = await send(planned, query, variables);
        expect({
          query,
          variables,
          code: atLimit.body.errors?.[0]?.extensions?.setting,
        }).not.toEqual({ query, variables, code: 'MAX_API_CALLS_PER_REQUEST' });
        expect(emulator.calls.length).toBe(planned);

        emulator.resetCalls();
        const below = await send(planned - 1, query, variables);
        expect({ query, status: below.status, errors: below.body.errors }).toMatchObject({
          query,
          errors: [
            {
              extensions: {
                code: 'QUERY_TOO_COMPLEX',
                setting: 'MAX_API_CALLS_PER_REQUEST',
                plannedCalls: planned,
                limit: planned - 1,
              },
            },
          ],
        });
        expect(emulator.calls.length).toBe(0);
      }),
      {
        numRuns: runs,
        seed: process.env.PROP_SEED === undefined ? 22 : Number(process.env.PROP_SEED),
      },
    );
    // The corpus must reach the cases that matter, not pass on trivial ones.
    expect(withCalls).toBeGreaterThan(runs / 2);
    expect(merged).toBeGreaterThan(runs / 10);
  }, 180_000);

  it.each([
    // Found outside the project: a keyset page and its total are two calls.
    [
      'a keyset page with totalCount',
      '{ virtualNumberGroups(first: 2, after: $c) { totalCount nodes { id } } }',
      2,
    ],
    // Two count-only lists of one filter are one call.
    [
      'two counts of one list',
      '{ a: availableNumbers(first: 2) { totalCount } b: availableNumbers(first: 3) { totalCount } }',
      1,
    ],
  ])('%s', async (_name, text, calls) => {
    const cursor = cursors.get(cursorKey('virtualNumberGroups', 0, 0))?.[0];
    const query = text.includes('$c') ? `query ($c: String) ${text}` : text;
    emulator.resetCalls();
    const r = await send(HIGH, query, { c: cursor });
    expect(r.body.errors).toBeUndefined();
    expect([emulator.calls.length, lastPlannedCalls()]).toEqual([calls, calls]);
  });
});
