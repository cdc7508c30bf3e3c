import { describe, expect, it } from 'vitest';
import type { GetResult } from '../../../src/api/wire.js';
import { MemoryCache } from '../../../src/upstream/responseCache.js';
import { keepReplyBytes } from '../../../src/rpc/replyBytes.js';

/** A reply of `rows` rows whose JSON is about `rows × 40` characters. */
function reply(rows: number, tag: string): GetResult {
  return {
    metadata: { total_items: rows },
    data: Array.from({ length: rows }, (_, i) => ({
      phone_number: `${tag}-${String(i).padStart(8, '0')}`,
    })),
  };
}

const weight = (value: GetResult) => JSON.stringify(value).length;
const TTL = 60_000;

describe('the in-memory response cache', () => {
  it('is bounded in bytes as well as entries: the least recently used go first', async () => {
    const one = reply(100, 'a');
    const budget = weight(one) * 3 + 10;
    const cache = new MemoryCache(1000, budget);
    await cache.set('a', one, TTL);
    await cache.set('b', reply(100, 'b'), TTL);
    await cache.set('c', reply(100, 'c'), TTL);
    expect(cache.usage.entries).toBe(3);
    await cache.get('a'); // a is now the most recently used
    await cache.set('d', reply(100, 'd'), TTL);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toEqual(one);
    expect(cache.usage.entries).toBe(3);
    expect(cache.usage.bytes).toBeLessThanOrEqual(budget);
  });

  it('weighs the bytes kept beside a reply too', async () => {
    const cache = new MemoryCache(1000, 1_000_000);
    const plain = reply(10, 'p');
    const withBytes = reply(10, 'k');
    const bytes = Buffer.from(JSON.stringify({ result: withBytes }));
    keepReplyBytes(withBytes.data, bytes);
    await cache.set('plain', plain, TTL);
    const before = cache.usage.bytes;
    await cache.set('kept', withBytes, TTL);
    expect(cache.usage.bytes - before).toBe(JSON.stringify(withBytes).length + bytes.length);
  });

  it('keeps no reply larger than its whole budget, and loses nothing else for it', async () => {
    const cache = new MemoryCache(1000, 10_000);
    const small = reply(10, 's');
    await cache.set('small', small, TTL);
    await cache.set('huge', reply(1000, 'h'), TTL);
    expect(await cache.get('huge')).toBeUndefined();
    expect(await cache.get('small')).toEqual(small);
  });

  it('still holds its entry bound', async () => {
    const cache = new MemoryCache(2, 1_000_000);
    await cache.set('a', reply(1, 'a'), TTL);
    await cache.set('b', reply(1, 'b'), TTL);
    await cache.set('c', reply(1, 'c'), TTL);
    expect(cache.usage.entries).toBe(2);
    expect(await cache.get('a')).toBeUndefined();
  });
});
