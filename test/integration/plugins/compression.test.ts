/**
 * Compression as an HTTP client sees it: got (a real client) decodes br and
 * gzip replies, and the bytes on the wire are counted with node:http.
 */
import { request } from 'node:http';
import got from 'got';
import { describe, expect, it } from 'vitest';
import { negotiateEncoding } from '../../../src/http/plugins/compression.js';
import { useStack } from '../../helpers/stack.js';

const stack = useStack();
const BIG = '{ availableNumbers(first: 200) { nodes { id phoneNumber locationName minCharge } } }';
const SMALL = '{ __typename }';

/** The raw reply: headers and the undecoded body length. */
function raw(query: string, acceptEncoding?: string) {
  const body = JSON.stringify({ query });
  return new Promise<{ headers: Record<string, unknown>; bytes: number }>((resolve, reject) => {
    const req = request(
      stack().url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }),
        },
      },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => {
          resolve({ headers: res.headers, bytes });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('compression', () => {
  it('sends a large reply as br or gzip, which got decodes to the same JSON', async () => {
    const plain = await raw(BIG);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes).toBeGreaterThan(20_000);

    for (const encoding of ['br', 'gzip'] as const) {
      const onWire = await raw(BIG, encoding);
      expect(onWire.headers['content-encoding']).toBe(encoding);
      expect(onWire.headers.vary).toMatch(/accept-encoding/i);
      expect(onWire.bytes).toBeLessThan(plain.bytes / 4);

      const decoded = await got
        .post(stack().url, {
          json: { query: BIG },
          headers: { 'accept-encoding': encoding },
        })
        .json<{ data: { availableNumbers: { nodes: unknown[] } } }>();
      expect(decoded.data.availableNumbers.nodes).toHaveLength(200);
    }
  });

  it('leaves small replies and clients that accept no encoding alone', async () => {
    const small = await raw(SMALL, 'gzip, br');
    expect(small.headers['content-encoding']).toBeUndefined();
    for (const header of [undefined, 'identity', 'gzip;q=0, br;q=0']) {
      expect((await raw(BIG, header)).headers['content-encoding']).toBeUndefined();
    }
  });

  it('picks the encoding the client prefers, br on a tie', () => {
    expect(negotiateEncoding('gzip, deflate, br')).toBe('br');
    expect(negotiateEncoding('gzip;q=1.0, br;q=0.5')).toBe('gzip');
    expect(negotiateEncoding('br;q=0, gzip')).toBe('gzip');
    expect(negotiateEncoding('*')).toBe('br');
    expect(negotiateEncoding('deflate')).toBeUndefined();
    expect(negotiateEncoding(null)).toBeUndefined();
  });
});
