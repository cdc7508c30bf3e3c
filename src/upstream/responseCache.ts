import { LRUCache } from 'lru-cache';
import type { GetResult } from '../api/wire.js';
import { replyBytesOf } from '../rpc/replyBytes.js';
import type { Logger } from '../observability/logger.js';
import type { RedisLink } from './redis.js';

/**
 * Where `get.*` replies are kept for a while. Failures read as misses: never
 * an error. `deadline` (a `performance.now()` instant) is the request's: a
 * store never makes it wait past that.
 */
export interface ResponseCache {
  get(key: string, deadline?: number): Promise<GetResult | undefined>;
  set(key: string, value: GetResult, ttlMs: number, deadline?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * In-process, least recently used first out, bounded in entries and in bytes:
 * one 10 000-row reply is ~1.6 MB, so an entry count alone could hold
 * gigabytes. A reply is weighed by its JSON length (what Redis would store),
 * paid once per miss, plus the bytes kept beside it; one larger than the
 * whole budget is not kept.
 */
export class MemoryCache implements ResponseCache {
  private readonly entries: LRUCache<string, GetResult>;

  constructor(maxEntries: number, maxBytes: number) {
    this.entries = new LRUCache({
      max: maxEntries,
      maxSize: maxBytes,
      // Plus the reply's bytes, when kept for writing rows from them (rpc/replyBytes.ts).
      sizeCalculation: (value) =>
        Math.max(1, JSON.stringify(value).length + (replyBytesOf(value.data)?.bytes.length ?? 0)),
    });
  }

  /** Entries and their total weight, for tests and metrics. */
  get usage(): { readonly entries: number; readonly bytes: number } {
    return { entries: this.entries.size, bytes: this.entries.calculatedSize };
  }

  get(key: string): Promise<GetResult | undefined> {
    return Promise.resolve(this.entries.get(key));
  }

  set(key: string, value: GetResult, ttlMs: number): Promise<void> {
    this.entries.set(key, value, { ttl: ttlMs });
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.entries.clear();
    return Promise.resolve();
  }
}

/**
 * Shared by every replica through Redis, over the gateway's Redis link (which
 * it does not own: the gateway closes it). A command Redis does not answer
 * within the link's timeout, or before the request's deadline, reads as a
 * miss, so an outage or a hang costs a call to the API, not a wait.
 */
export class RedisCache implements ResponseCache {
  constructor(
    private readonly redis: RedisLink,
    private readonly logger: Logger,
    private readonly prefix = 'data-api-gateway:',
  ) {}

  async get(key: string, deadline?: number): Promise<GetResult | undefined> {
    try {
      const text = await this.redis.run((r) => r.get(this.prefix + key), deadline);
      return text === null ? undefined : (JSON.parse(text) as GetResult);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'cache read failed; calling the API');
      return undefined;
    }
  }

  async set(key: string, value: GetResult, ttlMs: number, deadline?: number): Promise<void> {
    try {
      await this.redis.run(
        (r) => r.set(this.prefix + key, JSON.stringify(value), 'PX', ttlMs),
        deadline,
      );
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'cache write failed');
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
