/**
 * Request bodies sent with a Content-Encoding (RFC 9110 §8.4): which codings
 * the gateway reads, and a streaming decoder that stops as soon as the
 * decoded body passes the body limit, so a small compressed body cannot make
 * the gateway inflate megabytes (a decompression bomb).
 */
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';

/** The codings a request body may have, in the order the 415 names them. */
export const REQUEST_CODINGS = ['gzip', 'deflate', 'br'] as const;
export type RequestCoding = (typeof REQUEST_CODINGS)[number];

/** Codings read as another: `x-gzip` is gzip (RFC 9110 §8.4.1.3). */
const ALIASES: Readonly<Record<string, RequestCoding>> = {
  gzip: 'gzip',
  'x-gzip': 'gzip',
  deflate: 'deflate',
  br: 'br',
};

/** A Content-Encoding the gateway cannot decode. */
export const UNSUPPORTED = Symbol('unsupported content coding');

/**
 * The coding of a request body from its Content-Encoding header: undefined
 * for none (no header, an empty one, or only `identity`), UNSUPPORTED for
 * anything but one of REQUEST_CODINGS (zstd, compress, or several codings
 * applied in turn). Coding names are case-insensitive.
 */
export function requestCoding(
  header: string | null,
): RequestCoding | undefined | typeof UNSUPPORTED {
  if (header === null) return undefined;
  let coding: RequestCoding | undefined;
  for (const part of header.split(',')) {
    const name = part.trim().toLowerCase();
    if (name === '' || name === 'identity') continue;
    const known = Object.hasOwn(ALIASES, name) ? ALIASES[name] : undefined;
    if (known === undefined || coding !== undefined) return UNSUPPORTED;
    coding = known;
  }
  return coding;
}

/** Why a body could not be decoded. */
export class BodyDecodingError extends Error {
  constructor(
    readonly reason: 'too-large' | 'corrupt' | 'unreadable',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** What decodeBody reads from: a web stream's reader (never released, see decodeBody). */
export interface ChunkReader {
  read(): Promise<{ readonly done: boolean; readonly value?: Uint8Array | undefined }>;
}

/**
 * Whether `head` starts a zlib stream (RFC 1950: CM = 8, a window of at most
 * 32 KB, and the check bits), rather than raw deflate (RFC 1951).
 */
function isZlib(head: Uint8Array): boolean {
  const [cmf = 0, flg = 0] = head;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0;
}

/**
 * The decoder for `coding`. `deflate` is zlib-wrapped (RFC 9110 §8.4.1.2),
 * but some clients (.NET's DeflateStream, old browsers) send raw deflate
 * under that name: told apart by the first two bytes, as browsers do.
 */
function decoderFor(coding: RequestCoding, head: Uint8Array): Transform {
  switch (coding) {
    case 'gzip':
      return createGunzip();
    case 'br':
      return createBrotliDecompress();
    case 'deflate':
      return isZlib(head) ? createInflate() : createInflateRaw();
  }
}

/** Bytes decoderFor needs to choose. */
const HEAD_BYTES = 2;

/**
 * Decodes the body `reader` yields as `coding`, chunk by chunk, into one
 * buffer of at most `maxBytes`. Rejects with a BodyDecodingError as soon as
 * the decoded bytes pass `maxBytes` ('too-large': the decoder is destroyed,
 * the rest is never inflated), the data is not valid `coding` ('corrupt'),
 * or reading fails ('unreadable': the client went away).
 *
 * The reader is read to its end in every case, after a failure without
 * decoding: a request body left unread would stall its keep-alive connection,
 * and cancelling the reader would destroy the socket before the refusal is
 * sent. The caller bounds what is left to read (a Content-Length within the
 * limit); errors while draining are the client's and are dropped.
 */
export function decodeBody(
  reader: ChunkReader,
  coding: RequestCoding,
  maxBytes: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    let decoder: Transform | undefined;
    const fail = (error: BodyDecodingError) => {
      if (settled) return;
      settled = true;
      decoder?.destroy();
      reject(error);
    };
    const start = (head: Uint8Array): Transform => {
      const started = decoderFor(coding, head);
      started.on('data', (chunk: Buffer) => {
        if (settled) return;
        size += chunk.byteLength;
        if (size > maxBytes) {
          fail(new BodyDecodingError('too-large', `decoded body over ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      // `on`, not `once`: a second error with no listener would be thrown.
      started.on('error', (error) => {
        fail(new BodyDecodingError('corrupt', `not valid ${coding} data`, { cause: error }));
      });
      started.once('end', () => {
        if (settled) return;
        settled = true;
        resolve(Buffer.concat(chunks, size));
      });
      return started;
    };
    const pump = async () => {
      let head: Uint8Array = new Uint8Array(0);
      for (;;) {
        const next = await reader.read();
        // After a failure (or a decoder that ended early), the rest is drained undecoded.
        if (settled || decoder?.writableEnded) {
          if (next.done) return;
          continue;
        }
        let chunk: Uint8Array | undefined = next.value;
        if (decoder === undefined) {
          if (chunk !== undefined) head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
          if (!next.done && head.length < HEAD_BYTES) continue;
          decoder = start(head);
          chunk = head;
        }
        if (chunk !== undefined && chunk.byteLength > 0 && !decoder.write(chunk)) {
          await drained(decoder);
        }
        if (next.done) {
          // Destroyed if it failed while its input drained.
          if (!decoder.destroyed) decoder.end();
          return;
        }
      }
    };
    pump().catch((error: unknown) => {
      fail(new BodyDecodingError('unreadable', 'the body could not be read', { cause: error }));
    });
  });
}

/** Resolves when `stream` takes writes again, or is gone. */
function drained(stream: Transform): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}
