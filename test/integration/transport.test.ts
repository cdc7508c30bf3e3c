/**
 * The RPC client's HTTP leg (undici) against small local servers: HTTPS,
 * keep-alive pooling, retries with backoff for read-only calls only, the
 * per-attempt timeout and the request deadline.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RpcClient } from '../../src/rpc/client.js';
import type { RpcClientOptions } from '../../src/rpc/client.js';
import { TransportError } from '../../src/rpc/errors.js';

const CERT = readFileSync(new URL('../fixtures/tls/loopback.crt', import.meta.url), 'utf8');
const KEY = readFileSync(new URL('../fixtures/tls/loopback.key', import.meta.url), 'utf8');

/** Decides each answer: a status, or a delay before the normal reply. */
type Behaviour = (call: number) => { status?: number; delayMs?: number };

interface Fixture {
  readonly url: string;
  /** Requests received. */
  calls: number;
  /** TCP (or TLS) connections accepted. */
  connections: number;
  /** `performance.now()` of each request. */
  readonly times: number[];
}

const servers: Server[] = [];
const clients: RpcClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => {
            resolve();
          });
        }),
    ),
  );
});

function handler(fixture: Fixture, behaviour: Behaviour) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      fixture.calls += 1;
      fixture.times.push(performance.now());
      const { status, delayMs = 0 } = behaviour(fixture.calls);
      const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: number };
      setTimeout(() => {
        if (res.destroyed) return;
        if (status !== undefined) {
          res.writeHead(status, { 'content-type': 'text/html' }).end('<h1>outage</h1>');
          return;
        }
        const reply = { jsonrpc: '2.0', id: request.id, result: { data: [], metadata: {} } };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
      }, delayMs);
    });
  };
}

async function serve(behaviour: Behaviour, tls = false): Promise<Fixture> {
  const fixture: Fixture = { url: '', calls: 0, connections: 0, times: [] };
  const onRequest = handler(fixture, behaviour);
  const server = tls
    ? createHttpsServer({ cert: CERT, key: KEY }, onRequest)
    : createHttpServer(onRequest);
  server.on(tls ? 'secureConnection' : 'connection', () => {
    fixture.connections += 1;
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fixture, { url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/v2.0` });
}

function client(url: string, options: Partial<RpcClientOptions> = {}): RpcClient {
  const made = new RpcClient({
    url,
    timeoutMs: 2_000,
    retries: 2,
    retryBaseMs: 10,
    maxConcurrency: 4,
    breaker: { errorThresholdPercentage: 50, volumeThreshold: 1_000, resetTimeoutMs: 10_000 },
    ...options,
  });
  clients.push(made);
  return made;
}

const ok: Behaviour = () => ({});

async function failure(promise: Promise<unknown>): Promise<TransportError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
}

describe('HTTPS', () => {
  it('calls an https: API whose certificate the configured CA signed', async () => {
    const api = await serve(ok, true);
    const result = await client(api.url, { tls: { ca: CERT } }).call('get.x', {});
    expect(result).toEqual({ data: [], metadata: {} });
    expect(api.connections).toBe(1);
  });

  it('refuses a certificate no trusted CA signed', async () => {
    const api = await serve(ok, true);
    const error = await failure(client(api.url, { retries: 0 }).call('get.x', {}));
    expect(error.failure).toBe('connection');
    expect(api.calls).toBe(0);
  });
});

describe('keep-alive pool', () => {
  it('reuses its connections for calls made one after another', async () => {
    const api = await serve(ok);
    const rpc = client(api.url);
    for (let i = 0; i < 100; i += 1) await rpc.call('get.x', {});
    expect(api.calls).toBe(100);
    // undici's pool may take a second connection while the first settles after a reply.
    expect(api.connections).toBeLessThanOrEqual(2);
  });

  it('opens at most DATA_API_MAX_CONCURRENCY connections however many calls wait', async () => {
    const api = await serve(() => ({ delayMs: 20 }));
    const rpc = client(api.url, { maxConcurrency: 3 });
    await Promise.all(Array.from({ length: 30 }, () => rpc.call('get.x', {})));
    expect(api.calls).toBe(30);
    expect(api.connections).toBe(3);
  });
});

describe('retries', () => {
  it('repeats a read-only call on 503 after growing delays, then answers', async () => {
    const api = await serve((call) => (call <= 2 ? { status: 503 } : {}));
    const result = await client(api.url, { retryBaseMs: 60 }).call('get.x', {});
    expect(result).toEqual({ data: [], metadata: {} });
    expect(api.calls).toBe(3);
    const [first = 0, second = 0, third = 0] = api.times;
    // base × 2^attempt × (1 + jitter ∈ [0, 1)): 60–120 ms, then 120–240 ms.
    expect(second - first).toBeGreaterThanOrEqual(55);
    expect(third - second).toBeGreaterThanOrEqual(115);
  });

  it('never repeats a call that is not read-only', async () => {
    const api = await serve(() => ({ status: 503 }));
    const error = await failure(client(api.url).call('login.user', {}));
    expect(error.failure).toBe('http_status');
    expect(api.calls).toBe(1);
  });

  it('does not repeat a 500 (the API failing on this call, not an outage)', async () => {
    const api = await serve(() => ({ status: 500 }));
    const error = await failure(client(api.url).call('get.x', {}));
    expect(error.failure).toBe('http_status');
    expect(api.calls).toBe(1);
  });
});

describe('timeouts and the deadline', () => {
  it('bounds each attempt: a slow first reply is abandoned and the retry answers', async () => {
    const api = await serve((call) => (call === 1 ? { delayMs: 1_000 } : {}));
    const started = performance.now();
    const result = await client(api.url, { timeoutMs: 100 }).call('get.x', {});
    expect(result).toEqual({ data: [], metadata: {} });
    expect(api.calls).toBe(2);
    expect(performance.now() - started).toBeLessThan(900);
  });

  it('reports a timeout when every attempt is too slow', async () => {
    const api = await serve(() => ({ delayMs: 1_000 }));
    const error = await failure(client(api.url, { timeoutMs: 100, retries: 1 }).call('get.x', {}));
    expect(error.failure).toBe('timeout');
    expect(api.calls).toBe(2);
  });

  it('stops retrying, and waiting to retry, when the deadline passes', async () => {
    const api = await serve(() => ({ status: 503 }));
    const started = performance.now();
    const rpc = client(api.url, { retryBaseMs: 5_000 });
    const error = await failure(rpc.call('get.x', {}, performance.now() + 200));
    expect(error.failure).toBe('deadline');
    expect(api.calls).toBe(1);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
