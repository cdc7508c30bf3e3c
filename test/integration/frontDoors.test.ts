import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from '../../src/emulator/index.js';
import { loadConfig } from '../../src/config/config.js';
import { schema } from '../../src/schema/index.js';
import type { ValuePools } from '../helpers/operations.js';
import { generatedOperation, variablesFor, writtenOperations } from '../helpers/operations.js';
import type { Stack, StackOptions } from '../helpers/stack.js';
import { useStack } from '../helpers/stack.js';

/**
 * The lean front door (src/http/leanDoor.ts) and Yoga's node handler answer
 * every request alike: same status, same headers (but `date`, and a request
 * id the client did not give), same body bytes. Each door serves a gateway of
 * its own over an emulator of its own with a frozen clock, and gets the same
 * requests in the same order, so even the rate-limit figures match.
 */
// Read before the servers start: parsing every source file blocks the event loop for seconds.
const operations = writtenOperations(fileURLToPath(new URL('../..', import.meta.url)), [
  'test',
  'bench',
  'examples',
]);

const ORIGIN = 'https://app.example';
const defaults = loadConfig({});
/** Rows each door's gateway wrote from the reply's bytes (40 rows × 4 columns are enough). */
const fromBytes = { lean: 0, yoga: 0 };
const options = (door: 'lean' | 'yoga'): StackOptions => ({
  door,
  emulator: { now: () => Date.parse('2026-01-01T00:00:00Z') },
  // Room for the operation aliasing every Object.prototype member; a small body limit to pass.
  gateway: {
    limits: { ...defaults.limits, maxAliases: 200, maxBodyBytes: 20_000, maxDepth: 6 },
    corsOrigins: [ORIGIN],
    // Off, as in production: its switch is a request parse hook the door must run.
    introspection: false,
    onRowsWritten: (from, rows) => {
      if (from === 'bytes') fromBytes[door] += rows;
    },
  },
});
const lean = useStack(options('lean'));
const yoga = useStack(options('yoga'));

interface Sent {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  /** A JSON value to send as the body, or the body's bytes as they are. */
  readonly body?: unknown;
  readonly raw?: Buffer;
  /** Sent as a chunked stream without Content-Length. */
  readonly chunked?: boolean;
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** The body's bytes, as base64 (encoded bodies are compared as sent). */
  readonly body: string;
}

const IGNORED = new Set(['date']);

function send(stack: Stack, sent: Sent): Promise<Answer> {
  const url = new URL(sent.path ?? '/graphql', stack.url);
  const body =
    sent.raw ?? (sent.body === undefined ? undefined : Buffer.from(JSON.stringify(sent.body)));
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: sent.method ?? 'POST',
        headers: {
          ...(body === undefined
            ? {}
            : {
                'content-type': 'application/json',
                ...(sent.chunked ? {} : { 'content-length': String(body.byteLength) }),
              }),
          ...sent.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (IGNORED.has(name) || value === undefined) continue;
            headers[name] = Array.isArray(value) ? value.join('\n') : value;
          }
          // A request id the gateway made (none given, or one it refused) is fresh on each side.
          if (
            headers['x-request-id'] &&
            headers['x-request-id'] !== sent.headers?.['x-request-id']
          ) {
            headers['x-request-id'] = 'generated';
          }
          resolve({
            status: res.statusCode ?? 0,
            headers,
            body: Buffer.concat(chunks).toString('base64'),
          });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** The same request to both doors, one after the other; both answers. */
async function both(sent: Sent): Promise<{ lean: Answer; yoga: Answer }> {
  return { lean: await send(lean(), sent), yoga: await send(yoga(), sent) };
}

async function expectSame(sent: Sent): Promise<Answer> {
  const r = await both(sent);
  expect({ sent, answer: r.lean }).toEqual({ sent, answer: r.yoga });
  return r.lean;
}

async function withFault(fault: Fault, run: () => Promise<unknown>): Promise<void> {
  lean().emulator.setFault(fault);
  yoga().emulator.setFault(fault);
  try {
    await run();
  } finally {
    lean().emulator.setFault(null);
    yoga().emulator.setFault(null);
  }
}

const ID = { 'x-request-id': 'doors-test' };
const list = (first: number) =>
  `{ availableNumbers(first: ${first}) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id phoneNumber category locationName } } } }`;

let pools: ValuePools;
beforeAll(async () => {
  const seed =
    '{ availableNumbers(first: 2) { edges { cursor } nodes { id } } virtualNumberGroups(first: 2) { edges { cursor } nodes { id } } }';
  const answer = await expectSame({ body: { query: seed }, headers: ID });
  const data = (
    JSON.parse(Buffer.from(answer.body, 'base64').toString('utf8')) as {
      data: Record<string, { edges: { cursor: string }[]; nodes: { id: string }[] }>;
    }
  ).data;
  pools = {
    ids: [...Object.values(data).flatMap((l) => l.nodes.map((n) => n.id)), 'not-an-id'],
    cursors: [...Object.values(data).flatMap((l) => l.edges.map((e) => e.cursor)), 'junk'],
    strings: ['spb', '7343', '%1%'],
  };
});

describe('the lean door and Yoga answer alike', () => {
  it('on every operation written in the tests, bench and examples', async () => {
    expect(operations.length).toBeGreaterThan(50);
    for (const query of operations) {
      const samples = query.includes('$')
        ? fc.sample(variablesFor(schema, query, pools), { numRuns: 1, seed: 5 })
        : [];
      for (const variables of [undefined, ...samples]) {
        await expectSame({ body: { query, variables }, headers: ID });
      }
    }
  }, 120_000);

  it('on generated operations', async () => {
    await fc.assert(
      fc.asyncProperty(generatedOperation(schema, pools), async ({ query, variables }) => {
        await expectSame({ body: { query, variables }, headers: ID });
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('under each Accept, Accept-Encoding, Content-Type, Origin and Authorization', async () => {
    const accepts = [
      undefined,
      '*/*',
      'application/json',
      'application/graphql-response+json',
      'application/json, application/graphql-response+json',
      'application/graphql-response+json;q=0.9, application/json',
      'text/event-stream',
      'multipart/mixed',
      'text/html',
    ];
    const encodings = [undefined, 'gzip', 'br', 'gzip, br', 'gzip;q=0', 'identity'];
    const types = [
      'application/json',
      'application/json; charset=utf-8',
      'application/graphql+json',
      'text/plain',
      'application/x-www-form-urlencoded',
    ];
    const credentials = [undefined, 'Bearer demo', 'Basic dXNlcjpwYXNz', 'Bearer ', 'Bearer a b'];
    for (const first of [1, 40]) {
      const body = { query: list(first) };
      // A page, not an error: the variants below compare answers with data.
      const plain = await expectSame({ body, headers: ID });
      const page = Buffer.from(plain.body, 'base64').toString('utf8');
      expect(page).not.toContain('"errors"');
      expect(page.match(/"cursor"/g)).toHaveLength(first);
      for (const accept of accepts) {
        for (const encoding of encodings) {
          await expectSame({
            body,
            headers: {
              ...ID,
              ...(accept ? { accept } : {}),
              ...(encoding ? { 'accept-encoding': encoding } : {}),
            },
          });
        }
      }
      for (const type of types) {
        await expectSame({ body, headers: { ...ID, 'content-type': type } });
      }
      for (const origin of [ORIGIN, 'https://elsewhere.example']) {
        await expectSame({ body, headers: { ...ID, origin } });
      }
      for (const authorization of credentials) {
        await expectSame({ body, headers: { ...ID, ...(authorization ? { authorization } : {}) } });
      }
    }
    // The 40-row pages were written from the reply's bytes on both sides (spliced, or parsed back).
    expect(fromBytes.lean).toBeGreaterThanOrEqual(40 * accepts.length);
    expect(fromBytes.yoga).toBeGreaterThanOrEqual(40 * accepts.length);
    // Generated request ids: present on both sides, with the same shape.
    const fresh = await both({ body: { query: list(1) } });
    expect(fresh.lean).toEqual(fresh.yoga);
    expect(fresh.lean.headers['x-request-id']).toBe('generated');
    await expectSame({ body: { query: list(1) }, headers: { 'x-request-id': 'bad id!' } });
  }, 60_000);

  it('on bad bodies, request shapes and refusals of every request-level code', async () => {
    const bodies: Sent[] = [
      { raw: Buffer.from('{"query": ') },
      { raw: Buffer.from('') },
      { body: null },
      { body: 'a string' },
      { body: 42 },
      { body: [] },
      { body: [{ query: list(1) }] },
      { body: {} },
      { body: { query: 1 } },
      { body: { query: list(1), variables: 'no' } },
      { body: { query: list(1), operationName: 7 } },
      { body: { query: list(1), surplus: true } },
      { body: { query: '{ x' } },
      { body: { query: '{ nope }' } },
      { body: { query: 'query A { __typename } query B { __typename }' } },
      { body: { query: list(1), operationName: 'Nope' } },
      { body: { query: 'mutation { x }' } },
      { body: { query: 'subscription { x }' } },
      { body: { query: '{ __schema { queryType { name } } }' } },
      { body: { query: '{ _service { sdl } }' } },
      {
        body: {
          query: 'query ($n: Int) { availableNumbers(first: $n) { totalCount } }',
          variables: { n: 'ten' },
        },
      },
      { body: { query: '{ availableNumbers(first: -1) { totalCount } }' } },
      { body: { query: '{ availableNumbers(first: 100000) { totalCount } }' } },
      { body: { query: '{ availableNumbers(after: "junk") { totalCount } }' } },
      { body: { query: '{ virtualNumberGroups { edges { node { employees { id } } } } }' } },
      { body: { query: '{ a { b { c { d { e { f { g } } } } } } }' } },
      {
        body: {
          query: `{ ${Array.from({ length: 201 }, (_, i) => `a${String(i)}: __typename`).join(' ')} }`,
        },
      },
      {
        body: {
          query:
            'query ($f: AvailableNumberFilter) { availableNumbers(first: 1, filter: $f) { totalCount } }',
          variables: { f: { and: [{ and: [{ and: [{ and: [{ and: [{ and: [{}] }] }] }] }] }] } },
        },
      },
      { body: { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } } },
      {
        body: {
          query: list(1),
          extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } },
        },
      },
      {
        body: {
          query: list(1),
          extensions: { persistedQuery: { version: 2, sha256Hash: 'a'.repeat(64) } },
        },
      },
      { body: { query: 'x'.repeat(30_000) } },
      { body: { query: list(1) }, chunked: true },
      {
        raw: gzipSync(JSON.stringify({ query: list(1) })),
        headers: { 'content-encoding': 'gzip' },
      },
      { body: { query: list(1) }, headers: { 'content-encoding': 'zstd' } },
      { body: { query: list(1) }, path: '/graphql?x=1' },
      { body: { query: list(1) }, path: '/elsewhere' },
      { body: { query: list(1) }, method: 'PUT' },
      { method: 'GET', path: `/graphql?query=${encodeURIComponent(list(1))}` },
      {
        method: 'GET',
        path: `/graphql?query=${encodeURIComponent(list(1))}`,
        headers: { 'x-graphql-csrf': '1' },
      },
      { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } },
    ];
    for (const sent of bodies) {
      for (const accept of ['application/json', 'application/graphql-response+json']) {
        await expectSame({ ...sent, headers: { ...ID, accept, ...sent.headers } });
      }
    }
  }, 60_000);

  it('when the API fails, times out or answers values the schema refuses', async () => {
    const faults: Fault[] = [
      { kind: 'rpcError', mnemonic: 'forbidden' },
      { kind: 'rpcError', mnemonic: 'limit_exceeded' },
      { kind: 'rpcError', mnemonic: 'internal_error' },
      { kind: 'httpError', status: 500 },
    ];
    for (const fault of faults) {
      await withFault(fault, async () => {
        for (const accept of ['application/json', 'application/graphql-response+json']) {
          await expectSame({ body: { query: list(3) }, headers: { ...ID, accept } });
          await expectSame({
            body: {
              query: `{ a: ${list(1).slice(2, -2)} b: virtualNumberGroups(first: 1) { totalCount } }`,
            },
            headers: { ...ID, accept },
          });
        }
      });
    }
  }, 60_000);
});
