import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src/api/errors.js';
import { ERROR_CODES } from '../../src/api/errors.js';
import type { GetResult } from '../../src/api/wire.js';
import { loadConfig } from '../../src/config/config.js';
import type { Fault } from '../../src/emulator/faults.js';
import type { Stack } from '../helpers/stack.js';
import { startStack, useStack } from '../helpers/stack.js';

/**
 * The code table (api/errors.ts, ERROR_CODES) walked entry by entry: each code
 * is provoked over HTTP, under both media types a client may accept, and comes
 * with the status the table gives it (a refused request) or with 200 and data
 * beside it (a field's error). A code without a provocation here fails the
 * walk, so the table cannot hold a code nobody can see, nor the gateway answer
 * with one the table lacks.
 */

const JSON_TYPE = 'application/json';
const GRAPHQL_RESPONSE = 'application/graphql-response+json';
const defaults = loadConfig({});

const stack = useStack({ gateway: { limits: { ...defaults.limits, maxDepth: 4 } } });

const dir = mkdtempSync(join(tmpdir(), 'codes-'));
const extra: Stack[] = [];
afterAll(async () => {
  for (const s of extra) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Sent {
  readonly status: number;
  readonly body: {
    data?: unknown;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

interface Request {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** One request with raw control of method, headers and body (node:http, no fetch defaults). */
function send(url: string, init: Request, accept: string): Promise<Sent> {
  const target = new URL(init.path ?? '', url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      target,
      {
        method: init.method ?? 'POST',
        headers: {
          accept,
          ...(init.body === undefined
            ? {}
            : { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(init.body) }),
          ...init.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Sent['body'] });
        });
      },
    );
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

const post = (
  query: string | undefined,
  variables?: Record<string, unknown>,
  extensions?: unknown,
): Request => ({
  body: JSON.stringify({ query, variables, extensions }),
});

const SHA = 'a'.repeat(64);
const list = '{ availableNumbers(first: 2) { nodes { phoneNumber } } }';

/** A stack of its own, closed after the file. */
async function own(options: Parameters<typeof startStack>[0]): Promise<Stack> {
  const s = await startStack(options);
  extra.push(s);
  return s;
}

/** A field error from an emulator fault, on the shared stack. */
function withFault(fault: Fault) {
  return async (accept: string) => {
    stack().emulator.setFault(fault);
    try {
      return await send(stack().url, post(list), accept);
    } finally {
      stack().emulator.setFault(null);
    }
  };
}

type Provocation = (accept: string) => Promise<Sent>;

/** How each code is provoked, and whether as a refused request or a field's error. */
const PROVOKE: Record<
  ErrorCode,
  { readonly form: 'request' | 'field'; readonly run: Provocation }
> = {
  BAD_REQUEST: {
    form: 'request',
    run: (a) => send(stack().url, { body: '{"query":' }, a),
  },
  NOT_FOUND: {
    form: 'request',
    run: (a) => send(stack().url, { ...post(list), path: '/nope' }, a),
  },
  METHOD_NOT_ALLOWED: {
    form: 'request',
    run: (a) => send(stack().url, { ...post(list), method: 'PUT' }, a),
  },
  LENGTH_REQUIRED: {
    form: 'request',
    run: (a) =>
      send(
        stack().url,
        { headers: { 'content-type': JSON_TYPE, 'transfer-encoding': 'chunked' } },
        a,
      ),
  },
  PAYLOAD_TOO_LARGE: {
    form: 'request',
    run: (a) => send(stack().url, post(`${list} # ${'x'.repeat(defaults.limits.maxBodyBytes)}`), a),
  },
  UNSUPPORTED_MEDIA_TYPE: {
    form: 'request',
    run: (a) =>
      send(stack().url, { headers: { 'content-type': 'application/xml' }, body: '<q/>' }, a),
  },
  CSRF_REJECTED: {
    form: 'request',
    run: (a) => send(stack().url, { method: 'GET', path: `?query=${encodeURIComponent(list)}` }, a),
  },
  GRAPHQL_PARSE_FAILED: { form: 'request', run: (a) => send(stack().url, post('{ x'), a) },
  GRAPHQL_VALIDATION_FAILED: {
    form: 'request',
    run: (a) => send(stack().url, post('{ nope }'), a),
  },
  QUERY_TOO_COMPLEX: {
    form: 'request',
    run: (a) =>
      send(stack().url, post('{ virtualNumberGroups { edges { node { employees { id } } } } }'), a),
  },
  OPERATION_RESOLUTION_FAILURE: {
    form: 'request',
    run: (a) =>
      send(stack().url, { body: JSON.stringify({ query: list, operationName: 'Nope' }) }, a),
  },
  PERSISTED_QUERY_NOT_FOUND: {
    form: 'request',
    run: (a) =>
      send(
        stack().url,
        post(undefined, undefined, { persistedQuery: { version: 1, sha256Hash: SHA } }),
        a,
      ),
  },
  PERSISTED_QUERY_INVALID: {
    form: 'request',
    run: (a) =>
      send(
        stack().url,
        post(list, undefined, { persistedQuery: { version: 2, sha256Hash: SHA } }),
        a,
      ),
  },
  PERSISTED_QUERY_MISMATCH: {
    form: 'request',
    run: (a) =>
      send(
        stack().url,
        post(list, undefined, { persistedQuery: { version: 1, sha256Hash: SHA } }),
        a,
      ),
  },
  PERSISTED_QUERY_ID_REQUIRED: {
    form: 'request',
    run: async (a) => send((await allowList()).url, post(list), a),
  },
  PERSISTED_QUERY_NOT_IN_LIST: {
    form: 'request',
    run: async (a) =>
      send(
        (await allowList()).url,
        post(undefined, undefined, { persistedQuery: { version: 1, sha256Hash: SHA } }),
        a,
      ),
  },
  BAD_USER_INPUT: {
    form: 'request',
    run: (a) =>
      send(
        stack().url,
        post('query ($n: Int) { availableNumbers(first: $n) { totalCount } }', { n: 'ten' }),
        a,
      ),
  },
  UNAUTHENTICATED: {
    form: 'field',
    run: async (a) => send((await tokenless()).url, post(list), a),
  },
  FORBIDDEN: { form: 'field', run: withFault({ kind: 'rpcError', mnemonic: 'forbidden' }) },
  RATE_LIMITED: { form: 'field', run: withFault({ kind: 'rpcError', mnemonic: 'limit_exceeded' }) },
  UPSTREAM_ERROR: {
    form: 'field',
    run: withFault({ kind: 'rpcError', mnemonic: 'internal_error' }),
  },
  UPSTREAM_UNAVAILABLE: { form: 'field', run: withFault({ kind: 'httpError', status: 500 }) },
  SERVICE_OVERLOADED: {
    form: 'request',
    run: async (a) => {
      // One slow 6-row page holds the only rows there are; a second one is shed.
      const s = await narrowGate();
      s.emulator.setFault({
        kind: 'slow',
        delayMs: 400,
        methods: ['get.available_virtual_numbers'],
      });
      try {
        const holding = send(s.url, post(page(6)), a);
        await new Promise((resolve) => setTimeout(resolve, 100));
        const shed = await send(s.url, post(page(5)), a);
        await holding;
        return shed;
      } finally {
        s.emulator.setFault(null);
      }
    },
  },
  INTERNAL_SERVER_ERROR: {
    form: 'field',
    run: async (a) => send((await throwing()).url, post(list), a),
  },
};

let allowListStack: Promise<Stack> | undefined;
function allowList(): Promise<Stack> {
  const file = join(dir, 'allow.json');
  writeFileSync(file, '{}');
  return (allowListStack ??= own({ gateway: { persistedOperationsFile: file } }));
}

let tokenlessStack: Promise<Stack> | undefined;
function tokenless(): Promise<Stack> {
  return (tokenlessStack ??= own({ gateway: { dataApiToken: undefined } }));
}

let narrowGateStack: Promise<Stack> | undefined;
/** A gateway with room for 8 rows in flight, beyond small (1-row) operations, and no queue. */
function narrowGate(): Promise<Stack> {
  return (narrowGateStack ??= own({
    gateway: { work: { ...defaults.work, maxRows: 8, smallRows: 1, queueMs: 0 } },
  }));
}
const page = (n: number) => `{ availableNumbers(first: ${n}) { nodes { phoneNumber } } }`;

let throwingStack: Promise<Stack> | undefined;
/** A gateway whose API client fails with an error no layer knows: a fault of ours. */
function throwing(): Promise<Stack> {
  return (throwingStack ??= own({
    gateway: {
      client: { get: (): Promise<GetResult> => Promise.reject(new TypeError('a bug')) },
    },
  }));
}

describe('the code table, walked over HTTP', () => {
  it('has a provocation for every code, and no provocation without a code', () => {
    expect(Object.keys(PROVOKE).sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it.each(Object.entries(ERROR_CODES) as [ErrorCode, (typeof ERROR_CODES)[ErrorCode]][])(
    '%s',
    async (code, fact) => {
      const provocation = PROVOKE[code];
      if (provocation.form === 'request') expect(fact.at).not.toBe('field');
      else expect(fact.at).not.toBe('request');
      for (const [accept, status] of [
        [JSON_TYPE, provocation.form === 'request' ? fact.jsonStatus : 200],
        [GRAPHQL_RESPONSE, provocation.form === 'request' ? fact.status : 200],
      ] as const) {
        const r = await provocation.run(accept);
        expect({ code, accept, status: r.status }).toEqual({ code, accept, status });
        const codes = (r.body.errors ?? []).map((e) => e.extensions?.code);
        expect(codes.length).toBeGreaterThan(0);
        expect(new Set(codes)).toEqual(new Set([code]));
        for (const error of r.body.errors ?? []) {
          expect(error.message.length).toBeGreaterThan(10);
          // Yoga's transport detail never reaches a client.
          expect(error.extensions).not.toHaveProperty('http');
        }
        if (provocation.form === 'field') expect(r.body.data).toBeTruthy();
        else expect(r.body.data ?? null).toBeNull();
      }
    },
  );
});
