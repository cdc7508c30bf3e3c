import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import type { StackOptions } from '../helpers/stack.js';
import { AVAILABLE, startStack } from '../helpers/stack.js';
import { redisAvailable, startRedis } from '../helpers/redis.js';

const LIST =
  '{ availableNumbers(first: 3, orderBy: [{ field: PHONE_NUMBER }]) { nodes { phoneNumber } } }';
const cacheConfig = (ttlMs: number, redisUrl?: string): NonNullable<StackOptions['gateway']> => ({
  cache: { ...loadConfig({}).cache, ttlMs, redisUrl },
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('single flight', () => {
  it('shares one call among concurrent identical requests, per credential', async () => {
    const stack = await startStack();
    try {
      stack.emulator.setFault({ kind: 'slow', delayMs: 200 });
      const answers = await Promise.all([
        stack.query(LIST),
        stack.query(LIST),
        stack.query(LIST),
        stack.query(LIST, undefined, { authorization: 'Bearer agent-token' }),
      ]);
      expect(stack.calls(AVAILABLE)).toHaveLength(2);
      expect(answers[0].body.data).toEqual(answers[1].body.data);
      expect(answers[2].body.errors).toBeUndefined();
      // Not a cache: once the call is over, the next request calls again.
      await stack.query(LIST);
      expect(stack.calls(AVAILABLE)).toHaveLength(3);
    } finally {
      await stack.close();
    }
  });
});

describe('the in-memory response cache', () => {
  it('reuses a reply for its TTL, never across credentials, then calls again', async () => {
    const stack = await startStack({ gateway: cacheConfig(400) });
    try {
      const first = await stack.query(LIST);
      const second = await stack.query(LIST);
      expect(stack.calls(AVAILABLE)).toHaveLength(1);
      expect(second.body.data).toEqual(first.body.data);
      // Limits reported on a reused reply are the last ones seen, not a replay.
      expect(second.body.extensions?.rateLimit).toEqual(first.body.extensions?.rateLimit);

      await stack.query(LIST, undefined, { authorization: 'Bearer agent-token' });
      expect(stack.calls(AVAILABLE)).toHaveLength(2);

      await sleep(500);
      await stack.query(LIST);
      expect(stack.calls(AVAILABLE)).toHaveLength(3);
    } finally {
      await stack.close();
    }
  });

  it('is off by default', async () => {
    const stack = await startStack();
    try {
      await stack.query(LIST);
      await stack.query(LIST);
      expect(stack.calls(AVAILABLE)).toHaveLength(2);
    } finally {
      await stack.close();
    }
  });
});

describe.skipIf(!redisAvailable && !process.env.CI)('the Redis response cache', () => {
  if (!redisAvailable) {
    it('needs redis-server (apt-get install redis-server)', () => {
      throw new Error('redis-server is not installed; .ci/run installs it with apt-get');
    });
    return;
  }

  it('is shared by two gateway instances and expires with its TTL', async () => {
    const redis = await startRedis();
    const a = await startStack({ gateway: cacheConfig(600, redis.url) });
    const b = await startStack({
      gateway: { ...cacheConfig(600, redis.url), dataApiUrl: a.emulator.url },
    });
    // Until connected, the cache reads as a miss and writes are dropped.
    await sleep(200);
    try {
      const fromA = await a.query(LIST);
      const fromB = await b.query(LIST);
      expect(fromB.body.data).toEqual(fromA.body.data);
      expect(a.calls(AVAILABLE)).toHaveLength(1);
      await sleep(700);
      await b.query(LIST);
      expect(a.calls(AVAILABLE)).toHaveLength(2);
    } finally {
      await b.close();
      await a.close();
      await redis.stop();
    }
  });

  it('degrades to calling the API when Redis is down, never to an error', async () => {
    const redis = await startRedis();
    const stack = await startStack({ gateway: cacheConfig(60_000, redis.url) });
    await sleep(200);
    try {
      await stack.query(LIST);
      await stack.query(LIST);
      expect(stack.calls(AVAILABLE)).toHaveLength(1);
      await redis.stop();
      const during = await stack.query(LIST);
      expect(during.body.errors).toBeUndefined();
      expect(stack.calls(AVAILABLE)).toHaveLength(2);
    } finally {
      await stack.close();
    }
  });
});
