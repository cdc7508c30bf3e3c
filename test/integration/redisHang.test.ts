/**
 * Issue 23: a Redis that accepts connections and never answers (`kill -STOP`)
 * must cost a request at most the Redis command timeout, never a hang: the
 * response cache and the APQ store read as misses, the request deadline
 * bounds every Redis wait, and /readiness reports the hang. The "Redis" is a
 * fake on loopback (test/helpers/fakeRedis.ts) that hangs or answers on demand.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { RedisDeadlineError, RedisLink } from '../../src/upstream/redis.js';
import type { FakeRedis } from '../helpers/fakeRedis.js';
import { startFakeRedis } from '../helpers/fakeRedis.js';
import type { Stack } from '../helpers/stack.js';
import { AVAILABLE, startStack } from '../helpers/stack.js';

const TIMEOUT_MS = 200;
/** What a request may take on top of the Redis timeout on a loaded shared machine. */
const SLACK_MS = 1_000;

const QUERY = '{ availableNumbers(first: 3) { nodes { phoneNumber } } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

async function until(condition: () => Promise<boolean> | boolean, withinMs = 10_000) {
  const end = performance.now() + withinMs;
  while (!(await condition())) {
    if (performance.now() > end) throw new Error(`not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function gatewayOver(redis: FakeRedis, overrides: { timeoutMs: number; deadlineMs?: number }) {
  const config = loadConfig({});
  return startStack({
    gateway: {
      cache: {
        ...config.cache,
        ttlMs: 60_000,
        redisUrl: redis.url,
        redisCommandTimeoutMs: overrides.timeoutMs,
      },
      resilience: {
        ...config.resilience,
        retryBaseMs: 10,
        deadlineMs: overrides.deadlineMs ?? config.resilience.deadlineMs,
      },
    },
  });
}

const origin = (stack: Stack) => new URL(stack.url).origin;
const readiness = async (stack: Stack) => (await fetch(`${origin(stack)}/readiness`)).status;

function post(stack: Stack, body: unknown) {
  return fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/**
 * The worst case: the gateway holds a ready connection to a Redis that has
 * just stopped answering, so its next command is written and waits.
 */
async function hangWhileConnected(stack: Stack, redis: FakeRedis) {
  redis.answer();
  await until(async () => (await readiness(stack)) === 200);
  redis.hang();
}

describe('a Redis that accepts connections and never answers', () => {
  let redis: FakeRedis;
  let stack: Stack;
  let expected: unknown;

  beforeAll(async () => {
    redis = await startFakeRedis('answer');
    stack = await gatewayOver(redis, { timeoutMs: TIMEOUT_MS });
    await until(async () => (await readiness(stack)) === 200);
    // The answer the API gives, read once while Redis answers (and then cached in it).
    expected = (await stack.query(QUERY)).body.data;
    expect(expected).toMatchObject({ availableNumbers: { nodes: [{}, {}, {}] } });
  }, 30_000);
  afterAll(async () => {
    await stack.close();
    await redis.close();
  });

  it('turns readiness to 503 while it hangs, even with no traffic, and back to 200 once it answers', async () => {
    await hangWhileConnected(stack, redis);
    // No request in between: the probe's own PING finds the hang.
    const probe = await timed(() => readiness(stack));
    expect(probe.value).toBe(503);
    expect(probe.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    expect(await readiness(stack)).toBe(503);
    await stack.query(QUERY);
    expect(await readiness(stack)).toBe(503);

    redis.answer();
    await until(async () => (await readiness(stack)) === 200);
    expect((await fetch(`${origin(stack)}/health`)).status).toBe(200);
  });

  it('answers plain queries from the API within the timeout while the cache in Redis hangs', async () => {
    await hangWhileConnected(stack, redis);
    stack.emulator.resetCalls();
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { value, ms } = await timed(() => stack.query(QUERY));
      expect(value.status).toBe(200);
      expect(value.body).toEqual({ data: expected, extensions: expect.anything() as unknown });
      times.push(ms);
    }
    // The entry is in Redis, but Redis does not answer: every request asked the API.
    expect(stack.calls(AVAILABLE)).toHaveLength(5);
    for (const ms of times) expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    // The first found a connection that looked alive and waited out the timeout;
    // the others found it dropped and did not wait at all.
    expect(Math.max(...times.slice(1))).toBeLessThan(TIMEOUT_MS);

    const many = await timed(() =>
      Promise.all(Array.from({ length: 20 }, () => stack.query(QUERY))),
    );
    expect(many.value.every((r) => r.status === 200 && r.body.errors === undefined)).toBe(true);
    expect(many.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
  });

  it('reads an APQ hash as unknown and answers its registration, within the timeout', async () => {
    const query = '{ availableNumbers(first: 2) { totalCount } }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };

    await hangWhileConnected(stack, redis);
    const lookup = await timed(() => post(stack, { extensions }));
    expect(lookup.value.status).toBe(404);
    expect(await lookup.value.json()).toMatchObject({
      errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }],
    });
    expect(lookup.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);

    await hangWhileConnected(stack, redis);
    const registration = await timed(() => post(stack, { query, extensions }));
    expect(registration.value.status).toBe(200);
    expect(await registration.value.json()).toMatchObject({
      data: { availableNumbers: { totalCount: expect.any(Number) as unknown } },
    });
    expect(registration.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);

    // Once Redis answers again, a registration is stored and the hash alone is answered.
    redis.answer();
    await until(async () => (await readiness(stack)) === 200);
    expect((await post(stack, { query, extensions })).status).toBe(200);
    await until(async () => (await post(stack, { extensions })).status === 200);
  });

  it('uses the cache in Redis again once Redis answers', async () => {
    redis.answer();
    await until(async () => (await readiness(stack)) === 200);
    const query = '{ availableNumbers(first: 4) { nodes { phoneNumber } } }';
    await stack.query(query);
    stack.emulator.resetCalls();
    expect((await stack.query(query)).body.errors).toBeUndefined();
    expect(stack.calls(AVAILABLE)).toHaveLength(0);
  });
});

describe('the request deadline bounds a Redis wait', () => {
  let redis: FakeRedis;
  let stack: Stack;
  const DEADLINE_MS = 300;

  beforeAll(async () => {
    redis = await startFakeRedis('answer');
    // A Redis timeout far longer than the request's whole budget.
    stack = await gatewayOver(redis, { timeoutMs: 5_000, deadlineMs: DEADLINE_MS });
    await until(async () => (await readiness(stack)) === 200);
  }, 30_000);
  afterAll(async () => {
    await stack.close();
    await redis.close();
  });

  it('cuts an APQ look-up at the deadline, not the Redis timeout', async () => {
    await hangWhileConnected(stack, redis);
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256('{ __typename }') } };
    const lookup = await timed(() => post(stack, { extensions }));
    expect(lookup.value.status).toBe(404);
    expect(lookup.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    expect(lookup.ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
  });

  it('ends a query whose cache look-up hangs at the deadline, with the deadline error', async () => {
    await hangWhileConnected(stack, redis);
    const { value, ms } = await timed(() => stack.query(QUERY));
    expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
    expect(value.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
  });
});

describe('the Redis link', () => {
  const logger = createLogger('silent');

  it('holds nothing per command while Redis hangs: commands fail within the timeout, then at once', async () => {
    const redis = await startFakeRedis('answer');
    const link = new RedisLink(redis.url, logger, { commandTimeoutMs: 100 });
    try {
      await until(() => link.answering());
      redis.hang();
      const first = await timed(() =>
        Promise.allSettled(Array.from({ length: 500 }, (_, i) => link.run((r) => r.get(`k${i}`)))),
      );
      expect(first.value.every((r) => r.status === 'rejected')).toBe(true);
      expect(first.ms).toBeLessThan(100 + SLACK_MS);
      // The silent connection is dropped with every command queued on it.
      await until(() => link.pendingCommands === 0, 1_000);

      const later = await timed(() =>
        Promise.allSettled(Array.from({ length: 500 }, (_, i) => link.run((r) => r.get(`k${i}`)))),
      );
      expect(later.value.every((r) => r.status === 'rejected')).toBe(true);
      expect(later.ms).toBeLessThan(100);
      expect(link.pendingCommands).toBe(0);
      expect(await link.answering()).toBe(false);

      redis.answer();
      await until(() => link.answering());
      expect(await link.run((r) => r.get('k1'))).toBeNull();
    } finally {
      link.close();
      await redis.close();
    }
  });

  it('stops waiting at the deadline, and sends nothing past it', async () => {
    const redis = await startFakeRedis('answer');
    const link = new RedisLink(redis.url, logger, { commandTimeoutMs: 5_000 });
    try {
      await until(() => link.answering());
      redis.hang();
      const cut = await timed(() =>
        link.run((r) => r.get('a'), performance.now() + 100).catch((error: unknown) => error),
      );
      expect(cut.value).toBeInstanceOf(RedisDeadlineError);
      expect(cut.value).toMatchObject({ code: 'REDIS_DEADLINE' });
      expect(cut.ms).toBeLessThan(100 + SLACK_MS);

      const sent = redis.received.length;
      await expect(link.run((r) => r.get('b'), performance.now() - 1)).rejects.toBeInstanceOf(
        RedisDeadlineError,
      );
      expect(redis.received.length).toBe(sent);
    } finally {
      link.close();
      await redis.close();
    }
  });
});
