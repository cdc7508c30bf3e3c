import { request as httpRequest, Agent } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayProcess } from '../helpers/gatewayProcess.js';
import { startGatewayProcess } from '../helpers/gatewayProcess.js';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { DEMO_TOKEN, startEmulator } from '../../src/emulator/index.js';
import { createHttpServer } from '../../src/http/httpServer.js';
import { createLogger } from '../../src/observability/logger.js';
import { createGateway } from '../../src/http/server.js';
import { DRAIN_IDLE_MS, Drainer } from '../../src/http/shutdown.js';

/** One call to the API per request, so the emulator's call count tracks requests that reached it. */
const QUERY = /* GraphQL */ `
  query Page($first: Int!) {
    availableNumbers(
      first: $first
      filter: { locationMnemonic: { eq: "spb" } }
      orderBy: [{ field: PHONE_NUMBER }]
    ) {
      totalCount
      nodes {
        phoneNumber
      }
    }
  }
`;

interface Outcome {
  readonly status: number | 'failed';
  readonly hasData: boolean;
  readonly errors: unknown;
  /** `performance.now()` when the answer (or the failure) arrived. */
  readonly at: number;
}

let sent = 0;

/**
 * Sends one request. Each asks for a different page size, so that every request
 * makes its own API call (identical concurrent calls would share one).
 */
async function send(url: string): Promise<Outcome> {
  sent += 1;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY, variables: { first: (sent % 1000) + 1 } }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: unknown };
    return {
      status: response.status,
      hasData: body.data !== undefined && body.data !== null,
      errors: body.errors,
      at: performance.now(),
    };
  } catch {
    return { status: 'failed', hasData: false, errors: undefined, at: performance.now() };
  }
}

/** Answers one request on a keep-alive connection, then leaves that connection open and idle. */
async function idleKeepAliveConnection(url: string): Promise<Socket> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return new Promise<Socket>((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.once('end', () => {
          resolve(req.socket as Socket);
        });
      },
    );
    req.once('error', reject);
    req.end(JSON.stringify({ query: '{ __typename }' }));
  });
}

/** Resolves with the error code of a fresh TCP connection attempt, or 'connected'. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code ?? error.message);
    });
  });
}

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

function logged(gateway: GatewayProcess): Record<string, unknown>[] {
  return gateway.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('graceful shutdown', () => {
  let emulator: RunningEmulator | undefined;
  let gateway: GatewayProcess | undefined;

  afterEach(async () => {
    if (gateway && gateway.child.exitCode === null && gateway.child.signalCode === null) {
      gateway.child.kill('SIGKILL');
      await gateway.exited;
    }
    gateway = undefined;
    await emulator?.close();
    emulator = undefined;
  });

  /** An emulator whose every reply takes `delayMs`, and the gateway process in front of it. */
  async function start(delayMs: number, graceMs: number) {
    emulator = await startEmulator({ minuteLimit: 1_000_000, dayLimit: 1_000_000 });
    emulator.setFault({ kind: 'slow', delayMs });
    gateway = await startGatewayProcess({
      entry: 'source',
      // Start-up through tsx takes seconds, tens of them on a busy machine.
      readyTimeoutMs: 60_000,
      env: {
        DATA_API_URL: emulator.url,
        DATA_API_TOKEN: DEMO_TOKEN,
        SHUTDOWN_GRACE_MS: String(graceMs),
      },
    });
    return { emulator, gateway };
  }

  it('on SIGTERM under load answers every request in flight, refuses new connections, closes idle ones at once and exits 0', async () => {
    const { emulator, gateway } = await start(300, 10_000);
    const idle = await idleKeepAliveConnection(gateway.url);
    let idleClosedAt: number | undefined;
    idle.once('close', () => {
      idleClosedAt = performance.now();
    });
    emulator.resetCalls();

    // 32 clients send back-to-back requests over keep-alive connections.
    const outcomes: Outcome[] = [];
    let issuing = true;
    let issued = 0;
    const clients = Array.from({ length: 32 }, async () => {
      while (issuing) {
        issued += 1;
        outcomes.push(await send(gateway.url));
      }
    });
    // A few rounds of the 300 ms upstream delay.
    await sleep(1_000);
    issuing = false;
    // Once every request sent has reached the API, they all sit in its 300 ms
    // delay: the signal lands with them in flight, and none is still on its
    // way to the gateway (which a closing server could not tell from a new one).
    await waitUntil(() => emulator.calls.length === issued);
    const sentBeforeSignal = issued;
    const signalAt = performance.now();
    gateway.child.kill('SIGTERM');

    await gateway.waitForLine(/shutting down/);
    expect(await tryConnect(gateway.port)).toBe('ECONNREFUSED');

    await Promise.all(clients);
    const exitCode = await gateway.exited;
    const exitedAfterMs = performance.now() - signalAt;

    expect(outcomes).toHaveLength(sentBeforeSignal);
    const answeredAfterSignal = outcomes.filter((o) => o.at > signalAt);
    // The test is void unless requests really were in flight at the signal.
    expect(answeredAfterSignal.length).toBeGreaterThan(0);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ status: 200, hasData: true, errors: undefined });
    }
    expect(exitCode).toBe(0);

    // The idle connection went at the signal, not when the busy ones drained;
    // and the drain did not wait for a keep-alive timeout (5 s in Node), only
    // for connections the clients used just before to be idle DRAIN_IDLE_MS.
    expect(idleClosedAt).toBeDefined();
    expect((idleClosedAt ?? Infinity) - signalAt).toBeLessThan(1_000);
    expect(exitedAfterMs).toBeLessThan(2_000 + DRAIN_IDLE_MS);

    const shuttingDown = logged(gateway).find((l) => l.msg === 'shutting down: no new connections');
    expect(shuttingDown).toMatchObject({ signal: 'SIGTERM', graceMs: 10_000 });
    expect(logged(gateway)).toContainEqual(
      expect.objectContaining({ msg: 'stopped', exitCode: 0 }),
    );
  }, 90_000);

  it('on SIGTERM with 16 keep-alive clients and a fast API answers every request sent, and exits 0', async () => {
    const { gateway } = await start(0, 10_000);
    const fates: Fate[] = [];
    const clients = Array.from({ length: 16 }, () => keepAliveClient(gateway.url, fates));
    await waitUntil(() => fates.length >= 64);
    gateway.child.kill('SIGTERM');
    await Promise.all(clients);
    expect(await gateway.exited).toBe(0);
    expect(fates.filter((fate) => fate !== 'answered')).toEqual([]);
  }, 90_000);

  it('on SIGINT with nothing in flight exits 0 at once', async () => {
    const { gateway } = await start(0, 10_000);
    const idle = await idleKeepAliveConnection(gateway.url);
    const signalAt = performance.now();
    gateway.child.kill('SIGINT');
    expect(await gateway.exited).toBe(0);
    expect(performance.now() - signalAt).toBeLessThan(2_000);
    expect(idle.destroyed).toBe(true);
  }, 90_000);

  it('cuts off what is still in flight when the grace period runs out, and exits 1', async () => {
    const { emulator, gateway } = await start(5_000, 300);
    emulator.resetCalls();
    const pending = [send(gateway.url), send(gateway.url)];
    await waitUntil(() => emulator.calls.length === 2);
    const signalAt = performance.now();
    gateway.child.kill('SIGTERM');

    expect(await gateway.exited).toBe(1);
    expect(performance.now() - signalAt).toBeLessThan(3_000);
    for (const outcome of await Promise.all(pending)) expect(outcome.status).toBe('failed');
    expect(logged(gateway)).toContainEqual(
      expect.objectContaining({ msg: 'requests still in flight were cut off', cutOff: 2 }),
    );
  }, 90_000);
});

describe('SHUTDOWN_GRACE_MS', () => {
  it('defaults to 10 s and reads milliseconds', () => {
    expect(loadConfig({}).shutdownGraceMs).toBe(10_000);
    expect(loadConfig({ SHUTDOWN_GRACE_MS: '2500' }).shutdownGraceMs).toBe(2_500);
    expect(loadConfig({ SHUTDOWN_GRACE_MS: '0' }).shutdownGraceMs).toBe(0);
  });

  it.each(['-1', '1.5', 'soon', '300001'])('refuses %s, naming the variable', (value) => {
    expect(() => loadConfig({ SHUTDOWN_GRACE_MS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ SHUTDOWN_GRACE_MS: value })).toThrow(/SHUTDOWN_GRACE_MS/);
  });
});

type Fate = 'answered' | 'refused' | 'dropped';

/**
 * A keep-alive client sending back to back on one connection until the server
 * answers with `Connection: close`. A request that fails after being written
 * (reset, hang-up) reached the server and is dropped; a refused connection
 * never reached it.
 */
async function keepAliveClient(url: string, fates: Fate[]): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (;;) {
      const result = await new Promise<{ fate: Fate; closing: boolean }>((resolve) => {
        const req = httpRequest(
          url,
          { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            res.once('end', () => {
              resolve({
                fate: res.statusCode === 200 ? 'answered' : 'dropped',
                closing: res.headers.connection === 'close',
              });
            });
            res.once('error', () => {
              resolve({ fate: 'dropped', closing: true });
            });
          },
        );
        req.once('error', (error: NodeJS.ErrnoException) => {
          resolve({ fate: error.code === 'ECONNREFUSED' ? 'refused' : 'dropped', closing: true });
        });
        req.end(JSON.stringify({ query: '{ availableNumbers(first: 1) { totalCount } }' }));
      });
      fates.push(result.fate);
      if (result.closing) return;
    }
  } finally {
    agent.destroy();
  }
}

describe('draining under keep-alive load', () => {
  let emulator: RunningEmulator | undefined;

  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it('answers every request that reached the server in 20 drains with 16 keep-alive clients and a fast API', async () => {
    emulator = await startEmulator({ minuteLimit: 1_000_000, dayLimit: 1_000_000 });
    const gateway = createGateway({
      ...loadConfig({}),
      dataApiUrl: emulator.url,
      dataApiToken: DEMO_TOKEN,
      logger: createLogger('silent'),
    });
    const totals = { answered: 0, refused: 0, dropped: 0 };
    try {
      for (let run = 0; run < 20; run += 1) {
        const server = createHttpServer(loadConfig({}).http);
        const drainer = new Drainer(server, (req, res) => void gateway(req, res));
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
        const fates: Fate[] = [];
        const clients = Array.from({ length: 16 }, () => keepAliveClient(url, fates));
        // Every client has had answers: its connection is open and busy.
        await waitUntil(() => fates.length >= 64);
        const cut = await drainer.drain(10_000);
        await Promise.all(clients);
        expect(cut).toBe(0);
        for (const fate of fates) totals[fate] += 1;
      }
    } finally {
      await gateway.dispose();
    }
    expect(totals.dropped).toBe(0);
    expect(totals.refused).toBe(0);
    expect(totals.answered).toBeGreaterThanOrEqual(20 * 64);
  }, 120_000);
});
