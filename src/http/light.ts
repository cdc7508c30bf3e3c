/**
 * Fetch-shaped objects without streams, for the lean door (http/leanDoor.ts):
 * what Yoga's and our plugins read of a Request and a Response, over a body
 * already in memory. A reply is a status, headers and a string or bytes, so
 * none of the fetch API's body streams, URL parsing or header copies is paid
 * for on the common request. Anything the plugins do not read is absent: a
 * plugin that reaches for more fails in the differential test of the doors.
 */
import type { IncomingHttpHeaders } from 'node:http';

type HeadersInit =
  | LightHeaders
  | Headers
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | Iterable<readonly [string, string]>;

/** Header names compared without case; each kept with the spelling it was first set with. */
export class LightHeaders {
  private readonly entries_ = new Map<string, [name: string, value: string]>();

  constructor(init?: HeadersInit) {
    if (!init) return;
    if (init instanceof LightHeaders) {
      for (const [key, entry] of init.entries_) this.entries_.set(key, [...entry]);
      return;
    }
    if (Symbol.iterator in init) {
      for (const [name, value] of init as Iterable<readonly [string, string]>) {
        this.append(name, value);
      }
      return;
    }
    for (const [name, value] of Object.entries(init)) {
      if (value === undefined) continue;
      this.entries_.set(name.toLowerCase(), [
        name,
        typeof value === 'string' ? value : value.join(', '),
      ]);
    }
  }

  get(name: string): string | null {
    return this.entries_.get(name.toLowerCase())?.[1] ?? null;
  }

  has(name: string): boolean {
    return this.entries_.has(name.toLowerCase());
  }

  set(name: string, value: string): void {
    const key = name.toLowerCase();
    const kept = this.entries_.get(key);
    this.entries_.set(key, [kept?.[0] ?? name, value]);
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const kept = this.entries_.get(key);
    this.entries_.set(key, kept ? [kept[0], `${kept[1]}, ${value}`] : [name, value]);
  }

  delete(name: string): void {
    this.entries_.delete(name.toLowerCase());
  }

  forEach(callback: (value: string, name: string) => void): void {
    for (const [key, [, value]] of this.entries_) callback(value, key);
  }

  *entries(): IterableIterator<[string, string]> {
    for (const [key, [, value]] of this.entries_) yield [key, value];
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  /** As written on the wire, each name in the spelling it was set with. */
  toRecord(): Record<string, string> {
    const record: Record<string, string> = {};
    for (const [name, value] of this.entries_.values()) record[name] = value;
    return record;
  }
}

type LightBody = string | Uint8Array | null;

/** The default type of a text body, as the fetch API's Response gives it. */
const TEXT_TYPE = 'text/plain;charset=UTF-8';

/**
 * A reply in memory. As the fetch API's Response (@whatwg-node/node-fetch's,
 * which Yoga uses) does, a text or byte body sets `content-length`, and a text
 * body without a type is text/plain, so hooks reading those headers see what
 * they see on Yoga's path.
 */
export class LightResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: LightHeaders;
  readonly body: LightBody;

  constructor(
    body?: LightBody,
    init: { status?: number; statusText?: string; headers?: HeadersInit } = {},
  ) {
    this.body = body ?? null;
    this.status = init.status ?? 200;
    this.statusText = init.statusText ?? '';
    this.headers = new LightHeaders(init.headers);
    if (this.body === null) return;
    if (typeof this.body === 'string' && !this.headers.has('content-type')) {
      this.headers.set('content-type', TEXT_TYPE);
    }
    if (!this.headers.has('content-length')) {
      this.headers.set('content-length', String(byteLength(this.body)));
    }
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  bytes(): Uint8Array {
    if (this.body === null) return new Uint8Array(0);
    return typeof this.body === 'string' ? Buffer.from(this.body, 'utf8') : this.body;
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.bytes();
    return Promise.resolve(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    );
  }

  text(): Promise<string> {
    return Promise.resolve(
      typeof this.body === 'string' ? this.body : Buffer.from(this.bytes()).toString('utf8'),
    );
  }

  clone(): LightResponse {
    return new LightResponse(this.body, {
      status: this.status,
      statusText: this.statusText,
      headers: this.headers,
    });
  }
}

function byteLength(body: string | Uint8Array): number {
  return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
}

const NEVER = new AbortController().signal;

/**
 * What the lean door's plugins and Yoga's pipeline read of a request: one
 * object from the first hook to the last (plugins key their state on it),
 * its body given once it has been read.
 */
export class LightRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: LightHeaders;
  /** Never fires: the client's leaving is read from the node response (http/clientGone.ts). */
  readonly signal: AbortSignal = NEVER;
  private body = '';

  constructor(method: string, url: string, headers: IncomingHttpHeaders) {
    this.method = method;
    this.url = url;
    this.headers = new LightHeaders(headers);
  }

  /** The body, read. */
  received(text: string): void {
    this.body = text;
  }

  text(): Promise<string> {
    return Promise.resolve(this.body);
  }

  json(): Promise<unknown> {
    return this.text().then((text) => JSON.parse(text) as unknown);
  }
}

/** The fetch API as the lean door hands it to result processors and response hooks. */
export const LIGHT_FETCH_API = { Response: LightResponse, Headers: LightHeaders };
