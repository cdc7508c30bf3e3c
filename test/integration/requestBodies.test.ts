/**
 * Request bodies as a client sends them over HTTP: gzip, deflate and br bodies
 * are decoded and answered like the plain body; the body limit
 * (MAX_BODY_BYTES) holds for the decoded bytes (a decompression bomb is
 * refused 413 and the connection answers its next request); a body that does
 * not decode, or JSON that does not parse, is 400 with a message of ours and
 * no parser text; any other coding is 415 naming the accepted ones.
 */
import { Agent, request } from 'node:http';
import { brotliCompressSync, constants, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { AVAILABLE, useStack } from '../helpers/stack.js';

const LIMIT = loadConfig({}).limits.maxBodyBytes;
const JSON_TYPE = 'application/json';
const GRAPHQL_RESPONSE = 'application/graphql-response+json';

const stack = useStack();

// One connection, kept alive: a refusal must leave it usable for the next request.
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
afterAll(() => {
  agent.destroy();
});

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** Whether the request went over a connection that had answered before. */
  readonly reused: boolean;
  readonly errors: { message: string; extensions?: Record<string, unknown> }[];
  readonly data: unknown;
}

function post(
  body: Uint8Array | string,
  headers: Record<string, string> = {},
  accept = JSON_TYPE,
): Promise<Reply> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return new Promise((resolve, reject) => {
    const req = request(
      stack().url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': JSON_TYPE,
          accept,
          'content-length': String(bytes.byteLength),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const parsed = JSON.parse(text) as { errors?: Reply['errors']; data?: unknown };
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            reused: req.reusedSocket,
            errors: parsed.errors ?? [],
            data: parsed.data,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(bytes);
  });
}

const QUERY =
  '{ availableNumbers(first: 3, filter: { locationMnemonic: { eq: "spb" } }) { totalCount nodes { phoneNumber category } } }';
const BODY = Buffer.from(JSON.stringify({ query: QUERY, variables: { unused: 'é€😀' } }));

const SYNC = { finishFlush: constants.Z_SYNC_FLUSH };
const ENCODERS = {
  gzip: (b: Buffer) => gzipSync(b),
  'x-gzip': (b: Buffer) => gzipSync(b),
  deflate: (b: Buffer) => deflateSync(b),
  'deflate (raw)': (b: Buffer) => deflateRawSync(b),
  br: (b: Buffer) => brotliCompressSync(b),
} as const;
const label = (name: keyof typeof ENCODERS) => name.replace(' (raw)', '');

/** What must never reach a client: the JSON parser's or zlib's own words. */
const PARSER_TEXT =
  /originalError|SyntaxError|Unexpected (token|end)|" is not valid JSON|JSON at position|header check|unexpected end of file|Decompression failed/;

function expectRefusal(reply: Reply, status: number, code: string): void {
  expect({ status: reply.status, codes: reply.errors.map((e) => e.extensions?.code) }).toEqual({
    status,
    codes: [code],
  });
  expect(reply.data).toBeUndefined();
  expect(reply.text).not.toMatch(PARSER_TEXT);
}

/** The connection still answers: a plain request right after, over the same socket. */
async function expectHealthy(): Promise<void> {
  const next = await post(JSON.stringify({ query: '{ __typename }' }));
  expect({ status: next.status, data: next.data, reused: next.reused }).toEqual({
    status: 200,
    data: { __typename: 'Query' },
    reused: true,
  });
}

describe('encoded request bodies', () => {
  it.each(Object.keys(ENCODERS) as (keyof typeof ENCODERS)[])(
    '%s: decoded and answered like the plain body, with the same API calls',
    async (name) => {
      const plain = await post(BODY);
      expect(plain.status).toBe(200);
      expect(plain.errors).toEqual([]);
      const plainCalls = stack()
        .calls(AVAILABLE)
        .map((c) => c.params);
      stack().emulator.resetCalls();

      const encoded = ENCODERS[name](BODY);
      expect(encoded.equals(BODY)).toBe(false);
      const reply = await post(encoded, { 'content-encoding': label(name) });
      // The same answer (its rate-limit figures move with every call).
      expect({ status: reply.status, data: reply.data }).toEqual({ status: 200, data: plain.data });
      expect(
        stack()
          .calls(AVAILABLE)
          .map((c) => c.params),
      ).toEqual(plainCalls);
    },
  );

  it('reads coding names case-insensitively and identity as none', async () => {
    for (const [encoding, body] of [
      ['GZip', gzipSync(BODY)],
      ['identity', BODY],
      ['Identity', BODY],
      ['identity, br', brotliCompressSync(BODY)],
      ['', BODY],
    ] as const) {
      const reply = await post(body, { 'content-encoding': encoding });
      expect({ encoding, status: reply.status, errors: reply.errors }).toEqual({
        encoding,
        status: 200,
        errors: [],
      });
    }
  });

  it('decodes a body of exactly MAX_BODY_BYTES', async () => {
    const prefix = JSON.stringify({ query: '{ __typename }', variables: { pad: '' } });
    const body = Buffer.from(
      JSON.stringify({
        query: '{ __typename }',
        variables: { pad: 'x'.repeat(LIMIT - prefix.length) },
      }),
    );
    expect(body.byteLength).toBe(LIMIT);
    const reply = await post(gzipSync(body), { 'content-encoding': 'gzip' });
    expect({ status: reply.status, data: reply.data }).toEqual({
      status: 200,
      data: { __typename: 'Query' },
    });
  });
});

describe('a decompression bomb', () => {
  // 10 MB of JSON padding: about 10 KB compressed, a hundred times the limit decoded.
  const bomb = Buffer.from(
    JSON.stringify({ query: '{ __typename }', variables: { pad: ' '.repeat(10_000_000) } }),
  );

  it.each(Object.keys(ENCODERS) as (keyof typeof ENCODERS)[])(
    '%s: 413 PAYLOAD_TOO_LARGE with the decoded limit, and the connection answers the next request',
    async (name) => {
      const encoded = ENCODERS[name](bomb);
      expect(encoded.byteLength).toBeLessThan(LIMIT);
      for (const accept of [JSON_TYPE, GRAPHQL_RESPONSE]) {
        const reply = await post(encoded, { 'content-encoding': label(name) }, accept);
        expectRefusal(reply, 413, 'PAYLOAD_TOO_LARGE');
        expect(reply.errors[0]?.extensions).toEqual({
          code: 'PAYLOAD_TOO_LARGE',
          setting: 'MAX_BODY_BYTES',
          limit: LIMIT,
        });
        expect(reply.errors[0]?.message).toBe(
          `The request body is larger than the limit of ${LIMIT} bytes (MAX_BODY_BYTES) once decoded from ${label(name) === 'x-gzip' ? 'gzip' : label(name)}.`,
        );
        await expectHealthy();
      }
      expect(stack().calls()).toHaveLength(0);
    },
  );

  it('a bomb in many deflate segments (1 GB decoded) is refused as fast as a small one', async () => {
    const segment = deflateSync(Buffer.alloc(10_000_000), SYNC);
    const body = Buffer.concat([segment, ...Array.from({ length: 9 }, () => segment.subarray(2))]);
    const started = performance.now();
    const reply = await post(body, { 'content-encoding': 'deflate' });
    expectRefusal(reply, 413, 'PAYLOAD_TOO_LARGE');
    // Inflating its 100 MB would take a second or more.
    expect(performance.now() - started).toBeLessThan(1_000);
    await expectHealthy();
  });
});

describe('bodies the gateway cannot read', () => {
  it.each([
    ['gzip', 'plain JSON labelled gzip', BODY],
    ['gzip', 'truncated gzip', gzipSync(BODY).subarray(0, 30)],
    ['deflate', 'text labelled deflate', Buffer.from('this is not deflate data at all')],
    ['br', 'plain JSON labelled br', BODY],
    ['br', 'an empty body', Buffer.alloc(0)],
  ] as const)('%s, %s: 400 BAD_REQUEST saying so', async (encoding, _name, body) => {
    for (const accept of [JSON_TYPE, GRAPHQL_RESPONSE]) {
      const reply = await post(body, { 'content-encoding': encoding }, accept);
      expectRefusal(reply, 400, 'BAD_REQUEST');
      expect(reply.errors[0]?.message).toBe(
        `The request body is not valid ${encoding} data (Content-Encoding: ${encoding}).`,
      );
      await expectHealthy();
    }
    expect(stack().calls()).toHaveLength(0);
  });

  it.each([
    ['zstd', 'zstd'],
    ['compress', 'compress'],
    ['two codings', 'gzip, br'],
    ['an unknown name', 'snappy'],
  ])(
    '%s: 415 UNSUPPORTED_MEDIA_TYPE naming the accepted codings, in Accept-Encoding too',
    async (_name, encoding) => {
      for (const accept of [JSON_TYPE, GRAPHQL_RESPONSE]) {
        const reply = await post(BODY, { 'content-encoding': encoding }, accept);
        expectRefusal(reply, 415, 'UNSUPPORTED_MEDIA_TYPE');
        expect(reply.errors[0]?.extensions).toEqual({
          code: 'UNSUPPORTED_MEDIA_TYPE',
          accepted: ['gzip', 'deflate', 'br'],
        });
        expect(reply.errors[0]?.message).toMatch(/gzip, deflate, br/);
        expect(reply.headers['accept-encoding']).toBe('gzip, deflate, br');
        await expectHealthy();
      }
      expect(stack().calls()).toHaveLength(0);
    },
  );

  it.each([
    ['cut short', '{"query":'],
    ['not JSON', 'query { __typename }'],
    ['empty', ''],
  ])('JSON %s: 400 BAD_REQUEST with our message, no parser text', async (_name, body) => {
    for (const accept of [JSON_TYPE, GRAPHQL_RESPONSE]) {
      for (const [encoding, bytes] of [
        [undefined, Buffer.from(body)],
        ['gzip', gzipSync(body)],
      ] as const) {
        const reply = await post(bytes, encoding ? { 'content-encoding': encoding } : {}, accept);
        expectRefusal(reply, 400, 'BAD_REQUEST');
        expect(reply.errors[0]).toEqual({
          message: 'The request body is not valid JSON.',
          extensions: { code: 'BAD_REQUEST' },
        });
        if (body) expect(reply.text).not.toContain(body);
      }
    }
    expect(stack().calls()).toHaveLength(0);
  });

  it.each([['null'], ['42'], ['"{ __typename }"']])(
    'JSON that is not an object (%s): 400 BAD_REQUEST',
    async (body) => {
      const reply = await post(body);
      expectRefusal(reply, 400, 'BAD_REQUEST');
      expect(reply.errors[0]?.message).toMatch(/must be a JSON object/);
    },
  );
});

describe('the declared length', () => {
  it('a Content-Length over MAX_BODY_BYTES: 413 before the body is sent', async () => {
    const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(stack().url, {
        method: 'POST',
        headers: {
          'content-type': JSON_TYPE,
          'content-encoding': 'gzip',
          'content-length': String(LIMIT + 1),
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body });
          req.destroy();
        });
      });
      req.on('error', reject);
      // Headers only: the answer comes without a byte of the body.
      req.flushHeaders();
    });
    expect(reply.status).toBe(413);
    const { errors } = JSON.parse(reply.body) as { errors: { extensions: unknown }[] };
    expect(errors[0]?.extensions).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      setting: 'MAX_BODY_BYTES',
      limit: LIMIT,
    });
  });
});
