import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorObject, Metadata, RateLimits } from '../../src/api/wire.js';
import {
  AGENT_CUSTOMER_IDS,
  AGENT_TOKEN,
  BLOCKED_TOKEN,
  DEMO_LOGIN,
  DEMO_PASSWORD,
  DEMO_TOKEN,
  EXPIRED_TOKEN,
  startEmulator,
} from '../../src/emulator/index.js';
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/index.js';

interface Reply {
  readonly jsonrpc: string;
  readonly id: unknown;
  readonly result?: { readonly metadata: Metadata; readonly data: unknown };
  readonly error?: ApiErrorObject;
}

const NUMBERS = 'get.available_virtual_numbers';
const GROUPS = 'get.virtual_number_groups';

async function post(url: string, body: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=UTF-8' },
    body,
  });
}

async function send(url: string, body: unknown): Promise<Reply> {
  const res = await post(url, JSON.stringify(body));
  expect(res.status).toBe(200);
  return (await res.json()) as Reply;
}

let nextId = 1;
function call(url: string, method: string, params: Record<string, unknown>): Promise<Reply> {
  nextId += 1;
  return send(url, { jsonrpc: '2.0', id: nextId, method, params });
}

function errorOf(reply: Reply) {
  expect(reply.result).toBeUndefined();
  return {
    code: reply.error?.code,
    mnemonic: reply.error?.data?.mnemonic,
    field: reply.error?.data?.field,
  };
}

function limitsOf(reply: Reply): RateLimits | undefined {
  return reply.result?.metadata.limits ?? reply.error?.data?.metadata?.limits;
}

/** Does a request end in a rejection or a body that is not JSON? */
async function outcome(url: string): Promise<'valid' | 'invalid' | 'rejected'> {
  try {
    const res = await post(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: NUMBERS }));
    const text = await res.text();
    JSON.parse(text);
    return 'valid';
  } catch (error) {
    return error instanceof SyntaxError ? 'invalid' : 'rejected';
  }
}

/** A clock the tests move by hand; starts mid-minute so windows are predictable. */
function manualClock(start = Date.UTC(2025, 0, 15, 12, 0, 30)) {
  let time = start;
  return {
    now: () => time,
    advance(ms: number) {
      time += ms;
    },
  };
}

async function withEmulator(
  options: EmulatorOptions,
  body: (emulator: RunningEmulator) => Promise<void>,
) {
  const emulator = await startEmulator(options);
  try {
    await body(emulator);
  } finally {
    await emulator.close();
  }
}

describe('emulator over HTTP', () => {
  let emulator: RunningEmulator;
  let url: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    url = emulator.url;
  });
  afterAll(async () => {
    await emulator.close();
  });
  afterEach(() => {
    emulator.setFault(null);
    emulator.resetCalls();
  });

  describe('a get call', () => {
    it('replies with metadata, limits and rows', async () => {
      expect(url).toBe(`http://127.0.0.1:${emulator.port}/v2.0`);
      const res = await post(
        url,
        JSON.stringify({
          jsonrpc: '2.0',
          id: 'req-1',
          method: NUMBERS,
          params: { access_token: DEMO_TOKEN, limit: 2 },
        }),
      );
      expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
      const reply = (await res.json()) as Reply;
      expect(reply.jsonrpc).toBe('2.0');
      expect(reply.id).toBe('req-1');
      expect(reply.result?.metadata.total_items).toBe(3000);
      expect(reply.result?.metadata.api_version).toBeUndefined();
      expect(reply.result?.data).toHaveLength(2);
      const limits = reply.result?.metadata.limits;
      expect(limits).toMatchObject({
        day_limit: 100_000,
        day_remaining: 99_999,
        minute_limit: 10_000,
        minute_remaining: 9_999,
      });
      expect(limits?.minute_reset).toBeGreaterThan(0);
      expect(limits?.minute_reset).toBeLessThanOrEqual(60);
      expect(limits?.day_reset).toBeLessThanOrEqual(86_400);
    });

    it('filters, sorts, pages and projects', async () => {
      const reply = await call(url, GROUPS, {
        access_token: DEMO_TOKEN,
        filter: {
          condition: 'or',
          filters: [
            { field: 'number', operator: 'in', value: ['g1', 'g2', 'g3'] },
            { field: 'name', operator: 'is_null' },
          ],
        },
        sort: [{ field: 'id', order: 'desc' }],
        fields: ['number', 'id'],
        limit: 2,
        offset: 1,
      });
      const rows = reply.result?.data as { number: string; id: number }[];
      expect(reply.result?.metadata.total_items).toBeGreaterThan(3);
      expect(rows).toHaveLength(2);
      expect(Object.keys(rows[0] ?? {})).toEqual(['number', 'id']);
      expect((rows[0]?.id ?? 0) > (rows[1]?.id ?? 0)).toBe(true);
    });

    it('reports a bad param with its mnemonic, field and the limits', async () => {
      const reply = await call(url, NUMBERS, {
        access_token: DEMO_TOKEN,
        filter: { field: 'monthly_charge', operator: '>', value: 100 },
      });
      expect(errorOf(reply)).toEqual({
        code: -32602,
        mnemonic: 'filter_prohibited',
        field: 'filter.field',
      });
      expect(reply.error?.data?.value).toBe('monthly_charge');
      expect(reply.error?.data?.extended_helper).toMatch(/^https:\/\//);
      expect(limitsOf(reply)?.day_limit).toBe(100_000);
    });

    it('refuses unknown top-level params', async () => {
      const reply = await call(url, NUMBERS, { access_token: DEMO_TOKEN, page: 2 });
      expect(errorOf(reply)).toEqual({
        code: -32602,
        mnemonic: 'unexpected_parameters',
        field: 'page',
      });
    });
  });

  describe('the JSON-RPC envelope', () => {
    it('invalid JSON → parse_error', async () => {
      const res = await post(url, '{"jsonrpc":"2.0",');
      const reply = (await res.json()) as Reply;
      expect(reply.id).toBeNull();
      expect(errorOf(reply)).toMatchObject({ code: -32700, mnemonic: 'parse_error' });
    });

    it('a batch is refused', async () => {
      const single = {
        jsonrpc: '2.0',
        id: 1,
        method: NUMBERS,
        params: { access_token: DEMO_TOKEN },
      };
      const reply = await send(url, [single, { ...single, id: 2 }]);
      expect(errorOf(reply)).toMatchObject({
        code: -32099,
        mnemonic: 'batch_opreations_not_supported',
      });
    });

    it('a notification (no id) is refused', async () => {
      const reply = await send(url, { jsonrpc: '2.0', method: NUMBERS, params: {} });
      expect(errorOf(reply)).toMatchObject({
        code: -32099,
        mnemonic: 'notifications_not_supported',
      });
    });

    it('a wrong jsonrpc version or missing method → invalid_request', async () => {
      const version = await send(url, { jsonrpc: '1.0', id: 5, method: NUMBERS, params: {} });
      expect(errorOf(version)).toMatchObject({ code: -32600, mnemonic: 'invalid_request' });
      expect(version.id).toBe(5);
      const method = await send(url, { jsonrpc: '2.0', id: 6, params: {} });
      expect(errorOf(method)).toMatchObject({ code: -32600, mnemonic: 'invalid_request' });
    });

    it('an unknown method → method_not_found, echoing the id', async () => {
      const reply = await send(url, {
        jsonrpc: '2.0',
        id: 'x-1',
        method: 'get.nothing',
        params: {},
      });
      expect(reply.id).toBe('x-1');
      expect(errorOf(reply)).toMatchObject({ code: -32601, mnemonic: 'method_not_found' });
    });

    it('only POST is allowed', async () => {
      const res = await fetch(url);
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(errorOf((await res.json()) as Reply).mnemonic).toBe('invalid_request');
    });

    it('caps the body size', async () => {
      const res = await post(url, JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }));
      expect(res.status).toBe(413);
      expect(errorOf((await res.json()) as Reply).mnemonic).toBe('invalid_request');
      expect(
        (await call(url, NUMBERS, { access_token: DEMO_TOKEN, limit: 1 })).result,
      ).toBeDefined();
    });
  });

  describe('authentication', () => {
    it('a missing token → required_parameter_missed', async () => {
      const reply = await call(url, NUMBERS, {});
      expect(errorOf(reply)).toEqual({
        code: -32602,
        mnemonic: 'required_parameter_missed',
        field: 'access_token',
      });
    });

    it('an unknown token → access_token_invalid, echoing the token and without limits', async () => {
      const reply = await call(url, NUMBERS, { access_token: 'not-a-token' });
      expect(errorOf(reply)).toEqual({
        code: -32001,
        mnemonic: 'access_token_invalid',
        field: 'access_token',
      });
      expect(reply.error?.data?.value).toBe('not-a-token');
      expect(reply.error?.data?.metadata).toBeUndefined();
    });

    it('blocked and expired keys', async () => {
      const blocked = await call(url, NUMBERS, { access_token: BLOCKED_TOKEN });
      expect(errorOf(blocked)).toMatchObject({ code: -32001, mnemonic: 'access_token_blocked' });
      const expired = await call(url, NUMBERS, { access_token: EXPIRED_TOKEN });
      expect(errorOf(expired)).toMatchObject({ code: -32001, mnemonic: 'access_token_expired' });
    });

    it('an agent must name one of its customers in user_id', async () => {
      const missing = await call(url, NUMBERS, { access_token: AGENT_TOKEN });
      expect(errorOf(missing)).toEqual({
        code: -32602,
        mnemonic: 'required_parameter_missed',
        field: 'user_id',
      });
      expect(limitsOf(missing)).toBeDefined();
      const stranger = await call(url, NUMBERS, { access_token: AGENT_TOKEN, user_id: 999 });
      expect(errorOf(stranger)).toEqual({ code: -32003, mnemonic: 'forbidden', field: 'user_id' });
      const wrongType = await call(url, NUMBERS, { access_token: AGENT_TOKEN, user_id: '1001' });
      expect(errorOf(wrongType)).toMatchObject({ mnemonic: 'data_type_error', field: 'user_id' });
      const ok = await call(url, NUMBERS, {
        access_token: AGENT_TOKEN,
        user_id: AGENT_CUSTOMER_IDS[0],
        limit: 1,
      });
      expect(ok.result?.data).toHaveLength(1);
    });

    it('a customer may send user_id; it is ignored', async () => {
      const reply = await call(url, NUMBERS, { access_token: DEMO_TOKEN, user_id: 42, limit: 1 });
      expect(reply.result?.data).toHaveLength(1);
    });

    it('wrong credentials → auth_error', async () => {
      const reply = await call(url, 'login.user', { login: DEMO_LOGIN, password: 'nope' });
      expect(errorOf(reply)).toMatchObject({ code: -32001, mnemonic: 'auth_error' });
    });
  });

  describe('faults', () => {
    it('slow: replies normally after the delay', async () => {
      emulator.setFault({ kind: 'slow', delayMs: 200 });
      const started = Date.now();
      const reply = await call(url, NUMBERS, { access_token: DEMO_TOKEN, limit: 1 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      expect(reply.result?.data).toHaveLength(1);
    });

    it('slow: survives a client that gives up', async () => {
      emulator.setFault({ kind: 'slow', delayMs: 300, times: 1 });
      await expect(
        fetch(url, {
          method: 'POST',
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: NUMBERS, params: {} }),
          signal: AbortSignal.timeout(50),
        }),
      ).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect(
        (await call(url, NUMBERS, { access_token: DEMO_TOKEN, limit: 1 })).result,
      ).toBeDefined();
    });

    it('httpError: an HTML error page with that status', async () => {
      emulator.setFault({ kind: 'httpError', status: 502 });
      const res = await post(url, '{}');
      expect(res.status).toBe(502);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toBe('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });

    it('truncated: the client sees a premature end or invalid JSON', async () => {
      emulator.setFault({ kind: 'truncated' });
      expect(await outcome(url)).not.toBe('valid');
    });

    it('drop: the connection closes without a reply', async () => {
      emulator.setFault({ kind: 'drop' });
      expect(await outcome(url)).toBe('rejected');
    });

    it('rpcError: the given JSON-RPC error', async () => {
      emulator.setFault({ kind: 'rpcError', mnemonic: 'internal_error' });
      const reply = await call(url, NUMBERS, { access_token: DEMO_TOKEN });
      expect(reply.id).toBe(nextId);
      expect(errorOf(reply)).toMatchObject({ code: -32603, mnemonic: 'internal_error' });
    });

    it('notJsonRpc: valid JSON that is not a JSON-RPC reply', async () => {
      emulator.setFault({ kind: 'notJsonRpc' });
      const res = await post(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: NUMBERS }));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ hello: 'world' });
    });

    it('times: applies to the next N requests only', async () => {
      emulator.setFault({ kind: 'httpError', status: 503, times: 2 });
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await post(url, '{}')).status);
      expect(statuses).toEqual([503, 503, 200]);
    });

    it('methods: applies to the listed methods only', async () => {
      emulator.setFault({ kind: 'rpcError', mnemonic: 'limit_exceeded', methods: [GROUPS] });
      const numbers = await call(url, NUMBERS, { access_token: DEMO_TOKEN, limit: 1 });
      expect(numbers.result).toBeDefined();
      const groups = await call(url, GROUPS, { access_token: DEMO_TOKEN, limit: 1 });
      expect(errorOf(groups)).toMatchObject({ code: -32029, mnemonic: 'limit_exceeded' });
    });

    it('faulted requests are still recorded', async () => {
      emulator.setFault({ kind: 'drop' });
      await outcome(url);
      expect(emulator.calls.map((c) => c.method)).toEqual([NUMBERS]);
    });
  });

  describe('call recording', () => {
    it('records method and params exactly as received', async () => {
      const params = {
        access_token: DEMO_TOKEN,
        filter: { field: 'category', operator: '=', value: 'gold' },
        fields: ['phone_number'],
        limit: 5,
      };
      await call(url, NUMBERS, params);
      await call(url, GROUPS, { access_token: 'bad' });
      await post(url, 'not json');
      expect(emulator.calls).toHaveLength(2);
      expect(emulator.calls[0]).toMatchObject({ method: NUMBERS, params });
      expect(emulator.calls[0]?.params).toEqual(params);
      expect(emulator.calls[1]).toMatchObject({ method: GROUPS, params: { access_token: 'bad' } });
      expect(typeof emulator.calls[0]?.at).toBe('number');
      emulator.resetCalls();
      expect(emulator.calls).toEqual([]);
    });
  });
});

describe('sessions', () => {
  it('login.user gives a token that works until it expires; logout ends it', async () => {
    const clock = manualClock();
    await withEmulator({ now: clock.now, sessionTtlSeconds: 60 }, async ({ url }) => {
      const login = await call(url, 'login.user', { login: DEMO_LOGIN, password: DEMO_PASSWORD });
      const session = login.result?.data as { access_token: string; expire_at: number };
      expect(typeof session.access_token).toBe('string');
      expect(session.expire_at).toBe(Math.floor(clock.now() / 1000) + 60);

      const ok = await call(url, NUMBERS, { access_token: session.access_token, limit: 1 });
      expect(ok.result?.data).toHaveLength(1);

      clock.advance(60_000);
      const expired = await call(url, NUMBERS, { access_token: session.access_token });
      expect(errorOf(expired)).toMatchObject({ code: -32001, mnemonic: 'access_token_expired' });

      const again = await call(url, 'login.user', { login: DEMO_LOGIN, password: DEMO_PASSWORD });
      const token = (again.result?.data as { access_token: string }).access_token;
      expect(token).not.toBe(session.access_token);
      const out = await call(url, 'logout.user', { access_token: token });
      expect(out.error).toBeUndefined();
      const after = await call(url, NUMBERS, { access_token: token });
      expect(errorOf(after)).toMatchObject({ mnemonic: 'access_token_invalid' });
    });
  });
});

describe('rate limits', () => {
  it('charges only successes and refuses once a window is spent', async () => {
    const clock = manualClock();
    await withEmulator({ now: clock.now, minuteLimit: 2, dayLimit: 10 }, async ({ url }) => {
      const first = await call(url, NUMBERS, { access_token: DEMO_TOKEN, limit: 1 });
      expect(limitsOf(first)).toEqual({
        day_limit: 10,
        day_remaining: 9,
        day_reset: 12 * 3600 - 30,
        minute_limit: 2,
        minute_remaining: 1,
        minute_reset: 30,
      });

      const failed = await call(url, NUMBERS, { access_token: DEMO_TOKEN, limit: -1 });
      expect(errorOf(failed).mnemonic).toBe('invalid_parameter_value');
      expect(limitsOf(failed)?.minute_remaining).toBe(1);

      const second = await call(url, NUMBERS, { access_token: DEMO_TOKEN, limit: 1 });
      expect(limitsOf(second)?.minute_remaining).toBe(0);

      const third = await call(url, NUMBERS, { access_token: DEMO_TOKEN, limit: 1 });
      expect(errorOf(third)).toMatchObject({ code: -32029, mnemonic: 'limit_exceeded' });
      expect(limitsOf(third)).toMatchObject({ minute_remaining: 0, day_remaining: 8 });

      // Limits are per token.
      const agent = await call(url, NUMBERS, {
        access_token: AGENT_TOKEN,
        user_id: 1001,
        limit: 1,
      });
      expect(limitsOf(agent)?.minute_remaining).toBe(1);

      clock.advance(30_000);
      const nextMinute = await call(url, NUMBERS, { access_token: DEMO_TOKEN, limit: 1 });
      expect(limitsOf(nextMinute)).toMatchObject({ minute_remaining: 1, minute_reset: 60 });
    });
  });
});

describe('deprecated version', () => {
  it('adds api_version to the metadata of successes', async () => {
    await withEmulator({ deprecatedVersion: true }, async ({ url }) => {
      const reply = await call(url, GROUPS, { access_token: DEMO_TOKEN, limit: 1 });
      expect(reply.result?.metadata.api_version).toEqual({
        current_version_deprecated: true,
        current_version: '2.0',
        latest_version: '2.1',
      });
    });
  });
});

describe('close', () => {
  it('ends keep-alive connections and frees the port', async () => {
    const emulator = await startEmulator();
    await call(emulator.url, NUMBERS, { access_token: DEMO_TOKEN, limit: 1 });
    await emulator.close();
    await expect(post(emulator.url, '{}')).rejects.toThrow();
  });
});
