import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import type { Fault } from '../../src/emulator/index.js';
import { startCountingProxy } from '../helpers/countingProxy.js';
import { startStack, useStack } from '../helpers/stack.js';

const LIST = '{ availableNumbers(first: 2) { nodes { phoneNumber } } }';
const defaults = loadConfig({}).resilience;

// A short timeout keeps the slow-reply case quick; retries as configured by default (2).
// The breaker has its own tests; here it must not open between cases.
const stack = useStack({
  gateway: {
    timeoutMs: 300,
    resilience: {
      ...defaults,
      retryBaseMs: 10,
      breaker: { ...defaults.breaker, volumeThreshold: 1_000_000 },
    },
  },
});

describe('each fault of the API: the code the client gets and the calls the API received', () => {
  const cases: [string, string, number, Fault][] = [
    [
      'a reply slower than the timeout',
      'UPSTREAM_UNAVAILABLE',
      3,
      { kind: 'slow', delayMs: 1_000 },
    ],
    ['HTTP 502 with an HTML body', 'UPSTREAM_UNAVAILABLE', 3, { kind: 'httpError', status: 502 }],
    ['HTTP 503 with an HTML body', 'UPSTREAM_UNAVAILABLE', 3, { kind: 'httpError', status: 503 }],
    // 500 is the API failing on this call, not a passing outage: not retried.
    ['HTTP 500 with an HTML body', 'UPSTREAM_UNAVAILABLE', 1, { kind: 'httpError', status: 500 }],
    ['a dropped connection', 'UPSTREAM_UNAVAILABLE', 3, { kind: 'drop' }],
    ['a truncated JSON body', 'UPSTREAM_UNAVAILABLE', 3, { kind: 'truncated' }],
    [
      'a JSON-RPC internal_error',
      'UPSTREAM_ERROR',
      1,
      { kind: 'rpcError', mnemonic: 'internal_error' },
    ],
    ['a reply that is not JSON-RPC', 'UPSTREAM_ERROR', 1, { kind: 'notJsonRpc' }],
    ['limit_exceeded', 'RATE_LIMITED', 1, { kind: 'rpcError', mnemonic: 'limit_exceeded' }],
  ];

  it.each(cases)(
    '%s → %s after %i call(s), then the next request succeeds',
    async (_name, code, calls, fault) => {
      stack().emulator.setFault(fault);
      const { status, body } = await stack().query(LIST);
      expect(status).toBe(200);
      expect(body.data).toEqual({ availableNumbers: null });
      expect(body.errors?.[0]?.extensions?.code).toBe(code);
      expect(stack().calls()).toHaveLength(calls);

      stack().emulator.setFault(null);
      const next = await stack().query(LIST);
      expect(next.body.errors).toBeUndefined();
      expect(stack().calls()).toHaveLength(calls + 1);
    },
  );

  it('retries a passing transport failure and answers with data', async () => {
    stack().emulator.setFault({ kind: 'httpError', status: 503, times: 1 });
    const { body } = await stack().query(LIST);
    expect(body.errors).toBeUndefined();
    expect(stack().calls()).toHaveLength(2);
  });

  it('maps connection refused to UPSTREAM_UNAVAILABLE', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const dead = await startStack({ gateway: { dataApiUrl: `http://127.0.0.1:${port}/v2.0` } });
    try {
      const { body } = await dead.query(LIST);
      expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    } finally {
      await dead.close();
    }
  });
});

describe('the circuit breaker', () => {
  it('opens after repeated transport failures, fails fast, then closes when the API recovers', async () => {
    const local = await startStack({
      gateway: {
        resilience: {
          ...defaults,
          retries: 0,
          breaker: { errorThresholdPercentage: 50, volumeThreshold: 3, resetTimeoutMs: 300 },
        },
      },
    });
    try {
      local.emulator.setFault({ kind: 'httpError', status: 503 });
      for (let i = 0; i < 3; i++) await local.query(LIST);
      expect(local.calls()).toHaveLength(3);

      const fast = await local.query(LIST);
      expect(fast.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(fast.body.errors?.[0]?.message).toMatch(/circuit open/);
      expect(local.calls()).toHaveLength(3);

      local.emulator.setFault(null);
      await new Promise((resolve) => setTimeout(resolve, 400));
      const probe = await local.query(LIST);
      expect(probe.body.errors).toBeUndefined();
      const after = await local.query(LIST);
      expect(after.body.errors).toBeUndefined();
      expect(local.calls()).toHaveLength(5);
    } finally {
      await local.close();
    }
  });

  it('is not opened by the API answering with errors', async () => {
    const local = await startStack({
      gateway: {
        resilience: {
          ...defaults,
          breaker: { errorThresholdPercentage: 50, volumeThreshold: 2, resetTimeoutMs: 60_000 },
        },
      },
    });
    try {
      local.emulator.setFault({ kind: 'rpcError', mnemonic: 'internal_error' });
      for (let i = 0; i < 4; i++) await local.query(LIST);
      local.emulator.setFault(null);
      const { body } = await local.query(LIST);
      expect(body.errors).toBeUndefined();
    } finally {
      await local.close();
    }
  });
});

describe('the request deadline', () => {
  it('cuts a request whose calls outlast it, retries included', async () => {
    const local = await startStack({
      gateway: { timeoutMs: 5_000, resilience: { ...defaults, deadlineMs: 300 } },
    });
    try {
      local.emulator.setFault({ kind: 'slow', delayMs: 2_000 });
      const { body } = await local.query(LIST);
      expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(body.errors?.[0]?.message).toMatch(/deadline/);
      expect(local.calls()).toHaveLength(1);
    } finally {
      await local.close();
    }
  });
});

describe('the concurrency cap', () => {
  it('queues calls beyond DATA_API_MAX_CONCURRENCY instead of sending them at once', async () => {
    const local = await startStack();
    const proxy = await startCountingProxy(local.emulator.url);
    const capped = await startStack({
      gateway: { dataApiUrl: proxy.url, resilience: { ...defaults, maxConcurrency: 2 } },
    });
    try {
      local.emulator.setFault({ kind: 'slow', delayMs: 100 });
      const fields = [1, 2, 3, 4, 5, 6].map(
        (n) => `l${n}: availableNumbers(first: ${n}) { nodes { phoneNumber } }`,
      );
      const { body } = await capped.query(`{ ${fields.join(' ')} }`);
      expect(body.errors).toBeUndefined();
      expect(local.calls()).toHaveLength(6);
      expect(proxy.maxInFlight()).toBe(2);
    } finally {
      await capped.close();
      await proxy.close();
      await local.close();
    }
  });
});

describe('credentials under faults', () => {
  it('never show the token in a response or a log line of this suite', () => {
    expect(stack().logs.length).toBeGreaterThan(0);
    expect(stack().responses.length).toBeGreaterThan(10);
    for (const text of [...stack().logs, ...stack().responses])
      expect(text).not.toContain(DEMO_TOKEN);
  });
});
