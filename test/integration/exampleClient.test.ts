/**
 * The example client (examples/client) against the gateway over the emulator:
 * paging with `first`/`after` visits every number of a region exactly once.
 */
import { describe, expect, it } from 'vitest';
import { TABLES } from '../../src/emulator/data.js';
import type { RegionNumber } from '../../examples/client/regionNumbers.js';
import { regionNumbers } from '../../examples/client/regionNumbers.js';
import { AVAILABLE, useStack } from '../helpers/stack.js';

/** The seeded rows of a region: what the API holds, independent of the gateway. */
function seededNumbers(region: string): string[] {
  return (TABLES.get(AVAILABLE) ?? [])
    .filter((row) => row.location_mnemonic === region)
    .map((row) => String(row.phone_number));
}

async function collect(pages: AsyncIterable<readonly RegionNumber[]>): Promise<RegionNumber[][]> {
  const all: RegionNumber[][] = [];
  for await (const page of pages) all.push([...page]);
  return all;
}

describe('example client: all numbers of a region, page by page', () => {
  const stack = useStack();

  it.each([
    { region: 'spb', pageSize: 50 },
    { region: 'sam', pageSize: 7 },
  ])('visits every row of $region once with pages of $pageSize', async ({ region, pageSize }) => {
    const expected = seededNumbers(region);
    expect(expected.length).toBeGreaterThan(pageSize);

    const pages = await collect(regionNumbers({ url: stack().url, region, pageSize }));
    const visited = pages.flat().map((n) => n.phoneNumber);

    expect(visited).toHaveLength(expected.length);
    expect(new Set(visited).size).toBe(visited.length);
    expect([...visited].sort()).toEqual([...expected].sort());
    // Full pages until the last; one API call per page, never going back (a
    // cursor's page reads a window that starts a little before its row).
    expect(pages.map((p) => p.length)).toEqual(
      pages.map((_, i) =>
        i < pages.length - 1 ? pageSize : expected.length - pageSize * (pages.length - 1),
      ),
    );
    const offsets = stack()
      .calls(AVAILABLE)
      .map((c) => Number(c.params.offset ?? 0));
    expect(offsets).toHaveLength(pages.length);
    expect(offsets.every((offset, i) => i === 0 || offset >= (offsets[i - 1] ?? 0))).toBe(true);
  });

  it('stops with an error naming the code when the gateway refuses a page', async () => {
    const pages = regionNumbers({ url: stack().url, region: 'spb', pageSize: 100_000 });
    await expect(collect(pages)).rejects.toThrow(/BAD_USER_INPUT/);
  });
});
