import {
  brotliCompressSync,
  constants,
  createBrotliCompress,
  deflateRawSync,
  deflateSync,
  gzipSync,
} from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import type { RequestCoding } from '../../../src/http/contentEncoding.js';
import {
  BodyDecodingError,
  UNSUPPORTED,
  decodeBody,
  requestCoding,
} from '../../../src/http/contentEncoding.js';

describe('requestCoding', () => {
  it.each([
    [null, undefined],
    ['', undefined],
    ['identity', undefined],
    [' Identity , identity', undefined],
    ['gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['x-gzip', 'gzip'],
    ['deflate', 'deflate'],
    ['br', 'br'],
    ['identity, br', 'br'],
    ['zstd', UNSUPPORTED],
    ['compress', UNSUPPORTED],
    ['x-compress', UNSUPPORTED],
    ['gzip, br', UNSUPPORTED],
    ['gzip, gzip', UNSUPPORTED],
    ['toString', UNSUPPORTED],
  ] as const)('%j → %s', (header, coding) => {
    expect(requestCoding(header)).toBe(coding);
  });
});

/** A reader over `chunks` that counts what was pulled and whether it reached the end. */
function readerOf(chunks: readonly Uint8Array[]) {
  const state = { pulled: 0, ended: false };
  return {
    state,
    read: () => {
      const value = chunks[state.pulled];
      if (value === undefined) {
        state.ended = true;
        return Promise.resolve({ done: true });
      }
      state.pulled += 1;
      return Promise.resolve({ done: false, value });
    },
  };
}

const json = Buffer.from(JSON.stringify({ query: '{ __typename }', variables: { s: 'é€😀' } }));
const LIMIT = 100_000;
const SYNC = { finishFlush: constants.Z_SYNC_FLUSH };

describe('decodeBody', () => {
  it.each([
    ['gzip', gzipSync(json)],
    ['deflate', deflateSync(json)],
    ['deflate', deflateRawSync(json)],
    ['br', brotliCompressSync(json)],
  ] as const)('%s: decodes, in chunks of any size', async (coding, encoded) => {
    for (const size of [1, 2, 3, 7, encoded.length]) {
      const chunks = [];
      for (let at = 0; at < encoded.length; at += size)
        chunks.push(encoded.subarray(at, at + size));
      const reader = readerOf(chunks);
      expect((await decodeBody(reader, coding, LIMIT)).equals(json)).toBe(true);
      expect(reader.state.ended).toBe(true);
    }
  });

  it('decodes a body of exactly the limit, and refuses one byte more', async () => {
    const body = Buffer.alloc(LIMIT, 'a');
    expect((await decodeBody(readerOf([gzipSync(body)]), 'gzip', LIMIT)).length).toBe(LIMIT);
    await expect(
      decodeBody(readerOf([gzipSync(Buffer.alloc(LIMIT + 1, 'a'))]), 'gzip', LIMIT),
    ).rejects.toMatchObject({ reason: 'too-large' });
  });

  it.each([
    ['gzip', Buffer.from('{"query":"{ __typename }"}')],
    ['gzip', gzipSync(json).subarray(0, 20)],
    ['deflate', Buffer.from('not deflate at all')],
    ['br', Buffer.from('{"query":"{ __typename }"}')],
    ['br', Buffer.alloc(0)],
  ] as const)('%s: data that is not %s is corrupt', async (coding, encoded) => {
    const error: unknown = await decodeBody(readerOf([encoded]), coding, LIMIT).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BodyDecodingError);
    expect((error as BodyDecodingError).reason).toBe('corrupt');
  });

  it('a reader that fails is unreadable', async () => {
    const reader = { read: () => Promise.reject(new Error('aborted')) };
    await expect(decodeBody(reader, 'gzip', LIMIT)).rejects.toMatchObject({
      reason: 'unreadable',
    });
  });
});

/**
 * Bombs of 1 GB (gzip, deflate) or 300 MB (br) decoded, in chunks that each
 * decode to 10 MB or more: built cheaply from repeated parts (gzip members,
 * deflate segments ended by a sync flush) or a fast compressor.
 */
async function bombs(): Promise<[RequestCoding, string, Buffer[]][]> {
  const zeros = Buffer.alloc(10_000_000);
  const zlibSegment = deflateSync(zeros, SYNC);
  const rawSegment = deflateRawSync(zeros, SYNC);
  const repeat = (first: Buffer, rest: Buffer) => [
    first,
    ...Array.from({ length: 99 }, () => rest),
  ];
  const br = await brotliOf(300);
  const brChunks = [];
  for (let at = 0; at < br.length; at += 4096) brChunks.push(br.subarray(at, at + 4096));
  return [
    ['gzip', 'gzip members', repeat(gzipSync(zeros), gzipSync(zeros))],
    ['deflate', 'zlib', repeat(zlibSegment, zlibSegment.subarray(2))],
    ['deflate', 'raw deflate', repeat(rawSegment, rawSegment)],
    ['br', 'br', brChunks],
  ];
}

/** `megabytes` of zeros through brotli at quality 1, without holding them. */
async function brotliOf(megabytes: number): Promise<Buffer> {
  const compressor = createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 1 } });
  const out: Buffer[] = [];
  compressor.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise((resolve) => compressor.once('end', resolve));
  const megabyte = Buffer.alloc(1 << 20);
  for (let i = 0; i < megabytes; i++) {
    if (!compressor.write(megabyte))
      await new Promise((resolve) => compressor.once('drain', resolve));
  }
  compressor.end();
  await ended;
  return Buffer.concat(out);
}

describe('a decompression bomb', () => {
  it('is refused once the decoded bytes pass the limit, the rest drained without inflating it', async () => {
    for (const [coding, name, chunks] of await bombs()) {
      const reader = readerOf(chunks);
      const started = performance.now();
      const error: unknown = await decodeBody(reader, coding, LIMIT).catch((e: unknown) => e);
      expect({ name, reason: (error as BodyDecodingError).reason }).toEqual({
        name,
        reason: 'too-large',
      });
      // At most the chunks the decoder's input buffer (16 KB) takes ahead: never the rest.
      expect({ name, pulled: reader.state.pulled <= 6 }).toEqual({ name, pulled: true });
      // Then the reader is read to its end, so the connection stays usable.
      await vi.waitFor(() => {
        expect(reader.state.ended).toBe(true);
      });
      expect(reader.state.pulled).toBe(chunks.length);
      // Inflating it all would take seconds (1 GB); the refusal and the drain take milliseconds.
      expect(performance.now() - started).toBeLessThan(2_000);
    }
  });
});
