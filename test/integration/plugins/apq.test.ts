/**
 * Automatic persisted queries as Apollo Client 3 sends them
 * (`createPersistedQueryLink`), against the gateway over HTTP: in memory, in
 * Redis shared by two gateways, and refused in allow-list mode.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client/core';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { MemoryApqStore } from '../../../src/http/plugins/apq.js';
import type { RedisServer } from '../../helpers/redis.js';
import { redisAvailable, startRedis } from '../../helpers/redis.js';
import type { Stack } from '../../helpers/stack.js';
import { AVAILABLE, startStack, useStack } from '../../helpers/stack.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const NUMBERS = gql`
  query ApqNumbers($first: Int!) {
    availableNumbers(first: $first) {
      nodes {
        phoneNumber
      }
    }
  }
`;

interface Numbers {
  availableNumbers: { nodes: { phoneNumber: string }[] };
}

interface Sent {
  readonly hasQuery: boolean;
  readonly hash: string | undefined;
  readonly status: number;
  readonly code: string | undefined;
}

/** Apollo Client with the APQ link, as its docs set it up; records what goes over the wire. */
function apollo(url: string) {
  const sent: Sent[] = [];
  const link = createPersistedQueryLink({ sha256 }).concat(
    new HttpLink({
      uri: url,
      fetch: async (input, init) => {
        // HttpLink posts JSON text.
        const body = JSON.parse(init?.body as string) as {
          query?: string;
          extensions?: { persistedQuery?: { sha256Hash?: string } };
        };
        const response = await fetch(input, init);
        const answer = (await response.clone().json()) as {
          errors?: { extensions?: { code?: string } }[];
        };
        sent.push({
          hasQuery: typeof body.query === 'string',
          hash: body.extensions?.persistedQuery?.sha256Hash,
          status: response.status,
          code: answer.errors?.[0]?.extensions?.code,
        });
        return response;
      },
    }),
  );
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  return {
    sent,
    run: (first: number) =>
      client.query<Numbers>({ query: NUMBERS, variables: { first }, fetchPolicy: 'no-cache' }),
  };
}

describe('automatic persisted queries (in memory)', () => {
  const stack = useStack();

  it('hash alone: not found; hash and text: verified, stored, answered; then hash alone: answered', async () => {
    const first = apollo(stack().url);
    const result = await first.run(2);
    expect(result.data.availableNumbers.nodes).toHaveLength(2);
    const hash = first.sent[0]?.hash;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(first.sent).toEqual([
      { hasQuery: false, hash, status: 404, code: 'PERSISTED_QUERY_NOT_FOUND' },
      { hasQuery: true, hash, status: 200, code: undefined },
    ]);

    // Another client (nothing cached in the link): the hash alone is enough now.
    stack().emulator.resetCalls();
    const second = apollo(stack().url);
    const again = await second.run(3);
    expect(again.data.availableNumbers.nodes).toHaveLength(3);
    expect(second.sent).toEqual([{ hasQuery: false, hash, status: 200, code: undefined }]);
    expect(stack().calls(AVAILABLE)).toHaveLength(1);
  });

  it('refuses a document whose hash is not the one sent, and does not store it', async () => {
    const query = '{ availableNumbers(first: 1) { totalCount } }';
    const wrong = sha256('something else');
    const post = (body: unknown) =>
      fetch(stack().url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const extensions = { persistedQuery: { version: 1, sha256Hash: wrong } };
    const refused = await post({ query, extensions });
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { errors: { message: string; extensions: object }[] };
    expect(body.errors[0]?.message).toContain(sha256(query));
    expect(body.errors[0]?.extensions).toMatchObject({ code: 'PERSISTED_QUERY_MISMATCH' });
    const later = await post({ extensions });
    expect(later.status).toBe(404);
    expect(stack().calls()).toEqual([]);
  });

  it('refuses a malformed hash or version with a message naming the problem', async () => {
    for (const persistedQuery of [
      { version: 1, sha256Hash: 'abc' },
      { version: 2, sha256Hash: sha256('{ __typename }') },
    ]) {
      const response = await fetch(stack().url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ extensions: { persistedQuery } }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe('PERSISTED_QUERY_INVALID');
    }
  });

  it('stores only documents that validate', async () => {
    const invalid = '{ noSuchField }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(invalid) } };
    const post = (body: unknown) =>
      fetch(stack().url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refused = (await (await post({ query: invalid, extensions })).json()) as {
      errors: { extensions: { code: string } }[];
    };
    expect(refused.errors[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await post({ extensions })).status).toBe(404);
  });
});

describe('the in-memory store', () => {
  it('is bounded in entries and bytes, least recently used first out', async () => {
    const store = new MemoryApqStore(2, 100);
    await store.set('a', 'x'.repeat(10));
    await store.set('b', 'y'.repeat(10));
    await store.get('a');
    await store.set('c', 'z'.repeat(10));
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBeDefined();
    await store.set('d', 'w'.repeat(95));
    expect([await store.get('a'), await store.get('c')]).toEqual([undefined, undefined]);
    expect(loadConfig({}).apq).toEqual({ maxEntries: 1000, ttlMs: 86_400_000 });
  });
});

describe.skipIf(!redisAvailable && !process.env.CI)('automatic persisted queries in Redis', () => {
  let redis: RedisServer;
  let one: Stack;
  let two: Stack;

  beforeAll(async () => {
    redis = await startRedis();
    const gateway = { cache: { ...loadConfig({}).cache, redisUrl: redis.url } };
    one = await startStack({ gateway });
    two = await startStack({ gateway });
    // Until connected, the store reads as a miss and writes are dropped.
    await new Promise((resolve) => setTimeout(resolve, 300));
  }, 30_000);
  afterAll(async () => {
    await Promise.all([one.close(), two.close()]);
    await redis.stop();
  });

  it('a document registered on one gateway is answered by hash on another', async () => {
    const first = apollo(one.url);
    await first.run(4);
    expect(first.sent.map((s) => s.status)).toEqual([404, 200]);

    const second = apollo(two.url);
    const result = await second.run(4);
    expect(result.data.availableNumbers.nodes).toHaveLength(4);
    expect(second.sent).toEqual([
      { hasQuery: false, hash: first.sent[0]?.hash, status: 200, code: undefined },
    ]);
  });

  it('without Redis, hashes read as unknown and the link resends the text: no failure', async () => {
    await redis.stop();
    const client = apollo(two.url);
    const result = await client.run(5);
    expect(result.data.availableNumbers.nodes).toHaveLength(5);
    expect(client.sent.map((s) => [s.hasQuery, s.status])).toEqual([
      [false, 404],
      [true, 200],
    ]);
  });
});

describe('allow-list mode stays strict', () => {
  const dir = mkdtempSync(join(tmpdir(), 'apq-allow-'));
  const registered = 'query Registered { availableNumbers(first: 1) { totalCount } }';
  const file = join(dir, 'allow.json');
  writeFileSync(file, JSON.stringify({ [sha256(registered)]: registered }));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const stack = useStack({ gateway: { persistedOperationsFile: file } });

  it('refuses an unregistered document from the APQ link, sent by hash or with its text', async () => {
    const client = apollo(stack().url);
    await expect(client.run(1)).rejects.toThrow();
    expect(client.sent.map((s) => s.code)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);

    // Sending the text with the hash does not register it either.
    const extensions = { persistedQuery: { version: 1, sha256Hash: client.sent[0]?.hash } };
    const post = (body: unknown) =>
      fetch(stack().url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const withText = (await (await post({ query: '{ __typename }', extensions })).json()) as {
      data?: unknown;
    };
    expect(withText.data ?? null).toBeNull();
    const byHash = (await (await post({ extensions })).json()) as {
      errors: { extensions: { code: string } }[];
    };
    expect(byHash.errors[0]?.extensions.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    expect(stack().calls()).toEqual([]);
  });
});
