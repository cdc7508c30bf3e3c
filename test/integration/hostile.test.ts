import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { availableVirtualNumbers, rowWidth } from '../../src/api/index.js';
import { columnEntries, graphqlFieldName, screamingSnake } from '../../src/api/types.js';
import { loadConfig } from '../../src/config/config.js';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import type { Stack } from '../helpers/stack.js';
import { AVAILABLE, startStack, useStack } from '../helpers/stack.js';

const defaults = loadConfig({}).limits;
const stack = useStack();

/** Runs `run` against a stack with other limits, closing it afterwards. */
async function withLimits(
  limits: Partial<typeof defaults>,
  run: (s: Stack) => Promise<void>,
  extra: Parameters<typeof startStack>[0] = {},
): Promise<void> {
  const local = await startStack({
    ...extra,
    gateway: { limits: { ...defaults, ...limits }, ...extra.gateway },
  });
  try {
    await run(local);
  } finally {
    await local.close();
  }
}

interface Refused {
  message: string;
  extensions?: Record<string, unknown>;
}

const firstError = (s: Awaited<ReturnType<Stack['query']>>) => s.body.errors?.[0];

describe('limits on the document refuse a crafted query with zero calls', () => {
  it('depth', async () => {
    await withLimits({ maxDepth: 3 }, async (s) => {
      const r = await s.query('{ availableNumbers { edges { node { phoneNumber } } } }');
      expect(firstError(r)?.message).toMatch(/depth limit of 3/i);
      expect(s.calls()).toHaveLength(0);
    });
  });

  it('aliases', async () => {
    const aliases = Array.from({ length: defaults.maxAliases + 1 }, (_, i) => `a${i}: totalCount`);
    const r = await stack().query(`{ availableNumbers { ${aliases.join(' ')} } }`);
    expect(firstError(r)?.message).toMatch(/aliases limit/i);
    expect(stack().calls()).toHaveLength(0);
  });

  it('directives', async () => {
    const directives = Array.from(
      { length: defaults.maxDirectives + 1 },
      () => '@include(if: true)',
    );
    const r = await stack().query(`{ availableNumbers { totalCount ${directives.join(' ')} } }`);
    expect(firstError(r)?.message).toMatch(/directives limit/i);
    expect(stack().calls()).toHaveLength(0);
  });

  it('tokens', async () => {
    const fields = Array.from({ length: defaults.maxTokens }, () => '__typename').join(' ');
    const r = await stack().query(`{ ${fields} }`);
    expect(firstError(r)?.message).toMatch(/token limit/i);
    expect(stack().calls()).toHaveLength(0);
  });
});

describe('the cost limit (rows × columns of the planned calls, variables known)', () => {
  const every =
    'id phoneNumber category locationMnemonic locationName minCharge monthlyCharge onetimePayment';
  const width = rowWidth(availableVirtualNumbers);
  const literal = (n: number) => `{ availableNumbers(first: ${n}) { nodes { ${every} } } }`;
  const variable = `query ($n: Int) { availableNumbers(first: $n) { nodes { ${every} } } }`;

  it('accepts the largest advertised page with every field, as a literal and as a variable', async () => {
    const max = loadConfig({}).maxPageSize;
    for (const r of [
      await stack().query(literal(max)),
      await stack().query(variable, { n: max }),
    ]) {
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data?.availableNumbers).toBeTruthy();
    }
  });

  it('accepts a plan exactly at the limit and refuses one row past it, literal or variable alike', async () => {
    await withLimits({ maxCost: 500 * width }, async (s) => {
      expect((await s.query(literal(500))).body.errors).toBeUndefined();
      expect((await s.query(variable, { n: 500 })).body.errors).toBeUndefined();
      s.emulator.resetCalls();
      const refusals = [await s.query(literal(501)), await s.query(variable, { n: 501 })];
      for (const r of refusals) {
        expect(r.body.data ?? null).toBeNull();
        expect(firstError(r)?.extensions).toEqual({
          code: 'QUERY_TOO_COMPLEX',
          setting: 'QUERY_MAX_COST',
          limit: 500 * width,
          found: 501 * width,
        });
        expect(firstError(r)?.message).toContain(
          `the cost limit is ${500 * width} per request (QUERY_MAX_COST)`,
        );
      }
      expect(s.calls()).toHaveLength(0);
    });
  });

  it('counts every list of a request, nested lists of a row not included', async () => {
    await withLimits({ maxCost: 10 }, async (s) => {
      const r = await s.query(
        '{ virtualNumberGroups { nodes { name number employees { id fullName } employeeGroups { id name } } } }',
      );
      // The default page of 20 rows of 6 columns.
      expect(firstError(r)?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', found: 120 });
      expect(s.calls()).toHaveLength(0);
    });
  });
});

describe('the cap on API calls per request', () => {
  it('refuses with QUERY_TOO_COMPLEX before any call', async () => {
    const lists = Array.from(
      { length: defaults.maxApiCalls + 1 },
      (_, i) => `l${i}: availableNumbers(first: ${i + 1}) { nodes { id } }`,
    );
    const r = await stack().query(`{ ${lists.join(' ')} }`);
    expect(r.body.data ?? null).toBeNull();
    expect(firstError(r)?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 10 });
    expect(firstError(r)?.message).toMatch(/11 Data API calls; the limit is 10/);
    expect(stack().calls()).toHaveLength(0);
  });

  it('counts last-without-before once (it reads the reversed order), identical lists and counts of one filter once', async () => {
    const same = Array.from(
      { length: 12 },
      (_, i) => `s${i}: availableNumbers(first: 5) { nodes { id } }`,
    );
    const ok = await stack().query(`{ ${same.join(' ')} }`);
    expect(ok.body.errors).toBeUndefined();
    // Totals alone of one filter, whatever the page size: one call of one row.
    const counts = Array.from(
      { length: 12 },
      (_, i) => `c${i}: availableNumbers(first: ${i + 1}) { totalCount }`,
    );
    stack().emulator.resetCalls();
    expect((await stack().query(`{ ${counts.join(' ')} }`)).body.errors).toBeUndefined();
    expect(stack().calls()).toHaveLength(1);
    const fromEnd = (n: number) =>
      Array.from(
        { length: n },
        (_, i) => `e${i}: availableNumbers(last: ${i + 1}) { totalCount nodes { id } }`,
      );
    const within = await stack().query(`{ ${fromEnd(10).join(' ')} }`);
    expect(within.body.errors).toBeUndefined();
    const refused = await stack().query(`{ ${fromEnd(11).join(' ')} }`);
    expect(firstError(refused)?.extensions).toMatchObject({ plannedCalls: 11 });
  });

  it('plans each request of one document again when its variables can change the calls', async () => {
    const lists = Array.from(
      { length: 11 },
      (_, i) => `l${i}: availableNumbers(first: ${i + 2}) @include(if: $all) { nodes { id } }`,
    );
    const query = `query ($all: Boolean!) { one: availableNumbers(first: 1) { nodes { id } } ${lists.join(' ')} }`;
    for (const all of [false, true, false, true]) {
      const r = await stack().query(query, { all });
      if (all) expect(firstError(r)?.extensions).toMatchObject({ plannedCalls: 12 });
      else expect(r.body.errors).toBeUndefined();
    }
    // A document without variables is refused the same way every time.
    const fixed = `{ ${lists.join(' ').replaceAll(' @include(if: $all)', '')} }`;
    for (let i = 0; i < 2; i++) {
      expect(firstError(await stack().query(fixed))?.extensions).toMatchObject({
        plannedCalls: 11,
      });
    }
  });
});

describe('bounded inputs', () => {
  const list = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => `7${i}`));
  it.each([
    [
      'an in list',
      `{ availableNumbers(filter: { phoneNumber: { in: ${list(101)} } }) { totalCount } }`,
      /101 values; the limit is 100/,
    ],
    [
      'a long string',
      `{ availableNumbers(filter: { phoneNumber: { contains: "${'x'.repeat(300)}" } }) { totalCount } }`,
      /300 characters long; the limit is 256/,
    ],
    [
      'a deeply nested filter',
      '{ availableNumbers(filter: { and: [{ or: [{ and: [{ or: [{ and: [{ phoneNumber: { eq: "1" } }] }] }] }] }] }) { totalCount } }',
      /more than 4 levels deep/,
    ],
    ['too many ids', `{ nodes(ids: ${list(101)}) { id } }`, /101 ids; the limit is 100/],
  ])('refuses %s with BAD_USER_INPUT and no call', async (_name, query, message) => {
    const r = await stack().query(query);
    expect(firstError(r)?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(firstError(r)?.message).toMatch(message);
    expect(stack().calls()).toHaveLength(0);
  });
});

describe('input shapes bounded before any recursive walk', () => {
  const deepFilter = (levels: number) =>
    '{"or":['.repeat(levels) + '{"phoneNumber":{"eq":"1"}}' + ']}'.repeat(levels);
  const post = async (s: Stack, body: string) => {
    const response = await fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body,
    });
    return { status: response.status, body: (await response.json()) as { errors?: Refused[] } };
  };

  it.each([6, 800, 11_000])(
    'refuses a filter variable nested %i levels with BAD_USER_INPUT (400), no call',
    async (levels) => {
      const body = `{"query":"query ($f: AvailableNumberFilter) { availableNumbers(filter: $f) { totalCount } }","variables":{"f":${deepFilter(levels)}}}`;
      expect(body.length).toBeLessThanOrEqual(defaults.maxBodyBytes);
      const r = await post(stack(), body);
      expect(r.status).toBe(400);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(r.body.errors?.[0]?.message).toMatch(
        /Variable "\$f" nests objects and lists more than 13 levels deep; filters nest "and"\/"or" at most 4 levels \(MAX_FILTER_DEPTH\)/,
      );
      expect(stack().calls()).toHaveLength(0);
    },
  );

  it('refuses a literal filter nested 9 000 levels even with no token limit in the way', async () => {
    await withLimits({ maxTokens: 1_000_000 }, async (s) => {
      const literal =
        '{ or: ['.repeat(9_000) + '{ phoneNumber: { eq: "1" } }' + '] }'.repeat(9_000);
      const r = await post(
        s,
        JSON.stringify({ query: `{ availableNumbers(filter: ${literal}) { totalCount } }` }),
      );
      expect(r.status).toBe(400);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(r.body.errors?.[0]?.message).toMatch(
        /An argument nests objects and lists more than 13/,
      );
      expect(s.calls()).toHaveLength(0);
    });
  });

  describe('orderBy holds each sortable field at most once', () => {
    const sortable = columnEntries(availableVirtualNumbers)
      .filter(([, spec]) => spec.sortable)
      .map(([name, spec]) => screamingSnake(graphqlFieldName(name, spec)));
    const query =
      'query ($o: [AvailableNumberOrder!]) { availableNumbers(first: 1, orderBy: $o) { nodes { id } } }';
    const keys = (fields: readonly string[]) => fields.map((field) => ({ field }));

    it('forwards every sortable field once', async () => {
      const r = await stack().query(query, { o: keys(sortable) });
      expect(r.body.errors).toBeUndefined();
      expect(stack().calls(AVAILABLE)[0]?.params.sort).toHaveLength(sortable.length);
    });

    it.each([
      [
        'one key too many',
        [...sortable, sortable[0] ?? ''],
        /the limit is 5 \(the sortable fields of AvailableNumber\)/,
      ],
      [
        '2 000 keys',
        Array.from({ length: 2000 }, () => 'PHONE_NUMBER'),
        /"orderBy" has 2000 keys; the limit is 5/,
      ],
      ['a repeated field', ['MIN_CHARGE', 'MIN_CHARGE'], /"orderBy" sorts by MIN_CHARGE twice/],
    ])('refuses %s with BAD_USER_INPUT before any call', async (_name, fields, message) => {
      const r = await stack().query(query, { o: keys(fields) });
      expect(firstError(r)?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'orderBy' });
      expect(firstError(r)?.message).toMatch(message);
      expect(stack().calls()).toHaveLength(0);
    });
  });
});

describe('HTTP-level protections', () => {
  it('refuses a body over MAX_BODY_BYTES with 413 and a GraphQL-shaped error', async () => {
    const response = await fetch(stack().url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(defaults.maxBodyBytes)}` }),
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { errors: { message: string }[] };
    expect(body.errors[0]?.message).toMatch(/limit of 100000 bytes/);
  });

  it('refuses GET without the CSRF header and runs it with the header', async () => {
    const url = `${stack().url}?query=${encodeURIComponent('{ availableNumbers(first: 1) { totalCount } }')}`;
    const refused = await fetch(url);
    expect(refused.status).toBe(403);
    expect(stack().calls()).toHaveLength(0);
    const allowed = await fetch(url, { headers: { 'x-graphql-csrf': '1' } });
    expect(allowed.status).toBe(200);
  });

  it('answers CORS only for configured origins', async () => {
    await withLimits(
      {},
      async (s) => {
        const preflight = (origin: string) =>
          fetch(s.url, {
            method: 'OPTIONS',
            headers: { origin, 'access-control-request-method': 'POST' },
          });
        expect(
          (await preflight('https://app.example.com')).headers.get('access-control-allow-origin'),
        ).toBe('https://app.example.com');
        expect(
          (await preflight('https://evil.example.net')).headers.get('access-control-allow-origin'),
        ).not.toBe('https://evil.example.net');
      },
      { gateway: { corsOrigins: ['https://app.example.com'] } },
    );
  });

  it('switches off introspection and GraphiQL by configuration', async () => {
    await withLimits(
      {},
      async (s) => {
        const r = await s.query('{ __schema { types { name } } }');
        expect(firstError(r)?.message).toMatch(/introspection/i);
        const page = await fetch(s.url, { headers: { accept: 'text/html' } });
        expect(await page.text()).not.toContain('GraphiQL');
      },
      { gateway: { introspection: false, graphiql: false } },
    );
  });
});

describe('operation types the schema lacks', () => {
  it.each([
    'subscription { __typename }',
    'subscription { x }',
    'mutation { x }',
    'mutation { __typename }',
  ])('%s is refused at validation: 400 with a code, no call, nothing printed', async (query) => {
    const printed = [
      vi.spyOn(console, 'log'),
      vi.spyOn(console, 'error'),
      vi.spyOn(console, 'warn'),
    ];
    try {
      const response = await fetch(stack().url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
        },
        body: JSON.stringify({ query }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { data?: unknown; errors: Refused[] };
      expect(body.data).toBeUndefined();
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]?.message).toMatch(/no (subscription|mutation) operations/);
      expect(body.errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(stack().calls()).toHaveLength(0);
      for (const spy of printed) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of printed) spy.mockRestore();
    }
  });
});

describe('random malformed requests', () => {
  const junkRequest = fc.oneof(
    // Bodies that are not JSON, or not UTF-8.
    fc.string().map((s) => ({ body: s, type: 'application/json' })),
    fc
      .uint8Array({ maxLength: 200 })
      .map((b) => ({ body: Buffer.from(b), type: 'application/json' })),
    // JSON of the wrong shape.
    fc.jsonValue().map((v) => ({ body: JSON.stringify(v), type: 'application/json' })),
    // Queries with junk arguments, cursors, ids and operation names.
    fc
      .record({
        first: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
        after: fc.oneof(fc.string(), fc.base64String(), fc.constant(null)),
        id: fc.string(),
        op: fc.oneof(fc.string(), fc.constant(undefined)),
        depth: fc.integer({ min: 0, max: 40 }),
        inList: fc.array(fc.string(), { maxLength: 300 }),
      })
      .map(({ first, after, id, op, depth, inList }) => {
        let filter = `{ phoneNumber: { in: ${JSON.stringify(inList)} } }`;
        for (let i = 0; i < depth; i++) filter = `{ or: [${filter}] }`;
        return {
          body: JSON.stringify({
            query: `query Q($first: Int, $after: String, $id: ID!) {
              availableNumbers(first: $first, after: $after, filter: ${filter}) { totalCount }
              node(id: $id) { id }
            }`,
            variables: { first, after, id },
            operationName: op,
          }),
          type: 'application/json',
        };
      }),
  );

  it('get 4xx or GraphQL errors for 200 of them, never 5xx, and the server stays up', async () => {
    await fc.assert(
      fc.asyncProperty(junkRequest, async ({ body, type }) => {
        const response = await fetch(stack().url, {
          method: 'POST',
          headers: { 'content-type': type },
          body,
        });
        expect(response.status).toBeLessThan(500);
        const text = await response.text();
        if (response.status === 200) {
          const parsed = JSON.parse(text) as { data?: unknown; errors?: unknown[] };
          expect(parsed.errors !== undefined || parsed.data !== undefined).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
    const alive = await stack().query('{ availableNumbers(first: 1) { totalCount } }');
    expect(alive.body.errors).toBeUndefined();
  });
});

describe('credentials under hostile input', () => {
  it('never show the token in a response or a log line of this suite', () => {
    expect(stack().responses.length).toBeGreaterThan(10);
    for (const text of [...stack().logs, ...stack().responses])
      expect(text).not.toContain(DEMO_TOKEN);
  });
});
