/** Injected failures, so clients can be tested against a misbehaving upstream. */
import type { Mnemonic } from './errors.js';

interface FaultScope {
  /** Apply to the next N matching requests, then clear; default: until cleared. */
  readonly times?: number;
  /** Only requests calling one of these methods; default: every request. */
  readonly methods?: readonly string[];
}

export type Fault = FaultScope &
  (
    | { readonly kind: 'slow'; readonly delayMs: number }
    | { readonly kind: 'httpError'; readonly status: 500 | 502 | 503 | 504 }
    /** A rate limiter in front of the API; `retryAfter` is the header's text, as sent. */
    | { readonly kind: 'httpTooManyRequests'; readonly retryAfter?: string }
    | { readonly kind: 'truncated' }
    | { readonly kind: 'drop' }
    | { readonly kind: 'rpcError'; readonly mnemonic: Mnemonic; readonly message?: string }
    | { readonly kind: 'notJsonRpc' }
  );

export type FaultKind = Fault['kind'];

export const HTTP_STATUS_TEXT: Readonly<Record<500 | 502 | 503 | 504, string>> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The current fault and how many more requests it applies to. */
export class FaultSwitch {
  private fault: Fault | null = null;
  private remaining = Infinity;

  set(fault: Fault | null): void {
    if (fault?.times !== undefined && !(Number.isInteger(fault.times) && fault.times > 0)) {
      throw new RangeError(`fault.times must be a positive integer, got ${fault.times}`);
    }
    this.fault = fault;
    this.remaining = fault?.times ?? Infinity;
  }

  /** The fault for a request calling `method` (unknown when unparsable), counting it. */
  take(method: string | undefined): Fault | null {
    const fault = this.fault;
    if (fault === null) return null;
    if (fault.methods !== undefined && (method === undefined || !fault.methods.includes(method))) {
      return null;
    }
    this.remaining -= 1;
    if (this.remaining <= 0) this.fault = null;
    return fault;
  }
}
