import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { EmulatorOptions, RecordedCall, RunningEmulator } from '../../src/emulator/index.js';
import { DEMO_TOKEN, startEmulator } from '../../src/emulator/index.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/observability/logger.js';
import type { Gateway, GatewayOptions } from '../../src/http/server.js';
import { createGateway } from '../../src/http/server.js';
import type { FrontDoor } from '../../src/http/leanDoor.js';
import { createNodeHandler } from '../../src/http/leanDoor.js';

export interface GraphQLResponse {
  readonly status: number;
  readonly body: {
    data?: Record<string, unknown> | null;
    errors?: {
      message: string;
      path?: (string | number)[];
      extensions?: Record<string, unknown>;
    }[];
    extensions?: Record<string, unknown>;
  };
  /** The raw response text, for "never contains" assertions. */
  readonly text: string;
}

export interface Stack {
  readonly emulator: RunningEmulator;
  /** The gateway's GraphQL endpoint. */
  readonly url: string;
  /** Every log line the gateway wrote, as JSON text. */
  readonly logs: string[];
  /** Every response body `query` received, as text. */
  readonly responses: string[];
  /** Calls the emulator received for one method (all when omitted). */
  calls(method?: string): RecordedCall[];
  query(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse>;
  close(): Promise<void>;
}

export interface StackOptions {
  readonly emulator?: EmulatorOptions;
  /** Overrides of the gateway's options; `dataApiToken: undefined` runs without a default token. */
  readonly gateway?: Partial<Omit<GatewayOptions, 'logger'>>;
  /** The node handler's front door; `lean` as `npm start` serves. */
  readonly door?: FrontDoor;
}

/** Starts the emulator and the gateway on ephemeral loopback ports, as `npm start` wires them. */
export interface Served {
  /** Its `/graphql` endpoint. */
  readonly url: string;
  /** Disposes of the gateway, then closes the server and its connections. */
  close(): Promise<void>;
}

/** `gateway` behind `door` (`lean`, as `npm start` serves) on an ephemeral port of 127.0.0.1. */
export async function serveGateway(
  gateway: Gateway,
  door: FrontDoor = 'lean',
  maxBodyBytes = loadConfig({}).limits.maxBodyBytes,
): Promise<Served> {
  const server = createServer(
    createNodeHandler(gateway, { door, endpoint: '/graphql', maxBodyBytes }),
  );
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    async close() {
      await gateway.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const emulator = await startEmulator(options.emulator);
  const logs: string[] = [];
  const responses: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const config = {
    // Every default of the real configuration, so tests run what production runs.
    ...loadConfig({}),
    dataApiUrl: emulator.url,
    dataApiToken: DEMO_TOKEN,
    timeoutMs: 2_000,
    // Retries are shown by the fault suite; elsewhere they would only slow failures down.
    resilience: { ...loadConfig({}).resilience, retryBaseMs: 10 },
    ...options.gateway,
    logger: createLogger('debug', sink),
  };
  const gateway = createGateway(config);
  const served = await serveGateway(gateway, options.door, config.limits.maxBodyBytes);
  const { url } = served;

  return {
    emulator,
    url,
    logs,
    responses,
    calls: (method) =>
      method ? emulator.calls.filter((c) => c.method === method) : [...emulator.calls],
    async query(query, variables, headers) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      responses.push(text);
      return { status: response.status, body: JSON.parse(text) as GraphQLResponse['body'], text };
    },
    async close() {
      await served.close();
      await emulator.close();
    },
  };
}

export const AVAILABLE = 'get.available_virtual_numbers';
export const GROUPS = 'get.virtual_number_groups';

/**
 * Registers hooks that start one stack for the file, clear recorded calls and
 * faults before each test, and close it after; returns its accessor.
 */
export function useStack(options?: StackOptions): () => Stack {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startStack(options);
  });
  afterAll(() => stack?.close());
  beforeEach(() => {
    stack?.emulator.resetCalls();
    stack?.emulator.setFault(null);
  });
  return () => {
    if (!stack) throw new Error('the stack is not started yet');
    return stack;
  };
}
