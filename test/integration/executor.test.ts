import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import type { ValuePools } from '../helpers/operations.js';
import { generatedOperation, variablesFor, writtenOperations } from '../helpers/operations.js';
import { useStack } from '../helpers/stack.js';

/**
 * The production gateway must answer exactly what graphql-js's own `execute`
 * answers: same bytes, keys in the same order, same errors. Both gateways run
 * over their own emulator with a frozen clock and get the same requests in the
 * same order, so even the rate-limit figures in `extensions` match.
 */
// Read before the servers start: parsing every source file blocks the event loop
// for seconds, long enough for an idle keep-alive socket to be closed under a request.
const operations = writtenOperations(fileURLToPath(new URL('../..', import.meta.url)), [
  'test',
  'bench',
  'examples',
]);
const frozen = { now: () => Date.parse('2026-01-01T00:00:00Z') };
const production = useStack({ emulator: frozen });
const reference = useStack({ emulator: frozen, gateway: { executor: 'graphql-js' } });

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
