import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { GetParams, GetResult, Row } from '../../src/api/wire.js';
import { loadConfig } from '../../src/config/config.js';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { createGateway } from '../../src/http/server.js';
import { AVAILABLE, useStack } from '../helpers/stack.js';

const LIST = '{ availableNumbers(first: 2) { nodes { phoneNumber } } }';
const stack = useStack();

const logLines = (text: string) =>
  stack()
    .logs.filter((line) => line.includes(text))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('HTTP 429 from the API', () => {
  it('is RATE_LIMITED with retryAfter from Retry-After in seconds, sent once', async () => {
    stack().emulator.setFault({ kind: 'httpTooManyRequests', retryAfter: '30' });
    const { status, body } = await stack().query(LIST);
    expect(status).toBe(200);
    expect(body.data).toEqual({ availableNumbers: null });
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 30 });
    expect(body.errors?.[0]?.message).toMatch(/rate limit .*retry after 30 s/);
    // Retries are on (2 by default): a 429 is not one of the failures they repeat.
    expect(stack().calls(AVAILABLE)).toHaveLength(1);
    expect(logLines('HTTP 429')[0]).toMatchObject({ method: AVAILABLE, retryAfter: 30 });
  });

  it('reads Retry-After as an HTTP date', async () => {
    const at = new Date(Date.now() + 120_000).toUTCString();
    stack().emulator.setFault({ kind: 'httpTooManyRequests', retryAfter: at });
    const { body } = await stack().query(LIST);
    const retryAfter = body.errors?.[0]?.extensions?.retryAfter as number;
    expect(retryAfter).toBeGreaterThan(110);
    expect(retryAfter).toBeLessThanOrEqual(120);
  });

  it('without Retry-After is RATE_LIMITED with no retryAfter', async () => {
    stack().emulator.setFault({ kind: 'httpTooManyRequests' });
    const { body } = await stack().query(LIST);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED' });
    expect(stack().calls()).toHaveLength(1);
  });
});

describe("the API's error text", () => {
  it('never reaches the client, which gets our message and the mnemonic; the log has it', async () => {
    const leaked = 'sk-live-4f9a2c7e1b8d3a6f';
    stack().emulator.setFault({
      kind: 'rpcError',
      mnemonic: 'invalid_parameter_value',
      message: `Invalid value of parameter filter (echo: api_key=${leaked})`,
    });
    const { body, text } = await stack().query(LIST);
    expect(text).not.toContain(leaked);
    expect(text).not.toContain('echo');
    expect(body.errors?.[0]).toMatchObject({
      message: `The Data API refused a parameter (${AVAILABLE}: invalid_parameter_value).`,
      extensions: { code: 'BAD_USER_INPUT', upstream: { mnemonic: 'invalid_parameter_value' } },
    });
    const [line] = logLines(leaked);
    expect(line).toMatchObject({ method: AVAILABLE, mnemonic: 'invalid_parameter_value' });
    expect(line?.upstreamMessage).toContain(leaked);
  });

  it("is logged with the call's own token redacted", async () => {
    stack().emulator.setFault({
      kind: 'rpcError',
      mnemonic: 'internal_error',
      message: `Failed for token ${DEMO_TOKEN}`,
    });
    const { text } = await stack().query(LIST);
    expect(text).not.toContain(DEMO_TOKEN);
    expect(stack().logs.join('\n')).not.toContain(DEMO_TOKEN);
    expect(logLines('Failed for token')[0]).toMatchObject({
      level: 40,
      upstreamMessage: 'Failed for token [redacted]',
    });
  });
});

describe('values from the API that the schema does not allow', () => {
  /** A fake API whose rows hold an unknown enum value and wrong types. */
  function gatewayReturning(rows: Row[]) {
    const logs: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          logs.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    const calls: GetParams[] = [];
    const gateway = createGateway({
      ...loadConfig({}),
      dataApiUrl: 'http://127.0.0.1:9/v2.0',
      dataApiToken: 'token',
      logger: createLogger('info', sink),
      client: {
        get: (_method: string, params: GetParams): Promise<GetResult> => {
          calls.push(params);
          return Promise.resolve({ metadata: { total_items: rows.length }, data: rows });
        },
      },
    });
    const ask = async (query: string) => {
      const response = await gateway.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as {
        data: { availableNumbers: { nodes: Record<string, unknown>[] } | null } | null;
        errors?: {
          message: string;
          path: (string | number)[];
          locations?: unknown;
          extensions: Record<string, unknown>;
        }[];
      };
    };
    return { ask, logs, calls };
  }

  const good = {
    phone_number: '74950000001',
    category: 'gold',
    location_name: 'Moscow',
    monthly_charge: 10,
  };

  it('are UPSTREAM_ERROR at their field; the rest of the page is served', async () => {
    const { ask, logs } = gatewayReturning([
      {
        phone_number: '74950000000',
        category: 'platinum',
        location_name: 495,
        monthly_charge: '12.5',
      },
      good,
      { ...good, phone_number: '74950000002', category: 'platinum' },
    ]);
    const body = await ask(
      '{ availableNumbers(first: 3) { nodes { phoneNumber category locationName monthlyCharge } } }',
    );
    expect(body.data?.availableNumbers?.nodes).toEqual([
      { phoneNumber: '74950000000', category: null, locationName: null, monthlyCharge: null },
      { phoneNumber: '74950000001', category: 'GOLD', locationName: 'Moscow', monthlyCharge: 10 },
      { phoneNumber: '74950000002', category: null, locationName: 'Moscow', monthlyCharge: 10 },
    ]);
    const nodes = ['availableNumbers', 'nodes'];
    // Where in the document is graphql-js's business; the code, message and path are ours.
    const withoutLocations = body.errors?.map(({ locations: _locations, ...rest }) => rest);
    expect(withoutLocations).toEqual(
      [
        [0, 'category'],
        [0, 'locationName'],
        [0, 'monthlyCharge'],
        [2, 'category'],
      ].map(([row, field]) => ({
        message: `The Data API returned a value the schema does not allow for AvailableNumber.${field} (${AVAILABLE}).`,
        path: [...nodes, row, field],
        extensions: { code: 'UPSTREAM_ERROR' },
      })),
    );
    // One warning per field and value, whatever the number of rows, with method, field and what came.
    const warned = logs.filter((l) => l.level === 40);
    expect(warned).toHaveLength(3);
    expect(warned).toContainEqual(
      expect.objectContaining({
        method: AVAILABLE,
        field: 'AvailableNumber.category',
        column: 'category',
        receivedType: 'string',
        received: 'platinum',
        paths: 2,
      }),
    );
    expect(warned).toContainEqual(
      expect.objectContaining({ field: 'AvailableNumber.locationName', receivedType: 'number' }),
    );
  });

  it('a missing key nulls the nearest nullable parent with UPSTREAM_ERROR, never a bare error', async () => {
    const { ask } = gatewayReturning([{ ...good, phone_number: null }]);
    const body = await ask('{ availableNumbers(first: 1) { nodes { id phoneNumber } } }');
    expect(body.data).toEqual({ availableNumbers: null });
    expect(body.errors?.length).toBeGreaterThan(0);
    for (const error of body.errors ?? []) expect(error.extensions.code).toBe('UPSTREAM_ERROR');
  });
});
