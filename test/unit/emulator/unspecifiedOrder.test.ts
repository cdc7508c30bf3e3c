import { afterAll, describe, expect, it } from 'vitest';
import { availableVirtualNumbers } from '../../../src/api/index.js';
import { TABLES } from '../../../src/emulator/data.js';
import { DEMO_TOKEN, startEmulator } from '../../../src/emulator/index.js';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { runQuery } from '../../../src/emulator/query.js';
import { createRandom } from '../../../src/emulator/random.js';

const METHOD = availableVirtualNumbers.method;
const rows = TABLES.get(METHOD) ?? [];
const keys = (params: Record<string, unknown>, seed?: number) =>
  runQuery(
    availableVirtualNumbers,
    rows,
    { ...params, fields: ['phone_number'], limit: 50 },
    seed === undefined ? undefined : createRandom(seed),
  ).data.map((row) => row.phone_number);

describe('row order', () => {
  it('is the table order by default, on every call', () => {
    expect(keys({})).toEqual(rows.slice(0, 50).map((row) => row.phone_number));
    expect(keys({ sort: [{ field: 'category' }] })).toEqual(
      keys({ sort: [{ field: 'category' }] }),
    );
  });

  it('is shuffled when the API is played: unsorted rows and ties differ from call to call', () => {
    const random = createRandom(5);
    const call = (sort?: unknown) =>
      runQuery(
        availableVirtualNumbers,
        rows,
        { ...(sort ? { sort } : {}), fields: ['phone_number', 'category'], limit: 50 },
        random,
      ).data;
    expect(call()).not.toEqual(call());
    const tied = call([{ field: 'category', order: 'desc' }]);
    expect(tied.map((row) => row.category)).toEqual(Array(50).fill('gold'));
    expect(tied).not.toEqual(call([{ field: 'category', order: 'desc' }]));
  });

  it('still follows a total sort exactly', () => {
    const sort = [{ field: 'category' }, { field: 'phone_number', order: 'desc' }];
    expect(keys({ sort }, 1)).toEqual(keys({ sort }));
  });
});

describe('an emulator in the real-API mode, with rows changed between calls', () => {
  let emulator: RunningEmulator;
  afterAll(() => emulator.close());

  async function phones(): Promise<unknown[]> {
    const response = await fetch(emulator.url, {
      method: 'POST',
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: METHOD,
        params: { access_token: DEMO_TOKEN, fields: ['phone_number'], limit: 10_000 },
      }),
    });
    const body = (await response.json()) as { result: { data: { phone_number: unknown }[] } };
    return body.result.data.map((row) => row.phone_number);
  }

  it('removes, adds and resets rows of its own copy of the table only', async () => {
    emulator = await startEmulator({ order: 'unspecified', orderSeed: 3 });
    const [first] = rows;
    const removed = emulator.removeRows(METHOD, (row) => row === first);
    expect(removed).toEqual([first]);
    emulator.addRows(METHOD, [{ ...first, phone_number: '70000000000' }]);
    const now = await phones();
    expect(now).toHaveLength(rows.length);
    expect(now).toContain('70000000000');
    expect(now).not.toContain(first?.phone_number);
    expect(TABLES.get(METHOD)).toBe(rows);
    expect(rows).toContain(first);
    emulator.resetRows();
    expect(new Set(await phones())).toEqual(new Set(rows.map((row) => row.phone_number)));
  });
});
