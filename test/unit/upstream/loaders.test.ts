/**
 * The loaders' batch contracts, asserted on the exact calls a recording API
 * receives (as dataloader's own tests do), not inferred from emulator counts.
 */
import { describe, expect, it } from 'vitest';
import { availableVirtualNumbers, virtualNumberGroups } from '../../../src/api/index.js';
import type { GetParams, GetResult, Row } from '../../../src/api/wire.js';
import { createListLoader } from '../../../src/upstream/listLoader.js';
import { createNodeLoader } from '../../../src/upstream/nodeLoader.js';

const METHOD = 'get.available_virtual_numbers';
const metadata = { total_items: 42 };

interface Recorded {
  readonly method: string;
  readonly params: GetParams;
}

/** An API that records every call and answers from `answer` (a throw is a failed call). */
function recordingApi(answer: (method: string, params: GetParams) => readonly Row[] = () => []) {
  const calls: Recorded[] = [];
  return {
    calls,
    defaultUserId: undefined,
    get(method: string, params: GetParams): Promise<GetResult> {
      calls.push({ method, params });
      try {
        return Promise.resolve({ metadata, data: answer(method, params) });
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
  };
}

/** The keys of a node look-up's `in` filter. */
function inKeys(params: GetParams): unknown[] {
  const filter = params.filter;
  return filter && 'value' in filter && Array.isArray(filter.value) ? filter.value : [];
}

const spb = { field: 'location_mnemonic', operator: '=', value: 'spb' } as const;
const msk = { field: 'location_mnemonic', operator: '=', value: 'msk' } as const;

describe('list loader', () => {
  it('makes one call for requests that differ only in fields, asking for the union', async () => {
    const api = recordingApi(() => [{ phone_number: '1' }]);
    const loader = createListLoader(api);
    const page = { limit: 5, offset: 0, filter: spb };
    const [a, b] = await Promise.all([
      loader.load({ method: METHOD, params: { ...page, fields: ['phone_number'] } }),
      loader.load({ method: METHOD, params: { ...page, fields: ['phone_number', 'category'] } }),
    ]);
    expect(api.calls).toEqual([
      { method: METHOD, params: { ...page, fields: ['phone_number', 'category'] } },
    ]);
    expect(a).toBe(b);
  });

  it('asks for every column when one request of the group wants them all', async () => {
    const api = recordingApi();
    const loader = createListLoader(api);
    await Promise.all([
      loader.load({ method: METHOD, params: { limit: 5, fields: ['phone_number'] } }),
      loader.load({ method: METHOD, params: { limit: 5 } }),
    ]);
    expect(api.calls).toEqual([{ method: METHOD, params: { limit: 5 } }]);
  });

  it('answers a count-only request from a call with the same filter, with no rows', async () => {
    const api = recordingApi(() => [{ phone_number: '1' }]);
    const loader = createListLoader(api);
    const [page, count] = await Promise.all([
      loader.load({ method: METHOD, params: { limit: 5, offset: 10, filter: spb } }),
      loader.load({ method: METHOD, params: { limit: 1, filter: spb }, countOnly: true }),
    ]);
    expect(api.calls).toHaveLength(1);
    expect(page.data).toHaveLength(1);
    expect(count).toEqual({ metadata, data: [] });
  });

  it('makes a call of its own for a count-only request no other call can answer', async () => {
    const api = recordingApi();
    const loader = createListLoader(api);
    await Promise.all([
      loader.load({ method: METHOD, params: { limit: 5, filter: spb } }),
      loader.load({ method: METHOD, params: { limit: 1, filter: msk }, countOnly: true }),
    ]);
    expect(api.calls.map((c) => c.params.filter)).toEqual([spb, msk]);
  });

  it('fails only the requests of a failed call, each with its error, in request order', async () => {
    const api = recordingApi((_method, params) => {
      if (params.filter === msk) throw new Error('msk refused');
      return [];
    });
    const loader = createListLoader(api);
    const results = await Promise.allSettled([
      loader.load({ method: METHOD, params: { limit: 5, filter: spb } }),
      loader.load({ method: METHOD, params: { limit: 5, filter: msk } }),
      loader.load({ method: METHOD, params: { limit: 7, filter: spb } }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(api.calls).toHaveLength(3);
    const [, rejected] = results;
    expect(rejected).toMatchObject({ status: 'rejected', reason: { message: 'msk refused' } });
  });

  it('makes separate calls for separate pages, in the order they were asked', async () => {
    const api = recordingApi();
    const loader = createListLoader(api);
    await Promise.all([
      loader.load({ method: METHOD, params: { limit: 5, offset: 0 } }),
      loader.load({ method: METHOD, params: { limit: 5, offset: 5 } }),
    ]);
    expect(api.calls.map((c) => c.params.offset)).toEqual([0, 5]);
  });
});

describe('node loader', () => {
  const method = availableVirtualNumbers;
  const row = (key: string): Row => ({ phone_number: key, category: 'GOLD' });

  it('looks up every key of one tick in one call: an in filter, the union of columns', async () => {
    const api = recordingApi((_m, params) => {
      // Answered out of order and without the unknown key.
      return inKeys(params)
        .map(String)
        .filter((k) => k !== 'missing')
        .reverse()
        .map(row);
    });
    const loader = createNodeLoader(api, method, 100);
    const rows = await Promise.all([
      loader.load({ key: 'a', columns: ['category'] }),
      loader.load({ key: 'missing', columns: ['phone_number'] }),
      loader.load({ key: 'b', columns: ['category', 'location_name'] }),
      loader.load({ key: 'a', columns: ['location_name'] }),
    ]);
    expect(api.calls).toEqual([
      {
        method: method.method,
        params: {
          filter: { field: method.key, operator: 'in', value: ['a', 'missing', 'b'] },
          limit: 3,
          fields: [method.key, 'category', 'location_name'],
        },
      },
    ]);
    expect(rows).toEqual([row('a'), null, row('b'), row('a')]);
  });

  it('passes the user id it was made for', async () => {
    const api = recordingApi();
    await createNodeLoader(api, virtualNumberGroups, 100, 7).load({ key: 1, columns: [] });
    expect(api.calls[0]?.params.user_id).toBe(7);
  });

  it('splits look-ups into batches of at most maxBatchSize keys', async () => {
    const api = recordingApi();
    const loader = createNodeLoader(api, method, 2);
    await Promise.all(['a', 'b', 'c'].map((key) => loader.load({ key, columns: [] })));
    expect(api.calls.map((c) => inKeys(c.params))).toEqual([['a', 'b'], ['c']]);
  });
});
