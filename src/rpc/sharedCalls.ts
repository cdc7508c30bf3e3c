import { createHash } from 'node:crypto';
import type { GetParams, GetResult } from '../api/wire.js';
import type { DataApiClient } from '../upstream.js';
import type { ResponseCache } from './responseCache.js';

type Params = GetParams & { access_token: string };

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/** Tokens hashed once, not once per call (a handful of credentials make most calls). */
class TokenDigests {
  private readonly digests = new Map<string, string>();
  constructor(private readonly max = 1000) {}

  of(token: string): string {
    let digest = this.digests.get(token);
    if (digest === undefined) {
      if (this.digests.size >= this.max) this.digests.clear();
      digest = sha256(token);
      this.digests.set(token, digest);
    }
    return digest;
  }
}

/**
 * Spends fewer of the API's rate-limited calls without changing answers:
 * identical concurrent calls share one call (single flight), and with a cache
 * a reply is reused for `ttlMs`. Keys hash the credential and `user_id` with
 * the method and params, so no caller ever sees another credential's data.
 */
export class SharedCalls implements DataApiClient {
  private readonly inFlight = new Map<string, Promise<GetResult>>();
  private readonly tokens = new TokenDigests();

  constructor(
    private readonly inner: DataApiClient,
    private readonly cache?: { readonly store: ResponseCache; readonly ttlMs: number },
  ) {}

  get(method: string, params: Params, deadline?: number): Promise<GetResult> {
    const { access_token: token, ...rest } = params;
    // Plain JSON.stringify is a sound key: params are built in a fixed key order
    // and GraphQL coerces inputs in their type's field order. A key that differs
    // for equal params would only cost a call, never change an answer.
    const key = `${this.tokens.of(token)}:${method}:${JSON.stringify(rest)}`;
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
    // Stored keys are hashed: params can be long, and a shared Redis sees no query text.
    const stored = sha256(key);
    const cached = await cache.store.get(stored);
    if (cached) return cached;
    const result = await this.inner.get(method, params, deadline);
    // Rate limits and version notices describe the moment of the call; a reuse must not repeat them.
    const { total_items } = result.metadata;
    const kept = { data: result.data, metadata: total_items === undefined ? {} : { total_items } };
    await cache.store.set(stored, kept, cache.ttlMs);
    return result;
  }
}
