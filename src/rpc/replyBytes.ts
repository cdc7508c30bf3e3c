/**
 * A `get.*` reply's bytes, kept beside its parsed rows so a page can be
 * written from them (http/plugins/rowsFromBytes.ts) instead of building
 * GraphQL result objects and stringifying them again.
 *
 * The parsed reply stays the truth: the bytes are used only when they say
 * exactly what was parsed. They are kept only when they are valid UTF-8 (the
 * text decoder replaced nothing) without a byte order mark, and the rows are
 * located only when no key on the way to `result.data` is escaped (a byte
 * compare could miss it) and the array holds one object per parsed row. The
 * last of duplicate keys is taken, as JSON.parse takes it.
 */
import { isUtf8 } from 'node:buffer';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** The index of the first byte at or after `at` that is not JSON whitespace. */
export function skipSpace(bytes: Uint8Array, at: number): number {
  let i = at;
  while (isSpace(bytes[i])) i += 1;
  return i;
}

/** After the string opening at `at` (its quote). Bytes of valid JSON are assumed. */
export function stringEnd(bytes: Uint8Array, at: number): number {
  let i = at + 1;
  for (;;) {
    const byte = bytes[i];
    if (byte === QUOTE) return i + 1;
    if (byte === BACKSLASH) i += 2;
    else if (byte === undefined) return bytes.length;
    else i += 1;
  }
}

/** After the value starting at `at` (no leading space). Bytes of valid JSON are assumed. */
export function valueEnd(bytes: Uint8Array, at: number): number {
  const first = bytes[at];
  if (first === QUOTE) return stringEnd(bytes, at);
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
    let depth = 0;
    let i = at;
    for (;;) {
      const byte = bytes[i];
      if (byte === undefined) return bytes.length;
      if (byte === QUOTE) {
        i = stringEnd(bytes, i);
        continue;
      }
      if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) depth += 1;
      else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
        depth -= 1;
        if (depth === 0) return i + 1;
      }
      i += 1;
    }
  }
  // A number, true, false or null: up to the next delimiter.
  let i = at + 1;
  for (;;) {
    const byte = bytes[i];
    if (
      byte === undefined ||
      byte === COMMA ||
      byte === CLOSE_OBJECT ||
      byte === CLOSE_ARRAY ||
      isSpace(byte)
    ) {
      return i;
    }
    i += 1;
  }
}

/** Whether the key string at [start, end) (quotes included) is exactly `name` (ASCII). */
function keyIs(bytes: Uint8Array, start: number, end: number, name: string): boolean {
  if (end - start !== name.length + 2) return false;
  for (let k = 0; k < name.length; k += 1) {
    if (bytes[start + 1 + k] !== name.charCodeAt(k)) return false;
  }
  return true;
}

function hasEscape(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) if (bytes[i] === BACKSLASH) return true;
  return false;
}

/**
 * Where the member `name` of the object at `at` starts (its value), the last
 * one if repeated; undefined when absent, when a key is escaped, or when `at`
 * is not an object.
 */
function memberValue(bytes: Uint8Array, at: number, name: string): number | undefined {
  if (bytes[at] !== OPEN_OBJECT) return undefined;
  let i = skipSpace(bytes, at + 1);
  if (bytes[i] === CLOSE_OBJECT) return undefined;
  let found: number | undefined;
  for (;;) {
    if (bytes[i] !== QUOTE) return undefined;
    const keyEnd = stringEnd(bytes, i);
    if (hasEscape(bytes, i, keyEnd)) return undefined;
    const valueAt = skipSpace(bytes, skipSpace(bytes, keyEnd) + 1);
    if (keyIs(bytes, i, keyEnd, name)) found = valueAt;
    i = skipSpace(bytes, valueEnd(bytes, valueAt));
    if (bytes[i] === CLOSE_OBJECT) return found;
    if (bytes[i] !== COMMA) return undefined;
    i = skipSpace(bytes, i + 1);
  }
}

/**
 * Start and end of each element of `result.data`, in pairs; undefined when
 * they cannot be located with certainty or are not `rows` objects.
 */
export function locateRows(bytes: Uint8Array, rows: number): Int32Array | undefined {
  const result = memberValue(bytes, skipSpace(bytes, 0), 'result');
  if (result === undefined) return undefined;
  const data = memberValue(bytes, result, 'data');
  if (data === undefined || bytes[data] !== OPEN_ARRAY) return undefined;
  const spans = new Int32Array(rows * 2);
  let i = skipSpace(bytes, data + 1);
  let count = 0;
  if (bytes[i] === CLOSE_ARRAY) return rows === 0 ? spans : undefined;
  for (;;) {
    if (count >= rows || bytes[i] !== OPEN_OBJECT) return undefined;
    const end = valueEnd(bytes, i);
    spans[count * 2] = i;
    spans[count * 2 + 1] = end;
    count += 1;
    i = skipSpace(bytes, end);
    if (bytes[i] === CLOSE_ARRAY) return count === rows ? spans : undefined;
    if (bytes[i] !== COMMA) return undefined;
    i = skipSpace(bytes, i + 1);
  }
}

/** One reply's bytes and its rows' places in them, located when first asked. */
export class ReplyBytes {
  private spans: Int32Array | null | undefined;
  private index: Map<unknown, number> | undefined;

  constructor(
    readonly bytes: Uint8Array,
    private readonly rows: readonly unknown[],
  ) {}

  /** The place of `row` (one of the parsed rows) in the reply, or undefined. */
  rowAt(row: unknown): number | undefined {
    if (this.index === undefined) {
      this.index = new Map();
      this.rows.forEach((one, i) => this.index?.set(one, i));
    }
    return this.index.get(row);
  }

  /** Start and end of each row, in pairs; null when they cannot be located. */
  rowSpans(): Int32Array | null {
    if (this.spans === undefined) this.spans = locateRows(this.bytes, this.rows.length) ?? null;
    return this.spans;
  }
}

const replies = new WeakMap<readonly unknown[], ReplyBytes>();

/**
 * Keeps `bytes` as the source of `rows` (a reply's parsed `result.data`)
 * when they can be trusted to say the same: valid UTF-8, no byte order mark.
 */
export function keepReplyBytes(rows: readonly unknown[], bytes: Uint8Array): void {
  if (rows.length === 0 || !isUtf8(bytes)) return;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return;
  replies.set(rows, new ReplyBytes(bytes, rows));
}

/** The bytes `rows` were parsed from, when kept. */
export function replyBytesOf(rows: readonly unknown[]): ReplyBytes | undefined {
  return replies.get(rows);
}
