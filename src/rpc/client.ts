import CircuitBreaker from 'opossum';
import pLimit from 'p-limit';
import type { LimitFunction } from 'p-limit';
import type { ApiErrorObject, GetParams, GetResult } from '../api/wire.js';
import type { CallOutcome } from './errors.js';
import {
  ProtocolError,
  RpcError,
  TransportError,
  abortedCall,
  errorForHttpStatus,
  outcomeOf,
  secretsOf,
} from './errors.js';
import type { HttpReply, TlsOptions } from './transport.js';
import { HttpTransport } from './transport.js';
import { keepReplyBytes } from './replyBytes.js';

const UTF8 = new TextDecoder('utf-8');

export interface RpcClientOptions {
  /** Full endpoint, e.g. `https://dataapi.uiscom.ru/v2.0`. */
  readonly url: string;
  readonly timeoutMs: number;
  /** Transport-level retries of read-only (`get.*`) calls. */
  readonly retries: number;
  /** First retry delay; doubles for each further retry, plus up to as much jitter. */
  readonly retryBaseMs: number;
  /** Calls in flight at once; the rest wait in a queue. */
  readonly maxConcurrency: number;
  readonly breaker: BreakerOptions;
  /** TLS options for an `https:` URL (e.g. a private CA); the system's by default. */
  readonly tls?: TlsOptions;
  /** Called once per call with what happened; never given params (they hold the token). */
  readonly onCall?: (event: RpcCallEvent) => void;
}

export interface BreakerOptions {
  /** Failed share of calls (percent) in the rolling window that opens the circuit. */
  readonly errorThresholdPercentage: number;
  /** Calls the window must hold before it may open. */
  readonly volumeThreshold: number;
  /** How long it stays open before one probe call is let through. */
  readonly resetTimeoutMs: number;
}

/** What one API call did, for logs and metrics (never its params: they hold the token). */
export interface RpcCallEvent {
  readonly method: string;
  readonly durationMs: number;
  readonly outcome: CallOutcome;
  readonly rows?: number;
  readonly mnemonic?: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Only read-only methods are repeated: a repeated write could apply twice. */
const isReadOnly = (method: string) => method.startsWith('get.');

function isErrorObject(value: unknown): value is ApiErrorObject {
  return isObject(value) && typeof value.code === 'number' && typeof value.message === 'string';
}

/**
 * JSON-RPC 2.0 client for the Data API: one HTTP POST per call (the API refuses
 * batches), typed errors, keep-alive connections (undici, see transport.ts).
 */
export class RpcClient {
  private readonly transport: HttpTransport;
  private readonly queue: LimitFunction;
  /** One breaker per client, and one client per API base URL. */
  private readonly breaker: CircuitBreaker<[string, string, AbortSignal | undefined], HttpReply>;
  private nextId = 1;

  constructor(private readonly options: RpcClientOptions) {
    this.transport = new HttpTransport({
      url: options.url,
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      retryBaseMs: options.retryBaseMs,
      connections: options.maxConcurrency,
      ...(options.tls ? { tls: options.tls } : {}),
    });
    this.queue = pLimit(options.maxConcurrency);
    this.breaker = new CircuitBreaker(
      (method: string, body: string, signal: AbortSignal | undefined) =>
        this.post(method, body, signal),
      {
        // Timeouts are the transport's; the breaker only counts outcomes.
        timeout: false,
        errorThresholdPercentage: options.breaker.errorThresholdPercentage,
        volumeThreshold: options.breaker.volumeThreshold,
        resetTimeout: options.breaker.resetTimeoutMs,
        // Only an unreachable API opens the circuit; its error replies are answers,
        // and a call abandoned because its clients left says nothing about it.
        errorFilter: (error: unknown) =>
          !(error instanceof TransportError) || error.failure === 'cancelled',
      },
    );
  }

  /** Whether calls are currently refused without being sent. */
  get circuitOpen(): boolean {
    return this.breaker.opened;
  }

  /**
   * Calls a method and returns its `result` member. `deadline` is a
   * `performance.now()` instant: the call, retries included, is abandoned then.
   * `signal` abandons it too, queued or in flight (fired when every request
   * waiting for the call went away).
   */
  async call(method: string, params: Json, deadline?: number, signal?: AbortSignal): Promise<Json> {
    const started = performance.now();
    const report = (outcome: RpcCallEvent['outcome'], extra?: Partial<RpcCallEvent>): void => {
      this.options.onCall?.({
        method,
        durationMs: performance.now() - started,
        outcome,
        ...extra,
      });
    };
    try {
      const result = await this.send(method, params, deadline, signal);
      report('ok', Array.isArray(result.data) ? { rows: result.data.length } : undefined);
      return result;
    } catch (error) {
      report(
        outcomeOf(error),
        error instanceof RpcError && error.mnemonic !== undefined
          ? { mnemonic: error.mnemonic }
          : undefined,
      );
      throw error;
    }
  }

  /** Calls a `get.*` method and checks the reply has `data` and `metadata`. */
  async get(
    method: string,
    params: GetParams & { access_token: string },
    deadline?: number,
    signal?: AbortSignal,
  ): Promise<GetResult> {
    const result = await this.call(method, params as unknown as Json, deadline, signal);
    const { data, metadata } = result;
    if (!Array.isArray(data) || !isObject(metadata) || !data.every(isObject)) {
      throw new ProtocolError(method, 'result lacks a data array or metadata object');
    }
    return { data, metadata };
  }

  private async send(
    method: string,
    params: Json,
    deadline: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Json> {
    if (signal?.aborted) throw abortedCall(method, signal);
    const id = this.nextId++;
    const body = JSON.stringify({ jsonrpc: '2.0', id, method, params });
    let response: HttpReply;
    const call = callSignal(deadline, signal);
    try {
      response = await this.breaker.fire(method, body, call.signal);
    } catch (error) {
      if (error instanceof TransportError) throw error;
      if (CircuitBreaker.isOurError(error as Error)) {
        throw new TransportError(method, 'circuit_open', 'circuit open after repeated failures');
      }
      throw error;
    } finally {
      call.release();
    }
    let reply: unknown;
    try {
      // As the fetch API's text() decodes: a byte order mark dropped, bad bytes replaced.
      reply = JSON.parse(UTF8.decode(response.body));
    } catch (error) {
      throw new ProtocolError(method, `body is not JSON (HTTP ${response.statusCode})`, {
        cause: error,
      });
    }
    if (!isObject(reply) || reply.jsonrpc !== '2.0' || reply.id !== id) {
      throw new ProtocolError(method, 'not a JSON-RPC 2.0 reply to this call');
    }
    if (reply.error !== undefined) {
      if (!isErrorObject(reply.error)) throw new ProtocolError(method, 'malformed error object');
      throw new RpcError(method, reply.error, secretsOf(params));
    }
    if (!isObject(reply.result)) throw new ProtocolError(method, 'reply has no result object');
    if (Array.isArray(reply.result.data)) keepReplyBytes(reply.result.data, response.body);
    return reply.result;
  }

  /** One HTTP exchange (retries included), queued behind the concurrency cap. */
  private async post(method: string, body: string, signal?: AbortSignal): Promise<HttpReply> {
    const response = await this.queue(() => {
      // Waited in the queue past its deadline, or every client waiting for it left.
      if (signal?.aborted) throw abortedCall(method, signal);
      return this.transport.post(method, body, isReadOnly(method), signal);
    });
    const failure = errorForHttpStatus(method, response.statusCode, response.retryAfter);
    if (failure) throw failure;
    return response;
  }

  /** Closes the keep-alive connections once the calls in flight are answered. */
  close(): Promise<void> {
    return this.transport.close();
  }
}

/** The deadline's signal joined with the caller's (clients gone), when there are both. */
function callSignal(
  deadline: number | undefined,
  cancel: AbortSignal | undefined,
): { readonly signal: AbortSignal | undefined; release(): void } {
  if (cancel?.aborted) return { signal: cancel, release: noop };
  if (!cancel) return { signal: deadlineSignal(deadline), release: noop };
  const left = deadline === undefined ? undefined : Math.ceil(deadline - performance.now());
  if (left === undefined) return { signal: cancel, release: noop };
  if (left <= 0) return { signal: deadlineSignal(deadline), release: noop };
  // One controller, one timer and one listener, released when the call ends:
  // AbortSignal.any costs several times more per call.
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }, left);
  timer.unref();
  const onCancel = () => {
    controller.abort(cancel.reason);
  };
  cancel.addEventListener('abort', onCancel, { once: true });
  return {
    signal: controller.signal,
    release: () => {
      clearTimeout(timer);
      cancel.removeEventListener('abort', onCancel);
    },
  };
}

const noop = (): void => undefined;

/**
 * The deadline as a signal, made only for a call really sent: most requests'
 * calls are shared or cached, and a timer per request costs CPU.
 */
function deadlineSignal(deadline: number | undefined): AbortSignal | undefined {
  if (deadline === undefined) return undefined;
  const left = Math.ceil(deadline - performance.now());
  return left > 0
    ? AbortSignal.timeout(left)
    : AbortSignal.abort(new DOMException('the request deadline passed', 'TimeoutError'));
}
