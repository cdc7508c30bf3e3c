import { createHash } from 'node:crypto';
import stringify from 'fast-json-stable-stringify';
import type { GetParams, GetResult } from '../api/wire.js';
import type { DataApiClient } from '../upstream.js';
import type { ResponseCache } from './responseCache.js';

type Params = GetParams & { access_token: string };

/**
 * Spends fewer of the API's rate-limited calls without changing answers:
 * identical concurrent calls share one call (single flight), and with a cache
 * a reply is reused for `ttlMs`. Keys hash the credential and `user_id` with
 * the method and params, so no caller ever sees another credential's data.
 */
export class SharedCalls implements DataApiClient {
  private readonly inFlight = new Map<string, Promise<GetResult>>();

  constructor(
    private readonly inner: DataApiClient,
    private readonly cache?: { readonly store: ResponseCache; readonly ttlMs: number },
  ) {}

  get(method: string, params: Params, signal?: AbortSignal): Promise<GetResult> {
    const { access_token: token, ...rest } = params;
    const key = createHash('sha256')
      .update(stringify([token, rest.user_id ?? null, method, rest]))
      .digest('base64url');
    let call = this.inFlight.get(key);
    if (!call) {
      // The first caller's deadline governs the shared call.
      call = this.load(key, method, params, signal).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, call);
    }
    return call;
  }

  private async load(
    key: string,
    method: string,
    params: Params,
    signal?: AbortSignal,
  ): Promise<GetResult> {
    const cached = await this.cache?.store.get(key);
    if (cached) return cached;
    const result = await this.inner.get(method, params, signal);
    if (this.cache) {
      // Rate limits and version notices describe the moment of the call; a reuse must not repeat them.
      const { total_items } = result.metadata;
      const kept = {
        data: result.data,
        metadata: total_items === undefined ? {} : { total_items },
      };
      await this.cache.store.set(key, kept, this.cache.ttlMs);
    }
    return result;
  }
}
