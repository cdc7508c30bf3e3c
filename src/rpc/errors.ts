import type { ApiErrorObject, Metadata } from '../api/wire.js';
import type { ApiOutcomeCode } from '../api/errors.js';
import { GatewayError, codeForMnemonic } from '../api/errors.js';

/** Parameters whose echoed value is a credential and must never reach a client. */
const SECRET_FIELD = /token|password|secret/i;

/** What the client is told per class of API error: our words, never the API's text. */
const RPC_MESSAGES: Readonly<Record<ApiOutcomeCode, string>> = {
  BAD_USER_INPUT: 'The Data API refused a parameter',
  UNAUTHENTICATED: 'The Data API did not accept the credentials',
  FORBIDDEN: 'The Data API denied access',
  RATE_LIMITED: 'The Data API rate limit is exhausted',
  UPSTREAM_ERROR: 'The Data API failed to answer',
  UPSTREAM_UNAVAILABLE: 'The Data API is unavailable',
};

/** Identifiers the API sends (mnemonics, parameter paths); anything else is not echoed. */
const IDENTIFIER = /^[A-Za-z0-9_.[\]-]{1,100}$/;

function identifier(value: unknown): string | undefined {
  return typeof value === 'string' && IDENTIFIER.test(value) ? value : undefined;
}

/** Replaces every credential of the call in `text` (the API may echo parameters). */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

/** The call's credentials (`access_token`, `password`), to keep out of replies and logs. */
export function secretsOf(params: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(params)
    .filter(([key, value]) => SECRET_FIELD.test(key) && typeof value === 'string' && value !== '')
    .map(([, value]) => value as string);
}

/**
 * The API answered with a JSON-RPC error object. The client gets our message
 * for the error's class, the mnemonic, and the parameter's path and value when
 * they hold no credential; the API's own text (which may echo parameters,
 * tokens included) goes only to the log, with the call's credentials redacted.
 */
export class RpcError extends GatewayError {
  readonly rpcCode: number;
  readonly mnemonic: string | undefined;
  readonly field: string | undefined;
  readonly value: unknown;
  readonly metadata: Metadata | undefined;
  /** The API's message, credentials redacted: for the log only. */
  readonly upstreamMessage: string;
  private readonly valueIsSafe: boolean;

  constructor(
    readonly method: string,
    error: ApiErrorObject,
    secrets: readonly string[] = [],
  ) {
    const mnemonic = identifier(error.data?.mnemonic);
    const field = identifier(error.data?.field);
    const code = codeForMnemonic(mnemonic);
    const parameter = field === undefined ? '' : `; parameter ${field}`;
    super(code, `${RPC_MESSAGES[code]} (${method}: ${mnemonic ?? 'no mnemonic'}${parameter}).`);
    this.rpcCode = error.code;
    this.mnemonic = mnemonic;
    this.field = field;
    this.value = error.data?.value;
    this.metadata = error.data?.metadata;
    this.upstreamMessage = redact(error.message, secrets);
    this.valueIsSafe =
      this.value !== undefined &&
      !SECRET_FIELD.test(field ?? '') &&
      !secrets.some((secret) => JSON.stringify(this.value).includes(secret));
  }

  override extensions(): Record<string, unknown> {
    const upstream: Record<string, unknown> = { code: this.rpcCode, mnemonic: this.mnemonic };
    if (this.field !== undefined) upstream.field = this.field;
    if (this.valueIsSafe) upstream.value = this.value;
    const extensions: Record<string, unknown> = { ...super.extensions(), upstream };
    const limits = this.metadata?.limits;
    if (this.code === 'RATE_LIMITED' && limits) {
      // Wait for whichever window ran out.
      extensions.retryAfter =
        limits.minute_remaining <= 0 || limits.day_remaining > 0
          ? limits.minute_reset
          : limits.day_reset;
    }
    return extensions;
  }

  override logFields(): Record<string, unknown> {
    return {
      method: this.method,
      rpcCode: this.rpcCode,
      mnemonic: this.mnemonic,
      field: this.field,
      upstreamMessage: this.upstreamMessage,
    };
  }
}

/**
 * How a call failed to get an answer. `cancelled`: every request waiting for
 * it went away (their clients disconnected), so it was abandoned; nobody sees
 * that error, and it says nothing about the API's health.
 */
export type TransportFailure =
  'timeout' | 'deadline' | 'cancelled' | 'connection' | 'http_status' | 'circuit_open';

/** The API could not be reached or answered with an HTTP failure. */
export class TransportError extends GatewayError {
  constructor(
    readonly method: string,
    readonly failure: TransportFailure,
    detail: string,
    options?: ErrorOptions,
  ) {
    super('UPSTREAM_UNAVAILABLE', `Data API unavailable (${method}): ${detail}`, options);
  }

  override logFields(): Record<string, unknown> {
    return { method: this.method, failure: this.failure };
  }
}

/** The call of a request whose client went away, refused before it was made. */
export function clientGone(method: string): TransportError {
  return new TransportError(method, 'cancelled', 'the client went away');
}

/**
 * The error of a call whose signal fired: the deadline's signal fires with a
 * `TimeoutError`; any other reason means every request waiting for the call
 * went away.
 */
export function abortedCall(method: string, signal: AbortSignal, cause?: unknown): TransportError {
  const reason: unknown = signal.reason;
  const options = cause === undefined ? undefined : { cause };
  return reason instanceof DOMException && reason.name === 'TimeoutError'
    ? new TransportError(method, 'deadline', 'the request deadline passed', options)
    : new TransportError(method, 'cancelled', 'every request waiting for it went away', options);
}

/** The API answered, but not with a valid JSON-RPC reply. */
export class ProtocolError extends GatewayError {
  constructor(
    readonly method: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super('UPSTREAM_ERROR', `Invalid reply from the Data API (${method}): ${detail}`, options);
  }

  override logFields(): Record<string, unknown> {
    return { method: this.method };
  }
}

/**
 * The API (or a proxy in front of it) answered HTTP 429. Not retried: the
 * client is told when it may try again, from `Retry-After` when it was sent.
 */
export class HttpRateLimitError extends GatewayError {
  constructor(
    readonly method: string,
    /** Seconds to wait, when the reply said. */
    readonly retryAfter: number | undefined,
  ) {
    super(
      'RATE_LIMITED',
      `${RPC_MESSAGES.RATE_LIMITED} (${method}: HTTP 429)` +
        (retryAfter === undefined ? '.' : `; retry after ${retryAfter} s.`),
    );
  }

  override extensions(): Record<string, unknown> {
    return this.retryAfter === undefined
      ? super.extensions()
      : { ...super.extensions(), retryAfter: this.retryAfter };
  }

  override logFields(): Record<string, unknown> {
    return { method: this.method, httpStatus: 429, retryAfter: this.retryAfter };
  }
}

const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME = /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/**
 * Seconds until `Retry-After` (RFC 9110: delay-seconds or an HTTP-date) allows
 * another request, rounded up; undefined when absent or unreadable.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  // Only HTTP-date forms (Date.parse alone would take far more): IMF-fixdate,
  // and asctime, which has no zone and means UTC. RFC 850 dates are obsolete.
  const at = IMF_FIXDATE.test(value)
    ? Date.parse(value)
    : ASCTIME.test(value)
      ? Date.parse(`${value} GMT`)
      : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * The typed error for an HTTP status of the API's reply, or undefined when the
 * body is to be read as JSON-RPC (2xx, and other 4xx: the API sends JSON-RPC
 * errors with them). Pure, so any HTTP transport can use it.
 */
export function errorForHttpStatus(
  method: string,
  status: number,
  retryAfterHeader: string | null | undefined,
  now: number = Date.now(),
): GatewayError | undefined {
  if (status === 429) return new HttpRateLimitError(method, parseRetryAfter(retryAfterHeader, now));
  if (status >= 500) return new TransportError(method, 'http_status', `HTTP ${status}`);
  return undefined;
}

export type CallOutcome =
  'ok' | 'rpc_error' | 'transport_error' | 'cancelled' | 'protocol_error' | 'rate_limited';

/** How a failed call ended, for logs and metrics. */
export function outcomeOf(error: unknown): Exclude<CallOutcome, 'ok'> {
  if (error instanceof RpcError) return 'rpc_error';
  if (error instanceof TransportError) {
    return error.failure === 'cancelled' ? 'cancelled' : 'transport_error';
  }
  if (error instanceof HttpRateLimitError) return 'rate_limited';
  return 'protocol_error';
}
