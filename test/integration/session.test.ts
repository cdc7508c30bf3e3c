import { describe, expect, it } from 'vitest';
import { DEMO_LOGIN, DEMO_PASSWORD } from '../../src/emulator/index.js';
import type { Stack } from '../helpers/stack.js';
import { startStack } from '../helpers/stack.js';

const LIST = '{ availableNumbers(first: 1) { nodes { phoneNumber } } }';
const LOGIN = 'login.user';

/** A gateway that logs in itself, over an emulator whose clock the test moves. */
async function sessionStack(options: { ttlSeconds: number; renewBeforeMs: number }) {
  let offsetMs = 0;
  const stack = await startStack({
    emulator: { sessionTtlSeconds: options.ttlSeconds, now: () => Date.now() + offsetMs },
    gateway: {
      dataApiToken: undefined,
      dataApiLogin: { login: DEMO_LOGIN, password: DEMO_PASSWORD },
      sessionRenewMs: options.renewBeforeMs,
    },
  });
  return { stack, advance: (ms: number) => (offsetMs += ms) };
}

const okRows = (s: Stack) => async () => {
  const { body } = await s.query(LIST);
  expect(body.errors).toBeUndefined();
};

describe('session authentication with login.user', () => {
  it('logs in once for concurrent requests and uses the session token', async () => {
    const { stack } = await sessionStack({ ttlSeconds: 3600, renewBeforeMs: 60_000 });
    try {
      await Promise.all(Array.from({ length: 5 }, okRows(stack)));
      expect(stack.calls(LOGIN)).toHaveLength(1);
      const token = stack.calls('get.available_virtual_numbers')[0]?.params.access_token;
      expect(typeof token).toBe('string');
      await okRows(stack)();
      expect(stack.calls(LOGIN)).toHaveLength(1);
      for (const call of stack.calls('get.available_virtual_numbers')) {
        expect(call.params.access_token).toBe(token);
      }
    } finally {
      await stack.close();
    }
  });

  it('renews the session before it expires', async () => {
    // A 3 s session renewed 2.5 s early: valid for 0.5 s after each login.
    const { stack } = await sessionStack({ ttlSeconds: 3, renewBeforeMs: 2_500 });
    try {
      await okRows(stack)();
      await new Promise((resolve) => setTimeout(resolve, 700));
      await okRows(stack)();
      expect(stack.calls(LOGIN)).toHaveLength(2);
      const tokens = new Set(
        stack.calls('get.available_virtual_numbers').map((c) => c.params.access_token),
      );
      expect(tokens.size).toBe(2);
    } finally {
      await stack.close();
    }
  });

  it('logs in again once on access_token_expired and repeats the call', async () => {
    const { stack, advance } = await sessionStack({ ttlSeconds: 3600, renewBeforeMs: 1_000 });
    try {
      await okRows(stack)();
      // The API's clock passes the session's end while the gateway still trusts it.
      advance(3_601_000);
      await okRows(stack)();
      expect(stack.calls().map((c) => c.method)).toEqual([
        LOGIN,
        'get.available_virtual_numbers',
        'get.available_virtual_numbers',
        LOGIN,
        'get.available_virtual_numbers',
      ]);
    } finally {
      await stack.close();
    }
  });

  it('fails with UNAUTHENTICATED on wrong credentials, never logging the password', async () => {
    const stack = await startStack({
      gateway: {
        dataApiToken: undefined,
        dataApiLogin: { login: DEMO_LOGIN, password: 'wrong-password-0xdeadbeef' },
      },
    });
    try {
      const { body, text } = await stack.query(LIST);
      expect(body.errors?.[0]?.extensions).toMatchObject({
        code: 'UNAUTHENTICATED',
        upstream: { mnemonic: 'auth_error' },
      });
      expect(text).not.toContain('wrong-password-0xdeadbeef');
      expect(stack.logs.length).toBeGreaterThan(0);
      expect(stack.logs.join('\n')).not.toContain('wrong-password-0xdeadbeef');
    } finally {
      await stack.close();
    }
  });

  it('prefers a Bearer token from the request over the session', async () => {
    const { stack } = await sessionStack({ ttlSeconds: 3600, renewBeforeMs: 60_000 });
    try {
      await stack.query(LIST, undefined, { authorization: 'Bearer demo-token' });
      expect(stack.calls(LOGIN)).toHaveLength(0);
    } finally {
      await stack.close();
    }
  });
  it('never repeats login.user after a transport failure, while get.* calls are retried', async () => {
    const { stack } = await sessionStack({ ttlSeconds: 3600, renewBeforeMs: 60_000 });
    try {
      // A 503 is retried for reads; a login is a write and is sent once.
      stack.emulator.setFault({ kind: 'httpError', status: 503, times: 1, methods: [LOGIN] });
      const failed = await stack.query(LIST);
      expect(failed.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(stack.calls(LOGIN)).toHaveLength(1);
      expect(stack.calls('get.available_virtual_numbers')).toHaveLength(0);

      const GET = 'get.available_virtual_numbers';
      stack.emulator.setFault({ kind: 'httpError', status: 503, times: 1, methods: [GET] });
      await okRows(stack)();
      expect(stack.calls(LOGIN)).toHaveLength(2);
      expect(stack.calls(GET)).toHaveLength(2);
    } finally {
      await stack.close();
    }
  });
});
