import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GetResult, Row } from '../../../src/api/wire.js';
import { loadConfig } from '../../../src/config/config.js';
import type { FastPathOutcome } from '../../../src/http/plugins/fastExecute.js';
import { schema } from '../../../src/schema/index.js';
import { gatewayOver } from '../../helpers/injectedApi.js';
import type { ValuePools } from '../../helpers/operations.js';
import { generatedOperation, variablesFor, writtenOperations } from '../../helpers/operations.js';
import { useStack } from '../../helpers/stack.js';

/**
 * The production gateway must answer exactly what graphql-js's own `execute`
 * answers: same bytes, keys in the same order, same errors. Both gateways run
 * over their own emulator with a frozen clock and get the same requests in the
 * same order, so even the rate-limit figures in `extensions` match.
 */
// Read before the servers start: parsing every source file blocks the event loop
// for seconds, long enough for an idle keep-alive socket to be closed under a request.
const operations = writtenOperations(fileURLToPath(new URL('../../..', import.meta.url)), [
  'test',
  'bench',
  'examples',
]);
const frozen = { now: () => Date.parse('2026-01-01T00:00:00Z') };
// The production executor answers what it can on its fast path (src/http/plugins/fastExecute.ts)
// and hands the rest to Yoga's executor; both must be seen here.
const outcomes: Record<FastPathOutcome, number> = { answered: 0, 'fell back': 0, 'not taken': 0 };
// Room for the operation that aliases fields after every Object.prototype member.
const limits = { ...loadConfig({}).limits, maxAliases: 200 };
const production = useStack({
  emulator: frozen,
  gateway: {
    limits,
    onFastPath: (outcome) => {
      outcomes[outcome] += 1;
    },
  },
});
const reference = useStack({ emulator: frozen, gateway: { limits, executor: 'graphql-js' } });

async function answers(query: string, variables?: Record<string, unknown>) {
  const headers = {
    accept: 'application/graphql-response+json',
    // Masked errors carry the request id; a fixed one keeps them comparable.
    'x-request-id': 'differential-test',
  };
  const fromProduction = await production().query(query, variables, headers);
  const fromReference = await reference().query(query, variables, headers);
  return { production: fromProduction.text, reference: fromReference.text };
}

const globalId = (type: string, key: string | number) =>
  Buffer.from(`${type}:${String(key)}`).toString('base64');

let pools: ValuePools;
beforeAll(async () => {
  const seed =
    '{ availableNumbers(first: 2) { edges { cursor } nodes { id } } virtualNumberGroups(first: 2) { edges { cursor } nodes { id } } }';
  const { production: text } = await answers(seed);
  const data = (
    JSON.parse(text) as {
      data: Record<string, { edges: { cursor: string }[]; nodes: { id: string }[] }>;
    }
  ).data;
  pools = {
    ids: [
      ...Object.values(data).flatMap((list) => list.nodes.map((n) => n.id)),
      globalId('AvailableNumber', '70000000000'),
      globalId('Nope', 1),
      'not-an-id',
    ],
    // Real cursors (bound to their own query: elsewhere they are refused) and a malformed one.
    cursors: [...Object.values(data).flatMap((list) => list.edges.map((e) => e.cursor)), 'junk'],
    strings: ['spb', '7343', '%1%'],
  };
});

describe('the production executor answers exactly what graphql-js answers', () => {
  it('keeps the spec order of fields selected through inline fragments and fragment spreads', async () => {
    for (const query of [
      '{ availableNumbers(first: 2) { nodes { phoneNumber ... on AvailableNumber { onetimePayment } price: monthlyCharge } } }',
      'query { availableNumbers(first: 2) { nodes { phoneNumber ...F price: monthlyCharge } } } fragment F on AvailableNumber { ... on AvailableNumber { onetimePayment } category }',
    ]) {
      const r = await answers(query);
      expect(r.production).toContain('"phoneNumber":"');
      expect(r.production).toBe(r.reference);
      // The spec's CollectFields order: the fragment's fields come where the fragment is.
      expect(r.production).toMatch(/"phoneNumber":"\d+","onetimePayment":[\d.]+,/);
    }
  });

  it('on every operation written in the tests, bench and examples', async () => {
    // A floor, so a broken extractor cannot make this test pass on nothing.
    expect(operations.length).toBeGreaterThan(50);
    for (const query of operations) {
      const samples = query.includes('$')
        ? fc.sample(variablesFor(schema, query, pools), { numRuns: 2, seed: 11 })
        : [];
      for (const variables of [undefined, ...samples]) {
        const r = await answers(query, variables);
        expect({ query, variables, body: r.production }).toEqual({
          query,
          variables,
          body: r.reference,
        });
      }
    }
  }, 120_000);

  it('on generated operations: fragments, aliases, @include/@skip, variables, errors, nulls', async () => {
    let withData = 0;
    let withErrors = 0;
    await fc.assert(
      fc.asyncProperty(generatedOperation(schema, pools), async ({ query, variables }) => {
        const r = await answers(query, variables);
        expect({ query, body: r.production }).toEqual({ query, body: r.reference });
        if (r.production.includes('"data":{')) withData++;
        if (r.production.includes('"errors":[')) withErrors++;
      }),
      { numRuns: 120 },
    );
    // The corpus exercises execution, not only validation, and its error paths too.
    expect(withData).toBeGreaterThan(60);
    expect(withErrors).toBeGreaterThan(10);
  }, 120_000);
});

/**
 * The answers of a production and a graphql-js gateway to `query`, each over
 * an API client that returns `rows` (values the emulator would never send).
 */
async function answersOver(
  rows: Row[],
  query: string,
  onFastPath: (outcome: FastPathOutcome) => void,
  config = loadConfig({}),
): Promise<string[]> {
  return Promise.all(
    (['production', 'graphql-js'] as const).map(async (executor) => {
      const gateway = gatewayOver(
        {
          get: (): Promise<GetResult> =>
            Promise.resolve({ metadata: { total_items: rows.length }, data: rows }),
        },
        { executor, onFastPath },
        config,
      );
      const response = await gateway.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'differential-test' },
        body: JSON.stringify({ query }),
      });
      const text = await response.text();
      await gateway.dispose();
      return text;
    }),
  );
}

describe('the fast path of the production executor', () => {
  /** Runs `body` and returns how many operations each outcome gained meanwhile. */
  async function counting(body: () => Promise<void>): Promise<Record<FastPathOutcome, number>> {
    const before = { ...outcomes };
    await body();
    return {
      answered: outcomes.answered - before.answered,
      'fell back': outcomes['fell back'] - before['fell back'],
      'not taken': outcomes['not taken'] - before['not taken'],
    };
  }

  it('answers big pages in every connection shape, with aliases, fragments and directives', async () => {
    const page = `{
      availableNumbers(first: 1000) {
        totalCount
        edges { cursor node { __typename id phoneNumber category locationMnemonic locationName onetimePayment monthlyCharge minCharge } }
        nodes { id minCharge n: phoneNumber }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }`;
    const shaped = `query Shaped($skip: Boolean!, $include: Boolean!) {
      cheap: availableNumbers(last: 300, orderBy: [{ field: MIN_CHARGE, direction: DESC }]) {
        nodes { phoneNumber @skip(if: $skip) p: phoneNumber category @include(if: $include) ...Price ... on AvailableNumber { locationName } }
        pageInfo { endCursor @include(if: $include) hasPreviousPage }
      }
      virtualNumberGroups(first: 40) {
        __typename
        totalCount
        nodes { databaseId name employees { id fullName } employeeGroups { __typename } virtualPhones { number } }
      }
    }
    fragment Price on AvailableNumber { minCharge phoneNumber monthlyCharge }`;
    const gained = await counting(async () => {
      const r = await answers(page);
      expect(r.production).toContain('"cursor":"');
      expect(r.production).toBe(r.reference);
      for (const skip of [true, false]) {
        for (const include of [true, false]) {
          const s = await answers(shaped, { skip, include });
          expect(s.production).toContain('"databaseId":');
          expect(s.production).toBe(s.reference);
        }
      }
    });
    expect(gained).toEqual({ answered: 5, 'fell back': 0, 'not taken': 0 });
  });

  it('hands node look-ups (an abstract type) and introspection to the standard executor', async () => {
    const gained = await counting(async () => {
      for (const query of [
        `{ nodes(ids: ${JSON.stringify(pools.ids)}) { id ... on AvailableNumber { phoneNumber } } }`,
        '{ __schema { queryType { name } } availableNumbers(first: 1) { totalCount } }',
      ]) {
        const r = await answers(query);
        expect(r.production).toBe(r.reference);
      }
    });
    expect(gained['not taken']).toBe(2);
  });

  it('falls back, answering as graphql-js does, when the API fails', async () => {
    const query =
      '{ availableNumbers(first: 3) { totalCount nodes { phoneNumber } } virtualNumberGroups(first: 2) { nodes { name } } }';
    const gained = await counting(async () => {
      for (const fault of [
        { kind: 'rpcError', mnemonic: 'invalid_parameter_value' },
        { kind: 'httpError', status: 500 },
        { kind: 'notJsonRpc' },
      ] as const) {
        production().emulator.setFault(fault);
        reference().emulator.setFault(fault);
        const r = await answers(query);
        expect(r.production).toContain('"errors":[');
        expect(r.production).toBe(r.reference);
      }
    });
    expect(gained['fell back']).toBe(3);
  });

  it('falls back, answering as graphql-js does, on values the schema does not allow', async () => {
    const good = {
      phone_number: '74950000001',
      category: 'gold',
      location_name: 'Moscow',
      monthly_charge: 10,
    };
    const pages: Row[][] = [
      [good, { ...good, phone_number: '74950000002', category: 'platinum' }],
      [good, { ...good, phone_number: 74950000003 }],
      [{ ...good, phone_number: null }, good],
      [good, { ...good, location_name: 495, monthly_charge: 'ten' }],
    ];
    const query =
      '{ availableNumbers(first: 2) { totalCount nodes { id phoneNumber category locationName monthlyCharge } edges { cursor } } }';
    const seen: FastPathOutcome[] = [];
    for (const rows of pages) {
      const texts = await answersOver(rows, query, (outcome) => seen.push(outcome));
      expect(texts[0]).toContain('"errors":[');
      expect(texts[0]).toBe(texts[1]);
    }
    expect(seen).toEqual(pages.map(() => 'fell back'));
  });

  it('answers pages of 1, 1 000 and 10 000 rows as graphql-js answers, in every connection shape, with nulls and odd strings', async () => {
    const row = (i: number): Row => ({
      phone_number: String(74950000000 + i),
      category: (['usual', 'bronze', 'silver', 'gold'] as const)[i % 4] ?? 'usual',
      location_mnemonic: i % 5 === 0 ? null : 'msk',
      location_name: i % 3 === 0 ? null : `Moscow "${String(i)}" \\ \u00e9\u2028`,
      onetime_payment: i % 7 === 0 ? null : i / 8,
      monthly_charge: i,
      min_charge: i % 2 === 0 ? 1e21 : -0.5,
    });
    const fields =
      '__typename id phoneNumber category locationMnemonic locationName onetimePayment monthlyCharge minCharge';
    const shapes = [
      `nodes { ${fields} }`,
      `edges { cursor node { ${fields} } }`,
      `totalCount pageInfo { hasNextPage endCursor } edges { c: cursor node { p: phoneNumber } } nodes { __proto__: id ...F }`,
    ];
    const limits = { ...loadConfig({}).limits, maxCost: 10_000 * 20 * 4 };
    const seen: FastPathOutcome[] = [];
    for (const size of [1, 1000, 10_000]) {
      const rows = Array.from({ length: size }, (_, i) => row(i));
      for (const shape of shapes) {
        const fragment = shape.includes('...F')
          ? ' fragment F on AvailableNumber { minCharge category }'
          : '';
        const query = `{ availableNumbers(first: ${String(size)}) { ${shape} } }${fragment}`;
        const texts = await answersOver(rows, query, (outcome) => seen.push(outcome), {
          ...loadConfig({ PAGE_SIZE_MAX: '10000' }),
          limits,
        });
        expect(texts[0]).not.toContain('"errors"');
        expect({ size, shape, text: texts[0] }).toEqual({ size, shape, text: texts[1] });
      }
    }
    // Answered on the fast path every time: the pages were not handed to graphql-js.
    expect(seen).toEqual(Array.from({ length: 9 }, () => 'answered'));
  }, 60_000);

  it('keeps fields aliased after every Object.prototype member and __proto__', async () => {
    const names = [
      ...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__']),
    ].filter((n) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(n));
    expect(names).toContain('__proto__');
    expect(names).toContain('hasOwnProperty');
    const aliased = (field: string) => names.map((n) => `${n}: ${field}`).join(' ');
    const query = `{
      ${names.map((n, i) => `${n}: availableNumbers(first: ${(i % 3) + 1}) { totalCount }`).join(' ')}
      availableNumbers(first: 2) {
        nodes { ${aliased('phoneNumber')} category }
        edges { ${aliased('cursor')} node { ${aliased('id')} } }
        pageInfo { ${aliased('hasNextPage')} endCursor }
      }
    }`;
    const gained = await counting(async () => {
      const r = await answers(query);
      expect(r.production).toContain('"__proto__":{"totalCount":');
      expect(r.production).toContain('"__proto__":"');
      expect(r.production).toBe(r.reference);
    });
    expect(gained).toEqual({ answered: 1, 'fell back': 0, 'not taken': 0 });
  });

  it('answered most operations of this file itself, and fell back on some', () => {
    // The suites above run first (vitest keeps a file's order).
    expect(outcomes.answered).toBeGreaterThan(100);
    expect(outcomes['fell back']).toBeGreaterThan(10);
  });
});
