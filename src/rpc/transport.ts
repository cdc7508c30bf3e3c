/**
 * The HTTP leg of a JSON-RPC call: one POST on a keep-alive undici `Pool`,
 * repeated on passing failures when the caller allows it, each attempt bounded
 * in time, the whole bounded by the caller's deadline signal.
 *
 * undici rather than got: one call through got cost 5.7 × a bare
 * `http.request` in the caller's CPU, undici's Pool 0.9 × (docs/performance.md,
 * settled experiments); got's per-call option merging, hooks and stream
 * plumbing were a third of the gateway's CPU on distinct traffic.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool, errors } from 'undici';
import type { buildConnector } from 'undici';
import { TransportError, abortedCall } from './errors.js';

/** How connections to an `https:` API are made (e.g. `{ ca }` for a private CA). */
export type TlsOptions = Partial<buildConnector.BuildOptions>;

export interface TransportOptions {
  /** Full endpoint, e.g. `https://dataapi.uiscom.ru/v2.0`. */
  readonly url: string;
  /** Per attempt, from sending the request to the reply's last byte. */
  readonly timeoutMs: number;
  /** Attempts after the first, for callers that allow repeating. */
  readonly retries: number;
  /** First retry delay; doubles for each further retry, plus up to as much jitter. */
  readonly retryBaseMs: number;
  /** Keep-alive connections to the API at most (one call in flight on each). */
  readonly connections: number;
  /** TLS options for an `https:` URL (e.g. a private CA); the system's by default. */
  readonly tls?: TlsOptions;
}

export interface HttpReply {
  readonly statusCode: number;
  /** The body as sent: rows can be written from it (replyBytes.ts). */
  readonly body: Uint8Array;
  /** The `Retry-After` header, kept for a 429's `retryAfter`. */
  readonly retryAfter?: string;
}

/** A passing outage at the API's edge: worth one more try of a read-only call. */
const RETRY_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/** Connection failures worth another try (got's list, plus undici's names for the same). */
const RETRY_CODES: ReadonlySet<string> = new Set([
  'ETIMEDOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

const EMPTY = new Uint8Array(0);

const JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8' } as const;

/** One attempt outlasted `timeoutMs`. */
class AttemptTimeout extends Error {
  override name = 'AttemptTimeout';
  readonly code = 'ETIMEDOUT';
  constructor(ms: number) {
    super(`no complete reply within ${ms} ms`);
  }
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function isTimeout(error: unknown): boolean {
  return (
    error instanceof AttemptTimeout ||
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError
  );
}

/** got's delay rule: base × 2^attempt × (1 + jitter in [0, 1)). */
export function retryDelayMs(baseMs: number, attempt: number): number {
  return baseMs * 2 ** attempt * (1 + Math.random());
}

export class HttpTransport {
  private readonly pool: Pool;
  private readonly path: string;

  constructor(private readonly options: TransportOptions) {
    const url = new URL(options.url);
    this.path = `${url.pathname}${url.search}`;
    this.pool = new Pool(url.origin, {
      connections: options.connections,
      ...(options.tls ? { connect: options.tls } : {}),
    });
  }

  /**
   * POSTs `body`, repeating it up to `retries` times on a 502/503/504 or a
   * passing connection failure when `retry` is set. Never retries once
   * `signal` (the request's deadline, or every waiting client gone) has
   * fired; an attempt in progress and waits between attempts end when it
   * fires too.
   */
  async post(
    method: string,
    body: string,
    retry: boolean,
    signal?: AbortSignal,
  ): Promise<HttpReply> {
    const retries = retry ? this.options.retries : 0;
    for (let attempt = 0; ; attempt += 1) {
      let reply: HttpReply | undefined;
      let failure: unknown;
      try {
        reply = await this.once(body, signal);
      } catch (error) {
        failure = error;
      }
      const again =
        attempt < retries &&
        !signal?.aborted &&
        (reply ? RETRY_STATUSES.has(reply.statusCode) : RETRY_CODES.has(codeOf(failure) ?? ''));
      if (!again) {
        if (reply) return reply;
        throw toTransportError(method, failure, signal);
      }
      try {
        await sleep(retryDelayMs(this.options.retryBaseMs, attempt), undefined, { signal });
      } catch (error) {
        throw toTransportError(method, error, signal);
      }
    }
  }

  private async once(body: string, deadline: AbortSignal | undefined): Promise<HttpReply> {
    // A timer of our own, cleared as soon as the reply is read: undici's header
    // and body timeouts tick in half-second steps, and AbortSignal.timeout's
    // timer would outlive every call by the whole timeout.
    const attempt = new AbortController();
    const onDeadline = () => {
      attempt.abort(deadline?.reason);
    };
    deadline?.addEventListener('abort', onDeadline, { once: true });
    const timer = setTimeout(() => {
      attempt.abort(new AttemptTimeout(this.options.timeoutMs));
    }, this.options.timeoutMs);
    try {
      const {
        statusCode,
        headers,
        body: stream,
      } = await this.pool.request({
        path: this.path,
        method: 'POST',
        headers: JSON_HEADERS,
        body,
        signal: attempt.signal,
      });
      if (statusCode >= 500 || statusCode === 429) {
        // Nobody reads an outage page; drain it so the connection can be reused.
        await stream.dump();
        const retryAfter = headers['retry-after'];
        return typeof retryAfter === 'string'
          ? { statusCode, body: EMPTY, retryAfter }
          : { statusCode, body: EMPTY };
      }
      return { statusCode, body: new Uint8Array(await stream.arrayBuffer()) };
    } catch (error) {
      const reason: unknown = attempt.signal.reason;
      throw reason instanceof AttemptTimeout && !deadline?.aborted ? reason : error;
    } finally {
      clearTimeout(timer);
      deadline?.removeEventListener('abort', onDeadline);
    }
  }

  /** Closes the pool's connections once the calls in flight are answered. */
  close(): Promise<void> {
    return this.pool.close();
  }
}

function toTransportError(method: string, error: unknown, signal?: AbortSignal): TransportError {
  if (error instanceof TransportError) return error;
  if (signal?.aborted) return abortedCall(method, signal, error);
  if (isTimeout(error)) {
    return new TransportError(method, 'timeout', 'timed out', { cause: error });
  }
  return new TransportError(method, 'connection', codeOf(error) ?? 'request failed', {
    cause: error,
  });
}
