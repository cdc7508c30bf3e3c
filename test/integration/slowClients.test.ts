import type { Socket } from 'node:net';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayProcess } from '../helpers/gatewayProcess.js';
import { startGatewayProcess } from '../helpers/gatewayProcess.js';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { DEMO_TOKEN, startEmulator } from '../../src/emulator/index.js';

const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_000;
const KEEP_ALIVE_TIMEOUT_MS = 1_500;
/** Node checks the timeouts once a second; scheduling on a busy machine adds some. */
const SLACK_MS = 2_500;

let emulator: RunningEmulator;
let gateway: GatewayProcess;

beforeAll(async () => {
  emulator = await startEmulator({ minuteLimit: 1_000_000, dayLimit: 1_000_000 });
  gateway = await startGatewayProcess({
    entry: 'source',
    env: {
      DATA_API_URL: emulator.url,
      DATA_API_TOKEN: DEMO_TOKEN,
      HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
    },
  });
}, 60_000);

afterAll(async () => {
  gateway.child.kill('SIGKILL');
  await gateway.exited;
  await emulator.close();
});

interface Closed {
  /** Milliseconds from connecting to the server closing the connection. */
  readonly afterMs: number;
  /** Everything the server wrote. */
  readonly received: string;
}

/** A raw connection to the gateway, and when and how it ended. */
async function rawConnection(): Promise<{ socket: Socket; closed: Promise<Closed> }> {
  const socket = connect(gateway.port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const openedAt = performance.now();
  let received = '';
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
  });
  // A reset is also an ending; the assertions look at what was received.
  socket.on('error', () => undefined);
  const closed = new Promise<Closed>((resolve) => {
    socket.once('close', () => {
      resolve({ afterMs: performance.now() - openedAt, received });
    });
  });
  return { socket, closed };
}

/** Writes `chunks` one by one, `everyMs` apart, while the socket is open. */
async function trickle(socket: Socket, chunks: readonly string[], everyMs: number): Promise<void> {
  for (const chunk of chunks) {
    if (socket.destroyed || socket.writableEnded) return;
    socket.write(chunk);
    await sleep(everyMs);
  }
}

const BODY = JSON.stringify({ query: '{ __typename }' });

describe('slow clients are cut off by the HTTP server timeouts', () => {
  it(`a client trickling its headers gets 408 after HTTP_HEADERS_TIMEOUT_MS (${HEADERS_TIMEOUT_MS} ms)`, async () => {
    const { socket, closed } = await rawConnection();
    const headers = [
      'POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n',
      ...Array.from({ length: 100 }, (_, i) => `x-slow-${i}: 1\r\n`),
    ];
    void trickle(socket, headers, 100);
    const { afterMs, received } = await closed;
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(afterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(afterMs).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
  }, 15_000);

  it(`a client trickling its body gets 408 after HTTP_REQUEST_TIMEOUT_MS (${REQUEST_TIMEOUT_MS} ms)`, async () => {
    const { socket, closed } = await rawConnection();
    socket.write(
      'POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\n' +
        `content-length: ${BODY.length}\r\n\r\n`,
    );
    void trickle(socket, BODY.split(''), 200); // ASCII: one byte per character
    const { afterMs, received } = await closed;
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    // The headers came at once: the request timeout, not the headers one, ended it.
    expect(afterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(afterMs).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
  }, 15_000);

  it('a request received in time is answered however long the answer takes', async () => {
    emulator.setFault({ kind: 'slow', delayMs: REQUEST_TIMEOUT_MS + 500 });
    try {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ availableNumbers(first: 1) { totalCount } }' }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { errors?: unknown };
      expect(body.errors).toBeUndefined();
    } finally {
      emulator.setFault(null);
    }
  }, 15_000);

  it(`an idle keep-alive connection is closed after HTTP_KEEP_ALIVE_TIMEOUT_MS (${KEEP_ALIVE_TIMEOUT_MS} ms)`, async () => {
    const { socket, closed } = await rawConnection();
    socket.write(
      'POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\n' +
        `content-length: ${BODY.length}\r\n\r\n${BODY}`,
    );
    const { afterMs, received } = await closed;
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
    expect(afterMs).toBeGreaterThanOrEqual(KEEP_ALIVE_TIMEOUT_MS - 50);
    expect(afterMs).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS + SLACK_MS);
  }, 15_000);
});

describe('HTTP timeouts configuration', () => {
  it('defaults to 10 s for headers, 30 s for the request, 5 s keep-alive', () => {
    expect(loadConfig({}).http).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
    });
  });

  it.each([
    [{ HTTP_HEADERS_TIMEOUT_MS: '0' }, /HTTP_HEADERS_TIMEOUT_MS/],
    [{ HTTP_REQUEST_TIMEOUT_MS: 'soon' }, /HTTP_REQUEST_TIMEOUT_MS/],
    [{ HTTP_KEEP_ALIVE_TIMEOUT_MS: '-1' }, /HTTP_KEEP_ALIVE_TIMEOUT_MS/],
    [
      { HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' },
      /HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS/,
    ],
  ])('refuses %o, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
