import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import type { Stack } from '../helpers/stack.js';
import { startStack, useStack } from '../helpers/stack.js';

/**
 * Every refusal before execution: the code it carries and the HTTP status it
 * comes with, under both media types a client may accept.
 */

const defaults = loadConfig({}).limits;
const JSON_TYPE = 'application/json';
const GRAPHQL_RESPONSE = 'application/graphql-response+json';

const dir = mkdtempSync(join(tmpdir(), 'refusals-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const stack = useStack({
  gateway: {
    introspection: false,
    limits: { ...defaults, maxDepth: 4, maxCost: 50, maxAliases: 3, maxDirectives: 3 },
  },
});

interface Refusal {
  readonly status: number;
  readonly text: string;
  readonly errors: { message: string; extensions?: Record<string, unknown> }[];
}

async function send(
  s: Stack,
  init: { method?: string; type?: string; body?: string; headers?: Record<string, string> },
  accept: string,
  path = '',
): Promise<Refusal> {
  const url = path.startsWith('/') ? new URL(path, s.url).href : s.url + path;
  const response = await fetch(url, {
    method: init.method ?? 'POST',
    headers: {
      accept,
      ...(init.type === undefined ? {} : { 'content-type': init.type }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  const text = await response.text();
  const parsed = JSON.parse(text) as { errors?: Refusal['errors'] };
  return { status: response.status, text, errors: parsed.errors ?? [] };
}

const query = (q: string, variables?: Record<string, unknown>) => ({
  type: JSON_TYPE,
  body: JSON.stringify({ query: q, variables }),
});

const deep = '{ virtualNumberGroups { edges { node { employees { id } } } } }';
const aliases = `{ availableNumbers { ${['a', 'b', 'c', 'd'].map((a) => `${a}: totalCount`).join(' ')} } }`;
const directives = `{ availableNumbers { nodes { ${['phoneNumber', 'category', 'locationName', 'minCharge'].map((f) => `${f} @include(if: true)`).join(' ')} } } }`;
const costly = '{ availableNumbers(first: 10) { nodes { phoneNumber category locationName } } }';

describe("graphql-armor's limits", () => {
  it.each([
    ['depth', deep, 'QUERY_MAX_DEPTH', 4, 5, /^Query depth limit of 4 exceeded: found 5/],
    ['aliases', aliases, 'QUERY_MAX_ALIASES', 3, 4, /^Aliases limit of 3 exceeded: found 4/],
    ['directives', directives, 'QUERY_MAX_DIRECTIVES', 3, 4, /^Directives limit of 3/],
    [
      'cost',
      costly,
      'QUERY_MAX_COST',
      50,
      expect.any(Number) as number,
      /could fetch \d+ values .*the cost limit is 50 per request/,
    ],
  ])(
    '%s: QUERY_TOO_COMPLEX naming the setting, the limit and the value found',
    async (_name, document, setting, limit, found, message) => {
      for (const [accept, status] of [
        [JSON_TYPE, 200],
        [GRAPHQL_RESPONSE, 400],
      ] as const) {
        const r = await send(stack(), query(document), accept);
        expect(r.status).toBe(status);
        expect(r.errors).toHaveLength(1);
        expect(r.errors[0]?.extensions).toEqual({
          code: 'QUERY_TOO_COMPLEX',
          setting,
          limit,
          found,
        });
        expect(r.errors[0]?.message).toMatch(message);
        expect(r.errors[0]?.message).toContain(`(${setting})`);
        expect(r.errors[0]?.message).not.toMatch(/syntax/i);
      }
      expect(stack().calls()).toHaveLength(0);
    },
  );

  it('the call budget: QUERY_TOO_COMPLEX with 400 under application/graphql-response+json', async () => {
    const lists = Array.from(
      { length: defaults.maxApiCalls + 1 },
      (_, i) => `l${i}: availableNumbers(first: ${i + 1}) { totalCount }`,
    );
    const json = await send(stack(), query(`{ ${lists.join(' ')} }`), JSON_TYPE);
    const graphql = await send(stack(), query(`{ ${lists.join(' ')} }`), GRAPHQL_RESPONSE);
    expect([json.status, graphql.status]).toEqual([200, 400]);
    expect(graphql.errors[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(stack().calls()).toHaveLength(0);
  });
});

describe('every refusal before execution has a code', () => {
  const big = `{ __typename } # ${'x'.repeat(defaults.maxBodyBytes)}`;
  const cases: [
    string,
    string,
    Parameters<typeof send>[1],
    readonly [json: number, graphqlResponse: number],
    string?,
  ][] = [
    [
      'GET without the CSRF header',
      'CSRF_REJECTED',
      { method: 'GET' },
      [403, 403],
      '?query={__typename}',
    ],
    [
      'a text/plain POST without the CSRF header',
      'CSRF_REJECTED',
      { type: 'text/plain', body: '{"query":"{__typename}"}' },
      [403, 403],
    ],
    [
      'a body of an unsupported type',
      'BAD_REQUEST',
      { type: 'application/xml', body: '<q/>' },
      [415, 415],
    ],
    ['another path', 'NOT_FOUND', query('{ __typename }'), [404, 404], '/other'],
    ['a PUT', 'BAD_REQUEST', { method: 'PUT', ...query('{ __typename }') }, [405, 405]],
    ['a body over MAX_BODY_BYTES', 'PAYLOAD_TOO_LARGE', query(big), [413, 413]],
    ['malformed JSON', 'BAD_REQUEST', { type: JSON_TYPE, body: '{"query":' }, [400, 400]],
    ['no query', 'BAD_REQUEST', { type: JSON_TYPE, body: '{}' }, [200, 400]],
    ['a query that does not parse', 'GRAPHQL_PARSE_FAILED', query('{ x'), [200, 400]],
    ['an unknown field', 'GRAPHQL_VALIDATION_FAILED', query('{ nope }'), [200, 400]],
    [
      'introspection when it is off',
      'GRAPHQL_VALIDATION_FAILED',
      query('{ __schema { types { name } } }'),
      [200, 400],
    ],
    [
      'a missing variable',
      'BAD_USER_INPUT',
      query('query ($n: Int!) { availableNumbers(first: $n) { totalCount } }'),
      [200, 400],
    ],
    [
      'a variable of the wrong type',
      'BAD_USER_INPUT',
      query('query ($n: Int) { availableNumbers(first: $n) { totalCount } }', { n: 'ten' }),
      [200, 400],
    ],
    [
      'an input-object variable of the wrong shape',
      'BAD_USER_INPUT',
      query('query ($f: AvailableNumberFilter) { availableNumbers(filter: $f) { totalCount } }', {
        f: { nope: 1 },
      }),
      [200, 400],
    ],
  ];

  it.each(cases)('%s → %s', async (_name, code, init, statuses, path) => {
    for (const [accept, status] of [
      [JSON_TYPE, statuses[0]],
      [GRAPHQL_RESPONSE, statuses[1]],
    ] as const) {
      const r = await send(stack(), init, accept, path);
      expect({ accept, status: r.status }).toEqual({ accept, status });
      expect(r.errors.length).toBeGreaterThan(0);
      for (const error of r.errors) {
        expect(error.extensions?.code).toBe(code);
        expect(error.message.length).toBeGreaterThan(10);
      }
    }
    expect(stack().calls()).toHaveLength(0);
  });

  it('the CSRF refusal says which header to send', async () => {
    const r = await send(stack(), { method: 'GET' }, JSON_TYPE, '?query={__typename}');
    expect(r.errors[0]?.message).toContain('x-graphql-csrf');
  });

  it('persisted operations: a hash not in the list, and text where only hashes run', async () => {
    const file = join(dir, 'list.json');
    writeFileSync(file, '{}');
    const local = await startStack({ gateway: { persistedOperationsFile: file } });
    try {
      const byHash = {
        type: JSON_TYPE,
        body: JSON.stringify({
          extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } },
        }),
      };
      for (const accept of [JSON_TYPE, GRAPHQL_RESPONSE]) {
        const missing = await send(local, byHash, accept);
        expect(missing.errors[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
        expect(missing.status).toBe(400);
        const text = await send(local, query('{ __typename }'), accept);
        expect(text.errors[0]?.extensions?.code).toBe('PERSISTED_QUERY_ID_REQUIRED');
        expect(text.status).toBe(400);
      }
    } finally {
      await local.close();
    }
  });
});
