import { createHash } from 'node:crypto';
import type { GetParams, GetResult } from '../api/wire.js';
import type { DataApiClient } from './apiSession.js';
import type { ResponseCache } from './responseCache.js';

type Params = GetParams & { access_token: string };

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/**
 * Spends fewer of the API's rate-limited calls without changing answers:
 * identical concurrent calls share one call (single flight), and with a cache
 * a reply is reused for `ttlMs`. Keys hold the method and every param, the
 * access token and `user_id` included, so no caller ever sees another
 * credential's data; stored keys are hashed, so the cache holds no token.
 */
export class SharedCalls implements DataApiClient {
  private readonly inFlight = new Map<string, Promise<GetResult>>();

  constructor(
    private readonly inner: DataApiClient,
    private readonly cache?: { readonly store: ResponseCache; readonly ttlMs: number },
  ) {}

  get(method: string, params: Params, deadline?: number): Promise<GetResult> {
    // Plain JSON.stringify is a sound key: params are built in a fixed key order
    // and GraphQL coerces inputs in their type's field order. A key that differs
    // for equal params would only cost a call, never change an answer.
    const key = `${method}:${JSON.stringify(params)}`;
    let call = this.inFlight.get(key);
    if (!call) {
      // The first caller's deadline governs the shared call.
      call = this.load(key, method, params, deadline).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, call);
    }
    return call;
  }

  private async load(
    key: string,
    method: string,
    params: Params,
    deadline?: number,
  ): Promise<GetResult> {
    const { cache } = this;
    if (!cache) return this.inner.get(method, params, deadline);
    // Stored keys are hashed: params can be long, and a shared Redis sees no token or query text.
    const stored = sha256(key);
    const cached = await cache.store.get(stored, deadline);
    if (cached) return cached;
    const result = await this.inner.get(method, params, deadline);
    // Rate limits and version notices describe the moment of the call; a reuse must not repeat them.
    const { total_items } = result.metadata;
    const kept = { data: result.data, metadata: total_items === undefined ? {} : { total_items } };
    await cache.store.set(stored, kept, cache.ttlMs, deadline);
    return result;
  }
}
