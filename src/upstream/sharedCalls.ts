import { createHash } from 'node:crypto';
import type { GetParams, GetResult } from '../api/wire.js';
import type { DataApiClient } from './apiSession.js';
import type { ResponseCache } from './responseCache.js';
import { clientGone } from '../rpc/errors.js';

type Params = GetParams & { access_token: string };

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/** One call in flight and who is waiting for it. */
interface Flight {
  readonly result: Promise<GetResult>;
  /** Aborts the call once every caller that can leave has left. */
  readonly cancel: AbortController;
  /** Callers waiting that can still leave (those that gave a signal). */
  leavable: number;
  /** A caller without a signal never leaves: the call is then never cancelled. */
  pinned: boolean;
}

const ignore = (): void => undefined;

/**
 * Spends fewer of the API's rate-limited calls without changing answers:
 * identical concurrent calls share one call (single flight), and with a cache
 * a reply is reused for `ttlMs`. Keys hold the method and every param, the
 * access token and `user_id` included, so no caller ever sees another
 * credential's data; stored keys are hashed, so the cache holds no token.
 *
 * A caller whose `signal` fires (its client went away) stops waiting at once;
 * the shared call is cancelled only when every caller waiting for it has gone,
 * so a request that leaves never costs another its answer.
 */
export class SharedCalls implements DataApiClient {
  private readonly inFlight = new Map<string, Flight>();

  constructor(
    private readonly inner: DataApiClient,
    private readonly cache?: { readonly store: ResponseCache; readonly ttlMs: number },
  ) {}

  get(method: string, params: Params, deadline?: number, signal?: AbortSignal): Promise<GetResult> {
    if (signal?.aborted) return Promise.reject(clientGone(method));
    // Plain JSON.stringify is a sound key: params are built in a fixed key order
    // and GraphQL coerces inputs in their type's field order. A key that differs
    // for equal params would only cost a call, never change an answer.
    const key = `${method}:${JSON.stringify(params)}`;
    let flight = this.inFlight.get(key);
    if (!flight) {
      const cancel = new AbortController();
      // The first caller's deadline governs the shared call.
      const result = this.load(key, method, params, deadline, cancel.signal).finally(() => {
        if (this.inFlight.get(key) === started) this.inFlight.delete(key);
      });
      // Rejections reach every caller still waiting; one left alone is no fault.
      result.catch(ignore);
      const started: Flight = { result, cancel, leavable: 0, pinned: false };
      flight = started;
      this.inFlight.set(key, flight);
    }
    if (!signal) {
      flight.pinned = true;
      return flight.result;
    }
    return this.wait(key, flight, method, signal);
  }

  /** The flight's result for one caller, who stops waiting when `signal` fires. */
  private wait(
    key: string,
    flight: Flight,
    method: string,
    signal: AbortSignal,
  ): Promise<GetResult> {
    flight.leavable += 1;
    return new Promise<GetResult>((resolve, reject) => {
      const leave = () => {
        flight.leavable -= 1;
        if (flight.leavable === 0 && !flight.pinned) {
          // Nobody is left to answer: a caller arriving now starts a call of its own.
          if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
          flight.cancel.abort(
            new DOMException('every request waiting for the call went away', 'AbortError'),
          );
        }
        reject(clientGone(method));
      };
      signal.addEventListener('abort', leave, { once: true });
      flight.result.then(
        (value) => {
          signal.removeEventListener('abort', leave);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', leave);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  private async load(
    key: string,
    method: string,
    params: Params,
    deadline: number | undefined,
    signal: AbortSignal,
  ): Promise<GetResult> {
    const { cache } = this;
    if (!cache) return this.inner.get(method, params, deadline, signal);
    // Stored keys are hashed: params can be long, and a shared Redis sees no token or query text.
    const stored = sha256(key);
    const cached = await cache.store.get(stored, deadline);
    if (cached) return cached;
    const result = await this.inner.get(method, params, deadline, signal);
    // Rate limits and version notices describe the moment of the call; a reuse must not repeat them.
    const { total_items } = result.metadata;
    const kept = { data: result.data, metadata: total_items === undefined ? {} : { total_items } };
    await cache.store.set(stored, kept, cache.ttlMs, deadline);
    return result;
  }
}
