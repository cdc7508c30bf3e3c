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

/** Whether [start, end) holds a backslash: a string there may spell what its bytes do not. */
export function hasEscape(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) if (bytes[i] === BACKSLASH) return true;
  return false;
}

/**
 * Where `result.data` starts (its `[`), when it can be located with
 * certainty: no escaped key on the way. Duplicate keys after it are looked
 * for when the rows have all been located (ReplyBytes.verified).
 */
function dataArray(bytes: Uint8Array): number | undefined {
  const top = skipSpace(bytes, 0);
  const result = memberBefore(bytes, top, 'result');
  if (result === undefined) return undefined;
  const data = memberBefore(bytes, result, 'data');
  if (data === undefined || bytes[data] !== OPEN_ARRAY) return undefined;
  return data;
}

/**
 * Where the first member `name` of the object at `at` starts (its value), the
 * members before it scanned; undefined when absent, when a key before it is
 * escaped, or when `at` is not an object.
 */
function memberBefore(bytes: Uint8Array, at: number, name: string): number | undefined {
  if (bytes[at] !== OPEN_OBJECT) return undefined;
  let i = skipSpace(bytes, at + 1);
  for (;;) {
    if (bytes[i] !== QUOTE) return undefined;
    const keyEnd = stringEnd(bytes, i);
    if (hasEscape(bytes, i, keyEnd)) return undefined;
    const valueAt = skipSpace(bytes, skipSpace(bytes, keyEnd) + 1);
    if (keyIs(bytes, i, keyEnd, name)) return valueAt;
    i = skipSpace(bytes, valueEnd(bytes, valueAt));
    if (bytes[i] !== COMMA) return undefined;
    i = skipSpace(bytes, i + 1);
  }
}

/**
 * The end of the object a member of which ends at `at`, when no member after
 * it is `name` or has an escaped key; undefined otherwise.
 */
function objectEndWithout(bytes: Uint8Array, at: number, name: string): number | undefined {
  let i = skipSpace(bytes, at);
  for (;;) {
    if (bytes[i] === CLOSE_OBJECT) return i + 1;
    if (bytes[i] !== COMMA) return undefined;
    i = skipSpace(bytes, i + 1);
    if (bytes[i] !== QUOTE) return undefined;
    const keyEnd = stringEnd(bytes, i);
    if (hasEscape(bytes, i, keyEnd) || keyIs(bytes, i, keyEnd, name)) return undefined;
    i = skipSpace(bytes, valueEnd(bytes, skipSpace(bytes, skipSpace(bytes, keyEnd) + 1)));
  }
}

/**
 * One reply's bytes and its rows' places in them. Rows are located as they
 * are first asked for, in order: a writer that reads row i tells where it
 * ended (ended()), so rows written in order are scanned once.
 */
export class ReplyBytes {
  /** starts[i] is where row i starts, for i <= located; -1 when the rows cannot be located. */
  private readonly starts: Int32Array;
  private located = -1;
  private index: Map<unknown, number> | undefined;
  private checked: boolean | undefined;

  constructor(
    readonly bytes: Uint8Array,
    private readonly rows: readonly unknown[],
  ) {
    this.starts = new Int32Array(rows.length + 1);
  }

  /** The place of `row` (one of the parsed rows) in the reply; `hint` (the row after the last) tried first. */
  rowAt(row: unknown, hint: number): number | undefined {
    if (this.rows[hint] === row) return hint;
    // A page in reversed order.
    if (this.rows[hint - 2] === row) return hint - 2;
    if (this.index === undefined) {
      this.index = new Map();
      this.rows.forEach((one, i) => this.index?.set(one, i));
    }
    return this.index.get(row);
  }

  /** Where row `i` starts; undefined when the rows cannot be located. */
  startOf(i: number): number | undefined {
    if (this.located < 0) {
      if (this.located === -2) return undefined;
      const data = dataArray(this.bytes);
      if (data === undefined) {
        this.fail();
        return undefined;
      }
      this.starts[0] = skipSpace(this.bytes, data + 1);
      this.located = 0;
    }
    while (this.located < i) {
      const at = this.starts[this.located] as number;
      if (this.bytes[at] !== OPEN_OBJECT) {
        this.fail();
        return undefined;
      }
      if (!this.ended(this.located, valueEnd(this.bytes, at))) return undefined;
    }
    return this.starts[i];
  }

  /**
   * Row `i`, read by the caller, ended at `end`: the next row starts after
   * the comma. False (and no row located ever after) when the bytes do not
   * hold one object per parsed row there.
   */
  ended(i: number, end: number): boolean {
    if (i !== this.located) return this.located >= 0;
    const after = skipSpace(this.bytes, end);
    const last = i === this.rows.length - 1;
    if (this.bytes[after] !== (last ? CLOSE_ARRAY : COMMA)) {
      this.fail();
      return false;
    }
    this.starts[i + 1] = last ? after : skipSpace(this.bytes, after + 1);
    this.located = i + 1;
    return true;
  }

  /**
   * Whether the rows located are `result.data` as JSON.parse read it: every
   * row located, and no later `data` member in the result nor `result`
   * member in the reply (JSON.parse takes the last of duplicate keys).
   */
  verified(): boolean {
    if (this.checked === undefined) {
      const last = this.rows.length - 1;
      if (this.startOf(last) === undefined) return (this.checked = false);
      const lastStart = this.starts[last] as number;
      if (this.bytes[lastStart] !== OPEN_OBJECT) return (this.checked = false);
      if (this.located === last && !this.ended(last, valueEnd(this.bytes, lastStart))) {
        return (this.checked = false);
      }
      const arrayEnd = (this.starts[this.rows.length] as number) + 1;
      const resultEnd = objectEndWithout(this.bytes, arrayEnd, 'data');
      this.checked =
        resultEnd !== undefined && objectEndWithout(this.bytes, resultEnd, 'result') !== undefined;
    }
    return this.checked;
  }

  /** The bytes do not hold the parsed rows where expected: no row is read from them. */
  private fail(): void {
    this.located = -2;
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
