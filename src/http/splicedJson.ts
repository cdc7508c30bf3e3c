/**
 * JSON written as bytes during execution (a page written from the API's
 * reply, http/plugins/rowsFromBytes.ts), placed in a result that is
 * stringified later.
 *
 * Where the lean front door writes the reply it hands each request a
 * `Splice`: the stringified result holds a marker where the bytes go, and the
 * door puts them there, so they are never decoded, parsed or encoded again.
 * Anywhere else (Yoga's door, a test's JSON.stringify) the bytes are parsed
 * back into the value they spell, which stringifies to the same bytes.
 */
import { randomUUID } from 'node:crypto';

/** Per process, so no value an API or client sends can spell a marker. */
const MARK = `\u0000rows-from-bytes:${randomUUID()}:`;
/** How a marker appears in JSON text: JSON.stringify escapes its first character. */
const MARK_IN_TEXT = `"${JSON.stringify(MARK).slice(1, -1)}`;

/** One request's pieces of bytes, put in place when its reply is written. */
export class Splice {
  private readonly pieces: Uint8Array[] = [];

  /** The string that stands for `bytes` in the stringified result. */
  mark(bytes: Uint8Array): string {
    this.pieces.push(bytes);
    return `${MARK}${this.pieces.length - 1}`;
  }

  /** `text` with each marker replaced by its bytes; undefined when it holds none. */
  apply(text: string): Buffer | undefined {
    if (this.pieces.length === 0) return undefined;
    let at = text.indexOf(MARK_IN_TEXT);
    if (at < 0) return undefined;
    const parts: Uint8Array[] = [];
    let from = 0;
    while (at >= 0) {
      const digits = at + MARK_IN_TEXT.length;
      const close = text.indexOf('"', digits);
      const piece = this.pieces[Number(text.slice(digits, close))];
      if (piece === undefined) throw new Error('unreachable: a marker without its bytes');
      parts.push(Buffer.from(text.slice(from, at), 'utf8'), piece);
      from = close + 1;
      at = text.indexOf(MARK_IN_TEXT, from);
    }
    parts.push(Buffer.from(text.slice(from), 'utf8'));
    return Buffer.concat(parts);
  }
}

/** JSON text as bytes, in a result: marked for the request's splice, or parsed back. */
export class BytesJson {
  constructor(
    readonly bytes: Uint8Array,
    private readonly splice: Splice | undefined,
  ) {}

  toJSON(): unknown {
    if (this.splice) return this.splice.mark(this.bytes);
    return JSON.parse(
      Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString('utf8'),
    );
  }
}
