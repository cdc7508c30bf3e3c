import { describe, expect, it } from 'vitest';
import { AGENT_TOKEN, BLOCKED_TOKEN, DEMO_TOKEN, EXPIRED_TOKEN } from '../../src/emulator/index.js';
import type { Stack } from '../helpers/stack.js';
import { startStack, useStack } from '../helpers/stack.js';

const LIST = '{ availableNumbers(first: 2) { nodes { phoneNumber } } }';
const SECRET = 'sk-live-7f3a9c1e-never-show-me';

const stack = useStack({ emulator: { minuteLimit: 1_000_000 } });

const firstError = (body: Awaited<ReturnType<Stack['query']>>['body']) => body.errors?.[0];

describe('credentials', () => {
  it('fails with UNAUTHENTICATED and makes no call when there is no token at all', async () => {
    const bare = await startStack({ gateway: { dataApiToken: undefined } });
    try {
      const { body } = await bare.query(LIST);
      expect(body.data).toEqual({ availableNumbers: null });
      expect(firstError(body)?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(firstError(body)?.message).toMatch(/Authorization: Bearer/);
      expect(bare.calls()).toHaveLength(0);
    } finally {
      await bare.close();
    }
  });

  it('prefers the request Bearer token over the configured one', async () => {
    await stack().query(LIST, undefined, { authorization: `Bearer ${AGENT_TOKEN}` });
    expect(stack().calls()[0]?.params.access_token).toBe(AGENT_TOKEN);
    await stack().query(LIST);
    expect(stack().calls()[1]?.params.access_token).toBe(DEMO_TOKEN);
  });

  it.each([
    [SECRET, 'access_token_invalid'],
    [BLOCKED_TOKEN, 'access_token_blocked'],
    [EXPIRED_TOKEN, 'access_token_expired'],
  ])(
    'maps a refused token (%s) to UNAUTHENTICATED with the upstream mnemonic',
    async (token, mnemonic) => {
      const { body, text } = await stack().query(LIST, undefined, {
        authorization: `Bearer ${token}`,
      });
      expect(firstError(body)?.extensions).toMatchObject({
        code: 'UNAUTHENTICATED',
        upstream: { mnemonic, field: 'access_token' },
      });
      // The API echoes the token it refused; the gateway must not pass it on.
      expect(text).not.toContain(token);
      expect(stack().logs.join('\n')).not.toContain(token);
    },
  );
});

describe('upstream errors keep their code and details', () => {
  it('maps forbidden to FORBIDDEN (agent acting for a customer not its own)', async () => {
    const { body } = await stack().query(
      '{ availableNumbers(userId: 999) { totalCount } }',
      undefined,
      {
        authorization: `Bearer ${AGENT_TOKEN}`,
      },
    );
    expect(firstError(body)?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      upstream: { mnemonic: 'forbidden' },
    });
  });

  it('maps a parameter error to BAD_USER_INPUT with field and value (bad regexp)', async () => {
    const { body } = await stack().query(
      '{ availableNumbers(filter: { phoneNumber: { regexp: "([" } }) { totalCount } }',
    );
    expect(firstError(body)?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      upstream: { mnemonic: 'invalid_parameter_value', value: '([' },
    });
  });

  it('refuses an empty "or" list with BAD_USER_INPUT before any call', async () => {
    const { body } = await stack().query('{ availableNumbers(filter: { or: [] }) { totalCount } }');
    expect(firstError(body)?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack().calls()).toHaveLength(0);
  });

  it('keeps one failing root field from erasing the others', async () => {
    stack().emulator.setFault({
      kind: 'rpcError',
      mnemonic: 'internal_error',
      methods: ['get.virtual_number_groups'],
    });
    const { body } = await stack().query(
      '{ availableNumbers(first: 1) { totalCount } virtualNumberGroups { totalCount } }',
    );
    expect((body.data?.availableNumbers as { totalCount: number }).totalCount).toBeGreaterThan(0);
    expect(body.data?.virtualNumberGroups).toBeNull();
    expect(firstError(body)).toMatchObject({
      path: ['virtualNumberGroups'],
      extensions: { code: 'UPSTREAM_ERROR', upstream: { mnemonic: 'internal_error' } },
    });
  });
});

describe('rate limits', () => {
  it("reports the last reply's limits in extensions.rateLimit", async () => {
    const { body } = await stack().query(LIST);
    expect(body.extensions?.rateLimit).toEqual({
      dayLimit: expect.any(Number) as number,
      dayRemaining: expect.any(Number) as number,
      dayReset: expect.any(Number) as number,
      minuteLimit: 1_000_000,
      minuteRemaining: expect.any(Number) as number,
      minuteReset: expect.any(Number) as number,
    });
  });

  it('maps limit_exceeded to RATE_LIMITED with retryAfter, and keeps reporting the limits', async () => {
    const limited = await startStack({ emulator: { minuteLimit: 2 } });
    try {
      await limited.query(LIST);
      const second = await limited.query(LIST);
      expect(
        (second.body.extensions?.rateLimit as { minuteRemaining: number }).minuteRemaining,
      ).toBe(0);
      const third = await limited.query(LIST);
      expect(firstError(third.body)?.extensions).toMatchObject({
        code: 'RATE_LIMITED',
        upstream: { mnemonic: 'limit_exceeded' },
      });
      const retryAfter = firstError(third.body)?.extensions?.retryAfter as number;
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(third.body.extensions?.rateLimit).toMatchObject({
        minuteLimit: 2,
        minuteRemaining: 0,
      });
    } finally {
      await limited.close();
    }
  });

  it('reports the limits last seen for the same token when a request makes no call', async () => {
    await stack().query(LIST);
    const { body } = await stack().query('{ node(id: "bm9wZQ==") { id } }');
    expect(stack().calls()).toHaveLength(1);
    expect(body.extensions?.rateLimit).toMatchObject({ minuteLimit: 1_000_000 });
    const other = await stack().query('{ node(id: "bm9wZQ==") { id } }', undefined, {
      authorization: 'Bearer someone-else',
    });
    expect(other.body.extensions?.rateLimit).toBeUndefined();
  });
});

describe('a deprecated API version', () => {
  it('is logged once and surfaced in extensions', async () => {
    const old = await startStack({ emulator: { deprecatedVersion: true } });
    try {
      const first = await old.query(LIST);
      await old.query(LIST);
      expect(first.body.extensions?.apiDeprecation).toEqual({
        currentVersion: '2.0',
        latestVersion: '2.1',
      });
      expect(old.logs.filter((line) => line.includes('deprecated'))).toHaveLength(1);
    } finally {
      await old.close();
    }
  });
});

describe('unexpected errors', () => {
  it('never shows the configured token in responses or logs', async () => {
    const secretStack = await startStack({ gateway: { dataApiToken: SECRET } });
    try {
      const responses = await Promise.all([
        secretStack.query(LIST),
        secretStack.query('{ availableNumbers(first: -1) { totalCount } }'),
        secretStack.query('{ nope }'),
      ]);
      for (const r of responses) expect(r.text).not.toContain(SECRET);
      expect(secretStack.logs.length).toBeGreaterThan(0);
      expect(secretStack.logs.join('\n')).not.toContain(SECRET);
    } finally {
      await secretStack.close();
    }
  });
});
