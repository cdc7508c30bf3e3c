/**
 * urql's default client (`@urql/core` 6): it sends short queries as GET with
 * no content type, which a browser could also send cross-site. It runs when
 * the browser vouches for the origin (Sec-Fetch-Site), and with
 * `preferGetMethod: false` anywhere; a bare or cross-site GET stays refused.
 */
import { cacheExchange, createClient, fetchExchange, gql } from '@urql/core';
import { describe, expect, it } from 'vitest';
import { AVAILABLE, useStack } from '../helpers/stack.js';

const stack = useStack();

const NUMBERS = gql`
  query Numbers {
    availableNumbers(first: 2) {
      nodes {
        phoneNumber
      }
    }
  }
`;

interface Numbers {
  availableNumbers: { nodes: { phoneNumber: string }[] };
}

/** The client as urql's docs create it, plus what the test varies. */
function client(options: { headers?: Record<string, string>; preferGetMethod?: false } = {}) {
  const methods: string[] = [];
  return {
    methods,
    urql: createClient({
      url: stack().url,
      exchanges: [cacheExchange, fetchExchange],
      ...(options.preferGetMethod === false ? { preferGetMethod: false } : {}),
      fetchOptions: { headers: options.headers ?? {} },
      fetch: (input, init) => {
        methods.push(init?.method ?? 'GET');
        return fetch(input, init);
      },
    }),
  };
}

describe('@urql/core default client', () => {
  it('runs from a same-origin page: GET with Sec-Fetch-Site: same-origin', async () => {
    // What a browser adds to the same-origin GET; Node's fetch lets the test set it.
    const { urql, methods } = client({ headers: { 'sec-fetch-site': 'same-origin' } });
    const result = await urql.query<Numbers>(NUMBERS, {}).toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data?.availableNumbers.nodes).toHaveLength(2);
    expect(methods).toEqual(['GET']);
  });

  it('runs anywhere with preferGetMethod: false (the one setting outside a browser)', async () => {
    const { urql, methods } = client({ preferGetMethod: false });
    const result = await urql.query<Numbers>(NUMBERS, {}).toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data?.availableNumbers.nodes).toHaveLength(2);
    expect(methods).toEqual(['POST']);
  });

  it('is refused, with no API call, for a GET a cross-site page or an unknown sender could make', async () => {
    for (const headers of [
      {},
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ]) {
      stack().emulator.resetCalls();
      const { urql, methods } = client({ headers });
      const result = await urql.query<Numbers>(NUMBERS, {}).toPromise();
      expect(methods).toEqual(['GET']);
      expect(result.error?.response).toMatchObject({ status: 403 });
      expect(result.data).toBeUndefined();
      expect(stack().calls(AVAILABLE)).toEqual([]);
    }
  });
});
